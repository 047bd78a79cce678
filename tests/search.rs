//! Full-text queries: phrases, proximity, boolean, with citations.

use crate::util::*;

#[test]
fn phrase_and_proximity_queries_cite_their_units() {
    let r = real();
    let v = r.json(
        &[
            "search",
            "\"other subnational authorities\"",
            "--doc",
            "paris-2015",
        ],
        0,
    );
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{v:#}");
    let units: Vec<&str> = hits.iter().map(|h| h["unit"].as_str().unwrap()).collect();
    assert!(units.contains(&"decision 1/CP.21, para. 133"));
    assert!(
        hits.iter()
            .all(|h| h["excerpt"].as_str().unwrap().contains("**subnational**"))
    );
    let near = r.json(
        &[
            "search",
            "\"local authorities\"~3",
            "--doc",
            "gcm-objectives-2018",
        ],
        0,
    );
    let exact = r.json(
        &[
            "search",
            "\"local authorities\"",
            "--doc",
            "gcm-objectives-2018",
        ],
        0,
    );
    assert!(near["hits"].as_array().unwrap().len() >= exact["hits"].as_array().unwrap().len());
    assert!(!exact["hits"].as_array().unwrap().is_empty());
}

#[test]
fn boolean_queries_and_limits() {
    let r = real();
    let v = r.json(&["search", "+cities +subnational", "--limit", "5"], 0);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    for h in hits {
        let e = h["excerpt"].as_str().unwrap().to_lowercase();
        assert!(
            e.contains("**cities**") || e.contains("**subnational**"),
            "{h}"
        );
    }
    // `AND NOT` means what `+a -b` means (tantivy alone would find nothing).
    let units = |q: &str| -> Vec<String> {
        let v = r.json(&["search", q, "--limit", "1000"], 0);
        let mut u: Vec<String> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| format!("{} {}", h["doc"], h["unit"]))
            .collect();
        u.sort();
        u
    };
    let not = units("cities AND NOT finance");
    assert!(!not.is_empty());
    assert_eq!(not, units("+cities -finance"));
    assert!(not.len() < units("cities").len());
    let o = run(&r.corpus, &r.index, &["search", "\"unclosed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("query"), "{}", stderr(&o));
}

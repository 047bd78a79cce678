//! The HTML report: self-contained, its figures equal `count`'s, its charts have a mark per
//! figure. (The headless-Chromium screenshot test of issue 6 is still to come.)

use crate::util::*;

#[test]
fn report_is_self_contained_and_agrees_with_count() {
    let r = real();
    let out = tempdir("report").join("report.html");
    let o = run(
        &r.corpus,
        &r.index,
        &["report", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    // No network: no scripts, stylesheets, images or fonts from elsewhere.
    for bad in [
        "<script",
        "<link",
        "src=\"http",
        "url(http",
        "@import",
        "<img",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let counts = r.json(&["count"], 0);
    let docs = counts["documents"].as_array().unwrap();
    // A headline row per document, with the same total as count.
    assert_eq!(html.matches("<tr class=\"doc\"").count(), docs.len());
    let mut nonzero = 0;
    for d in docs {
        let total: u64 = d["concepts"]
            .as_object()
            .unwrap()
            .values()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert!(
            html.contains(&format!(
                "data-doc=\"{}\" data-mentions=\"{total}\"",
                d["id"].as_str().unwrap()
            )),
            "{}",
            d["id"]
        );
        nonzero += d["concepts"]
            .as_object()
            .unwrap()
            .values()
            .filter(|c| c["count"].as_u64().unwrap() > 0)
            .count();
    }
    // The bar chart: one bar per (document, concept) with mentions.
    assert_eq!(html.matches("<rect class=\"bar\"").count(), nonzero);
    // The dispersion plot: one tick per counted mention (contents left out).
    let k = r.json(&["kwic", "--concept", "city"], 0);
    let all: usize = [
        "city",
        "mayor",
        "local_government",
        "subnational",
        "urban",
        "network",
    ]
    .iter()
    .map(|c| {
        let o = run(
            &r.corpus,
            &r.index,
            &["kwic", "--concept", c, "--format", "json"],
        );
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["mentions"]
            .as_array()
            .unwrap()
            .len()
    })
    .sum();
    assert!(k["mentions"].as_array().unwrap().len() <= all);
    assert_eq!(html.matches("<rect class=\"tick\"").count(), all);
    // The trend chart: a line per concept over the UNFCCC series; the methods name every sha256.
    assert_eq!(html.matches("<polyline class=\"trend\"").count(), 6);
    assert!(html.contains("4a150715027b5fe4a6ee00d438270ad6d1746d39f74a93619226d147cd6a0714"));
    assert!(html.contains("Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"));
}

//! Mentions in context, with citations; the table-of-contents trap.

use crate::util::*;

#[test]
fn paris_cities_in_context_with_units_and_pages() {
    let v = real().json(
        &[
            "kwic",
            "--term",
            "cities",
            "--doc",
            "paris-2015",
            "--width",
            "40",
        ],
        0,
    );
    let m = v["mentions"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["unit"], "decision 1/CP.21, preamble");
    assert_eq!(m[0]["page"], 3);
    assert_eq!(m[1]["unit"], "decision 1/CP.21, para. 133");
    assert_eq!(m[1]["page"], 19);
    for x in m {
        assert_eq!(x["match"], "cities");
        assert_eq!(x["concept"], "city");
        assert!(
            x["left"]
                .as_str()
                .unwrap()
                .ends_with("financial institutions, "),
            "{x}"
        );
        assert!(
            x["right"]
                .as_str()
                .unwrap()
                .starts_with(" and other subnational authorities"),
            "{x}"
        );
        assert_eq!(x["left"].as_str().unwrap().chars().count(), 40);
        for k in [
            "doc", "unit", "page", "term", "concept", "left", "match", "right",
        ] {
            assert!(x.get(k).is_some(), "{k}");
        }
    }
}

#[test]
fn a_heading_repeated_in_the_contents_counts_once() {
    // FCCC/KP/CMP/2008/11/Add.1: the contents (p. 2) repeat "...the people of the city of
    // Poznan ........ 26"; the resolution itself is on p. 26.
    let v = real().json(&["kwic", "--term", "city", "--doc", "cmp4-add1"], 0);
    let m = v["mentions"].as_array().unwrap();
    assert!(
        m.iter().all(|x| x["toc"] == false && x["page"] != 2),
        "{v:#}"
    );
    assert!(
        m.iter()
            .any(|x| x["page"] == 26 && x["right"].as_str().unwrap().starts_with(" of Poznan"))
    );
    let with = real().json(
        &[
            "kwic",
            "--term",
            "city",
            "--doc",
            "cmp4-add1",
            "--include-toc",
        ],
        0,
    );
    let w = with["mentions"].as_array().unwrap();
    assert_eq!(w.len(), m.len() + 1);
    let toc: Vec<_> = w.iter().filter(|x| x["toc"] == true).collect();
    assert_eq!(toc.len(), 1);
    assert_eq!(toc[0]["page"], 2);
    assert_eq!(toc[0]["unit"], "contents");
    let c = real().json(&["count", "--doc", "cmp4-add1"], 0);
    let ct = real().json(&["count", "--doc", "cmp4-add1", "--include-toc"], 0);
    let n = |v: &serde_json::Value| v["documents"][0]["terms"]["city"].as_u64().unwrap();
    assert_eq!(n(&ct), n(&c) + 1);
    assert!(ct["documents"][0]["words"].as_u64() > c["documents"][0]["words"].as_u64());
}

#[test]
fn kwic_of_a_concept_covers_every_counted_mention() {
    let count = real().json(&["count", "--concept", "urban"], 0);
    let total: u64 = count["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["concepts"]["urban"]["count"].as_u64().unwrap())
        .sum();
    let k = real().json(&["kwic", "--concept", "urban"], 0);
    assert_eq!(k["mentions"].as_array().unwrap().len() as u64, total);
    assert!(total > 0);
}

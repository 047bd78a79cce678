//! Counts on the real corpus, checked against the text (see SOURCES.md's hand counts).

use crate::util::*;
use serde_json::Value;

fn doc<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn paris_cities_two_in_the_decision_none_in_the_agreement() {
    let v = real().json(&["count", "--doc", "paris-2015", "--by", "unit"], 0);
    let d = doc(&v, "paris-2015");
    assert_eq!(d["terms"]["cities"], 2);
    assert_eq!(d["terms"]["city"], 0);
    assert_eq!(d["concepts"]["city"]["count"], 2);
    assert_eq!(d["concepts"]["city"]["units"], 2);
    // subnational: 4 in the decision, 2 in the Agreement (SOURCES.md).
    let units = d["units"].as_array().unwrap();
    let sub = |annex: bool| -> u64 {
        units
            .iter()
            .filter(|u| u["unit"].as_str().unwrap().contains("annex") == annex)
            .map(|u| u["concepts"]["subnational"].as_u64().unwrap_or(0))
            .sum()
    };
    assert_eq!((sub(false), sub(true)), (4, 2));
    let agreement_cities: u64 = units
        .iter()
        .filter(|u| u["unit"].as_str().unwrap().contains("annex"))
        .map(|u| u["concepts"]["city"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(agreement_cities, 0);
    let labels: Vec<&str> = units
        .iter()
        .filter(|u| u["concepts"]["city"].as_u64().is_some())
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["decision 1/CP.21, preamble", "decision 1/CP.21, para. 133"]
    );
    let pages: Vec<u64> = units
        .iter()
        .filter(|u| u["unit"].as_str().unwrap().ends_with("Art. 7.2"))
        .map(|u| u["page"].as_u64().unwrap())
        .collect();
    // The heading "Article 7" ends p. 25; paragraph 2 is on p. 26 (pdftotext -layout agrees).
    assert_eq!(pages, [26], "Article 7.2 is on p. 26");
}

#[test]
fn gcm_objectives_never_city_or_mayor_urban_once_local_authorities_twelve() {
    let v = real().json(&["count", "--doc", "gcm-objectives-2018"], 0);
    let d = doc(&v, "gcm-objectives-2018");
    assert_eq!(d["concepts"]["city"]["count"], 0);
    assert_eq!(d["concepts"]["mayor"]["count"], 0);
    assert_eq!(d["terms"]["urban"], 1);
    assert_eq!(d["terms"]["local authorities"], 12);
    assert_eq!(d["terms"]["municipal"], 1);
    assert_eq!(d["terms"]["municipality"], 1);
}

#[test]
fn every_document_lists_every_concept_and_term_zeros_included() {
    let v = real().json(&["count"], 0);
    let docs = v["documents"].as_array().unwrap();
    // 73 UNFCCC PDFs (the Paris PDF among them) + the seven GA texts, less the Spanish
    // translation of CMA 4 Add.2 and the extract of decision 1/CMP.3 (their originals are
    // counted); the GCM extract is superseded by the full GCM and the Paris parts are inside
    // paris-2015.
    assert_eq!(docs.len(), 78);
    for d in docs {
        for c in CONCEPTS {
            let cc = &d["concepts"][c];
            assert!(
                cc["count"].is_u64() && cc["per_10k"].is_number() && cc["units"].is_u64(),
                "{} {c}",
                d["id"]
            );
        }
        let terms = d["terms"].as_object().unwrap();
        let want = if d["language"] == "es" {
            "ciudad"
        } else {
            "city"
        };
        assert!(terms.contains_key(want), "{}", d["id"]);
        for k in ["id", "file", "language", "words", "pages"] {
            assert!(!d[k].is_null(), "{} lacks {k}", d["id"]);
        }
        let words = d["words"].as_f64().unwrap();
        let c = d["concepts"]["local_government"]["count"].as_f64().unwrap();
        let expect = (c * 10_000.0 / words * 100.0).round() / 100.0;
        assert!(
            (d["concepts"]["local_government"]["per_10k"]
                .as_f64()
                .unwrap()
                - expect)
                .abs()
                < 1e-9
        );
    }
}

#[test]
fn no_spanish_count_comes_from_mayor() {
    let text = real().json(&["text", "cma4-add2-es"], 0);
    let body: String = text["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["text"].as_str().unwrap().to_lowercase() + " ")
        .collect();
    assert!(body.contains(" mayor "), "the trap is in the document");
    // This report has no mention at all ("comunidades locales" is not a term): exit 1.
    let v = real().json(&["count", "--doc", "cma4-add2-es"], 0);
    let d = doc(&v, "cma4-add2-es");
    assert!(d["terms"].get("mayor").is_none() && d["terms"].get("mayors").is_none());
    assert_eq!(d["terms"]["ciudades"], 0);
    assert_eq!(d["terms"]["alcaldes"], 0);
    let k = real().json(&["kwic", "--concept", "mayor", "--doc", "cma4-add2-es"], 1);
    assert_eq!(k["mentions"].as_array().unwrap().len(), 0);
    // Every concept, and no mention at all: no "mayor" slipped in under any of them.
    let all = real().json(&["kwic", "--concept", "city", "--doc", "cma4-add2-es"], 1);
    assert!(all["mentions"].as_array().unwrap().is_empty());
    assert_eq!(total_mentions(d), 0);
}

#[test]
fn concept_filter_and_exit_one_when_nothing_counts() {
    let v = real().json(&["count", "--doc", "paris-2015", "--concept", "city"], 0);
    let d = doc(&v, "paris-2015");
    assert_eq!(d["concepts"].as_object().unwrap().len(), 1);
    assert_eq!(
        d["terms"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["cities", "city"]
    );
    real().json(&["count", "--doc", "paris-2015", "--concept", "mayor"], 0);
}

#[test]
fn table_and_csv_show_the_same_numbers_as_json() {
    let o = run(
        &real().corpus,
        &real().index,
        &["count", "--doc", "paris-2015", "--format", "csv"],
    );
    assert!(o.status.success());
    let csv = stdout(&o);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(at("document"), "paris-2015");
    assert_eq!(at("city"), "2");
    assert_eq!(at("subnational"), "6");
    let o = run(
        &real().corpus,
        &real().index,
        &["count", "--doc", "paris-2015"],
    );
    assert!(stdout(&o).lines().nth(1).unwrap().starts_with("paris-2015"));
}

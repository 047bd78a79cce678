//! Roles of mentions: every kwic line carries one, `roles` summarises, `--gold` evaluates.

use crate::util::*;

#[test]
fn dev_set_accuracy_and_macro_f1_meet_the_goal() {
    let gold = shared_corpus().join("../roles/dev.tsv");
    let v = real().json(&["roles", "--gold", gold.to_str().unwrap()], 0);
    assert_eq!(v["unaligned"].as_array().unwrap().len(), 0, "{v:#}");
    assert_eq!(v["aligned"], 100);
    let acc = v["accuracy"].as_f64().unwrap();
    let f1 = v["macro_f1"].as_f64().unwrap();
    assert!(acc >= 0.90, "accuracy {acc}: {v:#}");
    assert!(f1 >= 0.85, "macro-F1 {f1}: {v:#}");
    for k in [
        "per_label",
        "confusion",
        "deferential_accuracy",
        "toc_accuracy",
    ] {
        assert!(!v[k].is_null(), "{k}");
    }
    assert_eq!(v["per_label"]["ceremonial"]["support"], 49);
}

#[test]
fn kwic_lines_carry_their_role_and_rule() {
    let v = real().json(&["kwic", "--term", "cities", "--doc", "paris-2015"], 0);
    for m in v["mentions"].as_array().unwrap() {
        // "welcomes the efforts of ... civil society, the private sector, ... cities and other
        // subnational authorities": a list of stakeholders.
        assert_eq!(m["role"], "actor", "{m}");
        assert_eq!(m["rule"], "actor.stakeholder-list");
        assert!(
            m["cues"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "private sector")
        );
    }
    let cer = real().json(
        &[
            "kwic",
            "--concept",
            "city",
            "--role",
            "ceremonial",
            "--doc",
            "cmp4-add1",
        ],
        0,
    );
    let all = real().json(&["kwic", "--concept", "city", "--doc", "cmp4-add1"], 0);
    assert!(!cer["mentions"].as_array().unwrap().is_empty());
    assert!(
        cer["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["role"] == "ceremonial")
    );
    assert!(cer["mentions"].as_array().unwrap().len() <= all["mentions"].as_array().unwrap().len());
    let o = run(
        &real().corpus,
        &real().index,
        &["kwic", "--concept", "city", "--role", "waiter"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn roles_per_document_add_up_to_the_counts() {
    let roles = real().json(
        &[
            "roles",
            "--doc",
            "paris-2015",
            "--doc",
            "gcm-objectives-2018",
        ],
        0,
    );
    let counts = real().json(
        &[
            "count",
            "--doc",
            "paris-2015",
            "--doc",
            "gcm-objectives-2018",
        ],
        0,
    );
    for (r, c) in roles["documents"]
        .as_array()
        .unwrap()
        .iter()
        .zip(counts["documents"].as_array().unwrap())
    {
        assert_eq!(r["doc"], c["id"]);
        let total = total_mentions(c);
        let by_role: u64 = r["roles"]
            .as_object()
            .unwrap()
            .values()
            .map(|x| x.as_u64().unwrap())
            .sum();
        assert_eq!(by_role, total, "{}", r["doc"]);
        // The share: actor mentions among the mentions of cities and their governments
        // (every concept but "urban", which is never an actor).
        let actor = r["roles"]["actor"].as_f64().unwrap();
        let of = r["at_the_table_of"].as_u64().unwrap();
        let urban = c["concepts"]["urban"]["count"].as_u64().unwrap();
        assert_eq!(of, total - urban, "{}", r["doc"]);
        match r["at_the_table"].as_f64() {
            Some(share) => {
                assert!((share - (actor / of as f64 * 1000.0).round() / 1000.0).abs() < 1e-9)
            }
            None => assert_eq!(of, 0, "{}", r["doc"]),
        }
    }
}

/// `roles` adds up the role tallies `index` made; a lexicon with another fingerprint (one more
/// concept no text has) cannot use them and classifies every mention again from the text. The
/// two roads give the same rows for every document and scope of the real corpus, and the same
/// sums as `kwic` lists.
#[test]
fn issue23_the_index_time_role_tallies_equal_the_mentions_classified_again() {
    let lexicon = lexicon_with_one_more_concept("role-tallies");
    let lex = lexicon.to_str().unwrap();
    let views: [&[&str]; 6] = [
        &["roles"],
        &["roles", "--include-toc", "--names"],
        &["roles", "--no-footnotes"],
        &["roles", "--concept", "city"],
        &["roles", "--term", "local authorities"],
        &[
            "roles",
            "--kind",
            "decision",
            "--lang",
            "es",
            "--include-toc",
        ],
    ];
    for args in views {
        let tallied = real().json(args, 0);
        let classified = real().json(&[&["--lexicon", lex], args].concat(), 0);
        let rows = tallied["documents"].as_array().unwrap();
        assert!(!rows.is_empty(), "{args:?}");
        assert_eq!(
            rows,
            classified["documents"].as_array().unwrap(),
            "{args:?}"
        );
    }
    // And the tally's figures are kwic's lines counted.
    let roles = real().json(&["roles", "--names", "--include-toc"], 0);
    let mut by_doc: std::collections::BTreeMap<(String, String), u64> = Default::default();
    let mut listed = 0;
    for concept in menutable::analysis::lexicon::Lexicon::builtin().concept_ids() {
        let o = run(
            &real().corpus,
            &real().index,
            &[
                "kwic",
                "--concept",
                concept,
                "--names",
                "--include-toc",
                "--limit",
                "0",
                "--format",
                "json",
            ],
        );
        // 1: no mention of the concept, an answer too (its JSON lists none).
        assert!(matches!(o.status.code(), Some(0 | 1)), "{concept}");
        let kwic: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for l in kwic["mentions"].as_array().unwrap() {
            let key = (
                l["doc"].as_str().unwrap().to_string(),
                l["role"].as_str().unwrap().to_string(),
            );
            *by_doc.entry(key).or_default() += 1;
            listed += 1;
        }
    }
    let mut seen = 0;
    for r in roles["documents"].as_array().unwrap() {
        for (role, n) in r["roles"].as_object().unwrap() {
            let doc = r["doc"].as_str().unwrap().to_string();
            let lines = by_doc.get(&(doc, role.clone())).copied().unwrap_or(0);
            assert_eq!(n.as_u64().unwrap(), lines, "{} {role}", r["doc"]);
            seen += lines;
        }
    }
    assert!(listed > 500);
    assert_eq!(seen, listed);
}

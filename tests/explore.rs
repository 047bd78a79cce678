//! Issue 22: frequency lists, collocates, keyness, grouped counts and sorted concordances,
//! checked against `count` and against a plain tokeniser of `text`'s output.

use std::collections::BTreeMap;

use crate::util::*;

/// The plain oracle: a unit's words as the issue defines them, by another route than the
/// library's. Lowercase; every name of an instrument becomes a gap and every multi-word
/// lexicon term one token (longest first, by string replacement); then split at every
/// character that is not a letter or digit; a word has a letter.
fn plain_words(text: &str) -> Vec<String> {
    let lex = menutable::analysis::lexicon::Lexicon::builtin();
    let mut phrases: Vec<(String, bool)> = lex
        .terms_of("en")
        .iter()
        .filter(|t| t.name || t.text.contains(' ') || t.text.contains('-'))
        .map(|t| (t.text.to_lowercase(), t.name))
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let mut s = format!(
        " {} ",
        text.to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (p, name) in &phrases {
        let glued = if *name {
            " \u{1} ".to_string()
        } else {
            format!(" {} ", p.replace(' ', "\u{2}").replace('-', "\u{3}"))
        };
        // Whole words only: the phrase between non-alphanumerics.
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find(p.as_str()) {
            let before = rest[..i].chars().last();
            let after = rest[i + p.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            out.push_str(&rest[..i]);
            if edge(before) && edge(after) {
                out.push_str(&glued);
            } else {
                out.push_str(p);
            }
            rest = &rest[i + p.len()..];
        }
        out.push_str(rest);
        s = out;
    }
    s.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\u{1}' | '\u{2}' | '\u{3}')))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{2}', " ").replace('\u{3}', "-"))
        .filter(|w| w == "\u{1}" || w.chars().any(char::is_alphabetic))
        .collect()
}

/// `text ID`'s units that the default scope counts (no contents).
fn counted_texts(id: &str) -> Vec<String> {
    real().json(&["text", id], 0)["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] != "toc")
        .map(|u| u["text"].as_str().unwrap().to_string())
        .collect()
}

fn oracle_counts(id: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for t in counted_texts(id) {
        for w in plain_words(&t) {
            if w != "\u{1}" {
                *out.entry(w).or_default() += 1;
            }
        }
    }
    out
}

fn freq_of(args: &[&str]) -> BTreeMap<String, u64> {
    let v = real().json(
        &[&["freq", "--stopwords", "keep", "--limit", "0"], args].concat(),
        0,
    );
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["word"].as_str().unwrap().to_string(),
                r["frequency"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn issue22_freq_of_every_lexicon_term_is_count_term() {
    let lex = menutable::analysis::lexicon::Lexicon::builtin();
    let terms: Vec<String> = lex
        .terms_of("en")
        .iter()
        .filter(|t| !t.name)
        .map(|t| t.text.clone())
        .collect();
    let freq = freq_of(&[]);
    let mut args = vec!["count"];
    for t in &terms {
        args.extend(["--term", t.as_str()]);
    }
    let count = real().json(&args, 0);
    // freq folds case: "Eurocities" and "EUROCITIES" (two case-sensitive terms) are one word.
    let mut by_word: BTreeMap<String, u64> = BTreeMap::new();
    for t in &terms {
        let n: u64 = count["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["terms"][t.as_str()]["count"].as_u64().unwrap())
            .sum();
        *by_word.entry(t.to_lowercase()).or_default() += n;
    }
    let mut checked = 0;
    for (w, n) in &by_word {
        assert_eq!(
            freq.get(w).copied().unwrap_or(0),
            *n,
            "{w}: freq against count --term"
        );
        checked += usize::from(*n > 0);
    }
    assert!(checked >= 15, "{checked} terms with mentions");
}

#[test]
fn issue22_frequencies_equal_a_plain_tokeniser_on_the_nua_and_the_gcm() {
    for id in ["nua-2016", "gcm-2018"] {
        let freq = freq_of(&["--doc", id]);
        let oracle = oracle_counts(id);
        let mut differ = Vec::new();
        for (w, n) in &oracle {
            if freq.get(w).copied().unwrap_or(0) != *n as u64 {
                differ.push(format!("{w}: oracle {n}, freq {:?}", freq.get(w)));
            }
        }
        for w in freq.keys() {
            if !oracle.contains_key(w) {
                differ.push(format!("{w}: only in freq"));
            }
        }
        assert!(
            differ.is_empty(),
            "{id}: {} words differ: {:?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }
    // Keyness reports those same frequencies for NUA against GCM, and count's words as sizes.
    let v = real().json(
        &[
            "keyness",
            "--target",
            "nua-2016",
            "--reference",
            "gcm-2018",
            "--stopwords",
            "keep",
            "--limit",
            "0",
            "--min-freq",
            "1",
        ],
        0,
    );
    let (nua, gcm) = (oracle_counts("nua-2016"), oracle_counts("gcm-2018"));
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() > 1000);
    for r in rows {
        let w = r["word"].as_str().unwrap();
        assert_eq!(
            r["freq_target"].as_u64().unwrap() as usize,
            nua.get(w).copied().unwrap_or(0),
            "{w}"
        );
        assert_eq!(
            r["freq_reference"].as_u64().unwrap() as usize,
            gcm.get(w).copied().unwrap_or(0),
            "{w}"
        );
    }
    let words = |id: &str| real().json(&["count", "--doc", id], 0)["documents"][0]["words"].clone();
    assert_eq!(v["target"]["words"], words("nua-2016"));
    assert_eq!(v["reference"]["words"], words("gcm-2018"));
    // Migrants are the GCM's: a negative keyword with its raw counts.
    let migrants = rows.iter().find(|r| r["word"] == "migrants").unwrap();
    assert!(migrants["g2"].as_f64().unwrap() < -100.0, "{migrants}");
}

#[test]
fn issue22_collocates_of_cities_in_the_nua_equal_a_plain_count_of_their_spans() {
    let v = real().json(
        &[
            "collocates",
            "city",
            "--doc",
            "nua-2016",
            "--stopwords",
            "keep",
            "--min-freq",
            "1",
            "--limit",
            "0",
        ],
        0,
    );
    // The oracle: each unit's words (a name is a gap: no position), the node the city terms,
    // every word within five positions on either side.
    let mut seen: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let (mut nodes, mut tokens) = (0, 0);
    for t in counted_texts("nua-2016") {
        let words: Vec<String> = plain_words(&t)
            .into_iter()
            .filter(|w| w != "\u{1}")
            .collect();
        tokens += words.len();
        for (i, w) in words.iter().enumerate() {
            if w != "city" && w != "cities" {
                continue;
            }
            nodes += 1;
            let lo = i.saturating_sub(5);
            for (j, other) in words.iter().enumerate().take(i + 6).skip(lo) {
                if j != i {
                    let e = seen.entry(other.clone()).or_default();
                    if j < i { e.0 += 1 } else { e.1 += 1 }
                }
            }
        }
    }
    assert_eq!(v["totals"]["node_frequency"], nodes);
    assert_eq!(v["totals"]["tokens"], tokens);
    let rows = v["collocates"].as_array().unwrap();
    assert_eq!(rows.len(), seen.len());
    for r in rows {
        let w = r["collocate"].as_str().unwrap();
        let (l, rr) = seen[w];
        assert_eq!(
            (r["left"].as_u64().unwrap(), r["right"].as_u64().unwrap()),
            (l, rr),
            "{w}"
        );
        // Every statistic is recomputable from the raw counts beside it.
        let (o, f) = (
            r["observed"].as_f64().unwrap(),
            r["frequency"].as_f64().unwrap(),
        );
        let (n, wpos) = (
            tokens as f64,
            v["totals"]["span_positions"].as_f64().unwrap(),
        );
        let e = f * wpos / n;
        assert!((r["expected"].as_f64().unwrap() - e).abs() < 1e-3, "{w}");
        assert!(
            (r["log_dice"].as_f64().unwrap() - (14.0 + (2.0 * o / (nodes as f64 + f)).log2()))
                .abs()
                < 1e-3,
            "{w}"
        );
        assert!(
            (r["mi"].as_f64().unwrap() - (o / e).log2()).abs() < 1e-3,
            "{w}"
        );
    }
    // By role: the ceremonial city of the UNFCCC decisions is thanked with its people.
    let v = real().json(
        &[
            "collocates",
            "city",
            "--kind",
            "decision",
            "--role",
            "ceremonial",
            "--limit",
            "5",
        ],
        0,
    );
    let top: Vec<&str> = v["collocates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["collocate"].as_str().unwrap())
        .collect();
    assert!(top.contains(&"people"), "{top:?}");
}

#[test]
fn issue22_count_by_year_adds_up_and_columns_are_identifiers() {
    let r = real();
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "count", "--kind", "decision", "--by", "year", "--format", "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["year", "documents", "words", "city"]);
    for h in &header {
        assert!(
            h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !h.starts_with(|c: char| c.is_ascii_digit()),
            "{h} is not an identifier in R or pandas"
        );
    }
    let groups = r.json(&["count", "--kind", "decision", "--by", "year"], 0);
    let docs = r.json(&["count", "--kind", "decision"], 0);
    for concept in CONCEPTS {
        let by_year: u64 = groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["concepts"][concept]["count"].as_u64().unwrap())
            .sum();
        let total: u64 = docs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["concepts"][concept]["count"].as_u64().unwrap())
            .sum();
        assert_eq!(by_year, total, "{concept}");
    }
    let n: u64 = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["documents"].as_u64().unwrap())
        .sum();
    assert_eq!(n as usize, docs["documents"].as_array().unwrap().len());
}

#[test]
fn issue22_kwic_sorts_as_antconc_and_stays_within_the_sentence() {
    let r = real();
    let v = r.json(&["kwic", "--term", "local authorities", "--sort", "R1"], 0);
    let lines = v["mentions"].as_array().unwrap();
    let word = |s: &str, k: usize, right: bool| -> String {
        let ws: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if right {
            ws.get(k).cloned()
        } else {
            ws.iter().rev().nth(k).cloned()
        }
        .unwrap_or_default()
    };
    let keys: Vec<(String, String, String)> = lines
        .iter()
        .map(|l| {
            let r = l["right"].as_str().unwrap();
            (word(r, 0, true), word(r, 1, true), word(r, 2, true))
        })
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by R1, R2, R3"
    );
    assert!(lines.len() > 20);
    // The same lines as without sorting, in another order.
    let plain = r.json(&["kwic", "--term", "local authorities"], 0);
    assert_eq!(plain["mentions"].as_array().unwrap().len(), lines.len());
    // --sentence: no context beyond the sentence's end.
    let v = r.json(
        &[
            "kwic",
            "--doc",
            "nua-2016",
            "--concept",
            "city",
            "--sentence",
            "--width",
            "400",
        ],
        0,
    );
    for l in v["mentions"].as_array().unwrap() {
        let right = l["right"].as_str().unwrap();
        let cut = right.trim_end();
        let inner = &cut[..cut.len().saturating_sub(1)];
        assert!(!inner.contains(". The "), "{right}");
    }
    // --term with a grouping it cannot honour is refused, not ignored.
    let o = run(
        &r.corpus,
        &r.index,
        &["count", "--term", "migrants", "--by", "year"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    // A concordance key elsewhere is refused, not ignored.
    let o = run(&r.corpus, &r.index, &["count", "--sort", "R1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn issue22_every_view_writes_every_format() {
    let r = real();
    for view in [
        &["freq", "--doc", "gcm-2018", "--limit", "5"][..],
        &["freq", "--doc", "gcm-2018", "--ngram", "2", "--limit", "5"],
        &[
            "collocates",
            "migrants",
            "--doc",
            "gcm-2018",
            "--limit",
            "5",
        ],
        &["keyness", "--target", "gcm-2018", "--limit", "5"],
        &["keyness", "--target", "nua-2016", "--concepts"],
        &["count", "--by", "kind"],
    ] {
        for format in ["table", "csv", "json", "md"] {
            let o = run(&r.corpus, &r.index, &[view, &["--format", format]].concat());
            assert!(o.status.success(), "{view:?} {format}: {}", stderr(&o));
            assert!(!stdout(&o).trim().is_empty(), "{view:?} {format}");
            if format == "json" {
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
                assert!(v["scope"].is_object(), "{view:?}: scope in JSON");
            }
        }
    }
}

#[test]
fn issue22_a_fixture_counts_as_written_by_hand() {
    let dir = tempdir("freqfixture");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("f.en.txt"),
        "1. Cities and local authorities, and the New Urban Agenda, act in 2015.\n2. The cities act; cities² act.\n",
    )
    .unwrap();
    let index = dir.join("index");
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(
        &corpus,
        &index,
        &["freq", "--stopwords", "keep", "--limit", "0"],
        0,
    );
    let got: BTreeMap<String, u64> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["word"].as_str().unwrap().to_string(),
                r["frequency"].as_u64().unwrap(),
            )
        })
        .collect();
    // "2015" and the footnote mark are no words; "local authorities" is one term; the name is
    // kept apart.
    let want: BTreeMap<String, u64> = [
        ("cities", 3),
        ("and", 2),
        ("local authorities", 1),
        ("the", 2),
        ("act", 3),
        ("in", 1),
    ]
    .into_iter()
    .map(|(w, n)| (w.to_string(), n))
    .collect();
    assert_eq!(got, want);
    let no_stop = json(&corpus, &index, &["freq", "--limit", "0"], 0);
    let words: Vec<&str> = no_stop["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["word"].as_str().unwrap())
        .collect();
    assert_eq!(words, ["act", "cities", "local authorities"]);
}

#[test]
fn issue22_count_states_each_concepts_range_and_dp() {
    let v = real().json(&["count"], 0);
    let docs = v["documents"].as_array().unwrap();
    for concept in CONCEPTS {
        let f: Vec<f64> = docs
            .iter()
            .map(|d| d["concepts"][concept]["count"].as_f64().unwrap())
            .collect();
        let s: Vec<f64> = docs.iter().map(|d| d["words"].as_f64().unwrap()).collect();
        let (ft, st): (f64, f64) = (f.iter().sum(), s.iter().sum());
        let got = &v["dispersion"][concept];
        assert_eq!(
            got["range"].as_u64().unwrap() as usize,
            f.iter().filter(|x| **x > 0.0).count(),
            "{concept}"
        );
        if ft > 0.0 {
            let dp: f64 = 0.5
                * f.iter()
                    .zip(&s)
                    .map(|(a, b)| (a / ft - b / st).abs())
                    .sum::<f64>();
            assert!((got["dp"].as_f64().unwrap() - dp).abs() < 1e-3, "{concept}");
        } else {
            assert!(got["dp"].is_null());
        }
    }
}

#[test]
fn issue22_the_reports_exploring_sections_are_the_commands_figures() {
    let html = crate::report::report_html();
    // What surrounds cities: each table is `collocates CONCEPT --role R`'s top rows.
    let tables = crate::report::elements(html, "<table class=\"surround\"", "</table>");
    assert!(tables.len() >= 4, "{}", tables.len());
    for (attrs, body) in &tables {
        let (concept, role) = (&attrs["data-concept"], &attrs["data-role"]);
        let v = real().json(&["collocates", concept, "--role", role, "--limit", "8"], 0);
        assert_eq!(
            attrs["data-nodes"].parse::<u64>().unwrap(),
            v["totals"]["node_frequency"].as_u64().unwrap(),
            "{concept} {role}"
        );
        let rows = crate::report::elements(body, "<tr data-collocate=", "</tr>");
        let cli: Vec<(String, u64)> = v["collocates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["collocate"].as_str().unwrap().to_string(),
                    r["observed"].as_u64().unwrap(),
                )
            })
            .collect();
        let page: Vec<(String, u64)> = body
            .split("<tr data-collocate=\"")
            .skip(1)
            .map(|r| {
                let w = r.split('"').next().unwrap().to_string();
                let o = r
                    .split("data-o=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                (w, o)
            })
            .collect();
        assert_eq!(page.len(), rows.len());
        assert_eq!(page, cli, "{concept} {role}");
    }
    // What marks each instrument: `keyness --target ID`'s over-used words, with a and b.
    for id in ["gcm-2018", "decision-1-cp21", "nua-2016"] {
        let row = html
            .split(&format!("<tr class=\"marks\" data-doc=\"{id}\">"))
            .nth(1)
            .unwrap_or_else(|| panic!("no marks row for {id}"))
            .split("</tr>")
            .next()
            .unwrap();
        let page: Vec<(String, u64, u64)> = row
            .split("<span class=\"kw\" data-word=\"")
            .skip(1)
            .map(|s| {
                let f = |k: &str| {
                    s.split(k)
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .to_string()
                };
                (
                    s.split('"').next().unwrap().to_string(),
                    f("data-a=\"").parse().unwrap(),
                    f("data-b=\"").parse().unwrap(),
                )
            })
            .collect();
        let v = real().json(&["keyness", "--target", id, "--limit", "6"], 0);
        let cli: Vec<(String, u64, u64)> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["g2"].as_f64().unwrap() > 0.0)
            .map(|r| {
                (
                    r["word"].as_str().unwrap().to_string(),
                    r["freq_target"].as_u64().unwrap(),
                    r["freq_reference"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(page, cli, "{id}");
    }
}

/// The views add up the word tallies `index` made; a lexicon other than the index's (here one
/// concept more, never in the text) cannot use them, and tokenises the stored text instead.
/// Both roads must give the same rows, in every scope, for every view.
#[test]
fn issue22_the_index_time_word_tallies_equal_the_text_tokenised_again() {
    let lexicon = lexicon_with_one_more_concept("tallies");
    let lex = lexicon.to_str().unwrap();
    let views: [&[&str]; 8] = [
        &["freq", "--limit", "0", "--stopwords", "keep"],
        &[
            "freq",
            "--limit",
            "0",
            "--include-toc",
            "--names",
            "--no-footnotes",
        ],
        &["freq", "--limit", "0", "--kind", "decision", "--lang", "es"],
        &["keyness", "--target", "nua-2016", "--limit", "0"],
        &[
            "keyness",
            "--target",
            "gcm-2018",
            "--reference",
            "nua-2016",
            "--include-toc",
            "--names",
        ],
        &["collocates", "city", "--limit", "0", "--min-freq", "1"],
        &[
            "collocates",
            "local_government",
            "--role",
            "actor",
            "--include-toc",
            "--limit",
            "0",
        ],
        &[
            "collocates",
            "migrants",
            "--limit",
            "0",
            "--stopwords",
            "keep",
        ],
    ];
    for args in views {
        let tallied = real().json(args, 0);
        let scanned = real().json(&[&["--lexicon", lex], args].concat(), 0);
        let key = if args[0] == "collocates" {
            "collocates"
        } else {
            "rows"
        };
        let rows = tallied[key].as_array().unwrap();
        assert!(rows.len() > 3, "{args:?}: {} rows", rows.len());
        assert_eq!(tallied[key], scanned[key], "{args:?}");
        for k in ["totals", "target", "reference", "words"] {
            assert_eq!(tallied[k], scanned[k], "{args:?}: {k}");
        }
    }
}

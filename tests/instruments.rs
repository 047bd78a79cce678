//! Issue 12: the GA instruments as the question needs them — texts from PDFs with pages,
//! furniture, footnotes and repaired words; parts of documents; names apart from mentions;
//! claims checked against the text.

use crate::util::*;

/// A corpus holding only `paged.en.txt`, with a manifest giving it a GA symbol.
fn paged() -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempdir("paged");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/paged.en.txt"),
        corpus.join("paged.en.txt"),
    )
    .unwrap();
    let manifest = dir.join("manifest.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nid = \"paged\"\ntitle = \"Urban Compact for Testing\"\nshort = \"UCT\"\nsymbol = \"A/RES/99/1\"\nadopted = \"2030-01-01\"\nkind = \"compact\"\nlanguage = \"en\"\nfile = \"paged.en.txt\"\n",
    )
    .unwrap();
    let index = dir.join("index");
    let o = with_manifest(&corpus, &index, &manifest, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (corpus, index, manifest)
}

fn with_manifest(
    corpus: &std::path::Path,
    index: &std::path::Path,
    manifest: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    let mut all = vec!["--manifest", manifest.to_str().unwrap()];
    all.extend(args);
    run(corpus, index, &all)
}

fn json_of(o: std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn issue12_text_from_a_pdf_gets_pages_furniture_footnotes_and_repairs() {
    let (corpus, index, manifest) = paged();
    let m = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        json_of(with_manifest(&corpus, &index, &manifest, &a))
    };
    // Raw lines: the running title and footers are furniture, the footnote is a footnote, and
    // the repair is listed.
    let raw = m(&["text", "paged", "--raw"]);
    let lines = raw["lines"].as_array().unwrap();
    let kind_of = |page: u64, text: &str| {
        lines
            .iter()
            .filter(|l| l["page"] == page && l["text"] == text)
            .map(|l| l["kind"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(kind_of(2, "Urban Compact for Testing"), ["furniture"]);
    assert_eq!(kind_of(3, "Urban Compact for Testing"), ["furniture"]);
    for (p, t) in [
        (1, "30-12345 (E)"),
        (1, "010130"),
        (1, "*3012345*"),
        (2, "2/3"),
        (2, "30-12345"),
        (3, "3/3"),
        (2, "A/RES/99/1"),
    ] {
        assert_eq!(kind_of(p, t), ["furniture"], "{t}");
    }
    assert_eq!(kind_of(1, "Resolution 71/256, annex."), ["footnote"]);
    assert_eq!(kind_of(1, "Urban Compact for Testing"), ["body", "body"]);
    assert_eq!(kind_of(1, "loca l -> local"), ["repair"]);
    assert_eq!(m(&["docs"])["documents"][0]["repairs"], 1);
    // Units with their pages; the paragraph across the page break has both.
    let text = m(&["text", "paged"]);
    let unit = |label: &str| {
        text["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["label"] == label)
            .unwrap_or_else(|| panic!("no unit {label}: {text:#}"))
            .clone()
    };
    assert_eq!(unit("resolution 99/1")["kind"], "decision");
    assert_eq!(unit("para. 1")["page_start"], 1);
    assert_eq!(unit("annex, footnote 1")["kind"], "footnote");
    let p2 = unit("annex, para. 2");
    assert_eq!(
        (p2["page_start"].as_u64(), p2["page_end"].as_u64()),
        (Some(2), Some(3))
    );
    assert!(
        p2["text"]
            .as_str()
            .unwrap()
            .ends_with("across borders, to reach the goals of this Compact.")
    );
    assert_eq!(unit("annex, objective 1")["kind"], "heading");
    assert_eq!(unit("annex, para. 3(a) (objective 1)")["page_start"], 3);
    // Counts: the running title's "Urban" is not a mention, the body's three are; the New
    // Urban Agenda is a name, counted apart; the repaired "local authorities" counts.
    let c = m(&["count"]);
    let d = &c["documents"][0];
    assert_eq!(d["concepts"]["urban"]["count"], 3, "{d:#}");
    assert_eq!(d["concepts"]["urban"]["names"], 1);
    assert_eq!(d["names"]["New Urban Agenda"], 1);
    assert_eq!(d["terms"]["local authorities"], 2);
    assert_eq!(d["concepts"]["local_government"]["count"], 3);
    assert_eq!(d["concepts"]["city"]["count"], 1);
    assert_eq!(d["concepts"]["mayor"]["count"], 1);
    // Citations carry the symbol, the annex, the objective and the page.
    let k = m(&["kwic", "--concept", "mayor"]);
    assert_eq!(
        k["mentions"][0]["citation"],
        "A/RES/99/1, annex, para. 3(a) (objective 1), p. 3"
    );
    let k = m(&["kwic", "--term", "cities"]);
    assert_eq!(
        k["mentions"][0]["citation"],
        "A/RES/99/1, annex, para. 2, p. 2"
    );
    assert_eq!(k["mentions"][0]["role"], "actor");
    // Its index-time counts were made with the built-in lexicon: indexing with another one
    // reads the file again, and again with the same one does not.
    let lex = corpus.parent().unwrap().join("lexicon.toml");
    std::fs::write(&lex, "[[concept]]\nid = \"city\"\nen = [\"cities\"]\n").unwrap();
    let again = |expect: &str| {
        let v = m(&["index", "--lexicon", lex.to_str().unwrap()]);
        assert_eq!(v[expect].as_array().unwrap().len(), 1, "{expect}: {v}");
    };
    again("replaced");
    again("skipped");
}

#[test]
fn issue12_paris_parts_split_the_document_without_counting_twice() {
    let v = real().json(
        &[
            "count",
            "--doc",
            "paris-2015",
            "--doc",
            "decision-1-cp21",
            "--doc",
            "paris-agreement",
        ],
        0,
    );
    // Rows come by year, then id (all three are of 2015).
    let docs = v["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["decision-1-cp21", "paris-2015", "paris-agreement"]);
    let (decision, whole, agreement) = (&docs[0], &docs[1], &docs[2]);
    assert_eq!(agreement["concepts"]["city"]["count"], 0);
    assert_eq!(decision["concepts"]["city"]["count"], 2);
    assert_eq!(agreement["terms"]["subnational"], 2);
    // The parts cover the document once: words and every term add up.
    assert_eq!(
        whole["words"].as_u64().unwrap(),
        decision["words"].as_u64().unwrap() + agreement["words"].as_u64().unwrap()
    );
    let sum =
        |d: &serde_json::Value| -> std::collections::BTreeMap<String, u64> { terms_and_names(d) };
    let (w, a, b) = (sum(whole), sum(decision), sum(agreement));
    for (k, n) in &w {
        assert_eq!(*n, a[k] + b[k], "{k}");
    }
    // Each part has its own binding flag and pages; the totals over the corpus hold the
    // document, not its parts.
    let docs = real().json(&["docs"], 0);
    let row = |id: &str| {
        docs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("paris-agreement")["binding"], true);
    assert_eq!(row("decision-1-cp21")["binding"], false);
    assert_eq!(row("paris-agreement")["page_span"], "21-36");
    let all = real().json(&["count"], 0);
    let ids: Vec<&str> = all["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"paris-2015"));
    assert!(!ids.contains(&"paris-agreement") && !ids.contains(&"gcm-objectives-2018"));
    // kwic selects a part like a document.
    let k = real().json(
        &["kwic", "--concept", "city", "--doc", "decision-1-cp21"],
        0,
    );
    let cites: Vec<&str> = k["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["citation"].as_str().unwrap())
        .collect();
    assert_eq!(
        cites,
        [
            "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), preamble, p. 3",
            "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"
        ]
    );
}

#[test]
fn issue12_the_gcm_says_urban_once_and_names_the_new_urban_agenda_once() {
    let v = real().json(&["count", "--doc", "gcm-2018"], 0);
    let d = &v["documents"][0];
    assert_eq!(d["concepts"]["urban"]["count"], 1);
    assert_eq!(d["concepts"]["urban"]["names"], 1);
    assert_eq!(d["concepts"]["city"]["count"], 0);
    assert_eq!(d["concepts"]["mayor"]["count"], 0);
    // SOURCES.md's independent counts: local authorities 14, municipal 1, municipality 1.
    assert_eq!(d["terms"]["local authorities"], 14);
    assert_eq!(d["terms"]["municipal"], 1);
    assert_eq!(d["terms"]["municipality"], 1);
    let k = real().json(
        &["kwic", "--term", "urban", "--doc", "gcm-2018", "--names"],
        0,
    );
    let m = k["mentions"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["match"], "New Urban Agenda");
    assert_eq!(m[0]["role"], "none");
    assert_eq!(m[0]["rule"], "none.name-of-instrument");
    assert_eq!(
        m[1]["citation"],
        "A/RES/73/195, annex, para. 18(b) (objective 2), p. 9"
    );
    assert_eq!(m[1]["role"], "setting");
    // Without --names, only the mention.
    let k = real().json(&["kwic", "--term", "urban", "--doc", "gcm-2018"], 0);
    assert_eq!(k["mentions"].as_array().unwrap().len(), 1);
    // The NUA's running header ("New Urban Agenda" on every page) is never a mention: the
    // file has 253 "urban"; 28 are in headers, the rest in the text (one after a repaired
    // "Ur ban"), names included.
    let v = real().json(&["count", "--doc", "nua-2016"], 0);
    let u = &v["documents"][0]["concepts"]["urban"];
    assert_eq!(
        u["count"].as_u64().unwrap() + u["names"].as_u64().unwrap(),
        253 - 28 + 1
    );
}

#[test]
fn issue12_ga_texts_are_cut_into_their_numbered_paragraphs() {
    // Paragraph counts as SOURCES.md gives them: GCM annex 1-54, NUA annex 1-175, 2030 Agenda
    // 1-91 and its targets, Sendai annex II 1-50, Addis annex 1-134, New York Declaration 1-90
    // with annex I 1-19 and annex II 1-15.
    for (id, prefix, n) in [
        ("gcm-2018", "annex, para. ", 54),
        ("nua-2016", "annex, para. ", 175),
        ("agenda2030-2015", "para. ", 91),
        ("sendai-2015", "annex II, para. ", 50),
        ("addis-2015", "annex, para. ", 134),
        ("nydeclaration-2016", "para. ", 90),
        ("nydeclaration-2016", "annex I, para. ", 19),
        ("nydeclaration-2016", "annex II, para. ", 15),
    ] {
        let t = real().json(&["text", id], 0);
        let paras: std::collections::BTreeSet<u64> = t["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["kind"] == "paragraph")
            .filter_map(|u| u["label"].as_str().unwrap().strip_prefix(prefix))
            .filter_map(|rest| rest.split([' ', '(']).next()?.parse().ok())
            .collect();
        assert_eq!(paras, (1..=n).collect(), "{id} {prefix}");
    }
    let t = real().json(&["text", "agenda2030-2015"], 0);
    let targets = t["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "target")
        .count();
    assert_eq!(targets, 169);
    let k = real().json(&["kwic", "--term", "cities", "--doc", "agenda2030-2015"], 0);
    assert!(
        k["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["citation"] == "A/RES/70/1, target 11.6, p. 22")
    );
}

#[test]
fn issue12_claims_hold_fail_or_cannot_be_checked() {
    let v = real().json(&["claims"], 0);
    // `--doc` keeps the claims about that document, each row as the whole run gives it.
    let gcm = real().json(&["claims", "--doc", "gcm-2018"], 0);
    let about: Vec<&serde_json::Value> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["doc"] == "gcm-2018")
        .collect();
    assert_eq!(about.len(), 3);
    assert_eq!(
        gcm["claims"].as_array().unwrap().iter().collect::<Vec<_>>(),
        about
    );
    let verdict = |id: &str| {
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    for id in [
        "gcm-no-city",
        "gcm-no-mayor",
        "gcm-urban-once",
        "paris-agreement-no-city",
        "paris-decision-two-cities",
    ] {
        assert_eq!(verdict(id)["verdict"], "holds", "{id}");
    }
    let gcr = verdict("gcr-cities-once");
    assert_eq!(gcr["verdict"], "cannot check");
    assert!(gcr["figure"].is_null());
    assert!(gcr["detail"].as_str().unwrap().contains("missing"));
    assert_eq!(
        verdict("gcm-urban-once")["citations"][0],
        "A/RES/73/195, annex, para. 18(b) (objective 2), p. 9"
    );
    assert_eq!(
        verdict("paris-decision-two-cities")["citations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A claim the text contradicts fails with the real figure, and the run still exits 0.
    let dir = tempdir("claims");
    let file = dir.join("claims.toml");
    std::fs::write(
        &file,
        "[[claim]]\nid = \"nua-no-city\"\nclaim = \"The NUA never mentions cities.\"\nsource = \"test\"\ndoc = \"nua-2016\"\nconcept = \"city\"\nequals = 0\n",
    )
    .unwrap();
    let v = real().json(&["claims", file.to_str().unwrap()], 0);
    let c = &v["claims"][0];
    assert_eq!(c["verdict"], "fails");
    assert!(c["figure"].as_u64().unwrap() > 40);
    let n = real().json(&["count", "--doc", "nua-2016"], 0)["documents"][0]["concepts"]["city"]["count"].clone();
    assert_eq!(c["figure"], n, "claims and count give one figure");
}

#[test]
fn issue12_unknown_and_missing_documents_say_what_to_do() {
    let r = real();
    let o = run(&r.corpus, &r.index, &["count", "--doc", "paris"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean paris-2015"),
        "{}",
        stderr(&o)
    );
    let o = run(&r.corpus, &r.index, &["count", "--doc", "gcr-2018"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("missing") && e.contains("https://undocs.org/A/73/12(PartII)"),
        "{e}"
    );
    // Over the whole corpus, count and roles list what is missing.
    for cmd in ["count", "roles"] {
        let v = r.json(&[cmd], 0);
        let ids: Vec<&str> = v["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["gcr-2018"], "{cmd}");
    }
}

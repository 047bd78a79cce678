//! Issue 21: no figure that can mislead. A claim never holds on nothing, the share means what
//! it says, one record never breaks the index, a failure says what it is, an empty answer says
//! why, a bad manifest or lexicon is refused naming the entry, and text quirks move no
//! citation or count.

use std::path::{Path, PathBuf};

use crate::util::*;

/// `menutable --corpus C --index I --manifest M [--lexicon L] ARGS`.
fn run_with(dir: &Path, lexicon: Option<&Path>, args: &[&str]) -> std::process::Output {
    let mut c = menutable();
    c.arg("--corpus")
        .arg(dir.join("corpus"))
        .arg("--index")
        .arg(dir.join("index"))
        .arg("--manifest")
        .arg(dir.join("manifest.toml"));
    if let Some(l) = lexicon {
        c.arg("--lexicon").arg(l);
    }
    c.args(args).output().unwrap()
}

fn json_of(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// A folder with `corpus/`, an empty `manifest.toml` and these files in the corpus.
fn project(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = tempdir(name);
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    std::fs::write(dir.join("manifest.toml"), "").unwrap();
    for (f, bytes) in files {
        std::fs::write(dir.join("corpus").join(f), bytes).unwrap();
    }
    dir
}

#[test]
fn issue21_long_values_are_stored_whole_or_cut_visibly_and_never_break_the_index() {
    // A 6 KB PDF whose Info /Title is 70,000 characters; a text whose manifest title and note
    // are as long; then a 100,000-term lexicon.
    let title = "Cities ".repeat(10_000);
    let pdf = crate::pdfgen::document_titled(Some(&title), |_, _| {
        vec![(
            crate::pdfgen::text_content(&["1. The cities and the mayors act."]),
            String::new(),
        )]
    });
    let dir = project(
        "longvalues",
        &[
            ("long.pdf", &pdf),
            ("a.en.txt", b"1. The local authorities and the cities.\n"),
        ],
    );
    let long = "L".repeat(70_000);
    std::fs::write(
        dir.join("manifest.toml"),
        format!(
            "[[document]]\nid = \"a\"\ntitle = \"{long}\"\nshort = \"A\"\nlanguage = \"en\"\nfile = \"a.en.txt\"\nnote = \"{long}\"\n"
        ),
    )
    .unwrap();
    let o = run_with(&dir, None, &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for args in [
        &["docs"][..],
        &["count"],
        &["kwic", "--concept", "city"],
        &["roles"],
        &["text", "long"],
    ] {
        let o = run_with(&dir, None, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let o = run_with(&dir, None, &["docs", "--format", "json"]);
    let docs = json_of(&o);
    let get = |id: &str| {
        docs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {docs:#}"))
            .clone()
    };
    // The PDF's title is cut, with a mark; the manifest's is stored whole.
    let short = get("long")["short"].as_str().unwrap().to_string();
    assert_eq!(short, "long");
    let count = json_of(&run_with(&dir, None, &["count", "--format", "json"]));
    assert_eq!(count["documents"].as_array().unwrap().len(), 2, "{count:#}");
    let export = dir.join("tables");
    let o = run_with(
        &dir,
        None,
        &[
            "export",
            "--out",
            export.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(export.join("documents.json")).unwrap())
            .unwrap();
    let rows = rows.as_array().unwrap();
    let title_of = |id: &str| {
        rows.iter().find(|r| r["doc"] == id).unwrap()["title"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(title_of("a"), long, "a manifest title is stored whole");
    let pdf_title = title_of("long");
    assert!(
        pdf_title.ends_with('…') && pdf_title.chars().count() == 301,
        "{}",
        pdf_title.len()
    );

    // A lexicon of 100,000 terms: every document's tally is long.
    let mut lex = String::from("[[concept]]\nid = \"city\"\nen = [\"cities\"");
    for i in 0..100_000 {
        lex.push_str(&format!(", \"w{i:06}\""));
    }
    lex.push_str("]\n");
    let lexicon = dir.join("lexicon.toml");
    std::fs::write(&lexicon, lex).unwrap();
    let o = run_with(&dir, Some(&lexicon), &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let count = json_of(&run_with(
        &dir,
        Some(&lexicon),
        &["count", "--format", "json"],
    ));
    for d in count["documents"].as_array().unwrap() {
        assert_eq!(d["concepts"]["city"]["count"], 1, "{d:#}");
    }
    // And `index --rebuild` goes through it all again.
    let o = run_with(&dir, Some(&lexicon), &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn issue21_index_rebuild_recovers_from_an_unreadable_record() {
    let dir = project("badrecord", &[("a.en.txt", b"1. The cities act.\n")]);
    assert!(run_with(&dir, None, &["index"]).status.success());
    // A record no reader can parse, as an older or broken run could leave one.
    {
        let store = menutable::index::Store::open(&dir.join("index"), true).unwrap();
        let f = store.fields;
        let mut w: tantivy::IndexWriter = store.index.writer(50_000_000).unwrap();
        let mut d = tantivy::TantivyDocument::default();
        d.add_text(f.record, "doc");
        d.add_text(f.doc_id, "broken");
        d.add_bytes(f.meta, b"{\"meta\": {\"id\": \"broken\", \"tit");
        d.add_bytes(f.head, b"{\"id\": \"bro");
        w.add_document(d).unwrap();
        w.commit().unwrap();
    }
    let o = run_with(&dir, None, &["count"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--rebuild"), "{}", stderr(&o));
    let o = run_with(&dir, None, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be read"), "{}", stderr(&o));
    let count = json_of(&run_with(&dir, None, &["count", "--format", "json"]));
    let docs = count["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["concepts"]["city"]["count"], 1);
}

fn claims_file(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("claims.toml");
    std::fs::write(&p, body).unwrap();
    p
}

fn claim(id: &str, what: &str, bounds: &str) -> String {
    format!(
        "[[claim]]\nid = \"{id}\"\nclaim = \"x\"\nsource = \"a test\"\ndoc = \"gcm-2018\"\n{what}\n{bounds}\n"
    )
}

#[test]
fn issue21_a_claim_never_holds_on_nothing() {
    let r = real();
    let dir = tempdir("claims21");
    let body = [
        claim("migrants", "term = \"migrants\"", "equals = 0"),
        claim("citty", "concept = \"citty\"", "equals = 0"),
        claim("regex", "term = \"urb.*\"", "equals = 0"),
        claim("alternation", "term = \"cit(y|ies)\"", "equals = 0"),
        claim("spaces", "term = \"local  authorities\"", "equals = 0"),
        claim("spanish", "term = \"ciudades\"", "equals = 0"),
        claim("role", "concept = \"city\"\nrole = \"chair\"", "equals = 0"),
    ]
    .concat();
    let path = claims_file(&dir, &body);
    let v = r.json(&["claims", path.to_str().unwrap()], 0);
    let by = |id: &str| {
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    // "migrants" is counted for real (190 in the GCM, as a plain scan of its text finds) and
    // marked as ad hoc.
    let m = by("migrants");
    assert_eq!(m["verdict"], "fails", "{m:#}");
    let figure = m["figure"].as_u64().unwrap();
    let kwic = r.json(&["kwic", "--doc", "gcm-2018", "--term", "migrants"], 0);
    assert_eq!(figure as usize, kwic["mentions"].as_array().unwrap().len());
    assert!(
        kwic["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["concept"] == "ad_hoc")
    );
    assert!(figure > 100, "{figure}");
    assert!(m["detail"].as_str().unwrap().contains("ad hoc"), "{m:#}");
    // What cannot be matched is "cannot check", with the reason.
    for (id, why) in [
        ("citty", "unknown concept"),
        ("regex", "pattern"),
        ("alternation", "pattern"),
        ("spanish", "Spanish"),
        ("role", "unknown role"),
    ] {
        let c = by(id);
        assert_eq!(c["verdict"], "cannot check", "{id}: {c:#}");
        assert!(c["figure"].is_null(), "{id}");
        assert!(
            c["detail"].as_str().unwrap().contains(why),
            "{id}: {}",
            c["detail"]
        );
    }
    // A doubled space is the lexicon's term, counted as `count` counts it.
    let count = r.json(
        &["count", "--doc", "gcm-2018", "--term", "local authorities"],
        0,
    );
    let n = &count["documents"][0]["terms"]["local authorities"]["count"];
    assert!(n.as_u64().unwrap() > 0);
    assert_eq!(by("spaces")["figure"], *n);
    assert_eq!(by("spaces")["verdict"], "fails");
    // Contradictory bounds are refused on load, naming the claim.
    let bad = claims_file(
        &dir,
        &claim("both", "term = \"urban\"", "at_least = 10\nat_most = 5"),
    );
    let o = run(&r.corpus, &r.index, &["claims", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("both") && stderr(&o).contains("contradict"),
        "{}",
        stderr(&o)
    );
}

/// A project folder of its own: corpus/manifest.toml, corpus/files/, corpus/claims.toml, and
/// the index in index/, all found from inside it without flags.
fn own_project() -> PathBuf {
    let dir = tempdir("ownproject");
    std::fs::create_dir_all(dir.join("corpus/files")).unwrap();
    std::fs::write(
        dir.join("corpus/manifest.toml"),
        "[[document]]\nid = \"decl\"\ntitle = \"A declaration\"\nshort = \"Decl\"\nadopted = 2023\nkind = \"declaration\"\nlanguage = \"en\"\nfile = \"decl.en.txt\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("corpus/files/decl.en.txt"),
        "1. The mayors of the cities commit to act.\n2. The cities lead.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("corpus/claims.toml"),
        "[[claim]]\nid = \"two-cities\"\nclaim = \"It says cities twice.\"\nsource = \"a test\"\ndoc = \"decl\"\nterm = \"cities\"\nequals = 2\n",
    )
    .unwrap();
    let mut c = menutable();
    c.current_dir(&dir).arg("index");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

#[test]
fn issue21_claims_are_found_from_the_project_and_an_unreadable_file_is_said() {
    let dir = own_project();
    // From corpus/, as `count` finds the project from there.
    let mut c = menutable();
    c.current_dir(dir.join("corpus"))
        .args(["claims", "--format", "json"]);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_of(&o);
    assert_eq!(v["claims"][0]["verdict"], "holds", "{v:#}");
    // A malformed claims file: an error in `claims`, a visible note in the report.
    std::fs::write(dir.join("corpus/claims.toml"), "[[claim]\nid = ").unwrap();
    let mut c = menutable();
    c.current_dir(&dir).arg("claims");
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("claims.toml"), "{}", stderr(&o));
    let mut c = menutable();
    c.current_dir(&dir).args(["report", "--out", "r.html"]);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("claims were not checked"),
        "{}",
        stderr(&o)
    );
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(
        html.contains("class=\"claims-note\"") && html.contains("The claims were not checked"),
        "the report says so"
    );
    // The report never shows empty parentheses for a text without a symbol.
    assert!(!html.contains("()"), "empty parentheses in the report");
}

/// Every word occurrence of `word` (case-insensitive, whole alphanumeric runs) in the text a
/// document's counts cover (body and footnotes, not contents): an oracle apart from the
/// matcher.
fn scan(units: &[serde_json::Value], word: &str) -> usize {
    units
        .iter()
        .filter(|u| u["kind"] != "toc")
        .map(|u| {
            let text = u["text"].as_str().unwrap().to_lowercase();
            let mut n = 0;
            let mut tokens = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty());
            for t in tokens.by_ref() {
                n += usize::from(t == word);
            }
            n
        })
        .sum()
}

#[test]
fn issue21_any_word_is_counted_as_a_plain_scan_counts_it() {
    let r = real();
    let count = r.json(&["count", "--term", "migrants", "--term", "partnership"], 0);
    assert_eq!(count["terms"][0]["ad_hoc"], true);
    let mut seen = 0;
    for d in count["documents"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let text = r.json(&["text", id], 0);
        assert_eq!(text["offsets"], "characters");
        let units = text["units"].as_array().unwrap();
        for word in ["migrants", "partnership"] {
            let n = d["terms"][word]["count"].as_u64().unwrap() as usize;
            assert_eq!(n, scan(units, word), "{id}: {word}");
            seen += n;
        }
    }
    assert!(seen > 300, "{seen}");
}

#[test]
fn issue21_every_mention_is_found_again_from_text_at_its_character_offset() {
    let r = real();
    let dir = tempdir("offsets");
    let o = run(
        &r.corpus,
        &r.index,
        &["export", "--out", dir.to_str().unwrap(), "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mentions: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mentions.json")).unwrap()).unwrap();
    let mut texts: std::collections::HashMap<String, Vec<(usize, Vec<char>)>> = Default::default();
    let mut n = 0;
    for m in mentions.as_array().unwrap() {
        let doc = m["doc"].as_str().unwrap().to_string();
        let units = texts.entry(doc.clone()).or_insert_with(|| {
            r.json(&["text", &doc], 0)["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| {
                    (
                        u["start"].as_u64().unwrap() as usize,
                        u["text"].as_str().unwrap().chars().collect(),
                    )
                })
                .collect()
        });
        let at = m["offset"].as_u64().unwrap() as usize;
        let matched: Vec<char> = m["matched"].as_str().unwrap().chars().collect();
        let (start, text) = units
            .iter()
            .rev()
            .find(|(s, _)| *s <= at)
            .unwrap_or_else(|| panic!("{doc}: no unit before {at}"));
        let from = at - start;
        assert_eq!(
            text.get(from..from + matched.len()),
            Some(&matched[..]),
            "{doc} at {at}: {m:#}"
        );
        n += 1;
    }
    assert!(n > 600, "{n}");
}

#[test]
fn issue21_empty_answers_say_why_and_unhonoured_flags_are_refused() {
    let r = real();
    let o = run(
        &r.corpus,
        &r.index,
        &["kwic", "--doc", "gcm-2018", "--term", "ciudades"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Spanish"), "{}", stderr(&o));
    for args in [&["count", "--year", "2020"][..], &["count", "--lang", "fr"]] {
        let o = run(&r.corpus, &r.index, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            stderr(&o).contains("no document in the selection"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let o = run(&r.corpus, &r.index, &["count", "--year", "2015-2018"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("2015..2018"), "{}", stderr(&o));
    let o = run(&r.corpus, &r.index, &["search", "cit*"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wildcard"), "{}", stderr(&o));
    let o = run(&r.corpus, &r.index, &["search", "\"local authorities"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at character"), "{}", stderr(&o));
    let dir = tempdir("flags");
    for (args, what) in [
        (
            vec!["report", "--out", "x.html", "--format", "csv"],
            "takes no --format",
        ),
        (
            vec!["export", "--out", dir.to_str().unwrap(), "--format", "md"],
            "not md",
        ),
    ] {
        let o = run(&r.corpus, &r.index, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(what), "{args:?}: {}", stderr(&o));
    }
    // An error says its cause once.
    let o = run(&r.corpus, &r.index, &["claims", "/nonexistent/claims.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).matches("os error 2").count(),
        1,
        "{}",
        stderr(&o)
    );
    // Outside a project, `docs` is an error, not an empty table.
    let mut c = menutable();
    c.current_dir(&dir).arg("docs");
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("no index"), "{}", stderr(&o));
}

#[test]
fn issue21_a_failed_document_is_failed_everywhere_not_missing() {
    let dir = tempdir("failedgcm");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("undocs")).unwrap();
    // The project's manifest names gcm-2018 as undocs/gcm.en.txt; this one has a bad byte.
    std::fs::write(
        corpus.join("undocs/gcm.en.txt"),
        b"1. The cities\xff act.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("a.en.txt"), b"1. The cities act.\n").unwrap();
    let index = dir.join("index");
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = run(&corpus, &index, &["count"]);
    let out = stdout(&o);
    assert!(
        out.contains("failed: gcm-2018") && out.contains("not UTF-8"),
        "{out}"
    );
    assert!(!out.contains("missing: gcm-2018"), "{out}");
    let v = json(&corpus, &index, &["roles"], 0);
    let gcm = v["missing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "gcm-2018")
        .unwrap()
        .clone();
    assert_eq!(gcm["status"], "failed");
    assert!(
        gcm["reason"].as_str().unwrap().contains("not UTF-8"),
        "{gcm}"
    );
    let v = json(&corpus, &index, &["claims"], 0);
    let c = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["doc"] == "gcm-2018")
        .unwrap()
        .clone();
    assert_eq!(c["verdict"], "cannot check");
    let detail = c["detail"].as_str().unwrap();
    assert!(
        detail.contains("could not be indexed") && !detail.contains("fetch"),
        "{detail}"
    );
    // No advice is ever empty: a missing document without an address says what to do.
    let v = json(&corpus, &index, &["docs"], 0);
    for d in v["documents"].as_array().unwrap() {
        let reason = d["reason"].as_str().unwrap();
        assert!(
            !reason.contains("from  ") && !reason.ends_with("from "),
            "{d}"
        );
    }
}

fn refused(manifest: &str, want: &[&str]) {
    let dir = project("badmanifest", &[("a.en.txt", b"1. The cities.\n")]);
    std::fs::write(dir.join("manifest.toml"), manifest).unwrap();
    let o = run_with(&dir, None, &["index"]);
    assert_eq!(o.status.code(), Some(2), "accepted:\n{manifest}");
    for w in want {
        assert!(stderr(&o).contains(w), "{manifest}\n{}", stderr(&o));
    }
}

const ENTRY: &str = "[[document]]\ntitle = \"A\"\nshort = \"A\"\nlanguage = \"en\"\n";

#[test]
fn issue21_a_bad_manifest_is_refused_naming_the_entry() {
    let b = "[[document]]\nid = \"b\"\ntitle = \"B\"\nshort = \"B\"\nlanguage = \"en\"\nfile = \"b.en.txt\"\n";
    for (extra, want) in [
        (
            "id = \"a\"\nfile = \"a.en.txt\"\nsuperseded_by = \"nobody\"\n",
            &["document a", "names no document"][..],
        ),
        (
            "id = \"a\"\nfile = \"a.en.txt\"\ntranslation_of = \"a\"\n",
            &["document a", "itself"],
        ),
        ("id = \"\"\nfile = \"a.en.txt\"\n", &["is empty"]),
        (
            "id = \"a\\nb\"\nfile = \"a.en.txt\"\n",
            &["whitespace or a control character"],
        ),
        (
            "id = \"a\"\nfile = \"a.en.txt\"\nadopted = \"12 December 2015\"\n",
            &["document a", "not a year"],
        ),
        (
            "id = \"a\"\nfile = \"a.en.txt\"\nadopted = \"+201\"\n",
            &["not a year"],
        ),
        (
            "id = \"a\"\nfile = \"a.en.txt\"\nadopted = \"0000\"\n",
            &["not a year"],
        ),
        (
            "id = \"a\"\nfile = \"a.en.txt\"\nkind = \"treatyy\"\n",
            &["document a", "treatyy", "treaty"],
        ),
    ] {
        refused(&format!("{ENTRY}{extra}{b}"), want);
    }
    // A year as a TOML integer, as the manifest's header says ("year or date").
    let dir = project("intyear", &[("a.en.txt", b"1. The cities.\n")]);
    std::fs::write(
        dir.join("manifest.toml"),
        format!("{ENTRY}id = \"a\"\nfile = \"a.en.txt\"\nadopted = 2023\nkind = \"declaration\"\n"),
    )
    .unwrap();
    assert!(run_with(&dir, None, &["index"]).status.success());
    let v = json_of(&run_with(&dir, None, &["count", "--format", "json"]));
    assert_eq!(v["documents"][0]["year"], 2023);
}

#[test]
fn issue21_a_bad_lexicon_is_refused_and_terms_are_normalised_as_the_text_is() {
    let dir = project(
        "lexicon21",
        &[(
            "a.en.txt",
            "1. The finance of sub-national bodies and cities.\n".as_bytes(),
        )],
    );
    let lexicon = dir.join("lexicon.toml");
    for (body, want) in [
        (
            "[[concept]]\nid = \"x\"\nen = [\"\"]\n",
            "no letters or digits",
        ),
        (
            "[[concept]]\nid = \"x\"\nen = [\"...\"]\n",
            "no letters or digits",
        ),
        (
            "[[concept]]\nid = \"x\"\nen = [\"c++\"]\n",
            "outside its words",
        ),
        (
            "[[concept]]\nid = \"x\"\nen = [\"city\"]\n[[concept]]\nid = \"x\"\nen = [\"town\"]\n",
            "two concepts have the id",
        ),
    ] {
        std::fs::write(&lexicon, body).unwrap();
        let o = run_with(&dir, Some(&lexicon), &["count"]);
        assert_eq!(o.status.code(), Some(2), "{body}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(want) && stderr(&o).contains("lexicon.toml"),
            "{body}: {}",
            stderr(&o)
        );
    }
    // A ligature, a non-breaking hyphen and full-width letters in the lexicon count what
    // the text writes plainly.
    std::fs::write(
        &lexicon,
        "[[concept]]\nid = \"money\"\nen = [\"\u{FB01}nance\"]\n[[concept]]\nid = \"sub\"\nen = [\"sub\u{2011}national\"]\n[[concept]]\nid = \"city\"\nen = [\"\u{FF43}ities\"]\n",
    )
    .unwrap();
    assert!(run_with(&dir, Some(&lexicon), &["index"]).status.success());
    let v = json_of(&run_with(
        &dir,
        Some(&lexicon),
        &["count", "--format", "json"],
    ));
    for c in ["money", "sub", "city"] {
        assert_eq!(v["documents"][0]["concepts"][c]["count"], 1, "{c}: {v:#}");
    }
}

#[test]
fn issue21_text_quirks_move_no_citation_or_count() {
    let mut para1000 = String::new();
    for n in 1..=1001 {
        para1000.push_str(&format!("{n}. Paragraph {n} of the text.\n"));
    }
    para1000.push_str("The end, not in para. 1001 alone.\n");
    let dir = project(
        "quirks",
        &[
            ("bom.en.txt", "\u{feff}1. The cities act.\n2. The mayors act.\n".as_bytes()),
            ("cr.en.txt", b"1. The Parties act.\r2. The cities act.\r"),
            ("long.en.txt", para1000.as_bytes()),
            (
                "marks.en.txt",
                "1. The cities\u{00B9} and cit\u{200D}ies and cit\u{2060}ies and cit\u{200C}ies and cit\u{200B}ies act.\n".as_bytes(),
            ),
            ("doc-019450.en.txt", b"1. The cities of a numbered document.\n"),
            ("cop-2019.en.txt", b"1. The cities of a session.\n"),
        ],
    );
    let o = run_with(&dir, None, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let kwic = |doc: &str| {
        json_of(&run_with(
            &dir,
            None,
            &[
                "kwic",
                "--doc",
                doc,
                "--concept",
                "city",
                "--format",
                "json",
            ],
        ))["mentions"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert_eq!(kwic("bom-en")[0]["unit"], "para. 1", "a BOM is no text");
    assert_eq!(kwic("cr-en")[0]["unit"], "para. 2", "a lone CR ends a line");
    assert_eq!(kwic("marks-en").len(), 5, "marks and joiners glue nothing");
    let text = json_of(&run_with(
        &dir,
        None,
        &["text", "long-en", "--format", "json"],
    ));
    let labels: Vec<&str> = text["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"para. 1000") && labels.contains(&"para. 1001"),
        "{labels:?}"
    );
    let v = json_of(&run_with(&dir, None, &["count", "--format", "json"]));
    let year = |id: &str| {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["year"]
            .clone()
    };
    assert_eq!(year("cop-2019-en"), 2019);
    assert!(
        year("doc-019450-en").is_null(),
        "digits inside a number are no year"
    );
}

#[test]
fn issue21_the_share_counts_cities_and_their_governments_not_urban() {
    let r = real();
    let roles = r.json(&["roles", "--doc", "nua-2016"], 0);
    let row = &roles["documents"][0];
    let count = r.json(&["count", "--doc", "nua-2016"], 0);
    let concepts = &count["documents"][0]["concepts"];
    let urban = concepts["urban"]["count"].as_u64().unwrap();
    let all = row["mentions"].as_u64().unwrap();
    assert!(urban > 100, "{urban}");
    assert_eq!(row["at_the_table_of"].as_u64().unwrap(), all - urban);
    let actor = row["roles"]["actor"].as_u64().unwrap();
    let share = row["at_the_table"].as_f64().unwrap();
    assert!((share - actor as f64 / (all - urban) as f64).abs() < 0.001);
    assert!(roles["share"].as_str().unwrap().contains("urban left out"));
    // export gives each document the same share as roles.
    let dir = tempdir("sharexport");
    let o = run(
        &r.corpus,
        &r.index,
        &["export", "--out", dir.to_str().unwrap(), "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let docs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("documents.json")).unwrap())
            .unwrap();
    let all_roles = r.json(&["roles"], 0);
    let mut compared = 0;
    for row in all_roles["documents"].as_array().unwrap() {
        let d = docs
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["doc"] == row["doc"])
            .unwrap();
        assert_eq!(d["at_the_table"], row["at_the_table"], "{}", row["doc"]);
        assert_eq!(
            d["at_the_table_of"], row["at_the_table_of"],
            "{}",
            row["doc"]
        );
        compared += 1;
    }
    assert!(compared >= 78);
    // "urban" is never an actor.
    let urban_actor = r.json(
        &[
            "kwic",
            "--doc",
            "nua-2016",
            "--concept",
            "urban",
            "--role",
            "actor",
        ],
        1,
    );
    assert!(urban_actor["mentions"].as_array().unwrap().is_empty());
}

#[test]
fn issue21_the_report_totals_add_up_or_say_what_they_share() {
    let html = crate::report::report_html();
    let text = |s: &str| {
        let mut out = String::new();
        let mut tag = false;
        for c in s.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&amp;", "&")
    };
    // The headline: every text once, by the share's one definition, as roles counts it.
    let roles = real().json(&["roles"], 0);
    let (mut actor, mut of) = (0, 0);
    for d in roles["documents"].as_array().unwrap() {
        actor += d["roles"]["actor"].as_u64().unwrap();
        of += d["at_the_table_of"].as_u64().unwrap();
    }
    let headline =
        format!("Cities and their governments are at the table in {actor} of {of} mentions");
    assert!(html.contains(&headline), "{headline}");
    // The UNFCCC row says what it shares with a row above it, and the chart's note says the
    // rows' n add up to more than the headline for that reason.
    let flat = text(html);
    assert!(
        flat.contains("UNFCCC decisions 1995–2022, includes Decision 1/CP.21, shown above"),
        "the group row does not say it holds decision 1/CP.21"
    );
    assert!(flat.contains("has a row of its own and is in the UNFCCC decisions too"));
    // The role bars in numbers: each row's n is roles' denominator for it.
    let rows = crate::report::elements(html, "<tr data-doc=", "</tr>");
    assert!(!rows.is_empty());
    // No slip of wording.
    for slip in [
        "Scope. scope:",
        "How 1 texts",
        "()",
        "; names </li>",
        "hover",
    ] {
        assert!(!flat.contains(slip) && !html.contains(slip), "{slip}");
    }
    assert!(
        flat.contains("How 78 documents (79 texts"),
        "the head counts documents"
    );
}

#[test]
fn issue21_a_dropped_document_gets_its_next_step() {
    let dir = project(
        "dropped",
        &[(
            "mayors_declaration_2023.txt",
            b"Mayors Declaration 2023\n\n1. We, the mayors of the cities of the world, commit to act.\n",
        )],
    );
    let o = run_with(&dir, None, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for want in [
        "mayors_declaration_2023.txt is not in the manifest",
        "[[document]]",
        "id = \"mayors-declaration-2023\"",
        "adopted = 2023",
        "file = \"mayors_declaration_2023.txt\"",
        "sha256 = \"",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    let o = run_with(&dir, None, &["docs"]);
    assert!(
        stdout(&o).contains("add to corpus/manifest.toml"),
        "{}",
        stdout(&o)
    );
    let v = json_of(&run_with(&dir, None, &["docs", "--format", "json"]));
    let entry = v["documents"][0]["manifest_entry"]
        .as_str()
        .unwrap()
        .to_string();
    // The entry, pasted with a kind, is a manifest that loads; the document moves to it.
    let pasted = entry
        .replace("kind = \"\"", "kind = \"declaration\"")
        .replace("id = \"mayors-declaration-2023\"", "id = \"mayors-2023\"");
    std::fs::write(dir.join("manifest.toml"), pasted).unwrap();
    let v = json_of(&run_with(&dir, None, &["index", "--format", "json"]));
    assert_eq!(v["added"], serde_json::json!(["mayors-2023"]), "{v:#}");
    assert!(v["removed"].as_array().unwrap().is_empty(), "{v:#}");
    assert_eq!(v["moved"][0]["file"], "mayors-declaration-2023", "{v:#}");
    // A manifest document without an address gets advice that is not empty.
    std::fs::write(
        dir.join("manifest.toml"),
        "[[document]]\nid = \"lost\"\ntitle = \"Lost\"\nshort = \"Lost\"\nlanguage = \"en\"\nfile = \"lost.en.txt\"\n",
    )
    .unwrap();
    let v = json_of(&run_with(&dir, None, &["docs", "--format", "json"]));
    let lost = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "lost")
        .unwrap()
        .clone();
    let reason = lost["reason"].as_str().unwrap();
    assert!(
        reason.contains("no address") && reason.contains("lost.en.txt"),
        "{reason}"
    );
}

#[test]
fn issue21_capitals_alone_make_no_place_name_and_gold_states_actor_precision() {
    let dir = project(
        "capitals",
        &[(
            "caps.en.txt",
            b"1. The CITIES are growing fast.\n2. The Cities' mayors act together.\n3. The conference was held in Quezon City, the Philippines.\n",
        )],
    );
    assert!(run_with(&dir, None, &["index"]).status.success());
    let v = json_of(&run_with(
        &dir,
        None,
        &["kwic", "--concept", "city", "--format", "json"],
    ));
    let rules: Vec<(&str, &str)> = v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["unit"].as_str().unwrap(), m["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(rules.len(), 3, "{rules:?}");
    for (unit, rule) in &rules {
        assert_eq!(
            *rule == "ceremonial.place-name",
            *unit == "para. 3",
            "{unit}: {rule}"
        );
    }
    let r = real();
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "roles",
            "--gold",
            crate::util::root()
                .join("../shared/roles/dev.tsv")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("actor (at the table): precision"),
        "{}",
        stdout(&o)
    );
}

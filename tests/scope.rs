//! Issue 15: one selection and one scope, shared by every command — the same totals from
//! `count`, `roles`, `kwic`, `export` and `report`, for every document of the real corpus.

use std::collections::BTreeMap;

use crate::util::*;

type Totals = BTreeMap<String, u64>;

fn ids_of(v: &serde_json::Value, key: &str, id: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[id].as_str().unwrap().to_string())
        .collect()
}

fn count_totals(args: &[&str]) -> Totals {
    let v = real().json(&[&["count"], args].concat(), 0);
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_string(), total_mentions(d)))
        .collect()
}

fn roles_totals(scope: &[&str]) -> Totals {
    let v = real().json(&[&["roles"], scope].concat(), 0);
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            // The shares are null exactly when there is nothing to share.
            let n = d["mentions"].as_u64().unwrap();
            assert_eq!(d["deferential"].is_null(), n == 0, "{d}");
            let of = d["at_the_table_of"].as_u64().unwrap();
            assert_eq!(d["at_the_table"].is_null(), of == 0, "{d}");
            (d["doc"].as_str().unwrap().to_string(), n)
        })
        .collect()
}

/// kwic's lines per document over every concept, zeros filled in for `ids`.
fn kwic_totals(scope: &[&str], ids: &[String]) -> Totals {
    let mut t: Totals = ids.iter().map(|i| (i.clone(), 0)).collect();
    for c in CONCEPTS {
        let o = run(
            &real().corpus,
            &real().index,
            &[&["kwic", "--concept", c, "--format", "json"], scope].concat(),
        );
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for m in v["mentions"].as_array().unwrap() {
            assert_eq!(m["name"], false, "names are listed only with --names");
            *t.entry(m["doc"].as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    t
}

fn export_totals(scope: &[&str], ids: &[String]) -> Totals {
    let dir = tempdir("scope-export");
    let o = run(
        &real().corpus,
        &real().index,
        &[
            &["export", "--out", dir.to_str().unwrap(), "--format", "json"],
            scope,
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mentions.json")).unwrap()).unwrap();
    let mut t: Totals = ids.iter().map(|i| (i.clone(), 0)).collect();
    for m in rows.as_array().unwrap() {
        assert_eq!(m["name"], false);
        *t.entry(m["doc"].as_str().unwrap().to_string()).or_default() += 1;
    }
    // The scope is written beside the tables.
    let scope_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scope.json")).unwrap()).unwrap();
    assert_eq!(scope_json["toc"], scope.contains(&"--include-toc"));
    t
}

/// The report's figures: (headline rows, every-mention lists), each id → mentions.
fn report_totals(scope: &[&str]) -> (Totals, Totals) {
    let out = tempdir("scope-report").join("r.html");
    let o = run(
        &real().corpus,
        &real().index,
        &[&["report", "--out", out.to_str().unwrap()], scope].concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    let grab = |tag: &str| -> Totals {
        html.split(tag)
            .skip(1)
            .map(|rest| {
                let id = rest
                    .split("data-doc=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let n = rest
                    .split("data-mentions=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                (id.to_string(), n.parse().unwrap())
            })
            .collect()
    };
    (grab("<tr class=\"instrument\""), grab("<details id="))
}

fn same_totals_everywhere(scope: &[&str]) {
    let count = count_totals(scope);
    let ids: Vec<String> = count.keys().cloned().collect();
    assert!(ids.len() >= 78, "{}", ids.len());
    assert_eq!(roles_totals(scope), count, "roles vs count {scope:?}");
    assert_eq!(kwic_totals(scope, &ids), count, "kwic vs count {scope:?}");
    assert_eq!(
        export_totals(scope, &ids),
        count,
        "export vs count {scope:?}"
    );
    // The report's documents are instruments: the Paris PDF is its two parts, each counted
    // with --doc like any document. Its table has a row per instrument (and one for the
    // UNFCCC decisions together); its lists of mentions one per document with mentions.
    let (mut headline, lists) = report_totals(scope);
    let group = headline.remove("unfccc-decisions").unwrap();
    let mut by_id: Vec<&str> = Vec::new();
    for id in headline.keys().chain(lists.keys()) {
        by_id.extend(["--doc", id.as_str()]);
    }
    let each = count_totals(&[by_id.as_slice(), scope].concat());
    for (id, n) in &headline {
        assert_eq!(Some(n), each.get(id), "report row of {id} {scope:?}");
    }
    for (id, n) in &lists {
        assert_eq!(Some(n), each.get(id), "report list of {id} {scope:?}");
    }
    let decisions = count_totals(&[&["--kind", "decision"], scope].concat());
    assert_eq!(
        group,
        decisions.values().sum::<u64>(),
        "UNFCCC group {scope:?}"
    );
    assert!(headline.contains_key("paris-agreement") && !headline.contains_key("paris-2015"));
    let parts = each.get("decision-1-cp21").copied().unwrap_or(0)
        + each.get("paris-agreement").copied().unwrap_or(0);
    assert_eq!(
        parts, count["paris-2015"],
        "the parts cover the document once"
    );
    // Every other document with a mention has its list, with count's figure.
    for (id, n) in count.iter().filter(|(i, n)| **n > 0 && *i != "paris-2015") {
        assert_eq!(lists.get(id), Some(n), "{id} {scope:?}");
    }
}

#[test]
fn issue15_every_command_gives_the_same_totals_for_every_document() {
    same_totals_everywhere(&[]);
    same_totals_everywhere(&["--include-toc"]);
    same_totals_everywhere(&["--no-footnotes"]);
    // Contents do hold mentions, so the two scopes are not the same question.
    let (a, b) = (count_totals(&[]), count_totals(&["--include-toc"]));
    assert!(b.values().sum::<u64>() > a.values().sum::<u64>());
}

#[test]
fn issue15_selection_by_kind_year_binding_and_language() {
    let ids = |args: &[&str]| {
        ids_of(
            &real().json(&[&["count"], args].concat(), 0),
            "documents",
            "id",
        )
    };
    // A filter on what an instrument is reaches inside the Paris PDF.
    assert_eq!(ids(&["--kind", "treaty"]), ["paris-agreement"]);
    assert_eq!(ids(&["--binding", "yes"]), ["paris-agreement"]);
    let decisions = ids(&["--kind", "decision"]);
    assert!(decisions.contains(&"decision-1-cp21".to_string()));
    assert!(
        !decisions
            .iter()
            .any(|i| i == "paris-2015" || i == "paris-agreement")
    );
    // Non-binding: everything but the Agreement, the decision in place of the Paris PDF.
    let all = ids(&[]);
    let soft = ids(&["--binding", "no"]);
    assert_eq!(soft.len(), all.len());
    assert!(soft.contains(&"decision-1-cp21".to_string()));
    assert_eq!(ids(&["--lang", "es"]), ["cma4-add2-es"]);
    // Years: both ends included; every row is of those years; the docs listing agrees.
    let v = real().json(&["count", "--year", "1995..1997"], 0);
    let years: Vec<u64> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["year"].as_u64().unwrap())
        .collect();
    assert!(
        years.contains(&1995)
            && years.contains(&1997)
            && years.iter().all(|y| (1995..=1997).contains(y))
    );
    assert_eq!(v["scope"]["year"], "1995..1997");
    let listed = real().json(&["docs", "--year", "1995..1997"], 0);
    let indexed: Vec<String> = listed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "indexed" && d["in_totals"] == true)
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids(&["--year", "1995..1997"]), indexed);
    // Filters combine; the same selection means the same rows in roles and export.
    let r = real().json(&["roles", "--kind", "decision", "--year", "2015"], 0);
    assert_eq!(
        ids_of(&r, "documents", "doc"),
        ids(&["--kind", "decision", "--year", "2015"])
    );
    // A typo is an error, not an empty answer.
    for bad in [
        &["count", "--kind", "treatys"][..],
        &["count", "--lang", "de"],
        &["count", "--year", "2022..1995"],
        &["count", "--binding", "maybe"],
        &["kwic", "--concept", "city", "--kind", "nope"],
    ] {
        let o = run(&real().corpus, &real().index, bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stdout(&o));
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn issue15_rows_sort_by_year_then_id_and_show_the_year() {
    let v = real().json(&["count"], 0);
    let rows: Vec<(u64, String)> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["year"].as_u64().unwrap(),
                d["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted);
    // cmp2 (2006) before cmp10 (2014), as the years say, not as text sorts.
    let at = |id: &str| rows.iter().position(|r| r.1 == id).unwrap();
    assert!(at("cmp2-add1") < at("cmp10-add1"), "{rows:?}");
    let by_id = ids_of(
        &real().json(&["count", "--sort", "id"], 0),
        "documents",
        "id",
    );
    let mut want = by_id.clone();
    want.sort();
    assert_eq!(by_id, want);
    // The table shows the year, and under it the scope in one line.
    let o = run(
        &real().corpus,
        &real().index,
        &["count", "--concept", "city"],
    );
    let text = stdout(&o);
    let head: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(head[..3], ["document", "year", "lang"], "{text}");
    let tail: Vec<&str> = text.trim_end().lines().rev().take(3).collect();
    assert!(
        tail[2].starts_with("scope: every document counted in totals; body and footnotes"),
        "{text}"
    );
    assert!(tail[1].starts_with("dispersion"), "{text}");
    // and the manifest's documents the corpus lacks, so the table does not read as complete.
    assert!(
        tail[0].starts_with("missing: gcr-2018 (A/73/12 (Part II))"),
        "{text}"
    );
    // CSV is only rows; JSON carries the scope.
    let csv = stdout(&run(
        &real().corpus,
        &real().index,
        &["count", "--format", "csv"],
    ));
    assert!(!csv.contains("scope:"));
    for cmd in [
        &["count"][..],
        &["roles"],
        &["kwic", "--concept", "city"],
        &["claims"],
    ] {
        let v = real().json(cmd, 0);
        assert_eq!(v["scope"]["toc"], false, "{cmd:?}");
        assert_eq!(v["scope"]["footnotes"], true, "{cmd:?}");
        assert_eq!(v["scope"]["names"], false, "{cmd:?}");
    }
}

#[test]
fn issue15_kwic_and_roles_carry_term_concept_citation_and_flags_apart() {
    let r = real();
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "kwic",
            "--doc",
            "paris-2015",
            "--concept",
            "subnational",
            "--format",
            "csv",
        ],
    );
    let csv = stdout(&o);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let v = r.json(
        &["kwic", "--doc", "paris-2015", "--concept", "subnational"],
        0,
    );
    let first = &v["mentions"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(header, keys, "CSV and JSON carry the same fields");
    for k in ["term", "concept", "citation", "role", "deferential"] {
        assert!(header.contains(&k), "{k}");
    }
    assert!(
        first["citation"]
            .as_str()
            .unwrap()
            .contains("FCCC/CP/2015/10/Add.1")
    );
    // The role column holds a role only.
    let roles = ["actor", "target", "level", "setting", "ceremonial", "none"];
    let role_at = header.iter().position(|h| *h == "role").unwrap();
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| roles.iter().any(|r| l.contains(&format!(",{r},"))))
    );
    assert!(!csv.contains("(deferential)") && role_at > 0);
    // `--deferential` keeps the deferential mentions, and only them (the concordance filter).
    let all = r.json(&["kwic", "--concept", "local_government"], 0);
    let want: Vec<&serde_json::Value> = all["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["deferential"] == true)
        .collect();
    assert!(!want.is_empty(), "the real corpus has deferential mentions");
    let only = r.json(
        &["kwic", "--concept", "local_government", "--deferential"],
        0,
    );
    assert_eq!(
        only["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        want
    );
    // An empty answer is still a table a script can read: the header alone.
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "kwic",
            "--doc",
            "paris-agreement",
            "--term",
            "city",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o)
            .lines()
            .next()
            .unwrap()
            .split(',')
            .collect::<Vec<_>>(),
        keys
    );
    // roles takes --concept and --term, and its figures are count's for the same question.
    let count = r.json(&["count", "--concept", "city"], 0);
    let roles = r.json(&["roles", "--concept", "city"], 0);
    for (c, d) in count["documents"]
        .as_array()
        .unwrap()
        .iter()
        .zip(roles["documents"].as_array().unwrap())
    {
        assert_eq!(c["id"], d["doc"]);
        assert_eq!(c["concepts"]["city"]["count"], d["mentions"], "{}", c["id"]);
    }
    let t = r.json(&["roles", "--doc", "gcm-2018", "--term", "urban"], 0);
    assert_eq!(t["documents"][0]["mentions"], 1);
    // No mention, no share: null in JSON, empty in CSV (never 0).
    let z = r.json(&["roles", "--doc", "gcm-2018", "--concept", "mayor"], 0);
    assert!(z["documents"][0]["at_the_table"].is_null());
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "roles",
            "--doc",
            "gcm-2018",
            "--concept",
            "mayor",
            "--format",
            "csv",
        ],
    );
    let line = stdout(&o).lines().nth(1).unwrap().to_string();
    assert!(line.ends_with(",0,,0,"), "{line}");
    let o = run(&r.corpus, &r.index, &["roles", "--concept", "citys"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn issue15_an_empty_corpus_folder_is_an_error_that_changes_nothing() {
    let dir = tempdir("empty-corpus");
    let (corpus, index) = (dir.join("corpus"), dir.join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "Cities and local authorities act.\n").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_file(corpus.join("a.txt")).unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no document") && stderr(&o).contains("nothing was changed"),
        "{}",
        stderr(&o)
    );
    // The cron job's unmounted folder did not empty the index.
    let v = json(&corpus, &index, &["count"], 0);
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    let o = run(&corpus, &index, &["update", "--offline"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn issue15_a_failed_document_says_it_failed_and_is_never_suggested() {
    let dir = tempdir("failed-doc");
    let (corpus, index) = (dir.join("corpus"), dir.join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("bad.pdf"), "%PDF-1.4 not a PDF").unwrap();
    std::fs::write(corpus.join("good.txt"), "Cities act.\n").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = run(&corpus, &index, &["count", "--doc", "bad"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad could not be indexed from bad.pdf: unreadable PDF"),
        "{}",
        stderr(&o)
    );
    // A typo is offered the indexed documents only.
    let o = run(
        &corpus,
        &index,
        &["kwic", "--term", "cities", "--doc", "bda"],
    );
    assert!(stderr(&o).contains("did you mean good?"), "{}", stderr(&o));
}

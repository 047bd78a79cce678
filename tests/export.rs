//! Exports for R and pandas, and Markdown tables for briefs.

use crate::util::*;

#[test]
fn export_writes_tidy_tables_that_agree_with_count_and_kwic() {
    let r = real();
    let dir = tempdir("export");
    for (format, ext) in [("csv", "csv"), ("jsonl", "jsonl"), ("json", "json")] {
        let out = dir.join(format);
        let o = run(
            &r.corpus,
            &r.index,
            &[
                "export",
                "--doc",
                "paris-2015",
                "--doc",
                "gcm-objectives-2018",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        for name in ["documents", "units", "mentions"] {
            assert!(
                out.join(format!("{name}.{ext}")).exists(),
                "{format} {name}"
            );
        }
    }
    let csv = std::fs::read_to_string(dir.join("csv/mentions.csv")).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "doc,unit,page,term,concept,name,matched,offset,role,rule,deferential,toc,citation,left,right,in_share"
    );
    let jsonl = std::fs::read_to_string(dir.join("jsonl/mentions.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let k = r.json(
        &[
            "kwic",
            "--concept",
            "city",
            "--doc",
            "paris-2015",
            "--doc",
            "gcm-objectives-2018",
            "--include-toc",
        ],
        0,
    );
    let cities = rows.iter().filter(|m| m["concept"] == "city").count();
    assert_eq!(cities, k["mentions"].as_array().unwrap().len());
    let c133 = rows
        .iter()
        .find(|m| m["unit"] == "decision 1/CP.21, para. 133" && m["term"] == "cities")
        .unwrap();
    assert_eq!(
        c133["citation"],
        "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"
    );
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("json/documents.json")).unwrap())
            .unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs.iter().find(|d| d["doc"] == "paris-2015").unwrap()["sha256"],
        "4a150715027b5fe4a6ee00d438270ad6d1746d39f74a93619226d147cd6a0714"
    );
    // jsonl is for export only.
    let o = run(&r.corpus, &r.index, &["count", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn markdown_tables_for_briefs() {
    let o = run(
        &real().corpus,
        &real().index,
        &[
            "count",
            "--doc",
            "paris-2015",
            "--concept",
            "city",
            "--format",
            "md",
        ],
    );
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "| document | year | lang | words | city | city/10k | names |\n|---|---|---|---|---|---|---|\n| paris-2015 | 2015 | en | 16019 | 2 | 1.25 | 0 |\n"
    );
}

/// Fields of each CSV record (RFC 4180: quoted fields may hold commas, quotes and newlines).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let (mut rec, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => rec.push(std::mem::take(&mut field)),
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut rec));
            }
            (false, c) => field.push(c),
        }
    }
    out
}

/// Issue 15 (begun): R's read.csv shifted every column of `docs` when its header had a field
/// fewer than its rows. Every command's CSV has as many fields in each row as in its header.
#[test]
fn every_csv_header_has_as_many_fields_as_each_row() {
    let real = real();
    for args in [
        vec!["docs"],
        vec!["count"],
        vec!["count", "--by", "unit", "--doc", "paris-agreement"],
        vec!["kwic", "--term", "cities"],
        vec!["search", "cities"],
        vec!["roles"],
        vec!["roles", "--by", "unit", "--doc", "gcm-2018"],
        vec!["claims"],
    ] {
        let mut all = args.clone();
        all.extend(["--format", "csv"]);
        let o = run(&real.corpus, &real.index, &all);
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            stderr(&o)
        );
        let recs = csv_records(&stdout(&o));
        assert!(recs.len() > 1, "{args:?}: no rows");
        for (k, r) in recs.iter().enumerate() {
            assert_eq!(
                r.len(),
                recs[0].len(),
                "{args:?} row {k}: {r:?} under {:?}",
                recs[0]
            );
        }
    }
}

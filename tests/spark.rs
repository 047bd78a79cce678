//! The Spark job (`spark/menutable_spark.py`) in local mode on the real corpus: its counts
//! are `count`'s for every document and part, its tables have the types R and pandas expect,
//! and an index built `--from` its output answers byte for byte as the index `index` builds.
//! Needs `spark-submit` (pyspark), Java 17 and pyarrow: `scripts/test.sh` installs them.

use std::process::Command;

use crate::util::*;

/// Runs Python with pyarrow on `script` (reading `args`), its stdout.
fn python(script: &str, args: &[&str]) -> String {
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "python: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// `spark-submit` from the pyspark package itself: pip under pyenv puts its scripts where
/// PATH sees them only after a rehash, and the package always has its own.
fn spark_submit() -> Command {
    let home = python(
        "import os, pyspark\nprint(os.path.dirname(pyspark.__file__))",
        &[],
    );
    Command::new(std::path::Path::new(home.trim()).join("bin/spark-submit"))
}

#[test]
fn issue25_spark_counts_equal_count_and_an_index_from_its_tables_answers_the_same_bytes() {
    let real = real();
    let out = tempdir("spark").join("out");
    let mut job = spark_submit();
    job.current_dir(root())
        .args([
            "--master",
            "local[2]",
            "spark/menutable_spark.py",
            "--corpus",
        ])
        .arg(&real.corpus)
        .args(["--manifest", "corpus/manifest.toml", "--binary"])
        .arg(env!("CARGO_BIN_EXE_menutable"))
        .arg("--out")
        .arg(&out);
    let o = run_bounded(job, 900);
    assert!(o.status.success(), "spark-submit: {}", stderr(&o));

    // The counts table, one row per document (or part) and concept.
    let rows = python(
        "import sys, pyarrow.parquet as pq\nfor r in pq.read_table(sys.argv[1]).to_pylist(): print(r['doc'], r['concept'], r['count'], r['names'])",
        &[out.join("counts").to_str().unwrap()],
    );
    let spark: std::collections::BTreeMap<(String, String), (u64, u64)> = rows
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (
                (f[0].to_string(), f[1].to_string()),
                (f[2].parse().unwrap(), f[3].parse().unwrap()),
            )
        })
        .collect();
    let docs: std::collections::BTreeSet<&str> = spark.keys().map(|k| k.0.as_str()).collect();
    let indexed = real.json(&["docs"], 0);
    let every: Vec<&str> = indexed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "indexed")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(every.len() > 70);
    for id in &every {
        assert!(docs.contains(id), "{id} has no row in Spark's counts");
        let c = real.json(&["count", "--doc", id], 0);
        let d = &c["documents"][0];
        for (concept, x) in d["concepts"].as_object().unwrap() {
            assert_eq!(
                spark.get(&(id.to_string(), concept.clone())),
                Some(&(x["count"].as_u64().unwrap(), x["names"].as_u64().unwrap())),
                "{id} {concept}"
            );
        }
    }

    // Types as R and pandas read them: integers, years as integers, booleans, null where the
    // CSV would be empty.
    let schema = python(
        "import sys, pyarrow.dataset as ds\nfor t in ['documents', 'units', 'mentions']:\n    s = ds.dataset(sys.argv[1] + '/' + t, format='parquet', partitioning='hive').schema\n    print(t, *[f'{n}:{s.field(n).type}' for n in s.names])",
        &[out.to_str().unwrap()],
    );
    for want in [
        "year:int32",
        "pages:int64",
        "binding:bool",
        "offset:int64",
        "page:int64",
        "deferential:bool",
        "ordinal:int64",
    ] {
        assert!(schema.contains(want), "{want} in {schema}");
    }

    // An index built from Spark's output answers as the index `index` built.
    let from = tempdir("spark-index").join("index");
    let o = run(
        &real.corpus,
        &from,
        &["index", "--from", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "index --from: {}", stderr(&o));
    for args in [
        &["count", "--format", "csv"][..],
        &["count", "--by", "unit", "--format", "csv"],
        &["roles", "--format", "csv"],
        &["kwic", "--concept", "city", "--format", "csv"],
        &["kwic", "--concept", "local_government", "--format", "json"],
        &[
            "kwic",
            "--term",
            "urban",
            "--names",
            "--include-toc",
            "--format",
            "csv",
        ],
    ] {
        assert_eq!(
            run(&real.corpus, &from, args).stdout,
            run(&real.corpus, &real.index, args).stdout,
            "{args:?}"
        );
    }
}

/// The worker and `index` share one code path: the worker's line for a file holds exactly the
/// records `index` wrote for it, and a file that fails says why, as `index` says it.
#[test]
fn issue25_the_workers_lines_are_what_index_makes_of_each_file() {
    let dir = tempdir("worker");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.en.txt"),
        "1. The cities act.\n2. Local authorities lead.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("broken.pdf"), b"%PDF-1.4 not really").unwrap();
    let o = run(&corpus, &dir.join("index"), &["worker"]);
    assert_eq!(o.status.code(), Some(3), "some file failed: {}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let o = run(&corpus, &dir.join("index"), &["index"]);
    assert_eq!(o.status.code(), Some(3));
    let docs = json(&corpus, &dir.join("index"), &["docs"], 0);
    let a = lines.iter().find(|l| l["file"] == "a.en.txt").unwrap();
    assert_eq!(a["status"], "indexed");
    let rec = &a["documents"][0]["record"];
    let doc = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == rec["meta"]["id"])
        .unwrap();
    assert_eq!(doc["words"], rec["words"]);
    assert_eq!(doc["units"], rec["units"]);
    assert_eq!(a["documents"][0]["mentions"].as_array().unwrap().len(), 2);
    // The same files named on standard input: the same lines; a path outside the folder or
    // missing is a line that says why.
    let mut c = menutable();
    c.arg("--corpus")
        .arg(&corpus)
        .args(["--index"])
        .arg(dir.join("index"))
        .args(["worker", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"a.en.txt\n../../etc/passwd\nnone.pdf\n",
    )
    .unwrap();
    drop(child.stdin.take());
    let o = child.wait_with_output().unwrap();
    let named: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(named.len(), 3);
    let named_line = |file: &str| named.iter().find(|l| l["file"] == file).unwrap();
    assert_eq!(
        named_line("a.en.txt")["documents"],
        a["documents"],
        "the same line for a.en.txt"
    );
    let outside = named_line("../../etc/passwd");
    assert_eq!(outside["status"], "unreadable");
    assert!(
        outside["reason"]
            .as_str()
            .unwrap()
            .contains("inside the corpus folder")
    );
    assert_eq!(named_line("none.pdf")["status"], "unreadable");
    // Shares of the folder (`--shard K/N`, what the Spark job runs on a folder its executors
    // see): every file in exactly one, with the line of the whole folder's scan.
    let mut shared = Vec::new();
    for k in 0..3 {
        let share = format!("{k}/3");
        let o = run(&corpus, &dir.join("index"), &["worker", "--shard", &share]);
        for l in stdout(&o).lines() {
            shared.push(serde_json::from_str::<serde_json::Value>(l).unwrap());
        }
    }
    shared.sort_by_key(|l| l["file"].as_str().unwrap().to_string());
    let mut whole = lines.clone();
    whole.sort_by_key(|l| l["file"].as_str().unwrap().to_string());
    assert_eq!(shared, whole);
    let o = run(&corpus, &dir.join("index"), &["worker", "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0 <= K < N"), "{}", stderr(&o));
    let broken = lines.iter().find(|l| l["file"] == "broken.pdf").unwrap();
    assert_eq!(broken["status"], "failed");
    let reason = broken["reason"].as_str().unwrap();
    let said = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "failed")
        .unwrap();
    assert!(
        said["reason"].as_str().unwrap().contains(reason),
        "{reason} / {said}"
    );
}

/// `index --from` takes the lines of several files (blank lines between), reading each again
/// when its turn comes; a line counted with another lexicon is refused for its file, with the
/// reason, and the index is never a mix: with the lexicon it was made with, the same line is
/// indexed.
#[test]
fn issue25_index_from_refuses_a_line_made_with_another_lexicon() {
    let dir = tempdir("from-lexicon");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "1. The cities act.\n").unwrap();
    std::fs::write(corpus.join("b.en.txt"), "1. The towns act.\n").unwrap();
    let lexicon = dir.join("lexicon.toml");
    let builtin =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/lexicon.toml"))
            .unwrap();
    std::fs::write(
        &lexicon,
        builtin.replace(
            r#"en = ["city", "cities"]"#,
            r#"en = ["city", "cities", "towns"]"#,
        ),
    )
    .unwrap();
    let lines = dir.join("lines");
    std::fs::create_dir_all(&lines).unwrap();
    let lex = lexicon.to_str().unwrap();
    let o = run(&corpus, &dir.join("x"), &["--lexicon", lex, "worker"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let (first, second) = text.split_once('\n').unwrap();
    std::fs::write(lines.join("one.jsonl"), format!("{first}\n\n")).unwrap();
    std::fs::write(lines.join("two.jsonl"), second).unwrap();
    let from = lines.to_str().unwrap();
    let o = run(&corpus, &dir.join("plain"), &["index", "--from", from]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let docs = json(&corpus, &dir.join("plain"), &["docs"], 0);
    let failed: Vec<_> = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{docs}");
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("another lexicon"),
        "{docs}"
    );
    let o = run(
        &corpus,
        &dir.join("same"),
        &["--lexicon", lex, "index", "--from", from],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let from_lines = run(
        &corpus,
        &dir.join("same"),
        &["--lexicon", lex, "count", "--format", "csv"],
    );
    let o = run(&corpus, &dir.join("direct"), &["--lexicon", lex, "index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let direct = run(
        &corpus,
        &dir.join("direct"),
        &["--lexicon", lex, "count", "--format", "csv"],
    );
    assert_eq!(stdout(&from_lines), stdout(&direct));
    assert!(stdout(&direct).contains("b-en,"), "{}", stdout(&direct));
}

/// `export --format parquet` writes the same three tables as `export` (CSV), typed: every
/// cell equal, an empty CSV cell a null, integers and years integers, flags booleans.
#[test]
fn issue25_export_parquet_is_the_csv_export_typed() {
    let real = real();
    let dir = tempdir("export-parquet");
    for (format, sub) in [("csv", "csv"), ("parquet", "parquet")] {
        let o = run(
            &real.corpus,
            &real.index,
            &[
                "export",
                "--out",
                dir.join(sub).to_str().unwrap(),
                "--format",
                format,
            ],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
    }
    let said = python(
        r#"
import csv, sys, pyarrow.parquet as pq
base = sys.argv[1]
for t in ["documents", "units", "mentions"]:
    rows = list(csv.DictReader(open(f"{base}/csv/{t}.csv", newline="", encoding="utf-8")))
    table = pq.read_table(f"{base}/parquet/{t}.parquet")
    got = table.to_pylist()
    assert len(rows) == len(got) > 0, (t, len(rows), len(got))
    assert list(rows[0].keys()) == table.schema.names, (t, list(rows[0].keys()), table.schema.names)
    for r, g in zip(rows, got):
        for k, v in r.items():
            x = g[k]
            if v == "":
                ok = x is None or x == ""
            elif isinstance(x, bool):
                ok = v == ("true" if x else "false")
            elif isinstance(x, int):
                ok = int(v) == x
            elif isinstance(x, float):
                ok = abs(float(v) - x) < 1e-9
            else:
                # The CSV neutralises what a spreadsheet would run as a formula (a leading ').
                ok = v == x or (v == "'" + x and x[:1] in ("=", "+", "-", "@", "\t", "\r"))
            assert ok, (t, k, v, x)
    types = {f.name: str(f.type) for f in table.schema}
    print(t, len(got), types.get("year", ""), types.get("pages", ""), types.get("page", ""), types.get("binding", ""), types.get("deferential", ""))
"#,
        &[dir.to_str().unwrap()],
    );
    assert!(
        said.contains("documents") && said.contains("mentions"),
        "{said}"
    );
    assert!(
        said.contains("int32 int64"),
        "year int32, pages int64: {said}"
    );
    assert!(said.contains("bool"), "{said}");
}

/// A file that kills the worker (here: `MENUTABLE_ABORT_ON`, the tests' stand-in for a crash)
/// costs that file only: the partition is run again file by file, the file is a failed row
/// with its reason, the others are indexed.
#[test]
fn issue25_a_file_that_kills_the_worker_is_a_failed_row_not_a_lost_partition() {
    let dir = tempdir("spark-kill");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "1. The cities act.\n").unwrap();
    std::fs::write(corpus.join("sub/b.en.txt"), "1. The mayors meet.\n").unwrap();
    std::fs::write(corpus.join("c.en.txt"), "1. Local authorities lead.\n").unwrap();
    // A name Hadoop's listing (binaryFiles) leaves out: read in place, or a row saying why.
    std::fs::write(corpus.join("_d.en.txt"), "1. Cities again.\n").unwrap();
    let manifest = dir.join("manifest.toml");
    std::fs::write(&manifest, "").unwrap();
    // Both ways the job hands files to the worker: a share of the folder read in place (a
    // local folder), and the files copied through binaryFiles (`--copy-files`, as a URI's).
    for how in [None, Some("--copy-files")] {
        let out = dir.join(format!("out{}", how.unwrap_or("")));
        let mut job = spark_submit();
        job.current_dir(root())
            .env("MENUTABLE_ABORT_ON", "sub/b.en.txt")
            .args([
                "--master",
                "local[1]",
                "spark/menutable_spark.py",
                "--partitions",
                "1",
            ])
            .args(how)
            .arg("--corpus")
            .arg(&corpus)
            .arg("--manifest")
            .arg(&manifest)
            .arg("--binary")
            .arg(env!("CARGO_BIN_EXE_menutable"))
            .arg("--out")
            .arg(&out);
        let o = run_bounded(job, 600);
        assert!(o.status.success(), "spark-submit {how:?}: {}", stderr(&o));
        let rows = python(
            "import sys, pyarrow as pa, pyarrow.dataset as ds\npart = ds.partitioning(pa.schema([('year', pa.int32())]), flavor='hive')\nfor r in sorted(ds.dataset(sys.argv[1], partitioning=part).to_table().to_pylist(), key=lambda r: r['file']): print(r['file'], r['status'], r['reason'])",
            &[out.join("documents").to_str().unwrap()],
        );
        let lines: Vec<&str> = rows.lines().collect();
        assert_eq!(lines.len(), 4, "{how:?}: {rows}");
        let hidden = match how {
            None => "_d.en.txt indexed",
            Some(_) => "_d.en.txt unreadable Spark's file listing (Hadoop) leaves out names",
        };
        assert!(lines[0].starts_with(hidden), "{how:?}: {rows}");
        assert!(lines[1].starts_with("a.en.txt indexed"), "{how:?}: {rows}");
        assert!(lines[2].starts_with("c.en.txt indexed"), "{how:?}: {rows}");
        assert!(
            lines[3].starts_with("sub/b.en.txt failed")
                && lines[3].contains("the worker stopped on this file"),
            "{how:?}: {rows}"
        );
        // Back into menutable: the file that killed the worker is a failed document with
        // that reason, the others are indexed.
        let index = dir.join(format!("index{}", how.unwrap_or("")));
        let o = menutable()
            .arg("--corpus")
            .arg(&corpus)
            .arg("--manifest")
            .arg(&manifest)
            .arg("--index")
            .arg(&index)
            .args(["index", "--from"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(3), "{how:?}: {}", stderr(&o));
        let o = menutable()
            .arg("--manifest")
            .arg(&manifest)
            .arg("--index")
            .arg(&index)
            .args(["docs", "--format", "csv"])
            .output()
            .unwrap();
        let docs = stdout(&o);
        assert!(
            docs.lines().any(|l| l.starts_with("sub-b-en,")
                && l.contains(",failed,")
                && l.contains("the worker stopped on this file (signal 6, SIGABRT)")),
            "{how:?}: {docs}"
        );
        let indexed = docs.lines().filter(|l| l.contains(",indexed,")).count();
        assert_eq!(
            indexed,
            if how.is_none() { 3 } else { 2 },
            "{how:?}: {docs}"
        );
    }
}

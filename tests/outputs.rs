//! Issue 23: outputs are whole or absent. A failed write (here a file-size limit, the way a
//! full disk fails a write) leaves the previous export or report as it was and names the file;
//! two exports into one folder never splice.

use std::path::Path;
use std::process::Command;

use crate::util::*;

/// The files of a folder (name, bytes), dot files (the lock) left out.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// No temporary file left in `dir`.
fn no_leftovers(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name} left in {}", dir.display());
    }
}

/// `menutable ARGS` on the real corpus with writes limited to `kib` KiB per file: a write past
/// it fails (EFBIG; SIGXFSZ ignored), as a write to a full disk fails.
fn limited(kib: u64, args: &[&str]) -> std::process::Output {
    let r = real();
    let mut line = format!(
        "ulimit -f {kib}; trap '' XFSZ; exec '{}' --corpus '{}' --index '{}'",
        env!("CARGO_BIN_EXE_menutable"),
        r.corpus.display(),
        r.index.display()
    );
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    Command::new("bash")
        .arg("-c")
        .arg(line)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn issue23_a_failed_export_or_report_leaves_the_previous_one_whole_and_names_the_file() {
    let dir = tempdir("atomic-outputs");
    let out = dir.join("export");
    let o = run(
        &real().corpus,
        &real().index,
        &["export", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = files(&out);
    assert_eq!(
        before.len(),
        4,
        "{:?}",
        before.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // units.csv is the largest (several MB): a 512 KiB limit fails it, after documents.csv.
    let o = limited(
        512,
        &[
            "export",
            "--doc",
            "nua-2016",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let o2 = limited(512, &["export", "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a small export fits: {}",
        stderr(&o)
    );
    assert_eq!(o2.status.code(), Some(2), "{}", stderr(&o2));
    let err = stderr(&o2);
    assert!(
        err.contains(&out.join("units.csv").display().to_string()),
        "the error names the file: {err}"
    );
    // The small export replaced the first whole; the failed one changed nothing.
    let small = files(&out);
    assert_ne!(small, before);
    assert!(
        String::from_utf8_lossy(&small[3].1).contains("nua-2016"),
        "scope.json"
    );
    no_leftovers(&out);
    let o = limited(512, &["export", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(files(&out), small, "the previous export stays as it was");
    no_leftovers(&out);

    let report = dir.join("report.html");
    let o = run(
        &real().corpus,
        &real().index,
        &["report", "--out", report.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let good = std::fs::read(&report).unwrap();
    assert!(good.len() > 200 * 1024, "{} bytes", good.len());
    let o = limited(100, &["report", "--out", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("report.html"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&report).unwrap(),
        good,
        "the good report stays"
    );
    no_leftovers(&dir);
}

/// Two exports of different selections into one folder, at once, many times: whichever way
/// they interleave, each either completes or fails saying the folder is being written, and
/// the folder always holds one export whole (every row's document is the one scope.json names).
#[test]
fn issue23_two_exports_into_one_folder_never_splice() {
    let dir = tempdir("export-race");
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let r = real();
    for round in 0..6 {
        let spawn = |doc: &str| {
            menutable()
                .arg("--corpus")
                .arg(&r.corpus)
                .arg("--index")
                .arg(&r.index)
                .args(["export", "--doc", doc, "--out", o])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn("nua-2016");
        let b = spawn("gcm-2018");
        let mut ok = 0;
        for child in [a, b] {
            let res = child.wait_with_output().unwrap();
            match res.status.code() {
                Some(0) => ok += 1,
                Some(2) => assert!(
                    stderr(&res).contains("is being written by process"),
                    "round {round}: {}",
                    stderr(&res)
                ),
                c => panic!("round {round}: exit {c:?}: {}", stderr(&res)),
            }
        }
        assert!(ok >= 1, "round {round}: neither export completed");
        let scope = std::fs::read_to_string(out.join("scope.json")).unwrap();
        let doc = if scope.contains("nua-2016") {
            "nua-2016"
        } else {
            assert!(scope.contains("gcm-2018"), "{scope}");
            "gcm-2018"
        };
        for name in ["documents.csv", "units.csv", "mentions.csv"] {
            let text = std::fs::read_to_string(out.join(name)).unwrap();
            let rows = text
                .lines()
                .skip(1)
                .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()));
            for l in rows {
                assert!(
                    !l.starts_with("nua-2016,") && !l.starts_with("gcm-2018,")
                        || l.starts_with(&format!("{doc},")),
                    "round {round}: {name} has a row of another export than scope.json's ({doc}): {l}"
                );
            }
        }
        no_leftovers(&out);
    }
}

/// Issue 23: an index one may only read can be queried. `index` leaves its files readable as
/// the umask allows (tantivy wrote `meta.json` and `.managed.json` owner-only), and a query
/// writes, creates and locks nothing in the folder: here the folder and its files are made
/// read only and, when the tests run as root (whom permissions do not stop), the queries run
/// as `nobody`.
#[test]
fn issue23_a_read_only_index_answers_every_query_as_a_writable_one() {
    use std::os::unix::fs::PermissionsExt;
    let umask = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Umask:")
                .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
        })
        .unwrap();
    let r = real();
    for name in ["meta.json", ".managed.json"] {
        let mode = std::fs::metadata(r.index.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o666 & !umask, "{name}: {mode:o}");
    }
    let dir = tempdir("readonly-index");
    let index = dir.join("index");
    std::fs::create_dir_all(&index).unwrap();
    for e in std::fs::read_dir(&r.index).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), index.join(e.file_name())).unwrap();
    }
    // The binary too, where `nobody` can run it whatever the checkout's folder allows.
    let bin = dir.join("menutable");
    std::fs::copy(env!("CARGO_BIN_EXE_menutable"), &bin).unwrap();
    let listing = |d: &Path| -> Vec<(String, u64, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let m = e.metadata().unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    m.len(),
                    m.modified().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let set_mode = |mode: u32| {
        for e in std::fs::read_dir(&index).unwrap() {
            let p = e.unwrap().path();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode & 0o666)).unwrap();
        }
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(0o555);
    let before = listing(&index);
    let as_root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    // Everything a query reads is where `nobody` may read it: the project's manifest and
    // claims are copied beside the index, and both runs use the copies.
    let manifest = dir.join("manifest.toml");
    let claims = dir.join("claims.toml");
    std::fs::copy(root().join("corpus/manifest.toml"), &manifest).unwrap();
    std::fs::copy(root().join("corpus/claims.toml"), &claims).unwrap();
    let claims = claims.to_str().unwrap();
    let queries: [&[&str]; 7] = [
        &["count", "--format", "json"],
        &["kwic", "--concept", "local_government", "--format", "json"],
        &["search", "\"local authorities\"", "--format", "json"],
        &["roles", "--format", "json"],
        &["freq", "--limit", "20", "--format", "json"],
        &["claims", claims, "--format", "json"],
        &["docs", "--format", "json"],
    ];
    for q in queries {
        let answer = |index: &Path, as_nobody: bool| {
            let mut c = if as_nobody {
                let mut c = Command::new("setpriv");
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(&bin);
                c
            } else {
                Command::new(&bin)
            };
            let o = c
                .arg("--corpus")
                .arg(&r.corpus)
                .arg("--index")
                .arg(index)
                .arg("--manifest")
                .arg(&manifest)
                .args(q)
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{q:?} on {}: {}",
                index.display(),
                stderr(&o)
            );
            stdout(&o).replace(&index.display().to_string(), "INDEX")
        };
        assert_eq!(answer(&index, as_root), answer(&r.index, false), "{q:?}");
    }
    assert_eq!(listing(&index), before, "a query created or changed a file");
    set_mode(0o755);
}

/// Issue 23: `kwic --limit/--offset` pages through a long answer: the pages, read one after
/// the other, are the whole answer, in every order and format; a page past the end says so.
#[test]
fn issue23_kwic_pages_add_up_to_the_whole_answer() {
    let r = real();
    for sort in ["year", "R1"] {
        let whole = r.json(
            &["kwic", "--concept", "local_government", "--sort", sort],
            0,
        );
        let all = whole["mentions"].as_array().unwrap();
        assert!(all.len() > 100, "{}", all.len());
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let o = run(
                &r.corpus,
                &r.index,
                &[
                    "kwic",
                    "--concept",
                    "local_government",
                    "--sort",
                    sort,
                    "--limit",
                    "37",
                    "--offset",
                    &offset.to_string(),
                    "--format",
                    "json",
                ],
            );
            if o.status.code() == Some(1) {
                assert!(
                    stderr(&o).contains("no line past --offset"),
                    "{}",
                    stderr(&o)
                );
                break;
            }
            assert!(o.status.success(), "{}", stderr(&o));
            let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(page["scope"], whole["scope"]);
            let rows = page["mentions"].as_array().unwrap();
            assert!(!rows.is_empty() && rows.len() <= 37);
            paged.extend(rows.iter().cloned());
            offset += 37;
        }
        assert_eq!(&paged, all, "sort {sort}");
    }
    // CSV: a page is the whole CSV's header and rows k..k+n.
    let csv = stdout(&run(
        &r.corpus,
        &r.index,
        &["kwic", "--concept", "city", "--format", "csv"],
    ));
    let page = stdout(&run(
        &r.corpus,
        &r.index,
        &[
            "kwic",
            "--concept",
            "city",
            "--format",
            "csv",
            "--offset",
            "5",
            "--limit",
            "10",
        ],
    ));
    let records = |t: &str| -> Vec<String> {
        // One record per line: kwic's CSV cells hold no line break (context is one line).
        t.lines().map(str::to_string).collect()
    };
    let (all, page) = (records(&csv), records(&page));
    assert_eq!(page.len(), 11);
    assert_eq!(page[0], all[0]);
    assert_eq!(page[1..], all[6..16]);
}

/// `search --offset` is the next page of the same ranking.
#[test]
fn issue23_search_pages_are_the_same_ranking() {
    let r = real();
    let hits = |args: &[&str]| -> Vec<serde_json::Value> {
        r.json(
            &[&["search", "cities OR \"local authorities\""], args].concat(),
            0,
        )["hits"]
            .as_array()
            .unwrap()
            .clone()
    };
    let all = hits(&["--limit", "60"]);
    assert_eq!(all.len(), 60);
    let mut paged = hits(&["--limit", "25"]);
    paged.extend(hits(&["--limit", "25", "--offset", "25"]));
    paged.extend(hits(&["--limit", "10", "--offset", "50"]));
    let key = |h: &serde_json::Value| format!("{} {} {}", h["doc"], h["unit"], h["score"]);
    assert_eq!(
        paged.iter().map(key).collect::<Vec<_>>(),
        all.iter().map(key).collect::<Vec<_>>()
    );
}

/// `menutable ARGS` on a pseudo-terminal (`script`), stdout and stderr together as a person
/// would see them, with the progress bar allowed at once.
fn on_a_terminal(corpus: &Path, index: &Path, args: &[&str]) -> String {
    let mut line = format!(
        "'{}' --corpus '{}' --index '{}'",
        env!("CARGO_BIN_EXE_menutable"),
        corpus.display(),
        index.display()
    );
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let o = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("MENUTABLE_PROGRESS_AFTER_MS", "0")
        .current_dir(root())
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Issue 23: a progress bar on a terminal, never in a log, with `--quiet` or with JSON.
#[test]
fn issue23_progress_shows_on_a_terminal_only() {
    let dir = tempdir("progress");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for i in 0..12 {
        std::fs::write(
            corpus.join(format!("d{i:02}.en.txt")),
            format!("{}. The cities act.\n", i + 1),
        )
        .unwrap();
    }
    let bar = "/12 files";
    let index = |name: &str| dir.join(name);
    let seen = on_a_terminal(&corpus, &index("a"), &["index"]);
    assert!(seen.contains(bar), "no bar on a terminal: {seen:?}");
    assert!(seen.contains("12 added"), "{seen:?}");
    let quiet = on_a_terminal(&corpus, &index("b"), &["index", "--quiet"]);
    assert!(
        !quiet.contains(bar) && quiet.contains("12 added"),
        "{quiet:?}"
    );
    let as_json = on_a_terminal(&corpus, &index("c"), &["index", "--format", "json"]);
    assert!(
        !as_json.contains(bar) && as_json.contains("\"added\""),
        "{as_json:?}"
    );
    // A cron job's log: not a terminal.
    let o = menutable()
        .arg("--corpus")
        .arg(&corpus)
        .arg("--index")
        .arg(index("d"))
        .arg("index")
        .env("MENUTABLE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!stderr(&o).contains(bar) && !stdout(&o).contains(bar));
    // export draws one over documents too.
    let out = dir.join("export");
    let seen = on_a_terminal(
        &corpus,
        &index("a"),
        &["export", "--out", out.to_str().unwrap()],
    );
    assert!(seen.contains("/12 documents"), "{seen:?}");
}

/// Issue 23: a report over many documents the manifest does not know is about instruments:
/// those documents are one group row (in the answer, the table and the role bars), the list of
/// mentions stops at 2,000 and says how many more `export` lists, and the page stays small.
#[test]
fn issue23_a_report_of_many_unknown_documents_summarises() {
    let dir = tempdir("report-scale");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    let manifest = dir.join("manifest.toml");
    std::fs::write(&manifest, "").unwrap();
    let o = menutable()
        .args([
            "synth",
            "--docs",
            "800",
            "--units-per-doc",
            "100",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let with = |args: &[&str]| {
        menutable()
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .arg("--manifest")
            .arg(&manifest)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(with(&["index"]).status.success());
    let html = dir.join("report.html");
    let o = with(&["report", "--out", html.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    // Every mention, as `export` lists them.
    let out = dir.join("export");
    assert!(
        with(&["export", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let mentions = std::fs::read_to_string(out.join("mentions.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(mentions > 2_000, "{mentions}");
    assert_eq!(page.matches("<li class=\"mention\"").count(), 2_000);
    assert!(
        page.contains(&format!("data-unlisted=\"{}\"", mentions - 2_000)),
        "the rest are counted"
    );
    assert!(page.contains("menutable export --out DIR"));
    // One group row, no row per unknown document.
    assert_eq!(page.matches("<tr class=\"instrument\"").count(), 1);
    assert!(page.contains("The documents not in the manifest</b> (800 documents, together)"));
    assert_eq!(page.matches("<li class=\"answer\"").count(), 1);
    assert!(page.len() < 2_000_000, "{} bytes", page.len());
}

/// Issue 23: a no-change `update` does not read every file again to hash it: a file whose
/// size and modification time are those it was hashed with keeps its sha256 (as rsync and git
/// decide). A file rewritten in place is seen as soon as its time changes; `--rebuild` hashes
/// everything.
#[test]
fn issue23_unchanged_size_and_time_skip_the_hash() {
    let dir = tempdir("known-files");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let file = corpus.join("a.en.txt");
    std::fs::write(&file, "1. The cities act.\n").unwrap();
    assert!(run(&corpus, &index, &["index"]).status.success());
    let when = std::fs::metadata(&file).unwrap().modified().unwrap();
    // Same size, other bytes, the time put back: taken as unchanged, by design.
    std::fs::write(&file, "1. The mayors act.\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(when)
        .unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    assert_eq!(v["replaced"], serde_json::json!([]), "{v:#}");
    let c = json(&corpus, &index, &["count", "--concept", "city"], 0);
    assert_eq!(c["documents"][0]["concepts"]["city"]["count"], 1);
    // The time moves: read again, and the new text counted.
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(when + std::time::Duration::from_secs(5))
        .unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    assert_eq!(v["replaced"], serde_json::json!(["a-en"]), "{v:#}");
    let c = json(&corpus, &index, &["count", "--concept", "mayor"], 0);
    assert_eq!(c["documents"][0]["concepts"]["mayor"]["count"], 1);
    // --rebuild hashes every file whatever its time.
    std::fs::write(&file, "1. The cities act.\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(when + std::time::Duration::from_secs(5))
        .unwrap();
    assert_eq!(
        json(&corpus, &index, &["index"], 0)["replaced"],
        serde_json::json!([])
    );
    assert!(
        run(&corpus, &index, &["index", "--rebuild"])
            .status
            .success()
    );
    let c = json(&corpus, &index, &["count", "--concept", "city"], 0);
    assert_eq!(c["documents"][0]["concepts"]["city"]["count"], 1);
}

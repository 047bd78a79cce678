//! Issue 13 (begun): whatever lands in the corpus folder. Only regular files inside the folder
//! are read; everything else named like a document is skipped with a reason, and the run ends.

use std::path::Path;

use crate::util::*;

#[test]
fn issue13_only_regular_files_inside_the_folder_are_read() {
    let dir = tempdir("special");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(corpus.join("dir.pdf")).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "The cities of the world.\n").unwrap();
    let outside = dir.join("secret.txt");
    std::fs::write(&outside, "root:x:0:0:the city of secrets\n").unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("x.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", corpus.join("zero.txt")).unwrap();
    std::os::unix::fs::symlink("a.en.txt", corpus.join("inside.en.txt")).unwrap();
    let fifo = corpus.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // A FIFO or /dev/zero read as a document would hang or exhaust the run: it must end.
    let o = menutable()
        .arg("--corpus")
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .args(["index", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reason = |file: &str| {
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"] == file)
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{file} not skipped: {v}"))
    };
    assert!(reason("pipe.txt").contains("FIFO"));
    assert!(reason("x.txt").contains("outside the corpus folder"));
    assert!(reason("zero.txt").contains("outside the corpus folder"));
    assert!(reason("dir.pdf").contains("folder"));
    // A link inside the folder is the same bytes as its target: one document.
    assert!(reason("inside.en.txt").contains("same bytes"));
    assert_eq!(v["added"], serde_json::json!(["a-en"]));
    // Nothing of the file outside reached the index.
    let o = run(&corpus, &index, &["search", "secrets"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

/// The reason `index --format json` gives for a failed file.
fn failed_reason(v: &serde_json::Value, file: &str) -> String {
    v["failed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == file)
        .map(|s| s["reason"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{file} did not fail: {v:#}"))
}

#[test]
fn issue13_hostile_pdfs_fail_within_their_budgets_and_the_good_files_are_indexed() {
    use crate::pdfgen::*;
    let dir = tempdir("hostile-pdfs");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let hostile: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "fan.pdf",
            fan_out_forms(10, 10),
            "content operations (nested forms?)|glyphs",
        ),
        (
            "self.pdf",
            self_drawing_form(50),
            "content operations (nested forms?)|glyphs",
        ),
        ("inflate.pdf", inflation_bomb(12 << 20), "page content"),
        ("formbomb.pdf", form_bomb(12 << 20), "a form"),
        ("q.pdf", q_operators(600_000), "content operations"),
        ("glyphs.pdf", glyph_bomb(300_000), "glyphs"),
        ("wide.pdf", wide_widths(4), "width table"),
        (
            "damaged.pdf",
            damaged(15, 14),
            "14 of 15 pages could not be read",
        ),
    ];
    for (name, bytes, _) in &hostile {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    std::fs::write(corpus.join("good.pdf"), good(3)).unwrap();
    std::fs::write(corpus.join("note.en.txt"), "1. The cities of the world.\n").unwrap();
    // scripts/bench-hostile.py times `index` over the same files.
    if let Some(keep) = std::env::var_os("MENUTABLE_KEEP_HOSTILE") {
        std::fs::create_dir_all(&keep).unwrap();
        for e in std::fs::read_dir(&corpus).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, std::path::Path::new(&keep).join(p.file_name().unwrap())).unwrap();
        }
    }
    let o = run_within(&corpus, &index, &["index", "--format", "json"], 120);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for (name, _, why) in &hostile {
        // Forms with text at every level meet the glyph bound or the operations bound first.
        let reason = failed_reason(&v, name);
        assert!(
            why.split('|').any(|w| reason.contains(w)),
            "{name}: {reason}"
        );
        // The summary on stderr names the file with its reason, as a cron mail shows it.
        assert!(
            stderr(&o).contains(&format!("failed {name}: ")),
            "{}",
            stderr(&o)
        );
    }
    let mut added: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    added.sort();
    assert_eq!(added, ["good", "note-en"], "{v:#}");
    // No failed file reaches a count: the documents counted are the good ones.
    let c = json(&corpus, &index, &["count"], 0);
    let mut ids: Vec<&str> = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["good", "note-en"], "{c:#}");
}

/// Every real PDF extracts to the same bytes as before the budgets existed, and every real file
/// stays at least ten times inside every bound (the budgets are the corpus's maxima times at
/// least 14; a file that comes closer is a sign to raise them).
#[test]
fn issue13_budgets_change_no_real_document_and_leave_room() {
    use menutable::extract::budget::BUDGET;
    use sha2::Digest;
    let corpus = shared_corpus();
    let expected: std::collections::BTreeMap<String, String> =
        std::fs::read_to_string(root().join("tests/fixtures/extract-sha256.tsv"))
            .unwrap()
            .lines()
            .map(|l| {
                let (f, h) = l.split_once('\t').unwrap();
                (f.to_string(), h.to_string())
            })
            .collect();
    let mut files = vec![corpus.join("paris.en.pdf")];
    for e in std::fs::read_dir(corpus.join("unfccc")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdf") {
            files.push(p);
        }
    }
    assert_eq!(
        files.len(),
        expected.len(),
        "the corpus's PDFs and the list differ"
    );
    let out = tempdir("extract-sha");
    let o = menutable()
        .arg("extract")
        .arg("--out")
        .arg(&out)
        .args(&files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(out.join(format!("{name}.txt"))).unwrap();
        let got: String = sha2::Sha256::digest(&text)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            Some(&got),
            expected.get(&name),
            "{name} extracts differently"
        );
    }
    let mut all = files.clone();
    for e in std::fs::read_dir(corpus.join("undocs")).unwrap() {
        all.push(e.unwrap().path());
    }
    let o = menutable()
        .arg("extract")
        .arg("--work")
        .args(&all)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), all.len());
    let most = |k: &str| rows.iter().map(|r| r[k].as_u64().unwrap()).max().unwrap();
    let text_most = rows
        .iter()
        .filter(|r| r["file"].as_str().unwrap().ends_with(".txt"))
        .map(|r| r["bytes"].as_u64().unwrap())
        .max()
        .unwrap();
    let pdf_most = rows
        .iter()
        .filter(|r| r["file"].as_str().unwrap().ends_with(".pdf"))
        .map(|r| r["bytes"].as_u64().unwrap())
        .max()
        .unwrap();
    for (what, used, bound) in [
        ("pdf bytes", pdf_most, BUDGET.pdf_bytes),
        ("text bytes", text_most, BUDGET.text_bytes),
        ("stream", most("max_stream"), BUDGET.stream_bytes as u64),
        (
            "page inflated",
            most("max_page_inflated"),
            BUDGET.page_inflated,
        ),
        ("page ops", most("max_page_ops"), BUDGET.page_ops),
        ("page glyphs", most("max_page_glyphs"), BUDGET.page_glyphs),
        ("file ops", most("ops"), BUDGET.file_ops),
        ("file glyphs", most("glyphs"), BUDGET.file_glyphs),
        ("font widths", most("max_font_widths"), BUDGET.font_widths),
        ("pages", most("pages"), BUDGET.pages),
    ] {
        assert!(
            used > 0 || what == "font widths",
            "{what}: nothing measured"
        );
        assert!(
            used * 10 <= bound,
            "{what}: the corpus uses {used} of {bound}"
        );
    }
}

#[test]
fn issue13_one_file_per_id_and_no_file_takes_a_manifest_id() {
    let dir = tempdir("collide");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(corpus.join("a")).unwrap();
    let manifest = dir.join("manifest.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nid = \"paris-2015\"\ntitle = \"Paris\"\nshort = \"Paris\"\nfile = \"paris.txt\"\nlanguage = \"en\"\nkind = \"treaty\"\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("paris.txt"),
        "1. The cities of Paris and the world.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("paris-2015.txt"),
        "1. A city, a city, a city.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("a-b.txt"), "1. One city.\n").unwrap();
    std::fs::write(corpus.join("a/b.txt"), "1. Two cities.\n").unwrap();
    let index_json = |code: i32| {
        let o = menutable()
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .arg("--manifest")
            .arg(&manifest)
            .args(["index", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        (
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(),
            stderr(&o),
        )
    };
    let (v, err) = index_json(3);
    let r = failed_reason(&v, "paris-2015.txt");
    assert!(r.contains("paris-2015") && r.contains("paris.txt"), "{r}");
    let r = failed_reason(&v, "a-b.txt");
    assert!(r.contains("a/b.txt") && r.contains("a-b"), "{r}");
    let r = failed_reason(&v, "a/b.txt");
    assert!(r.contains("a-b.txt"), "{r}");
    assert!(
        err.contains("failed a/b.txt: ") && err.contains("failed a-b.txt: "),
        "{err}"
    );
    assert_eq!(v["added"], serde_json::json!(["paris-2015"]), "{v:#}");
    // The manifest's document is its own file, run after run.
    for _ in 0..2 {
        let o = menutable()
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .arg("--manifest")
            .arg(&manifest)
            .args(["count", "--doc", "paris-2015", "--format", "json"])
            .output()
            .unwrap();
        let c: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(c["documents"][0]["concepts"]["city"]["count"], 1, "{c:#}");
        let (v, _) = index_json(3);
        assert!(v["replaced"].as_array().unwrap().is_empty(), "{v:#}");
    }
    // A file that would collide is kept out until renamed; renamed, both are read.
    std::fs::rename(corpus.join("a/b.txt"), corpus.join("a/c.txt")).unwrap();
    std::fs::remove_file(corpus.join("paris-2015.txt")).unwrap();
    let (v, _) = index_json(0);
    assert_eq!(v["added"], serde_json::json!(["a-c"]), "{v:#}");
    // a-b was recorded as failed (no good version yet): now it is read.
    assert_eq!(v["replaced"], serde_json::json!(["a-b"]), "{v:#}");
}

#[test]
fn issue13_a_damaged_document_fails_and_a_nearly_whole_one_is_flagged() {
    use crate::pdfgen::*;
    let dir = tempdir("damaged");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    // One page of 20 lost is within the one-in-twenty bound: indexed, flagged, named.
    std::fs::write(corpus.join("nearly.pdf"), damaged(20, 1)).unwrap();
    std::fs::write(corpus.join("upload.pdf"), good(15)).unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    let flagged = &v["flagged"];
    assert!(
        flagged.to_string().contains("nearly.pdf")
            && flagged.to_string().contains("1 page(s) failed"),
        "{v:#}"
    );
    // The same upload, truncated on its way: 14 of its 15 pages gone. It fails with the
    // reason, and its last good version stays (stale), counted as before.
    std::fs::write(corpus.join("upload.pdf"), damaged(15, 14)).unwrap();
    let v = json(&corpus, &index, &["index"], 3);
    assert!(failed_reason(&v, "upload.pdf").contains("14 of 15 pages could not be read"));
    let c = json(&corpus, &index, &["count", "--doc", "upload"], 0);
    assert!(c["documents"][0]["words"].as_u64().unwrap() > 100, "{c:#}");
}

#[test]
fn issue13_a_file_that_kills_the_run_is_read_alone_then_never_again() {
    let dir = tempdir("killer");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    for k in 0..4 {
        std::fs::write(
            corpus.join(format!("good{k}.en.txt")),
            format!("{k}. The cities.\n"),
        )
        .unwrap();
    }
    std::fs::write(corpus.join("killer.en.txt"), "1. A city.\n").unwrap();
    // The process dies (as under the OOM killer) whenever it reads killer.en.txt.
    let killed = || {
        let mut c = menutable();
        // One thread: nothing else is in flight when it dies, so the test knows what the
        // journal holds (with more, the files beside it are suspects too, read alone).
        c.env("MENUTABLE_ABORT_ON", "killer.en.txt")
            .args(["--threads", "1"])
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .args(["index", "--format", "json"]);
        run_bounded(c, 60)
    };
    let o = killed();
    assert!(
        o.status.code().is_none() || o.status.code() == Some(134),
        "{o:?}"
    );
    // Second run: the suspect is read alone, after the others are committed; it dies again.
    let o = killed();
    assert!(!o.status.success(), "{}", stderr(&o));
    let docs = json(&corpus, &index, &["docs"], 0);
    assert_eq!(
        docs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["status"] == "indexed")
            .count(),
        4,
        "the good files were committed first: {docs:#}"
    );
    // Third run: the file is condemned, named with its reason, and the run ends normally.
    let o = killed();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        failed_reason(&v, "killer.en.txt").contains("killed"),
        "{v:#}"
    );
    assert!(!menutable::corpus::lock::held(&index));
    // New bytes are read again.
    std::fs::write(corpus.join("killer.en.txt"), "1. Two cities.\n").unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    assert_eq!(v["replaced"], serde_json::json!(["killer-en"]), "{v:#}");
}

#[test]
fn issue13_a_file_read_too_long_is_abandoned_and_the_lock_released() {
    let dir = tempdir("watchdog");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("slow.pdf"), crate::pdfgen::good(2000)).unwrap();
    let mut c = menutable();
    // The file never finishes (MENUTABLE_STALL_ON): how fast the machine reads 2,000 pages
    // must not decide the outcome (at 0 s a fast read once finished before the watchdog's
    // first look).
    c.env("MENUTABLE_FILE_SECONDS", "0")
        .env("MENUTABLE_STALL_ON", "slow.pdf")
        .arg("--corpus")
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .arg("index");
    let o = run_bounded(c, 60);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("failed slow.pdf: reading took more than"),
        "{}",
        stderr(&o)
    );
    assert!(
        !menutable::corpus::lock::held(&index),
        "the lock was released"
    );
    // The next run does not read it again.
    let v = json(&corpus, &index, &["index"], 3);
    assert!(
        failed_reason(&v, "slow.pdf").contains("reading took more than"),
        "{v:#}"
    );
}

#[test]
fn issue13_a_text_past_its_size_bound_is_refused_unread() {
    let dir = tempdir("bigtext");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    // Sparse: 1 GiB claimed, nothing written.
    let f = std::fs::File::create(corpus.join("huge.en.txt")).unwrap();
    f.set_len(1 << 30).unwrap();
    std::fs::write(corpus.join("fine.en.txt"), "1. The cities.\n").unwrap();
    let o = run_within(&corpus, &index, &["index", "--format", "json"], 60);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        failed_reason(&v, "huge.en.txt").contains("1024.0 MiB, more than the 16 MiB"),
        "{v:#}"
    );
    assert_eq!(v["added"], serde_json::json!(["fine-en"]));
}

#[test]
fn issue13_the_cron_log_names_every_failed_file_with_its_reason() {
    let dir = tempdir("cronlog");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("fan.pdf"), crate::pdfgen::fan_out_forms(10, 10)).unwrap();
    std::fs::write(corpus.join("upload.pdf"), crate::pdfgen::damaged(15, 14)).unwrap();
    std::fs::write(corpus.join("fine.en.txt"), "1. The cities.\n").unwrap();
    let log = dir.join("update.log");
    let o = run_within(
        &corpus,
        &index,
        &["update", "--offline", "--log", log.to_str().unwrap()],
        60,
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("menutable update: updated") && lines[0].contains("failed 2"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  failed fan.pdf: no page could be read (page 1: ")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  failed upload.pdf: 14 of 15 pages could not be read")),
        "{text}"
    );
}

/// Peak resident memory (KiB) of `menutable --corpus C --index I ARGS`, from the kernel's
/// accounting of the finished child (Python's `resource`, as the benchmarks read it).
fn peak_kib(corpus: &Path, index: &Path, args: &[&str]) -> (u64, std::process::Output) {
    let script = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], capture_output=True)\n\
        sys.stdout.buffer.write(r.stdout)\n\
        sys.stderr.buffer.write(r.stderr)\n\
        sys.stderr.write('\\npeak-kib %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
        sys.exit(r.returncode)";
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_menutable"))
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let err = stderr(&o);
    let peak = err
        .lines()
        .find_map(|l| l.strip_prefix("peak-kib "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {err}"));
    (peak, o)
}

/// Issue 23: a 16 MiB text file costs bounded memory whatever its lines. A run of blank lines
/// is one paragraph break; a file of more lines of text than any document has (16 MiB of
/// one-character lines: 8 M of them, which took 2 GB each) fails with its reason.
#[test]
fn issue23_a_text_file_of_any_line_structure_costs_bounded_memory() {
    let dir = tempdir("textlines");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let n = 16 * 1024 * 1024 - 64;
    let mut blank = b"1. The cities.".to_vec();
    blank.resize(n, b'\n');
    std::fs::write(corpus.join("blank.en.txt"), &blank).unwrap();
    std::fs::write(corpus.join("crs.en.txt"), "\r".repeat(n) + "The mayors.").unwrap();
    std::fs::write(corpus.join("onechar.en.txt"), "a\n".repeat(n / 2)).unwrap();
    std::fs::write(corpus.join("alternate.en.txt"), "a\n\n".repeat(n / 3)).unwrap();
    std::fs::write(corpus.join("oneline.en.txt"), "cities ".repeat(n / 7)).unwrap();
    std::fs::write(corpus.join("fine.en.txt"), "1. The local authorities.\n").unwrap();
    let (peak, o) = peak_kib(&corpus, &index, &["index", "--format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for f in ["onechar.en.txt", "alternate.en.txt"] {
        assert!(
            failed_reason(&v, f).contains("more than 300000 lines of text"),
            "{f}: {v:#}"
        );
    }
    let mut added: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    added.sort();
    assert_eq!(added, ["blank-en", "crs-en", "fine-en", "oneline-en"]);
    // Five 16 MiB files, two read at once: each took 2-3 GB before.
    assert!(peak < 600 * 1024, "index peaked at {} MiB", peak / 1024);
    let (peak, o) = peak_kib(&corpus, &index, &["text", "--raw", "blank-en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1. The cities."));
    assert!(
        peak < 200 * 1024,
        "text --raw peaked at {} MiB",
        peak / 1024
    );
    let counts = json(
        &corpus,
        &index,
        &["count", "--doc", "crs-en", "--concept", "mayor"],
        0,
    );
    assert_eq!(
        counts["documents"][0]["concepts"]["mayor"]["count"], 1,
        "{counts:#}"
    );
}

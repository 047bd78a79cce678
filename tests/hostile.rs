//! Issue 13 (begun): whatever lands in the corpus folder. Only regular files inside the folder
//! are read; everything else named like a document is skipped with a reason, and the run ends.

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

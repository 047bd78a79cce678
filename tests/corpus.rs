//! The real corpus: every document is indexed or reported missing, and get-corpus.sh checks
//! checksums.

use crate::util::*;
use std::process::Command;

#[test]
fn docs_lists_every_manifest_document_with_its_status() {
    let v = real().json(&["docs"], 0);
    let docs = v["documents"].as_array().unwrap();
    let status = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .map(|d| d["status"].as_str().unwrap().to_string())
    };
    // 73 UNFCCC files (one of which is the Paris PDF under another name) + Paris + GCM extract
    // + the seven GA texts + the two parts of the Paris PDF.
    let indexed = docs.iter().filter(|d| d["status"] == "indexed").count();
    assert_eq!(indexed, 83, "{v:#}");
    for id in [
        "gcm-2018",
        "nua-2016",
        "agenda2030-2015",
        "sendai-2015",
        "addis-2015",
        "nydeclaration-2016",
        "unhcr-2018",
    ] {
        assert_eq!(status(id).as_deref(), Some("indexed"), "{id}");
        let d = docs.iter().find(|d| d["id"] == id).unwrap();
        assert!(d["pages"].as_u64().unwrap() >= 10, "{id} has pages");
        assert!(d["repairs"].as_u64().is_some(), "{id}");
    }
    let gcr = docs.iter().find(|d| d["id"] == "gcr-2018").unwrap();
    assert_eq!(gcr["status"], "missing");
    assert!(
        gcr["reason"]
            .as_str()
            .unwrap()
            .contains("https://undocs.org/A/73/12")
    );
    let part = docs.iter().find(|d| d["id"] == "paris-agreement").unwrap();
    assert_eq!(part["part_of"], "paris-2015");
    assert_eq!(part["page_span"], "21-36");
    assert_eq!(part["binding"], true);
    assert_eq!(part["in_totals"], false);
    let extract = docs
        .iter()
        .find(|d| d["id"] == "gcm-objectives-2018")
        .unwrap();
    assert_eq!(extract["in_totals"], false, "the full GCM supersedes it");
    // Stray spaces are repaired in texts from PDFs only: no PDF of the corpus changes.
    let repairs = |pdf: bool| -> u64 {
        docs.iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(".pdf") == pdf)
            .map(|d| d["repairs"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(repairs(true), 0);
    assert!(repairs(false) > 50, "{}", repairs(false));
    assert!(
        docs.iter()
            .all(|d| d["status"] != "failed" && d["status"] != "stale")
    );
    // The Spanish report is known to be Spanish; every indexed document has words and units.
    assert_eq!(
        docs.iter().find(|d| d["id"] == "cma4-add2-es").unwrap()["language"],
        "es"
    );
    for d in docs.iter().filter(|d| d["status"] == "indexed") {
        assert!(d["words"].as_u64().unwrap() > 500, "{}", d["id"]);
        assert!(d["units"].as_u64().unwrap() > 3, "{}", d["id"]);
    }
}

#[test]
fn derived_texts_and_the_parallel_corpus_are_not_documents() {
    let v = real().json(&["docs"], 0);
    let files: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("derived") && !f.contains("unpc") && !f.ends_with(".json")),
        "{files:?}"
    );
}

#[test]
fn get_corpus_refuses_a_file_whose_checksum_differs() {
    let dir = tempdir("getcorpus");
    let mirror = dir.join("mirror");
    std::fs::create_dir_all(&mirror).unwrap();
    std::fs::write(mirror.join("a.txt"), "The cities of the world.\n").unwrap();
    std::fs::write(mirror.join("b.txt"), "Local authorities.\n").unwrap();
    let manifest = dir.join("manifest.toml");
    let entry = |id: &str, file: &str, sha: &str| {
        format!(
            "[[document]]\nid = \"{id}\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"{file}\"\nurl = \"https://example.invalid/{file}\"\nsha256 = \"{sha}\"\n\n"
        )
    };
    let good = "9ff9b9ac8b0bd2b7e8cbd6ff1b6a42a6fd3e06c7c3b8c75f4a4f2bfbeab6a5d4";
    let actual_a = {
        let o = Command::new("sha256sum")
            .arg(mirror.join("a.txt"))
            .output()
            .unwrap();
        String::from_utf8(o.stdout)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    std::fs::write(
        &manifest,
        entry("a", "a.txt", &actual_a) + &entry("b", "b.txt", good) + &entry("c", "c.txt", ""),
    )
    .unwrap();
    let corpus = dir.join("files");
    let o = Command::new("bash")
        .arg(root().join("scripts/get-corpus.sh"))
        .arg(&mirror)
        .env("MENUTABLE_CORPUS", &corpus)
        .env("MENUTABLE_MANIFEST", &manifest)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(corpus.join("a.txt").exists());
    assert!(
        !corpus.join("b.txt").exists(),
        "a file with the wrong checksum is not kept"
    );
    assert!(stderr(&o).contains("b (b.txt"), "{}", stderr(&o));
    assert!(stdout(&o).contains("missing  c (c.txt)"), "{}", stdout(&o));
}

#[test]
fn shifted_font_pages_of_cop5_are_detected_and_recovered() {
    // 1_22_CP_5.pdf draws 12 pages with fonts whose codes are letters shifted by 29
    // ("*XLGHOLQHV" for "Guidelines"); pdftotext prints that garbage too.
    let v = real().json(&["docs"], 0);
    let docs = v["documents"].as_array().unwrap();
    let q = &docs.iter().find(|d| d["id"] == "cop5-add1").unwrap()["quality"];
    let recovered: Vec<u64> = q["recovered_pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_u64().unwrap())
        .collect();
    assert_eq!(
        recovered,
        [2, 3, 25, 26, 27, 29, 34, 35, 42, 47, 48, 49],
        "{q}"
    );
    assert!(q["garbled_pages"].as_array().unwrap().is_empty());
    assert!(q["flag"].is_null());
    let text = real().json(&["text", "cop5-add1", "--pages", "25-26"], 0);
    let joined: String = text["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["text"].as_str().unwrap())
        .collect();
    assert!(
        !joined.contains("WKH") && !joined.contains("XLGHOLQHV"),
        "{joined}"
    );
    assert!(joined.contains(" the "), "{joined}");
    // No other document is flagged or recovered: the detector does not fire on tables.
    for d in docs
        .iter()
        .filter(|d| d["id"] != "cop5-add1" && !d["quality"].is_null())
    {
        assert!(
            d["quality"]["flag"].is_null(),
            "{}: {}",
            d["id"],
            d["quality"]
        );
        assert!(
            d["quality"]["recovered_pages"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{}",
            d["id"]
        );
    }
}

//! `menutable index` is incremental, and one bad file never costs the others.

use crate::util::*;

fn actions(v: &serde_json::Value, key: &str) -> Vec<String> {
    let mut a: Vec<String> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            x.as_str()
                .map_or_else(|| x["file"].as_str().unwrap().to_string(), str::to_string)
        })
        .collect();
    a.sort();
    a
}

#[test]
fn added_skipped_replaced_removed() {
    let dir = tempdir("incr");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "The cities of the world.\n").unwrap();
    std::fs::write(corpus.join("b.en.txt"), "Local authorities act.\n").unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    assert_eq!(actions(&v, "added"), ["a-en", "b-en"]);
    let v = json(&corpus, &index, &["index"], 0);
    assert!(
        v["added"].as_array().unwrap().is_empty() && v["replaced"].as_array().unwrap().is_empty()
    );
    assert_eq!(actions(&v, "skipped"), ["a.en.txt", "b.en.txt"]);
    assert!(
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["reason"] == "unchanged")
    );
    std::fs::write(corpus.join("a.en.txt"), "The cities and the city.\n").unwrap();
    std::fs::remove_file(corpus.join("b.en.txt")).unwrap();
    std::fs::write(corpus.join("copy.en.txt"), "The cities and the city.\n").unwrap();
    let v = json(&corpus, &index, &["index"], 0);
    assert_eq!(actions(&v, "replaced"), ["a-en"]);
    assert_eq!(actions(&v, "removed"), ["b-en"]);
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["file"] == "copy.en.txt" && s["reason"] == "same bytes as a.en.txt"),
        "{v:#}"
    );
    let c = json(&corpus, &index, &["count"], 0);
    let docs = c["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["concepts"]["city"]["count"], 2);
}

#[test]
fn a_bad_file_is_named_and_the_others_are_indexed() {
    let dir = tempdir("bad");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("good.en.txt"), "The cities of the world.\n").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success());
    std::fs::write(corpus.join("empty.pdf"), b"").unwrap();
    std::fs::write(corpus.join("notapdf.pdf"), b"<html>not a pdf</html>").unwrap();
    std::fs::write(
        corpus.join("truncated.pdf"),
        b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    std::fs::write(corpus.join("latin1.txt"), b"ciudades \xe9t\xe9\n").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("empty.pdf") && err.contains("empty file"),
        "{err}"
    );
    assert!(
        err.contains("notapdf.pdf") && err.contains("not a PDF"),
        "{err}"
    );
    assert!(err.contains("truncated.pdf"), "{err}");
    assert!(
        err.contains("latin1.txt") && err.contains("not UTF-8"),
        "{err}"
    );
    let docs = json(&corpus, &index, &["docs"], 0);
    let d = docs["documents"].as_array().unwrap();
    let status = |id: &str| {
        d.iter().find(|x| x["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("good-en"), "indexed");
    assert_eq!(status("notapdf"), "failed");
    let c = json(&corpus, &index, &["count", "--doc", "good-en"], 0);
    assert_eq!(c["documents"][0]["terms"]["cities"], 1);
    // A file that was indexed and then breaks keeps its last good version.
    std::fs::write(corpus.join("good.en.txt"), b"\xff\xfe broken").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(stderr(&o).contains("good.en.txt"));
    let docs = json(&corpus, &index, &["docs"], 0);
    let g = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "good-en")
        .unwrap()
        .clone();
    assert_eq!(g["status"], "stale", "{g}");
    let c = json(&corpus, &index, &["count", "--doc", "good-en"], 0);
    assert_eq!(
        c["documents"][0]["terms"]["cities"], 1,
        "nothing indexed is lost"
    );
}

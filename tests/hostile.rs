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

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
    assert_eq!(
        o.status.code(),
        Some(3),
        "indexed, with failed files: {}",
        stderr(&o)
    );
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
    assert_eq!(o.status.code(), Some(3));
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

/// kill -9 at several moments of a rebuild: the index that was committed before stays readable
/// with the same counts (or the new ones, when the kill came after the commit), the dead run's
/// lock is taken over, and the next run completes the work.
#[test]
fn killed_mid_index_loses_nothing() {
    let dir = tempdir("kill");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let pdfs: Vec<std::path::PathBuf> = std::fs::read_dir(shared_corpus().join("unfccc"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .take(24)
        .collect();
    for p in &pdfs[..12] {
        std::fs::copy(p, corpus.join(p.file_name().unwrap())).unwrap();
    }
    assert!(run(&corpus, &index, &["index"]).status.success());
    let before = json(&corpus, &index, &["count"], 0);
    for p in &pdfs[12..] {
        std::fs::copy(p, corpus.join(p.file_name().unwrap())).unwrap();
    }
    // Kills at four moments. When a kill lands is up to the machine, so what is asserted holds
    // wherever it lands: a reader sees a commit, never a half-written one. A run commits once;
    // but a run after a killed one first commits what it read, then reads each file the dead
    // run was reading alone after another commit (see journal.rs), so between the 12 documents
    // of the first commit and all 24 any number may be committed, each with its full counts.
    let mut snapshots = Vec::new();
    for ms in [30u64, 150, 400, 900] {
        let mut child = menutable()
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .args(["index", "--rebuild"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let _ = child.kill(); // SIGKILL (or nothing, if it already finished)
        let _ = child.wait();
        snapshots.push((ms, json(&corpus, &index, &["count"], 0)));
    }
    // A kill that lands while a file is read alone (after an earlier kill) condemns that file,
    // as it would condemn a file that kills the process (journal.rs): the next run says so
    // (exit 3) and keeps the file's last good version; `index --rebuild` forgets the verdict
    // and reads everything again.
    let o = run(&corpus, &index, &["index"]);
    if !o.status.success() {
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        assert!(stderr(&o).contains("was killed"), "{}", stderr(&o));
        let o = run(&corpus, &index, &["index", "--rebuild"]);
        assert!(o.status.success(), "the rebuild completes: {}", stderr(&o));
    }
    let after = json(&corpus, &index, &["count"], 0);
    let by_id = |v: &serde_json::Value| -> std::collections::BTreeMap<String, serde_json::Value> {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["id"].as_str().unwrap().to_string(), d.clone()))
            .collect()
    };
    let full = by_id(&after);
    assert_eq!(full.len(), 24);
    for (id, d) in by_id(&before) {
        assert_eq!(
            full[&id], d,
            "{id}: the files did not change, nor may its counts"
        );
    }
    for (ms, snap) in &snapshots {
        let seen = by_id(snap);
        for id in by_id(&before).keys() {
            assert!(
                seen.contains_key(id),
                "after a kill at {ms} ms {id} is gone"
            );
        }
        for (id, d) in &seen {
            assert_eq!(
                &full[id], d,
                "after a kill at {ms} ms {id} has other counts"
            );
        }
    }
    assert!(!menutable::corpus::lock::held(&index));
}

#[test]
fn a_second_index_run_is_refused_while_one_holds_the_lock() {
    let dir = tempdir("lock");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "The cities.\n").unwrap();
    // This test process holds the lock, as a running `index` would.
    let lock = menutable::corpus::lock::Lock::acquire(&index).unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(o.status.code(), Some(2));
    let me = format!("being updated by process {}", std::process::id());
    assert!(stderr(&o).contains(&me), "{}", stderr(&o));
    drop(lock);
    assert!(run(&corpus, &index, &["index"]).status.success());
    // A lock file naming this live process, with a start time that is not its own, and no
    // lock held: a leftover, not a holder. The run goes ahead.
    std::fs::write(
        index.join(".menutable.lock"),
        format!("{} 1\n", std::process::id()),
    )
    .unwrap();
    assert!(run(&corpus, &index, &["index"]).status.success());
}

/// Unmounts a tmpfs when the test ends, even when it fails.
struct Mount(std::path::PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk: the index folder is a 3 MB tmpfs. The update that does not fit fails with the
/// reason, the index keeps its last commit, and once there is room the next run succeeds.
/// (Mounting needs root, which CI and the developers' machines have.)
#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_old_index() {
    let dir = tempdir("diskfull");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&index).unwrap();
    let st = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&index)
        .status()
        .unwrap();
    assert!(st.success(), "mounting a tmpfs needs root");
    let _m = Mount(index.clone());
    std::fs::write(
        corpus.join("a.en.txt"),
        "The cities and the local authorities.\n",
    )
    .unwrap();
    assert!(run(&corpus, &index, &["index"]).status.success());
    let before = json(&corpus, &index, &["count"], 0);
    // About 10 MB of random words (they do not compress): more than the folder holds once
    // indexed and stored.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut big = String::new();
    while big.len() < 10_000_000 {
        for _ in 0..12 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            big.push_str(&format!("{:x} ", state >> 24));
        }
        big.push_str("cities.\n");
    }
    std::fs::write(corpus.join("big.en.txt"), big).unwrap();

    let o = run(&corpus, &index, &["index"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a full disk is an error: {}",
        stderr(&o)
    );
    let err = stderr(&o).to_lowercase();
    assert!(
        err.contains("no space") || err.contains("space left") || err.contains("disk"),
        "{err}"
    );
    assert_eq!(
        json(&corpus, &index, &["count"], 0),
        before,
        "the last commit is intact"
    );
    std::fs::remove_file(corpus.join("big.en.txt")).unwrap();
    std::fs::write(corpus.join("b.en.txt"), "Urban areas.\n").unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(
        o.status.success(),
        "with room again, the next run works: {}",
        stderr(&o)
    );
    assert_eq!(
        json(&corpus, &index, &["count"], 0)["documents"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// A file that cannot be read (here a link to nothing) is reported by name; the rest is indexed.
#[test]
fn an_unreadable_file_is_named() {
    let dir = tempdir("unreadable");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "The cities.\n").unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere.pdf"), corpus.join("gone.pdf")).unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("gone.pdf"), "{}", stderr(&o));
    assert_eq!(
        json(&corpus, &index, &["count"], 0)["documents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Issue 15 (begun): `index` is quiet about unchanged files unless asked, and a failed
/// document's quality is never "ok".
#[test]
fn index_lists_unchanged_files_only_when_asked_and_failed_is_not_ok() {
    let dir = tempdir("quiet");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "1. The cities.\n").unwrap();
    std::fs::write(corpus.join("bad.pdf"), "not a pdf").unwrap();
    assert_eq!(run(&corpus, &index, &["index"]).status.code(), Some(3));
    let quiet = stdout(&run(&corpus, &index, &["index"]));
    assert!(!quiet.contains("unchanged"), "{quiet}");
    let verbose = stdout(&run(&corpus, &index, &["index", "--verbose"]));
    assert!(
        verbose.contains("a.en.txt") && verbose.contains("unchanged"),
        "{verbose}"
    );
    let docs = stdout(&run(&corpus, &index, &["docs", "--format", "csv"]));
    let bad = docs.lines().find(|l| l.starts_with("bad,")).unwrap();
    assert!(bad.contains(",failed,failed,"), "{bad}");
}

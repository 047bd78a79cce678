//! Exit codes (0 found, 1 nothing, 2 error), messages that name the file, broken pipes.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::*;

#[test]
fn unknown_document_concept_and_term_are_errors() {
    let r = real();
    let o = run(&r.corpus, &r.index, &["count", "--doc", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no indexed document \"nope\""),
        "{}",
        stderr(&o)
    );
    let o = run(&r.corpus, &r.index, &["count", "--concept", "villages"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown concept \"villages\""));
    // A pattern is refused with a hint; any other word is counted ad hoc (issue 21).
    let o = run(&r.corpus, &r.index, &["kwic", "--term", "villag*"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not patterns"), "{}", stderr(&o));
}

#[test]
fn nothing_found_is_exit_one() {
    let r = real();
    let o = run(
        &r.corpus,
        &r.index,
        &["kwic", "--term", "mayors", "--doc", "paris-2015"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&r.corpus, &r.index, &["search", "zyxwvut"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn no_index_and_no_corpus_say_what_to_do() {
    let dir = tempdir("none");
    let o = run(&dir.join("nocorpus"), &dir.join("noindex"), &["count"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("run `menutable index` first"),
        "{}",
        stderr(&o)
    );
    let o = run(&dir.join("nocorpus"), &dir.join("noindex"), &["index"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("scripts/get-corpus.sh"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_manifest_names_line_and_column() {
    let dir = tempdir("manifest");
    let m = dir.join("manifest.toml");
    std::fs::write(&m, "[[document]]\nid = \"x\"\ntitle = oops\n").unwrap();
    let o = menutable()
        .arg("--manifest")
        .arg(&m)
        .arg("--index")
        .arg(dir.join("i"))
        .arg("docs")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("manifest.toml: line 3, column"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let r = real();
    let mut child = menutable()
        .arg("--corpus")
        .arg(&r.corpus)
        .arg("--index")
        .arg(&r.index)
        .args(["kwic", "--concept", "local_government"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes after one line.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("doc"), "{first}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_manifest_with_a_duplicate_id_is_refused_before_any_work() {
    let dir = tempdir("dupid");
    let m = dir.join("manifest.toml");
    let one = |file: &str| {
        format!(
            "[[document]]\nid = \"same\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"{file}\"\n\n"
        )
    };
    std::fs::write(&m, one("a.txt") + &one("b.txt")).unwrap();
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    let o = menutable()
        .arg("--manifest")
        .arg(&m)
        .arg("--corpus")
        .arg(dir.join("corpus"))
        .arg("--index")
        .arg(dir.join("i"))
        .args(["update", "--offline"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("manifest.toml: duplicate id \"same\""),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("i").exists(), "nothing was written");
}

/// Issue 15 (begun): the defaults are found from any folder of the project, as git finds
/// `.git`; outside one, the message says where it looked.
#[test]
fn commands_find_the_project_from_a_subfolder_and_say_where_they_looked() {
    // From src/: the project's manifest is found (docs lists its documents, the index
    // folder named is the project's own, whether or not it has been built).
    let o = menutable()
        .current_dir(root().join("src"))
        .args(["docs", "--format", "json"])
        .output()
        .unwrap();
    let err = stderr(&o);
    if o.status.success() {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(v.to_string().contains("paris-2015"), "{v}");
    } else {
        assert!(
            err.contains(&root().join("index").display().to_string()),
            "{err}"
        );
    }
    // From a folder outside any project: one sentence on where it looked.
    let dir = tempdir("nowhere");
    let o = menutable()
        .current_dir(&dir)
        .args(["count"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no project folder (one with corpus/manifest.toml)"),
        "{}",
        stderr(&o)
    );
}

/// Issue 15 (begun): without a mirror and without a network, get-corpus.sh says so in one
/// line after one quick probe and exits non-zero (it once spent 9 minutes on retries, then
/// exited 0 having fetched nothing).
#[test]
fn get_corpus_without_network_says_so_at_once() {
    let dir = tempdir("nonet");
    let m = dir.join("manifest.toml");
    std::fs::write(
        &m,
        "[[document]]\nid = \"x\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"x.pdf\"\nurl = \"http://127.0.0.1:9/x.pdf\"\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let o = std::process::Command::new("bash")
        .arg(root().join("scripts/get-corpus.sh"))
        .env("MENUTABLE_MANIFEST", &m)
        .env("MENUTABLE_CORPUS", dir.join("corpus"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no network") && stderr(&o).contains("mirror"),
        "{}",
        stderr(&o)
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

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

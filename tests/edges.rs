//! Issue 14: safe at the edges. A manifest cannot point outside the corpus folder, the lock is
//! the kernel's, and no absurd argument or file makes a command panic, abort or run away: each
//! case is driven through the binary and must exit 2 with a message.

use crate::util::*;

#[test]
fn issue14_a_manifest_path_outside_the_corpus_is_refused_before_anything_is_written() {
    let dir = tempdir("badpaths");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    for (k, file) in [
        "/tmp/x.pdf",
        "../index/meta.json",
        "a/../../x.pdf",
        "",
        ".",
        "..",
        "a//b.pdf",
    ]
    .iter()
    .enumerate()
    {
        let m = dir.join(format!("m{k}.toml"));
        std::fs::write(
            &m,
            format!("[[document]]\nid = \"bad\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = {file:?}\nurl = \"http://127.0.0.1:9/x\"\n"),
        )
        .unwrap();
        let o = menutable()
            .arg("--manifest")
            .arg(&m)
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .arg("fetch")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{file:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("document bad") && err.contains(&format!("{file:?}")),
            "{err}"
        );
        // Nothing was created, beside or above the corpus folder.
        let mut made: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".toml"))
            .collect();
        made.sort();
        assert_eq!(made, ["corpus"], "{file:?}");
        assert_eq!(std::fs::read_dir(&corpus).unwrap().count(), 0, "{file:?}");
    }
}

#[test]
fn issue14_absurd_arguments_and_files_exit_2_with_a_message() {
    let real = real();
    let deep = format!("{}cities{}", "(".repeat(10_000), ")".repeat(10_000));
    let nots = format!("{}cities", "NOT ".repeat(30_000));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["search", &deep], "characters"),
        (vec!["search", &nots], "characters"),
        (
            vec!["search", "((((((((((((((((((cities))))))))))))))))))"],
            "nested 18 deep",
        ),
        (
            vec!["search", "cities", "--limit", "18446744073709551615"],
            "1..=10000",
        ),
        (vec!["search", "cities", "--limit", "0"], "1..=10000"),
        (
            vec!["kwic", "--term", "city", "--width", "100000"],
            "0..=10000",
        ),
        (vec!["--threads", "100000", "docs"], "1..=256"),
        (vec!["--threads", "0", "docs"], "1..=256"),
        (
            vec!["--lexicon", "/dev/zero", "count"],
            "not a regular file",
        ),
        (
            vec!["--manifest", "/dev/zero", "docs"],
            "not a regular file",
        ),
        (vec!["roles", "--gold", "/dev/zero"], "not a regular file"),
        (vec!["claims", "/dev/zero"], "not a regular file"),
    ];
    for (args, why) in cases {
        let mut c = menutable();
        c.arg("--corpus")
            .arg(&real.corpus)
            .arg("--index")
            .arg(&real.index)
            .args(&args);
        let o = run_bounded(c, 60);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(30).collect()).collect();
        assert_eq!(o.status.code(), Some(2), "{shown:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{shown:?}: {}", stderr(&o));
    }
    // The bound itself is accepted.
    let o = run(
        &real.corpus,
        &real.index,
        &["search", "cities", "--limit", "10000", "--threads", "256"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn issue14_csv_cells_never_run_as_spreadsheet_formulas() {
    let dir = tempdir("formula");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("=HYPERLINK.en.txt"),
        "1. =HYPERLINK(\"http://x\") the cities act.\n",
    )
    .unwrap();
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for args in [
        vec!["docs", "--format", "csv"],
        vec![
            "kwic", "--term", "cities", "--format", "csv", "--width", "30",
        ],
    ] {
        let o = run(&corpus, &index, &args);
        let text = stdout(&o);
        for line in text.lines().skip(1) {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(!cell.starts_with(['=', '+', '@']), "{args:?}: {line}");
            }
        }
        if args[0] == "docs" {
            // The title, from the file name.
            assert!(text.contains("'=HYPERLINK"), "{args:?}: {text}");
        }
    }
    let v = json(&corpus, &index, &["docs"], 0);
    assert!(
        v.to_string().contains("\"=HYPERLINK\""),
        "JSON unchanged: {v}"
    );
}

#[test]
fn issue14_of_several_indexers_taking_over_a_stale_lock_one_wins() {
    let dir = tempdir("lockrace");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    // Long enough to read (a second or so) that the runners overlap.
    std::fs::write(corpus.join("long.pdf"), crate::pdfgen::good(1500)).unwrap();
    for trial in 0..4 {
        let index = dir.join(format!("index{trial}"));
        std::fs::create_dir_all(&index).unwrap();
        // A stale lock file: a dead pid, and this live process with a wrong start time.
        let stale = if trial % 2 == 0 {
            "4194304 1\n".to_string()
        } else {
            format!("{} 1\n", std::process::id())
        };
        std::fs::write(index.join(".menutable.lock"), stale).unwrap();
        let runners = 2 + trial % 2;
        let children: Vec<_> = (0..runners)
            .map(|_| {
                menutable()
                    .arg("--corpus")
                    .arg(&corpus)
                    .arg("--index")
                    .arg(&index)
                    .arg("index")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won = outs.iter().filter(|o| o.status.code() == Some(0)).count();
        let refused = outs
            .iter()
            .filter(|o| {
                o.status.code() == Some(2) && stderr(o).contains("being updated by process")
            })
            .count();
        assert_eq!(
            (won, refused),
            (1, runners - 1),
            "trial {trial}: {:?}",
            outs.iter().map(stderr).collect::<Vec<_>>()
        );
    }
}

#[test]
fn issue14_pdfs_without_readable_text_get_the_right_diagnosis() {
    use crate::pdfgen::*;
    let dir = tempdir("diagnosis");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    // A content stream whose /Length is negative: nothing can be read, but it is no scan.
    let mut pdf = good(1);
    let at = pdf.windows(8).position(|w| w == b"/Length ").unwrap() + 8;
    let end = at + pdf[at..].iter().position(|b| !b.is_ascii_digit()).unwrap();
    pdf.splice(at..end, b"-1".iter().copied());
    std::fs::write(corpus.join("negative.pdf"), pdf).unwrap();
    // Pages made only of a running header and a page number.
    let furniture = document(|_, _| {
        (1..=6)
            .map(|p| {
                (
                    text_content(&["FCCC/CP/2099/1", &p.to_string()]),
                    String::new(),
                )
            })
            .collect()
    });
    std::fs::write(corpus.join("furniture.pdf"), furniture).unwrap();
    let v = json(&corpus, &index, &["index"], 3);
    let reason = |file: &str| {
        v["failed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let neg = reason("negative.pdf");
    assert!(
        neg.contains("could be read") && !neg.contains("OCR"),
        "{neg}"
    );
    let fur = reason("furniture.pdf");
    assert!(
        fur.contains("running headers") && !fur.contains("OCR"),
        "{fur}"
    );
}

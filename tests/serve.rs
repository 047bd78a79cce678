//! `menutable serve` driven over real sockets: the same bytes as the command line for every
//! instrument, read-only and bounded, safe headers and escaping, concurrent clients, a
//! committed `update` seen without restart, and the pages in headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::util::*;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(corpus: &Path, index: &Path, extra: &[&str]) -> Server {
    let mut child = menutable()
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.strip_suffix("/\n"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// (status, headers, body) of one raw request.
fn raw(addr: &str, request: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    (status, head, all[split + 4..].to_vec())
}

fn get(addr: &str, target: &str) -> (u16, String, Vec<u8>) {
    raw(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

fn cli_bytes(args: &[&str]) -> Vec<u8> {
    run(&real().corpus, &real().index, args).stdout
}

#[test]
fn issue24_every_view_answers_the_command_lines_bytes_for_every_instrument() {
    let s = serve(&real().corpus, &real().index, &[]);
    let docs = real().json(&["docs"], 0);
    let (ids, missing): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .partition(|d| d["status"] == "indexed");
    let ids: Vec<String> = ids
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() > 70, "{}", ids.len());
    // A document the index lacks is a 400 that says what the command line says.
    for d in missing {
        let id = d["id"].as_str().unwrap();
        let o = run(&real().corpus, &real().index, &["count", "--doc", id]);
        assert_eq!(o.status.code(), Some(2), "{id}");
        let (status, _, body) = get(&s.addr, &format!("/count?doc={id}&format=csv"));
        assert_eq!(status, 400, "{id}");
        let said = stderr(&o);
        let said = said.trim().trim_start_matches("menutable: ");
        assert!(
            String::from_utf8_lossy(&body).contains(said),
            "{id}: {said}"
        );
    }
    for id in &ids {
        for (path, args) in [
            ("count", vec!["count", "--doc", id]),
            ("roles", vec!["roles", "--doc", id]),
            (
                "kwic",
                vec!["kwic", "--doc", id, "--concept", "local_government"],
            ),
        ] {
            for format in ["csv", "json"] {
                let mut cli = args.clone();
                cli.extend(["--format", format]);
                let extra = if path == "kwic" {
                    "&concept=local_government"
                } else {
                    ""
                };
                let (status, _, body) =
                    get(&s.addr, &format!("/{path}?doc={id}{extra}&format={format}"));
                assert_eq!(status, 200, "{path} {id} {format}");
                assert_eq!(body, cli_bytes(&cli), "{path} {id} {format}");
            }
        }
    }
    // The page of a view shows the same rows as its CSV, and the command line.
    let (status, _, page) = get(&s.addr, "/roles?doc=gcm-2018&doc=nua-2016");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("menutable roles --doc=gcm-2018 --doc=nua-2016"),
        "{page}"
    );
    let csv = String::from_utf8(cli_bytes(&[
        "roles", "--doc", "gcm-2018", "--doc", "nua-2016", "--format", "csv",
    ]))
    .unwrap();
    for line in csv.lines().skip(1) {
        // The document's cell links to its page.
        let cells: String = line
            .split(',')
            .enumerate()
            .map(|(k, c)| match k {
                0 => format!("<td><a href=\"/docs/{c}\">{c}</a></td>"),
                _ => format!("<td>{c}</td>"),
            })
            .collect();
        assert!(page.contains(&cells), "{cells} not in the page");
    }
}

#[test]
fn issue24_serve_reads_only_what_it_should_and_says_why_not() {
    let s = serve(&real().corpus, &real().index, &[]);
    let (status, head, _) = get(&s.addr, "/");
    assert_eq!(status, 200);
    for h in [
        "Content-Security-Policy: default-src 'none'",
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: no-referrer",
    ] {
        assert!(head.contains(h), "{h} missing from {head}");
    }
    let refused = [
        ("/roles?gold=/etc/passwd", 400, "cannot be given"),
        ("/count?index=/tmp", 400, "cannot be given"),
        ("/count?lexicon=/etc/passwd", 400, "cannot be given"),
        ("/count?nosuch=1", 400, "no flag --nosuch"),
        ("/../../etc/passwd", 404, "no page"),
        ("/assets/../../Cargo.toml", 404, "no page"),
        ("/export?out=/tmp/x", 404, "no page"),
        ("/count?format=xml", 400, "format=xml"),
        (
            "/kwic?concept=city&limit=99999999999&format=csv",
            400,
            "limit",
        ),
    ];
    for (target, status, says) in refused {
        let (got, _, body) = get(&s.addr, target);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(got, status, "{target}: {body}");
        assert!(body.contains(says), "{target}: {body}");
    }
    let (status, head, _) = raw(
        &s.addr,
        "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET"));
    let long = format!("/search?query={}", "a".repeat(5000));
    assert_eq!(get(&s.addr, &long).0, 414);
    let (status, _, body) = raw(&s.addr, "HEAD /count HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!((status, body.len()), (200, 0));
    // Hostile text in a query comes back escaped, with the error inline.
    let (status, _, page) = get(
        &s.addr,
        "/search?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27",
    );
    let page = String::from_utf8(page).unwrap();
    assert!(matches!(status, 200 | 400), "{status}");
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
    let (status, _, page) = get(&s.addr, "/search?query=%22local");
    assert_eq!(status, 400);
    assert!(String::from_utf8(page).unwrap().contains("class=\"error\""));
}

#[test]
fn issue24_concurrent_clients_get_the_answer_or_a_busy_503_never_a_broken_one() {
    let s = serve(&real().corpus, &real().index, &["--workers", "2"]);
    let expected = cli_bytes(&["count", "--format", "csv"]);
    let (ok, busy) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..24)
            .map(|_| {
                scope.spawn(|| {
                    let (mut ok, mut busy) = (0, 0);
                    for _ in 0..4 {
                        let (status, head, body) = get(&s.addr, "/count?format=csv");
                        match status {
                            200 => {
                                assert_eq!(body, expected);
                                ok += 1;
                            }
                            503 => {
                                assert!(head.contains("Retry-After: 1"), "{head}");
                                busy += 1;
                            }
                            other => panic!("status {other}"),
                        }
                    }
                    (ok, busy)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    assert_eq!(ok + busy, 96);
    assert!(ok > 0);
}

#[test]
fn issue24_a_committed_update_shows_without_a_restart() {
    let dir = tempdir("serve-live");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("one.en.txt"), "1. The cities act.\n").unwrap();
    assert!(run(&corpus, &index, &["index"]).status.success());
    let s = serve(&corpus, &index, &[]);
    let before = String::from_utf8(get(&s.addr, "/count?format=csv").2).unwrap();
    assert_eq!(before.lines().count(), 2, "{before}");
    std::fs::write(corpus.join("two.en.txt"), "1. The mayors meet.\n").unwrap();
    assert!(run(&corpus, &index, &["index"]).status.success());
    let after = get(&s.addr, "/count?format=csv").2;
    assert_eq!(
        after,
        run(&corpus, &index, &["count", "--format", "csv"]).stdout
    );
    assert_eq!(String::from_utf8(after).unwrap().lines().count(), 3);
}

#[test]
fn issue24_the_pages_load_in_headless_chromium() {
    let s = serve(&real().corpus, &real().index, &[]);
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("headless Chromium is needed: apt-get install chromium (scripts/test.sh does)");
    let dir = tempdir("serve-chromium");
    for (k, (target, must)) in [
        ("/", "gcm-2018"),
        (
            "/kwic?doc=gcm-2018&concept=local_government&role=actor",
            "annex, para.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut cmd = std::process::Command::new(chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("p{k}")).display()
        ))
        .arg(format!("http://{}{target}", s.addr));
        let o = run_bounded(cmd, 120);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dom = String::from_utf8_lossy(&o.stdout);
        assert!(dom.contains("<table id=\"rows\">"), "{target}: {dom}");
        assert!(dom.contains(must), "{target}: {must} not in {dom}");
    }
}

//! `fetch` and `update` against a real HTTP server on 127.0.0.1 that this test runs: a right
//! file, a wrong one, a cut body, 404, 500-then-success, a server slower than the timeout,
//! an empty body.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::util::*;

const BODY: &[u8] = b"The cities of the world and their mayors.\n";

/// Serves a bounded number of requests, then stops.
fn serve() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let flaky = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(40) {
            let Ok(mut s) = stream else { continue };
            let flaky = flaky.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 2048];
                let n = s.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                let ok = |s: &mut std::net::TcpStream, body: &[u8]| {
                    let _ = write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = s.write_all(body);
                };
                match path.as_str() {
                    "/good.txt" => ok(&mut s, BODY),
                    "/wrong.txt" => ok(&mut s, b"Something else entirely.\n"),
                    "/empty.txt" => ok(&mut s, b""),
                    "/cut.txt" => {
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                        );
                        let _ = s.write_all(&BODY[..10]);
                    }
                    "/flaky.txt" => {
                        if flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                            let _ = write!(
                                s,
                                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            );
                        } else {
                            ok(&mut s, BODY);
                        }
                    }
                    "/big.txt" => ok(&mut s, &vec![b'x'; 100_000]),
                    "/slow.txt" => {
                        std::thread::sleep(std::time::Duration::from_secs(4));
                        ok(&mut s, BODY);
                    }
                    _ => {
                        let _ = write!(
                            s,
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    }
                }
            });
        }
    });
    port
}

fn manifest(dir: &std::path::Path, port: u16) -> std::path::PathBuf {
    let sha = menutable::corpus::sha256_hex(BODY);
    let mut m = String::new();
    for name in ["good", "wrong", "empty", "cut", "flaky", "slow", "missing"] {
        m += &format!(
            "[[document]]\nid = \"{name}\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"{name}.txt\"\nurl = \"http://127.0.0.1:{port}/{name}.txt\"\nsha256 = \"{sha}\"\n\n"
        );
    }
    let p = dir.join("manifest.toml");
    std::fs::write(&p, m).unwrap();
    p
}

#[test]
fn fetch_keeps_only_verified_files_and_says_why_the_others_failed() {
    let dir = tempdir("fetch");
    let port = serve();
    let m = manifest(&dir, port);
    let corpus = dir.join("corpus");
    let o = menutable()
        .arg("--manifest")
        .arg(&m)
        .arg("--corpus")
        .arg(&corpus)
        .args(["fetch", "--timeout", "1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "some failed: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let st = |id: &str| {
        let d = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap();
        (
            d["status"].as_str().unwrap().to_string(),
            d["detail"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(st("good").0, "fetched");
    assert_eq!(std::fs::read(corpus.join("good.txt")).unwrap(), BODY);
    assert_eq!(
        st("flaky").0,
        "fetched",
        "a 500 is retried: {:?}",
        st("flaky")
    );
    let (s, why) = st("wrong");
    assert_eq!(s, "failed");
    assert!(
        why.contains("sha256") && why.contains(&menutable::corpus::sha256_hex(BODY)),
        "{why}"
    );
    assert!(st("empty").1.contains("0 bytes"), "{:?}", st("empty"));
    assert_eq!(st("cut").0, "failed");
    assert!(
        st("missing").1.contains("404") && st("missing").1.contains("after 1 attempt"),
        "{:?}",
        st("missing")
    );
    assert!(
        st("slow").1.contains("timeout") || st("slow").1.contains("imeout"),
        "{:?}",
        st("slow")
    );
    for name in ["wrong", "empty", "cut", "slow", "missing"] {
        assert!(
            !corpus.join(format!("{name}.txt")).exists(),
            "{name} must not land"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The stderr names each failed document.
    assert!(stderr(&o).contains("menutable: wrong:"));
}

#[test]
fn update_is_idempotent_and_logs_one_line_per_run() {
    let dir = tempdir("update");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "The cities.\n").unwrap();
    let log = dir.join("update.log");
    let upd = || {
        menutable()
            .arg("--manifest")
            .arg(dir.join("none.toml"))
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .args(["update", "--offline", "--log"])
            .arg(&log)
            .output()
            .unwrap()
    };
    assert_eq!(upd().status.code(), Some(0));
    assert_eq!(upd().status.code(), Some(0));
    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("updated") && lines[0].contains("added 1"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("up to date, nothing changed") && lines[1].contains("added 0"),
        "{}",
        lines[1]
    );
    std::fs::write(corpus.join("bad.pdf"), b"not a pdf").unwrap();
    assert_eq!(upd().status.code(), Some(3), "indexed, with a failed file");
}

#[test]
fn issue14_fetch_caps_the_body_and_fails_other_schemes_once() {
    let dir = tempdir("fetch-cap");
    let port = serve();
    let m = dir.join("manifest.toml");
    std::fs::write(
        &m,
        format!(
            "[[document]]\nid = \"big\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"big.txt\"\nurl = \"http://127.0.0.1:{port}/big.txt\"\nmax_bytes = 1000\n\n\
             [[document]]\nid = \"ftp\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"ftp.txt\"\nurl = \"ftp://127.0.0.1/x.txt\"\n"
        ),
    )
    .unwrap();
    let corpus = dir.join("corpus");
    let started = std::time::Instant::now();
    let o = menutable()
        .arg("--manifest")
        .arg(&m)
        .arg("--corpus")
        .arg(&corpus)
        .args(["fetch", "--timeout", "5", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let detail = |id: &str| {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(detail("big").contains("larger than 1000 bytes"), "{v:#}");
    assert!(
        detail("big").contains("after 1 attempt"),
        "no retry past the cap: {v:#}"
    );
    assert!(detail("ftp").contains("only http and https"), "{v:#}");
    // No retry with backoff for either: well under the 1.5 s three attempts would take.
    assert!(
        started.elapsed().as_secs_f64() < 1.4,
        "{:?}",
        started.elapsed()
    );
    assert!(!corpus.join("big.txt").exists() && !corpus.join("big.txt.part").exists());
}

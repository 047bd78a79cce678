//! The HTML report: self-contained, its figures equal `count`'s, its charts have a mark per
//! figure. (The headless-Chromium screenshot test of issue 6 is still to come.)

use crate::util::*;

/// `count` of the report's rows: instruments, so the Paris PDF is its two parts.
fn instrument_counts() -> Vec<serde_json::Value> {
    let whole = real().json(&["count"], 0);
    let parts = real().json(
        &[
            "count",
            "--doc",
            "decision-1-cp21",
            "--doc",
            "paris-agreement",
        ],
        0,
    );
    whole["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["id"] != "paris-2015")
        .chain(parts["documents"].as_array().unwrap())
        .cloned()
        .collect()
}

#[test]
fn report_is_self_contained_and_agrees_with_count() {
    let r = real();
    let out = tempdir("report").join("report.html");
    let o = run(
        &r.corpus,
        &r.index,
        &["report", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    // No network: no scripts, stylesheets, images or fonts from elsewhere.
    for bad in [
        "<script",
        "<link",
        "src=\"http",
        "url(http",
        "@import",
        "<img",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let docs = instrument_counts();
    // A headline row per document, with the same total as count.
    assert_eq!(html.matches("<tr class=\"doc\"").count(), docs.len());
    let mut nonzero = 0;
    for d in &docs {
        let total = total_mentions(d);
        assert!(
            html.contains(&format!(
                "data-doc=\"{}\" data-mentions=\"{total}\"",
                d["id"].as_str().unwrap()
            )),
            "{}",
            d["id"]
        );
        nonzero += concepts_with_mentions(d);
    }
    // The bar chart: one bar per (document, concept) with mentions.
    assert_eq!(html.matches("<rect class=\"bar\"").count(), nonzero);
    // The dispersion plot: one tick per counted mention (contents left out).
    let all: usize = CONCEPTS
        .iter()
        .map(|c| {
            let o = run(
                &r.corpus,
                &r.index,
                &["kwic", "--concept", c, "--format", "json"],
            );
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["mentions"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(html.matches("<rect class=\"tick\"").count(), all);
    // The trend chart: a line per concept over the UNFCCC series; the methods name every sha256.
    assert_eq!(html.matches("<polyline class=\"trend\"").count(), 6);
    assert!(html.contains("4a150715027b5fe4a6ee00d438270ad6d1746d39f74a93619226d147cd6a0714"));
    assert!(html.contains("Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"));
    // The claims table, a row per claim with claims' verdict, and the missing GCR as a row.
    let claims = r.json(&["claims"], 0);
    for c in claims["claims"].as_array().unwrap() {
        assert!(
            html.contains(&format!(
                "data-claim=\"{}\" data-verdict=\"{}\"",
                c["id"].as_str().unwrap(),
                c["verdict"].as_str().unwrap()
            )),
            "{c}"
        );
    }
    assert_eq!(html.matches("<tr class=\"missing\"").count(), 1);
    assert!(html.contains("https://undocs.org/A/73/12(PartII)"));
}

/// The report in a real browser: headless Chromium loads it from a server on 127.0.0.1 that
/// every host name is mapped to, so any request for something outside the report would reach
/// it and be seen; the rendered DOM has a row per document and the chart marks; a screenshot
/// is taken. (`.ci/run` installs Debian's chromium when it is missing.)
#[test]
fn report_renders_in_headless_chromium_without_network_requests() {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    let r = real();
    let dir = tempdir("chromium");
    let html_path = dir.join("report.html");
    assert!(
        run(
            &r.corpus,
            &r.index,
            &["report", "--out", html_path.to_str().unwrap()]
        )
        .status
        .success()
    );
    let html = std::fs::read(&html_path).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let first = req.lines().next().unwrap_or("").to_string();
            // What the page asks for carries a Referer; Chromium's own background calls (its
            // updater and clock, mapped here too) do not.
            let referer = req
                .lines()
                .find(|l| l.to_lowercase().starts_with("referer:"))
                .unwrap_or("")
                .to_string();
            log.lock().unwrap().push(format!("{first} | {referer}"));
            if first.starts_with("GET /report.html ") {
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    html.len()
                );
                let _ = s.write_all(&html);
            } else {
                let _ = write!(
                    s,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        }
    });
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let chromium =
        chromium.expect("headless Chromium is needed: apt-get install chromium (.ci/run does)");
    let url = format!("http://127.0.0.1:{port}/report.html");
    let args = |extra: &[&str]| {
        let mut a: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.push(format!(
            "--user-data-dir={}",
            dir.join(format!("profile{}", extra.len())).display()
        ));
        a.push(format!("--host-resolver-rules=MAP * 127.0.0.1:{port}"));
        a.extend(extra.iter().map(|s| s.to_string()));
        a.push(url.clone());
        a
    };
    let dom = std::process::Command::new(chromium)
        .args(args(&["--dump-dom"]))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let shot = dir.join("report.png");
    let o = std::process::Command::new(chromium)
        .args(args(&[
            "--window-size=1100,1400",
            &format!("--screenshot={}", shot.display()),
        ]))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot"
    );
    let docs = instrument_counts();
    assert_eq!(dom.matches("<tr class=\"doc\"").count(), docs.len());
    let nonzero: usize = docs.iter().map(concepts_with_mentions).sum();
    assert_eq!(dom.matches("<rect class=\"bar\"").count(), nonzero);
    assert_eq!(dom.matches("<polyline class=\"trend\"").count(), 6);
    // The dispersion plot: a tick per mention outside the tables of contents.
    let ticks: u64 = docs.iter().map(total_mentions).sum();

    assert_eq!(dom.matches("<rect class=\"tick\"").count() as u64, ticks);
    let seen = seen.lock().unwrap().clone();
    let from_page: Vec<&String> = seen
        .iter()
        .filter(|l| !l.ends_with("| ") && !l.contains("/favicon.ico"))
        .collect();
    assert!(
        from_page.is_empty(),
        "the page asked for more than itself: {from_page:?}"
    );

    assert!(
        seen.iter().any(|l| l.starts_with("GET /report.html ")),
        "{seen:?}"
    );
}

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
    let mut c = menutable();
    c.arg("--corpus").arg(corpus).arg("--index").arg(index);
    started(c, extra)
}

/// `serve` on a free port of 127.0.0.1 with `c`'s flags and folder, once it says where.
fn started(mut c: std::process::Command, extra: &[&str]) -> Server {
    let mut child = c
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

/// (status, headers, body) of one raw request: the body by its Content-Length when it has one
/// (Chromium's DevTools server keeps the connection open), else to the end.
fn raw(addr: &str, request: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut all = Vec::new();
    let mut chunk = [0u8; 8192];
    let split = loop {
        if let Some(p) = all.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "the connection closed before a response head");
        all.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())?
    });
    let mut body = all[split + 4..].to_vec();
    match length {
        Some(n) if !request.starts_with("HEAD") => {
            while body.len() < n {
                let k = s.read(&mut chunk).unwrap();
                assert!(k > 0, "the body ended early");
                body.extend_from_slice(&chunk[..k]);
            }
        }
        Some(_) => {}
        None => {
            s.read_to_end(&mut body).unwrap();
        }
    }
    (status, head, body)
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
        // A positional file (`claims FILE`) too: it once answered the file's first line.
        ("/claims?file=/etc/passwd", 400, "names a file"),
        ("/claims?file=/etc/passwd&format=csv", 400, "names a file"),
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
        assert!(!body.contains("root:"), "{target}: {body}");
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

/// A project whose every field is hostile: titles, names, symbols, texts, file names and
/// claims that would be markup if a page did not escape them. Every page, and the report, shows
/// them as text.
#[test]
fn issue24_hostile_titles_texts_file_names_and_claims_are_text_on_every_page() {
    let dir = tempdir("serve-hostile");
    std::fs::create_dir_all(dir.join("corpus/files")).unwrap();
    let evil = "<script>alert(1)</script>\\\"><img src=x onerror=alert(2)>";
    std::fs::write(
        dir.join("corpus/manifest.toml"),
        format!(
            "[[document]]\nid = \"evil\"\ntitle = \"{evil}\"\nshort = \"<b id=pwned>Evil</b>\"\nsymbol = \"A/<i>1</i>\"\nadopted = 2023\nkind = \"declaration\"\nlanguage = \"en\"\nfile = \"<u>x<u>.en.txt\"\nurl = \"javascript:alert(3)\"\n\n[[document]]\nid = \"gone\"\ntitle = \"{evil}\"\nshort = \"<b id=pwned>Gone</b>\"\nsymbol = \"<i>1</i>\"\nadopted = 2024\nkind = \"declaration\"\nlanguage = \"en\"\nfile = \"<u>gone<u>.en.txt\"\n"
        ),
    )
    .unwrap();
    let text = "1. The cities <script>alert(4)</script> act with mayors \"><img src=y onerror=alert(5)>.\n2. Local authorities & <b id=pwned>urban</b> areas of the cities.\n";
    std::fs::write(dir.join("corpus/files/<u>x<u>.en.txt"), text).unwrap();
    std::fs::write(
        dir.join("corpus/files/\"><img src=z>.en.txt"),
        "1. The cities <img src=w> meet.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("corpus/claims.toml"),
        format!(
            "[[claim]]\nid = \"evil-claim\"\nclaim = \"{evil}\"\nsource = \"<b id=pwned>a source</b>\"\ndoc = \"evil\"\nterm = \"cities\"\nequals = 2\n\n[[claim]]\nid = \"evil-term\"\nclaim = \"x\"\nsource = \"y\"\ndoc = \"evil\"\nterm = \"<img src=q>\"\nequals = 0\n"
        ),
    )
    .unwrap();
    let mut c = menutable();
    c.current_dir(&dir).args(["index"]);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut c = menutable();
    c.current_dir(&dir).args(["report", "--out", "report.html"]);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();

    let mut c = menutable();
    c.current_dir(&dir);
    let s = started(c, &[]);
    let docs = String::from_utf8(get(&s.addr, "/docs?format=csv").2).unwrap();
    let other = menutable::serve::pages::parse_csv(&docs)[1..]
        .iter()
        .map(|r| r[0].clone())
        .find(|id| id != "evil" && id != "gone")
        .expect("the document of the hostile file name");
    let enc = |x: &str| menutable::serve::pages::encode(x);
    let pages = [
        "/".to_string(),
        "/docs/evil".into(),
        "/docs/gone".into(),
        format!("/docs/{}", enc(&other)),
        "/count".into(),
        "/roles".into(),
        "/claims".into(),
        "/docs".into(),
        "/kwic?concept=city".into(),
        "/kwic?doc=evil&concept=city&sort=R1".into(),
        format!("/kwic?term={}", enc("<script>")),
        "/text?id=evil".into(),
        format!(
            "/text?id=evil&unit={}&mark={}&cite={}",
            enc("para. 1"),
            enc("<script>"),
            enc(evil)
        ),
        "/search?query=cities".into(),
        "/freq".into(),
        "/collocates?node=city".into(),
        "/keyness?target=evil".into(),
        format!("/docs/{}", enc(evil)),
        format!("/count?doc={}", enc(evil)),
    ];
    let mut shown = 0;
    for (target, page) in pages
        .iter()
        .map(|t| (t.as_str(), String::from_utf8(get(&s.addr, t).2).unwrap()))
        .chain([("report.html", report)])
    {
        for raw in [
            "<script>",
            "<img",
            "<b id=pwned",
            "<i>1",
            "<u>",
            "href=\"javascript:",
        ] {
            assert!(!page.contains(raw), "{target} has {raw} unescaped:\n{page}");
        }
        shown += usize::from(page.contains("&lt;b id=pwned&gt;") || page.contains("&lt;img"));
    }
    assert!(
        shown >= 10,
        "the hostile text is shown, escaped, on most pages: {shown}"
    );
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

/// A view opened from the menu without its flags is its form; a paged concordance links to
/// its next page, which is the command's next page.
#[test]
fn issue24_a_view_without_its_flags_is_its_form_and_pages_link_on() {
    let s = serve(&real().corpus, &real().index, &[]);
    let (status, _, page) = get(&s.addr, "/kwic");
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<form") && page.contains("name=\"concept\""),
        "{page}"
    );
    assert!(!page.contains("class=\"error\""), "{page}");
    let (_, _, page) = get(&s.addr, "/kwic?concept=local_government&limit=5");
    let page = String::from_utf8(page).unwrap();
    let next = page
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no next link in {page}"))
        .replace("&amp;", "&");
    assert!(!page.contains("rel=\"prev\""));
    let (status, _, csv) = get(&s.addr, &format!("{next}&format=csv"));
    assert_eq!(status, 200);
    assert_eq!(
        csv,
        cli_bytes(&[
            "kwic",
            "--concept",
            "local_government",
            "--limit",
            "5",
            "--offset",
            "5",
            "--format",
            "csv"
        ])
    );
    let (_, _, page) = get(&s.addr, &next);
    assert!(String::from_utf8(page).unwrap().contains("rel=\"prev\""));
}

/// An answer that takes longer than `--timeout` is a 503 with Retry-After; its work goes on
/// and is kept, so asking again gets it (here every answer is late: `--timeout 0`).
#[test]
fn issue24_a_late_answer_is_a_503_then_kept_for_the_next_request() {
    let s = serve(&real().corpus, &real().index, &["--timeout", "0"]);
    let (status, head, body) = get(&s.addr, "/count?format=csv");
    assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
    assert!(head.contains("Retry-After: 1"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("takes longer than 0 s"));
    // Waits for the state (the answer kept), asking every 50 ms, for 60 s at most.
    let expected = cli_bytes(&["count", "--format", "csv"]);
    let mut answer = None;
    for _ in 0..1200 {
        let (status, _, body) = get(&s.addr, "/count?format=csv");
        if status == 200 {
            answer = Some(body);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(answer.expect("the kept answer within 60 s"), expected);
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
    let dir = tempdir("serve-chromium");
    for (k, (target, must)) in [
        ("/", "id=\"instruments\""),
        (
            "/kwic?doc=gcm-2018&concept=local_government&role=actor",
            "annex, para.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut cmd = headless_chromium();
        cmd.arg("--dump-dom")
            .arg(format!(
                "--user-data-dir={}",
                dir.join(format!("p{k}")).display()
            ))
            .arg(format!("http://{}{target}", s.addr));
        let o = run_bounded(cmd, 120);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dom = String::from_utf8_lossy(&o.stdout);
        assert!(dom.contains("<table"), "{target}: {dom}");
        assert!(dom.contains(must), "{target}: {must} not in {dom}");
    }
}

/// Headless Chromium over the DevTools protocol: calls answered by id, every event kept.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<TcpStream>,
    next: u64,
    events: Vec<serde_json::Value>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn start(profile: &Path) -> Browser {
        let mut child = headless_chromium()
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("Chromium said where DevTools listens")
                .unwrap();
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Chromium's stderr is drained so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let (_, _, list) = get(&format!("127.0.0.1:{port}"), "/json/list");
        let list: serde_json::Value = serde_json::from_slice(&list).unwrap();
        let url = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
        let mut b = Browser {
            child,
            ws,
            next: 0,
            events: Vec::new(),
        };
        for m in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            b.call(m, serde_json::json!({}));
        }
        b
    }

    fn read(&mut self) -> serde_json::Value {
        loop {
            match self.ws.read().expect("DevTools answered within 60 s") {
                tungstenite::Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
                _ => continue,
            }
        }
    }

    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = self.next;
        let msg = serde_json::json!({"id": id, "method": method, "params": params});
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let m = self.read();
            if m["id"] == id {
                assert!(m.get("error").is_none(), "{method}: {m}");
                return m["result"].clone();
            }
            self.events.push(m);
        }
    }

    /// Waits for the next event `method` (events already kept count only if after `from`).
    fn wait(&mut self, method: &str, from: usize) {
        if self.events[from..].iter().any(|e| e["method"] == method) {
            return;
        }
        loop {
            let m = self.read();
            let hit = m["method"] == method;
            self.events.push(m);
            if hit {
                return;
            }
        }
    }

    fn eval(&mut self, expr: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {r}");
        r["result"]["value"].clone()
    }

    /// Runs `action` (a navigation or a click) and waits for the page it loads.
    fn load(&mut self, action: &str) {
        let from = self.events.len();
        self.eval(action);
        self.wait("Page.loadEventFired", from);
    }

    fn goto(&mut self, url: &str) {
        let from = self.events.len();
        self.call("Page.navigate", serde_json::json!({"url": url}));
        self.wait("Page.loadEventFired", from);
    }

    /// The rows of the first table of rows under `within` (a CSS selector), as text.
    fn rows(&mut self, within: &str) -> Vec<Vec<String>> {
        let v = self.eval(&format!(
            "[...document.querySelector({:?}).querySelector('table.rows').rows].map(r => [...r.cells].map(c => c.textContent))",
            within
        ));
        serde_json::from_value(v).unwrap()
    }

    /// Serious and critical accessibility violations, by axe-core.
    fn axe(&mut self, source: &str) -> Vec<String> {
        self.eval(source);
        let v = self.eval(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.html).join(' | ')))",
        );
        serde_json::from_value(v).unwrap()
    }

    /// How many of the page's focusable elements Tab reaches, of how many.
    fn tab_reaches_every_control(&mut self) -> (usize, usize) {
        let n = self
            .eval("[...document.querySelectorAll('a[href], input, button, select, textarea')].map((e, k) => { e.dataset.k = k; return k; }).length")
            .as_u64()
            .unwrap() as usize;
        // Twice round: Tab starts from wherever focus last was and wraps at the end.
        let mut reached = std::collections::BTreeSet::new();
        for _ in 0..2 * n + 1 {
            for kind in ["keyDown", "keyUp"] {
                self.call(
                    "Input.dispatchKeyEvent",
                    serde_json::json!({"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}),
                );
            }
            if let Some(k) = self.eval("document.activeElement.dataset.k").as_str() {
                reached.insert(k.to_string());
            }
        }
        (reached.len(), n)
    }
}

/// `kwic`'s CSV rows as a concordance page shows them: its columns
/// ([`menutable::serve::html::KWIC_COLUMNS`]) and a link that opens each line's unit.
fn concordance(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let header = rows[0].clone();
    rows.iter()
        .map(|r| {
            let mut out: Vec<String> = menutable::serve::html::KWIC_COLUMNS
                .iter()
                .map(|c| r[header.iter().position(|h| h == c).unwrap()].clone())
                .collect();
            out.push("open".to_string());
            out
        })
        .collect()
}

/// The path an advocate takes: overview → an instrument → its concordance filtered by role →
/// sorted → a mention opened → its citation copied → the CSV downloaded; on every page the
/// figures are the command line's, no console error, no request leaves the server, no
/// serious or critical accessibility violation (axe-core), and Tab reaches every control.
#[test]
fn issue24_the_advocates_path_in_chromium_over_devtools() {
    let axe = std::fs::read_to_string(root().join("target/axe/package/axe.min.js"))
        .expect("axe-core in target/axe (scripts/test.sh unpacks it from npm)");
    let s = serve(&real().corpus, &real().index, &[]);
    let dir = tempdir("serve-devtools");
    let mut b = Browser::start(&dir.join("profile"));
    let base = format!("http://{}", s.addr);
    let csv_rows = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--format", "csv"]);
        let text = String::from_utf8(cli_bytes(&a)).unwrap();
        menutable::serve::pages::parse_csv(&text)
    };
    let mut violations = Vec::new();
    let mut check = |b: &mut Browser, what: &str| {
        for v in b.axe(&axe) {
            violations.push(format!("{what}: {v}"));
        }
        let (reached, n) = b.tab_reaches_every_control();
        assert_eq!(reached, n, "{what}: Tab reached {reached} of {n} controls");
    };

    b.goto(&format!("{base}/"));
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_value(b.eval(
        "[...document.querySelectorAll('#instruments tr.instrument')].map(r => Object.assign({}, r.dataset))",
    ))
    .unwrap();
    let docs: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["doc"].as_str())
        .filter(|d| !d.starts_with("unfccc-") && *d != "not-in-manifest")
        .collect();
    assert!(docs.len() >= 8 && docs.contains(&"gcm-2018"), "{docs:?}");
    for r in &rows {
        let doc = r["doc"].as_str().unwrap();
        let select: Vec<&str> = if doc == "unfccc-decisions" {
            vec!["--kind", "decision"]
        } else {
            vec!["--doc", doc]
        };
        if doc == "unfccc-decisions" {
            // The group's row is the series' total, its parts shown on their own rows too.
            continue;
        }
        let count = csv_rows(&[&["count"], &select[..]].concat());
        let roles = csv_rows(&[&["roles"], &select[..]].concat());
        let cell = |t: &[Vec<String>], col: &str| -> u64 {
            let k = t[0].iter().position(|c| c == col).unwrap();
            t[1..].iter().map(|r| r[k].parse::<u64>().unwrap()).sum()
        };
        let shown = |k: &str| r[k].as_str().unwrap().parse::<u64>().unwrap();
        for (data, col) in [
            ("city", "city"),
            ("mayor", "mayor"),
            ("urban", "urban"),
            ("words", "words"),
        ] {
            assert_eq!(shown(data), cell(&count, col), "overview {doc} {col}");
        }
        assert_eq!(
            shown("local"),
            cell(&count, "local_government") + cell(&count, "subnational"),
            "overview {doc} local"
        );
        assert_eq!(
            shown("actor"),
            cell(&roles, "actor"),
            "overview {doc} actor"
        );
        assert_eq!(
            shown("tableOf"),
            cell(&roles, "at_the_table_of"),
            "overview {doc} share basis"
        );
    }
    check(&mut b, "overview");

    // Every instrument's page: its counts, roles, role bars and mentions are the commands'.
    let ids: Vec<String> = csv_rows(&["docs"])[1..]
        .iter()
        .filter(|r| r[10] == "indexed")
        .map(|r| r[0].clone())
        .collect();
    assert!(ids.len() > 70, "{}", ids.len());
    for id in &ids {
        b.goto(&format!("{base}/docs/{id}"));
        assert_eq!(b.rows("#counts"), csv_rows(&["count", "--doc", id]), "{id}");
        let roles = csv_rows(&["roles", "--doc", id]);
        assert_eq!(b.rows("#roles"), roles, "{id}");
        let mentions: u64 = roles[1][8].parse().unwrap();
        let bars = b.eval("(document.getElementById('bars-desc') || {}).textContent || ''");
        let bars = bars.as_str().unwrap().to_string();
        if mentions > 0 {
            let all = format!(
                "all mentions: actor {}, target {}, level {}, setting {}, ceremonial {}",
                roles[1][2], roles[1][3], roles[1][4], roles[1][5], roles[1][6]
            );
            assert!(bars.starts_with(&all), "{id}: {bars} is not {all}");
        }
        let shown: u64 = serde_json::from_value(b.eval(
            "[...document.querySelectorAll('#mentions table.rows')].map(t => t.rows.length - 1).reduce((a, b) => a + b, 0)",
        ))
        .unwrap();
        // Every mention (names of instruments apart), up to a page per concept.
        let none: u64 = roles[1][7].parse().unwrap();
        assert_eq!(shown, mentions - none, "{id}: mentions listed");
    }

    b.goto(&format!("{base}/"));
    b.load("document.querySelector('a[href=\"/docs/gcm-2018\"]').click()");
    assert_eq!(b.eval("location.pathname"), "/docs/gcm-2018");
    assert_eq!(b.rows("#counts"), csv_rows(&["count", "--doc", "gcm-2018"]));
    assert_eq!(b.rows("#roles"), csv_rows(&["roles", "--doc", "gcm-2018"]));
    assert_eq!(
        b.rows("#mentions-local_government"),
        concordance(csv_rows(&[
            "kwic",
            "--doc",
            "gcm-2018",
            "--concept",
            "local_government"
        ]))
    );
    check(&mut b, "instrument");

    b.load("document.querySelector('a[href=\"/kwic?doc=gcm-2018&concept=local_government&role=actor\"]').click()");
    let filtered = [
        "kwic",
        "--doc",
        "gcm-2018",
        "--concept",
        "local_government",
        "--role",
        "actor",
    ];
    assert_eq!(b.rows("main"), concordance(csv_rows(&filtered)));
    b.load(
        "document.getElementById('f-sort').value = 'R1'; document.querySelector('form').submit()",
    );
    let sorted: Vec<&str> = filtered.iter().copied().chain(["--sort", "R1"]).collect();
    assert_eq!(b.rows("main"), concordance(csv_rows(&sorted)));
    check(&mut b, "concordance");
    // The page's download link, fetched as a browser's download would (the page's CSP lets
    // no script connect anywhere, so the link is followed outside it).
    let href: String =
        serde_json::from_value(b.eval("document.getElementById('csv').getAttribute('href')"))
            .unwrap();
    let (status, head, download) = get(&s.addr, &href);
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/csv"), "{head}");
    let mut want = sorted.clone();
    want.extend(["--format", "csv"]);
    assert_eq!(download, cli_bytes(&want), "the downloaded CSV");

    let citation = b.eval("document.querySelector('a.open').closest('tr').cells[1].textContent");
    b.load("document.querySelector('a.open').click()");
    assert_eq!(
        b.eval("document.querySelectorAll('#unit mark').length > 0"),
        true
    );
    assert_eq!(
        b.eval("document.getElementById('citation').value"),
        citation
    );
    b.eval("document.getElementById('copy').click()");
    assert_eq!(
        // Waits for the state (the status line filled), checking every 50 ms, for 30 s at most.
        b.eval("new Promise(r => { let n = 0; const t = setInterval(() => { const s = document.getElementById('copied').textContent; if (s || ++n > 600) { clearInterval(t); r(s); } }, 50); })"),
        format!("Copied: {}", citation.as_str().unwrap())
    );
    check(&mut b, "unit");

    let errors: Vec<&serde_json::Value> = b
        .events
        .iter()
        .filter(|e| {
            (e["method"] == "Runtime.consoleAPICalled" && e["params"]["type"] == "error")
                || e["method"] == "Runtime.exceptionThrown"
                || (e["method"] == "Log.entryAdded" && e["params"]["entry"]["level"] == "error")
        })
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let outside: Vec<&str> = b
        .events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent")
        .filter_map(|e| e["params"]["request"]["url"].as_str())
        .filter(|u| !u.starts_with(&format!("{base}/")))
        .collect();
    assert!(
        outside.is_empty(),
        "requests that left the server: {outside:?}"
    );
    assert!(violations.is_empty(), "accessibility: {violations:#?}");
}

//! The HTML report (issues 6 and 16): it answers first, every figure it states is `count`'s,
//! `roles`' or `claims`' (read back from its `data-*` attributes), its charts meet the chart
//! standards, and in headless Chromium it requests nothing but itself and prints its table.

use std::collections::BTreeMap;

use crate::util::*;

/// `count` of the report's documents: the Paris PDF is its two parts.
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

/// The report of the real corpus, made once.
pub fn report_html() -> &'static str {
    static HTML: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HTML.get_or_init(|| {
        let out = tempdir("report").join("report.html");
        let o = run(
            &real().corpus,
            &real().index,
            &["report", "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(&out).unwrap()
    })
}

/// The attributes of every element whose opening tag starts with `start`
/// (`<li class="answer"`), with the text up to its closing tag `end`.
pub fn elements(html: &str, start: &str, end: &str) -> Vec<(BTreeMap<String, String>, String)> {
    html.split(start)
        .skip(1)
        .map(|rest| {
            let tag_end = rest.find('>').unwrap();
            let mut attrs = BTreeMap::new();
            for part in rest[..tag_end].split("\" ") {
                if let Some((k, v)) = part.trim().split_once("=\"") {
                    attrs.insert(k.to_string(), v.trim_end_matches('"').to_string());
                }
            }
            let body_end = rest[tag_end..]
                .find(end)
                .map_or(rest.len(), |i| tag_end + i);
            let body = &rest[(tag_end + 1).min(body_end)..body_end];
            (attrs, body.to_string())
        })
        .collect()
}

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&quot;", "\"")
}

/// A document's (city, mayor, urban, local + subnational, words) from `count` JSON.
fn figures(d: &serde_json::Value) -> [u64; 5] {
    let c = |k: &str| d["concepts"][k]["count"].as_u64().unwrap();
    [
        c("city"),
        c("mayor"),
        c("urban"),
        c("local_government") + c("subnational"),
        d["words"].as_u64().unwrap(),
    ]
}

/// (mentions of cities and their governments: the share's denominator, actor mentions), as
/// `roles` gives them.
fn roles_of(args: &[&str]) -> (u64, u64) {
    let v = real().json(&[&["roles"], args].concat(), 0);
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["at_the_table_of"].as_u64().unwrap(),
                d["roles"]["actor"].as_u64().unwrap(),
            )
        })
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// Every mention with a role, "urban" included (`roles`' `mentions`).
fn all_mentions_of(args: &[&str]) -> u64 {
    let v = real().json(&[&["roles"], args].concat(), 0);
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["mentions"].as_u64().unwrap())
        .sum()
}

fn times(n: u64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

#[test]
fn issue16_the_report_answers_first_with_the_figures_of_count_roles_and_claims() {
    let html = report_html();
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
    // The answer comes first.
    let first_h2 = html.find("<h2").unwrap();
    assert!(html[first_h2..].starts_with("<h2 id=\"answer\">The answer</h2>"));
    let by_id: BTreeMap<String, serde_json::Value> = instrument_counts()
        .into_iter()
        .map(|d| (d["id"].as_str().unwrap().to_string(), d))
        .collect();
    // The UNFCCC decisions as one group: count --kind decision (decision 1/CP.21 among them).
    let series = real().json(&["count", "--kind", "decision"], 0);
    let series = series["documents"].as_array().unwrap();
    let group: [u64; 5] = series
        .iter()
        .map(figures)
        .fold([0; 5], |a, b| std::array::from_fn(|i| a[i] + b[i]));
    let answers = elements(html, "<li class=\"answer\"", "</li>");
    let rows = elements(html, "<tr class=\"instrument\"", "</tr>");
    assert_eq!(answers.len(), rows.len());
    for want in [
        "gcm-2018",
        "nua-2016",
        "paris-agreement",
        "decision-1-cp21",
        "agenda2030-2015",
        "sendai-2015",
        "addis-2015",
        "nydeclaration-2016",
        "unfccc-decisions",
    ] {
        assert!(answers.iter().any(|(a, _)| a["data-doc"] == want), "{want}");
    }
    for (attrs, body) in answers.iter().chain(&rows) {
        let id = &attrs["data-doc"];
        let ([city, mayor, urban, local, words], (mentions, actor)) = if id == "unfccc-decisions" {
            (group, roles_of(&["--kind", "decision"]))
        } else {
            (figures(&by_id[id]), roles_of(&["--doc", id]))
        };
        let got = |k: &str| attrs[k].parse::<u64>().unwrap();
        assert_eq!(
            [
                got("data-city"),
                got("data-mayor"),
                got("data-urban"),
                got("data-local"),
                got("data-words")
            ],
            [city, mayor, urban, local, words],
            "{id}"
        );
        assert_eq!(
            (got("data-table-of"), got("data-actor")),
            (mentions, actor),
            "{id}"
        );
        let all = if id == "unfccc-decisions" {
            all_mentions_of(&["--kind", "decision"])
        } else {
            all_mentions_of(&["--doc", id])
        };
        assert_eq!(got("data-mentions"), all, "{id}");
        let text = text_of(body);
        if body.starts_with("<b>") {
            // The sentence states the same figures.
            match (city, mayor) {
                (0, 0) => assert!(
                    text.contains("never mention") && text.contains("a city or a mayor"),
                    "{text}"
                ),
                (c, _) => assert!(text.contains(&format!("a city {}", times(c))), "{text}"),
            }
            if urban == 0 {
                assert!(text.contains("“urban” never appears"), "{text}");
            } else {
                assert!(
                    text.contains(&format!("“urban” appears {}", times(urban))),
                    "{text}"
                );
            }
            if mentions > 0 && actor > 0 {
                assert!(
                    text.contains(&format!("{actor} of "))
                        && text.contains(&format!(
                            " {mentions} mentions of cities and their governments"
                        )),
                    "{text}"
                );
            }
        } else {
            // A table row: symbol, binding, words, a cell per concept, per 10,000 words, the
            // at-the-table share, names of instruments — each what count and roles say.
            let cells: Vec<String> = body
                .split("<td>")
                .skip(1)
                .map(|c| text_of(c.split("</td>").next().unwrap()))
                .collect();
            assert_eq!(cells[2], words.to_string(), "{id}");
            let sum = |k: &str| -> u64 {
                if id == "unfccc-decisions" {
                    series
                        .iter()
                        .map(|d| d["concepts"][k]["count"].as_u64().unwrap())
                        .sum()
                } else {
                    by_id[id]["concepts"][k]["count"].as_u64().unwrap()
                }
            };
            for (i, k) in CONCEPTS.iter().enumerate() {
                assert_eq!(cells[3 + i], sum(k).to_string(), "{id} {k}");
            }
            let total: u64 = CONCEPTS.iter().map(|k| sum(k)).sum();
            let per = (total as f64 * 10_000.0 / words as f64 * 100.0).round() / 100.0;
            assert_eq!(cells[9], format!("{per:.2}"), "{id}");
            let share = if mentions == 0 {
                "–".to_string()
            } else {
                format!("{:.0}%", 100.0 * actor as f64 / mentions as f64)
            };
            assert_eq!(cells[10], share, "{id}");
        }
    }
    // The GCM sentence, as the brief quotes it.
    let gcm = answers
        .iter()
        .find(|(a, _)| a["data-doc"] == "gcm-2018")
        .unwrap();
    assert!(
        text_of(&gcm.1)
            .contains("never mentions a city or a mayor; “urban” appears once (annex, para. 18(b)")
    );
    // The GCR is missing, and says so in the answer and the table.
    assert!(html.contains("<li class=\"answer missing\" data-doc=\"gcr-2018\""));
    assert_eq!(html.matches("<tr class=\"missing\"").count(), 1);
    assert!(html.contains("https://undocs.org/A/73/12(PartII)"));
    // Claims: claims' figure and verdict, and a link to each mention behind it.
    let claims = real().json(&["claims"], 0);
    let rows = elements(html, "<tr class=\"claim\"", "</tr>");
    for c in claims["claims"].as_array().unwrap() {
        let (attrs, body) = rows
            .iter()
            .find(|(a, _)| a["data-claim"] == c["id"].as_str().unwrap())
            .unwrap();
        assert_eq!(attrs["data-verdict"], c["verdict"].as_str().unwrap());
        assert_eq!(
            attrs["data-figure"],
            c["figure"]
                .as_u64()
                .map(|n| n.to_string())
                .unwrap_or_default()
        );
        for o in c["offsets"].as_array().unwrap() {
            let anchor = format!("m-{}-{o}", c["doc"].as_str().unwrap());
            assert!(body.contains(&format!("href=\"#{anchor}\"")), "{anchor}");
            assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
        }
    }
    // Every mention is grouped by instrument, anchored by id, with its citation and rule.
    assert!(html.contains("<details id=\"gcm-2018\""));
    assert!(html.contains("Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"));
    assert!(html.contains("setting.place-or-topic"));
    // Methods: the scope, each role in a sentence, every sha256.
    assert!(html.contains("<b>Scope.</b> Every document counted in totals"));
    assert!(html.contains("<li><b>ceremonial</b> — "));
    assert!(html.contains("4a150715027b5fe4a6ee00d438270ad6d1746d39f74a93619226d147cd6a0714"));
}

#[test]
fn issue16_the_role_bars_and_the_unfccc_trend_count_nothing_twice() {
    let html = report_html();
    // One bar per row with mentions, its segments adding up to roles' figures, actor first.
    let segs = elements(html, "<rect class=\"seg\"", ">");
    let mut per_doc: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for (a, _) in &segs {
        per_doc
            .entry(a["data-doc"].clone())
            .or_default()
            .push((a["data-role"].clone(), a["data-n"].parse().unwrap()));
    }
    for (id, segs) in &per_doc {
        let (mentions, actor) = if id == "unfccc-decisions" {
            roles_of(&["--kind", "decision"])
        } else {
            roles_of(&["--doc", id])
        };
        assert_eq!(segs.iter().map(|s| s.1).sum::<u64>(), mentions, "{id}");
        if actor > 0 {
            assert_eq!(segs[0], ("actor".to_string(), actor), "{id}");
        }
    }
    // The trend: one series per concept, from original-language texts only, decision 1/CP.21
    // included; each value is mentions per 10,000 words of the year's documents.
    let docs = real().json(&["docs"], 0);
    let left_out: Vec<&str> = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["in_totals"] == false && d["part_of"].is_null())
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(left_out.contains(&"cma4-add2-es") && left_out.contains(&"cmp3-add1-d1"));
    let (g, _) = &elements(html, "<g class=\"trend-docs\"", ">")[0];
    let in_trend: Vec<&str> = g["data-docs"].split(' ').collect();
    assert!(in_trend.contains(&"decision-1-cp21") && !in_trend.contains(&"paris-2015"));
    for id in &left_out {
        assert!(!in_trend.contains(id), "{id} counted in the trend");
    }
    let series = real().json(&["count", "--kind", "decision"], 0);
    let series = series["documents"].as_array().unwrap();
    let mut ids: Vec<&str> = series.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let mut trend_ids = in_trend.clone();
    ids.sort_unstable();
    trend_ids.sort_unstable();
    assert_eq!(ids, trend_ids);
    let lines = elements(html, "<polyline class=\"trend\"", ">");
    assert_eq!(lines.len(), CONCEPTS.len());
    for (a, _) in &lines {
        let c = a["data-concept"].as_str();
        for point in a["data-values"].split(' ') {
            let (year, v) = point.split_once(':').unwrap();
            let year: u64 = year.parse().unwrap();
            let of_year: Vec<&serde_json::Value> =
                series.iter().filter(|d| d["year"] == year).collect();
            let words: u64 = of_year.iter().map(|d| d["words"].as_u64().unwrap()).sum();
            let n: u64 = of_year
                .iter()
                .map(|d| d["concepts"][c]["count"].as_u64().unwrap())
                .sum();
            let want = (n as f64 * 10_000.0 / words as f64 * 100.0).round() / 100.0;
            assert!(
                (v.parse::<f64>().unwrap() - want).abs() < 1e-9,
                "{c} {year}: {v} vs {want}"
            );
        }
    }
    // The dispersion plot: a tick per mention of the series.
    let ticks = html.matches("<rect class=\"tick-mark\"").count() as u64;
    let all: u64 = series.iter().map(total_mentions).sum();
    assert_eq!(ticks, all);
}

#[test]
fn issue16_every_chart_has_a_title_axes_a_legend_a_source_and_its_own_palette() {
    let html = report_html();
    let figures: Vec<&str> = html
        .split("<figure")
        .skip(1)
        .map(|f| &f[..f.find("</figure>").unwrap()])
        .collect();
    assert_eq!(figures.len(), 3, "roles, trend, dispersion");
    let role_colors = ["#332288", "#CC6677", "#117733", "#DDCC77", "#AA4499"];
    let concept_colors = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    ];
    for f in &figures {
        for part in [
            "class=\"ftitle\"",
            "class=\"sub\"",
            "<title id=",
            "<desc id=",
            "role=\"img\"",
            "class=\"axis-label\"",
            "class=\"tick\"",
            "class=\"legend\"",
            "class=\"source\"",
        ] {
            assert!(f.contains(part), "{part} missing in {}", &f[..80]);
        }
        assert!(
            f.matches("<span><svg").count() >= 5,
            "a legend entry per series"
        );
        let is_trend = f.contains("id=\"trend\"");
        // Concepts and roles never share a colour: each chart uses one palette only.
        for c in if is_trend {
            role_colors.as_slice()
        } else {
            concept_colors.as_slice()
        } {
            assert!(!f.contains(c), "{c} in the wrong chart");
        }
    }
    // Tables have header cells; print keeps headings with their charts.
    assert!(html.contains("<th scope=\"col\"") && html.contains("<th scope=\"row\""));
    assert!(
        html.contains("break-after:avoid")
            && html.contains("figure,table,tr,li{break-inside:avoid}")
    );
    assert!(!html.contains(": 1 mentions") && !html.contains(" 1 mentions"));
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
    let html_str = String::from_utf8_lossy(&html).to_string();
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
    let url = format!("http://127.0.0.1:{port}/report.html");
    // Headless Chromium with a profile of its own per run, every host name sent to the test
    // server, then the run's flags and the address.
    let browser = |extra: &[&str], url: &str| {
        let mut c = headless_chromium();
        c.arg("--disable-quic")
            .arg(format!(
                "--user-data-dir={}",
                dir.join(format!("profile{}", extra.len())).display()
            ))
            .arg(format!("--host-resolver-rules=MAP * 127.0.0.1:{port}"))
            .args(extra)
            .arg(url);
        c
    };
    let dom = browser(&["--dump-dom"], &url).output().unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let shot = dir.join("report.png");
    let o = browser(
        &[
            "--window-size=1100,1400",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot"
    );
    // The rendered page has the instrument table and the charts' marks.
    assert_eq!(
        dom.matches("<tr class=\"instrument\"").count(),
        html_str.matches("<tr class=\"instrument\"").count()
    );
    assert_eq!(dom.matches("<polyline class=\"trend\"").count(), 6);
    assert!(dom.matches("<rect class=\"seg\"").count() > 9);
    // Printed to PDF by Chromium, on A4, its text holds the instrument table.
    let pdf = dir.join("report.pdf");
    // The file itself (the server above has answered what it had to).
    let o = browser(
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        &format!("file://{}", html_path.display()),
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils; .ci/run installs it)");
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    for d in instrument_counts().iter().filter(|d| {
        ["gcm-2018", "nua-2016", "paris-agreement", "agenda2030-2015"]
            .contains(&d["id"].as_str().unwrap())
    }) {
        let words = d["words"].to_string();
        let row = text
            .lines()
            .find(|l| l.contains(d["symbol"].as_str().unwrap()) && l.contains(&words));
        assert!(
            row.is_some(),
            "no table row for {} ({words} words) in the PDF:\n{text}",
            d["id"]
        );
    }
    assert!(text.contains("missing from this corpus"));
    // Print carries the citations (issue 21): the GCM's one "urban" and every role count,
    // not only collapsed headings and a chart to hover.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("A/RES/73/195, annex, para. 18(b)"),
        "no GCM citation in the printed report"
    );
    assert!(!flat.contains("hover"), "the print says to hover");
    assert!(flat.contains("The role bars in numbers"));
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

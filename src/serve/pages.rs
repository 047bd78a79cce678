//! The views: a URL becomes a command line (the path names the command, each query parameter
//! a flag), parsed by clap exactly as the shell's would be and run by
//! [`crate::cmd::dispatch`]. `format=csv|json` answers the command's own bytes; otherwise the
//! page shows a form of the command's flags, the command line, downloads, and the CSV as a
//! table (all text escaped).

use std::fmt::Write as _;

use clap::{CommandFactory, Parser};

use super::http::{Request, Response};
use crate::cli::Cli;
use crate::cmd::{Env, Outcome, dispatch};
use crate::render::output::Format;
use crate::render::report::esc;

/// The commands a URL may name: every one that only reads.
pub const VIEWS: [(&str, &str); 10] = [
    ("count", "Count"),
    ("kwic", "Concordance"),
    ("roles", "Roles"),
    ("claims", "Claims"),
    ("search", "Search"),
    ("collocates", "Collocates"),
    ("keyness", "Keyness"),
    ("freq", "Frequencies"),
    ("docs", "Documents"),
    ("text", "Text"),
];

/// Parameters a page reads for its display only, never given to the command: `unit` keeps the
/// rows of one unit of `text`, `mark` highlights a word in them, `cite` is the citation to copy.
const DISPLAY: [&str; 3] = ["unit", "mark", "cite"];

/// Flags no URL may give: files (read or written) and the options of the server's own index.
const REFUSED: [&str; 10] = [
    "gold", "out", "corpus", "index", "manifest", "lexicon", "threads", "quiet", "format", "help",
];

/// Rows a page shows at most; the CSV download has them all.
pub const PAGE_ROWS: usize = 1_000;

const STYLE: &str = "body{font-family:Georgia,serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}\
nav a{margin-right:1em}table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\
th{background:#f4f4f4}form{margin:1em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}label{font-size:13px}\
code{background:#f4f4f4;padding:2px 4px}.error{color:#a00;white-space:pre-wrap}a:focus,input:focus,button:focus{outline:3px solid #0b5394}";

/// The only script: the "copy citation" button (the page works without it: the citation is
/// selectable text in a field).
const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){var b=document.getElementById('copy');if(!b)return;b.addEventListener('click',function(){var f=document.getElementById('citation');f.select();var done=function(){document.getElementById('copied').textContent='Copied: '+f.value;};if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(f.value).then(done,function(){document.execCommand('copy');done();});}else{document.execCommand('copy');done();}});});";

/// The page icon: a table of four cells, one filled.
const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" fill=\"#fff\"/><path d=\"M1 1h14v14H1zM8 1v14M1 8h14\" stroke=\"#0b5394\" fill=\"none\"/><rect x=\"9\" y=\"9\" width=\"5\" height=\"5\" fill=\"#0b5394\"/></svg>";

/// Answers a request.
pub fn route(env: &Env, req: &Request) -> Response {
    let path = req.path.as_str();
    if path == "/assets/style.css" {
        return Response::new(200, "text/css; charset=utf-8", STYLE.as_bytes().to_vec());
    }
    if path == "/" {
        return overview(env);
    }
    if path == "/assets/icon.svg" || path == "/favicon.ico" {
        return Response::new(200, "image/svg+xml", ICON.as_bytes().to_vec());
    }
    if path == "/assets/app.js" {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes().to_vec(),
        );
    }
    if let Some(id) = path.strip_prefix("/docs/").filter(|id| !id.is_empty()) {
        return instrument(env, id);
    }
    match VIEWS.iter().find(|(name, _)| path == format!("/{name}")) {
        Some((name, _)) => view(env, name, &req.query),
        None => Response::text(
            404,
            &format!(
                "no page {path}: the views are / and /{}",
                VIEWS.map(|v| v.0).join(", /")
            ),
        ),
    }
}

/// A command line from a URL's parameters, or why not.
pub fn argv(name: &str, query: &[(String, String)]) -> Result<Vec<String>, String> {
    let root = Cli::command();
    let cmd = root
        .get_subcommands()
        .find(|c| c.get_name() == name)
        .ok_or_else(|| format!("no command {name}"))?;
    let mut flags = vec!["menutable".to_string(), name.to_string()];
    let mut positional = Vec::new();
    for (k, v) in query {
        if k == "format" || v.is_empty() || (name == "text" && DISPLAY.contains(&k.as_str())) {
            continue;
        }
        if REFUSED.contains(&k.as_str()) {
            return Err(format!("--{k} cannot be given in an address"));
        }
        let arg = cmd
            .get_arguments()
            .find(|a| {
                a.get_long() == Some(k.as_str()) || (a.is_positional() && a.get_id() == k.as_str())
            })
            .ok_or_else(|| format!("`menutable {name}` has no flag --{k}"))?;
        if arg.is_positional() {
            positional.push(v.clone());
        } else if arg.get_action().takes_values() {
            flags.push(format!("--{k}={v}"));
        } else {
            match v.as_str() {
                "1" | "true" | "on" | "yes" => flags.push(format!("--{k}")),
                "0" | "false" | "off" | "no" => {}
                _ => return Err(format!("--{k} is a switch: give {k}=1 or leave it out")),
            }
        }
    }
    if !positional.is_empty() {
        flags.push("--".into());
        flags.extend(positional);
    }
    Ok(flags)
}

/// Runs a command line into bytes.
fn run(env: &Env, argv: &[String], format: Format) -> Result<(Vec<u8>, Outcome), (u16, String)> {
    let cli = Cli::try_parse_from(argv).map_err(|e| (400, e.to_string()))?;
    let mut out = Vec::new();
    match dispatch(env, &cli.command, format, &mut out) {
        Ok(o) => Ok((out, o)),
        Err(e) => {
            // The server's own trouble (the index, a file) is a 500; anything else is what
            // was asked (an unknown document, a query that does not parse): a 400.
            let ours = e.chain().any(|c| {
                c.downcast_ref::<crate::Error>().is_some_and(|x| {
                    matches!(x, crate::Error::Index { .. } | crate::Error::Io { .. })
                })
            });
            let msg = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            Err((if ours { 500 } else { 400 }, msg))
        }
    }
}

fn view(env: &Env, name: &str, query: &[(String, String)]) -> Response {
    let format = query
        .iter()
        .rev()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.as_str())
        .unwrap_or("html");
    let args = match argv(name, query) {
        Ok(a) => a,
        Err(e) => return page_or_text(name, query, format, 400, &e, None),
    };
    let (fmt, mime) = match format {
        "csv" => (Format::Csv, "text/csv; charset=utf-8"),
        "json" => (Format::Json, "application/json"),
        "html" | "" => (Format::Csv, ""),
        other => {
            return Response::text(
                400,
                &format!("format={other}: give csv, json or leave it out for the page"),
            );
        }
    };
    match run(env, &args, fmt) {
        Ok((bytes, _)) if !mime.is_empty() => Response::new(200, mime, bytes),
        Ok((bytes, outcome)) => page_or_text(name, query, format, 200, "", Some((&bytes, outcome))),
        Err((status, msg)) => page_or_text(name, query, format, status, &msg, None),
    }
}

fn page_or_text(
    name: &str,
    query: &[(String, String)],
    format: &str,
    status: u16,
    error: &str,
    csv: Option<(&[u8], Outcome)>,
) -> Response {
    if format == "csv" || format == "json" {
        return Response::text(status, error);
    }
    let mut h = String::new();
    head(&mut h, name);
    let _ = write!(h, "<main><h1>{}</h1>", esc(title(name)));
    form(&mut h, name, query);
    let line = argv(name, query)
        .map(|a| shell_line(&a))
        .unwrap_or_default();
    if !line.is_empty() {
        let _ = write!(
            h,
            "<p>The same on the command line: <code id=\"command\">{}</code></p>",
            esc(&line)
        );
    }
    if !error.is_empty() {
        let _ = write!(h, "<p class=\"error\" role=\"alert\">{}</p>", esc(error));
    }
    if let Some((bytes, outcome)) = csv {
        let qs = query_string(query);
        let sep = if qs.is_empty() { "?" } else { "&amp;" };
        let base = format!(
            "/{name}{}{}",
            if qs.is_empty() { "" } else { "?" },
            esc(&qs)
        );
        let _ = write!(
            h,
            "<p>Download: <a id=\"csv\" href=\"{base}{sep}format=csv\">CSV</a> <a id=\"json\" href=\"{base}{sep}format=json\">JSON</a></p>"
        );
        if outcome == Outcome::Nothing {
            h.push_str("<p>Nothing found for this selection.</p>");
        }
        let text = String::from_utf8_lossy(bytes);
        let shown = |k: &str| {
            query
                .iter()
                .rev()
                .find(|(q, _)| q == k)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        if name == "text" && shown("unit").is_some() {
            unit_view(
                &mut h,
                &text,
                shown("unit").unwrap_or(""),
                shown("mark"),
                shown("cite"),
            );
        } else {
            table(&mut h, &text);
        }
    }
    h.push_str("</main></body></html>\n");
    Response::new(status, "text/html; charset=utf-8", h.into_bytes())
}

fn title(name: &str) -> &str {
    VIEWS.iter().find(|v| v.0 == name).map_or(name, |v| v.1)
}

fn head(h: &mut String, name: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>menutable: {}</title><link rel=\"stylesheet\" href=\"/assets/style.css\"><link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"></head><body><header><nav aria-label=\"views\"><a href=\"/\">Overview</a>",
        esc(title(name))
    );
    for (v, t) in VIEWS {
        let _ = write!(h, "<a href=\"/{v}\">{t}</a>");
    }
    h.push_str("</nav></header>");
}

/// A form with one field per flag of the command (switches as checkboxes), filled from the
/// query.
fn form(h: &mut String, name: &str, query: &[(String, String)]) {
    let root = Cli::command();
    let Some(cmd) = root.get_subcommands().find(|c| c.get_name() == name) else {
        return;
    };
    let _ = write!(h, "<form method=\"get\" action=\"/{name}\">");
    for a in cmd.get_arguments() {
        let key = match (a.get_long(), a.is_positional()) {
            (Some(l), _) => l.to_string(),
            (None, true) => a.get_id().to_string(),
            _ => continue,
        };
        if REFUSED.contains(&key.as_str()) || a.is_hide_set() {
            continue;
        }
        let value = query
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let help = a.get_help().map(|s| s.to_string()).unwrap_or_default();
        let id = format!("f-{key}");
        if a.get_action().takes_values() || a.is_positional() {
            let _ = write!(
                h,
                "<label for=\"{id}\" title=\"{}\">{}</label><input id=\"{id}\" name=\"{}\" value=\"{}\">",
                esc(&help),
                esc(&key),
                esc(&key),
                esc(value)
            );
        } else {
            let checked = matches!(value, "1" | "true" | "on" | "yes");
            let _ = write!(
                h,
                "<label title=\"{}\"><input type=\"checkbox\" name=\"{}\" value=\"1\"{}> {}</label>",
                esc(&help),
                esc(&key),
                if checked { " checked" } else { "" },
                esc(&key)
            );
        }
    }
    h.push_str("<button type=\"submit\">Show</button></form>");
}

fn query_string(query: &[(String, String)]) -> String {
    query
        .iter()
        .filter(|(k, v)| k != "format" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a path segment or a query key or value.
fn encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// The command line a shell would take: each argument quoted when it needs to be.
pub fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One unit of `text`'s CSV, the word asked for highlighted, and its citation ready to copy.
fn unit_view(h: &mut String, csv: &str, unit: &str, mark: Option<&str>, cite: Option<&str>) {
    if let Some(c) = cite {
        let _ = write!(
            h,
            "<p><label for=\"citation\">Citation</label> <input id=\"citation\" readonly size=\"70\" value=\"{}\"> <button id=\"copy\" type=\"button\">Copy citation</button> <span id=\"copied\" role=\"status\"></span></p><script src=\"/assets/app.js\"></script>",
            esc(c)
        );
    }
    let rows = parse_csv(csv);
    let Some((header, body)) = rows.split_first() else {
        return;
    };
    let col = |name: &str| header.iter().position(|c| c == name);
    let (Some(u), Some(t)) = (col("unit"), col("text")) else {
        return table(h, csv);
    };
    let mine: Vec<&Vec<String>> = body
        .iter()
        .filter(|r| r.get(u).is_some_and(|x| x == unit))
        .collect();
    if mine.is_empty() {
        let _ = write!(
            h,
            "<p class=\"error\" role=\"alert\">No unit {} on these pages.</p>",
            esc(unit)
        );
        return;
    }
    for r in mine {
        let _ = write!(
            h,
            "<section id=\"unit\"><h2>{}</h2><p>{}</p></section>",
            esc(unit),
            highlight(r.get(t).map_or("", String::as_str), mark)
        );
    }
}

/// `text` escaped, each whole-word occurrence of `mark` (any case) in `<mark>`.
fn highlight(text: &str, mark: Option<&str>) -> String {
    let Some(m) = mark.filter(|m| !m.is_empty()) else {
        return esc(text);
    };
    let lower = text.to_lowercase();
    let needle = m.to_lowercase();
    if lower.len() != text.len() {
        return esc(text);
    }
    let mut out = String::new();
    let mut at = 0;
    for (i, _) in lower.match_indices(&needle) {
        let end = i + needle.len();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if i < at || !edge(text[..i].chars().next_back()) || !edge(text[end..].chars().next()) {
            continue;
        }
        out.push_str(&esc(&text[at..i]));
        let _ = write!(out, "<mark>{}</mark>", esc(&text[i..end]));
        at = end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// An instrument: its record, counts and roles, and its concordance by concept.
fn instrument(env: &Env, id: &str) -> Response {
    let mut h = String::new();
    head(&mut h, "docs");
    let _ = write!(h, "<main><h1>{}</h1>", esc(id));
    let mut status = 200;
    for (name, what) in [
        ("docs", "The document"),
        ("count", "Mentions"),
        ("roles", "Roles"),
    ] {
        let args = vec![
            "menutable".to_string(),
            name.to_string(),
            format!("--doc={id}"),
        ];
        let _ = write!(
            h,
            "<h2>{what}</h2><p>The same on the command line: <code>{}</code>; <a href=\"/{name}?doc={}&amp;format=csv\">CSV</a>.</p>",
            esc(&shell_line(&args)),
            esc(&encode(id))
        );
        match run(env, &args, Format::Csv) {
            Ok((bytes, _)) => table(&mut h, &String::from_utf8_lossy(&bytes)),
            Err((code, msg)) => {
                status = code;
                let _ = write!(h, "<p class=\"error\" role=\"alert\">{}</p>", esc(&msg));
            }
        }
    }
    h.push_str("<h2>Every mention in context</h2><ul id=\"concordances\">");
    for c in env.lexicon.concept_ids() {
        let base = format!(
            "/kwic?doc={}&amp;concept={}",
            esc(&encode(id)),
            esc(&encode(c))
        );
        let _ = write!(
            h,
            "<li><a href=\"{base}\">{c}</a> (<a href=\"{base}&amp;role=actor\">at the table</a>)</li>",
            c = esc(c)
        );
    }
    h.push_str("</ul></main></body></html>\n");
    Response::new(status, "text/html; charset=utf-8", h.into_bytes())
}

/// The CSV as a table, at most [`PAGE_ROWS`] rows.
fn table(h: &mut String, csv: &str) {
    let rows = parse_csv(csv);
    let Some((header, body)) = rows.split_first() else {
        return;
    };
    h.push_str("<table id=\"rows\"><thead><tr>");
    for c in header {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    let col = |name: &str| header.iter().position(|c| c == name);
    let id_col = col("document").or(col("doc")).or(col("id"));
    // A concordance line opens its unit: the page of `text` for its document and page, the
    // unit kept, the match highlighted, the citation ready to copy.
    let open = match (
        col("doc"),
        col("unit"),
        col("page"),
        col("match"),
        col("citation"),
    ) {
        (Some(d), Some(u), Some(p), Some(m), Some(c)) => Some((d, u, p, m, c)),
        _ => None,
    };
    if open.is_some() {
        h.truncate(h.len() - "</tr></thead><tbody>".len());
        h.push_str("<th scope=\"col\">open</th></tr></thead><tbody>");
    }
    for r in body.iter().take(PAGE_ROWS) {
        h.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            if Some(k) == id_col && !c.is_empty() {
                let _ = write!(
                    h,
                    "<td><a href=\"/docs/{}\">{}</a></td>",
                    esc(&encode(c)),
                    esc(c)
                );
            } else {
                let _ = write!(h, "<td>{}</td>", esc(c));
            }
        }
        if let Some((d, u, p, m, c)) = open {
            let get = |i: usize| r.get(i).map(String::as_str).unwrap_or("");
            let q = query_string(&[
                ("id".to_string(), get(d).to_string()),
                ("pages".to_string(), get(p).to_string()),
                ("unit".to_string(), get(u).to_string()),
                ("mark".to_string(), get(m).to_string()),
                ("cite".to_string(), get(c).to_string()),
            ]);
            let _ = write!(
                h,
                "<td><a class=\"open\" href=\"/text?{}\">open</a></td>",
                esc(&q)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    if body.len() > PAGE_ROWS {
        let _ = write!(
            h,
            "<p>The first {PAGE_ROWS} of {} rows; the CSV has them all.</p>",
            body.len()
        );
    }
}

/// Parses CSV as [`crate::render::output`] writes it (RFC 4180 quoting).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// The overview: counts and roles of every document, live from the index.
fn overview(env: &Env) -> Response {
    let mut h = String::new();
    head(&mut h, "overview");
    h.push_str("<main><h1>Cities in this corpus: at the table or on the menu?</h1>");
    for (name, what) in [
        ("count", "Mentions per document"),
        ("roles", "Roles per document"),
    ] {
        let args = vec!["menutable".to_string(), name.to_string()];
        let _ = write!(
            h,
            "<h2>{what}</h2><p>The same on the command line: <code>{}</code>; <a href=\"/{name}\">filter</a>, <a href=\"/{name}?format=csv\">CSV</a>.</p>",
            esc(&shell_line(&args))
        );
        match run(env, &args, Format::Csv) {
            Ok((bytes, _)) => table(&mut h, &String::from_utf8_lossy(&bytes)),
            Err((_, msg)) => {
                let _ = write!(h, "<p class=\"error\" role=\"alert\">{}</p>", esc(&msg));
            }
        }
    }
    h.push_str("</main></body></html>\n");
    Response::new(200, "text/html; charset=utf-8", h.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_the_command_line_or_is_refused() {
        let q = |p: &[(&str, &str)]| {
            p.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            argv(
                "kwic",
                &q(&[
                    ("doc", "gcm-2018"),
                    ("concept", "local_government"),
                    ("names", "1"),
                    ("format", "csv")
                ])
            )
            .unwrap(),
            [
                "menutable",
                "kwic",
                "--doc=gcm-2018",
                "--concept=local_government",
                "--names"
            ]
        );
        assert_eq!(
            argv("search", &q(&[("query", "-cities")])).unwrap(),
            ["menutable", "search", "--", "-cities"]
        );
        assert!(
            argv("roles", &q(&[("gold", "/etc/passwd")]))
                .unwrap_err()
                .contains("cannot be given")
        );
        assert!(argv("count", &q(&[("index", "/tmp")])).is_err());
        assert!(
            argv("count", &q(&[("nosuch", "1")]))
                .unwrap_err()
                .contains("no flag --nosuch")
        );
        assert!(argv("count", &q(&[("names", "maybe")])).is_err());
        assert_eq!(
            shell_line(&[
                "menutable".into(),
                "--term=local authorities".into(),
                "it's".into()
            ]),
            "menutable '--term=local authorities' 'it'\\''s'"
        );
    }

    #[test]
    fn csv_cells_come_back_as_written() {
        assert_eq!(
            parse_csv("a,b\n\"x, \"\"y\"\"\",\"l1\nl2\"\n"),
            vec![vec!["a", "b"], vec!["x, \"y\"", "l1\nl2"]]
        );
    }
}

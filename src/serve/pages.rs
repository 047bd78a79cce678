//! The views: a URL becomes a command line (the path names the command, each query parameter
//! a flag), parsed by clap exactly as the shell's would be and run by
//! [`crate::cmd::dispatch`]. `format=csv|json` answers the command's own bytes; otherwise the
//! page shows a form of the command's flags, the command line, downloads, and the CSV as a
//! table (all text escaped).

use clap::{CommandFactory, Parser};
use maud::{Markup, html};

use super::html::{self as tpl, Bar, Field, ICON, SCRIPT, STYLE};
use super::http::{Request, Response};
use crate::cli::{Cli, Command};
use crate::cmd::{Env, Outcome, dispatch};
use crate::render::output::Format;

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

/// Answers a request.
pub fn route(env: &Env, req: &Request) -> Response {
    let path = req.path.as_str();
    if path == "/assets/style.css" {
        return Response::new(200, "text/css; charset=utf-8", STYLE.as_bytes().to_vec());
    }
    if path == "/" {
        return overview(env, &req.query);
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
        if names_a_file(arg) {
            return Err(format!(
                "--{k} names a file and cannot be given in an address"
            ));
        }
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

/// Whether an argument takes a path (`claims FILE`, `--log FILE`): refused in any address,
/// whatever it is called, so no URL reads or writes a file.
fn names_a_file(arg: &clap::Arg) -> bool {
    let id = arg.get_value_parser().type_id();
    id == std::any::TypeId::of::<std::path::PathBuf>()
        || id == std::any::TypeId::of::<std::ffi::OsString>()
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
    // A view opened without its required flags (`/kwic` from the menu) is its form, with what
    // to fill in, not an error.
    if mime.is_empty()
        && query.is_empty()
        && Cli::try_parse_from(&args)
            .is_err_and(|e| e.kind() == clap::error::ErrorKind::MissingRequiredArgument)
    {
        return start_here(name);
    }
    match run(env, &args, fmt) {
        Ok((bytes, _)) if !mime.is_empty() => Response::new(200, mime, bytes),
        Ok((bytes, outcome)) => page_or_text(name, query, format, 200, "", Some((&bytes, outcome))),
        Err((status, msg)) => page_or_text(name, query, format, status, &msg, None),
    }
}

/// The form of a view that needs flags, what the command does, and an example.
fn start_here(name: &str) -> Response {
    let root = Cli::command();
    let about = root
        .get_subcommands()
        .find(|c| c.get_name() == name)
        .and_then(|c| c.get_about().map(|a| a.to_string()))
        .unwrap_or_default();
    let example = match name {
        "kwic" => Some("/kwic?concept=local_government&role=actor"),
        "search" => Some("/search?query=%22local+authorities%22"),
        "collocates" => Some("/collocates?node=city"),
        _ => None,
    };
    let main = html! {
        h1 { (title(name)) }
        p { (about) ". Fill in the form (the fields are the flags of " code { "menutable " (name) } "), then Show." }
        @if let Some(e) = example { p { "For example: " a href=(e) { (e) } } }
        (tpl::form(&format!("/{name}"), &fields(name, &[])))
    };
    page(200, title(name), main)
}

/// Links to the previous and next pages of a view paged with `limit` (and `offset`).
fn paging(name: &str, query: &[(String, String)], rows: usize) -> Markup {
    let get = |k: &str| {
        query
            .iter()
            .rev()
            .find(|(q, _)| q == k)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let Some(limit) = get("limit").filter(|&l| l > 0) else {
        return html! {};
    };
    let offset = get("offset").unwrap_or(0);
    let at = |offset: usize| {
        let mut q: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k != "offset")
            .cloned()
            .collect();
        q.push(("offset".into(), offset.to_string()));
        format!("/{name}?{}", query_string(&q))
    };
    html! {
        nav aria-label="pages" class="pages" {
            @if offset > 0 { a rel="prev" href=(at(offset.saturating_sub(limit))) { "Previous " (limit) } " " }
            "Rows " (offset + 1) "–" (offset + rows) " "
            @if rows == limit { a rel="next" href=(at(offset + limit)) { "Next " (limit) } }
        }
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
    let line = argv(name, query)
        .map(|a| shell_line(&a))
        .unwrap_or_default();
    let qs = query_string(query);
    let base = if qs.is_empty() {
        format!("/{name}")
    } else {
        format!("/{name}?{qs}")
    };
    let shown = |k: &str| {
        query
            .iter()
            .rev()
            .find(|(q, _)| q == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let rows = csv.map(|(bytes, outcome)| {
        let text = String::from_utf8_lossy(bytes);
        html! {
            @if outcome == Outcome::Nothing { p { "Nothing found for this selection." } }
            @if let (Some(unit), "text") = (shown("unit"), name) {
                (tpl::unit_view(&text, unit, shown("mark"), shown("cite")))
            } @else if name == "kwic" {
                (tpl::concordance(&text))
                (paging(name, query, parse_csv(&text).len().saturating_sub(1)))
            } @else {
                (tpl::table(&text))
                (paging(name, query, parse_csv(&text).len().saturating_sub(1)))
            }
        }
    });
    let main = html! {
        h1 { (title(name)) }
        (tpl::form(&format!("/{name}"), &fields(name, query)))
        @if !line.is_empty() { (tpl::command_line(&line, rows.is_some().then_some(base.as_str()))) }
        @if !error.is_empty() { (tpl::error(error)) }
        @if let Some(rows) = rows { (rows) }
    };
    page(status, title(name), main)
}

/// An HTML answer.
fn page(status: u16, title: &str, main: Markup) -> Response {
    Response::new(
        status,
        "text/html; charset=utf-8",
        tpl::layout(title, main).into_string().into_bytes(),
    )
}

fn title(name: &str) -> &str {
    VIEWS.iter().find(|v| v.0 == name).map_or(name, |v| v.1)
}

/// The fields of a command's form: one per flag an address may give, filled from the query.
fn fields(name: &str, query: &[(String, String)]) -> Vec<Field> {
    let root = Cli::command();
    let Some(cmd) = root.get_subcommands().find(|c| c.get_name() == name) else {
        return Vec::new();
    };
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set() && !names_a_file(a))
        .filter_map(|a| {
            let key = match (a.get_long(), a.is_positional()) {
                (Some(l), _) => l.to_string(),
                (None, true) => a.get_id().to_string(),
                _ => return None,
            };
            if REFUSED.contains(&key.as_str()) {
                return None;
            }
            let value = query
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            Some(Field {
                help: a.get_help().map(|s| s.to_string()).unwrap_or_default(),
                switch: !(a.get_action().takes_values() || a.is_positional()),
                key,
                value,
            })
        })
        .collect()
}

/// A query string of the pairs given (`format` and empty values left out).
pub fn query_string(query: &[(String, String)]) -> String {
    query
        .iter()
        .filter(|(k, v)| k != "format" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a path segment or a query key or value.
pub fn encode(s: &str) -> String {
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

/// A command run for a page: its command line and its CSV, or its error.
struct Ran {
    line: String,
    csv: Result<String, (u16, String)>,
}

/// Runs `menutable ARGS --format csv` for a page.
fn ran(env: &Env, args: &[&str]) -> Ran {
    let argv: Vec<String> = ["menutable"]
        .iter()
        .chain(args)
        .map(|a| a.to_string())
        .collect();
    Ran {
        line: shell_line(&argv),
        csv: run(env, &argv, Format::Csv).map(|(b, _)| String::from_utf8_lossy(&b).into_owned()),
    }
}

/// A section of a page made of one command: heading, command line, CSV link, table.
fn section(id: &str, heading: &str, r: &Ran, link: &str) -> Markup {
    html! {
        section id=(id) {
            h2 { (heading) }
            (tpl::command_line(&r.line, Some(link)))
            @match &r.csv {
                Ok(csv) if r.line.starts_with("menutable kwic") => (tpl::concordance(csv)),
                Ok(csv) => (tpl::table(csv)),
                Err((_, msg)) => (tpl::error(msg)),
            }
        }
    }
}

/// An instrument: what it is, its counts per concept, its roles as bars, its claims, its
/// parts and every mention with its citation, each from the command named beside it.
fn instrument(env: &Env, id: &str) -> Response {
    let doc = format!("--doc={id}");
    let q = format!("doc={}", encode(id));
    let record = ran(env, &["docs", &doc]);
    if let Err((status, msg)) = &record.csv {
        let main = html! { h1 { (id) } (tpl::error(msg)) };
        return page(*status, id, main);
    }
    let store = env.store().ok();
    let records = store
        .as_ref()
        .and_then(|s| s.docs().ok())
        .unwrap_or_default();
    let me = records.iter().find(|d| d.meta.id == id);
    let parts: Vec<&crate::index::DocRecord> = records
        .iter()
        .filter(|d| d.meta.part_of.as_deref() == Some(id))
        .collect();
    let counts = ran(env, &["count", &doc]);
    let roles = ran(env, &["roles", &doc]);
    // Every mention: one concordance per concept it mentions (kwic asks for one).
    let mentioned = mentioned_concepts(env, &counts);
    let mentions: Vec<(&str, Ran)> = mentioned
        .iter()
        .map(|c| (*c, ran(env, &["kwic", &doc, &format!("--concept={c}")])))
        .collect();
    let claims = ran(env, &["claims", &doc]);
    let title = me.map_or(id.to_string(), |d| {
        format!("{}: {}", d.meta.short, d.meta.title)
    });
    let main = html! {
        h1 { (title) }
        @if let Some(d) = me {
            p class="sub" {
                (d.meta.symbol) @if let Some(y) = d.meta.year { ", " (y) }
                ", " (d.meta.kind) ", " @if d.meta.binding { "binding" } @else { "not binding" }
                ", " (d.meta.language)
                @if let Some(whole) = &d.meta.part_of {
                    "; a part of " a href={ "/docs/" (encode(whole)) } { (whole) }
                }
            }
        }
        (section("record", "The document", &record, &format!("/docs?{q}")))
        (section("counts", "Mentions per concept", &counts, &format!("/count?{q}")))
        (section("roles", "At the table or on the menu", &roles, &format!("/roles?{q}")))
        (bars_of(env, id, &mentioned))
        (claims_about(id, &claims))
        @if !parts.is_empty() {
            section id="parts" {
                h2 { "Its parts" }
                p { "Each part is an instrument of its own, counted on its own row:" }
                ul { @for p in &parts { li { a href={ "/docs/" (encode(&p.meta.id)) } { (p.meta.id) } " (" (p.meta.short) ")" } } }
            }
        }
        section id="concordances" {
            h2 { "Every mention in context" }
            ul {
                @for c in env.lexicon.concept_ids() {
                    @let base = format!("/kwic?{q}&concept={}", encode(c));
                    li { a href=(base) { (c) } " (" a href={ (base) "&role=actor" } { "at the table" } ")" }
                }
            }
        }
        section id="mentions" {
            h2 { "Every mention, with its citation" }
            @if mentions.is_empty() { p { "None of the lexicon's concepts is mentioned." } }
            @for (c, r) in &mentions {
                (section(&format!("mentions-{c}"), c, r, &format!("/kwic?{q}&concept={}", encode(c))))
            }
        }
    };
    page(200, id, main)
}

/// The concepts an instrument mentions, from its `count` row.
fn mentioned_concepts<'a>(env: &'a Env, counts: &Ran) -> Vec<&'a str> {
    let rows = counts.csv.as_deref().map(parse_csv).unwrap_or_default();
    env.lexicon
        .concept_ids()
        .into_iter()
        .filter(|c| {
            let k = rows.first().and_then(|h| h.iter().position(|x| x == c));
            k.is_some_and(|k| {
                rows.iter()
                    .skip(1)
                    .any(|r| r.get(k).is_some_and(|n| n != "0"))
            })
        })
        .collect()
}

/// The role bars of an instrument: all its mentions, then each concept it mentions, each bar
/// one `roles --doc ID [--concept C]` row.
fn bars_of(env: &Env, id: &str, mentioned: &[&str]) -> Markup {
    use crate::render::report::{ROLE_COLORS, ROLE_MEANING, ROLE_TEXT, ROLES};
    let doc = format!("--doc={id}");
    let mut asked: Vec<(String, Vec<String>)> = vec![("all mentions".into(), vec![])];
    for c in mentioned {
        asked.push((c.replace('_', " "), vec![format!("--concept={c}")]));
    }
    let bars: Vec<Bar> = asked
        .into_iter()
        .filter_map(|(label, extra)| {
            let mut args = vec!["roles", doc.as_str()];
            args.extend(extra.iter().map(String::as_str));
            let r = ran(env, &args).csv.ok()?;
            let t = parse_csv(&r);
            let (head, row) = (t.first()?, t.get(1)?);
            let get = |name: &str| {
                head.iter()
                    .position(|x| x == name)
                    .and_then(|k| row.get(k))
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0)
            };
            let segments = ROLES
                .iter()
                .enumerate()
                .map(|(i, r)| (r.as_str(), get(r.as_str()), ROLE_COLORS[i], ROLE_TEXT[i]))
                .collect();
            Some(Bar { label, segments })
        })
        .collect();
    let legend: Vec<(&str, &str, &str)> = ROLES
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), ROLE_COLORS[i], ROLE_MEANING[i]))
        .collect();
    html! {
        @if bars.iter().any(|b| b.segments.iter().any(|s| s.1 > 0)) {
            (tpl::role_bars(&bars, &legend))
        }
    }
}

/// The published claims about an instrument, with their verdicts and citations.
fn claims_about(id: &str, claims: &Ran) -> Markup {
    // `claims --doc ID` checks those alone; the filter here keeps the table honest whatever
    // the file holds.
    let body = match &claims.csv {
        Ok(csv) => {
            let rows = parse_csv(csv);
            let doc = rows.first().and_then(|h| h.iter().position(|c| c == "doc"));
            let mine: Vec<&Vec<String>> = rows
                .iter()
                .skip(1)
                .filter(|r| doc.and_then(|k| r.get(k)).is_some_and(|d| d == id))
                .collect();
            if mine.is_empty() {
                html! { p { "No claim in the claims file is about this document." } }
            } else {
                let mut text = csv_line(&rows[0]);
                for r in mine {
                    text.push_str(&csv_line(r));
                }
                tpl::table(&text)
            }
        }
        Err((_, msg)) => tpl::error(msg),
    };
    html! {
        section id="claims" {
            h2 { "Published claims about it" }
            (tpl::command_line(&claims.line, Some(&format!("/claims?doc={}", encode(id)))))
            (body)
        }
    }
}

/// One CSV line, quoted as the commands quote.
fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
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

/// The overview: the report's answer and table of instruments, live from the index, for the
/// selection and scope the query gives (`report`'s flags), and the documents that could not
/// be read, with why.
fn overview(env: &Env, query: &[(String, String)]) -> Response {
    let mut timing = crate::cmd::Timing::start();
    let answer = argv("report", query)
        .and_then(|a| Cli::try_parse_from(a).map_err(|e| e.to_string()))
        .map_err(|e| (400, e))
        .and_then(|cli| {
            let Command::Report(args) = cli.command else {
                return Err((400, "not a report".to_string()));
            };
            let store = env.store().map_err(|e| (500, format!("{e:#}")))?;
            crate::cmd::report::gather(
                env,
                &store,
                &args.select,
                args.scope,
                crate::cmd::report::Depth::Answer,
                &mut timing,
            )
            .map_err(|e| (400, format!("{e:#}")))
        });
    let (status, body) = match answer {
        Ok(g) => (200, overview_body(env, &g)),
        Err((status, msg)) => (status, tpl::error(&msg)),
    };
    let qs = query_string(query);
    let and = if qs.is_empty() {
        String::new()
    } else {
        format!("?{qs}")
    };
    let main = html! {
        h1 { "Cities in this corpus: at the table or on the menu?" }
        p class="sub" {
            "The answer of " code { "menutable report" } ", live from the index. Every figure is "
            a href={ "/count" (and) } { "count" } " and " a href={ "/roles" (and) } { "roles" }
            " for the same selection; a row opens its instrument."
        }
        (tpl::form("/", &fields("report", query)))
        (body)
    };
    page(status, "overview", main)
}

/// The answer, the table of instruments, and the documents that failed.
fn overview_body(env: &Env, g: &crate::cmd::report::Gathered) -> Markup {
    let link = |id: &str| match id {
        "unfccc-decisions" => "/count?kind=decision".to_string(),
        "not-in-manifest" => "/docs".to_string(),
        id => format!("/docs/{}", encode(id)),
    };
    let answer =
        crate::render::report::answer_section(&g.report_docs(), &g.extras, &env.lexicon, &link);
    let failed: Vec<_> = g.indexed.failed.iter().collect();
    html! {
        p class="sub" id="share-basis" { (crate::analysis::roles::share_basis(&env.lexicon)) "; " (g.extras.scope) }
        (tpl::trusted(answer))
        section id="failed" {
            h2 { "Documents that could not be read" }
            @if failed.is_empty() {
                p { "None: every file in the index was read." }
            } @else {
                table class="rows" {
                    thead { tr { th scope="col" { "document" } th scope="col" { "file" } th scope="col" { "reason" } } }
                    tbody {
                        @for (id, (file, reason)) in failed.iter().take(PAGE_ROWS) {
                            tr { td { (id) } td { (file) } td { (reason) } }
                        }
                    }
                }
                @if failed.len() > PAGE_ROWS {
                    p { "The first " (PAGE_ROWS) " of " (failed.len()) "; " code { "menutable docs" } " lists them all." }
                }
            }
        }
    }
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

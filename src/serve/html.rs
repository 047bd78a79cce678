//! The pages' markup, as maud templates: checked when the crate compiles, and every value put
//! into them escaped by maud unless it is wrapped in `PreEscaped` (only the report's answer
//! section, which [`crate::render::report`] escapes, and numbers). The page style, its one
//! script and its icon are here too, served from the binary.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::pages::{PAGE_ROWS, VIEWS, encode, parse_csv, query_string};

/// The style sheet (`/assets/style.css`): the only style (the CSP allows no inline style).
pub const STYLE: &str = "body{font-family:Georgia,serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222;line-height:1.35}\
nav a{margin-right:1em}table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\
th{background:#f4f4f4}form{margin:1em 0;display:flex;flex-wrap:wrap;gap:.5em 1.4em;align-items:center}.field{white-space:nowrap}.kwic td:first-child{white-space:nowrap}label{font-size:13px}\
code{background:#f4f4f4;padding:2px 4px}.error{color:#a00;white-space:pre-wrap}a:focus,input:focus,button:focus{outline:3px solid #0b5394}\
a{color:#0b5394}.answer li{margin:.35em 0}.lede{font-size:1.05em}#instruments td{text-align:right}#instruments th[scope=row],#instruments .l{text-align:left}\
.sub{color:#444}.bars>svg{width:100%;max-width:700px;height:auto;display:block}.scroll{overflow-x:auto;max-width:100%}.legend span{margin-right:1.2em;white-space:nowrap;font-size:13px}\
.legend svg{width:14px;height:14px;vertical-align:middle;margin-right:3px}.holds{color:#060}.fails{color:#a00}.kwic td.left{text-align:right;white-space:nowrap;max-width:26em;overflow:hidden;text-overflow:clip;direction:rtl}.kwic td.left span{direction:ltr;unicode-bidi:embed}.kwic td.right{white-space:nowrap;max-width:26em;overflow:hidden}.kwic td.match{font-weight:bold;white-space:nowrap;text-align:center}.kwic td.cite{font-size:12px;min-width:12em}";

/// The only script (`/assets/app.js`): the "copy citation" button. The page works without
/// it: the citation is selectable text in a field.
pub const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){var b=document.getElementById('copy');if(!b)return;b.addEventListener('click',function(){var f=document.getElementById('citation');f.select();var done=function(){document.getElementById('copied').textContent='Copied: '+f.value;};if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(f.value).then(done,function(){document.execCommand('copy');done();});}else{document.execCommand('copy');done();}});});";

/// The page icon: a table of four cells, one filled.
pub const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" fill=\"#fff\"/><path d=\"M1 1h14v14H1zM8 1v14M1 8h14\" stroke=\"#0b5394\" fill=\"none\"/><rect x=\"9\" y=\"9\" width=\"5\" height=\"5\" fill=\"#0b5394\"/></svg>";

/// A whole page: head, the views' navigation, and `main`.
pub fn layout(title: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width";
                title { "menutable: " (title) }
                link rel="stylesheet" href="/assets/style.css";
                link rel="icon" href="/assets/icon.svg" type="image/svg+xml";
            }
            body {
                header {
                    nav aria-label="views" {
                        a href="/" { "Overview" }
                        @for (v, t) in VIEWS { a href={ "/" (v) } { (t) } }
                    }
                }
                main { (main) }
            }
        }
    }
}

/// "The same on the command line", with the links that give the same rows as files.
pub fn command_line(line: &str, downloads: Option<&str>) -> Markup {
    html! {
        p {
            "The same on the command line: " code id="command" { (line) }
            @if let Some(base) = downloads {
                @let sep = if base.contains('?') { "&" } else { "?" };
                " · Download: "
                a id="csv" href={ (base) (sep) "format=csv" } { "CSV" } " "
                a id="json" href={ (base) (sep) "format=json" } { "JSON" }
            }
        }
    }
}

/// An error, said where the answer would be.
pub fn error(message: &str) -> Markup {
    html! { p class="error" role="alert" { (message) } }
}

/// One field of a command's form: a flag that takes a value, or a switch.
pub struct Field {
    /// The flag's name (the query parameter).
    pub key: String,
    /// Its help line.
    pub help: String,
    /// Its value in the query ("" when not given).
    pub value: String,
    /// A switch (a checkbox)?
    pub switch: bool,
}

/// The form of a command's flags, filled from the query, sent to `action`.
pub fn form(action: &str, fields: &[Field]) -> Markup {
    html! {
        form method="get" action=(action) {
            @for f in fields {
                span class="field" {
                    @if f.switch {
                        label title=(f.help) {
                            input type="checkbox" name=(f.key) value="1" checked[matches!(f.value.as_str(), "1" | "true" | "on" | "yes")];
                            " " (f.key)
                        }
                    } @else {
                        label for={ "f-" (f.key) } title=(f.help) { (f.key) } " "
                        input id={ "f-" (f.key) } name=(f.key) value=(f.value) size="14";
                    }
                }
            }
            button type="submit" { "Show" }
        }
    }
}

/// A command's CSV as a table (`class="rows"`), at most [`PAGE_ROWS`] rows: a document id
/// links to its instrument page, and a concordance line gets a link that opens its unit.
pub fn table(csv: &str) -> Markup {
    let rows = parse_csv(csv);
    let Some((header, body)) = rows.split_first() else {
        return html! {};
    };
    let col = |name: &str| header.iter().position(|c| c == name);
    let id_col = col("document").or(col("doc")).or(col("id"));
    let open = match (
        col("doc"),
        col("unit"),
        col("page"),
        col("match"),
        col("citation"),
    ) {
        (Some(d), Some(u), Some(p), Some(m), Some(c)) => Some([d, p, u, m, c]),
        _ => None,
    };
    html! {
        div class="scroll" tabindex="0" role="region" aria-label="rows" {
        table class="rows" {
            thead { tr {
                @for c in header { th scope="col" { (c) } }
                @if open.is_some() { th scope="col" { "open" } }
            } }
            tbody {
                @for r in body.iter().take(PAGE_ROWS) {
                    tr {
                        @for (k, c) in r.iter().enumerate() {
                            @if Some(k) == id_col && !c.is_empty() {
                                td { a href={ "/docs/" (encode(c)) } { (c) } }
                            } @else {
                                td { (c) }
                            }
                        }
                        @if let Some(cols) = open {
                            td { a class="open" href={ "/text?" (open_query(r, cols)) } { "open" } }
                        }
                    }
                }
            }
        }
        }
        @if body.len() > PAGE_ROWS {
            p { "The first " (PAGE_ROWS) " of " (body.len()) " rows; the CSV has them all." }
        }
    }
}

/// The columns a concordance shows, in order; the CSV and JSON have them all.
pub const KWIC_COLUMNS: [&str; 7] = [
    "doc",
    "citation",
    "left",
    "match",
    "right",
    "role",
    "deferential",
];

/// `kwic`'s CSV as a concordance: the match in the middle column, its left context aligned to
/// it, its citation beside it, its role (the rule that gave it on hover), and a link that opens
/// its unit. Falls back to [`table`] when the CSV is not `kwic`'s.
pub fn concordance(csv: &str) -> Markup {
    let rows = parse_csv(csv);
    let Some((header, body)) = rows.split_first() else {
        return html! {};
    };
    let col = |name: &str| header.iter().position(|c| c == name);
    let shown: Option<Vec<usize>> = KWIC_COLUMNS.iter().map(|c| col(c)).collect();
    let open = [
        col("doc"),
        col("page"),
        col("unit"),
        col("match"),
        col("citation"),
    ];
    let (Some(shown), [Some(d), Some(p), Some(u), Some(m), Some(c)]) = (shown, open) else {
        return table(csv);
    };
    let rule = col("rule");
    let cell = |r: &[String], k: usize| r.get(k).cloned().unwrap_or_default();
    html! {
        div class="scroll" tabindex="0" role="region" aria-label="concordance" {
        table class="rows kwic" {
            thead { tr {
                @for name in KWIC_COLUMNS { th scope="col" { (name) } }
                th scope="col" { "open" }
            } }
            tbody {
                @for r in body.iter().take(PAGE_ROWS) {
                    tr {
                        td { a href={ "/docs/" (encode(&cell(r, shown[0]))) } { (cell(r, shown[0])) } }
                        td class="cite" { (cell(r, shown[1])) }
                        td class="left" { span { (cell(r, shown[2])) } }
                        td class="match" { (cell(r, shown[3])) }
                        td class="right" { (cell(r, shown[4])) }
                        td title=(rule.map(|k| cell(r, k)).unwrap_or_default()) { (cell(r, shown[5])) }
                        td { (cell(r, shown[6])) }
                        td { a class="open" href={ "/text?" (open_query(r, [d, p, u, m, c])) } { "open" } }
                    }
                }
            }
        }
        }
        @if body.len() > PAGE_ROWS {
            p { "The first " (PAGE_ROWS) " of " (body.len()) " lines; the CSV has them all." }
        }
        p class="sub" { "The CSV and JSON downloads have every column: unit, page, term, concept, offset, rule, cues and more." }
    }
}

/// The query of `text` that opens a concordance line's unit: its document and page, the unit
/// kept, the match highlighted, the citation ready to copy.
fn open_query(r: &[String], [d, p, u, m, c]: [usize; 5]) -> String {
    let get = |i: usize| r.get(i).cloned().unwrap_or_default();
    query_string(&[
        ("id".to_string(), get(d)),
        ("pages".to_string(), get(p)),
        ("unit".to_string(), get(u)),
        ("mark".to_string(), get(m)),
        ("cite".to_string(), get(c)),
    ])
}

/// One unit of `text`'s CSV, the word asked for highlighted, and its citation ready to copy.
pub fn unit_view(csv: &str, unit: &str, mark: Option<&str>, cite: Option<&str>) -> Markup {
    let rows = parse_csv(csv);
    let (header, body) = rows
        .split_first()
        .map_or((&[][..], &[][..]), |(h, b)| (&h[..], b));
    let col = |name: &str| header.iter().position(|c| c == name);
    let (Some(u), Some(t)) = (col("unit"), col("text")) else {
        return table(csv);
    };
    let mine: Vec<&Vec<String>> = body
        .iter()
        .filter(|r| r.get(u).is_some_and(|x| x == unit))
        .collect();
    html! {
        @if let Some(c) = cite {
            p {
                label for="citation" { "Citation" } " "
                input id="citation" readonly size="70" value=(c); " "
                button id="copy" type="button" { "Copy citation" } " "
                span id="copied" role="status" {}
            }
            script src="/assets/app.js" {}
        }
        @if mine.is_empty() {
            (error(&format!("No unit {unit} on these pages.")))
        }
        @for r in mine {
            section id="unit" {
                h2 { (unit) }
                p { (highlight(r.get(t).map_or("", String::as_str), mark)) }
            }
        }
    }
}

/// `text`, each whole-word occurrence of `mark` (any case) in `<mark>`.
pub fn highlight(text: &str, mark: Option<&str>) -> Markup {
    let lower = text.to_lowercase();
    let needle = mark.unwrap_or("").to_lowercase();
    // Offsets of the lowered text are the text's only when lowering kept every length.
    if needle.is_empty() || lower.len() != text.len() {
        return html! { (text) };
    }
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for (i, _) in lower.match_indices(&needle) {
        let end = i + needle.len();
        if i < at || !edge(text[..i].chars().next_back()) || !edge(text[end..].chars().next()) {
            continue;
        }
        pieces.push((&text[at..i], false));
        pieces.push((&text[i..end], true));
        at = end;
    }
    pieces.push((&text[at..], false));
    html! {
        @for (piece, marked) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

/// One bar of role counts: (role, count, colour, text colour) per segment.
pub struct Bar {
    /// What the bar counts ("all mentions", a concept).
    pub label: String,
    /// Segments, in the roles' order.
    pub segments: Vec<(&'static str, usize, &'static str, &'static str)>,
}

/// A bar's segment placed: (x, width, role, count, colour, text colour).
type Placed<'a> = (f64, f64, &'a str, usize, &'a str, &'a str);

/// Horizontal bars of mentions per role, one per row, each segment labelled with its count
/// (so greyscale print and screen readers keep the figures), and a legend.
pub fn role_bars(bars: &[Bar], legend: &[(&'static str, &'static str, &'static str)]) -> Markup {
    const LABEL: f64 = 170.0;
    const WIDTH: f64 = 520.0;
    const ROW: f64 = 26.0;
    let most = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.1).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let height = ROW * bars.len() as f64 + 4.0;
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            let parts: Vec<String> = b
                .segments
                .iter()
                .map(|(r, n, _, _)| format!("{r} {n}"))
                .collect();
            format!("{}: {}", b.label, parts.join(", "))
        })
        .collect();
    let placed: Vec<Vec<Placed>> = bars
        .iter()
        .map(|b| {
            let mut x = LABEL;
            b.segments
                .iter()
                .filter(|s| s.1 > 0)
                .map(|&(role, n, color, ink)| {
                    let w = WIDTH * n as f64 / most;
                    x += w;
                    (x - w, w, role, n, color, ink)
                })
                .collect()
        })
        .collect();
    html! {
        div class="bars" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (LABEL + WIDTH + 10.0) " " (height) } role="img" aria-labelledby="bars-title bars-desc" {
                title id="bars-title" { "Mentions per role" }
                desc id="bars-desc" { (desc.join("; ")) }
                @for (k, (b, segments)) in bars.iter().zip(&placed).enumerate() {
                    @let y = ROW * k as f64 + 2.0;
                    text x="0" y=(y + 16.0) font-size="13" { (b.label) }
                    @for &(x, w, role, n, color, ink) in segments {
                        rect x=(x) y=(y) width=(w) height=(ROW - 6.0) fill=(color) { title { (role) ": " (n) } }
                        @if w >= 18.0 {
                            text x=(x + w / 2.0) y=(y + 15.0) font-size="12" text-anchor="middle" fill=(ink) { (n) }
                        }
                    }
                }
            }
            p class="legend" {
                @for (role, color, meaning) in legend {
                    span title=(meaning) {
                        svg viewBox="0 0 10 10" aria-hidden="true" { rect width="10" height="10" fill=(color) {} }
                        (role)
                    }
                }
            }
        }
    }
}

/// The report's answer section, escaped by the report's own renderer.
pub fn trusted(fragment: String) -> Markup {
    PreEscaped(fragment)
}

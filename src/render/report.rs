//! The HTML report: one self-contained file (inline CSS and SVG, no script, no font, no
//! network) that opens in any browser and prints. It answers the question first — are
//! cities at the table or on the menu of the agreements that matter? — in sentences made from
//! the figures, then shows the roles, the claims, the UNFCCC series and every mention. Every
//! figure comes from the same structs as `count`, `roles` and `kwic` (a test reads them back
//! from `data-*` attributes), and every mention carries its citation and an anchor.
//!
//! Charts follow Our World in Data's conventions: a title that states the finding, a
//! subtitle that says what is measured, labelled axes with ticks, a legend, a source line
//! and a note for what is left out. Concepts and roles have palettes of their own (Okabe–Ito
//! and Paul Tol's, both readable by colour-blind readers), concept lines also differ by dash
//! and role segments carry their counts, so greyscale print stays readable.

use std::fmt::Write as _;

use crate::analysis::count::{DocCount, per_10k};
use crate::analysis::kwic::KwicLine;
use crate::analysis::lexicon::Lexicon;
use crate::analysis::role_counts::RoleCounts;
use crate::analysis::roles::{Role, TableShare, share_basis};
use crate::index::DocRecord;

/// One document's data for the report.
pub struct ReportDoc<'a> {
    /// The index record (metadata, sha256).
    pub record: &'a DocRecord,
    /// Its counts.
    pub counts: &'a DocCount,
    /// Its mentions per concept and role (the same scope as the counts): every figure.
    pub roles: &'a RoleCounts,
    /// Its mentions with roles and citations, where the report shows them ([`shows_lines`]:
    /// the listed mentions, the dispersion plot's rows, the places of a rare "urban"); empty
    /// elsewhere.
    pub mentions: &'a [KwicLine],
    /// Characters in its text (for the dispersion plot).
    pub chars: usize,
}

/// A manifest document this corpus lacks.
pub struct Missing {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Short name.
    pub short: String,
    /// UN symbol.
    pub symbol: String,
    /// Binding?
    pub binding: bool,
    /// Where to get it.
    pub how: String,
}

/// What the report shows beside the documents.
#[derive(Default)]
pub struct Extras {
    /// The manifest's documents this corpus lacks.
    pub missing: Vec<Missing>,
    /// The claims, checked.
    pub claims: Vec<crate::analysis::claims::Checked>,
    /// Why the claims file could not be read, when it could not.
    pub claims_note: Option<String>,
    /// Texts left out of every figure: (short name, why — a translation, an extract —, kind).
    pub left_out: Vec<(String, String, String)>,
    /// The selection and scope in one sentence.
    pub scope: String,
    /// What surrounds cities: the top collocates of a concept's mentions in one role.
    pub surrounds: Vec<Surround>,
    /// What marks each instrument: its top keywords against the rest.
    pub marks: Vec<Marks>,
}

/// The top collocates of a concept's mentions with one role (`collocates CONCEPT --role R`).
pub struct Surround {
    /// The concept.
    pub concept: String,
    /// The role.
    pub role: String,
    /// Mentions of the concept with that role (the node's frequency).
    pub nodes: usize,
    /// The top rows, sorted by log-Dice.
    pub rows: Vec<crate::analysis::explore::CollocateRow>,
    /// The command that lists every collocate.
    pub command: String,
}

/// The top keywords of one instrument against the rest (`keyness --target ID`).
pub struct Marks {
    /// Document id.
    pub id: String,
    /// Its short name.
    pub label: String,
    /// The top over-used words.
    pub rows: Vec<crate::analysis::explore::KeyRow>,
    /// The command that lists them all.
    pub command: String,
}

/// Concepts: Okabe–Ito, with a dash pattern each for greyscale.
const CONCEPT_COLORS: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
];
const CONCEPT_DASHES: [&str; 6] = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4"];
/// Roles (actor first): Paul Tol's muted scheme, dark to light so greyscale keeps the order.
pub const ROLES: [Role; 5] = [
    Role::Actor,
    Role::Target,
    Role::Level,
    Role::Setting,
    Role::Ceremonial,
];
/// Role colours, in [`ROLES`] order.
pub const ROLE_COLORS: [&str; 5] = ["#332288", "#CC6677", "#117733", "#DDCC77", "#AA4499"];
/// The colour of a count written on each role's colour.
pub const ROLE_TEXT: [&str; 5] = ["#fff", "#000", "#fff", "#000", "#fff"];
/// What each role means, in a sentence (../shared/roles/GUIDELINES.md).
pub const ROLE_MEANING: [&str; 5] = [
    "at the table: the city or local government acts, decides, implements, is consulted, a partner or a member, or is invited to act",
    "on the menu: the object of others' action — to be supported, funded, strengthened, trained",
    "on the menu: a scale or tier in a list of levels, or the level of a plan, policy or data",
    "on the menu: a place, an adjective or a topic — where something happens or what a policy is about",
    "on the menu: a host or venue, or thanked",
];

/// Escapes text for HTML (element content and double-quoted attributes).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn role_at(r: Role) -> Option<usize> {
    ROLES.iter().position(|x| *x == r)
}

/// An instrument's figures, or a group's (the UNFCCC decisions).
struct Figures {
    id: String,
    label: String,
    symbol: String,
    binding: Option<bool>,
    words: usize,
    /// (concept, mentions), in the lexicon's order.
    concepts: Vec<(String, usize)>,
    names: usize,
    /// Mentions of cities and their governments (concepts that can sit at the table, see
    /// [`TableShare`]) per role, in [`ROLES`] order: what the role bars show and the share is
    /// made of. Names of instruments are not counted.
    roles: [usize; 5],
    /// Every mention with a role, "urban" included (roles' `mentions`).
    all_mentions: usize,
    /// The at-the-table share, by its one definition.
    table: TableShare,
    /// Instruments of this group that have rows of their own (decision 1/CP.21 in the
    /// UNFCCC decisions): said on the row, so no total silently counts them twice.
    shared: Vec<String>,
    /// City mentions that are ceremonial.
    city_ceremonial: usize,
    /// Unit labels of the mentions of "urban" terms (for a sentence that cites them).
    urban_units: Vec<String>,
}

impl Figures {
    fn of(docs: &[&ReportDoc], concepts: &[&str], lexicon: &Lexicon) -> Figures {
        let mut f = Figures {
            id: String::new(),
            label: String::new(),
            symbol: String::new(),
            binding: None,
            words: docs.iter().map(|d| d.counts.words).sum(),
            concepts: concepts
                .iter()
                .map(|c| {
                    let n = docs
                        .iter()
                        .map(|d| d.counts.concepts.get(c).map_or(0, |x| x.count))
                        .sum();
                    (c.to_string(), n)
                })
                .collect(),
            names: docs
                .iter()
                .flat_map(|d| d.counts.concepts.values())
                .map(|c| c.names)
                .sum(),
            roles: [0; 5],
            all_mentions: 0,
            table: TableShare::default(),
            shared: Vec::new(),
            city_ceremonial: 0,
            urban_units: Vec::new(),
        };
        for d in docs {
            for ((concept, _), v) in &d.roles.cells {
                for (role, &n) in Role::ALL.iter().zip(v) {
                    f.table.add_n(lexicon, concept, *role, n);
                    if let Some(i) = role_at(*role) {
                        f.all_mentions += n;
                        if lexicon.can_sit(concept) {
                            f.roles[i] += n;
                        }
                    }
                }
            }
            f.city_ceremonial += d.roles.of("city", Role::Ceremonial);
            for m in d.mentions {
                if m.concept == "urban" && !m.name {
                    f.urban_units.push(m.unit.clone());
                }
            }
        }
        f
    }

    fn one(d: &ReportDoc, concepts: &[&str], lexicon: &Lexicon) -> Figures {
        let mut f = Figures::of(&[d], concepts, lexicon);
        f.id = d.record.meta.id.clone();
        f.label = d.record.meta.short.clone();
        f.symbol = d.record.meta.symbol.clone();
        f.binding = Some(d.record.meta.binding);
        f
    }

    fn count(&self, concept: &str) -> usize {
        self.concepts
            .iter()
            .find(|(c, _)| c == concept)
            .map_or(0, |x| x.1)
    }

    /// Mentions of cities and their governments with a role: the share's denominator.
    fn mentions(&self) -> usize {
        self.table.of
    }

    fn local(&self) -> usize {
        self.count("local_government") + self.count("subnational")
    }

    fn share(&self) -> Option<f64> {
        self.table.share()
    }

    fn data(&self) -> String {
        format!(
            "data-doc=\"{}\" data-words=\"{}\" data-city=\"{}\" data-mayor=\"{}\" data-urban=\"{}\" data-local=\"{}\" data-mentions=\"{}\" data-table-of=\"{}\" data-actor=\"{}\"",
            esc(&self.id),
            self.words,
            self.count("city"),
            self.count("mayor"),
            self.count("urban"),
            self.local(),
            self.all_mentions,
            self.table.of,
            self.table.actor
        )
    }
}

/// ", includes decision 1/CP.21, shown above" for a group that holds an instrument with a
/// row of its own: the rows overlap there, and say so.
fn shared_note(f: &Figures) -> String {
    if f.shared.is_empty() {
        String::new()
    } else {
        format!(", includes {}, shown above", f.shared.join(", "))
    }
}

/// " (SYMBOL)", or nothing for a text without a symbol (a dropped file).
fn paren(symbol: &str) -> String {
    if symbol.trim().is_empty() {
        String::new()
    } else {
        format!(" ({symbol})")
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| format!("{:.0}%", 100.0 * x))
}

/// What the figures say about one instrument (or, `plural`, the UNFCCC group), as the rest of
/// a sentence that begins with its name.
fn sentence(f: &Figures, plural: bool) -> String {
    let (city, mayor, urban) = (f.count("city"), f.count("mayor"), f.count("urban"));
    let v = |one: &str, many: &str| {
        if plural {
            many.to_string()
        } else {
            one.to_string()
        }
    };
    let mut s = match (city, mayor) {
        (0, 0) => format!("{} a city or a mayor", v("never mentions", "never mention")),
        (c, 0) => format!(
            "{} a city {} and never a mayor",
            v("mentions", "mention"),
            times(c)
        ),
        (0, m) => format!(
            "{} a city; a mayor {}",
            v("never mentions", "never mention"),
            times(m)
        ),
        (c, m) => format!(
            "{} a city {} and a mayor {}",
            v("mentions", "mention"),
            times(c),
            times(m)
        ),
    };
    if f.city_ceremonial > 0 {
        let _ = write!(
            s,
            " ({} of the city mentions ceremonial: a host or venue thanked)",
            f.city_ceremonial
        );
    }
    let mut units = f.urban_units.clone();
    units.dedup();
    match urban {
        0 => s.push_str("; “urban” never appears"),
        u if u <= 3 && !units.is_empty() => {
            let _ = write!(s, "; “urban” appears {} ({})", times(u), units.join("; "));
        }
        u => {
            let _ = write!(s, "; “urban” appears {}", times(u));
        }
    }
    match f.local() {
        0 => s.push_str("; nor local or subnational governments"),
        l => {
            // Mentions of two concepts: "subnational and local governments" is one of each.
            let _ = write!(
                s,
                "; local or subnational governments {} (mentions of either concept)",
                times(l)
            );
        }
    }
    let its = v("its", "their");
    match (f.mentions(), f.table.actor) {
        (0, _) => s.push('.'),
        (n, 0) => {
            let _ = write!(
                s,
                ". None of {its} {n} mention{} of cities and their governments puts them at the table.",
                plural_s(n)
            );
        }
        (n, a) => {
            let _ = write!(
                s,
                ". {a} of {its} {n} mention{} of cities and their governments put{} them at the table ({}).",
                plural_s(n),
                if a == 1 { "s" } else { "" },
                pct(f.share())
            );
        }
    }
    s
}

fn plural_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A whole UNFCCC session report (its decisions), not an instrument of its own.
fn in_series(d: &ReportDoc) -> bool {
    d.record.meta.kind == "decision" && d.record.meta.year.is_some()
}

fn is_session_report(d: &ReportDoc) -> bool {
    in_series(d) && d.record.meta.part_of.is_none()
}

/// Which documents' mention lines the report shows (the rest of its figures come from
/// [`ReportDoc::roles`]): the first [`MENTIONS_LISTED`] mentions in the report's order, the
/// reports the dispersion plot draws, and the documents whose "urban" mentions are named in an
/// answer sentence (a row with one to three of them, by place).
pub fn shows_lines(docs: &[ReportDoc]) -> Vec<bool> {
    let mut shows = vec![false; docs.len()];
    let mut room = MENTIONS_LISTED;
    for (k, d) in docs.iter().enumerate() {
        let n = d.roles.lines();
        if n > 0 && room > 0 {
            shows[k] = true;
            room -= n.min(room);
        }
    }
    let series: Vec<usize> = (0..docs.len()).filter(|&k| in_series(&docs[k])).collect();
    let lines: Vec<usize> = series.iter().map(|&k| docs[k].roles.lines()).collect();
    for r in dispersion_rows(&lines).0 {
        shows[series[r]] = true;
    }
    for (k, named) in urban_named(docs).into_iter().enumerate() {
        shows[k] |= named;
    }
    shows
}

/// The documents whose "urban" mentions an answer sentence names by place (a row of the
/// answer with one to three of them): the only lines the answer itself needs.
pub fn urban_named(docs: &[ReportDoc]) -> Vec<bool> {
    let mut shows = vec![false; docs.len()];
    let urban = |d: &ReportDoc| d.counts.concepts.get("urban").map_or(0, |c| c.count);
    let rows: Vec<Vec<usize>> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| !is_session_report(d) && d.record.meta.in_manifest)
        .map(|(k, _)| vec![k])
        .chain([
            (0..docs.len()).filter(|&k| in_series(&docs[k])).collect(),
            (0..docs.len())
                .filter(|&k| !is_session_report(&docs[k]) && !docs[k].record.meta.in_manifest)
                .collect(),
        ])
        .collect();
    for row in rows {
        let total: usize = row.iter().map(|&k| urban(&docs[k])).sum();
        if (1..=3).contains(&total) {
            for k in row.into_iter().filter(|&k| urban(&docs[k]) > 0) {
                shows[k] = true;
            }
        }
    }
    shows
}

/// The answer's rows: the instruments (the manifest's documents and parts), then the groups
/// (the UNFCCC decisions; the documents the manifest does not know).
fn rows(docs: &[ReportDoc], lexicon: &Lexicon) -> (Vec<Figures>, Vec<Figures>) {
    let concepts = lexicon.concept_ids();
    // Rows are instruments: the manifest's documents and parts. A UNFCCC session report is in
    // the group of the decisions; a document the manifest does not know (a folder of national
    // laws dropped in) is in one group of its own, so the answer stays a page at any size.
    let instruments: Vec<Figures> = docs
        .iter()
        .filter(|d| !is_session_report(d) && d.record.meta.in_manifest)
        .map(|d| Figures::one(d, &concepts, lexicon))
        .collect();
    let others: Vec<&ReportDoc> = docs
        .iter()
        .filter(|d| !is_session_report(d) && !d.record.meta.in_manifest)
        .collect();
    let series: Vec<&ReportDoc> = docs.iter().filter(|d| in_series(d)).collect();
    let group = (!series.is_empty()).then(|| {
        let years: Vec<u32> = series.iter().filter_map(|d| d.record.meta.year).collect();
        let (a, b) = (
            years.iter().min().unwrap_or(&0),
            years.iter().max().unwrap_or(&0),
        );
        let mut f = Figures::of(&series, &concepts, lexicon);
        f.id = "unfccc-decisions".into();
        f.label = format!("UNFCCC decisions {a}–{b}");
        f.symbol = format!(
            "{} document{}",
            series.len(),
            if series.len() == 1 { "" } else { "s" }
        );
        // A part with a row of its own (decision 1/CP.21) is in the series too.
        f.shared = series
            .iter()
            .filter(|d| !is_session_report(d))
            .map(|d| d.record.meta.short.clone())
            .collect();
        f
    });
    let other = (!others.is_empty()).then(|| {
        let mut f = Figures::of(&others, &concepts, lexicon);
        f.id = "not-in-manifest".into();
        f.label = "documents not in the manifest".into();
        f.symbol = format!(
            "{} document{}",
            others.len(),
            if others.len() == 1 { "" } else { "s" }
        );
        f
    });
    let groups: Vec<Figures> = group.into_iter().chain(other).collect();
    (instruments, groups)
}

/// The answer and the table of instruments alone (`serve`'s overview), each row linked by
/// `link` (given the row's id: a document's, `unfccc-decisions` or `not-in-manifest`).
pub fn answer_section(
    docs: &[ReportDoc],
    extras: &Extras,
    lexicon: &Lexicon,
    link: &dyn Fn(&str) -> String,
) -> String {
    let (instruments, groups) = rows(docs, lexicon);
    let mut h = String::new();
    answer(
        &mut h,
        &instruments,
        &groups,
        extras,
        &lexicon.concept_ids(),
        link,
    );
    h
}

/// Renders the whole report.
pub fn render(docs: &[ReportDoc], extras: &Extras, lexicon: &Lexicon, generated: &str) -> String {
    let concepts = lexicon.concept_ids();
    let (instruments, groups) = rows(docs, lexicon);
    let series: Vec<&ReportDoc> = docs.iter().filter(|d| in_series(d)).collect();
    let mut h = String::new();
    let files: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d.record.file.as_str()).collect();
    head(&mut h, generated, (files.len(), docs.len()), lexicon);
    // A row links to its section below.
    let anchor = |id: &str| {
        format!(
            "#{}",
            match id {
                "unfccc-decisions" => "series",
                "not-in-manifest" => "mentions",
                id => id,
            }
        )
    };
    answer(&mut h, &instruments, &groups, extras, &concepts, &anchor);
    let everything = Figures::of(&docs.iter().collect::<Vec<_>>(), &concepts, lexicon);
    roles_chart(&mut h, &instruments, &groups, &everything);
    claims(&mut h, extras);
    if !series.is_empty() {
        trend(&mut h, &series, extras, &concepts);
        dispersion(&mut h, &series);
    }
    surrounds(&mut h, extras);
    marks(&mut h, extras);
    every_mention(&mut h, docs);
    methods(&mut h, docs, extras, lexicon, generated);
    h.push_str("</body></html>\n");
    h
}

/// The page's head; `(files, texts)`: the documents read and the texts counted (a document
/// with parts, the Paris PDF, is two texts).
fn head(h: &mut String, generated: &str, (files, n): (usize, usize), lexicon: &Lexicon) {
    let how = if files == n {
        format!("How {n} text{}", if n == 1 { "" } else { "s" })
    } else {
        format!(
            "How {files} document{} ({n} texts: a document that holds several instruments is counted as each of them)",
            if files == 1 { "" } else { "s" }
        )
    };
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Cities in international agreements: at the table or on the menu?</title><style>\
body{{font-family:Georgia,serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}}\
table{{border-collapse:collapse;font-size:13px;margin:.5em 0}}td,th{{border-bottom:1px solid #ddd;padding:3px 6px;text-align:right;vertical-align:top}}\
th{{background:#f4f4f4}}th[scope=row],.l{{text-align:left}}#sources td{{word-break:break-all}}h2{{margin-top:1.8em;break-after:avoid}}\
.answer li{{margin:.35em 0}}.lede{{font-size:1.1em}}figure{{margin:1.5em 0;break-inside:avoid}}\
figure>svg{{width:100%;height:auto}}.legend svg{{width:26px;height:10px;vertical-align:middle}}.ftitle{{font-weight:bold;font-size:1.05em;margin:0}}.sub{{color:#444;margin:.2em 0}}\
.source,.note{{font-size:12px;color:#555;margin:.2em 0}}.legend span{{margin-right:1.2em;white-space:nowrap}}\
.kw{{font-size:12px}}.kw b{{background:#fde68a}}details{{margin:.3em 0}}a{{color:#0b5394}}\
@page{{margin:12mm}}@media print{{body{{max-width:none;margin:0;font-size:11px}}table{{font-size:10px;width:100%}}\
h2,h3,.ftitle{{break-after:avoid}}figure,table,tr,li{{break-inside:avoid}}details{{break-inside:auto}}}}\
</style></head><body><h1>Cities in international agreements: at the table or on the menu?</h1>\
<p class=\"sub\">{how} mention{} cities, mayors, local and subnational governments, urban places and city networks, counted exactly and cited. Generated by menutable {} on {}.</p><p class=\"sub\" id=\"share-basis\">“At the table” throughout: {}.</p>",
        if n == 1 { "s" } else { "" },
        env!("CARGO_PKG_VERSION"),
        esc(generated),
        esc(share_basis(lexicon).trim_start_matches("at the table = ")),
    );
}

/// The answer: a sentence per instrument, then the table of instruments.
fn answer(
    h: &mut String,
    instruments: &[Figures],
    groups: &[Figures],
    extras: &Extras,
    concepts: &[&str],
    link: &dyn Fn(&str) -> String,
) {
    h.push_str("<h2 id=\"answer\">The answer</h2><ul class=\"answer lede\">");
    for f in instruments {
        let _ = write!(
            h,
            "<li class=\"answer\" {}><b>{}</b>{} {}</li>",
            f.data(),
            esc(&f.label),
            esc(&paren(&f.symbol)),
            esc(&sentence(f, false))
        );
    }
    for g in groups {
        let _ = write!(
            h,
            "<li class=\"answer\" {}><b>The {}</b> ({}, together{}) {}</li>",
            g.data(),
            esc(&g.label),
            esc(&g.symbol),
            esc(&shared_note(g)),
            esc(&sentence(g, true))
        );
    }
    for m in &extras.missing {
        let _ = write!(
            h,
            "<li class=\"answer missing\" data-doc=\"{}\"><b>{}</b>: the {}{} is not in this corpus, so no figure is given for it: {}.</li>",
            esc(&m.id),
            esc(&m.short),
            esc(&m.title),
            esc(&paren(&m.symbol)),
            esc(m.how.trim_end_matches('.'))
        );
    }
    h.push_str("</ul>");
    // The table of instruments.
    h.push_str("<table id=\"instruments\"><caption class=\"l\">Mentions per instrument (names of instruments such as “the New Urban Agenda” apart). At the table: actor mentions among the mentions of cities and their governments (all concepts but “urban”, a place or topic).</caption><tr><th scope=\"col\" class=\"l\">instrument</th><th scope=\"col\">symbol</th><th scope=\"col\">binding</th><th scope=\"col\">words</th>");
    for c in concepts {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&c.replace('_', " ")));
    }
    h.push_str("<th scope=\"col\">mentions per 10,000 words</th><th scope=\"col\">at the table</th><th scope=\"col\">names of instruments</th></tr>");
    for f in instruments.iter().chain(groups) {
        let total: usize = f.concepts.iter().map(|x| x.1).sum();
        let _ = write!(
            h,
            "<tr class=\"instrument\" {}><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td>",
            f.data(),
            esc(&link(&f.id)),
            esc(&format!("{}{}", f.label, shared_note(f))),
            esc(&f.symbol),
            f.binding.map_or("–", |b| if b { "yes" } else { "no" }),
            f.words
        );
        for (_, n) in &f.concepts {
            let _ = write!(h, "<td>{n}</td>");
        }
        let _ = write!(
            h,
            "<td>{:.2}</td><td>{}</td><td>{}</td></tr>",
            per_10k(total, f.words),
            pct(f.share()),
            f.names
        );
    }
    for m in &extras.missing {
        let _ = write!(
            h,
            "<tr class=\"missing\" data-doc=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td colspan=\"{}\" class=\"l\">missing from this corpus: {}</td></tr>",
            esc(&m.id),
            esc(&m.short),
            esc(&m.symbol),
            if m.binding { "yes" } else { "no" },
            concepts.len() + 4,
            esc(&m.how)
        );
    }
    h.push_str("</table>");
}

/// The opening of a chart: figure, title, subtitle, and the SVG with its title and desc.
fn figure_open(h: &mut String, id: &str, title: &str, sub: &str, (w, ht): (f64, f64)) {
    let _ = write!(
        h,
        "<figure id=\"fig-{id}\"><p class=\"ftitle\">{}</p><p class=\"sub\">{}</p><svg id=\"{id}\" viewBox=\"0 0 {w} {ht}\" width=\"{w}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-family=\"Georgia,serif\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(sub),
        esc(title),
        esc(sub)
    );
}

fn figure_close(h: &mut String, legend: &str, source: &str, note: &str) {
    let _ = write!(
        h,
        "</svg><p class=\"legend\">{legend}</p><p class=\"source\">Source: {}</p>",
        esc(source)
    );
    if !note.is_empty() {
        let _ = write!(h, "<p class=\"note\">Note: {}</p>", esc(note));
    }
    h.push_str("</figure>");
}

fn swatch(color: &str, label: &str, dash: &str) -> String {
    format!(
        "<span><svg width=\"26\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"26\" y2=\"5\" stroke=\"{color}\" stroke-width=\"4\" stroke-dasharray=\"{dash}\"/></svg> {}</span>",
        esc(label)
    )
}

fn role_legend() -> String {
    ROLES
        .iter()
        .enumerate()
        .map(|(i, r)| swatch(ROLE_COLORS[i], r.as_str(), ""))
        .collect()
}

/// A 0–100% x axis from `x0` over `width`: gridlines from `grid_top` to the axis at `axis_y`
/// (none when they are equal), ticks, and the axis label under them.
fn percent_axis(
    h: &mut String,
    (x0, width): (f64, f64),
    (grid_top, axis_y): (f64, f64),
    label: &str,
) {
    for t in [0, 25, 50, 75, 100] {
        let x = x0 + width * f64::from(t) / 100.0;
        let (y1, color) = if grid_top < axis_y {
            (grid_top, "#ddd")
        } else {
            (axis_y + 4.0, "#999")
        };
        let _ = write!(
            h,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{y1}\" y2=\"{axis_y}\" stroke=\"{color}\"/><text class=\"tick\" x=\"{x}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{t}%</text>",
            axis_y + 16.0
        );
    }
    let _ = write!(
        h,
        "<text class=\"axis-label\" x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
        x0 + width / 2.0,
        axis_y + 33.0,
        esc(label)
    );
}

fn source_line() -> String {
    format!(
        "menutable {} counts of the texts listed under Methods; every mention is listed with its citation below.",
        env!("CARGO_PKG_VERSION")
    )
}

/// At the table or on the menu: one 100% bar per instrument, split by role, actor first.
fn roles_chart(h: &mut String, instruments: &[Figures], groups: &[Figures], all: &Figures) {
    let rows: Vec<&Figures> = instruments
        .iter()
        .chain(groups)
        .filter(|f| f.mentions() > 0)
        .collect();
    if rows.is_empty() {
        return;
    }
    let mostly = rows
        .iter()
        .filter(|f| f.share().unwrap_or(0.0) > 0.5)
        .count();
    // Over every document once (decision 1/CP.21 is a row and in the UNFCCC group).
    let title = format!(
        "Cities and their governments are at the table in {} of {} mentions; {mostly} of {} rows give them an actor's role in most mentions",
        all.table.actor,
        all.mentions(),
        rows.len()
    );
    let (label_w, bar_w, bar_h, top) = (200.0, 560.0, 18.0, 10.0);
    let ht = top + rows.len() as f64 * (bar_h + 8.0) + 40.0;
    h.push_str("<h2 id=\"roles\">At the table or on the menu</h2>");
    figure_open(
        h,
        "roles-chart",
        &title,
        "Each bar is one instrument's mentions of cities, mayors, local and subnational governments and city networks, split by role (actor first); the numbers are mentions, n the total. “Urban”, a place or topic and never at the table, is counted in the table above, not here.",
        (label_w + bar_w + 70.0, ht),
    );
    let axis_y = top + rows.len() as f64 * (bar_h + 8.0);
    percent_axis(
        h,
        (label_w, bar_w),
        (top, axis_y),
        "share of the instrument's mentions, by role",
    );
    for (i, f) in rows.iter().enumerate() {
        let y = top + i as f64 * (bar_h + 8.0);
        let n = f.mentions() as f64;
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(&f.label)
        );
        let mut x = label_w;
        for (r, count) in f.roles.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let w = bar_w * *count as f64 / n;
            let _ = write!(
                h,
                "<rect class=\"seg\" data-doc=\"{}\" data-role=\"{}\" data-n=\"{count}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"{}\" stroke=\"#fff\"><title>{}: {count} {}</title></rect>",
                esc(&f.id),
                ROLES[r].as_str(),
                ROLE_COLORS[r],
                esc(&f.label),
                ROLES[r].as_str()
            );
            if w >= 16.0 {
                let _ = write!(
                    h,
                    "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{}\">{count}</text>",
                    x + w / 2.0,
                    y + 13.0,
                    ROLE_TEXT[r]
                );
            }
            x += w;
        }
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\">n = {}</text>",
            label_w + bar_w + 6.0,
            y + 13.0,
            f.mentions()
        );
    }
    let overlap: Vec<String> = rows.iter().flat_map(|f| f.shared.iter().cloned()).collect();
    let overlap = if overlap.is_empty() {
        String::new()
    } else {
        format!(
            " The rows' n add up to more than the {} of the title: {} has a row of its own and is in the UNFCCC decisions too; the title counts every text once.",
            all.mentions(),
            overlap.join(", ")
        )
    };
    figure_close(
        h,
        &role_legend(),
        &source_line(),
        &format!(
            "Every count is in the table below the chart. Tables of contents and names of instruments are not mentions (see Methods).{overlap}"
        ),
    );
    // The figures of the chart as a table: nothing exists only on hover or in a segment too
    // narrow for its number, on screen or on paper.
    h.push_str("<table id=\"roles-table\"><caption class=\"l\">The role bars in numbers: mentions of cities and their governments by role.</caption><tr><th scope=\"col\" class=\"l\">row</th>");
    for r in ROLES {
        let _ = write!(h, "<th scope=\"col\">{}</th>", r.as_str());
    }
    h.push_str("<th scope=\"col\">n</th><th scope=\"col\">at the table</th></tr>");
    for f in &rows {
        let _ = write!(
            h,
            "<tr data-doc=\"{}\"><th scope=\"row\">{}</th>",
            esc(&f.id),
            esc(&f.label)
        );
        for n in f.roles {
            let _ = write!(h, "<td>{n}</td>");
        }
        let _ = write!(
            h,
            "<td>{}</td><td>{}</td></tr>",
            f.mentions(),
            pct(f.share())
        );
    }
    h.push_str("</table>");
}

/// "What surrounds cities": the collocates of the city and local-government concepts when their
/// mentions put them at the table, and when on the menu, each row with its raw counts and the
/// command that lists every collocate.
fn surrounds(h: &mut String, extras: &Extras) {
    if extras.surrounds.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"surrounds\">What surrounds cities</h2><p>The words most attached to the mentions of cities and of local governments in each role, within five words on either side (log-Dice; O: times in those spans; f: in all the texts). Stop words are not listed.</p>");
    for s in &extras.surrounds {
        let _ = write!(
            h,
            "<table class=\"surround\" data-concept=\"{}\" data-role=\"{}\" data-nodes=\"{}\"><caption class=\"l\">{} as {}: {} mention{} — <code>{}</code></caption><tr><th scope=\"col\" class=\"l\">collocate</th><th scope=\"col\">O</th><th scope=\"col\">f</th><th scope=\"col\">log-Dice</th></tr>",
            esc(&s.concept),
            esc(&s.role),
            s.nodes,
            esc(&s.concept.replace('_', " ")),
            esc(&s.role),
            s.nodes,
            plural_s(s.nodes),
            esc(&s.command)
        );
        if s.rows.is_empty() {
            h.push_str("<tr><td colspan=\"4\" class=\"l\">no word occurs three times or more in these spans</td></tr>");
        }
        for r in &s.rows {
            let _ = write!(
                h,
                "<tr data-collocate=\"{}\" data-o=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.collocate),
                r.observed,
                esc(&r.collocate),
                r.observed,
                r.frequency,
                r.log_dice.map_or("–".into(), |x| format!("{x:.2}"))
            );
        }
        h.push_str("</table>");
    }
}

/// "What marks each instrument": its top keywords against the rest of the report's texts.
fn marks(h: &mut String, extras: &Extras) {
    if extras.marks.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"marks\">What marks each instrument</h2><p>The words each instrument uses most, relative to all the other texts of this report (four-cell log-likelihood G2; Log Ratio: log2 of the ratio of relative frequencies; a: in the instrument, b: in the rest). Stop words are not listed.</p><table id=\"marks-table\"><tr><th scope=\"col\" class=\"l\">instrument</th><th scope=\"col\" class=\"l\">keywords (a / b, G2, Log Ratio)</th><th scope=\"col\" class=\"l\">every keyword</th></tr>");
    for m in &extras.marks {
        let words: Vec<String> = m
            .rows
            .iter()
            .map(|r| {
                format!(
                    "<span class=\"kw\" data-word=\"{}\" data-a=\"{}\" data-b=\"{}\">{}</span> ({}/{}, {:+.1}, {})",
                    esc(&r.word),
                    r.freq_target,
                    r.freq_reference,
                    esc(&r.word),
                    r.freq_target,
                    r.freq_reference,
                    r.g2,
                    r.log_ratio.map_or("–".into(), |x| format!("{x:+.1}"))
                )
            })
            .collect();
        let _ = write!(
            h,
            "<tr class=\"marks\" data-doc=\"{}\"><th scope=\"row\">{}</th><td class=\"l\">{}</td><td class=\"l\"><code>{}</code></td></tr>",
            esc(&m.id),
            esc(&m.label),
            words.join("; "),
            esc(&m.command)
        );
    }
    h.push_str("</table>");
}

fn claims(h: &mut String, extras: &Extras) {
    if let Some(note) = &extras.claims_note {
        let _ = write!(
            h,
            "<h2 id=\"claims\">Claims checked</h2><p class=\"claims-note\" role=\"alert\">{}</p>",
            esc(note)
        );
        return;
    }
    if extras.claims.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"claims\">Claims checked</h2><table id=\"claims-table\"><tr><th scope=\"col\" class=\"l\">claim</th><th scope=\"col\" class=\"l\">source</th><th scope=\"col\">verdict</th><th scope=\"col\">claimed</th><th scope=\"col\">in the text</th><th scope=\"col\" class=\"l\">the mentions behind it</th></tr>");
    for c in &extras.claims {
        let behind = if c.citations.is_empty() {
            esc(&c.detail)
        } else {
            c.citations
                .iter()
                .zip(&c.offsets)
                .map(|(cite, o)| format!("<a href=\"#m-{}-{o}\">{}</a>", esc(&c.doc), esc(cite)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = write!(
            h,
            "<tr class=\"claim\" data-claim=\"{}\" data-verdict=\"{}\" data-figure=\"{}\"><th scope=\"row\">{}</th><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{behind}</td></tr>",
            esc(&c.id),
            c.verdict.as_str(),
            c.figure.map(|n| n.to_string()).unwrap_or_default(),
            esc(&c.claim),
            esc(&c.source),
            c.verdict.as_str(),
            esc(&c.expected),
            c.figure.map_or("–".to_string(), |n| n.to_string()),
        );
    }
    h.push_str("</table>");
}

/// A round step for an axis from 0 to `max`, about five ticks.
fn step_for(max: f64) -> f64 {
    let raw = (max / 5.0).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// The UNFCCC series: mentions per 10,000 words per year, by concept.
fn trend(h: &mut String, series: &[&ReportDoc], extras: &Extras, concepts: &[&str]) {
    let mut years: Vec<u32> = series.iter().filter_map(|d| d.record.meta.year).collect();
    years.sort_unstable();
    years.dedup();
    let per_year = |year: u32, c: &str| {
        let ds: Vec<&&ReportDoc> = series
            .iter()
            .filter(|d| d.record.meta.year == Some(year))
            .collect();
        let words: usize = ds.iter().map(|d| d.counts.words).sum();
        let n: usize = ds
            .iter()
            .map(|d| d.counts.concepts.get(c).map_or(0, |x| x.count))
            .sum();
        per_10k(n, words)
    };
    let words: usize = series.iter().map(|d| d.counts.words).sum();
    let total = |c: &str| -> usize {
        series
            .iter()
            .map(|d| d.counts.concepts.get(c).map_or(0, |x| x.count))
            .sum()
    };
    let top = concepts
        .iter()
        .max_by_key(|c| total(c))
        .copied()
        .unwrap_or("city");
    let (y0, y1) = (years[0], *years.last().unwrap_or(&years[0]));
    let title = format!(
        "In the UNFCCC decisions of {y0}–{y1}, {} is the concept mentioned most: {:.2} mentions per 10,000 words over the whole series",
        top.replace('_', " "),
        per_10k(total(top), words)
    );
    let ymax = years
        .iter()
        .flat_map(|y| concepts.iter().map(move |c| per_year(*y, c)))
        .fold(0.0, f64::max)
        .max(0.01);
    let step = step_for(ymax);
    let ytop = (ymax / step).ceil() * step;
    let (left, w, top_m, ht) = (60.0, 760.0, 10.0, 240.0);
    let xs = |y: u32| left + w * f64::from(y - y0) / f64::from((y1 - y0).max(1));
    let ys = |v: f64| top_m + ht - ht * v / ytop;
    h.push_str("<h2 id=\"series\">The UNFCCC series</h2>");
    figure_open(
        h,
        "trend",
        &title,
        "Mentions per 10,000 words of each year's decisions (all sessions of the year together), by concept; original-language texts only, decision 1/CP.21 included.",
        (left + w + 30.0, top_m + ht + 50.0),
    );
    let ids: Vec<&str> = series.iter().map(|d| d.record.meta.id.as_str()).collect();
    let _ = write!(
        h,
        "<g class=\"trend-docs\" data-docs=\"{}\">",
        ids.join(" ")
    );
    let mut v = 0.0;
    while v <= ytop + 1e-9 {
        let _ = write!(
            h,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/><text class=\"tick\" x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            left + w,
            left - 6.0,
            ys(v) + 4.0,
            trim_num(v),
            y = ys(v)
        );
        v += step;
    }
    for y in (y0..=y1).filter(|y| y % 5 == 0 || *y == y0 || *y == y1) {
        let _ = write!(
            h,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#999\"/><text class=\"tick\" x=\"{x:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{y}</text>",
            top_m + ht,
            top_m + ht + 4.0,
            top_m + ht + 16.0,
            x = xs(y)
        );
    }
    let _ = write!(
        h,
        "<text class=\"axis-label\" x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">year of the sessions</text><text class=\"axis-label\" transform=\"translate(14 {}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">mentions per 10,000 words</text>",
        left + w / 2.0,
        top_m + ht + 40.0,
        top_m + ht / 2.0
    );
    for (ci, c) in concepts.iter().enumerate() {
        let values: Vec<String> = years
            .iter()
            .map(|y| format!("{y}:{}", per_year(*y, c)))
            .collect();
        let pts: Vec<String> = years
            .iter()
            .map(|y| format!("{:.1},{:.1}", xs(*y), ys(per_year(*y, c))))
            .collect();
        let _ = write!(
            h,
            "<polyline class=\"trend\" data-concept=\"{}\" data-values=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\" points=\"{}\"><title>{}</title></polyline>",
            esc(c),
            values.join(" "),
            CONCEPT_COLORS[ci % 6],
            CONCEPT_DASHES[ci % 6],
            pts.join(" "),
            esc(&c.replace('_', " "))
        );
    }
    h.push_str("</g>");
    let legend: String = concepts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            swatch(
                CONCEPT_COLORS[i % 6],
                &c.replace('_', " "),
                CONCEPT_DASHES[i % 6],
            )
        })
        .collect();
    let mut note = String::from(
        "A year without a session counted is drawn straight from its neighbours. Tables of contents and names of instruments are not counted.",
    );
    if extras.left_out.iter().any(|x| x.2 == "decision") {
        let _ = write!(
            note,
            " Left out, so nothing counts twice: {}.",
            extras
                .left_out
                .iter()
                .filter(|(_, _, kind)| kind == "decision")
                .map(|(short, why, _)| format!("{short} ({why})"))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    figure_close(h, &legend, &source_line(), &note);
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Documents not in the manifest listed with their source at most (beyond, they are counted).
const SOURCES_LISTED: usize = 200;

/// Rows of the dispersion plot at most.
const DISPERSION_ROWS: usize = 200;

/// Which of the reports of the series (their mentions, in order) the dispersion plot draws:
/// those with a mention, at most DISPERSION_ROWS (the real series has 73), those with the most
/// mentions, in their order; and how many more with a mention it does not.
fn dispersion_rows(mentions: &[usize]) -> (Vec<usize>, usize) {
    let with: Vec<usize> = (0..mentions.len()).filter(|&k| mentions[k] > 0).collect();
    let hidden = with.len().saturating_sub(DISPERSION_ROWS);
    if hidden == 0 {
        return (with, 0);
    }
    let mut most = with;
    most.sort_by_key(|&k| std::cmp::Reverse(mentions[k]));
    most.truncate(DISPERSION_ROWS);
    most.sort_unstable();
    (most, hidden)
}

/// Where each mention falls in its report, coloured by role: the host-city thanks at the end.
fn dispersion(h: &mut String, series: &[&ReportDoc]) {
    let lines: Vec<usize> = series.iter().map(|d| d.roles.lines()).collect();
    let (rows, hidden) = dispersion_rows(&lines);
    if rows.is_empty() {
        return;
    }
    let with: Vec<&ReportDoc> = rows.into_iter().map(|k| series[k]).collect();
    let pos = |d: &ReportDoc, m: &KwicLine| m.offset as f64 / d.chars.max(1) as f64;
    let ceremonial: Vec<f64> = with
        .iter()
        .flat_map(|d| {
            d.mentions
                .iter()
                .filter(|m| m.role == Role::Ceremonial)
                .map(|m| pos(d, m))
        })
        .collect();
    let last_tenth = ceremonial.iter().filter(|p| **p >= 0.9).count();
    let title = if ceremonial.is_empty() {
        "No ceremonial mention in these reports".to_string()
    } else {
        format!(
            "{last_tenth} of the {} ceremonial mentions fall in the last tenth of their report, where the host city is thanked",
            ceremonial.len()
        )
    };
    let (label_w, w, row_h, top) = (150.0, 640.0, 14.0, 6.0);
    let axis_y = top + with.len() as f64 * row_h;
    h.push_str("<h3>Where the mentions fall</h3>");
    figure_open(
        h,
        "dispersion",
        &title,
        "Each row is one report of the series, from its first page (left) to its last (right); each tick a mention, coloured by role.",
        (label_w + w + 20.0, axis_y + 40.0),
    );
    for (i, d) in with.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{}</text><line x1=\"{label_w}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>",
            label_w - 6.0,
            y + 10.0,
            esc(&d.record.meta.short),
            label_w + w,
            y + 7.0,
            y + 7.0
        );
        for m in d.mentions.iter() {
            let color = role_at(m.role).map_or("#777", |r| ROLE_COLORS[r]);
            let _ = write!(
                h,
                "<rect class=\"tick-mark\" x=\"{:.1}\" y=\"{}\" width=\"2\" height=\"11\" fill=\"{color}\"><title>{}: {}</title></rect>",
                label_w + w * pos(d, m),
                y + 1.5,
                esc(&m.citation),
                m.role.as_str()
            );
        }
    }
    percent_axis(
        h,
        (label_w, w),
        (axis_y, axis_y),
        "position in the report (share of its text before the mention)",
    );
    let note = if hidden > 0 {
        format!(
            "Reports without a mention have no row; the {DISPERSION_ROWS} with the most mentions are drawn, {hidden} more are not (`menutable kwic --concept city --kind decision` lists their mentions)."
        )
    } else {
        "Reports without a mention have no row.".to_string()
    };
    figure_close(h, &role_legend(), &source_line(), &note);
}

/// Mentions listed in the report at most; the rest are counted, and `export` lists them all
/// (the real corpus has 609: all listed).
const MENTIONS_LISTED: usize = 2_000;

fn every_mention(h: &mut String, docs: &[ReportDoc]) {
    h.push_str("<h2 id=\"mentions\">Every mention</h2><p>Grouped by instrument, with its citation, role and the rule that decided it; a link to <code>report.html#ID</code> opens one instrument's list.</p>");
    let mut room = MENTIONS_LISTED;
    let (mut unlisted, mut unlisted_docs) = (0, 0);
    for d in docs.iter().filter(|d| d.roles.lines() > 0) {
        let n = d.roles.lines();
        if room == 0 {
            unlisted += n;
            unlisted_docs += 1;
            continue;
        }
        let _ = write!(
            h,
            "<details id=\"{id}\" data-doc=\"{id}\" data-mentions=\"{n}\" open><summary>{}{}: {n} mention{}</summary><ul class=\"kw\">",
            esc(&d.record.meta.short),
            esc(&paren(&d.record.meta.symbol)),
            if n == 1 { "" } else { "s" },
            id = esc(&d.record.meta.id),
        );
        let listed = n.min(room);
        room -= listed;
        for m in d.mentions.iter().take(listed) {
            let _ = write!(
                h,
                "<li class=\"mention\" id=\"m-{}-{}\">{}{} — …{}<b>{}</b>{}… <i>{}</i> <small>({})</small></li>",
                esc(&d.record.meta.id),
                m.offset,
                esc(&m.citation),
                if m.toc { " (contents)" } else { "" },
                esc(&m.left),
                esc(&m.matched),
                esc(&m.right),
                m.role.as_str(),
                esc(m.rule)
            );
        }
        if listed < n {
            unlisted += n - listed;
            let _ = write!(
                h,
                "<li class=\"more\">and {} more: <code>menutable export --doc {} --out DIR</code> lists them all</li>",
                n - listed,
                esc(&d.record.meta.id)
            );
        }
        h.push_str("</ul></details>");
    }
    if unlisted > 0 {
        let _ = write!(
            h,
            "<p class=\"more\" data-unlisted=\"{unlisted}\">The report lists the first {MENTIONS_LISTED} mentions; {unlisted} more{} are counted in every figure above and listed, each with its citation, role and rule, by <code>menutable export --out DIR</code> (mentions.csv).</p>",
            if unlisted_docs > 0 {
                format!(" (in {unlisted_docs} more documents)")
            } else {
                String::new()
            }
        );
    }
}

fn methods(
    h: &mut String,
    docs: &[ReportDoc],
    extras: &Extras,
    lexicon: &Lexicon,
    generated: &str,
) {
    let _ = write!(
        h,
        "<h2 id=\"methods\">Methods</h2><p><b>Scope.</b> {}. A mention is a lexicon term found as whole words, any case, the longest term winning where terms overlap, in the document's language. Tables of contents repeat headings and are left out unless asked; running headers and footers are never text; names of instruments, bodies and events (“the New Urban Agenda”, “World Urban Forum”) are counted apart, never as mentions.</p>",
        esc(capitalised(extras.scope.trim_start_matches("scope: ")).as_str())
    );
    h.push_str("<p><b>Roles.</b> Each mention has one role, decided by named rules over its clause:</p><ul>");
    for (i, r) in ROLES.iter().enumerate() {
        let _ = write!(h, "<li><b>{}</b> — {}.</li>", r.as_str(), ROLE_MEANING[i]);
    }
    let _ = write!(
        h,
        "</ul><p>“At the table”: {}.</p><h3>Lexicon</h3><ul>",
        esc(share_basis(lexicon).trim_start_matches("at the table = "))
    );
    for c in &lexicon.concepts {
        let names = if c.names.is_empty() {
            String::new()
        } else {
            format!("; names {}", c.names.join(", "))
        };
        let _ = write!(
            h,
            "<li><b>{}</b>: en {}; es {}; fr {}{}</li>",
            esc(&c.id),
            esc(&c.en.join(", ")),
            esc(&c.es.join(", ")),
            esc(&c.fr.join(", ")),
            esc(&names)
        );
    }
    h.push_str("</ul><h3>Documents</h3><table id=\"sources\"><tr><th scope=\"col\" class=\"l\">document</th><th scope=\"col\" class=\"l\">source</th><th scope=\"col\" class=\"l\">file</th><th scope=\"col\" class=\"l\">sha256</th></tr>");
    // The manifest's documents each have a row; documents it does not know are counted (their
    // files and sha256 are in `menutable docs` and `export`'s documents table).
    let unknown = docs.iter().filter(|d| !d.record.meta.in_manifest).count();
    for d in docs
        .iter()
        .filter(|d| d.record.meta.in_manifest || unknown <= SOURCES_LISTED)
    {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{} ({})</th><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\"><code>{}</code></td></tr>",
            esc(&d.record.meta.short),
            esc(&d.record.meta.id),
            esc(&d.record.meta.url),
            esc(&d.record.file),
            esc(&d.record.sha256)
        );
    }
    if unknown > SOURCES_LISTED {
        let _ = write!(
            h,
            "<tr class=\"more\"><td colspan=\"4\" class=\"l\">and {unknown} documents not in the manifest: <code>menutable docs --format csv</code> lists each with its file and sha256</td></tr>"
        );
    }
    h.push_str("</table>");
    if !extras.left_out.is_empty() {
        h.push_str("<p><b>Left out of every figure</b> (so nothing counts twice): ");
        let list: Vec<String> = extras
            .left_out
            .iter()
            .map(|(s, why, _)| format!("{} ({})", esc(s), esc(why)))
            .collect();
        h.push_str(&list.join("; "));
        h.push_str(".</p>");
    }
    let _ = write!(
        h,
        "<p class=\"source\">menutable {}, generated {}.</p>",
        env!("CARGO_PKG_VERSION"),
        esc(generated)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(step_for(4.49), 1.0);
        assert_eq!(step_for(12.0), 2.5);
        assert_eq!(step_for(0.4), 0.1);
        assert_eq!(trim_num(2.50), "2.5");
        assert_eq!(trim_num(3.0), "3");
    }

    #[test]
    fn sentences_say_never_once_and_the_share() {
        let f = Figures {
            id: "gcm".into(),
            label: "GCM".into(),
            symbol: String::new(),
            binding: Some(false),
            words: 100,
            concepts: vec![
                ("city".into(), 0),
                ("mayor".into(), 0),
                ("urban".into(), 1),
                ("local_government".into(), 16),
            ],
            names: 1,
            roles: [14, 0, 0, 2, 0],
            all_mentions: 17,
            table: TableShare { actor: 14, of: 16 },
            shared: Vec::new(),
            city_ceremonial: 0,
            urban_units: vec!["annex, para. 18(b)".into()],
        };
        assert_eq!(
            sentence(&f, false),
            "never mentions a city or a mayor; “urban” appears once (annex, para. 18(b)); local or subnational governments 16 times (mentions of either concept). 14 of its 16 mentions of cities and their governments put them at the table (88%)."
        );
        let mut g = f;
        g.table = TableShare { actor: 0, of: 2 };
        assert!(sentence(&g, true).starts_with("never mention a city or a mayor"));
        assert!(sentence(&g, true).ends_with(
            "None of their 2 mentions of cities and their governments puts them at the table."
        ));
    }
}

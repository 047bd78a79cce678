//! `menutable roles`: mentions per role per document (or unit), the at-the-table share, and
//! an evaluation mode against hand-labelled gold rows.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{Env, Outcome, select_docs};
use crate::analysis::kwic::{KwicLine, KwicOptions, kwic_doc};
use crate::analysis::lexicon::Lexicon;
use crate::analysis::role_counts::{RoleCounts, role_counts};
use crate::analysis::roles::{Role, share_basis};
use crate::analysis::scope::Scope;
use crate::cli::{By, RolesArgs};
use crate::index::{DocRecord, Store};
use crate::render::output::{Format, Table, write_json};

/// Role figures of one document or unit.
#[derive(Debug, Serialize)]
pub struct RoleRow {
    /// Document id.
    pub doc: String,
    /// Year of adoption.
    pub year: Option<u32>,
    /// Unit label (with --by unit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Mentions per role (every role, zeros included; `none` counts names of instruments,
    /// listed only with --names).
    pub roles: BTreeMap<&'static str, usize>,
    /// Mentions counted (all but `none`): the same figure as `count`'s for the same scope.
    pub mentions: usize,
    /// Actor mentions of cities and their governments / `at_the_table_of`; `null` when that
    /// is 0 (a share of nothing is not 0). See [`TableShare`].
    pub at_the_table: Option<f64>,
    /// The share's denominator: mentions of cities and their governments with a role (not
    /// "urban", a place or topic; not names).
    pub at_the_table_of: usize,
    /// Mentions whose sentence defers to the state, / mentions; `null` without mentions.
    pub deferential: Option<f64>,
}

fn row(lexicon: &Lexicon, doc: &DocRecord, unit: Option<String>, c: &RoleCounts) -> RoleRow {
    let per_role = c.per_role();
    let roles: BTreeMap<&'static str, usize> = Role::ALL
        .iter()
        .zip(per_role)
        .map(|(r, n)| (r.as_str(), n))
        .collect();
    let counted = c.counted();
    let share =
        |n: usize| (counted > 0).then(|| (n as f64 / counted as f64 * 1000.0).round() / 1000.0);
    let table = c.table(lexicon);
    RoleRow {
        doc: doc.meta.id.clone(),
        year: doc.meta.year,
        unit,
        mentions: counted,
        at_the_table: table.share().map(|x| (x * 1000.0).round() / 1000.0),
        at_the_table_of: table.of,
        deferential: share(c.deferential),
        roles,
    }
}

/// Runs the command.
pub fn run(env: &Env, args: &RolesArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let asking = super::asking(env, args.concept.as_deref(), args.term.as_deref())?;
    let store = env.store()?;
    if let Some(gold) = &args.gold {
        return evaluate(env, &store, gold, format, out);
    }
    let super::Selected { docs, indexed } = select_docs(env, &store, &args.select)?;
    let mut opts = KwicOptions::every_mention(120, args.scope);
    opts.concept = args.concept.as_deref();
    opts.term = asking.term_text();
    // Per document, the role tallies made at index time are added up (per unit, and for an
    // ad hoc term, the mentions are classified again from the text).
    let tallies = if args.by == By::Unit {
        Default::default()
    } else {
        let ids = docs.iter().map(|d| d.meta.id.as_str()).collect();
        store.role_tallies_of(&ids)?
    };
    let per_doc = |d: &DocRecord| -> Result<Vec<RoleRow>> {
        if args.by != By::Unit {
            let tally = tallies.get(&d.meta.id);
            let (c, _) = role_counts(&store, &asking.lexicon, d, &opts, tally)?;
            return Ok(vec![row(&asking.lexicon, d, None, &c)]);
        }
        let lines = kwic_doc(&store, &asking.lexicon, d, &opts)?;
        let mut units: Vec<&str> = Vec::new();
        for l in &lines {
            if !units.contains(&l.unit.as_str()) {
                units.push(&l.unit);
            }
        }
        Ok(units
            .into_iter()
            .map(|u| {
                let mine = RoleCounts::of_lines(lines.iter().filter(|l| l.unit == u));
                row(&asking.lexicon, d, Some(u.to_string()), &mine)
            })
            .collect())
    };
    let rows: Vec<RoleRow> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(per_doc)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect()
    };
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "share": share_basis(&asking.lexicon),
                "documents": rows,
                "missing": super::missing_docs(env, &args.select, &indexed),
            }),
            out,
        )?,
        _ => {
            let mut headers = vec!["document", "year"];
            if args.by == By::Unit {
                headers.push("unit");
            }
            headers.extend(Role::ALL.iter().map(|r| r.as_str()));
            headers.extend(["mentions", "at_the_table", "at_the_table_of", "deferential"]);
            let mut t = Table::new(&headers);
            let share = |x: Option<f64>| x.map(|x| format!("{x:.3}")).unwrap_or_default();
            for r in &rows {
                let mut cells = vec![
                    r.doc.clone(),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                ];
                if let Some(u) = &r.unit {
                    cells.push(u.clone());
                }
                cells.extend(Role::ALL.iter().map(|x| r.roles[x.as_str()].to_string()));
                cells.extend([
                    r.mentions.to_string(),
                    share(r.at_the_table),
                    r.at_the_table_of.to_string(),
                    share(r.deferential),
                ]);
                t.row(cells);
            }
            super::write_table(&t, format, &args.select, &args.scope, out)?;
            if format == Format::Table {
                writeln!(out, "{}", share_basis(&asking.lexicon))?;
            }
            super::write_missing(env, &args.select, &indexed, format, out)?;
        }
    }
    // A document without mentions is an answer, not a failed query: exit 0.
    Ok(Outcome::Found)
}

/// One hand-labelled row of a gold TSV (the format of ../shared/roles/dev.tsv).
struct Gold {
    line: usize,
    doc: String,
    term: String,
    left: String,
    right: String,
    label: Role,
    deferential: bool,
    toc: bool,
}

fn read_gold(path: &Path) -> Result<Vec<Gold>> {
    let text = crate::extract::read_config(path)?;
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, h)| h.split('\t').collect())
        .unwrap_or_default();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("{}: no column {name:?}", path.display()))
    };
    let (d, t, l, r, lab, def, toc) = (
        col("doc")?,
        col("term")?,
        col("left")?,
        col("right")?,
        col("label")?,
        col("deferential")?,
        col("toc")?,
    );
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let get = |k: usize| f.get(k).copied().unwrap_or("");
        let label = Role::parse(get(lab)).with_context(|| {
            format!("{}:{}: unknown label {:?}", path.display(), i + 1, get(lab))
        })?;
        out.push(Gold {
            line: i + 1,
            doc: get(d).to_string(),
            term: get(t).to_string(),
            left: get(l).to_string(),
            right: get(r).to_string(),
            label,
            deferential: get(def) == "yes",
            toc: get(toc) == "yes",
        });
    }
    Ok(out)
}

fn norm_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The line as a candidate for a gold row of `term`: itself when its term is `term`; for a
/// name containing `term` as a word, the line with the name's other words moved into its
/// left and right context.
fn as_seen_from(l: &KwicLine, term: &str) -> Option<KwicLine> {
    if l.term.eq_ignore_ascii_case(term) {
        return Some(l.clone());
    }
    // A name, or a network whose name holds the word ("Cities" of "United Cities and
    // Local Government").
    if !l.name && l.concept != "network" {
        return None;
    }
    let lower = l.matched.to_lowercase();
    let want = term.to_lowercase();
    let (a, b) = if want.contains(' ') {
        let a = lower.find(&want)?;
        (a, a + want.len())
    } else {
        crate::extract::normalize::tokens(&lower).find(|&(a, b)| lower[a..b] == want)?
    };
    Some(KwicLine {
        left: format!("{}{}", l.left, &l.matched[..a]),
        right: format!("{}{}", &l.matched[b..], l.right),
        matched: l.matched[a..b].to_string(),
        ..l.clone()
    })
}

/// How well two contexts agree: matching words among the six nearest the mention.
fn agreement(gold_left: &str, gold_right: &str, l: &KwicLine) -> usize {
    let last6 = |s: &str| {
        let w = norm_words(s);
        w[w.len().saturating_sub(6)..].to_vec()
    };
    let first6 = |s: &str| norm_words(s).into_iter().take(6).collect::<Vec<_>>();
    let (gl, gr, ml, mr) = (
        last6(gold_left),
        first6(gold_right),
        last6(&l.left),
        first6(&l.right),
    );
    let same = |a: &[String], b: &[String], from_end: bool| {
        (0..a.len().min(b.len()))
            .filter(|&i| {
                if from_end {
                    a[a.len() - 1 - i] == b[b.len() - 1 - i]
                } else {
                    a[i] == b[i]
                }
            })
            .count()
    };
    same(&gl, &ml, true) + same(&gr, &mr, false)
}

/// Evaluation output.
#[derive(Debug, Serialize)]
struct Evaluation {
    accuracy: f64,
    macro_f1: f64,
    aligned: usize,
    unaligned: Vec<serde_json::Value>,
    per_label: BTreeMap<&'static str, serde_json::Value>,
    confusion: BTreeMap<&'static str, BTreeMap<&'static str, usize>>,
    deferential_accuracy: f64,
    toc_accuracy: f64,
    rows: usize,
    /// Aligned rows where the role or the deferential flag differs, with the rule that fired.
    disagreements: Vec<serde_json::Value>,
}

fn evaluate(
    env: &Env,
    store: &Store,
    gold_path: &Path,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let gold = read_gold(gold_path)?;
    let docs = store.docs()?;
    let mut cache: BTreeMap<String, Vec<KwicLine>> = BTreeMap::new();
    let mut pairs: Vec<(Role, Role, bool, bool, bool, bool)> = Vec::new(); // gold, tool, gold def, tool def, gold toc, tool toc
    let mut unaligned = Vec::new();
    let mut disagreements = Vec::new();
    for g in &gold {
        let Some(doc) = docs
            .iter()
            .find(|d| d.file == g.doc || d.file.ends_with(&format!("/{}", g.doc)))
        else {
            unaligned.push(serde_json::json!({"line": g.line, "doc": g.doc, "term": g.term, "why": "document not indexed"}));
            continue;
        };
        if !cache.contains_key(&doc.meta.id) {
            cache.insert(
                doc.meta.id.clone(),
                kwic_doc(store, &env.lexicon, doc, &every_gold_mention())?,
            );
        }
        // A gold row may label a word inside a name ("urban" of "the New Urban Agenda"): the
        // name's line is a candidate, its context seen from the word.
        let cands: Vec<KwicLine> = cache[&doc.meta.id]
            .iter()
            .filter_map(|l| as_seen_from(l, &g.term))
            .collect();
        let best = cands
            .iter()
            .map(|l| (agreement(&g.left, &g.right, l), l))
            .max_by_key(|(s, _)| *s);
        match best {
            Some((score, l)) if score >= 4 => {
                if g.label != l.role || g.deferential != l.deferential {
                    disagreements.push(serde_json::json!({
                        "line": g.line, "doc": g.doc, "page": l.page, "term": g.term,
                        "gold": g.label.as_str(), "tool": l.role.as_str(), "rule": l.rule,
                        "cues": l.cues, "gold_deferential": g.deferential,
                        "tool_deferential": l.deferential, "context": format!("{} [{}] {}", l.left, l.matched, l.right),
                    }));
                }
                pairs.push((g.label, l.role, g.deferential, l.deferential, g.toc, l.toc))
            }
            _ if g.label == Role::None => pairs.push((Role::None, Role::None, g.deferential, false, g.toc, false)),
            Some((score, _)) => unaligned.push(serde_json::json!({"line": g.line, "doc": g.doc, "term": g.term, "why": format!("best context agreement {score} of 12 words")})),
            None => unaligned.push(serde_json::json!({"line": g.line, "doc": g.doc, "term": g.term, "why": "no mention of this term in the document"})),
        }
    }
    let n = pairs.len().max(1) as f64;
    let mut confusion: BTreeMap<&'static str, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for (g, t, ..) in &pairs {
        *confusion
            .entry(g.as_str())
            .or_default()
            .entry(t.as_str())
            .or_default() += 1;
    }
    let mut per_label = BTreeMap::new();
    let mut f1s = Vec::new();
    for r in Role::ALL {
        let tp = pairs.iter().filter(|p| p.0 == r && p.1 == r).count() as f64;
        let gold_n = pairs.iter().filter(|p| p.0 == r).count() as f64;
        let pred_n = pairs.iter().filter(|p| p.1 == r).count() as f64;
        if gold_n == 0.0 && pred_n == 0.0 {
            continue;
        }
        let p = if pred_n > 0.0 { tp / pred_n } else { 0.0 };
        let rc = if gold_n > 0.0 { tp / gold_n } else { 0.0 };
        let f1 = if p + rc > 0.0 {
            2.0 * p * rc / (p + rc)
        } else {
            0.0
        };
        f1s.push(f1);
        per_label.insert(r.as_str(), serde_json::json!({"precision": round3(p), "recall": round3(rc), "f1": round3(f1), "support": gold_n as usize}));
    }
    let ev = Evaluation {
        accuracy: round3(pairs.iter().filter(|p| p.0 == p.1).count() as f64 / n),
        macro_f1: round3(f1s.iter().sum::<f64>() / f1s.len().max(1) as f64),
        aligned: pairs.len(),
        unaligned,
        per_label,
        confusion,
        deferential_accuracy: round3(pairs.iter().filter(|p| p.2 == p.3).count() as f64 / n),
        toc_accuracy: round3(pairs.iter().filter(|p| p.4 == p.5).count() as f64 / n),
        rows: gold.len(),
        disagreements,
    };
    match format {
        Format::Json => write_json(&ev, out)?,
        _ => {
            writeln!(
                out,
                "rows {}, aligned {}, unaligned {}",
                ev.rows,
                ev.aligned,
                ev.unaligned.len()
            )?;
            writeln!(
                out,
                "accuracy {:.3}, macro-F1 {:.3}, deferential accuracy {:.3}, toc accuracy {:.3}",
                ev.accuracy, ev.macro_f1, ev.deferential_accuracy, ev.toc_accuracy
            )?;
            // The figure people cite is the at-the-table share: its errors are the actor
            // label's, a false actor inflating it, a missed one deflating it.
            let actor = &ev.per_label.get("actor");
            writeln!(
                out,
                "actor (at the table): precision {}, recall {} (a false actor inflates the share, a missed one deflates it)",
                actor.map_or("–".into(), |v| v["precision"].to_string()),
                actor.map_or("–".into(), |v| v["recall"].to_string())
            )?;
            let mut t = Table::new(&["label", "precision", "recall", "f1", "support"]);
            for (k, v) in &ev.per_label {
                t.row(vec![
                    k.to_string(),
                    v["precision"].to_string(),
                    v["recall"].to_string(),
                    v["f1"].to_string(),
                    v["support"].to_string(),
                ]);
            }
            t.write(format, out)?;
            let labels: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            let mut headers = vec!["gold \\ tool"];
            headers.extend(labels.iter().copied());
            let mut c = Table::new(&headers);
            for g in &labels {
                let mut cells = vec![g.to_string()];
                cells.extend(labels.iter().map(|t| {
                    ev.confusion
                        .get(g)
                        .and_then(|m| m.get(t))
                        .copied()
                        .unwrap_or(0)
                        .to_string()
                }));
                c.row(cells);
            }
            c.write(format, out)?;
            for u in &ev.unaligned {
                writeln!(out, "unaligned: {u}")?;
            }
        }
    }
    Ok(Outcome::Found)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What gold rows are matched against: every mention, contents and names included (a gold
/// row may be either; the row says which).
fn every_gold_mention() -> KwicOptions<'static> {
    KwicOptions::every_mention(
        120,
        Scope {
            toc: true,
            footnotes: true,
            names: true,
        },
    )
}

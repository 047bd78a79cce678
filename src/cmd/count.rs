//! `menutable count`: mentions per concept and term, per document or per unit.

use std::io::Write;

use anyhow::Result;
use rayon::prelude::*;

use super::{Env, Outcome, select_heads};
use crate::analysis::count::{DocCount, Source, count_doc};
use crate::cli::{CountArgs, CountBy};
use crate::render::output::{Format, Table, pages, write_json};

/// Runs the command.
pub fn run(env: &Env, args: &CountArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let concepts = env.lexicon.concept_ids();
    for c in &args.concepts {
        if !concepts.contains(&c.as_str()) {
            anyhow::bail!(crate::Error::Usage(format!(
                "unknown concept {c:?}; the lexicon has {}",
                concepts.join(", ")
            )));
        }
    }
    if !args.terms.is_empty() && args.by != CountBy::Document {
        anyhow::bail!(crate::Error::Usage(
            "--term counts per document; --by unit, year, kind or lang is for concepts (drop --term, or use kwic --term for the units)".into()
        ));
    }
    let asked: Vec<crate::analysis::lexicon::Asked> = args
        .terms
        .iter()
        .map(|t| env.lexicon.resolve(t).map_err(crate::Error::Usage))
        .collect::<std::result::Result<_, _>>()?;
    let with_terms;
    let lexicon = if asked.is_empty() {
        &env.lexicon
    } else {
        with_terms = env.lexicon.with(&asked)?;
        &with_terms
    };
    let mut timing = super::Timing::start();
    let store = env.store()?;
    timing.phase("open");
    let super::Selected { docs, indexed } = select_heads(env, &store, &args.select)?;
    timing.phase("records");
    let by_unit = args.by == CountBy::Unit;
    let scope = args.scope;
    let source = if args.rescan {
        Source::Rescan
    } else {
        Source::Auto
    };
    let mut counts: Vec<DocCount> = Vec::with_capacity(docs.len());
    for d in &docs {
        let mut c = count_doc(&store, lexicon, d, scope, by_unit, source)?;
        if !args.concepts.is_empty() {
            c.concepts
                .retain(|k, _| args.concepts.iter().any(|c| c == k));
            let lang_terms = env.lexicon.terms_of(&d.language);
            c.terms.retain(|t, _| {
                lang_terms
                    .iter()
                    .any(|x| x.text == t && args.concepts.contains(&x.concept))
            });
            c.names.retain(|t, _| {
                lang_terms
                    .iter()
                    .any(|x| x.name && x.text == t && args.concepts.contains(&x.concept))
            });
            if let Some(units) = c.units.as_mut() {
                for u in units.iter_mut() {
                    u.concepts.retain(|k, _| args.concepts.contains(k));
                }
                units.retain(|u| !u.concepts.is_empty());
            }
        }
        counts.push(c);
    }
    timing.phase("count");
    let shown: Vec<&str> = if args.concepts.is_empty() {
        concepts.clone()
    } else {
        args.concepts.iter().map(String::as_str).collect()
    };
    if !asked.is_empty() {
        write_terms(env, args, &asked, &counts, &indexed, format, out)?;
        timing.phase("write");
        return Ok(Outcome::Found);
    }
    if matches!(args.by, CountBy::Year | CountBy::Kind | CountBy::Lang) {
        write_groups(args, &docs, &counts, &shown, format, out)?;
        return Ok(Outcome::Found);
    }
    let spread = dispersion(&counts, &shown);
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &scope),
                "documents": counts,
                "dispersion": spread,
                "missing": super::missing_docs(env, &args.select, &indexed),
            }),
            out,
        )?,
        _ if by_unit => {
            let mut headers = vec!["document", "unit", "pages"];
            headers.extend(shown.iter().copied());
            headers.push("terms");
            let mut t = Table::new(&headers);
            for c in &counts {
                for u in c.units.iter().flatten() {
                    let mut row = vec![c.id.clone(), u.unit.clone(), pages(u.page, u.page_end)];
                    row.extend(
                        shown
                            .iter()
                            .map(|k| u.concepts.get(*k).copied().unwrap_or(0).to_string()),
                    );
                    row.push(
                        u.terms
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .chain(u.names.iter().map(|(k, v)| format!("[name] {k}={v}")))
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    t.row(row);
                }
            }
            super::write_table(&t, format, &args.select, &scope, out)?;
        }
        _ => {
            let mut headers = vec!["document", "year", "lang", "words"];
            let per: Vec<String> = shown.iter().map(|k| per_10k_header(k, format)).collect();
            for k in &shown {
                headers.push(k);
            }
            for k in &per {
                headers.push(k);
            }
            // Names of instruments ("the New Urban Agenda") beside the mentions, never in them.
            headers.push("names");
            let mut t = Table::new(&headers);
            // Rows are formatted on every thread (at 10,000 documents, a third of `count`).
            t.rows = counts
                .par_iter()
                .map(|c| {
                    let mut row = Vec::with_capacity(headers.len());
                    row.extend([
                        c.id.clone(),
                        c.year.map(|y| y.to_string()).unwrap_or_default(),
                        c.language.clone(),
                        c.words.to_string(),
                    ]);
                    let of = |k: &str| c.concepts.get(k).cloned().unwrap_or_default();
                    let cells: Vec<_> = shown.iter().map(|k| of(k)).collect();
                    row.extend(cells.iter().map(|x| x.count.to_string()));
                    row.extend(cells.iter().map(|x| format!("{:.2}", x.per_10k)));
                    row.push(cells.iter().map(|x| x.names).sum::<usize>().to_string());
                    row
                })
                .collect();
            super::write_table(&t, format, &args.select, &scope, out)?;
            if format == Format::Table && counts.len() > 1 {
                let parts: Vec<String> = spread
                    .iter()
                    .map(|(k, d)| {
                        format!(
                            "{k} in {} of {} documents, DP {}",
                            d.range,
                            counts.len(),
                            d.dp.map_or("–".into(), |x| format!("{x:.2}"))
                        )
                    })
                    .collect();
                writeln!(
                    out,
                    "dispersion (Gries's DP: 0 even, 1 in one document): {}",
                    parts.join("; ")
                )?;
            }
            super::write_missing(env, &args.select, &indexed, format, out)?;
        }
    }
    timing.phase("write");
    // Zeros are an answer ("an absence is a finding"): exit 0 whatever the total, so `set -e`
    // scripts do not stop on a document without mentions.
    Ok(Outcome::Found)
}

/// One term asked for, as `count --term` reports it.
#[derive(serde::Serialize)]
struct TermAsked<'a> {
    /// The term as matched (normalised; as the lexicon writes it when it is the lexicon's).
    term: &'a str,
    /// Not in the lexicon: counted as an ad hoc word or phrase.
    ad_hoc: bool,
    /// The languages whose documents it is matched in.
    languages: Vec<&'a str>,
}

/// `count --term`: one column per term asked for (its mentions, and per 10,000 words), a note
/// per ad hoc term and per term that a selected document's language never matches.
fn write_terms(
    env: &Env,
    args: &CountArgs,
    asked: &[crate::analysis::lexicon::Asked],
    counts: &[DocCount],
    indexed: &super::Indexed,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    use crate::analysis::lexicon::Asked;
    let of = |c: &DocCount, t: &Asked| c.terms.get(t.text()).copied().unwrap_or(0);
    let mut notes: Vec<String> = Vec::new();
    for t in asked {
        if t.is_ad_hoc() {
            notes.push(format!(
                "ad hoc: {:?} is not in the lexicon; counted as whole words with the lexicon's normalisation (a longer lexicon term that contains it wins)",
                t.text()
            ));
        }
        if let Some(c) = counts.iter().find(|c| !t.applies_to(&c.language))
            && let Some(n) = t.language_note(&c.language)
        {
            notes.push(format!("note: {n} (it counts 0 there)"));
        }
    }
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "terms": asked.iter().map(|t| TermAsked {
                    term: t.text(),
                    ad_hoc: t.is_ad_hoc(),
                    languages: crate::corpus::LANGUAGES.iter().copied().filter(|l| t.applies_to(l)).collect(),
                }).collect::<Vec<_>>(),
                "documents": counts.iter().map(|c| serde_json::json!({
                    "id": c.id, "year": c.year, "language": c.language, "words": c.words,
                    "terms": asked.iter().map(|t| (t.text().to_string(), serde_json::json!({
                        "count": of(c, t),
                        "per_10k": crate::analysis::count::per_10k(of(c, t), c.words),
                    }))).collect::<serde_json::Map<_, _>>(),
                })).collect::<Vec<_>>(),
                "notes": notes,
                "missing": super::missing_docs(env, &args.select, indexed),
            }),
            out,
        )?,
        _ => {
            let mut headers: Vec<String> = vec![
                "document".into(),
                "year".into(),
                "lang".into(),
                "words".into(),
            ];
            headers.extend(asked.iter().map(|t| column(t.text(), format)));
            headers.extend(asked.iter().map(|t| per_10k_header(t.text(), format)));
            let mut table = Table::new(&headers.iter().map(String::as_str).collect::<Vec<_>>());
            for c in counts {
                let mut row = vec![
                    c.id.clone(),
                    c.year.map(|y| y.to_string()).unwrap_or_default(),
                    c.language.clone(),
                    c.words.to_string(),
                ];
                row.extend(asked.iter().map(|t| of(c, t).to_string()));
                row.extend(
                    asked.iter().map(|t| {
                        format!("{:.2}", crate::analysis::count::per_10k(of(c, t), c.words))
                    }),
                );
                table.row(row);
            }
            super::write_table(&table, format, &args.select, &args.scope, out)?;
            if format == Format::Table {
                for n in &notes {
                    writeln!(out, "{n}")?;
                }
            }
            super::write_missing(env, &args.select, indexed, format, out)?;
        }
    }
    Ok(())
}

/// The header of a per-10,000-words column: readable in a table ("city/10k"), an identifier R
/// and pandas take as it is in CSV ("city_per_10k").
fn per_10k_header(concept: &str, format: Format) -> String {
    if format == Format::Csv {
        format!("{}_per_10k", column(concept, format))
    } else {
        format!("{concept}/10k")
    }
}

/// A column named after a concept or term: as written in a table, an identifier in CSV
/// ("local authorities" → `local_authorities`), so R's `read.csv` and pandas keep it as it is.
fn column(name: &str, format: Format) -> String {
    if format != Format::Csv {
        return name.to_string();
    }
    let mut id: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, 'x');
    }
    id
}

/// One group of `count --by year|kind|lang`: its documents' figures summed.
#[derive(serde::Serialize)]
struct Group {
    group: String,
    documents: usize,
    words: usize,
    concepts: std::collections::BTreeMap<String, serde_json::Value>,
    names: usize,
}

/// `count --by year|kind|lang`: the documents' figures summed per group (a group's rate is its
/// mentions per 10,000 of its words), in the group's order; the groups sum to the total.
fn write_groups(
    args: &CountArgs,
    docs: &[crate::index::DocHead],
    counts: &[DocCount],
    shown: &[&str],
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let key = |d: &crate::index::DocHead| match args.by {
        CountBy::Year => d.year.map(|y| y.to_string()).unwrap_or_default(),
        CountBy::Kind => d.kind.clone(),
        _ => d.language.clone(),
    };
    let mut groups: std::collections::BTreeMap<String, (usize, usize, Vec<usize>, usize)> =
        Default::default();
    for (d, c) in docs.iter().zip(counts) {
        let g = groups
            .entry(key(d))
            .or_insert_with(|| (0, 0, vec![0; shown.len()], 0));
        g.0 += 1;
        g.1 += c.words;
        for (i, k) in shown.iter().enumerate() {
            let cc = c.concepts.get(k).cloned().unwrap_or_default();
            g.2[i] += cc.count;
            g.3 += cc.names;
        }
    }
    let name = match args.by {
        CountBy::Year => "year",
        CountBy::Kind => "kind",
        _ => "lang",
    };
    let rows: Vec<Group> = groups
        .into_iter()
        .map(|(group, (n, words, counts, names))| Group {
            group,
            documents: n,
            words,
            concepts: shown
                .iter()
                .zip(&counts)
                .map(|(k, c)| {
                    (
                        k.to_string(),
                        serde_json::json!({"count": c, "per_10k": crate::analysis::stats::round(crate::analysis::count::per_10k(*c, words), 2)}),
                    )
                })
                .collect(),
            names,
        })
        .collect();
    if format == Format::Json {
        write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "by": name,
                "groups": rows,
            }),
            out,
        )?;
        return Ok(());
    }
    let mut headers: Vec<String> = vec![name.into(), "documents".into(), "words".into()];
    headers.extend(shown.iter().map(|k| k.to_string()));
    headers.extend(shown.iter().map(|k| per_10k_header(k, format)));
    headers.push("names".into());
    let mut t = Table::new(&headers.iter().map(String::as_str).collect::<Vec<_>>());
    for g in &rows {
        let mut row = vec![
            g.group.clone(),
            g.documents.to_string(),
            g.words.to_string(),
        ];
        row.extend(shown.iter().map(|k| g.concepts[*k]["count"].to_string()));
        row.extend(
            shown
                .iter()
                .map(|k| format!("{:.2}", g.concepts[*k]["per_10k"].as_f64().unwrap_or(0.0))),
        );
        row.push(g.names.to_string());
        t.row(row);
    }
    super::write_table(&t, format, &args.select, &args.scope, out)
}

/// How a concept's mentions spread over the selection's documents.
#[derive(serde::Serialize)]
struct Spread {
    /// Documents with at least one mention.
    range: usize,
    /// Gries's DP over the documents (their words as sizes); null without mentions.
    dp: Option<f64>,
}

/// Range and DP of each concept shown, over the rows' documents (so a concept used 40 times in
/// one text is told from one used once in 40).
fn dispersion(counts: &[DocCount], shown: &[&str]) -> std::collections::BTreeMap<String, Spread> {
    let sizes: Vec<f64> = counts.iter().map(|c| c.words as f64).collect();
    shown
        .iter()
        .map(|k| {
            let freqs: Vec<f64> = counts
                .iter()
                .map(|c| c.concepts.get(k).map_or(0, |x| x.count) as f64)
                .collect();
            (
                k.to_string(),
                Spread {
                    range: freqs.iter().filter(|f| **f > 0.0).count(),
                    dp: crate::analysis::stats::dp(&freqs, &sizes)
                        .map(|x| crate::analysis::stats::round(x, 3)),
                },
            )
        })
        .collect()
}

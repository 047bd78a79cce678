//! `menutable keyness --target ID [--reference ID]`: the words (or the lexicon's concepts) a
//! text uses more, or less, than a reference, with the frequencies the statistics come from.

use rustc_hash::FxHashMap as HashMap;
use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_heads};
use crate::analysis::count::{Source, count_doc};
use crate::analysis::explore::{DocWords, KeyRow, keyness_rows};
use crate::analysis::scope::Selection;
use crate::cli::{KeynessArgs, StopWords};
use crate::index::DocHead;
use crate::render::output::{Format, Table, write_json};

/// Runs the command.
pub fn run(env: &Env, args: &KeynessArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let store = env.store()?;
    let named = |ids: &[String]| Selection {
        docs: ids.to_vec(),
        ..Default::default()
    };
    let target = select_heads(env, &store, &named(&args.target))?.docs;
    let reference: Vec<DocHead> = if args.reference.is_empty() {
        // The rest of the selection: never the target or its parts; a document that holds
        // the target counts by its other parts (the Paris Agreement is the rest of the Paris
        // PDF when decision 1/CP.21 is the target).
        let all = store.heads()?;
        let mut rest = Vec::new();
        for d in select_heads(env, &store, &args.select)?.docs {
            let holds = target
                .iter()
                .any(|t| t.part_of.as_deref() == Some(d.id.as_str()));
            if holds {
                rest.extend(
                    all.iter()
                        .filter(|p| {
                            p.part_of.as_deref() == Some(d.id.as_str())
                                && !target.iter().any(|t| t.id == p.id)
                        })
                        .cloned(),
                );
            } else if !target
                .iter()
                .any(|t| t.id == d.id || d.part_of.as_deref() == Some(t.id.as_str()))
            {
                rest.push(d);
            }
        }
        rest
    } else {
        select_heads(env, &store, &named(&args.reference))?.docs
    };
    if reference.is_empty() {
        anyhow::bail!(crate::Error::Usage(
            "the reference holds no document: name some with --reference, or widen the selection"
                .into()
        ));
    }
    let drop = args.stopwords == StopWords::Drop;
    let ((t, c), (r, d)) = if args.concepts {
        (
            concept_counts(env, &store, &target, args)?,
            concept_counts(env, &store, &reference, args)?,
        )
    } else {
        // One pass over both sides' words.
        let both: Vec<DocHead> = target.iter().chain(&reference).cloned().collect();
        let mut sides: [HashMap<String, usize>; 2] = Default::default();
        DocWords::new(&store, &env.lexicon, None).each(&both, args.scope, drop, &mut |k, m| {
            let side = &mut sides[usize::from(k >= target.len())];
            for (w, c) in m {
                *side.entry(w.clone()).or_default() += c;
            }
        })?;
        let [t, r] = sides;
        let words = |v: &[DocHead]| v.iter().map(|d| args.scope.words(d)).sum::<usize>();
        ((t, words(&target)), (r, words(&reference)))
    };
    let min = if args.concepts {
        1
    } else {
        args.min_freq as usize
    };
    let rows = keyness_rows(&t, &r, (c, d), min);
    let shown = sides(rows, args.limit as usize);
    let ids = |v: &[DocHead]| v.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "target": {"documents": ids(&target), "words": c},
                "reference": {"documents": ids(&reference), "words": d},
                "unit": if args.concepts { "concept" } else { "word" },
                "rows": shown,
            }),
            out,
        )?,
        Format::Csv => Table::of_rows(&shown).write(format, out)?,
        _ => {
            let mut tb = Table::new(&[
                if args.concepts { "concept" } else { "word" },
                "target",
                "reference",
                "target/10k",
                "reference/10k",
                "G2",
                "p",
                "Log Ratio",
            ]);
            for k in &shown {
                tb.row(vec![
                    k.word.clone(),
                    k.freq_target.to_string(),
                    k.freq_reference.to_string(),
                    format!("{:.2}", k.per_10k_target),
                    format!("{:.2}", k.per_10k_reference),
                    format!("{:+.2}", k.g2),
                    format!("{:.2e}", k.p),
                    k.log_ratio.map(|x| format!("{x:+.2}")).unwrap_or_default(),
                ]);
            }
            super::write_table(&tb, format, &args.select, &args.scope, out)?;
            if format == Format::Table {
                writeln!(
                    out,
                    "target {} ({c} words), reference {} documents ({d} words); G2 four-cell log-likelihood, + more frequent in the target; Log Ratio log2 of the ratio of relative frequencies, a zero counted as 0.5; {}",
                    ids(&target).join(", "),
                    reference.len(),
                    super::freq::stop_words_note(args.stopwords)
                )?;
            }
        }
    }
    Ok(Outcome::Found)
}

/// Over-used rows first (most key first), then under-used (most under-used first); `limit`
/// rows on each side (0: all).
fn sides(rows: Vec<KeyRow>, limit: usize) -> Vec<KeyRow> {
    let (mut over, mut under): (Vec<KeyRow>, Vec<KeyRow>) =
        rows.into_iter().partition(|r| r.g2 >= 0.0);
    under.reverse();
    if limit > 0 {
        over.truncate(limit);
        under.truncate(limit);
    }
    over.extend(under);
    over
}

/// Mentions per concept and words of some documents, as `count` counts them.
fn concept_counts(
    env: &Env,
    store: &crate::index::Store,
    docs: &[DocHead],
    args: &KeynessArgs,
) -> Result<(HashMap<String, usize>, usize)> {
    let mut out: HashMap<String, usize> = HashMap::default();
    let mut words = 0;
    for d in docs {
        let c = count_doc(store, &env.lexicon, d, args.scope, false, Source::Auto)?;
        words += c.words;
        for (k, v) in c.concepts.iter() {
            *out.entry(k.to_string()).or_default() += v.count;
        }
    }
    Ok((out, words))
}

//! `menutable collocates NODE`: what surrounds a concept, a term or any word, with the raw
//! frequencies every statistic is made from.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_heads};
use crate::analysis::explore::{CollocateOptions, CollocateRow, Node, collocates};
use crate::analysis::lexicon::Asked;
use crate::cli::{CollocateBy, CollocatesArgs, StopWords};
use crate::render::output::{Format, Table, write_json};

/// Runs the command.
pub fn run(
    env: &Env,
    args: &CollocatesArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    // A concept of the lexicon, else a term or any word or phrase (ad hoc: one token added).
    let (node, lexicon, what, alike) = if env.lexicon.concept_ids().contains(&args.node.as_str()) {
        (
            Node::Concept(args.node.clone()),
            env.lexicon.clone(),
            format!("concept {}", args.node),
            None,
        )
    } else {
        let asked = env
            .lexicon
            .resolve(&args.node)
            .map_err(crate::Error::Usage)?;
        let lexicon = env.lexicon.with(std::slice::from_ref(&asked))?;
        let what = match &asked {
            Asked::AdHoc(t) => format!("{t:?} (ad hoc: not in the lexicon)"),
            Asked::Lexicon { text, .. } => format!("term {text:?}"),
        };
        // One ad hoc word is one token with or without the lexicon's ad hoc term, so the
        // index's tallies (made without it) hold the same words; a phrase is not.
        let alike = match &asked {
            Asked::AdHoc(t) if one_word(t) => Some(env.lexicon.fingerprint().to_string()),
            _ => None,
        };
        (
            Node::Word(asked.text().to_lowercase()),
            lexicon,
            what,
            alike,
        )
    };
    let role = match &args.role {
        None => None,
        Some(r) => Some(crate::analysis::roles::Role::parse(r).ok_or_else(|| {
            crate::Error::Usage(format!(
                "unknown role {r:?}: actor, target, level, setting, ceremonial or none"
            ))
        })?),
    };
    let store = env.store()?;
    let docs = select_heads(env, &store, &args.select)?.docs;
    let opts = CollocateOptions {
        node,
        span: args.span as usize,
        scope: args.scope,
        role,
        min_freq: args.min_freq as usize,
        drop_stop_words: args.stopwords == StopWords::Drop,
        alike,
    };
    let (mut rows, totals) = collocates(&store, &lexicon, &docs, &opts)?;
    sort(&mut rows, args.by);
    let found = rows.len();
    if args.limit > 0 {
        rows.truncate(args.limit as usize);
    }
    let span = format!(
        "L{0}-R{0}, counting every word (stop words too), within a unit, across sentences",
        args.span
    );
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "node": what,
                "role": args.role,
                "span": span,
                "totals": totals,
                "collocates": rows,
            }),
            out,
        )?,
        Format::Csv => Table::of_rows(&rows).write(format, out)?,
        _ => {
            let mut t = Table::new(&[
                "collocate",
                "observed",
                "left",
                "right",
                "frequency",
                "expected",
                "MI",
                "t",
                "log-Dice",
                "G2",
            ]);
            let opt = |x: Option<f64>| x.map(|x| format!("{x:.3}")).unwrap_or_default();
            for r in &rows {
                t.row(vec![
                    r.collocate.clone(),
                    r.observed.to_string(),
                    r.left.to_string(),
                    r.right.to_string(),
                    r.frequency.to_string(),
                    format!("{:.3}", r.expected),
                    opt(r.mi),
                    opt(r.t_score),
                    opt(r.log_dice),
                    format!("{:.2}", r.g2),
                ]);
            }
            super::write_table(&t, format, &args.select, &args.scope, out)?;
            if format == Format::Table {
                writeln!(
                    out,
                    "node: {what}{}; {} occurrences; span {span}; N = {} tokens, W = {} span positions; E = frequency × W / N; sorted by {}; {}",
                    args.role
                        .as_ref()
                        .map(|r| format!(" with role {r}"))
                        .unwrap_or_default(),
                    totals.node_frequency,
                    totals.tokens,
                    totals.span_positions,
                    clap::ValueEnum::to_possible_value(&args.by)
                        .map(|v| v.get_name().to_string())
                        .unwrap_or_default(),
                    super::freq::stop_words_note(args.stopwords)
                )?;
            }
        }
    }
    if found == 0 {
        eprintln!(
            "menutable: no collocate of {what} occurs {} times or more in its spans ({} occurrences of the node)",
            args.min_freq, totals.node_frequency
        );
    }
    Ok(Outcome::Found)
}

/// Sorts by the statistic asked for (descending), then observed frequency, then the word.
/// One token of letters (an ad hoc term is matched without regard to case, as a word is
/// counted).
fn one_word(t: &str) -> bool {
    crate::extract::normalize::tokens(t).count() == 1 && t.chars().all(char::is_alphabetic)
}

fn sort(rows: &mut [CollocateRow], by: CollocateBy) {
    let key = |r: &CollocateRow| -> f64 {
        match by {
            CollocateBy::LogDice => r.log_dice.unwrap_or(f64::MIN),
            CollocateBy::Mi => r.mi.unwrap_or(f64::MIN),
            CollocateBy::T => r.t_score.unwrap_or(f64::MIN),
            CollocateBy::G2 => r.g2,
            CollocateBy::Observed => r.observed as f64,
        }
    };
    rows.sort_by(|a, b| {
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.observed.cmp(&a.observed))
            .then(a.collocate.cmp(&b.collocate))
    });
}

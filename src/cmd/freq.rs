//! `menutable freq`: a frequency list of the selection (words or n-grams), with dispersion.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_heads};
use crate::analysis::explore::{FreqOptions, freq};
use crate::cli::{FreqArgs, StopWords};
use crate::render::output::{Format, Table, write_json};

/// Runs the command.
pub fn run(env: &Env, args: &FreqArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let store = env.store()?;
    let docs = select_heads(env, &store, &args.select)?.docs;
    let opts = FreqOptions {
        scope: args.scope,
        ngram: args.ngram as usize,
        drop_stop_words: args.stopwords == StopWords::Drop,
    };
    let (mut rows, words) = freq(&store, &env.lexicon, &docs, opts)?;
    let types = rows.len();
    if args.limit > 0 {
        rows.truncate(args.limit as usize);
    }
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "documents": docs.len(),
                "words": words,
                "types": types,
                "ngram": args.ngram,
                "stop_words": stop_words_note(args.stopwords),
                "rows": rows,
            }),
            out,
        )?,
        Format::Csv => Table::of_rows(&rows).write(format, out)?,
        _ => {
            let mut t = Table::new(&["word", "frequency", "per 10k", "range", "DP", "rank"]);
            for r in &rows {
                t.row(vec![
                    r.word.clone(),
                    r.frequency.to_string(),
                    format!("{:.2}", r.per_10k),
                    r.range.to_string(),
                    r.dp.map(|x| format!("{x:.3}")).unwrap_or_default(),
                    r.rank.to_string(),
                ]);
            }
            super::write_table(&t, format, &args.select, &args.scope, out)?;
            if format == Format::Table {
                writeln!(
                    out,
                    "{} documents, {words} words, {types} types; {}",
                    docs.len(),
                    stop_words_note(args.stopwords)
                )?;
            }
        }
    }
    if rows.is_empty() {
        eprintln!("menutable: no word in the selection");
    }
    Ok(Outcome::Found)
}

/// Says which stop words were left out, and where the list comes from.
pub fn stop_words_note(s: StopWords) -> &'static str {
    match s {
        StopWords::Drop => {
            "stop words left out (NLTK's English, Spanish and French lists; --stopwords keep to keep them)"
        }
        StopWords::Keep => "stop words kept",
    }
}

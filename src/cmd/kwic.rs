//! `menutable kwic`: every mention in context, with its citation.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_docs};
use crate::analysis::kwic::{KwicOptions, kwic_doc};
use crate::cli::KwicArgs;
use crate::render::output::{Format, Table, write_json};

/// Runs the command.
pub fn run(env: &Env, args: &KwicArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let asking = super::asking(env, args.concept.as_deref(), args.term.as_deref())?;
    let store = env.store()?;
    // A concordance key orders the lines, not the documents: they are read by year.
    let mut by_doc = args.select.clone();
    if by_doc.sort.is_concordance() {
        by_doc.sort = crate::analysis::scope::Sort::Year;
    }
    let mut docs = select_docs(env, &store, &by_doc)?.docs;
    let selected: Vec<crate::corpus::Meta> = docs.iter().map(|d| d.meta.clone()).collect();
    let opts = KwicOptions {
        concept: args.concept.as_deref(),
        term: asking.term_text(),
        width: args.width as usize,
        role: match &args.role {
            None => None,
            Some(r) => Some(crate::analysis::roles::Role::parse(r).ok_or_else(|| {
                crate::Error::Usage(format!(
                    "unknown role {r:?}: actor, target, level, setting, ceremonial or none"
                ))
            })?),
        },
        scope: args.scope,
        sentence: args.sentence,
    };
    // Only documents with a candidate unit for the terms asked about are read (a mention's
    // tokens are always in the index as a phrase): one search instead of one per document.
    let wanted: Vec<crate::analysis::lexicon::Term> = crate::corpus::LANGUAGES
        .iter()
        .flat_map(|l| asking.lexicon.terms_of(l))
        .filter(|t| opts.wants(t))
        .cloned()
        .collect();
    let with = store.docs_with(&*crate::analysis::count::terms_query(&store, &wanted))?;
    docs.retain(|d| with.contains(&d.meta.id));
    let mut lines = Vec::new();
    for d in &docs {
        lines.extend(kwic_doc(&store, &asking.lexicon, d, &opts)?);
    }
    if args.select.sort.is_concordance() {
        crate::analysis::kwic::sort_lines(&mut lines, args.select.sort);
    }
    if lines.is_empty() {
        let what = match (&args.concept, asking.term_text()) {
            (_, Some(t)) => format!("{t:?}"),
            (Some(c), None) => format!("concept {c}"),
            (None, None) => "anything".into(),
        };
        let role = args
            .role
            .as_ref()
            .map(|r| format!(" with role {r}"))
            .unwrap_or_default();
        let metas: Vec<&crate::corpus::Meta> = selected.iter().collect();
        eprintln!(
            "menutable: {}{role}",
            super::why_nothing(&metas, &asking, &what)
        );
    }
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&args.select, &args.scope),
                "mentions": lines,
            }),
            out,
        )?,
        // CSV carries every field JSON does (the role and its deferential flag apart).
        Format::Csv => Table::of_rows(&lines).write(format, out)?,
        _ => {
            let mut t = Table::new(&[
                "doc",
                "unit",
                "page",
                "left",
                "match",
                "right",
                "role",
                "deferential",
                "rule",
            ]);
            for l in &lines {
                t.row(vec![
                    l.doc.clone(),
                    l.unit.clone(),
                    l.page.map(|p| p.to_string()).unwrap_or_default(),
                    l.left.clone(),
                    l.matched.clone(),
                    l.right.clone(),
                    l.role.as_str().to_string(),
                    if l.deferential { "yes" } else { "" }.to_string(),
                    l.rule.to_string(),
                ]);
            }
            super::write_table(&t, format, &args.select, &args.scope, out)?;
            if let Some(t) = asking.term.as_ref().filter(|t| t.is_ad_hoc()) {
                writeln!(
                    out,
                    "ad hoc: {:?} is not in the lexicon; matched as whole words with the lexicon's normalisation (a longer lexicon term that contains it wins); its role is none",
                    t.text()
                )?;
            }
        }
    }
    Ok(if lines.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

//! `menutable search`: tantivy queries over unit text, with citations and highlighted excerpts.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser};
use tantivy::snippet::SnippetGenerator;

use super::{Env, Outcome, select_heads};
use crate::cli::SearchArgs;
use crate::render::output::{Format, Table, pages, write_json};

/// One hit.
#[derive(Debug, Serialize)]
pub struct Hit {
    /// Document id.
    pub doc: String,
    /// Unit label.
    pub unit: String,
    /// First page of the unit.
    pub page: Option<u32>,
    /// Last page of the unit.
    pub page_end: Option<u32>,
    /// BM25 score.
    pub score: f32,
    /// Excerpt with matches between ** **.
    pub excerpt: String,
}

/// Runs the command.
pub fn run(env: &Env, args: &SearchArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let store = env.store()?;
    // The selection's units only: without it, a part's units would be found twice (in the
    // part and in its document). When it holds every indexed document, no filter is needed.
    let picked = select_heads(env, &store, &args.select)?;
    if picked.docs.is_empty() {
        eprintln!("menutable: no document in the selection");
        return Ok(Outcome::Nothing);
    }
    let ids: Vec<String> = if picked.docs.len() == picked.indexed.ids.len() {
        Vec::new()
    } else {
        picked.docs.into_iter().map(|d| d.id).collect()
    };
    check_query(&args.query)?;
    let parser = QueryParser::for_index(&store.index, vec![store.fields.text]);
    let user = parser
        .parse_query(&args.query)
        .map_err(|e| crate::Error::Query {
            query: args.query.clone(),
            reason: with_position(&args.query, &e.to_string()),
        })?;
    let query = BooleanQuery::new(vec![
        (Occur::Must, negations_fixed(&*user)),
        (Occur::Must, store.units_query()),
        (Occur::Must, store.docs_query(&ids)),
    ]);
    let searcher = store.searcher();
    let top = searcher.search(
        &query,
        &TopDocs::with_limit(args.limit as usize)
            .and_offset(args.offset as usize)
            .order_by_score(),
    )?;
    let mut snippets = SnippetGenerator::create(&searcher, &*user, store.fields.text)?;
    snippets.set_max_num_chars(240);
    let mut hits = Vec::new();
    for (score, addr) in top.into_iter().take(args.limit as usize) {
        // Each hit's stored fields are read once.
        let doc: TantivyDocument = searcher.doc(addr)?;
        let unit = store.unit_of(&doc, false);
        let mut snippet = snippets.snippet_from_doc(&doc);
        snippet.set_snippet_prefix_postfix("**", "**");
        let excerpt = highlight(&snippet);
        hits.push(Hit {
            doc: store.doc_id_of(&doc),
            unit: unit.label,
            page: unit.page_start,
            page_end: unit.page_end,
            score,
            excerpt,
        });
    }
    match format {
        Format::Json => write_json(
            &serde_json::json!({ "query": args.query, "hits": hits }),
            out,
        )?,
        _ => {
            let mut t = Table::new(&["doc", "unit", "pages", "score", "excerpt"]);
            for h in &hits {
                t.row(vec![
                    h.doc.clone(),
                    h.unit.clone(),
                    pages(h.page, h.page_end),
                    format!("{:.2}", h.score),
                    h.excerpt.clone(),
                ]);
            }
            t.write(format, out)?;
        }
    }
    if hits.is_empty() {
        eprintln!("menutable: {}", why_no_hit(&args.query));
    }
    Ok(if hits.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

/// A query error with where it is: tantivy's own message names no position, its lenient
/// parser does ("at character 7: ...").
fn with_position(query: &str, reason: &str) -> String {
    let (_, errors) = tantivy::query_grammar::parse_query_lenient(query);
    match errors.first() {
        Some(e) => format!(
            "{reason}; at character {} ({}): {}; a phrase goes in double quotes, operators are AND, OR, NOT, + and -, and parentheses must pair",
            e.pos + 1,
            query.get(e.pos..).filter(|r| !r.is_empty()).map_or(
                "at the end".to_string(),
                |r| format!("before {:?}", r.chars().take(20).collect::<String>())
            ),
            e.message
        ),
        None => {
            format!("{reason}; a phrase goes in double quotes, operators are AND, OR, NOT, + and -")
        }
    }
}

/// Why a search found nothing, in one line: `*` is not a wildcard here.
fn why_no_hit(query: &str) -> String {
    if query.contains('*') || query.contains('?') {
        format!(
            "no unit matches {query:?}; search matches whole words and has no wildcards (`*` is not one): give the word forms, e.g. 'cities OR city'"
        )
    } else {
        format!("no unit of the selected documents matches {query:?}")
    }
}

fn highlight(snippet: &tantivy::snippet::Snippet) -> String {
    let frag = snippet.fragment();
    let mut s = String::new();
    let mut from = 0;
    for r in snippet.highlighted() {
        s.push_str(&frag[from..r.start]);
        s.push_str("**");
        s.push_str(&frag[r.clone()]);
        s.push_str("**");
        from = r.end;
    }
    s.push_str(&frag[from..]);
    s.replace('\n', " ")
}

/// tantivy's parser reads `a AND NOT b` as `+a +(-b)`, and a clause made only of exclusions
/// matches nothing (tantivy issues #1980 and #2317), so the whole query would find nothing.
/// Such clauses become "everything except": `+a +(* -b)`, which is what a researcher means.
fn negations_fixed(q: &dyn Query) -> Box<dyn Query> {
    let Some(b) = q.downcast_ref::<BooleanQuery>() else {
        return q.box_clone();
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = b
        .clauses()
        .iter()
        .map(|(o, c)| (*o, negations_fixed(&**c)))
        .collect();
    if !clauses.is_empty() && clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses,
        b.get_minimum_number_should_match(),
    ))
}

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// The deepest nesting of parentheses accepted.
pub const MAX_QUERY_DEPTH: usize = 16;
/// The most words and operators accepted.
pub const MAX_QUERY_TERMS: usize = 100;

/// Refuses a query tantivy's recursive parser should not see: 10,000 nested parentheses or
/// 30,000 `NOT`s once overflowed its stack and aborted the process.
fn check_query(q: &str) -> std::result::Result<(), crate::Error> {
    let refuse = |reason: String| crate::Error::Query {
        query: q.chars().take(60).collect::<String>()
            + if q.chars().count() > 60 { "..." } else { "" },
        reason,
    };
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(refuse(format!(
            "{chars} characters; a query may have at most {MAX_QUERY_CHARS}"
        )));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in q.chars() {
        match c {
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(refuse(format!(
            "parentheses nested {deepest} deep; at most {MAX_QUERY_DEPTH} are accepted"
        )));
    }
    let terms = q
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty())
        .count();
    if terms > MAX_QUERY_TERMS {
        return Err(refuse(format!(
            "{terms} words and operators; at most {MAX_QUERY_TERMS} are accepted"
        )));
    }
    Ok(())
}

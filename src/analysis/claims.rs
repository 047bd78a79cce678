//! Published claims about the texts, written as queries the index can answer.
//!
//! A claim such as "the Global Compact for Migration never says *city*" is only as good as
//! the count behind it. `corpus/claims.toml` states each claim in words, who made it, and what
//! it asserts as a query: a document or part, a concept or a term (optionally one role), and
//! an expected figure (`equals`, `at_most`, `at_least`). `menutable claims` answers each with
//! `holds`, `fails` (with the real figure) or `cannot check` (the document is not indexed),
//! and lists the citation of every mention behind the figure.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::kwic::{KwicOptions, kwic_doc};
use crate::analysis::lexicon::{Asked, Lexicon};
use crate::analysis::scope::Scope;
use crate::error::{Error, Result};

/// One claim as the claims file states it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Stable id.
    pub id: String,
    /// The claim in words, as published.
    pub claim: String,
    /// Who made it, where.
    pub source: String,
    /// The document or part it is about.
    pub doc: String,
    /// The concept counted (or use `term`).
    #[serde(default)]
    pub concept: Option<String>,
    /// The term counted (as the lexicon writes it).
    #[serde(default)]
    pub term: Option<String>,
    /// Only mentions with this role.
    #[serde(default)]
    pub role: Option<String>,
    /// The figure is exactly this.
    #[serde(default)]
    pub equals: Option<usize>,
    /// The figure is at most this.
    #[serde(default)]
    pub at_most: Option<usize>,
    /// The figure is at least this.
    #[serde(default)]
    pub at_least: Option<usize>,
}

impl Claim {
    /// The expected figure in words: "= 0", "<= 2", ">= 1".
    pub fn expected(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.equals {
            parts.push(format!("= {n}"));
        }
        if let Some(n) = self.at_least {
            parts.push(format!(">= {n}"));
        }
        if let Some(n) = self.at_most {
            parts.push(format!("<= {n}"));
        }
        parts.join(" and ")
    }

    /// Whether `figure` is what the claim says.
    pub fn holds(&self, figure: usize) -> bool {
        self.equals.is_none_or(|n| figure == n)
            && self.at_least.is_none_or(|n| figure >= n)
            && self.at_most.is_none_or(|n| figure <= n)
    }

    /// What is counted, in words: "term \"urban\"", "concept city (role actor)".
    pub fn what(&self) -> String {
        let base = match (&self.term, &self.concept) {
            (Some(t), _) => format!("term {t:?}"),
            (None, Some(c)) => format!("concept {c}"),
            (None, None) => String::new(),
        };
        match &self.role {
            Some(r) => format!("{base} (role {r})"),
            None => base,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimsFile {
    #[serde(default)]
    claim: Vec<Claim>,
}

/// The verdict on one claim.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Verdict {
    /// The text says what the claim says.
    #[serde(rename = "holds")]
    Holds,
    /// It does not: the figure differs.
    #[serde(rename = "fails")]
    Fails,
    /// The document is not indexed (missing from the corpus).
    #[serde(rename = "cannot check")]
    CannotCheck,
}

impl Verdict {
    /// As printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::CannotCheck => "cannot check",
        }
    }
}

/// Where the claims file is by default: `corpus/claims.toml` of the project (found upwards
/// from the current folder, as the manifest is).
pub fn default_path() -> PathBuf {
    crate::corpus::project::default("corpus/claims.toml")
}

/// Reads and checks a claims file: unique ids, exactly one of concept or term, at least one
/// expected figure.
pub fn load(path: &Path) -> Result<Vec<Claim>> {
    let text = crate::extract::read_config(path)?;
    parse(&text, path)
}

/// Parses claims TOML; `path` is only used in error messages.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Claim>> {
    let config = |reason: String| Error::Config {
        path: path.to_path_buf(),
        reason,
    };
    let file: ClaimsFile = toml::from_str(text).map_err(|e| config(e.to_string()))?;
    let mut ids = std::collections::HashSet::new();
    for c in &file.claim {
        if !ids.insert(c.id.as_str()) {
            return Err(config(format!("duplicate claim id {:?}", c.id)));
        }
        if c.concept.is_some() == c.term.is_some() {
            return Err(config(format!(
                "claim {}: give exactly one of `concept` or `term`",
                c.id
            )));
        }
        if c.equals.is_none() && c.at_most.is_none() && c.at_least.is_none() {
            return Err(config(format!(
                "claim {}: give the expected figure (`equals`, `at_most` or `at_least`)",
                c.id
            )));
        }
        // The least figure the bounds allow, if any does: `equals`, else `at_least`, else 0.
        if !c.holds(c.equals.or(c.at_least).unwrap_or(0)) {
            return Err(config(format!(
                "claim {}: no figure can be {} (the bounds contradict each other)",
                c.id,
                c.expected()
            )));
        }
    }
    Ok(file.claim)
}

/// One checked claim.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Claim id.
    pub id: String,
    /// The claim in words.
    pub claim: String,
    /// Who made it.
    pub source: String,
    /// The document or part.
    pub doc: String,
    /// What is counted.
    pub what: String,
    /// The figure the claim asserts ("= 0").
    pub expected: String,
    /// The figure in the text (`null` when it cannot be checked).
    pub figure: Option<usize>,
    /// holds, fails or cannot check.
    pub verdict: Verdict,
    /// Why a claim cannot be checked, or how it fails.
    pub detail: String,
    /// The citation of every mention counted.
    pub citations: Vec<String>,
    /// Each one's character offset in the document text (kwic's `offset`: the report links
    /// to the mention by it).
    pub offsets: Vec<usize>,
}

/// Checks one claim: its figure is the number of mentions kwic shows for the same query
/// (default scope: body and footnotes, no contents, no names of instruments). A query the
/// tool cannot answer exactly is `cannot check` with the reason, never a figure of 0: an
/// unknown concept or role, a pattern, a term of another language than the document's.
pub fn check(
    store: &crate::index::Store,
    lexicon: &Lexicon,
    docs: &[crate::index::DocRecord],
    c: &Claim,
) -> Result<Checked> {
    let mut row = Checked {
        id: c.id.clone(),
        claim: c.claim.clone(),
        source: c.source.clone(),
        doc: c.doc.clone(),
        what: c.what(),
        expected: c.expected(),
        figure: None,
        verdict: Verdict::CannotCheck,
        detail: String::new(),
        citations: Vec::new(),
        offsets: Vec::new(),
    };
    // Not in the index: no figure (the caller says why and how to get the document).
    let Some(doc) = docs.iter().find(|d| d.meta.id == c.doc && d.units > 0) else {
        return Ok(row);
    };
    let (with, term) = match query(lexicon, c, &doc.meta.language) {
        Ok(q) => q,
        Err(why) => {
            row.detail = why;
            return Ok(row);
        }
    };
    let role = match &c.role {
        None => None,
        Some(r) => match crate::analysis::roles::Role::parse(r) {
            Some(role) => Some(role),
            None => {
                row.detail = format!(
                    "unknown role {r:?}: actor, target, level, setting, ceremonial or none"
                );
                return Ok(row);
            }
        },
    };
    let mut opts = KwicOptions::every_mention(0, Scope::default());
    opts.concept = c.concept.as_deref();
    opts.term = term.as_deref();
    opts.role = role;
    let lines = kwic_doc(store, &with, doc, &opts)?;
    let figure = lines.len();
    row.figure = Some(figure);
    row.offsets = lines.iter().map(|l| l.offset).collect();
    row.citations = lines.into_iter().map(|l| l.citation).collect();
    if c.holds(figure) {
        row.verdict = Verdict::Holds;
    } else {
        row.verdict = Verdict::Fails;
        row.detail = format!("the text has {figure}, the claim says {}", c.expected());
    }
    if let Some(Asked::AdHoc(t)) = lexicon_term(lexicon, c) {
        row.detail = format!(
            "{}{t:?} is not in the lexicon: counted as an ad hoc term (whole words, the lexicon's normalisation, longer lexicon terms win)",
            if row.detail.is_empty() {
                String::new()
            } else {
                format!("{}; ", row.detail)
            }
        );
    }
    Ok(row)
}

/// The lexicon to answer a claim with and its term as matched, or why it cannot be answered
/// for a document in `language`.
fn query(
    lexicon: &Lexicon,
    c: &Claim,
    language: &str,
) -> std::result::Result<(Lexicon, Option<String>), String> {
    if let Some(concept) = &c.concept
        && !lexicon.concept_ids().contains(&concept.as_str())
    {
        return Err(format!(
            "unknown concept {concept:?}; the lexicon has {}",
            lexicon.concept_ids().join(", ")
        ));
    }
    let Some(term) = &c.term else {
        return Ok((lexicon.clone(), None));
    };
    let asked = lexicon.resolve(term)?;
    if let Some(note) = asked.language_note(language) {
        return Err(note);
    }
    let with = lexicon
        .with(std::slice::from_ref(&asked))
        .map_err(|e| e.to_string())?;
    Ok((with, Some(asked.text().to_string())))
}

/// The claim's term resolved, for the note that marks an ad hoc term.
fn lexicon_term(lexicon: &Lexicon, c: &Claim) -> Option<Asked> {
    c.term.as_deref().and_then(|t| lexicon.resolve(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_checks() {
        let claims = parse(
            "[[claim]]\nid = \"a\"\nclaim = \"x\"\nsource = \"s\"\ndoc = \"d\"\nterm = \"urban\"\nequals = 1\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(claims[0].holds(1) && !claims[0].holds(2));
        assert_eq!(claims[0].expected(), "= 1");
        let bad = parse(
            "[[claim]]\nid = \"a\"\nclaim = \"x\"\nsource = \"s\"\ndoc = \"d\"\nequals = 1\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(bad.to_string().contains("exactly one of"), "{bad}");
        let head =
            "[[claim]]\nid = \"a\"\nclaim = \"x\"\nsource = \"s\"\ndoc = \"d\"\nterm = \"u\"\n";
        for bounds in [
            "at_least = 10\nat_most = 5\n",
            "equals = 3\nat_most = 2\n",
            "equals = 3\nat_least = 4\n",
        ] {
            let bad = parse(&format!("{head}{bounds}"), Path::new("c.toml")).unwrap_err();
            assert!(bad.to_string().contains("contradict"), "{bounds}: {bad}");
        }
        for bounds in [
            "at_least = 5\nat_most = 5\n",
            "equals = 0\nat_most = 2\n",
            "at_most = 0\n",
        ] {
            assert!(
                parse(&format!("{head}{bounds}"), Path::new("c.toml")).is_ok(),
                "{bounds}"
            );
        }
    }
}

//! Counts against an independent oracle: a plain substring scan of the same normalised text,
//! with boundaries checked by hand and overlaps resolved longest-first. It shares nothing
//! with the matcher but the term list and the normalisation (the one normalisation).

use std::collections::BTreeMap;

use menutable::analysis::lexicon::{Lexicon, Term};
use menutable::extract::normalize::normalize;

use crate::util::*;

/// Lowercases character by character, keeping byte lengths (a character whose lowercase is
/// longer stays as it is), so offsets in the lowered text are offsets in the original.
fn lower_same_len(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        })
        .collect()
}

fn boundary(s: &str, at: usize, before: bool) -> bool {
    let c = if before {
        s[..at].chars().next_back()
    } else {
        s[at..].chars().next()
    };
    c.is_none_or(|c| !c.is_alphanumeric())
}

/// Mentions per term, by brute force.
pub fn oracle(text: &str, terms: &[Term]) -> BTreeMap<String, usize> {
    let lower = lower_same_len(text);
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for t in terms {
        let (hay, needle) = if t.exact {
            (text, t.text.clone())
        } else {
            (lower.as_str(), lower_same_len(&t.text))
        };
        let mut from = 0;
        while let Some(i) = hay[from..].find(&needle) {
            let (a, b) = (from + i, from + i + needle.len());
            if boundary(hay, a, true) && boundary(hay, b, false) {
                hits.push((a, b, &t.text));
            }
            from = a + hay[a..].chars().next().unwrap().len_utf8();
        }
    }
    hits.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    let mut out: BTreeMap<String, usize> = terms.iter().map(|t| (t.text.clone(), 0)).collect();
    let mut end = 0;
    for (a, b, t) in hits {
        if a >= end {
            *out.get_mut(t).unwrap() += 1;
            end = b;
        }
    }
    out
}

fn matcher_counts(text: &str, lang: &str) -> BTreeMap<String, usize> {
    let m = Lexicon::builtin().matcher(lang);
    let mut out: BTreeMap<String, usize> = m.terms().iter().map(|t| (t.text.clone(), 0)).collect();
    for x in m.find(text) {
        *out.get_mut(&m.terms()[x.term].text).unwrap() += 1;
    }
    out
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

#[test]
fn matcher_equals_brute_force_on_generated_text() {
    let lex = Lexicon::builtin();
    for lang in ["en", "es", "fr"] {
        let terms = lex.terms(lang);
        let mut words: Vec<String> = terms
            .iter()
            .flat_map(|t| {
                t.text
                    .split([' ', '-'])
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        words.extend(terms.iter().map(|t| t.text.clone()));
        words.extend(terms.iter().map(|t| t.text.to_uppercase()));
        for w in [
            "capacity",
            "Durban",
            "suburban",
            "metropolis",
            "mayor",
            "mayores",
            "the",
            "of",
            "2015",
            "l'urbain",
            "sub",
            "city-building",
            "ﬁnance",
            "Ciudad",
            "CITY",
        ] {
            words.push(w.to_string());
        }
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let seps = [
            " ", " ", " ", "-", "", ", ", ".\n", "\n  ", "'s ", " (", ") ",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ lang.len() as u64);
        for case in 0..1500 {
            let n = 1 + rng.next() % 30;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(rng.pick(&words));
                s.push_str(rng.pick(&seps));
            }
            let text = normalize(&s);
            assert_eq!(
                matcher_counts(&text, lang),
                oracle(&text, &terms),
                "{lang} case {case}: {text:?}"
            );
        }
    }
}

#[test]
fn every_real_document_counts_as_the_oracle_does() {
    let counts = real().json(&["count"], 0);
    let lex = Lexicon::builtin();
    let mut mentions = 0;
    for d in counts["documents"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let lang = d["language"].as_str().unwrap();
        let text = real().json(&["text", id], 0);
        let terms = lex.terms(lang);
        let mut want: BTreeMap<String, usize> = terms.iter().map(|t| (t.text.clone(), 0)).collect();
        for u in text["units"].as_array().unwrap() {
            if u["kind"] == "toc" {
                continue;
            }
            for (k, v) in oracle(u["text"].as_str().unwrap(), &terms) {
                *want.get_mut(&k).unwrap() += v;
            }
        }
        let got: BTreeMap<String, u64> = terms_and_names(d);
        let want: BTreeMap<String, u64> = want.into_iter().map(|(k, v)| (k, v as u64)).collect();
        assert_eq!(got, want, "{id}");
        mentions += want.values().sum::<u64>();
    }
    assert!(mentions > 100, "the corpus has mentions: {mentions}");
}

#[test]
fn the_three_lexicons_count_alike_on_the_same_un_sentences() {
    // UNv1.0 devset: the same 4,000 sentences in English, Spanish and French.
    let dir = shared_corpus().join("unpc-devset");
    let lex = Lexicon::builtin();
    let mut by_lang: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut mayor_lines = 0;
    for lang in ["en", "es", "fr"] {
        let text = std::fs::read_to_string(dir.join(format!("UNv1.0.devset.{lang}"))).unwrap();
        let m = lex.matcher(lang);
        let mut per: BTreeMap<String, usize> = lex
            .concept_ids()
            .iter()
            .map(|c| (c.to_string(), 0))
            .collect();
        for line in text.lines() {
            let line = normalize(line);
            let found = m.find(&line);
            if lang == "es"
                && line
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "mayor")
            {
                mayor_lines += 1;
                assert!(
                    found.iter().all(|x| m.terms()[x.term].concept != "mayor"),
                    "{line}"
                );
            }
            for x in found {
                *per.get_mut(&m.terms()[x.term].concept).unwrap() += 1;
            }
        }
        by_lang.insert(lang, per);
    }
    assert!(
        mayor_lines >= 60,
        "Spanish 'mayor' (greater) is common: {mayor_lines} lines"
    );
    let total = |l: &str| by_lang[l].values().sum::<usize>() as f64;
    for l in ["es", "fr"] {
        let ratio = total(l) / total("en");
        assert!(
            (0.8..=1.35).contains(&ratio),
            "{l}/en total ratio {ratio:.2}: {by_lang:?}"
        );
    }
    for c in ["city", "urban", "local_government"] {
        let en = by_lang["en"][c] as f64;
        assert!(en >= 5.0, "{c}: {by_lang:?}");
        for l in ["es", "fr"] {
            let r = by_lang[l][c] as f64 / en;
            assert!((0.6..=1.6).contains(&r), "{c} {l}/en {r:.2}: {by_lang:?}");
        }
    }
}

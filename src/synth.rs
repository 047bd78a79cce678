//! A deterministic synthetic corpus for benchmarks: agreement-shaped English text at any size.
//!
//! The real corpus is 74 documents; the users' next corpora are hundreds of thousands. To know
//! how cost grows, the benchmarks need corpora of 10k, 100k and 1M units that look like
//! agreements to every stage (decisions, a preamble, numbered paragraphs, (a)/(i)
//! sub-paragraphs, annexes with articles) and carry the lexicon's terms at realistic rates.
//! Everything comes from one seed through SplitMix64, so the same arguments give the same bytes
//! on every machine and every run: benchmark figures are comparable across commits.
//!
//! Words are drawn from a fixed vocabulary of UN-text words with Zipf weights; lexicon terms are
//! planted at [`PLANTED`] rates per 10,000 words (a few per 10,000, as in the UNFCCC decisions,
//! with "cities" common and "mayor" rare so that `kwic` can be timed on both). The same text
//! can be written as groff `-ms` source, which the benchmark script turns into PDFs with a real
//! PDF producer.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The vocabulary, most frequent first (Zipf weights by rank). None is a lexicon term.
const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "a",
    "with",
    "Parties",
    "by",
    "as",
    "that",
    "its",
    "climate",
    "change",
    "including",
    "Convention",
    "support",
    "Agreement",
    "under",
    "national",
    "implementation",
    "developing",
    "country",
    "countries",
    "adaptation",
    "mitigation",
    "finance",
    "reporting",
    "information",
    "action",
    "actions",
    "technical",
    "capacity-building",
    "process",
    "work",
    "further",
    "relevant",
    "from",
    "at",
    "be",
    "such",
    "other",
    "also",
    "all",
    "their",
    "this",
    "an",
    "or",
    "is",
    "secretariat",
    "session",
    "Conference",
    "Subsidiary",
    "Body",
    "Scientific",
    "Technological",
    "Advice",
    "Implementation",
    "emissions",
    "greenhouse",
    "gas",
    "reduction",
    "efforts",
    "long-term",
    "goal",
    "global",
    "stocktake",
    "transparency",
    "framework",
    "mechanism",
    "technology",
    "transfer",
    "resources",
    "financial",
    "contributions",
    "nationally",
    "determined",
    "communications",
    "guidance",
    "modalities",
    "procedures",
    "guidelines",
    "consideration",
    "view",
    "views",
    "submissions",
    "workshop",
    "report",
    "reports",
    "outcome",
    "progress",
    "matters",
    "arrangements",
    "cooperation",
    "international",
    "regional",
    "sectors",
    "energy",
    "forests",
    "agriculture",
    "oceans",
    "water",
    "health",
    "food",
    "security",
    "loss",
    "damage",
    "vulnerable",
    "communities",
    "indigenous",
    "peoples",
    "gender",
    "equality",
    "youth",
    "stakeholders",
    "non-Party",
    "private",
    "sector",
    "organizations",
    "observer",
    "budget",
    "programme",
    "biennium",
    "resources",
    "contributions",
    "trust",
    "fund",
    "experts",
    "review",
    "assessment",
    "science",
    "knowledge",
    "best",
    "available",
    "ambition",
    "pathways",
    "resilience",
    "sustainable",
    "development",
    "poverty",
    "eradication",
    "just",
    "transition",
    "workforce",
    "decent",
    "work",
    "quality",
    "jobs",
    "markets",
    "approaches",
    "cooperative",
    "Article",
    "paragraph",
    "decision",
    "annex",
    "below",
    "above",
    "referred",
    "contained",
    "document",
    "noting",
    "welcoming",
    "urging",
    "inviting",
    "encouraging",
    "requesting",
    "considering",
    "accordance",
    "provisions",
    "principles",
    "common",
    "differentiated",
    "responsibilities",
    "respective",
    "capabilities",
    "light",
    "different",
    "circumstances",
    "equity",
    "basis",
    "best",
    "efforts",
    "enhanced",
    "timely",
    "effective",
    "efficient",
    "coherent",
    "consistent",
    "comprehensive",
    "balanced",
    "integrated",
    "inclusive",
    "participatory",
    "transparent",
    "gender-responsive",
    "robust",
];

/// Verbs that open operative paragraphs.
const OPERATIVE: &[&str] = &[
    "Decides",
    "Requests",
    "Invites",
    "Urges",
    "Encourages",
    "Notes",
    "Welcomes",
    "Recognizes",
    "Emphasizes",
    "Reaffirms",
    "Agrees",
    "Acknowledges",
    "Takes note of",
    "Expresses",
];

/// Words that open preamble paragraphs.
const PREAMBULAR: &[&str] = &[
    "Recalling",
    "Recognizing",
    "Noting",
    "Acknowledging",
    "Emphasizing",
    "Reaffirming",
    "Welcoming",
    "Bearing in mind",
    "Taking into account",
    "Mindful of",
];

/// Lexicon terms planted in the text, with their rate per 10,000 words.
pub const PLANTED: &[(&str, f64)] = &[
    ("cities", 2.0),
    ("city", 0.6),
    ("local governments", 0.8),
    ("local authorities", 0.6),
    ("municipalities", 0.3),
    ("subnational", 0.5),
    ("subnational authorities", 0.2),
    ("urban", 1.0),
    ("mayors", 0.1),
    ("mayor", 0.03),
    ("C40 Cities", 0.05),
    ("ICLEI", 0.05),
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Documents.
    pub docs: usize,
    /// Citable units per document (about: decisions, preambles, paragraphs, sub-paragraphs,
    /// articles).
    pub units_per_doc: usize,
    /// The seed.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Words.
    pub words: u64,
    /// Lines that start a citable unit.
    pub units: u64,
    /// Lexicon terms planted.
    pub planted: u64,
}

struct Gen {
    rng: Rng,
    cumulative: Vec<f64>,
    planted_cum: Vec<f64>,
    plant_p: f64,
    words: u64,
    planted: u64,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut acc = 0.0;
        let cumulative = (0..WORDS.len())
            .map(|r| {
                acc += 1.0 / (r as f64 + 2.0);
                acc
            })
            .collect();
        let total: f64 = PLANTED.iter().map(|(_, r)| r).sum();
        let mut acc = 0.0;
        let planted_cum = PLANTED
            .iter()
            .map(|(_, r)| {
                acc += r / total;
                acc
            })
            .collect();
        Gen {
            rng: Rng::new(seed),
            cumulative,
            planted_cum,
            plant_p: total / 10_000.0,
            words: 0,
            planted: 0,
        }
    }

    fn word(&mut self) -> &'static str {
        let x = self.rng.unit() * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.partition_point(|&c| c < x);
        WORDS[i.min(WORDS.len() - 1)]
    }

    /// A sentence body of `n` words, planted terms included.
    fn words_into(&mut self, out: &mut String, n: u64) {
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            if self.rng.unit() < self.plant_p {
                let x = self.rng.unit();
                let i = self.planted_cum.partition_point(|&c| c < x);
                out.push_str(PLANTED[i.min(PLANTED.len() - 1)].0);
                self.planted += 1;
            } else {
                out.push_str(self.word());
            }
            self.words += 1;
        }
    }

    /// One to four sentences, about 60 words.
    fn text(&mut self, out: &mut String) {
        let sentences = self.rng.range(1, 4);
        for s in 0..sentences {
            if s > 0 {
                out.push_str(". ");
            }
            let n = self.rng.range(8, 30);
            self.words_into(out, n);
        }
        out.push(';');
    }

    fn pick(&mut self, from: &[&'static str]) -> &'static str {
        from[self.rng.below(from.len() as u64) as usize]
    }
}

/// One document's lines and how many units they open.
fn document(g: &mut Gen, number: usize, units_per_doc: usize) -> (String, u64) {
    let mut out = String::with_capacity(units_per_doc * 480);
    let mut units = 0u64;
    let mut decision = 0usize;
    while (units as usize) < units_per_doc {
        decision += 1;
        let session = 1 + (number % 28);
        let _ = writeln!(out, "Decision {}/CP.{session}", number * 10 + decision);
        units += 1;
        out.push_str("Matters relating to ");
        let n = g.rng.range(2, 6);
        g.words_into(&mut out, n);
        out.push_str("\nThe Conference of the Parties,\n");
        units += 1; // the preamble
        for _ in 0..g.rng.range(1, 4) {
            out.push_str(g.pick(PREAMBULAR));
            out.push(' ');
            g.text(&mut out);
            out.push('\n');
        }
        let paras = g
            .rng
            .range(8, 40)
            .min((units_per_doc as u64).saturating_sub(units).max(1));
        for p in 1..=paras {
            let _ = write!(out, "{p}. {} ", g.pick(OPERATIVE));
            g.text(&mut out);
            out.push('\n');
            units += 1;
            if g.rng.below(5) == 0 {
                let subs = g.rng.range(2, 5) as usize;
                for letter in ["a", "b", "c", "d", "e"].iter().take(subs) {
                    let _ = write!(out, "({letter}) ");
                    g.text(&mut out);
                    out.push('\n');
                    units += 1;
                }
            }
        }
        if g.rng.below(4) == 0 {
            out.push_str("Annex\nGuidelines for the implementation\n");
            units += 1;
            for a in 1..=g.rng.range(1, 4) {
                let _ = writeln!(out, "Article {a}");
                units += 1;
                for p in 1..=g.rng.range(1, 3) {
                    let _ = write!(out, "{p}. ");
                    g.text(&mut out);
                    out.push('\n');
                    units += 1;
                }
            }
        }
    }
    (out, units)
}

/// The relative path of document `i` (1-based): folders of 1,000 files.
pub fn doc_path(i: usize) -> PathBuf {
    PathBuf::from(format!("synth-{:03}/doc-{i:06}.en.txt", (i - 1) / 1000))
}

/// Generates `opts.docs` documents and writes each as `render(i, text)` returns it: the one
/// loop both output forms share, so they hold the same text for the same seed.
fn write_docs(
    opts: &Options,
    mut render: impl FnMut(usize, &str) -> (PathBuf, String),
) -> Result<Summary> {
    let mut g = Gen::new(opts.seed);
    let mut s = Summary::default();
    for i in 1..=opts.docs {
        let (text, units) = document(&mut g, i, opts.units_per_doc);
        let (path, body) = render(i, &text);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&path, &body).map_err(|e| Error::io(&path, e))?;
        s.files += 1;
        s.bytes += body.len() as u64;
        s.units += units;
    }
    s.words = g.words;
    s.planted = g.planted;
    Ok(s)
}

/// Writes `opts.docs` text documents under `out` (`synth-NNN/doc-NNNNNN.en.txt`).
pub fn write_text(out: &Path, opts: &Options) -> Result<Summary> {
    write_docs(opts, |i, text| (out.join(doc_path(i)), text.to_string()))
}

/// Writes `opts.docs` documents as groff `-ms` sources (`ms/doc-NNNNNN.ms`): two columns, a
/// running header and footer, footnotes, justified and hyphenated, as a typeset report is.
pub fn write_ms(out: &Path, opts: &Options) -> Result<Summary> {
    let dir = out.join("ms");
    write_docs(opts, |i, text| {
        (dir.join(format!("doc-{i:06}.ms")), to_ms(i, text))
    })
}

/// One document as a groff `-ms` source.
fn to_ms(i: usize, text: &str) -> String {
    let mut ms =
        format!(".ds LH FCCC/SYN/2026/{i}\n.ds CH\n.ds RH Synthetic report {i}\n.ds CF Page %\n");
    if i.is_multiple_of(2) {
        ms.push_str(".2C\n");
    }
    for (k, line) in text.lines().enumerate() {
        // groff reads a leading dot or quote as a request.
        let line = line.replace('\\', "\\e");
        ms.push_str(".PP\n");
        if line.starts_with(['.', '\'']) {
            ms.push_str("\\&");
        }
        ms.push_str(&line);
        ms.push('\n');
        if k % 37 == 5 {
            ms.push_str("\\**\n.FS\nSee document FCCC/SYN/2026/");
            let _ = writeln!(ms, "{k}.\n.FE");
        }
    }
    ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_text_and_structure_segments() {
        let mut a = Gen::new(7);
        let mut b = Gen::new(7);
        let (ta, ua) = document(&mut a, 1, 60);
        let (tb, _) = document(&mut b, 1, 60);
        assert_eq!(ta, tb);
        let mut c = Gen::new(8);
        assert_ne!(ta, document(&mut c, 1, 60).0);
        // The segmenter finds the units the generator says it wrote.
        let seg = crate::extract::segment::segment(&crate::extract::text::from_str(&ta));
        assert_eq!(seg.units.len() as u64, ua, "{ta}");
        assert!(seg.units.iter().any(|u| u.label.contains("para. 3(b)")
            || u.label.contains("para. 3(a)")
            || u.label.contains("annex, Art. 1.1")));
    }

    #[test]
    fn planted_rate_is_close_to_the_table() {
        let mut g = Gen::new(1);
        for i in 1..=200 {
            document(&mut g, i, 100);
        }
        let rate = g.planted as f64 * 10_000.0 / g.words as f64;
        let want: f64 = PLANTED.iter().map(|(_, r)| r).sum();
        assert!((rate - want).abs() / want < 0.1, "{rate} vs {want}");
    }
}

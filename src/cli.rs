//! Command-line arguments (clap derive): one Args struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::scope::{Scope, Selection};
use crate::render::output::Format;

/// How agreements mention cities, mayors and local governments: exact counts, with citations.
#[derive(Debug, Parser)]
#[command(name = "menutable", version, about, long_about = None)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Corpus folder [env: MENUTABLE_CORPUS] [default: corpus/files]
    #[arg(long, global = true)]
    pub corpus: Option<PathBuf>,
    /// Index folder [env: MENUTABLE_INDEX] [default: index]
    #[arg(long, global = true)]
    pub index: Option<PathBuf>,
    /// Manifest file [env: MENUTABLE_MANIFEST] [default: corpus/manifest.toml]
    #[arg(long, global = true)]
    pub manifest: Option<PathBuf>,
    /// Lexicon file replacing the built-in one (same TOML format as corpus/lexicon.toml)
    #[arg(long, global = true)]
    pub lexicon: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Threads for extraction and indexing, 1 to 256 [env: MENUTABLE_THREADS] [default: one per core]
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub threads: Option<u64>,
    /// No progress bar (one is drawn on a terminal when `index`, `update`, `export`, `report`
    /// or `fetch` runs longer than a second; never in a log or with `--format json`).
    #[arg(long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from the corpus folder (incremental).
    Index(IndexArgs),
    /// List the documents: indexed, failed, or missing from the corpus folder.
    Docs(DocsArgs),
    /// Count mentions per document (or per unit), zeros included.
    Count(CountArgs),
    /// Show every mention in context, with its unit and page.
    Kwic(KwicArgs),
    /// Check published claims (corpus/claims.toml) against the text: holds, fails, cannot check.
    Claims(ClaimsArgs),
    /// Full-text search (tantivy query syntax) over units.
    Search(SearchArgs),
    /// Print a document's extracted, normalised text, unit by unit.
    Text(TextArgs),
    /// Extract the raw text of PDF or text files (no index), as pdftotext would.
    Extract(ExtractArgs),
    /// Mentions per role (actor, target, level, setting, ceremonial), or --gold evaluation.
    Roles(RolesArgs),
    /// Tidy tables (documents, units, mentions) as csv, json or jsonl, for R and pandas.
    Export(ExportArgs),
    /// A self-contained HTML report with tables, charts and every mention with its citation.
    Report(ReportArgs),
    /// Download the manifest's documents that are missing or differ (sha256-checked).
    Fetch(FetchArgs),
    /// For cron: fetch (unless --offline), then index; one log line per run.
    Update(UpdateArgs),
    /// Write a deterministic synthetic corpus (agreement-shaped text) for benchmarks.
    Synth(SynthArgs),
    /// A frequency list of the selection: words (or n-grams), frequency, per 10,000, range, DP.
    Freq(FreqArgs),
    /// The collocates of a concept, term or word: MI, t-score, log-Dice, G2, with raw counts.
    Collocates(CollocatesArgs),
    /// Keywords of target documents against a reference: G2, p, Log Ratio, with raw counts.
    Keyness(KeynessArgs),
    /// The corpus in a browser: the same views as the commands, read-only, on 127.0.0.1.
    Serve(ServeArgs),
    /// What `index` makes of each file of the corpus folder, one JSON line per file, for a
    /// cluster (Spark) to run and `index --from` to read back.
    Worker(WorkerArgs),
}

/// `menutable worker`
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Read the files to extract from standard input, one path relative to the corpus folder
    /// per line, instead of the whole folder.
    #[arg(long, conflicts_with = "shard")]
    pub stdin: bool,
    /// Only the files of share K of N of the folder (0/4 is the first of four): a file's share
    /// is a hash of its path, so N workers over one folder read each file once (the Spark job
    /// runs one per task on a folder every executor sees).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::corpus::Shard>,
    /// Only list the files the worker would read (paths relative to the corpus folder, one
    /// per line), without extracting them: the Spark job's way to read them one at a time when a
    /// worker died on one.
    #[arg(long)]
    pub list: bool,
}

/// `menutable serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but a loopback address makes the corpus visible on the
    /// network (said on start). Port 0 takes a free port (printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Requests answered at once; more wait in a short queue, and past it get 503 with
    /// Retry-After.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub workers: u64,
    /// Seconds an answer may take; a longer one is a 503 with Retry-After (its work goes on,
    /// holding a worker's place, and is kept for the next request of the same address).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub timeout: u64,
}

/// Stop words in lists of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StopWords {
    /// Left out (NLTK's English, Spanish and French lists).
    Drop,
    /// Kept.
    Keep,
}

/// `menutable freq`
#[derive(Debug, Args)]
pub struct FreqArgs {
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Word sequences of N words, 1 to 5 (`2..5` is not a range here: one N at a time).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=5))]
    pub ngram: u64,
    /// Stop words left out (default) or kept.
    #[arg(long, value_enum, default_value_t = StopWords::Drop)]
    pub stopwords: StopWords,
    /// Rows shown, most frequent first (0: all).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    pub limit: u64,
}

/// Sort statistic of `collocates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CollocateBy {
    /// log-Dice (Rychlý 2008): stable at low frequency.
    LogDice,
    /// Mutual information.
    Mi,
    /// t-score.
    T,
    /// Log-likelihood.
    G2,
    /// Observed frequency in the span.
    Observed,
}

/// `menutable collocates`
#[derive(Debug, Args)]
pub struct CollocatesArgs {
    /// The node: a concept of the lexicon, a term, or any word or phrase.
    pub node: String,
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Words looked at on each side of the node (L N to R N), never across a unit.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=50))]
    pub span: u64,
    /// Only node mentions with this role (actor, target, level, setting, ceremonial).
    #[arg(long)]
    pub role: Option<String>,
    /// Least frequency in the span.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub min_freq: u64,
    /// Sort by this statistic.
    #[arg(long, value_enum, default_value_t = CollocateBy::LogDice)]
    pub by: CollocateBy,
    /// Stop words hidden from the list (default; they still count as positions) or kept.
    #[arg(long, value_enum, default_value_t = StopWords::Drop)]
    pub stopwords: StopWords,
    /// Rows shown (0: all).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    pub limit: u64,
}

/// `menutable keyness`
#[derive(Debug, Args)]
pub struct KeynessArgs {
    /// The target documents (repeatable).
    #[arg(long, required = true, value_name = "ID")]
    pub target: Vec<String>,
    /// The reference documents (repeatable); default: every other document of the selection.
    #[arg(long, value_name = "ID")]
    pub reference: Vec<String>,
    /// Which documents make the corpus (the default reference is its rest).
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Compare the lexicon's concepts instead of words.
    #[arg(long)]
    pub concepts: bool,
    /// Least frequency in target and reference together.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub min_freq: u64,
    /// Stop words left out (default) or kept.
    #[arg(long, value_enum, default_value_t = StopWords::Drop)]
    pub stopwords: StopWords,
    /// Rows shown on each side, over- and under-used (0: all).
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    pub limit: u64,
}

/// `menutable synth`
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder to write into (`synth-NNN/doc-NNNNNN.en.txt`, or `ms/doc-NNNNNN.ms`).
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// Documents.
    #[arg(long, default_value_t = 100)]
    pub docs: usize,
    /// Citable units per document (about).
    #[arg(long, default_value_t = 100)]
    pub units_per_doc: usize,
    /// Seed: the same arguments always write the same bytes.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Write groff -ms sources (for PDFs through a real producer) instead of text.
    #[arg(long)]
    pub ms: bool,
}

/// `menutable report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Where to write the HTML file.
    #[arg(long, default_value = "report.html")]
    pub out: std::path::PathBuf,
}

/// `menutable export`

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write documents, units and mentions into.
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
}

/// `menutable fetch`

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only these documents (repeatable).
    #[arg(long = "doc", value_name = "ID")]
    pub docs: Vec<String>,
    /// Seconds a download may take in all.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

/// `menutable update`
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Do not download; only index what is in the corpus folder.
    #[arg(long)]
    pub offline: bool,
    /// Append the run's log line to this file instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub log: Option<std::path::PathBuf>,
    /// Seconds a download may take in all.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

/// `menutable roles`
#[derive(Debug, Args)]
pub struct RolesArgs {
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Only mentions of this concept.
    #[arg(long, conflicts_with = "term")]
    pub concept: Option<String>,
    /// Only mentions of this term (as the lexicon writes it, any case).
    #[arg(long)]
    pub term: Option<String>,
    /// One row per document, or one per unit with mentions.
    #[arg(long, value_enum, default_value_t = By::Document)]
    pub by: By,
    /// Evaluate against a gold TSV (columns doc, page, term, left, match, right, label,
    /// deferential, toc, note).
    #[arg(long, value_name = "FILE")]
    pub gold: Option<std::path::PathBuf>,
}

/// `menutable index`
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Re-read every file, even unchanged ones.
    #[arg(long)]
    pub rebuild: bool,
    /// Build from files already extracted by `menutable worker` (the Spark job's output
    /// folder, or .jsonl files) instead of reading the corpus folder.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Also list the files skipped because they are unchanged (JSON always lists them).
    #[arg(long)]
    pub verbose: bool,
}

/// `menutable docs`
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
}

/// `menutable count`
#[derive(Debug, Args)]
pub struct CountArgs {
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Only these concepts in the output (repeatable); matching always uses the whole lexicon.
    #[arg(long = "concept", value_name = "C")]
    pub concepts: Vec<String>,
    /// Count these terms, one column each (repeatable): a term of the lexicon or any other word
    /// or phrase (ad hoc: whole words, the lexicon's normalisation, longer lexicon terms win).
    #[arg(long = "term", value_name = "T", conflicts_with = "concepts")]
    pub terms: Vec<String>,
    /// One row per document, per unit with mentions, or per year, kind or language (groups
    /// sum to the ungrouped total).
    #[arg(long, value_enum, default_value_t = CountBy::Document)]
    pub by: CountBy,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Count from the stored text, not from the counts made at index time (a check: the
    /// figures are the same; slower on large corpora).
    #[arg(long)]
    pub rescan: bool,
}

/// Grouping of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Per document.
    Document,
    /// Per unit.
    Unit,
}

/// Grouping of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CountBy {
    /// Per document.
    #[value(alias = "doc")]
    Document,
    /// Per unit.
    Unit,
    /// Per year of adoption (the UNFCCC series as one table).
    Year,
    /// Per kind of document.
    Kind,
    /// Per language.
    Lang,
}

/// `menutable kwic`
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["concept", "term"]))]
pub struct KwicArgs {
    /// Mentions of this concept.
    #[arg(long)]
    pub concept: Option<String>,
    /// Mentions of this term: a term of the lexicon, or any word or phrase (ad hoc).
    #[arg(long)]
    pub term: Option<String>,
    /// Which documents; `--sort L3|L2|L1|match|R1|R2|R3` sorts the lines by a context word
    /// (AntConc's order), `year` or `id`/`doc` by document.
    #[command(flatten)]
    pub select: Selection,
    /// Characters of context on each side, 0 to 10000.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub width: u64,
    /// Which of their text.
    #[command(flatten)]
    pub scope: Scope,
    /// Only mentions with this role: actor, target, level, setting, ceremonial, none.
    #[arg(long)]
    pub role: Option<String>,
    /// Only deferential mentions: the action made subject to national law, policy or
    /// jurisdiction ("in accordance with national legislation").
    #[arg(long)]
    pub deferential: bool,
    /// Context bounded by the mention's sentence.
    #[arg(long)]
    pub sentence: bool,
    /// Show at most this many lines (0: all), after `--offset`.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    pub limit: u64,
    /// Skip this many lines first (with `--limit`, pages through a long answer).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    pub offset: u64,
}

/// `menutable claims`
#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// The claims file [default: corpus/claims.toml]
    pub file: Option<PathBuf>,
    /// Only the claims about these documents (repeatable); the others are not checked.
    #[arg(long = "doc", value_name = "ID")]
    pub docs: Vec<String>,
}

/// `menutable search`
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// A tantivy query: words, "phrases", "local authorities"~3, AND/OR/NOT, +must -not.
    pub query: String,
    /// Which documents.
    #[command(flatten)]
    pub select: Selection,
    /// Most hits to show, 1 to 10000.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
    /// Skip this many of the best hits first (the next page: `--offset 20`), at most 1000000.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub offset: u64,
}

/// `menutable text`
#[derive(Debug, Args)]
pub struct TextArgs {
    /// The document id.
    pub id: String,
    /// Only units on these pages, e.g. 19 or 19-20.
    #[arg(long)]
    pub pages: Option<String>,
    /// The lines as extracted from the file, before normalisation, with page furniture, the
    /// table of contents and footnotes marked.
    #[arg(long)]
    pub raw: bool,
}

/// `menutable extract`
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// PDF, text or Markdown files.
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Write FILE.txt for each input into this folder instead of printing.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Print what reading each file cost (operations, glyphs, bytes inflated; one JSON line
    /// per file) instead of its text: the measure the extraction budgets are derived from.
    #[arg(long, conflicts_with = "out")]
    pub work: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_needs_a_concept_or_a_term() {
        assert!(Cli::try_parse_from(["menutable", "kwic"]).is_err());
        assert!(
            Cli::try_parse_from(["menutable", "kwic", "--term", "cities", "--concept", "city"])
                .is_err()
        );
        let cli = Cli::try_parse_from([
            "menutable",
            "kwic",
            "--term",
            "cities",
            "--doc",
            "a",
            "--doc",
            "b",
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(cli.global.format, Format::Json);
        match cli.command {
            Command::Kwic(k) => assert_eq!(k.select.docs, ["a", "b"]),
            _ => panic!("not kwic"),
        }
    }

    #[test]
    fn count_defaults_to_documents() {
        let cli = Cli::try_parse_from(["menutable", "count"]).unwrap();
        match cli.command {
            Command::Count(c) => assert_eq!(c.by, CountBy::Document),
            _ => panic!("not count"),
        }
    }
}

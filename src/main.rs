//! The `menutable` binary: parse arguments, dispatch, map the outcome to an exit code
//! (0 found, 1 nothing matched, 2 error). A closed pipe (`menutable kwic ... | head`) is not
//! an error.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

/// lopdf builds every PDF object as small heap values; with the system allocator, malloc and
/// free took a fifth of whole-corpus extraction time (perf, 2026-11-22).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use menutable::cli::{Cli, Command};
use menutable::cmd::{self, Env, Outcome};
use menutable::render::output::Format;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(&cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::Nothing) => ExitCode::from(1),
        Ok(Outcome::Partial) => ExitCode::from(3),

        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("menutable: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    // Every parallel step (extraction, index-time counting) runs on this pool.
    rayon::ThreadPoolBuilder::new()
        .num_threads(cmd::threads(&cli.global)?)
        .build_global()?;
    if let Command::Extract(a) = &cli.command {
        // Needs no manifest, lexicon or index.
        return cmd::extract::run(a, out);
    }
    if let Command::Synth(a) = &cli.command {
        return cmd::synth::run(a, cli.global.format, out);
    }
    if let Some(why) = refused_format(&cli.command, cli.global.format) {
        anyhow::bail!(menutable::Error::Usage(why.into()));
    }
    let env = Env::new(&cli.global)?;

    let f = cli.global.format;
    match &cli.command {
        Command::Index(a) => cmd::index::run(&env, a, f, out),
        Command::Docs(a) => cmd::docs::run(&env, a, f, out),
        Command::Count(a) => cmd::count::run(&env, a, f, out),
        Command::Claims(a) => cmd::claims::run(&env, a, f, out),
        Command::Kwic(a) => cmd::kwic::run(&env, a, f, out),
        Command::Search(a) => cmd::search::run(&env, a, f, out),
        Command::Text(a) => cmd::text::run(&env, a, f, out),
        Command::Extract(a) => cmd::extract::run(a, out),
        Command::Roles(a) => cmd::roles::run(&env, a, f, out),
        Command::Fetch(a) => cmd::fetch::run_fetch(&env, a, f, out),
        Command::Export(a) => cmd::export::run(&env, a, f, out),
        Command::Report(a) => cmd::report::run(&env, a, f, out),

        Command::Update(a) => cmd::fetch::run_update(&env, a, f, out),
        Command::Synth(a) => cmd::synth::run(a, f, out),
        Command::Freq(a) => cmd::freq::run(&env, a, f, out),
        Command::Collocates(a) => cmd::collocates::run(&env, a, f, out),
        Command::Keyness(a) => cmd::keyness::run(&env, a, f, out),
    }
}

/// The error and its causes, each said once: an error that already quotes its cause ("x.toml:
/// No such file or directory (os error 2)") is not followed by the cause again.
fn message(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

/// A `--format` a command cannot honour is refused, never ignored (`report --format csv` once
/// wrote HTML, `export --format md` CSV).
fn refused_format(command: &Command, f: Format) -> Option<&'static str> {
    match (command, f) {
        (Command::Report(_), Format::Table) => None,
        (Command::Report(_), _) => Some(
            "report writes one HTML file (--out) and takes no --format; for tables use `export` (csv, json, jsonl) or `count`",
        ),
        (Command::Export(_), Format::Md) => {
            Some("export writes csv (the default), json or jsonl files; not md")
        }
        (Command::Export(_), _) => None,
        (_, Format::Jsonl) => Some("--format jsonl is for `export`; use json"),
        _ => None,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

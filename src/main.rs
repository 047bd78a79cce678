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
    if let Command::Serve(a) = &cli.command {
        return cmd::serve::run(&cli.global, a, out);
    }
    let env = Env::new(&cli.global)?;
    cmd::dispatch(&env, &cli.command, cli.global.format, out)
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

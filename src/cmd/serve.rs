//! `menutable serve`: the web application (see [`crate::serve`]) on an address, 127.0.0.1 by
//! default.

use std::io::Write;

use anyhow::{Context, Result};

use super::{Env, Outcome};
use crate::cli::{Global, ServeArgs};

/// Runs the server until the process is stopped.
pub fn run(global: &Global, args: &ServeArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut env = Env::new(global)?;
    env.progress = false;
    // The index must be there to serve it; what it holds is read again on every request.
    env.store()?;
    let listener = std::net::TcpListener::bind(&args.bind)
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "menutable: serving on {addr}: the corpus and its index are visible to anyone who can reach this address on the network"
        );
    }
    writeln!(
        out,
        "menutable serves {} on http://{addr}/",
        env.index.display()
    )?;
    out.flush()?;
    let limits = crate::serve::Limits {
        workers: args.workers as usize,
        timeout: std::time::Duration::from_secs(args.timeout),
    };
    crate::serve::serve(std::sync::Arc::new(env), listener, limits)?;
    Ok(Outcome::Found)
}

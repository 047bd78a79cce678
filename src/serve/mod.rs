//! `menutable serve`: the corpus in a browser, a second face on the same library. Every view
//! is a command: its URL is the command's name and its query parameters are the command's
//! flags (`/kwic?doc=gcm-2018&concept=local_government`), parsed by the same clap definitions
//! and run by the same [`crate::cmd::dispatch`]; `format=csv` or `format=json` answers the
//! bytes the command line prints, and the HTML page is that CSV as a table with the command
//! line that reproduces it. Nothing is computed twice, so no page can disagree with the
//! command line.
//!
//! Read-only and bounded: only GET, no parameter that names a file, the index opened afresh
//! (read-only) for each request so a committed `update` shows at once and a page never mixes
//! two states, a fixed number of workers with a short queue (past it: 503 and Retry-After),
//! timeouts on every socket, and the security headers of [`http`] on every answer.

pub mod http;
pub mod pages;

use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::sync::mpsc::{TrySendError, sync_channel};
use std::time::Duration;

use crate::cmd::Env;

/// Connections that wait for a worker at most; past them, 503.
pub const QUEUE: usize = 16;

/// Serves `listener` until the process ends, `workers` requests at a time.
pub fn serve(env: &Env, listener: TcpListener, workers: usize) -> std::io::Result<()> {
    let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let next = rx.lock().map(|r| r.recv());
                    match next {
                        Ok(Ok(mut stream)) => handle(env, &mut stream),
                        _ => break,
                    }
                }
            });
        }
        for conn in listener.incoming() {
            let Ok(stream) = conn else { continue };
            match tx.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(mut stream)) => busy(&mut stream),
                Err(TrySendError::Disconnected(_)) => break,
            }
        }
        drop(tx);
    });
    Ok(())
}

/// Answers a connection the workers have no room for: 503, try again in a second.
fn busy(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    // The request is read (what arrives at once) so that closing does not reset the answer.
    let mut scratch = [0u8; 4096];
    let _ = std::io::Read::read(stream, &mut scratch);
    let mut r = http::Response::text(503, "busy: too many requests at once; try again");
    r.headers.push(("Retry-After", "1".into()));
    let _ = http::write_response(stream, &r, false);
}

/// Reads one request, answers it, closes. A panic in a view is a 500, never a dead worker.
fn handle(env: &Env, stream: &mut TcpStream) {
    let (response, head_only) = match http::read_request(stream) {
        Ok(req) => {
            let head_only = req.method == "HEAD";
            let r =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pages::route(env, &req)))
                    .unwrap_or_else(|_| {
                        http::Response::text(500, "internal error (see the server's log)")
                    });
            (r, head_only)
        }
        Err(r) => (r, false),
    };
    let _ = http::write_response(stream, &response, head_only);
}

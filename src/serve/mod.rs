//! `menutable serve`: the corpus in a browser, a second face on the same library. Every view
//! is a command: its URL is the command's name and its query parameters are the command's
//! flags (`/kwic?doc=gcm-2018&concept=local_government`), parsed by the same clap definitions
//! and run by the same [`crate::cmd::dispatch`]; `format=csv` or `format=json` answers the
//! bytes the command line prints, and the HTML page is that CSV as a table with the command
//! line that reproduces it. Nothing is computed twice, so no page can disagree with the
//! command line.
//!
//! Read-only and bounded: only GET, no parameter that names a file, one committed state of the
//! index per request (kept while the index is unchanged, so a committed `update` shows at
//! once and a page never mixes two states; answers kept per URL until the next commit:
//! [`Cache`]), a fixed number of answers computed at once with a short queue of connections
//! (past it: 503 and Retry-After), a time bound on each answer ([`Limits`]), timeouts on
//! every socket, and the security headers of [`http`] on every answer.

pub mod html;
pub mod http;
pub mod pages;

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cmd::Env;

/// Connections that wait for a worker at most; past them, 503.
pub const QUEUE: usize = 16;

/// Bytes of answers kept at most; past it the cache starts again.
pub const CACHE_BYTES: usize = 128 << 20;
/// The largest answer kept.
const CACHE_ONE: usize = 8 << 20;

/// Answers already made for the index as it is now: the same URL asked again gets the same
/// bytes without running the command again, until an `update` commits (the generation is the
/// identity of tantivy's `meta.json`, which every commit replaces).
#[derive(Default)]
pub struct Cache {
    inner: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    generation: Option<Generation>,
    answers: HashMap<String, Arc<http::Response>>,
    bytes: usize,
}

/// What identifies one committed state of the index.
type Generation = (std::time::SystemTime, u64, u64);

/// The committed state of the index in `dir`, from its `meta.json`.
pub fn generation(dir: &std::path::Path) -> Option<Generation> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((m.modified().ok()?, m.len(), m.ino()))
}

impl Cache {
    fn get(&self, generation: Option<Generation>, key: &str) -> Option<Arc<http::Response>> {
        let mut k = self.inner.lock().ok()?;
        if generation.is_none() || k.generation != generation {
            *k = Kept {
                generation,
                ..Kept::default()
            };
            return None;
        }
        k.answers.get(key).cloned()
    }

    fn put(&self, generation: Option<Generation>, key: String, r: Arc<http::Response>) {
        if r.status != 200 || r.body.len() > CACHE_ONE || generation.is_none() {
            return;
        }
        let Ok(mut k) = self.inner.lock() else {
            return;
        };
        if k.generation != generation {
            return;
        }
        if k.bytes + r.body.len() > CACHE_BYTES {
            k.answers.clear();
            k.bytes = 0;
        }
        k.bytes += r.body.len();
        k.answers.insert(key, r);
    }
}

/// How much the server does at once, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Answers computed at once (those past their time included): connections past them wait
    /// in a queue of [`QUEUE`], and past that get 503.
    pub workers: usize,
    /// How long a request waits for its answer before a 503 (zero: not at all).
    pub timeout: Duration,
}

/// What the workers share: the answers kept, the store kept, the answers being computed
/// (how many, and which: a request for an answer already being made waits for that one).
#[derive(Default)]
struct Shared {
    cache: Cache,
    kept: KeptStore,
    computing: std::sync::atomic::AtomicUsize,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
}

/// An answer being made, which other requests for the same address and index state wait for
/// (after each commit, every client asks for the overview at once: it is made once).
#[derive(Default)]
struct Flight {
    done: Mutex<Option<Arc<http::Response>>>,
    ready: std::sync::Condvar,
}

impl Flight {
    /// The answer, once made, or `None` after `timeout`.
    fn wait(&self, timeout: Duration) -> Option<Arc<http::Response>> {
        let done = self.done.lock().ok()?;
        let (done, _) = self
            .ready
            .wait_timeout_while(done, timeout, |d| d.is_none())
            .ok()?;
        done.clone()
    }

    fn land(&self, r: &Arc<http::Response>) {
        if let Ok(mut d) = self.done.lock() {
            *d = Some(r.clone());
        }
        self.ready.notify_all();
    }
}

/// Serves `listener` until the process ends, `limits.workers` requests at a time.
pub fn serve(env: Arc<Env>, listener: TcpListener, limits: Limits) -> std::io::Result<()> {
    let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
    let rx = Mutex::new(rx);
    let shared = Arc::new(Shared::default());
    std::thread::scope(|s| {
        for _ in 0..limits.workers.max(1) {
            s.spawn(|| {
                loop {
                    let next = rx.lock().map(|r| r.recv());
                    match next {
                        Ok(Ok(mut stream)) => handle(&env, &shared, limits, &mut stream),
                        _ => break,
                    }
                }
            });
        }
        for conn in listener.incoming() {
            let Ok(stream) = conn else { continue };
            match tx.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(mut stream)) => busy(&mut stream, BUSY),
                Err(TrySendError::Disconnected(_)) => break,
            }
        }
        drop(tx);
    });
    Ok(())
}

/// Why a 503: too many requests at once.
const BUSY: &str = "busy: too many requests at once; try again";

/// The store kept for the index's committed state.
type KeptStore = Mutex<Option<(Generation, crate::index::Store)>>;

/// The kept store when the index is still at `generation`, else a new one opened and kept;
/// `None` when the index cannot be opened (the command then says why).
fn store_for(
    env: &Env,
    kept: &KeptStore,
    generation: Option<Generation>,
) -> Option<crate::index::Store> {
    let generation = generation?;
    let mut k = kept.lock().ok()?;
    if let Some((g, s)) = k.as_ref()
        && *g == generation
    {
        return Some(s.clone());
    }
    let store = crate::index::Store::open(&env.index, false).ok()?.kept();
    *k = Some((generation, store.clone()));
    Some(store)
}

/// Answers a connection the workers have no room for: 503, try again in a second.
fn busy(stream: &mut TcpStream, why: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    // The request is read (what arrives at once) so that closing does not reset the answer.
    let mut scratch = [0u8; 4096];
    let _ = std::io::Read::read(stream, &mut scratch);
    let _ = http::write_response(stream, &unavailable(why), false);
}

/// A 503 that says why and to try again in a second.
fn unavailable(why: &str) -> http::Response {
    let mut r = http::Response::text(503, why);
    r.headers.push(("Retry-After", "1".into()));
    r
}

/// Reads one request, answers it (from the cache when the index has not changed since the
/// same URL was answered), closes.
fn handle(env: &Arc<Env>, shared: &Arc<Shared>, limits: Limits, stream: &mut TcpStream) {
    let (response, head_only) = match http::read_request(stream) {
        Ok(req) => {
            let head_only = req.method == "HEAD";
            let key = format!("{}?{:?}", req.path, req.query);
            let generation = generation(&env.index);
            let r = match shared.cache.get(generation, &key) {
                Some(r) => r,
                None => compute(env, shared, limits, req, (generation, key)),
            };
            (r, head_only)
        }
        Err(r) => (Arc::new(r), false),
    };
    let _ = http::write_response(stream, &response, head_only);
}

/// Computes an answer on a thread of its own and waits for it at most `limits.timeout`: past
/// it, a 503 (the work goes on, holding its place among `limits.workers`, and its answer is
/// kept for the next request of the same address). A panic in a view is a 500, never a dead
/// worker.
fn compute(
    env: &Arc<Env>,
    shared: &Arc<Shared>,
    limits: Limits,
    req: http::Request,
    (generation, key): (Option<Generation>, String),
) -> Arc<http::Response> {
    use std::sync::atomic::Ordering;
    let flight_key = format!("{generation:?} {key}");
    let (flight, leader) = {
        let Ok(mut flights) = shared.flights.lock() else {
            return Arc::new(unavailable(BUSY));
        };
        match flights.get(&flight_key) {
            Some(f) => (f.clone(), false),
            None => {
                let f = Arc::new(Flight::default());
                flights.insert(flight_key.clone(), f.clone());
                (f, true)
            }
        }
    };
    if !leader {
        return flight
            .wait(limits.timeout)
            .unwrap_or_else(|| Arc::new(late(limits)));
    }
    let land = |r: &Arc<http::Response>, shared: &Shared| {
        flight.land(r);
        if let Ok(mut flights) = shared.flights.lock() {
            flights.remove(&flight_key);
        }
    };
    if shared.computing.fetch_add(1, Ordering::SeqCst) >= limits.workers.max(1) {
        shared.computing.fetch_sub(1, Ordering::SeqCst);
        let r = Arc::new(unavailable(BUSY));
        land(&r, shared);
        return r;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mine = shared.clone();
    let env = env.clone();
    let landing = (flight.clone(), flight_key.clone());
    let started = std::thread::Builder::new().spawn(move || {
        let shared = mine;
        let (flight, flight_key) = landing;
        // One store for the whole request (every command of a page reads one state), kept
        // while the index does not change, its records parsed once.
        crate::cmd::pin_store(store_for(&env, &shared.kept, generation));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pages::route(&env, &req)))
            .unwrap_or_else(|_| http::Response::text(500, "internal error (see the server's log)"));
        crate::cmd::pin_store(None);
        let r = Arc::new(r);
        shared.cache.put(generation, key, r.clone());
        shared.computing.fetch_sub(1, Ordering::SeqCst);
        flight.land(&r);
        if let Ok(mut flights) = shared.flights.lock() {
            flights.remove(&flight_key);
        }
        let _ = tx.send(r);
    });
    if started.is_err() {
        shared.computing.fetch_sub(1, Ordering::SeqCst);
        let r = Arc::new(unavailable(BUSY));
        land(&r, shared);
        return r;
    }
    // A zero timeout waits for nothing (every answer not kept yet is a 503).
    let waited = if limits.timeout.is_zero() {
        Err(std::sync::mpsc::RecvTimeoutError::Timeout)
    } else {
        rx.recv_timeout(limits.timeout)
    };
    waited.unwrap_or_else(|_| Arc::new(late(limits)))
}

/// The 503 of an answer that takes longer than the time allowed.
fn late(limits: Limits) -> http::Response {
    unavailable(&format!(
        "this answer takes longer than {} s: it is being made and kept, so ask again in a moment; or narrow the selection (doc, year, kind), or run the command line",
        limits.timeout.as_secs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_for_an_answer_being_made_waits_for_that_answer() {
        let f = Arc::new(Flight::default());
        assert!(f.wait(Duration::ZERO).is_none(), "nothing landed yet");
        let r = Arc::new(http::Response::text(200, "made once"));
        let waiter = {
            let f = f.clone();
            std::thread::spawn(move || f.wait(Duration::from_secs(60)))
        };
        f.land(&r);
        let got = waiter.join().unwrap().expect("the landed answer");
        assert!(Arc::ptr_eq(&got, &r), "the same answer, not made again");
        assert!(Arc::ptr_eq(&f.wait(Duration::ZERO).unwrap(), &r));
    }

    #[test]
    fn the_cache_forgets_everything_when_the_index_commits() {
        let dir = std::env::temp_dir().join(format!("menutable-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let meta = dir.join("meta.json");
        std::fs::write(&meta, "{\"opstamp\":1}").unwrap();
        let cache = Cache::default();
        let g1 = generation(&dir);
        assert!(cache.get(g1, "/count").is_none());
        let ok = Arc::new(http::Response::text(200, "one"));
        cache.put(g1, "/count".into(), ok);
        cache.put(g1, "/bad".into(), Arc::new(http::Response::text(400, "no")));
        assert_eq!(cache.get(g1, "/count").unwrap().body, b"one\n");
        assert!(
            cache.get(g1, "/bad").is_none(),
            "only answers are kept, not errors"
        );
        // A commit replaces meta.json (a new file renamed over it).
        let next = dir.join("meta.json.tmp");
        std::fs::write(&next, "{\"opstamp\":2}").unwrap();
        std::fs::rename(&next, &meta).unwrap();
        let g2 = generation(&dir);
        assert_ne!(g1, g2);
        assert!(cache.get(g2, "/count").is_none());
        // An index that cannot be read is never cached.
        assert!(cache.get(None, "/count").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

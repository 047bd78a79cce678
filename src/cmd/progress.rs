//! A progress bar for the commands that can run for minutes (`index`, `update`, `export`,
//! `report`, `fetch`): on stderr, only when it is a terminal, only once the work has taken a
//! second, never with `--format json` or `--quiet`. A cron log (not a terminal) stays exactly as
//! it was.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before a bar is drawn: a second (`MENUTABLE_PROGRESS_AFTER_MS` changes
/// it, so a test need not make work that lasts a second).
fn after() -> Duration {
    std::env::var("MENUTABLE_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// A bar over `total` steps, drawn once the work has taken [`after`].
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    after: Duration,
    may_show: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar for `total` steps of `what` ("files", "documents"); `wanted` is false with
    /// `--quiet` or `--format json`.
    pub fn new(total: u64, what: &str, wanted: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {what} (eta {{eta}}) {{msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Progress {
            bar,
            started: Instant::now(),
            after: after(),
            may_show: wanted && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// `n` more steps done.
    pub fn inc(&self, n: u64) {
        if self.may_show
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= self.after
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.inc(n);
    }

    /// `done` of `total` steps done.
    pub fn at(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        let now = self.bar.position();
        self.inc(done.saturating_sub(now));
    }

    /// Done: the bar is cleared, so what the command prints after it is as without it.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

//! What a long build shows on a terminal: after about two seconds, the phase it
//! is in and how many of the phases are done, on one line that is cleared at the
//! end. Nothing is drawn when the output is not a terminal (a log, CI), or when
//! the caller did not ask for it.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown (the tests set it shorter
/// with `PASSERELLE_PROGRESS_DELAY_MS`).
fn delay() -> Duration {
    std::env::var("PASSERELLE_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(2), Duration::from_millis)
}

/// The phases in the order a build runs them, for the line's "next" phase.
const ORDER: [&str; 9] = [
    "load", "validate", "markdown", "assets", "render", "offline", "search", "links", "write",
];

/// The progress line of one build.
pub(super) struct Progress {
    bar: ProgressBar,
    /// Dropped at the end, which wakes the thread that shows the line.
    stop: Option<mpsc::Sender<()>>,
    shower: Option<JoinHandle<()>>,
}

impl Progress {
    /// A line that stays hidden for [`delay`], then shows on standard error when
    /// `enabled` and standard error is a terminal.
    pub(super) fn start(enabled: bool) -> Self {
        let bar =
            ProgressBar::with_draw_target(Some(ORDER.len() as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} building: {msg} [{bar:20}] {pos}/{len} phases, {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(ORDER[0]);
        if !enabled {
            return Self {
                bar,
                stop: None,
                shower: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let delay = delay();
        let shower = std::thread::spawn(move || {
            if stopped.recv_timeout(delay) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Self {
            bar,
            stop: Some(stop),
            shower: Some(shower),
        }
    }

    /// Phase `name` is done: the line names the next one.
    pub(super) fn done(&self, name: &str) {
        let Some(i) = ORDER.iter().position(|p| *p == name) else {
            return;
        };
        self.bar.set_position(i as u64 + 1);
        if let Some(next) = ORDER.get(i + 1) {
            self.bar.set_message(*next);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}

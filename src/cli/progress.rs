//! Progress on stderr, only when it is a terminal: documents, bytes, MB/s, ETA.
//! Advanced once per batch, never per document, so it costs nothing measurable.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar, or nothing.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    docs: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// A bar over `total` bytes (0: unknown, a spinner) when `enabled` and stderr is a terminal.
    pub(crate) fn new(enabled: bool, total: u64) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = if total > 0 { ProgressBar::new(total) } else { ProgressBar::new_spinner() };
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
            let template = if total > 0 {
                "{spinner} {elapsed_precise} [{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}"
            } else {
                "{spinner} {elapsed_precise} {binary_bytes} {binary_bytes_per_sec} {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress { bar, docs: std::sync::atomic::AtomicU64::new(0) }
    }

    /// Counts a finished batch.
    pub(crate) fn inc(&self, bytes: u64, docs: u64) {
        if let Some(bar) = &self.bar {
            let n = self.docs.fetch_add(docs, std::sync::atomic::Ordering::Relaxed) + docs;
            bar.set_message(format!("{n} docs"));
            bar.inc(bytes);
        }
    }

    /// Prints a line above the bar (or plainly on stderr).
    pub(crate) fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

//! Runs the pipeline over sources in bounded batches: text files a few at a time,
//! JSON Lines a few thousand lines at a time. Workers (rayon) decode, clean and
//! call the command's `work`; the calling thread receives the results in input
//! order through `on`, so outputs and reports are identical whatever `-j` is, and
//! memory stays bounded by the batch size, not the corpus.
//!
//! Ctrl-C (SIGINT, after [`stop_on_interrupt`]) stops the run between documents:
//! documents already written stay (each is complete, written atomically), the
//! rest is not started, and a JSON Lines output in progress is dropped. A second
//! Ctrl-C deletes the temporary files being written and exits at once.

use super::progress::Progress;
use crate::decode::decode_owned;
use crate::io::inputs::Source;
use crate::io::jsonl::{parse_line, Batches, RawLine};
use crate::pipeline::{Cleaned, Pipeline};
use crate::report::summary::{DocStats, Summary};
use rayon::prelude::*;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
pub(crate) const INTERRUPTED_EXIT: u8 = 130;

/// Installs the Ctrl-C handler (once per process).
pub(crate) fn stop_on_interrupt() -> Result<(), String> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            crate::io::atomic::remove_live_temps();
            eprintln!("\ninterrupted again: temporary files removed, exiting now");
            std::process::exit(INTERRUPTED_EXIT.into());
        }
        eprintln!("\ninterrupted: finishing the documents in progress (Ctrl-C again to stop at once)");
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))
}

/// Whether Ctrl-C was pressed.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// A JSON Lines batch ends after this many lines…
const BATCH_LINES: usize = 2048;
/// …or once it holds this many bytes: enough work per batch for every thread,
/// little enough memory (a few times this) whatever the corpus size.
const BATCH_BYTES: usize = 8 << 20;
/// Text files are grouped the same way.
const BATCH_FILES: usize = 256;

/// How documents are read.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) jobs: Option<usize>,
    pub(crate) lossy: bool,
    pub(crate) text_field: String,
    pub(crate) progress: bool,
    /// Time budget per document (`--doc-timeout`).
    pub(crate) budget: Option<std::time::Duration>,
}

/// Where a JSON Lines document came from, to write it back.
#[derive(Debug)]
pub(crate) struct JsonlDoc {
    /// The input line (without its line break).
    pub(crate) line: String,
    /// Span of the text value in `line`.
    pub(crate) span: (usize, usize),
    /// The line break that ended it.
    pub(crate) eol: &'static str,
}

/// A decoded and cleaned document.
#[derive(Debug)]
pub(crate) struct Doc {
    /// The report's `doc`: path relative to the input root, or a JSONL id / `path:line`.
    pub(crate) name: String,
    /// Where to find it: the path as given, with `:line` for JSON Lines.
    pub(crate) location: String,
    pub(crate) encoding: &'static str,
    pub(crate) newline: crate::decode::Newline,
    /// Input bytes (file size, or line length).
    pub(crate) bytes: usize,
    /// The decoded input (LF line endings): edit offsets refer to it.
    pub(crate) input: String,
    pub(crate) cleaned: Cleaned,
    pub(crate) jsonl: Option<JsonlDoc>,
}

impl Doc {
    /// The output as written: the cleaned text with the input's line endings, or
    /// the JSON line with only its text value replaced (the line as is when unchanged).
    pub(crate) fn output(&self) -> std::borrow::Cow<'_, str> {
        let text = self.newline.restore(&self.cleaned.output);
        std::borrow::Cow::Owned(match &self.jsonl {
            None => return text,
            Some(j) if self.cleaned.edits().is_empty() => format!("{}{}", j.line, j.eol),
            Some(j) => {
                let mut s = crate::io::jsonl::splice(&j.line, j.span, &text);
                s.push_str(j.eol);
                s
            }
        })
    }
}

/// A document that could not be cleaned (or written).
#[derive(Debug, Clone)]
pub(crate) struct Failed {
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) error: String,
}

/// What the calling thread receives, in input order.
pub(crate) enum Event<'a, R> {
    /// A JSON Lines source starts.
    Begin(&'a Source),
    /// A document was cleaned and `work` returned `R`.
    Done(R),
    /// A document failed (it is already counted and printed).
    Failed(&'a Failed),
    /// A blank JSON Lines line (with its line break), passed through.
    Blank(&'a [u8]),
    /// A JSON Lines source ends; `Err` when it could not be read to the end.
    End(Result<(), String>),
}

enum Unit<R> {
    /// Not started: the run was interrupted.
    Skipped,
    Blank(Vec<u8>),
    Failed(Failed),
    Done(DocStats, usize, String, String, Result<R, String>),
}

fn fail(name: String, location: String, error: String) -> Failed {
    Failed { name, location, error }
}

/// Runs every source. `work` runs on worker threads for each cleaned document
/// (an `Err` turns it into a failed document, e.g. when its output cannot be
/// written); `on` runs on the calling thread in input order (an `Err` from
/// `Begin`, `Done` or `Blank` abandons the rest of that source).
pub(crate) fn run<R: Send>(
    sources: &[Source],
    pipeline: &Pipeline,
    settings: &Settings,
    summary: &mut Summary,
    work: impl Fn(&Source, &Doc) -> Result<R, String> + Sync,
    mut on: impl FnMut(Event<'_, R>) -> Result<(), String>,
) {
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(settings.jobs.unwrap_or(0)).build() {
        Ok(p) => p,
        Err(e) => {
            summary.fail("-", &format!("cannot start threads: {e}"));
            return;
        }
    };
    let total: u64 = sources.iter().map(|s| s.size).sum();
    let progress = Progress::new(settings.progress, total);
    let record = |summary: &mut Summary, f: &Failed| {
        progress.println(&format!("error: {}: {}", f.location, f.error));
        summary.fail(&f.location, &f.error);
    };
    let mut i = 0;
    while i < sources.len() && !interrupted() {
        if sources[i].jsonl {
            let src = &sources[i];
            let result = run_jsonl(src, &pool, pipeline, settings, summary, &work, &mut on, &progress);
            if let Err(e) = &result {
                record(summary, &fail(src.rel_name(), src.display(), e.clone()));
            }
            if let Err(e) = on(Event::End(result)) {
                record(summary, &fail(src.rel_name(), src.display(), e));
            }
            i += 1;
            continue;
        }
        let mut j = i;
        let mut bytes = 0u64;
        while j < sources.len() && !sources[j].jsonl && j - i < BATCH_FILES && (j == i || bytes < BATCH_BYTES as u64) {
            bytes += sources[j].size;
            j += 1;
        }
        let batch = &sources[i..j];
        let units: Vec<Unit<R>> =
            pool.install(|| batch.par_iter().map(|s| text_unit(s, pipeline, settings, &work)).collect());
        for (src, unit) in batch.iter().zip(units) {
            if let Some(f) = deliver(src, unit, summary, &mut on) {
                record(summary, &f);
            }
        }
        progress.inc(bytes, batch.len() as u64);
        i = j;
    }
    progress.finish();
}

/// Hands one unit to `on`; returns the failure to record, if any.
fn deliver<R>(
    src: &Source,
    unit: Unit<R>,
    summary: &mut Summary,
    on: &mut impl FnMut(Event<'_, R>) -> Result<(), String>,
) -> Option<Failed> {
    match unit {
        Unit::Skipped => None,
        Unit::Blank(line) => on(Event::Blank(&line)).err().map(|e| fail(src.rel_name(), src.display(), e)),
        Unit::Failed(f) => {
            let _ = on(Event::Failed(&f));
            Some(f)
        }
        Unit::Done(stats, n, name, location, result) => match result {
            Ok(r) => {
                summary.add_stats(n, &stats);
                on(Event::Done(r)).err().map(|e| fail(name, location, e))
            }
            Err(e) => {
                let f = fail(name, location, e);
                let _ = on(Event::Failed(&f));
                Some(f)
            }
        },
    }
}

fn finish<R>(doc: Doc, src: &Source, work: &(impl Fn(&Source, &Doc) -> Result<R, String> + Sync)) -> Unit<R> {
    let r = work(src, &doc);
    Unit::Done(DocStats::of(&doc.cleaned), doc.bytes, doc.name, doc.location, r)
}

/// Cleans one document; a panicking rule fails that document only (a bug to
/// report, but the rest of the corpus still gets cleaned).
fn clean_guarded(pipeline: &Pipeline, text: &str, budget: Option<std::time::Duration>) -> Result<Cleaned, String> {
    let clean = || match budget {
        Some(b) => pipeline.clean_within(text, std::time::Instant::now() + b),
        None => Ok(pipeline.clean(text)),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(clean)).unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let msg: String = msg.chars().take(200).collect();
        Err(format!("internal error: a rule panicked (please report this bug): {msg}"))
    })
}

fn text_unit<R>(
    src: &Source,
    pipeline: &Pipeline,
    settings: &Settings,
    work: &(impl Fn(&Source, &Doc) -> Result<R, String> + Sync),
) -> Unit<R> {
    if interrupted() {
        return Unit::Skipped;
    }
    let name = src.rel_name();
    let location = src.display();
    let bytes = match &src.path {
        Some(p) => std::fs::read(p),
        None => {
            let mut b = Vec::new();
            std::io::stdin().lock().read_to_end(&mut b).map(|_| b)
        }
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return Unit::Failed(fail(name, location, format!("cannot read: {e}"))),
    };
    let size = bytes.len();
    let decoded = match decode_owned(bytes, settings.lossy) {
        Ok(d) => d,
        Err(e) => return Unit::Failed(fail(name, location, e.to_string())),
    };
    let cleaned = match clean_guarded(pipeline, &decoded.text, settings.budget) {
        Ok(c) => c,
        Err(e) => return Unit::Failed(fail(name, location, e)),
    };
    let doc = Doc {
        name,
        location,
        encoding: decoded.encoding,
        newline: decoded.newline,
        bytes: size,
        input: decoded.text,
        cleaned,
        jsonl: None,
    };
    finish(doc, src, work)
}

fn line_unit<R>(
    src: &Source,
    raw: RawLine,
    pipeline: &Pipeline,
    settings: &Settings,
    work: &(impl Fn(&Source, &Doc) -> Result<R, String> + Sync),
) -> Unit<R> {
    let rel = src.rel_name();
    let location = format!("{}:{}", src.display(), raw.number);
    let fallback_name = format!("{rel}:{}", raw.number);
    let n = raw.bytes.len() + raw.eol.len();
    let line = match String::from_utf8(raw.bytes) {
        Ok(s) => s,
        Err(e) if settings.lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            return Unit::Failed(fail(
                fallback_name,
                location,
                format!("invalid UTF-8 at byte offset {offset} of the line"),
            ));
        }
    };
    if line.trim().is_empty() {
        let mut b = line.into_bytes();
        b.extend_from_slice(raw.eol.as_bytes());
        return Unit::Blank(b);
    }
    let parsed = match parse_line(&line, &settings.text_field) {
        Ok(p) => p,
        Err(e) => return Unit::Failed(fail(fallback_name, location, e.to_string())),
    };
    let (input, newline) = crate::decode::Newline::normalize(parsed.text);
    let cleaned = match clean_guarded(pipeline, &input, settings.budget) {
        Ok(c) => c,
        Err(e) => return Unit::Failed(fail(parsed.id.unwrap_or(fallback_name), location, e)),
    };
    let doc = Doc {
        name: parsed.id.unwrap_or(fallback_name),
        location,
        encoding: "UTF-8",
        newline,
        bytes: n,
        input,
        cleaned,
        jsonl: Some(JsonlDoc { line, span: parsed.span, eol: raw.eol }),
    };
    finish(doc, src, work)
}

#[allow(clippy::too_many_arguments)]
fn run_jsonl<R: Send>(
    src: &Source,
    pool: &rayon::ThreadPool,
    pipeline: &Pipeline,
    settings: &Settings,
    summary: &mut Summary,
    work: &(impl Fn(&Source, &Doc) -> Result<R, String> + Sync),
    on: &mut impl FnMut(Event<'_, R>) -> Result<(), String>,
    progress: &Progress,
) -> Result<(), String> {
    on(Event::Begin(src))?;
    let reader: Box<dyn std::io::BufRead> = match &src.path {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| format!("cannot read: {e}"))?;
            Box::new(std::io::BufReader::with_capacity(1 << 20, f))
        }
        None => Box::new(std::io::BufReader::with_capacity(1 << 20, std::io::stdin())),
    };
    let mut batches = Batches::new(reader, BATCH_LINES, BATCH_BYTES);
    loop {
        if interrupted() {
            return Err("interrupted before the end; no output written for it".to_string());
        }
        let line_no = batches.line();
        let batch = batches.next_batch().map_err(|e| format!("cannot read line {line_no}: {e}"))?;
        if batch.is_empty() {
            return Ok(());
        }
        let docs = batch.len() as u64;
        let bytes: usize = batch.iter().map(|l| l.bytes.len() + l.eol.len()).sum();
        let units: Vec<Unit<R>> =
            pool.install(|| batch.into_par_iter().map(|raw| line_unit(src, raw, pipeline, settings, work)).collect());
        for unit in units {
            if let Some(f) = deliver(src, unit, summary, on) {
                progress.println(&format!("error: {}: {}", f.location, f.error));
                summary.fail(&f.location, &f.error);
            }
        }
        progress.inc(bytes as u64, docs);
    }
}

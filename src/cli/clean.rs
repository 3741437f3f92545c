//! `ocrclean clean INPUT... -o OUT`: clean files and folders, write outputs and a report.

use super::RuleArgs;
use crate::decode::{decode, restore_newlines};
use crate::pipeline::Pipeline;
use crate::report::json::DocReport;
use crate::report::summary::Summary;
use clap::Args;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub(crate) struct CleanArgs {
    /// Files or folders to clean (folders are searched recursively for `*.txt`).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (mirrors the input layout); required unless --check.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write a JSON Lines report (one object per document) to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Write nothing; exit 1 when a document would change.
    #[arg(long)]
    check: bool,
    /// Replace undecodable bytes with U+FFFD instead of failing the document.
    #[arg(long)]
    lossy: bool,
    /// File-name pattern for folder inputs.
    #[arg(long, default_value = "*.txt")]
    glob: String,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    jobs: Option<usize>,
    /// No progress and no summary.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

/// One input file and its name relative to the input root.
pub(crate) struct InputFile {
    pub(crate) path: PathBuf,
    pub(crate) rel: PathBuf,
}

fn glob_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((pre, post)) => name.len() >= pre.len() + post.len() && name.starts_with(pre) && name.ends_with(post),
    }
}

pub(crate) fn collect(inputs: &[PathBuf], glob: &str) -> Result<Vec<InputFile>, String> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut stack = vec![input.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| glob_match(glob, n)) {
                        found.push(p);
                    }
                }
            }
            found.sort();
            for p in found {
                let rel = p.strip_prefix(input).unwrap_or(&p).to_path_buf();
                out.push(InputFile { path: p, rel });
            }
        } else if input.exists() {
            let rel = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
            out.push(InputFile { path: input.clone(), rel });
        } else {
            return Err(format!("{}: no such file or folder", input.display()));
        }
    }
    Ok(out)
}

enum Outcome {
    Done { report: String, bytes: usize, cleaned: Box<crate::pipeline::Cleaned> },
    Failed { doc: String, report: String, error: String },
}

pub(crate) fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(content)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn process(f: &InputFile, pipeline: &Pipeline, args: &CleanArgs) -> Outcome {
    let doc = f.rel.to_string_lossy().replace('\\', "/");
    let fail =
        |error: String| Outcome::Failed { report: DocReport::failed(&doc, &error).to_line(), doc: doc.clone(), error };
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    let decoded = match decode(&bytes, args.lossy) {
        Ok(d) => d,
        Err(e) => return fail(e.to_string()),
    };
    let cleaned = pipeline.clean(&decoded.text);
    if let (Some(out), false) = (&args.output, args.check) {
        let text = restore_newlines(&cleaned.output, decoded.crlf);
        if let Err(e) = write_atomic(&out.join(&f.rel), text.as_bytes()) {
            return fail(format!("cannot write output: {e}"));
        }
    }
    let report = DocReport::cleaned(&doc, decoded.encoding, decoded.crlf, &cleaned).to_line();
    Outcome::Done { report, bytes: bytes.len(), cleaned: Box::new(cleaned) }
}

pub(crate) fn run(args: CleanArgs) -> u8 {
    let (set, rules, options) = match args.rules.load() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    if args.output.is_none() && !args.check {
        eprintln!("error: give an output folder with -o, or --check");
        return 2;
    }
    let files = match collect(&args.inputs, &args.glob) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let pipeline = Pipeline::new(rules, options);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build().expect("thread pool");
    let outcomes: Vec<Outcome> = pool.install(|| files.par_iter().map(|f| process(f, &pipeline, &args)).collect());
    let mut summary = Summary::default();
    let mut report = String::new();
    for o in &outcomes {
        match o {
            Outcome::Done { report: line, bytes, cleaned, .. } => {
                summary.add(*bytes, cleaned);
                report.push_str(line);
            }
            Outcome::Failed { doc, report: line, error } => {
                eprintln!("error: {doc}: {error}");
                summary.fail(doc, error);
                report.push_str(line);
            }
        }
        report.push('\n');
    }
    if let Some(r) = &args.report {
        if let Err(e) = write_atomic(r, report.as_bytes()) {
            eprintln!("error: {}: cannot write report: {e}", r.display());
            return 2;
        }
    }
    if !args.quiet {
        eprint!("{}", summary.render(|id| set.get(id).map(|r| r.meta.name.clone()).unwrap_or_default()));
    }
    if !summary.failed.is_empty() {
        2
    } else if args.check && summary.changed > 0 {
        1
    } else {
        0
    }
}

//! `ocrclean report INPUT... --html report.html`: one self-contained HTML report
//! with a summary, a filterable document list, per-document diffs labelled by
//! rule, accept/reject toggles and a decisions export for `ocrclean apply`.

use super::clean::write_atomic;
use super::review::{load_docs, InputArgs};
use crate::report::html::{render, HtmlDoc};
use crate::review::Decisions;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the HTML report to this file.
    #[arg(long, required = true, value_name = "FILE")]
    html: PathBuf,
    /// Preset the toggles from a decisions file (e.g. of an earlier review).
    #[arg(long)]
    decisions: Option<PathBuf>,
    /// The report's title.
    #[arg(long, default_value = "ocrclean report")]
    title: String,
}

pub(crate) fn run(args: ReportArgs) -> u8 {
    let decisions = match &args.decisions {
        Some(p) => match Decisions::load(p) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => Decisions::default(),
    };
    let loaded = match load_docs(&args.input) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    for (doc, err) in &loaded.failed {
        eprintln!("error: {doc}: {err}");
    }
    let docs: Vec<HtmlDoc<'_>> = loaded
        .docs
        .iter()
        .map(|d| HtmlDoc { doc: &d.doc, hash: &d.hash, text: &d.text, cleaned: &d.cleaned })
        .collect();
    let name_of = |id: &str| loaded.set.get(id).map(|r| r.meta.name.clone()).unwrap_or_default();
    let html = render(&args.title, &docs, name_of, &decisions);
    if let Err(e) = write_atomic(&args.html, html.as_bytes()) {
        eprintln!("error: {}: {e}", args.html.display());
        return 2;
    }
    let changed = docs.iter().filter(|d| !d.cleaned.edits().is_empty()).count();
    eprintln!("{} documents ({} changed) in {} ({} bytes)", docs.len(), changed, args.html.display(), html.len());
    if loaded.failed.is_empty() {
        0
    } else {
        2
    }
}

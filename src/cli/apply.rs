//! `ocrclean apply INPUT... --decisions FILE -o OUT`: write the outputs with only
//! the accepted changes, by replaying the subset of each document's edit log.

use super::review::{load_docs, write_outputs, InputArgs, Undecided};
use crate::review::Decisions;
use clap::Args;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The decisions file (JSON Lines) written by `review` or by the HTML report.
    #[arg(long, required = true)]
    decisions: PathBuf,
    /// Output folder (mirrors the input layout).
    #[arg(short, long)]
    output: PathBuf,
    /// What to do with changes that have no decision.
    #[arg(long, value_enum, default_value = "reject")]
    undecided: Undecided,
    /// No summary.
    #[arg(short, long)]
    quiet: bool,
}

pub(crate) fn run(args: ApplyArgs) -> u8 {
    if !args.decisions.exists() {
        eprintln!("error: {}: no such decisions file", args.decisions.display());
        return 2;
    }
    let decisions = match Decisions::load(&args.decisions) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
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
    let tally = match write_outputs(&loaded.docs, &decisions, args.undecided, &args.output) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    if !args.quiet {
        // Decisions naming an input document whose hash or edits no longer match.
        let current: HashSet<(&str, &str)> = loaded.docs.iter().map(|d| (d.doc.as_str(), d.hash.as_str())).collect();
        let names: HashSet<&str> = loaded.docs.iter().map(|d| d.doc.as_str()).collect();
        let stale_hash = decisions
            .iter()
            .filter(|(k, _)| names.contains(k.doc.as_str()) && !current.contains(&(k.doc.as_str(), k.hash.as_str())))
            .count();
        eprintln!(
            "{} documents written to {}: {} changes accepted, {} rejected, {} undecided ({})",
            loaded.docs.len(),
            args.output.display(),
            tally.accepted,
            tally.rejected,
            tally.undecided,
            if args.undecided == Undecided::Accept { "applied" } else { "left out" }
        );
        let unmatched = decisions.len().saturating_sub(tally.accepted + tally.rejected);
        if unmatched > 0 {
            eprintln!(
                "note: {unmatched} decisions match no current change ({stale_hash} for documents whose input changed)"
            );
        }
    }
    if loaded.failed.is_empty() {
        0
    } else {
        2
    }
}

//! `ocrclean diff INPUT...`: print each changed document's character-level diff,
//! rendered from the edit log, with the same rule options as `clean`. Writes no
//! files. Exit 0, or 2 when a document failed.

use super::clean::SourceArgs;
use super::driver::{self, Event};
use super::RuleArgs;
use crate::pipeline::Pipeline;
use crate::report::diff::{render, DiffStyle};
use crate::report::summary::Summary;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};

/// When to colour.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColorArg {
    /// When stdout is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// Colour deletions red and insertions green.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Characters of context around each hunk.
    #[arg(long, default_value_t = 10, value_name = "CHARS")]
    context: usize,
    #[command(flatten)]
    rules: RuleArgs,
}

pub(crate) fn run(args: DiffArgs) -> u8 {
    let (set, rules, options) = match args.rules.load() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let collected = match args.src.collect() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = DiffStyle { color, context: args.context };
    let mut summary = Summary::default();
    for (loc, e) in &collected.errors {
        eprintln!("error: {loc}: {e}");
        summary.fail(loc, e);
    }
    let pipeline = Pipeline::new(rules, options);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut broken = false;
    let work =
        |_: &crate::io::inputs::Source, doc: &driver::Doc| Ok(render(&doc.name, &doc.input, &doc.cleaned, style));
    let on = |ev: Event<'_, String>| {
        if let Event::Done(d) = ev {
            if !broken && !d.is_empty() {
                if let Err(e) = out.write_all(d.as_bytes()) {
                    broken = true; // e.g. a closed pipe (`| head`): stop printing, not an error
                    let _ = e;
                }
            }
        }
        Ok(())
    };
    driver::run(&collected.sources, &pipeline, &args.src.settings(), &mut summary, work, on);
    let _ = out.flush();
    if !args.src.quiet {
        eprintln!("{} documents, {} changed, {} failed", summary.documents, summary.changed, summary.failed.len());
    }
    let _ = set;
    if summary.failed.is_empty() {
        0
    } else {
        2
    }
}

//! The command line: `ocrclean clean`, `ocrclean rules …`. Exit codes: 0 success,
//! 1 changes found under `--check`, 2 usage/rule errors or a failed document.

/// `println!` for command output: a closed pipe (`ocrclean rules explain L000 |
/// head`) ends the program quietly, as ripgrep does, instead of a panic.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}

mod apply;
mod clean;
mod diff;
mod driver;
mod eval;
mod progress;
mod report_html;
mod review;
mod rules_cmd;

use crate::pipeline::Options;
use crate::rules::registry::RuleSet;
use crate::rules::{FlagAction, FlagKind};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Clean OCR output of Chinese text, with an edit log for every change.
#[derive(Parser, Debug)]
#[command(name = "ocrclean", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Clean documents and write the results to an output folder or stdout.
    Clean(clean::CleanArgs),
    /// Print each changed document's character-level diff (from the edit log); writes nothing.
    Diff(diff::DiffArgs),
    /// Score cleaned pages (or existing outputs) against hand-corrected gold pages.
    Eval(eval::EvalArgs),
    /// List, explain and test rules.
    #[command(subcommand)]
    Rules(rules_cmd::RulesCommand),
    /// Review every change in the terminal (accept/reject), then write the outputs.
    Review(review::ReviewArgs),
    /// Write outputs with only the accepted changes of a decisions file.
    Apply(apply::ApplyArgs),
    /// Write a self-contained HTML report with diffs, toggles and a decisions export.
    Report(report_html::ReportArgs),
}

/// Options shared by every command that runs rules.
#[derive(Args, Debug, Clone, Default)]
pub struct RuleArgs {
    /// Extra rule files or folders (a rule with an existing id replaces it).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Run only these rules (ids, id prefixes, names or phases; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Run these rules in addition (e.g. opt-in conversions such as `t2s`).
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Apply unsafe fixes and repair proposals.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// What to do with flagged spans: `ACTION` for all kinds or `KIND=ACTION,…`
    /// (actions: flag, remove, tag; kinds: caption, byline, furniture, headline, headline_fragment, noise).
    #[arg(long, value_name = "SPEC")]
    pub flagged: Option<String>,
}

impl RuleArgs {
    /// Loads the rule set and the options, or a message for exit code 2.
    pub fn load(&self) -> Result<(RuleSet, Vec<std::sync::Arc<crate::rules::Rule>>, Options), String> {
        let join = |errs: Vec<crate::rules::file::RuleFileError>| {
            errs.iter().map(|e| format!("error: {e}")).collect::<Vec<_>>().join("\n")
        };
        let mut set = RuleSet::builtin().map_err(join)?;
        for p in &self.rules {
            if !p.exists() {
                return Err(format!("error: {}: no such rule file or folder", p.display()));
            }
            set.load_path(p).map_err(join)?;
        }
        let rules = set.selected(&self.select, &self.extend_select, &self.ignore).map_err(|e| format!("error: {e}"))?;
        let options = Options {
            unsafe_fixes: self.unsafe_fixes,
            ..parse_flagged(self.flagged.as_deref()).map_err(|e| format!("error: --flagged: {e}"))?
        };
        Ok((set, rules, options))
    }
}

/// Parses `--flagged remove` or `--flagged caption=remove,byline=flag`.
pub fn parse_flagged(spec: Option<&str>) -> Result<Options, String> {
    let mut o = Options::default();
    let Some(spec) = spec else { return Ok(o) };
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            None => {
                o.flagged_all = Some(FlagAction::from_name(part).ok_or_else(|| format!("unknown action {part:?}"))?);
            }
            Some((k, a)) => {
                let kind = FlagKind::from_name(k).ok_or_else(|| format!("unknown kind {k:?}"))?;
                let action = FlagAction::from_name(a).ok_or_else(|| format!("unknown action {a:?}"))?;
                o.flagged_kind.insert(kind, action);
            }
        }
    }
    Ok(o)
}

/// Runs the CLI.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Rules(cmd) => rules_cmd::run(cmd),
        Command::Review(args) => review::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Report(args) => report_html::run(args),
    };
    ExitCode::from(code)
}

/// Writes one line of command output to stdout (see `outln!`).
pub(crate) fn write_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|_| out.write_all(b"\n")) {
        exit_on_closed_pipe(&e);
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(2);
    }
}

/// Ends the program quietly when stdout's reader has gone (`| head`): nothing
/// more can be delivered, and that is no error of the run.
pub(crate) fn exit_on_closed_pipe(e: &std::io::Error) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
}

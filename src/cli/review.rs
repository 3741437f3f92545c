//! `ocrclean review INPUT... -o OUT`: walk every change in the terminal, accept or
//! reject it, and write the outputs with the accepted changes.
//!
//! Decisions are appended to the decisions file as they are made (see
//! [`crate::review`]), so quitting and running the same command again resumes
//! where the review stopped. On a terminal, keys are read one at a time (the
//! terminal is put in non-canonical mode with `stty` and restored on exit);
//! otherwise each character of each line of standard input is a key, so scripts
//! and tests can drive a review.

use super::clean::{collect, write_atomic};
use super::RuleArgs;
use crate::decode::decode;
use crate::edit::{replay, Edit};
use crate::pipeline::{Cleaned, Pipeline};
use crate::review::{hash_input, select, DecisionLine, DecisionWriter, Decisions, Tally, Verdict};
use crate::rules::registry::RuleSet;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Inputs and rules: what `review`, `apply` and `report` read.
#[derive(Args, Debug)]
pub(crate) struct InputArgs {
    /// Files or folders (folders are searched recursively for `*.txt`).
    #[arg(required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// File-name pattern for folder inputs.
    #[arg(long, default_value = "*.txt")]
    pub(crate) glob: String,
    /// Replace undecodable bytes with U+FFFD instead of failing the document.
    #[arg(long)]
    pub(crate) lossy: bool,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// What happens to changes nobody decided on.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Undecided {
    /// Undecided changes are applied.
    Accept,
    /// Undecided changes are left out.
    Reject,
}

/// One decoded, cleaned document.
pub(crate) struct Doc {
    /// Path relative to the input root, `/`-separated: the decisions' `doc`.
    pub(crate) doc: String,
    pub(crate) rel: PathBuf,
    pub(crate) hash: String,
    pub(crate) text: String,
    pub(crate) newline: crate::decode::Newline,
    pub(crate) cleaned: Cleaned,
}

/// Loaded documents, the rule set that cleaned them, and failed documents.
pub(crate) struct Loaded {
    pub(crate) docs: Vec<Doc>,
    pub(crate) set: RuleSet,
    pub(crate) failed: Vec<(String, String)>,
}

/// Collects, decodes and cleans the inputs (in parallel), or a message for exit code 2.
pub(crate) fn load_docs(args: &InputArgs) -> Result<Loaded, String> {
    let (set, rules, options) = args.rules.load()?;
    let files = collect(&args.inputs, &args.glob).map_err(|e| format!("error: {e}"))?;
    let pipeline = Pipeline::new(rules, options);
    let results: Vec<Result<Doc, (String, String)>> = files
        .par_iter()
        .map(|f| {
            let doc = f.rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&f.path).map_err(|e| (doc.clone(), format!("cannot read: {e}")))?;
            let decoded = decode(&bytes, args.lossy).map_err(|e| (doc.clone(), e.to_string()))?;
            let cleaned = pipeline.clean(&decoded.text);
            Ok(Doc {
                hash: hash_input(&bytes),
                doc,
                rel: f.rel.clone(),
                text: decoded.text,
                newline: decoded.newline,
                cleaned,
            })
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(f) => failed.push(f),
        }
    }
    Ok(Loaded { docs, set, failed })
}

/// Writes every document to `out` with only the edits that apply; returns the tally.
pub(crate) fn write_outputs(
    docs: &[Doc],
    decisions: &Decisions,
    undecided: Undecided,
    out: &Path,
) -> Result<Tally, String> {
    let results: Vec<Result<Tally, String>> = docs
        .par_iter()
        .map(|d| {
            let (kept, tally) = select(&d.doc, &d.hash, d.cleaned.edits(), decisions, undecided == Undecided::Accept);
            let text = replay(&d.text, &kept);
            let text = d.newline.restore(&text);
            write_atomic(&out.join(&d.rel), text.as_bytes())
                .map_err(|e| format!("error: {}: cannot write output: {e}", d.doc))?;
            Ok(tally)
        })
        .collect();
    let mut total = Tally::default();
    for r in results {
        total.add(r?);
    }
    Ok(total)
}

#[derive(Args, Debug)]
pub(crate) struct ReviewArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output folder (mirrors the input layout), written when the review ends.
    #[arg(short, long)]
    output: PathBuf,
    /// The decisions file (JSON Lines), appended as decisions are made.
    #[arg(long, default_value = "ocrclean-decisions.jsonl")]
    decisions: PathBuf,
    /// What the outputs do with changes left undecided.
    #[arg(long, value_enum, default_value = "reject")]
    undecided: Undecided,
    /// Characters of context shown on each side of a change.
    #[arg(long, default_value_t = 24)]
    context: usize,
}

/// Where keys come from.
enum Keys {
    /// A terminal in non-canonical mode; the saved `stty` settings are restored on drop.
    Tty { saved: String },
    /// Lines of standard input; each non-blank character is a key.
    Lines { pending: std::collections::VecDeque<char>, done: bool },
}

impl Keys {
    fn open() -> Keys {
        if std::io::stdin().is_terminal() {
            let saved = std::process::Command::new("stty").arg("-g").stdin(std::process::Stdio::inherit()).output();
            if let Some(o) = saved.ok().filter(|o| o.status.success()) {
                let saved = String::from_utf8_lossy(&o.stdout).trim().to_string();
                let ok = std::process::Command::new("stty")
                    .args(["-icanon", "-echo", "-isig", "min", "1", "time", "0"])
                    .status()
                    .is_ok_and(|s| s.success());
                if ok {
                    return Keys::Tty { saved };
                }
            }
        }
        Keys::Lines { pending: Default::default(), done: false }
    }

    fn is_tty(&self) -> bool {
        matches!(self, Keys::Tty { .. })
    }

    /// The next key, or `None` at end of input.
    fn next(&mut self) -> Option<char> {
        match self {
            Keys::Tty { .. } => {
                let mut b = [0u8; 1];
                loop {
                    match std::io::stdin().read(&mut b) {
                        Ok(0) | Err(_) => return None,
                        Ok(_) => match b[0] {
                            3 | 4 => return Some('q'), // Ctrl-C, Ctrl-D
                            0x1b => continue,          // escape sequences: ignore the ESC
                            c if c.is_ascii_graphic() => return Some(c as char),
                            _ => continue,
                        },
                    }
                }
            }
            Keys::Lines { pending, done } => loop {
                if let Some(c) = pending.pop_front() {
                    return Some(c);
                }
                if *done {
                    return None;
                }
                let mut line = String::new();
                match std::io::stdin().read_line(&mut line) {
                    Ok(0) | Err(_) => *done = true,
                    Ok(_) => pending.extend(line.chars().filter(|c| !c.is_whitespace())),
                }
            },
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if let Keys::Tty { saved } = self {
            let _ = std::process::Command::new("stty").arg(&*saved).status();
        }
    }
}

/// Makes whitespace in a changed span visible.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' => '↵',
            ' ' => '␣',
            '\u{3000}' => '□',
            '\t' => '→',
            c => c,
        })
        .collect()
}

fn one_line(s: &str) -> String {
    s.replace('\n', "↵")
}

/// `n` characters before byte `at` and after byte `to`.
fn context(text: &str, at: usize, to: usize, n: usize) -> (String, String) {
    let left_start = text[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    let right_end = text[to..].char_indices().nth(n).map_or(text.len(), |(i, _)| to + i);
    let left = if n == 0 { "" } else { &text[left_start..at] };
    (one_line(left), one_line(&text[to..right_end]))
}

const HELP: &str = "  a  accept this change          r  reject this change
  A  accept all undecided changes of this rule (every document)
  R  reject all undecided changes of this rule (every document)
  s  skip (decide later)          u  undo the last action
  q  quit (decisions so far are kept; outputs are written)
  ?  this help";

/// An action that `u` undoes: the queue position before it and the decisions it replaced.
struct Action {
    cursor: usize,
    changed: Vec<(usize, Option<Verdict>)>,
}

struct Item {
    doc: usize,
    edit: usize,
}

fn edit_at<'a>(docs: &'a [Doc], it: &Item) -> &'a Edit {
    &docs[it.doc].cleaned.edits()[it.edit]
}

pub(crate) fn run(args: ReviewArgs) -> u8 {
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
    let mut decisions = match Decisions::load(&args.decisions) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut writer = match DecisionWriter::append(&args.decisions) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {}: {e}", args.decisions.display());
            return 2;
        }
    };
    let docs = &loaded.docs;
    let edit_of = |it: &Item| edit_at(docs, it);
    let mut items = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for ei in 0..d.cleaned.edits().len() {
            items.push(Item { doc: di, edit: ei });
        }
    }
    let state_of = |decisions: &Decisions, it: &Item| {
        let d = &docs[it.doc];
        decisions.get(&d.doc, &d.hash, edit_of(it))
    };
    // The queue: changes not decided before this run.
    let queue: Vec<usize> = (0..items.len()).filter(|&i| state_of(&decisions, &items[i]).is_none()).collect();
    let already = items.len() - queue.len();
    let mut keys = Keys::open();
    let tty = keys.is_tty();
    let (red, green, dim, bold, reset) = if tty {
        ("\x1b[1;37;41m", "\x1b[1;30;42m", "\x1b[2m", "\x1b[1m", "\x1b[0m")
    } else {
        ("[-", "{+", "", "", "")
    };
    let (red_end, green_end) = if tty { (reset, reset) } else { ("-]", "+}") };
    let nl = if tty { "\r\n" } else { "\n" };
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "{} changes in {} documents; {} decided before, {} to review (? for help){nl}",
        items.len(),
        docs.iter().filter(|d| !d.cleaned.edits().is_empty()).count(),
        already,
        queue.len()
    );
    let mut record = |decisions: &mut Decisions, item: usize, v: Option<Verdict>| -> Result<(), String> {
        let it = &items[item];
        let d = &docs[it.doc];
        let line = DecisionLine::new(&d.doc, &d.hash, edit_of(it), v.unwrap_or(Verdict::Undecided));
        decisions.record(&line);
        writer.write(&line).map_err(|e| format!("error: {}: {e}", args.decisions.display()))
    };
    let mut undo: Vec<Action> = Vec::new();
    let mut cursor = 0usize;
    let mut shown: Option<usize> = None;
    let mut failed_write = None;
    'review: loop {
        // Skip changes decided meanwhile (by A/R).
        while cursor < queue.len() && state_of(&decisions, &items[queue[cursor]]).is_some() {
            cursor += 1;
        }
        if cursor >= queue.len() {
            let _ = write!(out, "{nl}End of the queue. u undoes, any other key finishes.{nl}");
            let _ = out.flush();
            match keys.next() {
                Some('u') => {}
                _ => break,
            }
        } else if shown != Some(cursor) {
            let it = &items[queue[cursor]];
            let d = &docs[it.doc];
            let e = edit_of(it);
            let name = loaded.set.get(&e.rule).map(|r| r.meta.name.clone()).unwrap_or_default();
            let left_q = queue[cursor..].iter().filter(|&&i| state_of(&decisions, &items[i]).is_none()).count();
            let _ = write!(
                out,
                "{nl}{bold}── {}  change {}/{}  ({} left) ──{reset}{nl}",
                d.doc,
                it.edit + 1,
                d.cleaned.edits().len(),
                left_q
            );
            let merged =
                if e.merged.is_empty() { String::new() } else { format!(" (merged: {})", e.merged.join(", ")) };
            let _ = write!(out, "rule {bold}{}{reset} {}{merged}{nl}", e.rule, name);
            let touches = |f: &&crate::pipeline::Flag| {
                f.spans().iter().any(|&(s, end)| s < e.end.max(e.start + 1) && e.start < end)
            };
            for f in d.cleaned.flags.iter().filter(touches) {
                let _ = write!(out, "flag {} by {} ({:?}): {}{nl}", f.kind.name(), f.rule, f.action, one_line(&f.text));
            }
            let (l, r) = context(&d.text, e.start, e.end, args.context);
            let _ = write!(
                out,
                "  {dim}…{l}{reset}{red}{}{red_end}{green}{}{green_end}{dim}{r}…{reset}{nl}",
                visible(&e.before),
                visible(&e.after)
            );
            let _ = write!(out, "[a]ccept [r]eject [A]ll {0} [R]eject all {0} [s]kip [u]ndo [q]uit [?]> ", e.rule);
            let _ = out.flush();
            shown = Some(cursor);
        }
        let Some(key) = (if cursor >= queue.len() { Some('u') } else { keys.next() }) else { break };
        let mut action = Action { cursor, changed: Vec::new() };
        match key {
            'a' | 'r' => {
                let v = if key == 'a' { Verdict::Accept } else { Verdict::Reject };
                action.changed.push((queue[cursor], None));
                if let Err(e) = record(&mut decisions, queue[cursor], Some(v)) {
                    failed_write = Some(e);
                    break 'review;
                }
                let _ = write!(out, "{}{nl}", if key == 'a' { "accepted" } else { "rejected" });
                cursor += 1;
            }
            'A' | 'R' => {
                let v = if key == 'A' { Verdict::Accept } else { Verdict::Reject };
                let rule = edit_of(&items[queue[cursor]]).rule.clone();
                for &i in &queue {
                    if edit_of(&items[i]).rule == rule && state_of(&decisions, &items[i]).is_none() {
                        action.changed.push((i, None));
                        if let Err(e) = record(&mut decisions, i, Some(v)) {
                            failed_write = Some(e);
                            break 'review;
                        }
                    }
                }
                let what = if key == 'A' { "accepted" } else { "rejected" };
                let _ = write!(out, "{what} {} changes of {rule}{nl}", action.changed.len());
                cursor += 1;
            }
            's' => {
                let _ = write!(out, "skipped{nl}");
                cursor += 1;
            }
            'u' => {
                match undo.pop() {
                    Some(a) => {
                        for (i, prev) in a.changed.iter().rev() {
                            if let Err(e) = record(&mut decisions, *i, *prev) {
                                failed_write = Some(e);
                                break 'review;
                            }
                        }
                        cursor = a.cursor;
                        let _ = write!(out, "undone{nl}");
                    }
                    None => {
                        let _ = write!(out, "nothing to undo{nl}");
                        if cursor >= queue.len() {
                            break;
                        }
                    }
                }
                shown = None;
                continue;
            }
            'q' => break,
            '?' | 'h' => {
                let _ = write!(out, "{nl}{}{nl}", HELP.replace('\n', nl));
                shown = None;
                continue;
            }
            _ => continue,
        }
        undo.push(action);
    }
    drop(keys);
    let _ = writeln!(out);
    drop(out);
    if let Some(e) = failed_write {
        eprintln!("{e}");
        return 2;
    }
    match write_outputs(docs, &decisions, args.undecided, &args.output) {
        Ok(t) => {
            eprintln!(
                "{} accepted, {} rejected, {} undecided ({}); {} documents written to {}; decisions in {}",
                t.accepted,
                t.rejected,
                t.undecided,
                if args.undecided == Undecided::Accept { "applied" } else { "left out" },
                docs.len(),
                args.output.display(),
                args.decisions.display()
            );
            if loaded.failed.is_empty() {
                0
            } else {
                2
            }
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_cut_on_characters_and_shows_line_breaks() {
        let t = "一二三\n四五六七八";
        let (l, r) = context(t, 9, 10, 2);
        assert_eq!((l.as_str(), r.as_str()), ("二三", "四五"));
        let (l, r) = context(t, 0, 3, 5);
        assert_eq!((l.as_str(), r.as_str()), ("", "二三↵四五"));
        assert_eq!(visible(" \n\u{3000}"), "␣↵□");
    }
}

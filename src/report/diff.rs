//! Character-level diffs rendered from the edit log (never by re-diffing): each
//! hunk is a run of nearby edits with a little context, labelled with the ids of
//! the rules that made them; flags, proposals and conflicts are listed after.
//!
//! Without colour a deletion reads `[-old-]` and an insertion `{+new+}` (wdiff's
//! notation); with colour the same markers are red and green. Line breaks show
//! as `↵`, tabs as `⇥`, invisible characters as `<U+200B>`, so one hunk is one line.

use crate::pipeline::Cleaned;
use compact_str::CompactString;
use std::fmt::Write;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct DiffStyle {
    /// ANSI colours.
    pub color: bool,
    /// Characters of context on each side of a hunk.
    pub context: usize,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// A hunk stops growing once it spans this many input bytes (about 60 Han
/// characters), so a paragraph with an edit every few characters still reads as
/// several short lines rather than one very long one.
const MAX_HUNK_BYTES: usize = 180;

/// Longest flagged text shown in full; longer spans are cut in the middle.
const MAX_SHOWN_CHARS: usize = 60;

/// Line numbers from byte offsets.
struct Lines {
    breaks: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        Lines { breaks: memchr::memchr_iter(b'\n', text.as_bytes()).collect() }
    }

    /// 1-based line and column (in characters) of `pos`.
    fn at(&self, text: &str, pos: usize) -> (usize, usize) {
        let line = self.breaks.partition_point(|&b| b < pos);
        let start = if line == 0 { 0 } else { self.breaks[line - 1] + 1 };
        (line + 1, text[start..pos].chars().count() + 1)
    }
}

/// Appends `s` with line breaks, tabs and invisible characters made visible.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\n' => out.push('↵'),
            '\t' => out.push('⇥'),
            '\r' => out.push_str("<CR>"),
            c if c.is_control() || is_invisible(c) => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn shown(s: &str) -> String {
    let n = s.chars().count();
    let mut out = String::new();
    if n <= MAX_SHOWN_CHARS {
        escape(&mut out, s);
    } else {
        let head: String = s.chars().take(MAX_SHOWN_CHARS / 2).collect();
        let tail: String = s.chars().skip(n - MAX_SHOWN_CHARS / 2).collect();
        escape(&mut out, &head);
        let _ = write!(out, "…({} chars)…", n - MAX_SHOWN_CHARS);
        escape(&mut out, &tail);
    }
    out
}

/// The start of the `n` characters before `pos`.
fn back(text: &str, pos: usize, n: usize) -> usize {
    text[..pos].char_indices().rev().take(n).last().map_or(pos, |(i, _)| i)
}

/// The end of the `n` characters after `pos`.
fn forward(text: &str, pos: usize, n: usize) -> usize {
    text[pos..].char_indices().nth(n).map_or(text.len(), |(i, _)| pos + i)
}

/// Whether the text between two edits is short enough to keep them in one hunk.
fn close(gap: &str, context: usize) -> bool {
    gap.len() <= 2 * context || (gap.len() <= 8 * context && gap.chars().count() <= 2 * context)
}

/// Appends `s` between `open` and `close`, in `colour` on a terminal; nothing when empty.
fn marked(out: &mut String, s: &str, style: DiffStyle, colour: &str, (open, close): (&str, &str)) {
    if s.is_empty() {
        return;
    }
    if style.color {
        out.push_str(colour);
    }
    out.push_str(open);
    escape(out, s);
    out.push_str(close);
    if style.color {
        out.push_str(RESET);
    }
}

fn del(out: &mut String, s: &str, style: DiffStyle) {
    marked(out, s, style, RED, ("[-", "-]"));
}

fn ins(out: &mut String, s: &str, style: DiffStyle) {
    marked(out, s, style, GREEN, ("{+", "+}"));
}

/// Whether a document has anything to show.
pub fn has_changes(c: &Cleaned) -> bool {
    !(c.edits().is_empty() && c.flags.is_empty() && c.proposals.is_empty() && c.conflicts.is_empty())
}

/// The diff of one document (`input` is the decoded input the edits refer to);
/// empty when nothing changed, was flagged or was proposed.
pub fn render(doc: &str, input: &str, c: &Cleaned, style: DiffStyle) -> String {
    let mut out = String::new();
    if !has_changes(c) {
        return out;
    }
    let edits = c.edits();
    let (b, r) = if style.color { (BOLD, RESET) } else { ("", "") };
    let _ = writeln!(
        out,
        "{b}=== {doc}{r}  ({} edits, {} flags, {} proposals{})",
        edits.len(),
        c.flags.len(),
        c.proposals.len(),
        if c.conflicts.is_empty() { String::new() } else { format!(", {} conflicts", c.conflicts.len()) }
    );
    let lines = Lines::new(input);
    let mut i = 0;
    while i < edits.len() {
        let mut j = i + 1;
        while j < edits.len()
            && edits[j].end - edits[i].start <= MAX_HUNK_BYTES
            && close(&input[edits[j - 1].end..edits[j].start], style.context)
        {
            j += 1;
        }
        let hunk = &edits[i..j];
        let mut rules: Vec<&str> = Vec::new();
        for e in hunk {
            rules.push(&e.rule);
            rules.extend(e.merged.iter().map(CompactString::as_str));
        }
        rules.sort_unstable();
        rules.dedup();
        let (line, col) = lines.at(input, hunk[0].start);
        let (h, r) = if style.color { (CYAN, RESET) } else { ("", "") };
        let _ = write!(out, "{h}@@ {line}:{col} {}{r} ", rules.join(","));
        let from = back(input, hunk[0].start, style.context);
        escape(&mut out, &input[from..hunk[0].start]);
        for (k, e) in hunk.iter().enumerate() {
            if k > 0 {
                escape(&mut out, &input[hunk[k - 1].end..e.start]);
            }
            del(&mut out, &e.before, style);
            ins(&mut out, &e.after, style);
        }
        let last = hunk[hunk.len() - 1].end;
        escape(&mut out, &input[last..forward(input, last, style.context)]);
        out.push('\n');
        i = j;
    }
    let (y, r) = if style.color { (YELLOW, RESET) } else { ("", "") };
    for f in &c.flags {
        let (line, col) = lines.at(input, f.start);
        let _ = write!(
            out,
            "{y}flag {} {} {line}:{col} [{}]{r} {}",
            f.rule,
            f.kind.name(),
            f.action.name(),
            shown(&f.text)
        );
        if let Some(p) = &f.proposal {
            let _ = write!(out, " → proposal {}", shown(p));
        }
        out.push('\n');
    }
    for p in &c.proposals {
        let (line, col) = lines.at(input, p.start);
        let _ = write!(out, "{y}proposal {} {line}:{col}{r} ", p.rule);
        del(&mut out, &p.before, style);
        ins(&mut out, &p.after, style);
        out.push('\n');
    }
    for k in &c.conflicts {
        let (line, col) = lines.at(input, k.start.min(input.len()));
        let _ = writeln!(out, "{y}conflict {} {line}:{col}{r} {} ({})", k.rule, shown(&k.after), k.reason);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, EditLog};

    fn edit(rule: &str, input: &str, start: usize, end: usize, after: &str) -> Edit {
        Edit { rule: rule.into(), start, end, before: input[start..end].into(), after: after.into(), merged: vec![] }
    }

    #[test]
    fn hunks_group_nearby_edits_and_label_rules() {
        let input = "第一行 有空格,还有逗号\n很长很长很长很长很长很长很长很长很长很长的一行\n末尾\u{200B}字";
        let p = input.find(',').unwrap();
        let s = input.find(' ').unwrap();
        let z = input.find('\u{200B}').unwrap();
        let log = EditLog::from_edits(vec![
            edit("S001", input, s, s + 1, ""),
            edit("P001", input, p, p + 1, "，"),
            edit("N002", input, z, z + 3, ""),
        ]);
        let c = Cleaned { output: log.replay(input), log, ..Default::default() };
        let d = render("a.txt", input, &c, DiffStyle { color: false, context: 4 });
        let expected = "=== a.txt  (3 edits, 0 flags, 0 proposals)\n\
             @@ 1:4 P001,S001 第一行[- -]有空格[-,-]{+，+}还有逗号\n\
             @@ 3:3 N002 行↵末尾[-<U+200B>-]字\n";
        assert_eq!(d, expected);
        let coloured = render("a.txt", input, &c, DiffStyle { color: true, context: 4 });
        assert!(coloured.contains("\x1b[31m[- -]\x1b[0m"));
        assert!(render("b", "x", &Cleaned::default(), DiffStyle { color: false, context: 4 }).is_empty());
    }
}

//! ## What it does
//! Splits text columns that the engine printed side by side on the same lines
//! (`pdftotext -layout` keeps the page's columns at fixed character positions):
//! `通过APT，软件包可以从系统中添加       在软件包中的文件发生移除或更改时，` /
//! `件包、apt remove软件包。在以上两种       些文件最简单的方法是重新安装受` / … becomes
//! the left column's rows, then the right column's rows after them.
//!
//! ## Why is this bad?
//! Every line holds a row of each column: read as it stands, every sentence of
//! the page is cut apart and spliced with another article's, and no later rule
//! (paragraph joins, wrap spaces) can repair it.
//!
//! ## Evidence
//! A gutter: at one character position, every line of a run of lines without
//! blank lines has a space in the two positions before it (or ends before it),
//! and at least `min-rows` of them have text on both sides, at least
//! `min-column` characters on each (a table's short cells are no columns). The column's right edge is where the right
//! column's text starts (its paragraph indents lie further right). A line whose
//! text crosses the position ends the run (a headline across both columns). A
//! gutter further right in the same run splits off a third column, and so on.
//!
//! ## Example
//! `A1   B1` / `A2   B2` / `A3   B3` → `A1` / `A2` / `A3` / `B1` / `B2` / `B3`.
//!
//! ## Fix safety
//! Safe: the run is replaced by the same text in column order (one edit per
//! run, with both texts in the edit log); only the blanks of the gutters and
//! of the rows' indents go.
//!
//! ## Known problems
//! Engines that set proportional text (tesseract) align columns by pixels, not
//! characters: their gutters do not line up and are left alone. A table with
//! three or more rows of long cells reads as columns.

use super::params::Params;
use crate::rules::{Context, Mechanism, Output};

/// The side-by-side column splitter.
pub struct SideColumns {
    min_rows: usize,
    min_column: usize,
}

impl SideColumns {
    /// Reads `min-rows` (lines with text on both sides of a gutter, default 3)
    /// and `min-column` (characters other than blanks on each side, default 8).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(SideColumns { min_rows: p.usize("min-rows", 3)?.max(2), min_column: p.usize("min-column", 8)?.max(2) })
    }
}

/// Runs longer than this many lines are looked at in pieces: a page holds
/// fewer, and the search per run stays bounded on a text without blank lines.
const MAX_RUN: usize = 400;

/// The longest line taken for a row of columns: a page's width with its
/// gutters, in bytes (the search per row is quadratic in its length).
const MAX_ROW_BYTES: usize = 1024;

/// The rows at the start of a region whose gutter edges are tried, and the
/// most edges tried: a page has a few columns.
const CANDIDATE_ROWS: usize = 8;
const MAX_CANDIDATES: usize = 32;

/// The most columns side by side: a broadsheet page has about eight.
const MAX_COLUMNS: usize = 8;

/// A line of a run: its byte offsets and the byte offset of each character.
struct Row<'a> {
    start: usize,
    text: &'a str,
    /// Byte offset (in `text`) of each character, and `text.len()` at the end.
    at: Vec<usize>,
}

impl Row<'_> {
    fn chars(&self) -> usize {
        self.at.len() - 1
    }

    fn is_blank_at(&self, i: usize) -> bool {
        i >= self.chars() || self.text.as_bytes()[self.at[i]] == b' '
    }

    /// Whether position `p` lies in a gutter of this line: blank at `p - 2` and `p - 1`.
    fn open_at(&self, p: usize) -> bool {
        p >= 2 && self.is_blank_at(p - 1) && self.is_blank_at(p - 2)
    }

    /// The text of columns `from..to` (character positions), without trailing blanks.
    fn part(&self, from: usize, to: usize) -> &str {
        let (a, b) = (self.at[from.min(self.chars())], self.at[to.min(self.chars())]);
        self.text[a..b].trim_end_matches(' ')
    }
}

impl Mechanism for SideColumns {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        // Gutters are runs of spaces: text without a double space has none.
        if memchr::memmem::find(text.as_bytes(), b"  ").is_none() {
            return;
        }
        let mut run: Vec<(usize, &str)> = Vec::new();
        let mut pos = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            // A line wider than a page is a paragraph, never a row of columns;
            // a page break starts another page's columns.
            let row = !content.trim().is_empty() && content.len() <= MAX_ROW_BYTES;
            if !row || run.len() >= MAX_RUN || content.contains('\x0c') {
                self.split_run(&run, out);
                run.clear();
            }
            if row {
                run.push((pos, content));
            }
            pos += line.len();
        }
        self.split_run(&run, out);
    }
}

impl SideColumns {
    /// Splits the columns of `lines` (consecutive non-blank lines), if any.
    fn split_run(&self, lines: &[(usize, &str)], out: &mut Output) {
        let with_gap = lines.iter().filter(|(_, l)| l.trim_start().contains("  ")).count();
        if with_gap < self.min_rows {
            return;
        }
        let rows: Vec<Row> = lines
            .iter()
            .map(|&(start, text)| {
                let at = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
                Row { start, text, at }
            })
            .collect();
        let mut i = 0;
        while i < rows.len() {
            match self.region_from(&rows, i) {
                Some((end, cuts)) => {
                    self.emit(&rows[i..end], &cuts, out);
                    i = end;
                }
                None => i += 1,
            }
        }
    }

    /// The longest region of `rows` starting at `first` that a gutter runs
    /// through, with its column edges (character positions, ascending).
    fn region_from(&self, rows: &[Row], first: usize) -> Option<(usize, Vec<usize>)> {
        let mut best: Option<(usize, usize)> = None; // (end, edge)
                                                     // The region starts with a row of both columns: a line above them that
                                                     // the gutter happens to pass (a masthead's spaced fields) stays as it is.
        for p in self.candidates(&rows[first..], 0).into_iter().filter(|&p| self.two_sided(&rows[first], 0, p)) {
            let end = first + rows[first..].iter().take_while(|r| r.open_at(p)).count();
            if self.enough_rows(&rows[first..end], 0, p) && best.is_none_or(|(e, _)| end > e) {
                best = Some((end, p));
            }
        }
        let (end, edge) = best?;
        let region = &rows[first..end];
        // Gutters further right through the whole region split off more columns.
        let mut cuts = vec![edge];
        while let Some(p) = {
            let last = *cuts.last().expect("one cut");
            self.candidates(region, last)
                .into_iter()
                .find(|&p| region.iter().all(|r| r.open_at(p)) && self.enough_rows(region, last, p))
        } {
            cuts.push(p);
            if cuts.len() >= MAX_COLUMNS {
                // More columns than a page has: a table or a pattern, no layout.
                return None;
            }
        }
        Some((end, cuts))
    }

    /// Candidate edges of a column right of `left`, ascending: those of the
    /// first rows (a row's gutter is wider than the edge where it ends when its
    /// right column is indented, a paragraph's first row), at most
    /// `MAX_CANDIDATES` of them.
    fn candidates(&self, rows: &[Row], left: usize) -> Vec<usize> {
        let mut v: Vec<usize> =
            rows.iter().take(CANDIDATE_ROWS).flat_map(|r| self.edges_after(r, left + self.min_column)).collect();
        v.sort_unstable();
        v.dedup();
        v.truncate(MAX_CANDIDATES);
        v
    }

    /// Whether at least `min-rows` rows have text on both sides of the gutter
    /// at `p` (the column starting at `left`).
    fn enough_rows(&self, rows: &[Row], left: usize, p: usize) -> bool {
        rows.iter().filter(|r| self.two_sided(r, left, p)).take(self.min_rows).count() >= self.min_rows
    }

    /// Candidate column edges of a row: where text resumes after two blanks or
    /// more, at least `from` characters in.
    fn edges_after(&self, row: &Row, from: usize) -> Vec<usize> {
        (from.max(2)..row.chars()).filter(|&p| !row.is_blank_at(p) && row.open_at(p)).collect()
    }

    /// Text on both sides of the gutter at `p`: at least `min-column` characters
    /// other than blanks of the column that starts at `left`, and of the rest
    /// of the row (a table's short cells are no columns).
    fn two_sided(&self, row: &Row, left: usize, p: usize) -> bool {
        let filled = |s: &str| s.chars().filter(|&c| c != ' ').count() >= self.min_column;
        row.open_at(p) && filled(row.part(left, p)) && filled(row.part(p, usize::MAX))
    }

    /// Replaces the region by its columns one after the other, each row on its
    /// line (a row with nothing in a column adds no line to it).
    fn emit(&self, region: &[Row], cuts: &[usize], out: &mut Output) {
        let (Some(first), Some(last)) = (region.first(), region.last()) else { return };
        let mut edges = vec![0];
        edges.extend_from_slice(cuts);
        edges.push(usize::MAX);
        let mut columns = String::new();
        for w in edges.windows(2) {
            for r in region {
                // A row's indent in its column (a paragraph's first row) is
                // layout, like the gutter.
                let part = r.part(w[0], w[1]).trim_start_matches(' ');
                if !part.is_empty() {
                    if !columns.is_empty() {
                        columns.push('\n');
                    }
                    columns.push_str(part);
                }
            }
        }
        out.edit(first.start, last.start + last.text.len(), columns);
    }
}

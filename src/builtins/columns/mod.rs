//! ## What it does
//! Restores the reading order of text columns that the engine read across, row
//! by row: pdftotext emits the rows of side-by-side columns in turns (`当所有需要的
//! 更改都应用到源代码后，我` / `所有。然而，在这个用户下构建整个软件包将` / `至
//! dpkg-buildpackage 构建软件包时默认使用` / `们就可以开始生成实际的二进制包了` /
//! …), each row or group of rows a block between blank lines. The blocks of a
//! stretch read in turns by `k` columns are put back in column order: every
//! `k`-th block from the first, then from the second, and so on.
//!
//! ## Why is this bad?
//! Interleaved columns cut every sentence of the page apart; no later rule can
//! repair a sentence whose pieces are in the wrong order.
//!
//! ## Evidence
//! A word that runs across the end of one block and the start of another
//! (`我` / `们`, `命` / `令`: the lexicon's common words, which join unrelated
//! text by chance half as often as all its words) is a sign that the second
//! continues the first. For a stretch of blocks, the words across junctions are counted
//! between each block and the next (`k = 1`, the order as read), the one after
//! next (`k = 2`) and the third after (`k = 3`). A stretch is reordered by `k`
//! when that count is at least `min-evidence`, exceeds every other by `margin`
//! or more, and lies `confidence` standard deviations above what chance gives
//! (unrelated blocks meet in a word at a rate of `chance`: even its common
//! words are many, `成|为`, `题|为`); stretches are found best first, each within a run of
//! blocks of body text (a block holding a headline, byline, caption or
//! furniture, one shorter than `min-block` characters, or a line much narrower
//! than the run's rows that ends no sentence, ends a run; a byline the column's
//! first row goes on from, with body after it or cut at the row's end, starts one). A block that ends a
//! sentence is no evidence either way.
//!
//! ## Example
//! `A1` / `B1` / `A2` / `B2` / `A3` / `B3` (two columns read across) becomes
//! `A1` / `A2` / `A3` / `B1` / `B2` / `B3` when the words run across `A1`–`A2`,
//! `A2`–`A3`, `B1`–`B2`, … and not across `A1`–`B1`.
//!
//! ## Fix safety
//! Safe: the blocks are only moved (the blocks of the first column stay, the
//! others are cut out and set after them; the edit log holds every cut), and
//! only with the evidence above.
//!
//! The same holds for the rows an engine set on one line ([`rows`]: rapidocr
//! joins a block's rows with spaces, `A1 B1 A2 B2`, and sometimes reads a row
//! of each column as one piece, `A3B3`): a stretch of them is put in column
//! order the same way, starting at its line's first row, and the rows of each
//! column are joined.
//!
//! ## Known problems
//! A stretch where a column ends before the others (the turns change from three
//! columns to two) is reordered as two stretches, the second after the first.
//! A piece holding two rows is split at about half its width; where the
//! columns differ in width and no word runs on into the second row, the split
//! can be a few characters off.

use super::lexicon::common_word_across_texts;
use super::params::Params;
use crate::rules::{Context, FlagKind, Mechanism, Output};
use crate::text::{walk, Walked};

/// The column-order restorer.
pub struct Columns {
    max_columns: usize,
    min_evidence: usize,
    margin: usize,
    min_block: usize,
    max_row: usize,
    chance: f64,
    confidence: f64,
    row_confidence: f64,
}

/// Blocks looked at together at most: a page holds fewer; a long document is
/// taken in windows of this many, so that the search stays linear in its length.
const WINDOW: usize = 64;

impl Columns {
    /// Reads `max-columns` (default 4), `min-evidence` (words across junctions
    /// a reordering needs, default 4), `margin` (by how many it must beat every
    /// other order, default 3), `min-block` (characters of a block's first
    /// and last line, default 4), `max-row` (the widest a column's row is
    /// taken to be, in characters, default 40), `chance` (how often unrelated
    /// blocks meet in a word, default 0.06), `confidence` (standard
    /// deviations above chance the evidence must lie, default 2.5) and
    /// `row-confidence` (the same for rows set on lines, default 3.0: pieces
    /// split in two give the search more ways to find a lucky stretch).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Columns {
            max_columns: p.usize("max-columns", 4)?.clamp(1, 6),
            min_evidence: p.usize("min-evidence", 4)?,
            margin: p.usize("margin", 3)?.max(1),
            min_block: p.usize("min-block", 4)?,
            max_row: p.usize("max-row", 40)?,
            chance: p.f64("chance", 0.06)?.clamp(0.0, 1.0),
            confidence: p.f64("confidence", 2.5)?,
            row_confidence: p.f64("row-confidence", 3.0)?,
        })
    }
}

/// What the junctions of a window of blocks show (see [`Columns::evidence`]).
struct Evidence {
    words: Vec<Vec<bool>>,
    open: Vec<bool>,
    /// Standard deviations above chance the words must lie.
    confidence: f64,
}

mod rows;

/// A block of non-blank lines between blank lines (its span, whole lines), or
/// a row of a line of rows ([`rows`]).
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    /// Its last line ends a sentence: a junction after it is no evidence.
    finished: bool,
    /// Characters of its first line, counted up to one more than `max-row`.
    width: usize,
    /// Its lines.
    rows: usize,
    /// A row within a line, not a block.
    row: bool,
    /// A blank line follows it (set for rows only).
    blank_after: bool,
    /// It starts its line (every block does).
    line_start: bool,
    /// The first part of a piece split in two rows ([`rows`]): its junction
    /// with the second is no evidence (the split was put where no word runs
    /// across).
    split: bool,
    /// A row of the typical width (or half of a piece of twice it).
    full: bool,
}

/// Whether `s` ends a sentence (closing quotes and brackets left out): a
/// junction after it is no evidence.
fn ends_sentence(s: &str) -> bool {
    s.trim_end().trim_end_matches(['”', '’', '）', ')']).ends_with(['。', '！', '？', '!', '?', '；', '…'])
}

/// Whether the junction from `from`, `k` units on, can be evidence: not
/// after a finished sentence, nor the one inside a split piece (the split was
/// put where no word runs across).
fn evidential(from: &Block, k: usize) -> bool {
    !(from.finished || k == 1 && from.split)
}

/// The most lines the blocks of a stretch have, typically: a column read
/// across comes out in blocks of a row or two; blocks of many rows are
/// paragraphs read a column at a time.
const MAX_TYPICAL_ROWS: usize = 2;

/// Non-blank characters of `s`, counted up to `cap`.
fn width_upto(s: &str, cap: usize) -> usize {
    walk(s).filter(|w| *w == Walked::CommonHan || matches!(w, Walked::Other(c) if !c.is_whitespace())).take(cap).count()
}

/// Runs of body blocks: blank-line separated blocks whose lines hold no role
/// and whose first and last lines are long enough to be rows of a column; only
/// runs whose blocks start with lines no wider than `max_row` and typically
/// hold one or two lines (rows of a column, not paragraphs).
fn runs_of_blocks(text: &str, ctx: &Context, min_block: usize, max_row: usize) -> Vec<Vec<Block>> {
    let mut runs: Vec<Vec<Block>> = vec![Vec::new()];
    let mut block: Option<(usize, usize, usize)> = None; // start, end, first line's end
    let mut pos = 0;
    let close = |block: &mut Option<(usize, usize, usize)>, runs: &mut Vec<Vec<Block>>| {
        let Some((s, e, first_end)) = block.take() else { return };
        let last_start = text[s..e].rfind('\n').map_or(s, |k| s + k + 1);
        let width = width_upto(&text[s..first_end], max_row + 1);
        // A byline the first row of a column goes on from (`株洲日报讯（记者/武博宇）本书所
        // 涉及的所`), or one cut at the row's end (`…通讯员/`), starts a run: the
        // article's first row, never moved.
        let byline_end = ctx
            .roles_in(s, e)
            .filter(|r| r.start < r.end)
            .try_fold(None, |end: Option<usize>, r| (r.kind == FlagKind::Byline).then(|| end.max(Some(r.end))));
        let opens_column = match byline_end {
            Some(Some(be)) => {
                width_upto(&text[be.min(e)..e], min_block) >= min_block || super::layout::byline_cut(&text[s..e])
            }
            _ => false,
        };
        if opens_column && !runs.last().is_some_and(Vec::is_empty) {
            runs.push(Vec::new());
        }
        let body = (byline_end == Some(None) || opens_column)
            && width >= min_block
            && width_upto(&text[last_start..e], min_block) >= min_block
            && !text[s..e].contains('\x0c');
        if body {
            let finished = ends_sentence(&text[s..e]);
            let rows = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[s..e]).count();
            let block = Block {
                start: s,
                end: e,
                finished,
                width,
                rows,
                row: false,
                blank_after: false,
                line_start: true,
                split: false,
                full: false,
            };
            runs.last_mut().expect("one run at least").push(block);
        } else if !runs.last().is_some_and(Vec::is_empty) {
            runs.push(Vec::new());
        }
    };
    for line in text.split_inclusive('\n') {
        let (s, e) = (pos, pos + line.trim_end_matches('\n').len());
        pos += line.len();
        if text[s..e].trim().is_empty() {
            close(&mut block, &mut runs);
        } else {
            block = Some(block.map_or((s, e, e), |(bs, _, fe)| (bs, e, fe)));
        }
    }
    close(&mut block, &mut runs);
    let mut runs: Vec<Vec<Block>> = runs.into_iter().flat_map(split_at_short_lines).collect();
    runs.retain(|r| r.len() >= 4 && median(r, |b| b.width) <= max_row && median(r, |b| b.rows) <= MAX_TYPICAL_ROWS);
    runs
}

/// The median of `of` over `run`'s blocks (its width or its lines).
fn median(run: &[Block], of: impl Fn(&Block) -> usize) -> usize {
    let mut values: Vec<usize> = run.iter().map(of).collect();
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

/// A run split at its one-line blocks that end no sentence and are much
/// narrower than the run's rows: headlines that no rule has flagged (yet),
/// which must not be moved with a column (`安装，一步一步来` among rows of twenty
/// characters).
fn split_at_short_lines(run: Vec<Block>) -> Vec<Vec<Block>> {
    let median = median(&run, |b| b.width);
    let mut out = vec![Vec::new()];
    for b in run {
        if b.rows == 1 && !b.finished && b.width * 5 < median * 3 {
            out.push(Vec::new());
        } else {
            out.last_mut().expect("one run at least").push(b);
        }
    }
    out
}

impl Columns {
    /// `words[k - 1][i]`: a word runs from block `i` into block `i + k`, and
    /// `open[i]`: block `i` ends no sentence (its junctions count); `None` when
    /// no order but the one as read has `min-evidence` words.
    fn evidence(&self, text: &str, blocks: &[Block]) -> Option<Evidence> {
        let across = |k: usize| -> Vec<bool> {
            (0..blocks.len())
                .map(|i| {
                    blocks.get(i + k).is_some_and(|next| {
                        evidential(&blocks[i], k)
                            && common_word_across_texts(
                                &text[blocks[i].start..blocks[i].end],
                                &text[next.start..next.end],
                            )
                    })
                })
                .collect()
        };
        let reordered: Vec<Vec<bool>> = (2..=self.max_columns).map(across).collect();
        if reordered.iter().all(|w| w.iter().filter(|&&x| x).count() < self.min_evidence) {
            return None;
        }
        let words = std::iter::once(across(1)).chain(reordered).collect();
        let confidence = if blocks.iter().any(|b| b.row) { self.row_confidence } else { self.confidence };
        Some(Evidence { words, open: blocks.iter().map(|b| !b.finished).collect(), confidence })
    }

    /// Whether `words` words across `junctions` open junctions are more than
    /// chance gives: unrelated blocks meet in a word at a rate of `chance`, and
    /// the count must lie `confidence` standard deviations above that (the
    /// stretch is the best of many tried, so a lucky one must not pass).
    fn beyond_chance(&self, words: usize, junctions: usize, confidence: f64) -> bool {
        let (j, p) = (junctions as f64, self.chance);
        words as f64 >= p * j + confidence * (j * p * (1.0 - p)).sqrt()
    }

    /// The best stretch `a..b` of `blocks` read across by `k` columns, by how
    /// far its evidence beats every other order, then by length.
    fn best_stretch(&self, ev: &Evidence, a0: usize, b0: usize) -> Option<(usize, usize, usize)> {
        let sums = |w: &[bool]| -> Vec<usize> {
            std::iter::once(0)
                .chain(w[a0..b0].iter().scan(0, |n, &x| {
                    *n += usize::from(x);
                    Some(*n)
                }))
                .collect()
        };
        // prefix[k - 1][i]: words across junctions from blocks before `i`.
        let prefix: Vec<Vec<usize>> = ev.words.iter().map(|w| sums(w)).collect();
        let open = sums(&ev.open);
        let count = |k: usize, a: usize, b: usize| {
            let last = b.saturating_sub(k).max(a);
            prefix[k - 1][last - a0] - prefix[k - 1][a - a0]
        };
        let junctions = |k: usize, a: usize, b: usize| {
            let last = b.saturating_sub(k).max(a);
            open[last - a0] - open[a - a0]
        };
        // ((margin, length), (start, end, columns)) of the best so far.
        type Scored = ((usize, usize), (usize, usize, usize));
        let mut best: Option<Scored> = None;
        if (2..=self.max_columns).all(|k| count(k, a0, b0) < self.min_evidence) {
            return None;
        }
        for a in a0..b0 {
            for b in a + 4..=b0 {
                for k in 2..=self.max_columns {
                    if b - a < 2 * k {
                        continue;
                    }
                    let n = count(k, a, b);
                    let others = (1..=self.max_columns).filter(|&o| o != k).map(|o| count(o, a, b)).max().unwrap_or(0);
                    if n < self.min_evidence
                        || n < others + self.margin
                        || !self.beyond_chance(n, junctions(k, a, b), ev.confidence)
                    {
                        continue;
                    }
                    let key = (n - others, b - a);
                    if best.is_none_or(|(bk, _)| key > bk) {
                        best = Some((key, (a, b, k)));
                    }
                }
            }
        }
        best.map(|(_, s)| s)
    }

    /// The stretches of `a..b` to reorder, best first, then in what is left
    /// on either side.
    fn stretches(&self, ev: &Evidence, a: usize, b: usize, found: &mut Vec<(usize, usize, usize)>) {
        if b - a < 4 {
            return;
        }
        if let Some((s, e, k)) = self.best_stretch(ev, a, b) {
            found.push((s, e, k));
            self.stretches(ev, a, s, found);
            self.stretches(ev, e, b, found);
        }
    }
}

impl Mechanism for Columns {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        if self.max_columns < 2 {
            return;
        }
        let blocks =
            if text.contains("\n\n") { runs_of_blocks(text, ctx, self.min_block, self.max_row) } else { Vec::new() };
        let mut rows = rows::runs_of_rows(text, ctx, self.min_block, self.max_row);
        // A stretch of lines is taken as blocks or as rows, not both.
        rows.retain(|r| !blocks.iter().any(|b| r[0].start < b[b.len() - 1].end && b[0].start < r[r.len() - 1].end));
        for run in blocks.into_iter().chain(rows) {
            for window in run.chunks(WINDOW) {
                let Some(ev) = self.evidence(text, window) else { continue };
                let mut found = Vec::new();
                self.stretches(&ev, 0, window.len(), &mut found);
                for &(a, b, k) in &found {
                    let a = line_start(window, &ev.words[0], a, &found);
                    move_columns(text, &window[a..b], k, out);
                }
            }
        }
    }
}

/// Where a stretch found to start at unit `a` of `window` starts: at the
/// first row of `a`'s line when no word runs on from a row between them into
/// the next (`words_on`) and none is in another stretch of `found`. A line of
/// rows read across starts with the first column's row, and the evidence
/// cannot place rows it has no word across for (`…汪洲军）-R和-L`, a Latin end):
/// the partition into columns stays the same, their order follows the line.
fn line_start(window: &[Block], words_on: &[bool], a: usize, found: &[(usize, usize, usize)]) -> usize {
    let Some(first) = (0..=a).rev().find(|&i| window[i].line_start) else { return a };
    let taken = |i: usize| words_on[i] || found.iter().any(|&(s, e, _)| s <= i && i < e);
    if (first..a).any(taken) {
        a
    } else {
        first
    }
}

/// Puts `blocks`, read across by `k` columns, in column order: the first
/// column's blocks stay where they are, the others' are cut out (each with the
/// blank lines or spaces before it) and set after the stretch in column order,
/// after a blank line. Moves rather than one replacement of the whole stretch,
/// so that what later rules find in the first column keeps its place in the
/// input.
fn move_columns(text: &str, blocks: &[Block], k: usize, out: &mut Output) {
    for (j, block) in blocks.iter().enumerate().filter(|(j, _)| j % k != 0) {
        out.edit(blocks[j - 1].end, block.end, "");
    }
    let mut moved = String::new();
    let mut previous: Option<&Block> = None;
    for b in (1..k).flat_map(|c| blocks.iter().skip(c).step_by(k)) {
        let piece = &text[b.start..b.end];
        moved.push_str(previous.map_or("\n\n", |p| joiner(&text[p.start..p.end], p, piece)));
        moved.push_str(piece);
        previous = Some(b);
    }
    let end = blocks[blocks.len() - 1].end;
    out.edit(end, end, moved);
}

/// What goes between `left` (the text of unit `l`) and `right` when they come
/// together in a moved column: a blank line between blocks, and after a row
/// that ended a paragraph (a sentence, then a blank line); rows of a paragraph
/// join, with a space only between ASCII letters or digits.
fn joiner(left: &str, l: &Block, right: &str) -> &'static str {
    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !l.row || (l.blank_after && l.finished) {
        "\n\n"
    } else if ascii(left.chars().next_back()) && ascii(right.chars().next()) {
        " "
    } else {
        ""
    }
}

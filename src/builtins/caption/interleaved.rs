//! Captions that OCR read row by row together with the body column beside them
//! (`大幅改善延迟的问` / `通往外部IP地址的 题。` / `“出口”。网关充当全媒体记者/胡华摄`):
//! the caption is the chain of runs on the rows above its credit that together
//! restate words of the article ([`super::restated`]).

use super::super::layout::{floor_boundary, is_blank_char};
use super::restated::{body_of, squeeze, Grams, Squeezed, GLUED_MIN_HAN};
use super::{is_inline_blank, Caption, SENTENCE_END};
use crate::text::is_han;

/// How far back from a credit the pieces of an interleaved caption are looked for.
const INTERLEAVED_REACH: usize = 2048;

/// Occurrence tests one credit may spend on finding an interleaved caption.
const INTERLEAVED_TESTS: usize = 48;

/// A run of text between blanks on one row, the row counted from the credit's
/// (0) upwards over non-blank lines.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    row: usize,
}

/// The runs of the credit's row before `cs` and of the `rows` non-blank rows
/// above it, nearest first; a page break ends them.
fn pieces_before(text: &str, cs: usize, rows: usize) -> Vec<Piece> {
    let lo = floor_boundary(text, cs.saturating_sub(INTERLEAVED_REACH));
    let region = &text[lo..cs];
    let (base, region, whole) = match region.rfind('\x0c') {
        Some(k) => (lo + k + 1, &region[k + 1..], true),
        None => (lo, region, lo == 0 || text[..lo].ends_with('\n')),
    };
    let mut pieces = Vec::new();
    let (mut end, mut row) = (region.len(), 0);
    while row <= rows {
        let start = region[..end].rfind('\n').map_or(0, |k| k + 1);
        if start == 0 && !whole {
            break; // a line cut by the reach
        }
        let line = &region[start..end];
        let before = pieces.len();
        let mut run_end = None;
        for (i, c) in line.char_indices().rev() {
            match (is_inline_blank(c), run_end) {
                (true, Some(e)) => {
                    pieces.push(Piece { start: base + start + i + c.len_utf8(), end: base + start + e, row });
                    run_end = None;
                }
                (false, None) => run_end = Some(i + c.len_utf8()),
                _ => {}
            }
        }
        if let Some(e) = run_end {
            pieces.push(Piece { start: base + start, end: base + start + e, row });
        }
        if pieces.len() > before || row == 0 {
            row += 1;
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    pieces
}

/// Whether a run of text ends a sentence (`题。`, `LVM？`, `…中心。”`).
fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['”', '’', '）', ')']).ends_with(SENTENCE_END)
}

/// The pieces `chain` (indexes into `pieces`, latest first) in text order.
fn in_text_order(pieces: &[Piece], chain: &[usize]) -> Vec<(usize, usize)> {
    chain.iter().rev().map(|&i| (pieces[i].start, pieces[i].end)).collect()
}

/// Consecutive spans with only blanks between them, merged.
pub(super) fn merge_adjacent(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if text[last.1..s].chars().all(is_blank_char) => last.1 = e,
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// A chain's text as [`Interleaved::key`] builds it.
struct Key {
    bytes: Vec<u8>,
    joins: Vec<usize>,
    chars: usize,
    han: usize,
}

/// The search for a caption interleaved with the body column beside it.
struct Interleaved<'a> {
    text: &'a str,
    pieces: Vec<Piece>,
    tests_left: usize,
    /// Where each piece starts in the squeezed window, and where the last ends.
    squeezed_at: Vec<usize>,
    squeezed_end: usize,
    /// The longest chain with evidence so far, and its Han characters.
    best: Option<(Vec<usize>, usize)>,
    /// Built on the first chain not found in one piece.
    grams: Grams,
}

impl Interleaved<'_> {
    /// The chain's text without blanks and without its final mark, where each
    /// piece after the first starts in it, and its characters and Han
    /// characters; `None` when a piece holds nothing but marks (it would not
    /// keep the chain from being found at its own place).
    fn key(&self, spans: &[(usize, usize)]) -> Option<Key> {
        let mut key = Key { bytes: Vec::new(), joins: Vec::new(), chars: 0, han: 0 };
        let last = spans.len() - 1;
        for (i, &(s, e)) in spans.iter().enumerate() {
            let t = &self.text[s..e];
            let t = if i == last { body_of(t, 0, t.len()) } else { t };
            let (mut n, mut h, mut words) = (0, 0, 0);
            for c in t.chars() {
                n += 1;
                h += usize::from(is_han(c));
                words += usize::from(is_han(c) || c.is_alphanumeric());
            }
            if words == 0 {
                return None;
            }
            if i > 0 {
                key.joins.push(key.bytes.len());
            }
            (key.chars, key.han) = (key.chars + n, key.han + h);
            key.bytes.extend(squeeze(t));
        }
        Some(key)
    }

    /// The Han characters of the chain when it restates words of the text: it
    /// is at most `max` characters long and occurs outside the text its pieces
    /// span (pieces of body text spell themselves there), in one piece or
    /// [`Grams::restated_in_pieces`].
    fn restated(&mut self, chain: &[usize], max: usize, squeezed: &Squeezed) -> Option<usize> {
        self.tests_left = self.tests_left.checked_sub(1)?;
        let spans = in_text_order(&self.pieces, chain);
        let key = self.key(&spans)?;
        let own = (self.squeezed_at[chain[chain.len() - 1]], self.squeezed_end);
        if key.chars > max {
            return None;
        }
        if squeezed.occurs_outside(&key.bytes, own) {
            return Some(key.han);
        }
        if !squeezed.ends_occur_outside(&key.bytes, own) {
            return None;
        }
        if !self.grams.built {
            let text = self.text;
            self.grams.build(squeezed.bytes(), self.pieces.iter().map(|p| &text[p.start..p.end]));
        }
        self.grams.restated_in_pieces(&key.bytes, &key.joins, own).then_some(key.han)
    }

    /// Extends `chain` backwards by one piece at a time: an earlier piece of the
    /// same row or one of the row above, kept only while the chain is restated.
    fn extend(&mut self, chain: &mut Vec<usize>, max: usize, squeezed: &Squeezed) {
        let first = *chain.last().expect("a chain has its last piece");
        let row = self.pieces[first].row;
        for k in first + 1..self.pieces.len() {
            if self.pieces[k].row > row + 1 {
                break;
            }
            chain.push(k);
            if let Some(han) = self.restated(chain, max, squeezed) {
                if self.best.as_ref().is_none_or(|b| han > b.1) {
                    self.best = Some((chain.clone(), han));
                }
                self.extend(chain, max, squeezed);
            }
            chain.pop();
        }
    }
}

impl Caption {
    /// The pieces of a caption sentence that OCR interleaved with the body column
    /// beside it, row by row (`大幅改善延迟的问` / `通往外部IP地址的 题。` /
    /// `“出口”。网关充当全媒体记者/胡华摄`), in text order. The pieces are runs of
    /// text between blanks on the credit's row and the `interleaved-rows` rows
    /// above it, each the one before the next on its row or on the row above;
    /// the last ends a sentence, on one of the two rows above the credit's or on
    /// its own. Evidence: together they restate words of the article (a caption
    /// does; body text split by a caption's pieces does not), with
    /// [`GLUED_MIN_HAN`] Han characters or more and at most `max-sentence`
    /// characters, every piece holding more than marks. A caption in one piece must be
    /// a whole row (`尽管该仓库提供软件包较新的版本。` between two body lines).
    pub(super) fn interleaved(&self, text: &str, cs: usize, squeezed: &mut Squeezed) -> Option<Vec<(usize, usize)>> {
        let pieces = pieces_before(text, cs, self.interleaved_rows);
        let last = pieces.iter().take_while(|p| p.row <= 2).position(|p| ends_sentence(&text[p.start..p.end]))?;
        let starts: Vec<usize> = pieces.iter().map(|p| p.start).chain([pieces[last].end]).collect();
        let mut at = squeezed.positions(text, pieces[pieces.len() - 1].start, cs, &starts);
        let squeezed_end = at.pop().unwrap_or(0);
        let mut search = Interleaved {
            text,
            pieces,
            tests_left: INTERLEAVED_TESTS,
            squeezed_at: at,
            squeezed_end,
            best: None,
            grams: Grams::default(),
        };
        let alone = search.pieces[last];
        let whole_row = search.pieces.iter().filter(|p| p.row == alone.row).count() == 1;
        let mut chain = vec![last];
        if alone.row > 0 && whole_row {
            if let Some(han) = search.restated(&chain, self.max_sentence, squeezed) {
                search.best = Some((chain.clone(), han));
            }
        }
        search.extend(&mut chain, self.max_sentence, squeezed);
        let (chain, han) = search.best?;
        (han >= GLUED_MIN_HAN).then(|| in_text_order(&search.pieces, &chain))
    }
}

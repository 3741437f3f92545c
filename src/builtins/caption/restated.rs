//! Whether a caption restates words of its article, the evidence the caption
//! detector rests on: a caption repeats what the article says, body text is
//! printed once. The text around a caption is searched without its blanks
//! ([`Squeezed`]), for the caption in one piece or, when the article's copy is
//! itself cut apart by a column, in runs of three characters ([`Grams`]).

use super::super::layout::floor_boundary;
use super::occurrences::occurrences;
use crate::text::{is_han, IDEOGRAPHIC_SPACE};
use rustc_hash::FxHashMap;

/// `s` without blanks (ASCII whitespace and U+3000). It runs over every page
/// with a caption, in every pass: the rare U+3000 are found with a SIMD search,
/// and the text between them is copied eight bytes at a time where they hold
/// no ASCII blank ([`push_without_ascii_blanks`]).
pub(super) fn squeeze(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    push_squeezed(s, &mut v);
    v
}

/// Appends [`squeeze`]`(s)` to `v`.
fn push_squeezed(s: &str, v: &mut Vec<u8>) {
    let b = s.as_bytes();
    let mut from = 0;
    for at in IDEOGRAPHIC_SPACE.finder().find_iter(b).chain([b.len()]) {
        push_without_ascii_blanks(&b[from..at], v);
        from = (at + IDEOGRAPHIC_SPACE_LEN).min(b.len());
    }
}

/// Appends `b` without its ASCII blanks to `v`. Every ASCII blank is below
/// `0x21`: a word of eight bytes none of which is (one subtraction and two
/// masks tell) is copied whole, the rare others byte by byte, behind a write
/// cursor into `v` grown once.
fn push_without_ascii_blanks(b: &[u8], v: &mut Vec<u8>) {
    let start = v.len();
    v.resize(start + b.len(), 0);
    let out = &mut v[start..];
    let mut n = 0;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        if x.wrapping_sub(0x2121_2121_2121_2121) & !x & 0x8080_8080_8080_8080 == 0 {
            out[n..n + 8].copy_from_slice(w);
            n += 8;
        } else {
            n = keep_non_blanks(w, out, n);
        }
    }
    n = keep_non_blanks(words.remainder(), out, n);
    v.truncate(start + n);
}

/// Writes the bytes of `b` into `out` from `n` on, each kept (the cursor moved
/// past it) unless it is an ASCII blank; returns the cursor.
fn keep_non_blanks(b: &[u8], out: &mut [u8], mut n: usize) -> usize {
    for &c in b {
        out[n] = c;
        n += usize::from(!is_ascii_blank(c));
    }
    n
}

/// The length of U+3000 in UTF-8, a blank [`squeeze`] leaves out.
const IDEOGRAPHIC_SPACE_LEN: usize = '\u{3000}'.len_utf8();

/// The ASCII blanks [`squeeze`] leaves out.
fn is_ascii_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The length of [`squeeze`]`(s)`, without building it: the blanks it leaves
/// out, counted as a byte filter the compiler vectorises and a SIMD search
/// for U+3000.
fn squeezed_len_of(s: &str) -> usize {
    let b = s.as_bytes();
    let ascii = b.iter().filter(|&&c| is_ascii_blank(c)).count();
    let ideographic = IDEOGRAPHIC_SPACE.finder().find_iter(b).count();
    b.len() - ascii - IDEOGRAPHIC_SPACE_LEN * ideographic
}

/// `text[from..q]` without its final mark.
pub(super) fn body_of(text: &str, from: usize, q: usize) -> &str {
    text[from..q].trim_end_matches(['。', '！', '？', '!', '?', '.'])
}

/// How far around a caption [`occurs_twice`] looks for its words: a caption
/// restates words of its own article, which is near it. The whole text of a
/// page; bounded, so that a document with thousands of captions stays linear.
const REPEAT_REACH: usize = 32 << 10;

/// The text around a caption without blanks: the whole text squeezed once
/// (on the first window asked for), a window a range of it. Squeezing is
/// character by character, so a window's squeeze is the part of the whole's
/// between its ends; building each window anew cost a document of many pages
/// (64 KB per caption) ten times what its pages cost apart.
#[derive(Default)]
pub(super) struct Squeezed {
    /// The window: text offsets, and the same ends in [`Squeezed::all`].
    window: (usize, usize),
    squeezed_window: (usize, usize),
    all: Vec<u8>,
    /// (text offset, length of the text without blanks up to it) every
    /// [`MARK_STRIDE`] bytes or so, recorded while the text is squeezed: a
    /// position is then found from the mark before it, not from the start.
    /// None before the text is squeezed (an empty text has none to squeeze).
    marks: Vec<(usize, usize)>,
}

/// Bytes between two [`Squeezed`] marks: a position costs a count of the
/// blanks of at most this many bytes.
const MARK_STRIDE: usize = 256;

/// Whether `text[from..q]` (without its final mark) occurs twice in the text
/// around it (within [`REPEAT_REACH`], blanks ignored): a caption restates words
/// of its article. A suffix of a string that occurs twice does too.
fn occurs_twice(text: &str, from: usize, q: usize, squeezed: &mut Squeezed) -> bool {
    // Around `q`, the caption's end, so that every test for one caption (its
    // candidates share that end) reuses one window.
    squeezed.occurrences(text, from, q, &squeeze(body_of(text, from, q))) == 2
}

impl Squeezed {
    /// The window without blanks.
    pub(super) fn bytes(&self) -> &[u8] {
        &self.all[self.squeezed_window.0..self.squeezed_window.1]
    }

    /// How often `key` occurs (0, 1 or 2: counted no further) in the text around
    /// `from..q`, blanks ignored.
    fn occurrences(&mut self, text: &str, from: usize, q: usize, key: &[u8]) -> usize {
        self.around(text, from, q);
        occurrences(self.bytes(), key).take(2).count()
    }

    /// Makes this the window around `from..q` (within [`REPEAT_REACH`] of `q`).
    /// Relative to the caption, not anchored at fixed offsets: text removed
    /// far before it must not move its window (a second run would decide
    /// otherwise).
    fn around(&mut self, text: &str, from: usize, q: usize) {
        self.set_window(text, q.saturating_sub(REPEAT_REACH).min(from), q + REPEAT_REACH);
    }

    /// Makes `lo..hi` of the text (widened to character boundaries) the
    /// window. The text must be the same on every call.
    pub(super) fn set_window(&mut self, text: &str, lo: usize, hi: usize) {
        let lo = floor_boundary(text, lo.min(text.len()));
        let mut hi = hi.min(text.len());
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        if self.marks.is_empty() {
            self.squeeze_all(text);
        }
        if self.window != (lo, hi) {
            self.window = (lo, hi);
            self.squeezed_window = (self.squeezed_at(text, lo), self.squeezed_at(text, hi));
        }
    }

    /// Squeezes the text one [`MARK_STRIDE`] at a time to record the marks on
    /// the way: a stride ends at a character boundary, so no blank is cut and
    /// the strides' squeezes make the text's.
    fn squeeze_all(&mut self, text: &str) {
        self.all = Vec::with_capacity(text.len());
        self.marks.clear();
        let mut pos = 0;
        while pos < text.len() {
            self.marks.push((pos, self.all.len()));
            let mut next = (pos + MARK_STRIDE).min(text.len());
            while !text.is_char_boundary(next) {
                next += 1;
            }
            push_squeezed(&text[pos..next], &mut self.all);
            pos = next;
        }
    }

    /// Where the text position `at` (a character boundary) falls in the text
    /// without blanks.
    fn squeezed_at(&self, text: &str, at: usize) -> usize {
        let (pos, len) = self.mark_before(at);
        len + squeezed_len_of(&text[pos..at.max(pos)])
    }

    /// The last mark at or before the text position `at`.
    fn mark_before(&self, at: usize) -> (usize, usize) {
        let m = self.marks.partition_point(|&(p, _)| p <= at).saturating_sub(1);
        self.marks.get(m).copied().unwrap_or((0, 0))
    }

    /// Where the text positions `at` (within `from..q`) fall in the window
    /// around `from..q` without blanks; builds that window.
    pub(super) fn positions(&mut self, text: &str, from: usize, q: usize, at: &[usize]) -> Vec<usize> {
        self.around(text, from, q);
        self.positions_in_window(text, at)
    }

    /// Where the text positions `at` (a position before the window counts as
    /// its start) fall in the window without blanks.
    pub(super) fn positions_in_window(&self, text: &str, at: &[usize]) -> Vec<usize> {
        let lo = self.window.0;
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_unstable_by_key(|&i| at[i]);
        let mut out = vec![0; at.len()];
        let first = order.first().map_or(lo, |&i| at[i].max(lo));
        let (mut pos, mut squeezed_len) = self.mark_before(first);
        for i in order {
            let p = at[i].max(pos).max(lo);
            squeezed_len += squeezed_len_of(&text[pos..p]);
            pos = p;
            out[i] = squeezed_len - self.squeezed_window.0;
        }
        out
    }

    /// Whether `key` occurs in the window without overlapping `own` (a range of it).
    pub(super) fn occurs_outside(&self, key: &[u8], own: (usize, usize)) -> bool {
        occurrences(self.bytes(), key).any(|x| x + key.len() <= own.0 || x >= own.1)
    }

    /// Whether the first and the last [`GRAM`] characters of `key` occur outside
    /// `own`: what [`Grams::restated_in_pieces`] needs first (they alone cover
    /// the key's ends), tested without building [`Grams`].
    pub(super) fn ends_occur_outside(&self, key: &[u8], own: (usize, usize)) -> bool {
        let (head, tail) = end_grams(key);
        self.occurs_outside(head, own) && self.occurs_outside(tail, own)
    }

    /// Whether the first and the last [`GRAM`] characters of `key` each occur
    /// twice in the window: [`Squeezed::ends_occur_outside`] without its own
    /// place, which takes a walk over the window to find.
    fn ends_occur_twice(&self, key: &[u8]) -> bool {
        let (head, tail) = end_grams(key);
        let twice = |gram: &[u8]| occurrences(self.bytes(), gram).nth(1).is_some();
        twice(head) && twice(tail)
    }
}

/// The first and the last [`GRAM`] characters of `key`.
fn end_grams(key: &[u8]) -> (&[u8], &[u8]) {
    let first = (0..key.len()).filter(|&i| is_char_start(key[i])).nth(GRAM).unwrap_or(key.len());
    let last = (0..key.len()).rev().filter(|&i| is_char_start(key[i])).nth(GRAM - 1).unwrap_or(0);
    (&key[..first], &key[last..])
}

/// Characters in a run that [`Grams::restated_in_pieces`] finds elsewhere:
/// three Han characters rarely recur by chance within a page.
const GRAM: usize = 3;

/// Where runs of [`GRAM`] characters occur in a window, for the runs a set of
/// pieces can make: only runs of characters the pieces hold are indexed (a
/// bitmap of them is tested first), so a page costs a pass and few insertions.
#[derive(Default)]
pub(super) struct Grams {
    /// The first and last place of each such run in the window.
    places: FxHashMap<u64, (u32, u32)>,
    pub(super) built: bool,
}

/// Bits of the [`Grams`] character bitmap.
const CHAR_BITS: usize = 1024;

/// A character's bit in the [`Grams`] bitmap, from its UTF-8 bytes.
fn char_bit(bytes: &[u8]) -> usize {
    let v = bytes.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
    (v.wrapping_mul(0x9E37_79B1) >> 22) as usize % CHAR_BITS
}

impl Grams {
    /// Indexes the runs of `window` made of characters of `pieces`. Walks the
    /// bytes (the window is valid UTF-8: it was built from a `str`).
    pub(super) fn build<'p>(&mut self, window: &[u8], pieces: impl Iterator<Item = &'p str>) {
        self.built = true;
        let mut bitmap = [0u64; CHAR_BITS / 64];
        for piece in pieces {
            for (i, c) in piece.char_indices() {
                let bit = char_bit(&piece.as_bytes()[i..i + c.len_utf8()]);
                bitmap[bit / 64] |= 1 << (bit % 64);
            }
        }
        // The starts of the last GRAM characters and whether each is in the bitmap.
        let mut recent = [(0usize, false); GRAM];
        let mut n = 0;
        let mut start = 0;
        for end in (1..=window.len()).filter(|&i| i == window.len() || is_char_start(window[i])) {
            let bit = char_bit(&window[start..end]);
            recent[n % GRAM] = (start, bitmap[bit / 64] & (1 << (bit % 64)) != 0);
            n += 1;
            if n >= GRAM && recent.iter().all(|r| r.1) {
                self.record(window, recent[n % GRAM].0, end);
            }
            start = end;
        }
    }

    /// Notes that the run `window[start..end]` occurs at `start`.
    fn record(&mut self, window: &[u8], start: usize, end: usize) {
        let place = u32::try_from(start).unwrap_or(u32::MAX);
        let entry = self.places.entry(packed(&window[start..end])).or_insert((place, place));
        entry.1 = place;
    }

    /// Whether `key`, pieces joined at the byte offsets `joins`, is restated in
    /// pieces outside `own` (a range of the window): its article's copy may
    /// itself be cut apart by the column beside it (`大幅改` / `…从而把 善延迟的问题`),
    /// so no test of the whole finds it. Evidence: every character of `key` lies
    /// in a run of [`GRAM`] characters that occurs outside `own`, and one such
    /// run crosses every join. Body text split apart by a caption's pieces is
    /// covered so in no dev page.
    pub(super) fn restated_in_pieces(&self, key: &[u8], joins: &[usize], own: (usize, usize)) -> bool {
        let starts: Vec<usize> = (0..key.len()).filter(|&i| is_char_start(key[i])).chain([key.len()]).collect();
        let mut covered_to = 0;
        let mut joins_left = joins.iter().peekable();
        for w in starts.windows(GRAM + 1) {
            let run = &key[w[0]..w[GRAM]];
            let outside = self
                .places
                .get(&packed(run))
                .is_some_and(|&(first, last)| first as usize + run.len() <= own.0 || last as usize >= own.1);
            if !outside {
                // No run before this one covers its first character.
                if w[0] >= covered_to {
                    return false;
                }
                continue;
            }
            covered_to = w[GRAM];
            while joins_left.next_if(|&&j| j > w[0] && j < w[GRAM]).is_some() {}
            if joins_left.peek().is_some_and(|&&j| j <= w[0]) {
                return false;
            }
        }
        covered_to == key.len() && joins_left.next().is_none()
    }
}

/// Whether a UTF-8 byte starts a character.
fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// A run of bytes as one number: a hash, wide enough that two of a page's few
/// thousand runs hardly ever share it.
fn packed(run: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(run);
    h.finish()
}

/// [`occurs_twice`], for a string of `min_han` Han characters or more.
pub(super) fn repeats(text: &str, from: usize, q: usize, min_han: usize, squeezed: &mut Squeezed) -> bool {
    body_of(text, from, q).chars().filter(|&c| is_han(c)).count() >= min_han && occurs_twice(text, from, q, squeezed)
}

/// Whether `text[from..q]` (without its final mark) restates words of the text
/// in pieces ([`Grams::restated_in_pieces`]): the article's copy of a caption
/// cut apart by the column beside it (`大部分程序` / `…都不处理个别的封包问题`).
/// Asks for [`GLUED_MIN_HAN`] Han characters, as weaker evidence than a copy in
/// one piece. `grams` is built on the first call, for runs of characters of
/// `text[from..q]`; later calls test parts of it.
fn restated_apart(text: &str, from: usize, q: usize, squeezed: &mut Squeezed, grams: &mut Grams) -> bool {
    let body = body_of(text, from, q);
    if body.chars().filter(|&c| is_han(c)).count() < GLUED_MIN_HAN {
        return false;
    }
    let key = squeeze(body);
    squeezed.around(text, from, q);
    if !squeezed.ends_occur_twice(&key) {
        return false;
    }
    let at = squeezed.positions(text, from, q, &[from, from + body.len()]);
    let own = (at[0], at[1]);
    if !squeezed.ends_occur_outside(&key, own) {
        return false;
    }
    if !grams.built {
        grams.build(squeezed.bytes(), [&text[from..q]].into_iter());
    }
    grams.restated_in_pieces(&key, &[], own)
}

/// Han characters a repeated suffix needs when it starts inside a run of text
/// rather than after a blank: enough that the repetition is no coincidence.
pub(super) const GLUED_MIN_HAN: usize = 8;

/// Where the caption sentence `start..q` really starts when OCR glued it after
/// the end of a body line beside it (`…以避免复 因为内核能够检测到程序是共享的。`):
/// a caption repeats words of its article, so when the whole candidate does not
/// [`repeats`] but a suffix of it starting after a blank does (four Han characters
/// or more, so that a repeated Latin word is no evidence), the caption starts
/// there. Without a blank at the junction (`…以避免复因为内核…`), the longest
/// repeated suffix of [`GLUED_MIN_HAN`] Han characters or more, found by bisection
/// (a suffix of a repeated string repeats). Either cut is made only when what it
/// cuts off is not repeated itself. Without that evidence the candidate stays.
/// Returns the start and whether the caption from there repeats.
pub(super) fn repeated_suffix(text: &str, start: usize, q: usize, squeezed: &mut Squeezed) -> (usize, bool) {
    let mut grams = Grams::default();
    if repeats(text, start, q, 4, squeezed) || restated_apart(text, start, q, squeezed, &mut grams) {
        return (start, true);
    }
    let cand = &text[start..q];
    let after_blank = cand
        .char_indices()
        .zip(cand.chars().skip(1))
        .filter(|((_, c), n)| c.is_whitespace() && !n.is_whitespace())
        .map(|((i, c), _)| start + i + c.len_utf8())
        .find(|&b| repeats(text, b, q, 4, squeezed) || restated_apart(text, b, q, squeezed, &mut grams));
    let cut = after_blank.or_else(|| {
        let bounds: Vec<usize> = cand.char_indices().map(|(i, _)| start + i).collect();
        let (mut lo, mut hi) = (1, bounds.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if occurs_twice(text, bounds[mid], q, squeezed) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        bounds.get(lo).copied().filter(|&b| repeats(text, b, q, GLUED_MIN_HAN, squeezed))
    });
    // The part cut off must be body text printed once: a caption whose two
    // halves both restate the article (its body copy split by a column break,
    // `首先是问使用` / `RAID”。` / `RAID 的哪个层级`) stays whole.
    cut.filter(|&b| !occurs_twice(text, start, b, squeezed)).map_or((start, false), |b| (b, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezed_without_blanks() {
        for s in [
            "",
            " ",
            "\u{3000}",
            "首先 是\u{3000}问\t使用\r\nRAID\x0c的哪个 ",
            "\u{3000}\u{3000}a\u{3000}",
            "\u{b}。\u{a0}\u{1}!!\u{7f}\u{80}ÿ",
            "一二三四五六七八九十 一二三四五六七八九十\n一二三四五六七八九十\u{3000}一二三四",
        ] {
            let by_chars: String =
                s.chars().filter(|&c| !matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\u{3000}')).collect();
            assert_eq!(squeeze(s), by_chars.as_bytes(), "{s:?}");
            assert_eq!(squeezed_len_of(s), by_chars.len(), "{s:?}");
        }
    }
}

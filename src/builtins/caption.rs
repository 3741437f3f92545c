//! ## What it does
//! Flags photo captions (kind `caption`): a credit (`记者/杨凌凌 摄`,
//! `芦淞区委宣传部 供图`, `图/新华社`, `（新华社发）`) together with the caption
//! sentence printed beside it, as ONE flag, and lines opening with `▲` or `图为`.
//! The caption sentence is the sentence that ends right before the credit
//! (possibly wrapped over narrow caption lines), or, when the credit stands on its
//! own line, the short block just above it, also when that block is cut off
//! mid-sentence (`刘翊在清理居民的药品、奶粉等需求,…将东西尽快` / `记者/杨凌凌 摄`).
//! When OCR glued the caption after the end of a body line beside it
//! (`…以避免复 因为内核能够检测到程序是共享的。`, also without the blank), the part
//! that repeats words of the document (captions restate their article) is the
//! caption. A stray mark of the photo (`风`) may stand between a caption and its
//! credit line, and a caption may be set after a blank beside the end of a body
//! paragraph (`扰。      它可以将更显性的消息记入日志。`).
//!
//! When OCR read a caption row by row together with the body column beside it
//! (`大幅改善延迟的问` / `通往外部IP地址的 题。` / `“出口”。网关充当全媒体记者/胡华摄`),
//! the caption is the chain of runs on the rows above the credit that together
//! restate words of the article, found outside the rows they came from (also in
//! pieces, when the article's copy is itself cut apart by a column); the flag
//! is then made of those pieces and the credit (`parts` in the report), and an
//! action applies to each piece. A credit the column beside it cut in two (`…
//! 封包问题。 通讯` / `…` / `员/许秀雨 摄`) is found by its halves making a whole
//! credit, and its second half is a part of the flag.
//! ## Why is this bad?
//! Captions are printed inside the columns and come out of OCR inside the body,
//! often in the middle of a sentence they interrupt. Flagged, they can be kept,
//! tagged or removed (`--flagged caption=remove`); once removed, the paragraph
//! rules join the interrupted sentence again (`他` + `的车子里程表…`).
//!
//! ## Example
//! `白关镇,医护人员用电筒照明,抓紧时间采集核酸样本。 芦淞区委宣传部 供图` is one
//! caption flag; `为用户提供图片` is not a credit.
//!
//! ## Fix safety
//! Flags only; the rule's action (or `--flagged`) decides.
//!
//! ## Known problems
//! An interleaved caption is found when the words it restates are printed in
//! one piece somewhere, or in pieces that each run of three of its characters
//! falls in (the body copy cut apart by the column beside it too); a caption
//! interleaved character by character yields the credit alone. A caption without a credit, `▲` or `图为` is not recognised.

use super::layout::{counts, floor_boundary, is_blank_char, shared_credits, split_credits};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use crate::text::is_han;
use regex::Regex;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static MARKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t\u{3000}]*(?:▲|△|图\s*为)[^\n\x0c]*").expect("caption marker pattern"));

/// The caption detector.
pub struct Caption {
    max_sentence: usize,
    max_block: usize,
    wrap_width: usize,
    interleaved_rows: usize,
}

impl Caption {
    /// Reads `max-sentence` (longest caption sentence in characters, default 60),
    /// `max-block` (longest stand-alone block taken as a cut-off caption, default
    /// 50) and `wrap-width` (caption lines wrapped over newlines are at most this
    /// wide, default 18) and `interleaved-rows` (rows above a credit searched for
    /// the pieces of a caption interleaved with the body, default 4).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Caption {
            max_sentence: p.usize("max-sentence", 60)?,
            max_block: p.usize("max-block", 50)?,
            wrap_width: p.usize("wrap-width", 18)?,
            interleaved_rows: p.usize("interleaved-rows", 4)?,
        })
    }

    /// Start of the caption sentence ending at `q` (just after its final mark).
    fn sentence_start(&self, text: &str, q: usize) -> Option<usize> {
        let mut n = 0usize;
        for (idx, (i, c)) in text[..q].char_indices().rev().enumerate() {
            if idx == 0 {
                continue; // the sentence's own final mark
            }
            match c {
                '。' | '！' | '？' | '!' | '?' | '；' | '\x0c' => return Some(i + c.len_utf8()),
                '\n' if !self.short_line_before(text, i) => return Some(i + 1),
                _ => {}
            }
            if !c.is_whitespace() {
                n += 1;
            }
            if n > self.max_sentence {
                // Too long for a caption: keep the last clause only, if short.
                let lo = text[..q].char_indices().rev().nth(40).map_or(0, |(k, _)| k);
                let seg = &text[lo..q];
                return seg.rfind(['，', ',']).map(|k| lo + k + seg[k..].chars().next().map_or(1, char::len_utf8));
            }
        }
        Some(0)
    }

    /// Whether the line ending at the newline `nl` is a wrapped caption line:
    /// not blank and at most `wrap-width` characters. Looks back no further than
    /// such a line can be, so that a huge line costs no more than a short one.
    fn short_line_before(&self, text: &str, nl: usize) -> bool {
        let mut n = 0;
        for c in text[..nl].chars().rev() {
            if c == '\n' || c == '\x0c' {
                break;
            }
            if !is_blank_char(c) {
                n += 1;
                if n > self.wrap_width {
                    return false;
                }
            }
        }
        n > 0
    }

    /// The block standing alone right above the line at `ls` (a blank line or a
    /// page break between them): its start and its end without trailing blanks.
    /// `None` when there is no such block or it is longer than `max-block`.
    fn block_before(&self, text: &str, ls: usize) -> Option<(usize, usize)> {
        let before = &text[..ls];
        let t = before.trim_end_matches(is_blank_char);
        if !before[t.len()..].contains("\n\n") && !before[t.len()..].contains('\x0c') {
            return None;
        }
        let bstart = block_start(t, self.max_block)?;
        let lead = text[bstart..t.len()].len() - text[bstart..t.len()].trim_start().len();
        // Only blanks above (`\n\n记者/杨凌凌 摄`): no block.
        (bstart + lead < t.len()).then_some((bstart + lead, t.len()))
    }

    /// Start of the caption in the block `bs..be`: the whole block when it is
    /// one short sentence, else the sentence set after a blank beside the end of a
    /// body paragraph (`扰。      它可以将更显性的消息记入日志。`).
    fn caption_in_block(&self, text: &str, bs: usize, be: usize) -> Option<usize> {
        let block = &text[bs..be];
        let (n, han) = counts(block);
        // A caption says something: not a stray character (`风`).
        if n < 4 || n > self.max_block || han * 3 < n {
            return None;
        }
        let inner = block.trim_end_matches(['。', '！', '？', '!', '?']);
        let Some(k) = inner.rfind(['。', '！', '？', '；']) else { return Some(bs) };
        let k = k + inner[k..].chars().next().map_or(0, char::len_utf8);
        let after = &inner[k..];
        let rest = after.trim_start_matches(is_blank_char);
        if rest.len() == after.len() || counts(rest).0 < 4 {
            return None;
        }
        Some(bs + k + after.len() - rest.len())
    }

    /// Start of the caption standing alone right above a credit line at `ls`,
    /// and whether it was found to restate words of the document. A stray mark
    /// of the photo (`风`) may stand between them: the block above it is the
    /// caption when it restates them.
    fn block_above(&self, text: &str, ls: usize, squeezed: &mut Squeezed) -> Option<(usize, bool)> {
        let (bs, be) = self.block_before(text, ls)?;
        if counts(&text[bs..be]).0 < 3 {
            let (s, e) = self.block_before(text, bs)?;
            return self.caption_in_block(text, s, e).filter(|&c| repeats(text, c, e, 4, squeezed)).map(|c| (c, true));
        }
        self.caption_in_block(text, bs, be).map(|c| (c, false))
    }
}

/// Where the block of lines ending `t` starts: after the blank line or page break
/// above it, or at the text's start (wrapped caption lines included: `无需为了安装
/// Debian 而删除` / `Windows。`). `None` past `max` non-blank characters: walked
/// backwards and given up early, a long line above costs no more than a short one.
fn block_start(t: &str, max: usize) -> Option<usize> {
    let mut start = 0;
    let mut n = 0;
    let mut line_blank = true;
    for (i, c) in t.char_indices().rev() {
        match c {
            '\n' if line_blank => return Some(start),
            '\n' => {
                start = i + 1;
                line_blank = true;
            }
            '\x0c' => return Some(i + 1),
            c if is_blank_char(c) => {}
            _ => {
                n += 1;
                line_blank = false;
                if n > max {
                    return None;
                }
            }
        }
    }
    Some(if line_blank { start } else { 0 })
}

/// Blanks within a line (not its terminators).
fn is_inline_blank(c: char) -> bool {
    is_blank_char(c) && c != '\n' && c != '\x0c'
}

/// `s` without blanks (ASCII whitespace and U+3000), filtered on bytes: the runs
/// between blanks are copied whole (it runs over every page with a caption).
fn squeeze(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut v = Vec::with_capacity(b.len());
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let blank = blank_at(b, i);
        if blank == 0 {
            i += 1;
            continue;
        }
        v.extend_from_slice(&b[run..i]);
        i += blank;
        run = i;
    }
    v.extend_from_slice(&b[run..]);
    v
}

/// The bytes of the blank starting at `b[i]` (ASCII whitespace: 1, U+3000: 3),
/// 0 when none starts there: the blanks [`squeeze`] leaves out.
fn blank_at(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => 1,
        0xE3 if b[i..].starts_with("\u{3000}".as_bytes()) => 3,
        _ => 0,
    }
}

/// The length of [`squeeze`]`(s)`, without building it.
fn squeezed_len_of(s: &str) -> usize {
    let b = s.as_bytes();
    s.len() - (0..b.len()).map(|i| blank_at(b, i)).sum::<usize>()
}

/// `text[from..q]` without its final mark.
fn body_of(text: &str, from: usize, q: usize) -> &str {
    text[from..q].trim_end_matches(['。', '！', '？', '!', '?', '.'])
}

/// How far around a caption [`occurs_twice`] looks for its words: a caption
/// restates words of its own article, which is near it. The whole text of a
/// page; bounded, so that a document with thousands of captions stays linear.
const REPEAT_REACH: usize = 32 << 10;

/// The text around a caption without blanks, built once per window (a page's
/// captions all share one window: the whole page).
#[derive(Default)]
struct Squeezed {
    window: (usize, usize),
    bytes: Vec<u8>,
    /// (text offset, length of the window without blanks up to it) every
    /// [`MARK_STRIDE`] bytes or so, built on the first [`Squeezed::positions`]:
    /// a position is then found from the mark before it, not from the window's start.
    marks: Vec<(usize, usize)>,
}

/// Bytes between two [`Squeezed`] marks.
const MARK_STRIDE: usize = 1024;

/// Whether `text[from..q]` (without its final mark) occurs twice in the text
/// around it (within [`REPEAT_REACH`], blanks ignored): a caption restates words
/// of its article. A suffix of a string that occurs twice does too.
fn occurs_twice(text: &str, from: usize, q: usize, squeezed: &mut Squeezed) -> bool {
    // Around `q`, the caption's end, so that every test for one caption (its
    // candidates share that end) reuses one window.
    squeezed.occurrences(text, from, q, &squeeze(body_of(text, from, q))) == 2
}

impl Squeezed {
    /// How often `key` occurs (0, 1 or 2: counted no further) in the text around
    /// `from..q`, blanks ignored.
    fn occurrences(&mut self, text: &str, from: usize, q: usize, key: &[u8]) -> usize {
        self.around(text, from, q);
        memchr::memmem::find_iter(&self.bytes, key).take(2).count()
    }

    /// Makes this the window around `from..q` (within [`REPEAT_REACH`] of `q`).
    fn around(&mut self, text: &str, from: usize, q: usize) {
        let lo = floor_boundary(text, q.saturating_sub(REPEAT_REACH).min(from));
        let mut hi = (q + REPEAT_REACH).min(text.len());
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        if self.window != (lo, hi) {
            *self = Squeezed { window: (lo, hi), bytes: squeeze(&text[lo..hi]), ..Squeezed::default() };
        }
    }

    /// Where the text positions `at` (within `from..q`) fall in the window
    /// around `from..q` without blanks; builds that window.
    fn positions(&mut self, text: &str, from: usize, q: usize, at: &[usize]) -> Vec<usize> {
        self.around(text, from, q);
        let (lo, hi) = self.window;
        if self.marks.is_empty() {
            let (mut pos, mut len) = (lo, 0);
            while pos < hi {
                self.marks.push((pos, len));
                let next = floor_boundary(text, (pos + MARK_STRIDE).min(hi)).max(pos + 1);
                let next = (next..=hi).find(|&n| text.is_char_boundary(n)).unwrap_or(hi);
                len += squeezed_len_of(&text[pos..next]);
                pos = next;
            }
        }
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_unstable_by_key(|&i| at[i]);
        let mut out = vec![0; at.len()];
        let first = order.first().map_or(lo, |&i| at[i].max(lo));
        let m = self.marks.partition_point(|&(p, _)| p <= first).saturating_sub(1);
        let (mut pos, mut squeezed_len) = self.marks.get(m).copied().unwrap_or((lo, 0));
        for i in order {
            let p = at[i].max(pos);
            squeezed_len += squeezed_len_of(&text[pos..p]);
            pos = p;
            out[i] = squeezed_len;
        }
        out
    }

    /// Whether `key` occurs in the window without overlapping `own` (a range of it).
    fn occurs_outside(&self, key: &[u8], own: (usize, usize)) -> bool {
        memchr::memmem::find_iter(&self.bytes, key).any(|x| x + key.len() <= own.0 || x >= own.1)
    }

    /// Whether the first and the last [`GRAM`] characters of `key` occur outside
    /// `own`: what [`Grams::restated_in_pieces`] needs first (they alone cover
    /// the key's ends), tested without building [`Grams`].
    fn ends_occur_outside(&self, key: &[u8], own: (usize, usize)) -> bool {
        let first = (0..key.len()).filter(|&i| is_char_start(key[i])).nth(GRAM).unwrap_or(key.len());
        let last = (0..key.len()).rev().filter(|&i| is_char_start(key[i])).nth(GRAM - 1).unwrap_or(0);
        self.occurs_outside(&key[..first], own) && self.occurs_outside(&key[last..], own)
    }
}

/// Characters in a run that [`Grams::restated_in_pieces`] finds elsewhere:
/// three Han characters rarely recur by chance within a page.
const GRAM: usize = 3;

/// Where runs of [`GRAM`] characters occur in a window, for the runs a set of
/// pieces can make: only runs of characters the pieces hold are indexed (a
/// bitmap of them is tested first), so a page costs a pass and few insertions.
#[derive(Default)]
struct Grams {
    /// The first and last place of each such run in the window.
    places: FxHashMap<u64, (u32, u32)>,
    built: bool,
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
    fn build<'p>(&mut self, window: &[u8], pieces: impl Iterator<Item = &'p str>) {
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
    fn restated_in_pieces(&self, key: &[u8], joins: &[usize], own: (usize, usize)) -> bool {
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
fn repeats(text: &str, from: usize, q: usize, min_han: usize, squeezed: &mut Squeezed) -> bool {
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
    let at = squeezed.positions(text, from, q, &[from, from + body.len()]);
    let own = (at[0], at[1]);
    if !squeezed.ends_occur_outside(&key, own) {
        return false;
    }
    if !grams.built {
        grams.build(&squeezed.bytes, [&text[from..q]].into_iter());
    }
    grams.restated_in_pieces(&key, &[], own)
}

/// Han characters a repeated suffix needs when it starts inside a run of text
/// rather than after a blank: enough that the repetition is no coincidence.
const GLUED_MIN_HAN: usize = 8;

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
fn repeated_suffix(text: &str, start: usize, q: usize, squeezed: &mut Squeezed) -> (usize, bool) {
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
    s.trim_end_matches(['”', '’', '）', ')']).ends_with(['。', '！', '？', '!', '?'])
}

/// The pieces `chain` (indexes into `pieces`, latest first) in text order.
fn in_text_order(pieces: &[Piece], chain: &[usize]) -> Vec<(usize, usize)> {
    chain.iter().rev().map(|&i| (pieces[i].start, pieces[i].end)).collect()
}

/// Consecutive spans with only blanks between them, merged.
fn merge_adjacent(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
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
            self.grams.build(&squeezed.bytes, self.pieces.iter().map(|p| &text[p.start..p.end]));
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
    fn interleaved(&self, text: &str, cs: usize, squeezed: &mut Squeezed) -> Option<Vec<(usize, usize)>> {
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

/// A byte range of the text.
type Span = (usize, usize);

/// The credits of `text` in order, each with the tail of its second row when a
/// column break split it ([`split_credits`]; the head stands for the credit),
/// a whole credit that is such a tail left out.
fn credits_with_tails(text: &str, credits: &[Span]) -> Vec<(Span, Option<Span>)> {
    let split = split_credits(text, credits);
    let mut all: Vec<_> = credits
        .iter()
        .filter(|&&(s, e)| !split.iter().any(|sp| sp.tail.0 <= s && e <= sp.tail.1))
        .map(|&c| (c, None))
        .chain(split.iter().map(|sp| (sp.head, Some(sp.tail))))
        .collect();
    all.sort_unstable();
    all
}

impl Mechanism for Caption {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let skip = [FlagKind::Furniture, FlagKind::Byline, FlagKind::Caption, FlagKind::Headline];
        let mut last_end = 0usize;
        let mut squeezed = Squeezed::default();
        for (head, rest) in credits_with_tails(text, &shared_credits(text, ctx)) {
            let (cs, ce) = (head.0, head.0 + text[head.0..head.1].trim_end().len());
            if cs < last_end
                || [Some((cs, ce)), rest].into_iter().flatten().any(|(s, e)| roles::has(&ctx.roles, s, e, &skip))
            {
                continue;
            }
            let before = &text[..cs];
            let q = before.trim_end_matches(is_blank_char).len();
            let gap = &text[q..cs];
            let blank_sep = gap.contains("\n\n") || gap.contains('\x0c');
            let prev = text[..q].chars().next_back();
            // Only blanks between the line's start and the credit, and between the
            // credit and the line's end (found without scanning a long line).
            let lead = before.trim_end_matches(is_inline_blank);
            let line_start = (lead.is_empty() || lead.ends_with(['\n', '\x0c'])).then_some(lead.len());
            let tail = text[ce..].trim_start_matches(is_inline_blank);
            let credit_ends_line = tail.is_empty() || tail.starts_with(['\n', '\x0c']);
            // `restated`: the caption found repeats words of the document.
            let (mut start, mut restated) = (cs, false);
            let bracketed = text[cs..].starts_with(['（', '(']);
            if !blank_sep
                && (bracketed || prev.is_some_and(|c| matches!(c, '。' | '！' | '？' | '!' | '?' | '）' | ')' | '”')))
            {
                if let Some(s) = self.sentence_start(text, q) {
                    let s = s + (text[s..q].len() - text[s..q].trim_start().len());
                    if s < q {
                        start = s;
                    }
                }
            } else if let (Some(line_start), true) = (line_start, credit_ends_line) {
                if let Some((s, past_stray_mark)) = self.block_above(text, line_start, &mut squeezed) {
                    if !roles::has(&ctx.roles, s, q, &skip) {
                        (start, restated) = (s, past_stray_mark);
                    }
                }
            }
            if start < q && !restated {
                (start, restated) = repeated_suffix(text, start, q, &mut squeezed);
            }
            if start < last_end || roles::has(&ctx.roles, start, cs, &[FlagKind::Furniture, FlagKind::Byline]) {
                (start, restated) = (cs, false);
            }
            // The credit alone, or a sentence on its line that restates nothing:
            // perhaps the caption was read together with the body beside it.
            let alone = start == cs || !text[start..cs].contains('\n');
            let pieces = if restated || !alone { None } else { self.interleaved(text, cs, &mut squeezed) };
            let pieces =
                pieces.filter(|p| p[0].0 >= last_end && !p.iter().any(|&(s, e)| roles::has(&ctx.roles, s, e, &skip)));
            let mut parts = match pieces {
                Some(mut pieces) => {
                    pieces.push((cs, ce));
                    pieces
                }
                None => vec![(start, ce)],
            };
            parts.extend(rest);
            last_end = parts[parts.len() - 1].1;
            out.flag(match parts.len() {
                1 => StepFlag::new(start, ce, FlagKind::Caption),
                _ => StepFlag::in_parts(merge_adjacent(text, parts), FlagKind::Caption),
            });
        }
        if text.contains('▲') || text.contains('△') || text.contains("图为") {
            for m in MARKED.find_iter(text) {
                let s = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
                let e = m.start() + m.as_str().trim_end().len();
                if s < e && s >= last_end && !roles::has(&ctx.roles, s, e, &[FlagKind::Caption]) {
                    out.flag(StepFlag::new(s, e, FlagKind::Caption));
                }
            }
        }
    }
}

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
//! When OCR interleaves a caption with a body column (`…待管理工 计。` /
//! `作。…在未链 记者/毛伟欣 摄`), only the credit is found. A caption without a
//! credit, `▲` or `图为` is not recognised.

use super::layout::{counts, floor_boundary, is_blank_char, shared_credits};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use crate::text::is_han;
use regex::Regex;
use std::sync::LazyLock;

static MARKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t\u{3000}]*(?:▲|△|图\s*为)[^\n\x0c]*").expect("caption marker pattern"));

/// The caption detector.
pub struct Caption {
    max_sentence: usize,
    max_block: usize,
    wrap_width: usize,
}

impl Caption {
    /// Reads `max-sentence` (longest caption sentence in characters, default 60),
    /// `max-block` (longest stand-alone block taken as a cut-off caption, default
    /// 50) and `wrap-width` (caption lines wrapped over newlines are at most this
    /// wide, default 18).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Caption {
            max_sentence: p.usize("max-sentence", 60)?,
            max_block: p.usize("max-block", 50)?,
            wrap_width: p.usize("wrap-width", 18)?,
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

    /// Start of the caption standing alone right above a credit line at `ls`. A
    /// stray mark of the photo (`风`) may stand between them: the block above it
    /// is the caption when it restates words of the document.
    fn block_above(&self, text: &str, ls: usize, squeezed: &mut Squeezed) -> Option<usize> {
        let (bs, be) = self.block_before(text, ls)?;
        if counts(&text[bs..be]).0 < 3 {
            let (s, e) = self.block_before(text, bs)?;
            return self.caption_in_block(text, s, e).filter(|&c| repeats(text, c, e, 4, squeezed));
        }
        self.caption_in_block(text, bs, be)
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
        let blank = match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => 1,
            0xE3 if b[i..].starts_with("\u{3000}".as_bytes()) => 3,
            _ => {
                i += 1;
                continue;
            }
        };
        v.extend_from_slice(&b[run..i]);
        i += blank;
        run = i;
    }
    v.extend_from_slice(&b[run..]);
    v
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
}

/// Whether `text[from..q]` (without its final mark) occurs twice in the text
/// around it (within [`REPEAT_REACH`], blanks ignored): a caption restates words
/// of its article. A suffix of a string that occurs twice does too.
fn occurs_twice(text: &str, from: usize, q: usize, squeezed: &mut Squeezed) -> bool {
    // Around `q`, the caption's end, so that every test for one caption (its
    // candidates share that end) reuses one window.
    let lo = floor_boundary(text, q.saturating_sub(REPEAT_REACH).min(from));
    let mut hi = (q + REPEAT_REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    if squeezed.window != (lo, hi) {
        *squeezed = Squeezed { window: (lo, hi), bytes: squeeze(&text[lo..hi]) };
    }
    memchr::memmem::find_iter(&squeezed.bytes, &squeeze(body_of(text, from, q))).take(2).count() == 2
}

/// [`occurs_twice`], for a string of `min_han` Han characters or more.
fn repeats(text: &str, from: usize, q: usize, min_han: usize, squeezed: &mut Squeezed) -> bool {
    body_of(text, from, q).chars().filter(|&c| is_han(c)).count() >= min_han && occurs_twice(text, from, q, squeezed)
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
fn repeated_suffix(text: &str, start: usize, q: usize, squeezed: &mut Squeezed) -> usize {
    if repeats(text, start, q, 4, squeezed) {
        return start;
    }
    let cand = &text[start..q];
    let after_blank = cand
        .char_indices()
        .zip(cand.chars().skip(1))
        .filter(|((_, c), n)| c.is_whitespace() && !n.is_whitespace())
        .map(|((i, c), _)| start + i + c.len_utf8())
        .find(|&b| repeats(text, b, q, 4, squeezed));
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
    cut.filter(|&b| !occurs_twice(text, start, b, squeezed)).unwrap_or(start)
}

impl Mechanism for Caption {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let skip = [FlagKind::Furniture, FlagKind::Byline, FlagKind::Caption, FlagKind::Headline];
        let mut last_end = 0usize;
        let mut squeezed = Squeezed::default();
        for &(cs, ce) in shared_credits(text, ctx).iter() {
            let ce = cs + text[cs..ce].trim_end().len();
            if cs < last_end || roles::has(&ctx.roles, cs, ce, &skip) {
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
            let mut start = cs;
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
                if let Some(s) = self.block_above(text, line_start, &mut squeezed) {
                    if !roles::has(&ctx.roles, s, q, &skip) {
                        start = s;
                    }
                }
            }
            if start < q {
                start = repeated_suffix(text, start, q, &mut squeezed);
            }
            if start < last_end || roles::has(&ctx.roles, start, cs, &[FlagKind::Furniture, FlagKind::Byline]) {
                start = cs;
            }
            out.flag(StepFlag::new(start, ce, FlagKind::Caption));
            last_end = ce;
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

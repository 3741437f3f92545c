//! ## What it does
//! Flags photo captions (kind `caption`): a credit (`记者/杨凌凌 摄`,
//! `本报记者 张三 摄`, `张三 摄`, `芦淞区委宣传部 供图`, `图/新华社`, `（新华社发）`, `资料图`) together with the caption
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
//! credit, and its second half is a part of the flag. A caption sentence set
//! apart from its credit on a line of its own is found by the clause of the
//! article it restates, and joined with a credit left alone near it ([`apart`]).
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
//! interleaved character by character yields the credit alone. A caption without
//! a credit, `▲` or `图为` is found only when it restates a clause of its article
//! on a line of its own; a credit more than `apart-rows` rows from it is a flag
//! of its own.

mod apart;
mod interleaved;
mod occurrences;
mod restated;

use super::layout::{counts, is_blank_char, line_table, shared_credits, shared_split_credits, LineTable, SplitCredit};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use interleaved::merge_adjacent;
use regex::Regex;
use restated::{repeated_suffix, repeats, Squeezed};
use std::sync::LazyLock;

static MARKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t\u{3000}]*(?:▲|△|图\s*为)[^\n\x0c]*").expect("caption marker pattern"));

/// The caption detector.
pub struct Caption {
    max_sentence: usize,
    max_block: usize,
    wrap_width: usize,
    interleaved_rows: usize,
    apart_rows: usize,
}

impl Caption {
    /// Reads `max-sentence` (longest caption sentence in characters, default 60),
    /// `max-block` (longest stand-alone block taken as a cut-off caption, default
    /// 50) and `wrap-width` (caption lines wrapped over newlines are at most this
    /// wide, default 18) and `interleaved-rows` (rows above a credit searched for
    /// the pieces of a caption interleaved with the body, default 4) and
    /// `apart-rows` (non-blank rows between a caption sentence set apart and the
    /// credit left alone that is taken as its credit, default 12).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Caption {
            max_sentence: p.usize("max-sentence", 60)?,
            max_block: p.usize("max-block", 50)?,
            wrap_width: p.usize("wrap-width", 18)?,
            interleaved_rows: p.usize("interleaved-rows", 4)?,
            apart_rows: p.usize("apart-rows", 12)?,
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
        let inner = block.trim_end_matches(SENTENCE_END);
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

/// A byte range of the text.
type Span = (usize, usize);

/// The marks that end a caption sentence.
const SENTENCE_END: [char; 5] = ['。', '！', '？', '!', '?'];

/// The credits in order, each with the tail of its second row when a
/// column break split it (`split`; the head stands for the credit), a whole
/// credit that is such a head or lies in such a tail left out.
fn credits_with_tails(credits: &[Span], split: &[SplitCredit]) -> Vec<(Span, Option<Span>)> {
    let mut all: Vec<_> = credits
        .iter()
        .filter(|&&(s, e)| !split.iter().any(|sp| sp.head == (s, e) || sp.tail.0 <= s && e <= sp.tail.1))
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
        let mut found: Vec<Found> = Vec::new();
        for (head, rest) in credits_with_tails(&shared_credits(text, ctx), &shared_split_credits(text, ctx)) {
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
            let lone_credit = parts.len() == 1 && start == cs;
            found.push(Found { parts: merge_adjacent(text, parts), lone_credit });
        }
        if text.contains('▲') || text.contains('△') || text.contains("图为") {
            let mut marked = Vec::new();
            for m in MARKED.find_iter(text) {
                let s = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
                let e = m.start() + m.as_str().trim_end().len();
                if s < e && !overlaps(&found, s, e) && !roles::has(&ctx.roles, s, e, &[FlagKind::Caption]) {
                    marked.push(Found { parts: vec![(s, e)], lone_credit: false });
                }
            }
            found.append(&mut marked);
            found.sort_unstable_by_key(|f| f.parts[0].0);
        }
        let table = line_table(text, ctx);
        let free = |s, e| !overlaps(&found, s, e) && !roles::has(&ctx.roles, s, e, &skip);
        let apart = apart::sentences_apart(text, &table, self.max_sentence, free, &mut squeezed);
        for flag in self.with_sentences_apart(found, &apart, &table) {
            out.flag(StepFlag::in_parts(merge_adjacent(text, flag), FlagKind::Caption));
        }
    }
}

/// A caption the detector found: its pieces, and whether it is a credit alone.
struct Found {
    parts: Vec<Span>,
    lone_credit: bool,
}

impl Found {
    fn hull(&self) -> Span {
        (self.parts[0].0, self.parts[self.parts.len() - 1].1)
    }
}

/// Whether `s..e` overlaps the hull of one of `found` (sorted, hulls apart).
fn overlaps(found: &[Found], s: usize, e: usize) -> bool {
    let j = found.partition_point(|f| f.hull().1 <= s);
    found.get(j).is_some_and(|f| f.hull().0 < e)
}

impl Caption {
    /// The captions `found` (in text order) and the sentences set `apart`, each
    /// such sentence joined with the credit left alone next to it: the first
    /// caption below it when that is a lone credit with no other sentence set
    /// apart between them, else the last caption above it so; at most
    /// `apart-rows` non-blank rows away. A sentence without one is a caption alone.
    fn with_sentences_apart(&self, found: Vec<Found>, apart: &[Span], table: &LineTable) -> Vec<Vec<Span>> {
        let rows_between = |a: usize, b: usize| {
            let (i, j) = (table.lines.partition_point(|l| l.end < a), table.lines.partition_point(|l| l.end < b));
            table.facts[(i + 1).min(j)..j].iter().filter(|f| f.ts < f.te).count()
        };
        let mut joined: Vec<Option<Span>> = found.iter().map(|_| None).collect();
        let mut alone = Vec::new();
        for (k, &(s, e)) in apart.iter().enumerate() {
            let next_apart = apart.get(k + 1).map_or(usize::MAX, |a| a.0);
            let prev_apart = k.checked_sub(1).map_or(0, |p| apart[p].1);
            let j = found.partition_point(|f| f.hull().0 < s);
            let open = |i: usize| found[i].lone_credit && joined[i].is_none();
            let below = (j < found.len() && open(j))
                .then_some(j)
                .filter(|&j| found[j].hull().0 < next_apart && rows_between(e, found[j].hull().0) <= self.apart_rows);
            let above = j.checked_sub(1).filter(|&i| {
                open(i) && found[i].hull().1 > prev_apart && rows_between(found[i].hull().1, s) <= self.apart_rows
            });
            match below.or(above) {
                Some(i) => joined[i] = Some((s, e)),
                None => alone.push(vec![(s, e)]),
            }
        }
        let mut flags: Vec<Vec<Span>> = found
            .into_iter()
            .zip(joined)
            .map(|(f, sentence)| {
                let mut parts = f.parts;
                parts.extend(sentence);
                parts.sort_unstable();
                parts
            })
            .chain(alone)
            .collect();
        flags.sort_unstable_by_key(|f| f[0].0);
        flags
    }
}

//! ## What it does
//! Pairs the parentheses of each line and makes a pair full-width `（…）` when
//! it belongs to Chinese prose: its content contains Han, or the character before
//! the opening parenthesis is Han or CJK punctuation. `株洲日报讯(通讯员/陈聘)` →
//! `株洲日报讯（通讯员/陈聘）`, `(一)` → `（一）`, but `UDP (User Datagram
//! Protocol)` keeps its ASCII pair.
//! A half-full pair (`TCP（Transmission Control Protocol)`) follows the same test and
//! may become ASCII; a pair the engine read full-width on both sides is kept.
//! An unpaired parenthesis is decided by its neighbours like a comma; an unpaired
//! `)` before a Chinese mark is full-width when its clause contains Han (the lost
//! `(` followed Han: `委员会 technical committee)”。`). With
//! `angle-as-paren = true`, Tesseract's `〈` or `《` closed by `)`/`）` (with no
//! `〉`/`》` after it on the line) is read as `（`, and a double reading of one
//! parenthesis (`〈(`, `〈《`, `（《`) loses its extra mark.
//! Spaces inside and around a converted pair are removed.
//!
//! ## Why is this bad?
//! Half-width parentheses in Chinese prose are an OCR artefact; the page printed
//! `（）`. Pairing keeps both halves the same width.
//!
//! ## Example
//! `各街道(镇)迅速响应` → `各街道（镇）迅速响应`
//!
//! ## Fix safety
//! Safe: only pairs with Chinese evidence change; Latin pairs stay ASCII.
//!
//! ## Known problems
//! A parenthesis lost by the OCR engine leaves its partner unpaired; it is then
//! decided by its neighbours alone.

use super::params::Params;
use super::punct_common::{
    is_cjk_punct, is_cjkish, is_han, lines_at, merged, next_char, prev_char, spaces_after, spaces_before,
};
use crate::rules::{Context, Mechanism, Output};
use crate::text::CharFinder;

/// `〈` and `《`, the angle marks Tesseract reads for a parenthesis.
static ANGLE_BRACKET: CharFinder = CharFinder::new('〈');
static DOUBLE_ANGLE_BRACKET: CharFinder = CharFinder::new('《');

/// The parenthesis pairer.
pub struct PunctParens {
    angle: bool,
    trim_spaces: bool,
}

impl PunctParens {
    /// Reads `angle-as-paren` (default true) and `trim-spaces` (true).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(PunctParens { angle: p.bool("angle-as-paren", true)?, trim_spaces: p.bool("trim-spaces", true)? })
    }
}

/// Byte length of `〈` and `《` (both U+30xx), the marks `drop_angle` removes.
const ANGLE_LEN: usize = 3;

#[derive(Clone, Copy)]
struct Paren {
    at: usize,
    ch: char,
}

/// Whether the character before an opening parenthesis makes it Chinese; an
/// ASCII `,:;` counts when it is itself in Chinese context (it is converted later).
fn chinese_before(text: &str, i: usize) -> bool {
    match prev_char(text, i) {
        Some((_, c)) if is_cjkish(c) => true,
        Some((j, ',' | ':' | ';' | '?' | '!')) => prev_char(text, j).is_some_and(|(_, c)| is_cjkish(c)),
        _ => false,
    }
}

/// How far back (in characters) `clause_has_han` looks: a parenthetical is short, and
/// the bound keeps a line of many unpaired `)` linear.
const CLAUSE_LOOKBACK: usize = 64;

/// Whether the clause before a lost opening parenthesis (back to the last CJK mark
/// of the line) contains Han: `技术委员会 technical committee)”` lost a `（`
/// that followed Han, which the gold convention makes full-width.
fn clause_has_han(before: &str) -> bool {
    before.chars().rev().take(CLAUSE_LOOKBACK).take_while(|&c| !is_cjk_punct(c)).any(is_han)
}

impl Mechanism for PunctParens {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        // Full-width pairs alone are kept as read: only a line with an ASCII
        // parenthesis or an angle mark can lead to an edit. One byte search each
        // ([`CharFinder`]) rather than a character-set search, which decodes
        // every character.
        let angles = self
            .angle
            .then(|| merged(ANGLE_BRACKET.finder().find_iter(b), DOUBLE_ANGLE_BRACKET.finder().find_iter(b)))
            .into_iter()
            .flatten();
        // (start, end, replacement) decisions, collected per line then emitted in order.
        let mut edits: Vec<(usize, usize, char)> = Vec::new();
        for (ls, le) in lines_at(text, merged(memchr::memchr2_iter(b'(', b')', b), angles)) {
            let line = &text[ls..le];
            if !line.chars().any(is_han) {
                continue;
            }
            edits.clear();
            let mut stack: Vec<Paren> = Vec::new();
            let mut drop_angle: Vec<usize> = Vec::new();
            // An angle mark is closed when its partner follows it on the line.
            let (last_close_angle, last_close_title) = (line.rfind('〉'), line.rfind('》'));
            for (k, c) in line.char_indices() {
                let i = ls + k;
                match c {
                    '(' | '（' => stack.push(Paren { at: i, ch: c }),
                    '〈' | '《'
                        if self.angle
                            && (if c == '〈' { last_close_angle } else { last_close_title }).is_none_or(|j| j < k) =>
                    {
                        // No `〉`/`》` closes it: Tesseract's `（`. `〈(`, `〈《` and `（《` are
                        // one parenthesis read twice.
                        let next = next_char(text, i + c.len_utf8()).map(|n| n.1);
                        let prev = prev_char(text, i).map(|p| p.1);
                        if c == '〈' && matches!(next, Some('(' | '（' | '《'))
                            || c == '《' && matches!(prev, Some('(' | '（'))
                        {
                            drop_angle.push(i);
                        } else {
                            stack.push(Paren { at: i, ch: c });
                        }
                    }
                    ')' | '）' => {
                        let open = stack.pop();
                        let chinese = match open {
                            // Both already full-width: the engine's reading stands.
                            Some(o) if o.ch == '（' && c == '）' => true,
                            Some(o) => {
                                let inner = &text[o.at + o.ch.len_utf8()..i];
                                let chinese = matches!(o.ch, '〈' | '《')
                                    || inner.chars().any(is_han)
                                    || chinese_before(text, o.at);
                                if !chinese && (o.ch == '（' || c == '）') {
                                    // A half-full Latin pair (`TCP（Transmission Control Protocol)`): ASCII.
                                    if o.ch == '（' {
                                        edits.push((o.at, o.at + o.ch.len_utf8(), '('));
                                    }
                                    if c == '）' {
                                        edits.push((i, i + c.len_utf8(), ')'));
                                    }
                                }
                                chinese
                            }
                            None => {
                                // A run of closing parentheses is decided as a whole by what
                                // stands around it, so that converting some of them cannot
                                // change the decision for the others on a second run.
                                let run_start = line[..k].trim_end_matches([')', '）']).len();
                                let rest = &line[k..];
                                let run_end = i + rest.len() - rest.trim_start_matches([')', '）']).len();
                                let next = next_char(text, run_end).map(|n| n.1);
                                chinese_before(text, ls + run_start)
                                    || next.is_some_and(is_han)
                                    || next.is_some_and(is_cjk_punct) && clause_has_han(&line[..run_start])
                            }
                        };
                        if chinese {
                            if let Some(o) = open {
                                if o.ch != '（' {
                                    edits.push((o.at, o.at + o.ch.len_utf8(), '（'));
                                }
                            }
                            if c != '）' {
                                edits.push((i, i + 1, '）'));
                            }
                        }
                    }
                    _ => {}
                }
            }
            // Unpaired opening parentheses: decided by their neighbours.
            for o in stack.drain(..) {
                if o.ch == '（' {
                    continue;
                }
                let after = next_char(text, o.at + o.ch.len_utf8());
                if o.ch == '《' {
                    // An unclosed title mark may continue on the next line.
                    continue;
                }
                if o.ch == '〈' {
                    if after.is_some_and(|n| is_han(n.1)) {
                        edits.push((o.at, o.at + o.ch.len_utf8(), '（'));
                    }
                    continue;
                }
                // A run of opening parentheses (`((((字`) is decided as a whole by
                // what stands around it, like a run of closing ones, so that
                // converting some of them cannot change the decision for the
                // others on a second run.
                let k = o.at - ls;
                let run_start = ls + line[..k].trim_end_matches(['(', '（']).len();
                let rest = &line[k..];
                let run_end = o.at + rest.len() - rest.trim_start_matches(['(', '（']).len();
                if chinese_before(text, run_start) || next_char(text, run_end).is_some_and(|n| is_han(n.1)) {
                    edits.push((o.at, o.at + 1, '（'));
                }
            }
            edits.sort_unstable_by_key(|e| e.0);
            let mut last_end = ls;
            let mut di = 0;
            for &(s, e, r) in edits.iter() {
                while di < drop_angle.len() && drop_angle[di] < s {
                    let a = drop_angle[di];
                    if a >= last_end {
                        let ae = spaces_after(b, a + ANGLE_LEN);
                        out.edit(spaces_before(b, a).max(last_end), ae, "");
                        last_end = ae;
                    }
                    di += 1;
                }
                let trim = self.trim_spaces && r != '(' && r != ')';
                let (s2, e2) = if trim { (spaces_before(b, s).max(last_end), spaces_after(b, e)) } else { (s, e) };
                if s2 < last_end {
                    continue;
                }
                out.edit(s2, e2, r.encode_utf8(&mut [0; 4]) as &str);
                last_end = e2;
            }
            for &a in &drop_angle[di..] {
                if a >= last_end {
                    let ae = spaces_after(b, a + ANGLE_LEN);
                    out.edit(spaces_before(b, a).max(last_end), ae, "");
                    last_end = ae;
                }
            }
        }
    }
}

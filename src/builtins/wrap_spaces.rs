//! ## What it does
//! Removes the spaces an OCR engine left where a printed column line ended:
//! between Han characters (`党员干 部` → `党员干部`), between Han and a digit
//! (`11月12 日` → `11月12日`), and next to Chinese punctuation, also while it is
//! still ASCII (`角逐, 中车` → `角逐,中车`; the punctuation rules then make the
//! comma full-width).
//!
//! ## Why is this bad?
//! Engines that join the lines of a block with one space put a space wherever
//! the printed line ended, usually inside a word. Chinese prose has no spaces
//! between Han characters, so the space splits words for search, tokenizers and
//! readers.
//!
//! ## Evidence, case by case
//! The unit is a line of the text it sees (paragraphs are joined before this runs,
//! so a line is a paragraph). For every space run it looks at the characters on
//! both sides:
//! - **Letter-spaced lines** (at least `letter-spaced-min` one-character tokens,
//!   and they are at least half the tokens: `软 件 包 缓 存`, `D e b i a n`): the
//!   spaces between CJK characters and between single letters (and a `.`, `-`,
//!   `:`, `/`, `_` between them: `d e b i a n . n e t`) go, also in headlines:
//!   the spacing is typographic decoration or justification.
//! - **Roles**: inside a span an earlier rule flagged as headline, headline
//!   fragment, byline, caption or furniture, spaces are typeset and stay.
//! - **Headings**: a line of at most `heading-max-chars` characters without any
//!   sentence punctuation is a heading or sub-headline (`连续奋战 在抗疫一线展现担当`):
//!   its spaces stay.
//! - **Bylines**: a space followed by a byline word (`通讯员`, `记者`, …) after a
//!   token containing `/` separates two bylines (`记者/高晓燕 通讯员/文轶洲`): stays.
//! - **Period**: in a paragraph the wrap spaces recur at the column width. The
//!   widths (display columns, `unicode-width`; ASCII punctuation next to Han counts
//!   as full-width, the page printed it so) of the segments between spaces are
//!   compared; the width shared by at least `min-period-support` segments (within
//!   `period-tolerance` columns plus `latin-tolerance` per ASCII character) is the
//!   period. A space at a multiple of the period from the previous wrap is a wrap.
//!   No period is sought in a line whose every space touches a Latin letter or a
//!   digit: such a line may be all typeset spaces (`NAT 只用于 IPv4 及其…`), and a
//!   wrapped paragraph breaks between CJK characters somewhere.
//! - **Lexicon**: a jieba dictionary word across the space (`干|部`, `贯|彻`) marks
//!   a wrap.
//! - **Between Han characters / CJK punctuation** in prose: removed, unless the
//!   space is *typeset*: it is off the period (a period is established) or inside
//!   a slogan quotation (one without sentence punctuation: reported speech is
//!   prose) whose phrases are parallel (both at least three characters, or equal:
//!   a wrap cuts a quoted title unevenly, `"中国中车技术 标兵"`), no word straddles
//!   it, and both sides are runs of at least two Han characters
//!   (`"学思践悟二十大 砥砺奋进新征程"`).
//! - **Between Han and a digit**: the page may print a space there (`第 6.2.4 节`).
//!   Removed when it is a wrap by period, or when the paragraph writes Han next to
//!   Latin letters and digits without spaces elsewhere (the engine drops typeset
//!   spaces, so this one is a wrap: `11月12 日`), unless the number is spaced on
//!   both sides (`第 14.7 节`: a wrap falls on one side). Kept otherwise.
//! - **Han and Latin words**: never touched (`戴好 N95 口罩`, `使用 APT 软件`).
//!
//! ## Example
//! `组织全体党员干 部,赴茶陵` → `组织全体党员干部,赴茶陵`
//!
//! ## Fix safety
//! Safe: only spaces are removed, and every removal is in the edit log.
//!
//! ## Known problems
//! A typeset space between Han characters in prose that is neither quoted nor
//! off a measurable period is removed. A wrap space inside a heading-like short
//! line stays.

use super::lexicon;
use super::params::Params;
use crate::rules::{Context, FlagKind, Mechanism, Output};
use crate::text::{is_cjk_punct, is_han, IDEOGRAPHIC_SPACE};
use unicode_width::UnicodeWidthChar;

/// The wrap-space remover.
pub struct WrapSpaces {
    tolerance: f64,
    latin_tolerance: f64,
    min_period_support: usize,
    heading_max_chars: usize,
    letter_spaced_min: usize,
    lexicon: bool,
    digits: bool,
    byline_words: Vec<String>,
}

impl WrapSpaces {
    /// Reads the parameters (see the rule file S001 for their meaning).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(WrapSpaces {
            tolerance: p.f64("period-tolerance", 2.5)?,
            latin_tolerance: p.f64("latin-tolerance", 0.3)?,
            min_period_support: p.usize("min-period-support", 3)?.max(2),
            heading_max_chars: p.usize("heading-max-chars", 24)?,
            letter_spaced_min: p.usize("letter-spaced-min", 4)?.max(2),
            lexicon: p.bool("lexicon", true)?,
            digits: p.bool("digits", true)?,
            byline_words: p.strings("byline-words", &["通讯员", "记者", "实习生", "摄影", "全媒体记者", "见习记者"])?,
        })
    }
}

/// Roles whose spaces are typeset. Bylines are not among them: inside a byline
/// only the space between two bylines is typeset (the byline-pair test), the
/// others are wraps (`记者/王 怡萍`).
const KEEP_ROLES: [FlagKind; 4] =
    [FlagKind::Headline, FlagKind::HeadlineFragment, FlagKind::Caption, FlagKind::Furniture];

/// At most this many segments of a line are compared to find its period: a
/// printed paragraph has far fewer lines, and the search stays bounded (4M
/// comparisons) on a single-line document of any size.
const PERIOD_SAMPLE: usize = 2048;

#[inline]
fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

#[inline]
fn is_ascii_punct_cjk(c: char) -> bool {
    matches!(c, ',' | ':' | ';' | '?' | '!' | '(' | ')' | '"' | '\'')
}

#[inline]
fn is_sentence_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '？' | '！' | '、' | ',' | ';' | ':' | '?' | '!')
}

/// One space run in a line.
#[derive(Debug, Clone, Copy)]
struct Gap {
    s: usize,
    e: usize,
    /// Display columns of non-space content before the gap (from line start).
    col: f64,
    /// ASCII characters before the gap (from line start), for the tolerance.
    ascii: u32,
    left3: char,
    left2: char,
    left: char,
    right: char,
    right2: char,
    right3: char,
    /// Length in chars of the tokens left and right.
    ltok: u32,
    rtok: u32,
    /// Start byte of the left token.
    ltok_start: usize,
    /// Whether a title or slogan quotation (no sentence punctuation) is open at the gap.
    in_quote: bool,
    /// Inside a quotation: characters of the phrase before the gap (since the opening
    /// mark or the previous gap) and after it (to the next gap or the closing mark;
    /// 0 while the quotation is not closed on the line).
    qseg_l: u32,
    qseg_r: u32,
}

/// Whether the token with a digit at gap `i` (a number, `IPv4`) is spaced from
/// Han text on both sides (`第 14.7 节`, `凌晨 2:30 之后`): typeset, since no
/// column is so narrow that its line ends fall on both sides of one token.
fn spaced_on_both_sides(gaps: &[Gap], i: usize) -> bool {
    let g = &gaps[i];
    if g.right.is_ascii_digit() {
        gaps.get(i + 1).is_some_and(|n| n.ltok_start == g.e && is_han(n.right))
    } else {
        i > 0 && gaps[i - 1].e == g.ltok_start && is_han(gaps[i - 1].left)
    }
}

/// Buffers reused from line to line (no allocation per line).
#[derive(Default)]
struct Scratch {
    gaps: Vec<Gap>,
    on_period: Vec<bool>,
    /// The nearest on-period gap before and after each gap.
    prev_on: Vec<Option<usize>>,
    next_on: Vec<Option<usize>>,
}

#[derive(Default)]
struct LineStats {
    tokens: u32,
    singles: u32,
    chars: u32,
    punct: bool,
    han_alnum_tight: u32,
    han_alnum_spaced: u32,
}

impl Mechanism for WrapSpaces {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        // Quick exit: no ASCII space, tab or ideographic space at all.
        if memchr::memchr2(b' ', b'\t', b).is_none() && !IDEOGRAPHIC_SPACE.is_in(text) {
            return;
        }
        let mut scratch = Scratch::default();
        let mut start = 0;
        while start < text.len() {
            let end = memchr::memchr(b'\n', &b[start..]).map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            let spaced = memchr::memchr2(b' ', b'\t', line.as_bytes()).is_some() || IDEOGRAPHIC_SPACE.is_in(line);
            if spaced && !only_latin_gaps(line) {
                self.line(line, start, ctx, &mut scratch, out);
            }
            start = end + 1;
        }
    }
}

impl WrapSpaces {
    fn line(&self, line: &str, off: usize, ctx: &Context, scratch: &mut Scratch, out: &mut Output) {
        let Scratch { gaps, on_period, prev_on, next_on } = scratch;
        gaps.clear();
        let st = scan(line, off, gaps);
        if gaps.is_empty() {
            return;
        }
        let in_role = |g: &Gap| super::roles::has(&ctx.roles, g.s, g.e, &KEEP_ROLES);
        let letter_spaced = st.singles as usize >= self.letter_spaced_min && st.singles * 2 >= st.tokens;
        if letter_spaced {
            for g in gaps.iter() {
                let cjk = cjkish_left(g.left, g.left2) && cjkish_right(g.right, g.right2);
                // Single letters, and a `.` `-` `:` `/` `_` between them (`d e b i a n . n e t`).
                let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/' | '_');
                let letters = g.ltok == 1
                    && g.rtok == 1
                    && latin(g.left)
                    && latin(g.right)
                    && (g.left.is_ascii_alphanumeric() || g.right.is_ascii_alphanumeric());
                if cjk || letters {
                    out.edit(g.s, g.e, "");
                }
            }
            return;
        }
        let heading = !st.punct && (st.chars as usize) <= self.heading_max_chars;
        if heading {
            return;
        }
        let mut period = 0.0;
        // A line whose every gap touches a Latin letter or a digit may be all
        // typeset spaces (`NAT 只用于 IPv4 及其…`): their distances are no
        // evidence of a column. A wrapped paragraph breaks between CJK
        // characters somewhere.
        if gaps.iter().any(|g| cjkish_left(g.left, g.left2) && cjkish_right(g.right, g.right2)) {
            self.periods(gaps, on_period, &mut period);
        } else {
            on_period.clear();
            on_period.resize(gaps.len(), false);
        }
        let tight_style = st.han_alnum_tight > 0 && st.han_alnum_tight >= st.han_alnum_spaced;
        // The nearest on-period gaps before and after each gap, in one pass each
        // way (searching per gap is quadratic on a long line).
        prev_on.clear();
        prev_on.resize(gaps.len(), None);
        next_on.clear();
        next_on.resize(gaps.len(), None);
        for i in 1..gaps.len() {
            prev_on[i] = if on_period[i - 1] { Some(i - 1) } else { prev_on[i - 1] };
        }
        for i in (0..gaps.len().saturating_sub(1)).rev() {
            next_on[i] = if on_period[i + 1] { Some(i + 1) } else { next_on[i + 1] };
        }
        for (i, g) in gaps.iter().enumerate() {
            if in_role(g) {
                continue;
            }
            let lc = cjkish_left(g.left, g.left2);
            let rc = cjkish_right(g.right, g.right2);
            let remove = if lc && rc {
                if self.byline_pair(line, off, g) {
                    false
                } else if on_period[i] {
                    true
                } else {
                    !self.typeset(g, self.inside_measured_line(gaps, (prev_on[i], next_on[i]), i, period))
                }
            } else if self.digits
                && ((is_han(g.left) && g.right.is_ascii_digit()) || (g.left.is_ascii_digit() && is_han(g.right)))
            {
                on_period[i] || tight_style && !spaced_on_both_sides(gaps, i)
            } else if self.digits
                && ((lc && !is_han(g.left) && g.right.is_ascii_digit())
                    || (g.left.is_ascii_digit() && rc && !is_han(g.right)))
            {
                // Chinese punctuation next to a digit: no space in Chinese typesetting.
                on_period[i] || tight_style || is_cjk_punct(g.left) || is_cjk_punct(g.right)
            } else {
                false
            };
            if remove {
                out.edit(g.s, g.e, "");
            }
        }
    }

    /// A space that looks typeset: both sides Han runs of >= 2, no word across,
    /// and either off an established period or inside a quotation.
    fn typeset(&self, g: &Gap, period_known: bool) -> bool {
        if !(is_han(g.left) && is_han(g.left2) && is_han(g.right) && is_han(g.right2)) {
            return false;
        }
        if g.e - g.s > 3 {
            return false;
        }
        // A slogan's phrases are parallel (`学思践悟二十大 砥砺奋进新征程`): a wrap cuts a
        // quoted title unevenly, usually before a short last word (`中车技术 标兵`).
        let slogan = g.in_quote && (g.qseg_l.min(g.qseg_r) >= 3 || g.qseg_l == g.qseg_r);
        if !(period_known || slogan) {
            return false;
        }
        !(self.lexicon && lexicon::word_across(&[g.left3, g.left2, g.left], &[g.right, g.right2, g.right3]))
    }

    /// Whether gap `i` lies inside a printed line whose both ends are wraps one
    /// period apart (or the line start and a wrap): then it is a typeset space.
    /// `(prev, next)` are the nearest on-period gaps around `i`.
    fn inside_measured_line(
        &self,
        gaps: &[Gap],
        (prev, next): (Option<usize>, Option<usize>),
        i: usize,
        period: f64,
    ) -> bool {
        if period <= 0.0 {
            return false;
        }
        let Some(next) = next else { return false };
        let (pc, pa) = prev.map_or((0.0, 0), |j| (gaps[j].col, gaps[j].ascii));
        let span = gaps[next].col - pc;
        let t = self.tolerance + self.latin_tolerance * (gaps[next].ascii - pa) as f64;
        let c = gaps[i].col;
        (span - period).abs() <= t && c - pc >= 4.0 && gaps[next].col - c >= 4.0
    }

    fn byline_pair(&self, line: &str, off: usize, g: &Gap) -> bool {
        let rest = &line[g.e - off..];
        let left = &line[g.ltok_start - off..g.s - off];
        left.contains('/') && self.byline_words.iter().any(|w| rest.starts_with(w.as_str()))
    }

    /// Marks the gaps that sit at the column period of the line.
    fn periods(&self, gaps: &[Gap], on_period: &mut Vec<bool>, period_out: &mut f64) {
        *period_out = 0.0;
        on_period.clear();
        on_period.resize(gaps.len(), false);
        let n = gaps.len();
        if n < self.min_period_support {
            return;
        }
        let seg = |i: usize| -> (f64, u32) {
            if i == 0 {
                (gaps[0].col, gaps[0].ascii)
            } else {
                (gaps[i].col - gaps[i - 1].col, gaps[i].ascii - gaps[i - 1].ascii)
            }
        };
        let tol = |ascii: u32| self.tolerance + self.latin_tolerance * ascii as f64;
        let mut best = (0usize, 0.0f64);
        // The search is quadratic: on a pathological line (a whole book on one
        // line) the period is estimated from its first PERIOD_SAMPLE segments.
        let sample = n.min(PERIOD_SAMPLE);
        for i in 0..sample {
            let (w, _) = seg(i);
            if w < 8.0 {
                continue;
            }
            let mut support = 0;
            let mut sum = 0.0;
            for j in 0..sample {
                let (wj, aj) = seg(j);
                if (wj - w).abs() <= tol(aj) {
                    support += 1;
                    sum += wj;
                }
            }
            if support > best.0 {
                best = (support, sum / support as f64);
            }
        }
        if best.0 < self.min_period_support {
            return;
        }
        let period = best.1;
        // A gap is a wrap when another gap (or the line start, for the first
        // printed line, which may be indented) lies one or two periods away.
        // Relative distances survive a lost or inserted wrap and text joined in
        // front of the paragraph.
        for i in 0..n {
            let gi = &gaps[i];
            let mut hit = false;
            let first_t = tol(gi.ascii);
            if gi.col <= period + first_t && gi.col >= period - 4.0 - first_t {
                hit = true;
            }
            let mut j = i;
            while !hit && j > 0 {
                j -= 1;
                let d = gi.col - gaps[j].col;
                if d > 2.0 * period + 8.0 {
                    break;
                }
                let t = tol(gi.ascii - gaps[j].ascii);
                hit = (d - period).abs() <= t || (d - 2.0 * period).abs() <= t;
            }
            for gj in &gaps[i + 1..] {
                if hit {
                    break;
                }
                let d = gj.col - gi.col;
                if d > 2.0 * period + 8.0 {
                    break;
                }
                let t = tol(gj.ascii - gi.ascii);
                hit = (d - period).abs() <= t || (d - 2.0 * period).abs() <= t;
            }
            on_period[i] = hit;
        }
        *period_out = period;
    }
}

/// Whether every gap of `line` (a space run between two characters) has an
/// ASCII letter on one side and is not between two one-character tokens of
/// letters or digits: [`WrapSpaces::line`] removes no such gap (the Han/Latin
/// spaces of `使用 APT 软件`, the spaces between Latin words), so the line is
/// left without its scan. After the first pass most spaced lines are such
/// lines. A test on the bytes around each space run; lines with U+3000 are scanned.
fn only_latin_gaps(line: &str) -> bool {
    let b = line.as_bytes();
    if IDEOGRAPHIC_SPACE.is_in(line) {
        return false;
    }
    let is_sp = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b' ', b'\t', &b[i..]) {
        let s = i + k;
        let e = (s..b.len()).find(|&j| !is_sp(j)).unwrap_or(b.len());
        i = e;
        // No gap without a character on both sides.
        if s == 0 || e == b.len() {
            continue;
        }
        let (l, r) = (b[s - 1], b[e]);
        if !l.is_ascii_alphabetic() && !r.is_ascii_alphabetic() {
            return false;
        }
        // `D e b i a n`: one-character tokens of letters lose their spaces.
        let single = |at: usize, before: bool| {
            if before {
                at == 0 || is_sp(at - 1)
            } else {
                is_sp(at + 1) || at + 1 == b.len()
            }
        };
        if l.is_ascii_alphanumeric() && r.is_ascii_alphanumeric() && single(s - 1, true) && single(e, false) {
            return false;
        }
    }
    true
}

#[inline]
fn cjkish_left(c: char, before: char) -> bool {
    is_han(c) || is_cjk_punct(c) || (is_ascii_punct_cjk(c) && (is_han(before) || is_cjk_punct(before)))
}

#[inline]
fn cjkish_right(c: char, after: char) -> bool {
    is_han(c)
        || is_cjk_punct(c)
        || (is_ascii_punct_cjk(c) && c != '\'' && (is_han(after) || is_cjk_punct(after)))
        || (matches!(c, ',' | '.' | ';' | ':' | '?' | '!' | ')') && !after.is_ascii_alphanumeric())
}

/// Display width of `c` as printed: ASCII punctuation next to Han was printed full-width.
#[inline]
fn width(c: char, prev: char) -> f64 {
    if c.is_ascii() {
        if is_ascii_punct_cjk(c) && (is_han(prev) || is_cjk_punct(prev)) {
            2.0
        } else {
            (!c.is_ascii_control()) as u8 as f64
        }
    } else if is_common_han(c) {
        2.0 // the common case, without the width table's lookup
    } else {
        c.width().unwrap_or(0) as f64
    }
}

/// Whether `c` is in U+4E00..=U+9FFF, the common Han block (two columns wide).
#[inline]
fn is_common_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// How many characters of the common Han block `b` (valid UTF-8) starts with:
/// three bytes each, led by `E4 B8..` up to `E9`.
fn common_han_run(b: &[u8]) -> usize {
    b.chunks_exact(3).take_while(|w| w[0] == 0xE4 && w[1] >= 0xB8 || (0xE5..=0xE9).contains(&w[0])).count()
}

/// Collects the gaps of a line and its statistics. `off` is the line's byte offset.
fn scan(line: &str, off: usize, gaps: &mut Vec<Gap>) -> LineStats {
    let mut st = LineStats::default();
    let mut col = 0.0;
    let mut ascii = 0u32;
    let (mut p3, mut p2, mut p1) = ('\0', '\0', '\0');
    let mut tok_len = 0u32;
    let mut tok_start = 0usize;
    let mut in_space = false;
    let mut space_start = 0usize;
    // Index of the gap whose right side is still being filled (right, right2).
    let mut pending_right: Option<(usize, u8)> = None;
    let mut quote_open = false;
    // A quotation with sentence punctuation is reported speech, i.e. prose: only a
    // title or slogan (`"学思践悟二十大 砥砺奋进新征程"`) is evidence of a typeset
    // space. `quote_gaps` is the first gap of the open quotation.
    let mut quote_speech = false;
    let mut quote_gaps = 0usize;
    // Characters since the quotation opened or since its last gap.
    let mut qseg = 0u32;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        if is_space(c) {
            if !in_space {
                in_space = true;
                space_start = i;
                if tok_len > 0 {
                    st.tokens += 1;
                    if tok_len == 1 {
                        st.singles += 1;
                    }
                }
                if let Some((gi, _)) = pending_right.take() {
                    if let Some(g) = gaps.get_mut(gi) {
                        g.rtok = tok_len;
                    }
                }
            }
            continue;
        }
        if in_space {
            in_space = false;
            if tok_len > 0 {
                gaps.push(Gap {
                    s: off + space_start,
                    e: off + i,
                    col,
                    ascii,
                    left3: p3,
                    left2: p2,
                    left: p1,
                    right: c,
                    right2: '\0',
                    right3: '\0',
                    ltok: tok_len,
                    rtok: 0,
                    ltok_start: off + tok_start,
                    in_quote: quote_open && !quote_speech,
                    qseg_l: qseg,
                    qseg_r: 0,
                });
                if quote_open {
                    if gaps.len() >= 2 && gaps.len() - 2 >= quote_gaps {
                        let n = gaps.len();
                        gaps[n - 2].qseg_r = qseg;
                    }
                    qseg = 0;
                }
                pending_right = Some((gaps.len() - 1, 1));
                if (is_han(p1) && c.is_ascii_alphanumeric()) || (p1.is_ascii_alphanumeric() && is_han(c)) {
                    st.han_alnum_spaced += 1;
                }
            }
            tok_len = 0;
            tok_start = i;
            p1 = '\0';
            p2 = '\0';
        } else if let Some((gi, n)) = pending_right {
            if n <= 2 {
                if let Some(g) = gaps.get_mut(gi) {
                    if n == 1 {
                        g.right2 = c;
                    } else {
                        g.right3 = c;
                    }
                }
                pending_right = Some((gi, n + 1));
            }
        }
        // The ASCII tests first: they fail on nearly every character of Han prose.
        if (c.is_ascii_alphanumeric() && is_han(p1)) || (p1.is_ascii_alphanumeric() && is_han(c)) {
            st.han_alnum_tight += 1;
        }
        let was_open = quote_open;
        match c {
            '“' => quote_open = true,
            '”' => quote_open = false,
            '"' => quote_open = !quote_open,
            _ => {}
        }
        if quote_open && !was_open {
            quote_speech = false;
            quote_gaps = gaps.len();
            qseg = 0;
        } else if was_open && !quote_open {
            if gaps.len() > quote_gaps {
                let n = gaps.len();
                gaps[n - 1].qseg_r = qseg;
            }
        } else if quote_open {
            qseg += 1;
        }
        if is_sentence_punct(c) {
            st.punct = true;
            if quote_open && !quote_speech {
                quote_speech = true;
                // Each gap is cleared at most once: the scan stays linear.
                for g in &mut gaps[quote_gaps..] {
                    g.in_quote = false;
                }
            }
        }
        col += width(c, p1);
        if c.is_ascii() {
            ascii += 1;
        }
        st.chars += 1;
        tok_len += 1;
        p3 = p2;
        p2 = p1;
        p1 = c;
        // The common Han characters that follow one (most of a Chinese line)
        // only add to the counts above: no gap's right side waits for them, and
        // none is a space, a quotation mark, punctuation or next to ASCII.
        if is_common_han(c) && pending_right.is_none_or(|(_, n)| n > 2) {
            let k = common_han_run(&line.as_bytes()[i + c.len_utf8()..]);
            col += 2.0 * k as f64;
            st.chars += k as u32;
            tok_len += k as u32;
            if quote_open {
                qseg += k as u32;
            }
            for (_, d) in chars.by_ref().take(k) {
                p3 = p2;
                p2 = p1;
                p1 = d;
            }
        }
    }
    if tok_len > 0 {
        st.tokens += 1;
        if tok_len == 1 {
            st.singles += 1;
        }
        if let Some((gi, _)) = pending_right {
            if let Some(g) = gaps.get_mut(gi) {
                g.rtok = tok_len;
            }
        }
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let t = toml::Table::new();
        let m = WrapSpaces::new(&Params::new(&t)).expect("params");
        let mut out = Output::default();
        m.run(s, &Context::default(), &mut out);
        let mut r = s.to_string();
        for e in out.edits.iter().rev() {
            r.replace_range(e.start..e.end, &e.replacement);
        }
        r
    }

    #[test]
    fn sample_page() {
        assert_eq!(
            run("株洲日报讯(通讯员/陈聘) 近日,市贸促会组织全体党员干 部,赴茶陵工农兵政府开展\"学思践悟二十大 砥砺奋进新征程\"贯 彻二十大精神研讨活动。"),
            "株洲日报讯(通讯员/陈聘)近日,市贸促会组织全体党员干部,赴茶陵工农兵政府开展\"学思践悟二十大 砥砺奋进新征程\"贯彻二十大精神研讨活动。"
        );
        assert_eq!(
            run("在辽宁沈阳市落下帷幕,经过激烈角逐, 中车株洲电机有限公司员工"),
            "在辽宁沈阳市落下帷幕,经过激烈角逐,中车株洲电机有限公司员工"
        );
        assert_eq!(run("连续奋战 在抗疫一线展现担当"), "连续奋战 在抗疫一线展现担当");
        assert_eq!(run("记者要求市民戴好 N95 口罩，出门。"), "记者要求市民戴好 N95 口罩，出门。");
        assert_eq!(run("D e b i a n 软 件 包 缓 存代 理"), "Debian 软件包缓存代理");
    }

    #[test]
    fn common_han_runs_end_outside_the_block() {
        for c in ['\u{4E00}', '\u{4E01}', '\u{9FA5}', '\u{9FFF}'] {
            assert!(is_common_han(c));
            assert_eq!(common_han_run(format!("{c}{c}x").as_bytes()), 2, "{c:?}");
        }
        for c in ['\u{3400}', '\u{4DFF}', '\u{A000}', '\u{3000}', '，', 'a'] {
            assert!(!is_common_han(c));
            assert_eq!(common_han_run(format!("{c}一").as_bytes()), 0, "{c:?}");
        }
    }

    #[test]
    fn lines_left_unscanned_lose_no_space() {
        let m = WrapSpaces::new(&Params::new(&toml::Table::new())).expect("params");
        let mut skipped = 0;
        for line in [
            "使用 APT 软件包管理器安装 Debian 系统",
            "RAID 的哪个层级 ,比如 RAID 5",
            "Linux 内核 2 6 与 x 2",
            "T U R N 服务器",
            "D e b i a n 软 件 包",
            "a b c d e f",
            "ab c de",
            "ab cd ef gh 软件 包",
            "  Shell 脚本  ",
            "apt-get install vim 命令",
            "记者/高晓燕 通讯员/文轶洲",
            "第 6.2.4 节",
        ] {
            let mut out = Output::default();
            m.line(line, 0, &Context::default(), &mut Scratch::default(), &mut out);
            if only_latin_gaps(line) {
                skipped += 1;
                assert!(out.edits.is_empty(), "{line:?}");
            }
        }
        assert!(skipped >= 4);
    }
}

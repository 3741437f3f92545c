//! ## What it does
//! Rebuilds paragraphs: a line (or block) that ends without sentence-final
//! punctuation and is followed by one that continues the sentence is joined to
//! it (`小区志愿` + `者挨家挨户，…` → `小区志愿者挨家挨户，…`); Han–Han joins get no
//! space, Latin–Latin joins one. Breaks that are not joined stay as they are.
//!
//! ## Why is this bad?
//! Column and page breaks become paragraph breaks in OCR output, and engines that
//! print one line per printed row (pdftotext, tesseract) break every paragraph at
//! every line. Sentences cut in two are wrong for readers, search and any sentence
//! splitter.
//!
//! ## Evidence
//! - A paragraph ends at `。！？!?…：:` (also when followed by a closing quote or
//!   bracket, or by a web address it refers to: `…信息等。→ https://tracker.debian.org/`),
//!   and at a full stop after a Latin word when Han text follows (`…移植到UTF-8.`);
//!   a block (before a blank line) ending in `；` ends a list item. A line ending otherwise continues on the next content line, also
//!   across blank lines and across a caption or furniture line an earlier rule
//!   removed (the sentence split around a removed caption joins again). A
//!   caption, furniture or noise line that is kept is joined to nothing.
//! - Never joined: lines with a headline, headline fragment or byline role
//!   (but a byline line that body text goes on from, `株洲日报讯（记者/…）本书所
//!   涉及的所`, or that is cut at its end, `…通讯员/`, is continued by the next line); lines next to where such a role
//!   was removed (an article boundary); headings (a line of at most
//!   `heading-max-chars` characters, narrower than `heading-max-share` of the
//!   page's median prose line (a full row of a narrow column is no heading),
//!   without any punctuation, that follows a finished sentence, a heading, a
//!   title or an enumeration line, or starts the page); lines starting with an
//!   enumeration marker (`（四）`, `四、`, `(4)`, `4、`); page breaks (`\f`).
//! - A line starting with a character no sentence starts with
//!   (`continuation-chars`: `的`, `者`, `们`, a comma, a closing bracket, …)
//!   continues the unfinished line before it across any break but a title
//!   (`…他` / removed caption / `的车子里程表…`).
//! - Blank lines: where at most a third of the breaks after a finished
//!   sentence carry a blank line, a blank line is an article boundary (nothing
//!   joins across it); elsewhere (engines that separate every block by a blank
//!   line) one blank line is a paragraph or column break and two or more mark an
//!   article boundary or a cut. A removed caption or furniture line counts as
//!   not there. Breaks that are not joined are left as they are (only joins
//!   change the text; a run of more than two blank lines, as cut-out lines
//!   leave, becomes two, which reads as the same boundary in both kinds of
//!   page), so a second run sees the same density, the same decisions and
//!   changes nothing; where a title was removed after an unfinished line,
//!   the break is widened to an article boundary for the same reason.
//! - A lost final mark: a block in the engine's block style (printed rows
//!   joined by one space each, at least four, inner rows as even as a printed
//!   column's) whose last row, all Han, is at most `short-last-row` of the
//!   inner rows' median width ended its paragraph, unless the junction reads
//!   on (a continuation character, a function word such as `的` at the end, a
//!   dictionary word across). A sentence that runs on into the next column
//!   fills its last row. The break is widened to an article boundary, so it
//!   stays a boundary once the wrap spaces (the evidence) are removed.
//!
//! ## Example
//! `…小区志愿\n\n者挨家挨户，…自然也\n\n是一夜无眠。` → `…小区志愿者挨家挨户，…自然也是一夜无眠。`
//!
//! ## Fix safety
//! Safe: only line breaks and the spaces around them change; every change is in
//! the edit log.
//!
//! ## Known problems
//! A paragraph whose final `。` was lost by the engine is joined to the next one,
//! unless it is in block style and its last row is short (see Evidence); the
//! `。` itself is not restored.
//! A heading that does not start a block, or is longer than `heading-max-chars`,
//! and is not flagged by a layout rule, can be joined into prose. Interleaved
//! columns (several columns on one row) cannot be separated.

use super::params::Params;
use crate::rules::{Context, FlagKind, Mechanism, Output};
use crate::text::is_han;

/// The paragraph joiner.
pub struct ParagraphJoin {
    heading_max_chars: usize,
    /// A heading is narrower than this share of the page's prose lines (their
    /// median): a full row of a narrow column is no heading.
    heading_max_share: f64,
    /// A block whose last printed row is at most this share of its rows' usual
    /// width ended its paragraph (0: off).
    short_last_row: f64,
    final_punct: Vec<char>,
    /// Characters no sentence starts with: a line starting with one continues the
    /// unfinished line before it even across a wide break.
    continuation: Vec<char>,
}

impl ParagraphJoin {
    /// Reads the parameters (see rule B002).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(ParagraphJoin {
            heading_max_chars: p.usize("heading-max-chars", 20)?,
            heading_max_share: p.f64("heading-max-share", 0.8)?,
            short_last_row: p.f64("short-last-row", 0.7)?,
            final_punct: p.string("final-punct", "。！？!?…：:")?.chars().collect(),
            continuation: p.string("continuation-chars", "的者们吗呢吧，、；：。！？）》”")?.chars().collect(),
        })
    }
}

#[inline]
fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\r'
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | '）' | ')' | '」' | '』' | '》')
}

/// Punctuation that makes a line prose rather than a heading; quotation and
/// title marks do not (`与病毒赛跑的“战斗”在凌晨全面打响` is a heading).
#[inline]
fn is_any_punct(c: char) -> bool {
    let quote = matches!(c, '“' | '”' | '‘' | '’' | '"' | '\'' | '《' | '》' | '「' | '」' | '『' | '』');
    !quote && (crate::text::is_cjk_punct(c) || matches!(c, ',' | '.' | ';' | ':' | '?' | '!' | '(' | ')'))
}

/// A content line of a page.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte offsets of the trimmed content.
    cs: usize,
    ce: usize,
    /// Blank lines before it (since the previous content line or page start).
    blanks_before: usize,
    first: char,
    last: char,
    before_last: char,
    chars: usize,
    punct: bool,
    /// Has a headline / fragment / byline role.
    title: bool,
    /// Its only roles are bylines, and body text goes on after them on the line
    /// (`株洲日报讯（记者/武博宇）本书所涉及的所`) or the byline is cut at the line's
    /// end (`…通讯员/`, `南岭都市报讯（记`): the next line may continue it.
    goes_on: bool,
    /// Has a caption, furniture or noise role: kept out of the prose around it.
    kept_out: bool,
    /// Ends in a web address set after a finished sentence (`…信息等。→
    /// https://tracker.debian.org/`): a reference that closes its paragraph.
    reference_end: bool,
}

/// Whether `s` starts with an enumeration marker: `（四）`, `(四)`, `四、`, `4、`, `(4)`.
pub(crate) fn starts_enumeration(s: &str) -> bool {
    let is_num = |c: char| {
        matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十') || c.is_ascii_digit()
    };
    let mut it = s.chars();
    match it.next() {
        Some('（') | Some('(') => {
            let mut n = 0;
            for c in it {
                if is_num(c) {
                    n += 1;
                } else {
                    return n > 0 && n <= 3 && (c == '）' || c == ')');
                }
            }
            false
        }
        Some(c) if is_num(c) => {
            let mut n = 1;
            for c in it {
                if is_num(c) {
                    n += 1;
                } else {
                    return n <= 3 && c == '、';
                }
            }
            false
        }
        _ => false,
    }
}

pub(crate) const TITLE: [FlagKind; 3] = [FlagKind::Headline, FlagKind::HeadlineFragment, FlagKind::Byline];

impl Mechanism for ParagraphJoin {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        if memchr::memchr(b'\n', text.as_bytes()).is_none() {
            return;
        }
        let mut lines: Vec<Line> = Vec::new();
        let mut page_start = 0;
        loop {
            let page_end =
                memchr::memchr(b'\x0c', &text.as_bytes()[page_start..]).map_or(text.len(), |i| page_start + i);
            self.page(text, page_start, page_end, ctx, &mut lines, out);
            if page_end >= text.len() {
                break;
            }
            page_start = page_end + 1;
        }
    }
}

impl ParagraphJoin {
    fn page(&self, text: &str, ps: usize, pe: usize, ctx: &Context, lines: &mut Vec<Line>, out: &mut Output) {
        lines.clear();
        let b = text.as_bytes();
        let mut start = ps;
        let mut blanks = 0;
        while start <= pe {
            let end = memchr::memchr(b'\n', &b[start..pe]).map_or(pe, |i| start + i);
            let raw = &text[start..end];
            let trimmed_start = raw.len() - raw.trim_start_matches(is_space).len();
            let content = raw.trim_matches(is_space);
            if content.is_empty() {
                if end < pe {
                    blanks += 1;
                }
            } else {
                let cs = start + trimmed_start;
                let ce = cs + content.len();
                // Counted without decoding (std counts the bytes that start a
                // character); the punctuation scan stops at the first mark, early
                // in a prose line.
                let chars = content.chars().count();
                let punct = content.chars().any(is_any_punct);
                let mut rev = content.chars().rev();
                let last = rev.next().unwrap_or('\0');
                let before_last = rev.next().unwrap_or('\0');
                let mut title = false;
                let mut kept_out = false;
                let mut byline_end = Some(cs);
                for r in super::roles::overlapping(&ctx.roles, cs, ce).filter(|r| r.end > r.start) {
                    title |= TITLE.contains(&r.kind);
                    kept_out |= !TITLE.contains(&r.kind);
                    byline_end = byline_end.filter(|_| r.kind == FlagKind::Byline).map(|e| e.max(r.end));
                }
                let goes_on = title
                    && byline_end.is_some_and(|e| {
                        text[e.min(ce)..ce].chars().any(char::is_alphanumeric) || super::layout::byline_cut(content)
                    });
                let reference_end = (last.is_ascii_alphanumeric() || last == '/') && self.reference_end(content);
                lines.push(Line {
                    cs,
                    ce,
                    blanks_before: blanks,
                    first: content.chars().next().unwrap_or('\0'),
                    last,
                    before_last,
                    chars,
                    punct,
                    title,
                    goes_on,
                    kept_out,
                    reference_end,
                });
                blanks = 0;
            }
            if end >= pe {
                break;
            }
            start = end + 1;
        }
        self.trim_cut_page_ends(text, ps, pe, ctx, lines, out);
        // Blank lines are meaningful (article boundaries) where they are rare
        // after finished sentences: at most a third of the breaks that follow a
        // sentence end carry one. Where most do (engines that separate every block
        // by a blank line), one blank line is a paragraph or column break and two
        // or more mark an article or a cut. Only breaks after a sentence end are
        // counted because joins never remove those: a second run sees the same
        // density and takes the same decisions.
        let mut final_seps = 0;
        let mut final_blank = 0;
        for i in 1..lines.len() {
            if self.ends_sentence(&lines[i - 1], lines[i].first) {
                final_seps += 1;
                final_blank += usize::from(lines[i].blanks_before > 0);
            }
        }
        // Without a finished sentence to go by, a page whose every break is a
        // blank line separates blocks by blank lines.
        let sparse = if final_seps == 0 {
            lines.iter().skip(1).any(|l| l.blanks_before == 0)
        } else {
            final_blank * 3 <= final_seps
        };
        let heading_below = self.heading_width(lines);
        let is_heading = |l: &Line| self.is_heading(l, heading_below);
        let mut prev_heading = false;
        let mut rows: Vec<u32> = Vec::new();
        for i in 1..lines.len() {
            let (a, bl) = (lines[i - 1], lines[i]);
            let lo = ctx.roles.partition_point(|r| r.start < a.ce);
            let in_sep = || ctx.roles[lo..].iter().take_while(|r| r.start <= bl.cs);
            // A title role removed between the two lines: an article boundary.
            let removed_title = in_sep().any(|r| r.end <= bl.cs && TITLE.contains(&r.kind));
            // A removed caption or furniture line leaves the blank lines of both
            // its sides: count one side.
            let removed_other = in_sep().any(|r| r.start == r.end && !TITLE.contains(&r.kind));
            let blanks = if removed_other && bl.blanks_before >= 2 { bl.blanks_before - 1 } else { bl.blanks_before };
            // A block ending in `；` ends a list item (one per paragraph): in the dev
            // pages every one does, while rows ending in `；` inside a block go on.
            let a_final = self.ends_sentence(&a, bl.first) || a.last == '；' && bl.blanks_before > 0;
            let a_enum = starts_enumeration(&text[a.cs..a.ce]);
            // An enumerated heading (`（四）征集方式`, `四、征集方式`): short, no comma.
            let a_enum_heading =
                a_enum && a.chars <= self.heading_max_chars && !text[a.cs..a.ce].contains(['，', ',', '。']);
            let b_enum = starts_enumeration(&text[bl.cs..bl.ce]);
            let a_heading = if i == 1 { is_heading(&a) } else { prev_heading };
            // A heading follows a finished sentence, another heading, a title or an
            // enumeration line.
            let b_heading = is_heading(&bl) && (a_final || a_heading || (a.title && !a.goes_on) || a_enum);
            prev_heading = b_heading;
            let article_blanks = if sparse { 1 } else { 2 };
            let join_candidate = (!a.title || a.goes_on)
                && !bl.title
                && !a.kept_out
                && !bl.kept_out
                && !removed_title
                && !a_final
                && !a_heading
                && !b_heading
                && !b_enum
                && !a_enum_heading
                && (blanks < article_blanks || self.continuation.contains(&bl.first));
            // A paragraph whose final mark the engine lost: its short last row says
            // it ended. Marked as an article boundary, the break stays one once the
            // wrap spaces that are the evidence are gone (a second run).
            let lost_final = join_candidate && self.ended_by_short_row(text, &a, &bl, &mut rows);
            let join = join_candidate && !lost_final;
            if join {
                let glue = if a.last.is_ascii_alphanumeric() && bl.first.is_ascii_alphanumeric() { " " } else { "" };
                out.edit(a.ce, bl.cs, glue);
            } else if lost_final && blanks < article_blanks
                || removed_title && !a_final && bl.blanks_before < article_blanks
            {
                // The break after a lost final mark, or left where a title was cut,
                // must still read as an article boundary on a second run, or the
                // unfinished line before it would join the next paragraph.
                let mut boundary = String::from("\n");
                boundary.extend(std::iter::repeat_n('\n', article_blanks));
                out.edit(a.ce, bl.cs, boundary);
            } else if bl.blanks_before > 2 && !text[a.ce..bl.cs].contains('\x0c') {
                // Lines cut out (headlines, captions) leave runs of blank lines:
                // two blank lines read as the same boundary on any page, so the
                // decisions of a second run do not change.
                out.edit(a.ce, bl.cs, "\n\n\n");
            }
        }
    }

    /// Lines cut out at the top or the bottom of a page (a headline, a running
    /// head) leave the blank lines beside them: the page then starts at its first
    /// content line and ends after its last one (and its line break), and a page
    /// cut out whole is empty. Only where a removal left them, so a page's own
    /// blank lines stay as they are.
    fn trim_cut_page_ends(&self, text: &str, ps: usize, pe: usize, ctx: &Context, lines: &[Line], out: &mut Output) {
        let removed_in = |s: usize, e: usize| ctx.removed_in(s, e).next().is_some();
        let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
            // Everything on the page was cut out: nothing of it is left.
            if ps < pe && removed_in(ps, pe) {
                out.edit(ps, pe, "");
            }
            return;
        };
        let top = text[ps..first.cs].rfind('\n').map_or(ps, |i| ps + i + 1);
        if top > ps && removed_in(ps, top) {
            out.edit(ps, top, "");
        }
        if let Some(nl) = text[last.ce..pe].find('\n') {
            let keep = last.ce + nl + 1;
            if keep < pe && removed_in(last.ce, pe) {
                out.edit(keep, pe, "");
            }
        }
    }

    /// Whether block `a` ended its paragraph although it lacks a final mark: it is
    /// printed rows joined by one space each (the engine's block style), at least
    /// four of them, its inner rows as even as a printed column's, and its last
    /// row, all Han, is at most `short-last-row` of their median width, while a
    /// sentence that runs on into the
    /// next column fills its last row. Not when the junction reads on: `b` starts
    /// with a continuation character or no Han, `a` ends with a function word
    /// (`的`, `和`), or the two sides form a dictionary word.
    fn ended_by_short_row(&self, text: &str, a: &Line, b: &Line, rows: &mut Vec<u32>) -> bool {
        if self.short_last_row <= 0.0
            || !is_han(b.first)
            || !is_han(a.last)
            || self.continuation.contains(&b.first)
            || super::layout::is_continuation_char(a.last)
        {
            return false;
        }
        // At least four rows, the inner ones about eight Han characters or more.
        let block = &text[a.cs..a.ce];
        if a.chars < 17 || memchr::memchr(b' ', block.as_bytes()).is_none() {
            return false;
        }
        let Some(last_han_only) = row_widths(block, rows) else { return false };
        if rows.len() < 4 || !last_han_only {
            return false;
        }
        let last = rows[rows.len() - 1];
        let n = rows.len();
        let inner = &mut rows[1..n - 1];
        let mid = inner.len() / 2;
        let median = *inner.select_nth_unstable(mid).1;
        // The inner rows must look like a printed column: rows of eight Han
        // characters or more, two thirds of them within a fifth of the median (not
        // a line with typeset spaces between short phrases).
        let near = inner.iter().filter(|&&w| w.abs_diff(median) * 5 <= median).count();
        if median < 16 || near * 3 < inner.len() * 2 || f64::from(last) > self.short_last_row * f64::from(median) {
            return false;
        }
        !super::lexicon::word_across_texts(block, &text[b.cs..b.ce])
    }

    /// Ends with sentence-final punctuation, possibly followed by a closing quote
    /// or bracket, or with a web address after such an end; or with a full stop
    /// after a Latin word before a line of Han text (`…移植到UTF-8.` / `就文件名…`:
    /// a wrapped address or file name goes on in Latin, `www.debian.` / `org`).
    fn ends_sentence(&self, l: &Line, next_first: char) -> bool {
        self.ends_in_final(l.last, l.before_last)
            || l.reference_end
            || l.last == '.' && l.before_last != '.' && !l.before_last.is_whitespace() && is_han(next_first)
    }

    fn ends_in_final(&self, last: char, before_last: char) -> bool {
        self.final_punct.contains(&last) || (is_closer(last) && self.final_punct.contains(&before_last))
    }

    /// Whether `content` ends in a web address (`https://…`, `www.…`) that follows
    /// a finished sentence, an arrow or blanks between them.
    fn reference_end(&self, content: &str) -> bool {
        let url = content.rsplit(|c: char| !c.is_ascii() || c.is_ascii_whitespace()).next().unwrap_or("");
        if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with("www.")) {
            return false;
        }
        let before = content[..content.len() - url.len()].trim_end_matches(|c: char| is_space(c) || c == '→');
        let mut rev = before.chars().rev();
        let last = rev.next().unwrap_or('\0');
        self.ends_in_final(last, rev.next().unwrap_or('\0'))
    }

    /// Whether `l` may be a heading: no punctuation, at most `heading-max-chars`
    /// and fewer than `below` characters.
    fn is_heading(&self, l: &Line, below: usize) -> bool {
        !l.punct && l.chars <= self.heading_max_chars && l.chars < below && has_han_or_alpha(l)
    }

    /// The width a heading stays below on a page: `heading-max-share` of the
    /// median width of its prose lines (with punctuation, no role). Unbounded
    /// with fewer than three such lines, too few to tell a column's width.
    fn heading_width(&self, lines: &[Line]) -> usize {
        let mut widths: Vec<usize> =
            lines.iter().filter(|l| l.punct && !l.title && !l.kept_out).map(|l| l.chars).collect();
        if widths.len() < 3 {
            return usize::MAX;
        }
        let mid = widths.len() / 2;
        let (_, &mut median, _) = widths.select_nth_unstable(mid);
        (median as f64 * self.heading_max_share).ceil() as usize
    }
}

/// The display widths of the printed rows of a block-style line into `rows`: a
/// space between two characters that are not both Latin letters or digits, one
/// of them Han, is where the engine joined two rows. Returns whether the last
/// row is Han only (`None` for a line without such a space).
fn row_widths(block: &str, rows: &mut Vec<u32>) -> Option<bool> {
    rows.clear();
    let (mut width, mut han_only) = (0u32, true);
    let mut prev = '\0';
    let mut pending_space = false;
    for c in block.chars() {
        if is_space(c) {
            pending_space = width > 0;
            continue;
        }
        if pending_space {
            pending_space = false;
            let latin = |x: char| x.is_ascii_alphanumeric();
            if !(latin(prev) || latin(c)) && (is_han(prev) || is_han(c)) {
                rows.push(width);
                (width, han_only) = (0, true);
            }
        }
        width += if c.is_ascii() { 1 } else { 2 };
        han_only &= is_han(c);
        prev = c;
    }
    rows.push(width);
    (rows.len() > 1).then_some(han_only)
}

fn has_han_or_alpha(l: &Line) -> bool {
    is_han(l.first) || l.first.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let t = toml::Table::new();
        let m = ParagraphJoin::new(&Params::new(&t)).expect("params");
        let mut out = Output::default();
        m.run(s, &Context::default(), &mut out);
        let mut r = s.to_string();
        for e in out.edits.iter().rev() {
            r.replace_range(e.start..e.end, &e.replacement);
        }
        r
    }

    #[test]
    fn joins() {
        assert_eq!(
            run("开头。小区志愿\n\n者挨家挨户,自然也\n\n是一夜无眠。\n\n下一段。"),
            "开头。小区志愿者挨家挨户,自然也是一夜无眠。\n\n下一段。"
        );
        assert_eq!(run("Well, the quick\nbrown fox."), "Well, the quick brown fox.");
        assert_eq!(run("第一段。\n\n（四）征集方式\n\n第二段。"), "第一段。\n\n（四）征集方式\n\n第二段。");
        // Line style: rows join, a blank line after a finished sentence is an article boundary.
        assert_eq!(
            run("孕妇求助，民警开通绿\n色通道。\n第二段\n\n下一篇。"),
            "孕妇求助，民警开通绿色通道。\n第二段\n\n下一篇。"
        );
        assert!(starts_enumeration("四、征集方式"));
        assert!(!starts_enumeration("四川省"));
    }
}

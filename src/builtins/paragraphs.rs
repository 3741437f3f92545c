//! ## What it does
//! Rebuilds paragraphs: a line (or block) that ends without sentence-final
//! punctuation and is followed by one that continues the sentence is joined to
//! it (`小区志愿` + `者挨家挨户，…` → `小区志愿者挨家挨户，…`); Han–Han joins get no
//! space, Latin–Latin joins one. The output has one paragraph per line; a blank
//! line is kept only where an article ends (`blank-lines = "articles"`).
//!
//! ## Why is this bad?
//! Column and page breaks become paragraph breaks in OCR output, and engines that
//! print one line per printed row (pdftotext, tesseract) break every paragraph at
//! every line. Sentences cut in two are wrong for readers, search and any sentence
//! splitter.
//!
//! ## Evidence
//! - A paragraph ends at `。！？!?…：:` (also when followed by a closing quote or
//!   bracket). A line ending otherwise continues on the next content line, also
//!   across blank lines and across a caption or furniture an earlier rule removed
//!   or flagged (the sentence split around a removed caption joins again).
//! - Never joined: lines with a headline, headline fragment or byline role; lines
//!   next to where such a role was removed (an article boundary); headings (a
//!   line of at most `heading-max-chars` characters without any punctuation that
//!   follows a finished sentence, a heading, a title or an enumeration line, or
//!   starts the page); lines starting with an enumeration marker (`（四）`, `四、`,
//!   `(4)`, `4、`); page breaks (`\f`).
//! - Blank lines: where at most a third of the breaks of a page carry a blank
//!   line, a blank line is an article boundary (nothing joins across it);
//!   elsewhere (engines that separate every block by a blank line) one blank
//!   line is a paragraph or column break and two or more mark an article
//!   boundary or a cut. The output carries blank lines only at article
//!   boundaries, so a second run reads them as such and changes nothing.
//! - Blank lines (`blank-lines = "articles"`): between paragraphs a single line
//!   break; a blank line at article boundaries (as above), before a headline or
//!   byline line, and where a headline or byline was removed. `blank-lines = "keep"` leaves the breaks that are not joined as
//!   they are.
//!
//! ## Example
//! `…小区志愿\n\n者挨家挨户，…自然也\n\n是一夜无眠。` → `…小区志愿者挨家挨户，…自然也是一夜无眠。`
//!
//! ## Fix safety
//! Safe: only line breaks and the spaces around them change; every change is in
//! the edit log.
//!
//! ## Known problems
//! A paragraph whose final `。` was lost by the engine is joined to the next one.
//! A heading that does not start a block, or is longer than `heading-max-chars`,
//! and is not flagged by a layout rule, can be joined into prose. Interleaved
//! columns (several columns on one row) cannot be separated.

use super::params::Params;
use crate::rules::{Context, FlagKind, Mechanism, Output};
use crate::text::is_han;

/// How blank lines between paragraphs are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlankLines {
    Articles,
    Keep,
}

/// The paragraph joiner.
pub struct ParagraphJoin {
    heading_max_chars: usize,
    blank_lines: BlankLines,
    final_punct: Vec<char>,
}

impl ParagraphJoin {
    /// Reads the parameters (see rule B002).
    pub fn new(p: &Params) -> Result<Self, String> {
        let blank_lines = match p.string("blank-lines", "articles")?.as_str() {
            "articles" => BlankLines::Articles,
            "keep" => BlankLines::Keep,
            other => return Err(format!("param \"blank-lines\" must be \"articles\" or \"keep\", got {other:?}")),
        };
        Ok(ParagraphJoin {
            heading_max_chars: p.usize("heading-max-chars", 20)?,
            blank_lines,
            final_punct: p.string("final-punct", "。！？!?…：:")?.chars().collect(),
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

#[inline]
fn is_any_punct(c: char) -> bool {
    crate::text::is_cjk_punct(c) || matches!(c, ',' | '.' | ';' | ':' | '?' | '!' | '(' | ')' | '"')
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

const TITLE: [FlagKind; 3] = [FlagKind::Headline, FlagKind::HeadlineFragment, FlagKind::Byline];

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
                let mut chars = 0;
                let mut punct = false;
                for c in content.chars() {
                    chars += 1;
                    punct |= is_any_punct(c);
                }
                let mut rev = content.chars().rev();
                let last = rev.next().unwrap_or('\0');
                let before_last = rev.next().unwrap_or('\0');
                let title = !ctx.roles.is_empty()
                    && super::roles::overlapping(&ctx.roles, cs, ce)
                        .any(|r| r.end > r.start && TITLE.contains(&r.kind));
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
                });
                blanks = 0;
            }
            if end >= pe {
                break;
            }
            start = end + 1;
        }
        // Blank lines are meaningful (article boundaries) where they are rare: at
        // most a third of the breaks of the page carry one. Where most breaks do
        // (engines that separate every block by a blank line), one blank line is
        // a paragraph or column break and two or more mark an article or a cut.
        // The output carries blank lines only at article boundaries, so a second
        // run reads them as meaningful and changes nothing.
        let seps = lines.len().saturating_sub(1);
        let blank_seps = lines.iter().skip(1).filter(|l| l.blanks_before > 0).count();
        let sparse = blank_seps * 3 <= seps;
        let mut prev_heading = false;
        for i in 1..lines.len() {
            let (a, bl) = (lines[i - 1], lines[i]);
            let sep = &text[a.ce..bl.cs];
            // A title role removed between the two lines: an article boundary.
            let lo = ctx.roles.partition_point(|r| r.start < a.ce);
            let removed_title = ctx.roles[lo..]
                .iter()
                .take_while(|r| r.start <= bl.cs)
                .any(|r| r.end <= bl.cs && TITLE.contains(&r.kind));
            let a_final =
                self.final_punct.contains(&a.last) || (is_closer(a.last) && self.final_punct.contains(&a.before_last));
            let a_enum = starts_enumeration(&text[a.cs..a.ce]);
            // An enumerated heading (`（四）征集方式`, `四、征集方式`): short, no comma.
            let a_enum_heading =
                a_enum && a.chars <= self.heading_max_chars && !text[a.cs..a.ce].contains(['，', ',', '。']);
            let b_enum = starts_enumeration(&text[bl.cs..bl.ce]);
            let a_heading = if i == 1 { self.is_heading(&a) } else { prev_heading };
            // A heading follows a finished sentence, another heading, a title or an
            // enumeration line (not the blank lines around it, which a run removes).
            let b_heading = self.is_heading(&bl) && (a_final || a_heading || a.title || a_enum);
            prev_heading = b_heading;
            let article = bl.blanks_before >= 2 || (sparse && bl.blanks_before >= 1);
            let join = !a.title
                && !bl.title
                && !removed_title
                && !a_final
                && !a_heading
                && !b_heading
                && !b_enum
                && !a_enum_heading
                && !article;
            let replacement = if join {
                if a.last.is_ascii_alphanumeric() && bl.first.is_ascii_alphanumeric() {
                    " "
                } else {
                    ""
                }
            } else if self.blank_lines == BlankLines::Keep {
                continue;
            } else if removed_title || bl.title || article {
                "\n\n"
            } else {
                "\n"
            };
            if sep != replacement {
                out.edit(a.ce, bl.cs, replacement);
            }
        }
    }

    /// Heading-like: short and without any punctuation.
    fn is_heading(&self, l: &Line) -> bool {
        !l.punct && l.chars <= self.heading_max_chars && has_han_or_alpha(l)
    }
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
            "开头。小区志愿者挨家挨户,自然也是一夜无眠。\n下一段。"
        );
        assert_eq!(run("Well, the quick\nbrown fox."), "Well, the quick brown fox.");
        assert_eq!(run("第一段。\n\n（四）征集方式\n\n第二段。"), "第一段。\n（四）征集方式\n第二段。");
        assert!(starts_enumeration("四、征集方式"));
        assert!(!starts_enumeration("四川省"));
    }
}

//! ## What it does
//! Pairs the quotation marks of each line (paragraph) that contains Han:
//! straight double quotes become `“` and `”` by alternation (overruled where the
//! neighbours decide: `（"` and `："` open, `"）`, `"，` and `"。` close), also when they mix
//! with curly ones the engine already produced (`“出口"` → `“出口”`), and adjacent
//! quotations stay separate (`"A""B"` → `“A”“B”`). Straight single quotes inside a
//! double quotation become `‘ ’`. A `'` opening a quotation whose closing mark is
//! a double quote is an OCR slip for `“`. A curly `”` glued to a quotation that
//! just closed is a double reading and is dropped; a `”` with no quotation open
//! opens one when a closing mark follows on the line, and is dropped as a speck
//! when it stands after a space before Han with nothing to close. Spaces next to
//! a converted mark are removed.
//!
//! ## Why is this bad?
//! Chinese prose uses curly quotes; straight ones are an OCR or conversion
//! artefact and carry no open/close information for readers or tools.
//!
//! ## Example
//! `开展"学思践悟二十大"活动` → `开展“学思践悟二十大”活动`
//!
//! ## Fix safety
//! Safe when the line's quotes are balanced; with an odd count the last quote
//! opens a quotation that the paragraph never closes (as printed pages do when a
//! quotation runs over several paragraphs).
//!
//! ## Known problems
//! A quote the engine lost shifts the alternation for the rest of the line.
//! Single quotes outside double quotations (`'虚拟软件包'`) are left alone:
//! they may be deliberate.

use super::params::Params;
use super::punct_common::{is_han, lines_at, merged, next_char, prev_char, spaces_after, spaces_before};
use crate::rules::{Context, Mechanism, Output};
use crate::text::CharFinder;

/// `”`, whose presence (or a straight quote's) sends a text or line to the pairing.
static CLOSING_QUOTE: CharFinder = CharFinder::new('”');

/// The quote pairer.
pub struct Quotes {
    trim_spaces: bool,
    single_slip: bool,
}

impl Quotes {
    /// Reads `trim-spaces` (default true) and `single-quote-slip` (true).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Quotes { trim_spaces: p.bool("trim-spaces", true)?, single_slip: p.bool("single-quote-slip", true)? })
    }
}

/// Whether a quote ending at byte `e` can only close: the line ends or a closing
/// bracket or a pause mark follows (`"）`, `"，`, `"。`).
fn closing_context(text: &str, e: usize) -> bool {
    matches!(next_char(text, e).map(|n| n.1), None | Some(')' | '）' | '，' | ',' | '。' | '、' | '；' | ';'))
}

/// The quotation marks of `line` (`"` `'` `“` `”` `‘` `’`) with their byte
/// offsets, the only characters the pairing looks at: a byte search for their
/// first bytes skips the text between them (a line keeps its curly quotes
/// after the first pass, and each pass walked every character of it).
fn quote_marks(line: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    memchr::memchr3_iter(b'"', b'\'', 0xE2, line.as_bytes())
        .filter_map(|k| line[k..].chars().next().map(|c| (k, c)))
        .filter(|&(_, c)| matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’'))
}

impl Mechanism for Quotes {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        // Byte searches (memchr) rather than a character-set search, which decodes every character.
        let quotes = merged(memchr::memchr2_iter(b'"', b'\'', b), CLOSING_QUOTE.finder().find_iter(b));
        for (ls, le) in lines_at(text, quotes) {
            let line = &text[ls..le];
            if !line.chars().any(is_han) {
                continue;
            }
            let mut open = false;
            let mut sopen = false;
            // Byte offset just after the last closing double quote (to spot `"”`).
            let mut closed_at: Option<usize> = None;
            let mut last_end = ls;
            let emit = |s: usize, e: usize, r: &str, out: &mut Output, last_end: &mut usize| {
                let (s2, e2) =
                    if self.trim_spaces { (spaces_before(b, s).max(*last_end), spaces_after(b, e)) } else { (s, e) };
                if s2 >= *last_end {
                    out.edit(s2, e2, r);
                    *last_end = e2;
                }
            };
            for (k, c) in quote_marks(line) {
                let i = ls + k;
                let e = i + c.len_utf8();
                match c {
                    '“' => {
                        open = true;
                        sopen = false;
                    }
                    '”' => {
                        if !open && closed_at == Some(i) {
                            emit(i, e, "", out, &mut last_end);
                        } else if !open {
                            // A closing mark with no quotation open: an opening slip when
                            // a closing mark follows, else (after a space: a column join)
                            // a speck read as `”`.
                            let rest = &line[k + c.len_utf8()..];
                            let next_q = rest.find(['"', '“', '”']).and_then(|q| rest[q..].chars().next());
                            if matches!(next_q, Some('"' | '”')) && !closing_context(text, e) {
                                emit(i, e, "“", out, &mut last_end);
                                open = true;
                                sopen = false;
                                continue;
                            }
                            if i > 0 && matches!(b[i - 1], b' ' | b'\t') && rest.chars().next().is_some_and(is_han) {
                                emit(i, e, "", out, &mut last_end);
                                continue;
                            }
                        }
                        open = false;
                        closed_at = Some(e);
                    }
                    '"' => {
                        // Alternation, unless the neighbours say otherwise: `（"` and `："`
                        // only open, `"）` and `"，` only close (a lost or extra quote
                        // earlier on the line must not flip every later one).
                        let opens = matches!(prev_char(text, i).map(|p| p.1), Some('(' | '（' | '：' | ':'));
                        let closes = closing_context(text, e);
                        if opens != closes && open == opens {
                            open = !opens;
                        }
                        if open {
                            emit(i, e, "”", out, &mut last_end);
                            open = false;
                            closed_at = Some(e);
                        } else {
                            emit(i, e, "“", out, &mut last_end);
                            open = true;
                            sopen = false;
                        }
                    }
                    '\'' => {
                        let latin_left = i > 0 && b[i - 1].is_ascii_alphanumeric();
                        let latin_right = b.get(i + 1).is_some_and(|x| x.is_ascii_alphanumeric());
                        if latin_left && latin_right {
                            continue; // an apostrophe: don't, Debian's
                        }
                        if open {
                            emit(i, e, if sopen { "’" } else { "‘" }, out, &mut last_end);
                            sopen = !sopen;
                        } else if self.single_slip {
                            // The next quote of the line decides: a double quote closes it.
                            let rest = &line[k + 1..];
                            let next_q = rest.find(['"', '\'', '“', '”']).and_then(|q| rest[q..].chars().next());
                            if matches!(next_q, Some('"' | '”')) && rest.chars().next().is_some_and(is_han) {
                                emit(i, e, "“", out, &mut last_end);
                                open = true;
                                sopen = false;
                            }
                        }
                    }
                    '‘' => sopen = true,
                    '’' => sopen = false,
                    _ => {}
                }
            }
        }
    }
}

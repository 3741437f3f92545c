//! ## What it does
//! Turns the half-width marks `, : ; ? !` into `， ： ； ？ ！` where they sit in
//! Chinese prose, and removes the spaces and tabs around each mark it converts.
//!
//! A mark is in Chinese prose when the nearest non-space character before it (on
//! the same line) is Han or CJK punctuation, or the nearest after it is Han. A mark
//! between two digits (`3,000`, `12:30`) is never touched, except a comma that is
//! not followed by a group of three digits (`从0到7,1对应星期一`). With
//! `latin-comma-without-space = true` a comma between two Latin words in a line
//! that contains Han is Chinese too when it is glued to both (`GRUB,Isolinux`) or
//! has a space before it (`GRUB , Isolinux`, Tesseract's spacing): English puts a
//! space after its commas and never before, Chinese typesetting puts none. With `digit-colon = true`
//! a full-width colon between digits (`2：30`) becomes `:`, the reverse slip.
//!
//! ## Why is this bad?
//! Engines trained on mixed text emit ASCII punctuation where the page printed
//! full-width marks; the wrong width breaks search, segmentation and display.
//! Chinese punctuation carries its own spacing, so a space next to a full-width
//! mark is always an artefact (`角逐, 中车` → `角逐，中车`).
//!
//! ## Example
//! `组织全体党员干部,赴茶陵` → `组织全体党员干部，赴茶陵`
//!
//! ## Fix safety
//! Safe in Chinese context; Latin sentences (`Hello, world!`), numbers, URLs,
//! e-mail addresses and paths are excluded by the rule's `[scope] protect`.
//!
//! ## Known problems
//! A Latin list written with a space after the comma between Chinese words
//! (`Sun, Mon等`) keeps its ASCII comma only when both neighbours are Latin.

use super::params::Params;
use super::punct_common::{
    is_cjk_punct, is_cjkish, is_han, lines_at, merged, next_char, prev_char, spaces_after, spaces_before,
};
use crate::rules::{Context, Mechanism, Output};

/// The half-width → full-width converter for `, : ; ? !`.
pub struct PunctWidth {
    /// Whether each byte is one of the marks to convert (all ASCII: byte
    /// searches find them without decoding the line).
    is_mark: [bool; 128],
    trim_spaces: bool,
    latin_comma: bool,
    digit_colon: bool,
}

impl PunctWidth {
    /// Reads `marks` (default `",:;?!"`), `trim-spaces` (true),
    /// `latin-comma-without-space` (true) and `digit-colon` (true).
    pub fn new(p: &Params) -> Result<Self, String> {
        let marks: Vec<char> = p.string("marks", ",:;?!")?.chars().collect();
        if let Some(c) = marks.iter().find(|c| full(**c).is_none()) {
            return Err(format!("param \"marks\": {c:?} is not one of , : ; ? !"));
        }
        let mut is_mark = [false; 128];
        for c in marks {
            is_mark[c as usize] = true;
        }
        Ok(PunctWidth {
            is_mark,
            trim_spaces: p.bool("trim-spaces", true)?,
            latin_comma: p.bool("latin-comma-without-space", true)?,
            digit_colon: p.bool("digit-colon", true)?,
        })
    }

    /// The offsets of the marks to convert in `b`: two byte searches (`, : ;`
    /// and `? !`) rather than a test of every byte.
    fn marks<'a>(&'a self, b: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        merged(memchr::memchr3_iter(b',', b':', b';', b), memchr::memchr2_iter(b'?', b'!', b))
            .filter(|&i| self.is_mark[usize::from(b[i])])
    }
}

fn full(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        _ => return None,
    })
}

/// Whether exactly three digits start at byte `i` (the group after a thousands comma).
fn thousands(b: &[u8], i: usize) -> bool {
    b.len() >= i + 3 && b[i..i + 3].iter().all(u8::is_ascii_digit) && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
}

impl Mechanism for PunctWidth {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        if self.digit_colon {
            // `2：30` → `2:30`: a full-width colon between digits is a time or ratio.
            for i in memchr::memmem::find_iter(b, "：".as_bytes()) {
                let e = i + "：".len();
                if i > 0 && b[i - 1].is_ascii_digit() && b.get(e).is_some_and(|x| x.is_ascii_digit()) {
                    out.edit(i, e, ":");
                }
            }
        }
        for (ls, le) in lines_at(text, self.marks(b)) {
            let line = &text[ls..le];
            if !line.chars().any(is_han) {
                continue;
            }
            let mut last_end = ls;
            // Offset of the last mark converted, so that `?,` chains see it as Chinese.
            let mut last_converted: Option<usize> = None;
            // An ASCII byte is always a whole character.
            for (k, c) in self.marks(line.as_bytes()).map(|k| (k, line.as_bytes()[k] as char)) {
                let i = ls + k;
                let prev = prev_char(text, i);
                let mut next = next_char(text, i + 1);
                let prev_c = prev.map(|p| p.1);
                // Between digits: a time or ratio (`12:30`), or a thousands separator
                // (`3,000`). A comma before one or two digits separates numbers (`从0到7,1对应`).
                let between_digits =
                    prev_c.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.1.is_ascii_digit());
                let number_list = between_digits && c == ',' && !thousands(b, i + 1);
                if between_digits && !number_list {
                    continue;
                }
                // Look through one mark and closing quotes: in `?,永远` the comma
                // decides for both; past a straight quote a Chinese mark decides too
                // (`emacs? '，永远`: the quote closes a Chinese quotation).
                if let Some((j, n)) = next {
                    if full(n).is_some() {
                        next = next_char(text, j + 1);
                    }
                }
                let mut quoted = false;
                while let Some((j, '\'' | '"')) = next {
                    next = next_char(text, j + 1);
                    quoted = true;
                }
                let prev_cjk = prev.is_some_and(|(j, p)| is_cjkish(p) || last_converted == Some(j));
                let next_han = next.is_some_and(|n| is_han(n.1) || quoted && is_cjk_punct(n.1));
                // A comma between Latin words that is glued to both (`GRUB,Isolinux`) or
                // has a space before it (`GRUB , Isolinux`): neither is English typesetting.
                let before = if i > 0 { b[i - 1] } else { b'\n' };
                let glued_latin = self.latin_comma
                    && c == ','
                    && prev_c.is_some_and(|p| p.is_ascii_alphanumeric())
                    && next.is_some_and(|n| n.1.is_ascii_alphabetic())
                    && (before == b' '
                        || before.is_ascii_alphabetic() && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic));
                if !(prev_cjk || next_han || glued_latin || number_list) {
                    continue;
                }
                let Some(f) = full(c) else { continue };
                let (s, e) = if self.trim_spaces {
                    (spaces_before(b, i).max(last_end), spaces_after(b, i + 1))
                } else {
                    (i, i + 1)
                };
                out.edit(s, e, f.encode_utf8(&mut [0; 4]) as &str);
                last_end = e;
                last_converted = Some(i);
            }
        }
    }
}

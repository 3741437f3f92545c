//! ## What it does
//! Turns full-width ASCII letters, digits and (optionally) the ideographic space
//! into their half-width forms: `ＡＢＣ１２３` → `ABC123`.
//!
//! ## Why is this bad?
//! OCR engines emit full-width alphanumerics from CJK-trained models; corpora and
//! search want one form. NFKC would do it but also rewrites `，：；（）`, which
//! Chinese prose needs, so this is a byte scan over exactly U+FF10–FF19,
//! U+FF21–FF3A, U+FF41–FF5A (and U+3000 when `ideographic-space = true`).
//!
//! ## Example
//! `型号ＡＢ１２` → `型号AB12`
//!
//! ## Fix safety
//! Safe: the mapping is one-to-one and meaning-preserving.
//!
//! ## Known problems
//! Full-width punctuation such as `！` is left alone on purpose (the punctuation
//! rules decide it by context).

use super::params::Params;
use crate::rules::{Context, Mechanism, Output};

/// The full-width → half-width byte scanner.
pub struct FullwidthAscii {
    ideographic_space: bool,
}

impl FullwidthAscii {
    /// Reads `ideographic-space` (default true).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(FullwidthAscii { ideographic_space: p.bool("ideographic-space", true)? })
    }
}

impl Mechanism for FullwidthAscii {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        let mut run: Option<(usize, String)> = None;
        let flush = |run: &mut Option<(usize, String)>, end: usize, out: &mut Output| {
            if let Some((start, s)) = run.take() {
                out.edit(start, end, s);
            }
        };
        let mut last_end = 0;
        for i in memchr::memchr2_iter(0xEF, 0xE3, b) {
            if i + 3 > b.len() {
                break;
            }
            let c = match (b[i], b[i + 1], b[i + 2]) {
                // U+FF10..FF19 digits, U+FF21..FF3A upper: EF BC 90..99 / A1..BA
                (0xEF, 0xBC, x @ 0x90..=0x99) => Some((b'0' + (x - 0x90)) as char),
                (0xEF, 0xBC, x @ 0xA1..=0xBA) => Some((b'A' + (x - 0xA1)) as char),
                // U+FF41..FF5A lower: EF BD 81..9A
                (0xEF, 0xBD, x @ 0x81..=0x9A) => Some((b'a' + (x - 0x81)) as char),
                (0xE3, 0x80, 0x80) if self.ideographic_space => Some(' '),
                _ => None,
            };
            match c {
                Some(c) => {
                    if run.as_ref().is_some_and(|_| last_end != i) {
                        flush(&mut run, last_end, out);
                    }
                    run.get_or_insert_with(|| (i, String::new())).1.push(c);
                    last_end = i + 3;
                }
                None => flush(&mut run, last_end, out),
            }
        }
        flush(&mut run, last_end, out);
    }
}

//! ## What it does
//! Restores a paragraph break hidden as a space after sentence-final punctuation
//! before an enumeration marker: `…文字简练。 四、征集方式` → `…文字简练。\n四、征集方式`.
//!
//! ## Why is this bad?
//! Engines that join the lines of a block with spaces run a paragraph and the
//! next numbered item (or heading) together on one line.
//!
//! ## Evidence
//! Sentence-final punctuation (`。！？!?`), then one or more spaces, then an
//! enumeration marker: `（四）`, `(四)`, `四、`, `4、`, `(4)`, `第四章/节/条/部分`.
//! Without the space (`。四、`) nothing happens: the space is the trace of the
//! line break. The break restored is a blank line where the document separates
//! its paragraphs by blank lines (more blank-line breaks than single ones), a
//! line break otherwise, so that the paragraph joiner reads it like the others.
//!
//! ## Example
//! `文字简练。 四、征集方式` → `文字简练。\n四、征集方式`
//!
//! ## Fix safety
//! Safe: a space becomes a line break.
//!
//! ## Known problems
//! Headings without an enumeration marker that were run into the paragraph
//! before them are not found.

use super::params::Params;
use crate::rules::{Context, Mechanism, Output};
use regex::Regex;

/// The hidden-break restorer.
pub struct HiddenBreak {
    re: Regex,
}

impl HiddenBreak {
    /// No parameters.
    pub fn new(_p: &Params) -> Result<Self, String> {
        let num = "[一二三四五六七八九十]{1,3}";
        let re = format!(
            r"[。！？!?][ \t\u{{3000}}]+(?:[（(](?:{num}|[0-9]{{1,2}})[）)]|{num}、|[0-9]{{1,2}}、|第{num}[章节条部分])"
        );
        Ok(HiddenBreak { re: Regex::new(&re).map_err(|e| e.to_string())? })
    }
}

impl Mechanism for HiddenBreak {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let b = text.as_bytes();
        if memchr::memchr3(b' ', b'\t', 0xE3, b).is_none() {
            return;
        }
        // The restored break looks like the page's other paragraph breaks.
        let blank_breaks = memchr::memmem::find_iter(b, b"\n\n").count();
        let breaks = memchr::memchr_iter(b'\n', b).count();
        // More blank-line breaks than single ones (each blank break is two newlines).
        let brk = if blank_breaks * 3 > breaks { "\n\n" } else { "\n" };
        for m in self.re.find_iter(text) {
            let s = &text[m.start()..m.end()];
            // Skip the punctuation mark, take the space run.
            let Some(p) = s.chars().next() else { continue };
            let sp_start = m.start() + p.len_utf8();
            let rest = &text[sp_start..m.end()];
            let sp_len = rest.len() - rest.trim_start_matches([' ', '\t', '\u{3000}']).len();
            out.edit(sp_start, sp_start + sp_len, brk);
        }
    }
}

//! `[replace]`: a regex target with optional context predicates checked in code.
//!
//! The `regex` crate has no look-around, so context is matched separately: `left`
//! must match text ending where the target starts, `right` text starting where it
//! ends (each within a 64-byte window). Context is not consumed, so chains such as
//! `干 部 员` resolve completely in one pass.

use crate::rules::{Context, Mechanism, Output};
use regex::Regex;
use serde::Deserialize;
use serde_spanned::Spanned;
use std::ops::Range;

/// How far context predicates look, in bytes. Bounded so that a rule stays linear
/// in the document size whatever its context patterns are.
const CONTEXT_WINDOW: usize = 64;

/// The `[replace]` table of a rule file.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReplaceSpec {
    /// The regex whose matches are replaced.
    target: Spanned<String>,
    /// The replacement; `$1`, `${name}` expand capture groups.
    with: String,
    /// Regex that must match the text just before the target.
    left: Option<Spanned<String>>,
    /// Regex that must match the text just after the target.
    right: Option<Spanned<String>>,
    /// Regex that must not match the text just before the target.
    not_left: Option<Spanned<String>>,
    /// Regex that must not match the text just after the target.
    not_right: Option<Spanned<String>>,
}

/// A compiled `[replace]` rule.
pub struct Replace {
    target: Regex,
    /// Literals one of which every target match contains (see [`super::required`]).
    required: Option<super::required::Prefilter>,
    with: String,
    left: Option<Regex>,
    right: Option<Regex>,
    not_left: Option<Regex>,
    not_right: Option<Regex>,
}

/// Compiles a rule-file regex, with the error located in the file.
pub fn compile_regex(
    pattern: &Spanned<String>,
    wrap: impl Fn(&str) -> String,
) -> Result<Regex, (Range<usize>, String)> {
    regex::RegexBuilder::new(&wrap(pattern.get_ref()))
        .size_limit(1 << 22)
        .dfa_size_limit(1 << 22)
        .build()
        .map_err(|e| (pattern.span(), format!("invalid regex: {}", one_line(&e.to_string()))))
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("regex parse error"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl ReplaceSpec {
    /// Compiles the patterns.
    pub fn compile(&self) -> Result<Replace, (Range<usize>, String)> {
        let ctx = |p: &Option<Spanned<String>>, wrap: fn(&str) -> String| {
            p.as_ref().map(|p| compile_regex(p, wrap)).transpose()
        };
        let target = compile_regex(&self.target, |p| p.to_string())?;
        if target.is_match("") {
            return Err((self.target.span(), "target regex matches the empty string".to_string()));
        }
        Ok(Replace {
            target,
            required: super::required::prefilter(self.target.get_ref()),
            with: self.with.clone(),
            left: ctx(&self.left, |p| format!("(?:{p})$"))?,
            right: ctx(&self.right, |p| format!("^(?:{p})"))?,
            not_left: ctx(&self.not_left, |p| format!("(?:{p})$"))?,
            not_right: ctx(&self.not_right, |p| format!("^(?:{p})"))?,
        })
    }
}

fn window_before(text: &str, pos: usize) -> &str {
    &text[text.floor_char_boundary(pos.saturating_sub(CONTEXT_WINDOW))..pos]
}

fn window_after(text: &str, pos: usize) -> &str {
    &text[pos..text.ceil_char_boundary((pos + CONTEXT_WINDOW).min(text.len()))]
}

impl Replace {
    /// Whether the context predicates accept a match at `start..end`.
    fn context_ok(&self, text: &str, start: usize, end: usize) -> bool {
        let before = window_before(text, start);
        let after = window_after(text, end);
        !(self.left.as_ref().is_some_and(|r| !r.is_match(before))
            || self.right.as_ref().is_some_and(|r| !r.is_match(after))
            || self.not_left.as_ref().is_some_and(|r| r.is_match(before))
            || self.not_right.as_ref().is_some_and(|r| r.is_match(after)))
    }
}

impl Mechanism for Replace {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        if self.required.as_ref().is_some_and(|ac| !ac.is_match(text)) {
            return; // no target match can exist
        }
        // Capture groups cost a slower regex engine per match: only when `with` uses them.
        if !self.with.contains('$') {
            for m in self.target.find_iter(text) {
                if self.context_ok(text, m.start(), m.end()) {
                    out.edit(m.start(), m.end(), self.with.as_str());
                }
            }
            return;
        }
        for caps in self.target.captures_iter(text) {
            let m = caps.get(0).expect("group 0 always matches");
            if self.context_ok(text, m.start(), m.end()) {
                let mut dst = String::new();
                caps.expand(&self.with, &mut dst);
                out.edit(m.start(), m.end(), dst);
            }
        }
    }
}

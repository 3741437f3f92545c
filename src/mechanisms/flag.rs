//! `[flag]`: marks each regex match as a span of a kind (`caption`, `byline`, …).
//!
//! The span is the named group `flag` when the pattern has one, else the whole
//! match. What happens to it (kept, removed, tagged) is the rule's `action`,
//! which `--flagged` overrides.

use super::lines::LinePattern;
use super::replace::compile_regex;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use regex::{Captures, Regex};
use serde::Deserialize;
use serde_spanned::Spanned;
use std::ops::Range;

/// The `[flag]` table of a rule file.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FlagSpec {
    /// The kind of the flagged spans.
    kind: Spanned<String>,
    /// The regex; `(?m)` makes `^`/`$` match at line ends.
    pattern: Spanned<String>,
}

/// A compiled `[flag]` rule.
pub struct Flag {
    /// The kind it flags.
    pub kind: FlagKind,
    pattern: Regex,
    /// The pattern searched line by line, when it matches whole lines.
    lines: Option<LinePattern>,
    group: Option<usize>,
}

impl FlagSpec {
    /// Compiles the pattern.
    pub fn compile(&self) -> Result<Flag, (Range<usize>, String)> {
        let kind = FlagKind::from_name(self.kind.get_ref())
            .ok_or_else(|| (self.kind.span(), format!("unknown flag kind {:?}", self.kind.get_ref())))?;
        let pattern = compile_regex(&self.pattern, |p| p.to_string())?;
        let group = pattern.capture_names().position(|n| n == Some("flag"));
        let lines = LinePattern::new(self.pattern.get_ref(), |p| compile_regex(&self.pattern, |_| p.to_string()).ok());
        Ok(Flag { kind, pattern, lines, group })
    }
}

impl Flag {
    /// Flags the span of `caps`, a match in the text at offset `off`.
    fn flag(&self, caps: &Captures, off: usize, out: &mut Output) {
        let m = caps.get(self.group.unwrap_or(0));
        if let Some(m) = m.filter(|m| !m.is_empty()) {
            out.flag(StepFlag::new(off + m.start(), off + m.end(), self.kind));
        }
    }
}

impl Mechanism for Flag {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        if let Some(lp) = &self.lines {
            for (off, line) in lp.candidates(text) {
                if let Some(caps) = lp.anchored().captures(line) {
                    self.flag(&caps, off, out);
                }
            }
            return;
        }
        for caps in self.pattern.captures_iter(text) {
            self.flag(&caps, 0, out);
        }
    }
}

//! The generic mechanisms a rule file can declare (`replace`, `map`, `flag`), and
//! the scope wrapper that keeps any mechanism away from protected spans, and the
//! required-literal prefilter that lets a rule skip texts it cannot match, and
//! the line-by-line search of patterns that match whole lines.

pub mod flag;
pub mod lines;
pub mod map;
pub mod replace;
pub mod required;

use crate::edit::StepEdit;
use crate::protect::TokenClass;
use crate::rules::{Context, FlagKind, Mechanism, Output};

/// Wraps `inner` so that its edits never touch spans with a role in `skip` or
/// tokens of a class in `protect`. Returns `inner` unchanged when both are empty.
pub fn scoped(inner: Box<dyn Mechanism>, skip: Vec<FlagKind>, protect: Vec<TokenClass>) -> Box<dyn Mechanism> {
    if skip.is_empty() && protect.is_empty() {
        inner
    } else {
        Box::new(Scoped { inner, skip, protect })
    }
}

struct Scoped {
    inner: Box<dyn Mechanism>,
    skip: Vec<FlagKind>,
    protect: Vec<TokenClass>,
}

impl Mechanism for Scoped {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let first_new = out.edits.len();
        self.inner.run(text, ctx, out);
        if out.edits.len() == first_new {
            return;
        }
        let protected = if self.protect.is_empty() {
            Vec::new()
        } else {
            protected_near(text, &out.edits[first_new..], &self.protect)
        };
        let mut keep = Vec::with_capacity(out.edits.len());
        for e in out.edits.drain(first_new..) {
            let in_role = ctx.has_role(e.start, e.end.max(e.start + 1), &self.skip);
            let i = protected.partition_point(|&(_, end)| end <= e.start);
            let in_token = protected.get(i).is_some_and(|&(s, end)| s < e.end.max(e.start + 1) && e.start < end);
            if !in_role && !in_token {
                keep.push(e);
            }
        }
        out.edits.extend(keep);
    }
}

/// The protected spans around `edits`: the spans of [`crate::protect::spans`]
/// over the whole text that can overlap an edit, and the same answers for every
/// edit. Exact because no token pattern matches a line break or a non-ASCII
/// character: a token lies within one run of ASCII characters of a line, the
/// search of such a run (with the edit itself) finds the same tokens there as
/// the search of the whole text (at its ends the `\b` assertions see a non-word
/// neighbour either way), and tokens of different runs never merge. Searching
/// only around the edits saves most of the regex scans, which rule after rule
/// otherwise walk the whole text, and keeps a rule linear on a huge line.
fn protected_near(text: &str, edits: &[StepEdit], classes: &[TokenClass]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let stop = |x: &u8| *x == b'\n' || *x >= 0x80;
    let mut ranges: Vec<(usize, usize)> = edits
        .iter()
        .map(|e| {
            let (s, t) = (e.start.min(b.len()), e.end.min(b.len()));
            // Just after the last byte of a non-ASCII character or a line break, and
            // at the first byte of one: both character boundaries.
            let ls = b[..s].iter().rposition(stop).map_or(0, |i| i + 1);
            let le = b[t..].iter().position(stop).map_or(b.len(), |i| t + i);
            (ls, le.max(ls))
        })
        .collect();
    ranges.sort_unstable();
    let mut spans = Vec::new();
    let mut k = 0;
    while k < ranges.len() {
        let (ls, mut le) = ranges[k];
        while k + 1 < ranges.len() && ranges[k + 1].0 <= le {
            le = le.max(ranges[k + 1].1);
            k += 1;
        }
        spans.extend(crate::protect::spans(&text[ls..le], classes).into_iter().map(|(s, e)| (s + ls, e + ls)));
        k += 1;
    }
    spans
}

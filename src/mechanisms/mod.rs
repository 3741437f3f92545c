//! The generic mechanisms a rule file can declare (`replace`, `map`, `flag`), and
//! the scope wrapper that keeps any mechanism away from protected spans, and the
//! required-literal prefilter that lets a rule skip texts it cannot match.

pub mod flag;
pub mod map;
pub mod replace;
pub mod required;

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
        let protected = if self.protect.is_empty() { Vec::new() } else { crate::protect::spans(text, &self.protect) };
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

//! The table printed at the end of a run: per rule, edits, flags and documents touched.

use crate::pipeline::Cleaned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Counts accumulated over a run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    per_rule: BTreeMap<String, RuleCounts>,
    /// Documents processed without error.
    pub documents: usize,
    /// Documents whose output differs from the input.
    pub changed: usize,
    /// Documents that failed, with their error.
    pub failed: Vec<(String, String)>,
    /// Input bytes processed.
    pub bytes: u64,
}

#[derive(Debug, Default, Clone)]
struct RuleCounts {
    edits: usize,
    flags: usize,
    proposals: usize,
    docs: usize,
}

impl Summary {
    /// Adds one cleaned document.
    pub fn add(&mut self, bytes: usize, c: &Cleaned) {
        self.documents += 1;
        self.bytes += bytes as u64;
        if !c.edits().is_empty() {
            self.changed += 1;
        }
        let mut touched = BTreeSet::new();
        for e in c.edits() {
            self.per_rule.entry(e.rule.clone()).or_default().edits += 1;
            touched.insert(e.rule.as_str());
            for m in &e.merged {
                touched.insert(m.as_str());
            }
        }
        for f in &c.flags {
            self.per_rule.entry(f.rule.clone()).or_default().flags += 1;
            touched.insert(f.rule.as_str());
        }
        for p in &c.proposals {
            self.per_rule.entry(p.rule.clone()).or_default().proposals += 1;
            touched.insert(p.rule.as_str());
        }
        for r in touched {
            self.per_rule.entry(r.to_string()).or_default().docs += 1;
        }
    }

    /// Records a failed document.
    pub fn fail(&mut self, doc: &str, error: &str) {
        self.failed.push((doc.to_string(), error.to_string()));
    }

    /// The table, with rule names looked up by `name_of`.
    pub fn render(&self, name_of: impl Fn(&str) -> String) -> String {
        let mut s = String::new();
        let _ =
            writeln!(s, "{:<6} {:<34} {:>8} {:>7} {:>9} {:>6}", "rule", "name", "edits", "flags", "proposals", "docs");
        let (mut te, mut tf, mut tp) = (0, 0, 0);
        for (id, c) in &self.per_rule {
            let _ = writeln!(
                s,
                "{:<6} {:<34} {:>8} {:>7} {:>9} {:>6}",
                id,
                name_of(id),
                c.edits,
                c.flags,
                c.proposals,
                c.docs
            );
            te += c.edits;
            tf += c.flags;
            tp += c.proposals;
        }
        let _ = writeln!(s, "{:<6} {:<34} {:>8} {:>7} {:>9} {:>6}", "total", "", te, tf, tp, self.changed);
        let _ = writeln!(s, "{} documents, {} changed, {} failed", self.documents, self.changed, self.failed.len());
        for (doc, err) in &self.failed {
            let _ = writeln!(s, "failed: {doc}: {err}");
        }
        s
    }
}

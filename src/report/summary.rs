//! The table printed at the end of a run: per rule, edits, flags and documents touched.

use crate::pipeline::Cleaned;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Failed documents listed under the table; each was also printed when it failed.
const MAX_FAILED_SHOWN: usize = 20;

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

/// One document's counts per rule.
#[derive(Debug, Default, Clone)]
pub struct DocStats {
    /// Whether the output differs from the input.
    pub changed: bool,
    per_rule: BTreeMap<String, RuleCounts>,
}

impl DocStats {
    /// The counts of a cleaned document. A rule merged into another's edit touched
    /// the document too, though the edit counts under the first rule.
    pub fn of(c: &Cleaned) -> Self {
        let mut tally = Tally::default();
        for e in c.edits() {
            tally.counts_of(&e.rule).edits += 1;
            for m in &e.merged {
                tally.counts_of(m);
            }
        }
        for f in &c.flags {
            let counts = tally.counts_of(&f.rule);
            counts.flags += 1;
            // A repair proposed on a flag (a reassembled headline) is a proposal too.
            counts.proposals += usize::from(f.proposal.is_some());
        }
        for p in &c.proposals {
            tally.counts_of(&p.rule).proposals += 1;
        }
        let per_rule = tally.rules.into_iter().map(|(id, counts)| (id.to_string(), counts)).collect();
        DocStats { changed: !c.edits().is_empty(), per_rule }
    }
}

/// One document's counts per rule id while they are added up: a document's
/// edits come from a few rules, often one after another, so a rule is looked
/// for first where the last one was found, then among the few others (a map
/// keyed by `String` took two searches per edit, a few percent of a run).
#[derive(Default)]
struct Tally<'a> {
    rules: Vec<(&'a str, RuleCounts)>,
    last: usize,
}

impl<'a> Tally<'a> {
    /// The counts of `rule`, added when absent.
    fn counts_of(&mut self, rule: &'a str) -> &mut RuleCounts {
        if self.rules.get(self.last).is_none_or(|(id, _)| *id != rule) {
            self.last = self.rules.iter().position(|(id, _)| *id == rule).unwrap_or_else(|| {
                self.rules.push((rule, RuleCounts::default()));
                self.rules.len() - 1
            });
        }
        &mut self.rules[self.last].1
    }
}

/// The counts of `rule` in `map`, added when absent: the id is copied into a
/// key only then, not once per edit and per document.
fn counts_of<'m>(map: &'m mut BTreeMap<String, RuleCounts>, rule: &str) -> &'m mut RuleCounts {
    if !map.contains_key(rule) {
        map.insert(rule.to_string(), RuleCounts::default());
    }
    map.get_mut(rule).expect("present: just added")
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
        self.add_stats(bytes, &DocStats::of(c));
    }

    /// Adds one cleaned document's counts (computed on a worker thread).
    pub fn add_stats(&mut self, bytes: usize, stats: &DocStats) {
        self.documents += 1;
        self.bytes += bytes as u64;
        if stats.changed {
            self.changed += 1;
        }
        for (rule, c) in &stats.per_rule {
            let e = counts_of(&mut self.per_rule, rule);
            e.edits += c.edits;
            e.flags += c.flags;
            e.proposals += c.proposals;
            e.docs += 1;
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
        for (doc, err) in self.failed.iter().take(MAX_FAILED_SHOWN) {
            let _ = writeln!(s, "failed: {doc}: {err}");
        }
        if self.failed.len() > MAX_FAILED_SHOWN {
            let _ = writeln!(
                s,
                "failed: … and {} more (see the errors above or the report)",
                self.failed.len() - MAX_FAILED_SHOWN
            );
        }
        s
    }
}

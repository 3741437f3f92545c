//! Runs the `[[example]]`s of rule files: each example is a test (VRL's habit).
//!
//! An example runs its rule alone (or the default rule set with
//! `default-rules = true`) and must give the expected output and flags; running
//! the rule again on that output must change nothing (idempotence).

use super::registry::RuleSet;
use super::Rule;
use crate::pipeline::{Options, Pipeline};
use std::sync::Arc;

/// One failing example, ready to print.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// `path:line: rule ID`.
    pub location: String,
    /// What differed.
    pub message: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Runs every example of `rule`; `set` provides the default rules for examples
/// that ask for them. Returns the number of examples run and the failures.
pub fn run_examples(rule: &Arc<Rule>, set: &RuleSet) -> (usize, Vec<ExampleFailure>) {
    let alone = Pipeline::new(vec![rule.clone()], Options::default());
    let mut failures = Vec::new();
    for ex in &rule.meta.examples {
        let pipeline = if ex.with_default_rules {
            let mut rules = set.selected(&[], &[], &[]).unwrap_or_default();
            if !rules.iter().any(|r| r.meta.id == rule.meta.id) {
                rules.push(rule.clone());
            }
            Pipeline::new(rules, Options::default())
        } else {
            alone.clone()
        };
        let location = format!("{}:{}: rule {}", rule.meta.source, ex.line, rule.meta.id);
        let mut fail = |message: String| failures.push(ExampleFailure { location: location.clone(), message });
        let got = pipeline.clean(&ex.input);
        if got.output != ex.output {
            fail(format!("input  {:?}\n    expected {:?}\n    got      {:?}", ex.input, ex.output, got.output));
            continue;
        }
        if let Some(want) = &ex.flags {
            let have: Vec<_> = got
                .flags
                .iter()
                .filter(|f| f.rule == rule.meta.id || ex.with_default_rules)
                .map(|f| (f.kind, f.text.clone()))
                .collect();
            if &have != want {
                fail(format!("input {:?}\n    expected flags {want:?}\n    got            {have:?}", ex.input));
                continue;
            }
        }
        if let Some(want) = &ex.proposals {
            let have: Vec<_> = got
                .flags
                .iter()
                .filter_map(|f| f.proposal.clone())
                .chain(got.proposals.iter().map(|p| p.after.clone()))
                .collect();
            if &have != want {
                fail(format!("input {:?}\n    expected proposals {want:?}\n    got                {have:?}", ex.input));
                continue;
            }
        }
        let again = pipeline.clean(&got.output);
        if again.output != got.output {
            fail(format!("not idempotent: {:?}\n    became {:?}", got.output, again.output));
        }
    }
    (rule.meta.examples.len(), failures)
}

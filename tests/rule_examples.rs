//! Every `[[example]]` of every built-in rule file is a test: the rule alone (or
//! the default set when the example asks) must turn the input into the output,
//! flag what it lists, and change nothing when run again.

use ocrclean::rules::examples::run_examples;
use ocrclean::rules::registry::RuleSet;

#[test]
fn every_builtin_rule_example_passes() {
    let set = RuleSet::builtin().unwrap_or_else(|errs| {
        panic!("built-in rules do not compile:\n{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
    });
    let mut failures = Vec::new();
    let mut total = 0;
    for rule in set.all() {
        let (n, f) = run_examples(rule, &set);
        total += n;
        failures.extend(f.into_iter().map(|f| f.to_string()));
    }
    assert!(total > 0, "no examples ran");
    assert!(failures.is_empty(), "{} of {total} rule examples failed:\n{}", failures.len(), failures.join("\n"));
}

//! Every input the fuzzers (fuzz/) ever crashed on, replayed with the fuzz
//! targets' own checks: tests/data/fuzz/document/* through the document core,
//! tests/data/fuzz/rule_file/* through the rule loader. A new crash input is
//! saved there (named after what it found) when its bug is fixed.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz").join(target);
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("fuzz regression folder").flatten().map(|e| e.path()).collect();
    files.sort();
    files.iter().map(|p| (p.display().to_string(), std::fs::read(p).expect("read"))).collect()
}

fn replay(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let failed: Vec<String> = inputs(target)
        .into_iter()
        .filter(|(_, data)| std::panic::catch_unwind(|| check(data)).is_err())
        .map(|(name, _)| name)
        .collect();
    assert!(failed.is_empty(), "{target}: still failing: {failed:#?}");
}

#[test]
fn rule_file_crashes_stay_fixed() {
    replay("rule_file", checks::rule_file);
}

#[test]
fn document_crashes_keep_the_invariants() {
    replay("document", |d| checks::document(d, false));
}

#[test]
fn document_crashes_are_idempotent() {
    replay("document", |d| checks::document(d, true));
}

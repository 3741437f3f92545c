//! Fuzzes the per-document core: decode arbitrary bytes, clean with the default
//! rules (flag, remove and --unsafe options), and check the edit-log invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;
use ocrclean::rules::FlagAction;
use std::sync::LazyLock;

static PIPELINES: LazyLock<Vec<Pipeline>> = LazyLock::new(|| {
    let set = RuleSet::builtin().expect("built-in rules compile");
    let rules = set.selected(&[], &[], &[]).expect("default selection");
    vec![
        Pipeline::new(rules.clone(), Options::default()),
        Pipeline::new(rules.clone(), Options { flagged_all: Some(FlagAction::Remove), ..Options::default() }),
        Pipeline::new(rules, Options { unsafe_fixes: true, ..Options::default() }),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = ocrclean::decode::decode(data, true) else { return };
    let input = decoded.text.as_str();
    for p in PIPELINES.iter() {
        let c = p.clean(input);
        assert_eq!(c.log.replay(input), c.output, "replay differs");
        for e in c.edits() {
            assert_eq!(&input[e.start..e.end], e.before);
        }
        let again = p.clean(&c.output);
        assert!(again.edits().is_empty(), "not idempotent: {:?} -> {:?}", c.output, again.edits());
    }
});

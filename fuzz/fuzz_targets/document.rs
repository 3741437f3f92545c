//! Fuzzes the per-document core: decode arbitrary bytes (strict, then lossy),
//! clean with the default rules (flag, remove and --unsafe options), and check the
//! invariants: replaying the edit log gives the output, edits and flags fall on
//! character boundaries and quote the input, and cleaning again changes nothing.
//!
//! `OCRCLEAN_FUZZ_SKIP_IDEMPOTENCE=1` leaves out the last check, so that a known,
//! open idempotence bug does not stop a run from exploring the other invariants.
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

static IDEMPOTENCE: LazyLock<bool> = LazyLock::new(|| std::env::var_os("OCRCLEAN_FUZZ_SKIP_IDEMPOTENCE").is_none());

fuzz_target!(|data: &[u8]| {
    // Strict decoding must never panic; lossy decoding always gives a document.
    let _ = ocrclean::decode::decode(data, false);
    let Ok(decoded) = ocrclean::decode::decode(data, true) else { return };
    let input = decoded.text.as_str();
    for p in PIPELINES.iter() {
        let c = p.clean(input);
        assert_eq!(c.log.replay(input), c.output, "replay differs");
        let mut last_end = 0;
        for e in c.edits() {
            assert!(e.start >= last_end && e.start <= e.end && e.end <= input.len(), "bad span {e:?}");
            assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end), "{e:?}");
            assert_eq!(&input[e.start..e.end], e.before);
            last_end = e.end;
        }
        for f in &c.flags {
            assert!(f.start <= f.end && f.end <= input.len(), "bad flag {f:?}");
            assert_eq!(&input[f.start..f.end], f.text);
        }
        if *IDEMPOTENCE {
            let again = p.clean(&c.output);
            assert!(again.edits().is_empty(), "not idempotent: {:?} -> {:?}", c.output, again.edits());
        }
    }
});

//! The properties the fuzz targets check, shared with tests/fuzz_regressions.rs
//! (which replays every saved crash input under `cargo test`).

use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::file::{compile, SidecarReader};
use ocrclean::rules::registry::RuleSet;
use ocrclean::rules::FlagAction;
use std::sync::{Arc, LazyLock};

static PIPELINES: LazyLock<Vec<Pipeline>> = LazyLock::new(|| {
    let set = RuleSet::builtin().expect("built-in rules compile");
    let rules = set.selected(&[], &[], &[]).expect("default selection");
    vec![
        Pipeline::new(rules.clone(), Options::default()),
        Pipeline::new(rules.clone(), Options { flagged_all: Some(FlagAction::Remove), ..Options::default() }),
        Pipeline::new(rules, Options { unsafe_fixes: true, ..Options::default() }),
    ]
});

/// Decodes arbitrary bytes (strict, then lossy), cleans them with the default
/// rules (flag, remove and --unsafe options) and checks the invariants: replaying
/// the edit log gives the output, edits and flags fall on character boundaries
/// and quote the input, and (with `idempotence`) cleaning again changes nothing.
pub fn document(data: &[u8], idempotence: bool) {
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
            // A flag in parts (an interleaved caption): its text is the parts' texts.
            let spans = f.spans();
            assert!(spans.windows(2).all(|w| w[0].1 < w[1].0), "parts out of order {f:?}");
            assert!(spans[0].0 == f.start && spans[spans.len() - 1].1 == f.end, "hull {f:?}");
            let texts: Vec<&str> = spans.iter().map(|&(s, e)| &input[s..e]).collect();
            let text = if f.parts.is_empty() {
                texts.concat()
            } else {
                texts.iter().map(|t| t.trim()).collect::<Vec<_>>().join(" ")
            };
            assert_eq!(text, f.text);
        }
        if idempotence {
            let again = p.clean(&c.output);
            assert!(again.edits().is_empty(), "not idempotent: {:?} -> {:?}", c.output, again.edits());
        }
    }
}

struct NoSidecars;

impl SidecarReader for NoSidecars {
    fn read(&self, name: &str) -> Result<String, String> {
        Err(format!("no sidecar {name} while fuzzing"))
    }
}

/// Any text must compile as a rule file or give a located error, never panic; a
/// compiled rule must run on its own examples without panicking.
pub fn rule_file(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else { return };
    match compile("fuzz.toml", src, &NoSidecars) {
        Err(e) => assert!(e.line >= 1 && e.col >= 1),
        Ok(rule) => {
            let inputs: Vec<String> = rule.meta.examples.iter().map(|e| e.input.clone()).collect();
            let p = Pipeline::new(vec![Arc::new(rule)], Options::default());
            for i in inputs {
                let c = p.clean(&i);
                assert_eq!(c.log.replay(&i), c.output);
            }
        }
    }
}

//! Fuzzes the rule-file loader: any text must compile or give a located error,
//! never panic; a compiled rule must run on its own examples without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::file::{compile, SidecarReader};
use std::sync::Arc;

struct NoSidecars;

impl SidecarReader for NoSidecars {
    fn read(&self, name: &str) -> Result<String, String> {
        Err(format!("no sidecar {name} while fuzzing"))
    }
}

fuzz_target!(|data: &[u8]| {
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
});

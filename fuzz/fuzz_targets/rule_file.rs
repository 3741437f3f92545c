//! Fuzzes the rule-file loader: see `checks::rule_file`.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::rule_file(data));

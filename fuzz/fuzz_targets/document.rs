//! Fuzzes the per-document core: see `checks::document`.
//!
//! `OCRCLEAN_FUZZ_SKIP_IDEMPOTENCE=1` leaves out the idempotence check, so that a
//! known, open idempotence bug does not stop a run from exploring the other
//! invariants.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static IDEMPOTENCE: LazyLock<bool> = LazyLock::new(|| std::env::var_os("OCRCLEAN_FUZZ_SKIP_IDEMPOTENCE").is_none());

fuzz_target!(|data: &[u8]| checks::document(data, *IDEMPOTENCE));

#!/usr/bin/env bash
# Runs the real-browser test of the HTML report against the release binary
# (built by `cargo test --release`). Screenshot: target/browser-test/report.png.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
export OCRCLEAN_BIN="${OCRCLEAN_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/ocrclean}"
[ -x "$OCRCLEAN_BIN" ] || (cd "$root" && cargo build --release)
node --test report.test.mjs

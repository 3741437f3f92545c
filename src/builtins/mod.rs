//! Builtin mechanisms: named Rust detectors and transformers that a rule file
//! selects with `[builtin] name = "…"` and tunes with `[builtin.params]`.
//!
//! Each builtin lives in its own file whose module doc has ruff's sections
//! (What it does / Why / Example / Fix safety / Known problems). The policy
//! (which rule uses it, with which parameters, in which phase) stays in TOML.

mod fullwidth;
pub mod params;

use crate::rules::Mechanism;
use params::Params;

/// Names of all builtins, for `rules explain` and error messages.
pub const NAMES: &[&str] = &["fullwidth-ascii"];

/// Builds the builtin `name` from its TOML parameters.
pub fn build(name: &str, params: &toml::Table) -> Result<Box<dyn Mechanism>, String> {
    let p = Params::new(params);
    let m: Box<dyn Mechanism> = match name {
        "fullwidth-ascii" => Box::new(fullwidth::FullwidthAscii::new(&p)?),
        _ => return Err(format!("unknown builtin; expected one of {}", NAMES.join(", "))),
    };
    p.finish()?;
    Ok(m)
}

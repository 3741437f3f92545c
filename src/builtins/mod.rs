//! Builtin mechanisms: named Rust detectors and transformers that a rule file
//! selects with `[builtin] name = "…"` and tunes with `[builtin.params]`.
//!
//! Each builtin lives in its own file whose module doc has ruff's sections
//! (What it does / Why / Example / Fix safety / Known problems). The policy
//! (which rule uses it, with which parameters, in which phase) stays in TOML.

mod fullwidth;
mod hidden_break;
pub mod lexicon;
mod paragraphs;
mod wrap_spaces;
mod opencc;
pub mod punct_common;
mod punct_parens;
mod punct_width;
mod quotes;
pub mod params;

use crate::rules::Mechanism;
use params::Params;

/// Names of all builtins, for `rules explain` and error messages.
pub const NAMES: &[&str] = &["fullwidth-ascii", "punct-width", "punct-parens", "quotes", "opencc", "wrap-spaces", "paragraph-join", "hidden-break"];

/// Builds the builtin `name` from its TOML parameters.
pub fn build(name: &str, params: &toml::Table) -> Result<Box<dyn Mechanism>, String> {
    let p = Params::new(params);
    let m: Box<dyn Mechanism> = match name {
        "fullwidth-ascii" => Box::new(fullwidth::FullwidthAscii::new(&p)?),
        "punct-width" => Box::new(punct_width::PunctWidth::new(&p)?),
        "punct-parens" => Box::new(punct_parens::PunctParens::new(&p)?),
        "quotes" => Box::new(quotes::Quotes::new(&p)?),
        "opencc" => Box::new(opencc::OpenccConvert::new(&p)?),
        "wrap-spaces" => Box::new(wrap_spaces::WrapSpaces::new(&p)?),
        "paragraph-join" => Box::new(paragraphs::ParagraphJoin::new(&p)?),
        "hidden-break" => Box::new(hidden_break::HiddenBreak::new(&p)?),
        _ => return Err(format!("unknown builtin; expected one of {}", NAMES.join(", "))),
    };
    p.finish()?;
    Ok(m)
}

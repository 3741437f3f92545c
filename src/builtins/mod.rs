//! Builtin mechanisms: named Rust detectors and transformers that a rule file
//! selects with `[builtin] name = "…"` and tunes with `[builtin.params]`.
//!
//! Each builtin lives in its own file whose module doc has ruff's sections
//! (What it does / Why / Example / Fix safety / Known problems). The policy
//! (which rule uses it, with which parameters, in which phase) stays in TOML.

mod byline;
mod caption;
mod columns;
mod fullwidth;
mod furniture;
mod headline;
mod headline_repair;
mod hidden_break;
pub(crate) mod layout;
pub mod lexicon;
mod opencc;
mod paragraphs;
pub mod params;
pub mod punct_common;
mod punct_parens;
mod punct_width;
mod quotes;
mod roles;
mod side_columns;
mod wrap_spaces;

use crate::rules::Mechanism;
use params::Params;

/// Names of all builtins, for `rules explain` and error messages.
pub const NAMES: &[&str] = &[
    "fullwidth-ascii",
    "punct-width",
    "punct-parens",
    "quotes",
    "opencc",
    "wrap-spaces",
    "paragraph-join",
    "hidden-break",
    "column-order",
    "side-columns",
    "furniture",
    "byline",
    "caption",
    "headline",
    "headline-repair",
];

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
        "column-order" => Box::new(columns::Columns::new(&p)?),
        "side-columns" => Box::new(side_columns::SideColumns::new(&p)?),
        "furniture" => Box::new(furniture::Furniture::new(&p)?),
        "byline" => Box::new(byline::Byline::new(&p)?),
        "caption" => Box::new(caption::Caption::new(&p)?),
        "headline" => Box::new(headline::Headline::new(&p)?),
        "headline-repair" => Box::new(headline_repair::HeadlineRepair::new(&p)?),
        _ => return Err(format!("unknown builtin; expected one of {}", NAMES.join(", "))),
    };
    p.finish()?;
    Ok(m)
}

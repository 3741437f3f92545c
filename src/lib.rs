//! # ocrclean
//!
//! Cleans OCR output of Chinese (and mixed CJK/Latin) text: joins words and
//! sentences broken by line wraps and column breaks, normalizes punctuation,
//! flags captions, bylines, page furniture and scrambled headlines, and records
//! every change in an edit log attributed to the rule that made it.
//!
//! ```text
//! read → decode → documents → rule phases → edit log → output + report
//! ```
//!
//! The per-document core ([`pipeline::Pipeline::clean`]) is pure; rules are data
//! (`rules/**/*.toml`, compiled into the binary) driving Rust mechanisms.
//!
//! ```
//! use ocrclean::{pipeline::{Options, Pipeline}, rules::registry::RuleSet};
//! let set = RuleSet::builtin().expect("built-in rules compile");
//! let pipeline = Pipeline::new(set.selected(&[], &[], &[])?, Options::default());
//! let cleaned = pipeline.clean("型号ＡＢ１２");
//! assert_eq!(cleaned.output, "型号AB12");
//! assert_eq!(cleaned.log.replay("型号ＡＢ１２"), cleaned.output);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod builtins;
pub mod cli;
pub mod decode;
pub mod edit;
pub mod eval;
pub mod io;
pub mod mechanisms;
pub mod pipeline;
pub mod protect;
pub mod report;
pub mod review;
pub mod rules;
pub mod text;

//! The `--report` JSON Lines format: one object per document.
//!
//! `{"doc", "encoding", "newline", "edits": [{rule,start,end,before,after}],
//! "flags": [{rule,kind,start,end,text,action,proposal?,evidence?}],
//! "proposals": [...], "conflicts": [...], "error": null|"..."}`; all offsets are
//! bytes into the decoded (UTF-8, LF) input.

use crate::edit::{Conflict, Edit};
use crate::pipeline::{Cleaned, Flag, Proposal};
use serde::Serialize;

/// One line of the report.
#[derive(Debug, Serialize)]
pub struct DocReport<'a> {
    /// Path relative to the input root, or the JSONL id/line.
    pub doc: &'a str,
    /// The detected encoding.
    pub encoding: Option<&'a str>,
    /// `lf`, `crlf` or `cr`.
    pub newline: Option<&'a str>,
    /// Applied edits.
    pub edits: &'a [Edit],
    /// Flagged spans.
    pub flags: &'a [Flag],
    /// Unapplied proposals.
    pub proposals: &'a [Proposal],
    /// Edits that could not be applied.
    pub conflicts: &'a [Conflict],
    /// Why the document failed, if it did.
    pub error: Option<&'a str>,
}

impl<'a> DocReport<'a> {
    /// The report of a cleaned document.
    pub fn cleaned(doc: &'a str, encoding: &'a str, newline: crate::decode::Newline, c: &'a Cleaned) -> Self {
        DocReport {
            doc,
            encoding: Some(encoding),
            newline: Some(newline.name()),
            edits: c.edits(),
            flags: &c.flags,
            proposals: &c.proposals,
            conflicts: &c.conflicts,
            error: None,
        }
    }

    /// The report of a document that failed.
    pub fn failed(doc: &'a str, error: &'a str) -> Self {
        DocReport {
            doc,
            encoding: None,
            newline: None,
            edits: &[],
            flags: &[],
            proposals: &[],
            conflicts: &[],
            error: Some(error),
        }
    }

    /// The JSON line (no trailing newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("report serializes")
    }
}

//! The `--report` JSON Lines format: one object per document.
//!
//! `{"doc", "encoding", "newline", "edits": [{rule,start,end,before,after}],
//! "flags": [{rule,kind,start,end,text,action,proposal?,evidence?}],
//! "proposals": [...], "conflicts": [...], "error": null|"..."}`; all offsets are
//! bytes into the decoded (UTF-8, LF) input.

use crate::edit::{Conflict, Edit};
use crate::io::json_string::push_json_string;
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

    /// The JSON line (no trailing newline): `serde_json::to_string(self)`, with
    /// the edits, most of a report (every removed wrap space is one), written by
    /// [`push_edit`] instead of through the serializer, whose cost per string
    /// made the report a twentieth of a run. A test holds the two together.
    pub fn to_line(&self) -> String {
        let mut out = String::with_capacity(256 + self.edits.len() * 64);
        out.push_str("{\"doc\":");
        push_json_string(&mut out, self.doc);
        out.push_str(",\"encoding\":");
        push_serialized(&mut out, &self.encoding);
        out.push_str(",\"newline\":");
        push_serialized(&mut out, &self.newline);
        out.push_str(",\"edits\":[");
        for (i, e) in self.edits.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_edit(&mut out, e);
        }
        out.push_str("],\"flags\":");
        push_serialized(&mut out, &self.flags);
        out.push_str(",\"proposals\":");
        push_serialized(&mut out, &self.proposals);
        out.push_str(",\"conflicts\":");
        push_serialized(&mut out, &self.conflicts);
        out.push_str(",\"error\":");
        push_serialized(&mut out, &self.error);
        out.push('}');
        out
    }
}

/// Appends `value` as `serde_json` writes it.
fn push_serialized(out: &mut String, value: &impl Serialize) {
    out.push_str(&serde_json::to_string(value).expect("report serializes"));
}

/// Appends `e` as `serde_json` writes an [`Edit`]: its fields in order, `merged`
/// only when not empty.
fn push_edit(out: &mut String, e: &Edit) {
    let mut digits = itoa::Buffer::new();
    out.push_str("{\"rule\":");
    push_json_string(out, &e.rule);
    out.push_str(",\"start\":");
    out.push_str(digits.format(e.start));
    out.push_str(",\"end\":");
    out.push_str(digits.format(e.end));
    out.push_str(",\"before\":");
    push_json_string(out, &e.before);
    out.push_str(",\"after\":");
    push_json_string(out, &e.after);
    if !e.merged.is_empty() {
        out.push_str(",\"merged\":[");
        for (i, rule) in e.merged.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(out, rule);
        }
        out.push(']');
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::EditLog;

    #[test]
    fn line_is_what_serde_json_writes() {
        let input = "党员干 部\t\"引\\号\"\n\u{1}ＡＢ";
        let mut log = EditLog::default();
        let mut conflicts = Vec::new();
        let step = |s: usize, e: usize, r: &str| crate::edit::StepEdit::new(s, e, r);
        let text = log.compose(input, input, "S001", vec![step(9, 10, "")], &mut conflicts).unwrap();
        let text = log.compose(input, &text, "N002", vec![step(23, 24, "")], &mut conflicts).unwrap();
        // A second rule's edit touching the first one's merges into it.
        let text = log.compose(input, &text, "P003", vec![step(6, 12, "干部\n")], &mut conflicts).unwrap();
        assert!(log.edits().iter().any(|e| !e.merged.is_empty()), "{text:?}");
        let cleaned = Cleaned { output: text, log, conflicts, ..Cleaned::default() };
        for report in [
            DocReport::cleaned("a/\"b\".txt", "UTF-8", crate::decode::Newline::Lf, &cleaned),
            DocReport::cleaned("empty", "GBK", crate::decode::Newline::Crlf, &Cleaned::default()),
            DocReport::failed("c", "not valid JSON: \u{7}"),
        ] {
            assert_eq!(report.to_line(), serde_json::to_string(&report).unwrap());
        }
    }
}

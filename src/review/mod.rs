//! Review before accept: per-change decisions and applying them by replaying the edit log.
//!
//! A decision is keyed by the document (its path relative to the input root), a
//! hash of its input bytes, and the edit's identity `(rule, start, end, after)`;
//! offsets are bytes into the decoded input, as in the edit log. Because the edits
//! of a log are sorted and never overlap, any subset of them replays correctly
//! ([`crate::edit::replay`]), so rejecting one edit leaves the others exactly where
//! they were. A document whose input changed since a decision was made has another
//! hash: its old decisions no longer match, and it is queued again.
//!
//! The decisions file is JSON Lines, appended as decisions are made so that a
//! review can stop and resume; a later line for the same key wins, and
//! `"decision": "undecided"` takes an earlier decision back (undo):
//!
//! ```text
//! {"doc":"a.txt","hash":"sha256:…","rule":"S001","start":12,"end":13,"before":" ","after":"","decision":"reject"}
//! ```
//!
//! `ocrclean review` (terminal), `ocrclean report --html` (browser, "export
//! decisions") write it; `ocrclean apply` reads it.

use crate::edit::Edit;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// What was decided about one edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The edit applies.
    Accept,
    /// The edit does not apply.
    Reject,
    /// An earlier decision is taken back.
    Undecided,
}

impl Verdict {
    /// Parses `accept`, `reject` or `undecided`.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "accept" => Some(Verdict::Accept),
            "reject" => Some(Verdict::Reject),
            "undecided" => Some(Verdict::Undecided),
            _ => None,
        }
    }
}

/// The identity of one edit of one version of one document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// Document path relative to its input root (`/`-separated).
    pub doc: String,
    /// [`hash_input`] of the document's bytes.
    pub hash: String,
    /// The edit's rule id.
    pub rule: String,
    /// Byte offset into the decoded input.
    pub start: usize,
    /// Byte offset into the decoded input.
    pub end: usize,
    /// The replacement.
    pub after: String,
}

impl Key {
    /// The key of `edit` in document `doc` with input hash `hash`.
    pub fn of(doc: &str, hash: &str, edit: &Edit) -> Self {
        Key {
            doc: doc.to_string(),
            hash: hash.to_string(),
            rule: edit.rule.to_string(),
            start: edit.start,
            end: edit.end,
            after: edit.after.to_string(),
        }
    }
}

/// One line of the decisions file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLine {
    /// Document path relative to its input root.
    pub doc: String,
    /// Hash of the document's input bytes.
    pub hash: String,
    /// Rule id of the edit.
    pub rule: String,
    /// Byte offset into the decoded input.
    pub start: usize,
    /// Byte offset into the decoded input.
    pub end: usize,
    /// The replaced input text (informative; not part of the key).
    #[serde(default)]
    pub before: String,
    /// The replacement.
    pub after: String,
    /// The decision.
    pub decision: Verdict,
}

impl DecisionLine {
    /// The line for `edit`.
    pub fn new(doc: &str, hash: &str, edit: &Edit, decision: Verdict) -> Self {
        DecisionLine {
            doc: doc.to_string(),
            hash: hash.to_string(),
            rule: edit.rule.to_string(),
            start: edit.start,
            end: edit.end,
            before: edit.before.to_string(),
            after: edit.after.to_string(),
            decision,
        }
    }

    /// The key this line decides.
    pub fn key(&self) -> Key {
        Key {
            doc: self.doc.clone(),
            hash: self.hash.clone(),
            rule: self.rule.clone(),
            start: self.start,
            end: self.end,
            after: self.after.clone(),
        }
    }

    /// The JSON line (no trailing newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("decision serializes")
    }
}

/// `sha256:<hex>` of a document's input bytes.
pub fn hash_input(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Why a decisions file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// Reading failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not a decision.
    #[error("{path}:{line}: not a decision: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The decisions in force: the last line for each key wins.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    map: HashMap<Key, Verdict>,
}

impl Decisions {
    /// Reads a decisions file; a missing file is an empty set. Blank lines are skipped.
    pub fn load(path: &Path) -> Result<Self, DecisionsError> {
        let mut d = Decisions::default();
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(d),
            Err(e) => return Err(DecisionsError::Io { path: path.display().to_string(), source: e }),
        };
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| DecisionsError::Io { path: path.display().to_string(), source: e })?;
            if line.trim().is_empty() {
                continue;
            }
            let l: DecisionLine = serde_json::from_str(&line).map_err(|e| DecisionsError::Parse {
                path: path.display().to_string(),
                line: i + 1,
                message: e.to_string(),
            })?;
            d.record(&l);
        }
        Ok(d)
    }

    /// Applies one line (later lines win; `undecided` removes the decision).
    pub fn record(&mut self, line: &DecisionLine) {
        match line.decision {
            Verdict::Undecided => {
                self.map.remove(&line.key());
            }
            v => {
                self.map.insert(line.key(), v);
            }
        }
    }

    /// The decision for an edit, if any.
    pub fn get(&self, doc: &str, hash: &str, edit: &Edit) -> Option<Verdict> {
        self.map.get(&Key::of(doc, hash, edit)).copied()
    }

    /// Number of decisions in force.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every decision in force (unordered).
    pub fn iter(&self) -> impl Iterator<Item = (&Key, Verdict)> {
        self.map.iter().map(|(k, v)| (k, *v))
    }
}

/// Counts of what [`select`] did with one document's edits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Edits accepted by a decision.
    pub accepted: usize,
    /// Edits rejected by a decision.
    pub rejected: usize,
    /// Edits with no decision.
    pub undecided: usize,
}

impl Tally {
    /// Adds another tally.
    pub fn add(&mut self, o: Tally) {
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.undecided += o.undecided;
    }
}

/// The edits of one document that apply: accepted ones, and undecided ones when
/// `undecided_accept`. The result keeps the log's order, so it replays correctly.
pub fn select(
    doc: &str,
    hash: &str,
    edits: &[Edit],
    decisions: &Decisions,
    undecided_accept: bool,
) -> (Vec<Edit>, Tally) {
    let mut tally = Tally::default();
    let mut kept = Vec::with_capacity(edits.len());
    for e in edits {
        let keep = match decisions.get(doc, hash, e) {
            Some(Verdict::Accept) => {
                tally.accepted += 1;
                true
            }
            Some(Verdict::Reject) => {
                tally.rejected += 1;
                false
            }
            _ => {
                tally.undecided += 1;
                undecided_accept
            }
        };
        if keep {
            kept.push(e.clone());
        }
    }
    (kept, tally)
}

/// Appends decision lines to a file as they are made (flushed after each line).
#[derive(Debug)]
pub struct DecisionWriter {
    file: std::fs::File,
}

impl DecisionWriter {
    /// Opens `path` for appending, creating it (and its folder) if needed.
    pub fn append(path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        Ok(DecisionWriter { file })
    }

    /// Writes one line and flushes it.
    pub fn write(&mut self, line: &DecisionLine) -> std::io::Result<()> {
        let mut s = line.to_line();
        s.push('\n');
        self.file.write_all(s.as_bytes())?;
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(rule: &str, start: usize, end: usize, before: &str, after: &str) -> Edit {
        Edit { rule: rule.into(), start, end, before: before.into(), after: after.into(), merged: vec![] }
    }

    #[test]
    fn rejecting_one_edit_keeps_the_others_in_place() {
        let input = "ａ b,c";
        let edits = vec![edit("N1", 0, 3, "ａ", "a"), edit("S1", 3, 4, " ", ""), edit("P1", 5, 6, ",", "，")];
        let h = hash_input(input.as_bytes());
        let mut d = Decisions::default();
        d.record(&DecisionLine::new("x", &h, &edits[1], Verdict::Reject));
        let (kept, t) = select("x", &h, &edits, &d, true);
        assert_eq!(crate::edit::replay(input, &kept), "a b，c");
        assert_eq!(t, Tally { accepted: 0, rejected: 1, undecided: 2 });
        let (kept, _) = select("x", &h, &edits, &d, false);
        assert_eq!(crate::edit::replay(input, &kept), input);
        // A changed input (other hash) is undecided again.
        let (kept, t) = select("x", "sha256:other", &edits, &d, true);
        assert_eq!((kept.len(), t.rejected), (3, 0));
    }

    #[test]
    fn later_lines_win_and_undecided_undoes() {
        let e = edit("S1", 4, 5, " ", "");
        let mut d = Decisions::default();
        d.record(&DecisionLine::new("x", "h", &e, Verdict::Reject));
        d.record(&DecisionLine::new("x", "h", &e, Verdict::Accept));
        assert_eq!(d.get("x", "h", &e), Some(Verdict::Accept));
        d.record(&DecisionLine::new("x", "h", &e, Verdict::Undecided));
        assert_eq!(d.get("x", "h", &e), None);
    }

    #[test]
    fn file_round_trip_and_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub/d.jsonl");
        let e = edit("S1", 4, 5, " ", "");
        let mut w = DecisionWriter::append(&p).expect("open");
        w.write(&DecisionLine::new("x", "h", &e, Verdict::Reject)).expect("write");
        drop(w);
        assert_eq!(Decisions::load(&p).expect("load").get("x", "h", &e), Some(Verdict::Reject));
        assert!(Decisions::load(&dir.path().join("missing")).expect("missing is empty").is_empty());
        std::fs::write(&p, "{\"doc\":1}\n").expect("write");
        let err = Decisions::load(&p).expect_err("bad line");
        assert!(err.to_string().contains(":1: not a decision"), "{err}");
        assert!(hash_input(b"abc").starts_with("sha256:ba7816bf"));
    }
}

//! `[map]`: literal replacement tables, matched leftmost-longest with aho-corasick.
//!
//! Small tables live inline (`pairs = [["髮", "发"]]`); big ones in a sorted
//! `from,to` CSV beside the rule file (`file = "O001-confusables.csv"`).

use super::super::rules::file::SidecarReader;
use crate::rules::{Context, Mechanism, Output};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;
use serde_spanned::Spanned;
use std::ops::Range;

/// The `[map]` table of a rule file.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MapSpec {
    /// Inline `[from, to]` pairs.
    #[serde(default)]
    pairs: Vec<(String, String)>,
    /// A `from,to` CSV file next to the rule file; must be sorted and unique.
    file: Option<Spanned<String>>,
}

/// A compiled literal table.
pub struct Map {
    matcher: AhoCorasick,
    replacements: Vec<String>,
}

/// Parses a sorted, unique `from,to` CSV table (lines starting with `#` are comments).
pub fn parse_csv(content: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (from, to) = line.split_once(',').ok_or_else(|| format!("line {}: expected `from,to`", n + 1))?;
        if from.is_empty() {
            return Err(format!("line {}: empty `from`", n + 1));
        }
        if let Some((prev, _)) = pairs.last() {
            if prev.as_str() >= from {
                return Err(format!("line {}: {from:?} is not sorted after {prev:?} or is a duplicate", n + 1));
            }
        }
        pairs.push((from.to_string(), to.to_string()));
    }
    Ok(pairs)
}

impl MapSpec {
    /// Builds the matcher, reading the sidecar CSV if any.
    pub fn compile(&self, sidecars: &dyn SidecarReader) -> Result<Map, (Range<usize>, String)> {
        let mut pairs = self.pairs.clone();
        if let Some(f) = &self.file {
            let content = sidecars.read(f.get_ref()).map_err(|e| (f.span(), e))?;
            pairs.extend(parse_csv(&content).map_err(|e| (f.span(), format!("{}: {e}", f.get_ref())))?);
        }
        if pairs.is_empty() || pairs.iter().any(|(from, _)| from.is_empty()) {
            return Err((0..0, "map needs non-empty `pairs` or a `file`".to_string()));
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(pairs.iter().map(|(f, _)| f.as_str()))
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(pairs.iter().map(|(f, _)| f.as_str()))
            })
            .map_err(|e| (0..0, format!("map table: {e}")))?;
        Ok(Map { matcher, replacements: pairs.into_iter().map(|(_, t)| t).collect() })
    }
}

impl Mechanism for Map {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        for m in self.matcher.find_iter(text) {
            out.edit(m.start(), m.end(), self.replacements[m.pattern().as_usize()].as_str());
        }
    }
}

//! Edits and the edit log: the single record of every change a run makes.
//!
//! Rules run one after another, each on the text its predecessors left. A rule
//! reports [`StepEdit`]s in the coordinates of the text it saw; [`EditLog::compose`]
//! folds them into the log, whose [`Edit`]s are always byte spans of the *decoded
//! input*. Replaying the log on the input ([`EditLog::replay`]) gives the output
//! exactly, so diffs and reports are rendered from the log, never by re-diffing.
//!
//! When a later rule touches text an earlier rule wrote, the two edits merge into
//! one input span; the merged edit keeps the first rule as `rule` and lists the
//! others in `merged`, so no change loses its attribution.

use compact_str::CompactString;
use serde::Serialize;

/// One change to the decoded input: replace `input[start..end]` (`before`) by `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Id of the rule that made the change.
    pub rule: CompactString,
    /// Byte offset into the decoded input, inclusive.
    pub start: usize,
    /// Byte offset into the decoded input, exclusive.
    pub end: usize,
    /// The input text that was replaced.
    pub before: CompactString,
    /// The replacement.
    pub after: CompactString,
    /// Later rules whose edits touched the same text and were merged into this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<CompactString>,
}

impl Edit {
    /// How much longer (or, negative, shorter) the text is after this edit.
    fn len_change(&self) -> isize {
        self.after.len() as isize - (self.end - self.start) as isize
    }
}

/// The indices of `queries` by position, `Left` before `Right` at one offset:
/// the order in which one pass over the log answers them all.
fn position_order(queries: &[(usize, Side)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..queries.len()).collect();
    order.sort_by_key(|&i| (queries[i].0, queries[i].1 == Side::Right));
    order
}

/// The largest edit whose lines [`EditLog::moved_lines`] looks for.
const MOVED_MAX_BYTES: usize = 64 << 10;

/// An edit a rule proposes on the text it was given (coordinates of that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepEdit {
    /// Byte offset into the step's text, inclusive.
    pub start: usize,
    /// Byte offset into the step's text, exclusive.
    pub end: usize,
    /// The replacement.
    pub replacement: CompactString,
}

impl StepEdit {
    /// Replace `start..end` by `replacement`.
    pub fn new(start: usize, end: usize, replacement: impl Into<CompactString>) -> Self {
        StepEdit { start, end, replacement: replacement.into() }
    }
}

/// An edit that was not applied because it overlapped an earlier one of the same
/// rule or did not fall on character boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The rule whose edit was skipped.
    pub rule: String,
    /// Byte offset into the decoded input (best effort: mapped from the step's text).
    pub start: usize,
    /// Byte offset into the decoded input.
    pub end: usize,
    /// The replacement that was not applied.
    pub after: String,
    /// Why it was skipped.
    pub reason: String,
}

/// The composed log of one document: sorted, non-overlapping edits on the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditLog {
    edits: Vec<Edit>,
}

impl EditLog {
    /// The edits, sorted by input position.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Builds a log from input-coordinate edits (e.g. a filtered subset of another
    /// log). Edits are sorted; the caller guarantees they do not overlap.
    pub fn from_edits(mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.start, e.end));
        EditLog { edits }
    }

    /// Applies the log to `input`, giving the output text.
    pub fn replay(&self, input: &str) -> String {
        replay(input, &self.edits)
    }

    /// Maps a byte offset in the current text (input with the log applied) to the
    /// input. `Side::Left` maps a position inside replaced text to the start of
    /// the replaced input span, `Side::Right` to its end.
    pub fn to_input(&self, pos: usize, side: Side) -> usize {
        let mut delta: isize = 0; // current - input, before the edit being looked at
        for e in &self.edits {
            if let Some(found) = input_offset_at(e, delta, pos, side) {
                return found;
            }
            delta += e.len_change();
        }
        (pos as isize - delta) as usize
    }

    /// Maps many current-text offsets to the input at once (see [`EditLog::to_input`]):
    /// one pass over the log instead of one per offset.
    pub fn to_input_many(&self, queries: &[(usize, Side)]) -> Vec<usize> {
        let order = position_order(queries);
        let mut out = vec![0; queries.len()];
        // `to_input` walks the edits until the first it does not pass; in this
        // order of queries the edits passed only grow, so the walk resumes at `k`.
        let (mut k, mut delta): (usize, isize) = (0, 0);
        for i in order {
            let (pos, side) = queries[i];
            out[i] = loop {
                let Some(e) = self.edits.get(k) else { break (pos as isize - delta) as usize };
                if let Some(found) = input_offset_at(e, delta, pos, side) {
                    break found;
                }
                delta += e.len_change();
                k += 1;
            };
        }
        out
    }

    /// The input span `start..end` (mapped from a current span) without text
    /// deleted right at its ends: that text is not in the current span, so a
    /// flag on a headline right after a removed furniture line does not take the
    /// furniture in. An empty span stays as it is.
    pub fn without_deleted_ends(&self, start: usize, end: usize) -> (usize, usize) {
        let (mut s, mut e) = (start, end);
        let deletion = |d: &Edit| d.after.is_empty() && d.start < d.end;
        while let Some(d) = self.edits.get(self.edits.partition_point(|d| d.start < s)) {
            if d.start != s || !deletion(d) || d.end > e {
                break;
            }
            s = d.end;
        }
        while let Some(d) = self.edits.get(self.edits.partition_point(|d| d.end < e)) {
            if d.end != e || !deletion(d) || d.start < s {
                break;
            }
            e = d.start;
        }
        if s < e {
            (s, e)
        } else {
            (start, end)
        }
    }

    /// Where the lines of `flagged`, a current span that lies inside one edit's
    /// replacement (mapped to that edit's whole input span `start..end`), stand in
    /// the input after `from`: a rule that moved text (columns set one after the
    /// other) left each line as it was. `None` unless every line is found, in order.
    pub fn moved_lines(
        &self,
        input: &str,
        flagged: &str,
        (start, end): (usize, usize),
        from: usize,
    ) -> Option<Vec<(usize, usize)>> {
        let e = self.edits.get(self.edits.partition_point(|e| e.start < start))?;
        // A region of columns is a page's part; a larger edit is no move (and
        // searching it for every flag inside would be quadratic).
        if (e.start, e.end) != (start, end) || flagged.len() >= end - start || end - start > MOVED_MAX_BYTES {
            return None;
        }
        let mut spans = Vec::new();
        let mut from = from.clamp(start, end);
        for line in flagged.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let at = from + input[from..end].find(line)?;
            spans.push((at, at + line.len()));
            from = at + line.len();
        }
        (!spans.is_empty()).then_some(spans)
    }

    /// The reverse of [`EditLog::moved_lines`]: where the lines of the input span
    /// `start..end`, which lies inside one edit's replaced span (the current span
    /// `cur_start..` being that edit's replacement), stand in the current text.
    pub fn moved_lines_current(
        &self,
        input: &str,
        start: usize,
        end: usize,
        cur_start: usize,
    ) -> Option<Vec<(usize, usize)>> {
        let d = self.edits.get(self.edits.partition_point(|d| d.end <= start))?;
        if d.start > start || end > d.end || (d.start, d.end) == (start, end) || d.end - d.start > MOVED_MAX_BYTES {
            return None;
        }
        let mut spans = Vec::new();
        let mut from = 0;
        for line in input[start..end].lines().map(str::trim).filter(|l| !l.is_empty()) {
            let at = from + d.after[from..].find(line)?;
            spans.push((cur_start + at, cur_start + at + line.len()));
            from = at + line.len();
        }
        (!spans.is_empty()).then_some(spans)
    }

    /// Maps an input byte offset to the current text. An offset inside a replaced
    /// span maps to the start (`Left`) or end (`Right`) of its replacement.
    pub fn to_current(&self, pos: usize, side: Side) -> usize {
        let mut delta: isize = 0;
        for e in &self.edits {
            // At the start of a replaced span, an end (`Right`) is before it, not in it.
            if pos < e.start || (pos == e.start && (side == Side::Left || e.end > e.start)) {
                break;
            }
            let cur_start = (e.start as isize + delta) as usize;
            if pos < e.end {
                return if side == Side::Left { cur_start } else { cur_start + e.after.len() };
            }
            delta += e.len_change();
        }
        (pos as isize + delta) as usize
    }

    /// Maps many input offsets to the current text at once (see [`EditLog::to_current`]):
    /// one pass over the log instead of one per offset.
    pub fn to_current_many(&self, queries: &[(usize, Side)]) -> Vec<usize> {
        let order = position_order(queries);
        let mut out = vec![0; queries.len()];
        let (mut k, mut delta): (usize, isize) = (0, 0);
        for i in order {
            let (pos, side) = queries[i];
            // Advance past edits that lie wholly before `pos`.
            while let Some(e) = self.edits.get(k) {
                let before = e.end <= pos && !(e.start == pos && side == Side::Left);
                if !before {
                    break;
                }
                delta += e.len_change();
                k += 1;
            }
            out[i] = match self.edits.get(k) {
                Some(e) if e.start < pos => {
                    let cur_start = (e.start as isize + delta) as usize;
                    if side == Side::Left {
                        cur_start
                    } else {
                        cur_start + e.after.len()
                    }
                }
                _ => (pos as isize + delta) as usize,
            };
        }
        out
    }

    /// Folds one rule's edits on `current` (the input with this log applied) into
    /// the log and returns the new current text. Edits that overlap an earlier edit
    /// of the same step, or split a character, become conflicts.
    pub fn compose(
        &mut self,
        input: &str,
        current: &str,
        rule: &str,
        mut step: Vec<StepEdit>,
        conflicts: &mut Vec<Conflict>,
    ) -> Option<String> {
        step.sort_by_key(|e| (e.start, e.end));
        let mut accepted: Vec<StepEdit> = Vec::with_capacity(step.len());
        for e in step {
            let valid = e.start <= e.end
                && e.end <= current.len()
                && current.is_char_boundary(e.start)
                && current.is_char_boundary(e.end);
            // A replacement by the same text changes nothing: not an edit (a rule
            // that rewrites `……` as `……` must not make the text look changed and
            // force another pass).
            if valid && current[e.start..e.end] == *e.replacement {
                continue;
            }
            let overlaps = accepted
                .last()
                .is_some_and(|p| p.end > e.start || (p.start == p.end && e.start == e.end && p.start == e.start));
            if !valid || overlaps {
                let reason = if valid {
                    "overlaps an earlier edit of the same rule"
                } else {
                    "span is not on character boundaries"
                };
                let (s, t) = (e.start.min(current.len()), e.end.min(current.len()));
                conflicts.push(Conflict {
                    rule: rule.to_string(),
                    start: self.to_input(s, Side::Left),
                    end: self.to_input(t.max(s), Side::Right),
                    after: e.replacement.into(),
                    reason: reason.to_string(),
                });
                continue;
            }
            if current[e.start..e.end] == e.replacement {
                continue; // a no-op is not a change
            }
            accepted.push(e);
        }
        if accepted.is_empty() {
            return None;
        }
        let next = replay_step(current, &accepted);
        self.merge(input, current, rule, &accepted);
        Some(next)
    }

    /// Merges step edits (coordinates of `current`, sorted, non-overlapping) into
    /// the log. Step edits and old edits that touch each other, directly or in a
    /// chain, become one edit whose replacement is `current`'s text over their
    /// joint span with the step edits applied.
    fn merge(&mut self, input: &str, current: &str, rule: &str, step: &[StepEdit]) {
        // Old edits are moved, not cloned, into the new log, each once and in
        // order: the log's own vector is drained from the front.
        let old_edits = std::mem::take(&mut self.edits);
        let mut out: Vec<Edit> = Vec::with_capacity(old_edits.len() + step.len());
        // Current-text span and input span of each old edit.
        let mut shift: isize = 0;
        type Spans = Vec<(usize, usize)>;
        let (spans, inputs): (Spans, Spans) = old_edits
            .iter()
            .map(|e| {
                let s = (e.start as isize + shift) as usize;
                shift += e.len_change();
                ((s, s + e.after.len()), (e.start, e.end))
            })
            .unzip();
        let mut old = old_edits.into_iter();
        let n = spans.len();
        let mut i = 0; // next old edit not yet emitted
        let mut k = 0; // next step edit not yet merged
        let mut delta: isize = 0; // current - input for plain text before old[i]
        while k < step.len() {
            // Old edits entirely before the step edit stay as they are.
            while i < n && !touches(spans[i], &step[k]) && spans[i].1 <= step[k].start {
                let o = old.next().expect("one old edit per span");
                delta += o.len_change();
                out.push(o);
                i += 1;
            }
            // The group: old edits i..ii and step edits k..kk chained by touching.
            let (mut ii, mut kk) = (i, k + 1);
            loop {
                if ii < n && step[k..kk].iter().any(|s| touches(spans[ii], s)) {
                    ii += 1;
                } else if kk < step.len() && (i..ii).any(|j| touches(spans[j], &step[kk])) {
                    kk += 1;
                } else {
                    break;
                }
            }
            let group = &step[k..kk];
            if ii == i {
                // Plain text: map the step edit through the offset.
                let se = &step[k];
                let (start, end) = ((se.start as isize - delta) as usize, (se.end as isize - delta) as usize);
                if input[start..end] != se.replacement {
                    let before = input[start..end].into();
                    out.push(Edit {
                        rule: rule.into(),
                        start,
                        end,
                        before,
                        after: se.replacement.clone(),
                        merged: vec![],
                    });
                }
                k = kk;
                continue;
            }
            let (cs, ce) = (group[0].start.min(spans[i].0), group[group.len() - 1].end.max(spans[ii - 1].1));
            let in_start = if cs < spans[i].0 { (cs as isize - delta) as usize } else { inputs[i].0 };
            let in_end = inputs[ii - 1].1 + (ce - spans[ii - 1].1);
            let mut after = CompactString::with_capacity(ce - cs);
            let mut pos = cs;
            for se in group {
                after.push_str(&current[pos..se.start]);
                after.push_str(&se.replacement);
                pos = se.end;
            }
            after.push_str(&current[pos..ce]);
            let mut first_rule = CompactString::default();
            let mut merged: Vec<CompactString> = Vec::new();
            for (j, o) in old.by_ref().take(ii - i).enumerate() {
                if j == 0 {
                    first_rule = o.rule;
                } else {
                    merged.push(o.rule);
                }
                merged.extend(o.merged);
            }
            if first_rule != rule && !merged.iter().any(|m| m == rule) {
                merged.push(rule.into());
            }
            let before = &input[in_start..in_end];
            if before != after {
                out.push(Edit { rule: first_rule, start: in_start, end: in_end, before: before.into(), after, merged });
            }
            delta = ce as isize - in_end as isize;
            i = ii;
            k = kk;
        }
        out.extend(old);
        self.edits = out;
    }
}

/// The input offset of current offset `pos` when edit `e` (at `delta` = current −
/// input before it) decides it: `pos` lies before `e` (plain text) or inside its
/// replacement. `None`: `pos` lies after `e`, look further.
fn input_offset_at(e: &Edit, delta: isize, pos: usize, side: Side) -> Option<usize> {
    let cur_start = (e.start as isize + delta) as usize;
    let cur_end = cur_start + e.after.len();
    // At the start of a replacement, an end (`Right`) is before it, not in it.
    if pos < cur_start || (pos == cur_start && (side == Side::Left || !e.after.is_empty())) {
        return Some((pos as isize - delta) as usize);
    }
    if pos < cur_end || (pos == cur_end && side == Side::Left && e.after.is_empty()) {
        return Some(if side == Side::Left { e.start } else { e.end });
    }
    None
}

/// Whether an old edit's current span must merge with a step edit: they overlap,
/// or one is an insertion/deletion point strictly inside the other.
fn touches((cs, ce): (usize, usize), se: &StepEdit) -> bool {
    if cs == ce {
        // An old deletion (empty current span) merges only if strictly inside.
        return se.start < cs && cs < se.end;
    }
    if se.start == se.end {
        return cs < se.start && se.start < ce;
    }
    cs < se.end && se.start < ce
}

/// Which side of a replaced span an offset maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Towards the start.
    Left,
    /// Towards the end.
    Right,
}

/// Applies sorted, non-overlapping input-coordinate edits to `input`.
pub fn replay(input: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&input[pos..e.start]);
        out.push_str(&e.after);
        pos = e.end;
    }
    out.push_str(&input[pos..]);
    out
}

fn replay_step(text: &str, edits: &[StepEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(log: &mut EditLog, input: &str, cur: &str, rule: &str, edits: Vec<StepEdit>) -> String {
        let mut c = Vec::new();
        let out = log.compose(input, cur, rule, edits, &mut c).unwrap_or_else(|| cur.to_string());
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(log.replay(input), out, "replay must equal the stepwise result");
        out
    }

    #[test]
    fn independent_edits_map_to_input_offsets() {
        let input = "干 部,赴 茶陵";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "S1", vec![StepEdit::new(3, 4, ""), StepEdit::new(11, 12, "")]);
        assert_eq!(cur, "干部,赴茶陵");
        let cur = step(&mut log, input, &cur, "P1", vec![StepEdit::new(6, 7, "，")]);
        assert_eq!(cur, "干部，赴茶陵");
        let e: Vec<_> = log.edits().iter().map(|e| (e.rule.as_str(), e.start, e.end)).collect();
        assert_eq!(e, vec![("S1", 3, 4), ("P1", 7, 8), ("S1", 11, 12)]);
    }

    #[test]
    fn a_span_mapped_to_the_input_leaves_out_text_deleted_at_its_ends() {
        // `FURN\n` and `\nX` deleted, `ａ` replaced: the current `Head a` maps
        // to the input without the deletions, with the replaced character.
        let input = "FURN\nHead ａ\nX";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "L1", vec![StepEdit::new(0, 5, ""), StepEdit::new(13, 15, "")]);
        let cur = step(&mut log, input, &cur, "N1", vec![StepEdit::new(5, 8, "a")]);
        assert_eq!(cur, "Head a");
        let (s, e) = (log.to_input(0, Side::Left), log.to_input(cur.len(), Side::Right));
        assert_eq!((s, e), (0, input.len()), "the wide mapping takes the deletions in");
        assert_eq!(log.without_deleted_ends(s, e), (5, 13));
        assert_eq!(&input[5..13], "Head ａ");
        assert_eq!(log.without_deleted_ends(0, 5), (0, 5), "a deleted span alone stays");
    }

    #[test]
    fn a_span_ending_where_a_replacement_starts_leaves_it_out() {
        // `ab` replaced by `AB`, then the newlines after it by fewer: a span on
        // `AB` ends where the second replacement starts and maps to `ab` alone
        // (a flag on a repaired headline took the newlines below it in).
        let input = "ab\n\n\n\nc";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "L2", vec![StepEdit::new(0, 2, "AB")]);
        let cur = step(&mut log, input, &cur, "B2", vec![StepEdit::new(2, 6, "\n\n\n")]);
        assert_eq!(cur, "AB\n\n\nc");
        assert_eq!(log.to_input(2, Side::Right), 2);
        assert_eq!(log.to_input_many(&[(2, Side::Right), (0, Side::Left)]), [2, 0]);
        assert_eq!(log.to_current(2, Side::Right), 2, "the end of `ab` is the end of `AB`");
        assert_eq!(log.to_current_many(&[(2, Side::Right)]), [2]);
        assert_eq!(log.to_current(6, Side::Left), 5);
    }

    #[test]
    fn later_edit_over_earlier_replacement_merges() {
        let input = "a,b";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "P1", vec![StepEdit::new(1, 2, "，")]);
        let cur = step(&mut log, input, &cur, "X1", vec![StepEdit::new(0, 4, "A:")]);
        assert_eq!(cur, "A:b");
        assert_eq!(log.edits().len(), 1);
        let e = &log.edits()[0];
        assert_eq!((e.start, e.end, e.rule.as_str(), e.merged.clone()), (0, 2, "P1", vec![CompactString::from("X1")]));
    }

    #[test]
    fn replacing_text_by_itself_is_no_change() {
        let mut log = EditLog::default();
        let mut c = Vec::new();
        let text = "好……。";
        let same = vec![StepEdit::new(3, 9, "……"), StepEdit::new(9, 9, "")];
        assert_eq!(log.compose(text, text, "P004", same, &mut c), None, "nothing changed, no new text");
        assert!(log.edits().is_empty() && c.is_empty());
    }

    #[test]
    fn several_later_edits_inside_one_earlier_replacement_merge_once() {
        // N001 turns `　１　` (9 bytes) into ` 1 `; S001 then removes both spaces.
        let input = "党\u{3000}１\u{3000}党";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "N001", vec![StepEdit::new(3, 12, " 1 ")]);
        let cur = step(&mut log, input, &cur, "S001", vec![StepEdit::new(3, 4, ""), StepEdit::new(5, 6, "")]);
        assert_eq!(cur, "党1党");
        assert_eq!(log.replay(input), cur);
        let e = &log.edits()[0];
        assert_eq!(
            (e.start, e.end, e.after.as_str(), e.merged.clone()),
            (3, 12, "1", vec![CompactString::from("S001")])
        );
        // A chain: the step edit touches two earlier edits and the plain text between them.
        let input = "a,b,c";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "P1", vec![StepEdit::new(1, 2, "，"), StepEdit::new(3, 4, "，")]);
        let cur = step(&mut log, input, &cur, "X1", vec![StepEdit::new(1, 8, "-")]);
        assert_eq!(cur, "a-c");
        assert_eq!(log.replay(input), cur);
        assert_eq!(log.edits().len(), 1);
    }

    #[test]
    fn insertion_next_to_deletion_and_mapping() {
        let input = "abc def";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "S", vec![StepEdit::new(3, 4, "")]);
        let cur = step(&mut log, input, &cur, "T", vec![StepEdit::new(3, 3, "-"), StepEdit::new(0, 1, "A")]);
        assert_eq!(cur, "Abc-def");
        assert_eq!(log.to_input(4, Side::Left), 4);
        assert_eq!(log.to_current(4, Side::Left), 3, "left of the insertion");
        assert_eq!(log.to_current(4, Side::Right), 4, "right of the insertion");
    }

    #[test]
    fn batch_mapping_agrees_with_single_mapping() {
        let input = "ab cd, ef gh";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "S", vec![StepEdit::new(2, 3, ""), StepEdit::new(9, 10, "")]);
        step(&mut log, input, &cur, "P", vec![StepEdit::new(4, 5, "，"), StepEdit::new(0, 0, ">")]);
        let queries: Vec<(usize, Side)> = (0..=input.len()).flat_map(|p| [(p, Side::Left), (p, Side::Right)]).collect();
        let many = log.to_current_many(&queries);
        for (q, m) in queries.iter().zip(many) {
            assert_eq!(log.to_current(q.0, q.1), m, "{q:?}");
        }
    }

    #[test]
    fn batch_input_mapping_agrees_with_single_mapping() {
        let input = "ab cd, ef gh";
        let mut log = EditLog::default();
        let cur = step(&mut log, input, input, "S", vec![StepEdit::new(2, 3, ""), StepEdit::new(9, 10, "")]);
        let cur = step(&mut log, input, &cur, "P", vec![StepEdit::new(4, 5, "，"), StepEdit::new(0, 0, ">")]);
        let queries: Vec<(usize, Side)> = (0..=cur.len()).flat_map(|p| [(p, Side::Right), (p, Side::Left)]).collect();
        let many = log.to_input_many(&queries);
        for (q, m) in queries.iter().zip(many) {
            assert_eq!(log.to_input(q.0, q.1), m, "{q:?}");
        }
    }

    #[test]
    fn overlapping_edits_of_one_rule_conflict() {
        let input = "abcdef";
        let mut log = EditLog::default();
        let mut c = Vec::new();
        let out = log.compose(input, input, "R", vec![StepEdit::new(0, 3, "x"), StepEdit::new(2, 4, "y")], &mut c);
        assert_eq!(out.as_deref(), Some("xdef"));
        assert_eq!(c.len(), 1);
        let split = log.compose(input, "xdef", "Q", vec![StepEdit::new(1, 1, "é"), StepEdit::new(5, 6, "")], &mut c);
        assert_eq!(split.as_deref(), Some("xédef"));
        assert_eq!(c.len(), 2, "out-of-range edit is a conflict, not a panic");
    }
}

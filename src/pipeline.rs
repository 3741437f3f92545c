//! The per-document core: runs the rules in phase order over one text and returns
//! the output with its edit log, flags, proposals and conflicts. Pure: no I/O, no
//! threads; the CLI runs it across documents with rayon.

use crate::edit::{Conflict, Edit, EditLog, Side, StepEdit};
use crate::rules::{spans_of, Context, FixSafety, FlagAction, FlagKind, Output, Role, Rule};
use serde::Serialize;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

/// How flags are acted on and whether unsafe fixes apply.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Apply unsafe fixes and repair proposals (`--unsafe`).
    pub unsafe_fixes: bool,
    /// Action for every flag, overriding the rules' own (`--flagged ACTION`).
    pub flagged_all: Option<FlagAction>,
    /// Action per kind (`--flagged caption=remove,…`); wins over `flagged_all`.
    pub flagged_kind: BTreeMap<FlagKind, FlagAction>,
}

/// A flagged span of the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// The rule that flagged it.
    pub rule: String,
    /// What the span is.
    pub kind: FlagKind,
    /// Byte offset into the decoded input, inclusive.
    pub start: usize,
    /// Byte offset into the decoded input, exclusive.
    pub end: usize,
    /// The input text of the span (of a flag in parts: the parts' texts, each
    /// trimmed, joined by a space).
    pub text: String,
    /// A flag printed in pieces (a caption interleaved with the body): the
    /// pieces' input spans in order, `start..end` being their hull. Empty for one span.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<(usize, usize)>,
    /// What was done with it.
    pub action: FlagAction,
    /// A proposed repair (unsafe: applied only with `--unsafe`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// The evidence for the flag or proposal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<serde_json::Value>,
}

impl Flag {
    /// The input spans flagged: the parts, or `start..end`.
    pub fn spans(&self) -> Vec<(usize, usize)> {
        crate::rules::flagged_spans(self.start, self.end, &self.parts)
    }
}

/// An unsafe or display-only edit that was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The rule that proposed it.
    pub rule: String,
    /// Byte offset into the decoded input.
    pub start: usize,
    /// Byte offset into the decoded input.
    pub end: usize,
    /// The input text it would replace.
    pub before: String,
    /// The proposed replacement.
    pub after: String,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// The cleaned text.
    pub output: String,
    /// Every applied change, in input coordinates.
    pub log: EditLog,
    /// Every flagged span.
    pub flags: Vec<Flag>,
    /// Changes that were proposed but not applied.
    pub proposals: Vec<Proposal>,
    /// Edits that could not be applied.
    pub conflicts: Vec<Conflict>,
    /// Passes over the rules until one changed nothing (or [`MAX_PASSES`]).
    pub passes: usize,
}

impl Cleaned {
    /// The applied edits.
    pub fn edits(&self) -> &[Edit] {
        self.log.edits()
    }
}

/// An ordered, compiled rule set with options: clean any number of documents with it.
#[derive(Debug, Clone)]
pub struct Pipeline {
    rules: Vec<Arc<Rule>>,
    options: Options,
}

/// Start and end markers of a tagged span.
pub fn tag_markers(kind: FlagKind) -> (String, String) {
    (format!("⟦{}⟧", kind.name()), format!("⟦/{}⟧", kind.name()))
}

impl Pipeline {
    /// A pipeline running `rules` (sorted here by phase, then id) with `options`.
    pub fn new(mut rules: Vec<Arc<Rule>>, options: Options) -> Self {
        rules.sort_by(|a, b| (a.meta.phase, &a.meta.id).cmp(&(b.meta.phase, &b.meta.id)));
        Pipeline { rules, options }
    }

    /// The rules in the order they run.
    pub fn rules(&self) -> &[Arc<Rule>] {
        &self.rules
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    fn action_for(&self, rule: &Rule, kind: FlagKind) -> FlagAction {
        self.options
            .flagged_kind
            .get(&kind)
            .copied()
            .or(self.options.flagged_all)
            .or(rule.meta.flag.map(|(_, a)| a))
            .unwrap_or(FlagAction::Flag)
    }

    /// Cleans one document: runs the rules in passes until a pass changes
    /// nothing (at most [`MAX_PASSES`]), so that cleaning the output again,
    /// in a fresh run, changes nothing either.
    pub fn clean(&self, input: &str) -> Cleaned {
        match self.run(input, None) {
            Ok(c) => c,
            Err(_) => unreachable!("no deadline, no timeout"),
        }
    }

    /// Cleans one document unless that takes past `deadline` (checked between
    /// rules: a time budget per document, so that one pathological document
    /// cannot stall a corpus run); the error names the rule reached.
    pub fn clean_within(&self, input: &str, deadline: std::time::Instant) -> Result<Cleaned, String> {
        self.run(input, Some(deadline))
    }

    fn run(&self, input: &str, deadline: Option<std::time::Instant>) -> Result<Cleaned, String> {
        let mut run = Run {
            input,
            current: None,
            log: EditLog::default(),
            result: Cleaned::default(),
            idle: vec![None; self.rules.len()],
        };
        let mut out = Output::default();
        for pass in 0..MAX_PASSES {
            run.result.passes = pass + 1;
            if !self.pass(&mut run, &mut out, pass > 0, deadline)? {
                break;
            }
        }
        let Run { current, log, mut result, .. } = run;
        result.output = current.unwrap_or_else(|| input.to_string());
        result.log = log;
        result.flags.sort_by_key(|f| (f.start, f.end));
        Ok(result)
    }

    /// One pass of every rule over the current text, as a fresh run would see
    /// it (roles come from this pass's flags only). Flags and proposals a later
    /// pass finds again are not reported twice. Returns whether it changed the text.
    fn pass(
        &self,
        run: &mut Run,
        out: &mut Output,
        later: bool,
        deadline: Option<std::time::Instant>,
    ) -> Result<bool, String> {
        let input = run.input;
        let mut changed = false;
        let mut flags: Vec<Flag> = Vec::new();
        let mut proposals: Vec<Proposal> = Vec::new();
        // One context for the pass: its roles are replaced after each rule that
        // flags, what it knows about the text is dropped after each edit.
        let mut ctx = Context::default();
        let mut ctx_stale = false;
        // Whether the context's roles still stand where the text is, no edit
        // having changed it since they were set (else all flags of the pass are
        // mapped again). Rules that only flag (the layout detectors) then add
        // the roles of their own flags, where they stand in the current text
        // (not mapped to the input and back, which is lossy inside an earlier
        // edit), so a pass that changes nothing sees exactly the roles a fresh
        // run does.
        let mut roles_hold = true;
        let mut fresh_roles: Vec<Role> = Vec::new();
        // The context's roles, shared by the rules that find nothing with them.
        let mut shared_roles: Option<Rc<[Role]>> = None;
        for (i, rule) in self.rules.iter().enumerate() {
            if deadline.is_some_and(|d| std::time::Instant::now() > d) {
                return Err(format!("over the time budget (--doc-timeout) before rule {}", rule.meta.id));
            }
            let text = run.current.as_deref().unwrap_or(input);
            if ctx_stale {
                let roles = if roles_hold {
                    fresh_roles.sort_by_key(|r| (r.start, r.end));
                    merge_roles(&ctx.roles, std::mem::take(&mut fresh_roles))
                } else {
                    roles_in_current(&flags, &run.log, input)
                };
                fresh_roles.clear();
                ctx.set_roles(roles);
                shared_roles = None;
                roles_hold = true;
                ctx_stale = false;
            }
            // The text is the one the last pass ended with until this pass
            // changes it: a rule that found nothing in it with the same roles
            // finds nothing again.
            if !changed && run.idle[i].as_deref().is_some_and(|r| *r == ctx.roles[..]) {
                continue;
            }
            out.edits.clear();
            out.flags.clear();
            rule.mechanism.run(text, &ctx, out);
            if out.edits.is_empty() && out.flags.is_empty() {
                run.idle[i] = Some(shared_roles.get_or_insert_with(|| Rc::from(&ctx.roles[..])).clone());
                continue;
            }
            run.idle[i] = None;
            ctx_stale = true;
            let id = rule.meta.id.as_str();
            let apply = match rule.meta.fix_safety {
                FixSafety::Safe => true,
                FixSafety::Unsafe => self.options.unsafe_fixes,
                FixSafety::DisplayOnly => false,
            };
            let log = &run.log;
            let mut edits = std::mem::take(&mut out.edits);
            let valid = |&(s, e): &(usize, usize)| {
                s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
            };
            out.flags.retain(|f| valid(&(f.start, f.end)) && f.parts.iter().all(valid));
            // Input spans of the proposals and flags (and of flags' parts), mapped
            // in one pass over the log. Sized first: a chain of flat maps tells
            // `collect` no length, and the vector grew by doubling at every rule.
            let proposed = if apply { &[][..] } else { &edits[..] };
            let span_count = proposed.len() + out.flags.iter().map(|f| 1 + f.parts.len()).sum::<usize>();
            let mut spans: Vec<(usize, Side)> = Vec::with_capacity(2 * span_count);
            spans.extend(
                proposed
                    .iter()
                    .map(|e| (e.start, e.end))
                    .chain(
                        out.flags.iter().flat_map(|f| std::iter::once((f.start, f.end)).chain(f.parts.iter().copied())),
                    )
                    .flat_map(|(s, e)| [(s, Side::Left), (e, Side::Right)]),
            );
            let mapped = log.to_input_many(&spans);
            let mut mapped = mapped.chunks(2).map(|m| (m[0], m[1]));
            if !apply {
                for (e, (start, end)) in edits.drain(..).zip(mapped.by_ref()) {
                    proposals.push(Proposal {
                        rule: id.to_string(),
                        start,
                        end,
                        before: input[start..end].to_string(),
                        after: e.replacement.into(),
                    });
                }
            }
            for f in out.flags.drain(..) {
                let Some((start, end)) = mapped.next() else { break };
                let (mut start, mut end) = log.without_deleted_ends(start, end);
                let mut parts: Vec<(usize, usize)> =
                    mapped.by_ref().take(f.parts.len()).map(|(s, e)| log.without_deleted_ends(s, e)).collect();
                // Text an earlier rule moved lies inside that rule's edit: its lines
                // are found where they stand in the input.
                let hull = [(f.start, f.end)];
                let current = if f.parts.is_empty() { &hull[..] } else { &f.parts[..] };
                let mapped = if parts.is_empty() { vec![(start, end)] } else { parts.clone() };
                if let Some(located) = moved_spans(log, input, text, current, &mapped) {
                    (start, end) = (located[0].0, located[located.len() - 1].1);
                    parts = if located.len() > 1 { located } else { Vec::new() };
                }
                // Parts inside one earlier edit map to the same input span: they
                // are one part there.
                if parts.windows(2).any(|w| w[1].0 <= w[0].1) {
                    parts = crate::text::merge_sorted_spans(parts);
                    (start, end) = (parts[0].0, parts[parts.len() - 1].1);
                    if parts.len() == 1 {
                        parts.clear();
                    }
                }
                // Text an earlier rule inserted (a column moved after another)
                // is not in the input: a flag on it cannot be reported there.
                if start == end && f.start < f.end {
                    continue;
                }
                // Metadata-only flags (an inline byline) are reported and never cut.
                let action = if f.metadata { FlagAction::Flag } else { self.action_for(rule, f.kind) };
                let repair =
                    f.proposal.is_some() && self.options.unsafe_fixes && rule.meta.fix_safety != FixSafety::DisplayOnly;
                if repair {
                    edits.push(StepEdit::new(f.start, f.end, f.proposal.clone().unwrap_or_default()));
                } else {
                    match action {
                        FlagAction::Flag => {}
                        FlagAction::Remove => {
                            for (s, e) in spans_of(f.start, f.end, &f.parts) {
                                let (s, e) = whole_line_extent(text, s, e);
                                edits.push(StepEdit::new(s, e, ""));
                            }
                        }
                        FlagAction::Tag => {
                            let (open, close) = tag_markers(f.kind);
                            for (s, e) in spans_of(f.start, f.end, &f.parts) {
                                let tagged = text[..s].ends_with(&open) && text[e..].starts_with(&close);
                                if !tagged {
                                    edits.push(StepEdit::new(s, s, open.clone()));
                                    edits.push(StepEdit::new(e, e, close.clone()));
                                }
                            }
                        }
                    }
                }
                let text = if parts.is_empty() {
                    input[start..end].to_string()
                } else {
                    parts.iter().map(|&(s, e)| input[s..e].trim()).collect::<Vec<_>>().join(" ")
                };
                fresh_roles.extend(spans_of(f.start, f.end, &f.parts).map(|(start, end)| Role {
                    start,
                    end,
                    kind: f.kind,
                }));
                flags.push(Flag {
                    rule: id.to_string(),
                    kind: f.kind,
                    start,
                    end,
                    text,
                    parts,
                    action,
                    proposal: f.proposal,
                    evidence: f.evidence,
                });
            }
            if !edits.is_empty() {
                if let Some(next) = run.log.compose(input, text, id, edits, &mut run.result.conflicts) {
                    run.current = Some(next);
                    // The rules so far saw a text the pass did not end with.
                    run.idle[..i].fill(None);
                    ctx.text_changed();
                    roles_hold = false;
                    changed = true;
                }
            }
        }
        let result = &mut run.result;
        if later {
            let seen = Seen::new(&result.flags);
            flags.retain(|f| !seen.overlaps(f));
            proposals.retain(|p| !result.proposals.contains(p));
        }
        result.flags.append(&mut flags);
        result.proposals.append(&mut proposals);
        Ok(changed)
    }
}

/// The input spans of a flag's spans `current` (in `text`) that lie in text an
/// earlier rule moved, each mapped to the whole edit holding it (`mapped`):
/// where their lines stand in the input, in order. `None` when no span lies in
/// moved text or the lines found are out of order.
fn moved_spans(
    log: &EditLog,
    input: &str,
    text: &str,
    current: &[(usize, usize)],
    mapped: &[(usize, usize)],
) -> Option<Vec<(usize, usize)>> {
    let mut moved = false;
    let mut located: Vec<(usize, usize)> = Vec::with_capacity(mapped.len());
    for (&(cs, ce), &span) in current.iter().zip(mapped) {
        let from = located.last().map_or(0, |l| l.1);
        match log.moved_lines(input, &text[cs..ce], span, from) {
            Some(lines) => {
                moved = true;
                located.extend(lines);
            }
            None => located.push(span),
        }
    }
    (moved && located.windows(2).all(|w| w[0].1 < w[1].0)).then_some(located)
}

/// Passes after which a document is left as it is even if the last pass still
/// changed it (rules that keep undoing each other); the property tests check
/// that real and random text converge well before (real pages in two or
/// three). A garbled page of side-by-side columns was seen to need six: each
/// split lets the next rules find more.
pub const MAX_PASSES: usize = 8;

/// The state of one document's cleaning across passes.
struct Run<'a> {
    input: &'a str,
    /// The text after the edits so far (`None`: the input itself).
    current: Option<String>,
    log: EditLog,
    result: Cleaned,
    /// For each rule, the roles it was given when it found nothing in the text
    /// as it stands (`None` when it found something, or the text changed
    /// after it ran). A mechanism's findings depend on the text and the roles
    /// alone (the rest of the context is facts computed from the text), so a
    /// rule given both again is skipped: in the pass that confirms nothing
    /// changes, the rules after the last edit of the pass before.
    idle: Vec<Option<Rc<[Role]>>>,
}

/// The flags of earlier passes, to find whether a new flag repeats one (same
/// kind, overlapping span; an empty span counts as one byte). Sorted by (kind,
/// start) with the running maximum end within each kind, so that a lookup is a
/// binary search rather than a scan of every earlier flag (quadratic on large
/// documents): among the flags starting before the new one ends, one overlaps
/// it exactly when the largest end among them lies after its start.
struct Seen {
    /// (kind, start, largest end of this kind's flags so far in this order).
    spans: Vec<(FlagKind, usize, usize)>,
}

impl Seen {
    fn new(flags: &[Flag]) -> Self {
        let mut spans: Vec<(FlagKind, usize, usize)> =
            flags.iter().map(|g| (g.kind, g.start, g.end.max(g.start + 1))).collect();
        spans.sort_unstable();
        let (mut kind, mut max_end) = (None, 0);
        for s in &mut spans {
            if kind != Some(s.0) {
                (kind, max_end) = (Some(s.0), 0);
            }
            max_end = max_end.max(s.2);
            s.2 = max_end;
        }
        Seen { spans }
    }

    fn overlaps(&self, f: &Flag) -> bool {
        let end = f.end.max(f.start + 1);
        let lo = self.spans.partition_point(|s| s.0 < f.kind);
        let hi = self.spans.partition_point(|s| s.0 < f.kind || (s.0 == f.kind && s.1 < end));
        hi > lo && self.spans[hi - 1].2 > f.start
    }
}

/// The span to cut when removing `start..end`: when it covers whole lines, the
/// line break after it goes too, so that no empty line is left behind.
fn whole_line_extent(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[end..];
    let line_end = end + rest.find('\n').unwrap_or(rest.len());
    let is_blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t' || c == '\u{3000}');
    if is_blank(&text[line_start..start]) && is_blank(&text[end..line_end]) {
        let stop = if line_end < text.len() { line_end + 1 } else { line_end };
        (line_start, stop)
    } else {
        (start, end)
    }
}

/// Flags mapped into the current text, sorted by start: the roles later rules
/// see. A flag on text an earlier rule moved (inside that rule's edit) has the
/// roles of its lines where they stand now, not of the whole edit.
fn roles_in_current(flags: &[Flag], log: &EditLog, input: &str) -> Vec<Role> {
    let spans: Vec<(usize, usize, FlagKind)> =
        flags.iter().flat_map(|f| spans_of(f.start, f.end, &f.parts).map(|(s, e)| (s, e, f.kind))).collect();
    let queries: Vec<(usize, Side)> = spans.iter().flat_map(|&(s, e, _)| [(s, Side::Left), (e, Side::Right)]).collect();
    let mapped = log.to_current_many(&queries);
    let mut roles: Vec<Role> = Vec::with_capacity(spans.len());
    for (&(s, e, kind), m) in spans.iter().zip(mapped.chunks(2)) {
        match log.moved_lines_current(input, s, e, m[0]) {
            Some(lines) => roles.extend(lines.into_iter().map(|(start, end)| Role { start, end, kind })),
            None => roles.push(Role { start: m[0], end: m[1], kind }),
        }
    }
    roles.sort_by_key(|r| (r.start, r.end));
    roles
}

/// The roles of earlier flags and of later ones, each sorted by (start, end),
/// merged in that order, the earlier first among equals: what sorting the
/// roles of all the flags in their order gives ([`roles_in_current`]'s sort is stable).
fn merge_roles(earlier: &[Role], later: Vec<Role>) -> Vec<Role> {
    let mut roles = Vec::with_capacity(earlier.len() + later.len());
    let mut earlier = earlier.iter().copied().peekable();
    for r in later {
        while let Some(e) = earlier.next_if(|e| (e.start, e.end) <= (r.start, r.end)) {
            roles.push(e);
        }
        roles.push(r);
    }
    roles.extend(earlier);
    roles
}

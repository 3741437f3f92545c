//! Rules: what a rule is, the phases rules run in, and how a rule reports edits and flags.
//!
//! A rule is data (its TOML file: id, docs, phase, safety, examples) plus a
//! [`Mechanism`], the Rust code that finds what to change. Mechanisms never
//! return rewritten strings: they push [`StepEdit`]s and [`StepFlag`]s into an
//! [`Output`], and the pipeline folds them into the document's edit log.

pub mod examples;
pub mod file;
pub mod registry;

use crate::edit::StepEdit;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The phases, in the order they run.
///
/// Why this order: layout comes first so that later phases know which lines are
/// headlines, bylines or captions (their spaces are typeset, they are never joined
/// into prose, and removing a caption must let the sentence it split join again).
/// Paragraphs are joined before spacing and punctuation so that quote pairing and
/// wrap-space evidence see whole paragraphs. Conversion (OpenCC) runs last on the
/// repaired text.
pub const PHASE_ORDER: [Phase; 6] =
    [Phase::Normalize, Phase::Layout, Phase::Paragraphs, Phase::Spacing, Phase::Punctuation, Phase::Convert];

/// A group of rules that run at the same point of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Character-level normalization: invisible characters, full-width letters and digits, conversion residue.
    Normalize,
    /// Layout residue: captions, bylines, page furniture, headlines.
    Layout,
    /// Paragraph structure: joining paragraphs split by column breaks, restoring hidden breaks.
    Paragraphs,
    /// Spaces: line-wrap spaces inside words.
    Spacing,
    /// Punctuation: half-width to full-width in Chinese prose, quotes, ellipses.
    Punctuation,
    /// Script conversion (Traditional/Simplified), opt-in.
    Convert,
}

impl Phase {
    /// The kebab-case name used in rule files and `--select`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Normalize => "normalize",
            Phase::Layout => "layout",
            Phase::Paragraphs => "paragraphs",
            Phase::Spacing => "spacing",
            Phase::Punctuation => "punctuation",
            Phase::Convert => "convert",
        }
    }

    /// Parses a phase name.
    pub fn from_name(s: &str) -> Option<Phase> {
        PHASE_ORDER.into_iter().find(|p| p.name() == s)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a rule's fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixSafety {
    /// Applied by default.
    Safe,
    /// Reported as a proposal; applied only with `--unsafe`.
    Unsafe,
    /// Never applied; reported only.
    DisplayOnly,
}

/// What a flagged span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Photo caption or credit.
    Caption,
    /// Byline or dateline.
    Byline,
    /// Running heads, page numbers, dates, the paper's name.
    Furniture,
    /// A headline or sub-headline.
    Headline,
    /// A piece of a scrambled headline.
    HeadlineFragment,
    /// Noise: stray symbols, conversion residue.
    Noise,
}

impl FlagKind {
    /// All kinds, for `--flagged` parsing and docs.
    pub const ALL: [FlagKind; 6] = [
        FlagKind::Caption,
        FlagKind::Byline,
        FlagKind::Furniture,
        FlagKind::Headline,
        FlagKind::HeadlineFragment,
        FlagKind::Noise,
    ];

    /// The snake_case name used in rule files, reports and `--flagged`.
    pub fn name(self) -> &'static str {
        match self {
            FlagKind::Caption => "caption",
            FlagKind::Byline => "byline",
            FlagKind::Furniture => "furniture",
            FlagKind::Headline => "headline",
            FlagKind::HeadlineFragment => "headline_fragment",
            FlagKind::Noise => "noise",
        }
    }

    /// Parses a kind name.
    pub fn from_name(s: &str) -> Option<FlagKind> {
        FlagKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// What happens to a flagged span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagAction {
    /// Keep the text; report the span.
    Flag,
    /// Cut the span (and its line break when it is a whole line) out of the text.
    Remove,
    /// Wrap the span in visible markers `⟦kind⟧…⟦/kind⟧`.
    Tag,
}

impl FlagAction {
    /// Parses an action name.
    pub fn from_name(s: &str) -> Option<FlagAction> {
        match s {
            "flag" | "keep" => Some(FlagAction::Flag),
            "remove" => Some(FlagAction::Remove),
            "tag" => Some(FlagAction::Tag),
            _ => None,
        }
    }

    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            FlagAction::Flag => "flag",
            FlagAction::Remove => "remove",
            FlagAction::Tag => "tag",
        }
    }
}

/// A span a rule flags, in the coordinates of the text the rule saw.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFlag {
    /// Byte offset, inclusive.
    pub start: usize,
    /// Byte offset, exclusive.
    pub end: usize,
    /// What the span is.
    pub kind: FlagKind,
    /// A proposed replacement for the span (an unsafe repair), if any.
    pub proposal: Option<String>,
    /// Why: the evidence behind a proposal or a note (free-form JSON).
    pub evidence: Option<serde_json::Value>,
    /// Metadata only: the span is reported but never removed or tagged, whatever
    /// the rule's action or `--flagged` says. For spans that belong to the body
    /// although they have a role, such as a byline printed inside the first
    /// paragraph (`湘东日报讯（记者/…）能够发送…`).
    pub metadata: bool,
    /// When the flagged thing is printed in pieces with other text between them
    /// (a caption interleaved with the body column beside it), the pieces in
    /// text order; `start..end` is then their hull. Empty for one span.
    pub parts: Vec<(usize, usize)>,
}

impl StepFlag {
    /// A plain flag without proposal or evidence.
    pub fn new(start: usize, end: usize, kind: FlagKind) -> Self {
        StepFlag { start, end, kind, proposal: None, evidence: None, metadata: false, parts: Vec::new() }
    }

    /// A flag on several pieces (in text order, not overlapping) that belong together.
    pub fn in_parts(parts: Vec<(usize, usize)>, kind: FlagKind) -> Self {
        let (start, end) = (parts.first().map_or(0, |p| p.0), parts.last().map_or(0, |p| p.1));
        let parts = if parts.len() > 1 { parts } else { Vec::new() };
        StepFlag { parts, ..StepFlag::new(start, end, kind) }
    }

    /// The spans flagged: the pieces, or `start..end`.
    pub fn spans(&self) -> Vec<(usize, usize)> {
        flagged_spans(self.start, self.end, &self.parts)
    }

    /// The same flag, marked metadata-only (reported, never cut or tagged).
    pub fn metadata_only(mut self) -> Self {
        self.metadata = true;
        self
    }
}

/// The spans a flag covers: its `parts` when it is in pieces, else `start..end`
/// (for [`StepFlag`] and the pipeline's reported flag alike).
pub fn flagged_spans(start: usize, end: usize, parts: &[(usize, usize)]) -> Vec<(usize, usize)> {
    spans_of(start, end, parts).collect()
}

/// [`flagged_spans`] without building a vector: the pipeline maps every flag's
/// spans after every rule that flags or edits.
pub(crate) fn spans_of(
    start: usize,
    end: usize,
    parts: &[(usize, usize)],
) -> impl Iterator<Item = (usize, usize)> + '_ {
    parts.is_empty().then_some((start, end)).into_iter().chain(parts.iter().copied())
}

/// Where a mechanism puts what it found.
#[derive(Debug, Default)]
pub struct Output {
    /// Edits on the step's text.
    pub edits: Vec<StepEdit>,
    /// Flags on the step's text.
    pub flags: Vec<StepFlag>,
}

impl Output {
    /// Records a replacement of `start..end`.
    pub fn edit(&mut self, start: usize, end: usize, replacement: impl Into<compact_str::CompactString>) {
        self.edits.push(StepEdit::new(start, end, replacement));
    }

    /// Records a flag.
    pub fn flag(&mut self, flag: StepFlag) {
        self.flags.push(flag);
    }
}

/// A span of the current text known to have a layout role (from earlier flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// Byte offset into the step's text, inclusive.
    pub start: usize,
    /// Byte offset, exclusive.
    pub end: usize,
    /// The kind of the flag that gave the role.
    pub kind: FlagKind,
}

/// What a mechanism may know besides the text: roles from earlier flags, and
/// facts about the text that several rules compute alike (shared while it is unchanged).
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// Flagged spans in the step's text coordinates, sorted by start.
    pub roles: Vec<Role>,
    /// `max_end[i]`: the largest end of `roles[..=i]` (non-decreasing), so that
    /// [`Context::roles_in`] binary-searches its first candidate instead of
    /// scanning from the first role (quadratic over a large document). Empty
    /// when `roles` was set directly; the lookup then scans from the start.
    max_end: Vec<usize>,
    /// The layout detectors' line table and credits of the text.
    pub(crate) layout: crate::builtins::layout::LayoutCache,
}

impl Context {
    /// A context with these roles (sorted by start).
    pub fn new(roles: Vec<Role>) -> Self {
        let mut ctx = Context::default();
        ctx.set_roles(roles);
        ctx
    }

    /// Replaces the roles (sorted by start), keeping what is known about the text.
    pub fn set_roles(&mut self, roles: Vec<Role>) {
        self.max_end = roles
            .iter()
            .scan(0, |m, r| {
                *m = (*m).max(r.end);
                Some(*m)
            })
            .collect();
        self.roles = roles;
    }

    /// Forgets what is known about the text: to be called whenever it changes.
    pub fn text_changed(&mut self) {
        self.layout = Default::default();
    }

    /// The roles overlapping `start..end` (an empty range asks about one position).
    pub fn roles_in(&self, start: usize, end: usize) -> impl Iterator<Item = &Role> {
        let end = end.max(start + 1);
        // Every role before `first` ends at or before `start`: none overlaps.
        let first =
            if self.max_end.len() == self.roles.len() { self.max_end.partition_point(|&m| m <= start) } else { 0 };
        self.roles[first..].iter().take_while(move |r| r.start < end).filter(move |r| r.end > start)
    }

    /// The roles of spans cut out (`--flagged remove`: empty, where the span
    /// was) at a position in `start..=end`.
    pub fn removed_in(&self, start: usize, end: usize) -> impl Iterator<Item = &Role> {
        let first = self.roles.partition_point(|r| r.start < start);
        self.roles[first..].iter().take_while(move |r| r.start <= end).filter(|r| r.start == r.end)
    }

    /// Whether any role of one of `kinds` overlaps `start..end`.
    pub fn has_role(&self, start: usize, end: usize, kinds: &[FlagKind]) -> bool {
        self.roles_in(start, end).any(|r| kinds.contains(&r.kind))
    }
}

/// The code behind a rule: finds edits and flags in a text.
pub trait Mechanism: Send + Sync {
    /// Scans `text` and pushes edits and flags into `out`. Must not panic on any input.
    fn run(&self, text: &str, ctx: &Context, out: &mut Output);
}

/// One example of a rule file: an input and what the rule makes of it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The input text.
    pub input: String,
    /// The expected output text.
    pub output: String,
    /// Expected flags as (kind, text); `None` when the example does not check flags.
    pub flags: Option<Vec<(FlagKind, String)>>,
    /// Expected proposals (replacement texts) of flags, when given.
    pub proposals: Option<Vec<String>>,
    /// Run the whole default rule set instead of this rule alone.
    pub with_default_rules: bool,
    /// Line of the example in its file (for error messages).
    pub line: usize,
}

/// A rule's identity and documentation (the TOML keys of the same names).
#[derive(Debug, Clone)]
pub struct RuleMeta {
    /// Stable id such as `P001`.
    pub id: String,
    /// Kebab-case name that reads as "allow <name>".
    pub name: String,
    /// Other names a selector may use (`t2s`).
    pub aliases: Vec<String>,
    /// The phase it runs in.
    pub phase: Phase,
    /// One line: what it does.
    pub summary: String,
    /// Why the change is right.
    pub why: String,
    /// Whether its fix is applied without review.
    pub fix_safety: FixSafety,
    /// Known false positives or gaps.
    pub known_problems: Option<String>,
    /// Whether it runs without `--select`.
    pub default_enabled: bool,
    /// Where the rule was defined (`rules/punct/P001-….toml`).
    pub source: String,
    /// The mechanism's name (`replace`, `map`, `flag`, `builtin:<name>`).
    pub mechanism: String,
    /// For flagging rules: the kind and default action.
    pub flag: Option<(FlagKind, FlagAction)>,
    /// Its examples.
    pub examples: Vec<Example>,
}

/// A compiled rule.
pub struct Rule {
    /// Identity and docs.
    pub meta: RuleMeta,
    /// The code that runs it.
    pub mechanism: Box<dyn Mechanism>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("id", &self.meta.id).finish()
    }
}

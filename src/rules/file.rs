//! Rule files: the TOML schema and its compilation into a [`Rule`].
//!
//! One rule per file. The schema is strict (`deny_unknown_fields`), and every
//! error names the file, line, column and rule id, the way a compiler would:
//! `rules/punct/P001-ascii-comma.toml:12:9: rule P001: invalid regex: …`.

use super::{Example, FixSafety, FlagAction, FlagKind, Mechanism, Phase, Rule, RuleMeta};
use crate::mechanisms;
use serde::Deserialize;
use serde_spanned::Spanned;
use std::fmt;

/// An error in a rule file, located by line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileError {
    /// The rule file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub col: usize,
    /// The rule id, when it could be read.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path, self.line, self.col)?;
        if let Some(id) = &self.rule {
            write!(f, "rule {id}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleFileError {}

/// Reads sidecar files (CSV tables) named by a rule file.
pub trait SidecarReader {
    /// Returns the content of `name`, resolved next to the rule file.
    fn read(&self, name: &str) -> Result<String, String>;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleFile {
    id: Spanned<String>,
    name: Spanned<String>,
    phase: Spanned<String>,
    summary: String,
    why: String,
    fix_safety: Spanned<String>,
    known_problems: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    /// Other names that select the rule (`t2s` for OpenCC's configuration).
    #[serde(default)]
    aliases: Vec<String>,
    /// Runs without `--select` (default true).
    default: Option<bool>,
    /// Default action for the flags this rule emits.
    action: Option<Spanned<String>>,
    scope: Option<ScopeSpec>,
    replace: Option<mechanisms::replace::ReplaceSpec>,
    map: Option<mechanisms::map::MapSpec>,
    flag: Option<mechanisms::flag::FlagSpec>,
    builtin: Option<BuiltinSpec>,
    #[serde(default)]
    example: Vec<Spanned<ExampleSpec>>,
}

/// Where a rule may not edit.
#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScopeSpec {
    /// Flag kinds (from earlier rules) whose spans this rule leaves alone.
    #[serde(default)]
    pub skip: Vec<Spanned<String>>,
    /// Token classes this rule never edits: `url`, `email`, `path`, `number`, `latin`.
    #[serde(default)]
    pub protect: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BuiltinSpec {
    name: Spanned<String>,
    #[serde(default)]
    params: toml::Table,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExampleSpec {
    input: String,
    output: Option<String>,
    flags: Option<Vec<ExampleFlag>>,
    proposals: Option<Vec<String>>,
    #[serde(default)]
    default_rules: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFlag {
    kind: String,
    text: String,
}

/// Compiles the rule file at `path` (used in messages) with content `src`.
pub fn compile(path: &str, src: &str, sidecars: &dyn SidecarReader) -> Result<Rule, RuleFileError> {
    let err_at = |offset: usize, rule: Option<&str>, message: String| {
        let (line, col) = line_col(src, offset);
        RuleFileError { path: path.to_string(), line, col, rule: rule.map(str::to_string), message }
    };
    let file: RuleFile = toml::from_str(src).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let message = e.message().trim().to_string();
        err_at(offset, sniff_id(src).as_deref(), message)
    })?;
    let id = file.id.get_ref().clone();
    let at = |sp: std::ops::Range<usize>, message: String| err_at(sp.start, Some(&id), message);

    if !is_valid_id(&id) {
        return Err(at(file.id.span(), format!("id {id:?} is not a family letter and digits such as \"P001\"")));
    }
    let name = file.name.get_ref();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(at(file.name.span(), format!("name {name:?} is not kebab-case")));
    }
    let phase = Phase::from_name(file.phase.get_ref()).ok_or_else(|| {
        let names: Vec<_> = super::PHASE_ORDER.iter().map(|p| p.name()).collect();
        at(file.phase.span(), format!("unknown phase {:?}; expected one of {}", file.phase.get_ref(), names.join(", ")))
    })?;
    let fix_safety = match file.fix_safety.get_ref().as_str() {
        "safe" => FixSafety::Safe,
        "unsafe" => FixSafety::Unsafe,
        "display-only" => FixSafety::DisplayOnly,
        other => {
            return Err(at(
                file.fix_safety.span(),
                format!("unknown fix-safety {other:?}; expected safe, unsafe or display-only"),
            ))
        }
    };
    let action =
        match &file.action {
            None => None,
            Some(a) => Some(FlagAction::from_name(a.get_ref()).ok_or_else(|| {
                at(a.span(), format!("unknown action {:?}; expected flag, remove or tag", a.get_ref()))
            })?),
        };
    let scope = file.scope.clone().unwrap_or_default();
    let mut skip = Vec::new();
    for k in &scope.skip {
        skip.push(
            FlagKind::from_name(k.get_ref())
                .ok_or_else(|| at(k.span(), format!("unknown flag kind {:?}", k.get_ref())))?,
        );
    }
    let mut protect = Vec::new();
    for p in &scope.protect {
        protect.push(
            crate::protect::TokenClass::from_name(p.get_ref())
                .ok_or_else(|| at(p.span(), format!("unknown protected token class {:?}", p.get_ref())))?,
        );
    }

    let declared = [file.replace.is_some(), file.map.is_some(), file.flag.is_some(), file.builtin.is_some()];
    let count = declared.iter().filter(|d| **d).count();
    if count != 1 {
        return Err(at(
            file.id.span(),
            format!("a rule needs exactly one mechanism table ([replace], [map], [flag] or [builtin]); found {count}"),
        ));
    }
    let mut flag_meta: Option<(FlagKind, FlagAction)> = None;
    let (mechanism, mechanism_name): (Box<dyn Mechanism>, String) = if let Some(spec) = &file.replace {
        (Box::new(spec.compile().map_err(|(sp, m)| at(sp, m))?), "replace".into())
    } else if let Some(spec) = &file.map {
        (Box::new(spec.compile(sidecars).map_err(|(sp, m)| at(sp, m))?), "map".into())
    } else if let Some(spec) = &file.flag {
        let m = spec.compile().map_err(|(sp, m)| at(sp, m))?;
        flag_meta = Some((m.kind, action.unwrap_or(FlagAction::Flag)));
        (Box::new(m), "flag".into())
    } else {
        let spec = file.builtin.as_ref().expect("counted above");
        let m = crate::builtins::build(spec.name.get_ref(), &spec.params)
            .map_err(|m| at(spec.name.span(), format!("builtin {:?}: {m}", spec.name.get_ref())))?;
        (m, format!("builtin:{}", spec.name.get_ref()))
    };
    let mechanism = mechanisms::scoped(mechanism, skip, protect);

    let mut examples = Vec::new();
    for ex in &file.example {
        let line = line_col(src, ex.span().start).0;
        let e = ex.get_ref();
        let flags = match &e.flags {
            None => None,
            Some(fs) => {
                let mut v = Vec::new();
                for f in fs {
                    let kind = FlagKind::from_name(&f.kind)
                        .ok_or_else(|| at(ex.span(), format!("example: unknown flag kind {:?}", f.kind)))?;
                    v.push((kind, f.text.clone()));
                }
                Some(v)
            }
        };
        examples.push(Example {
            output: e.output.clone().unwrap_or_else(|| e.input.clone()),
            input: e.input.clone(),
            flags,
            proposals: e.proposals.clone(),
            with_default_rules: e.default_rules,
            line,
        });
    }
    let changes = examples.iter().any(|e| e.output != e.input || e.flags.as_ref().is_some_and(|f| !f.is_empty()));
    let keeps = examples.iter().any(|e| e.output == e.input && e.flags.as_ref().is_none_or(|f| f.is_empty()));
    if !changes || !keeps {
        return Err(at(
            file.id.span(),
            "a rule needs at least one [[example]] that changes or flags text and one that must not".to_string(),
        ));
    }
    let flag_meta = flag_meta.or(action.map(|a| (FlagKind::Noise, a)));
    let _ = &file.references;
    Ok(Rule {
        meta: RuleMeta {
            id,
            name: name.clone(),
            aliases: file.aliases,
            phase,
            summary: file.summary,
            why: file.why,
            fix_safety,
            known_problems: file.known_problems,
            default_enabled: file.default.unwrap_or(true),
            source: path.to_string(),
            mechanism: mechanism_name,
            flag: flag_meta,
            examples,
        },
        mechanism,
    })
}

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && id.len() >= 2
        && id.len() <= 8
        && id.chars().skip(1).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && id.chars().any(|c| c.is_ascii_digit())
}

/// Best-effort rule id of a file that does not parse, for the error message.
fn sniff_id(src: &str) -> Option<String> {
    src.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
        let v = rest.trim_matches(|c| c == '"' || c == '\'');
        (!v.is_empty() && is_valid_id(v)).then(|| v.to_string())
    })
}

/// 1-based line and character column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..src.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

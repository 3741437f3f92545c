//! The rule set: built-in rule files compiled into the binary, users' files added
//! with `--rules`, and selection by id, id prefix or phase (`--select`, `--ignore`).

use super::file::{compile, RuleFileError, SidecarReader};
use super::{Phase, Rule};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// All known rules by id, enabled or not.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: BTreeMap<String, Arc<Rule>>,
}

struct Embedded<'a> {
    dir: &'a str,
}

impl SidecarReader for Embedded<'_> {
    fn read(&self, name: &str) -> Result<String, String> {
        let want = format!("{}/{name}", self.dir);
        BUILTIN_FILES
            .iter()
            .find(|(p, _)| *p == want)
            .map(|(_, c)| c.to_string())
            .ok_or_else(|| format!("sidecar file {want} is not embedded"))
    }
}

struct OnDisk<'a> {
    dir: &'a Path,
}

impl SidecarReader for OnDisk<'_> {
    fn read(&self, name: &str) -> Result<String, String> {
        let p = self.dir.join(name);
        std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    }
}

impl RuleSet {
    /// The built-in rules. Errors here are bugs in `rules/` (tests catch them).
    pub fn builtin() -> Result<RuleSet, Vec<RuleFileError>> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        for (path, content) in BUILTIN_FILES.iter().filter(|(p, _)| p.ends_with(".toml")) {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            match compile(path, content, &Embedded { dir }) {
                Ok(rule) => set.insert_new(rule, &mut errors),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// Loads rule files from `path` (a file or a folder searched recursively for
    /// `*.toml`). A rule whose id already exists replaces it; two files of this
    /// load with the same id are an error.
    pub fn load_path(&mut self, path: &Path) -> Result<(), Vec<RuleFileError>> {
        let mut files = Vec::new();
        if path.is_dir() {
            collect_toml(path, &mut files);
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for f in files {
            let shown = f.display().to_string();
            let content = match std::fs::read_to_string(&f) {
                Ok(c) => c,
                Err(e) => {
                    errors.push(RuleFileError {
                        path: shown,
                        line: 1,
                        col: 1,
                        rule: None,
                        message: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            let dir = f.parent().unwrap_or(Path::new("."));
            match compile(&shown, &content, &OnDisk { dir }) {
                Ok(rule) => {
                    if let Some(prev) = seen.insert(rule.meta.id.clone(), shown.clone()) {
                        errors.push(RuleFileError {
                            path: shown,
                            line: 1,
                            col: 1,
                            rule: Some(rule.meta.id.clone()),
                            message: format!("duplicate id: also defined in {prev}"),
                        });
                        continue;
                    }
                    self.rules.insert(rule.meta.id.clone(), Arc::new(rule));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn insert_new(&mut self, rule: Rule, errors: &mut Vec<RuleFileError>) {
        if let Some(prev) = self.rules.get(&rule.meta.id) {
            errors.push(RuleFileError {
                path: rule.meta.source.clone(),
                line: 1,
                col: 1,
                rule: Some(rule.meta.id.clone()),
                message: format!("duplicate id: also defined in {}", prev.meta.source),
            });
            return;
        }
        self.rules.insert(rule.meta.id.clone(), Arc::new(rule));
    }

    /// Every rule, by id.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.rules.values()
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Rule>> {
        self.rules.get(id)
    }

    /// The rules to run: the default-enabled ones (or those matching `select` when
    /// given), plus those matching `extend`, minus those matching `ignore`.
    /// A selector is an id (`P001`), an id prefix (`P`), a rule name or alias
    /// (`t2s`) or a phase; opt-in rules (such as OpenCC conversion) are selected
    /// by id, name or alias only.
    pub fn selected(&self, select: &[String], extend: &[String], ignore: &[String]) -> Result<Vec<Arc<Rule>>, String> {
        for s in select.iter().chain(extend).chain(ignore) {
            if !self.rules.values().any(|r| matches(r, s)) {
                return Err(format!("selector {s:?} matches no rule (an id, id prefix, rule name, alias or phase)"));
            }
        }
        Ok(self
            .rules
            .values()
            .filter(|r| {
                let base =
                    if select.is_empty() { r.meta.default_enabled } else { select.iter().any(|s| matches(r, s)) };
                base || extend.iter().any(|s| matches(r, s))
            })
            .filter(|r| !ignore.iter().any(|s| matches(r, s)))
            .cloned()
            .collect())
    }
}

/// Whether selector `s` names rule `r`. An exact id, name or alias selects opt-in rules
/// too; a prefix, a phase or `ALL` selects only the rules enabled by default.
fn matches(r: &Rule, s: &str) -> bool {
    if s == r.meta.id || s == r.meta.name || r.meta.aliases.iter().any(|a| a == s) {
        return true;
    }
    let broad = r.meta.id.starts_with(s) || Phase::from_name(s) == Some(r.meta.phase) || s.eq_ignore_ascii_case("all");
    broad && r.meta.default_enabled
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_toml(&p, out);
        } else if p.extension().and_then(|x| x.to_str()) == Some("toml") {
            out.push(p);
        }
    }
}

//! Inputs: files, folders (searched recursively, sorted, filtered by a glob) and
//! `-` for stdin. Each input becomes a [`Source`]: a text document or a JSON Lines
//! file of documents. Problems met while walking folders (unreadable folders,
//! symlink loops, FIFOs) are per-source errors: the run goes on without them.

use std::path::{Path, PathBuf};

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// By extension: `.jsonl` / `.ndjson` are JSON Lines, anything else text.
    Auto,
    /// One document per file.
    Text,
    /// One document per line.
    Jsonl,
}

/// One input: a file, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file, or `None` for stdin.
    pub path: Option<PathBuf>,
    /// Its name relative to the input root (`-` for stdin): the report's `doc` and
    /// the output's place under `-o`.
    pub rel: PathBuf,
    /// Whether it is JSON Lines.
    pub jsonl: bool,
    /// Size in bytes when known (for progress).
    pub size: u64,
}

impl Source {
    /// The relative name with `/` separators.
    pub fn rel_name(&self) -> String {
        self.rel.to_string_lossy().replace('\\', "/")
    }

    /// The path as the user can find it (for error messages).
    pub fn display(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }
}

/// The sources found, and the problems met finding them (location, message).
#[derive(Debug, Default)]
pub struct Collected {
    /// Sources in order: inputs as given, folder contents sorted.
    pub sources: Vec<Source>,
    /// Inputs or folder entries that could not be used.
    pub errors: Vec<(String, String)>,
}

/// Whether `name` matches `pattern`: `*` and `?` wildcards, alternatives separated
/// by commas (`*.txt,*.md`).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    pattern.split(',').map(str::trim).filter(|p| !p.is_empty()).any(|p| wildcard(p.as_bytes(), name.as_bytes()))
}

fn wildcard(p: &[u8], s: &[u8]) -> bool {
    // Iterative matcher with backtracking to the last `*`: linear in practice.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            if p[pi] == b'?' {
                // `?` matches one character, not one byte.
                si += utf8_len(s[si]);
            } else {
                si += 1;
            }
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            let next = ss + utf8_len(s[ss]);
            star = Some((sp, next));
            si = next;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_jsonl(path: &Path, format: Format) -> bool {
    match format {
        Format::Text => false,
        Format::Jsonl => true,
        Format::Auto => path.extension().is_some_and(|e| e == "jsonl" || e == "ndjson"),
    }
}

/// Finds the sources of `inputs`. `-` is stdin (at most once). A folder is searched
/// recursively for names matching `glob` (hidden entries skipped), sorted by path.
/// An input that does not exist is an error entry, not a failure of the whole run.
pub fn collect_sources(inputs: &[PathBuf], glob: &str, format: Format) -> Result<Collected, String> {
    let mut c = Collected::default();
    let mut stdin_seen = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_seen {
                return Err("`-` (stdin) given more than once".to_string());
            }
            stdin_seen = true;
            c.sources.push(Source { path: None, rel: PathBuf::from("-"), jsonl: format == Format::Jsonl, size: 0 });
            continue;
        }
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let mut ancestors = Vec::new();
                walk(input, glob, &mut ancestors, &mut found, &mut c.errors);
                found.sort();
                for (p, size) in found {
                    let rel = p.strip_prefix(input).unwrap_or(&p).to_path_buf();
                    c.sources.push(Source { jsonl: is_jsonl(&p, format), path: Some(p), rel, size });
                }
            }
            Ok(m) => {
                let rel = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
                c.sources.push(Source {
                    path: Some(input.clone()),
                    rel,
                    jsonl: is_jsonl(input, format),
                    size: m.len(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(input).is_err() => {
                c.errors.push((input.display().to_string(), "no such file or folder".to_string()));
            }
            Err(e) => c.errors.push((input.display().to_string(), format!("cannot read: {e}"))),
        }
    }
    Ok(c)
}

fn walk(
    dir: &Path,
    glob: &str,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Vec<(PathBuf, u64)>,
    errors: &mut Vec<(String, String)>,
) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            errors.push((dir.display().to_string(), format!("cannot read folder: {e}")));
            return;
        }
    };
    if ancestors.contains(&canonical) {
        errors.push((dir.display().to_string(), "symlink loop (folder contains itself); skipped".to_string()));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.display().to_string(), format!("cannot read folder: {e}")));
            return;
        }
    };
    ancestors.push(canonical);
    let mut subdirs = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.display().to_string(), format!("cannot read folder: {e}")));
                continue;
            }
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let p = entry.path();
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => subdirs.push(p),
            // A FIFO, socket or device found in a folder: reading it could block
            // forever or never end. (Named on the command line, it is read.)
            Ok(m) if !m.is_file() => {
                if glob_match(glob, &name) {
                    errors
                        .push((p.display().to_string(), "not a regular file (FIFO, socket or device); skipped".into()));
                }
            }
            Ok(m) => {
                if glob_match(glob, &name) {
                    found.push((p, m.len()));
                }
            }
            // A dangling or looping symlink that looks like an input: reading it will
            // report the problem under its name.
            Err(_) => {
                if glob_match(glob, &name) {
                    found.push((p, 0));
                }
            }
        }
    }
    for d in subdirs {
        walk(&d, glob, ancestors, found, errors);
    }
    ancestors.pop();
}

/// A file input and its name relative to the input root.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file.
    pub path: PathBuf,
    /// Its path relative to the input root.
    pub rel: PathBuf,
}

/// The files of `inputs` (no stdin, no JSON Lines distinction); any problem is an error.
pub fn collect(inputs: &[PathBuf], glob: &str) -> Result<Vec<InputFile>, String> {
    let c = collect_sources(inputs, glob, Format::Text)?;
    if let Some((loc, e)) = c.errors.first() {
        return Err(format!("{loc}: {e}"));
    }
    c.sources
        .into_iter()
        .map(|s| match s.path {
            Some(path) => Ok(InputFile { path, rel: s.rel }),
            None => Err("`-` (stdin) is not supported here".to_string()),
        })
        .collect()
}

/// Refuses an output folder that is, or is inside, an input folder, or that
/// contains an input: writing there could overwrite or re-read inputs.
pub fn check_output_dir(out: &Path, sources: &[Source], inputs: &[PathBuf]) -> Result<(), String> {
    let out_abs = absolute(out);
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        let Ok(inp) = std::fs::canonicalize(input) else { continue };
        if inp.is_dir() && out_abs.starts_with(&inp) {
            return Err(format!(
                "output folder {} is inside the input folder {}; choose an output folder outside the inputs",
                out.display(),
                input.display()
            ));
        }
        if out_abs.starts_with(&inp) || inp.starts_with(&out_abs) {
            return Err(format!(
                "input {} is inside the output folder {}; choose an output folder outside the inputs",
                input.display(),
                out.display()
            ));
        }
    }
    for s in sources {
        if let Some(p) = &s.path {
            if let Ok(c) = std::fs::canonicalize(p) {
                if c.starts_with(&out_abs) {
                    return Err(format!("input {} is inside the output folder {}", p.display(), out.display()));
                }
            }
        }
    }
    Ok(())
}

/// The canonical form of a path that may not exist yet: its nearest existing
/// ancestor canonicalized, the rest appended.
fn absolute(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
            }
            _ => return p.to_path_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.txt", "a.txt"));
        assert!(!glob_match("*.txt", "a.txt.bak"));
        assert!(glob_match("*.txt,*.jsonl", "b.jsonl"));
        assert!(glob_match("p??.txt", "p01.txt"));
        assert!(glob_match("*", "株洲.txt"));
        assert!(glob_match("?洲*", "株洲.txt"));
        assert!(glob_match("*a*b*", "xaxxbx"));
        assert!(!glob_match("*a*b", "xaxxbx"));
    }
}

//! Helpers shared by the end-to-end tests of the `ocrclean` binary.
#![allow(dead_code)] // each test crate uses a different subset

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/zhuzhou-daily-2022-11-15.raw.txt");
/// Text the default rules change (ASCII comma between Han, space in a Han run).
pub const DIRTY: &str = "市贸促会组织全体党员干 部,赴茶陵开展研讨活动。\n";
/// [`DIRTY`] cleaned.
pub const CLEANED: &str = "市贸促会组织全体党员干部，赴茶陵开展研讨活动。\n";

pub fn ocrclean() -> Command {
    Command::cargo_bin("ocrclean").expect("binary builds")
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(&p, bytes).expect("write fixture");
    p
}

pub fn is_root() -> bool {
    // Root ignores file permissions: permission tests use other means then.
    fs::read_to_string("/proc/self/status")
        .map(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// The stamp `clean` leaves in an output folder: which configuration wrote it.
pub const RUN_STAMP: &str = ".ocrclean-run";

/// Every file under `dir` (recursively, hidden ones included, the run stamp
/// left out), sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != RUN_STAMP) {
                let bytes = fs::read(&p).unwrap_or_default();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// Temporary files of the atomic writer left under `dir`.
pub fn temps(dir: &Path) -> Vec<PathBuf> {
    tree(dir).into_iter().map(|(p, _)| p).filter(|p| p.to_string_lossy().ends_with(".ocrclean-tmp")).collect()
}

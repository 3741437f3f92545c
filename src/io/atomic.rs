//! Atomic output: write to a temporary file beside the target, then rename, so an
//! interrupted or failed run never leaves a half-written file behind.
//!
//! A temporary file is named after its target (`.NAME.XXXXXX.ocrclean-tmp`), so
//! that a run restarted after a SIGKILL can sweep the leftovers of the files it is
//! about to write ([`sweep_stale_temps`]) without touching those of another run
//! writing other files into the same folder (shards). Live temporary files are
//! registered, so that an interrupt can delete them before exiting
//! ([`remove_live_temps`]).
//!
//! For tests, `OCRCLEAN_TEST_WRITE_LIMIT=N` makes writes fail with "No space left
//! on device" once the process has written N bytes of output: a full disk on demand.

use std::collections::{BTreeSet, HashSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

const TEMP_SUFFIX: &str = ".ocrclean-tmp";
/// The name [`check_writable`]'s probe is a temporary file for (swept like the others).
pub const PROBE: &str = "ocrclean-probe";

/// Temporary files created and not yet renamed or deleted.
static LIVE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

static WRITE_LIMIT: LazyLock<Option<u64>> =
    LazyLock::new(|| std::env::var("OCRCLEAN_TEST_WRITE_LIMIT").ok().and_then(|v| v.parse().ok()));
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// Writes `content` to `path` through a temporary file in the same folder.
pub fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut out = AtomicFile::create(path)?;
    out.write_all(content)?;
    out.commit()
}

/// A file being written: invisible under its final name until [`AtomicFile::commit`].
/// Dropped without a commit, the temporary file is deleted.
pub struct AtomicFile {
    tmp: Option<std::io::BufWriter<tempfile::NamedTempFile>>,
    tmp_path: PathBuf,
    path: PathBuf,
}

fn live() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

impl AtomicFile {
    /// Starts writing `path` (its folder is created if needed).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(TEMP_SUFFIX).tempfile_in(dir)?;
        live().insert(tmp.path().to_path_buf());
        let tmp_path = tmp.path().to_path_buf();
        // Temporary files are private (0600); an output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(AtomicFile {
            tmp: Some(std::io::BufWriter::with_capacity(1 << 20, tmp)),
            tmp_path,
            path: path.to_path_buf(),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs nothing (speed over durability), and renames into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let tmp = self.tmp.take().expect("not yet committed");
        let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
        let result = tmp.persist(&self.path).map(|_| ()).map_err(|e| e.error);
        live().remove(&self.tmp_path);
        result
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            drop(tmp); // NamedTempFile deletes itself
            live().remove(&self.tmp_path);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(limit) = *WRITE_LIMIT {
            if WRITTEN.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64 > limit {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
        }
        self.tmp.as_mut().expect("not yet committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.as_mut().expect("not yet committed").flush()
    }
}

/// Deletes every temporary file still being written (on interrupt, before exit).
pub fn remove_live_temps() {
    for p in std::mem::take(&mut *live()) {
        let _ = std::fs::remove_file(p);
    }
}

/// Deletes, in `dir`, temporary files left by an earlier, killed run for the
/// files named `names` (those this run owns). Returns how many were deleted.
pub fn sweep_stale_temps(dir: &Path, names: &HashSet<OsString>) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut n = 0;
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix('.').and_then(|r| r.strip_suffix(TEMP_SUFFIX)) else { continue };
        // `NAME.XXXXXX`: the random part has no dot.
        let Some((target, _)) = rest.rsplit_once('.') else { continue };
        if names.contains(&OsString::from(target)) && std::fs::remove_file(entry.path()).is_ok() {
            n += 1;
        }
    }
    n
}

/// Checks up front that files can be created in `dir` (creating it if needed).
pub fn check_writable(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = tempfile::Builder::new().prefix(&format!(".{PROBE}.")).suffix(TEMP_SUFFIX).tempfile_in(dir)?;
    drop(probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temps_are_swept_by_name_and_dropped_files_vanish() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        let kept = AtomicFile::create(&dir.path().join("b.txt")).unwrap();
        std::fs::write(dir.path().join(".a.txt.Xy12ab.ocrclean-tmp"), "stale").unwrap();
        let names: HashSet<OsString> = [OsString::from("a.txt")].into();
        assert_eq!(sweep_stale_temps(dir.path(), &names), 1, "only a.txt's leftover");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"x").unwrap();
        drop(f);
        drop(kept);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "dropped temps are deleted");
        write_atomic(&target, b"done").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"done");
    }
}

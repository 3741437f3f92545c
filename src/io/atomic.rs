//! Atomic output: write to a temporary file beside the target, then rename, so an
//! interrupted or failed run never leaves a half-written file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `content` to `path` through a temporary file in the same folder.
pub fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut out = AtomicFile::create(path)?;
    out.write_all(content)?;
    out.commit()
}

/// A file being written: invisible under its final name until [`AtomicFile::commit`].
/// Dropped without a commit, the temporary file is deleted.
pub struct AtomicFile {
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts writing `path` (its folder is created if needed).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let tmp = tempfile::Builder::new().prefix(".ocrclean-").suffix(".tmp").tempfile_in(dir)?;
        // Temporary files are private (0600); an output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(AtomicFile { tmp: std::io::BufWriter::with_capacity(1 << 20, tmp), path: path.to_path_buf() })
    }

    /// Flushes, syncs nothing (speed over durability), and renames into place.
    pub fn commit(self) -> std::io::Result<()> {
        let tmp = self.tmp.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// Checks up front that files can be created in `dir` (creating it if needed).
pub fn check_writable(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = tempfile::Builder::new().prefix(".ocrclean-probe-").tempfile_in(dir)?;
    drop(probe);
    Ok(())
}

//! `ocrclean clean INPUT... -o OUT`: clean files, folders, JSON Lines and stdin;
//! write the outputs (atomically, mirroring the inputs), a report and a summary.
//!
//! At corpus scale (docs/scale.md): a run into a folder resumes, skipping inputs
//! whose output exists and is newer (outputs are only ever renamed into place
//! complete, so an existing output is a finished one), unless `--force`; the
//! temporary files a killed run left for the outputs it owns are swept first.
//! `--shard K/N` keeps the inputs whose path hashes to shard K of N, so N
//! independent processes (a Slurm array, GNU parallel) split a corpus between
//! them without coordinating.

use super::driver::{self, Event, Settings};
use super::RuleArgs;
use crate::io::atomic::{check_writable, sweep_stale_temps, AtomicFile};
use crate::io::inputs::{check_output_dir, collect_sources, Collected, Format, Source};
use crate::pipeline::Pipeline;
use crate::report::json::DocReport;
use crate::report::summary::Summary;
use clap::{Args, ValueEnum};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) use crate::io::atomic::write_atomic;
pub(crate) use crate::io::inputs::collect;

/// How inputs are read (`--format`).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatArg {
    /// `.jsonl`/`.ndjson` files are JSON Lines, everything else text.
    Auto,
    /// Every input is one text document.
    Text,
    /// Every input is JSON Lines, one document per line.
    Jsonl,
}

/// Where documents come from: shared by `clean` and `diff`.
#[derive(Args, Debug)]
pub(crate) struct SourceArgs {
    /// Files, folders (searched recursively) or `-` for stdin.
    #[arg(required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) format: FormatArg,
    /// The JSON Lines field holding the text; other fields pass through unchanged.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub(crate) text_field: String,
    /// File-name patterns for folder inputs, comma-separated (default `*.txt`,
    /// or `*.jsonl` with `--format jsonl`).
    #[arg(long)]
    pub(crate) glob: Option<String>,
    /// Replace undecodable bytes with U+FFFD instead of failing the document.
    #[arg(long)]
    pub(crate) lossy: bool,
    /// Worker threads (default: all cores). Output is identical for any value.
    #[arg(short = 'j', long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Fail a document that takes longer than this many seconds to clean
    /// (checked between rules), instead of letting it stall the run.
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    pub(crate) doc_timeout: Option<std::time::Duration>,
    /// No progress and no summary (errors are still printed).
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

impl SourceArgs {
    fn format(&self) -> Format {
        match self.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }

    /// Finds the sources, or a usage error.
    pub(crate) fn collect(&self) -> Result<Collected, String> {
        let default = if self.format == FormatArg::Jsonl { "*.jsonl" } else { "*.txt" };
        collect_sources(&self.inputs, self.glob.as_deref().unwrap_or(default), self.format())
    }

    pub(crate) fn settings(&self) -> Settings {
        Settings {
            jobs: self.jobs,
            lossy: self.lossy,
            text_field: self.text_field.clone(),
            progress: !self.quiet,
            budget: self.doc_timeout,
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct CleanArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// Output folder (mirrors the inputs; must not be an input), `-` for stdout,
    /// or, for one input file, a file with its extension (`-o out.jsonl`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write a JSON Lines report (one object per document) to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Write no output; exit 1 when a document would change.
    #[arg(long)]
    check: bool,
    /// Clean every input, even those whose output exists and is newer than it.
    #[arg(long)]
    force: bool,
    /// Process only shard K of N (1 <= K <= N): the inputs whose relative path
    /// hashes (SHA-256) to K-1 modulo N. The N shards partition the inputs.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    #[command(flatten)]
    rules: RuleArgs,
}

enum Sink {
    Check,
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Disk(Place),
}

/// Where the outputs go on disk.
#[derive(Clone)]
enum Place {
    /// A folder mirroring the inputs.
    Folder(PathBuf),
    /// The one output of a single input: `-o` names a file with the input's
    /// extension (`clean pages.jsonl -o out.jsonl`).
    File(PathBuf),
}

impl Place {
    /// `-o out` for `sources`: a file when there is one input and `out` is no
    /// folder and ends in that input's extension, else a folder.
    fn of(out: &Path, sources: &[Source]) -> Place {
        let [src] = sources else { return Place::Folder(out.to_path_buf()) };
        let input_ext = match &src.path {
            Some(p) => p.extension().map(|e| e.to_ascii_lowercase()),
            None => Some(if src.jsonl { "jsonl" } else { "txt" }.into()),
        };
        let out_ext = out.extension().map(|e| e.to_ascii_lowercase());
        if !out.is_dir() && out_ext.is_some() && out_ext == input_ext {
            Place::File(out.to_path_buf())
        } else {
            Place::Folder(out.to_path_buf())
        }
    }

    /// Where the output of `src` goes.
    fn destination(&self, src: &Source) -> PathBuf {
        match self {
            Place::File(f) => f.clone(),
            Place::Folder(dir) if src.path.is_none() => dir.join(if src.jsonl { "stdin.jsonl" } else { "stdin.txt" }),
            Place::Folder(dir) => dir.join(&src.rel),
        }
    }

    /// The folder the outputs are written in.
    fn folder(&self) -> &Path {
        match self {
            Place::Folder(dir) => dir,
            Place::File(f) => f.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
        }
    }
}

/// Parses a non-negative number of seconds.
fn parse_secs(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s.parse().map_err(|_| format!("not a number of seconds: {s}"))?;
    std::time::Duration::try_from_secs_f64(secs).map_err(|e| format!("{s}: {e}"))
}

/// Parses `K/N` with 1 <= K <= N.
fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
    let (k, n): (u64, u64) =
        (k.trim().parse().map_err(|_| "K is not a number")?, n.trim().parse().map_err(|_| "N is not a number")?);
    if n == 0 || k == 0 || k > n {
        return Err(format!("need 1 <= K <= N, got {k}/{n}"));
    }
    Ok((k, n))
}

/// Whether `src` belongs to shard `k` of `n`: a hash of its relative path, so the
/// split does not depend on which other files exist or on the machine.
fn in_shard(src: &Source, (k, n): (u64, u64)) -> bool {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(src.rel_name().as_bytes());
    let h = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    h % n == k - 1
}

/// The file in an output folder that names the configuration its outputs were
/// cleaned with (see [`configuration_since`]).
const RUN_STAMP: &str = ".ocrclean-run";

/// What decides the outputs besides the inputs: this build (the executable
/// itself, so a rebuilt binary with changed mechanisms and the same rule files
/// counts as another build), its rules, the user's rule files and every option
/// that changes the text.
fn configuration(args: &CleanArgs) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    if let Some(with_exe) = std::env::current_exe().ok().and_then(|p| hashed_executable(&h, &p).ok()) {
        h = with_exe;
    }
    for (path, content) in crate::rules::registry::BUILTIN_FILES {
        h.update(path);
        h.update(content);
    }
    for p in &args.rules.rules {
        h.update(p.to_string_lossy().as_bytes());
        for f in crate::io::inputs::collect(std::slice::from_ref(p), "*.toml").unwrap_or_default() {
            h.update(std::fs::read(&f.path).unwrap_or_default());
        }
    }
    let r = &args.rules;
    let s = &args.src;
    h.update(format!("{:?}|{:?}|{:?}|{}|{:?}", r.select, r.extend_select, r.ignore, r.unsafe_fixes, r.flagged));
    h.update(format!("{:?}|{}|{}", s.format, s.text_field, s.lossy));
    format!("{:x}", h.finalize())
}

/// `h` with the identity of the executable at `path` fed in: its length and,
/// for a 64-bit little-endian ELF file, the bytes of its loaded segments (the
/// code and data that run), else all its bytes. The rest of an ELF file is
/// mostly debug information (tens of megabytes in a release build), which
/// cannot change an output: hashing it was most of the start-up time. On an
/// error `h` is left as it was, as if the file were not there.
fn hashed_executable(h: &sha2::Sha256, path: &Path) -> std::io::Result<sha2::Sha256> {
    use sha2::Digest;
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let Some(segments) = elf_loaded_segments(&mut file)? else {
        return hashed_file(h, path);
    };
    let mut h = h.clone();
    h.update(file.metadata()?.len().to_le_bytes());
    for (offset, len) in segments {
        file.seek(SeekFrom::Start(offset))?;
        h = hashed_reader(h, (&mut file).take(len))?;
    }
    Ok(h)
}

/// The file offsets and lengths of the loaded segments (`PT_LOAD`) of the ELF
/// file `file`; `None` when it is not a 64-bit little-endian ELF file.
fn elf_loaded_segments(file: &mut std::fs::File) -> std::io::Result<Option<Vec<(u64, u64)>>> {
    use std::io::{Read, Seek, SeekFrom};
    const PT_LOAD: u32 = 1;
    let mut head = [0u8; 64];
    if file.read_exact(&mut head).is_err() || !head.starts_with(b"\x7fELF\x02\x01") {
        return Ok(None);
    }
    let u64_at = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([head[i], head[i + 1]]));
    // e_phoff, e_phentsize, e_phnum; a program header holds p_type at 0,
    // p_offset at 8 and p_filesz at 32.
    let (table_at, entry, entries) = (u64_at(&head, 0x20), u16_at(0x36), u16_at(0x38));
    if entry < 40 {
        return Ok(None);
    }
    let mut table = vec![0u8; entry * entries];
    file.seek(SeekFrom::Start(table_at))?;
    file.read_exact(&mut table)?;
    let loaded = table.chunks_exact(entry).filter(|p| p[..4] == PT_LOAD.to_le_bytes());
    Ok(Some(loaded.map(|p| (u64_at(p, 8), u64_at(p, 32))).collect()))
}

/// `h` with the bytes of the file at `path` fed in (see [`hashed_reader`]).
/// On an error `h` is left as it was, as if the file were not there.
fn hashed_file(h: &sha2::Sha256, path: &Path) -> std::io::Result<sha2::Sha256> {
    hashed_reader(h.clone(), std::fs::File::open(path)?)
}

/// `h` with the bytes of `r` fed in, read in blocks: an executable is tens of
/// megabytes, and reading it whole cost more page faults and copying than
/// hashing it.
fn hashed_reader(mut h: sha2::Sha256, mut r: impl std::io::Read) -> std::io::Result<sha2::Sha256> {
    use sha2::Digest;
    let mut buf = vec![0u8; 1 << 18];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(h),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Since when the output folder holds outputs of this configuration: the stamp's
/// time when it names this configuration, else now (the stamp is rewritten), so
/// that outputs of another configuration (other rules or options, another
/// build) are never taken as up to date.
fn configuration_since(out: &Path, config: &str) -> std::io::Result<std::time::SystemTime> {
    let stamp = out.join(RUN_STAMP);
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == config) {
        return std::fs::metadata(&stamp)?.modified();
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(&stamp, format!("{config}\n"))?;
    std::fs::metadata(&stamp)?.modified()
}

/// Whether the output of `src` at `dest` exists, is at least as new as the input
/// and was written with the current configuration (not before `since`).
fn up_to_date(src: &Source, dest: &Path, since: std::time::SystemTime) -> bool {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (src.path.as_deref().and_then(mtime), mtime(dest)) {
        (Some(input), Some(output)) => output >= input && output >= since,
        _ => false,
    }
}

/// Deletes the temporary files a killed run left for the files this run will write.
fn sweep(files: impl Iterator<Item = PathBuf>) {
    let mut by_dir: HashMap<PathBuf, HashSet<OsString>> = HashMap::new();
    for f in files {
        if let (Some(dir), Some(name)) = (f.parent(), f.file_name()) {
            by_dir.entry(dir.to_path_buf()).or_default().insert(name.to_os_string());
        }
    }
    for (dir, names) in by_dir {
        sweep_stale_temps(&dir, &names);
    }
}

/// Refuses an output file that is the input itself.
fn check_output_file(out: &Path, sources: &[Source]) -> Result<(), String> {
    let same = |p: &Path| std::fs::canonicalize(p).ok().is_some_and(|c| std::fs::canonicalize(out).ok() == Some(c));
    match sources.iter().find_map(|s| s.path.as_deref().filter(|p| same(p))) {
        Some(p) => Err(format!("the output {} would overwrite the input {}", out.display(), p.display())),
        None => Ok(()),
    }
}

fn usage(msg: impl std::fmt::Display) -> u8 {
    eprintln!("error: {msg}");
    2
}

pub(crate) fn run(args: CleanArgs) -> u8 {
    let (set, rules, options) = match args.rules.load() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let mut collected = match args.src.collect() {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    if let Some(shard) = args.shard {
        if collected.sources.iter().any(|s| s.path.is_none()) {
            return usage("--shard splits files and folders, not stdin");
        }
        collected.sources.retain(|s| in_shard(s, shard));
    }
    let mut sink = match (&args.output, args.check) {
        (_, true) => Sink::Check,
        // A filter: `ocrclean clean - < in > out`.
        (None, false) if collected.sources.iter().all(|s| s.path.is_none()) => {
            Sink::Stdout(std::io::BufWriter::new(std::io::stdout()))
        }
        (None, false) => return usage("give an output folder with -o (or `-o -` for stdout), or use --check"),
        (Some(o), false) if o.as_os_str() == "-" => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
        (Some(o), false) => Sink::Disk(Place::of(o, &collected.sources)),
    };
    if let Sink::Disk(place) = &sink {
        let checked = match place {
            Place::Folder(out) => check_output_dir(out, &collected.sources, &args.src.inputs),
            Place::File(out) => check_output_file(out, &collected.sources),
        };
        if let Err(e) = checked {
            return usage(e);
        }
        let mut seen: HashMap<PathBuf, String> = HashMap::new();
        for s in &collected.sources {
            if let Some(prev) = seen.insert(place.destination(s), s.display()) {
                return usage(format!(
                    "{} and {} would both be written to {}; clean them in separate runs",
                    prev,
                    s.display(),
                    place.destination(s).display()
                ));
            }
        }
        if let Err(e) = check_writable(place.folder()) {
            return usage(format!("{}: output folder is not writable: {e}", place.folder().display()));
        }
    }
    let mut skipped = 0;
    if let Sink::Disk(place) = &sink {
        let probe = place.folder().join(crate::io::atomic::PROBE);
        sweep(collected.sources.iter().map(|s| place.destination(s)).chain(args.report.clone()).chain([probe]));
        // A folder's outputs that are up to date are skipped (resumable runs);
        // a single named output file is always written.
        if let Place::Folder(out) = place {
            let since = match configuration_since(out, &configuration(&args)) {
                Ok(t) => t,
                Err(e) => return usage(format!("{}: output folder is not writable: {e}", out.display())),
            };
            if !args.force {
                let before = collected.sources.len();
                collected.sources.retain(|s| !up_to_date(s, &place.destination(s), since));
                skipped = before - collected.sources.len();
            }
        }
    }
    if let Err(e) = driver::stop_on_interrupt() {
        return usage(e);
    }
    if let Some(r) = &args.report {
        let canon = std::fs::canonicalize(r).ok();
        if collected
            .sources
            .iter()
            .any(|s| s.path.as_ref().and_then(|p| std::fs::canonicalize(p).ok()) == canon && canon.is_some())
        {
            return usage(format!("{}: the report would overwrite an input", r.display()));
        }
    }
    let mut report = match &args.report {
        Some(r) => match AtomicFile::create(r) {
            Ok(f) => Some(f),
            Err(e) => return usage(format!("{}: cannot write report: {e}", r.display())),
        },
        None => None,
    };
    let mut report_error: Option<String> = None;
    let mut summary = Summary::default();
    for (loc, e) in &collected.errors {
        eprintln!("error: {loc}: {e}");
        summary.fail(loc, e);
        if let Some(rep) = report.as_mut() {
            let line = DocReport::failed(loc, e).to_line();
            if let Err(e) = writeln!(rep, "{line}") {
                report_error.get_or_insert(e.to_string());
            }
        }
    }
    let pipeline = Pipeline::new(rules, options);
    let place = match &sink {
        Sink::Disk(p) => Some(p.clone()),
        _ => None,
    };
    let to_memory = matches!(sink, Sink::Stdout(_));
    // Each text document is written by the worker that cleaned it; JSON Lines
    // outputs and stdout are written here, in order.
    let want_report = args.report.is_some();
    let work = |src: &Source, doc: &driver::Doc| -> Result<(String, Option<String>), String> {
        let output = match (&place, doc.jsonl.is_some()) {
            (Some(p), false) => {
                let dest = p.destination(src);
                crate::io::atomic::write_atomic(&dest, doc.output().as_bytes())
                    .map_err(|e| format!("cannot write output {}: {e}", dest.display()))?;
                None
            }
            (Some(_), true) => Some(doc.output().into_owned()),
            (None, _) if to_memory => Some(doc.output().into_owned()),
            (None, _) => None,
        };
        // Serializing the report costs ~5% of a run: only when one is written.
        let line = if want_report {
            DocReport::cleaned(&doc.name, doc.encoding, doc.newline, &doc.cleaned).to_line()
        } else {
            String::new()
        };
        Ok((line, output))
    };
    let mut jsonl_out: Option<AtomicFile> = None;
    let mut jsonl_error: Option<String> = None;
    let on = |ev: Event<'_, (String, Option<String>)>| -> Result<(), String> {
        let mut emit = |bytes: &[u8], jsonl_out: &mut Option<AtomicFile>, sink: &mut Sink| -> Result<(), String> {
            match (jsonl_out.as_mut(), sink) {
                (Some(f), _) => {
                    if jsonl_error.is_none() {
                        if let Err(e) = f.write_all(bytes) {
                            jsonl_error = Some(e.to_string());
                            return Err(format!("cannot write output {}: {e}", f.path().display()));
                        }
                    }
                    Ok(())
                }
                (None, Sink::Stdout(w)) => w.write_all(bytes).map_err(|e| {
                    super::exit_on_closed_pipe(&e);
                    format!("cannot write to stdout: {e}")
                }),
                _ => Ok(()),
            }
        };
        let mut report_line = |line: &str| {
            if let Some(rep) = report.as_mut() {
                if let Err(e) = rep.write_all(line.as_bytes()).and_then(|_| rep.write_all(b"\n")) {
                    report_error.get_or_insert(e.to_string());
                }
            }
        };
        match ev {
            Event::Begin(src) => {
                jsonl_error = None;
                if let Sink::Disk(p) = &sink {
                    let dest = p.destination(src);
                    jsonl_out = Some(
                        AtomicFile::create(&dest)
                            .map_err(|e| format!("cannot write output {}: {e}", dest.display()))?,
                    );
                }
                Ok(())
            }
            Event::Done((line, output)) => {
                report_line(&line);
                match output {
                    Some(o) => emit(o.as_bytes(), &mut jsonl_out, &mut sink),
                    None => Ok(()),
                }
            }
            Event::Failed(f) => {
                report_line(&DocReport::failed(&f.name, &f.error).to_line());
                Ok(())
            }
            Event::Blank(bytes) => emit(bytes, &mut jsonl_out, &mut sink),
            Event::End(result) => {
                let Some(f) = jsonl_out.take() else { return Ok(()) };
                if result.is_err() || jsonl_error.is_some() {
                    return Ok(()); // dropped: no partial output; the error is already counted
                }
                let dest = f.path().display().to_string();
                f.commit().map_err(|e| format!("cannot write output {dest}: {e}"))
            }
        }
    };
    driver::run(&collected.sources, &pipeline, &args.src.settings(), &mut summary, work, on);
    if let Sink::Stdout(w) = &mut sink {
        if let Err(e) = w.flush() {
            super::exit_on_closed_pipe(&e);
            eprintln!("error: cannot write to stdout: {e}");
            summary.fail("<stdout>", &e.to_string());
        }
    }
    if let (Some(rep), Some(path)) = (report, &args.report) {
        let res = match report_error {
            Some(e) => Err(e),
            None => rep.commit().map_err(|e| e.to_string()),
        };
        if let Err(e) = res {
            eprintln!("error: {}: cannot write report: {e}", path.display());
            summary.fail(&path.display().to_string(), &format!("cannot write report: {e}"));
        }
    }
    if !args.src.quiet {
        eprint!("{}", summary.render(|id| set.get(id).map(|r| r.meta.name.clone()).unwrap_or_default()));
        if skipped > 0 {
            eprintln!("{skipped} inputs skipped: their outputs are up to date (--force to clean them again)");
        }
    }
    if driver::interrupted() {
        eprintln!(
            "interrupted after {} documents: every output written is complete, nothing partial was left; \
             run the same command again to finish",
            summary.documents
        );
        return driver::INTERRUPTED_EXIT;
    }
    if !summary.failed.is_empty() {
        2
    } else if args.check && summary.changed > 0 {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn a_file_hashed_in_blocks_hashes_as_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let mut h = sha2::Sha256::new();
        h.update("prefix");
        let mut whole = h.clone();
        whole.update(&bytes);
        let whole = whole.finalize();
        assert_eq!(hashed_file(&h, &path).unwrap().finalize(), whole);
        assert!(hashed_file(&h, &dir.path().join("missing")).is_err());
        assert_eq!(hashed_executable(&h, &path).unwrap().finalize(), whole, "not ELF: all of it");
    }

    #[test]
    fn an_executable_is_known_by_its_loaded_segments_and_length() {
        // An ELF header, one program header (PT_LOAD: bytes 120..124), the
        // segment, then bytes no segment holds (debug information).
        let mut elf = vec![0u8; 120];
        elf[..6].copy_from_slice(b"\x7fELF\x02\x01");
        elf[0x20] = 64; // e_phoff
        elf[0x36] = 56; // e_phentsize
        elf[0x38] = 1; // e_phnum
        elf[64] = 1; // p_type
        elf[64 + 8] = 120; // p_offset
        elf[64 + 32] = 4; // p_filesz
        elf.extend(b"codedebug");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exe");
        let id = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            hashed_executable(&sha2::Sha256::new(), &path).unwrap().finalize()
        };
        let built = id(&elf);
        let mut debug = elf.clone();
        *debug.last_mut().unwrap() = b'G';
        assert_eq!(id(&debug), built, "the debug information is not hashed");
        let mut code = elf.clone();
        code[121] = b'O';
        assert_ne!(id(&code), built, "a changed segment is another build");
        let mut longer = elf.clone();
        longer.push(0);
        assert_ne!(id(&longer), built, "so is a changed length");
    }
}

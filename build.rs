//! Embeds every file under `rules/` (rule TOML files and their CSV sidecars) into
//! the binary, so that `ocrclean` works alone, wherever it is copied; and builds
//! the lexicon's pair filter (see `src/builtins/lexicon.rs`) from `data/lexicon.txt`.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "csv" | "txt")) {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("/// (path relative to the crate root, content) of every built-in rule file.\npub static BUILTIN_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", f.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(out, code).unwrap();
    pair_filter(&root);
}

/// Bits of the pair filter: one per hash value.
const PAIR_BITS: usize = 1 << 22;

/// The filter's hash of two adjacent characters; `lexicon::pair_hash` is the same.
fn pair_hash(a: char, b: char) -> usize {
    let x = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> (64 - 22)) as usize
}

/// A bit set of the pairs of adjacent characters inside the lexicon's words.
fn pair_filter(root: &Path) {
    let lexicon = root.join("data/lexicon.txt");
    println!("cargo:rerun-if-changed={}", lexicon.display());
    let words = fs::read_to_string(&lexicon).unwrap();
    let mut bits = vec![0u8; PAIR_BITS / 8];
    for w in words.lines() {
        let chars: Vec<char> = w.chars().collect();
        for p in chars.windows(2) {
            let h = pair_hash(p[0], p[1]);
            bits[h / 8] |= 1 << (h % 8);
        }
    }
    fs::write(PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("lexicon_pairs.bin"), bits).unwrap();
}

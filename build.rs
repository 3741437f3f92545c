//! Embeds every file under `rules/` (rule TOML files and their CSV sidecars) into
//! the binary, so that `ocrclean` works alone, wherever it is copied; and builds
//! the lexicon's pair filter and word table (see `src/builtins/lexicon.rs`) from
//! `data/lexicon.txt`, and the sorted keys of its common words from
//! `data/lexicon_common.txt`.

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
    println!("cargo:rerun-if-changed=src/builtins/lexicon_keys.rs");
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
    word_table(&root);
    common_keys(&root);
}

include!("src/builtins/lexicon_keys.rs");

/// Bits of the pair filter: one per hash value.
const PAIR_BITS: usize = 1 << PAIR_HASH_BITS;

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

/// The lexicon's words as an open-addressing hash table of their keys (linear
/// probing, 0 for an empty slot), little-endian u64 slots: looked up in place,
/// with nothing to build at run time.
fn word_table(root: &Path) {
    let words = fs::read_to_string(root.join("data/lexicon.txt")).unwrap();
    let mask = (1usize << WORD_TABLE_BITS) - 1;
    let mut slots = vec![0u64; mask + 1];
    let mut n = 0;
    for w in words.lines() {
        let key = word_key(w.chars()).unwrap_or_else(|| panic!("data/lexicon.txt: {w:?} is not 1-4 BMP characters"));
        let mut i = slot_of(key);
        while slots[i] != 0 && slots[i] != key {
            i = (i + 1) & mask;
        }
        n += usize::from(slots[i] == 0);
        slots[i] = key;
    }
    assert!(n * 4 <= slots.len() * 3, "data/lexicon.txt: raise WORD_TABLE_BITS, {n} words fill the table");
    let bytes: Vec<u8> = slots.iter().flat_map(|k| k.to_le_bytes()).collect();
    fs::write(PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("lexicon_words.bin"), bytes).unwrap();
}

/// The keys of the common words, sorted, as little-endian u64s: few enough
/// for a binary search.
fn common_keys(root: &Path) {
    let path = root.join("data/lexicon_common.txt");
    println!("cargo:rerun-if-changed={}", path.display());
    let words = fs::read_to_string(&path).unwrap();
    let mut keys: Vec<u64> = words
        .lines()
        .map(|w| {
            word_key(w.chars()).unwrap_or_else(|| panic!("data/lexicon_common.txt: {w:?} is not 1-4 BMP characters"))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    fs::write(PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("lexicon_common.bin"), bytes).unwrap();
}

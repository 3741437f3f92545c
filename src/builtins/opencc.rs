//! ## What it does
//! Converts between Simplified and Traditional Chinese with OpenCC's dictionaries
//! (ferrous-opencc, a pure-Rust port): `t2s`, `s2t`, `s2tw`, `s2twp`, `tw2s`,
//! `tw2sp`, `s2hk`, `hk2s`, `t2tw`, `tw2t`, `t2hk`, `hk2t`. The edits have
//! character granularity: each run of changed characters is one edit, so the
//! report shows `這→这`, not one whole-document replacement.
//!
//! ## Why is this bad?
//! A corpus mixing scripts splits counts, search and deduplication; users choose
//! one script. This is opt-in (`default = false`): the right target depends on
//! the corpus.
//!
//! ## Example
//! `t2s`: `漢字轉換` → `汉字转换`
//!
//! ## Fix safety
//! Safe for the configured direction; phrase tables resolve most one-to-many
//! mappings (`頭髮`/`發展` → `头发`/`发展`).
//!
//! ## Known problems
//! Proper names and quoted Traditional text are converted too. When OpenCC
//! changes the number of characters of a line (`用户` → `使用者`), each run of Han
//! characters is aligned by edit distance and each differing region is one edit
//! (runs longer than 256 characters become one edit).

use super::params::Params;
use super::punct_common::{is_han, lines};
use crate::rules::{Context, Mechanism, Output};
use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use std::sync::LazyLock;

type Lazy = LazyLock<Option<OpenCC>>;

macro_rules! conv {
    ($name:ident, $cfg:expr) => {
        static $name: Lazy = LazyLock::new(|| OpenCC::from_config($cfg).ok());
    };
}
conv!(S2T, BuiltinConfig::S2t);
conv!(T2S, BuiltinConfig::T2s);
conv!(S2TW, BuiltinConfig::S2tw);
conv!(TW2S, BuiltinConfig::Tw2s);
conv!(S2HK, BuiltinConfig::S2hk);
conv!(HK2S, BuiltinConfig::Hk2s);
conv!(S2TWP, BuiltinConfig::S2twp);
conv!(TW2SP, BuiltinConfig::Tw2sp);
conv!(T2TW, BuiltinConfig::T2tw);
conv!(TW2T, BuiltinConfig::Tw2t);
conv!(T2HK, BuiltinConfig::T2hk);
conv!(HK2T, BuiltinConfig::Hk2t);

/// The configurations by name.
pub const CONFIGS: &[&str] =
    &["s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "tw2t", "t2hk", "hk2t"];

fn converter(name: &str) -> Option<&'static Lazy> {
    Some(match name {
        "s2t" => &S2T,
        "t2s" => &T2S,
        "s2tw" => &S2TW,
        "tw2s" => &TW2S,
        "s2hk" => &S2HK,
        "hk2s" => &HK2S,
        "s2twp" => &S2TWP,
        "tw2sp" => &TW2SP,
        "t2tw" => &T2TW,
        "tw2t" => &TW2T,
        "t2hk" => &T2HK,
        "hk2t" => &HK2T,
        _ => return None,
    })
}

/// An OpenCC conversion.
pub struct OpenccConvert {
    cc: &'static Lazy,
}

impl OpenccConvert {
    /// Reads `config` (one of [`CONFIGS`]). The converter is built once per
    /// process, on the first conversion: every run compiles every rule, the
    /// opt-in conversions too, and loading their dictionaries at startup cost
    /// about 45M instructions that a run without a T rule never used. The
    /// embedded dictionaries load (a test loads each).
    pub fn new(p: &Params) -> Result<Self, String> {
        let name = p.string("config", "")?;
        let cc = converter(&name).ok_or_else(|| format!("param \"config\" must be one of {}", CONFIGS.join(", ")))?;
        Ok(OpenccConvert { cc })
    }
}

/// Pushes one edit per run of differing characters of `a` (at byte `base`) and `b`,
/// which have the same number of characters.
fn zip_edits(a: &str, b: &str, base: usize, out: &mut Output) {
    let mut run: Option<(usize, usize, String)> = None;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x == y {
            if let Some((s, e, r)) = run.take() {
                out.edit(base + s, base + e, r);
            }
            continue;
        }
        let r = run.get_or_insert_with(|| (i, i, String::new()));
        r.1 = i + x.len_utf8();
        r.2.push(y);
    }
    if let Some((s, e, r)) = run {
        out.edit(base + s, base + e, r);
    }
}

/// Longest run aligned character by character; longer runs become one edit.
const ALIGN_MAX: usize = 256;

/// Pushes one edit per differing region of `a` (at byte `base`) and `b` whose
/// character counts differ (`用户` → `使用者`), from an edit-distance alignment.
fn align_edits(a: &str, b: &str, base: usize, out: &mut Output) {
    let ac: Vec<(usize, char)> = a.char_indices().collect();
    let bc: Vec<char> = b.chars().collect();
    let (n, m) = (ac.len(), bc.len());
    if n > ALIGN_MAX || m > ALIGN_MAX {
        out.edit(base, base + a.len(), b);
        return;
    }
    // d[i][j]: distance between a[i..] and b[j..] (suffixes), so the walk goes forward.
    let w = m + 1;
    let mut d = vec![0u16; (n + 1) * w];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            d[i * w + j] = if i == n {
                (m - j) as u16
            } else if j == m {
                (n - i) as u16
            } else {
                let sub = d[(i + 1) * w + j + 1] + u16::from(ac[i].1 != bc[j]);
                sub.min(d[(i + 1) * w + j] + 1).min(d[i * w + j + 1] + 1)
            };
        }
    }
    let byte = |i: usize| if i < n { ac[i].0 } else { a.len() };
    let (mut i, mut j) = (0, 0);
    let mut run: Option<(usize, String)> = None;
    while i < n || j < m {
        if i < n && j < m && ac[i].1 == bc[j] && d[i * w + j] == d[(i + 1) * w + j + 1] {
            if let Some((s, r)) = run.take() {
                out.edit(base + byte(s), base + byte(i), r);
            }
            i += 1;
            j += 1;
            continue;
        }
        let r = run.get_or_insert_with(|| (i, String::new()));
        let here = d[i * w + j];
        if i < n && j < m && here == d[(i + 1) * w + j + 1] + 1 {
            r.1.push(bc[j]);
            i += 1;
            j += 1;
        } else if i < n && here == d[(i + 1) * w + j] + 1 {
            i += 1;
        } else {
            r.1.push(bc[j.min(m.saturating_sub(1))]);
            j += 1;
        }
    }
    if let Some((s, r)) = run {
        out.edit(base + byte(s), base + a.len(), r);
    }
}

impl Mechanism for OpenccConvert {
    fn run(&self, text: &str, _ctx: &Context, out: &mut Output) {
        let Some(cc) = self.cc.as_ref() else { return };
        for (ls, le) in lines(text) {
            let line = &text[ls..le];
            if line.is_ascii() {
                continue;
            }
            let conv = cc.convert(line);
            if conv == line {
                continue;
            }
            if conv.chars().count() == line.chars().count() {
                zip_edits(line, &conv, ls, out);
                continue;
            }
            // Lengths differ: convert each run of Han characters on its own.
            let mut k = 0;
            while k < line.len() {
                let Some(c) = line[k..].chars().next() else { break };
                if !is_han(c) {
                    k += c.len_utf8();
                    continue;
                }
                let start = k;
                while let Some(c) = line[k..].chars().next().filter(|c| is_han(*c)) {
                    k += c.len_utf8();
                }
                let seg = &line[start..k];
                let conv = cc.convert(seg);
                if conv == seg {
                    continue;
                }
                if conv.chars().count() == seg.chars().count() {
                    zip_edits(seg, &conv, ls + start, out);
                } else {
                    align_edits(seg, &conv, ls + start, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_configuration_loads() {
        for name in CONFIGS {
            assert!(converter(name).is_some_and(|cc| LazyLock::force(cc).is_some()), "{name}");
        }
    }
}

//! Scoring cleaned text against hand-corrected gold: the metrics of the dev
//! benchmark's `score.py`, reimplemented so that `ocrclean eval` needs no Python.
//!
//! Every metric is a count per page ([`DocScore`]); [`Summary`] micro-averages
//! counts over pages exactly as `score.py`'s `aggregate` does:
//!
//! - `cer`: Levenshtein(pred, gold) / len(gold) on characters, all whitespace removed.
//! - `cer_content`: the same after also removing punctuation, symbols, separators
//!   and controls and folding full-width letters/digits.
//! - `bigram_f1`: multiset F1 of character bigrams inside whitespace-free segments.
//! - `han_spaces`: runs of spaces between two Han/CJK-punctuation characters on a
//!   line that the gold does not have (same left/right characters, multiset).
//! - `punct_acc`: fraction of gold full-width marks `，。：；（）？！“”、` found in the
//!   prediction with the same previous and next non-whitespace characters.
//! - `halfwidth_cjk`: half-width `, : ; ( ) ? !` next to Han left in the output.
//! - `para_*`, `art_*`: boundaries (line breaks / blank lines) identified by the 3
//!   non-whitespace characters on each side, multiset-matched.
//! - `caption_p/r`, `headline_p/r`, `headline_exact`: flags against the gold's
//!   annotations (`<doc>.json`: `headlines`, `kickers`, `articles[].captions`).

use serde::Serialize;
use std::collections::HashMap;

const HALF: [char; 7] = [',', ':', ';', '(', ')', '?', '!'];
const GOLD_PUNCT: [char; 11] = ['，', '。', '：', '；', '（', '）', '？', '！', '“', '”', '、'];
const CJK_PUNCT: &str = "，。：；（）？！“”‘’、…—《》〈〉【】「」『』～·";
const KEEP_FULL: &str = "，：；（）？！";

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_han_or_punct(c: char) -> bool {
    is_han(c) || CJK_PUNCT.contains(c)
}

/// Python's `str.isspace` (what `\s` matches) plus U+3000.
fn is_ws(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1C}'..='\u{1F}')
}

fn strip_ws(s: &str) -> Vec<char> {
    s.chars().filter(|c| !is_ws(*c)).collect()
}

fn fold(c: char) -> char {
    let o = c as u32;
    if (0xFF01..=0xFF5E).contains(&o) && !KEEP_FULL.contains(c) {
        char::from_u32(o - 0xFEE0).unwrap_or(c)
    } else if c == '\u{3000}' {
        ' '
    } else {
        c
    }
}

/// Whether `c` is a letter, mark or number (Unicode categories L, M, N): what
/// `score.py`'s `content_only` keeps. Marks are approximated by the combining blocks.
fn is_content(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Character-level edit distance (two-row dynamic programming).
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if b.is_empty() {
        return a.len();
    }
    let mut prev: Vec<u32> = (0..=b.len() as u32).collect();
    let mut cur = vec![0u32; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i as u32 + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + u32::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as usize
}

fn bigrams(s: &str) -> HashMap<(char, char), usize> {
    let mut m = HashMap::new();
    let folded: String = s.chars().map(fold).collect();
    for seg in folded.split(is_ws).filter(|x| !x.is_empty()) {
        let cs: Vec<char> = seg.chars().collect();
        for w in cs.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
    }
    m
}

fn han_space_keys(s: &str) -> HashMap<(char, char), usize> {
    let cs: Vec<char> = s.chars().collect();
    let mut m = HashMap::new();
    let mut i = 1;
    while i < cs.len() {
        if matches!(cs[i], ' ' | '\t' | '\u{3000}') && is_han_or_punct(cs[i - 1]) {
            let mut j = i;
            while j < cs.len() && matches!(cs[j], ' ' | '\t' | '\u{3000}') {
                j += 1;
            }
            if j < cs.len() && is_han_or_punct(cs[j]) {
                *m.entry((cs[i - 1], cs[j])).or_insert(0) += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    m
}

fn punct_keys(s: &str) -> HashMap<(char, char, char), usize> {
    let cs = strip_ws(s);
    let mut m = HashMap::new();
    for (i, &c) in cs.iter().enumerate() {
        if GOLD_PUNCT.contains(&c) {
            let p = if i > 0 { cs[i - 1] } else { '^' };
            let n = cs.get(i + 1).copied().unwrap_or('$');
            *m.entry((p, c, n)).or_insert(0) += 1;
        }
    }
    m
}

/// Half-width `, : ; ( ) ? !` in Chinese context (`score.py`'s `HALF_CJK_RE` matches).
pub fn halfwidth_cjk(s: &str) -> usize {
    let cs: Vec<char> = s.chars().collect();
    let (mut n, mut i) = (0, 0);
    while i < cs.len() {
        // (?<=[HAN])[ ]*[,:;()?!]
        if i > 0 && is_han(cs[i - 1]) {
            let mut j = i;
            while j < cs.len() && cs[j] == ' ' {
                j += 1;
            }
            if j < cs.len() && HALF.contains(&cs[j]) {
                n += 1;
                i = j + 1;
                continue;
            }
        }
        // [,:;()?!][ ]*(?=[HAN])
        if HALF.contains(&cs[i]) {
            let mut j = i + 1;
            while j < cs.len() && cs[j] == ' ' {
                j += 1;
            }
            if j < cs.len() && is_han(cs[j]) {
                n += 1;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    n
}

fn boundary_sigs(text: &str, blank_only: bool) -> HashMap<String, usize> {
    let t = text.replace('\x0c', "\n");
    let mut flat: Vec<char> = Vec::new();
    let mut pos = Vec::new();
    let (mut pending_blank, mut started) = (false, false);
    for ln in t.split('\n') {
        let s = strip_ws(ln);
        if s.is_empty() {
            pending_blank = true;
            continue;
        }
        if started && (pending_blank || !blank_only) {
            pos.push(flat.len());
        }
        flat.extend(s);
        started = true;
        pending_blank = false;
    }
    let mut m = HashMap::new();
    for p in pos {
        let a: String = flat[p.saturating_sub(3)..p].iter().collect();
        let b: String = flat[p..(p + 3).min(flat.len())].iter().collect();
        *m.entry(format!("{a}|{b}")).or_insert(0) += 1;
    }
    m
}

fn matched<K: std::hash::Hash + Eq>(gold: &HashMap<K, usize>, pred: &HashMap<K, usize>) -> usize {
    gold.iter().map(|(k, n)| (*n).min(pred.get(k).copied().unwrap_or(0))).sum()
}

fn sim(a: &str, b: &str) -> f64 {
    let (a, b) = (strip_ws(a), strip_ws(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    1.0 - levenshtein(&a, &b) as f64 / a.len().max(b.len()) as f64
}

fn coverage(src: &str, target: &str) -> f64 {
    let mut c: HashMap<char, usize> = HashMap::new();
    for ch in strip_ws(src) {
        *c.entry(ch).or_insert(0) += 1;
    }
    let mut t: HashMap<char, usize> = HashMap::new();
    for ch in strip_ws(target) {
        *t.entry(ch).or_insert(0) += 1;
    }
    let tot: usize = t.values().sum();
    if tot == 0 {
        return 0.0;
    }
    t.iter().map(|(ch, n)| (*n).min(c.get(ch).copied().unwrap_or(0))).sum::<usize>() as f64 / tot as f64
}

/// The gold annotations used for flag scoring (the eval-dev `<doc>.json` format).
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Headlines (gold `headlines`).
    pub headlines: Vec<String>,
    /// Kickers (count as headlines for recall and precision).
    pub kickers: Vec<String>,
    /// Captions, each as sentence + credit.
    pub captions: Vec<String>,
}

impl Annotations {
    /// Reads the eval-dev JSON annotation format.
    pub fn from_json(v: &serde_json::Value) -> Annotations {
        let strs = |key: &str| -> Vec<String> {
            v.get(key)
                .and_then(|x| x.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let mut captions = Vec::new();
        for art in v.get("articles").and_then(|a| a.as_array()).into_iter().flatten() {
            for c in art.get("captions").and_then(|c| c.as_array()).into_iter().flatten() {
                let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                captions.push(s("sentence") + &s("credit"));
            }
        }
        Annotations { headlines: strs("headlines"), kickers: strs("kickers"), captions }
    }
}

/// The counts of one page (the fields of `score.py`'s `score_doc`).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[allow(missing_docs)]
pub struct DocScore {
    pub gold_chars: usize,
    pub edits: usize,
    pub gold_content_chars: usize,
    pub content_edits: usize,
    pub han_spaces: usize,
    pub bigram_gold: usize,
    pub bigram_pred: usize,
    pub bigram_match: usize,
    pub punct_gold: usize,
    pub punct_match: usize,
    pub halfwidth_cjk: usize,
    pub para_gold: usize,
    pub para_pred: usize,
    pub para_match: usize,
    pub art_gold: usize,
    pub art_pred: usize,
    pub art_match: usize,
    pub cap_gold: usize,
    pub cap_pred: usize,
    pub cap_match: usize,
    pub head_gold: usize,
    pub head_recalled: usize,
    pub head_pred: usize,
    pub head_correct: usize,
    pub head_exact: usize,
    pub head_exact_gold: usize,
}

/// A flag as scored: its kind name (`caption`, `headline`, `headline_fragment`, …) and text.
pub type ScoredFlag = (String, String);

/// Scores one page: `pred` against `gold`, flags against `ann` when given.
pub fn score_doc(pred: &str, gold: &str, ann: Option<&Annotations>, flags: &[ScoredFlag]) -> DocScore {
    let mut r = DocScore::default();
    let (g, p) = (strip_ws(gold), strip_ws(pred));
    r.gold_chars = g.len();
    r.edits = levenshtein(&p, &g);
    let content = |v: &[char]| -> Vec<char> { v.iter().map(|c| fold(*c)).filter(|c| is_content(*c)).collect() };
    let (gc, pc) = (content(&g), content(&p));
    r.gold_content_chars = gc.len();
    r.content_edits = levenshtein(&pc, &gc);
    let (gsp, psp) = (han_space_keys(gold), han_space_keys(pred));
    r.han_spaces = psp.iter().map(|(k, n)| n.saturating_sub(gsp.get(k).copied().unwrap_or(0))).sum();
    let (gb, pb) = (bigrams(gold), bigrams(pred));
    r.bigram_gold = gb.values().sum();
    r.bigram_pred = pb.values().sum();
    r.bigram_match = matched(&gb, &pb);
    let (gk, pk) = (punct_keys(gold), punct_keys(pred));
    r.punct_gold = gk.values().sum();
    r.punct_match = matched(&gk, &pk);
    r.halfwidth_cjk = halfwidth_cjk(pred);
    let (gs, ps) = (boundary_sigs(gold, false), boundary_sigs(pred, false));
    (r.para_gold, r.para_pred, r.para_match) = (gs.values().sum(), ps.values().sum(), matched(&gs, &ps));
    let (gs, ps) = (boundary_sigs(gold, true), boundary_sigs(pred, true));
    (r.art_gold, r.art_pred, r.art_match) = (gs.values().sum(), ps.values().sum(), matched(&gs, &ps));
    let Some(ann) = ann else { return r };
    let fc: Vec<&str> = flags.iter().filter(|f| f.0 == "caption").map(|f| f.1.as_str()).collect();
    let mut used = vec![false; ann.captions.len()];
    for f in &fc {
        let mut best = (0.0, None);
        for (j, c) in ann.captions.iter().enumerate() {
            if used[j] {
                continue;
            }
            let s = sim(f, c);
            if s > best.0 {
                best = (s, Some(j));
            }
        }
        if let (s, Some(j)) = best {
            if s >= 0.6 {
                used[j] = true;
                r.cap_match += 1;
            }
        }
    }
    r.cap_gold = ann.captions.len();
    r.cap_pred = fc.len();
    let heads: Vec<&String> = ann.headlines.iter().chain(&ann.kickers).collect();
    let fh: Vec<&str> =
        flags.iter().filter(|f| f.0 == "headline" || f.0 == "headline_fragment").map(|f| f.1.as_str()).collect();
    let allf: String = fh.concat();
    r.head_gold = heads.len();
    r.head_recalled = heads.iter().filter(|h| coverage(&allf, h) >= 0.8).count();
    r.head_pred = fh.len();
    r.head_correct = fh.iter().filter(|f| heads.iter().any(|h| coverage(h, f) >= 0.8)).count();
    let exact: std::collections::HashSet<Vec<char>> =
        flags.iter().filter(|f| f.0 == "headline").map(|f| strip_ws(&f.1)).collect();
    r.head_exact = ann.headlines.iter().filter(|h| exact.contains(&strip_ws(h))).count();
    r.head_exact_gold = ann.headlines.len();
    r
}

/// Micro-averaged metrics over pages (`score.py`'s `aggregate`); `None` where undefined.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[allow(missing_docs)]
pub struct Summary {
    pub docs: usize,
    pub cer: Option<f64>,
    pub cer_content: Option<f64>,
    pub bigram_f1: f64,
    pub han_spaces: usize,
    pub han_spaces_per_1k: Option<f64>,
    pub punct_acc: Option<f64>,
    pub halfwidth_cjk: usize,
    pub para_p: Option<f64>,
    pub para_r: Option<f64>,
    pub para_f1: f64,
    pub art_p: Option<f64>,
    pub art_r: Option<f64>,
    pub art_f1: f64,
    pub caption_p: Option<f64>,
    pub caption_r: Option<f64>,
    pub headline_p: Option<f64>,
    pub headline_r: Option<f64>,
    pub headline_exact: Option<f64>,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn prf(m: usize, np: usize, ng: usize) -> (Option<f64>, Option<f64>, f64) {
    let (p, r) = (ratio(m, np), ratio(m, ng));
    let f = match (p, r) {
        (Some(p), Some(r)) if p > 0.0 && r > 0.0 => 2.0 * p * r / (p + r),
        _ => 0.0,
    };
    (p, r, f)
}

/// Sums page counts and derives the rates.
pub fn aggregate(rows: &[DocScore]) -> Summary {
    let mut s = DocScore::default();
    for r in rows {
        macro_rules! add { ($($f:ident),*) => { $( s.$f += r.$f; )* } }
        add!(
            gold_chars,
            edits,
            gold_content_chars,
            content_edits,
            han_spaces,
            bigram_gold,
            bigram_pred,
            bigram_match,
            punct_gold,
            punct_match,
            halfwidth_cjk,
            para_gold,
            para_pred,
            para_match,
            art_gold,
            art_pred,
            art_match,
            cap_gold,
            cap_pred,
            cap_match,
            head_gold,
            head_recalled,
            head_pred,
            head_correct,
            head_exact,
            head_exact_gold
        );
    }
    let (para_p, para_r, para_f1) = prf(s.para_match, s.para_pred, s.para_gold);
    let (art_p, art_r, art_f1) = prf(s.art_match, s.art_pred, s.art_gold);
    let (caption_p, caption_r, _) = prf(s.cap_match, s.cap_pred, s.cap_gold);
    Summary {
        docs: rows.len(),
        cer: ratio(s.edits, s.gold_chars),
        cer_content: ratio(s.content_edits, s.gold_content_chars),
        bigram_f1: prf(s.bigram_match, s.bigram_pred, s.bigram_gold).2,
        han_spaces: s.han_spaces,
        han_spaces_per_1k: ratio(1000 * s.han_spaces, s.gold_chars),
        punct_acc: ratio(s.punct_match, s.punct_gold),
        halfwidth_cjk: s.halfwidth_cjk,
        para_p,
        para_r,
        para_f1,
        art_p,
        art_r,
        art_f1,
        caption_p,
        caption_r,
        headline_p: ratio(s.head_correct, s.head_pred),
        headline_r: ratio(s.head_recalled, s.head_gold),
        headline_exact: ratio(s.head_exact, s.head_exact_gold),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth_counts_like_the_regex() {
        assert_eq!(halfwidth_cjk("中 , 文"), 1);
        assert_eq!(halfwidth_cjk("中,文,字"), 2);
        assert_eq!(halfwidth_cjk("a, b"), 0);
        assert_eq!(halfwidth_cjk("(中)"), 2);
    }

    #[test]
    fn levenshtein_basics() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
    }

    #[test]
    fn han_spaces_only_count_what_gold_lacks() {
        let r = score_doc("党员干 部\n记者/甲 通讯员/乙", "党员干部\n记者/甲 通讯员/乙", None, &[]);
        assert_eq!(r.han_spaces, 1);
    }
}

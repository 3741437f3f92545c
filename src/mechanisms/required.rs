//! Required literals of a regex: a set of strings one of which every match
//! contains, so that a text containing none of them is skipped with one
//! Aho-Corasick scan instead of a regex search.
//!
//! Why: most `[replace]` rules look for something rare (`丶`, `|`, `...`), but
//! their patterns start with `[ \t]*`, which defeats the regex crate's literal
//! prefilter: its lazy DFA then walks every byte of every document, in every
//! pass. The check is exact (it only skips texts where no match can exist), so
//! the rule's output never changes.

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Most literals a set may have before it is not worth scanning for.
const MAX_LITERALS: usize = 256;

/// Sets up to this size are scanned one literal at a time with SIMD `memmem`,
/// faster than an automaton (whose prefilter is weak on the lead bytes shared
/// by most CJK punctuation); larger sets with Aho-Corasick.
const FEW: usize = 4;

/// Sets larger than this are scanned for by their first bytes
/// ([`Prefilter::FirstBytes`]): an automaton is then no faster than the regex.
const AUTOMATON_MAX: usize = 64;

/// Finds whether a text contains one of a set of literals.
pub enum Prefilter {
    /// A few literals, one `memmem` scan each.
    Few(Vec<memchr::memmem::Finder<'static>>),
    /// Many literals, one automaton scan.
    Many(AhoCorasick),
    /// Very many literals (a large class: N002's invisible and control
    /// characters), by a table of their first bytes.
    FirstBytes(Box<FirstBytes>),
}

impl Prefilter {
    /// Whether `text` contains one of the literals.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Prefilter::Few(fs) => fs.iter().any(|f| f.find(text.as_bytes()).is_some()),
            Prefilter::Many(ac) => ac.is_match(text),
            Prefilter::FirstBytes(fb) => fb.is_match(text.as_bytes()),
        }
    }
}

/// Literals grouped by their first byte. A tight scan for a byte some literal
/// starts with, and a comparison only there: several times faster than the
/// regex's lazy DFA, and than an automaton, on a set whose first bytes include
/// the lead bytes of common CJK punctuation (`E2` of `“`, `EF` of `，`).
pub struct FirstBytes {
    /// Whether a literal starts with the byte.
    first: [bool; 256],
    by_first: Vec<Vec<Vec<u8>>>,
}

impl FirstBytes {
    fn new(lits: Vec<Vec<u8>>) -> Self {
        let mut first = [false; 256];
        let mut by_first = vec![Vec::new(); 256];
        for l in lits {
            first[l[0] as usize] = true;
            by_first[l[0] as usize].push(l);
        }
        FirstBytes { first, by_first }
    }

    fn is_match(&self, b: &[u8]) -> bool {
        let mut i = 0;
        while let Some(k) = self.first_candidate(&b[i..]) {
            let at = i + k;
            if self.by_first[b[at] as usize].iter().any(|l| b[at..].starts_with(l)) {
                return true;
            }
            i = at + 1;
        }
        false
    }

    /// The first position in `b` of a byte some literal starts with. Eight
    /// bytes are tested per step without a branch per byte (their table
    /// entries or-ed): the bytes that start no literal are most of a text,
    /// and this scan was most of the rule's time on every document.
    fn first_candidate(&self, b: &[u8]) -> Option<usize> {
        let is_first = |c: &u8| self.first[*c as usize];
        let mut words = b.chunks_exact(8);
        let mut base = 0;
        for w in &mut words {
            if w.iter().fold(false, |hit, c| hit | is_first(c)) {
                return w.iter().position(is_first).map(|k| base + k);
            }
            base += 8;
        }
        words.remainder().iter().position(is_first).map(|k| base + k)
    }
}

/// A scanner for the literals one of which every match of `pattern` contains,
/// or `None` when there is no such (small) set.
pub fn prefilter(pattern: &str) -> Option<Prefilter> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let lits = required(&hir)?;
    if lits.is_empty() || lits.iter().any(Vec::is_empty) {
        return None;
    }
    if lits.len() <= FEW {
        Some(Prefilter::Few(lits.iter().map(|l| memchr::memmem::Finder::new(l).into_owned()).collect()))
    } else if lits.len() <= AUTOMATON_MAX {
        AhoCorasick::new(lits).ok().map(Prefilter::Many)
    } else {
        Some(Prefilter::FirstBytes(Box::new(FirstBytes::new(lits))))
    }
}

/// Literals one of which every match of `hir` contains (`None`: unknown).
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let lits = match hir.kind() {
        HirKind::Literal(l) => vec![l.0.to_vec()],
        HirKind::Class(Class::Unicode(c)) => {
            let n: u32 = c.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if n as usize > MAX_LITERALS {
                return None;
            }
            c.ranges().iter().flat_map(|r| r.start()..=r.end()).map(|ch| ch.to_string().into_bytes()).collect()
        }
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.ranges().iter().map(|r| (r.end() - r.start()) as usize + 1).sum();
            if n > MAX_LITERALS {
                return None;
            }
            c.ranges().iter().flat_map(|r| r.start()..=r.end()).map(|b| vec![b]).collect()
        }
        // `x{3,}` contains `xxx` when `x` is a literal.
        HirKind::Repetition(r) if r.min >= 1 => match r.sub.kind() {
            HirKind::Literal(l) => vec![l.0.repeat(r.min.min(8) as usize)],
            _ => required(&r.sub)?,
        },
        HirKind::Capture(c) => required(&c.sub)?,
        // Any one part's literals will do: take the fewest, then the longest.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .min_by_key(|l| (l.len(), std::cmp::Reverse(l.iter().map(Vec::len).min().unwrap_or(0))))?,
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for a in alts {
                all.extend(required(a)?);
            }
            all
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Repetition(_) => return None,
    };
    (lits.len() <= MAX_LITERALS).then_some(lits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        required(&regex_syntax::Parser::new().parse(p).unwrap())
            .map(|v| v.into_iter().map(|l| String::from_utf8(l).unwrap()).collect())
    }

    #[test]
    fn finds_the_rare_part() {
        assert_eq!(lits(r"[ \t]*丶[ \t]*"), Some(vec!["丶".to_string()]));
        assert_eq!(lits(r"[ \t]*[|¦][ \t]*"), Some(vec!["|".to_string(), "¦".to_string()]));
        assert_eq!(
            lits(r"[ \t]*(?:\.{3,}|。{3,}|⋯{1,2}|…(?:[ \t]*…)+)[ \t]*"),
            Some(vec!["...".into(), "。。。".into(), "⋯".into(), "…".into()])
        );
        assert_eq!(lits(r"(?m)^[ \t]*$"), None);
        assert_eq!(lits(r"a?b*"), None);
    }

    #[test]
    fn skips_only_texts_without_a_match() {
        let invisible = r"[\u200B-\u200D\u2060\uFEFF\u00AD\x00-\x08\x0B\x0E-\x1F\x7F\u0080-\u009F]+";
        assert!(matches!(prefilter(invisible), Some(Prefilter::FirstBytes(_))));
        for p in [r"[ \t]*丶[ \t]*", r"x(ab|cd)+y?", r"(?i)foo", r"[\u200B-\u200D\u2060]+", invisible] {
            let (ac, re) = (prefilter(p).unwrap(), regex::Regex::new(p).unwrap());
            for t in [
                "",
                "a 丶 b",
                "xcdcd",
                "FoO",
                "x\u{2060}",
                "abc",
                "丁",
                "“软\u{AD}”，",
                "\u{FEFF}",
                "a\x07",
                "—…\u{9F}",
            ] {
                assert!(ac.is_match(t) || !re.is_match(t), "{p} on {t:?}");
            }
        }
    }
}

//! Line patterns: a regex whose every match is confined to one line and starts
//! at the line's start (`(?m)^…`, with no part that can match a line break) is
//! searched line by line, and only on lines whose first byte can start a match.
//!
//! Why: such a rule (`N004`: lines of stray symbols) looks for a rare kind of
//! line, but the regex crate has no line-start prefilter, so its lazy DFA walks
//! every byte of every document in every pass. Here a line starting with a byte
//! no match can start with (a Han character, for most lines) is skipped after
//! one table lookup.
//!
//! Why it is exact: every match starts at a line start and ends before the
//! line's `\n`, so the matches of the whole text are, in order, the matches at
//! the line starts, and at most one starts at each (the iterator resumes past
//! it). Searching the line alone sees the same bytes; `^` and `$` hold at its
//! ends as they do beside the `\n`. Looks that could tell the line from the
//! text (`\A`, `\z`, word boundaries, CRLF mode) make a pattern not qualify.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A line pattern, searched anchored at the start of each candidate line.
pub struct LinePattern {
    /// The rule's pattern anchored at the start of the haystack (`\A(?:…)`),
    /// with the same groups.
    anchored: Regex,
    /// Whether a match can start with this byte.
    first: [bool; 256],
}

impl LinePattern {
    /// The line pattern for `pattern`, or `None` when it does not qualify (or
    /// could match an empty line, which no first byte tells).
    pub fn new(pattern: &str, compile: impl Fn(&str) -> Option<Regex>) -> Option<Self> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let HirKind::Concat(parts) = hir.kind() else { return None };
        if !matches!(parts.first().map(Hir::kind), Some(HirKind::Look(Look::StartLF))) || !within_line(&hir) {
            return None;
        }
        let mut first = [false; 256];
        if first_bytes(&hir, &mut first) {
            return None;
        }
        Some(LinePattern { anchored: compile(&format!(r"\A(?:{pattern})"))?, first })
    }

    /// The pattern anchored at the start of a line.
    pub fn anchored(&self) -> &Regex {
        &self.anchored
    }

    /// The lines of `text` (offset, content without `\n`) where a match may start.
    pub fn candidates<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let mut start = 0;
        let b = text.as_bytes();
        std::iter::from_fn(move || {
            while start <= b.len() {
                let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
                let line = (start, &text[start..end]);
                start = end + 1;
                if b.get(line.0).is_some_and(|&c| self.first[c as usize]) {
                    return Some(line);
                }
            }
            None
        })
    }
}

/// Whether no match of `hir` can contain a line break or depends on more than
/// its line (see the module doc).
fn within_line(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(l) => !l.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => !c.ranges().iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => !c.ranges().iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Look(l) => matches!(l, Look::StartLF | Look::EndLF),
        HirKind::Repetition(r) => within_line(&r.sub),
        HirKind::Capture(c) => within_line(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().all(within_line),
    }
}

/// Marks in `set` every byte a match of `hir` can start with (a superset: a
/// class marks the lead bytes of its whole ranges); returns whether `hir` can
/// match the empty string.
fn first_bytes(hir: &Hir, set: &mut [bool; 256]) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => match l.0.first() {
            Some(&b) => {
                set[b as usize] = true;
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(c)) => {
            let lead = |ch: char| ch.encode_utf8(&mut [0; 4]).as_bytes()[0] as usize;
            for r in c.ranges() {
                set[lead(r.start())..=lead(r.end())].iter_mut().for_each(|b| *b = true);
            }
            false
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                set[r.start() as usize..=r.end() as usize].iter_mut().for_each(|b| *b = true);
            }
            false
        }
        HirKind::Repetition(r) => first_bytes(&r.sub, set) || r.min == 0,
        HirKind::Capture(c) => first_bytes(&c.sub, set),
        HirKind::Concat(parts) => parts.iter().all(|p| first_bytes(p, set)),
        // Every alternative marks its bytes (no short circuit).
        HirKind::Alternation(alts) => {
            let mut empty = false;
            for a in alts {
                empty |= first_bytes(a, set);
            }
            empty
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_pattern(p: &str) -> Option<LinePattern> {
        LinePattern::new(p, |p| Regex::new(p).ok())
    }

    #[test]
    fn qualifies() {
        let noise = r#"(?m)^[ \t]*[|¦*_=~^<>\\#•●■□◆◇○※+`\x27"/-][|¦*_=~^<>\\#•●■□◆◇○※+`\x27"/ \t.-]*$"#;
        assert!(line_pattern(noise).is_some());
        assert!(line_pattern(r"(?m)^[ \t]*(?:>[ \t]*)+").is_some());
        // Not at a line start, across a line break, nullable, or telling the line from the text.
        for p in [r"[|¦]+", r"(?m)^a\s+b", r"(?m)^a\nb", r"(?m)^[ \t]*$", r"(?m)^a\b", r"(?m)^a\z", r"(?m)^a|b"] {
            assert!(line_pattern(p).is_none(), "{p}");
        }
    }

    #[test]
    fn same_matches_as_the_whole_text() {
        let texts = ["", "\n", "| |\n正文。\n  ——\n* *", "正文\n>> 引用\n\n>\n ¦ ¦\n•", "a\n\n|\n"];
        for p in [r#"(?m)^[ \t]*[|¦*•>-][|¦*• \t-]*$"#, r"(?m)^[ \t]*(?:>[ \t]*)+", r"(?m)^(?:\|| )+"] {
            let (lp, re) = (line_pattern(p).expect(p), Regex::new(p).unwrap());
            for t in texts {
                let whole: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
                let lines: Vec<_> = lp
                    .candidates(t)
                    .filter_map(|(off, l)| lp.anchored().find(l).map(|m| off + m.start()..off + m.end()))
                    .collect();
                assert_eq!(whole, lines, "{p} on {t:?}");
            }
        }
    }
}

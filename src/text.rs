//! Character classes and small text helpers shared by the mechanisms.

use memchr::memmem::Finder;
use std::sync::OnceLock;

/// Whether `c` is a Han ideograph (CJK Unified Ideographs, extensions, compatibility).
///
/// The basic block is tested first and everything below U+3007 refused at once:
/// nearly every character of the corpus is one or the other, and the scans that
/// ask per character (wrap spaces, line counts) then take one predictable branch
/// instead of the seven-range test.
#[inline]
pub fn is_han(c: char) -> bool {
    let u = c as u32;
    if (0x4E00..=0x9FFF).contains(&u) {
        return true;
    }
    u >= 0x3007
        && matches!(u, 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F | 0x3007)
}

/// A character of [`walk`]: one of the common Han characters, or another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked {
    /// A character of U+5000..=U+9FFF, most of the basic Han block: Han
    /// ([`is_han`]), wide, never a blank.
    CommonHan,
    /// Any other character.
    Other(char),
}

/// The characters of `s`, those of U+5000..=U+9FFF told by their lead byte
/// alone (`E5` to `E9`) and the others decoded. Why: the loops that count or
/// measure the characters of a line spent most of their time decoding Han
/// characters they only need to know are Han (telling U+4E00..=U+4FFF by a
/// second byte too cost more than it saved on pages).
#[inline]
pub fn walk(s: &str) -> impl Iterator<Item = Walked> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let &lead = b.get(i)?;
        if (0xE5..=0xE9).contains(&lead) {
            i += 3;
            return Some(Walked::CommonHan);
        }
        let c = s[i..].chars().next()?;
        i += c.len_utf8();
        Some(Walked::Other(c))
    })
}

/// Whether `c` is full-width CJK punctuation (`，。、；：？！“”‘’（）《》【】…—` and kin).
#[inline]
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〔'
            | '〕'
            | '…'
            | '—'
            | '·'
            | '～'
    )
}

/// Whether `c` ends a sentence (full- or half-width).
#[inline]
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '；' | ';')
}

/// The last character of `s`, if any.
#[inline]
pub fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

/// The first character of `s`, if any.
#[inline]
pub fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

/// A search for one multi-byte character, built on first use and shared.
///
/// Why: `str::contains(char)` looks for the character's last UTF-8 byte with
/// `memchr` and compares at every hit, and the last byte of a CJK character
/// (`0x80`–`0xBF`) occurs in nearly every character of the corpus; `memmem`
/// picks two rare bytes of the encoding and tests 32 positions at a time.
/// Same answer: UTF-8 is self-synchronising, so the bytes of a character occur
/// in a string only where the character does.
pub struct CharFinder {
    c: char,
    finder: OnceLock<Finder<'static>>,
}

impl CharFinder {
    /// A search for `c`.
    pub const fn new(c: char) -> Self {
        CharFinder { c, finder: OnceLock::new() }
    }

    /// The byte search for `c`'s UTF-8 encoding.
    pub fn finder(&self) -> &Finder<'static> {
        self.finder.get_or_init(|| Finder::new(self.c.encode_utf8(&mut [0; 4]).as_bytes()).into_owned())
    }

    /// Whether `s` contains `c`: `s.contains(c)`.
    pub fn is_in(&self, s: &str) -> bool {
        self.finder().find(s.as_bytes()).is_some()
    }
}

/// U+3000, the ideographic space.
pub static IDEOGRAPHIC_SPACE: CharFinder = CharFinder::new('\u{3000}');
/// `，`, the full-width comma.
pub static FULL_WIDTH_COMMA: CharFinder = CharFinder::new('，');
/// `。`, the ideographic full stop.
pub static IDEOGRAPHIC_FULL_STOP: CharFinder = CharFinder::new('。');

/// Iterates the lines of `text` as `(start, end)` byte spans, excluding the `\n`.
pub fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos > text.len() || (pos == text.len() && !text.is_empty() && text.ends_with('\n')) {
            return None;
        }
        let rest = &text[pos..];
        let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let span = (pos, pos + len);
        pos += len + 1;
        Some(span)
    })
}

/// Byte spans sorted by start, with those that overlap or touch merged into one.
pub fn merge_sorted_spans(spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_tells_most_of_the_basic_han_block_and_decodes_the_rest() {
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let expected = all.chars().map(|c| match c {
            '\u{5000}'..='\u{9FFF}' => Walked::CommonHan,
            c => Walked::Other(c),
        });
        assert!(walk(&all).eq(expected));
    }

    #[test]
    fn char_finder_is_contains() {
        for c in ['\u{3000}', '，', '”', 'a'] {
            let f = CharFinder::new(c);
            for s in ["", "a", "\u{3000}", "一，二", "“引”", "\u{2000}\u{3001}", "终。\u{3000}"] {
                assert_eq!(f.is_in(s), s.contains(c), "{c:?} in {s:?}");
            }
        }
    }

    #[test]
    fn lines_with_and_without_final_newline() {
        assert_eq!(line_spans("a\nbc").collect::<Vec<_>>(), vec![(0, 1), (2, 4)]);
        assert_eq!(line_spans("a\n\nb\n").collect::<Vec<_>>(), vec![(0, 1), (2, 2), (3, 4)]);
        assert_eq!(line_spans("").collect::<Vec<_>>(), vec![(0, 0)]);
    }

    #[test]
    fn han_and_punct() {
        assert!(is_han('干') && !is_han('A') && !is_han('，'));
        assert!(is_cjk_punct('，') && !is_cjk_punct(','));
    }
}

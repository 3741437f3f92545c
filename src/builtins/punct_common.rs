//! Character classes, line-local neighbour lookups and the lines holding some
//! mark ([`lines_at`]), shared by the punctuation builtins.
//!
//! "Chinese context" follows the gold convention of the dev benchmark
//! (`textnorm.punct_to_full`): a mark is Chinese when the nearest non-space
//! character before it is Han or CJK punctuation, or the nearest after it is Han.
//! Neighbours are looked up within the line only, skipping spaces and tabs.

/// Han ideographs: CJK Extension A, the unified block and compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Full-width punctuation used in Chinese prose.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '：'
            | '；'
            | '（'
            | '）'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '、'
            | '…'
            | '—'
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
            | '～'
            | '·'
    )
}

/// Han or CJK punctuation.
pub fn is_cjkish(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// The nearest character before byte `i` on the same line, skipping spaces and
/// tabs, with its byte offset.
pub fn prev_char(text: &str, i: usize) -> Option<(usize, char)> {
    let mut it = text[..i].char_indices().rev();
    for (j, c) in it.by_ref() {
        match c {
            ' ' | '\t' => continue,
            '\n' | '\r' | '\u{c}' => return None,
            _ => return Some((j, c)),
        }
    }
    None
}

/// The nearest character at or after byte `i` on the same line, skipping spaces
/// and tabs, with its byte offset.
pub fn next_char(text: &str, i: usize) -> Option<(usize, char)> {
    for (j, c) in text[i..].char_indices() {
        match c {
            ' ' | '\t' => continue,
            '\n' | '\r' | '\u{c}' => return None,
            _ => return Some((i + j, c)),
        }
    }
    None
}

/// Byte offset where the spaces/tabs before `i` start (same line).
pub fn spaces_before(b: &[u8], i: usize) -> usize {
    let mut s = i;
    while s > 0 && matches!(b[s - 1], b' ' | b'\t') {
        s -= 1;
    }
    s
}

/// Byte offset where the spaces/tabs after `i` end (same line).
pub fn spaces_after(b: &[u8], i: usize) -> usize {
    let mut e = i;
    while e < b.len() && matches!(b[e], b' ' | b'\t') {
        e += 1;
    }
    e
}

/// Lines of `text` as byte ranges (without the line break); form feeds also end a line.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match memchr::memchr2(b'\n', b'\x0c', &b[start..]) {
            Some(k) => {
                let r = (start, start + k);
                start += k + 1;
                Some(r)
            }
            None => {
                done = true;
                Some((start, b.len()))
            }
        }
    })
}

/// The offsets of two ascending sequences in one ascending sequence: the hits of
/// two byte searches (memchr finds at most three bytes at a time) as one.
pub fn merged(a: impl Iterator<Item = usize>, b: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(i), Some(j)) if j < i => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
}

/// The lines of `text` (byte ranges as [`lines`] gives them) that hold one of
/// the ascending byte offsets `at`, each once: a rule that can only change a
/// line holding some mark finds the marks with a byte search over the whole
/// text and skips every other line without looking at it.
pub fn lines_at<'a>(text: &'a str, at: impl Iterator<Item = usize> + 'a) -> impl Iterator<Item = (usize, usize)> + 'a {
    let b = text.as_bytes();
    let mut end = None;
    at.filter_map(move |i| {
        if end.is_some_and(|e| i <= e) {
            return None;
        }
        let s = memchr::memrchr2(b'\n', b'\x0c', &b[..i]).map_or(0, |k| k + 1);
        let e = memchr::memchr2(b'\n', b'\x0c', &b[i..]).map_or(b.len(), |k| i + k);
        end = Some(e);
        Some((s, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_skip_spaces_but_not_lines() {
        let t = "中 , 文\n,x";
        let i = t.find(',').unwrap_or(0);
        assert_eq!(prev_char(t, i).map(|p| p.1), Some('中'));
        assert_eq!(next_char(t, i + 1).map(|p| p.1), Some('文'));
        let j = t.rfind(',').unwrap_or(0);
        assert_eq!(prev_char(t, j), None);
    }

    #[test]
    fn lines_split_on_newline_and_form_feed() {
        let v: Vec<_> = lines("a\nb\x0cc").collect();
        assert_eq!(v, vec![(0, 1), (2, 3), (4, 5)]);
    }

    #[test]
    fn lines_at_gives_each_line_holding_an_offset_once() {
        let t = "a,b,\nno\n,\x0cc,";
        let commas = memchr::memchr_iter(b',', t.as_bytes());
        let v: Vec<_> = lines_at(t, commas).map(|(s, e)| &t[s..e]).collect();
        assert_eq!(v, ["a,b,", ",", "c,"]);
        let m: Vec<_> = merged([1, 4, 9].into_iter(), [2, 4, 10].into_iter()).collect();
        assert_eq!(m, [1, 2, 4, 4, 9, 10]);
    }
}

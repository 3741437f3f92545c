//! Caption sentences that OCR set apart from their credit (a column read
//! before the photo's other half, a credit found rows away or lost): a line of
//! its own holding one sentence that restates a clause of the article
//! (`这个设置非常方便。`, with `…这些用户也包括root。这个设置非常方便，…` in the
//! body) is a caption, and a credit left alone near it is its credit.

use super::super::layout::LineTable;
use super::occurrences::occurrences;
use super::restated::{body_of, squeeze, Squeezed};
use super::{Span, SENTENCE_END};

/// Non-blank characters a sentence set apart needs besides its final mark,
/// Han characters among them: enough that its repetition is no coincidence.
const MIN_CHARS: usize = 8;
const MIN_HAN: usize = 4;

/// The longest page (text between page breaks) searched for sentences set
/// apart, and the longest window: the page with the pages on either side of
/// it, or the page alone, squeezed once.
const PAGE_MAX: usize = 64 << 10;

/// Candidates a page may have: a newspaper page holds a few captions set apart;
/// a page of many short one-sentence paragraphs is prose, and is passed over
/// whole (never in part: which lines were tested must not depend on which
/// were removed, or a second run would find more).
const CANDIDATES_PER_PAGE: usize = 24;

/// The lines of `table` that are a caption sentence set apart, as trimmed spans:
/// - one sentence of `MIN_CHARS` to `max_chars` characters, ending its line;
/// - standing as its own paragraph (after a blank, the text's start or a line
///   ending a sentence);
/// - restating a clause of its page or the pages beside it
///   ([`restates_a_clause`]): its copy is part of a longer sentence, so a
///   sentence printed twice is no caption.
///
/// `free` says whether a span is open to the caption detector (no flag or role on it).
pub(super) fn sentences_apart(
    text: &str,
    table: &LineTable,
    max_chars: usize,
    free: impl Fn(usize, usize) -> bool,
    squeezed: &mut Squeezed,
) -> Vec<Span> {
    let mut found = Vec::new();
    let mut candidates = Vec::new();
    // Page ranges: OCR engines also break a page into parts with form feeds.
    let breaks: Vec<usize> = memchr::memchr_iter(b'\x0c', text.as_bytes()).collect();
    let starts: Vec<usize> = std::iter::once(0).chain(breaks.iter().map(|&b| b + 1)).collect();
    let ends: Vec<usize> = breaks.iter().copied().chain([text.len()]).collect();
    for (p, (&page_start, &page_end)) in starts.iter().zip(&ends).enumerate() {
        candidates.clear();
        let first = table.lines.partition_point(|l| l.start < page_start);
        let last = table.lines.partition_point(|l| l.start <= page_end);
        for i in first..last {
            if let Some(span) = candidate(text, table, i, max_chars) {
                candidates.push(span);
            }
        }
        if candidates.is_empty() || page_end - page_start > PAGE_MAX || candidates.len() > CANDIDATES_PER_PAGE {
            continue;
        }
        // The page with its neighbours, when that is not too long: the article
        // a caption restates may go on across the break.
        let (lo, hi) = (starts[p.saturating_sub(1)], ends[(p + 1).min(ends.len() - 1)]);
        let (lo, hi) = if hi - lo <= PAGE_MAX { (lo, hi) } else { (page_start, page_end) };
        squeezed.set_window(text, lo, hi);
        for &(s, e) in &candidates {
            if free(s, e) && restates_a_clause(text, s, e, squeezed) {
                found.push((s, e));
            }
        }
    }
    found
}

/// The trimmed span of line `i` when it is one sentence of its own paragraph
/// that may have been set apart (the tests of [`sentences_apart`] but the
/// search).
fn candidate(text: &str, table: &LineTable, i: usize, max_chars: usize) -> Option<Span> {
    let f = &table.facts[i];
    // A line of `max_chars` characters has at most four bytes each and a few
    // blanks: longer ones are not counted (most are body paragraphs).
    if f.te - f.ts > 4 * max_chars + 16 {
        return None;
    }
    let (chars, han) = f.counts(text);
    if chars <= MIN_CHARS || chars > max_chars || han < MIN_HAN {
        return None;
    }
    let inner = text[f.ts..f.te].strip_suffix(SENTENCE_END)?;
    if inner.contains(SENTENCE_END) || inner.contains(['；', ';']) {
        return None;
    }
    let own_paragraph = i == 0 || {
        let p = &table.facts[i - 1];
        p.ts == p.te || text[p.ts..p.te].ends_with(SENTENCE_END) || text[p.ts..p.te].ends_with('”')
    };
    own_paragraph.then_some((f.ts, f.te))
}

/// Whether the sentence `text[s..e]` occurs again in the window of `squeezed`
/// (blanks ignored) where the copy is not a whole sentence: something other
/// than a sentence's end comes before it or after it.
fn restates_a_clause(text: &str, s: usize, e: usize, squeezed: &mut Squeezed) -> bool {
    let key = squeeze(body_of(text, s, e));
    let own = squeezed.positions_in_window(text, &[s])[0];
    let bytes = squeezed.bytes();
    let ends_sentence = |c: Option<char>| c.is_none_or(|c| SENTENCE_END.contains(&c));
    occurrences(bytes, &key)
        .filter(|&x| x != own)
        .any(|x| !ends_sentence(char_before(bytes, x)) || !ends_sentence(char_at(bytes, x + key.len())))
}

/// The character ending `b[..x]` (valid UTF-8 up to a character boundary `x`).
fn char_before(b: &[u8], x: usize) -> Option<char> {
    let start = b[..x].iter().rposition(|&c| c & 0xC0 != 0x80)?;
    std::str::from_utf8(&b[start..x]).ok()?.chars().next()
}

/// The character starting at `b[x]` (a character boundary of valid UTF-8).
fn char_at(b: &[u8], x: usize) -> Option<char> {
    let width = match *b.get(x)? {
        c if c < 0x80 => 1,
        c if c >= 0xF0 => 4,
        c if c >= 0xE0 => 3,
        _ => 2,
    };
    std::str::from_utf8(b.get(x..x + width)?).ok()?.chars().next()
}

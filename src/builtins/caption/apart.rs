//! Caption sentences that OCR set apart from their credit (a column read
//! before the photo's other half, a credit found rows away or lost): a line of
//! its own holding one sentence that restates a clause of the article
//! (`这个设置非常方便。`, with `…这些用户也包括root。这个设置非常方便，…` in the
//! body) is a caption, and a credit left alone near it is its credit.

use super::super::layout::LineTable;
use super::restated::{body_of, squeeze, Squeezed};
use super::Span;

/// Marks that end a sentence.
const SENTENCE_END: [char; 5] = ['。', '！', '？', '!', '?'];

/// Non-blank characters a sentence set apart needs besides its final mark,
/// Han characters among them: enough that its repetition is no coincidence.
const MIN_CHARS: usize = 8;
const MIN_HAN: usize = 4;

/// How far around its block a sentence set apart looks for the clause it
/// restates: its article is near it, and a bounded window keeps a long text of
/// short paragraphs linear.
const APART_REACH: usize = 8 << 10;

/// Bytes of a block: the lines starting in one block share a window (from
/// [`APART_REACH`] before its end to as far after it, or a wider one already
/// built).
const BLOCK: usize = APART_REACH / 2;

/// Lines a block may test: a page holds a few captions set apart, a text of
/// short paragraphs many candidates that each cost a search of the window.
const TESTS_PER_BLOCK: usize = 4;

/// The lines of `table` that are a caption sentence set apart, as trimmed spans:
/// - one sentence of `MIN_CHARS` to `max_chars` characters, ending its line;
/// - standing as its own paragraph (after a blank, the text's start or a line
///   ending a sentence);
/// - restating a clause of the text around it ([`restates_a_clause`]): its copy
///   is part of a longer sentence, so a sentence printed twice is no caption.
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
    let (mut block, mut tests) = (usize::MAX, 0);
    for (i, f) in table.facts.iter().enumerate() {
        // A line of `max_chars` characters has at most four bytes each and a
        // few blanks: longer ones are not counted (most are body paragraphs).
        if f.te - f.ts > 4 * max_chars + 16 {
            continue;
        }
        let (chars, han) = f.counts(text);
        if chars <= MIN_CHARS || chars > max_chars || han < MIN_HAN {
            continue;
        }
        let line = &text[f.ts..f.te];
        let inner = line.strip_suffix(SENTENCE_END).filter(|s| !s.contains(SENTENCE_END) && !s.contains(['；', ';']));
        let own_paragraph = i == 0 || {
            let p = &table.facts[i - 1];
            p.ts == p.te || text[p.ts..p.te].ends_with(SENTENCE_END) || text[p.ts..p.te].ends_with('”')
        };
        if inner.is_none() || !own_paragraph || !free(f.ts, f.te) {
            continue;
        }
        if f.ts / BLOCK != block {
            (block, tests) = (f.ts / BLOCK, 0);
        }
        if tests == TESTS_PER_BLOCK {
            continue;
        }
        tests += 1;
        let block_end = (block + 1) * BLOCK;
        squeezed.cover(text, block_end.saturating_sub(APART_REACH), block_end + APART_REACH);
        if restates_a_clause(text, f.ts, f.te, squeezed) {
            found.push((f.ts, f.te));
        }
    }
    found
}

/// Whether the sentence `text[s..e]` occurs again in the window of `squeezed`
/// (blanks ignored) where the copy is not a whole sentence: something other
/// than a sentence's end comes before it or after it.
fn restates_a_clause(text: &str, s: usize, e: usize, squeezed: &mut Squeezed) -> bool {
    let key = squeeze(body_of(text, s, e));
    let own = squeezed.positions_in_window(text, &[s])[0];
    let bytes = &squeezed.bytes;
    let ends_sentence = |c: Option<char>| c.is_none_or(|c| SENTENCE_END.contains(&c));
    memchr::memmem::find_iter(bytes, &key)
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

//! The rows of side-by-side columns that an engine set on the lines of its
//! blocks, as the units [`super::Columns`] puts in column order.
//!
//! rapidocr joins the rows of a text block with spaces. Where the rows of two
//! columns stand at the same height it reads them in turns (`L1 R1 L2 R2`),
//! and where the gutter is narrow it takes a row of each as one box (`L3R3`,
//! about twice a row's width, no space between). A line whose pieces between
//! the spaces at which a row may end (not one between two ASCII characters:
//! `apt show`) are rows of about the page's typical width, pieces of twice it,
//! or the ends of sentences, is cut into its rows; a piece of twice the width
//! is split where a row of that width would end, at the boundary nearest it
//! that cuts no word and starts no row with a closing mark. Whether the rows
//! are then moved is decided by the same evidence as for blocks.

use super::{ends_sentence, width_upto, Block};
use crate::builtins::lexicon::word_across_texts;
use crate::builtins::paragraphs::TITLE;
use crate::rules::{Context, FlagKind};
use crate::text::{walk, Walked};
use unicode_width::UnicodeWidthChar;

/// How far a full row's width may lie from the typical width, as a fraction of
/// it (rows holding Latin letters and digits come out narrower or wider than
/// rows of Han characters).
const ROW_TOLERANCE: f64 = 0.25;

/// The widths, as multiples of the typical width, of a piece that holds the
/// rows of two columns.
const MERGED: (f64, f64) = (1.7, 2.3);

/// How far (display columns) from the typical width a merged piece may be split.
const SPLIT_SLACK: usize = 4;

/// Lines of two rows or more a run needs: one such line is no pattern.
const MIN_ROW_LINES: usize = 2;

/// Pieces of lines of two or more rows a document needs before a typical
/// width is taken from them.
const MIN_PIECES: usize = 6;

/// The narrowest piece (display columns) taken for a row when the typical
/// width is measured: the one-character pieces of a spaced-out headline
/// (`通过 端 口 转 发`) are none.
const MIN_ROW_WIDTH: usize = 12;

/// Marks that never start a printed row (nor end one, for the opening ones),
/// with the ASCII marks an engine reads them as.
const CLOSING: [char; 18] =
    ['，', '。', '、', '；', '：', '？', '！', '）', '”', '’', '》', '」', ',', ';', ':', '?', '!', ')'];
const OPENING: [char; 6] = ['（', '“', '‘', '《', '「', '('];

/// The width of `s` on the page, in display columns: an ASCII mark among Han
/// characters is a full-width one read as ASCII, as wide as a Han character
/// (quotation marks are as wide as `“”`, whose display width is one), and a
/// space inside a piece is the engine's (around a Latin word, between the
/// letters of a justified row), not the page's.
fn width(s: &str) -> usize {
    walk(s).map(walked_width).sum()
}

/// [`char_width`] of a character of [`walk`].
fn walked_width(w: Walked) -> usize {
    match w {
        Walked::CommonHan => 2,
        Walked::Other(c) => char_width(c),
    }
}

/// The width of `c` on the page (see [`width`]). Han characters of the
/// unified block, most of a page, are wide without a table lookup.
fn char_width(c: char) -> usize {
    if matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')' | '\u{4E00}'..='\u{9FFF}') {
        2
    } else if c == ' ' {
        0
    } else {
        c.width().unwrap_or(0)
    }
}

/// The pieces (byte spans) of `text[s..e]` between the spaces at which a row
/// may end: a run of spaces between two characters that are not ASCII, and,
/// against the typical width `m`, one beside an ASCII character when the piece
/// before it is a row's width or two rows' (else it is the spacing an engine
/// sets around a Latin word or number: pdftotext's `允许 ssh 在`). None between two ASCII
/// characters (`apt show`), nor between two single characters: pdftotext
/// spaces out the letters of a justified row (`下 ， 到 该 隧 道`).
fn pieces(text: &str, s: usize, e: usize, m: Option<usize>) -> Vec<(usize, usize)> {
    let line = &text[s..e];
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let single = |t: &str| t.chars().nth(1).is_none();
    while let Some(k) = memchr::memchr(b' ', &line.as_bytes()[i..]) {
        let gap = i + k;
        let after = gap + line[gap..].len() - line[gap..].trim_start_matches(' ').len();
        let before_ascii = line[..gap].chars().next_back().is_some_and(|c| c.is_ascii());
        let after_ascii = line[after..].chars().next().is_some_and(|c| c.is_ascii());
        let next = &line[after..];
        let spaced_out = single(&line[i..gap]) && single(&next[..next.find(' ').unwrap_or(next.len())]);
        let ends_row = match (before_ascii, after_ascii) {
            (false, false) => !spaced_out,
            (true, true) => false,
            _ => m.is_some_and(|m| classify(&line[start..gap], m) != Piece::Other),
        };
        if ends_row {
            if gap > start {
                out.push((s + start, s + gap));
            }
            start = after;
        }
        i = after;
        if i >= line.len() {
            break;
        }
    }
    if start < line.len() {
        out.push((s + start, e));
    }
    out
}

/// The typical row width of the page: the median width of the pieces of lines
/// of two or more pieces (cut where no width is needed to tell), their last
/// left out (it may end a paragraph). `None` when there are too few.
fn typical_width(text: &str) -> Option<usize> {
    let mut widths = Vec::new();
    for (s, e) in crate::builtins::punct_common::lines(text) {
        if memchr::memchr(b' ', &text.as_bytes()[s..e]).is_none() {
            continue;
        }
        let p = pieces(text, s, e, None);
        let rows = p.iter().take(p.len().saturating_sub(1)).map(|&(a, b)| width(&text[a..b]));
        widths.extend(rows.filter(|&w| w >= MIN_ROW_WIDTH));
    }
    if widths.len() < MIN_PIECES {
        return None;
    }
    widths.sort_unstable();
    Some(widths[widths.len() / 2]).filter(|&w| w > 0)
}

/// What a piece of `w` display columns is, against the typical width `m`.
#[derive(PartialEq)]
enum Piece {
    Row,
    Merged,
    Other,
}

/// What the piece `s` is against the typical width `m`. Its width is counted
/// only until it is wider than a merged piece: a whole line of running text
/// is one piece, and any width past that is [`Piece::Other`].
fn classify(s: &str, m: usize) -> Piece {
    // A whole number of columns is wider than a merged piece exactly when it
    // is wider than the whole part of that width.
    let widest = (MERGED.1 * m as f64).floor() as usize;
    let mut w = 0;
    for c in walk(s) {
        w += walked_width(c);
        if w > widest {
            return Piece::Other;
        }
    }
    let (w, m) = (w as f64, m as f64);
    if (w - m).abs() <= ROW_TOLERANCE * m {
        Piece::Row
    } else if w >= MERGED.0 * m {
        Piece::Merged
    } else {
        Piece::Other
    }
}

/// Where to split the merged piece `text[s..e]` into two rows: among the
/// character boundaries within [`SPLIT_SLACK`] display columns of `m` (half
/// the piece: the columns of an article are as wide as each other), one that
/// cuts no word (nor a Latin one) and puts no closing mark at a row's start
/// (nor an opening one at its end) before any other, then the nearest to `m`.
/// Nothing outside the piece decides it, so that whether a word runs on into
/// either row stays evidence for the order.
fn split_point(text: &str, s: usize, e: usize, m: usize) -> Option<usize> {
    let piece = &text[s..e];
    let mut best: Option<((bool, usize), usize)> = None;
    let mut col: usize = 0;
    let mut prev: Option<char> = None;
    for (i, c) in piece.char_indices() {
        if let Some(p) = prev.filter(|_| col.abs_diff(m) <= SPLIT_SLACK) {
            let bad = CLOSING.contains(&c)
                || OPENING.contains(&p)
                || (p.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
                || word_across_texts(&piece[..i], &piece[i..]);
            let key = (bad, col.abs_diff(m));
            if best.is_none_or(|(k, _)| key < k) {
                best = Some((key, s + i));
            }
        }
        col += char_width(c);
        if col > m + SPLIT_SLACK {
            break;
        }
        prev = Some(c);
    }
    best.map(|(_, at)| at)
}

/// A run of rows being gathered, and how many of its lines held two full rows or more.
#[derive(Default)]
struct Run {
    rows: Vec<Block>,
    row_lines: usize,
}

/// Runs of rows: lines of rows (see the module doc) without a role, between
/// which only blank lines stand; a line with a headline, byline, caption or
/// furniture, a blank line where a headline or byline was cut out, a page
/// break or a line of other pieces ends a run, and a byline
/// the column's first row goes on from starts one (it stays in that row).
pub(super) fn runs_of_rows(text: &str, ctx: &Context, min_block: usize, max_row: usize) -> Vec<Vec<Block>> {
    let Some(m) = typical_width(text) else { return Vec::new() };
    let mut runs = vec![Run::default()];
    for (s, e) in crate::builtins::punct_common::lines(text) {
        let line = &text[s..e];
        if line.trim().is_empty() {
            // Where a headline or byline was cut out (`--flagged remove`),
            // another article starts.
            if ctx.removed_in(s, e).any(|r| TITLE.contains(&r.kind)) {
                runs.push(Run::default());
                continue;
            }
            if let Some(last) = runs.last_mut().and_then(|r| r.rows.last_mut()) {
                last.blank_after = true;
            }
            continue;
        }
        let byline_end = ctx.roles_in(s, e).filter(|r| r.start < r.end).try_fold(None, |end: Option<usize>, r| {
            (r.kind == FlagKind::Byline && r.start <= s).then(|| end.max(Some(r.end)))
        });
        let from = match byline_end {
            Some(None) => s,
            Some(Some(be)) if be < e && width_upto(&text[be..e], min_block) >= min_block => {
                runs.push(Run::default());
                be
            }
            _ => {
                runs.push(Run::default());
                continue;
            }
        };
        let mut p = pieces(text, from, e, Some(m));
        if let Some(first) = p.first_mut() {
            first.0 = s;
        }
        let Some(rows) = (!line.contains('\x0c')).then(|| rows_of(text, &p, m)).flatten() else {
            runs.push(Run::default());
            continue;
        };
        let run = runs.last_mut().expect("one run at least");
        run.row_lines += usize::from(rows.iter().filter(|r| r.full).count() >= 2);
        run.rows.extend(rows);
    }
    runs.into_iter()
        .filter(|r| r.row_lines >= MIN_ROW_LINES && r.rows.len() >= 4)
        .map(|r| measured(text, r.rows, max_row))
        .filter(|r| super::median(r, |b| b.width) <= max_row)
        .collect()
}

/// `rows` with their widths, counted up to one more than `max_row`: only for
/// the runs kept, most rows lying in runs too short to put in order.
fn measured(text: &str, mut rows: Vec<Block>, max_row: usize) -> Vec<Block> {
    for b in &mut rows {
        b.width = width_upto(&text[b.start..b.end], max_row + 1);
    }
    rows
}

/// The rows of a line cut into `pieces`, against the typical width `m`;
/// `None` when the line is not one of rows: every piece is a full row, a
/// piece of two beside full rows, or a sentence's end; besides, the last piece
/// of a line of several may be any width (a paragraph's last row) and so may
/// the first of a line of three or more (what a removed byline left of a row).
/// Their widths are left at 0 ([`measured`]).
fn rows_of(text: &str, pieces: &[(usize, usize)], m: usize) -> Option<Vec<Block>> {
    let mut rows = Vec::with_capacity(pieces.len() + 1);
    let kinds: Vec<Piece> = pieces.iter().map(|&(a, b)| classify(&text[a..b], m)).collect();
    // Pieces of twice the width hold two columns' rows only beside single
    // rows: a block of them all is one wide column.
    let beside_rows = kinds.contains(&Piece::Row);
    for (j, (&(a, b), kind)) in pieces.iter().zip(kinds).enumerate() {
        let piece = &text[a..b];
        let last = j + 1 == pieces.len();
        let row = |a: usize, b: usize, line_start: bool, split: bool, full: bool| Block {
            start: a,
            end: b,
            finished: ends_sentence(&text[a..b]),
            width: 0,
            rows: 1,
            row: true,
            blank_after: false,
            line_start,
            split,
            full,
        };
        match kind {
            Piece::Merged if beside_rows => {
                let at = split_point(text, a, b, width(piece) / 2)?;
                rows.push(row(a, at, j == 0, true, true));
                rows.push(row(at, b, false, false, true));
            }
            Piece::Row => rows.push(row(a, b, j == 0, false, true)),
            _ if ends_sentence(piece) || (last && j > 0) || (j == 0 && pieces.len() >= 3) => {
                rows.push(row(a, b, j == 0, false, false));
            }
            Piece::Other | Piece::Merged => return None,
        }
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_are_as_wide_as_the_width_table_says() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(|c| char_width(c) == 2 && c.width() == Some(2)));
    }

    #[test]
    fn a_space_beside_latin_ends_a_row_only_after_a_rows_width() {
        let cut = |t: &str, m| -> Vec<String> {
            pieces(t, 0, t.len(), m).into_iter().map(|(a, b)| t[a..b].to_string()).collect()
        };
        let t = "把本地TCP 被辨认 apt show 软件包 安装";
        assert_eq!(cut(t, None), ["把本地TCP 被辨认 apt show 软件包", "安装"]);
        // Nine columns wide, `把本地TCP` is a row; `被辨认` is not, nor `被辨认 apt show`.
        assert_eq!(cut(t, Some(9)), ["把本地TCP", "被辨认 apt show 软件包", "安装"]);
        // Letters spaced out: one row, as wide as without its spaces.
        let t = "的数据包要 下 ， 到 该 隧 道 的 入 口";
        assert_eq!(cut(t, None), ["的数据包要", "下 ， 到 该 隧 道 的 入 口"]);
        assert_eq!(width("下 ， 到 该 隧 道 的 入 口"), 18);
    }

    #[test]
    fn a_merged_piece_is_split_where_no_word_is_cut() {
        // 接入互联 | 过SSH: the nearest boundary to 48 columns that cuts no word.
        let t = "大多数局域网通过数据包模式而不是连接模式接入互联过SSH隧道建立本地机器和中介机器的连接。在前一种情况";
        let at = split_point(t, 0, t.len(), 47).expect("a split");
        assert_eq!(&t[..at], "大多数局域网通过数据包模式而不是连接模式接入互联");
    }

    #[test]
    fn rows_run_on_across_blank_lines_but_not_where_a_headline_was_cut_out() {
        let line = "甲乙丙丁戊己庚辛壬癸子丑 寅卯辰巳午未申酉戌亥天地 玄黄宇宙洪荒日月盈昃辰宿";
        let text = format!("{line}\n{line}\n\n\n{line}\n{line}\n");
        let blank = 2 * (line.len() + 1);
        assert_eq!(runs_of_rows(&text, &Context::default(), 4, 40).len(), 1);
        let cut = Context::new(vec![crate::rules::Role { start: blank, end: blank, kind: FlagKind::Headline }]);
        let runs = runs_of_rows(&text, &cut, 4, 40);
        assert_eq!(runs.iter().map(Vec::len).collect::<Vec<_>>(), [6, 6]);
    }
}

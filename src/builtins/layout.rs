//! Shared pieces of the layout detectors (`furniture`, `byline`, `caption`,
//! `headline`, `headline-repair`): line splitting, the byline and photo-credit
//! patterns and the syntax of a headline line. Not a builtin itself.
//!
//! Within a pass the five detectors normally see the same text (they only flag),
//! so what they all need about it (its lines with their trimmed spans, counts,
//! pieces and byline marks, and its credits) is computed once, by the first
//! detector that asks, and kept in the pipeline's [`Context`] ([`LayoutCache`])
//! until an edit changes the text.
//!
//! Every pattern tolerates the spaces OCR engines put between characters
//! (`全媒体记 者/蔡桂英摄`), half-width brackets and Tesseract's `〈` for `（`.

use crate::rules::Context;
use crate::text::{is_han, walk, Walked, FULL_WIDTH_COMMA, IDEOGRAPHIC_FULL_STOP, IDEOGRAPHIC_SPACE};
use memchr::memmem::Finder;
use regex::Regex;
use std::borrow::{Borrow, Cow};
use std::cell::OnceCell;
use std::sync::LazyLock;

/// A line of the text: `start..end` without its terminator (`\n` or `\f`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into lines at `\n` and `\f` (a page break ends a line too).
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let mut v = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\x0c', text.as_bytes()) {
        v.push(Line { start, end: i });
        start = i + 1;
    }
    v.push(Line { start, end: text.len() });
    v
}

/// What the layout detectors know about a line, computed once per text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineFacts {
    /// The line without leading and trailing blanks ([`trimmed_span`]); empty when blank.
    pub ts: usize,
    pub te: usize,
    /// Non-blank and Han characters ([`counts`]) of a line of at most
    /// [`HEADLINE_MAX_BYTES`]; a longer line (half the bytes of a page) is
    /// counted only when asked ([`LineFacts::counts`]): the detectors mostly
    /// ask about short lines.
    counted: Option<(usize, usize)>,
    /// [`pieces`] of the line.
    pub pieces: Option<Pieces>,
    /// The [`BYLINE_KEYS`] marks of the line ([`line_marks`]).
    pub marks: u8,
    /// [`is_byline_line`], tried only on lines marked [`MARK_SLASH`].
    pub byline: bool,
    /// [`dateline_end`] of the trimmed line, tried only on lines marked [`MARK_AGENCY`].
    pub dateline: Option<usize>,
}

/// The lines of a text with their [`LineFacts`].
#[derive(Debug, Clone)]
pub(crate) struct LineTable {
    pub lines: Vec<Line>,
    pub facts: Vec<LineFacts>,
}

impl LineTable {
    fn new(text: &str) -> Self {
        let lines = lines(text);
        let marks = line_marks(text, &lines, &BYLINE_KEYS, &BYLINE_KEY_CLASS);
        let facts = lines
            .iter()
            .zip(marks)
            .map(|(&l, marks)| {
                let (ts, te) = trimmed_span(text, l);
                let t = &text[ts..te];
                LineFacts {
                    ts,
                    te,
                    counted: (t.len() <= HEADLINE_MAX_BYTES).then(|| counts(t)),
                    pieces: pieces(t),
                    marks,
                    byline: marks & MARK_SLASH != 0 && is_byline_line(t),
                    dateline: if marks & MARK_AGENCY != 0 { dateline_end(t) } else { None },
                }
            })
            .collect();
        LineTable { lines, facts }
    }
}

impl LineFacts {
    /// [`counts`] of the trimmed line, `text` being the text of the table.
    pub(crate) fn counts(&self, text: &str) -> (usize, usize) {
        self.counted.unwrap_or_else(|| counts(&text[self.ts..self.te]))
    }

    /// Non-blank characters of the trimmed line.
    pub(crate) fn chars(&self, text: &str) -> usize {
        self.counts(text).0
    }
}

/// The [`LineTable`], the [`credits`] and the [`split_credits`] of the text the detectors run on, each
/// built on first use. Keyed by the text's address and length, so that a context
/// reused for another text computes afresh; an edited text may reuse the address,
/// so the pipeline also empties the cache ([`Context::text_changed`]) on every edit.
#[derive(Debug, Clone, Default)]
pub struct LayoutCache {
    table: Keyed<LineTable>,
    credits: Keyed<Vec<(usize, usize)>>,
    split_credits: Keyed<Vec<SplitCredit>>,
}

/// A value computed from a text, with the text's address and length.
type Keyed<T> = OnceCell<((usize, usize), T)>;

/// The cached value of `cell` when it was built for `text`, else a fresh one.
fn cached<'a, T: ?Sized + ToOwned>(
    cell: &'a Keyed<T::Owned>,
    text: &str,
    build: impl Fn(&str) -> T::Owned,
) -> Cow<'a, T> {
    let key = (text.as_ptr() as usize, text.len());
    let (k, v) = cell.get_or_init(|| (key, build(text)));
    if *k == key {
        Cow::Borrowed(v.borrow())
    } else {
        Cow::Owned(build(text))
    }
}

/// The line table of `text`, shared through `ctx`.
pub(crate) fn line_table<'a>(text: &str, ctx: &'a Context) -> Cow<'a, LineTable> {
    cached(&ctx.layout.table, text, LineTable::new)
}

/// The [`credits`] of `text`, shared through `ctx`.
pub(crate) fn shared_credits<'a>(text: &str, ctx: &'a Context) -> Cow<'a, [(usize, usize)]> {
    cached(&ctx.layout.credits, text, credits)
}

/// The [`split_credits`] of `text`, shared through `ctx` (the caption and
/// headline detectors both ask).
pub(crate) fn shared_split_credits<'a>(text: &str, ctx: &'a Context) -> Cow<'a, [SplitCredit]> {
    cached(&ctx.layout.split_credits, text, |t| split_credits(t, &shared_credits(t, ctx)))
}

/// `s` without leading and trailing blanks (U+3000 included).
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// The span of `line` in `text` without leading and trailing blanks.
pub(crate) fn trimmed_span(text: &str, l: Line) -> (usize, usize) {
    let s = &text[l.start..l.end];
    let lead = s.len() - s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}').len();
    let t = trim(s);
    (l.start + lead, l.start + lead + t.len())
}

/// Number of non-blank characters and of Han characters in `s`.
pub(crate) fn counts(s: &str) -> (usize, usize) {
    let mut n = 0;
    let mut han = 0;
    // Han first: most characters are, and no Han character is a blank.
    for w in walk(s) {
        match w {
            Walked::CommonHan => {
                n += 1;
                han += 1;
            }
            Walked::Other(c) if is_han(c) => {
                n += 1;
                han += 1;
            }
            Walked::Other(c) => n += usize::from(!is_blank_char(c)),
        }
    }
    (n, han)
}

// Keyword spellings with optional blanks between the characters.
// At most four characters before the paper's kind: `常用指令 株洲日报讯（…` is a
// headline glued to a dateline, not the paper `常用指令株洲日报`.
/// The kind of paper a name ends in (`日报`, `晚报`, …); `日` also as small print
/// reads it (`白`, `曰`, `目`: `九疑白报记者/…`).
pub(crate) const PAPER_KIND: &str =
    r"(?:[日曰白目]\s*报|晚\s*报|都\s*市\s*报|晨\s*报|早\s*报|时\s*报|商\s*报|青\s*年\s*报|法\s*治\s*报|法\s*制\s*报)";
/// The name before the kind: at most four characters.
const PAPER_NAME: &str = r"(?:\p{Han}\s*){1,4}?";
const ROLE: &str = r"(?:(?:全\s*媒\s*体|融\s*媒\s*体|特\s*约|实\s*习|本\s*报|新\s*华\s*社)\s*)?(?:记\s*者|通\s*讯\s*员|实\s*习\s*生|摄\s*影(?:\s*记\s*者)?)";
const NAME: &str = r"\s*[/／]\s*\p{Han}(?:\s?\p{Han}){1,3}?";
const OPEN: &str = r"[（(〈<《]";
const CLOSE: &str = r"[）)〉>》]";

/// A stand-alone byline line: `株洲日报全媒体记者/杨凌凌 通讯员/钟兴`, `（记者/张三）`.
pub(crate) static BYLINE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(
        r"^\s*(?:{PAPER_NAME}{PAPER_KIND}\s*(?:讯\s*)?)?{OPEN}?\s*{ROLE}{NAME}(?:[\s、，,]*{ROLE}?{NAME})*\s*{CLOSE}?\s*$"
    );
    Regex::new(&p).expect("byline line pattern")
});

/// A dateline opening a paragraph: `湘东日报讯（记者/… 通讯员/…）`, `本报讯`,
/// `新华社北京11月14日电`, with the bracketed credit when present (also when cut off).
pub(crate) static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(
        r"^\s*(?:{PAPER_NAME}{PAPER_KIND}\s*讯|本\s*报\s*讯|(?:新\s*华\s*社|中\s*新\s*社)\s*(?:\p{{Han}}\s*){{0,8}}?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*电)\s*(?:{OPEN}[^）)〉>》\n\f]{{0,48}}{CLOSE}?)?"
    );
    Regex::new(&p).expect("dateline pattern")
});

/// The last character of an organisation credited for a photo (`宣传部`, `融媒体中心`).
const ORG_END: &str = "局部办委院所心队站会司厂团馆台校处科组社府庭行者方家区县市镇村";

/// Photo credits led by a keyword: `记者/杨凌凌 摄`, `图/新华社`, `（新华社发）`.
/// Organisation credits (`芦淞区委宣传部 供图`) are matched by [`org_credit`]: as a
/// pattern their leading `(?:\p{Han}\s?){0,9}` makes the lazy DFA build states
/// at every Han character of an unanchored search.
pub(crate) static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    let photo = format!(r"{ROLE}{NAME}\s*(?:[/／]\s*)?[摄报攝]");
    let tu = r"(?:图\s*[/／]\s*(?:\p{Han}\s?){2,8})";
    let xinhua =
        format!(r"{OPEN}\s*(?:新\s*华\s*社|中\s*新\s*社)(?:\s*记\s*者\s*(?:\p{{Han}}\s?){{2,4}})?\s*[发摄]\s*{CLOSE}");
    Regex::new(&format!(r"(?:{photo}|{tu}|{xinhua})")).expect("credit pattern")
});

/// The organisation credit around the `供` at `at`, not starting before `lo`:
/// up to nine Han characters (letter-spaced pieces included) ending in an
/// [`ORG_END`] character, then `供图`, or `供` alone at the end of its line after a
/// blank (`宣传部 供`, its `图` lost).
fn org_credit(text: &str, at: usize, lo: usize) -> Option<(usize, usize)> {
    let rest = &text[at + '供'.len_utf8()..];
    let before = &text[..at];
    let org = before.trim_end_matches(char::is_whitespace);
    let spaced = org.len() < before.len();
    let tail = rest.trim_start_matches(char::is_whitespace);
    let end = if tail.starts_with('图') {
        text.len() - tail.len() + '图'.len_utf8()
    } else if spaced
        && (rest.trim_start_matches([' ', '\t', '\u{3000}', '\r']).starts_with(['\n', '\x0c']) || rest.is_empty())
    {
        at + '供'.len_utf8()
    } else {
        return None;
    };
    let last = org.chars().next_back().filter(|&c| ORG_END.contains(c))?;
    let mut start = org.len() - last.len_utf8();
    let mut taken = 1;
    while taken < 10 {
        let head = &text[lo.min(start)..start];
        let mut cs = head.chars().rev();
        match cs.next() {
            Some(c) if is_han(c) => {
                start -= c.len_utf8();
                taken += 1;
            }
            // A blank inside the name is letter-spacing when a piece beside it is
            // one or two characters (`区委宣传 部供图`, `市委 宣传部供图`); between
            // longer runs it separates the body text from the credit
            // (`这将使我们能够 市交通运输局供图`).
            Some(w) if w.is_whitespace() && cs.clone().next().is_some_and(is_han) => {
                let piece: Vec<char> = cs.clone().take_while(|&c| is_han(c)).take(3).collect();
                // A piece of the name stands apart from what is before it, or
                // follows the caption's end (`…文档）。市委 宣传部供图`); one after
                // a comma ends a body clause (`文件，并通 文旅局 供图`).
                let set_off = cs.find(|&c| !is_han(c)).is_none_or(|c| {
                    is_blank_char(c)
                        || matches!(c, '（' | '(' | '〈' | '。' | '！' | '？' | '；' | '!' | '?' | '）' | '”')
                });
                if taken <= 2 {
                    start -= w.len_utf8();
                } else if piece.len() <= 2 && set_off {
                    start -= w.len_utf8() + piece.iter().map(|c| c.len_utf8()).sum::<usize>();
                    break;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    Some((start, end))
}

/// Where any of `keys` occurs in `text`: (byte offset, key index), sorted by offset.
/// One SIMD substring search per key; a multi-pattern automaton would test every
/// lead byte of the Han text, since `/` and the keys' first bytes are so common.
pub(crate) fn find_keys(text: &str, keys: &[Finder<'static>]) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = Vec::new();
    for (k, f) in keys.iter().enumerate() {
        v.extend(f.find_iter(text.as_bytes()).map(|at| (at, k)));
    }
    v.sort_unstable();
    v
}

/// Finders for `keys`, for [`find_keys`] and [`line_marks`].
pub(crate) fn finders(keys: &[&'static str]) -> Vec<Finder<'static>> {
    keys.iter().map(|k| Finder::new(k.as_bytes())).collect()
}

/// For each line of `ls`, the OR of `class[k]` over the keys `k` it holds; a class
/// (one of the low four bits) seen twice in a line also sets that bit shifted
/// left by four. One SIMD search per key and a cursor over the lines: linear.
pub(crate) fn line_marks(text: &str, ls: &[Line], keys: &[Finder<'static>], class: &[u8]) -> Vec<u8> {
    let mut marks = vec![0u8; ls.len()];
    for (f, &c) in keys.iter().zip(class) {
        let mut li = 0;
        for at in f.find_iter(text.as_bytes()) {
            while ls[li].end < at {
                li += 1;
            }
            marks[li] |= if marks[li] & c != 0 { c << 4 } else { c };
        }
    }
    marks
}

/// Characters every credit contains: the slash before a name (`记者/…`, `图/…`),
/// `供` (`供图`), `社` (`（新华社发）`), `摄` (`张三 摄`) and the first word of a
/// stock credit (`资料图`, `网络图片`). The credit pattern is only tried in a
/// small window around an anchor that passes [`anchor_may_credit`].
const CREDIT_ANCHORS: [&str; 7] = ["/", "／", "供", "社", "摄", "资料", "网络"];
static CREDIT_FINDERS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(&CREDIT_ANCHORS));

/// Bytes searched on either side of a credit anchor (a credit is at most ~15 characters
/// before its slash or `供`, and a few after it).
const CREDIT_WINDOW: usize = 48;

/// A blank: whitespace, U+3000 included.
pub(crate) fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The cheap test an anchor at `at..at + len` must pass before the pattern is tried.
fn anchor_may_credit(text: &str, at: usize, len: usize) -> bool {
    let before = || text[..at].chars().rev().find(|&c| !is_blank_char(c));
    let mut after = text[at + len..].chars().filter(|&c| !(c == ' ' || c == '\u{3000}' || c == '\t'));
    match &text[at..at + len] {
        // `区委宣传部 供图`, not `提供图形界面`.
        "供" => {
            before().is_some_and(|c| ORG_END.contains(c))
                && matches!(after.next(), Some('图' | '\n' | '\x0c' | '\r') | None)
        }
        // `（新华社发）`, `（新华社记者 张三 摄）`: not `社区开发`.
        "社" => match after.next() {
            Some('发' | '摄') => after.next().is_some_and(|c| matches!(c, '）' | ')' | '〉' | '>' | '》')),
            Some('记') => true,
            _ => false,
        },
        // `资料图`, `网络图片` ([`stock_credit`]), not `资料显示`, `网络接口`.
        "资料" | "网络" => STOCK_CREDIT.is_match(&text[at..]),
        // `张三 摄`, `本报记者 张三 摄`: the credit's end ([`named_credit`]), not
        // `摄影` or `拍摄的`.
        "摄" => matches!(after.next(), Some('\n' | '\x0c' | '\r' | '）' | ')') | None) && before().is_some_and(is_han),
        // `图/新华社`, or a role's slash with `摄` after the name (`记者/杨凌凌 摄`),
        // not a byline (`记者/肖艳 通讯员/…`).
        _ => match before() {
            Some('图') => true,
            Some('者' | '员' | '生' | '影') => {
                text[at + len..].chars().take(12).any(|c| matches!(c, '摄' | '报' | '攝'))
            }
            _ => false,
        },
    }
}

/// Roles a credit without a slash may name before the photographer (`本报记者 张三 摄`).
const ROLE_WORDS: [&str; 4] = ["摄影记者", "记者", "通讯员", "摄影"];

/// The credit ending in the `摄` at `at` that names the photographer without a
/// slash, not starting before `lo`: a name of two to four Han characters set
/// off from what comes before it (the line's start, a blank, an opening
/// bracket), optionally led by a role and a blank (`本报记者 张三 摄`,
/// `新华社记者 李四 摄`), then `摄` after at most one blank at the end of its
/// line or before a closing bracket (`张三 摄`, `（张三摄）`). Prose that names
/// a photographer (`由张三拍摄`) has no such boundary.
fn named_credit(text: &str, at: usize, lo: usize) -> Option<(usize, usize)> {
    let before = &text[lo..at];
    let name_end = before.trim_end_matches([' ', '\u{3000}']);
    if before.len() - name_end.len() > '\u{3000}'.len_utf8() {
        return None;
    }
    let han_run = |s: &str| s.len() - s.trim_end_matches(is_han).len();
    let name_start = name_end.len() - han_run(name_end);
    let name = &name_end[name_start..];
    if !(2..=4).contains(&name.chars().count()) {
        return None;
    }
    // `拍摄`, `抓拍 摄`: the verb, not a name and a credit's mark.
    if name.chars().next_back().is_some_and(|c| super::lexicon::has_chars([c, '摄'])) {
        return None;
    }
    // Not after a sentence's end without a blank: OCR glues body text to a
    // credit beside it (`…文件系统。所孔轶兴摄`).
    let set_off = |s: &str| s.chars().next_back().is_none_or(|c| is_blank_char(c) || matches!(c, '（' | '(' | '〈'));
    let head = &name_end[..name_start];
    if !set_off(head) {
        return None;
    }
    // A role and a blank before the name: the role starts the credit.
    let role = head.trim_end_matches([' ', '\u{3000}']);
    let role_start = role.len() - han_run(role);
    let start = match ROLE_WORDS.iter().find(|w| role.ends_with(*w)) {
        Some(_) if role.len() < head.len() && role.len() - role_start <= 6 * 3 && set_off(&role[..role_start]) => {
            role_start
        }
        _ => name_start,
    };
    // `（张三摄）`: the brackets are the credit's.
    let (start, end) = (lo + start, at + '摄'.len_utf8());
    let open = text[..start].chars().next_back().filter(|&c| matches!(c, '（' | '('));
    match (open, text[end..].chars().next()) {
        (Some(o), Some(c @ ('）' | ')'))) => Some((start - o.len_utf8(), end + c.len_utf8())),
        _ => Some((start, end)),
    }
}

/// A stock credit, from its first word: a file or web picture (`资料图`,
/// `资料图片`, `资料照片`, `网络图片`, `网络配图`), with the `供图` some papers add
/// (`资料图 供图`).
static STOCK_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    let b = r"[ \u{3000}]?";
    Regex::new(&format!(
        r"^(?:资料{b}(?:图(?:{b}片)?|照{b}片)|网络{b}(?:图{b}片|配{b}图))(?:[ \u{{3000}}]{{0,2}}供{b}图)?"
    ))
    .expect("stock credit pattern")
});

/// The stock credit ([`STOCK_CREDIT`]) starting at `at`, set off from what
/// comes before it (the line's start, a blank, a mark or an opening bracket,
/// not Han text or a letter: `请看资料图片` is prose), with its brackets when it
/// has them (`（资料图）`).
fn stock_credit(text: &str, at: usize) -> Option<(usize, usize)> {
    let m = STOCK_CREDIT.find(&text[at..])?;
    let before = text[..at].chars().next_back();
    if before.is_some_and(|c| is_han(c) || c.is_alphanumeric()) {
        return None;
    }
    let end = at + m.end();
    match (before, text[end..].chars().next()) {
        (Some(o @ ('（' | '(')), Some(c @ ('）' | ')'))) => Some((at - o.len_utf8(), end + c.len_utf8())),
        _ => Some((at, end)),
    }
}

/// The largest char boundary of `s` at or below `i`.
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a credit may be: the anchors of `text` that pass the one-character test
/// (byte offsets and lengths, in order). Enough to tell a line holding a credit.
pub(crate) fn credit_anchors(text: &str) -> Vec<(usize, usize)> {
    find_keys(text, &CREDIT_FINDERS)
        .into_iter()
        .map(|(at, k)| (at, CREDIT_ANCHORS[k].len()))
        .filter(|&(at, len)| anchor_may_credit(text, at, len))
        .collect()
}

/// The credits in `text` whose end is at a boundary (not followed by a Han
/// character), in order and without overlap. Linear: the pattern runs only in a
/// window around the rare anchors that pass a one-character test.
pub(crate) fn credits(text: &str) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = Vec::new();
    for (at, len) in credit_anchors(text) {
        if v.last().is_some_and(|&(_, e)| e > at) {
            continue;
        }
        let lo = floor_boundary(text, at.saturating_sub(CREDIT_WINDOW)).max(v.last().map_or(0, |&(_, e)| e));
        let hi = floor_boundary(text, at + len + CREDIT_WINDOW);
        let found = if &text[at..at + len] == "供" {
            org_credit(text, at, lo)
        } else if &text[at..at + len] == "摄" {
            named_credit(text, at, lo)
        } else if matches!(&text[at..at + len], "资料" | "网络") {
            stock_credit(text, at)
        } else {
            CREDIT.find_iter(&text[lo..hi]).map(|m| (lo + m.start(), lo + m.end())).find(|&(s, e)| s <= at && at < e)
        };
        if let Some((s, e)) = found {
            // `提供图片`: a credit glued to the Han text after it is body text.
            if !text[e..].chars().next().is_some_and(is_han) {
                v.push((s, e));
            }
        }
    }
    v
}

/// A photo credit led by a role, whole (`全媒体记者/孔轶兴 摄`): what the two
/// halves of a [`SplitCredit`] must make together.
static ROLE_CREDIT_WHOLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{ROLE}{NAME}\s*(?:[/／]\s*)?[摄攝]$")).expect("whole credit pattern"));

/// The characters a role starts with (`全媒体记者`, `通讯员`, `记者`, …): the
/// first character of a [`SplitCredit`]'s head.
const ROLE_START: &str = "全融特实本新记通摄";

/// A photo credit that the column beside it cut in two: its head ends a row
/// (`…封包问题。 通讯`, `…逻辑卷。 全媒体记者/`) and its tail ends one of the
/// next rows (`员/许秀雨 摄`, `…所 孔轶兴 摄`, `…axi媒体记者/周红红 摄`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SplitCredit {
    pub head: (usize, usize),
    pub tail: (usize, usize),
}

/// Rows above a split credit's tail its head may end.
const SPLIT_CREDIT_ROWS: usize = 3;

/// Rows above a split credit's tail its head may end when the tail is a bare
/// name alone on its row (`洲桂 摄`) and the head ends in a role, a slash and
/// the name's first characters (`…会话。 记者/杨`): each half then shows it is
/// a part, so the search reaches further.
const SPLIT_NAME_ROWS: usize = 8;

/// Whether `row` is one to three Han characters and `摄`, blanks aside (`洲桂 摄`).
fn is_bare_name_row(row: &str) -> bool {
    let mut han = 0;
    for c in trim(row).trim_end_matches(['摄', '攝']).chars().filter(|&c| !is_blank_char(c)) {
        if !is_han(c) {
            return false;
        }
        han += 1;
    }
    (1..=3).contains(&han)
}

/// Whether `head` ends in a role's slash and one or two Han characters (`记者/杨`).
fn ends_in_named_role(head: &str) -> bool {
    let Some(k) = head.rfind(['/', '／']) else { return false };
    let name = head[k..].trim_start_matches(['/', '／']);
    (1..=2).contains(&name.chars().count()) && name.chars().all(is_han) && has_role_slash(head)
}

/// The credits of `text` split over two rows, in order. `credits` are the whole
/// ones; one glued after Han text (`axi媒体记者/…`) may be the tail of a split
/// one. Evidence: the head is the end of a row (or the run before a piece of
/// body, [`cut_by_body_piece`]) that starts like a role, after a blank, a mark
/// or the row's start; the tail is a run ending in `摄` at the
/// end of its row or before a blank; together, blanks aside, they are a
/// whole role credit and neither is one alone. An organisation's credit cut
/// before its `图` (`市交通运输局 供` / `… 图`) is one too. Linear: only a `摄` ending a run
/// is looked at, and only a row ending in a role's first characters is tried.
fn split_credits(text: &str, credits: &[(usize, usize)]) -> Vec<SplitCredit> {
    let mut found: Vec<SplitCredit> = Vec::new();
    let mut joined = String::new();
    for at in memchr::memmem::find_iter(text.as_bytes(), "摄".as_bytes()) {
        let end = at + "摄".len();
        if text[end..].chars().next().is_some_and(|c| !is_blank_char(c)) || found.last().is_some_and(|f| f.tail.1 > at)
        {
            continue;
        }
        let row_start = text[..at].rfind(['\n', '\x0c']).map_or(0, |k| k + 1);
        let tails = tail_starts(text, row_start, at);
        if let Some(split) = cut_by_body_piece(text, row_start, &tails, end, &mut joined) {
            found.push(split);
            continue;
        }
        // `credits` are in order and apart: the one that may hold `at` is the
        // last starting at or before it (a search, not a scan per `摄`).
        let whole = credits[..credits.partition_point(|&(s, _)| s <= at)].last().filter(|&&(_, e)| at < e);
        // A whole credit, not glued to the text before it; a name alone (`洲桂
        // 摄`) may still be the tail of a split one.
        if whole.is_some_and(|&(s, e)| {
            !text[..s].chars().next_back().is_some_and(is_han) && text[s..e].contains(['/', '／'])
        }) {
            continue;
        }
        let rows = if is_bare_name_row(&text[row_start..end]) { SPLIT_NAME_ROWS } else { SPLIT_CREDIT_ROWS };
        'rows: for (row, (hs, he)) in row_ends_above(text, row_start, rows).into_iter().enumerate() {
            for head in head_starts(text, hs, he) {
                if row >= SPLIT_CREDIT_ROWS && !ends_in_named_role(&text[head..he]) {
                    continue;
                }
                for &ts in tails.iter().filter(|&&ts| !ROLE_CREDIT_WHOLE.is_match(&text[ts..end])) {
                    if make_whole_credit(&text[head..he], &text[ts..end], &mut joined) {
                        found.push(SplitCredit { head: (head, he), tail: (ts, end) });
                        break 'rows;
                    }
                }
            }
        }
    }
    // An organisation's credit ending its row in `供`, whose `图` ends one of the
    // next rows after a blank (`…市交通运输局 供` / `改整合到仓库 图`).
    for &(s, e) in credits.iter().filter(|&&(s, e)| text[s..e].ends_with('供')) {
        let rest = &text[e..];
        let row_end = rest.find(['\n', '\x0c']).map_or(text.len(), |k| e + k);
        if !text[e..row_end].chars().all(is_blank_char) || text[row_end..].starts_with('\x0c') {
            continue;
        }
        let below = row_ends_below(text, row_end, SPLIT_CREDIT_ROWS);
        let tail = below.iter().find_map(|&(rs, re)| {
            let before = text[rs..re].strip_suffix('图')?;
            (before.is_empty() || before.ends_with(is_blank_char)).then(|| (re - '图'.len_utf8(), re))
        });
        if let Some(tail) = tail {
            found.push(SplitCredit { head: (s, e), tail });
        }
    }
    found.sort_unstable_by_key(|f| f.head);
    found
}

/// Whether `head` followed by `tail` is a whole role credit; `joined` is the
/// buffer they are joined in.
fn make_whole_credit(head: &str, tail: &str, joined: &mut String) -> bool {
    joined.clear();
    joined.push_str(head);
    joined.push_str(tail);
    ROLE_CREDIT_WHOLE.is_match(joined)
}

/// The shortest body piece that may stand between the halves of a credit cut on
/// its own row, in characters.
const CUTTING_PIECE_MIN_CHARS: usize = 4;

/// A credit the body beside it cut apart: OCR read a caption floated in the
/// column together with the body rows around it, piece by piece. On the
/// credit's own row (`…信息。全媒体` / `话，比较建议对这项服务的` / `记者/何超芳摄`),
/// the head is the end of the run two runs before the tail (one of `tails`,
/// after a blank); when the tail starts its row (`…信息。 全媒体 话，比较建议对这项服务的`
/// / `记者/何超芳 摄`), the head is the run before the last of the row above.
/// The run between is a piece of body, and head and tail together are a longer
/// whole role credit than the tail alone (which may be whole: `记者/…` is cut
/// from `全媒体`).
fn cut_by_body_piece(
    text: &str,
    row_start: usize,
    tails: &[usize],
    end: usize,
    joined: &mut String,
) -> Option<SplitCredit> {
    let starts_row = |ts: usize| text[row_start..ts].chars().all(is_blank_char);
    let above = || row_ends_above(text, row_start, 1).first().copied();
    for &ts in tails {
        let (hs, piece_end) = if starts_row(ts) {
            above()?
        } else if text[..ts].ends_with(is_blank_char) {
            (row_start, ts)
        } else {
            continue;
        };
        let row = text[hs..piece_end].trim_end_matches(is_blank_char);
        let mut runs = row.rsplit(is_blank_char).filter(|r| !r.is_empty());
        let (Some(between), Some(head_run)) = (runs.next(), runs.next()) else { continue };
        if between.chars().count() < CUTTING_PIECE_MIN_CHARS {
            continue;
        }
        let he = hs + (head_run.as_ptr() as usize - row.as_ptr() as usize) + head_run.len();
        for head in head_starts(text, he - head_run.len(), he) {
            if make_whole_credit(&text[head..he], &text[ts..end], joined)
                && !ROLE_CREDIT_WHOLE.is_match(&text[head..he])
            {
                return Some(SplitCredit { head: (head, he), tail: (ts, end) });
            }
        }
    }
    None
}

/// The `rows` non-blank rows below the line ending at `row_end`, nearest first,
/// each as its start and its end without trailing blanks; a page break ends them.
fn row_ends_below(text: &str, row_end: usize, rows: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = row_end + 1;
    while out.len() < rows && start <= text.len() && text[..start].ends_with('\n') {
        let end = text[start..].find(['\n', '\x0c']).map_or(text.len(), |k| start + k);
        let row = text[start..end].trim_end_matches(is_blank_char);
        if !row.trim_start_matches(is_blank_char).is_empty() {
            out.push((start, start + row.len()));
        }
        start = end + 1;
    }
    out
}

/// Where the tail of a split credit ending at the `摄` at `at` may start, the
/// longest first: the row's first character, one after a blank, or one glued to
/// the text before it when a slash follows (`…axi媒体记者/周红红 摄`), within a
/// credit's length of `at`.
fn tail_starts(text: &str, row_start: usize, at: usize) -> Vec<usize> {
    let lo = floor_boundary(text, at.saturating_sub(3 * 14)).max(row_start);
    let row = &text[lo..at];
    let first = lo + (row.len() - row.trim_start_matches(is_blank_char).len());
    let mut starts = Vec::new();
    for (i, c) in row.char_indices() {
        let pos = lo + i;
        if pos < first || is_blank_char(c) {
            continue;
        }
        let after_blank = row[..i].chars().next_back().is_some_and(is_blank_char);
        let slash_after = row[i..].contains(['/', '／']);
        if (lo == row_start && pos == first) || after_blank || slash_after {
            starts.push(pos);
        }
    }
    starts
}

/// The `rows` non-blank rows above the row starting at `row_start`, nearest
/// first, each as its start and its end without trailing blanks.
fn row_ends_above(text: &str, row_start: usize, rows: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut end = row_start;
    while out.len() < rows && end > 0 {
        let above = &text[..end - 1];
        if above.ends_with('\x0c') || text[end - 1..].starts_with('\x0c') {
            break; // a page break ends the search
        }
        let start = above.rfind(['\n', '\x0c']).map_or(0, |k| k + 1);
        let trimmed = above[start..].trim_end_matches(is_blank_char);
        if !trimmed.is_empty() {
            out.push((start, start + trimmed.len()));
        }
        end = start;
    }
    out
}

/// Where the head of a split credit may start in the row `hs..he`, the longest
/// first: a role's first character within six characters of the row's end,
/// at the row's start or after a blank or a mark (`推广。通讯员`).
fn head_starts(text: &str, hs: usize, he: usize) -> impl Iterator<Item = usize> + '_ {
    let lo = floor_boundary(text, he.saturating_sub(3 * 6)).max(hs);
    text[lo..he]
        .char_indices()
        .map(move |(i, c)| (lo + i, c))
        .filter(move |&(pos, c)| {
            ROLE_START.contains(c)
                && (pos == hs || text[..pos].chars().next_back().is_some_and(|p| !is_han(p) && !p.is_alphanumeric()))
        })
        .map(|(pos, _)| pos)
}

/// Whether `t` has a slash after a role (`记者/`, `通讯员 /`), as every byline does.
fn has_role_slash(t: &str) -> bool {
    let role_before = |at: usize| {
        t[..at].chars().rev().find(|&c| !is_blank_char(c)).is_some_and(|c| matches!(c, '者' | '员' | '生' | '影'))
    };
    memchr::memchr_iter(b'/', t.as_bytes()).any(role_before) || t.match_indices('／').any(|(at, _)| role_before(at))
}

/// Keys of bylines and datelines for [`line_marks`]: a byline needs a slash
/// ([`MARK_SLASH`]), a dateline `讯` or `电` ([`MARK_AGENCY`]).
pub(crate) static BYLINE_KEYS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(&["/", "／", "讯", "电"]));
pub(crate) const MARK_SLASH: u8 = 1;
pub(crate) const MARK_AGENCY: u8 = 2;
pub(crate) const BYLINE_KEY_CLASS: [u8; 4] = [MARK_SLASH, MARK_SLASH, MARK_AGENCY, MARK_AGENCY];

/// Whether a line is a stand-alone byline.
pub(crate) fn is_byline_line(s: &str) -> bool {
    let t = trim(s);
    !t.is_empty() && t.len() < 160 && has_role_slash(t) && BYLINE_LINE.is_match(t)
}

/// Whether a byline line is cut at its end and goes on in the next row of its
/// column: it ends in a role's slash (`…通讯员/`) or leaves a bracket open
/// (`南岭都市报讯（记`).
pub(crate) fn byline_cut(s: &str) -> bool {
    let t = trim(s);
    let opened = t.matches(['（', '(']).count();
    t.ends_with(['/', '／']) || opened > t.matches(['）', ')']).count()
}

/// The end (relative to `s`) of a dateline opening `s`, if any.
pub(crate) fn dateline_end(s: &str) -> Option<usize> {
    // Every dateline names its paper (`…报讯`) or agency (`新华社…电`) within its
    // first dozen characters.
    let head = &s.as_bytes()[..floor_boundary(s, 60)];
    let named = memchr::memchr2_iter(0xE6, 0xE7, head).any(|i| {
        let w = &head[i..(i + 3).min(head.len())];
        w == "报".as_bytes() || w == "社".as_bytes()
    });
    if !named {
        return None;
    }
    DATELINE.find(s).map(|m| {
        let t = &s[..m.end()];
        t.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{3000}').len()
    })
}

/// A dateline of a paper not at the start of its line (`… 株洲日报讯（`).
static DATELINE_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\s(?:\p{{Han}}\s*){{1,6}}?{PAPER_KIND}\s*讯\s*[（(〈]")).expect("dateline pattern")
});

/// Where the short headline glued before a dateline on its line ends
/// (`常用指令 株洲日报讯（…`, `设置 株洲日报讯（…`): its text, before a blank,
/// reads like a headline of at most 20 characters. A letter-spaced paper name
/// (`株 洲日报讯`) leaves one character, which is no headline.
pub(crate) fn glued_headline_end(line: &str) -> Option<usize> {
    let m = line.contains('讯').then(|| DATELINE_ANYWHERE.find(line)).flatten()?;
    let head = trim(&line[..m.start()]);
    (m.start() > 0 && !head.is_empty() && is_headline_syntax(head) && counts(head).0 <= 20)
        .then(|| line[..m.start()].trim_end().len())
}

/// Whether `s` reads like a headline line: short, without sentence punctuation.
pub(crate) fn is_headline_syntax(s: &str) -> bool {
    let t = trim(s);
    headline_syntax(t, || counts(t))
}

/// Bytes of the longest headline line: at most 34 characters of 4 bytes and a
/// few dozen typeset blanks.
pub(crate) const HEADLINE_MAX_BYTES: usize = 200;

/// [`is_headline_syntax`] of a trimmed line with its [`counts`], asked for
/// only when it is short enough to be a headline.
pub(crate) fn headline_syntax(t: &str, counts: impl FnOnce() -> (usize, usize)) -> bool {
    if t.len() > HEADLINE_MAX_BYTES {
        return false;
    }
    let (n, han) = counts();
    if !(2..=34).contains(&n) || han < 2 {
        return false;
    }
    let mut commas = 0;
    for c in t.chars() {
        match c {
            '。' | '；' | ';' | '！' | '!' | '…' | '|' | '=' | '{' | '}' => return false,
            '，' | ',' => commas += 1,
            _ => {}
        }
    }
    if commas > 1 || (commas == 1 && n > 10) {
        return false;
    }
    if t.ends_with(['，', ',', '、', '：', ':', '（', '(', '“', '-', '/']) {
        return false;
    }
    // Nor does one start a clause's rest (`, 这一步通常称为哲`).
    if t.starts_with(['，', ',', '、', '。', '.', '；', ';', '：', ':', '）', ')']) {
        return false;
    }
    // A line that is mostly Latin/digits is a code or table line, not a Chinese
    // headline, unless it reads like a title (`aptitude、apt-get和apt命令`).
    han * 5 >= n || han >= 2 && !t.contains(['=', '{', '}', '$', '#', '<', '>', '\\', '`', '_', ';', '(', '@', '*'])
}

/// How a line made of short spaced pieces looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pieces {
    /// Every piece is one or two characters: a letter-spaced headline (`D e b i a n 软 件 包`).
    Spaced,
    /// Mostly one- and two-character Han pieces among longer runs: scrambled fragments.
    Scrambled,
    /// A lone Han character on its line.
    Lone,
}

/// Classifies a line of one- and two-character runs separated by spaces.
pub(crate) fn pieces(s: &str) -> Option<Pieces> {
    let t = trim(s);
    if t.is_empty() {
        return None;
    }
    // Pieces are separated by blanks, or the line is one character.
    let b = t.as_bytes();
    if b.len() > 4 && memchr::memchr2(b' ', b'\t', b).is_none() && !IDEOGRAPHIC_SPACE.is_in(t) {
        return None;
    }
    // Most body lines carry a comma or a full stop, which no display type does
    // (the full test is below): a SIMD search spares them the walk over pieces.
    if FULL_WIDTH_COMMA.is_in(t) || IDEOGRAPHIC_FULL_STOP.is_in(t) {
        return None;
    }
    let mut tokens = 0usize;
    let mut short_han = 0usize;
    let mut short_any = 0usize;
    let mut han_total = 0usize;
    let mut letters = 0usize;
    // Single `.`, `-`, `:`, `/` between spaced letters (`m e n t o r s . d e b i a n`).
    let mut latin_marks = 0usize;
    for tok in t.split(is_blank_char).filter(|x| !x.is_empty()) {
        tokens += 1;
        letters += usize::from(tok.len() == 1 && tok.as_bytes()[0].is_ascii_alphabetic());
        latin_marks += usize::from(tok.len() == 1 && b".-:/_".contains(&tok.as_bytes()[0]));
        let (mut n, mut h, mut alnum) = (0, 0, 0);
        for c in tok.chars() {
            n += 1;
            h += is_han(c) as usize;
            alnum += c.is_ascii_alphanumeric() as usize;
        }
        // A Latin word: a justified body line, not display type; a long run in a
        // long line: body text (scrambled pieces fill at most 48 characters).
        if alnum >= 3 || n > 2 && t.len() > 240 {
            return None;
        }
        han_total += h;
        if n <= 2 {
            short_any += 1;
            short_han += (h >= 1) as usize;
        }
    }
    if tokens == 1 {
        let mut cs = t.chars();
        return match (cs.next(), cs.next()) {
            (Some(c), None) if is_han(c) => Some(Pieces::Lone),
            _ => None,
        };
    }
    // A Latin word or name letter-spaced in display type (`T U R N`,
    // `m e n t o r s . d e b i a n . n e t`).
    if letters + latin_marks == tokens && letters >= 3 && letters > latin_marks {
        return Some(Pieces::Spaced);
    }
    if han_total == 0 || short_han < 2 {
        return None;
    }
    // Justified body lines are letter-spaced too: they carry CJK punctuation,
    // which display type pieces do not, but for a colon ending a short headline
    // line before its second line (`非 官 方 来 源 ：` / `m e n t o r s …`).
    let body = t.strip_suffix(['：', ':']).filter(|_| tokens <= 12).unwrap_or(t);
    if body.contains(['。', '，', '：', '（', '）', '“', '”', '—', '；', '《', '》']) {
        return None;
    }
    if short_any == tokens && tokens >= 3 || tokens == 2 && short_han == 2 {
        return Some(Pieces::Spaced);
    }
    if short_han >= 3 && short_han * 2 >= tokens && t.chars().count() <= 48 {
        return Some(Pieces::Scrambled);
    }
    None
}

/// Han characters that rarely end a headline but often end a cut-off body line.
pub(crate) fn is_continuation_char(c: char) -> bool {
    "的了和与在是有为把被对从向及或等将也就都而且并但其这那之以于让使".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        assert!(is_byline_line("株洲日报全媒体记者/杨凌凌 通讯员/钟兴"));
        assert!(is_byline_line("湘东日报全媒体记者/宋敏洲通讯员/贺霞思"));
        assert!(is_byline_line("株洲日报全媒体记者/肖捷"));
        assert!(is_byline_line("九疑白报记者/薛佳艳"), "日 read as 白");
        assert!(!is_byline_line("记者从市商务局获悉，目前大部分低风险地区"));
        assert_eq!(dateline_end("株洲日报讯(通讯员/陈聘) 近日,市贸促会"), Some("株洲日报讯(通讯员/陈聘)".len()));
        assert!(dateline_end("新华社北京11月14日电 记者").is_some());
        assert!(dateline_end("本报讯 近日").is_some());
    }

    #[test]
    fn credit_patterns() {
        let t = "白关镇,医护人员用电筒照明,抓紧时间采集核酸样本。 芦淞区委宣传部 供图";
        assert_eq!(credits(t).len(), 1);
        assert_eq!(credits("记者/杨凌凌 摄").len(), 1);
        assert_eq!(credits("区。全媒体记 者/蔡桂英摄").len(), 1);
        assert!(credits("为用户提供图片和文字").is_empty());
    }

    #[test]
    fn split_credit_halves() {
        fn split(t: &str) -> Vec<(&str, &str)> {
            split_credits(t, &credits(t)).iter().map(|c| (&t[c.head.0..c.head.1], &t[c.tail.0..c.tail.1])).collect()
        }
        assert_eq!(split("问题。 通讯\n包。\n员/许秀雨 摄\n议"), [("通讯", "员/许秀雨 摄")]);
        assert_eq!(split("逻辑卷。 全媒体记者/\n包括文件系统。所 孔轶兴 摄\n"), [("全媒体记者/", "孔轶兴 摄")]);
        assert_eq!(split("搜索时。 全\n命令行下则使用 axi媒体记者/周红红 摄"), [("全", "媒体记者/周红红 摄")]);
        // Whole credits, a role's name in prose, a break across a page: no split credit.
        assert!(split("他们都是全\n记者/张三 摄").is_empty());
        assert!(split("这一步。 记者\n他们在拍摄").is_empty());
        assert!(split("问题。 通讯\x0c员/许秀雨 摄").is_empty());
        assert_eq!(split("git am命令将更 市交通运输局 供\n改整合到仓库 图\n"), [("市交通运输局 供", "图")]);
        assert!(split("市交通运输局 供\n见下图\n").is_empty(), "a 图 glued to text is the text's");
    }

    #[test]
    fn piece_lines() {
        assert_eq!(pieces("筑 起疫情 ,淞区干部群众闻令而动 型 实 壁 防 垒"), Some(Pieces::Scrambled));
        assert_eq!(pieces("控"), Some(Pieces::Lone));
        assert_eq!(pieces("D e b i a n 软 件 包 缓 存代 理"), Some(Pieces::Spaced));
        assert_eq!(pieces("连续奋战 在抗疫一线展现担当"), None);
        assert_eq!(pieces("T U R N"), Some(Pieces::Spaced));
        assert_eq!(pieces("a b"), None);
        assert_eq!(pieces("x = a b"), None);
        assert_eq!(pieces("1"), None);
    }
}

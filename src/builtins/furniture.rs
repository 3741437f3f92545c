//! ## What it does
//! Flags page furniture (kind `furniture`): running heads
//! (`湘东日报 2023年7月22日星期日 第1版·要闻`), `第N版`, dates, the paper's name on
//! its own line, section/page footers (`要闻 · 1`), staff lines
//! (`责任编辑/… 美术编辑/… 校对/…`), the masthead's small print (`总第17311期`,
//! `本版热线：…`, `…新闻网 www.…`), page numbers at the top or bottom of a page,
//! and any short line that repeats on several pages of a document (pages are
//! separated by `\f`).
//!
//! ## Why is this bad?
//! Furniture is printed on every page around the articles; OCR puts it into the
//! text, where it interrupts sentences and pollutes corpora with repeated lines.
//!
//! ## Example
//! `株洲日报 2023年8月6日星期一 第A2版·经济` and `经济·A2` are flagged; a
//! signature such as `株洲市为民办实事考核办公室 2022年11月15日` is not (too much
//! text besides the date).
//!
//! ## Fix safety
//! Flags only; what happens to the span is the rule's action (`--flagged`).
//!
//! ## Known problems
//! Form feeds themselves are not flagged: the paragraph rules decide whether the
//! sentence continues across the page break. A running head glued into a body
//! line is not recognised.

use super::layout::{counts, finders, line_marks, line_table, PAPER_KIND};
use super::params::Params;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use memchr::memmem::Finder;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;
use std::sync::LazyLock;

// A month or day as OCR reads small print: a digit may come out as `l`, `I`, `O`,
// `]` or `|` (`2023年]月2日`, `第Al1版` for `第A11版`).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{4}\s*年\s*[\dlIO\]|]{1,2}\s*月\s*[\dlIO\]|]{1,2}\s*日|星\s*期\s*[一二三四五六日天]|农\s*历(?:\p{Han}\s*){2,8}",
    )
    .expect("date pattern")
});
static PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"第\s*[A-Za-z]?\s*[lIO]?\d{1,3}[lIO]?\s*版").expect("page pattern"));
// The small print of a masthead: the issue number (`总第17311期`), the paper's
// hotline (`本版热线：0744-8012658`), its website (`咸宁市新闻网 www.yy-news.cn`,
// `网址：…`) and registration numbers (`CN 43-0012`, `邮发代号 41-3`). Hotlines
// only under the paper's own names: `服务热线：…` in a notice is body text.
static MASTHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"总\s*第\s*\d[\d,]*\s*期|(?:本\s*版|新\s*闻|报\s*料|读\s*者|发\s*行|广\s*告)\s*热\s*线\s*(?:电\s*话)?\s*[:：]?\s*[\d()（）\s-]{7,}|(?:\p{Han}\s*){1,8}?网\s*(?:https?://)?www\.[A-Za-z0-9.-]+|网\s*址\s*[:：]\s*\S+|(?:国内统一连续出版物号\s*[:：]?\s*)?CN\s*\d{2}\s*[-－]\s*\d{4}(?:/[A-Z])?|邮\s*发\s*代\s*号\s*[:：]?\s*\d{1,2}\s*[-－]\s*\d{1,3}",
    )
    .expect("masthead pattern")
});
static PAPER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:\p{{Han}}\s*){{1,6}}?{PAPER_KIND}")).expect("paper pattern"));
static STAFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:责\s*任\s*编\s*辑|美\s*术\s*编\s*辑|校\s*对|审\s*读|值\s*班\s*主\s*任|版\s*式|视\s*觉)\s*[/／:：]")
        .expect("staff pattern")
});
static SECTION_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\p{Han}\s*){2,4}[·・.．,，\s]+[A-Za-z]?\s*\d{1,3}$|^[A-Za-z]?\d{1,3}\s*[·・.．]\s*(?:\p{Han}\s*){2,4}$",
    )
    .expect("section pattern")
});
static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-—–－]?\s*\d{1,3}\s*[-—–－]?$").expect("page number pattern"));

/// The furniture detector.
pub struct Furniture {
    repeat_max_chars: usize,
    residue_max_han: usize,
}

impl Furniture {
    /// Reads `repeat-max-chars` (longest line that counts as repeated furniture,
    /// default 40) and `residue-max-han` (Han characters allowed besides the
    /// date/page/paper tokens, default 4: a section name such as `要闻`).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Furniture {
            repeat_max_chars: p.usize("repeat-max-chars", 40)?,
            residue_max_han: p.usize("residue-max-han", 4)?,
        })
    }

    /// Whether `t` is furniture by its patterns; `keys` says which key characters
    /// it holds ([`KEY_DATE`], …), so that only the patterns they allow are tried;
    /// `chars` gives its count of non-blank characters (the line table's).
    fn by_pattern(&self, t: &str, keys: u8, chars: impl FnOnce() -> usize) -> bool {
        if t.contains('。') {
            return false;
        }
        if keys & KEY_STAFF != 0 && STAFF.find_iter(t).count() >= 2 {
            return true;
        }
        if keys & KEY_PAPER != 0 && chars() <= 8 && PAPER.find(t).is_some_and(|m| m.start() == 0 && m.end() == t.len())
        {
            return true;
        }
        if keys & (KEY_DATE | KEY_PAGE) == 0 {
            return false;
        }
        if !DATE.is_match(t) && !PAGE.is_match(t) && !MASTHEAD.is_match(t) {
            return false;
        }
        let r = DATE.replace_all(t, " ");
        let r = PAGE.replace_all(&r, " ");
        let r = MASTHEAD.replace_all(&r, " ");
        let r = PAPER.replace_all(&r, " ");
        counts(&r).1 <= self.residue_max_han
    }
}

const KEY_DATE: u8 = 1;
const KEY_PAGE: u8 = 2;
const KEY_PAPER: u8 = 4;
const KEY_SEP: u8 = 8;
/// Two separators or more: a staff line needs one per name (`责任编辑/… 校对/…`).
const KEY_STAFF: u8 = KEY_SEP << 4;

/// Characters one of the furniture patterns needs: a date (`年`, `星期`, `农历`),
/// `第N版` or the masthead's small print (`总第`, `热线`, `www`, `网址`, `CN`,
/// `代号`: page labels too), the paper's name (`报`), a staff line's `/` or `：`.
static KEYS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| {
    finders(&["年", "星", "农", "版", "总第", "热线", "www", "网址", "CN", "代号", "报", "/", "／", ":", "："])
});
/// The class of each of [`KEYS`].
const KEY_CLASS: [u8; 15] = [
    KEY_DATE, KEY_DATE, KEY_DATE, KEY_PAGE, KEY_PAGE, KEY_PAGE, KEY_PAGE, KEY_PAGE, KEY_PAGE, KEY_PAGE, KEY_PAPER,
    KEY_SEP, KEY_SEP, KEY_SEP, KEY_SEP,
];

/// Hash of a line without blanks and with digits folded, for repeat detection
/// (`第3页` and `第4页` repeat). FxHash: a few bytes per line, no allocation.
fn repeat_key(t: &str) -> u64 {
    let mut h = FxHasher::default();
    for c in t.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}') {
        h.write_u32(if c.is_ascii_digit() { '#' as u32 } else { c as u32 });
    }
    h.finish()
}

/// Whether a line may be a page number or a section footer (`要闻 · 1`): short,
/// with a digit.
fn may_be_numbered(t: &str) -> bool {
    t.len() <= 40 && t.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a short line with a digit may be a section footer: [`SECTION_PAGE`]
/// ends in a digit (`要闻 · 1`) or starts with a Latin letter or a digit
/// (`A2·经济`). A test on two characters that spares most lines the pattern.
fn may_be_section(t: &str) -> bool {
    t.chars().next_back().is_some_and(char::is_numeric)
        || t.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c.is_numeric())
}

impl Mechanism for Furniture {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let table = line_table(text, ctx);
        let (ls, facts) = (&table.lines, &table.facts);
        // Lines holding a key character: the only ones the patterns can match.
        let keyed = line_marks(text, ls, &KEYS, &KEY_CLASS);
        // Page index of each line: a line ends a page when its terminator is `\f`.
        let mut page = Vec::with_capacity(ls.len());
        let mut p = 0usize;
        for l in ls {
            page.push(p);
            if text.as_bytes().get(l.end) == Some(&b'\x0c') {
                p += 1;
            }
        }
        let pages = p + 1;
        // The repeat key of each short line, and on how many pages each key occurs.
        let mut keys: Vec<Option<u64>> = vec![None; ls.len()];
        let mut repeated: FxHashMap<u64, (usize, usize)> = FxHashMap::default(); // key -> (last page, page count)
        if pages >= 2 {
            for (i, f) in facts.iter().enumerate() {
                let t = &text[f.ts..f.te];
                // Short (checked on bytes here, on characters when flagging), not a
                // clause: `，` or `。` marks a body line.
                if t.len() < 2 || t.len() > 4 * self.repeat_max_chars + 40 || t.contains('。') || t.contains('，') {
                    continue;
                }
                let k = repeat_key(t);
                keys[i] = Some(k);
                let e = repeated.entry(k).or_insert((usize::MAX, 0));
                if e.0 != page[i] {
                    e.0 = page[i];
                    e.1 += 1;
                }
            }
        }
        // First and last non-blank line of each page, for page numbers.
        let mut edge = vec![false; ls.len()];
        let (mut firsts, mut lasts) = (Vec::new(), Vec::new());
        let mut first_on_page: Option<usize> = None;
        let mut last_nonblank: Option<usize> = None;
        for (i, f) in facts.iter().enumerate() {
            if i > 0 && page[i] != page[i - 1] {
                first_on_page = None;
            }
            if f.ts < f.te {
                if first_on_page.is_none() {
                    first_on_page = Some(i);
                    firsts.push(i);
                    lasts.extend(last_nonblank); // the last line of the previous page
                }
                last_nonblank = Some(i);
            }
        }
        lasts.extend(last_nonblank);
        // Furniture but for page numbers, line by line.
        let other: Vec<bool> = facts
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let t = &text[f.ts..f.te];
                !t.is_empty()
                    && ((keyed[i] != 0 && self.by_pattern(t, keyed[i], || f.chars(text)))
                        || may_be_numbered(t) && may_be_section(t) && SECTION_PAGE.is_match(t)
                        || keys[i].is_some_and(|k| repeated.get(&k).is_some_and(|&(_, n)| n >= 2))
                            && (2..=self.repeat_max_chars).contains(&f.chars(text)))
            })
            .collect();
        let page_number = |i: usize| {
            let t = &text[facts[i].ts..facts[i].te];
            may_be_numbered(t) && PAGE_NUMBER.is_match(t)
        };
        // A line next to furniture at an edge is at the edge too: once the
        // furniture is removed it is, so one pass finds what passes one after the
        // other would (`94` / `0` / `4` at a page's end; a clean text stays clean).
        let nonblank = |i: &usize| facts[*i].ts < facts[*i].te;
        let mut mark_inward = |from: usize, inward: &mut dyn Iterator<Item = usize>| {
            for i in std::iter::once(from).chain(inward) {
                edge[i] = true;
                if !other[i] && !page_number(i) {
                    break;
                }
            }
        };
        for &first in &firsts {
            mark_inward(first, &mut (first + 1..ls.len()).take_while(|&i| page[i] == page[first]).filter(nonblank));
        }
        for &last in &lasts {
            mark_inward(last, &mut (0..last).rev().take_while(|&i| page[i] == page[last]).filter(nonblank));
        }
        for (i, f) in facts.iter().enumerate() {
            if other[i] || edge[i] && page_number(i) {
                out.flag(StepFlag::new(f.ts, f.te, FlagKind::Furniture));
            }
        }
    }
}

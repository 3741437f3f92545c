//! ## What it does
//! Flags headlines (kind `headline`) and scrambled headline pieces (kind
//! `headline_fragment`):
//! - short lines without sentence punctuation standing right before a byline or
//!   a dateline (the headline, its kicker and sub-headline), also when a
//!   caption (its credit, and the sentence its block opens with) or a stray
//!   line without Han (`SS`, OCR's reading of a picture) stands between;
//! - letter-spaced headlines (`D e b i a n 软 件 包 缓 存代 理`);
//! - a short headline glued before a dateline on its line (`常用指令 株洲日报讯（…`),
//!   and pieces of its letter-spaced rest ending that line (`设置 …Postfx本 灰 名单`);
//! - lines made mostly of one- and two-character runs separated by spaces,
//!   vertical runs of short lines (`定` / `向`), and lone one-character lines
//!   within `reach` lines of a line of pieces (fragments of large display type;
//!   a lone character far from any is OCR noise and left alone);
//! - cross-heads: a short line alone between paragraphs, after a finished
//!   sentence and before more body text, when neither junction cuts a word (two
//!   whole words meeting in a third, `机制` / `服务`, cut none); or
//!   set inside a sentence it interrupts (the word runs across it: `…虚` /
//!   `定制图形界面` / `拟软件包…`); the text's first line is one when it ends in
//!   a whole word (a title, not a column's row cut off: `正是随着用户的不断参`).
//!
//! A headline whose words occur in another article and not in the one that
//! follows it gets a note in its evidence (a headline standing before the wrong
//! article).
//!
//! ## Why is this bad?
//! Headlines are not prose: their spaces are typeset, they must never be joined
//! to the paragraph below, and corpus builders who want prose only remove them.
//!
//! ## Example
//! `连续奋战 在抗疫一线展现担当` between two paragraphs is a headline; a column
//! fragment `他们也检查添加软件包的授权条` followed by `款，确保…` is not (`条款`).
//!
//! ## Fix safety
//! Flags only; the rule's action (or `--flagged`) decides.
//!
//! ## Known problems
//! A headline separated from its byline by body text (column order) is found
//! only when it is letter-spaced or passes the cross-head test. Very short body
//! paragraphs without punctuation after a finished sentence can pass as
//! cross-heads when the word check finds no word across the junction.

use super::layout::{
    glued_headline_end, headline_syntax, is_blank_char, is_continuation_char, line_table, shared_credits,
    shared_split_credits, trim, Line, LineTable, Pieces, MARK_AGENCY,
};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use crate::text::is_han;
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Role,
    Byline,
    Credit,
    Pieces(Pieces),
    Candidate,
    /// A few characters without Han (`SS`, `|`): OCR's reading of a picture or
    /// a rule, neither a headline nor the body.
    Stray,
    Body,
}

/// The most characters of the caption sentence above a credit that a walk
/// from a byline up to its headline steps over.
const CAPTION_ABOVE_CHARS: usize = 60;

/// The most characters of a [`Class::Stray`] line, and its bytes with a few
/// blanks (longer lines are not counted).
const STRAY_MAX_CHARS: usize = 3;
const STRAY_MAX_BYTES: usize = 32;

/// The headline detector.
pub struct Headline {
    back_lines: usize,
    crosshead_max: usize,
    crossheads: bool,
    notes: bool,
    reach: usize,
}

impl Headline {
    /// Reads `back-lines` (how many short lines above a byline may belong to its
    /// headline, default 5), `crosshead-max` (longest cross-head in characters,
    /// default 24), `crossheads` (default true), `notes` (default true: note
    /// headlines that stand before the wrong article) and `reach` (a lone
    /// character counts as a fragment within this many lines of a line of pieces,
    /// default 12).
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Headline {
            back_lines: p.usize("back-lines", 5)?,
            crosshead_max: p.usize("crosshead-max", 24)?,
            crossheads: p.bool("crossheads", true)?,
            notes: p.bool("notes", true)?,
            reach: p.usize("reach", 12)?,
        })
    }
}

/// The class of each line; a line holding (part of) a credit is a credit, also
/// the second half of a credit cut in two (`改整合到仓库 图`).
fn classify_lines(text: &str, table: &LineTable, ctx: &Context) -> Vec<Class> {
    let mut credits: Vec<(usize, usize)> = shared_credits(text, ctx).to_vec();
    credits.extend(shared_split_credits(text, ctx).iter().map(|c| c.tail));
    credits.sort_unstable();
    let mut k = 0;
    table
        .facts
        .iter()
        .map(|f| {
            let (ts, te) = (f.ts, f.te);
            if ts == te {
                return Class::Blank;
            }
            while k < credits.len() && credits[k].1 <= ts {
                k += 1;
            }
            let credit = k < credits.len() && credits[k].0 < te;
            if roles::overlapping(&ctx.roles, ts, te).next().is_some() {
                Class::Role
            } else if credit && f.dateline.is_none() {
                // A credit naming its photographer with a role (`全媒体记者/龙明博 摄`)
                // is no byline.
                Class::Credit
            } else if f.byline || f.dateline.is_some() {
                Class::Byline
            } else if let Some(p) = f.pieces {
                Class::Pieces(p)
            } else if headline_syntax(&text[ts..te], || f.counts(text)) {
                Class::Candidate
            } else if f.te - f.ts <= STRAY_MAX_BYTES && matches!(f.counts(text), (n, 0) if n <= STRAY_MAX_CHARS) {
                Class::Stray
            } else {
                Class::Body
            }
        })
        .collect()
}

/// Whether the end of `a` and the start of `b` form a word (a sentence cut by a break).
fn junction_is_word(a: &str, b: &str) -> bool {
    let (tail, na) = first_chars::<2>(trim(a).chars().rev());
    let (head, nb) = first_chars::<2>(trim(b).chars());
    if na == 0 || nb == 0 || !is_han(tail[0]) || !is_han(head[0]) {
        return false;
    }
    [(1, 1), (1, 2), (2, 1)].into_iter().any(|(l, r)| {
        let word = || tail[..l].iter().rev().chain(&head[..r]).copied();
        l <= na && r <= nb && word().all(is_han) && super::lexicon::has_chars(word())
    })
}

/// The first `N` characters of `chars` (padded with NUL) and how many there were.
fn first_chars<const N: usize>(chars: impl Iterator<Item = char>) -> ([char; N], usize) {
    let mut out = ['\0'; N];
    let mut n = 0;
    for c in chars.take(N) {
        out[n] = c;
        n += 1;
    }
    (out, n)
}

/// Whether `s` ends in a word of two or more characters of the lexicon, in a
/// number's unit (`第116期`), or in a character that is not Han (`TURN 服务器`, `Shell`).
fn ends_in_word(s: &str) -> bool {
    let (tail, len) = first_chars::<4>(trim(s).chars().rev());
    match tail[..len].first() {
        Some(&c) if is_han(c) => tail[1].is_ascii_digit() || edge_is_word(&tail[..len], true),
        Some(_) => true,
        None => false,
    }
}

/// Whether the characters at an edge of a line (`edge`, outward first when
/// `reversed`: a line's end read backwards) hold a lexicon word of two or more
/// Han characters that touches the edge.
fn edge_is_word(edge: &[char], reversed: bool) -> bool {
    (2..=edge.len()).any(|n| {
        let piece = &edge[..n];
        piece.iter().all(|&c| is_han(c))
            && if reversed {
                super::lexicon::has_chars(piece.iter().rev().copied())
            } else {
                super::lexicon::has_chars(piece.iter().copied())
            }
    })
}

/// Whether a word runs from the end of `a` into the start of `b` where `a`
/// does not end, and `b` does not start, in a word of its own: `原则与机制` /
/// `服务品质…` meet in `制服`, a coincidence of two whole words, while `…授权条`
/// / `款，确保…` is one word cut in two.
fn junction_cuts_word(a: &str, b: &str) -> bool {
    if !junction_is_word(a, b) {
        return false;
    }
    let (tail, na) = first_chars::<4>(trim(a).chars().rev());
    let (head, nb) = first_chars::<4>(trim(b).chars());
    !(edge_is_word(&tail[..na], true) && edge_is_word(&head[..nb], false))
}

/// Whether `s` is a short Latin name (`mentors.debian.net`, `debian-installer`,
/// `Shell`): ASCII letters, digits and `.-_/+`, a letter among them, at most 40
/// bytes, not ending a sentence.
fn is_latin_name(s: &str) -> bool {
    s.len() <= 40
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-/+ ".contains(&b))
        && !s.ends_with('.')
}

/// The distinct Han bigrams of `s`, sorted.
fn han_bigrams(s: &str) -> Vec<(char, char)> {
    let mut v = Vec::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if !is_han(c) {
            continue;
        }
        if let Some(p) = prev {
            v.push((p, c));
        }
        prev = Some(c);
    }
    v.sort_unstable();
    v.dedup();
    v
}

impl Mechanism for Headline {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let table = line_table(text, ctx);
        let (ls, facts) = (&table.lines, &table.facts);
        let class = classify_lines(text, &table, ctx);
        let mut kind: Vec<Option<FlagKind>> = vec![None; ls.len()];
        // Article headlines (above a byline): the ones a misplacement note is about.
        let mut titles = vec![false; ls.len()];
        let prev_nonblank = |i: usize| (0..i).rev().find(|&j| class[j] != Class::Blank);
        let next_nonblank = |i: usize| (i + 1..ls.len()).find(|&j| class[j] != Class::Blank);
        // 1. Pieces of display type; not a justified line inside a body block,
        // nor one beside a line of prose spaced out the same way (a justified
        // paragraph: `修 改 文 件 的 工 具 名 为` / `patch 。 创 建 补 丁 的 …`).
        let spaced_prose = |j: usize| {
            class[j] == Class::Body
                && text[facts[j].ts..facts[j].te].split_whitespace().filter(|w| w.chars().count() == 1).count() >= 4
        };
        for (i, c) in class.iter().enumerate() {
            if matches!(c, Class::Pieces(_)) {
                let body_above = i > 0 && class[i - 1] == Class::Body;
                let body_below = i + 1 < ls.len() && class[i + 1] == Class::Body;
                if body_above && body_below
                    || *c == Class::Pieces(Pieces::Spaced)
                        && (i > 0 && spaced_prose(i - 1) || i + 1 < ls.len() && spaced_prose(i + 1))
                {
                    continue;
                }
            }
            match c {
                Class::Pieces(Pieces::Spaced) => kind[i] = Some(FlagKind::Headline),
                Class::Pieces(Pieces::Scrambled) => kind[i] = Some(FlagKind::HeadlineFragment),
                _ => {}
            }
        }
        // 1b. Lone characters: a vertical run of two or more short lines (`定` / `向`,
        // `V` / `还` / `？`) is display type, unless it is five or more lone Han
        // characters, with nothing but punctuation and single blank lines between
        // them (a narrow body column, `那` / `么` / `可` / `以` / `使`); a single lone
        // character only near a line of pieces (`控` some lines below its scrambled
        // headline), else it is OCR noise.
        let short = |i: usize| {
            let f = &facts[i];
            f.ts < f.te && f.te - f.ts <= 8 && f.chars(text) <= 2 && !matches!(class[i], Class::Role | Class::Byline)
        };
        let punct_only = |i: usize| text[facts[i].ts..facts[i].te].chars().all(|c| !is_han(c) && !c.is_alphanumeric());
        let pieces_lines: Vec<usize> = (0..ls.len()).filter(|&i| kind[i].is_some()).collect();
        let mut i = 0;
        while i < ls.len() {
            if !short(i) {
                i += 1;
                continue;
            }
            // The run: short lines, single blank lines between them included.
            let a = i;
            while i + 1 < ls.len() && (short(i + 1) || i + 2 < ls.len() && class[i + 1] == Class::Blank && short(i + 2))
            {
                i += 1;
            }
            let b = i;
            i += 1;
            let lone = (a..=b).filter(|&j| class[j] == Class::Pieces(Pieces::Lone)).count();
            let column =
                (a..=b).all(|j| class[j] == Class::Blank || class[j] == Class::Pieces(Pieces::Lone) || punct_only(j));
            if lone == 0 || lone >= 5 && column {
                continue;
            }
            let near = |j: usize| {
                let k = pieces_lines.partition_point(|&p| p + self.reach < j);
                pieces_lines.get(k).is_some_and(|&p| p <= j + self.reach)
            };
            let vertical = (a..b).any(|j| short(j) && short(j + 1));
            if vertical || near(a) {
                for j in (a..=b).filter(|&j| short(j)) {
                    kind[j].get_or_insert(FlagKind::HeadlineFragment);
                }
            }
        }
        // 2a. A short headline glued before a dateline on the same line
        // (`常用指令 株洲日报讯（…`, `设置 株洲日报讯（…`, which reads like a
        // dateline of the paper `设置株洲日报`); the lines above it are taken as
        // in 2. Pieces of its letter-spaced rest may end the line (`…Postfx本 灰 名单`).
        let mut glued: Vec<(usize, usize, usize)> = Vec::new(); // line, span
        for (i, f) in facts.iter().enumerate() {
            let dateline_line = class[i] == Class::Byline && f.dateline.is_some();
            if !matches!(class[i], Class::Body | Class::Candidate) && !dateline_line {
                continue;
            }
            let (s, e) = (f.ts, f.te);
            // A dateline's `讯` marks the line: most lines are passed over without a search for it.
            if let Some(head_end) = (f.marks & MARK_AGENCY != 0).then(|| glued_headline_end(&text[s..e])).flatten() {
                glued.push((i, s, s + head_end));
                if let Some(rest) = trailing_pieces(&text[s + head_end..e]) {
                    glued.push((i, e - rest, e));
                }
            }
        }
        // The first line of the caption sentence set above the credit line `c`
        // in one block of its own (`如果这个分区没有被加密。` / `部 供图`): one or two
        // lines of at most `CAPTION_ABOVE_CHARS`, ending a sentence; else `c`.
        let caption_above = |c: usize| {
            // Three lines up at most: a longer block is no caption (and a block of
            // many credit lines costs no more than a short one).
            let top = (0..c).rev().take_while(|&a| class[a] != Class::Blank).take(3).last().unwrap_or(c);
            let caption = &facts[top..c];
            let starts_block = top == 0 || class[top - 1] == Class::Blank;
            let fits = (1..=2).contains(&caption.len())
                && starts_block
                && caption.iter().map(|f| f.chars(text)).sum::<usize>() <= CAPTION_ABOVE_CHARS
                && (top..c).all(|a| matches!(class[a], Class::Body | Class::Candidate))
                && text[facts[c - 1].ts..facts[c - 1].te].ends_with(['。', '！', '？']);
            if fits {
                top
            } else {
                c
            }
        };
        // 2. Short lines right above a byline or dateline.
        for i in 0..ls.len() {
            if class[i] != Class::Byline && !glued.iter().any(|g| g.0 == i) {
                continue;
            }
            let mut j = i;
            let mut taken = 0;
            // Within a vertical headline: its characters may run on into one
            // another (`原` / `则`), as the words of a headline do.
            let mut vertical = false;
            while let Some(mut k) = prev_nonblank(j) {
                // A caption may stand between a headline and its byline (its
                // credit, and the caption sentence the credit's block opens
                // with), and a stray line anywhere.
                while matches!(class[k], Class::Credit | Class::Role | Class::Stray) {
                    let above = if class[k] == Class::Credit { caption_above(k) } else { k };
                    match prev_nonblank(above) {
                        Some(p) => k = p,
                        None => break,
                    }
                }
                // A Latin name on its own line under a headline line is the
                // headline's second line (`非官方来源` / `mentors.debian.net`).
                let latin_second_line = class[k] == Class::Body
                    && is_latin_name(&text[facts[k].ts..facts[k].te])
                    && prev_nonblank(k).is_some_and(|p| class[p] == Class::Candidate);
                if taken >= self.back_lines
                    || !(matches!(class[k], Class::Candidate | Class::Pieces(_)) || latin_second_line)
                {
                    break;
                }
                // The tail line of a body block is not a headline, nor a line
                // that runs on into the next one (a word across the break).
                // (Stray lines between them aside.)
                let above = (0..k).rev().find(|&a| class[a] != Class::Stray);
                if above.is_some_and(|a| class[a] == Class::Body) {
                    break;
                }
                let t = &text[facts[k].ts..facts[k].te];
                // Crossing a blank line upwards: the block above must be a short
                // one; a caption above it is a block of its own (`…建议。 县委办
                // 供图` / `Debian 项目的内部工作`). A headline set vertically, a
                // character per line in one block (`受` / `原` / `则` / `的` / `接`),
                // is display type whatever its length, up to `back-lines` (a
                // narrow body column comes out a character per block: `那` / `么` /
                // `可` / `以` / `使` between blank lines).
                if k + 1 < ls.len() && class[k + 1] == Class::Blank {
                    let block: Vec<usize> = (0..=k)
                        .rev()
                        .take_while(|&x| !matches!(class[x], Class::Blank | Class::Credit | Class::Role))
                        .take(self.back_lines + 1)
                        .collect();
                    vertical = (2..=self.back_lines).contains(&block.len())
                        && block.iter().all(|&x| class[x] == Class::Pieces(Pieces::Lone));
                    // Display type spaced out is no wide body line.
                    let wide =
                        || block.iter().any(|&x| !matches!(class[x], Class::Pieces(_)) && facts[x].chars(text) > 14);
                    if !vertical && (block.len() > 2 || block.len() == 2 && wide()) {
                        break;
                    }
                }
                if !vertical && t.chars().next_back().is_some_and(is_continuation_char) {
                    break;
                }
                if !vertical && j == k + 1 && j != i && junction_is_word(t, &text[ls[j].start..ls[j].end]) {
                    kind[j] = None;
                    break;
                }
                if kind[k].is_none() {
                    kind[k] = Some(FlagKind::Headline);
                    titles[k] = true;
                }
                taken += 1;
                j = k;
            }
        }
        // 3. Cross-heads between paragraphs.
        let ends_in_body = |p: usize| {
            let f = &facts[p];
            class[p] == Class::Body
                || class[p] == Class::Byline
                    && f.dateline.is_some_and(|e| text[f.ts + e..f.te].chars().any(char::is_alphanumeric))
        };
        if self.crossheads {
            for i in 0..ls.len() {
                if class[i] != Class::Candidate || kind[i].is_some() {
                    continue;
                }
                let t = &text[facts[i].ts..facts[i].te];
                let n = facts[i].chars(text);
                if n > self.crosshead_max || t.contains(['，', ',']) && n > 10 {
                    continue;
                }
                // A bracket opened or closed on another line: a piece of prose
                // (`果可用的话则用 diff）来具体显示`).
                let open = t.matches(['（', '(']).count();
                if open != t.matches(['）', ')']).count() {
                    continue;
                }
                // Longer cross-heads must show typeset spacing between two Han runs.
                let spaced =
                    t.split_whitespace().filter(|w| w.chars().filter(|&c| is_han(c)).count() >= 2).count() >= 2;
                if n > 10 && !spaced {
                    continue;
                }
                let alone_above =
                    i == 0 || matches!(class[i - 1], Class::Blank | Class::Credit) || kind[i - 1].is_some();
                let alone_below = i + 1 >= ls.len() || class[i + 1] == Class::Blank;
                if !alone_above || !alone_below {
                    continue;
                }
                let Some(n) = next_nonblank(i) else { continue };
                if !matches!(class[n], Class::Body | Class::Byline) {
                    continue;
                }
                let next_text = &text[ls[n].start..ls[n].end];
                let after_sentence = match prev_nonblank(i) {
                    // The text's first line: a title, when it ends in a whole
                    // word (not a column's row cut off: `正是随着用户的不断参`).
                    None => ends_in_word(t),
                    Some(p) => {
                        let prev_text = &text[facts[p].ts..facts[p].te];
                        kind[p].is_some()
                            || class[p] == Class::Role
                            || class[p] == Class::Credit
                            || prev_text
                                .chars()
                                .next_back()
                                .is_some_and(|c| matches!(c, '。' | '！' | '？' | '!' | '?' | '”' | '"'))
                            // Set inside a sentence it interrupts: the word runs
                            // across it (`…虚` / `定制图形界面` / `拟软件包…`), not into it.
                            // A dateline line ends in body text as a body line
                            // does (joining the body to it keeps the decision).
                            || ends_in_body(p)
                                && junction_is_word(prev_text, next_text)
                                && !junction_is_word(prev_text, t)
                    }
                };
                if !after_sentence {
                    continue;
                }
                if t.chars().next_back().is_some_and(is_continuation_char) {
                    continue;
                }
                if junction_cuts_word(t, next_text) {
                    continue;
                }
                kind[i] = Some(FlagKind::Headline);
            }
        }
        // 4. Emit, with a note on headlines that stand before the wrong article.
        let heads: Vec<usize> = (0..ls.len()).filter(|&i| kind[i] == Some(FlagKind::Headline)).collect();
        let notes = if self.notes && heads.len() >= 2 && text.len() <= 4 << 20 {
            misplaced_notes(text, ls, &kind, &titles)
        } else {
            Vec::new()
        };
        for (i, k) in kind.iter().enumerate() {
            if let Some(k) = *k {
                let mut f = StepFlag::new(facts[i].ts, facts[i].te, k);
                if let Some((_, note)) = notes.iter().find(|(j, _)| *j == i) {
                    f.evidence = Some(note.clone());
                }
                out.flag(f);
            }
        }
        for (_, s, e) in glued {
            out.flag(StepFlag::new(s, e, FlagKind::Headline));
        }
    }
}

/// The length of the letter-spaced pieces ending `s` (`… 灰 名单`): two or
/// more runs of one or two Han characters between blanks after longer text. A
/// body line never ends so: its last runs are the ends of wrapped lines, as
/// wide as its column.
fn trailing_pieces(s: &str) -> Option<usize> {
    let t = s.trim_end_matches(is_blank_char);
    let (mut start, mut runs) = (t.len(), 0);
    loop {
        let before = t[..start].trim_end_matches(is_blank_char);
        let run_start =
            before.rfind(is_blank_char).map_or(0, |k| k + before[k..].chars().next().map_or(1, char::len_utf8));
        let run = &before[run_start..];
        if run.is_empty() || run.chars().count() > 2 || !run.chars().all(is_han) {
            break;
        }
        if run_start == 0 {
            return None; // pieces alone, after no longer text
        }
        (start, runs) = (run_start, runs + 1);
    }
    (runs >= 2).then(|| s.len() - start)
}

/// Article headlines (`titles`: above a byline; cross-heads need not repeat the
/// paragraph below them) whose bigrams are absent from the article that follows
/// them and frequent in another one, with a JSON note. One pass over the text: only the
/// headlines' own bigrams are looked up, behind a one-bit-per-bigram-hash filter.
fn misplaced_notes(
    text: &str,
    ls: &[Line],
    kind: &[Option<FlagKind>],
    titles: &[bool],
) -> Vec<(usize, serde_json::Value)> {
    // Articles: the body between runs of headline lines.
    let mut segs: Vec<(usize, usize)> = Vec::new(); // line ranges of bodies
    let mut i = 0;
    while i < ls.len() {
        while i < ls.len() && kind[i].is_some() {
            i += 1;
        }
        let s = i;
        while i < ls.len() && kind[i].is_none() {
            i += 1;
        }
        if s < i {
            segs.push((s, i));
        }
    }
    // The headlines worth a note (three bigrams or more) and an id per bigram.
    let heads: Vec<(usize, Vec<(char, char)>)> = kind
        .iter()
        .enumerate()
        .filter(|(i, _)| titles[*i])
        .map(|(i, _)| (i, han_bigrams(&text[ls[i].start..ls[i].end])))
        .filter(|(_, g)| g.len() >= 3)
        .collect();
    if heads.is_empty() {
        return Vec::new();
    }
    let mut ids: FxHashMap<(char, char), usize> = FxHashMap::default();
    let mut filter = vec![0u64; 256]; // a bit per bigram hash, 16384 bits
    let bit = |a: char, b: char| ((a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA6B)) >> 18;
    for (_, g) in &heads {
        for &(a, b) in g {
            let n = ids.len();
            ids.entry((a, b)).or_insert(n);
            let h = bit(a, b);
            filter[h as usize >> 6] |= 1 << (h & 63);
        }
    }
    // For each bigram, the articles it occurs in (ascending, deduplicated).
    let mut seen: Vec<Vec<u32>> = vec![Vec::new(); ids.len()];
    let mut han = vec![0usize; segs.len()];
    for (j, &(a, b)) in segs.iter().enumerate() {
        let mut prev: Option<char> = None;
        for c in text[ls[a].start..ls[b - 1].end].chars().filter(|&c| is_han(c)) {
            han[j] += 1;
            if let Some(p) = prev {
                let h = bit(p, c);
                if filter[h as usize >> 6] & (1 << (h & 63)) != 0 {
                    if let Some(&id) = ids.get(&(p, c)) {
                        if seen[id].last() != Some(&(j as u32)) {
                            seen[id].push(j as u32);
                        }
                    }
                }
            }
            prev = Some(c);
        }
    }
    let mut notes = Vec::new();
    let mut tally = vec![0usize; segs.len()];
    for (i, grams) in heads {
        // The article that follows: the next body with some text (not the blank
        // line between a headline and its sub-headline).
        let Some(next) = (0..segs.len()).find(|&j| segs[j].0 > i && han[j] >= 20) else { continue };
        tally.iter_mut().for_each(|t| *t = 0);
        for g in &grams {
            for &j in &seen[ids[g]] {
                tally[j as usize] += 1;
            }
        }
        let share = |j: usize| tally[j] as f64 / grams.len() as f64;
        let here = share(next);
        let (best, best_share) = (0..segs.len())
            .filter(|&j| j != next)
            .map(|j| (j, share(j)))
            .fold((usize::MAX, 0.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        if best != usize::MAX && best_share >= 0.4 && best_share >= 3.0 * here + 0.2 {
            let at = ls[segs[best].0].start;
            notes.push((
                i,
                serde_json::json!({
                    "note": "headline stands before an article that does not share its words; it matches another article",
                    "following_article_share": (here * 100.0).round() / 100.0,
                    "matching_article_share": (best_share * 100.0).round() / 100.0,
                    "matching_article_offset": at,
                }),
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::{ends_in_word, junction_cuts_word, trailing_pieces};

    #[test]
    fn a_word_across_two_whole_words_cuts_none() {
        assert!(!junction_cuts_word("原则与机制", "服务品质系指"));
        assert!(junction_cuts_word("他们也检查添加软件包的授权条", "款，确保在纳入它们之前"));
        assert!(!junction_cuts_word("第一段说完了", "下一段"));
    }

    #[test]
    fn letter_spaced_pieces_end_a_line() {
        let s = "（全媒体记者/田明通讯员/万博）Postfx本 灰 名单";
        assert_eq!(trailing_pieces(s).map(|n| &s[s.len() - n..]), Some("灰 名单"));
        assert_eq!(trailing_pieces("身不提供灰名单，但它有个特性 决定"), None, "one short run: a wrapped line's end");
        assert_eq!(trailing_pieces("灰 名单"), None, "nothing before the pieces");
        assert_eq!(trailing_pieces("接受还是拒绝 给定消息"), None);
    }

    #[test]
    fn a_title_ends_in_a_word() {
        assert!(ends_in_word("其他贡献的方式"));
        assert!(ends_in_word("第116期"));
        assert!(ends_in_word("TURN 服务器"));
        assert!(ends_in_word("Shell"));
        assert!(!ends_in_word("正是随着用户的不断参"));
        assert!(!ends_in_word(""));
    }
}

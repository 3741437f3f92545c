//! ## What it does
//! Proposes repairs of scrambled headlines. A line of one- and two-character
//! pieces (`筑 起疫情 ,淞区干部群众闻令而动 型 实 壁 防 垒`) and the lone
//! characters near it (`控`) are flagged as `headline_fragment`; the first flag
//! carries a proposal (`芦淞区干部群众闻令而动 筑起疫情防控坚实壁垒`) and its
//! evidence, the others propose their removal (their characters moved into it).
//!
//! The repair uses only evidence from the document itself:
//! - long runs (≥ `min-run` characters) are kept as one headline line; a lost
//!   first character is restored when the body always writes that run after the
//!   same character (`淞区` → `芦淞区`, seen many times);
//! - the short pieces are put in the order whose character n-grams (2 to 4) occur
//!   most in the body, by a beam search over orderings (ties keep the printed
//!   order); a piece may be replaced by a visually confusable glyph
//!   (`型`/`坚`, table `rules/layout/confusables.csv`, extensible with the
//!   `confusables` parameter) when that makes it attested (`坚实壁垒`);
//! - the proposal is made only when nearly every character of the assembled line
//!   is covered by attested n-grams and a 4-gram or longer is attested.
//!
//! ## Why is this bad?
//! Large display type is read out of order and in pieces; the headline is lost
//! unless it is reassembled, but a guessed headline must never be applied silently.
//!
//! ## Example
//! See above; a line of pieces whose characters the body never uses together gets
//! no proposal, only the flag.
//!
//! ## Fix safety
//! Unsafe: the proposal is applied only with `--unsafe`; the report lists it with
//! its evidence and score.
//!
//! ## Known problems
//! The order of two headline lines (main title, sub-title) is a guess: the line
//! made of a long run comes first. Lost characters inside a run are not restored.

use super::layout::{line_table, trim, trimmed_span, Pieces};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};
use crate::text::is_han;
use rustc_hash::FxHashSet;
use std::collections::HashMap;

const DEFAULT_CONFUSABLES: &str = include_str!("../../rules/layout/confusables.csv");

/// The headline repair proposer.
pub struct HeadlineRepair {
    confusables: HashMap<char, Vec<char>>,
    min_run: usize,
    reach: usize,
    beam: usize,
    min_coverage: f64,
}

impl HeadlineRepair {
    /// Reads `confusables` (extra `from,to` pairs such as `"型,坚"`), `min-run`
    /// (default 5), `reach` (lines around a fragment line searched for lone
    /// characters, default 12), `beam` (default 64) and `min-coverage` (default 0.9).
    pub fn new(p: &Params) -> Result<Self, String> {
        let mut confusables: HashMap<char, Vec<char>> = HashMap::new();
        let extra = p.strings("confusables", &[])?;
        let rows = DEFAULT_CONFUSABLES.lines().skip(1).map(str::to_string).chain(extra);
        for row in rows {
            let mut it = row.split(',').map(str::trim);
            let (Some(a), Some(b)) = (it.next(), it.next()) else { continue };
            let (mut ca, mut cb) = (a.chars(), b.chars());
            match (ca.next(), ca.next(), cb.next(), cb.next()) {
                (Some(x), None, Some(y), None) => confusables.entry(x).or_default().push(y),
                _ => return Err(format!("confusable pair {row:?} is not two single characters")),
            }
        }
        // A run is repaired through its first two characters (lost-character bigrams).
        let min_run = p.usize("min-run", 5)?;
        if min_run < 2 {
            return Err(format!("param \"min-run\" must be at least 2, got {min_run}"));
        }
        Ok(HeadlineRepair {
            confusables,
            min_run,
            reach: p.usize("reach", 12)?,
            beam: p.usize("beam", 64)?.max(1),
            min_coverage: p.f64("min-coverage", 0.9)?,
        })
    }
}

fn pack(cs: &[char]) -> u128 {
    cs.iter().fold(cs.len() as u128, |acc, &c| (acc << 21) | c as u128)
}

/// Character n-grams (2..=4) of the body's Han runs whose characters after the
/// first are among the fragments' (only those are ever looked up; the first may
/// be a lost character the body restores).
struct Grams {
    set: FxHashSet<u128>,
    chars: Vec<char>,
}

impl Grams {
    fn new(body: &str, wanted: &FxHashSet<char>) -> Self {
        let chars: Vec<char> = body.chars().map(|c| if is_han(c) { c } else { '\0' }).collect();
        let mut set = FxHashSet::default();
        for i in 0..chars.len() {
            if chars[i] == '\0' {
                continue;
            }
            for n in 2..=4.min(chars.len() - i) {
                if !wanted.contains(&chars[i + n - 1]) {
                    break;
                }
                set.insert(pack(&chars[i..i + n]));
            }
        }
        Grams { set, chars }
    }

    fn has(&self, w: &[char]) -> bool {
        self.set.contains(&pack(w))
    }

    /// Length of the longest attested n-gram (2..=4) ending at `s[p]`, or 0.
    fn longest_ending(&self, s: &[char], p: usize) -> usize {
        (2..=4).rev().find(|&n| n <= p + 1 && self.has(&s[p + 1 - n..=p])).unwrap_or(0)
    }

    /// The character the body always writes before `w`, with its count.
    fn lost_before(&self, w: &[char]) -> Option<(char, usize)> {
        let mut counts: HashMap<char, usize> = HashMap::new();
        let mut total = 0;
        for i in 1..self.chars.len().saturating_sub(w.len() - 1) {
            if self.chars[i..i + w.len()] == *w {
                total += 1;
                *counts.entry(self.chars[i - 1]).or_default() += 1;
            }
        }
        let (&c, &n) = counts.iter().max_by_key(|(_, n)| **n)?;
        (c != '\0' && n >= 3 && n * 10 >= total * 8).then_some((c, n))
    }
}

#[derive(Clone)]
struct State {
    seq: Vec<char>,
    used: u32,
    score: f64,
    subs: Vec<(char, char)>,
}

impl HeadlineRepair {
    fn assemble(&self, units: &[Vec<char>], g: &Grams) -> Option<State> {
        if units.is_empty() || units.len() > 16 {
            return None;
        }
        // An extension of a beam state: scored on the parent's last three characters,
        // built only when it survives the cut.
        struct Cand {
            parent: usize,
            unit: usize,
            sub: Option<(char, char)>,
            score: f64,
        }
        let mut beam = vec![State { seq: Vec::new(), used: 0, score: 0.0, subs: Vec::new() }];
        let mut buf: Vec<char> = Vec::new();
        for _ in 0..units.len() {
            let mut next: Vec<Cand> = Vec::new();
            for (pi, st) in beam.iter().enumerate() {
                let tail = &st.seq[st.seq.len().saturating_sub(3)..];
                for (k, u) in units.iter().enumerate() {
                    if st.used & (1 << k) != 0 {
                        continue;
                    }
                    let inversions = (k + 1..units.len()).filter(|&j| st.used & (1 << j) != 0).count();
                    let subs =
                        if u.len() == 1 { self.confusables.get(&u[0]).map_or(&[][..], Vec::as_slice) } else { &[] };
                    for sub in std::iter::once(None).chain(subs.iter().map(|&c| Some((u[0], c)))) {
                        buf.clear();
                        buf.extend_from_slice(tail);
                        match sub {
                            Some((_, c)) => buf.push(c),
                            None => buf.extend_from_slice(u),
                        }
                        let mut score = st.score;
                        for p in tail.len().max(1)..buf.len() {
                            score += g.longest_ending(&buf, p).saturating_sub(1) as f64;
                        }
                        score -= 0.01 * inversions as f64;
                        if sub.is_some() {
                            score -= 0.5;
                        }
                        next.push(Cand { parent: pi, unit: k, sub, score });
                    }
                }
            }
            next.sort_by(|a, b| b.score.total_cmp(&a.score));
            next.truncate(self.beam);
            beam = next
                .into_iter()
                .map(|c| {
                    let mut s = beam[c.parent].clone();
                    match c.sub {
                        Some(x) => {
                            s.seq.push(x.1);
                            s.subs.push(x);
                        }
                        None => s.seq.extend_from_slice(&units[c.unit]),
                    }
                    s.used |= 1 << c.unit;
                    s.score = c.score;
                    s
                })
                .collect();
        }
        beam.into_iter().next()
    }
}

/// Fraction of `s` covered by attested n-grams, and the longest attested n-gram.
fn coverage(s: &[char], g: &Grams) -> (f64, usize) {
    let mut covered = vec![false; s.len()];
    let mut longest = 0;
    for p in 1..s.len() {
        let n = g.longest_ending(s, p);
        if n >= 2 {
            covered[p + 1 - n..=p].iter_mut().for_each(|c| *c = true);
            longest = longest.max(n);
        }
    }
    // A 4-gram chain (`疫情防控` = `疫情防` + `情防控`) counts as longer.
    let mut run = 0;
    for p in 1..s.len() {
        if g.longest_ending(s, p) >= 3 {
            run += 1;
            longest = longest.max(run + 2);
        } else {
            run = 0;
        }
    }
    if s.is_empty() {
        return (0.0, 0);
    }
    (covered.iter().filter(|c| **c).count() as f64 / s.len() as f64, longest)
}

impl Mechanism for HeadlineRepair {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        let table = line_table(text, ctx);
        let ls = &table.lines;
        let kinds: Vec<Option<Pieces>> = table
            .facts
            .iter()
            .map(|f| {
                // Only scrambled lines (at most 48 characters, two blanks or more) and
                // lone characters matter here; most lines are neither, so their
                // pieces are looked at first.
                let (s, e) = (f.ts, f.te);
                let b = &text.as_bytes()[s..e];
                let few_blanks =
                    || memchr::memchr_iter(b' ', b).take(2).count() < 2 && !text[s..e].contains('\u{3000}');
                f.pieces.filter(|_| {
                    !(b.len() > 4 && (b.len() > 240 || few_blanks()))
                        && roles::overlapping(&ctx.roles, s, e).next().is_none()
                })
            })
            .collect();
        let mut taken = vec![false; ls.len()];
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, k) in kinds.iter().enumerate() {
            if *k != Some(Pieces::Scrambled) || taken[i] {
                continue;
            }
            taken[i] = true;
            let lo = i.saturating_sub(self.reach);
            let hi = (i + self.reach + 1).min(ls.len());
            let lone: Vec<usize> = (lo..hi).filter(|&j| !taken[j] && kinds[j] == Some(Pieces::Lone)).collect();
            for &j in &lone {
                taken[j] = true;
            }
            groups.push((i, lone));
        }
        if groups.is_empty() {
            return;
        }
        // The body: the text without the fragment lines.
        let mut body = String::with_capacity(text.len());
        let mut last = 0;
        for (i, l) in ls.iter().enumerate() {
            if taken[i] {
                body.push_str(&text[last..l.start]);
                last = l.end;
            }
        }
        body.push_str(&text[last..]);
        let mut wanted: FxHashSet<char> = FxHashSet::default();
        for (i, t) in taken.iter().enumerate() {
            if *t {
                for c in text[ls[i].start..ls[i].end].chars().filter(|&c| is_han(c)) {
                    wanted.insert(c);
                    wanted.extend(self.confusables.get(&c).into_iter().flatten());
                }
            }
        }
        let g = Grams::new(&body, &wanted);
        for (main, lone) in groups {
            let (ms, me) = trimmed_span(text, ls[main]);
            let mut runs: Vec<Vec<char>> = Vec::new();
            let mut units: Vec<Vec<char>> = Vec::new();
            for tok in trim(&text[ms..me]).split(|c: char| c.is_whitespace() || c == '\u{3000}') {
                // Punctuation inside a piece splits it (`,淞区…`).
                for part in tok.split(|c: char| !is_han(c)) {
                    let cs: Vec<char> = part.chars().collect();
                    if cs.is_empty() {
                        continue;
                    }
                    if cs.len() >= self.min_run {
                        runs.push(cs);
                    } else {
                        units.push(cs);
                    }
                }
            }
            for &j in &lone {
                let (s, e) = trimmed_span(text, ls[j]);
                units.push(text[s..e].chars().collect());
            }
            let mut restored = Vec::new();
            for r in runs.iter_mut() {
                if let Some((c, n)) = g.lost_before(&r[..2]) {
                    let mut tri = vec![c];
                    tri.extend_from_slice(&r[..2]);
                    if g.has(&tri) && !units.iter().any(|u| u == &vec![c]) {
                        restored.push(serde_json::json!({"char": c.to_string(), "before": r[..2].iter().collect::<String>(), "count": n}));
                        r.insert(0, c);
                    }
                }
            }
            let assembled = self.assemble(&units, &g);
            let Some(best) = assembled else { continue };
            let (cov, longest) = coverage(&best.seq, &g);
            if cov < self.min_coverage || longest < 4 {
                out.flag(StepFlag::new(ms, me, FlagKind::HeadlineFragment));
                for &j in &lone {
                    let (s, e) = trimmed_span(text, ls[j]);
                    out.flag(StepFlag::new(s, e, FlagKind::HeadlineFragment));
                }
                continue;
            }
            runs.sort_by_key(|r| std::cmp::Reverse(r.len()));
            let mut lines_out: Vec<String> = runs.iter().map(|r| r.iter().collect()).collect();
            lines_out.push(best.seq.iter().collect());
            let proposal = lines_out.join(" ");
            let attested: Vec<String> = {
                let mut v = Vec::new();
                let s = &best.seq;
                let mut p = s.len();
                while p > 1 {
                    let n = g.longest_ending(s, p - 1);
                    if n >= 2 {
                        v.push(s[p - n..p].iter().collect::<String>());
                        p -= n - 1;
                    }
                    p -= 1;
                }
                v.reverse();
                v
            };
            let evidence = serde_json::json!({
                "score": (best.score * 100.0).round() / 100.0,
                "coverage": (cov * 100.0).round() / 100.0,
                "attested_ngrams": attested,
                "restored": restored,
                "substitutions": best.subs.iter().map(|(a, b)| format!("{a}→{b}")).collect::<Vec<_>>(),
                "pieces_moved_in": lone.len(),
            });
            let mut f = StepFlag::new(ms, me, FlagKind::HeadlineFragment);
            f.proposal = Some(proposal);
            f.evidence = Some(evidence);
            out.flag(f);
            for &j in &lone {
                let (s, e) = trimmed_span(text, ls[j]);
                let mut f = StepFlag::new(s, e, FlagKind::HeadlineFragment);
                f.proposal = Some(String::new());
                f.evidence = Some(serde_json::json!({"moved_into_headline_at": ms}));
                out.flag(f);
            }
        }
    }
}

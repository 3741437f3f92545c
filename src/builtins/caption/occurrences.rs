//! The places of a caption's words in the squeezed text around it: what
//! `memchr::memmem::find_iter` gives, set up for a new key at every test.
//!
//! Why: the caption tests search tens of thousands of keys, each once, most
//! of them longer than the 32 bytes up to which `memmem` compares SIMD pairs
//! alone; for those it builds a Two-Way searcher, whose factorisation of the
//! key cost as much as the search in a page-sized window (2.5% of a run).
//! Here a long key's first [`PREFIX`] bytes are searched for, which sets up
//! cheaply, and the rest compared where they occur. The comparisons are
//! budgeted at a few window lengths, so that a periodic text (`一一一…` with a
//! key of `一`s and one other character) stays linear: past the budget the rest
//! of the window is searched with the key's own `memmem` searcher.

use memchr::memmem::Finder;

/// Bytes of a key searched for first: the longest key `memmem` searches with
/// SIMD pairs alone, without a Two-Way searcher.
const PREFIX: usize = 32;

/// Bytes of comparison a search may spend per byte of its window before it
/// hands the rest to the key's own searcher.
const BUDGET_PER_BYTE: usize = 4;

/// The non-overlapping places of `key` in `hay`, left to right, exactly as
/// `memchr::memmem::find_iter(hay, key)` yields them.
pub(super) fn occurrences<'a>(hay: &'a [u8], key: &'a [u8]) -> Occurrences<'a> {
    let search = if key.len() <= PREFIX {
        Search::Whole(Finder::new(key))
    } else {
        Search::Prefix { finder: Finder::new(&key[..PREFIX]), budget: BUDGET_PER_BYTE * hay.len() }
    };
    Occurrences { hay, key, pos: 0, search }
}

/// The iterator of [`occurrences`].
pub(super) struct Occurrences<'a> {
    hay: &'a [u8],
    key: &'a [u8],
    /// Where the search goes on: after the last place (`memmem`'s rule: the
    /// key's length, at least one byte, past it).
    pos: usize,
    search: Search<'a>,
}

enum Search<'a> {
    /// `memmem` on the whole key.
    Whole(Finder<'a>),
    /// The key's first [`PREFIX`] bytes, with the bytes of comparison left.
    Prefix { finder: Finder<'a>, budget: usize },
}

impl Iterator for Occurrences<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let at = loop {
            let rest = self.hay.get(self.pos..)?;
            match &mut self.search {
                Search::Whole(finder) => break self.pos + finder.find(rest)?,
                Search::Prefix { finder, budget } => {
                    let at = self.pos + finder.find(rest)?;
                    let tail = &self.key[PREFIX..];
                    if self.hay.get(at + PREFIX..at + self.key.len()) == Some(tail) {
                        break at;
                    }
                    *budget = budget.saturating_sub(tail.len());
                    self.pos = at + 1;
                    if *budget == 0 {
                        self.search = Search::Whole(Finder::new(self.key));
                    }
                }
            }
        };
        self.pos = at + self.key.len().max(1);
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_memmem_finds_them() {
        let long = "五六七八九十一二三四五六七八九十一二三四".as_bytes();
        let periodic = "一".repeat(400);
        let mut hays: Vec<Vec<u8>> =
            vec![Vec::new(), b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec()];
        hays.push([long, b"x", long, long, &long[..40]].concat());
        hays.push([periodic.as_bytes(), "二".as_bytes(), periodic.as_bytes()].concat());
        let keys: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"a".repeat(33),
            long.to_vec(),
            long[..33].to_vec(),
            [&long[3..], b"x".as_slice()].concat(),
            [periodic.as_bytes()[..60].to_vec(), "二".as_bytes().to_vec()].concat(),
            [periodic.as_bytes()[..90].to_vec(), "三".as_bytes().to_vec()].concat(),
        ];
        for hay in &hays {
            for key in &keys {
                let ours: Vec<usize> = occurrences(hay, key).collect();
                let theirs: Vec<usize> = memchr::memmem::find_iter(hay, key).collect();
                assert_eq!(ours, theirs, "{:?} in {:?}", String::from_utf8_lossy(key), String::from_utf8_lossy(hay));
            }
        }
    }
}

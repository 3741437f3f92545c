//! The shared word list: jieba-rs's embedded dictionary, built once per process.
//!
//! `Jieba::new()` costs about 130 ms, so it is built lazily on the first lookup
//! and shared by every document and thread. Lookups are only made at candidate
//! spaces (a handful per paragraph), never per character.

use jieba_rs::Jieba;
use std::sync::LazyLock;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Whether `word` is in the dictionary.
pub fn has_word(word: &str) -> bool {
    JIEBA.has_word(word)
}

/// Whether joining `left` and `right` (which are separated by a space in the
/// text) makes a dictionary word of at most four characters that straddles the
/// join: up to three characters from the end of `left` followed by up to three
/// from the start of `right` (so `争分夺|秒` and `干|部` both count). `left_tail`
/// and `right_head` hold up to three characters each, nearest the join last/first.
/// Only words of Han characters are asked about.
pub fn word_across(left_tail: &[char], right_head: &[char]) -> bool {
    let han = |c: &char| super::punct_common::is_han(*c);
    let lmax = left_tail.iter().rev().take(3).take_while(|c| han(c)).count();
    let rmax = right_head.iter().take(3).take_while(|c| han(c)).count();
    let mut buf = [0u8; 16];
    for l in 1..=lmax {
        for r in (1..=rmax).take_while(|r| l + r <= 4) {
            let mut n = 0;
            for &c in left_tail[left_tail.len() - l..].iter().chain(right_head[..r].iter()) {
                n += c.encode_utf8(&mut buf[n..]).len();
            }
            if let Ok(w) = std::str::from_utf8(&buf[..n]) {
                if has_word(w) {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_across_a_join() {
        assert!(word_across(&['干'], &['部']));
        assert!(word_across(&['员', '干'], &['部', '，']) || word_across(&['员', '干'], &['部']));
        assert!(word_across(&['贯'], &['彻', '二']));
        assert!(!word_across(&['十', '大'], &['砥', '砺']));
        assert!(word_across(&['争', '分', '夺'], &['秒', '去', '买']));
    }
}

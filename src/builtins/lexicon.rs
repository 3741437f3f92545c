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
/// text) makes a dictionary word that straddles the join: one or two characters
/// from the end of `left` followed by one or two from the start of `right`.
/// `left_tail` and `right_head` hold up to two characters each, nearest the join
/// last/first. Only multi-character words of Han characters are asked about.
pub fn word_across(left_tail: &[char], right_head: &[char]) -> bool {
    let mut buf = [0u8; 16];
    for l in 1..=left_tail.len().min(2) {
        for r in 1..=right_head.len().min(2) {
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
    }
}

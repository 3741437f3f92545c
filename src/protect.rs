//! Protected tokens: URLs, e-mail addresses, file paths, numbers and Latin words.
//!
//! Rules that declare `[scope] protect = [...]` never edit inside these spans, so
//! `289500034@qq.com,来件` keeps its address and `3,000` keeps its comma while the
//! prose around them is repaired.

use regex::Regex;
use std::sync::LazyLock;

/// A class of token a rule can protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// `http://…`, `https://…`, `ftp://…`, `www.…`.
    Url,
    /// `name@host.tld`.
    Email,
    /// `/etc/apt/sources.list`, `C:\Windows`, `./configure`.
    Path,
    /// `3,000`, `12:30`, `12.79`, `1.5`, `2022-11-15` (a comma only before a group of three digits).
    Number,
    /// Runs of Latin words with their inner punctuation: `Hello, world!`.
    Latin,
}

impl TokenClass {
    /// Parses a class name from a rule file.
    pub fn from_name(s: &str) -> Option<TokenClass> {
        match s {
            "url" => Some(TokenClass::Url),
            "email" => Some(TokenClass::Email),
            "path" => Some(TokenClass::Path),
            "number" => Some(TokenClass::Number),
            "latin" => Some(TokenClass::Latin),
            _ => None,
        }
    }

    fn pattern(self) -> &'static Regex {
        static URL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i-u)(?:\b(?:https?|ftp)://|\bwww\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%()-]*[A-Za-z0-9/#=_~-]")
                .unwrap()
        });
        static EMAIL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").unwrap());
        static PATH: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?:\.{0,2}/[A-Za-z0-9._-]+){2,}/?|(?-u:\b)[A-Za-z]:\\[A-Za-z0-9._\\-]+|(?-u:\b)[A-Za-z0-9_-]+\.[a-z]{1,4}(?-u:\b)",
            )
            .unwrap()
        });
        static NUMBER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"[0-9]+(?:[.:/-][0-9]+|,[0-9]{3}(?-u:\b))+").unwrap());
        static LATIN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"[A-Za-z][A-Za-z0-9'-]*(?:[,.:;!?]? +[A-Za-z0-9][A-Za-z0-9'-]*)+[.!?]?").unwrap()
        });
        match self {
            TokenClass::Url => &URL,
            TokenClass::Email => &EMAIL,
            TokenClass::Path => &PATH,
            TokenClass::Number => &NUMBER,
            TokenClass::Latin => &LATIN,
        }
    }

    /// Cheap test that the class cannot occur in `text` (skips the regex scan).
    fn absent(self, text: &str) -> bool {
        match self {
            TokenClass::Url => !text.contains("://") && !text.contains("www.") && !text.contains("WWW."),
            TokenClass::Email => memchr::memchr(b'@', text.as_bytes()).is_none(),
            TokenClass::Path => memchr::memchr3(b'/', b'\\', b'.', text.as_bytes()).is_none(),
            TokenClass::Number | TokenClass::Latin => false,
        }
    }
}

/// Sorted, merged byte spans of tokens of the given classes in `text`.
pub fn spans(text: &str, classes: &[TokenClass]) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = Vec::new();
    for &c in classes {
        if c.absent(text) {
            continue;
        }
        v.extend(c.pattern().find_iter(text).map(|m| (m.start(), m.end())));
    }
    v.sort_unstable();
    crate::text::merge_sorted_spans(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, c: TokenClass) -> Vec<&str> {
        spans(text, &[c]).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn email_stops_before_the_comma() {
        assert_eq!(found("电子邮件:289500034@qq.com,来件", TokenClass::Email), vec!["289500034@qq.com"]);
    }

    #[test]
    fn numbers_keep_separators() {
        assert_eq!(found("共3,000元,12:30到,12.79万人", TokenClass::Number), vec!["3,000", "12:30", "12.79"]);
        assert_eq!(found("从0到7,1对应,1,000,000", TokenClass::Number), vec!["1,000,000"]);
    }

    #[test]
    fn url_drops_trailing_punctuation() {
        assert_eq!(found("见 https://www.debian.org/doc/, 然后", TokenClass::Url), vec!["https://www.debian.org/doc/"]);
    }

    #[test]
    fn latin_sentence_is_one_span() {
        assert_eq!(found("他说 Hello, world! 然后", TokenClass::Latin), vec!["Hello, world!"]);
    }
}

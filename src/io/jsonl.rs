//! JSON Lines: one document per line, its text in one string field.
//!
//! A line is parsed without building a tree: the fields are walked in order, the
//! text field's raw value is located in the line, and the output line is the input
//! line with only that value replaced. Every other field, the key order and the
//! whitespace pass through byte for byte; an unchanged document is written back
//! exactly as it came.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::BufRead;

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text field's value, unescaped.
    pub text: String,
    /// Byte span of the text field's raw JSON value (with its quotes) in the line.
    pub span: (usize, usize),
    /// The `id` field, when it is a string or a number.
    pub id: Option<String>,
}

/// Why a line is not a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// Not valid JSON.
    #[error("not valid JSON: {0}")]
    NotJson(String),
    /// Valid JSON but not an object.
    #[error("not a JSON object")]
    NotObject,
    /// No text field.
    #[error("no {0:?} field")]
    Missing(String),
    /// The text field is not a string.
    #[error("field {0:?} is not a string")]
    NotString(String),
}

struct Fields<'f> {
    text_field: &'f str,
}

#[derive(Default)]
struct Found<'de> {
    text: Option<&'de RawValue>,
    id: Option<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = Found<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = Found<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Found::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.text_field {
                found.text = Some(map.next_value::<&'de RawValue>()?);
            } else if key == "id" {
                found.id = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Parses one line (without its line break). With duplicate keys the last wins,
/// as in serde_json.
pub fn parse_line(line: &str, text_field: &str) -> Result<Line, LineError> {
    let mut de = serde_json::Deserializer::from_str(line);
    let found = match (Fields { text_field }).deserialize(&mut de).and_then(|f| de.end().map(|_| f)) {
        Ok(f) => f,
        Err(e) => {
            return Err(match serde_json::from_str::<IgnoredAny>(line) {
                Ok(_) => LineError::NotObject,
                Err(_) => LineError::NotJson(e.to_string().replace("at line 1 column", "at column")),
            });
        }
    };
    let raw = found.text.ok_or_else(|| LineError::Missing(text_field.to_string()))?;
    let text: String = match serde_json::from_str::<String>(raw.get()) {
        Ok(t) if raw.get().starts_with('"') => t,
        // A string the parser takes as raw JSON but cannot decode (a lone surrogate `\ud800`).
        Err(e) if raw.get().starts_with('"') => {
            return Err(LineError::NotJson(format!("field {text_field:?}: {e}")));
        }
        _ => return Err(LineError::NotString(text_field.to_string())),
    };
    let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
    let span = (start, start + raw.get().len());
    let id = found.id.and_then(|r| {
        let s = r.get();
        if s.starts_with('"') {
            serde_json::from_str::<String>(s).ok()
        } else if s.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Some(s.to_string())
        } else {
            None
        }
    });
    Ok(Line { text, span, id })
}

/// `line` with the text value at `span` replaced by `text` (JSON-escaped).
pub fn splice(line: &str, span: (usize, usize), text: &str) -> String {
    let mut out = String::with_capacity(line.len() + text.len() + 2);
    out.push_str(&line[..span.0]);
    crate::io::json_string::push_json_string(&mut out, text);
    out.push_str(&line[span.1..]);
    out
}

/// One raw line of a JSON Lines file.
#[derive(Debug, Clone)]
pub struct RawLine {
    /// 1-based line number.
    pub number: usize,
    /// The line's bytes without its line break.
    pub bytes: Vec<u8>,
    /// The line break that ended it (`\n`, `\r\n`, or empty at EOF).
    pub eol: &'static str,
}

/// Reads lines in bounded batches: a batch ends after `max_lines` lines or once it
/// holds `max_bytes` bytes, so memory does not grow with the file.
pub struct Batches<R> {
    reader: R,
    next_line: usize,
    max_lines: usize,
    max_bytes: usize,
    done: bool,
}

impl<R: BufRead> Batches<R> {
    /// Batches over `reader`.
    pub fn new(reader: R, max_lines: usize, max_bytes: usize) -> Self {
        Batches { reader, next_line: 1, max_lines, max_bytes, done: false }
    }

    /// The next batch; empty at the end. A read error ends the file (the caller
    /// reports it with the line it happened on, [`Batches::line`]).
    pub fn next_batch(&mut self) -> std::io::Result<Vec<RawLine>> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while !self.done && batch.len() < self.max_lines && bytes < self.max_bytes {
            let mut buf = Vec::new();
            let n = self.reader.read_until(b'\n', &mut buf)?;
            if n == 0 {
                self.done = true;
                break;
            }
            let eol = if buf.ends_with(b"\r\n") {
                buf.truncate(buf.len() - 2);
                "\r\n"
            } else if buf.ends_with(b"\n") {
                buf.pop();
                "\n"
            } else {
                ""
            };
            if self.next_line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
            bytes += n;
            batch.push(RawLine { number: self.next_line, bytes: buf, eol });
            self.next_line += 1;
        }
        Ok(batch)
    }

    /// The number of the next line to be read.
    pub fn line(&self) -> usize {
        self.next_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_only_the_text_value() {
        let line = r#"{"id": 7, "text":"干 部,x", "meta" : {"a":[1, 2.50]}}"#;
        let l = parse_line(line, "text").unwrap();
        assert_eq!(l.text, "干 部,x");
        assert_eq!(l.id.as_deref(), Some("7"));
        assert_eq!(&line[l.span.0..l.span.1], r#""干 部,x""#);
        let out = splice(line, l.span, "干部，\"x\"\n");
        assert_eq!(out, r#"{"id": 7, "text":"干部，\"x\"\n", "meta" : {"a":[1, 2.50]}}"#);
    }

    #[test]
    fn bad_lines() {
        assert!(matches!(parse_line("{oops", "text"), Err(LineError::NotJson(_))));
        assert_eq!(parse_line("[1,2]", "text"), Err(LineError::NotObject));
        assert_eq!(parse_line("\"s\"", "text"), Err(LineError::NotObject));
        assert_eq!(parse_line(r#"{"body":"x"}"#, "text"), Err(LineError::Missing("text".into())));
        assert_eq!(parse_line(r#"{"text":3}"#, "text"), Err(LineError::NotString("text".into())));
        let lone_surrogate = parse_line(r#"{"text":"\ud800x"}"#, "text");
        assert!(matches!(&lone_surrogate, Err(LineError::NotJson(m)) if m.contains("escape")), "{lone_surrogate:?}");
        assert!(matches!(parse_line(r#"{"text":"a"} x"#, "text"), Err(LineError::NotJson(_))));
        assert_eq!(parse_line(r#"{"text":"a\u00e9","id":"d1"}"#, "text").unwrap().text, "aé");
    }

    #[test]
    fn batches_are_bounded_and_keep_line_breaks() {
        let data = b"\xEF\xBB\xBFa\r\nb\nc".to_vec();
        let mut b = Batches::new(std::io::Cursor::new(data), 2, 1 << 20);
        let first = b.next_batch().unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!((first[0].bytes.as_slice(), first[0].eol), (&b"a"[..], "\r\n"));
        let second = b.next_batch().unwrap();
        assert_eq!((second[0].number, second[0].eol), (3, ""));
        assert!(b.next_batch().unwrap().is_empty());
    }
}

//! JSON string literals written straight into a `String`, byte for byte as
//! `serde_json` writes them.
//!
//! Why: the output lines' text values and the report's edits (one per removed
//! wrap space, most of a report) are the bulk of what a run writes. `serde_json`
//! looks every byte up in its escape table and writes each string in pieces
//! through `io::Write`; here eight bytes are tested at once and a run without
//! anything to escape is copied whole.

/// Appends `s` as a JSON string literal, quotes included, escaped as
/// `serde_json` escapes it: `"` and `\` with a backslash, `\b \t \n \f \r` by
/// name, the other control characters below U+0020 as `\u00XX` (lowercase hex),
/// everything else (DEL and non-ASCII included) as it is.
pub fn push_json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let b = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        if i + 8 <= b.len() && !word_needs_escape(&b[i..i + 8]) {
            i += 8;
            continue;
        }
        if let Some(escape) = escape_of(b[i]) {
            out.push_str(&s[from..i]);
            push_escape(out, b[i], escape);
            from = i + 1;
        }
        i += 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// Whether one of the eight bytes is `"`, `\` or below `0x20`: the classic
/// zero-byte test (`(x - 0x01…) & !x & 0x80…`, exact about whether any byte is
/// zero) on the word itself shifted by `0x20` and on its XORs with the two marks.
fn word_needs_escape(w: &[u8]) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(w.try_into().expect("eight bytes"));
    let below = |v: u64, n: u64| v.wrapping_sub(LOW * n) & !v & HIGH != 0;
    below(x, 0x20) || below(x ^ (LOW * u64::from(b'"')), 1) || below(x ^ (LOW * u64::from(b'\\')), 1)
}

/// The escape `serde_json` writes for byte `c`: its letter after the backslash
/// (`u` for `\u00XX`), or `None` when `c` is written as it is.
fn escape_of(c: u8) -> Option<u8> {
    match c {
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        0x08 => Some(b'b'),
        b'\t' => Some(b't'),
        b'\n' => Some(b'n'),
        0x0C => Some(b'f'),
        b'\r' => Some(b'r'),
        0x00..=0x1F => Some(b'u'),
        _ => None,
    }
}

fn push_escape(out: &mut String, c: u8, escape: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('\\');
    out.push(char::from(escape));
    if escape == b'u' {
        out.push_str("00");
        out.push(char::from(HEX[usize::from(c >> 4)]));
        out.push(char::from(HEX[usize::from(c & 0xF)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(s: &str) -> String {
        let mut out = String::new();
        push_json_string(&mut out, s);
        out
    }

    #[test]
    fn as_serde_json_writes_it() {
        let mut cases: Vec<String> = (0u32..0x100).filter_map(char::from_u32).map(String::from).collect();
        cases.extend(
            ["", "党员干部", "a\"b\\c\nd", "一二三四五六七八\"九十", "\u{1f}\u{7f}\u{2028}é", "0123456\n89abcdef\\"]
                .map(String::from),
        );
        // Every byte to escape at every offset of a word, around Han text.
        for c in ['"', '\\', '\u{0}', '\u{1f}', '\n'] {
            for k in 0..9 {
                cases.push(format!("{}{c}{}", "x".repeat(k), "党".repeat(3)));
            }
        }
        for s in cases {
            assert_eq!(literal(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }
}

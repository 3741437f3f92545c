//! Decoding: bytes → UTF-8 text, whatever the OCR engine wrote.
//!
//! UTF-8 (BOM stripped) is taken as is; UTF-16 with a BOM is decoded; otherwise
//! chardetng guesses from a prefix (GB18030/GBK, Big5, …) and encoding_rs
//! decodes; a short input guessed as Japanese or Korean is read as GBK or Big5
//! when that reads as Chinese. UTF-16 without a BOM and binary files (NUL bytes) are refused with a
//! message saying which. A document that does not decode cleanly is an error naming the
//! byte offset of the first bad sequence, unless the caller accepts lossy text.
//! CRLF line endings are normalized to LF (the report says so) so that rules see
//! one kind of line break.

/// How far chardetng looks. 64 KiB was 100% accurate on GBK/Big5 from 128 B on.
const DETECT_PREFIX: usize = 64 * 1024;

/// A decoded document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, LF line endings.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GBK`, `Big5`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// The input's line endings (restored on output).
    pub newline: Newline,
    /// Whether malformed sequences were replaced (only with `lossy`).
    pub lossy: bool,
}

/// Why a document could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input is empty.
    #[error("empty input")]
    Empty,
    /// UTF-16 without a byte-order mark: NUL bytes in every other position.
    #[error("looks like {encoding} without a byte-order mark (NUL bytes at {parity} offsets); convert it to UTF-8 or add a BOM")]
    Utf16WithoutBom {
        /// `UTF-16LE` or `UTF-16BE`.
        encoding: &'static str,
        /// Where the NULs are: `odd` (LE) or `even` (BE).
        parity: &'static str,
    },
    /// NUL bytes outside UTF-16: a binary file.
    #[error("binary data (NUL byte at offset {offset})")]
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// Not valid in any detected encoding.
    #[error("invalid {encoding} at byte offset {offset} (use --lossy to replace bad sequences)")]
    Invalid {
        /// The encoding tried.
        encoding: &'static str,
        /// Byte offset of the first malformed sequence.
        offset: usize,
    },
}

/// [`decode`] taking the bytes by value: plain UTF-8 (the common case) becomes
/// the text without a copy, which matters for a document of hundreds of MB.
pub fn decode_owned(bytes: Vec<u8>, lossy: bool) -> Result<Decoded, DecodeError> {
    let plain = encoding_rs::Encoding::for_bom(&bytes).is_none() && memchr::memchr(0, &bytes).is_none();
    match String::from_utf8(bytes) {
        Ok(text) if plain && !text.is_empty() => Ok(normalize_newlines(text, "UTF-8", false)),
        Ok(text) => decode(text.as_bytes(), lossy),
        Err(e) => decode(e.as_bytes(), lossy),
    }
}

fn normalize_newlines(text: String, encoding: &'static str, lossy: bool) -> Decoded {
    let (text, newline) = Newline::normalize(text);
    Decoded { text, encoding, newline, lossy }
}

/// The line endings of a document: rules see LF, the output gets the input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Newline {
    /// `\n` (also for a text without line breaks).
    #[default]
    Lf,
    /// `\r\n` (Windows).
    Crlf,
    /// `\r` alone (classic Mac OS): without it the whole text would be one line.
    Cr,
}

impl Newline {
    /// The name used in reports: `lf`, `crlf` or `cr`.
    pub fn name(self) -> &'static str {
        match self {
            Newline::Lf => "lf",
            Newline::Crlf => "crlf",
            Newline::Cr => "cr",
        }
    }

    /// `text` with LF line endings, and the endings it had: CRLF when it holds
    /// one, CR when it has carriage returns and no line feed at all.
    pub fn normalize(text: String) -> (String, Newline) {
        let b = text.as_bytes();
        if memchr::memmem::find(b, b"\r\n").is_some() {
            (text.replace("\r\n", "\n"), Newline::Crlf)
        } else if memchr::memchr(b'\r', b).is_some() && memchr::memchr(b'\n', b).is_none() {
            (text.replace('\r', "\n"), Newline::Cr)
        } else {
            (text, Newline::Lf)
        }
    }

    /// Turns the LF line endings of `text` back into these.
    pub fn restore(self, text: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Newline::Lf => std::borrow::Cow::Borrowed(text),
            Newline::Crlf => std::borrow::Cow::Owned(text.replace('\n', "\r\n")),
            Newline::Cr => std::borrow::Cow::Owned(text.replace('\n', "\r")),
        }
    }
}

/// Decodes `bytes`. With `lossy`, malformed sequences become U+FFFD instead of an error.
pub fn decode(bytes: &[u8], lossy: bool) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (text, encoding, lossy_used) = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (cow, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && !lossy {
            return Err(DecodeError::Invalid {
                encoding: enc.name(),
                offset: first_error(enc, &bytes[bom_len..]) + bom_len,
            });
        }
        (cow.into_owned(), enc.name(), had_errors)
    } else {
        if let Some(offset) = memchr::memchr(0, bytes) {
            if let Some(e) = utf16_without_bom(bytes) {
                return Err(e);
            }
            return Err(DecodeError::Binary { offset });
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "UTF-8", false),
            Err(e) => {
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
                det.feed(prefix, prefix.len() == bytes.len());
                let enc = chinese_reading(bytes, det.guess(None, chardetng::Utf8Detection::Allow));
                let looks_utf8 = enc == encoding_rs::UTF_8 || is_truncated_utf8(bytes, e.valid_up_to());
                if looks_utf8 || !is_cjk_legacy(enc) {
                    if !lossy {
                        return Err(DecodeError::Invalid { encoding: "UTF-8", offset: e.valid_up_to() });
                    }
                    (String::from_utf8_lossy(bytes).into_owned(), "UTF-8", true)
                } else {
                    let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
                    if had_errors && !lossy {
                        return Err(DecodeError::Invalid { encoding: enc.name(), offset: first_error(enc, bytes) });
                    }
                    (cow.into_owned(), enc.name(), had_errors)
                }
            }
        }
    };
    Ok(normalize_newlines(text, encoding, lossy_used))
}

/// Legacy encodings worth decoding as Chinese (or its neighbours) rather than
/// calling the file broken UTF-8.
/// Below this many bytes chardetng's statistics are thin: a few Big5 or GBK
/// characters can look like EUC-JP or EUC-KR.
const SHORT_INPUT: usize = 256;

/// For short inputs guessed as a Japanese or Korean encoding, the Chinese
/// reading (GBK or Big5) that decodes cleanly with the most Han and the least
/// kana, hangul and symbols, when it reads better than the guess: this is a
/// Chinese OCR cleaner, and a wrong guess would turn the text into mojibake.
fn chinese_reading(bytes: &[u8], guess: &'static encoding_rs::Encoding) -> &'static encoding_rs::Encoding {
    let japanese_or_korean = [encoding_rs::EUC_JP, encoding_rs::EUC_KR, encoding_rs::SHIFT_JIS].contains(&guess);
    if bytes.len() >= SHORT_INPUT || !japanese_or_korean {
        return guess;
    }
    let score = |enc: &'static encoding_rs::Encoding| -> Option<i64> {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        (!had_errors).then(|| {
            text.chars()
                .map(|c| match c as u32 {
                    0x4E00..=0x9FFF => 1,
                    0x3040..=0x30FF | 0x3130..=0x318F | 0xAC00..=0xD7AF | 0xFF61..=0xFF9F | 0xE000..=0xF8FF => -3,
                    0x0370..=0x052F | 0x2500..=0x257F => -3,
                    _ => 0,
                })
                .sum()
        })
    };
    let mut best = (guess, score(guess).unwrap_or(i64::MIN));
    for enc in [encoding_rs::GBK, encoding_rs::BIG5] {
        if let Some(s) = score(enc) {
            if s > best.1 {
                best = (enc, s);
            }
        }
    }
    best.0
}

fn is_cjk_legacy(enc: &'static encoding_rs::Encoding) -> bool {
    [
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::EUC_KR,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
    ]
    .contains(&enc)
}

/// UTF-16 text without a BOM: its ASCII characters (line breaks, digits, Latin)
/// put a NUL in every other byte, all on one side, and it decodes cleanly (and
/// is not valid UTF-8 unless nearly all of it is ASCII). Pure
/// Han text has no NULs at all and is not recognized (it fails as invalid UTF-8
/// or as a legacy encoding instead).
fn utf16_without_bom(bytes: &[u8]) -> Option<DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let (even, odd) = prefix.iter().enumerate().filter(|(_, &b)| b == 0).fold((0, 0), |(e, o), (i, _)| {
        if i % 2 == 0 {
            (e + 1, o)
        } else {
            (e, o + 1)
        }
    });
    // Valid UTF-8 with a few NULs is UTF-8 with stray NULs (binary, not UTF-16):
    // UTF-16 is valid UTF-8 only when its characters are nearly all ASCII, and
    // then every other byte is a NUL.
    if (even + odd) * 4 < prefix.len() && std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let (enc, parity) = match (even, odd) {
        (0, n) if n > 0 => (encoding_rs::UTF_16LE, "odd"),
        (n, 0) if n > 0 => (encoding_rs::UTF_16BE, "even"),
        _ => return None,
    };
    let (_, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors).then_some(DecodeError::Utf16WithoutBom { encoding: enc.name(), parity })
}

/// A UTF-8 file whose only fault is a multi-byte character cut off at the end.
fn is_truncated_utf8(bytes: &[u8], valid_up_to: usize) -> bool {
    bytes.len() - valid_up_to < 4 && std::str::from_utf8(&bytes[..valid_up_to]).is_ok() && bytes[valid_up_to] >= 0xC0
}

fn first_error(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = vec![0u8; 4096];
    let mut pos = 0;
    loop {
        let (res, read, _) = decoder.decode_to_utf8_without_replacement(&bytes[pos..], &mut out, true);
        match res {
            encoding_rs::DecoderResult::Malformed(bad, _) => return (pos + read).saturating_sub(bad as usize),
            encoding_rs::DecoderResult::OutputFull => pos += read,
            encoding_rs::DecoderResult::InputEmpty => return bytes.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_big5_are_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode("株洲日报讯，市贸促会组织全体党员干部赴茶陵开展研讨活动。");
        let d = decode(&gbk, false).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.starts_with("株洲日报讯"));
        let (big5, _, _) = encoding_rs::BIG5.encode("株洲日報訊，市貿促會組織全體黨員幹部赴茶陵開展研討活動。");
        assert_eq!(decode(&big5, false).unwrap().encoding, "Big5");
        // A few characters: chardetng alone guesses EUC-JP for this Big5 and
        // EUC-KR for short GBK.
        for (enc, text) in
            [(encoding_rs::BIG5, "測試,文本"), (encoding_rs::GBK, "测试,文本"), (encoding_rs::GBK, "党员干部")]
        {
            let d = decode(&enc.encode(text).0, false).unwrap();
            assert_eq!((d.encoding, d.text.as_str()), (enc.name(), text));
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(decode(b"", false), Err(DecodeError::Empty));
        assert_eq!(decode(b"ab\0cd", false), Err(DecodeError::Binary { offset: 2 }));
        let mut cut = "干部".as_bytes().to_vec();
        cut.pop();
        assert_eq!(decode(&cut, false), Err(DecodeError::Invalid { encoding: "UTF-8", offset: 3 }));
        assert!(decode(&cut, true).unwrap().lossy);
    }

    #[test]
    fn owned_decoding_agrees() {
        for bytes in [&b"a\r\nb"[..], "\u{feff}x".as_bytes(), b"", b"a\0b", b"\xff\xfe\x2d\x4e", b"\xe5\xb9"] {
            assert_eq!(decode_owned(bytes.to_vec(), false), decode(bytes, false), "{bytes:?}");
        }
    }

    #[test]
    fn bom_and_crlf() {
        let d = decode("\u{feff}一\r\n二".as_bytes(), false).unwrap();
        assert_eq!((d.text.as_str(), d.newline), ("一\n二", Newline::Crlf));
        assert_eq!(d.newline.restore(&d.text), "一\r\n二");
        let mac = decode("一\r二\r".as_bytes(), false).unwrap();
        assert_eq!((mac.text.as_str(), mac.newline), ("一\n二\n", Newline::Cr));
        assert_eq!(mac.newline.restore(&mac.text), "一\r二\r");
        let mixed = decode("一\r二\n".as_bytes(), false).unwrap();
        assert_eq!((mixed.text.as_str(), mixed.newline), ("一\r二\n", Newline::Lf));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("中文".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16, false).unwrap().text, "中文");
        let le: Vec<u8> = "中文\n12".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = "中文\n12".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le, false), Err(DecodeError::Utf16WithoutBom { encoding: "UTF-16LE", parity: "odd" }));
        assert_eq!(decode(&be, false), Err(DecodeError::Utf16WithoutBom { encoding: "UTF-16BE", parity: "even" }));
        assert!(matches!(decode(b"\x89PNG\0\0\0\rIHDR", false), Err(DecodeError::Binary { offset: 4 })));
        // A stray NUL in UTF-8 text is not UTF-16 (one NUL at an even offset was taken for UTF-16BE).
        assert_eq!(decode("文字\0中间，有NUL。\n".as_bytes(), false), Err(DecodeError::Binary { offset: 6 }));
        let ascii_le: Vec<u8> = "plain ASCII text\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(matches!(decode(&ascii_le, false), Err(DecodeError::Utf16WithoutBom { encoding: "UTF-16LE", .. })));
    }
}

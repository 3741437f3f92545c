// The keys of the lexicon's tables, shared through `include!` by `build.rs`,
// which builds the tables, and by `lexicon`, which reads them: a build script
// cannot call the crate, and the two sides must agree bit for bit.

/// Bits of the pair filter's hash: the filter holds 2^PAIR_HASH_BITS bits.
const PAIR_HASH_BITS: u32 = 22;

/// The pair filter's hash of two adjacent characters.
fn pair_hash(a: char, b: char) -> usize {
    let x = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> (64 - PAIR_HASH_BITS)) as usize
}

/// The word table's size in bits of a slot index.
const WORD_TABLE_BITS: u32 = 19;

/// The word table's key of a string of one to four characters of the Basic
/// Multilingual Plane other than NUL (every listed word is one): the 16-bit
/// codes, first in the highest bits, zero-padded. Other strings have none.
fn word_key(chars: impl IntoIterator<Item = char>) -> Option<u64> {
    let mut key = 0u64;
    let mut n = 0;
    for c in chars {
        let code = u32::from(c);
        if n == 4 || code == 0 || code > 0xFFFF {
            return None;
        }
        key = key << 16 | u64::from(code);
        n += 1;
    }
    (n > 0).then(|| key << (16 * (4 - n)))
}

/// The word table's first slot for `key` (linear probing goes on from there).
fn slot_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WORD_TABLE_BITS)) as usize
}

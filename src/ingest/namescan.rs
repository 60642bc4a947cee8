//! A fast path for deriving names: one pass over a raw test name, eight
//! bytes at a time, marks where its brackets and spaces are; the display
//! name and identity key are then read off those marks instead of looking
//! at each byte again.
//!
//! Every spec of every release goes through here, and test names are about
//! half the bytes of a JUnit file, so this is the hot loop of a load. Names
//! the fast path is not sure about (longer than [`MAX_LEN`], or holding a
//! control character such as a tab or line break) return `None`, and the
//! callers in [`crate::ingest::names`] use the plain byte-by-byte code instead,
//! which gives the same results; a test checks that on real names.

/// The longest name the fast path handles (real names are under 400 bytes).
pub(crate) const MAX_LEN: usize = 512;
const WORDS: usize = MAX_LEN / 64;

use wide::u8x16;

/// What a key derivation saw on its way through a name (the fast path here
/// and the plain one in [`crate::ingest::names`] report the same).
#[derive(Default)]
pub(crate) struct KeyScan {
    /// The byte range, in the display name, of the first tag starting with
    /// `sig-` (as [`crate::ingest::names::sig_of`] finds it).
    pub(crate) sig: Option<(usize, usize)>,
    /// Whether the display name contains `[Conformance]`.
    pub(crate) conformance: bool,
}

/// Where `[`, `]` and spaces are in a name, one bit per byte.
pub(crate) struct NameBits {
    open: [u64; WORDS],
    close: [u64; WORDS],
    space: [u64; WORDS],
    len: usize,
}

impl NameBits {
    /// Mark a name, or `None` when the fast path should not be used: too
    /// long, or a byte below 0x20 (tab, line break, form feed, ...).
    pub(crate) fn scan(bytes: &[u8]) -> Option<NameBits> {
        if bytes.len() > MAX_LEN {
            return None;
        }
        let mut bits = NameBits {
            open: [0; WORDS],
            close: [0; WORDS],
            space: [0; WORDS],
            len: bytes.len(),
        };
        // Sixteen bytes at a time with SIMD compares (SSE2 on x86-64, NEON
        // on ARM, plain code elsewhere, chosen by the `wide` crate).
        let open = u8x16::splat(b'[');
        let close = u8x16::splat(b']');
        let space = u8x16::splat(b' ');
        let below = u8x16::splat(0x1F);
        let mut ctrl = 0u32;
        for (k, chunk) in bytes.chunks(16).enumerate() {
            let v = match <[u8; 16]>::try_from(chunk) {
                Ok(a) => u8x16::new(a),
                Err(_) => {
                    // Pad the tail with a byte that is none of the above.
                    let mut a = [b'a'; 16];
                    a[..chunk.len()].copy_from_slice(chunk);
                    u8x16::new(a)
                }
            };
            ctrl |= v.min(below).simd_eq(v).to_bitmask();
            let (word, shift) = (k / 4, (k % 4) * 16);
            bits.open[word] |= u64::from(v.simd_eq(open).to_bitmask()) << shift;
            bits.close[word] |= u64::from(v.simd_eq(close).to_bitmask()) << shift;
            bits.space[word] |= u64::from(v.simd_eq(space).to_bitmask()) << shift;
        }
        (ctrl == 0).then_some(bits)
    }

    /// The first marked position in `from..end` of `set`, or `end`.
    #[inline]
    fn next(set: &[u64; WORDS], from: usize, end: usize) -> usize {
        if from >= end {
            return end;
        }
        let mut w = from / 64;
        let mut cur = set[w] & (!0u64 << (from % 64));
        loop {
            if cur != 0 {
                return (w * 64 + cur.trailing_zeros() as usize).min(end);
            }
            w += 1;
            if w >= WORDS || w * 64 >= end {
                return end;
            }
            cur = set[w];
        }
    }

    fn is_space(&self, at: usize) -> bool {
        at < self.len && self.space[at / 64] >> (at % 64) & 1 == 1
    }

    /// Whether `bytes[from..]` is already a display name: no space at either
    /// end and no two spaces in a row (control bytes were ruled out by
    /// [`NameBits::scan`]).
    pub(crate) fn tidy_from(&self, from: usize) -> bool {
        if from >= self.len {
            return true;
        }
        if self.is_space(from) || self.is_space(self.len - 1) {
            return false;
        }
        // A space whose next byte is a space, at or after `from`.
        for w in from / 64..WORDS {
            let next = self.space.get(w + 1).map_or(0, |n| n << 63);
            let mut double = self.space[w] & ((self.space[w] >> 1) | next);
            if w == from / 64 {
                double &= !0u64 << (from % 64);
            }
            if double != 0 {
                return false;
            }
        }
        true
    }

    /// The identity key of `bytes[from..]`, which must be tidy (see
    /// [`NameBits::tidy_from`]), written into `out`, with what the plain
    /// code reports beside it.
    pub(crate) fn key_into(&self, bytes: &[u8], from: usize, out: &mut Vec<u8>) -> KeyScan {
        out.clear();
        out.reserve(self.len - from.min(self.len));
        let end = self.len;
        let mut sig = None;
        let mut conformance = false;
        let mut nested = false;
        let mut i = from;
        while i < end {
            let open = Self::next(&self.open, i, end);
            out.extend_from_slice(&bytes[i..open]);
            if open == end {
                break;
            }
            let close = Self::next(&self.close, open + 1, end);
            if close == end {
                out.extend_from_slice(&bytes[open..]);
                break;
            }
            let inner = &bytes[open + 1..close];
            let inner_open = Self::next(&self.open, open + 1, close) < close;
            let phrase = inner_open || Self::next(&self.space, open + 1, close) < close;
            if sig.is_none() && inner.starts_with(b"sig-") {
                sig = Some((open + 1 - from, close - from));
            }
            conformance |= inner == b"Conformance";
            nested |= inner_open;
            i = close + 1;
            if phrase {
                out.extend_from_slice(&bytes[open..=close]);
            } else if self.is_space(i) && out.last().is_none_or(|&b| b == b' ') {
                // The tag's own space goes with it, so words stay single-spaced.
                i += 1;
            }
        }
        if nested {
            conformance = memchr::memmem::find(&bytes[from..], b"[Conformance]").is_some();
        }
        if out.last() == Some(&b' ') {
            out.pop();
        }
        out.make_ascii_lowercase();
        KeyScan { sig, conformance }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marks agree with looking at each byte, for every byte value at
    /// every position of a 16-byte block and across block and word edges.
    #[test]
    fn marks_match_each_byte() {
        for b in 0x20..=255u8 {
            for len in [1, 15, 16, 17, 63, 64, 65, 200] {
                let mut name = vec![b'x'; len];
                for at in [0, len / 2, len - 1] {
                    name[at] = b;
                }
                let Some(bits) = NameBits::scan(&name) else {
                    panic!("byte {b:#x} refused");
                };
                for (i, &c) in name.iter().enumerate() {
                    let bit = |set: &[u64; WORDS]| set[i / 64] >> (i % 64) & 1 == 1;
                    assert_eq!(bit(&bits.open), c == b'[', "{b:#x} at {i} of {len}");
                    assert_eq!(bit(&bits.close), c == b']', "{b:#x} at {i} of {len}");
                    assert_eq!(bit(&bits.space), c == b' ', "{b:#x} at {i} of {len}");
                }
            }
        }
        for b in 0..0x20u8 {
            assert!(NameBits::scan(&[b'x', b, b'y']).is_none(), "{b:#x}");
        }
    }

    #[test]
    fn refuses_control_bytes_and_long_names() {
        assert!(NameBits::scan(b"a\tb").is_none());
        assert!(NameBits::scan(b"a\x0cb").is_none());
        assert!(NameBits::scan(&[b'x'; MAX_LEN + 1]).is_none());
        assert!(NameBits::scan(&[b'x'; MAX_LEN]).is_some());
    }

    #[test]
    fn tidiness_across_word_edges() {
        let mut name = vec![b'x'; 130];
        assert!(NameBits::scan(&name).is_some_and(|b| b.tidy_from(0)));
        name[63] = b' ';
        name[64] = b' ';
        assert!(NameBits::scan(&name).is_some_and(|b| !b.tidy_from(0)));
        name[63] = b'x';
        name[129] = b' ';
        assert!(NameBits::scan(&name).is_some_and(|b| !b.tidy_from(0)));
        let b = NameBits::scan(b"[It]  x").map(|b| (b.tidy_from(0), b.tidy_from(5)));
        assert_eq!(b, Some((false, false)));
    }
}

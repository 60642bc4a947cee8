//! The built-in index of Kubernetes' conformance lists.
//!
//! Kubernetes publishes one `conformance.yaml` per minor version (v1.18 to
//! v1.36 here, about 3.8 MB of YAML together). The viewer needs only each
//! entry's `testname`, `codename`, `release` and `file`, and most entries are
//! the same from one version to the next, so the lists are kept in the binary
//! as a small index (`assets/conformance-index.bin`) that
//! [`crate::conformance_list::ConformanceLists::builtin`] decodes once.
//!
//! The index is derived from the Kubernetes project's files (Copyright The
//! Kubernetes Authors, Apache License 2.0; see
//! `assets/NOTICE-kubernetes.txt`). Regenerate it with:
//!
//! ```text
//! cargo run --example gen_conformance_index -- ../shared/data/conformance-yaml assets/conformance-index.bin
//! ```
//!
//! # Format
//!
//! The file is the magic `CVCI`, a format byte ([`FORMAT_VERSION`]) and a
//! zlib stream (best compression; its Adler-32 checksum catches corruption)
//! of the payload. Every number of the payload is an unsigned LEB128 varint:
//!
//! 1. the string table: a count, then each string as its byte length and
//!    its UTF-8 bytes, in order of first use;
//! 2. the entry table: a count, then each distinct entry as four string
//!    indices (testname, codename, release, file), in order of first use;
//! 3. the versions, oldest first: a count, then for each the major and minor
//!    number, the number of entries and each entry's index in the entry table
//!    as the zigzag-encoded difference from the previous one (starting from
//!    -1), so a run of consecutive entries is a run of `2`s.
//!
//! Strings and entries are numbered by their first use, scanning the versions
//! oldest first and each list in file order, so the same lists always give
//! the same bytes.
//!
//! [`decode`] checks everything (sizes, counts, indices, UTF-8, version
//! order, no bytes left over) and returns an error, never panics, on a
//! corrupt index.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use crate::conformance_list::{
    ConformanceList, ConformanceLists, ListEntry, MAX_LIST_BYTES, MAX_LIST_ENTRIES,
};

/// The index built into the binary (`assets/conformance-index.bin`).
pub static BUILTIN_INDEX: &[u8] = include_bytes!("../assets/conformance-index.bin");

/// The first bytes of an index file.
pub const MAGIC: &[u8; 4] = b"CVCI";

/// The format of the index this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;

/// Largest payload accepted once decompressed (the real one is under
/// 200 KB); a corrupt stream cannot make [`decode`] allocate more.
const MAX_PAYLOAD_BYTES: u64 = 16 * 1024 * 1024;

/// Most versions accepted in an index.
const MAX_VERSIONS: usize = 1_000;

/// Longest string accepted in an index (as for a scalar of a list).
const MAX_STRING_BYTES: usize = 64 * 1024;

/// The built-in lists, decoded on first use; the error says why the index
/// could not be read (only possible if the asset was damaged in the build).
pub fn builtin() -> Result<&'static ConformanceLists, &'static str> {
    static DECODED: OnceLock<Result<ConformanceLists, String>> = OnceLock::new();
    match DECODED.get_or_init(|| decode(BUILTIN_INDEX)) {
        Ok(lists) => Ok(lists),
        Err(message) => Err(message.as_str()),
    }
}

/// Read every list of `dir` (as [`ConformanceLists::load_dir`] does) and
/// encode them; fails when a file of the folder could not be read, or when
/// the folder holds no list, so a broken folder never makes a partial index.
pub fn build_from_dir(dir: &Path) -> Result<Vec<u8>, String> {
    let (lists, errors) = ConformanceLists::load_dir(dir);
    if let Some(first) = errors.first() {
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        return Err(format!(
            "{} problem(s) reading {}, first: {first}\n{}",
            errors.len(),
            dir.display(),
            all.join("\n")
        ));
    }
    if lists.is_empty() {
        return Err(format!("no conformance list found in {}", dir.display()));
    }
    encode(&lists)
}

/// Encode lists as an index (see the module documentation for the format).
/// The same lists always give the same bytes.
pub fn encode(lists: &ConformanceLists) -> Result<Vec<u8>, String> {
    let mut strings: Vec<&str> = Vec::new();
    let mut string_ids: HashMap<&str, u64> = HashMap::new();
    let mut tuples: Vec<[u64; 4]> = Vec::new();
    let mut tuple_ids: HashMap<[u64; 4], u64> = HashMap::new();
    let mut versions: Vec<((u32, u32), Vec<u64>)> = Vec::new();
    for version in lists.versions() {
        let Some(list) = lists.for_version(version) else {
            continue;
        };
        let mut ids = Vec::with_capacity(list.entries.len());
        for entry in &list.entries {
            let mut tuple = [0u64; 4];
            let fields = [
                entry.testname.as_str(),
                entry.codename.as_str(),
                entry.release.as_str(),
                entry.file.as_str(),
            ];
            for (slot, field) in tuple.iter_mut().zip(fields) {
                *slot = *string_ids.entry(field).or_insert_with(|| {
                    strings.push(field);
                    strings.len() as u64 - 1
                });
            }
            let id = *tuple_ids.entry(tuple).or_insert_with(|| {
                tuples.push(tuple);
                tuples.len() as u64 - 1
            });
            ids.push(id);
        }
        versions.push((version, ids));
    }

    let mut payload = Vec::new();
    put_varint(&mut payload, strings.len() as u64);
    for s in &strings {
        put_varint(&mut payload, s.len() as u64);
        payload.extend_from_slice(s.as_bytes());
    }
    put_varint(&mut payload, tuples.len() as u64);
    for tuple in &tuples {
        for &id in tuple {
            put_varint(&mut payload, id);
        }
    }
    put_varint(&mut payload, versions.len() as u64);
    for ((major, minor), ids) in &versions {
        put_varint(&mut payload, u64::from(*major));
        put_varint(&mut payload, u64::from(*minor));
        put_varint(&mut payload, ids.len() as u64);
        let mut previous: i64 = -1;
        for &id in ids {
            let id = id as i64;
            put_varint(&mut payload, zigzag(id - previous));
            previous = id;
        }
    }

    let mut out = Vec::with_capacity(payload.len() / 4);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    let mut encoder = flate2::write::ZlibEncoder::new(out, flate2::Compression::best());
    encoder
        .write_all(&payload)
        .map_err(|e| format!("cannot compress the index: {e}"))?;
    encoder
        .finish()
        .map_err(|e| format!("cannot compress the index: {e}"))
}

/// Decode an index into lists, with their lookups built exactly as
/// [`ConformanceList::new`] builds them for lists read from YAML. Any damage
/// (wrong magic or format, a truncated or corrupt stream, an index out of
/// range, bytes left over) is an error saying what is wrong.
pub fn decode(bytes: &[u8]) -> Result<ConformanceLists, String> {
    decode_payload(&payload(bytes)?)
}

/// The uncompressed payload of an index, after checking its magic, format
/// byte and zlib stream (complete, checksum right, nothing after it); for
/// comparing two indexes by content.
pub fn payload(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not a conformance index (the magic bytes are missing)")?;
    let (&format, compressed) = rest
        .split_first()
        .ok_or("the conformance index stops after its magic bytes")?;
    if format != FORMAT_VERSION {
        return Err(format!(
            "conformance index format {format}, this build reads format {FORMAT_VERSION}"
        ));
    }
    let mut inflate = flate2::Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(compressed.len().saturating_mul(8).min(1 << 20));
    loop {
        if out.len() == out.capacity() {
            if out.len() as u64 >= MAX_PAYLOAD_BYTES {
                return Err(format!(
                    "the conformance index unpacks to over {MAX_PAYLOAD_BYTES} bytes"
                ));
            }
            out.reserve(256 * 1024);
        }
        let before = (inflate.total_in(), inflate.total_out());
        let input = usize::try_from(before.0)
            .ok()
            .and_then(|done| compressed.get(done..))
            .unwrap_or(&[]);
        match inflate.decompress_vec(input, &mut out, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => break,
            Ok(_) => {
                if (inflate.total_in(), inflate.total_out()) == before {
                    return Err("the conformance index is truncated".into());
                }
            }
            Err(e) => return Err(format!("the conformance index is damaged: {e}")),
        }
    }
    if inflate.total_in() != compressed.len() as u64 {
        return Err("the conformance index has bytes after its end".into());
    }
    Ok(out)
}

fn decode_payload(payload: &[u8]) -> Result<ConformanceLists, String> {
    let mut r = Reader {
        bytes: payload,
        pos: 0,
    };

    // Each string takes at least its length byte.
    let string_count = r.count(1, "strings")?;
    let mut strings: Vec<&str> = Vec::with_capacity(string_count);
    for _ in 0..string_count {
        let len = r.count(1, "string bytes")?;
        if len > MAX_STRING_BYTES {
            return Err(r.error(&format!("a string over {MAX_STRING_BYTES} bytes")));
        }
        let raw = r.take(len)?;
        let s = std::str::from_utf8(raw).map_err(|_| r.error("a string is not valid UTF-8"))?;
        strings.push(s);
    }

    // Each entry takes at least four bytes.
    let tuple_count = r.count(4, "entries")?;
    let mut tuples: Vec<[usize; 4]> = Vec::with_capacity(tuple_count);
    for _ in 0..tuple_count {
        let mut tuple = [0usize; 4];
        for slot in &mut tuple {
            *slot = r.index(strings.len(), "string")?;
        }
        if strings[tuple[1]].trim().is_empty() {
            return Err(r.error("an entry without a codename"));
        }
        tuples.push(tuple);
    }

    // Each version takes at least three bytes.
    let version_count = r.count(3, "versions")?;
    if version_count > MAX_VERSIONS {
        return Err(r.error(&format!("more than {MAX_VERSIONS} versions")));
    }
    let mut lists = Vec::with_capacity(version_count);
    let mut last: Option<(u32, u32)> = None;
    for _ in 0..version_count {
        let major = r.number_u32("major version")?;
        let minor = r.number_u32("minor version")?;
        let version = (major, minor);
        if last.is_some_and(|l| l >= version) {
            return Err(r.error("the versions are not in increasing order"));
        }
        last = Some(version);
        let entry_count = r.count(1, "entries of a version")?;
        if entry_count > MAX_LIST_ENTRIES {
            return Err(r.error(&format!(
                "more than {MAX_LIST_ENTRIES} entries in one version"
            )));
        }
        let mut entries = Vec::with_capacity(entry_count);
        let mut previous: i64 = -1;
        let mut list_bytes: u64 = 0;
        for _ in 0..entry_count {
            let delta = unzigzag(r.varint()?);
            let id = previous
                .checked_add(delta)
                .and_then(|id| usize::try_from(id).ok())
                .filter(|&id| id < tuples.len())
                .ok_or_else(|| r.error("an entry index out of range"))?;
            previous = id as i64;
            let [testname, codename, release, file] = tuples[id].map(|i| strings[i]);
            list_bytes += (testname.len() + codename.len() + release.len() + file.len()) as u64;
            if list_bytes > MAX_LIST_BYTES {
                return Err(r.error("a version's list is too large"));
            }
            entries.push(ListEntry {
                testname: testname.to_string(),
                codename: codename.to_string(),
                release: release.to_string(),
                file: file.to_string(),
            });
        }
        lists.push(ConformanceList::new(version, entries));
    }
    if r.pos != payload.len() {
        return Err(r.error("bytes left over after the last version"));
    }
    Ok(ConformanceLists::from_lists(lists))
}

/// A cursor over the payload; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, what: &str) -> String {
        format!(
            "the conformance index is damaged at byte {} of its payload: {what}",
            self.pos
        )
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let &byte = self
                .bytes
                .get(self.pos)
                .ok_or_else(|| self.error("it stops in the middle of a number"))?;
            self.pos += 1;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.error("a number too large"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.error("a number too large"))
    }

    /// A count of items that each take at least `min_bytes`, refused when
    /// the rest of the payload cannot hold them (so no huge allocation).
    fn count(&mut self, min_bytes: usize, what: &str) -> Result<usize, String> {
        let n = self.varint()?;
        let left = (self.bytes.len() - self.pos) as u64;
        if n.saturating_mul(min_bytes as u64) > left {
            return Err(self.error(&format!("more {what} than bytes left")));
        }
        usize::try_from(n).map_err(|_| self.error(&format!("too many {what}")))
    }

    fn index(&mut self, len: usize, what: &str) -> Result<usize, String> {
        let i = self.varint()?;
        usize::try_from(i)
            .ok()
            .filter(|&i| i < len)
            .ok_or_else(|| self.error(&format!("a {what} index out of range")))
    }

    fn number_u32(&mut self, what: &str) -> Result<u32, String> {
        let n = self.varint()?;
        u32::try_from(n).map_err(|_| self.error(&format!("a {what} too large")))
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.error("it stops in the middle of a string"))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

//! Test names as the readers derive them: from the raw JUnit name, the
//! display name (`[It] ` dropped, spacing tidied), the identity key that
//! matches a test across Kubernetes versions, its SIG and whether it carries
//! `[Conformance]`; Ginkgo's suite nodes told apart from specs; keys made
//! unique within a release.
//!
//! [`NameCache`] computes them once per distinct raw name of a load and
//! shares the result ([`Names`], plain data in [`crate::model`]) between
//! every release that names the same test. New names go through the SIMD
//! fast path of `namescan` when they are plain, else through the
//! byte-by-byte functions here, which give the same names.

use std::sync::Arc;

use crate::model::{Names, TestCase, bracketed};

/// How many shards a [`NameCache`] splits its tables into, so parsing
/// threads rarely wait on each other.
const SHARDS: usize = 16;

fn fx_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

fn shard_of(hash: u64) -> usize {
    // hashbrown uses the low bits for buckets and the top 7 for tags.
    ((hash >> 40) as usize) % SHARDS
}

/// One lock's worth of a [`NameCache`]: entries with their hashes.
type Shard<T> = std::sync::Mutex<hashbrown::HashTable<(u64, T)>>;

/// A shard's table of raw names: hash, raw name, its shared names.
type RawTable = hashbrown::HashTable<(u64, (Arc<str>, Arc<Names>))>;

/// Derived names by raw name, shared by the threads that parse the releases
/// of one load: the same test in many releases is named (and its key
/// computed) once, and every release then holds the same shared strings.
///
/// This runs for every spec of every release, so it is lean: a raw name is
/// hashed once (the hash is kept beside each entry) and looked up with one
/// probe under one lock; a new name is marked with SIMD compares
/// (`namescan`) and its display name and key are read off those marks.
/// Each raw name gets one shared [`Names`], whose display name is the tail
/// of the raw name. Keys are interned on their own, so a Ginkgo v1 name and
/// its v2 form (`[It] ` in front) share one key. [`NameCache::intern`]
/// shares any other string (disambiguated keys).
#[derive(Debug, Default)]
pub struct NameCache {
    /// By raw name. Each entry holds the raw name beside its `Names`, so a
    /// probe compares the text without first reading the `Names` (two
    /// cache misses in a row become two at once: at scale this lookup is
    /// bound by memory, not by work).
    raws: [Shard<(Arc<str>, Arc<Names>)>; SHARDS],
    /// Names whose key [`disambiguate_keys_with`] made unique, by raw name
    /// and new key, so every release with the same clash shares them.
    renamed: [Shard<Arc<Names>>; SHARDS],
    strings: [Shard<Arc<str>>; SHARDS],
}

impl NameCache {
    /// The shared copy of a string (a display name, a key, a SIG, or a
    /// disambiguated key).
    pub fn intern(&self, s: &str) -> Arc<str> {
        let hash = fx_hash(s);
        let Ok(mut table) = self.strings[shard_of(hash)].lock() else {
            return Arc::from(s);
        };
        if let Some((_, existing)) = table.find(hash, |(h, a)| *h == hash && **a == *s) {
            return existing.clone();
        }
        let arc: Arc<str> = Arc::from(s);
        table.insert_unique(hash, (hash, arc.clone()), |(h, _)| *h);
        arc
    }

    /// `names` with its key replaced by `key`, shared: every release of a
    /// load that makes the same key unique the same way gets the same value.
    pub fn renamed(&self, names: &Names, key: &str) -> Arc<Names> {
        let hash = fx_hash(key) ^ fx_hash(&names.raw).rotate_left(17);
        let make = || {
            Arc::new(Names {
                key: self.intern(key),
                key_hash: crate::model::key_hash(key),
                ..names.clone()
            })
        };
        let Ok(mut table) = self.renamed[shard_of(hash)].lock() else {
            return make();
        };
        // Lock order: `renamed`, then `strings` inside `intern`; nothing
        // takes them the other way round.
        match table.entry(
            hash,
            |(h, n)| *h == hash && *n.key == *key && n.raw == names.raw,
            |(h, _)| *h,
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().1.clone(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let n = make();
                e.insert((hash, n.clone()));
                n
            }
        }
    }

    /// The names of `raw`, computed on first use.
    pub fn names(&self, raw: &str) -> Arc<Names> {
        let hash = fx_hash(raw);
        let Ok(mut table) = self.raws[shard_of(hash)].lock() else {
            return Arc::new(self.derive_shared(raw));
        };
        // One probe and one lock for a hit or a miss. Deriving under the
        // lock is short (about a microsecond) and the shards keep threads
        // apart; the plain path may take a `strings` lock inside, always in
        // this order, and nothing takes them the other way round.
        self.entry_in(&mut table, hash, raw)
    }

    /// The names of `raw` (whose hash is `hash`) in `table`, its locked
    /// shard: the shared value, or a new one derived and added.
    fn entry_in(&self, table: &mut RawTable, hash: u64, raw: &str) -> Arc<Names> {
        if let Some((_, (_, n))) = table.find(hash, |(h, (r, _))| *h == hash && **r == *raw) {
            return n.clone();
        }
        let names = Arc::new(self.derive_new(Some((table, shard_of(hash))), raw));
        table.insert_unique(
            hash,
            (hash, (names.raw.clone(), names.clone())),
            |(h, _)| *h,
        );
        names
    }

    /// The names of a raw name the cache does not hold: read off its twin
    /// when it has one, else derived. `held` is a shard the caller holds
    /// locked, with its index.
    fn derive_new(&self, held: Option<(&RawTable, usize)>, raw: &str) -> Names {
        self.names_of_twin(held, raw)
            .unwrap_or_else(|| self.derive_shared(raw))
    }

    /// The names of `raw` read off its Ginkgo twin when the cache holds it:
    /// Ginkgo v2 writes `[It] ` before the name Ginkgo v1 wrote, so a load
    /// of both generations meets most names twice. When the twin's display
    /// name is the other form's whole text (both are then tidy), the two
    /// share display name, key, SIG and the conformance mark, and only the
    /// raw name is new.
    ///
    /// `held` is a shard the caller holds locked (with its index); another
    /// shard is only tried, never waited for (so two threads cannot wait on
    /// each other), and a busy one means deriving the names afresh, which
    /// gives the same.
    fn names_of_twin(&self, held: Option<(&RawTable, usize)>, raw: &str) -> Option<Names> {
        let name_from = match raw.strip_prefix("[It] ") {
            Some(rest) if !rest.is_empty() => 5,
            None if !raw.is_empty() && !raw.starts_with("[It]") => 0,
            _ => return None,
        };
        TWIN_BUF.with(|cell| {
            let mut buf = cell.take();
            buf.clear();
            if name_from == 0 {
                buf.push_str("[It] ");
                buf.push_str(raw);
            }
            let twin = if name_from == 0 {
                buf.as_str()
            } else {
                &raw[5..]
            };
            let found = self.twin_names(held, raw, twin, name_from);
            cell.set(buf);
            found
        })
    }

    /// [`NameCache::names_of_twin`] once the twin's text is known.
    fn twin_names(
        &self,
        held: Option<(&RawTable, usize)>,
        raw: &str,
        twin: &str,
        name_from: usize,
    ) -> Option<Names> {
        // The twin's display name must be exactly the name without `[It] `.
        let plain = raw.get(name_from..)?;
        let reuse = |t: &Names| -> Option<Names> {
            (t.name_owned.is_none() && t.raw.get(t.name_from..) == Some(plain)).then(|| Names {
                raw: Arc::from(raw),
                name_from,
                name_owned: None,
                key: t.key.clone(),
                key_hash: t.key_hash,
                sig: t.sig.clone(),
                conformance: t.conformance,
            })
        };
        let hash = fx_hash(twin);
        let find = |table: &RawTable| {
            table
                .find(hash, |(h, (r, _))| *h == hash && **r == *twin)
                .and_then(|(_, (_, t))| reuse(t))
        };
        if let Some((table, shard)) = held
            && shard_of(hash) == shard
        {
            return find(table);
        }
        let other = self.raws[shard_of(hash)].try_lock().ok()?;
        find(&other)
    }

    /// The names of each of `raws`, in order: [`NameCache::names`] for a
    /// whole batch at once.
    ///
    /// At scale a lookup waits on memory: the table entry, then the stored
    /// text, then the `Names` it shares, each a cache miss. One at a time,
    /// every lock and reference count (atomic instructions) makes the
    /// processor finish those reads before the next lookup starts. Here
    /// each shard is locked once for its part of the batch, and the
    /// lookups run in a loop of plain reads, so the reads of several
    /// lookups are in flight together; the shared values are taken after.
    ///
    /// Two loading threads sweep the same shards, so no lock is held while
    /// new names are derived (the long part), and a busy shard is put off
    /// to the end of the sweep rather than waited for: waiting put a thread
    /// to sleep and woke it again hundreds of times a load.
    pub fn names_many(&self, raws: &[&str]) -> Vec<Arc<Names>> {
        let hashes: Vec<u64> = raws.iter().map(|r| fx_hash(r)).collect();
        let mut by_shard: [Vec<usize>; SHARDS] = Default::default();
        for (i, &h) in hashes.iter().enumerate() {
            by_shard[shard_of(h)].push(i);
        }
        let mut out: Vec<Option<Arc<Names>>> = vec![None; raws.len()];
        let look_up = |table: &RawTable, wanted: &[usize], out: &mut Vec<Option<Arc<Names>>>| {
            let found: Vec<Option<&Arc<Names>>> = wanted
                .iter()
                .map(|&i| {
                    let (hash, raw) = (hashes[i], raws[i]);
                    table
                        .find(hash, |(h, (r, _))| *h == hash && **r == *raw)
                        .map(|(_, (_, n))| {
                            // Read the shared value now, so taking it
                            // below finds it in the cache.
                            std::hint::black_box(Arc::strong_count(n));
                            n
                        })
                })
                .collect();
            for (&i, n) in wanted.iter().zip(found) {
                out[i] = n.cloned();
            }
        };
        let mut put_off = Vec::new();
        for (shard, wanted) in by_shard.iter().enumerate() {
            if wanted.is_empty() {
                continue;
            }
            match self.raws[shard].try_lock() {
                Ok(table) => look_up(&table, wanted, &mut out),
                Err(std::sync::TryLockError::WouldBlock) => put_off.push(shard),
                Err(std::sync::TryLockError::Poisoned(_)) => {}
            }
        }
        for shard in put_off {
            if let Ok(table) = self.raws[shard].lock() {
                look_up(&table, &by_shard[shard], &mut out);
            }
        }
        let missing: Vec<usize> = (0..raws.len()).filter(|&i| out[i].is_none()).collect();
        if missing.is_empty() {
            return out.into_iter().flatten().collect();
        }
        // New names, derived with no lock held.
        let mut derived: [Vec<(usize, Names)>; SHARDS] = Default::default();
        for i in missing {
            derived[shard_of(hashes[i])].push((i, self.derive_new(None, raws[i])));
        }
        // Added, each shard locked once; a name another thread (or an
        // earlier copy in this batch) added meanwhile is taken instead, so
        // every release still shares one value per name.
        for (shard, new) in derived.iter_mut().enumerate() {
            if !new.is_empty() {
                let locked = self.raws[shard].lock().ok();
                add_derived(locked, new, &hashes, raws, &mut out);
            }
        }
        out.into_iter()
            .zip(raws)
            .map(|(n, raw)| n.unwrap_or_else(|| Arc::new(self.derive_shared(raw))))
            .collect()
    }

    fn derive_shared(&self, raw: &str) -> Names {
        self.derive_with(raw, true)
    }

    /// Derive every name of `raw`. Where `fast` allows and the name is
    /// plain (no control bytes, at most 512 bytes, already in display form
    /// after an optional `[It] `), the key is read off SIMD marks
    /// (`namescan`); otherwise the byte-by-byte [`display_form`] and
    /// [`identity_key`] do it. Both give the same names; a test holds them
    /// to that.
    fn derive_with(&self, raw: &str, fast: bool) -> Names {
        let marked = fast
            .then(|| crate::ingest::namescan::NameBits::scan(raw.as_bytes()))
            .flatten()
            .and_then(|bits| {
                let from = if !raw.starts_with("[It]") && bits.tidy_from(0) {
                    0
                } else if raw.starts_with("[It] ") && bits.tidy_from(5) {
                    5
                } else {
                    return None;
                };
                Some((bits, from))
            });
        let display = match &marked {
            Some((_, from)) => std::borrow::Cow::Borrowed(raw.get(*from..).unwrap_or(raw)),
            None => display_form(raw),
        };
        // Keys are interned on their own, so a Ginkgo v1 name and its v2
        // form (`[It] ` in front) share one key. The display name is kept
        // as the tail of the raw name it nearly always is, so a new name
        // costs one string, not two.
        let raw_arc: Arc<str> = Arc::from(raw);
        let (name_from, name_owned) = match &marked {
            Some((_, from)) => (*from, None),
            None if raw.ends_with(&*display) => (raw.len() - display.len(), None),
            None => (0, Some(Arc::<str>::from(&*display))),
        };
        let name: &str = &display;
        let (key, scan) = KEY_BUF.with(|cell| {
            let mut buf = cell.take();
            let scan = match &marked {
                Some((bits, from)) => bits.key_into(raw.as_bytes(), *from, &mut buf),
                None => identity_key_into(name, &mut buf),
            };
            let key = match std::str::from_utf8(&buf) {
                Ok(k) => self.intern(k),
                Err(_) => self.intern(&String::from_utf8_lossy(&buf)),
            };
            cell.set(buf);
            (key, scan)
        });
        Names {
            sig: scan.sig.and_then(|(a, b)| name.get(a..b)).map(shared_sig),
            conformance: scan.conformance,
            key_hash: crate::model::key_hash(&key),
            key,
            raw: raw_arc,
            name_from,
            name_owned,
        }
    }
}

/// Add the names derived for one shard to its table (`None`: the lock was
/// poisoned, so each is kept unshared), taking the value another thread
/// added meanwhile instead of a second one.
fn add_derived(
    table: Option<std::sync::MutexGuard<'_, RawTable>>,
    new: &mut Vec<(usize, Names)>,
    hashes: &[u64],
    raws: &[&str],
    out: &mut [Option<Arc<Names>>],
) {
    let Some(mut table) = table else {
        for (i, names) in new.drain(..) {
            out[i] = Some(Arc::new(names));
        }
        return;
    };
    for (i, names) in new.drain(..) {
        let (hash, raw) = (hashes[i], raws[i]);
        let shared = match table.entry(hash, |(h, (r, _))| *h == hash && **r == *raw, |(h, _)| *h) {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().1.1.clone(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let names = Arc::new(names);
                e.insert((hash, (names.raw.clone(), names.clone())));
                names
            }
        };
        out[i] = Some(shared);
    }
}

thread_local! {
    /// The buffer a name's Ginkgo twin is written in, reused across names.
    static TWIN_BUF: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
    /// The buffer identity keys are built in, reused across names.
    static KEY_BUF: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    /// The SIG names this thread has seen (a few dozen exist), shared.
    static SIGS: std::cell::RefCell<Vec<Arc<str>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The shared copy of a SIG name, without a lock: SIG names are few, so a
/// short per-thread list finds them; past 64 (hostile input) each gets its
/// own copy.
fn shared_sig(sig: &str) -> Arc<str> {
    SIGS.with(|cell| {
        let Ok(mut sigs) = cell.try_borrow_mut() else {
            return Arc::from(sig);
        };
        if let Some(s) = sigs.iter().find(|s| ***s == *sig) {
            return s.clone();
        }
        let arc: Arc<str> = Arc::from(sig);
        if sigs.len() < 64 {
            sigs.push(arc.clone());
        }
        arc
    })
}

/// Whether a JUnit test case name is a Ginkgo suite node rather than a spec.
pub fn is_suite_node(raw_name: &str) -> bool {
    const NODES: [&str; 6] = [
        "[SynchronizedBeforeSuite]",
        "[SynchronizedAfterSuite]",
        "[BeforeSuite]",
        "[AfterSuite]",
        "[ReportBeforeSuite]",
        "[ReportAfterSuite]",
    ];
    let name = raw_name.trim_start();
    // Every spec passes here: most are turned away by their second byte
    // before any of the six comparisons.
    if !matches!(name.as_bytes().get(1), Some(b'S' | b'B' | b'A' | b'R')) {
        return false;
    }
    NODES.iter().any(|n| name.starts_with(n))
}

/// The display name: a leading `[It] ` removed, whitespace runs collapsed to
/// one space, ends trimmed.
pub fn display_name(raw: &str) -> String {
    display_form(raw).into_owned()
}

/// [`display_name`], borrowing from `raw` when nothing but a leading
/// `[It] ` has to go (the usual case).
pub fn display_form(raw: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if !raw.starts_with("[It]") && is_tidy(raw.as_bytes()) {
        return Cow::Borrowed(raw);
    }
    if let Some(rest) = raw.strip_prefix("[It] ")
        && is_tidy(rest.as_bytes())
    {
        return Cow::Borrowed(rest);
    }
    let trimmed = raw.trim_ascii();
    let trimmed = trimmed
        .strip_prefix("[It]")
        .unwrap_or(trimmed)
        .trim_ascii_start();
    let mut out = trimmed.as_bytes().to_vec();
    collapse_ascii_whitespace(&mut out);
    // Only ASCII whitespace was changed, so the bytes are still UTF-8.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Whether text is already in shape: no whitespace at either end, no tab or
/// line break, and single spaces between words.
fn is_tidy(bytes: &[u8]) -> bool {
    if bytes.first().is_some_and(u8::is_ascii_whitespace)
        || bytes.last().is_some_and(u8::is_ascii_whitespace)
    {
        return false;
    }
    // One pass without early exit, which the compiler vectorises: names
    // are short, and a search call per space costs more than the scan.
    let mut bad = false;
    for (&a, &b) in bytes.iter().zip(bytes.iter().skip(1)) {
        bad |= (a == b' ') & (b == b' ');
        bad |= (b == b'\t') | (b == b'\n') | (b == b'\r');
    }
    !bad
}

/// Collapse runs of ASCII whitespace into one space and trim both ends, in
/// place.
fn collapse_ascii_whitespace(bytes: &mut Vec<u8>) {
    // Most names are already in shape: single spaces between words.
    if is_tidy(bytes) {
        return;
    }
    let mut write = 0;
    let mut pending_space = false;
    for read in 0..bytes.len() {
        let b = bytes[read];
        if b.is_ascii_whitespace() {
            pending_space = write > 0;
        } else {
            if pending_space {
                bytes[write] = b' ';
                write += 1;
                pending_space = false;
            }
            bytes[write] = b;
            write += 1;
        }
    }
    bytes.truncate(write);
}

/// The identity of a test across Kubernetes versions: bracketed tags
/// (single words such as `[sig-node]`, `[k8s.io]`, `[Conformance]`, `[It]`,
/// `[Feature:X]`) removed, words joined by single spaces, ASCII letters
/// lowercased. Bracketed phrases with a space (`[Driver: local]`,
/// `[Testpattern: ...]`) are part of what a test is, so they stay.
///
/// Works on bytes with memchr: this runs for every spec of every release.
pub fn identity_key(name: &str) -> String {
    let mut out = Vec::with_capacity(name.len());
    identity_key_into(name, &mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`identity_key`] written into `out` (cleared first), so a caller that
/// derives many keys reuses one buffer.
fn identity_key_into(name: &str, out: &mut Vec<u8>) -> crate::ingest::namescan::KeyScan {
    out.clear();
    out.reserve(name.len());
    let bytes = name.as_bytes();
    let mut scan = crate::ingest::namescan::KeyScan::default();
    let mut nested = false;
    let mut i = 0;
    // Copy the runs between brackets whole; drop single-word tags. Plain
    // loops: names are short, so a search call per bracket costs more than
    // looking at each byte.
    while i < bytes.len() {
        let mut open = i;
        while open < bytes.len() && bytes[open] != b'[' {
            open += 1;
        }
        out.extend_from_slice(&bytes[i..open]);
        if open == bytes.len() {
            break;
        }
        let mut close = open + 1;
        let mut phrase = false;
        while close < bytes.len() && bytes[close] != b']' {
            phrase |= bytes[close].is_ascii_whitespace() | (bytes[close] == b'[');
            close += 1;
        }
        if close == bytes.len() {
            out.extend_from_slice(&bytes[open..]);
            break;
        }
        let inner = &bytes[open + 1..close];
        if scan.sig.is_none() && inner.starts_with(b"sig-") {
            scan.sig = Some((open + 1, close));
        }
        scan.conformance |= inner == b"Conformance";
        nested |= inner.contains(&b'[');
        i = close + 1;
        if phrase {
            out.extend_from_slice(&bytes[open..=close]);
        } else if bytes.get(i) == Some(&b' ') && out.last().is_none_or(|&b| b == b' ') {
            // The tag's own space goes with it, so words stay single-spaced
            // and the collapse below usually has nothing to do.
            i += 1;
        }
    }
    if nested {
        // `[Conformance]` inside another bracket pair still counts.
        scan.conformance = name.contains("[Conformance]");
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    out.make_ascii_lowercase();
    collapse_ascii_whitespace(out);
    scan
}

/// Make keys unique within one release. Names that differ only in a tag
/// (`DNS should provide DNS for the cluster [Conformance]` and the same
/// words with `[Provider:GCE]`) would share a key; the conformance test (or
/// the first) keeps the plain key and the others get their tags appended.
pub fn disambiguate_keys(tests: &mut [TestCase]) {
    // These names may come from anywhere: compare keys by content.
    disambiguate(tests, &NameCache::default(), |t| t.names.key.clone());
}

/// [`disambiguate_keys`], sharing the new keys through `cache` so the same
/// test in several releases of one load still has one key string.
///
/// The tests' names must have been made by `cache` (as the loader does):
/// it interns every key, so equal keys are one shared string and are told
/// apart by address, without reading them (this runs for every spec of
/// every release, and reading 7.8 million keys was an eighth of a load).
pub fn disambiguate_keys_with(tests: &mut [TestCase], cache: &NameCache) {
    disambiguate(tests, cache, |t| {
        Arc::as_ptr(&t.names.key).cast::<u8>() as usize
    });
}

/// Give every key clash of `tests` a unique key; `id` tells keys apart
/// (their address when interned, else their text).
fn disambiguate<K: std::hash::Hash + Eq>(
    tests: &mut [TestCase],
    cache: &NameCache,
    id: impl Fn(&TestCase) -> K,
) {
    let mut first: rustc_hash::FxHashMap<K, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(tests.len(), Default::default());
    let mut clashes: Vec<(usize, usize)> = Vec::new();
    for (i, t) in tests.iter().enumerate() {
        match first.entry(id(t)) {
            std::collections::hash_map::Entry::Occupied(e) => clashes.push((*e.get(), i)),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    for (keeper, other) in clashes {
        // The conformance one keeps the plain key.
        let loser = if tests[other].conformance() && !tests[keeper].conformance() {
            keeper
        } else {
            other
        };
        let tags: Vec<String> = bracketed(tests[loser].name())
            .map(|t| format!("[{}]", t.to_lowercase()))
            .collect();
        let new_key = format!("{} {}", tests[loser].key(), tags.join(""));
        tests[loser].names = cache.renamed(&tests[loser].names, &new_key);
    }
}

/// The SIG of a name: the first tag starting with `sig-`, e.g. `sig-node`.
pub fn sig_of(name: &str) -> Option<&str> {
    bracketed(name).find(|t| t.starts_with("sig-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Raw test names from the project's fixtures and, when present, the
    /// shared corpus (the `name` attribute of each `<testcase`).
    fn corpus_names() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("fixtures"), root.join("../shared/data")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "xml") {
                    files.push(p);
                }
            }
        }
        let mut names = Vec::new();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            for part in text.split("<testcase").skip(1) {
                if let Some(at) = part.find("name=\"")
                    && let Some(len) = part[at + 6..].find('"')
                {
                    let raw = &part[at + 6..at + 6 + len];
                    let raw =
                        quick_xml::escape::unescape(raw).map_or(raw.to_string(), |c| c.into());
                    names.push(raw);
                }
            }
        }
        names
    }

    /// Threads resolving the same names at once (new names derived with no
    /// lock held, then added) end with one shared value per name, the
    /// value a later single lookup gives.
    #[test]
    fn threads_resolving_together_share_one_value_per_name() {
        let mut raws = corpus_names();
        raws.truncate(3000);
        raws.extend(raws.clone().iter().map(|r| format!("[It] {r}")));
        let cache = NameCache::default();
        let views: Vec<&str> = raws.iter().map(String::as_str).collect();
        let (a, b) = std::thread::scope(|s| {
            let one = s.spawn(|| {
                views
                    .chunks(128)
                    .flat_map(|c| cache.names_many(c))
                    .collect::<Vec<_>>()
            });
            let two = s.spawn(|| {
                views
                    .rchunks(100)
                    .flat_map(|c| {
                        let mut got = cache.names_many(c);
                        got.reverse();
                        got
                    })
                    .collect::<Vec<_>>()
            });
            (one.join().unwrap(), two.join().unwrap())
        });
        let b: Vec<_> = b.into_iter().rev().collect();
        assert_eq!(a.len(), raws.len());
        assert_eq!(b.len(), raws.len());
        for (i, raw) in raws.iter().enumerate() {
            assert!(Arc::ptr_eq(&a[i], &b[i]), "{raw:?}");
            assert!(Arc::ptr_eq(&a[i], &cache.names(raw)), "{raw:?}");
            assert_eq!(&*a[i].raw, raw.as_str());
        }
    }

    /// A batch gives, in order, the very values one lookup at a time gives:
    /// names already known, new ones, a name twice in one batch, and the
    /// empty name, across every shard.
    #[test]
    fn a_batch_shares_what_single_lookups_share() {
        let cache = NameCache::default();
        let known: Vec<String> = (0..40)
            .map(|i| format!("[sig-x] known spec {i} [Conformance]"))
            .collect();
        let before: Vec<Arc<Names>> = known.iter().map(|r| cache.names(r)).collect();
        let mut raws: Vec<String> = Vec::new();
        for i in 0..40 {
            raws.push(known[39 - i].clone());
            raws.push(format!("[It] [sig-y] new spec {i}"));
        }
        raws.push("[It] [sig-y] new spec 7".to_string());
        raws.push(String::new());
        let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
        let got = cache.names_many(&refs);
        assert_eq!(got.len(), raws.len());
        for (raw, n) in raws.iter().zip(&got) {
            assert_eq!(&*n.raw, raw.as_str());
            assert!(Arc::ptr_eq(n, &cache.names(raw)), "{raw}");
        }
        for i in 0..40 {
            assert!(Arc::ptr_eq(&got[2 * i], &before[39 - i]));
        }
        assert!(Arc::ptr_eq(&got[15], &got[80]));
        assert_eq!(got[1].name(), "[sig-y] new spec 0");
        assert_eq!(got[1].key, cache.names("[sig-y] new spec 0").key);
    }

    /// The fast path (marks read eight and sixteen bytes at a time) gives
    /// exactly what the plain functions give, on real names and on edge
    /// cases built to sit where the two could part.
    #[test]
    fn fast_names_match_plain_ones() {
        let names = odd_and_real_names();
        let mut fast = 0;
        for raw in &names {
            let plain = NameCache::default().derive_with(raw, false);
            let got = NameCache::default().derive_with(raw, true);
            assert_same_names(&got, &plain, raw);
            assert_eq!(*plain.key, identity_key(&display_name(raw)), "{raw:?}");
            assert_eq!(plain.sig.as_deref(), sig_of(&display_name(raw)), "{raw:?}");
            fast += usize::from(crate::ingest::namescan::NameBits::scan(raw.as_bytes()).is_some());
        }
        // Most names take the fast path, so the comparison covers it.
        assert!(fast * 10 > names.len() * 9, "{fast} of {}", names.len());
    }

    fn assert_same_names(got: &Names, want: &Names, raw: &str) {
        assert_eq!(*got.raw, *want.raw, "{raw:?}");
        assert_eq!(got.name(), want.name(), "{raw:?}");
        assert_eq!(*got.key, *want.key, "{raw:?}");
        assert_eq!(got.key_hash, want.key_hash, "{raw:?}");
        assert_eq!(got.sig.as_deref(), want.sig.as_deref(), "{raw:?}");
        assert_eq!(got.conformance, want.conformance, "{raw:?}");
    }

    /// Names read off a Ginkgo twin (`[It] ` added or taken away) are the
    /// names deriving gives, for odd shapes and every real name; the twin
    /// is used for nearly all real ones and never for a twin whose display
    /// name differs (odd spacing).
    #[test]
    fn twins_give_what_deriving_gives() {
        let names = odd_and_real_names();
        let (mut tried, mut used) = (0, 0);
        for raw in &names {
            let twin = match raw.strip_prefix("[It] ") {
                Some(rest) => rest.to_string(),
                None => format!("[It] {raw}"),
            };
            let cache = NameCache::default();
            let _ = cache.names(&twin);
            let shard = shard_of(fx_hash(raw));
            let from_twin = {
                let table = cache.raws[shard].lock().unwrap();
                cache.names_of_twin(Some((&table, shard)), raw)
            };
            let plain = NameCache::default().derive_with(raw, false);
            tried += 1;
            if let Some(t) = &from_twin {
                used += 1;
                assert_same_names(t, &plain, raw);
            }
            // Through the cache, with or without the twin, the same.
            assert_same_names(&cache.names(raw), &plain, raw);
        }
        assert!(used * 10 > tried * 9, "{used} of {tried}");
        // Odd spacing: the twin's display name is not the other's text.
        let cache = NameCache::default();
        let _ = cache.names("[It] a  b");
        let shard = shard_of(fx_hash("a  b"));
        let table = cache.raws[shard].lock().unwrap();
        assert!(cache.names_of_twin(Some((&table, shard)), "a  b").is_none());
    }

    fn odd_and_real_names() -> Vec<String> {
        let mut names: Vec<String> = [
            "[It] [sig-node] Pods should run [Conformance]",
            "[sig-a]  double space",
            " leading",
            "trailing ",
            "[It]x [Slow]",
            "[It]  [sig-x] y",
            "[It] [It]-node] [sig-storagebe submitted [Conformance]",
            "[It] ",
            "[It]",
            "a\tb [Slow]",
            "a\u{c}[x] b",
            "x [Conformance]",
            "[a [Conformance] b] c",
            "[a [b] c] d",
            "unclosed [tag",
            "]odd[ one",
            "",
            "[x]",
            "[x] [y z] [sig-q] w [Serial]",
            "é [sig-ü] ö [Conformance]",
            "a[x] b",
            "a [x]b",
            "a [x][y]b",
            "[x] [y]",
            "[sig-storage bad] x [sig-storage]",
            "x [Conformance ] y",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let long = format!("[sig-long] {} [Conformance]", "word ".repeat(120));
        names.push(long.trim_end().to_string());
        names.push(format!("[It] {}", "[Slow] ".repeat(90).trim_end()));
        let from_files = corpus_names();
        assert!(from_files.len() > 20, "fixture names not found");
        names.extend(from_files);
        names
    }

    #[test]
    fn display_name_strips_it_and_spacing() {
        assert_eq!(
            display_name("[It] [sig-node]  Pods   should run [Conformance]"),
            "[sig-node] Pods should run [Conformance]"
        );
    }

    #[test]
    fn identity_survives_renames() {
        let a = identity_key(
            "[k8s.io] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
        );
        let b = identity_key(
            "[It] [sig-node] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
        );
        assert_eq!(a, b);
        assert_eq!(
            a,
            "kubeletmanagedetchosts should test kubelet managed /etc/hosts file"
        );
    }

    #[test]
    fn suite_nodes_are_recognised() {
        assert!(is_suite_node("[SynchronizedBeforeSuite]"));
        assert!(is_suite_node(
            "[ReportAfterSuite] Kubernetes e2e suite report"
        ));
        assert!(!is_suite_node("[It] [sig-node] Pods should run"));
    }

    #[test]
    fn sig_and_tags() {
        let n = "[sig-storage] HostPath should give a volume the correct mode [LinuxOnly] [Conformance]";
        assert_eq!(sig_of(n), Some("sig-storage"));
        assert_eq!(
            bracketed(n).collect::<Vec<_>>(),
            vec!["sig-storage", "LinuxOnly", "Conformance"]
        );
    }
}

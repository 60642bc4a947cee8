//! Reading results from disk: discovery of releases, the JUnit, e2e.log and
//! PRODUCT.yaml readers, Sonobuoy tarballs, test-name derivation
//! ([`names`], with its SIMD fast path in `namescan`), the capped file
//! readers ([`read_capped`], [`read_prefix`], [`read_capped_text`]), and
//! parallel loading into a [`Corpus`].
//!
//! Every reader takes bytes that are already in memory and a file name for
//! its messages, so the same code serves folders and tarballs, tests and
//! fuzzing. Nothing here ever writes to disk.

mod buffers;
pub mod discover;
pub mod e2e_log;
mod fastlane;
pub mod heap;
pub mod junit;
pub mod log_blocks;
pub mod names;
mod namescan;
pub mod product;
pub mod tarball;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::model::{Corpus, LoadError, LogLocation, Release, parse_version};

pub use discover::{ReleaseSource, discover};
use names::NameCache;

/// Caps that protect the user's machine from hostile or absurd input.
/// Each one is named in the message of the file that hits it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest single file read (JUnit, log, YAML), in bytes.
    pub max_file_bytes: u64,
    /// Most bytes inflated from one tarball, in bytes.
    pub max_inflated_bytes: u64,
    /// Longest attribute value or text node kept from a JUnit, in bytes.
    pub max_attr_bytes: usize,
    /// Deepest XML element nesting accepted.
    pub max_depth: usize,
    /// Most releases loaded from one open.
    pub max_releases: usize,
    /// Most folders visited while discovering.
    pub max_dirs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_inflated_bytes: 2 * 1024 * 1024 * 1024,
            max_attr_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_releases: 2000,
            max_dirs: 100_000,
        }
    }
}

/// Why one input could not be read. Every variant names the file.
///
/// The sentence of each variant is written once, in
/// [`IngestError::detail`]; the `Display` form (`path: detail`) and
/// [`IngestError::to_load_error`] both use it.
#[derive(Debug)]
pub enum IngestError {
    /// The operating system refused to read it.
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is larger than [`Limits::max_file_bytes`].
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is empty.
    Empty {
        /// The file.
        path: String,
    },
    /// The XML is malformed, truncated or not JUnit.
    Xml {
        /// The file.
        path: String,
        /// What is wrong, with the byte position when known.
        message: String,
    },
    /// A tarball could not be read.
    Tarball {
        /// The tarball.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Nothing that looks like results was found.
    NoResults {
        /// The path.
        path: String,
    },
}

impl IngestError {
    /// The file (folder, or tarball member as `tarball!member`) it is about.
    pub fn path(&self) -> &str {
        match self {
            IngestError::Io { path, .. }
            | IngestError::TooLarge { path, .. }
            | IngestError::Empty { path }
            | IngestError::Xml { path, .. }
            | IngestError::Tarball { path, .. }
            | IngestError::NoResults { path } => path,
        }
    }

    /// What went wrong, in words a user understands, without the path.
    pub fn detail(&self) -> String {
        match self {
            IngestError::Io { source, .. } => format!("cannot read: {source}"),
            IngestError::TooLarge { size, limit, .. } => {
                format!(
                    "{size} bytes is over the file size limit of {limit} bytes (max_file_bytes)"
                )
            }
            IngestError::Empty { .. } => "the file is empty".to_string(),
            IngestError::Xml { message, .. } | IngestError::Tarball { message, .. } => {
                message.clone()
            }
            IngestError::NoResults { .. } => {
                "skipped: no e2e results in it (no junit_*.xml, in plugins/e2e/ or elsewhere)"
                    .to_string()
            }
        }
    }

    /// The user-facing form.
    pub fn to_load_error(&self) -> LoadError {
        LoadError {
            path: self.path().to_string(),
            message: self.detail(),
        }
    }
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path(), self.detail())
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IngestError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Shared counters a UI reads while a load runs in the background.
#[derive(Debug, Default)]
pub struct Progress {
    /// Releases discovered.
    pub releases_total: AtomicU64,
    /// Releases finished (loaded or failed).
    pub releases_done: AtomicU64,
    /// Bytes to read, as far as discovery knows.
    pub bytes_total: AtomicU64,
    /// Bytes read so far.
    pub bytes_done: AtomicU64,
    /// Set to ask the load to stop as soon as it can.
    pub cancel: AtomicBool,
    /// Set once discovery has finished.
    pub discovered: AtomicBool,
}

impl Progress {
    /// Whether cancel was asked for.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Fraction done by bytes (0 to 1), falling back to releases.
    pub fn fraction(&self) -> f32 {
        let total = self.bytes_total.load(Ordering::Relaxed);
        if total > 0 {
            let done = self.bytes_done.load(Ordering::Relaxed).min(total);
            return done as f32 / total as f32;
        }
        let total = self.releases_total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        self.releases_done.load(Ordering::Relaxed) as f32 / total as f32
    }
}

/// Load everything under `paths`, in parallel, with default limits.
pub fn load_paths(paths: &[PathBuf]) -> Corpus {
    load_paths_with(
        paths,
        &Limits::default(),
        &Arc::new(Progress::default()),
        true,
    )
}

/// Load everything under `paths` with these limits, reporting to `progress`.
/// `parallel` uses all cores (rayon); `false` runs on the calling thread.
pub fn load_paths_with(
    paths: &[PathBuf],
    limits: &Limits,
    progress: &Arc<Progress>,
    parallel: bool,
) -> Corpus {
    load_paths_each(paths, limits, progress, parallel, |_| ()).0
}

/// [`load_paths_with`], and `each` of every release loaded, made on the
/// thread that read the release right after reading it (its data still in
/// the cache, and on the cores the load keeps busy instead of after it):
/// the corpus and what `each` made of its releases, in corpus order.
pub fn load_paths_each<T: Send>(
    paths: &[PathBuf],
    limits: &Limits,
    progress: &Arc<Progress>,
    parallel: bool,
    each: impl Fn(&Release) -> T + Sync,
) -> (Corpus, Vec<T>) {
    let (sources, mut errors) = discover(paths, limits);
    progress
        .releases_total
        .store(sources.len() as u64, Ordering::Relaxed);
    progress.bytes_total.store(
        sources.iter().map(ReleaseSource::size_hint).sum(),
        Ordering::Relaxed,
    );
    progress.discovered.store(true, Ordering::Relaxed);

    let names = NameCache::default();
    let run = |src: &ReleaseSource| -> Option<Result<(Release, T), Vec<LoadError>>> {
        if progress.cancelled() {
            return None;
        }
        let result = load_release_with(src, limits, progress, &names).map(|mut release| {
            // Each release's key index is built on the thread that read it.
            release.index_keys();
            let made = each(&release);
            (release, made)
        });
        progress.releases_done.fetch_add(1, Ordering::Relaxed);
        Some(result)
    };
    let results: Vec<_> = if parallel {
        largest_first(&sources, run)
    } else {
        sources.iter().map(run).collect()
    };

    // This thread lets go of the buffers it kept between releases (the
    // parallel workers do so as they run out of releases).
    buffers::release_all();

    let mut loaded = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok(pair) => loaded.push(pair),
            Err(errs) => errors.extend(errs),
        }
    }
    if progress.cancelled() {
        errors.push(LoadError {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            message: "loading was cancelled; what had finished is shown".to_string(),
        });
    }
    // The order of `Corpus::sort`, kept by what `each` made.
    loaded.sort_by(|(a, _), (b, _)| crate::model::release_order(a, b));
    // One run found in several places is shown once; what `each` made of
    // a release that took facts from its copies is made again.
    let (mut loaded, changed) = fold_same_runs(loaded);
    for i in changed {
        if let Some((release, made)) = loaded.get_mut(i) {
            *made = each(release);
        }
    }
    let (releases, made) = loaded.into_iter().unzip();
    (Corpus { releases, errors }, made)
}

/// Whether two releases are the same run: the same specs in the same
/// order, each with the same outcome and run time, and the same suite
/// nodes; and, where both copies know them, the same server version, start
/// and product (PRODUCT.yaml's name). A rerun differs at least in its run
/// times.
pub fn same_run(a: &Release, b: &Release) -> bool {
    fn agree<T: PartialEq>(x: &Option<T>, y: &Option<T>) -> bool {
        x.is_none() || y.is_none() || x == y
    }
    if !agree(&a.kube_version, &b.kube_version) || !agree(&a.started, &b.started) {
        return false;
    }
    // One run that two PRODUCT.yaml files name as two products (a vendor
    // certifying two offerings with the same results, as the CNCF tree
    // holds) stays a release of each product.
    let product = |r: &Release| {
        r.product
            .as_ref()
            .and_then(|p| p.name.as_deref())
            .map(crate::lines::line_key)
    };
    if !agree(&product(a), &product(b)) {
        return false;
    }
    let same = |x: &crate::model::TestCase, y: &crate::model::TestCase| {
        x.outcome == y.outcome
            && x.duration_secs.to_bits() == y.duration_secs.to_bits()
            && (Arc::ptr_eq(&x.names, &y.names) || x.raw_name() == y.raw_name())
    };
    a.tests.len() == b.tests.len()
        && a.suite_nodes.len() == b.suite_nodes.len()
        && a.duration_secs.map(f64::to_bits) == b.duration_secs.map(f64::to_bits)
        && a.tests.iter().zip(&b.tests).all(|(x, y)| same(x, y))
        && a.suite_nodes
            .iter()
            .zip(&b.suite_nodes)
            .all(|(x, y)| same(x, y))
}

/// [`fold_same_runs`] over a whole corpus (after [`Corpus::extend`], when
/// results are added to those open).
pub fn fold_corpus(corpus: &mut Corpus) {
    let pairs = std::mem::take(&mut corpus.releases)
        .into_iter()
        .map(|r| (r, ()))
        .collect();
    let (pairs, _) = fold_same_runs(pairs);
    corpus.releases = pairs.into_iter().map(|(r, ())| r).collect();
}

/// Fold the releases that are the same run ([`same_run`]) into one: the
/// one read from a folder with PRODUCT.yaml wins, then any folder, then the
/// first by label; what it lacks (the server's version, the log, the
/// product) is taken from the others, and their places are listed in its
/// [`Release::also_at`]. Returns the indices (in the returned order) of the
/// releases that took facts from another, so that what was made of them
/// can be made again. The order is [`crate::model::release_order`]'s.
pub fn fold_same_runs<T>(pairs: Vec<(Release, T)>) -> (Vec<(Release, T)>, Vec<usize>) {
    use std::collections::HashMap;
    // A cheap key first: only releases that share it are compared whole.
    let key = |r: &Release| {
        let c = r.spec_counts();
        (
            r.tests.len(),
            r.suite_nodes.len(),
            c.passed,
            c.failed,
            c.skipped,
            r.duration_secs.map(f64::to_bits),
            r.tests
                .iter()
                .map(|t| t.duration_secs.to_bits())
                .fold(0u64, u64::wrapping_add),
        )
    };
    let mut groups: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, (r, _)) in pairs.iter().enumerate() {
        if !r.tests.is_empty() {
            groups.entry(key(r)).or_default().push(i);
        }
    }
    // (keeper, the others) of each set of duplicates.
    let mut folds: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut folded = vec![false; pairs.len()];
    let mut candidates: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    candidates.sort();
    for group in candidates {
        for (k, &i) in group.iter().enumerate() {
            if folded[i] {
                continue;
            }
            let mut same: Vec<usize> = vec![i];
            for &j in &group[k + 1..] {
                if !folded[j] && same_run(&pairs[i].0, &pairs[j].0) {
                    same.push(j);
                }
            }
            if same.len() < 2 {
                continue;
            }
            let rank = |x: &usize| {
                let r = &pairs[*x].0;
                let folder = matches!(r.origin, crate::model::Origin::Folder(_));
                (!(folder && r.product.is_some()), !folder, r.label.clone())
            };
            same.sort_by_key(rank);
            for &x in &same {
                folded[x] = true;
            }
            let keeper = same.remove(0);
            folds.push((keeper, same));
        }
    }
    if folds.is_empty() {
        return (pairs, Vec::new());
    }
    let mut slots: Vec<Option<(Release, T)>> = pairs.into_iter().map(Some).collect();
    let mut changed_keepers = Vec::new();
    for (keeper, others) in folds {
        let mut extra: Vec<Release> = Vec::new();
        for o in others {
            if let Some((r, _)) = slots[o].take() {
                extra.push(r);
            }
        }
        let Some((k, _)) = slots[keeper].as_mut() else {
            continue;
        };
        let mut took = false;
        for o in extra {
            k.also_at.push(o.origin.path().display().to_string());
            k.also_at.extend(o.also_at);
            if k.kube_version.is_none() && o.kube_version.is_some() {
                k.kube_version = o.kube_version;
                let folder = match &k.origin {
                    crate::model::Origin::Tarball(p) => p.parent().unwrap_or(p),
                    crate::model::Origin::Folder(p) => p.as_path(),
                };
                k.version = release_version(k.kube_version.as_deref(), folder);
                took = true;
            }
            if k.e2e_version.is_none() && o.e2e_version.is_some() {
                k.e2e_version = o.e2e_version;
                took = true;
            }
            if k.log.is_none() && o.log.is_some() {
                k.log = o.log;
                k.log_failures = o.log_failures;
                k.log_location = o.log_location;
                k.log_lines = o.log_lines;
                k.started = k.started.or(o.started);
                took = true;
            }
            if k.product.is_none() && o.product.is_some() {
                k.product = o.product;
                k.line = crate::lines::release_line(k);
                took = true;
            }
        }
        k.also_at.sort();
        k.also_at.dedup();
        if took {
            changed_keepers.push(keeper);
        }
    }
    // Keep the survivors, in the corpus order, and say where the changed
    // ones went.
    let mut kept: Vec<(usize, (Release, T))> = slots
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|p| (i, p)))
        .collect();
    kept.sort_by(|(_, (a, _)), (_, (b, _))| crate::model::release_order(a, b));
    let changed = kept
        .iter()
        .enumerate()
        .filter(|(_, (i, _))| changed_keepers.contains(i))
        .map(|(n, _)| n)
        .collect();
    (kept.into_iter().map(|(_, p)| p).collect(), changed)
}

fn largest_first<T: Send>(
    sources: &[ReleaseSource],
    run: impl Fn(&ReleaseSource) -> T + Sync,
) -> Vec<T> {
    let cost = |s: &ReleaseSource| match s {
        ReleaseSource::Folder { size, .. } => *size,
        ReleaseSource::Tarball { size, .. } => size.saturating_mul(10),
    };
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&sources[i])));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, sources.len().max(1));
    let mut done: Vec<(usize, T)> = (0..workers)
        .into_par_iter()
        .flat_map_iter(|_| {
            let mut mine = Vec::new();
            while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                if let Some(src) = sources.get(i) {
                    // This thread's new memory in huge pages (see `heap`).
                    heap::huge_pages_for_this_thread();
                    mine.push((i, run(src)));
                }
            }
            buffers::release_all();
            mine
        })
        .collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Read an e2e log for [`e2e_log::scan_log_ends`]: its first and last
/// bytes and the facts they settle, or, when they leave one open (or the
/// log is small), the whole log and `None`.
fn read_log_ends(
    path: &Path,
    limits: &Limits,
) -> Result<(Vec<u8>, Option<crate::model::LogFacts>), IngestError> {
    use std::io::{Read, Seek, SeekFrom};
    let (head_len, tail_len) = (e2e_log::HEAD_BYTES, e2e_log::TAIL_BYTES);
    let name = path.display().to_string();
    let io = |source| IngestError::Io {
        path: name.clone(),
        source,
    };
    let mut file = open(path, &name)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limits.max_file_bytes || size <= (head_len + tail_len) as u64 * 2 {
        return read_capped(path, limits).map(|b| (b, None));
    }
    let mut bytes = buffers::take(head_len + tail_len);
    (&mut file)
        .take(head_len as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let head_end = bytes.len();
    file.seek(SeekFrom::Start(size - tail_len as u64))
        .map_err(io)?;
    file.take(tail_len as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let (head, tail) = bytes.split_at(head_end);
    if head.len() == head_len
        && tail.len() == tail_len
        && let Some(facts) = e2e_log::scan_log_ends(head, tail)
    {
        return Ok((bytes, Some(facts)));
    }
    buffers::give(bytes);
    read_capped(path, limits).map(|b| (b, None))
}

/// Read one file fully, refusing what is over the size limit
/// ([`Limits::max_file_bytes`]).
///
/// One of the crate's capped readers, with [`read_prefix`] and
/// [`read_capped_text`]: no file is ever read without a cap.
pub fn read_capped(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let name = path.display().to_string();
    let file = open(path, &name)?;
    let meta = file.metadata().map_err(|source| IngestError::Io {
        path: name.clone(),
        source,
    })?;
    if meta.len() > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            path: name,
            size: meta.len(),
            limit: limits.max_file_bytes,
        });
    }
    let bytes = read_up_to(file, &name, limits.max_file_bytes, meta.len())?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            path: name,
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    Ok(bytes)
}

/// Read at most `cap` bytes of a file: the bytes, and `true` when the file
/// holds more (the rest is not read).
pub fn read_prefix(path: &Path, cap: u64) -> Result<(Vec<u8>, bool), IngestError> {
    let name = path.display().to_string();
    let file = open(path, &name)?;
    let hint = file.metadata().map_or(0, |m| m.len());
    let mut bytes = read_up_to(file, &name, cap, hint)?;
    let truncated = bytes.len() as u64 > cap;
    if truncated {
        bytes.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    }
    Ok((bytes, truncated))
}

/// Read at most `cap` bytes of a text file: the text (UTF-8, invalid bytes
/// replaced, a leading byte order mark dropped), and `true` when the file
/// holds more than `cap` bytes (the text is then cut there).
pub fn read_capped_text(path: &Path, cap: u64) -> Result<(String, bool), IngestError> {
    let (bytes, truncated) = read_prefix(path, cap)?;
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes);
    Ok((String::from_utf8_lossy(text).into_owned(), truncated))
}

/// The UTF-8 byte order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn open(path: &Path, name: &str) -> Result<std::fs::File, IngestError> {
    std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: name.to_string(),
        source,
    })
}

/// Read `file` up to `cap + 1` bytes, so the caller can tell whether it
/// holds more than `cap`. `size_hint` (the file's size, when known) sizes
/// the buffer.
fn read_up_to(
    file: std::fs::File,
    name: &str,
    cap: u64,
    size_hint: u64,
) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let capacity = size_hint.min(cap.saturating_add(1));
    let mut bytes = buffers::take(usize::try_from(capacity).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| IngestError::Io {
            path: name.to_string(),
            source,
        })?;
    Ok(bytes)
}

/// The raw files of one release, in memory, whatever their origin.
#[derive(Debug, Default)]
pub struct ReleaseFiles {
    /// `(name, bytes)` of each `junit_*.xml`, sorted by name.
    pub junit: Vec<(String, Vec<u8>)>,
    /// `(name, bytes)` of the e2e log.
    pub log: Option<(String, Vec<u8>)>,
    /// The e2e log left on disk (a folder's), read when the release is
    /// built: whole, or only its two ends when they settle every fact.
    pub log_unread: Option<PathBuf>,
    /// `(name, bytes)` of PRODUCT.yaml.
    pub product: Option<(String, Vec<u8>)>,
    /// `(name, bytes)` of Sonobuoy's serverversion.json.
    pub server_version: Option<(String, Vec<u8>)>,
    /// `(name, bytes)` of extra XML (`conformance.xml`, `skipped_tests.xml`).
    pub extras: Vec<(String, Vec<u8>)>,
    /// `(member, bytes)` of a `known-test-failures.md` at a tarball's root.
    pub known_failures: Option<(String, Vec<u8>)>,
    /// Problems met while gathering the files (skipped tar members, ...).
    pub warnings: Vec<String>,
}

/// Load one release: read its files, parse them, and build the model.
/// Errors name the file; a bad extra file is a warning, not an error.
pub fn load_release(
    src: &ReleaseSource,
    limits: &Limits,
    progress: &Progress,
) -> Result<Release, Vec<LoadError>> {
    let release = load_release_with(src, limits, progress, &NameCache::default());
    buffers::release_all();
    release
}

/// [`load_release`], sharing derived test names with the other releases of
/// the same load through `names`.
pub fn load_release_with(
    src: &ReleaseSource,
    limits: &Limits,
    progress: &Progress,
    names: &NameCache,
) -> Result<Release, Vec<LoadError>> {
    let (files, log_location) = match src {
        ReleaseSource::Folder { log, .. } => read_folder_files(src, limits, progress)
            .map(|f| (f, log.clone().map(LogLocation::File))),
        ReleaseSource::Tarball { path, .. } => {
            tarball::read_tarball(path, limits, progress).map(|(f, member)| {
                let loc = member.map(|member| LogLocation::TarMember {
                    tarball: path.clone(),
                    member,
                });
                (f, loc)
            })
        }
    }
    .map_err(|e| vec![e.to_load_error()])?;
    build_release_with(src, files, log_location, limits, names)
}

fn read_folder_files(
    src: &ReleaseSource,
    limits: &Limits,
    progress: &Progress,
) -> Result<ReleaseFiles, IngestError> {
    let ReleaseSource::Folder {
        junit,
        log,
        product,
        server_version,
        extras,
        ..
    } = src
    else {
        return Ok(ReleaseFiles::default());
    };
    let mut files = ReleaseFiles::default();
    let read = |p: &Path| -> Result<Vec<u8>, IngestError> {
        let bytes = read_capped(p, limits)?;
        progress
            .bytes_done
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(bytes)
    };
    for p in junit {
        files.junit.push((p.display().to_string(), read(p)?));
    }
    // Side files are optional: a failure to read one is a warning.
    let optional = |p: &Option<PathBuf>, files: &mut ReleaseFiles| match p {
        Some(p) => match read(p) {
            Ok(b) => Some((p.display().to_string(), b)),
            Err(e) => {
                files.warnings.push(e.to_string());
                None
            }
        },
        None => None,
    };
    // The log is read once its release's tests are known, in
    // `build_release_with`: often its two ends are all that is needed.
    if let Some(p) = log {
        let size = std::fs::metadata(p).map_or(0, |m| m.len());
        progress.bytes_done.fetch_add(size, Ordering::Relaxed);
        files.log_unread = Some(p.clone());
    }
    files.product = optional(product, &mut files);
    files.server_version = optional(server_version, &mut files);
    for p in extras {
        if let Some(x) = optional(&Some(p.clone()), &mut files) {
            files.extras.push(x);
        }
    }
    Ok(files)
}

/// Turn the raw files of a release into the model.
pub fn build_release(
    src: &ReleaseSource,
    files: ReleaseFiles,
    log_location: Option<LogLocation>,
    limits: &Limits,
) -> Result<Release, Vec<LoadError>> {
    let release = build_release_with(src, files, log_location, limits, &NameCache::default());
    buffers::release_all();
    release
}

/// [`build_release`], sharing derived test names through `names`.
pub fn build_release_with(
    src: &ReleaseSource,
    files: ReleaseFiles,
    log_location: Option<LogLocation>,
    limits: &Limits,
    names: &NameCache,
) -> Result<Release, Vec<LoadError>> {
    let mut warnings = files.warnings;
    let mut errors = Vec::new();
    let mut tests = Vec::new();
    let mut suite_nodes = Vec::new();
    let mut duration_secs: Option<f64> = None;
    let mut bytes_read = 0u64;
    let mut file_names = Vec::new();
    let origin_path = src.origin().path().clone();
    let short = |name: &str| -> String {
        Path::new(name)
            .strip_prefix(&origin_path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| name.to_string())
    };

    if files.junit.is_empty() {
        return Err(vec![
            IngestError::NoResults {
                path: origin_path.display().to_string(),
            }
            .to_load_error(),
        ]);
    }
    for (name, bytes) in &files.junit {
        bytes_read += bytes.len() as u64;
        file_names.push(short(name));
        match junit::parse_junit_with(bytes, name, limits, names) {
            Ok(report) => {
                tests.extend(report.tests);
                suite_nodes.extend(report.suite_nodes);
                if let Some(t) = report.duration_secs {
                    // Parallel runs write one file per process; they ran at
                    // the same time, so the longest is the suite's time.
                    duration_secs = Some(duration_secs.map_or(t, |d: f64| d.max(t)));
                }
                warnings.extend(report.warnings);
            }
            Err(e) => errors.push(e.to_load_error()),
        }
    }
    if !errors.is_empty() && tests.is_empty() {
        return Err(errors);
    }
    for e in errors {
        warnings.push(e.to_string());
    }
    self::names::disambiguate_keys_with(&mut tests, names);
    tests.shrink_to_fit();

    let mut release = Release {
        label: src.label().to_string(),
        origin: src.origin().clone(),
        root: src.root().to_path_buf(),
        kube_version: None,
        e2e_version: None,
        version: None,
        tests,
        suite_nodes,
        log: None,
        log_failures: Vec::new(),
        log_location: None,
        product: None,
        line: Default::default(),
        started: None,
        duration_secs,
        files: file_names,
        warnings: Vec::new(),
        bytes_read,
        caveat_doc: None,
        defect_doc: None,
        known_defects: Vec::new(),
        key_index: Default::default(),
        log_lines: Default::default(),
        also_at: Vec::new(),
    };

    // A release with no non-passing required test needs from its log only
    // what its two ends say; the others need it whole (to find where each
    // such test is named).
    let whole = release
        .tests
        .iter()
        .any(|t| t.conformance() && t.status() != crate::model::Status::Passed);
    let mut ends = None;
    let log = match (files.log, files.log_unread) {
        (Some(log), _) => Some(log),
        (None, Some(path)) => {
            let name = path.display().to_string();
            let read = if whole {
                read_capped(&path, limits).map(|b| (b, None))
            } else {
                read_log_ends(&path, limits)
            };
            match read {
                Ok((bytes, facts)) => {
                    ends = facts;
                    Some((name, bytes))
                }
                Err(e) => {
                    warnings.push(e.to_string());
                    None
                }
            }
        }
        (None, None) => None,
    };
    if let Some((name, bytes)) = &log {
        release.bytes_read += bytes.len() as u64;
        release.files.push(short(name));
        let facts = ends.take().unwrap_or_else(|| e2e_log::scan_log(bytes));
        for w in facts.warnings {
            warnings.push(format!("{}: {w}", short(name)));
        }
        release.kube_version = facts.kube_version;
        release.e2e_version = facts.e2e_version;
        if release.duration_secs.is_none() {
            release.duration_secs = facts.summary.as_ref().and_then(|s| s.duration_secs);
        }
        if facts.summary.is_none() {
            warnings.push(format!(
                "{}: no verdict line (`Ran N of M Specs` and SUCCESS!/FAIL!) found; figures cannot be cross-checked",
                short(name)
            ));
        }
        release.log = facts.summary;
        release.started = facts.started;
        release.log_failures = facts.failures;
        release.log_lines = log_blocks::non_passing_lines(bytes, &release.tests);
        release.log_location = log_location;
    } else {
        warnings
            .push("no e2e.log: figures cannot be cross-checked with the suite's own line".into());
    }

    if let Some((name, bytes)) = &files.product {
        release.files.push(short(name));
        match product::parse_product(bytes) {
            Ok((p, warning)) => {
                if let Some(w) = warning {
                    warnings.push(format!("{}: {w}", short(name)));
                }
                release.product = Some(p);
            }
            Err(msg) => warnings.push(format!("{}: {msg}", short(name))),
        }
    }
    if release.kube_version.is_none()
        && let Some((name, bytes)) = &files.server_version
    {
        release.files.push(short(name));
        match product::parse_server_version(bytes) {
            Some(v) => release.kube_version = Some(v),
            None => warnings.push(format!("{}: no gitVersion found", short(name))),
        }
    }
    for (name, bytes) in &files.extras {
        release.files.push(short(name));
        if let Err(e) = junit::check_well_formed(bytes, name, limits) {
            warnings.push(format!(
                "{} (extra file, ignored): {}",
                short(name),
                e.to_load_error().message
            ));
        }
    }

    let docs = find_docs(src, files.known_failures);
    release.caveat_doc = docs.category;
    if let Some((source, text)) = docs.defects {
        let doc = crate::markdown::defect_doc(&text);
        let (found, problems) =
            crate::defects::match_entries(&doc, &release.tests, &source.display);
        warnings.extend(problems);
        release.known_defects = found;
        release.defect_doc = Some(source);
    }
    release.line = crate::lines::release_line(&release);
    // A tarball's own file name is no folder.
    let folder = match &release.origin {
        crate::model::Origin::Tarball(p) => p.parent().unwrap_or(p),
        crate::model::Origin::Folder(p) => p.as_path(),
    };
    release.version = release_version(release.kube_version.as_deref(), folder);

    if let Some(log) = &release.log {
        let disagreements = release.log_disagreements();
        if !disagreements.is_empty() {
            warnings.push(format!(
                "the JUnit and the log's verdict line (`Ran {} of {}`) disagree: {}",
                log.ran,
                log.of,
                disagreements.join("; ")
            ));
        }
    }
    release.warnings = warnings;
    // The file buffers go back to this thread for the next release.
    for (_, bytes) in files
        .junit
        .into_iter()
        .chain(log)
        .chain(files.product)
        .chain(files.server_version)
        .chain(files.extras)
    {
        buffers::give(bytes);
    }
    Ok(release)
}

/// File names of caveat summary documents looked for beside results.
pub const CAVEAT_DOC_NAMES: [&str; 2] = ["known-test-failures.md", "KNOWN-TEST-FAILURES.md"];

/// Largest `known-test-failures.md` read to tell its kind.
const MAX_DOC_BYTES: u64 = 1024 * 1024;

/// The documents found for a release.
#[derive(Debug, Default)]
pub struct FoundDocs {
    /// The nearest category document (sections, no `- Test:` entries).
    pub category: Option<PathBuf>,
    /// The nearest per-release document with its text.
    pub defects: Option<(crate::defects::DefectSource, String)>,
}

/// The nearest caveat summary document in the release's folder or a parent
/// of it, up to the opened root (a per-release document is not one).
pub fn find_caveat_doc(src: &ReleaseSource) -> Option<PathBuf> {
    find_docs(src, None).category
}

/// The nearest category document and the nearest per-release document
/// (`- Test:` entries) of a release: a tarball's root member first, then
/// the release's folder (a tarball's: the folder it lies in) and each folder
/// above it up to the opened root. Both are named `known-test-failures.md`;
/// each file is read (up to 1 MiB) to tell which it is.
pub fn find_docs(src: &ReleaseSource, member: Option<(String, Vec<u8>)>) -> FoundDocs {
    let mut found = FoundDocs::default();
    if let (Some((name, bytes)), ReleaseSource::Tarball { path, .. }) = (member, src) {
        let text =
            String::from_utf8_lossy(bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes)).into_owned();
        if crate::markdown::is_defect_doc(&text) {
            let file = path.file_name().map_or_else(
                || path.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            found.defects = Some((
                crate::defects::DefectSource {
                    path: path.clone(),
                    display: format!("{file}!{name}"),
                    member: Some(name),
                },
                text,
            ));
        }
    }
    let root = src.root();
    let start = match src {
        ReleaseSource::Folder { dir, .. } => Some(dir.as_path()),
        ReleaseSource::Tarball { path, .. } => path.parent(),
    };
    let stop = if root.is_file() {
        root.parent()
    } else {
        Some(root)
    };
    let (Some(start), Some(stop)) = (start, stop) else {
        return found;
    };
    let mut dir = Some(start);
    while let Some(d) = dir {
        if found.category.is_some() && found.defects.is_some() {
            break;
        }
        for name in CAVEAT_DOC_NAMES {
            let candidate = d.join(name);
            if !candidate.is_file() {
                continue;
            }
            let Ok((text, _)) = read_capped_text(&candidate, MAX_DOC_BYTES) else {
                continue;
            };
            if crate::markdown::is_defect_doc(&text) {
                if found.defects.is_none() {
                    let display = candidate.strip_prefix(stop).map_or_else(
                        |_| candidate.display().to_string(),
                        |p| p.display().to_string(),
                    );
                    found.defects = Some((
                        crate::defects::DefectSource {
                            path: candidate,
                            member: None,
                            display,
                        },
                        text,
                    ));
                }
            } else if found.category.is_none() {
                found.category = Some(candidate);
            }
            break;
        }
        if d == stop || !d.starts_with(stop) {
            break;
        }
        dir = d.parent();
    }
    found
}

/// The Kubernetes version of a release: the server's own (the log's
/// `kube-apiserver version`, else a tarball's `serverversion.json`, given as
/// `server`), else that of the nearest folder of its path (made absolute)
/// whose name begins with `vX.Y` ([`crate::model::folder_version`]: `v1.27`,
/// `v1.27.3`, `v1.27-civo`). Never a version found inside a longer name,
/// so the folder a tree is opened from does not move its releases, and
/// never PRODUCT.yaml's `version`, which is the product's own. The one rule
/// every output and Pre-check use (through [`Release::version`]).
pub fn release_version(server: Option<&str>, path: &Path) -> Option<(u32, u32, u32)> {
    server
        .and_then(parse_version)
        .or_else(|| version_folder(path))
}

/// The version of the nearest folder of `path` that names one.
fn version_folder(path: &Path) -> Option<(u32, u32, u32)> {
    let absolute = dunce::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    absolute
        .components()
        .rev()
        .find_map(|c| crate::model::folder_version(c.as_os_str().to_str()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels of a corpus's releases, in its order.
    fn labels(c: &Corpus) -> Vec<String> {
        c.releases.iter().map(|r| r.label.clone()).collect()
    }

    /// Releases read one after another on one thread reuse its buffers,
    /// give the same model as a load without reuse would (each compared
    /// with a release loaded alone), and nothing is kept once the load is
    /// over; the parallel load, largest first, gives the same releases in
    /// the same order.
    #[test]
    fn loads_reuse_buffers_and_keep_none_after() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let limits = Limits::default();
        let progress = Arc::new(Progress::default());
        let serial = load_paths_with(std::slice::from_ref(&root), &limits, &progress, false);
        assert!(serial.releases.len() > 5, "fixtures found");
        assert_eq!(buffers::kept_bytes(), 0, "nothing kept after the load");
        let parallel = load_paths_with(std::slice::from_ref(&root), &limits, &progress, true);
        assert_eq!(buffers::kept_bytes(), 0);
        assert_eq!(labels(&serial), labels(&parallel));
        let (sources, _) = discover(std::slice::from_ref(&root), &limits);
        for src in &sources {
            let alone = load_release(src, &limits, &progress);
            assert_eq!(buffers::kept_bytes(), 0);
            let Ok(alone) = alone else { continue };
            let in_load = serial
                .releases
                .iter()
                .find(|r| r.label == alone.label && r.origin == alone.origin)
                .expect("the release is in the load");
            assert_eq!(in_load.tests.len(), alone.tests.len(), "{}", alone.label);
            for (a, b) in in_load.tests.iter().zip(&alone.tests) {
                assert_eq!(a.names.raw, b.names.raw);
                assert_eq!(a.status(), b.status());
                assert_eq!(a.message, b.message);
            }
            assert_eq!(in_load.log, alone.log, "{}", alone.label);
            assert_eq!(in_load.warnings, alone.warnings, "{}", alone.label);
        }
    }

    /// What `load_paths_each` makes of each release stays with that release
    /// through the sort into corpus order, serial and parallel, and the
    /// corpus is the one `load_paths_with` gives.
    #[test]
    fn values_made_while_loading_follow_their_releases() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let limits = Limits::default();
        let progress = Arc::new(Progress::default());
        let plain = load_paths_with(std::slice::from_ref(&root), &limits, &progress, true);
        for parallel in [false, true] {
            let (corpus, made) = load_paths_each(
                std::slice::from_ref(&root),
                &limits,
                &progress,
                parallel,
                |r| (r.label.clone(), r.tests.len()),
            );
            assert_eq!(made.len(), corpus.releases.len());
            assert!(made.len() > 5, "fixtures found");
            for (release, (label, tests)) in corpus.releases.iter().zip(&made) {
                assert_eq!(&release.label, label);
                assert_eq!(release.tests.len(), *tests, "{label}");
            }
            assert_eq!(labels(&corpus), labels(&plain));
            assert_eq!(corpus.errors, plain.errors);
        }
    }

    #[test]
    fn every_error_says_the_same_with_and_without_its_path() {
        let errors = [
            IngestError::Io {
                path: "a.xml".into(),
                source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
            },
            IngestError::TooLarge {
                path: "b.xml".into(),
                size: 10,
                limit: 5,
            },
            IngestError::Empty {
                path: "c.xml".into(),
            },
            IngestError::Xml {
                path: "d.xml".into(),
                message: "bad".into(),
            },
            IngestError::Tarball {
                path: "e.tgz".into(),
                message: "broken".into(),
            },
            IngestError::NoResults { path: "f".into() },
        ];
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "a.xml: cannot read: denied",
                "b.xml: 10 bytes is over the file size limit of 5 bytes (max_file_bytes)",
                "c.xml: the file is empty",
                "d.xml: bad",
                "e.tgz: broken",
                "f: skipped: no e2e results in it (no junit_*.xml, in plugins/e2e/ or elsewhere)",
            ]
        );
        for e in &errors {
            assert_eq!(e.to_load_error().to_string(), e.to_string());
        }
        assert!(std::error::Error::source(&errors[0]).is_some());
    }

    #[test]
    fn capped_reads_cut_or_refuse_what_is_over_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.md");
        std::fs::write(&path, b"\xEF\xBB\xBF# Title\nbody \xFF\n").unwrap();
        let (text, cut) = read_capped_text(&path, 1024).unwrap();
        assert_eq!((text.as_str(), cut), ("# Title\nbody \u{FFFD}\n", false));
        let (text, cut) = read_capped_text(&path, 10).unwrap();
        assert_eq!((text.as_str(), cut), ("# Title", true));
        let exact = std::fs::metadata(&path).unwrap().len();
        assert!(!read_prefix(&path, exact).unwrap().1);
        assert_eq!(
            read_prefix(&path, exact - 1).unwrap(),
            (b"\xEF\xBB\xBF# Title\nbody \xFF".to_vec(), true)
        );
        let limits = Limits {
            max_file_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            read_capped(&path, &limits).unwrap_err().detail(),
            format!("{exact} bytes is over the file size limit of 4 bytes (max_file_bytes)")
        );
        assert_eq!(
            read_capped(&path, &Limits::default()).unwrap().len() as u64,
            exact
        );
        let missing = dir.path().join("missing.md");
        let e = read_capped_text(&missing, 10).unwrap_err();
        assert_eq!(e.path(), missing.display().to_string());
        assert!(e.detail().starts_with("cannot read: "), "{e}");
    }
}

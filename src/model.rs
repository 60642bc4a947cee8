//! The data model: releases, test cases and outcomes as plain data.
//!
//! Nothing here knows about egui or about file formats; the readers in
//! [`crate::ingest`] fill these types and the views and exporters read them.
//! A test's names ([`Names`]: raw, display, identity key, SIG) are plain
//! data here too; [`crate::ingest::names`] derives them from the raw JUnit
//! name and shares them between the releases of a load.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// How a spec that did not pass went wrong. Ginkgo v2 reports each kind as a
/// `status` attribute; Ginkgo v1 only has `failure` and `error` elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    /// An assertion failed.
    Failed,
    /// The spec ran out of time.
    TimedOut,
    /// The spec was aborted.
    Aborted,
    /// The spec panicked.
    Panicked,
    /// The run was interrupted while the spec ran.
    Interrupted,
    /// The JUnit reported an `<error>` without a more precise status.
    Error,
}

impl FailureKind {
    /// The word Ginkgo uses for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Failed => "failed",
            FailureKind::TimedOut => "timedout",
            FailureKind::Aborted => "aborted",
            FailureKind::Panicked => "panicked",
            FailureKind::Interrupted => "interrupted",
            FailureKind::Error => "error",
        }
    }
}

/// What happened to one spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The spec ran and passed.
    Passed,
    /// The spec ran and did not pass; the kind says how.
    Failed(FailureKind),
    /// The spec was not run.
    Skipped,
    /// The spec is marked pending in the suite.
    Pending,
}

impl Outcome {
    /// The coarse status word used in tables, JSON and CSV:
    /// `passed`, `failed`, `skipped` or `pending`.
    pub fn status(self) -> Status {
        match self {
            Outcome::Passed => Status::Passed,
            Outcome::Failed(_) => Status::Failed,
            Outcome::Skipped => Status::Skipped,
            Outcome::Pending => Status::Pending,
        }
    }

    /// The precise word: `failed`, `timedout`, ... for failures, else the status.
    pub fn detail(self) -> &'static str {
        match self {
            Outcome::Failed(kind) => kind.as_str(),
            other => other.status().as_str(),
        }
    }
}

/// The coarse status of a spec, as counted in summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran and passed.
    Passed,
    /// Ran and did not pass (any failure kind).
    Failed,
    /// Not run.
    Skipped,
    /// Pending.
    Pending,
}

impl Status {
    /// The order in which statuses need attention: failed first, then
    /// skipped, pending, passed (lists sort by it).
    pub fn attention_rank(self) -> u8 {
        match self {
            Status::Failed => 0,
            Status::Skipped => 1,
            Status::Pending => 2,
            Status::Passed => 3,
        }
    }

    /// The lowercase word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Pending => "pending",
        }
    }

    /// Every status, in display order.
    pub const ALL: [Status; 4] = [
        Status::Passed,
        Status::Failed,
        Status::Skipped,
        Status::Pending,
    ];
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One spec of one release.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// Its names (raw, display, key, SIG), shared by every spec of the load
    /// with the same raw name: one reference to count per spec, not four.
    pub names: Arc<Names>,
    /// What happened.
    pub outcome: Outcome,
    /// The spec's run time.
    pub duration_secs: f64,
    /// The failure, error or skip message attribute (shared between the
    /// specs of a file that carry the same one, such as `skipped`).
    pub message: Option<Arc<str>>,
    /// The failure text and the output, boxed apart: most specs have
    /// neither, and a pointer costs them 8 bytes instead of 32 (a corpus of
    /// 7.8 million specs holds 250 MB less).
    pub text: Option<Box<TestText>>,
}

/// The texts of a spec that has any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestText {
    /// The text inside `<failure>` or `<error>`.
    pub failure: Option<Box<str>>,
    /// `<system-out>` and `<system-err>`, joined.
    pub output: Option<Box<str>>,
}

impl TestText {
    /// The box of these texts, or `None` when both are missing.
    pub fn boxed(failure: Option<Box<str>>, output: Option<Box<str>>) -> Option<Box<TestText>> {
        (failure.is_some() || output.is_some()).then(|| Box::new(TestText { failure, output }))
    }
}

impl TestCase {
    /// The text inside `<failure>` or `<error>`.
    pub fn failure_text(&self) -> Option<&str> {
        self.text.as_ref()?.failure.as_deref()
    }

    /// `<system-out>` and `<system-err>`, joined.
    pub fn output(&self) -> Option<&str> {
        self.text.as_ref()?.output.as_deref()
    }

    /// The name exactly as the JUnit gives it (with `[It] ` in Ginkgo v2).
    pub fn raw_name(&self) -> &str {
        &self.names.raw
    }

    /// The name for display: `[It] ` removed and runs of whitespace collapsed.
    pub fn name(&self) -> &str {
        self.names.name()
    }

    /// The identity across releases: [`identity_key`](crate::ingest::names::identity_key)
    /// of the name.
    pub fn key(&self) -> &str {
        &self.names.key
    }

    /// The SIG tag (`sig-node`), if the name carries one.
    pub fn sig(&self) -> Option<&str> {
        self.names.sig.as_deref()
    }

    /// Whether the name carries `[Conformance]`.
    pub fn conformance(&self) -> bool {
        self.names.conformance
    }

    /// The bracketed tags in the display name, e.g. `Conformance`, `sig-node`, `Serial`.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        bracketed(self.name())
    }

    /// The coarse status.
    pub fn status(&self) -> Status {
        self.outcome.status()
    }
}

/// The suite's own figures, read from `e2e.log`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LogSummary {
    /// `Ran N of M Specs`: N.
    pub ran: u64,
    /// `Ran N of M Specs`: M.
    pub of: u64,
    /// Passed specs.
    pub passed: u64,
    /// Failed specs.
    pub failed: u64,
    /// Flaked specs (Ginkgo v2 only; `None` when the line has no such field).
    pub flaked: Option<u64>,
    /// Pending specs.
    pub pending: u64,
    /// Skipped specs.
    pub skipped: u64,
    /// `SUCCESS!` (true) or `FAIL!` (false).
    pub success: bool,
    /// `in S seconds` of the `Ran` line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
}

/// What the log says besides the verdict line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogFacts {
    /// The verdict figures, when the log has the `Ran`/`SUCCESS!`/`FAIL!` lines.
    pub summary: Option<LogSummary>,
    /// `kube-apiserver version: ...`.
    pub kube_version: Option<String>,
    /// `e2e test version: ...`.
    pub e2e_version: Option<String>,
    /// The names listed under `Summarizing N Failures:`.
    pub failures: Vec<String>,
    /// When the run started, in Unix seconds: Ginkgo's `Random Seed`, which
    /// is the start time unless a seed was given by hand.
    pub started: Option<i64>,
    /// Problems found while reading (absurd numbers, a truncated verdict).
    pub warnings: Vec<String>,
}

/// The fields of a CNCF submission's `PRODUCT.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Product {
    /// `vendor`.
    pub vendor: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `version`.
    pub version: Option<String>,
    /// `type`: distribution, hosted, installer.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `website_url`.
    pub website_url: Option<String>,
    /// `repo_url`.
    pub repo_url: Option<String>,
    /// `documentation_url`.
    pub documentation_url: Option<String>,
    /// `product_logo_url`.
    pub product_logo_url: Option<String>,
    /// `contact_email_address`.
    pub contact_email_address: Option<String>,
}

/// Where a release came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A folder on disk.
    Folder(PathBuf),
    /// A Sonobuoy tarball, read in memory.
    Tarball(PathBuf),
}

impl Origin {
    /// The folder or tarball path.
    pub fn path(&self) -> &PathBuf {
        match self {
            Origin::Folder(p) | Origin::Tarball(p) => p,
        }
    }
}

/// Where the release's e2e log can be read again (for excerpts), without
/// keeping megabytes of log in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogLocation {
    /// A file on disk.
    File(PathBuf),
    /// A member of a tarball.
    TarMember {
        /// The tarball.
        tarball: PathBuf,
        /// The member's path inside it.
        member: String,
    },
}

/// Counts of specs by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// All specs counted.
    pub total: u64,
    /// Passed.
    pub passed: u64,
    /// Failed, any kind.
    pub failed: u64,
    /// Skipped.
    pub skipped: u64,
    /// Pending.
    pub pending: u64,
}

impl Counts {
    /// Add one spec of this status.
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::Pending => self.pending += 1,
        }
    }

    /// Count a set of tests.
    pub fn of<'a>(tests: impl IntoIterator<Item = &'a TestCase>) -> Counts {
        let mut counts = Counts::default();
        for t in tests {
            counts.add(t.status());
        }
        counts
    }

    /// Passed as a fraction of all, 0 when empty.
    pub fn pass_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.passed as f64 / self.total as f64
        }
    }
}

/// One run of the e2e suite against one product version.
#[derive(Clone, Debug)]
pub struct Release {
    /// The path relative to the opened root, or the tarball's file name.
    pub label: String,
    /// Where it was read from.
    pub origin: Origin,
    /// The opened root this release was found under.
    pub root: PathBuf,
    /// `kube-apiserver version` from the log, else Sonobuoy's server version.
    pub kube_version: Option<String>,
    /// `e2e test version` from the log.
    pub e2e_version: Option<String>,
    /// `(major, minor, patch)` used for ordering.
    pub version: Option<(u32, u32, u32)>,
    /// Every spec, suite nodes excluded, in file order.
    pub tests: Vec<TestCase>,
    /// `[SynchronizedBeforeSuite]`, `[ReportAfterSuite] ...` and the like.
    pub suite_nodes: Vec<TestCase>,
    /// The suite's own figures from the log.
    pub log: Option<LogSummary>,
    /// Names under `Summarizing N Failures:` in the log.
    pub log_failures: Vec<String>,
    /// Where the log is, for excerpts.
    pub log_location: Option<LogLocation>,
    /// PRODUCT.yaml, when present.
    pub product: Option<Product>,
    /// The product line this release belongs to by itself (PRODUCT.yaml,
    /// else its path); [`crate::lines::Lines`] groups a corpus.
    pub line: crate::lines::ProductLine,
    /// When the run started, from the log ([`LogFacts::started`]).
    pub started: Option<i64>,
    /// The suite's run time: the JUnit root `time`, else the log's.
    pub duration_secs: Option<f64>,
    /// Names of the files this release was read from (relative to the origin).
    pub files: Vec<String>,
    /// Problems that did not stop the release from loading.
    pub warnings: Vec<String>,
    /// Bytes read to build this release.
    pub bytes_read: u64,
    /// A `known-test-failures.md`-style document found in the release's
    /// folder or a parent of it up to the opened root.
    pub caveat_doc: Option<PathBuf>,
    /// The vendor's per-release known-failures document (`- Test:`
    /// entries) found in the release's folder, its tarball's root or a
    /// folder up to the opened root: the nearest.
    pub defect_doc: Option<crate::defects::DefectSource>,
    /// The tests that document explains as known defects.
    pub known_defects: Vec<crate::defects::KnownDefect>,
    /// Position of each test by key, rebuilt by [`Release::index_keys`]
    /// (called from [`Corpus::intern`]); when empty, [`Release::find`] scans.
    pub key_index: KeyIndex,
    /// Where the log names each non-passing required test: its index in
    /// `tests` → the 1-based line of the log that names its own block
    /// ([`crate::ingest::log_blocks`]). Tests the log does not name are
    /// absent.
    pub log_lines: rustc_hash::FxHashMap<usize, usize>,
    /// The other places the same run was found (a second copy of a
    /// checkout, or the Sonobuoy tarball a submission folder's loose files
    /// came from), shown once ([`crate::ingest::fold_same_runs`]).
    pub also_at: Vec<String>,
}

impl Release {
    /// An empty release with this label and origin, for code that builds
    /// releases by hand (tests, generators); fill in the fields you need.
    pub fn new(label: impl Into<String>, origin: Origin) -> Release {
        Release {
            label: label.into(),
            root: origin.path().clone(),
            origin,
            kube_version: None,
            e2e_version: None,
            version: None,
            tests: Vec::new(),
            suite_nodes: Vec::new(),
            log: None,
            log_failures: Vec::new(),
            log_location: None,
            product: None,
            line: crate::lines::ProductLine::default(),
            started: None,
            duration_secs: None,
            files: Vec::new(),
            warnings: Vec::new(),
            bytes_read: 0,
            caveat_doc: None,
            defect_doc: None,
            known_defects: Vec::new(),
            key_index: Default::default(),
            log_lines: Default::default(),
            also_at: Vec::new(),
        }
    }

    /// The specs tagged `[Conformance]`. The required tests are not these
    /// but the assessment's ([`crate::analysis::required_set`]).
    pub fn conformance_tests(&self) -> impl Iterator<Item = &TestCase> {
        self.tests.iter().filter(|t| t.conformance())
    }

    /// Counts of every spec (suite nodes excluded).
    pub fn spec_counts(&self) -> Counts {
        Counts::of(&self.tests)
    }

    /// Whether the JUnit's passed and failed specs equal the log's verdict
    /// line; `None` without a log verdict.
    pub fn agrees_with_log(&self) -> Option<bool> {
        let log = self.log.as_ref()?;
        let specs = self.spec_counts();
        Some(specs.passed == log.passed && specs.failed == log.failed)
    }

    /// The differences between the JUnit and the log, one sentence each.
    pub fn log_disagreements(&self) -> Vec<String> {
        let Some(log) = &self.log else {
            return Vec::new();
        };
        let specs = self.spec_counts();
        let mut out = Vec::new();
        let ran = specs.passed + specs.failed;
        let pairs = [
            ("passed", specs.passed, log.passed),
            ("failed", specs.failed, log.failed),
            ("ran", ran, log.ran),
            ("specs", specs.total, log.of),
        ];
        for (what, junit, logged) in pairs {
            if junit != logged {
                out.push(format!(
                    "{what}: the JUnit has {junit}, the log's verdict line says {logged}"
                ));
            }
        }
        out
    }

    /// The Kubernetes `major.minor` (e.g. `1.21`), when known.
    pub fn minor_version(&self) -> Option<String> {
        self.version.map(|(a, b, _)| format!("{a}.{b}"))
    }

    /// The Kubernetes version for people: the server's own
    /// ([`Release::kube_version`]), else `v1.30 (from the path)` from
    /// [`Release::minor_version`], else `?`.
    pub fn version_text(&self) -> String {
        version_text(
            self.kube_version.as_deref(),
            self.minor_version().as_deref(),
        )
    }

    /// The index in [`Release::tests`] of a spec borrowed from this
    /// release (as [`Release::find`] returns it); `None` for any other.
    pub fn position_of(&self, test: &TestCase) -> Option<usize> {
        let size = std::mem::size_of::<TestCase>().max(1);
        let start = self.tests.as_ptr() as usize;
        let at = (test as *const TestCase as usize).checked_sub(start)?;
        let index = at / size;
        (at % size == 0 && index < self.tests.len() && std::ptr::eq(&self.tests[index], test))
            .then_some(index)
    }

    /// Find a spec by identity key (the first, should two share it).
    pub fn find(&self, key: &str) -> Option<&TestCase> {
        if self.key_index.0.is_empty() {
            return self.tests.iter().find(|t| t.key() == key);
        }
        let tests = &self.tests;
        self.key_index
            .0
            .find(key_hash(key), |&i| {
                tests.get(i as usize).is_some_and(|t| t.key() == key)
            })
            .and_then(|&i| tests.get(i as usize))
    }

    /// Rebuild [`Release::key_index`].
    pub fn index_keys(&mut self) {
        let tests = &self.tests;
        let mut table = hashbrown::HashTable::with_capacity(tests.len());
        for (i, t) in tests.iter().enumerate() {
            let Ok(at) = u32::try_from(i) else { break };
            let hash = t.names.key_hash;
            // The hash was computed with the name: building the index reads
            // no key text unless two hashes meet.
            if let hashbrown::hash_table::Entry::Vacant(v) = table.entry(
                hash,
                |&j: &u32| tests.get(j as usize).is_some_and(|u| u.key() == t.key()),
                |&j: &u32| tests.get(j as usize).map_or(0, |u| u.names.key_hash),
            ) {
                v.insert(at);
            }
        }
        self.key_index = KeyIndex(table);
    }
}

/// Positions of a release's tests by identity key, hashed with
/// [`key_hash`]: four bytes a test.
#[derive(Clone, Debug, Default)]
pub struct KeyIndex(hashbrown::HashTable<u32>);

/// The hash a test's identity key is indexed by, kept in its [`Names`].
pub fn key_hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// The Kubernetes version for people from a release's server version and
/// its `major.minor`: the first, else `v1.30 (from the path)`, else `?`.
/// [`Release::version_text`] and the summaries both write it this way.
pub fn version_text(kube_version: Option<&str>, minor: Option<&str>) -> String {
    match (kube_version, minor) {
        (Some(v), _) => v.to_string(),
        (None, Some(m)) => format!("v{m} (from the path)"),
        (None, None) => "?".to_string(),
    }
}

/// A file or input that could not be read, with what went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadError {
    /// The file (or folder, or tarball member as `tarball!member`).
    pub path: String,
    /// What is wrong, in words a user understands.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything loaded from the paths a user opened.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Releases, sorted by Kubernetes version, then label.
    pub releases: Vec<Release>,
    /// Inputs that could not be read.
    pub errors: Vec<LoadError>,
}

impl Corpus {
    /// Sort releases by version (unknown versions last), then label.
    pub fn sort(&mut self) {
        self.releases.sort_by(release_order);
    }

    /// Make every release share one copy of each distinct name, so memory
    /// grows with distinct names rather than with releases.
    pub fn intern(&mut self) {
        let mut interner = Interner::default();
        let mut shared: HashMap<Names, Arc<Names>> = HashMap::new();
        for release in &mut self.releases {
            for t in release
                .tests
                .iter_mut()
                .chain(release.suite_nodes.iter_mut())
            {
                if let Some(n) = shared.get(&*t.names) {
                    t.names = n.clone();
                    continue;
                }
                let n = Arc::new(Names {
                    raw: interner.intern_arc(&t.names.raw),
                    name_from: t.names.name_from,
                    name_owned: t.names.name_owned.as_ref().map(|n| interner.intern_arc(n)),
                    key: interner.intern_arc(&t.names.key),
                    key_hash: t.names.key_hash,
                    sig: t.names.sig.as_ref().map(|s| interner.intern_arc(s)),
                    conformance: t.names.conformance,
                });
                shared.insert((*n).clone(), n.clone());
                t.names = n;
            }
            release.index_keys();
        }
    }

    /// Add releases and errors from another load, then sort and intern.
    pub fn extend(&mut self, other: Corpus) {
        self.releases.extend(other.releases);
        self.errors.extend(other.errors);
        self.sort();
        self.intern();
    }
}

/// The order releases are shown in: version, then label.
pub fn release_order(a: &Release, b: &Release) -> std::cmp::Ordering {
    match (a.version, b.version) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.label.cmp(&b.label)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.label.cmp(&b.label),
    }
}

/// The names derived from one raw JUnit test name, computed once and shared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Names {
    /// The raw name.
    pub raw: Arc<str>,
    /// Where the display name starts in `raw`, when it is a tail of the
    /// raw name (nearly always: only a leading `[It] ` goes).
    pub(crate) name_from: usize,
    /// The display name when it is not a tail of `raw` (odd spacing).
    pub(crate) name_owned: Option<Arc<str>>,
    /// [`identity_key`](crate::ingest::names::identity_key) of the display
    /// name.
    pub key: Arc<str>,
    /// [`key_hash`] of `key`.
    pub(crate) key_hash: u64,
    /// [`sig_of`](crate::ingest::names::sig_of) the display name.
    pub sig: Option<Arc<str>>,
    /// Whether it carries `[Conformance]`.
    pub conformance: bool,
}

impl Names {
    /// Names from their parts; `name` is kept as part of `raw` when it is
    /// a tail of it.
    pub fn new(
        raw: Arc<str>,
        name: &str,
        key: Arc<str>,
        sig: Option<Arc<str>>,
        conformance: bool,
    ) -> Names {
        let (name_from, name_owned) = if raw.ends_with(name) {
            (raw.len() - name.len(), None)
        } else {
            (0, Some(Arc::from(name)))
        };
        Names {
            raw,
            name_from,
            name_owned,
            key_hash: key_hash(&key),
            key,
            sig,
            conformance,
        }
    }

    /// The display name:
    /// [`display_name`](crate::ingest::names::display_name) of the raw one.
    pub fn name(&self) -> &str {
        match &self.name_owned {
            Some(owned) => owned,
            None => self.raw.get(self.name_from..).unwrap_or_default(),
        }
    }
}

/// A set of shared strings.
#[derive(Default, Debug)]
pub struct Interner {
    set: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `s`.
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(existing) = self.set.get(s) {
            return existing.clone();
        }
        let arc: Arc<str> = Arc::from(s);
        self.set.insert(arc.clone());
        arc
    }

    /// The shared copy of an `Arc<str>` (reuses `s` when it is new).
    pub fn intern_arc(&mut self, s: &Arc<str>) -> Arc<str> {
        if let Some(existing) = self.set.get(&**s) {
            return existing.clone();
        }
        self.set.insert(s.clone());
        s.clone()
    }

    /// How many distinct strings are held.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether no string is held.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// The bracketed tags of a name, outermost brackets only.
pub fn bracketed(name: &str) -> impl Iterator<Item = &str> {
    let mut rest = name;
    std::iter::from_fn(move || {
        let start = rest.find('[')?;
        let after = &rest[start + 1..];
        let end = after.find(']')?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        Some(tag)
    })
}

/// The Kubernetes version a folder's name gives: `v1.27` (1, 27, 0),
/// `v1.27.3` (1, 27, 3), `v1.27-civo` (1, 27, 0); `None` for any name that
/// does not begin with `v` and a `1.X` version (`results-v1.24-v1.33`,
/// `kind-1.30`, `v2`), so a version inside a longer name never counts.
pub fn folder_version(name: &str) -> Option<(u32, u32, u32)> {
    let rest = name.strip_prefix(['v', 'V'])?;
    let (nums, end) = read_dotted(rest.as_bytes());
    if nums.len() < 2 || nums[0] != 1 {
        return None;
    }
    // What follows the version is no digit or dot of it (`v1.27-civo`).
    match rest.as_bytes().get(end) {
        None => {}
        Some(b) if b.is_ascii_digit() || *b == b'.' => return None,
        Some(_) => {}
    }
    Some((nums[0], nums[1], nums.get(2).copied().unwrap_or(0)))
}

/// Parse `v1.21.0+vmware.wcp.2`, `1.30`, `v1.9` into `(major, minor, patch)`.
/// Looks for the first `vX.Y` or `X.Y` whose major is 1 (Kubernetes).
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let (nums, end) = read_dotted(&bytes[i..]);
            if nums.len() >= 2 && nums[0] == 1 {
                return Some((nums[0], nums[1], nums.get(2).copied().unwrap_or(0)));
            }
            i += end.max(1);
        } else {
            i += 1;
        }
    }
    None
}

fn read_dotted(bytes: &[u8]) -> (Vec<u32>, usize) {
    let mut nums = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        let mut value: u32 = 0;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            value = value
                .saturating_mul(10)
                .saturating_add(u32::from(bytes[i] - b'0'));
            i += 1;
        }
        if i == start {
            break;
        }
        nums.push(value);
        if nums.len() == 3 || i >= bytes.len() || bytes[i] != b'.' {
            break;
        }
        if i + 1 >= bytes.len() || !bytes[i + 1].is_ascii_digit() {
            break;
        }
        i += 1;
    }
    (nums, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(parse_version("v1.21.0+vmware.wcp.2"), Some((1, 21, 0)));
        assert_eq!(parse_version("results/v1.18"), Some((1, 18, 0)));
        assert_eq!(parse_version("v1.9"), Some((1, 9, 0)));
        assert_eq!(parse_version("product v2.26 on 1.30"), Some((1, 30, 0)));
        assert_eq!(parse_version("no version"), None);
        assert!(parse_version("v1.9") < parse_version("v1.18"));
    }

    #[test]
    fn counts_add_up() {
        let mut c = Counts::default();
        for s in [
            Status::Passed,
            Status::Passed,
            Status::Failed,
            Status::Skipped,
        ] {
            c.add(s);
        }
        assert_eq!((c.total, c.passed, c.failed, c.skipped), (4, 2, 1, 1));
        assert!((c.pass_rate() - 0.5).abs() < 1e-9);
    }
}

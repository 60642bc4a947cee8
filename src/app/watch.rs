//! Live reload of the opened folders (View › Watch opened folders, on by
//! default and remembered in the settings).
//!
//! Two halves, both driven by the [`super::jobs`] runner:
//!
//! - **The watcher** is a feed ([`JobKind::Watch`]). It watches, one by
//!   one and never recursively, every folder that loading would enter under
//!   the opened paths, with `notify` behind `notify-debouncer-full`, and
//!   turns the debounced events into [`Change`]s: one release to read again
//!   (its folder or its tarball), or a folder whose releases must be found
//!   again (it appeared, went or was renamed). A change goes to the window
//!   only once what it covers has stopped changing for [`QUIET`]: sizes and
//!   modification times are compared on the watcher's own thread, so a
//!   tarball copied in over several seconds is read once, whole. The
//!   watcher keeps to the loading rules: symlinked folders are not
//!   followed, hidden folders, `target` and `node_modules` are left out,
//!   every watched folder counts against [`Limits::max_dirs`], and nothing
//!   is ever written.
//! - **The reread** happens on the window's side. Changes queue up while
//!   a load or a merge runs; then a [`JobKind::Reread`] job copies the open
//!   data, drops the releases the changes cover, reads what is there now
//!   with the session's [`Limits`] and makes the figures. The frame installs
//!   the result as one step, keeping the selected releases, the selected
//!   test and the scroll position of the lists, and names in a message the
//!   releases that went away.
//!
//! The UI thread never polls the disk: each frame only drains the feed.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RemoveKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer_opt,
};

use super::ViewerApp;
use super::jobs::{Feed, JobKind, Outbox, Progress, Slot};
use super::notifications::Level;
use super::state::Source;
use super::verdict::{self, ReleaseInfo};
use crate::ingest::discover::{is_junit_name, is_tarball_name, relative_label};
use crate::ingest::{self, Limits, ReleaseSource};
use crate::model::{Corpus, LoadError, Release};

/// How long the debouncer gathers the events of one path before handing
/// them on.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// How long what a change covers must stay the same (sizes and
/// modification times) before it is read.
pub const QUIET: Duration = Duration::from_secs(1);

/// How often changes that wait for quiet are looked at again.
const TICK: Duration = Duration::from_millis(200);

/// How long the watcher waits for events when nothing waits for quiet; it
/// only checks whether it should stop.
const IDLE_TICK: Duration = Duration::from_millis(500);

/// The vendor's per-release document of known defects; it is read with
/// the releases at and below its folder.
const DEFECTS_DOC: &str = "known-test-failures.md";

/// What must be read again.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// One release: its folder or its tarball, read again alone.
    Release(PathBuf),
    /// A folder that appeared, went or was renamed: every release at or
    /// below it is found and read again.
    Tree(PathBuf),
}

impl Target {
    /// The folder or tarball.
    pub fn path(&self) -> &Path {
        match self {
            Target::Release(p) | Target::Tree(p) => p,
        }
    }

    /// Whether a release from `origin` (its folder or tarball) is covered.
    pub fn covers(&self, origin: &Path) -> bool {
        match self {
            Target::Release(p) => origin == p,
            Target::Tree(p) => origin.starts_with(p),
        }
    }
}

/// Something under an opened path that changed and has stopped changing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Change {
    /// The root the releases under it are labelled from, as loading sets
    /// it: the opened folder or tarball (a file of a release folder: that
    /// folder).
    pub base: PathBuf,
    /// What to read again.
    pub target: Target,
}

/// What the watcher tells the window.
#[derive(Debug)]
pub enum WatchEvent {
    /// The watches are set: this many folders are watched.
    Ready {
        /// Folders watched.
        folders: usize,
    },
    /// These changed and have stopped changing.
    Changed(Vec<Change>),
    /// Something the user should know: a limit was reached, a folder
    /// cannot be watched.
    Problem {
        /// What it is about.
        title: String,
        /// The details.
        lines: Vec<String>,
    },
}

/// What the window keeps of the watcher: it lives in
/// [`super::loading::Loads`].
#[derive(Debug, Default)]
pub struct Watch {
    /// The watcher, while one runs.
    feed: Option<Feed<WatchEvent>>,
    /// The opened paths it watches (empty: none).
    roots: Vec<PathBuf>,
    /// Whether its watches are set.
    ready: bool,
    /// Folders watched.
    folders: usize,
    /// Changes waiting to be read.
    queue: Vec<Change>,
    /// The reread, keyed by the data generation it reads into.
    reread: Slot<u64, Reread>,
    /// How many times each release (folder or tarball) was read again.
    reads: HashMap<PathBuf, usize>,
}

impl Watch {
    /// Whether the opened folders are being watched.
    pub fn watching(&self) -> bool {
        self.ready && self.feed.is_some()
    }

    /// How many folders are watched.
    pub fn folders(&self) -> usize {
        self.folders
    }

    /// Whether changes wait to be read or are being read.
    pub fn busy(&self) -> bool {
        self.reread.is_running() || !self.queue.is_empty()
    }
}

/// What a reread job hands back.
#[derive(Debug)]
pub struct Reread {
    /// The open data with the changes in it.
    corpus: Corpus,
    /// Its per-release figures, and the catalog revision they are for.
    infos: (super::state::Revision, Vec<ReleaseInfo>),
    /// The changes read.
    changes: Vec<Change>,
    /// Whether anything differs from what was open.
    changed: bool,
    /// Labels of releases that are new.
    added: Vec<String>,
    /// Labels of releases that went away.
    gone: Vec<String>,
    /// Labels of releases read again.
    again: Vec<String>,
    /// What could not be read.
    errors: Vec<LoadError>,
    /// The warnings of the releases read, by label.
    warnings: Vec<(String, Vec<String>)>,
    /// Every release folder or tarball read.
    reads: Vec<PathBuf>,
    /// Time spent.
    elapsed: Duration,
}

impl ViewerApp {
    /// Keep the watcher in step with the opened paths and the setting, take
    /// what it reports, and read again what changed. Called once a frame.
    pub(super) fn poll_watch(&mut self) {
        let wanted: Vec<PathBuf> = match &self.state.source {
            Source::Paths(paths) if self.state.settings.watch && self.screenshot.is_none() => {
                paths.clone()
            }
            _ => Vec::new(),
        };
        let watch = &mut self.loads.watch;
        if wanted != watch.roots {
            // Dropping the feed and the reread stops them.
            *watch = Watch {
                reads: std::mem::take(&mut watch.reads),
                ..Watch::default()
            };
            if !wanted.is_empty() {
                let limits = self.state.session.limits.clone();
                let paths = wanted.clone();
                watch.feed = Some(self.jobs.start_feed(JobKind::Watch, move |progress, out| {
                    run_watcher(&paths, limits, progress, out)
                }));
            }
            watch.roots = wanted;
        }
        let events = watch.feed.as_mut().map(Feed::drain).unwrap_or_default();
        for event in events {
            match event {
                WatchEvent::Ready { folders } => {
                    watch.ready = true;
                    watch.folders = folders;
                }
                WatchEvent::Changed(changes) => {
                    for c in changes {
                        if !watch.queue.contains(&c) {
                            watch.queue.push(c);
                        }
                    }
                }
                WatchEvent::Problem { title, lines } => {
                    self.state.notes.push(Level::Warning, title, lines)
                }
            }
        }
        if let Some(end) = watch.feed.as_mut().and_then(Feed::ended) {
            watch.feed = None;
            watch.ready = false;
            if let Err(message) = end {
                self.state.notes.push(
                    Level::Error,
                    "Watching the opened folders stopped",
                    vec![
                        message,
                        "File › Reload reads them again; turning View › Watch opened folders \
                         off and on restarts watching."
                            .to_string(),
                    ],
                );
            }
        }
        self.take_reread();
        self.start_reread();
    }

    /// Read the queued changes in the background, unless a load or a merge
    /// runs (their data would replace the reread's).
    fn start_reread(&mut self) {
        let other = self.loads.load.is_some() || self.loads.merging();
        let watch = &mut self.loads.watch;
        if watch.queue.is_empty() || watch.reread.is_running() || other {
            return;
        }
        let changes = std::mem::take(&mut watch.queue);
        let open = self.state.corpus.clone();
        let limits = self.state.session.limits.clone();
        let analysis = self.state.analysis_inputs();
        let generation = self.state.generation;
        watch
            .reread
            .start(&self.jobs, JobKind::Reread, generation, move |progress| {
                let inputs = Inputs { analysis, limits };
                reread(open, changes, &inputs, progress)
            });
    }

    /// Install a finished reread: the data with the changes in it, the
    /// selection, the selected test and the list's scroll kept.
    fn take_reread(&mut self) {
        let Some((generation, answer)) = self.loads.watch.reread.poll() else {
            return;
        };
        let done = match answer {
            Ok(done) => done,
            Err(message) => {
                self.state.notes.push(
                    Level::Error,
                    "Cannot read the changed results",
                    vec![message],
                );
                return;
            }
        };
        let other = self.loads.load.is_some() || self.loads.merging();
        let watch = &mut self.loads.watch;
        for p in &done.reads {
            *watch.reads.entry(p.clone()).or_default() += 1;
        }
        if generation != self.state.generation || other {
            // Other data came (or is coming) meanwhile: read the changes
            // again into that.
            for c in done.changes {
                if !watch.queue.contains(&c) {
                    watch.queue.push(c);
                }
            }
            return;
        }
        if !done.changed {
            return;
        }
        let s = &mut self.state;
        let keep = s.selected_labels();
        let label_of = |i: usize| s.infos().get(i).map(|info| info.label.clone());
        let anchor = s.anchor.and_then(label_of);
        let test = s
            .selected_test()
            .and_then(|(row, t)| label_of(row.release).map(|label| (label, t.names.key.clone())));
        let user_selected = s.user_selected;
        for label in done.again.iter().chain(&done.gone) {
            s.notes.forget_title(label);
        }
        for c in &done.changes {
            s.notes.forget_path(&c.target.path().display().to_string());
        }
        let source = s.source.clone();
        s.install(
            Arc::new(done.corpus),
            Some(done.infos),
            source,
            &keep,
            &self.jobs,
        );
        let index_of = |label: &str| s.infos().iter().position(|i| i.label == label);
        let anchor = anchor.as_deref().and_then(index_of);
        let row = test.and_then(|(label, key)| {
            let release = index_of(&label)?;
            let test = s.corpus.releases[release]
                .tests
                .iter()
                .position(|t| t.names.key == key)?;
            Some(super::tests_view::RowRef { release, test })
        });
        if anchor.is_some() {
            s.anchor = anchor;
        }
        s.user_selected = user_selected;
        if row.is_some() {
            s.selected_test = row;
        }
        for e in &done.errors {
            s.notes
                .push(Level::Error, e.path.clone(), vec![e.message.clone()]);
        }
        for (label, warnings) in done.warnings {
            s.notes.push(Level::Warning, label, warnings);
        }
        if !done.gone.is_empty() {
            s.notes.push(
                Level::Info,
                format!(
                    "{} gone from the disk",
                    verdict::plural(done.gone.len(), "release", "releases")
                ),
                done.gone,
            );
        }
        if !done.added.is_empty() {
            s.notes.push(
                Level::Info,
                format!(
                    "{} appeared in the watched folders",
                    verdict::plural(done.added.len(), "release", "releases")
                ),
                done.added,
            );
        }
        s.last_load = Some(format!(
            "{} read again in {:.1} s",
            verdict::plural(done.reads.len(), "release", "releases"),
            done.elapsed.as_secs_f64()
        ));
    }
}

/// Accessors for tests: the `testing` feature, which `cargo test` turns on.
#[cfg(any(test, feature = "testing"))]
impl ViewerApp {
    /// Whether the opened folders are watched (the watches are set).
    pub fn is_watching(&self) -> bool {
        self.loads.watch.watching()
    }

    /// How many folders are watched.
    pub fn watched_folders(&self) -> usize {
        self.loads.watch.folders()
    }

    /// How many times the watcher had the release at `path` (its folder or
    /// tarball) read again.
    pub fn watch_reads(&self, path: &Path) -> usize {
        self.loads.watch.reads.get(path).copied().unwrap_or(0)
    }

    /// Whether changes wait to be read or are being read.
    pub fn watch_busy(&self) -> bool {
        self.loads.watch.busy()
    }
}

/// What a reread needs besides the data and the changes.
struct Inputs {
    analysis: super::state::AnalysisInputs,
    limits: Limits,
}

/// Read `changes` into a copy of `open` (on a job's thread).
fn reread(open: Arc<Corpus>, changes: Vec<Change>, inputs: &Inputs, progress: &Progress) -> Reread {
    let started = Instant::now();
    let limits = &inputs.limits;
    let changes = prune(changes);
    let mut corpus = Arc::unwrap_or_clone(open);
    let mut before: Vec<String> = Vec::new();
    let mut fresh: Vec<Release> = Vec::new();
    let mut errors: Vec<LoadError> = Vec::new();
    let mut reads = Vec::new();
    for change in &changes {
        let target = &change.target;
        corpus.releases.retain(|r| {
            let covered = r.root == change.base && target.covers(r.origin.path());
            if covered {
                before.push(r.label.clone());
            }
            !covered
        });
        corpus.errors.retain(|e| !target.covers(Path::new(&e.path)));
        let (sources, errs) = sources_at(&change.base, target, limits);
        errors.extend(errs);
        for src in sources {
            if progress.cancelled() {
                break;
            }
            reads.push(src.origin().path().clone());
            match ingest::load_release(&src, limits, progress) {
                Ok(mut release) => {
                    release.index_keys();
                    fresh.push(release);
                }
                Err(errs) => errors.extend(errs),
            }
        }
    }
    // The same cap as a load.
    let room = limits.max_releases.saturating_sub(corpus.releases.len());
    if fresh.len() > room {
        errors.push(LoadError {
            path: changes
                .first()
                .map(|c| c.base.display().to_string())
                .unwrap_or_default(),
            message: format!(
                "{} releases would be open; only {} are kept (max_releases)",
                corpus.releases.len() + fresh.len(),
                limits.max_releases
            ),
        });
        fresh.truncate(room);
    }
    let fresh_labels: HashSet<&str> = fresh.iter().map(|r| r.label.as_str()).collect();
    let before_labels: HashSet<&str> = before.iter().map(String::as_str).collect();
    let gone = before
        .iter()
        .filter(|l| !fresh_labels.contains(l.as_str()))
        .cloned()
        .collect();
    let mut added = Vec::new();
    let mut again = Vec::new();
    for r in &fresh {
        if before_labels.contains(r.label.as_str()) {
            again.push(r.label.clone());
        } else {
            added.push(r.label.clone());
        }
    }
    let warnings = fresh
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .map(|r| (r.label.clone(), r.warnings.clone()))
        .collect();
    let changed = !before.is_empty() || !fresh.is_empty() || !errors.is_empty();
    if changed {
        corpus.extend(Corpus {
            releases: fresh,
            errors: errors.clone(),
        });
    }
    let infos = inputs.analysis.infos(&corpus);
    Reread {
        corpus,
        infos: (inputs.analysis.revision, infos),
        changes,
        changed,
        added,
        gone,
        again,
        errors,
        warnings,
        reads,
        elapsed: started.elapsed(),
    }
}

/// The changes sorted, without repeats and without those a folder change
/// of the same root already covers.
fn prune(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort();
    changes.dedup();
    let trees: Vec<(PathBuf, PathBuf)> = changes
        .iter()
        .filter_map(|c| match &c.target {
            Target::Tree(p) => Some((c.base.clone(), p.clone())),
            Target::Release(_) => None,
        })
        .collect();
    changes.retain(|c| {
        !trees.iter().any(|(base, tree)| {
            *base == c.base
                && c.target.path().starts_with(tree)
                && c.target != Target::Tree(tree.clone())
        })
    });
    changes
}

/// The releases at `target` now, labelled from `base` as a load of `base`
/// labels them. Found by the loading rules ([`ingest::discover`]).
fn sources_at(
    base: &Path,
    target: &Target,
    limits: &Limits,
) -> (Vec<ReleaseSource>, Vec<LoadError>) {
    let (mut sources, errors) = match target {
        Target::Release(p) => match std::fs::metadata(p) {
            Ok(m) if m.is_file() && is_tarball_name(&file_name(p)) => {
                ingest::discover(std::slice::from_ref(p), limits)
            }
            // Opening a file of a release folder opens that folder alone,
            // without looking below it.
            Ok(m) if m.is_dir() => match first_junit(p) {
                Some(junit) => ingest::discover(&[junit], limits),
                None => (Vec::new(), Vec::new()),
            },
            _ => (Vec::new(), Vec::new()),
        },
        Target::Tree(p) if is_real_dir(p, base) => {
            let (sources, mut errors) = ingest::discover(std::slice::from_ref(p), limits);
            // A new folder with nothing in it yet is no error.
            let own = p.display().to_string();
            errors.retain(|e| e.path != own);
            (sources, errors)
        }
        Target::Tree(_) => (Vec::new(), Vec::new()),
    };
    for src in &mut sources {
        match src {
            ReleaseSource::Folder {
                root, dir, label, ..
            } => {
                *root = base.to_path_buf();
                *label = relative_label(base, dir);
            }
            ReleaseSource::Tarball {
                root, path, label, ..
            } => {
                *root = base.to_path_buf();
                *label = relative_label(base, path);
            }
        }
    }
    (sources, errors)
}

/// A `junit_*.xml` of `dir` that is a regular file (or a link to one), as
/// loading reads them.
fn first_junit(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        (is_junit_name(&name) && std::fs::metadata(&path).is_ok_and(|m| m.is_file()))
            .then_some(path)
    })
}

/// Whether `p` is a folder loading enters: the opened folder itself may be
/// a link to one; below it, links to folders are not followed.
fn is_real_dir(p: &Path, base: &Path) -> bool {
    let meta = if p == base {
        std::fs::metadata(p)
    } else {
        std::fs::symlink_metadata(p)
    };
    meta.is_ok_and(|m| m.is_dir())
}

/// Whether loading enters a folder of this name (as
/// [`ingest::discover()`] does: no hidden folders, no build output).
pub fn entered(name: &str) -> bool {
    !name.starts_with('.') && name != "target" && name != "node_modules"
}

/// Whether a file of this name is part of a release folder: a change to
/// it means the folder is read again.
pub fn is_release_file(name: &str) -> bool {
    is_junit_name(name)
        || matches!(
            name,
            "e2e.log"
                | "e2e.stdout.txt"
                | "PRODUCT.yaml"
                | "PRODUCT.yml"
                | "serverversion.json"
                | "conformance.xml"
                | "skipped_tests.xml"
        )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// An opened path as the watcher sees it.
#[derive(Clone, Debug)]
struct Root {
    /// The folder whose events concern it.
    dir: PathBuf,
    /// The root its releases are labelled from.
    base: PathBuf,
    /// Only this file counts (an opened tarball).
    only: Option<PathBuf>,
    /// Whether the folders below `dir` count too.
    recursive: bool,
}

impl Root {
    /// How loading treats `opened`; `None` when it is gone.
    fn of(opened: &Path) -> Option<Root> {
        let meta = std::fs::metadata(opened).ok()?;
        if meta.is_dir() {
            return Some(Root {
                dir: opened.to_path_buf(),
                base: opened.to_path_buf(),
                only: None,
                recursive: true,
            });
        }
        if !meta.is_file() {
            return None;
        }
        let parent = opened
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if is_tarball_name(&file_name(opened)) {
            Some(Root {
                dir: parent,
                base: opened.to_path_buf(),
                only: Some(opened.to_path_buf()),
                recursive: false,
            })
        } else {
            // A file of a release folder opens that folder.
            Some(Root {
                dir: parent.clone(),
                base: parent,
                only: None,
                recursive: false,
            })
        }
    }

    /// What an event of `kind` on `path` asks to read again, if anything.
    fn classify(&self, path: &Path, kind: &EventKind) -> Option<Target> {
        if let Some(only) = &self.only {
            return (path == only).then(|| Target::Release(only.clone()));
        }
        let rel = path.strip_prefix(&self.dir).ok()?;
        let names: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // Folders appear, go or are renamed; their other events say nothing.
        let structural = matches!(
            kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        let Some((name, between)) = names.split_last() else {
            // The opened folder itself: only its going matters.
            let gone = std::fs::metadata(path).is_err();
            return (gone && structural).then(|| Target::Tree(self.dir.clone()));
        };
        if !between.iter().all(|n| entered(n)) || (!self.recursive && !between.is_empty()) {
            return None;
        }
        let parent = path.parent()?.to_path_buf();
        if is_release_file(name) {
            return Some(Target::Release(parent));
        }
        if name == DEFECTS_DOC {
            return Some(Target::Tree(parent));
        }
        if !self.recursive {
            return None;
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                (entered(name) && structural).then(|| Target::Tree(path.to_path_buf()))
            }
            // Only regular files: a link named like a tarball is not read.
            Ok(m) => {
                (m.is_file() && is_tarball_name(name)).then(|| Target::Release(path.to_path_buf()))
            }
            Err(_) if is_tarball_name(name) => Some(Target::Release(path.to_path_buf())),
            // Gone: a folder, unless the event says it was a file.
            Err(_) => (entered(name)
                && structural
                && !matches!(kind, EventKind::Remove(RemoveKind::File)))
            .then(|| Target::Tree(path.to_path_buf())),
        }
    }
}

/// A change waiting for quiet.
#[derive(Debug)]
struct Pending {
    /// What it covers, as last seen.
    stamp: Option<u64>,
    /// Since when it has looked like that.
    since: Instant,
}

/// The watcher's state, on its job's thread.
struct Watcher {
    roots: Vec<Root>,
    limits: Limits,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// The folders watched.
    dirs: HashSet<PathBuf>,
    /// No more folders are watched (a limit was reached).
    full: bool,
    pending: HashMap<Change, Pending>,
    /// What each change covered when it was last handed on.
    sent: HashMap<Change, Option<u64>>,
    /// Problems to hand on.
    problems: Vec<(String, Vec<String>)>,
    /// Problems already told, not to repeat them.
    told: HashSet<String>,
}

/// Watch `opened` until the job is cancelled, handing changes to `out`.
fn run_watcher(
    opened: &[PathBuf],
    limits: Limits,
    progress: &Arc<Progress>,
    out: &Outbox<WatchEvent>,
) {
    let (tx, rx) = channel::<DebounceEventResult>();
    // Links to folders are never followed, as in loading.
    let config = notify::Config::default().with_follow_symlinks(false);
    let debouncer = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
        DEBOUNCE,
        None,
        move |result: DebounceEventResult| {
            // The watcher may have stopped; then nobody listens.
            let _ = tx.send(result);
        },
        RecommendedCache::new(),
        config,
    );
    let debouncer = match debouncer {
        Ok(d) => d,
        Err(e) => {
            out.send(WatchEvent::Problem {
                title: "The opened folders cannot be watched".to_string(),
                lines: vec![e.to_string(), "File › Reload reads them again.".to_string()],
            });
            return;
        }
    };
    let mut w = Watcher {
        roots: opened.iter().filter_map(|p| Root::of(p)).collect(),
        limits,
        debouncer,
        dirs: HashSet::new(),
        full: false,
        pending: HashMap::new(),
        sent: HashMap::new(),
        problems: Vec::new(),
        told: HashSet::new(),
    };
    for root in w.roots.clone() {
        if root.recursive {
            w.watch_tree(&root.dir);
        } else {
            w.watch_one(&root.dir);
        }
    }
    w.tell(out);
    out.send(WatchEvent::Ready {
        folders: w.dirs.len(),
    });
    while !progress.cancelled() {
        let wait = if w.pending.is_empty() {
            IDLE_TICK
        } else {
            TICK
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(events)) => {
                for event in &events {
                    w.on_event(event);
                }
            }
            Ok(Err(errors)) => {
                let lines: Vec<String> = errors
                    .iter()
                    .filter(|e| {
                        !matches!(
                            e.kind,
                            notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound
                        )
                    })
                    .map(ToString::to_string)
                    .collect();
                if !lines.is_empty() {
                    w.problem("Watching the opened folders".to_string(), lines);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                w.problem(
                    "Watching the opened folders stopped".to_string(),
                    vec!["the system stopped reporting changes".to_string()],
                );
                w.tell(out);
                break;
            }
        }
        let ready = w.settle();
        if !ready.is_empty() && !out.send(WatchEvent::Changed(ready)) {
            break;
        }
        w.tell(out);
    }
}

impl Watcher {
    /// Watch `top` and every folder below it that loading enters.
    fn watch_tree(&mut self, top: &Path) {
        let mut stack = vec![top.to_path_buf()];
        while let Some(dir) = stack.pop() {
            // Watched before it is listed: a folder made in between is
            // seen either way.
            if !self.watch_one(&dir) {
                if self.full {
                    return;
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                // The entry's own type: a link to a folder is not a folder.
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir && entered(&entry.file_name().to_string_lossy()) {
                    stack.push(entry.path());
                }
            }
        }
    }

    /// Watch one folder (not what is below it); whether it is watched.
    fn watch_one(&mut self, dir: &Path) -> bool {
        if self.dirs.contains(dir) {
            return true;
        }
        if self.full {
            return false;
        }
        if self.dirs.len() >= self.limits.max_dirs {
            self.full = true;
            self.problem(
                format!("Watching stopped at {} folders", self.dirs.len()),
                vec![format!(
                    "more than {} folders under the opened paths; changes in the others are \
                     not seen (max_dirs)",
                    self.limits.max_dirs
                )],
            );
            return false;
        }
        match self.debouncer.watch(dir, RecursiveMode::NonRecursive) {
            Ok(()) => {
                self.dirs.insert(dir.to_path_buf());
                true
            }
            Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                self.full = true;
                self.problem(
                    format!(
                        "Watching stopped at {} folders: the system's limit",
                        self.dirs.len()
                    ),
                    vec![
                        format!("{}: {e}", dir.display()),
                        "Changes in the other folders are not seen; raising \
                         fs.inotify.max_user_watches lets more be watched."
                            .to_string(),
                    ],
                );
                false
            }
            Err(e) => {
                self.problem(
                    format!("{}: cannot be watched", dir.display()),
                    vec![e.to_string()],
                );
                false
            }
        }
    }

    /// Stop watching `path` and what is below it (it went away).
    fn forget(&mut self, path: &Path) {
        let gone: Vec<PathBuf> = self
            .dirs
            .iter()
            .filter(|d| d.starts_with(path))
            .cloned()
            .collect();
        for d in gone {
            // A folder that was deleted took its watch with it.
            let _ = self.debouncer.unwatch(&d);
            self.dirs.remove(&d);
        }
    }

    /// Take one debounced event.
    fn on_event(&mut self, event: &DebouncedEvent) {
        if event.need_rescan() {
            // Events were lost: every opened path is read again.
            for root in self.roots.clone() {
                let target = match &root.only {
                    Some(t) => Target::Release(t.clone()),
                    None if root.recursive => Target::Tree(root.dir.clone()),
                    None => Target::Release(root.dir.clone()),
                };
                self.pend(Change {
                    base: root.base.clone(),
                    target,
                });
            }
            return;
        }
        match &event.kind {
            // Opening and reading (the app's own reads too) change nothing.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) | EventKind::Other => return,
            _ => {}
        }
        let structural = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            // A watched folder that went, or was moved (its watch would
            // follow it): its watches go. One made again at the same path
            // gets new ones below.
            if structural && self.dirs.contains(path) {
                self.forget(path);
            }
            let mut found = Vec::new();
            for root in &self.roots {
                if let Some(target) = root.classify(path, &event.kind) {
                    found.push((root.base.clone(), target));
                }
            }
            for (base, target) in found {
                if let Target::Tree(dir) = &target
                    && dir == path
                    && is_real_dir(dir, &base)
                {
                    // A folder that appeared: watch it and what is below.
                    self.forget(dir);
                    self.watch_tree(dir);
                }
                self.pend(Change { base, target });
            }
        }
    }

    /// Wait for quiet before handing `change` on.
    fn pend(&mut self, change: Change) {
        let stamp = stamp(&change, &self.limits);
        self.pending.entry(change).or_insert(Pending {
            stamp,
            since: Instant::now(),
        });
    }

    /// The changes whose files have stayed the same for [`QUIET`], less
    /// those that look as they did when last handed on.
    fn settle(&mut self) -> Vec<Change> {
        let now = Instant::now();
        let mut quiet = Vec::new();
        for (change, p) in &mut self.pending {
            let stamp = stamp(change, &self.limits);
            if stamp != p.stamp {
                p.stamp = stamp;
                p.since = now;
            } else if now.duration_since(p.since) >= QUIET {
                quiet.push(change.clone());
            }
        }
        let mut ready = Vec::new();
        for change in quiet {
            let Some(p) = self.pending.remove(&change) else {
                continue;
            };
            if self.sent.get(&change) == Some(&p.stamp) {
                continue;
            }
            self.sent.insert(change.clone(), p.stamp);
            ready.push(change);
        }
        prune(ready)
    }

    /// Note a problem for the user, once.
    fn problem(&mut self, title: String, lines: Vec<String>) {
        let key = format!("{title}\n{}", lines.join("\n"));
        if self.told.insert(key) {
            self.problems.push((title, lines));
        }
    }

    /// Hand the problems noted on.
    fn tell(&mut self, out: &Outbox<WatchEvent>) {
        for (title, lines) in self.problems.drain(..) {
            out.send(WatchEvent::Problem { title, lines });
        }
    }
}

/// What the files a change covers look like now: a hash of their names,
/// sizes and modification times, `None` when the target is gone.
fn stamp(change: &Change, limits: &Limits) -> Option<u64> {
    let mut h = DefaultHasher::new();
    match &change.target {
        Target::Release(p) => {
            let meta = std::fs::metadata(p).ok()?;
            if meta.is_dir() {
                let mut files: Vec<(String, u64, Option<std::time::SystemTime>)> =
                    std::fs::read_dir(p)
                        .ok()?
                        .flatten()
                        .filter_map(|e| {
                            let name = e.file_name().to_string_lossy().into_owned();
                            if !is_release_file(&name) && name != DEFECTS_DOC {
                                return None;
                            }
                            let m = std::fs::metadata(e.path()).ok()?;
                            Some((name, m.len(), m.modified().ok()))
                        })
                        .collect();
                files.sort();
                files.hash(&mut h);
            } else {
                (meta.len(), meta.modified().ok()).hash(&mut h);
            }
        }
        Target::Tree(top) => {
            if !is_real_dir(top, &change.base) {
                return None;
            }
            let mut files = Vec::new();
            let mut stack = vec![top.clone()];
            let mut visited = 0usize;
            while let Some(dir) = stack.pop() {
                visited += 1;
                if visited > limits.max_dirs {
                    break;
                }
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let Ok(t) = e.file_type() else {
                        continue;
                    };
                    if t.is_dir() {
                        if entered(&name) {
                            stack.push(e.path());
                        }
                    } else if is_release_file(&name)
                        || name == DEFECTS_DOC
                        || is_tarball_name(&name)
                    {
                        let m = std::fs::metadata(e.path()).ok();
                        files.push((
                            e.path(),
                            m.as_ref().map(std::fs::Metadata::len),
                            m.and_then(|m| m.modified().ok()),
                        ));
                    }
                }
            }
            files.sort();
            files.hash(&mut h);
        }
    }
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_root(dir: &Path) -> Root {
        Root {
            dir: dir.to_path_buf(),
            base: dir.to_path_buf(),
            only: None,
            recursive: true,
        }
    }

    #[test]
    fn events_map_to_what_loading_would_read() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let top = tmp.path();
        let rel = top.join("v1.30").join("kind");
        std::fs::create_dir_all(&rel).expect("mkdir");
        std::fs::write(rel.join("junit_01.xml"), "<testsuite/>").expect("write");
        std::fs::create_dir_all(top.join(".git")).expect("mkdir");
        let root = dir_root(top);
        let modify = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let create = EventKind::Create(notify::event::CreateKind::Any);
        assert_eq!(
            root.classify(&rel.join("junit_01.xml"), &modify),
            Some(Target::Release(rel.clone()))
        );
        assert_eq!(
            root.classify(&rel.join("e2e.log"), &modify),
            Some(Target::Release(rel.clone()))
        );
        // Other files, hidden folders and a folder's own metadata: nothing.
        assert_eq!(root.classify(&rel.join("notes.txt"), &modify), None);
        assert_eq!(
            root.classify(&top.join(".git").join("junit_01.xml"), &modify),
            None
        );
        assert_eq!(root.classify(&rel, &modify), None);
        // A folder that appears, and one that went.
        assert_eq!(
            root.classify(&rel, &create),
            Some(Target::Tree(rel.clone()))
        );
        let removed = EventKind::Remove(RemoveKind::Folder);
        assert_eq!(
            root.classify(&top.join("v1.31"), &removed),
            Some(Target::Tree(top.join("v1.31")))
        );
        assert_eq!(
            root.classify(&top.join("old.txt"), &EventKind::Remove(RemoveKind::File)),
            None
        );
        // A tarball, present or gone.
        assert_eq!(
            root.classify(&top.join("run.tar.gz"), &create),
            Some(Target::Release(top.join("run.tar.gz")))
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_to_folders_are_not_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let top = tmp.path().join("top");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&top).expect("mkdir");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        std::os::unix::fs::symlink(&elsewhere, top.join("link")).expect("symlink");
        let root = dir_root(&top);
        let create = EventKind::Create(notify::event::CreateKind::Any);
        assert_eq!(root.classify(&top.join("link"), &create), None);
        std::os::unix::fs::symlink(elsewhere.join("x.tgz"), top.join("y.tgz")).expect("symlink");
        assert_eq!(root.classify(&top.join("y.tgz"), &create), None);
    }

    /// Start a watcher on `root` and gather what it says until it is ready.
    fn watch_until_ready(root: &Path, limits: Limits) -> (usize, Vec<String>) {
        let jobs = super::super::jobs::Jobs::default();
        let paths = vec![root.to_path_buf()];
        let mut feed = jobs.start_feed(JobKind::Watch, move |progress, out| {
            run_watcher(&paths, limits, progress, out)
        });
        let mut folders = None;
        let mut problems = Vec::new();
        assert!(super::super::jobs::wait_until(
            Duration::from_secs(30),
            || {
                for event in feed.drain() {
                    match event {
                        WatchEvent::Ready { folders: n } => folders = Some(n),
                        WatchEvent::Problem { title, lines } => {
                            problems.push(format!("{title}: {}", lines.join(" ")))
                        }
                        WatchEvent::Changed(_) => {}
                    }
                }
                folders.is_some()
            }
        ));
        (folders.unwrap_or_default(), problems)
    }

    #[cfg(unix)]
    #[test]
    fn the_watcher_enters_the_folders_loading_enters() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let top = tmp.path().join("top");
        for d in ["a/b", ".git/objects", "target/debug", "node_modules/x"] {
            std::fs::create_dir_all(top.join(d)).expect("mkdir");
        }
        std::fs::create_dir_all(tmp.path().join("elsewhere/deep")).expect("mkdir");
        std::os::unix::fs::symlink(tmp.path().join("elsewhere"), top.join("link"))
            .expect("symlink");
        let (folders, problems) = watch_until_ready(&top, Limits::default());
        // top, a and a/b: no hidden folder, no build output, no link.
        assert_eq!(folders, 3, "{problems:?}");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn watched_folders_count_against_max_dirs() {
        let tmp = tempfile::tempdir().expect("tempdir");
        for d in ["a/b/c", "d/e", "f"] {
            std::fs::create_dir_all(tmp.path().join(d)).expect("mkdir");
        }
        let limits = Limits {
            max_dirs: 3,
            ..Limits::default()
        };
        let (folders, problems) = watch_until_ready(tmp.path(), limits);
        assert_eq!(folders, 3);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("(max_dirs)"), "{problems:?}");
    }

    #[test]
    fn a_folder_change_covers_what_is_below_it() {
        let base = PathBuf::from("/r");
        let c = |t: Target| Change {
            base: base.clone(),
            target: t,
        };
        let changes = vec![
            c(Target::Release(PathBuf::from("/r/a/b"))),
            c(Target::Tree(PathBuf::from("/r/a"))),
            c(Target::Release(PathBuf::from("/r/a"))),
            c(Target::Release(PathBuf::from("/r/c"))),
            c(Target::Tree(PathBuf::from("/r/a"))),
        ];
        assert_eq!(
            prune(changes),
            vec![
                c(Target::Release(PathBuf::from("/r/c"))),
                c(Target::Tree(PathBuf::from("/r/a"))),
            ]
        );
    }

    #[test]
    fn the_stamp_follows_sizes_and_goes_with_the_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("rel");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("junit_01.xml"), "a").expect("write");
        let limits = Limits::default();
        let change = Change {
            base: tmp.path().to_path_buf(),
            target: Target::Release(dir.clone()),
        };
        let tree = Change {
            base: tmp.path().to_path_buf(),
            target: Target::Tree(dir.clone()),
        };
        let first = stamp(&change, &limits);
        let first_tree = stamp(&tree, &limits);
        assert!(first.is_some() && first_tree.is_some());
        std::fs::write(dir.join("junit_01.xml"), "ab").expect("write");
        assert_ne!(stamp(&change, &limits), first);
        assert_ne!(stamp(&tree, &limits), first_tree);
        std::fs::remove_dir_all(&dir).expect("rm");
        assert_eq!(stamp(&change, &limits), None);
        assert_eq!(stamp(&tree, &limits), None);
    }
}

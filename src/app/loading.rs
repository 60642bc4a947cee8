//! Opening results: loads, merges of added results, the file dialog, the
//! sample, Close all. Every read and every merge runs as a job of the
//! [`super::jobs`] runner; a finished job's data is installed into the
//! [`super::state::AppState`] in one step, its per-release figures made by
//! the loading threads as each release is read (by the merge job for a
//! merge), so the frame that shows new data only swaps pointers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::ViewerApp;
use super::commands::Command;
use super::jobs::{Job, JobKind, Jobs, Slot};
use super::notifications::Level;
use super::state::{AnalysisInputs, Source};
use super::verdict::{self, ReleaseInfo};
use crate::analysis::Scope;
use crate::caveats::Catalog;
use crate::ingest;
use crate::model::Corpus;

/// Whether a load replaces what is open or adds to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadMode {
    /// Close what is open and show only the new results.
    Replace,
    /// Merge the new results into what is open.
    Add,
}

/// Which file dialog to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    /// A folder of results.
    Folder,
    /// A Sonobuoy tarball.
    Tarball,
}

/// What a load or merge job hands back: the data, its per-release figures
/// for a catalog revision, and how long the reading took.
#[derive(Debug)]
pub struct Loaded {
    /// The data to show.
    pub corpus: Corpus,
    /// Its per-release figures, and the catalog revision they are for.
    pub infos: (super::state::Revision, Vec<ReleaseInfo>),
    /// Releases read by this load (not counting those merged into).
    pub read: usize,
    /// Time spent reading.
    pub elapsed: Duration,
}

/// A load running in the background.
#[derive(Debug)]
pub struct LoadJob {
    /// The paths being read.
    pub paths: Vec<PathBuf>,
    /// Replace or add.
    pub mode: LoadMode,
    /// The job.
    pub job: Job<Loaded>,
}

/// The first load of the paths named on the command line, started before
/// the window opens: creating the window and its renderer takes a tenth of
/// a second or more, which the load no longer waits for. The app takes the
/// load over when it asks for the same paths with the same limits (it
/// always does, unless the load fails to start); otherwise dropping this
/// cancels it.
#[derive(Debug)]
pub struct Preload {
    /// The runner the load was started by, which the app goes on using.
    pub jobs: Jobs,
    paths: Vec<PathBuf>,
    limits: ingest::Limits,
    /// The catalog the per-release figures are made with: the built-in
    /// one, which the window starts with (as it starts with the built-in
    /// conformance lists, which the job decodes).
    catalog: Arc<Catalog>,
    job: Job<Read>,
}

impl Preload {
    /// Start loading `paths` with `limits`, on a runner of its own, and
    /// making each release's figures with the built-in caveat catalog and
    /// conformance lists.
    pub fn start(paths: Vec<PathBuf>, limits: ingest::Limits) -> Preload {
        let jobs = Jobs::default();
        let catalog = super::state::builtin_catalog();
        let (thread_paths, thread_limits, thread_catalog) =
            (paths.clone(), limits.clone(), catalog.clone());
        // Only the job that takes this one over wakes the window.
        let job = jobs.start_quiet(JobKind::Load, move |progress| {
            // Decoded here, on the job's thread, not before the window.
            let inputs = AnalysisInputs {
                catalog: thread_catalog,
                scope: Scope::default(),
                lists: Some(super::lists::builtin().clone()),
                revision: (0, 0),
            };
            read_paths(&thread_paths, &thread_limits, &inputs, progress)
        });
        Preload {
            jobs,
            paths,
            limits,
            catalog,
            job,
        }
    }

    /// Whether this load reads `paths` with `limits` and makes the figures
    /// the window wants (the built-in catalog and lists, and the profile
    /// turned on nowhere).
    fn serves(&self, paths: &[PathBuf], limits: &ingest::Limits, inputs: &AnalysisInputs) -> bool {
        self.paths == paths
            && self.limits == *limits
            && Arc::ptr_eq(&self.catalog, &inputs.catalog)
            && inputs.scope.forced_on.is_empty()
            && inputs
                .lists
                .as_ref()
                .is_some_and(|l| Arc::ptr_eq(l, super::lists::builtin()))
    }
}

/// What [`read_paths`] hands back: the data, the figures of its releases in
/// corpus order, and how long the reading took.
type Read = (Corpus, Vec<ReleaseInfo>, Duration);

/// Read `paths` on the calling thread (a job's), in parallel, making each
/// release's figures for `inputs` as soon as it is read.
fn read_paths(
    paths: &[PathBuf],
    limits: &ingest::Limits,
    inputs: &AnalysisInputs,
    progress: &Arc<ingest::Progress>,
) -> Read {
    let started = Instant::now();
    let (corpus, infos) = ingest::load_paths_each(paths, limits, progress, true, |release| {
        inputs.info(release)
    });
    (corpus, infos, started.elapsed())
}

/// Shows a native file dialog and returns the choice (on a job's thread).
pub type Picker = fn(PickKind, Option<PathBuf>) -> Option<PathBuf>;

/// A native dialog that answers "nothing" sooner than this never showed:
/// no desktop portal and no zenity. The dialog inside the window takes over.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(300);

/// The jobs that open results.
pub struct Loads {
    /// The running load, if any.
    pub load: Option<LoadJob>,
    /// A merge of added results into the open ones, keyed by the data
    /// generation it merges into.
    merge: Slot<u64, (Vec<PathBuf>, Loaded)>,
    /// The native file dialog, and when it was asked for.
    dialog: Slot<PickKind, Option<PathBuf>>,
    dialog_started: Option<Instant>,
    /// What shows the native dialog (rfd; tests put a stand-in here).
    pub(super) picker: Picker,
    /// The file dialog drawn inside the window, when open.
    in_window: Option<(PickKind, egui_file::FileDialog)>,
    /// The watcher of the opened folders and its rereads.
    pub(super) watch: super::watch::Watch,
    /// The load started before the window opened, until taken over.
    pub(super) preload: Option<Preload>,
    /// Whether a load took over the one started before the window opened.
    pub(super) preload_taken: bool,
}

impl Default for Loads {
    fn default() -> Self {
        Loads {
            load: None,
            merge: Slot::default(),
            dialog: Slot::default(),
            dialog_started: None,
            picker: pick_path,
            in_window: None,
            watch: super::watch::Watch::default(),
            preload: None,
            preload_taken: false,
        }
    }
}

impl std::fmt::Debug for Loads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loads")
            .field("load", &self.load)
            .field("merging", &self.merge.is_running())
            .field("native_dialog", &self.dialog.is_running())
            .field(
                "in_window_dialog",
                &self.in_window.as_ref().map(|(k, _)| *k),
            )
            .field("watch", &self.watch)
            .finish()
    }
}

impl Loads {
    /// Whether a load or a merge is running.
    pub fn busy(&self) -> bool {
        self.load.is_some() || self.merge.is_running()
    }

    /// Whether a merge of added results is running.
    pub fn merging(&self) -> bool {
        self.merge.is_running()
    }

    /// Whether a file dialog is open (or being opened), native or inside
    /// the window.
    pub fn picking(&self) -> bool {
        self.dialog.is_running() || self.in_window.is_some()
    }

    /// Whether the desktop's file dialog is open (or being opened): the
    /// window waits for it with a spinner.
    pub fn picking_natively(&self) -> bool {
        self.dialog.is_running()
    }

    /// Whether the file dialog inside the window is open.
    pub fn picking_in_window(&self) -> bool {
        self.in_window.is_some()
    }

    /// Ask the running load to stop; what finished is still shown.
    pub fn cancel(&self) {
        if let Some(l) = &self.load {
            l.job.cancel();
        }
    }
}

impl ViewerApp {
    pub(super) fn start_load(&mut self, paths: Vec<PathBuf>, mode: LoadMode) {
        if paths.is_empty() {
            return;
        }
        // A newer request wins: the old job is cancelled and forgotten.
        self.loads.load = None;
        self.loads.merge.clear();
        let limits = self.state.session.limits.clone();
        let inputs = self.state.analysis_inputs();
        let revision = inputs.revision;
        let thread_paths = paths.clone();
        // The load started before the window opened, when it reads these
        // paths for the figures wanted; any other request cancels it.
        let preload = self
            .loads
            .preload
            .take()
            .filter(|p| mode == LoadMode::Replace && p.serves(&paths, &limits, &inputs));
        self.loads.preload_taken |= preload.is_some();
        let progress = preload
            .as_ref()
            .map(|p| p.job.shared_progress())
            .unwrap_or_default();
        let work = move |progress: &Arc<ingest::Progress>| {
            let (corpus, infos, elapsed) = match preload.map(|p| p.job.wait()) {
                Some(Ok(read)) => read,
                // The early load could not answer: read again here, so a
                // failure is reported as this job's.
                Some(Err(_)) | None => read_paths(&thread_paths, &limits, &inputs, progress),
            };
            super::timing_phase("window load");
            if corpus.releases.iter().any(|r| !r.known_defects.is_empty()) {
                super::lists::builtin();
            }
            Loaded {
                read: corpus.releases.len(),
                corpus,
                infos: (revision, infos),
                elapsed,
            }
        };
        let job = self.jobs.start_with_progress(JobKind::Load, progress, work);
        self.loads.load = Some(LoadJob { paths, mode, job });
    }

    pub(super) fn open_sample(&mut self) {
        self.loads.load = None;
        self.loads.merge.clear();
        let corpus = crate::sample::sample_corpus();
        self.state
            .install(Arc::new(corpus), None, Source::Sample, &[], &self.jobs);
        self.state.settings.last_paths.clear();
        self.state.settings.last_was_sample = true;
    }

    pub(super) fn close_all(&mut self) {
        self.loads.load = None;
        self.loads.merge.clear();
        self.state
            .install(Arc::default(), None, Source::Empty, &[], &self.jobs);
        self.state.notes.clear();
        self.state.settings.last_paths.clear();
        self.state.settings.last_was_sample = false;
    }

    pub(super) fn pick(&mut self, kind: PickKind) {
        if self.loads.picking() {
            return;
        }
        let start = dialog_start(self.state.open_paths()).or_else(|| {
            self.state
                .settings
                .recent
                .first()
                .and_then(|p| dialog_start(std::slice::from_ref(p)))
        });
        if self.state.settings.in_window_dialog {
            self.open_in_window(kind, start);
            return;
        }
        let picker = self.loads.picker;
        self.loads.dialog_started = Some(Instant::now());
        self.loads
            .dialog
            .start(&self.jobs, JobKind::Dialog, kind, move |_| {
                picker(kind, start)
            });
    }

    /// Show the file dialog drawn inside the window.
    fn open_in_window(&mut self, kind: PickKind, start: Option<PathBuf>) {
        let mut dialog = match kind {
            PickKind::Folder => {
                egui_file::FileDialog::select_folder().title("Open a folder of conformance results")
            }
            PickKind::Tarball => egui_file::FileDialog::open_file()
                .title("Open a Sonobuoy tarball")
                .show_files_filter(Box::new(|p: &Path| {
                    let name = p.to_string_lossy().to_ascii_lowercase();
                    [".tar.gz", ".tgz", ".tar"]
                        .iter()
                        .any(|e| name.ends_with(e))
                })),
        };
        if let Some(dir) = start.or_else(|| std::env::var_os("HOME").map(PathBuf::from)) {
            dialog = dialog.initial_path(dir);
        }
        // A viewer: no renaming or new folders from its dialog.
        dialog = dialog.show_rename(false).show_new_folder(false);
        dialog.open();
        self.loads.in_window = Some((kind, dialog));
    }

    /// Draw the file dialog inside the window, and open what it chose.
    pub(super) fn in_window_dialog(&mut self, ctx: &egui::Context) {
        let Some((_, dialog)) = &mut self.loads.in_window else {
            return;
        };
        dialog.show(ctx);
        match dialog.state() {
            egui_file::State::Open => {}
            egui_file::State::Selected => {
                if let Some(path) = dialog.path() {
                    self.commands.push(Command::Open(vec![path.to_path_buf()]));
                }
                self.loads.in_window = None;
            }
            egui_file::State::Closed | egui_file::State::Cancelled => {
                self.loads.in_window = None;
            }
        }
    }

    /// Take the answers of the load, merge and dialog jobs, and what the
    /// watcher of the opened folders reports.
    pub(super) fn poll_loads(&mut self) {
        self.poll_watch();
        if let Some((kind, answer)) = self.loads.dialog.poll() {
            let quick = self
                .loads
                .dialog_started
                .take()
                .is_some_and(|t| t.elapsed() < NO_DIALOG_WITHIN);
            let start = dialog_start(self.state.open_paths());
            match answer {
                Ok(Some(path)) => self.commands.push(Command::Open(vec![path])),
                // Cancelled by the user, or no dialog ever showed: then the
                // one inside the window does the job. Never silence.
                Ok(None) if quick => self.open_in_window(kind, start),
                Ok(None) => {}
                Err(message) => {
                    self.state.notes.push(
                        Level::Warning,
                        "The desktop's file dialog failed",
                        vec![
                            message,
                            "The dialog inside the window is used instead.".to_string(),
                        ],
                    );
                    self.open_in_window(kind, start);
                }
            }
        }
        if let Some(answer) = self.loads.load.as_mut().and_then(|l| l.job.poll()) {
            let Some(LoadJob { paths, mode, .. }) = self.loads.load.take() else {
                return;
            };
            match answer {
                Ok(loaded) => self.on_loaded(paths, mode, loaded),
                Err(message) => self.state.notes.push(
                    Level::Error,
                    "Loading stopped",
                    vec![format!("{}: {message}", join_paths(&paths))],
                ),
            }
        }
        if let Some((generation, answer)) = self.loads.merge.poll() {
            match answer {
                Ok((paths, merged)) if generation == self.state.generation => {
                    let keep = self.state.selected_labels();
                    let infos = Some(merged.infos);
                    self.state.install(
                        Arc::new(merged.corpus),
                        infos,
                        Source::Paths(paths),
                        &keep,
                        &self.jobs,
                    );
                }
                Ok(_) => {}
                Err(message) => {
                    self.state
                        .notes
                        .push(Level::Error, "Cannot add the results", vec![message])
                }
            }
        }
    }

    fn on_loaded(&mut self, paths: Vec<PathBuf>, mode: LoadMode, loaded: Loaded) {
        // This load reports afresh on its paths: earlier messages about
        // them go.
        for p in &paths {
            self.state.notes.forget_path(&p.display().to_string());
        }
        for r in &loaded.corpus.releases {
            self.state.notes.forget_title(&r.label);
        }
        self.notify_problems(&loaded.corpus);
        // Only paths that gave results go to Recent and the last session.
        let good: Vec<PathBuf> = paths
            .iter()
            .filter(|p| {
                loaded
                    .corpus
                    .releases
                    .iter()
                    .any(|r| &r.root == *p || p.starts_with(&r.root))
            })
            .cloned()
            .collect();
        for p in &good {
            self.state.settings.remember(p);
        }
        if good.is_empty() {
            if loaded.corpus.errors.is_empty() {
                self.state.notes.push(
                    Level::Info,
                    "No results found",
                    vec![format!(
                        "{}: no junit_*.xml or Sonobuoy tarball under these paths",
                        join_paths(&paths)
                    )],
                );
            }
            // What is open stays open until a load brings something.
            if !self.state.corpus.releases.is_empty() {
                self.state.notes.push(
                    Level::Info,
                    "Nothing new was opened",
                    vec!["The releases that were open are still shown.".to_string()],
                );
                return;
            }
        }
        self.state.last_load = Some(format!(
            "{} read in {:.1} s",
            verdict::plural(loaded.read, "release", "releases"),
            loaded.elapsed.as_secs_f64()
        ));
        let paths = good;
        super::lists::warm_builtin(&self.jobs);
        match mode {
            LoadMode::Replace => {
                let infos = Some(loaded.infos);
                self.state.install(
                    Arc::new(loaded.corpus),
                    infos,
                    Source::Paths(paths),
                    &[],
                    &self.jobs,
                );
            }
            LoadMode::Add => {
                let mut all = self.state.open_paths().to_vec();
                for p in paths {
                    if !all.contains(&p) {
                        all.push(p);
                    }
                }
                // The merge copies what is open (views may still hold it),
                // adds the new releases and makes the figures of the whole,
                // all away from the UI thread.
                let open = self.state.corpus.clone();
                let inputs = self.state.analysis_inputs();
                let revision = inputs.revision;
                let generation = self.state.generation;
                self.loads
                    .merge
                    .start(&self.jobs, JobKind::Merge, generation, move |_| {
                        let mut merged = Arc::unwrap_or_clone(open);
                        merged.extend(loaded.corpus);
                        // A run already open is not shown twice.
                        ingest::fold_corpus(&mut merged);
                        let infos = inputs.infos(&merged);
                        let loaded = Loaded {
                            read: loaded.read,
                            corpus: merged,
                            infos: (revision, infos),
                            elapsed: loaded.elapsed,
                        };
                        (all, loaded)
                    });
            }
        }
    }

    fn notify_problems(&mut self, corpus: &Corpus) {
        let notes = &mut self.state.notes;
        for e in &corpus.errors {
            notes.push(Level::Error, e.path.clone(), vec![e.message.clone()]);
        }
        let warned: Vec<_> = corpus
            .releases
            .iter()
            .filter(|r| !r.warnings.is_empty())
            .collect();
        if warned.len() <= 3 {
            for r in warned {
                notes.push(Level::Warning, r.label.clone(), r.warnings.clone());
            }
        } else {
            let lines = warned
                .iter()
                .map(|r| format!("{}: {}", r.label, r.warnings.join("; ")))
                .collect();
            notes.push(
                Level::Warning,
                format!("{} releases loaded with warnings", warned.len()),
                lines,
            );
        }
    }
}

/// Show a native file dialog (on a job's thread). With no dialog portal
/// and no zenity, rfd answers `None` at once, which changes nothing.
fn pick_path(kind: PickKind, start_dir: Option<PathBuf>) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new();
    if let Some(dir) = start_dir.filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    match kind {
        PickKind::Folder => dialog
            .set_title("Open a folder of conformance results")
            .pick_folder(),
        PickKind::Tarball => dialog
            .set_title("Open a Sonobuoy tarball")
            .add_filter("Sonobuoy results", &["gz", "tgz", "tar"])
            .pick_file(),
    }
}

/// A directory to start a file dialog in: the parent of the first open path.
pub fn dialog_start(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first()?;
    if first.is_dir() {
        Some(first.clone())
    } else {
        first.parent().map(Path::to_path_buf)
    }
}

/// The paths, comma-separated, for messages.
pub fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

//! The desktop window: an [`eframe::App`] that opens results (command line,
//! menu, path field, drag and drop), loads them in the background, and shows
//! the release list, the Overview and Tests tabs, and a test's details.
//!
//! Views never change the app directly: they push an [`Action`], and
//! [`ViewerApp::apply`] carries it out in one place at the end of the frame.
//! Nothing here reads a file on the UI thread; see [`loader`].

pub mod caveats_view;
pub mod check_view;
pub mod compare_tabs;
pub mod detail;
pub mod diff_view;
pub mod durations;
pub mod export_dialog;
pub mod jobs;
pub mod lists;
pub mod loader;
pub mod matrix;
pub mod notifications;
pub mod overview;
pub mod releases;
pub mod settings;
pub mod style;
pub mod tests_view;
pub mod verdict;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use crate::model::Corpus;
use detail::DetailView;
use loader::{LoadJob, LoadMode, Message, PickKind};
use notifications::{Level, NoteAction, Notifications};
use settings::{Settings, Tab, TestFilters, ThemeChoice};
use tests_view::{RowRef, TestsView};
use verdict::{ReleaseInfo, Verdict};

/// What `main` passes to [`run`].
#[derive(Clone, Debug, Default)]
pub struct LaunchOptions {
    /// Folders or tarballs from the command line.
    pub paths: Vec<PathBuf>,
    /// Save a PNG of the window here once the data is shown, then exit.
    pub screenshot: Option<PathBuf>,
    /// A folder of conformance-v1.NN.yaml lists (`--conformance-lists`);
    /// it replaces the folder in the settings.
    pub conformance_lists: Option<PathBuf>,
    /// A caveat catalog laid over the built-in one (`--caveats`), for this
    /// session; it takes the place of the file in the settings.
    pub caveats: Option<PathBuf>,
}

/// How long `--screenshot` waits for the data before giving up.
const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(60);

/// Frames drawn after loading before the screenshot is taken, so fonts,
/// layout and plots have settled.
const SCREENSHOT_SETTLE_FRAMES: u32 = 6;

/// The outcome of a `--screenshot` run, shared between the app and [`run`].
type ShotOutcome = Arc<Mutex<Option<Result<String, String>>>>;

/// Open the window and run until it is closed.
pub fn run(options: LaunchOptions) -> ExitCode {
    let screenshot = options.screenshot.is_some();
    let outcome: ShotOutcome = Arc::new(Mutex::new(None));
    let viewport = egui::ViewportBuilder::default()
        .with_title("Conformance Viewer")
        .with_app_id("conformance-viewer")
        .with_inner_size([1400.0, 900.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    let native = eframe::NativeOptions {
        viewport,
        // A screenshot run must not move the user's saved window.
        persist_window: !screenshot,
        ..Default::default()
    };
    let app_outcome = outcome.clone();
    let result = eframe::run_native(
        "Conformance Viewer",
        native,
        Box::new(move |cc| Ok(Box::new(ViewerApp::new(cc, options, app_outcome)))),
    );
    if let Err(e) = result {
        eprintln!("error: cannot open the window: {e}");
        return ExitCode::from(1);
    }
    if !screenshot {
        return ExitCode::SUCCESS;
    }
    let taken = outcome
        .lock()
        .map(|g| g.clone())
        .unwrap_or_else(|poisoned| poisoned.into_inner().clone());
    match taken {
        Some(Ok(message)) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Some(Err(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        None => {
            eprintln!("error: the window closed before the screenshot was taken");
            ExitCode::from(1)
        }
    }
}

/// How a click on a release changes the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMode {
    /// Select only this release.
    Only,
    /// Add it to the selection, or remove it (Ctrl-click).
    Toggle,
    /// Select the range from the last clicked release (Shift-click).
    Range,
}

/// Something the user asked for. Views push these; [`ViewerApp::apply`]
/// carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Open these paths instead of what is open.
    Open(Vec<PathBuf>),
    /// Add these paths to what is open.
    Add(Vec<PathBuf>),
    /// Show a file dialog.
    Pick(PickKind),
    /// Read the open paths again.
    Reload,
    /// Close everything.
    CloseAll,
    /// Show the built-in sample.
    OpenSample,
    /// Stop the running load.
    CancelLoad,
    /// Change the release selection.
    SelectRelease {
        /// Index into the corpus.
        index: usize,
        /// How.
        mode: SelectMode,
    },
    /// Select every release.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Show a test in the detail pane (`None` closes it).
    SelectTest(Option<RowRef>),
    /// Select one release and list its tests that did not pass.
    ShowProblems(usize),
    /// Switch tabs.
    SetTab(Tab),
    /// Switch themes.
    SetTheme(ThemeChoice),
    /// Move the keyboard focus to the search box.
    FocusSearch,
    /// Reset the test filters.
    ResetFilters,
    /// Dismiss notifications.
    Note(NoteAction),
    /// Change the caveat catalog or scope, or show a caveat document section.
    Caveats(caveats_view::CaveatAction),
    /// Open the export window.
    Export(export_dialog::ExportRequest),
}

/// Where the data on screen came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Nothing is open.
    Empty,
    /// The built-in sample.
    Sample,
    /// Folders and tarballs.
    Paths(Vec<PathBuf>),
}

#[derive(Debug)]
struct Screenshot {
    path: PathBuf,
    started: Instant,
    settled_frames: u32,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    outcome: ShotOutcome,
    finished: bool,
}

/// The application state.
pub struct ViewerApp {
    settings: Settings,
    persist: bool,
    corpus: Arc<Corpus>,
    generation: u64,
    infos: Vec<ReleaseInfo>,
    source: Source,
    selection: Vec<usize>,
    anchor: Option<usize>,
    tests: TestsView,
    compare: compare_tabs::CompareTabs,
    detail: DetailView,
    notes: Notifications,
    path_input: String,
    tx: Sender<Message>,
    rx: Receiver<Message>,
    loading: Option<LoadJob>,
    next_job: u64,
    actions: Vec<Action>,
    ctx: Option<egui::Context>,
    applied_theme: Option<ThemeChoice>,
    screenshot: Option<Screenshot>,
    picking: bool,
    last_load: Option<String>,
    caveats: caveats_view::CaveatState,
    export: export_dialog::ExportDialog,
}

impl std::fmt::Debug for ViewerApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewerApp")
            .field("releases", &self.corpus.releases.len())
            .field("source", &self.source)
            .field("selection", &self.selection)
            .finish_non_exhaustive()
    }
}

impl ViewerApp {
    fn blank(settings: Settings, persist: bool) -> ViewerApp {
        let (tx, rx) = channel();
        ViewerApp {
            settings,
            persist,
            corpus: Arc::default(),
            generation: 0,
            infos: Vec::new(),
            source: Source::Empty,
            selection: Vec::new(),
            anchor: None,
            tests: TestsView::default(),
            compare: compare_tabs::CompareTabs::default(),
            detail: DetailView::default(),
            notes: Notifications::default(),
            path_input: String::new(),
            tx,
            rx,
            loading: None,
            next_job: 0,
            actions: Vec::new(),
            ctx: None,
            applied_theme: None,
            screenshot: None,
            picking: false,
            last_load: None,
            caveats: caveats_view::CaveatState::default(),
            export: export_dialog::ExportDialog::default(),
        }
    }

    /// The app as eframe creates it: settings from storage, then the command
    /// line paths, else the last session's, else (first run) the sample.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        options: LaunchOptions,
        outcome: Arc<Mutex<Option<Result<String, String>>>>,
    ) -> ViewerApp {
        let screenshot = options.screenshot.is_some();
        let stored: Option<Settings> = if screenshot {
            None
        } else {
            cc.storage
                .and_then(|s| eframe::get_value::<Settings>(s, eframe::APP_KEY))
        };
        let first_run = stored.is_none();
        let mut settings = stored.unwrap_or_default();
        settings.sanitize();
        ViewerApp::style_context(&cc.egui_ctx, settings.theme);
        let mut app = ViewerApp::blank(settings, !screenshot);
        app.applied_theme = Some(app.settings.theme);
        app.ctx = Some(cc.egui_ctx.clone());
        if let Some(dir) = options.conformance_lists {
            app.settings.conformance_lists = Some(dir);
        }
        app.caveats
            .start(options.caveats, &app.settings, app.ctx.clone());
        if let Some(path) = options.screenshot {
            app.screenshot = Some(Screenshot {
                path,
                started: Instant::now(),
                settled_frames: 0,
                requested: false,
                image: Arc::new(Mutex::new(None)),
                outcome,
                finished: false,
            });
        }
        let stored = (!first_run).then_some(&app.settings);
        if let Some(action) = initial_action(options.paths, screenshot, stored) {
            app.actions.push(action);
        }
        app
    }

    /// An app showing `corpus`, with default settings and no storage: for
    /// tests and benchmarks.
    pub fn with_corpus(corpus: Corpus) -> ViewerApp {
        let mut app = ViewerApp::blank(Settings::default(), false);
        app.install(corpus, Source::Paths(Vec::new()), Vec::new());
        app
    }

    /// An app with nothing open and these settings, without storage.
    pub fn empty(settings: Settings) -> ViewerApp {
        ViewerApp::blank(settings, false)
    }

    /// The loaded data.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Where the data came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The per-release figures, in corpus order.
    pub fn release_infos(&self) -> &[ReleaseInfo] {
        &self.infos
    }

    /// Indices of the selected releases, ascending.
    pub fn selected_releases(&self) -> &[usize] {
        &self.selection
    }

    /// Rows of the Tests table after filtering (as of the last frame).
    pub fn filtered_row_count(&self) -> usize {
        self.tests.rows().len()
    }

    /// The rows of the Tests table after filtering (as of the last frame).
    pub fn filtered_rows(&self) -> &[RowRef] {
        self.tests.rows()
    }

    /// The Tests tab's state (its thresholds, for tests and benchmarks).
    pub fn tests_view_mut(&mut self) -> &mut TestsView {
        &mut self.tests
    }

    /// How many times the Tests rows were rebuilt (for tests and benchmarks).
    pub fn row_recomputes(&self) -> u64 {
        self.tests.recomputes()
    }

    /// The test shown in the detail pane.
    pub fn selected_test(&self) -> Option<(RowRef, &crate::model::TestCase)> {
        let row = self.detail.selected(self.generation)?;
        let t = self.corpus.releases.get(row.release)?.tests.get(row.test)?;
        Some((row, t))
    }

    /// The state of the log excerpt in the detail pane.
    pub fn excerpt(&self) -> Option<&detail::ExcerptState> {
        self.detail.excerpt()
    }

    /// The Matrix, Diff and Pre-check tabs.
    pub fn compare(&self) -> &compare_tabs::CompareTabs {
        &self.compare
    }

    /// The compare tabs, to set their filters and choices.
    pub fn compare_mut(&mut self) -> &mut compare_tabs::CompareTabs {
        &mut self.compare
    }

    /// Use the conformance lists in this folder (`None`: none). They are
    /// read in the background from the next frame on.
    pub fn set_conformance_lists(&mut self, dir: Option<PathBuf>) {
        self.settings.conformance_lists = dir;
    }

    /// The settings (persisted on exit).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The test filters, for tests and scripted use.
    pub fn filters_mut(&mut self) -> &mut TestFilters {
        &mut self.settings.filters
    }

    /// The tab shown.
    pub fn tab(&self) -> Tab {
        self.settings.tab
    }

    /// Whether a load is running.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Whether a file dialog is open (or being opened).
    pub fn is_picking(&self) -> bool {
        self.picking
    }

    /// The notifications on screen.
    pub fn notifications(&self) -> &[notifications::Note] {
        self.notes.notes()
    }

    /// The caveat catalog and scope in use.
    pub fn caveats(&self) -> &caveats_view::CaveatState {
        &self.caveats
    }

    /// The export window.
    pub fn export_dialog(&self) -> &export_dialog::ExportDialog {
        &self.export
    }

    /// Ask for something, as a view would; it happens on the next frame.
    pub fn request(&mut self, action: Action) {
        self.actions.push(action);
    }

    // ----- applying actions -------------------------------------------------

    /// Carry out every pending action.
    fn apply_all(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.actions);
        if actions.is_empty() {
            return;
        }
        for action in actions {
            self.apply(action);
        }
        // The frame was drawn before the change: draw the next one now.
        ctx.request_repaint();
    }

    /// Carry out one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Open(paths) => self.start_load(paths, LoadMode::Replace),
            Action::Add(paths) => {
                let mode = if matches!(self.source, Source::Paths(_)) {
                    LoadMode::Add
                } else {
                    LoadMode::Replace
                };
                self.start_load(paths, mode);
            }
            Action::Pick(kind) => self.pick(kind),
            Action::Reload => match self.source.clone() {
                Source::Paths(paths) if !paths.is_empty() => {
                    self.start_load(paths, LoadMode::Replace)
                }
                Source::Sample => self.open_sample(),
                _ => {}
            },
            Action::CloseAll => {
                if let Some(job) = self.loading.take() {
                    job.cancel();
                }
                self.install(Corpus::default(), Source::Empty, Vec::new());
                self.notes.clear();
                self.settings.last_paths.clear();
                self.settings.last_was_sample = false;
            }
            Action::OpenSample => self.open_sample(),
            Action::CancelLoad => {
                if let Some(job) = &self.loading {
                    job.cancel();
                }
            }
            Action::SelectRelease { index, mode } => self.select_release(index, mode),
            Action::SelectAll => {
                self.selection = (0..self.corpus.releases.len()).collect();
            }
            Action::SelectNone => {
                self.selection.clear();
                self.anchor = None;
            }
            Action::SelectTest(row) => {
                self.detail.select(
                    &self.corpus,
                    self.generation,
                    row,
                    &self.tx,
                    self.ctx.clone(),
                );
            }
            Action::ShowProblems(index) => {
                if index < self.corpus.releases.len() {
                    self.selection = vec![index];
                    self.anchor = Some(index);
                    let f = &mut self.settings.filters;
                    f.passed = false;
                    f.failed = true;
                    f.skipped = true;
                    f.pending = true;
                    f.sig = None;
                    f.search.clear();
                    self.settings.tab = Tab::Tests;
                }
            }
            Action::SetTab(tab) => self.settings.tab = tab,
            Action::SetTheme(theme) => self.settings.theme = theme,
            Action::FocusSearch => {
                self.settings.tab = Tab::Tests;
                self.tests.focus_search = true;
            }
            Action::ResetFilters => self.settings.filters = TestFilters::default(),
            Action::Note(a) => self.notes.apply(a),
            Action::Caveats(a) => self.caveats.apply(a, &mut self.settings, self.ctx.clone()),
            Action::Export(request) => {
                if !self.corpus.releases.is_empty() {
                    self.export.begin(request, &self.settings, self.ctx.clone());
                }
            }
        }
    }

    fn select_release(&mut self, index: usize, mode: SelectMode) {
        if index >= self.corpus.releases.len() {
            return;
        }
        match mode {
            SelectMode::Only => self.selection = vec![index],
            SelectMode::Toggle => {
                if let Some(pos) = self.selection.iter().position(|&i| i == index) {
                    self.selection.remove(pos);
                } else {
                    self.selection.push(index);
                }
            }
            SelectMode::Range => {
                let from = self.anchor.unwrap_or(index);
                let (a, b) = if from <= index {
                    (from, index)
                } else {
                    (index, from)
                };
                self.selection = (a..=b).collect();
            }
        }
        self.selection.sort_unstable();
        self.selection.dedup();
        if mode != SelectMode::Range {
            self.anchor = Some(index);
        }
    }

    fn start_load(&mut self, paths: Vec<PathBuf>, mode: LoadMode) {
        if paths.is_empty() {
            return;
        }
        if let Some(job) = self.loading.take() {
            // The newer request wins; the old thread's answer is ignored.
            job.cancel();
        }
        self.next_job += 1;
        match loader::start_load(
            self.next_job,
            paths.clone(),
            mode,
            self.tx.clone(),
            self.ctx.clone(),
        ) {
            Ok(job) => {
                for p in &paths {
                    self.settings.remember(p);
                }
                self.loading = Some(job);
            }
            Err(e) => self.notes.push(
                Level::Error,
                "Cannot start loading",
                vec![format!("no thread could be started: {e}")],
            ),
        }
    }

    fn open_sample(&mut self) {
        if let Some(job) = self.loading.take() {
            job.cancel();
        }
        let corpus = crate::sample::sample_corpus();
        self.install(corpus, Source::Sample, Vec::new());
        self.settings.last_paths.clear();
        self.settings.last_was_sample = true;
    }

    fn pick(&mut self, kind: PickKind) {
        if self.picking {
            return;
        }
        let start = match &self.source {
            Source::Paths(p) => loader::dialog_start(p),
            _ => None,
        }
        .or_else(|| {
            self.settings
                .recent
                .first()
                .and_then(|p| loader::dialog_start(std::slice::from_ref(p)))
        });
        match loader::start_pick(kind, start, self.tx.clone(), self.ctx.clone()) {
            Ok(()) => self.picking = true,
            Err(e) => self.notes.push(
                Level::Error,
                "Cannot show a file dialog",
                vec![format!("{e}; type a path in the field instead")],
            ),
        }
    }

    /// Show `corpus`. `keep` are labels of releases to keep selected.
    fn install(&mut self, corpus: Corpus, source: Source, keep: Vec<String>) {
        self.corpus = Arc::new(corpus);
        self.generation += 1;
        self.caveats
            .refresh_infos(&self.corpus, self.generation, &mut self.infos);
        self.detail.clear();
        self.tests.invalidate();
        self.selection = self
            .infos
            .iter()
            .enumerate()
            .filter(|(_, i)| keep.contains(&i.label))
            .map(|(n, _)| n)
            .collect();
        if self.selection.is_empty() {
            self.selection = default_selection(&self.infos);
        }
        self.anchor = self.selection.first().copied();
        if let Source::Paths(p) = &source {
            self.settings.last_paths = p.clone();
            self.settings.last_was_sample = false;
        }
        self.source = source;
    }

    // ----- background messages ----------------------------------------------

    fn drain_messages(&mut self, ctx: &egui::Context) {
        // Bounded, so a flood of answers cannot stall a frame; the rest
        // waits for the next one, which is asked for at once.
        for n in 0.. {
            if n == 32 {
                ctx.request_repaint();
                break;
            }
            let Ok(message) = self.rx.try_recv() else {
                break;
            };
            match message {
                Message::Loaded {
                    job,
                    corpus,
                    elapsed,
                } => self.on_loaded(job, corpus, elapsed),
                Message::Picked { path, .. } => {
                    self.picking = false;
                    if let Some(path) = path {
                        self.actions.push(Action::Open(vec![path]));
                    }
                }
                Message::Excerpt(excerpt) => self.detail.receive(excerpt),
            }
        }
    }

    fn on_loaded(&mut self, job_id: u64, corpus: Corpus, elapsed: Duration) {
        let Some(job) = self.loading.take_if(|j| j.id == job_id) else {
            return;
        };
        self.notify_problems(&corpus);
        if corpus.releases.is_empty() && corpus.errors.is_empty() {
            self.notes.push(
                Level::Info,
                "No results found",
                vec![format!(
                    "{}: no junit_*.xml or Sonobuoy tarball under these paths",
                    join_paths(&job.paths)
                )],
            );
        }
        self.last_load = Some(format!(
            "{} read in {:.1} s",
            verdict::plural(corpus.releases.len(), "release", "releases"),
            elapsed.as_secs_f64()
        ));
        match job.mode {
            LoadMode::Replace => self.install(corpus, Source::Paths(job.paths), Vec::new()),
            LoadMode::Add => {
                let keep: Vec<String> = self
                    .selection
                    .iter()
                    .filter_map(|&i| self.infos.get(i).map(|i| i.label.clone()))
                    .collect();
                let mut paths = match &self.source {
                    Source::Paths(p) => p.clone(),
                    _ => Vec::new(),
                };
                for p in job.paths {
                    if !paths.contains(&p) {
                        paths.push(p);
                    }
                }
                // A background view may still hold the old corpus: then it
                // is copied, else taken as is.
                let mut merged = Arc::unwrap_or_clone(std::mem::take(&mut self.corpus));
                merged.extend(corpus);
                self.install(merged, Source::Paths(paths), keep);
            }
        }
    }

    fn notify_problems(&mut self, corpus: &Corpus) {
        for e in &corpus.errors {
            self.notes
                .push(Level::Error, e.path.clone(), vec![e.message.clone()]);
        }
        let warned: Vec<_> = corpus
            .releases
            .iter()
            .filter(|r| !r.warnings.is_empty())
            .collect();
        if warned.len() <= 3 {
            for r in warned {
                self.notes
                    .push(Level::Warning, r.label.clone(), r.warnings.clone());
            }
        } else {
            let lines = warned
                .iter()
                .map(|r| format!("{}: {}", r.label, r.warnings.join("; ")))
                .collect();
            self.notes.push(
                Level::Warning,
                format!("{} releases loaded with warnings", warned.len()),
                lines,
            );
        }
    }

    // ----- input --------------------------------------------------------------

    fn handle_keys(&mut self, ctx: &egui::Context) {
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let reload = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
        let (o, f, r) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&open),
                i.consume_shortcut(&find),
                i.consume_shortcut(&reload),
            )
        });
        if o {
            self.actions.push(Action::Pick(PickKind::Folder));
        }
        if f {
            self.actions.push(Action::FocusSearch);
        }
        if r {
            self.actions.push(Action::Reload);
        }
        if !self.settings.filters.search.is_empty() && ctx.input(|i| i.key_pressed(Key::Escape)) {
            let focus = ctx.memory(|m| m.focused());
            if focus.is_none() || focus == Some(tests_view::search_id()) {
                self.settings.filters.search.clear();
            }
        }
    }

    fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.actions.push(Action::Add(dropped));
        }
    }

    fn drop_overlay(&self, ctx: &egui::Context) {
        let hovered: Vec<String> = ctx.input(|i| {
            i.raw
                .hovered_files
                .iter()
                .map(|f| {
                    f.path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "a file".to_string())
                })
                .collect()
        });
        if hovered.is_empty() {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("cv-drop-overlay"),
        ));
        let rect = ctx.content_rect();
        let accent = if ctx.global_style().visuals.dark_mode {
            egui::Color32::from_rgb(110, 170, 255)
        } else {
            egui::Color32::from_rgb(30, 90, 200)
        };
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(170));
        painter.rect_stroke(
            rect.shrink(16.0),
            12.0,
            egui::Stroke::new(3.0, accent),
            egui::StrokeKind::Inside,
        );
        let verb = if matches!(self.source, Source::Paths(_)) {
            "add"
        } else {
            "open"
        };
        painter.text(
            rect.center() - egui::vec2(0.0, 14.0),
            egui::Align2::CENTER_CENTER,
            format!(
                "Drop to {verb} {}",
                verdict::plural(hovered.len(), "item", "items")
            ),
            egui::FontId::proportional(30.0),
            egui::Color32::WHITE,
        );
        let mut names = hovered
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if hovered.len() > 4 {
            names.push_str(", …");
        }
        painter.text(
            rect.center() + egui::vec2(0.0, 22.0),
            egui::Align2::CENTER_CENTER,
            names,
            egui::FontId::proportional(16.0),
            egui::Color32::from_gray(220),
        );
    }

    // ----- drawing ------------------------------------------------------------

    /// Set the app's text sizes and theme on a context before its first
    /// frame (eframe calls this through [`ViewerApp::new`]; tests may call it
    /// from their harness setup so the first frame is laid out as the rest).
    pub fn style_context(ctx: &egui::Context, theme: ThemeChoice) {
        apply_text_sizes(ctx);
        ctx.set_theme(theme.egui());
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme.is_none() {
            apply_text_sizes(ctx);
        }
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme.egui());
            self.applied_theme = Some(self.settings.theme);
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open folder…").shortcut_text("Ctrl+O"))
                    .clicked()
                {
                    self.actions.push(Action::Pick(PickKind::Folder));
                }
                if ui.button("Open tarball…").clicked() {
                    self.actions.push(Action::Pick(PickKind::Tarball));
                }
                ui.menu_button("Recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label(RichText::new("Nothing yet").weak());
                    }
                    for p in &self.settings.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.actions.push(Action::Open(vec![p.clone()]));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new("Reload").shortcut_text("F5"))
                    .clicked()
                {
                    self.actions.push(Action::Reload);
                }
                if ui.button("Open the built-in sample").clicked() {
                    self.actions.push(Action::OpenSample);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        !self.corpus.releases.is_empty(),
                        egui::Button::new("Export all…").shortcut_text("Ctrl+E"),
                    )
                    .on_hover_text(
                        "Charts (PNG, SVG), CSV, JSON and the HTML report, into a folder",
                    )
                    .clicked()
                {
                    self.actions
                        .push(Action::Export(export_dialog::ExportRequest::All));
                }
                if ui.button("Close all").clicked() {
                    self.actions.push(Action::CloseAll);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                let theme = self.settings.theme;
                if ui.radio(theme == ThemeChoice::Dark, "Dark theme").clicked() {
                    self.actions.push(Action::SetTheme(ThemeChoice::Dark));
                }
                if ui
                    .radio(theme == ThemeChoice::Light, "Light theme")
                    .clicked()
                {
                    self.actions.push(Action::SetTheme(ThemeChoice::Light));
                }
                ui.separator();
                if ui.button("Overview").clicked() {
                    self.actions.push(Action::SetTab(Tab::Overview));
                }
                if ui
                    .add(egui::Button::new("Tests").shortcut_text("Ctrl+F"))
                    .clicked()
                {
                    self.actions.push(Action::SetTab(Tab::Tests));
                }
                if ui.button("Caveats").clicked() {
                    self.actions.push(Action::SetTab(Tab::Caveats));
                }
                for (t, name) in [
                    (Tab::Matrix, "Matrix"),
                    (Tab::Diff, "Diff"),
                    (Tab::Check, "Pre-check"),
                ] {
                    if ui.button(name).clicked() {
                        self.actions.push(Action::SetTab(t));
                    }
                }
                ui.separator();
                if ui.button("Caveat catalog…").clicked() {
                    self.actions.push(Action::Caveats(
                        caveats_view::CaveatAction::OpenCatalogWindow,
                    ));
                }
                self.compare
                    .lists_menu(ui, &mut self.settings.conformance_lists);
            });
        });
    }

    fn toolbar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label("Path:");
            let field = egui::TextEdit::singleline(&mut self.path_input)
                .hint_text("A results folder or a Sonobuoy tarball")
                .desired_width(420.0);
            let response = ui.add(field);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let path = self.path_input.trim();
            let usable = !path.is_empty();
            if ui
                .add_enabled(usable, egui::Button::new("Open"))
                .on_hover_text("Show only this path")
                .clicked()
                || (entered && usable)
            {
                self.actions.push(Action::Open(vec![PathBuf::from(path)]));
            }
            if ui
                .add_enabled(usable, egui::Button::new("Add"))
                .on_hover_text("Add this path to what is open")
                .clicked()
            {
                self.actions.push(Action::Add(vec![PathBuf::from(path)]));
            }
            ui.separator();
            if ui.button("Open folder…").on_hover_text("Ctrl+O").clicked() {
                self.actions.push(Action::Pick(PickKind::Folder));
            }
            if self.picking {
                ui.spinner();
                ui.label(RichText::new("waiting for the file dialog").weak());
            }
            if let Some(job) = &self.loading {
                ui.separator();
                if ViewerApp::progress(ui, job) {
                    self.actions.push(Action::CancelLoad);
                }
            } else if let Some(text) = &self.last_load {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(text).weak());
                });
            }
        });
    }

    /// The progress of a load; returns whether Cancel was clicked.
    fn progress(ui: &mut Ui, job: &LoadJob) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let p = &job.progress;
        let (rd, rt) = (
            p.releases_done.load(Relaxed),
            p.releases_total.load(Relaxed),
        );
        let (bd, bt) = (p.bytes_done.load(Relaxed), p.bytes_total.load(Relaxed));
        let text = if p.discovered.load(Relaxed) {
            format!(
                "{rd} / {rt} releases · {} / {}",
                style::bytes(bd),
                style::bytes(bt)
            )
        } else {
            "looking for results…".to_string()
        };
        ui.add(
            egui::ProgressBar::new(p.fraction())
                .desired_width(220.0)
                .show_percentage()
                .animate(true),
        );
        ui.label(text);
        if job.cancelling() {
            ui.label(RichText::new("cancelling…").weak());
            false
        } else {
            ui.button("Cancel")
                .on_hover_text("Stop reading; what has finished is shown")
                .clicked()
        }
    }

    fn sample_banner(&mut self, ui: &mut Ui) {
        let color = style::skipped(ui);
        egui::Frame::new()
            .fill(color.gamma_multiply(0.18))
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Sample data").strong().color(color));
                    ui.label(
                        "These releases are a built-in example, not results of yours. \
                         Open a folder or tarball, or drop one on the window.",
                    );
                    if ui.button("Open folder…").clicked() {
                        self.actions.push(Action::Pick(PickKind::Folder));
                    }
                });
            });
    }

    fn welcome(&mut self, ui: &mut Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.22);
            ui.label(RichText::new("Conformance Viewer").size(30.0).strong());
            ui.add_space(6.0);
            ui.label(
                RichText::new(
                    "Open Kubernetes conformance results: a folder with junit_01.xml and e2e.log, \
                     a CNCF submission, a Sonobuoy tarball, or a folder holding many of them.",
                )
                .size(15.0),
            );
            ui.add_space(16.0);
            if self.loading.is_some() {
                ui.spinner();
                ui.label("Loading…");
                return;
            }
            ui.horizontal(|ui| {
                let width = 3.0 * 170.0;
                ui.add_space((ui.available_width() - width).max(0.0) / 2.0);
                if ui
                    .add_sized([160.0, 32.0], egui::Button::new("Open folder…"))
                    .clicked()
                {
                    self.actions.push(Action::Pick(PickKind::Folder));
                }
                if ui
                    .add_sized([160.0, 32.0], egui::Button::new("Open tarball…"))
                    .clicked()
                {
                    self.actions.push(Action::Pick(PickKind::Tarball));
                }
                if ui
                    .add_sized([160.0, 32.0], egui::Button::new("Show the sample"))
                    .clicked()
                {
                    self.actions.push(Action::OpenSample);
                }
            });
            ui.add_space(10.0);
            ui.label(
                RichText::new(
                    "…or drop folders and tarballs anywhere on this window, or type a path above.",
                )
                .weak(),
            );
        });
    }

    fn tabs(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let tab = self.settings.tab;
            for (t, name) in [
                (Tab::Overview, "Overview"),
                (Tab::Tests, "Tests"),
                (Tab::Caveats, "Caveats"),
                (Tab::Matrix, "Matrix"),
                (Tab::Diff, "Diff"),
                (Tab::Check, "Pre-check"),
            ] {
                if ui
                    .selectable_label(tab == t, RichText::new(name).size(16.0))
                    .clicked()
                {
                    self.actions.push(Action::SetTab(t));
                }
            }
            if tab == Tab::Tests {
                ui.separator();
                let names: Vec<&str> = self
                    .selection
                    .iter()
                    .filter_map(|&i| self.infos.get(i).map(|i| i.label.as_str()))
                    .take(3)
                    .collect();
                let mut text = names.join(", ");
                if self.selection.len() > 3 {
                    text.push_str(&format!(" and {} more", self.selection.len() - 3));
                }
                ui.label(RichText::new(text).weak());
            }
        });
        ui.separator();
    }

    fn central(&mut self, ui: &mut Ui) {
        if self.corpus.releases.is_empty() {
            self.welcome(ui);
            return;
        }
        self.tabs(ui);
        match self.settings.tab {
            Tab::Matrix | Tab::Diff | Tab::Check => self.compare_tab(ui),
            Tab::Overview => {
                overview::ui(ui, &self.infos, &mut self.actions);
            }
            Tab::Caveats => self.caveats.tab_ui(
                ui,
                &self.corpus,
                &self.infos,
                self.source == Source::Sample,
                self.generation,
                &mut self.actions,
            ),
            Tab::Tests => {
                self.tests.refresh(
                    &self.corpus,
                    &self.selection,
                    &self.settings.filters,
                    self.generation,
                );
                self.tests.toolbar(ui, &mut self.settings.filters);
                ui.separator();
                let selected = self.detail.selected(self.generation);
                if selected.is_some() {
                    let panel = egui::Panel::right("cv-detail")
                        .resizable(true)
                        .default_size(self.settings.detail_width)
                        .size_range(260.0..=ui.available_width() * 0.7)
                        .show(ui, |ui| {
                            self.detail
                                .ui(ui, &self.corpus, self.generation, &mut self.actions);
                        });
                    self.settings.detail_width = panel.response.rect.width();
                }
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    self.tests.table(
                        ui,
                        &self.corpus,
                        &self.infos,
                        self.caveats.catalog(),
                        &self.selection,
                        selected,
                        &mut self.actions,
                    );
                });
            }
        }
    }

    fn compare_tab(&mut self, ui: &mut Ui) {
        let inputs = compare_tabs::Inputs {
            corpus: &self.corpus,
            generation: self.generation,
            selection: &self.selection,
            caveats: Some(compare_tabs::Caveats {
                catalog: self.caveats.catalog(),
                scope: self.caveats.scope(),
            }),
            selected_test: self.detail.selected(self.generation),
            ctx: self.ctx.as_ref(),
        };
        self.compare.ui(
            ui,
            self.settings.tab,
            inputs,
            &self.detail,
            &mut self.settings.detail_width,
            &mut self.actions,
        );
    }

    /// Draw one frame. Public so benchmarks and tests can drive the app
    /// without eframe.
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        self.apply_theme(&ctx);
        self.drain_messages(&ctx);
        self.compare.poll(
            self.settings.conformance_lists.as_deref(),
            Some(&ctx),
            &mut self.notes,
        );
        self.caveats.poll(&mut self.notes);
        self.caveats
            .refresh_infos(&self.corpus, self.generation, &mut self.infos);
        self.detail
            .sync_caveat(&self.infos, self.caveats.catalog(), self.caveats.revision());
        self.handle_keys(&ctx);
        self.handle_drops(&ctx);

        egui::Panel::top("cv-menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("cv-toolbar")
            .frame(
                egui::Frame::side_top_panel(ui.style()).inner_margin(egui::Margin::symmetric(8, 6)),
            )
            .show(ui, |ui| self.toolbar(ui));
        if self.source == Source::Sample {
            egui::Panel::top("cv-sample-banner")
                .frame(egui::Frame::NONE)
                .show(ui, |ui| self.sample_banner(ui));
        }
        let left = egui::Panel::left("cv-releases")
            .resizable(true)
            .default_size(self.settings.releases_width)
            .size_range(200.0..=640.0)
            .show(ui, |ui| {
                releases::ui(
                    ui,
                    &self.infos,
                    &self.selection,
                    self.source == Source::Sample,
                    &caveats_view::profile_short_name(self.caveats.catalog()),
                    &mut self.actions,
                );
            });
        self.settings.releases_width = left.response.rect.width();
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));

        if let Some(a) = self.notes.show(ui) {
            self.actions.push(Action::Note(a));
        }
        self.caveats.window(&ctx, &mut self.actions);
        let roots = match &self.source {
            Source::Paths(p) => p.clone(),
            _ => Vec::new(),
        };
        self.export.frame(
            &ctx,
            || self.caveats.export_inputs(&self.corpus, roots),
            &mut self.notes,
            &mut self.settings,
            !self.corpus.releases.is_empty(),
        );
        self.drop_overlay(&ctx);
        self.apply_all(&ctx);
        self.caveats
            .refresh_infos(&self.corpus, self.generation, &mut self.infos);
        // Keep the rows current for callers that read them between frames.
        if self.settings.tab == Tab::Tests {
            self.tests.refresh(
                &self.corpus,
                &self.selection,
                &self.settings.filters,
                self.generation,
            );
        }
        if self.loading.is_some() || self.picking {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.screenshot_step(&ctx);
    }

    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let loading = self.loading.is_some();
        let releases = self.corpus.releases.len();
        let errors: Vec<String> = self.corpus.errors.iter().map(ToString::to_string).collect();
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        if shot.finished {
            return;
        }
        ctx.request_repaint();
        let finish = |shot: &mut Screenshot, result: Result<String, String>| {
            if let Ok(mut g) = shot.outcome.lock() {
                *g = Some(result);
            }
            shot.finished = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        };
        if shot.started.elapsed() > SCREENSHOT_TIMEOUT {
            finish(
                shot,
                Err(format!(
                    "timed out after {} s waiting for the data to be shown",
                    SCREENSHOT_TIMEOUT.as_secs()
                )),
            );
            return;
        }
        if loading {
            return;
        }
        if releases == 0 {
            let detail = if errors.is_empty() {
                "no results were found".to_string()
            } else {
                errors.join("; ")
            };
            finish(shot, Err(format!("nothing could be loaded: {detail}")));
            return;
        }
        let image = shot.image.lock().ok().and_then(|mut g| g.take());
        if let Some(image) = image {
            let [w, h] = image.size;
            let result = image::save_buffer(
                &shot.path,
                image.as_raw(),
                w as u32,
                h as u32,
                image::ExtendedColorType::Rgba8,
            )
            .map(|()| {
                format!(
                    "saved a {w}x{h} screenshot of {} to {}",
                    verdict::plural(releases, "release", "releases"),
                    shot.path.display()
                )
            })
            .map_err(|e| format!("cannot write {}: {e}", shot.path.display()));
            finish(shot, result);
            return;
        }
        shot.settled_frames += 1;
        if shot.settled_frames >= SCREENSHOT_SETTLE_FRAMES && !shot.requested {
            shot.requested = true;
            let slot = shot.image.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Ok(mut g) = slot.lock() {
                    *g = Some(image);
                }
                repaint.request_repaint();
            });
        }
    }
}

/// What to show at start: the command line's paths; else, for a screenshot
/// or the very first run (no stored settings), the sample; else what the
/// last session showed (nothing, if it ended with Close all).
pub fn initial_action(
    paths: Vec<PathBuf>,
    screenshot: bool,
    stored: Option<&Settings>,
) -> Option<Action> {
    if !paths.is_empty() {
        return Some(Action::Open(paths));
    }
    match stored {
        _ if screenshot => Some(Action::OpenSample),
        None => Some(Action::OpenSample),
        Some(s) if !s.last_paths.is_empty() => Some(Action::Open(s.last_paths.clone())),
        Some(s) if s.last_was_sample => Some(Action::OpenSample),
        Some(_) => None,
    }
}

/// Slightly larger text than egui's defaults: this is a reading tool.
fn apply_text_sizes(ctx: &egui::Context) {
    use egui::{FontFamily, FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(11.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 4.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

fn default_selection(infos: &[ReleaseInfo]) -> Vec<usize> {
    let failing: Vec<usize> = infos
        .iter()
        .enumerate()
        .filter(|(_, i)| i.verdict == Verdict::NotConformant)
        .map(|(n, _)| n)
        .collect();
    if !failing.is_empty() {
        return failing;
    }
    infos.len().checked_sub(1).into_iter().collect()
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.persist {
            eframe::set_value(storage, eframe::APP_KEY, &self.settings);
        }
    }

    fn persist_egui_memory(&self) -> bool {
        self.persist
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_up_follows_the_command_line_then_the_last_session() {
        let cli = vec![PathBuf::from("/r")];
        assert_eq!(
            initial_action(cli.clone(), false, None),
            Some(Action::Open(cli))
        );
        assert_eq!(
            initial_action(Vec::new(), false, None),
            Some(Action::OpenSample)
        );
        let mut s = Settings {
            last_paths: vec![PathBuf::from("/last")],
            ..Settings::default()
        };
        assert_eq!(
            initial_action(Vec::new(), false, Some(&s)),
            Some(Action::Open(vec![PathBuf::from("/last")]))
        );
        assert_eq!(
            initial_action(Vec::new(), true, Some(&s)),
            Some(Action::OpenSample)
        );
        s.last_paths.clear();
        assert_eq!(initial_action(Vec::new(), false, Some(&s)), None);
        s.last_was_sample = true;
        assert_eq!(
            initial_action(Vec::new(), false, Some(&s)),
            Some(Action::OpenSample)
        );
    }
}

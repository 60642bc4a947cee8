//! The desktop window, behind the default `gui` feature.
//!
//! A map of the parts, in the order a frame uses them:
//!
//! - **State.** [`state::AppState`] is the one application state: the
//!   loaded corpus, the selection, the selected test, the caveat catalog and
//!   scope, the conformance lists ([`lists`]), the settings ([`settings`])
//!   with this session's command-line options, the notifications
//!   ([`notifications`]), and the derived analysis: each release's verdict
//!   and figures ([`verdict::ReleaseInfo`], made by [`crate::analysis`]).
//! - **Jobs.** [`jobs`] is the one way to run work off the UI thread:
//!   loads and merges ([`loading`]), the analysis, dialogs, log excerpts
//!   ([`crate::ingest::log_blocks`]), catalog files and documents, exports, large filters
//!   and the compare views' values. It is the only file here that starts a
//!   thread.
//! - **Commands.** [`commands::Command`] is every user intent, with its
//!   menu text and shortcut; [`ViewerApp::apply`] is the one place that
//!   changes the state.
//! - **Frame.** [`frame`] takes finished jobs, turns keys and drops into
//!   commands, lays out the panels, draws the views and applies the
//!   commands. The chrome (menus, toolbar, welcome, drop overlay) is in
//!   [`menus`]; start-up and saving in [`persistence`].
//! - **Views** draw what they are given and emit commands: the release
//!   list ([`releases`]), [`overview`], the Tests tab ([`tests_view`]) and its
//!   detail pane ([`detail`]), [`caveats_view`], the compare tabs
//!   ([`compare`]: matrix, diff, pre-check), the export window
//!   ([`export_dialog`]); [`style`] and [`durations`] are shared pieces.
//!   A view may keep what only it reads (its caches, its scroll target, its
//!   sort order); nothing that another view reads.

pub mod about;
pub mod caveats_view;
pub mod commands;
pub mod compare;
pub mod defects_view;
pub mod detail;
pub mod durations;
pub mod export_dialog;
pub mod frame;
pub mod jobs;
pub mod lines_view;
pub mod lists;
pub mod loading;
pub mod menus;
pub mod notifications;
pub mod overview;
pub mod persistence;
pub mod releases;
pub mod settings;
pub mod state;
pub mod style;
pub mod tests_view;
pub mod verdict;
pub mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub use commands::{Command, SelectMode};
pub use state::Source;

use crate::ingest::Limits;
use crate::model::Corpus;
use jobs::Jobs;
use loading::Loads;
use settings::{Settings, ThemeChoice};
use state::{AppState, SessionOptions};

/// What `main` passes to [`run`].
#[derive(Clone, Debug, Default)]
pub struct LaunchOptions {
    /// Folders or tarballs from the command line.
    pub paths: Vec<PathBuf>,
    /// Save a PNG of the window here once the data is shown, then exit.
    pub screenshot: Option<PathBuf>,
    /// A folder of conformance-v1.NN.yaml lists (`--conformance-lists`),
    /// used instead of the saved one for this session.
    pub conformance_lists: Option<PathBuf>,
    /// A caveat catalog laid over the built-in one (`--caveats`), for this
    /// session; it takes the place of the file in the settings.
    pub caveats: Option<PathBuf>,
    /// The protective limits (`--limit`) of every load and log read.
    pub limits: Limits,
    /// The tab to start on (`--view`).
    pub view: Option<settings::Tab>,
    /// Select the first test whose name contains this text once the data
    /// is loaded, and show its details (`--select`).
    pub select: Option<String>,
    /// The window's inner size (`--size`); the default is 1400×900.
    pub size: Option<[f32; 2]>,
}

/// The smallest inner size of the window; every view is laid out to work
/// from here up.
pub const MIN_SIZE: [f32; 2] = [900.0, 600.0];

/// The inner size of a new window.
pub const DEFAULT_SIZE: [f32; 2] = [1400.0, 900.0];

/// The outcome of a `--screenshot` run, shared between the app and [`run`].
type ShotOutcome = Arc<Mutex<Option<Result<String, String>>>>;

/// When the process started, as [`mark_process_start`] recorded it.
static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Record the process's start (call first thing in `main`): with
/// `CV_TIMING=1` the window then prints to stderr when its first frame lists
/// every release of the first load, measured from here.
pub fn mark_process_start() {
    let _ = PROCESS_START.set(std::time::Instant::now());
}

/// Seconds since [`mark_process_start`], when it was called and
/// `CV_TIMING=1` is set.
fn timing_elapsed() -> Option<f64> {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("CV_TIMING").is_some_and(|v| v == "1")) {
        return None;
    }
    PROCESS_START.get().map(|t| t.elapsed().as_secs_f64())
}

/// With `CV_TIMING=1`, print when a phase of the window's first load
/// ended, in seconds since the process started.
fn timing_phase(name: &str) {
    if let Some(secs) = timing_elapsed() {
        eprintln!("phase: {name} ended {secs:.3} s");
    }
}

/// `CV_REPAINT_FRAMES=N`: how many frames the window repaints back to back
/// once its first load is shown, to time what a frame costs with rendering
/// included (the frame bench times the CPU side only).
fn repaint_frames() -> Option<u64> {
    static N: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *N.get_or_init(|| {
        std::env::var("CV_REPAINT_FRAMES")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
    })
}

/// Open the window and run until it is closed.
pub fn run(options: LaunchOptions) -> ExitCode {
    let screenshot = options.screenshot.is_some();
    let outcome: ShotOutcome = Arc::new(Mutex::new(None));
    let viewport = egui::ViewportBuilder::default()
        .with_title("Conformance Viewer")
        .with_app_id("conformance-viewer")
        .with_inner_size(options.size.unwrap_or(DEFAULT_SIZE))
        .with_min_inner_size(MIN_SIZE)
        .with_drag_and_drop(true)
        .with_icon(about::window_icon());
    let native = eframe::NativeOptions {
        viewport,
        // A screenshot run must not move the user's saved window, and a
        // size given on the command line wins over the saved one (restoring
        // the saved window would ignore `--size`).
        persist_window: !screenshot && options.size.is_none(),
        ..Default::default()
    };
    let app_outcome = outcome.clone();
    // This window clears each frame to the panels' colour (the app's
    // `clear_color`), so the panels leave their backgrounds out.
    style::clear_behind_panels();
    // The paths on the command line start loading now, while the window
    // and its renderer are made.
    let preload = (!options.paths.is_empty())
        .then(|| loading::Preload::start(options.paths.clone(), options.limits.clone()));
    let result = eframe::run_native(
        "Conformance Viewer",
        native,
        Box::new(move |cc| {
            Ok(Box::new(ViewerApp::new_preloaded(
                cc,
                options,
                app_outcome,
                preload,
            )))
        }),
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

/// A `--screenshot` run in progress.
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

/// The views and what each keeps for itself.
#[derive(Debug, Default)]
struct Views {
    tests: tests_view::TestsView,
    compare: compare::CompareTabs,
    detail: detail::DetailView,
    caveats: caveats_view::CaveatsView,
    export: export_dialog::ExportDialog,
    lists_menu: lists::ListsMenu,
    /// The text of the toolbar's path field.
    path_input: String,
    /// Whether the keyboard shortcuts window is open (F1).
    shortcuts_open: bool,
    /// Whether the list of messages is open (the status bar's button).
    messages_open: bool,
    /// Whether the conformance-lists window is open.
    lists_open: bool,
    /// The product-lines window (rename and merge).
    lines: lines_view::LinesWindow,
    /// Whether the product-lines window is open.
    lines_open: bool,
    /// The Overview's own state (which line is expanded at scale).
    overview: overview::OverviewView,
    /// Known defects in the Caveats tab, and the document window.
    defects: defects_view::DefectsView,
    /// Help › About.
    about: about::AboutWindow,
}

/// The application: its state, its jobs, its views and the commands of the
/// frame being drawn.
pub struct ViewerApp {
    state: AppState,
    jobs: Jobs,
    loads: Loads,
    views: Views,
    commands: Vec<Command>,
    ctx: Option<egui::Context>,
    applied_theme: Option<ThemeChoice>,
    screenshot: Option<Screenshot>,
    /// `--select`: the text of the test to select once data is shown.
    pending_select: Option<String>,
    persist: bool,
    /// Whether `CV_TIMING` has reported the first full frame.
    timing_reported: bool,
    /// Frames drawn so far (reported with `CV_TIMING`).
    frames: u64,
    /// When the window first asked what input came (see
    /// `quiet_startup_input`).
    first_input: Option<Instant>,
    /// `CV_REPAINT_FRAMES`: when the repaint probe started (with the frame
    /// count then), once the first load is shown.
    repaint_probe: Option<(Instant, u64)>,
    /// `--size`, asked of the window on its first frame: eframe restores a
    /// saved window's size over the one the window was opened with.
    requested_size: Option<[f32; 2]>,
}

impl std::fmt::Debug for ViewerApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewerApp")
            .field("releases", &self.state.corpus.releases.len())
            .field("source", &self.state.source)
            .field("selection", &self.state.selection)
            .finish_non_exhaustive()
    }
}

impl ViewerApp {
    fn blank(settings: Settings, session: SessionOptions, persist: bool) -> ViewerApp {
        ViewerApp {
            state: AppState::new(settings, session),
            jobs: Jobs::default(),
            loads: Loads::default(),
            views: Views::default(),
            commands: Vec::new(),
            ctx: None,
            applied_theme: None,
            screenshot: None,
            pending_select: None,
            persist,
            timing_reported: false,
            frames: 0,
            first_input: None,
            repaint_probe: None,
            requested_size: None,
        }
    }

    /// The app as eframe creates it: settings from storage, then the command
    /// line paths, else the last session's, else (first run) the sample.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        options: LaunchOptions,
        outcome: Arc<Mutex<Option<Result<String, String>>>>,
    ) -> ViewerApp {
        ViewerApp::new_preloaded(cc, options, outcome, None)
    }

    /// [`ViewerApp::new`], taking over `preload`: the load of the command
    /// line's paths, started before the window.
    fn new_preloaded(
        cc: &eframe::CreationContext<'_>,
        options: LaunchOptions,
        outcome: ShotOutcome,
        preload: Option<loading::Preload>,
    ) -> ViewerApp {
        let stored = persistence::stored_settings(cc, options.screenshot.is_some());
        ViewerApp::start(Some(&cc.egui_ctx), stored, options, outcome, preload)
    }

    /// The app for `options`, starting from `stored` settings (`None`: the
    /// first run), taking over `preload` (the load of the command line's
    /// paths, started before the window) when there is one.
    fn start(
        ctx: Option<&egui::Context>,
        stored: Option<Settings>,
        options: LaunchOptions,
        outcome: ShotOutcome,
        preload: Option<loading::Preload>,
    ) -> ViewerApp {
        let screenshot = options.screenshot.is_some();
        let first_run = stored.is_none();
        let mut settings = stored.unwrap_or_default();
        settings.sanitize();
        let session = SessionOptions {
            conformance_lists: options.conformance_lists,
            caveats: options.caveats,
            limits: options.limits,
        };
        let mut app = ViewerApp::blank(settings, session, !screenshot);
        app.requested_size = options.size;
        if let Some(preload) = preload {
            app.jobs = preload.jobs.clone();
            app.loads.preload = Some(preload);
        }
        if let Some(tab) = options.view {
            app.state.settings.tab = tab;
        }
        app.pending_select = options.select.filter(|t| !t.trim().is_empty());
        if app.pending_select.is_some() && options.view.is_none() {
            app.state.settings.tab = settings::Tab::Tests;
        }
        if let Some(ctx) = ctx {
            ViewerApp::style_context(ctx, app.state.settings.theme);
            app.applied_theme = Some(app.state.settings.theme);
            app.ctx = Some(ctx.clone());
            app.jobs.set_context(ctx.clone());
        }
        match app.state.session.caveats.clone() {
            Some(path) => app.state.caveats.read_file(path, true, &app.jobs),
            None => {
                if let Some(path) = app.state.settings.caveats_file.clone() {
                    app.state.caveats.read_file(path, false, &app.jobs);
                }
            }
        }
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
        if options.paths.is_empty() && !screenshot {
            app.drop_missing_last_paths();
        }
        let stored = (!first_run).then_some(&app.state.settings);
        if let Some(command) = persistence::initial_command(options.paths, screenshot, stored) {
            app.commands.push(command);
        }
        app
    }

    /// `--select`: once data is shown, select the first test whose name
    /// contains the text (required tests before other specs) in its release,
    /// and show its details; say so when none does.
    fn select_pending(&mut self) {
        if self.loads.busy() || self.state.corpus.releases.is_empty() {
            return;
        }
        let Some(text) = self.pending_select.take() else {
            return;
        };
        let needle = text.to_lowercase();
        let releases = &self.state.corpus.releases;
        let infos = self.state.infos();
        let is_required = |r: usize, i: usize| infos.get(r).is_some_and(|info| info.is_required(i));
        let found = [true, false].into_iter().find_map(|required| {
            releases.iter().enumerate().find_map(|(r, release)| {
                release
                    .tests
                    .iter()
                    .enumerate()
                    .position(|(i, t)| {
                        is_required(r, i) == required && t.name().to_lowercase().contains(&needle)
                    })
                    .map(|test| tests_view::RowRef { release: r, test })
            })
        });
        match found {
            Some(row) => {
                if !is_required(row.release, row.test) {
                    self.state.settings.filters.all_specs = true;
                }
                self.commands.push(Command::SelectRelease {
                    index: row.release,
                    mode: SelectMode::Only,
                });
                self.commands.push(Command::SelectTest(Some(row)));
                self.views.tests.scroll_to_selected = true;
            }
            None => self.state.notes.push(
                notifications::Level::Warning,
                "--select",
                vec![format!("no test name contains {text:?}")],
            ),
        }
    }

    /// Forget paths of the last session that are gone, with one calm
    /// message, so the rest opens without an error per missing path.
    fn drop_missing_last_paths(&mut self) {
        let settings = &mut self.state.settings;
        let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) =
            settings.last_paths.drain(..).partition(|p| p.exists());
        settings.last_paths = present;
        if gone.is_empty() {
            return;
        }
        settings.recent.retain(|p| !gone.contains(p));
        let mut lines: Vec<String> = gone.iter().map(|p| p.display().to_string()).collect();
        if !settings.last_paths.is_empty() {
            lines.push("The rest of the last session is opened.".to_string());
        }
        self.state.notes.push(
            notifications::Level::Info,
            if gone.len() == 1 {
                "A path of the last session is gone".to_string()
            } else {
                format!("{} paths of the last session are gone", gone.len())
            },
            lines,
        );
    }

    /// The app as it starts from saved `settings` (as after an earlier
    /// session) with `options`, without eframe: for tests.
    #[cfg(any(test, feature = "testing"))]
    pub fn with_saved(settings: Settings, options: LaunchOptions) -> ViewerApp {
        let mut app = ViewerApp::start(None, Some(settings), options, ShotOutcome::default(), None);
        app.persist = false;
        app
    }

    /// The app for `options` without eframe or storage (as on a first run):
    /// for tests and headless drivers.
    #[cfg(any(test, feature = "testing"))]
    pub fn with_options(options: LaunchOptions) -> ViewerApp {
        let mut app = ViewerApp::start(None, None, options, ShotOutcome::default(), None);
        app.persist = false;
        app
    }

    /// [`ViewerApp::with_options`] as the window starts: the command line's
    /// paths already loading (see [`loading::Preload`]) before the app is
    /// made; `preload_paths` stands for the paths the load was started for.
    #[cfg(any(test, feature = "testing"))]
    pub fn with_preload(options: LaunchOptions, preload_paths: Vec<PathBuf>) -> ViewerApp {
        let preload = loading::Preload::start(preload_paths, options.limits.clone());
        let mut app = ViewerApp::start(None, None, options, ShotOutcome::default(), Some(preload));
        app.persist = false;
        app
    }

    /// An app showing `corpus`, with default settings and no storage: for
    /// tests and benchmarks.
    #[cfg(any(test, feature = "testing"))]
    pub fn with_corpus(corpus: Corpus) -> ViewerApp {
        let mut app = ViewerApp::blank(Settings::default(), SessionOptions::default(), false);
        app.state.install(
            Arc::new(corpus),
            None,
            Source::Paths(Vec::new()),
            &[],
            &app.jobs,
        );
        app
    }

    /// An app with nothing open and these settings, without storage.
    #[cfg(any(test, feature = "testing"))]
    pub fn empty(settings: Settings) -> ViewerApp {
        ViewerApp::blank(settings, SessionOptions::default(), false)
    }

    /// The application state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The loaded data.
    pub fn corpus(&self) -> &Corpus {
        &self.state.corpus
    }

    /// The settings (saved on exit).
    pub fn settings(&self) -> &Settings {
        &self.state.settings
    }

    /// Ask for something, as a view would; it happens on the next frame.
    pub fn request(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Whether a load or a merge is running.
    pub fn is_loading(&self) -> bool {
        self.loads.busy()
    }
}

/// Accessors for tests and benchmarks: the `testing` feature, which
/// `cargo test` and `cargo bench` turn on; the release binary has none.
#[cfg(any(test, feature = "testing"))]
impl ViewerApp {
    /// Whether the load started before the window opened was taken over
    /// (`false` too when there was none).
    pub fn preload_taken(&self) -> bool {
        self.loads.preload_taken
    }

    /// Whether a load started before the window opened still waits to be
    /// taken over.
    pub fn preload_waiting(&self) -> bool {
        self.loads.preload.is_some()
    }

    /// Where the data came from.
    pub fn source(&self) -> &Source {
        &self.state.source
    }

    /// The per-release figures, in corpus order.
    pub fn release_infos(&self) -> &[verdict::ReleaseInfo] {
        self.state.infos()
    }

    /// Indices of the selected releases, ascending.
    pub fn selected_releases(&self) -> &[usize] {
        &self.state.selection
    }

    /// Rows of the Tests table after filtering (as of the last frame).
    pub fn filtered_row_count(&self) -> usize {
        self.views.tests.rows().len()
    }

    /// The rows of the Tests table after filtering (as of the last frame).
    pub fn filtered_rows(&self) -> &[tests_view::RowRef] {
        self.views.tests.rows()
    }

    /// The Tests tab's state (its thresholds).
    pub fn tests_view_mut(&mut self) -> &mut tests_view::TestsView {
        &mut self.views.tests
    }

    /// How many times the Tests rows were rebuilt.
    pub fn row_recomputes(&self) -> u64 {
        self.views.tests.recomputes()
    }

    /// The test shown in the detail pane.
    pub fn selected_test(&self) -> Option<(tests_view::RowRef, &crate::model::TestCase)> {
        self.state.selected_test()
    }

    /// The state of the log excerpt in the detail pane.
    pub fn excerpt(&self) -> Option<&detail::ExcerptState> {
        self.views.detail.excerpt()
    }

    /// The Matrix, Diff and Pre-check tabs.
    pub fn compare(&self) -> &compare::CompareTabs {
        &self.views.compare
    }

    /// The compare tabs, to set their filters and choices.
    pub fn compare_mut(&mut self) -> &mut compare::CompareTabs {
        &mut self.views.compare
    }

    /// The test filters, to set them as a script would.
    pub fn filters_mut(&mut self) -> &mut settings::TestFilters {
        &mut self.state.settings.filters
    }

    /// The tab shown.
    pub fn tab(&self) -> settings::Tab {
        self.state.settings.tab
    }

    /// Whether a file dialog is open (or being opened).
    pub fn is_picking(&self) -> bool {
        self.loads.picking()
    }

    /// Whether the file dialog inside the window is open.
    pub fn is_picking_in_window(&self) -> bool {
        self.loads.picking_in_window()
    }

    /// Show native file dialogs with `picker` instead of rfd (a stand-in
    /// that answers at once, as rfd does without a desktop portal).
    pub fn set_picker(&mut self, picker: loading::Picker) {
        self.loads.picker = picker;
    }

    /// The notifications on screen.
    pub fn notifications(&self) -> &[notifications::Note] {
        self.state.notes.notes()
    }

    /// The caveat catalog and scope in use.
    pub fn caveats(&self) -> &state::CaveatModel {
        &self.state.caveats
    }

    /// The Caveats tab (its summary document).
    pub fn caveats_view(&self) -> &caveats_view::CaveatsView {
        &self.views.caveats
    }

    /// The export window.
    pub fn export_dialog(&self) -> &export_dialog::ExportDialog {
        &self.views.export
    }

    /// The known-defects part of the Caveats tab and its document window.
    pub fn defects_view(&self) -> &defects_view::DefectsView {
        &self.views.defects
    }

    /// The fix check of a known defect.
    pub fn fix_check(&self, release: usize, test: usize) -> Option<&crate::defects::FixCheck> {
        self.state.fix_check(release, test)
    }

    /// The product lines of the data shown.
    pub fn lines(&self) -> &crate::lines::Lines {
        self.state.lines()
    }

    /// The releases the Overview charts.
    pub fn charted(&self) -> Vec<usize> {
        self.state.charted()
    }

    /// The releases the list shows, in its order.
    pub fn list_order(&self) -> Vec<usize> {
        self.state.list_order()
    }

    /// The lines hidden from the charts.
    pub fn hidden_lines(&self) -> &std::collections::HashSet<String> {
        &self.state.hidden_lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_options_last_for_the_session_only() {
        let options = LaunchOptions {
            conformance_lists: Some(PathBuf::from("/cli/lists")),
            limits: Limits {
                max_releases: 2,
                ..Limits::default()
            },
            ..LaunchOptions::default()
        };
        let mut app = ViewerApp::with_options(options);
        assert_eq!(
            app.state().lists_folder(),
            Some(std::path::Path::new("/cli/lists"))
        );
        assert_eq!(app.settings().conformance_lists, None);
        assert_eq!(app.state().session.limits.max_releases, 2);
        // A choice in the menu replaces the command line's and is saved.
        app.apply(Command::SetConformanceLists(Some(PathBuf::from("/mine"))));
        assert_eq!(
            app.state().lists_folder(),
            Some(std::path::Path::new("/mine"))
        );
        assert_eq!(
            app.settings().conformance_lists,
            Some(PathBuf::from("/mine"))
        );
    }
}

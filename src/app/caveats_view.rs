//! The caveat catalog in the window, and the Caveats tab.
//!
//! The catalog in use and its scope are app state
//! ([`super::state::CaveatModel`]); this view draws them. Whenever the
//! loaded data, the catalog or the scope change, [`CaveatsView`] remakes the
//! tab's lists once from the per-release figures ([`ReleaseInfo`]); frames
//! only draw them.
//!
//! The tab shows, in this order: which releases the profile applies to and
//! why; the required tests that did not pass and that no caveat explains
//! (highlighted, they need attention first); a chart of the non-passing
//! tests per category and release (the data of [`export::chart_data`]);
//! one card per category with its explanation, links and the tests it
//! covers; and the vendor's summary document rendered as Markdown, read on
//! a background thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, Frame, Margin, RichText, Stroke, Ui};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};
use egui_plot::{AxisHints, Bar, BarChart, PlotPoint};

use super::commands::{Command, SelectMode};
use super::export_dialog;
use super::jobs::{Job, JobKind, Jobs, Slot};
use super::notifications::Level;
use super::settings::Tab;
use super::state::AppState;
use super::style;
use super::tests_view::RowRef;
use super::verdict::{self, ReleaseInfo};
use crate::caveats::{Catalog, Link};
use crate::conformance_list::ConformanceLists;
use crate::defects::find_across;
use crate::export::{self, ChartData, ChartKind};
use crate::ingest;
use crate::markdown::{self, Doc, same_heading};
use crate::model::{Corpus, Outcome};

/// The largest summary document read, in bytes; the rest is left out (and
/// the window says so).
pub const MAX_DOC_BYTES: u64 = 1024 * 1024;

/// Most tests listed in one list (unexplained, or one category); the rest
/// are counted, and all of them are in the Tests tab.
const MAX_ROWS: usize = 200;

/// How long a section of the summary document stays highlighted after a
/// "Read in the summary document" click.
const HIGHLIGHT: Duration = Duration::from_secs(3);

/// Something the user asked of the caveat catalog or scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaveatAction {
    /// Turn the profile on (or back off) for the release with this label.
    ToggleScope(String),
    /// Use this catalog file over the built-in one (`None`: built-in only),
    /// and remember the choice.
    UseFile(Option<PathBuf>),
    /// Show the catalog window (View › Caveat catalog…).
    OpenCatalogWindow,
    /// Scroll the Caveats tab to the card of this category (and the summary
    /// document to its section).
    ShowCategory(String),
    /// Show the section of the summary document with this heading.
    ShowDocSection(String),
    /// Show a vendor's per-release document at an entry.
    OpenDefectDoc {
        /// The document on disk, or the tarball that holds it.
        path: PathBuf,
        /// The document's member in that tarball.
        member: Option<String>,
        /// How it is named (`results.tar.gz!known-test-failures.md` for a
        /// member of a tarball).
        document: String,
        /// The 1-based line of the entry.
        line: usize,
    },
}

/// The profile's name without a trailing remark in brackets:
/// "vSphere Supervisor (vSphere Pods)" gives "vSphere Supervisor".
pub fn profile_short_name(catalog: &Catalog) -> String {
    let name = catalog.profile.name.trim();
    let short = match name.find(" (") {
        Some(i) if name.ends_with(')') => &name[..i],
        _ => name,
    };
    if short.is_empty() {
        "platform".to_string()
    } else {
        short.to_string()
    }
}

/// Whether a link may be opened in the browser: http and https only.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Open `url` in the browser when it is an http(s) URL; returns whether it
/// was opened.
pub fn open_web_url(ctx: &egui::Context, url: &str) -> bool {
    if is_web_url(url) {
        ctx.open_url(egui::OpenUrl::new_tab(url.trim()));
        true
    } else {
        false
    }
}

/// Why the profile applies to a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    /// Its Kubernetes version carries a marker (`wcp`).
    Version,
    /// Its PRODUCT.yaml names the platform.
    Product,
    /// The user turned it on.
    User,
    /// It does not apply.
    No,
}

#[derive(Clone, Debug)]
struct ScopeRow {
    label: String,
    why: Why,
}

/// One test in a list of the tab, grouped across releases by identity.
/// The test in one release, as a chip shows it.
#[derive(Clone, Debug)]
struct Chip {
    outcome: Outcome,
    /// Whether it is a required test of that release (its assessment's).
    required: bool,
    /// The name it has there, when a rename ([`find_across`]) found it.
    renamed: Option<String>,
}

#[derive(Clone, Debug)]
struct TestRow {
    name: String,
    /// Where to show it in the Tests tab: its first non-passing occurrence.
    first: RowRef,
    /// The outcome in each release the profile applies to (aligned with
    /// [`CaveatsData::columns`]); `None` when the release does not have it.
    outcomes: Vec<Option<Chip>>,
    /// Distinct (rule id, reason) that matched, for category rows.
    rules: Vec<(String, String)>,
    /// The catalog's note, for unexplained rows.
    note: Option<String>,
    worst: u8,
}

#[derive(Clone, Debug)]
struct CategoryCard {
    id: String,
    title: String,
    what: String,
    impact: String,
    workaround: String,
    links: Vec<Link>,
    doc_section: Option<String>,
    tests: Vec<TestRow>,
    results: u64,
}

/// The tab's lists, made once per change of data, catalog or scope.
#[derive(Clone, Debug, Default)]
struct CaveatsData {
    profile: String,
    markers: Vec<String>,
    scope: Vec<ScopeRow>,
    /// Indices and short labels of the releases the profile applies to.
    columns: Vec<(usize, String)>,
    unexplained: Vec<TestRow>,
    unexplained_results: u64,
    categories: Vec<CategoryCard>,
    /// Non-passing required tests of releases outside the profile.
    outside_results: u64,
    outside_releases: usize,
    chart: ChartData,
    short_labels: Vec<String>,
    docs: Vec<DocSource>,
}

/// Where a summary document comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DocSource {
    /// The sample's document, built into the binary.
    Sample,
    /// A file found beside the opened results.
    File(PathBuf),
}

impl DocSource {
    fn describe(&self) -> String {
        match self {
            DocSource::Sample => "the sample's known-test-failures.md (built in)".to_string(),
            DocSource::File(p) => p.display().to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum DocState {
    Loading,
    Ready(Arc<Doc>),
    Failed(String),
}

#[derive(Clone, Debug)]
struct Goto {
    heading: String,
    scroll: bool,
    until: Instant,
}

/// A summary document's text and whether it was cut, or why it could not
/// be read.
type DocText = Result<(String, bool), String>;

/// The Caveats tab and the catalog window: their view model, the summary
/// documents read so far, and where to scroll. The catalog and scope
/// themselves are app state ([`super::state::CaveatModel`]).
#[derive(Default)]
pub struct CaveatsView {
    view_key: Option<(u64, super::state::InfosKey, bool)>,
    view: CaveatsData,
    window_open: bool,
    file_input: String,
    picking: Slot<(), Option<PathBuf>>,
    docs: HashMap<DocSource, DocState>,
    doc_choice: Option<DocSource>,
    reading: HashMap<PathBuf, Job<DocText>>,
    md: CommonMarkCache,
    goto: Option<Goto>,
    /// A card to scroll to on the next frame of the tab.
    card_target: Option<String>,
}

impl std::fmt::Debug for CaveatsView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaveatsView")
            .field("doc_choice", &self.doc_choice)
            .field("window_open", &self.window_open)
            .finish_non_exhaustive()
    }
}

impl CaveatsView {
    /// Whether the summary document being shown has been read (or failed).
    pub fn doc_settled(&self) -> bool {
        match &self.doc_choice {
            Some(s) => !matches!(self.docs.get(s), Some(DocState::Loading) | None),
            None => true,
        }
    }

    /// Headings of the summary document shown, once read.
    pub fn doc_headings(&self) -> Vec<String> {
        match self.doc_choice.as_ref().and_then(|s| self.docs.get(s)) {
            Some(DocState::Ready(doc)) => doc
                .sections
                .iter()
                .filter_map(|s| s.heading.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The heading the summary document was last asked to show.
    pub fn doc_target(&self) -> Option<&str> {
        self.goto.as_ref().map(|g| g.heading.as_str())
    }

    /// A catalog file was chosen: show it in the window's field.
    pub fn file_chosen(&mut self, path: &Path) {
        self.file_input = path.display().to_string();
    }

    /// Open the catalog window (View › Caveat catalog…).
    pub fn open_window(&mut self, file: Option<&Path>) {
        self.window_open = true;
        if self.file_input.is_empty()
            && let Some(p) = file
        {
            self.file_input = p.display().to_string();
        }
    }

    /// Scroll to the card of category `id`, and the summary document to
    /// its section when it has one.
    pub fn show_category(&mut self, id: String, heading: Option<String>) {
        if let Some(heading) = heading {
            self.show_section(heading);
        }
        self.card_target = Some(id);
    }

    /// Scroll the summary document to the section with this heading and
    /// highlight it for a moment.
    pub fn show_section(&mut self, heading: String) {
        self.goto = Some(Goto {
            heading,
            scroll: true,
            until: Instant::now() + HIGHLIGHT,
        });
    }

    /// Take the answers of the document reads and the file dialog. Call
    /// once per frame.
    pub fn poll(&mut self) {
        let mut done = Vec::new();
        for (path, job) in &mut self.reading {
            if let Some(answer) = job.poll() {
                let state = match answer.and_then(|r| r) {
                    Ok((text, truncated)) => {
                        DocState::Ready(Arc::new(markdown::sections(&text, truncated)))
                    }
                    Err(e) => DocState::Failed(e),
                };
                done.push((path.clone(), state));
            }
        }
        for (path, state) in done {
            self.reading.remove(&path);
            self.docs.insert(DocSource::File(path), state);
        }
        if let Some((_, answer)) = self.picking.poll()
            && let Ok(Some(p)) = answer
        {
            self.file_input = p.display().to_string();
        }
    }

    fn refresh_view(&mut self, state: &AppState) {
        // The figures shown are the infos': follow what they were made for.
        let key = (state.generation, state.infos_key(), state.is_sample());
        if self.view_key == Some(key) {
            return;
        }
        self.view_key = Some(key);
        self.view = build_view(
            &state.corpus,
            state.infos(),
            state.caveats.catalog(),
            state.lists.lists().map(|l| &**l),
            state.is_sample(),
        );
        if let Some(choice) = &self.doc_choice
            && !self.view.docs.contains(choice)
        {
            self.doc_choice = None;
        }
        if self.doc_choice.is_none() {
            self.doc_choice = self.view.docs.first().cloned();
        }
    }

    /// Start reading the chosen summary document if it has not been read.
    fn ensure_doc(&mut self, jobs: &Jobs) {
        let Some(source) = self.doc_choice.clone() else {
            return;
        };
        if self.docs.contains_key(&source) {
            return;
        }
        match &source {
            DocSource::Sample => {
                let doc = markdown::sections(crate::sample::CAVEAT_DOC, false);
                self.docs.insert(source, DocState::Ready(Arc::new(doc)));
            }
            DocSource::File(path) => {
                let thread_path = path.clone();
                let job = jobs.start(JobKind::Document, move |_| {
                    ingest::read_capped_text(&thread_path, MAX_DOC_BYTES).map_err(|e| e.detail())
                });
                self.reading.insert(path.clone(), job);
                self.docs.insert(source, DocState::Loading);
            }
        }
    }

    /// The catalog window (View › Caveat catalog…).
    pub fn window(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        jobs: &Jobs,
        actions: &mut Vec<Command>,
    ) {
        if !self.window_open {
            return;
        }
        let caveats = &state.caveats;
        let mut open = true;
        egui::Window::new("Caveat catalog")
            .id(egui::Id::unique("cv-catalog-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.set_min_width(480.0);
                ui.label(catalog_summary(caveats.catalog(), caveats.file()));
                if caveats.from_cli() && caveats.file().is_some() {
                    ui.label(
                        RichText::new("This file was given with --caveats on the command line.")
                            .small()
                            .weak(),
                    );
                }
                if let Some(path) = caveats.reading() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(format!("Reading {}…", path.display()));
                    });
                }
                ui.add_space(6.0);
                ui.label(
                    "A catalog file of your own (TOML, the layout of assets/caveats.toml) adds \
                     categories; one with the id of a built-in category replaces it.",
                );
                ui.horizontal(|ui| {
                    let label = ui.label("File:");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.file_input)
                            .desired_width(330.0)
                            .hint_text("my-caveats.toml"),
                    )
                    .labelled_by(label.id);
                    let busy = self.picking.is_running();
                    if ui
                        .add_enabled(!busy, egui::Button::new("Browse…"))
                        .clicked()
                    {
                        let current = caveats.file().map(Path::to_path_buf);
                        self.picking
                            .start(jobs, JobKind::Dialog, (), move |_| pick_catalog(current));
                    }
                    if busy {
                        ui.spinner();
                    }
                });
                ui.horizontal(|ui| {
                    let typed = self.file_input.trim().to_string();
                    if ui
                        .add_enabled(!typed.is_empty(), egui::Button::new("Use this file"))
                        .clicked()
                    {
                        actions.push(Command::Caveats(CaveatAction::UseFile(Some(
                            PathBuf::from(typed),
                        ))));
                    }
                    if ui
                        .add_enabled(
                            caveats.file().is_some() || caveats.reading().is_some(),
                            egui::Button::new("Built-in catalog only"),
                        )
                        .clicked()
                    {
                        actions.push(Command::Caveats(CaveatAction::UseFile(None)));
                    }
                });
            });
        if !open {
            self.window_open = false;
        }
    }

    /// Draw the Caveats tab.
    pub fn tab_ui(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        jobs: &Jobs,
        defects: &mut super::defects_view::DefectsView,
        actions: &mut Vec<Command>,
    ) {
        self.refresh_view(state);
        self.ensure_doc(jobs);
        if let Some(g) = &self.goto
            && Instant::now() < g.until
        {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        let has_doc = self.doc_choice.is_some();
        let wide = ui.available_width() >= 1000.0;
        if has_doc && wide {
            egui::Panel::right("cv-caveat-doc")
                .frame(super::style::side_panel_frame(ui.style()))
                .resizable(true)
                .default_size(440.0)
                .size_range(300.0..=ui.available_width() * 0.6)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("cv-caveat-doc-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.doc_ui(ui, jobs, actions));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("cv-caveats-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(ui.available_width() - 8.0);
                    self.header_ui(ui, state, actions);
                    ui.add_space(8.0);
                    unexplained_ui(ui, &self.view, actions);
                    ui.add_space(10.0);
                    defects.section_ui(ui, state, actions);
                    ui.add_space(10.0);
                    chart_ui(ui, &self.view, actions);
                    ui.add_space(10.0);
                    let doc_headings: Vec<String> = self.doc_headings();
                    for card in &self.view.categories {
                        let rect = card_ui(ui, &self.view, card, &doc_headings, actions);
                        if self.card_target.as_deref() == Some(card.id.as_str()) {
                            self.card_target = None;
                            ui.scroll_to_rect(rect, Some(egui::Align::TOP));
                        }
                        ui.add_space(8.0);
                    }
                    if self.view.categories.is_empty() {
                        ui.label(RichText::new("The catalog has no categories.").weak());
                    }
                    if has_doc && !wide {
                        ui.add_space(10.0);
                        self.doc_ui(ui, jobs, actions);
                    }
                });
        });
    }

    fn header_ui(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Command>) {
        let v = &self.view;
        let caveats = &state.caveats;
        ui.horizontal_wrapped(|ui| {
            style::icon(ui, style::Icon::Info, 16.0, style::accent(ui));
            ui.label(RichText::new(scope_sentence(v, state.infos().len())).size(15.0));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(catalog_summary(caveats.catalog(), caveats.file()))
                    .small()
                    .weak(),
            );
            if let Some(path) = caveats.reading() {
                ui.spinner();
                ui.label(
                    RichText::new(format!("reading {}…", path.display()))
                        .small()
                        .weak(),
                );
            }
            if state.analysing() {
                ui.spinner();
                ui.label(RichText::new("updating the verdicts…").small().weak());
            }
            if ui
                .small_button("Catalog…")
                .on_hover_text("Lay a catalog file of your own over the built-in one")
                .clicked()
            {
                actions.push(Command::Caveats(CaveatAction::OpenCatalogWindow));
            }
        });
        egui::CollapsingHeader::new(format!(
            "Releases the {} caveats apply to ({} of {})",
            v.profile,
            v.columns.len(),
            v.scope.len()
        ))
        .id_salt("cv-caveat-scope")
        .default_open(false)
        .show(ui, |ui| {
            ui.label(
                RichText::new(
                    "Detected releases cannot be turned off; any other can be turned on, \
                     for example a Supervisor result whose version lacks the marker.",
                )
                .small()
                .weak(),
            );
            for row in &v.scope {
                let detected = matches!(row.why, Why::Version | Why::Product);
                let mut on = row.why != Why::No;
                let hover = match row.why {
                    Why::Version => "Detected: its Kubernetes version carries the profile's marker",
                    Why::Product => "Detected: its PRODUCT.yaml names the platform",
                    Why::User => "Turned on by you",
                    Why::No => "The caveats do not apply; its results count as they are",
                };
                let response = ui
                    .add_enabled(!detected, egui::Checkbox::new(&mut on, &row.label))
                    .on_hover_text(hover)
                    .on_disabled_hover_text(hover);
                if response.changed() {
                    actions.push(Command::Caveats(CaveatAction::ToggleScope(
                        row.label.clone(),
                    )));
                }
            }
        });
    }

    fn doc_ui(&mut self, ui: &mut Ui, jobs: &Jobs, actions: &mut Vec<Command>) {
        ui.add_space(4.0);
        ui.heading("Summary document");
        let sources = self.view.docs.clone();
        if sources.len() > 1 {
            let current = self
                .doc_choice
                .as_ref()
                .map(DocSource::describe)
                .unwrap_or_default();
            egui::ComboBox::from_id_salt("cv-caveat-doc-choice")
                .selected_text(current)
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    for s in &sources {
                        ui.selectable_value(&mut self.doc_choice, Some(s.clone()), s.describe());
                    }
                });
            self.ensure_doc(jobs);
        } else if let Some(s) = &self.doc_choice {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("From {}", s.describe()))
                        .small()
                        .weak(),
                )
                .wrap(),
            );
        }
        ui.separator();
        let Some(source) = self.doc_choice.clone() else {
            return;
        };
        match self.docs.get(&source).cloned() {
            None | Some(DocState::Loading) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the document…");
                });
            }
            Some(DocState::Failed(e)) => {
                ui.label(
                    RichText::new(format!("Cannot read {}: {e}", source.describe()))
                        .color(style::failed(ui)),
                );
            }
            Some(DocState::Ready(doc)) => {
                let refused = render_doc(ui, &mut self.md, &doc, &mut self.goto);
                if !refused.is_empty() {
                    actions.push(Command::Notify {
                        level: Level::Warning,
                        title: "Link not opened".to_string(),
                        lines: refused
                            .into_iter()
                            .map(|u| format!("{u}: only http and https links open in the browser"))
                            .collect(),
                    });
                }
            }
        }
    }
}

/// "Built-in catalog: 4 categories, 23 rules".
fn catalog_summary(catalog: &Catalog, file: Option<&Path>) -> String {
    let rules: usize = catalog.categories.iter().map(|c| c.rules.len()).sum();
    let counts = format!(
        "{}, {}",
        verdict::plural(catalog.categories.len(), "category", "categories"),
        verdict::plural(rules, "rule", "rules")
    );
    match file {
        Some(p) => format!(
            "Catalog: built-in with {} laid over it · {counts}",
            p.display()
        ),
        None => format!("Catalog: built-in · {counts}"),
    }
}

/// Ask for a catalog file with the native dialog (on a job's thread).
fn pick_catalog(current: Option<PathBuf>) -> Option<PathBuf> {
    let mut fd = rfd::FileDialog::new()
        .set_title("Choose a caveat catalog")
        .add_filter("TOML", &["toml"]);
    if let Some(dir) = current
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| d.is_dir())
    {
        fd = fd.set_directory(dir);
    }
    fd.pick_file()
}

/// Draw the document section by section, so one can be scrolled to and
/// highlighted. Returns links it refused to open.
fn render_doc(
    ui: &mut Ui,
    cache: &mut CommonMarkCache,
    doc: &Doc,
    goto: &mut Option<Goto>,
) -> Vec<String> {
    let now = Instant::now();
    for s in &doc.sections {
        if let Some(a) = &s.anchor {
            cache.add_link_hook(format!("#{a}"));
        }
    }
    let accent = style::accent(ui);
    for section in &doc.sections {
        let target = match (&section.heading, goto.as_ref()) {
            (Some(h), Some(g)) => same_heading(h, &g.heading),
            _ => false,
        };
        let lit = target && goto.as_ref().is_some_and(|g| now < g.until);
        let frame = Frame::new()
            .inner_margin(Margin::symmetric(6, 2))
            .corner_radius(6)
            .stroke(if lit {
                Stroke::new(2.0, accent)
            } else {
                Stroke::NONE
            })
            .fill(if lit {
                accent.gamma_multiply(0.08)
            } else {
                Color32::TRANSPARENT
            });
        let response = frame
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                CommonMarkViewer::new().show(ui, cache, &section.text);
            })
            .response;
        if target
            && let Some(g) = goto.as_mut()
            && g.scroll
        {
            g.scroll = false;
            ui.scroll_to_rect(response.rect, Some(egui::Align::TOP));
        }
    }
    if doc.truncated {
        ui.label(
            RichText::new(format!(
                "The document is longer than {}; the rest is not shown.",
                style::bytes(MAX_DOC_BYTES)
            ))
            .color(style::skipped(ui)),
        );
    }
    // In-document links (the index) scroll to their section here.
    for section in &doc.sections {
        if let (Some(a), Some(h)) = (&section.anchor, &section.heading) {
            let hook = format!("#{a}");
            if cache.get_link_hook(&hook) == Some(true) {
                cache.link_hooks_mut().insert(hook, false);
                *goto = Some(Goto {
                    heading: h.clone(),
                    scroll: true,
                    until: now + HIGHLIGHT,
                });
            }
        }
    }
    // Only web links leave the window.
    let mut refused = Vec::new();
    ui.ctx().output_mut(|o| {
        o.commands.retain(|c| match c {
            egui::OutputCommand::OpenUrl(u) if !is_web_url(&u.url) => {
                refused.push(u.url.clone());
                false
            }
            _ => true,
        });
    });
    refused
}

/// The rows of one category, where each test's row is, and how many
/// results it explains.
type Grouped = (Vec<TestRow>, HashMap<Arc<str>, usize>, u64);

/// Build the tab's lists from the per-release figures.
fn build_view(
    corpus: &Corpus,
    infos: &[ReleaseInfo],
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
    sample: bool,
) -> CaveatsData {
    let mut v = CaveatsData {
        profile: profile_short_name(catalog),
        markers: catalog
            .profile
            .kube_version_contains
            .iter()
            .filter(|m| !m.trim().is_empty())
            .cloned()
            .collect(),
        chart: {
            let lines = crate::lines::Lines::build(corpus, catalog, &crate::lines::Renames::new());
            let assessments: Vec<&crate::analysis::Assessment> =
                infos.iter().map(|i| &i.assessment).collect();
            export::chart_data_with_lines(corpus, catalog, &assessments, &lines)
        },
        short_labels: infos.iter().map(|i| i.short_label.clone()).collect(),
        ..CaveatsData::default()
    };
    for (index, (release, info)) in corpus.releases.iter().zip(infos).enumerate() {
        let why = if !info.profile_applies {
            Why::No
        } else if catalog.applies_to(release.kube_version.as_deref(), None) {
            Why::Version
        } else if info.profile_detected {
            Why::Product
        } else {
            Why::User
        };
        v.scope.push(ScopeRow {
            label: info.label.clone(),
            why,
        });
        if info.profile_applies {
            v.columns.push((index, info.short_label.clone()));
        } else {
            let n = info.counts.total - info.counts.passed;
            if n > 0 {
                v.outside_results += n;
                v.outside_releases += 1;
            }
        }
    }
    // Group the explained and unexplained tests of in-scope releases by
    // identity, in release order then file order.
    let mut unexplained: Vec<TestRow> = Vec::new();
    let mut unexplained_at: HashMap<Arc<str>, usize> = HashMap::new();
    let mut by_category: HashMap<String, Grouped> = HashMap::new();
    for &(r, _) in &v.columns {
        let (Some(release), Some(info)) = (corpus.releases.get(r), infos.get(r)) else {
            continue;
        };
        for i in info.assessment.explanations.iter().map(|(i, _)| *i) {
            let (Some(test), Some(e)) = (release.tests.get(i), info.explanation(i)) else {
                continue;
            };
            if e.known_defect.is_some() {
                // Shown in the known-defects section, with its document.
                continue;
            }
            let new_row = || TestRow {
                name: test.name().to_string(),
                first: RowRef {
                    release: r,
                    test: i,
                },
                outcomes: v
                    .columns
                    .iter()
                    .map(|&(c, _)| {
                        let rel = corpus.releases.get(c)?;
                        let t = find_across(release, test, rel, lists)?;
                        let index = rel.position_of(t)?;
                        Some(Chip {
                            outcome: t.outcome,
                            required: infos.get(c).is_some_and(|i| i.is_required(index)),
                            renamed: (t.key() != test.key()).then(|| t.name().to_string()),
                        })
                    })
                    .collect(),
                rules: Vec::new(),
                note: None,
                worst: test.status().attention_rank(),
            };
            match &e.category {
                None => {
                    v.unexplained_results += 1;
                    let at = *unexplained_at
                        .entry(test.names.key.clone())
                        .or_insert_with(|| {
                            unexplained.push(new_row());
                            unexplained.len() - 1
                        });
                    let row = &mut unexplained[at];
                    row.worst = row.worst.min(test.status().attention_rank());
                    if row.note.is_none() {
                        row.note = e.note.clone();
                    }
                }
                Some(id) => {
                    let (rows, at_of, results) = by_category.entry(id.clone()).or_default();
                    *results += 1;
                    let at = *at_of.entry(test.names.key.clone()).or_insert_with(|| {
                        rows.push(new_row());
                        rows.len() - 1
                    });
                    let row = &mut rows[at];
                    row.worst = row.worst.min(test.status().attention_rank());
                    if let (Some(rule), Some(reason)) = (&e.rule, &e.reason)
                        && !row.rules.iter().any(|(id, _)| id == rule)
                    {
                        row.rules.push((rule.clone(), reason.clone()));
                    }
                }
            }
        }
    }
    unexplained.sort_by(|a, b| a.worst.cmp(&b.worst).then_with(|| a.name.cmp(&b.name)));
    v.unexplained = unexplained;
    for c in &catalog.categories {
        let (mut tests, _, results) = by_category.remove(&c.id).unwrap_or_default();
        tests.sort_by(|a, b| a.worst.cmp(&b.worst).then_with(|| a.name.cmp(&b.name)));
        v.categories.push(CategoryCard {
            id: c.id.clone(),
            title: c.title.clone(),
            what: c.what.trim().to_string(),
            impact: c.impact.trim().to_string(),
            workaround: c.workaround.trim().to_string(),
            links: c.links.clone(),
            doc_section: c.doc_section.clone(),
            tests,
            results,
        });
    }
    // Summary documents: the sample's, or those found beside the results.
    if sample {
        v.docs.push(DocSource::Sample);
    }
    for r in &corpus.releases {
        if let Some(p) = &r.caveat_doc {
            let s = DocSource::File(p.clone());
            if !v.docs.contains(&s) {
                v.docs.push(s);
            }
        }
    }
    v
}

/// "Apply to 2 of 7 releases: …" in one line.
fn scope_sentence(v: &CaveatsData, total: usize) -> String {
    let list = |why: Why| -> Vec<&str> {
        v.scope
            .iter()
            .filter(|r| r.why == why)
            .map(|r| r.label.as_str())
            .collect()
    };
    let short = |labels: Vec<&str>| -> String {
        if labels.len() <= 3 {
            labels.join(", ")
        } else {
            format!("{} and {} more", labels[..2].join(", "), labels.len() - 2)
        }
    };
    let markers = v
        .markers
        .iter()
        .map(|m| format!("“{m}”"))
        .collect::<Vec<_>>()
        .join(" or ");
    if v.columns.is_empty() {
        return format!(
            "The {} caveats apply to none of the {}: no Kubernetes version carries {} and no \
             PRODUCT.yaml names the platform, so every result counts as it is. You can turn \
             them on for a release below or from its menu in the list (right click).",
            v.profile,
            verdict::plural(total, "loaded release", "loaded releases"),
            if markers.is_empty() {
                "a marker".to_string()
            } else {
                markers.clone()
            }
        );
    }
    let mut groups = Vec::new();
    let by_version = list(Why::Version);
    if !by_version.is_empty() {
        groups.push(format!(
            "{} (Kubernetes version carries {markers})",
            short(by_version)
        ));
    }
    let by_product = list(Why::Product);
    if !by_product.is_empty() {
        groups.push(format!("{} (named in PRODUCT.yaml)", short(by_product)));
    }
    let by_user = list(Why::User);
    if !by_user.is_empty() {
        groups.push(format!("{} (turned on by you)", short(by_user)));
    }
    let rest = if v.columns.len() < total {
        " Other releases' results count as they are."
    } else {
        ""
    };
    format!(
        "The {} caveats apply to {} of {}: {}.{rest}",
        v.profile,
        v.columns.len(),
        verdict::plural(total, "release", "releases"),
        groups.join("; ")
    )
}

/// A status chip per release the profile applies to.
fn outcome_chips(ui: &mut Ui, v: &CaveatsData, row: &TestRow) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for ((_, short), outcome) in v.columns.iter().zip(&row.outcomes) {
            match outcome {
                Some(chip) if chip.required => {
                    let o = chip.outcome;
                    let color = style::status_color(ui, o.status());
                    match &chip.renamed {
                        Some(name) => {
                            style::badge(ui, &format!("{short}: {} (renamed)", o.detail()), color)
                                .on_hover_text(format!("Named here: {name}"));
                        }
                        None => {
                            style::badge(ui, &format!("{short}: {}", o.detail()), color);
                        }
                    }
                }
                Some(chip) => {
                    let color = style::muted(ui);
                    style::badge(ui, &format!("{short}: not required"), color).on_hover_text(
                        format!(
                            "Not a required test in this release ({})",
                            chip.outcome.detail()
                        ),
                    );
                }
                None => {
                    let color = style::muted(ui);
                    style::badge(ui, &format!("{short}: not listed"), color)
                        .on_hover_text("This release's results do not list the test");
                }
            }
        }
    });
}

/// The test's name as a link that shows it in the Tests tab.
fn test_link(ui: &mut Ui, row: &TestRow, actions: &mut Vec<Command>) {
    let response = ui
        .add(egui::Link::new(RichText::new(&row.name).size(14.5)))
        .on_hover_text("Show this test in the Tests tab");
    if response.clicked() {
        actions.push(Command::SelectRelease {
            index: row.first.release,
            mode: SelectMode::Only,
        });
        actions.push(Command::SetTab(Tab::Tests));
        actions.push(Command::SelectTest(Some(row.first)));
    }
}

fn more_rows(ui: &mut Ui, shown: usize, total: usize) {
    if total > shown {
        ui.label(
            RichText::new(format!(
                "… and {} more; the Tests tab lists them all.",
                total - shown
            ))
            .weak(),
        );
    }
}

fn unexplained_ui(ui: &mut Ui, v: &CaveatsData, actions: &mut Vec<Command>) {
    let red = style::failed(ui);
    if v.columns.is_empty() {
        return;
    }
    if v.unexplained.is_empty() {
        Frame::group(ui.style())
            .stroke(Stroke::new(1.0, style::passed(ui).gamma_multiply(0.7)))
            .inner_margin(Margin::same(10))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    style::icon(ui, style::Icon::Check, 18.0, style::passed(ui));
                    ui.label(
                        RichText::new(
                            "Nothing unexplained: a caveat explains every required test that did \
                             not pass in these releases.",
                        )
                        .strong(),
                    );
                });
            });
        return;
    }
    Frame::group(ui.style())
        .fill(red.gamma_multiply(if ui.visuals().dark_mode { 0.12 } else { 0.07 }))
        .stroke(Stroke::new(1.5, red))
        .inner_margin(Margin::same(10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                style::icon(ui, style::Icon::Warning, 20.0, red);
                ui.label(RichText::new("Unexplained").size(19.0).strong().color(red));
                ui.label(
                    RichText::new(format!(
                        "{} · {} in all",
                        verdict::plural(v.unexplained.len(), "test", "tests"),
                        verdict::plural(v.unexplained_results as usize, "result", "results")
                    ))
                    .color(red),
                );
            });
            ui.label(
                "Required tests that did not pass and that no caveat category explains. \
                 These decide the verdict: look at them first.",
            );
            ui.add_space(6.0);
            for row in v.unexplained.iter().take(MAX_ROWS) {
                ui.separator();
                test_link(ui, row, actions);
                outcome_chips(ui, v, row);
                match &row.note {
                    Some(note) => {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("Catalog note: {note}")).small(),
                            )
                            .wrap(),
                        );
                    }
                    None => {
                        ui.label(
                            RichText::new("No catalog rule or note mentions this test.")
                                .small()
                                .weak(),
                        );
                    }
                }
            }
            more_rows(ui, v.unexplained.len().min(MAX_ROWS), v.unexplained.len());
        });
    if v.outside_results > 0 {
        ui.label(
            RichText::new(format!(
                "Not listed here: {} in {} the {} caveats do not apply to (see the Overview).",
                verdict::plural(
                    v.outside_results as usize,
                    "non-passing required test",
                    "non-passing required tests"
                ),
                verdict::plural(v.outside_releases, "release", "releases"),
                v.profile
            ))
            .small()
            .weak(),
        );
    }
}

/// Colours of the categories, in catalog order; red stays for unexplained.
fn category_color(ui: &Ui, i: usize) -> Color32 {
    const DARK: [Color32; 6] = [
        Color32::from_rgb(116, 143, 252),
        Color32::from_rgb(56, 190, 201),
        Color32::from_rgb(204, 93, 232),
        Color32::from_rgb(148, 216, 45),
        Color32::from_rgb(232, 160, 100),
        Color32::from_rgb(173, 181, 189),
    ];
    const LIGHT: [Color32; 6] = [
        Color32::from_rgb(59, 91, 219),
        Color32::from_rgb(12, 133, 153),
        Color32::from_rgb(156, 54, 181),
        Color32::from_rgb(116, 143, 40),
        Color32::from_rgb(166, 110, 60),
        Color32::from_rgb(73, 80, 87),
    ];
    let set = if ui.visuals().dark_mode { DARK } else { LIGHT };
    set[i % set.len()]
}

/// A small square of colour, for legends (drawn: the fonts lack "■").
fn swatch(ui: &mut Ui, color: Color32, size: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

/// A swatch and its name as one piece, so a wrapping line never splits
/// them.
fn legend_item(ui: &mut Ui, color: Color32, text: &str) {
    let galley = egui::WidgetText::from(RichText::new(text).small()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Small,
    );
    let square = 10.0;
    let size = egui::vec2(square + 5.0 + galley.size().x, galley.size().y.max(square));
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
    if ui.is_rect_visible(rect) {
        let swatch = egui::Rect::from_center_size(
            egui::pos2(rect.left() + square / 2.0, rect.center().y),
            egui::vec2(square, square),
        );
        ui.painter().rect_filled(swatch, 2.0, color);
        let pos = egui::pos2(
            rect.left() + square + 5.0,
            rect.center().y - galley.size().y / 2.0,
        );
        ui.painter().galley(pos, galley, ui.visuals().text_color());
    }
}

/// Releases the caveats chart shows side by side before it keeps only those
/// with non-passing required tests.
const MAX_CHART_BARS: usize = 40;

fn chart_ui(ui: &mut Ui, v: &CaveatsData, actions: &mut Vec<Command>) {
    let data = &v.chart;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(ChartKind::Caveats.title()).strong());
        ui.add_space(8.0);
        export_dialog::chart_buttons(ui, ChartKind::Caveats, false, actions);
    });
    ui.horizontal_wrapped(|ui| {
        for (i, c) in data.categories.iter().enumerate() {
            legend_item(ui, category_color(ui, i), &c.title);
        }
        legend_item(ui, style::failed(ui), "unexplained");
        if data.releases.iter().any(|r| r.known_defects > 0) {
            legend_item(ui, style::known_defect(ui), "known defect");
        }
    });
    // Past what can carry a label, only the releases with something to
    // show are charted (with the CNCF tree: 1 of 1,123).
    // Every non-passing required test once: the bar adds up to them.
    let total = |r: &crate::export::ChartRelease| {
        r.caveats.iter().sum::<u64>() + r.unexplained + r.known_defects
    };
    let shown: Vec<usize> = if data.releases.len() > MAX_CHART_BARS {
        (0..data.releases.len())
            .filter(|&i| total(&data.releases[i]) > 0)
            .collect()
    } else {
        (0..data.releases.len()).collect()
    };
    if shown.is_empty() && !data.releases.is_empty() {
        ui.label(
            RichText::new(format!(
                "None of the {} releases has a non-passing required test: nothing to chart.",
                data.releases.len()
            ))
            .weak(),
        );
        return;
    }
    if shown.len() < data.releases.len() {
        ui.label(
            RichText::new(format!(
                "Charting the {} of {} releases with non-passing required tests; the others have none.",
                shown.len(),
                data.releases.len()
            ))
            .weak()
            .small(),
        );
    }
    let picked: Vec<&crate::export::ChartRelease> =
        shown.iter().filter_map(|&i| data.releases.get(i)).collect();
    let n = picked.len();
    let mut charts: Vec<BarChart> = Vec::new();
    let mut series: Vec<(String, Color32, Vec<f64>)> = data
        .categories
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            (
                c.title.clone(),
                category_color(ui, ci),
                picked
                    .iter()
                    .map(|r| r.caveats.get(ci).copied().unwrap_or(0) as f64)
                    .collect(),
            )
        })
        .collect();
    // Unexplained at the bottom, known defects above it, then the caveats.
    series.insert(
        0,
        (
            "known defect".to_string(),
            style::known_defect(ui),
            picked.iter().map(|r| r.known_defects as f64).collect(),
        ),
    );
    series.insert(
        0,
        (
            "unexplained".to_string(),
            style::failed(ui),
            picked.iter().map(|r| r.unexplained as f64).collect(),
        ),
    );
    let max = picked.iter().map(|r| total(r)).max().unwrap_or(0);
    for (name, color, values) in series {
        let bars: Vec<Bar> = values
            .iter()
            .enumerate()
            .map(|(x, &h)| {
                Bar::new(x as f64, h)
                    .width(0.6)
                    .fill(color.gamma_multiply(0.85))
                    .stroke(Stroke::new(1.0, color))
            })
            .collect();
        let below: Vec<&BarChart> = charts.iter().collect();
        // Hover is the chart's own (see below): a tooltip with a background.
        let chart = BarChart::new(name, bars)
            .color(color)
            .allow_hover(false)
            .stack_on(&below);
        charts.push(chart);
    }
    let labels: Vec<String> = shown
        .iter()
        .filter_map(|&i| v.short_labels.get(i).cloned())
        .collect();
    let y_top = (max.max(4) as f64) * 1.1;
    let response = super::overview::fixed_release_plot("cv-caveats-chart", 200.0, n, y_top)
        .custom_x_axes(vec![
            AxisHints::new_x()
                // One label per bar, each cut to its bar's width: shown even
                // where egui_plot would thin labels closer than 60 points.
                .label_spacing(super::overview::RELEASE_LABEL_SPACING)
                .formatter(move |mark, _| {
                    let r = mark.value.round();
                    if (mark.value - r).abs() > 1e-6 || r < 0.0 {
                        return String::new();
                    }
                    labels
                        .get(r as usize)
                        .map(|s| crate::labels::cut_middle(s, 16))
                        .unwrap_or_default()
                }),
        ])
        .custom_y_axes(vec![AxisHints::new_y().label("tests").min_thickness(52.0)])
        .show_grid([false, true])
        .label_formatter(|_| None)
        .show(ui, |plot| {
            for c in charts {
                plot.bar_chart(c);
            }
        });
    // One hover area per release, from the axis to the top: a tooltip with
    // a background beside the pointer, and a labelled node for AccessKit.
    let t = response.transform;
    let items = picked.iter().enumerate().map(|(x, r)| {
        let top = t.position_from_point(&PlotPoint::new(x as f64 - 0.3, y_top));
        let bottom = t.position_from_point(&PlotPoint::new(x as f64 + 0.3, 0.0));
        let mut tip = r.label.clone();
        for (c, &k) in data.categories.iter().zip(&r.caveats) {
            if k > 0 {
                tip.push_str(&format!("\n{}: {k}", c.title));
            }
        }
        if r.known_defects > 0 {
            tip.push_str(&format!("\nknown defects: {}", r.known_defects));
        }
        tip.push_str(&format!("\nunexplained: {}", r.unexplained));
        (egui::Rect::from_two_pos(top, bottom), r.label.clone(), tip)
    });
    super::overview::mark_items(ui, "cv-caveats-bar", &response.response, items);
}

fn card_ui(
    ui: &mut Ui,
    v: &CaveatsData,
    card: &CategoryCard,
    doc_headings: &[String],
    actions: &mut Vec<Command>,
) -> egui::Rect {
    let index = v
        .chart
        .categories
        .iter()
        .position(|c| c.id == card.id)
        .unwrap_or(0);
    let color = category_color(ui, index);
    let shown = Frame::group(ui.style())
        .inner_margin(Margin::same(12))
        .corner_radius(8)
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.6)))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                swatch(ui, color, 14.0);
                ui.label(RichText::new(&card.title).size(18.0).strong());
                ui.label(RichText::new(&card.id).monospace().weak());
                let text = if card.tests.is_empty() {
                    "nothing in these releases".to_string()
                } else {
                    format!(
                        "{} · {}",
                        verdict::plural(card.tests.len(), "test", "tests"),
                        verdict::plural(card.results as usize, "result", "results")
                    )
                };
                style::badge(ui, &text, color);
            });
            ui.add_space(4.0);
            for (title, text) in [
                ("What it is", &card.what),
                ("Impact", &card.impact),
                ("Workaround", &card.workaround),
            ] {
                if text.is_empty() {
                    continue;
                }
                ui.label(RichText::new(title).strong());
                ui.add(egui::Label::new(text.as_str()).wrap());
                ui.add_space(3.0);
            }
            ui.horizontal_wrapped(|ui| {
                for link in &card.links {
                    let title = if link.title.trim().is_empty() {
                        link.url.as_str()
                    } else {
                        link.title.as_str()
                    };
                    if is_web_url(&link.url) {
                        if ui.button(title).on_hover_text(&link.url).clicked() {
                            open_web_url(ui.ctx(), &link.url);
                        }
                    } else {
                        ui.add_enabled(false, egui::Button::new(title))
                            .on_disabled_hover_text(format!(
                                "Not opened: {} is not an http or https link",
                                link.url
                            ));
                    }
                }
                if let Some(section) = &card.doc_section
                    && doc_headings.iter().any(|h| same_heading(h, section))
                    && ui
                        .link("Read in the summary document")
                        .on_hover_text(format!("Show the section “{section}”"))
                        .clicked()
                {
                    actions.push(Command::Caveats(CaveatAction::ShowDocSection(
                        section.clone(),
                    )));
                }
            });
            if card.tests.is_empty() {
                return;
            }
            ui.add_space(4.0);
            egui::CollapsingHeader::new(
                RichText::new(format!("Tests it covers ({})", card.tests.len())).strong(),
            )
            .id_salt(("cv-card-tests", &card.id))
            .default_open(true)
            .show(ui, |ui| {
                for row in card.tests.iter().take(MAX_ROWS) {
                    ui.separator();
                    test_link(ui, row, actions);
                    outcome_chips(ui, v, row);
                    for (rule, reason) in &row.rules {
                        ui.horizontal_wrapped(|ui| {
                            ui.spacing_mut().item_spacing.x = 4.0;
                            ui.label(RichText::new("rule").small().weak());
                            ui.label(RichText::new(rule).monospace().small());
                            ui.add(egui::Label::new(RichText::new(reason).small()).wrap());
                        });
                    }
                }
                more_rows(ui, card.tests.len().min(MAX_ROWS), card.tests.len());
            });
        });
    shown.response.rect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_open() {
        assert!(is_web_url("https://example.com/x"));
        assert!(is_web_url(" HTTP://example.com"));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("./known-test-failures.md"));
    }

    #[test]
    fn the_profile_name_is_shortened() {
        let c = Catalog::builtin();
        assert_eq!(profile_short_name(&c), "vSphere Supervisor");
    }
}

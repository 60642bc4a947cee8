//! The window's one application state: what is open, what is selected, the
//! caveat catalog and scope, the conformance lists, the settings with this
//! session's command-line overrides, the notifications, and the analysis
//! derived from all of them (each release's verdict and figures, the inputs
//! of an export).
//!
//! Views read this state and draw it; they never change it. Every change
//! goes through a [`super::commands::Command`] applied in one place, and
//! background answers (loads, catalog files, conformance lists, the derived
//! analysis) come in through the [`super::jobs`] runner.
//!
//! Where the window's verdicts come from: [`AppState::infos`] holds one
//! [`ReleaseInfo`] per release, made by [`super::verdict::release_infos`]
//! (which calls [`crate::analysis::assess`], the function behind
//! `summary --json`) whenever the data, the catalog or the scope change.
//! Loads and merges make them on their worker thread with the new data;
//! a catalog or scope change remakes them here when the data is small and
//! by a job when it is large, the old figures staying on screen meanwhile.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::export_dialog::ExportInputs;
use super::jobs::{JobKind, Jobs, Slot};
use super::lists::ListsModel;
use super::notifications::{Level, Notifications};
use super::settings::Settings;
use super::tests_view::RowRef;
use super::verdict::{self, ReleaseInfo};
use crate::analysis::Scope;
use crate::caveats::Catalog;
use crate::ingest::Limits;
use crate::lines::Lines;
use crate::model::{Corpus, TestCase};

/// Above this many specs in all, the per-release figures for a new catalog
/// or scope are made by a job instead of within the frame.
pub const BACKGROUND_ANALYSIS_SPECS: usize = 200_000;

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

/// Options given on the command line. They hold for this session only and
/// are never written into the saved settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionOptions {
    /// `--conformance-lists`: used instead of the saved folder until the
    /// user picks another one in the menu.
    pub conformance_lists: Option<PathBuf>,
    /// `--caveats`: laid over the built-in catalog instead of the saved
    /// file until the user chooses another one.
    pub caveats: Option<PathBuf>,
    /// `--limit`: the protective limits of every load and log read.
    pub limits: Limits,
}

/// The revision of what the per-release figures are made from: the caveat
/// model's revision (catalog and scope) and the conformance lists'
/// generation.
pub type Revision = (u64, u64);

/// The per-release figures and the inputs they were made from: the data's
/// generation and the [`Revision`].
pub type InfosKey = (u64, Revision);

/// What a job needs to make the per-release figures away from the UI
/// thread: the catalog, scope and conformance lists in use, and their
/// [`Revision`].
#[derive(Clone, Debug)]
pub struct AnalysisInputs {
    /// The caveat catalog in use.
    pub catalog: Arc<Catalog>,
    /// The releases the user turned the profile on for.
    pub scope: Scope,
    /// The conformance lists in use (the built-in ones, or a folder's laid
    /// over them).
    pub lists: Option<Arc<crate::conformance_list::ConformanceLists>>,
    /// What the figures will be for.
    pub revision: Revision,
}

impl AnalysisInputs {
    /// The figures of one release.
    pub fn info(&self, release: &crate::model::Release) -> ReleaseInfo {
        ReleaseInfo::of(release, &self.catalog, &self.scope, self.lists.as_deref())
    }

    /// The figures of every release of `corpus`, on all cores.
    pub fn infos(&self, corpus: &Corpus) -> Vec<ReleaseInfo> {
        verdict::release_infos(corpus, &self.catalog, &self.scope, self.lists.as_deref())
    }
}

/// The caveat catalog in use (the built-in one, with a user's file laid
/// over it) and its scope (the releases the user turned the profile on for).
#[derive(Debug)]
pub struct CaveatModel {
    builtin: Arc<Catalog>,
    catalog: Arc<Catalog>,
    scope: Scope,
    revision: u64,
    /// The user file laid over the built-in catalog, when one is in use.
    file: Option<PathBuf>,
    /// Whether the file in use (or being read) came from the command line.
    from_cli: bool,
    reading: Slot<PathBuf, Result<Catalog, String>>,
}

/// The built-in caveat catalog, parsed once per process: the window's
/// caveat model and the load started before the window (which makes the
/// per-release figures with it) share this one.
pub fn builtin_catalog() -> Arc<Catalog> {
    static BUILTIN: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| Arc::new(Catalog::builtin())).clone()
}

impl Default for CaveatModel {
    fn default() -> Self {
        let builtin = builtin_catalog();
        CaveatModel {
            catalog: builtin.clone(),
            builtin,
            scope: Scope::default(),
            revision: 0,
            file: None,
            from_cli: false,
            reading: Slot::default(),
        }
    }
}

impl CaveatModel {
    /// The catalog in use.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The releases the user turned the profile on for.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Changes whenever the catalog or the scope change.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The user catalog file in use, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Whether the file in use came from `--caveats`.
    pub fn from_cli(&self) -> bool {
        self.from_cli
    }

    /// The catalog file being read, if any.
    pub fn reading(&self) -> Option<&Path> {
        self.reading.running().map(|(p, _)| p.as_path())
    }

    /// Read `path` in the background and lay it over the built-in catalog
    /// once read; `from_cli` says it came from the command line.
    pub fn read_file(&mut self, path: PathBuf, from_cli: bool, jobs: &Jobs) {
        self.from_cli = from_cli;
        let thread_path = path.clone();
        self.reading.start(jobs, JobKind::Catalog, path, move |_| {
            Catalog::with_user_file(Some(&thread_path)).map_err(|e| e.to_string())
        });
    }

    /// Use the built-in catalog alone.
    pub fn use_builtin(&mut self) {
        self.reading.clear();
        self.from_cli = false;
        self.set(self.builtin.clone(), None);
    }

    /// Turn the profile on for the release with `label`, or back off.
    pub fn toggle_scope(&mut self, label: &str) {
        if !self.scope.forced_on.remove(label) {
            self.scope.forced_on.insert(label.to_string());
        }
        self.revision += 1;
    }

    fn set(&mut self, catalog: Arc<Catalog>, file: Option<PathBuf>) {
        self.catalog = catalog;
        self.file = file;
        self.revision += 1;
    }

    /// Take a catalog file that was read; a file that cannot be used is
    /// reported and the built-in catalog used instead.
    pub fn poll(&mut self, notes: &mut Notifications) {
        let Some((path, answer)) = self.reading.poll() else {
            return;
        };
        match answer.and_then(|r| r) {
            Ok(catalog) => self.set(Arc::new(catalog), Some(path)),
            Err(message) => {
                notes.push(
                    Level::Error,
                    path.display().to_string(),
                    vec![
                        message,
                        "The built-in caveat catalog is used instead.".to_string(),
                    ],
                );
                self.set(self.builtin.clone(), None);
            }
        }
    }
}

/// Everything the window knows. Owned by [`super::ViewerApp`]; views get
/// a shared reference.
#[derive(Debug)]
pub struct AppState {
    /// What is remembered between sessions.
    pub settings: Settings,
    /// Command-line options for this session.
    pub session: SessionOptions,
    /// The loaded data.
    pub corpus: Arc<Corpus>,
    /// Changes each time other data is shown; views key their caches on it.
    pub generation: u64,
    /// Where the data came from.
    pub source: Source,
    /// Indices of the selected releases, ascending.
    pub selection: Vec<usize>,
    /// The release a Shift-click range starts from.
    pub anchor: Option<usize>,
    /// The test shown in the detail pane, in the data of `generation`.
    pub selected_test: Option<RowRef>,
    /// The caveat catalog and scope.
    pub caveats: CaveatModel,
    /// The conformance lists.
    pub lists: ListsModel,
    /// Messages on screen.
    pub notes: Notifications,
    /// "N releases read in S s", after a load.
    pub last_load: Option<String>,
    /// Whether the user chose the selection (a click, a key, All); after a
    /// load it is chosen for them, and the charts show every release.
    pub user_selected: bool,
    /// The product line the list and charts are narrowed to (a line key).
    pub line_filter: Option<String>,
    /// Lines folded in the grouped release list (line keys).
    pub collapsed_lines: HashSet<String>,
    /// Lines hidden from the Overview's charts by their legend (line keys).
    pub hidden_lines: HashSet<String>,
    /// The product lines of the data, after the user's renames.
    lines: Lines,
    lines_key: (u64, u64, u64),
    /// Changes when the user renames a line.
    pub renames_revision: u64,
    /// The check of each known defect's fix: `(release, test)` → what the
    /// line's later releases say.
    fix_checks: std::collections::HashMap<(usize, usize), crate::defects::FixCheck>,
    fixes_key: (u64, u64, u64, u64),
    /// One entry per release, in corpus order: the verdict and figures.
    infos: Vec<ReleaseInfo>,
    infos_key: InfosKey,
    analysis: Slot<InfosKey, Vec<ReleaseInfo>>,
}

impl AppState {
    /// Nothing open, with these settings and session options.
    pub fn new(settings: Settings, session: SessionOptions) -> AppState {
        AppState {
            settings,
            session,
            corpus: Arc::default(),
            generation: 0,
            source: Source::Empty,
            selection: Vec::new(),
            anchor: None,
            selected_test: None,
            caveats: CaveatModel::default(),
            lists: ListsModel::default(),
            notes: Notifications::default(),
            last_load: None,
            user_selected: false,
            line_filter: None,
            collapsed_lines: HashSet::new(),
            hidden_lines: HashSet::new(),
            lines: Lines::default(),
            lines_key: (u64::MAX, 0, 0),
            renames_revision: 0,
            fix_checks: Default::default(),
            fixes_key: (u64::MAX, 0, 0, 0),
            infos: Vec::new(),
            infos_key: (0, (0, 0)),
            analysis: Slot::default(),
        }
    }

    /// The per-release figures, in corpus order.
    pub fn infos(&self) -> &[ReleaseInfo] {
        &self.infos
    }

    /// What the figures of [`AppState::infos`] were made for: changes
    /// whenever they are remade.
    pub fn infos_key(&self) -> InfosKey {
        self.infos_key
    }

    /// The product lines of the data on screen.
    pub fn lines(&self) -> &Lines {
        &self.lines
    }

    /// Keep [`AppState::lines`] current with the data, the catalog (its
    /// profile names the Supervisor's line) and the user's renames.
    fn refresh_lines(&mut self) {
        let key = (
            self.generation,
            self.caveats.revision(),
            self.renames_revision,
        );
        if key == self.lines_key && self.lines.of_release.len() == self.corpus.releases.len() {
            return;
        }
        self.lines = Lines::build(
            &self.corpus,
            self.caveats.catalog(),
            &self.settings.line_renames,
        );
        self.lines_key = key;
        if let Some(f) = &self.line_filter
            && !self.lines.lines.iter().any(|l| &l.key == f)
        {
            self.line_filter = None;
        }
    }

    /// What the data says about the documented fix of test `test` of
    /// release `release`, when the vendor's document names it.
    pub fn fix_check(&self, release: usize, test: usize) -> Option<&crate::defects::FixCheck> {
        self.fix_checks.get(&(release, test))
    }

    /// Keep the fix checks current with the data, its lines and the
    /// conformance lists (which follow renames).
    fn refresh_fixes(&mut self) {
        let key = (
            self.generation,
            self.caveats.revision(),
            self.renames_revision,
            self.lists.generation(),
        );
        if key == self.fixes_key {
            return;
        }
        self.fixes_key = key;
        let mut checks = std::collections::HashMap::new();
        // The built-in lists are decoded on first use: not on a frame for
        // data without known defects (the first frame has none).
        let defects = self
            .corpus
            .releases
            .iter()
            .any(|r| !r.known_defects.is_empty());
        let lists = defects.then(|| self.lists.lists().cloned()).flatten();
        for (r, release) in self.corpus.releases.iter().enumerate() {
            for d in &release.known_defects {
                let check =
                    crate::defects::check_fix(&self.corpus, &self.lines, lists.as_deref(), r, d);
                checks.insert((r, d.test), check);
            }
        }
        self.fix_checks = checks;
    }

    /// The releases the list shows, in its order: under their lines (by
    /// name, oldest first) when grouping, else in corpus order; only the
    /// filtered line's; folded lines left out.
    pub fn list_order(&self) -> Vec<usize> {
        let keep = |i: &usize| self.in_line_filter(*i);
        if self.grouped() {
            self.lines
                .lines
                .iter()
                .filter(|l| !self.collapsed_lines.contains(&l.key))
                .flat_map(|l| l.releases.iter().copied())
                .filter(keep)
                .collect()
        } else {
            (0..self.corpus.releases.len()).filter(keep).collect()
        }
    }

    /// Whether release `index` belongs to the line the product filter
    /// picks (every release when it picks none).
    pub fn in_line_filter(&self, index: usize) -> bool {
        match &self.line_filter {
            Some(f) => self.lines.line_of(index).is_some_and(|l| &l.key == f),
            None => true,
        }
    }

    /// Whether the release list shows line headers: grouping is on and
    /// more than one line is listed.
    pub fn grouped(&self) -> bool {
        self.settings.group_by_line && self.line_filter.is_none() && self.lines.lines.len() > 1
    }

    /// The releases the Overview charts: the user's selection when it holds
    /// two or more, else every release (of the filtered line).
    pub fn charted(&self) -> Vec<usize> {
        let in_filter = |i: &usize| self.in_line_filter(*i);
        if self.user_selected && self.selection.len() >= 2 {
            let picked: Vec<usize> = self.selection.iter().copied().filter(in_filter).collect();
            if picked.len() >= 2 {
                return picked;
            }
        }
        (0..self.corpus.releases.len()).filter(in_filter).collect()
    }

    /// Whether the per-release figures are being remade for a new catalog
    /// or scope (the ones shown are for the previous one).
    pub fn analysing(&self) -> bool {
        self.analysis.is_running()
    }

    /// Whether the built-in sample is shown.
    pub fn is_sample(&self) -> bool {
        self.source == Source::Sample
    }

    /// The conformance-lists folder in use: this session's, else the saved one.
    pub fn lists_folder(&self) -> Option<&Path> {
        self.session
            .conformance_lists
            .as_deref()
            .or(self.settings.conformance_lists.as_deref())
    }

    /// The test shown in the detail pane, with its data.
    pub fn selected_test(&self) -> Option<(RowRef, &TestCase)> {
        let row = self.selected_test?;
        let t = self.corpus.releases.get(row.release)?.tests.get(row.test)?;
        Some((row, t))
    }

    /// The catalog revision the current figures must be made for.
    fn wanted_key(&self) -> InfosKey {
        (self.generation, self.revision())
    }

    /// The revision of the catalog, scope and lists in use.
    fn revision(&self) -> Revision {
        (self.caveats.revision(), self.lists.generation())
    }

    /// What a job needs to make the figures of `corpus` away from the UI
    /// thread, with the revision they will be for.
    pub fn analysis_inputs(&self) -> AnalysisInputs {
        AnalysisInputs {
            catalog: self.caveats.catalog.clone(),
            scope: self.caveats.scope.clone(),
            lists: self.lists.lists().cloned(),
            revision: self.revision(),
        }
    }

    /// Show `corpus`, whose figures `infos` were made for catalog revision
    /// `revision` (`None`: make them now). `keep` are labels of releases to
    /// keep selected. The data shown before is freed by a job.
    pub fn install(
        &mut self,
        corpus: Arc<Corpus>,
        infos: Option<(Revision, Vec<ReleaseInfo>)>,
        source: Source,
        keep: &[String],
        jobs: &Jobs,
    ) {
        let old = std::mem::replace(&mut self.corpus, corpus);
        if !old.releases.is_empty() {
            jobs.drop_later(old);
        }
        self.generation += 1;
        self.selected_test = None;
        self.analysis.clear();
        match infos {
            Some((revision, infos)) if infos.len() == self.corpus.releases.len() => {
                let old = std::mem::replace(&mut self.infos, infos);
                if !old.is_empty() {
                    jobs.drop_later(old);
                }
                self.infos_key = (self.generation, revision);
                // A catalog that changed while the job ran is caught up with
                // by the next refresh.
            }
            _ => self.remake_infos_here(),
        }
        let keep: HashSet<&str> = keep.iter().map(String::as_str).collect();
        self.selection = self
            .infos
            .iter()
            .enumerate()
            .filter(|(_, i)| keep.contains(i.label.as_str()))
            .map(|(n, _)| n)
            .collect();
        if self.selection.is_empty() {
            self.selection = default_selection(&self.infos);
        }
        self.anchor = self.selection.first().copied();
        self.user_selected = false;
        self.refresh_lines();
        self.refresh_fixes();
        if let Source::Paths(p) = &source {
            self.settings.last_paths = p.clone();
            self.settings.last_was_sample = false;
        }
        self.source = source;
    }

    fn remake_infos_here(&mut self) {
        self.infos = self.analysis_inputs().infos(&self.corpus);
        self.infos_key = self.wanted_key();
    }

    /// Keep the per-release figures current: take a finished job's figures,
    /// and when the catalog or scope changed, remake them (here for small
    /// data, by a job for large). Call once per frame and after commands.
    pub fn refresh_infos(&mut self, jobs: &Jobs) {
        if let Some((key, answer)) = self.analysis.poll() {
            match answer {
                Ok(infos) if key.0 == self.generation && infos.len() == self.infos.len() => {
                    let old = std::mem::replace(&mut self.infos, infos);
                    jobs.drop_later(old);
                    self.infos_key = key;
                }
                Ok(_) => {}
                Err(message) => {
                    self.notes
                        .push(Level::Error, "Cannot update the verdicts", vec![message]);
                    // Do it here rather than show stale verdicts.
                    self.remake_infos_here();
                }
            }
        }
        self.refresh_lines();
        self.refresh_fixes();
        let wanted = self.wanted_key();
        if self.infos_key == wanted && self.infos.len() == self.corpus.releases.len() {
            return;
        }
        if self.analysis.runs(&wanted) {
            return;
        }
        let specs: usize = self.corpus.releases.iter().map(|r| r.tests.len()).sum();
        // Figures for other data are never shown: those are made here.
        if specs <= BACKGROUND_ANALYSIS_SPECS || self.infos.len() != self.corpus.releases.len() {
            self.analysis.clear();
            self.remake_infos_here();
            return;
        }
        let corpus = self.corpus.clone();
        let inputs = self.analysis_inputs();
        self.analysis
            .start(jobs, JobKind::Analysis, wanted, move |_| {
                inputs.infos(&corpus)
            });
    }

    /// Labels of the selected releases.
    pub fn selected_labels(&self) -> Vec<String> {
        self.selection
            .iter()
            .filter_map(|&i| self.infos.get(i).map(|i| i.label.clone()))
            .collect()
    }

    /// The paths open, when folders or tarballs are.
    pub fn open_paths(&self) -> &[PathBuf] {
        match &self.source {
            Source::Paths(p) => p,
            _ => &[],
        }
    }

    /// What an export needs: shared pointers, and a copy of the
    /// assessments (gathered once per export).
    pub fn export_inputs(&self) -> ExportInputs {
        ExportInputs {
            corpus: self.corpus.clone(),
            catalog: self.caveats.catalog.clone(),
            scope: self.caveats.scope.clone(),
            roots: self.open_paths().to_vec(),
            lines: self.lines.clone(),
            lists: self.lists.lists().cloned(),
            assessments: Arc::new(self.infos.iter().map(|i| i.assessment.clone()).collect()),
        }
    }
}

/// The releases selected after a load: the ones that are not conformant,
/// else the last.
fn default_selection(infos: &[ReleaseInfo]) -> Vec<usize> {
    let failing = verdict::not_conformant(infos);
    if !failing.is_empty() {
        return failing;
    }
    infos.len().checked_sub(1).into_iter().collect()
}

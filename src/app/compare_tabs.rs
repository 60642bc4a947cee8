//! The tabs that compare releases: the history matrix ([`matrix`]), the
//! diff of two releases ([`diff_view`]) and the certification pre-check
//! ([`check_view`]), with the conformance lists they share ([`lists`]).
//!
//! Each view keeps what it computed ([`jobs::Computed`]) and remakes it only
//! when the corpus, the lists, the caveat catalog or its own choices change.
//!
//! [`matrix`]: super::matrix
//! [`diff_view`]: super::diff_view
//! [`check_view`]: super::check_view
//! [`lists`]: super::lists
//! [`jobs::Computed`]: super::jobs::Computed

use std::path::PathBuf;
use std::sync::Arc;

use egui::{RichText, Ui};

use super::Action;
use super::check_view::CheckView;
use super::detail::DetailView;
use super::diff_view::DiffView;
use super::jobs::Place;
use super::lists::ListsState;
use super::matrix::MatrixView;
use super::notifications::Notifications;
use super::settings::Tab;
use super::tests_view::RowRef;
use crate::analysis::Scope;
use crate::caveats::Catalog;
use crate::conformance_list::ConformanceLists;
use crate::model::Corpus;

/// Above this many tests in the releases involved, work runs on a
/// background thread (with a spinner) instead of within the frame.
pub const INLINE_TESTS: usize = 40_000;

/// Where to make a value from `tests` tests.
pub fn place_for(tests: usize) -> Place {
    if tests <= INLINE_TESTS {
        Place::Here
    } else {
        Place::Background
    }
}

/// The caveat catalog and scope the app explains results with.
#[derive(Clone, Copy, Debug)]
pub struct Caveats<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Which releases the profile is forced on for.
    pub scope: &'a Scope,
}

/// What the compare tabs read from the app for one frame.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The loaded data.
    pub corpus: &'a Arc<Corpus>,
    /// Changes with every load.
    pub generation: u64,
    /// Selected releases, ascending.
    pub selection: &'a [usize],
    /// The catalog and scope, when the app has them.
    pub caveats: Option<Caveats<'a>>,
    /// The test in the detail pane.
    pub selected_test: Option<RowRef>,
    /// For repaints from background threads.
    pub ctx: Option<&'a egui::Context>,
}

/// State of the compare tabs.
#[derive(Debug, Default)]
pub struct CompareTabs {
    lists: ListsState,
    matrix: MatrixView,
    diff: DiffView,
    check: CheckView,
    caveats_key: CaveatsKey,
}

/// Tells when the catalog or scope changed, without keeping a reference.
#[derive(Debug, Default)]
struct CaveatsKey {
    last: Option<(Catalog, Vec<String>)>,
    generation: u64,
}

impl CaveatsKey {
    fn update(&mut self, caveats: Option<Caveats<'_>>) -> u64 {
        let now = caveats.map(|c| {
            let mut forced: Vec<String> = c.scope.forced_on.iter().cloned().collect();
            forced.sort();
            (c.catalog, forced)
        });
        let same = match (&self.last, &now) {
            (None, None) => true,
            (Some((cat, forced)), Some((c, f))) => cat == *c && forced == f,
            _ => false,
        };
        if !same {
            self.last = now.map(|(c, f)| (c.clone(), f));
            self.generation += 1;
        }
        self.generation
    }
}

impl CompareTabs {
    /// The conformance lists.
    pub fn lists(&self) -> &ListsState {
        &self.lists
    }

    /// The history matrix.
    pub fn matrix(&self) -> &MatrixView {
        &self.matrix
    }

    /// The history matrix, to change its filters.
    pub fn matrix_mut(&mut self) -> &mut MatrixView {
        &mut self.matrix
    }

    /// The diff view.
    pub fn diff(&self) -> &DiffView {
        &self.diff
    }

    /// The diff view, to pick releases.
    pub fn diff_mut(&mut self) -> &mut DiffView {
        &mut self.diff
    }

    /// The pre-check view.
    pub fn check(&self) -> &CheckView {
        &self.check
    }

    /// Follow the conformance-lists setting and take finished background
    /// work. Call once per frame, whatever the tab.
    pub fn poll(
        &mut self,
        lists_setting: Option<&std::path::Path>,
        ctx: Option<&egui::Context>,
        notes: &mut Notifications,
    ) {
        self.lists.sync(lists_setting, ctx, notes);
        self.matrix.poll();
        self.diff.poll();
        self.check.poll();
    }

    /// The View menu's entry for the conformance lists folder.
    pub fn lists_menu(&mut self, ui: &mut Ui, setting: &mut Option<PathBuf>) {
        ui.menu_button("Conformance lists", |ui| self.lists.menu_ui(ui, setting));
    }

    /// Draw one of the compare tabs, with the detail pane on the right when
    /// a test is selected.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tab: Tab,
        inputs: Inputs<'_>,
        detail: &DetailView,
        detail_width: &mut f32,
        actions: &mut Vec<Action>,
    ) {
        let caveats_generation = self.caveats_key.update(inputs.caveats);
        let lists = Lists {
            lists: self.lists.lists(),
            generation: self.lists.generation(),
        };
        let shared = Shared {
            inputs,
            lists,
            caveats_generation,
        };
        if inputs.selected_test.is_some() {
            let max = (ui.available_width() * 0.6).max(260.0);
            let panel = egui::Panel::right("cv-compare-detail")
                .resizable(true)
                .default_size(*detail_width)
                .size_range(260.0..=max)
                .show(ui, |ui| {
                    detail.ui(ui, inputs.corpus, inputs.generation, actions);
                });
            *detail_width = panel.response.rect.width();
        }
        let lists_line = self.lists.summary();
        egui::CentralPanel::no_frame().show(ui, |ui| match tab {
            Tab::Diff => self.diff.ui(ui, &shared, &lists_line, actions),
            Tab::Check => self.check.ui(ui, &shared, &lists_line, actions),
            _ => self.matrix.ui(ui, &shared, &lists_line, actions),
        });
    }
}

/// The conformance lists as the views see them.
#[derive(Clone, Copy)]
pub struct Lists<'a> {
    /// The lists, when read.
    pub lists: Option<&'a Arc<ConformanceLists>>,
    /// Changes when other lists come into use.
    pub generation: u64,
}

/// Everything a compare view reads for one frame.
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    /// From the app.
    pub inputs: Inputs<'a>,
    /// The conformance lists.
    pub lists: Lists<'a>,
    /// Changes when the catalog or scope changes.
    pub caveats_generation: u64,
}

/// A weak line under a view's toolbar saying how tests are matched.
pub fn lists_note(ui: &mut Ui, line: &str) {
    ui.label(RichText::new(line).small().weak())
        .on_hover_text("Set the folder in View › Conformance lists");
}

/// The caveat category of a test in a release, as `title (id)`, when the
/// app has a catalog whose profile applies to the release.
pub fn category_of(
    caveats: Option<Caveats<'_>>,
    release: &crate::model::Release,
    test: &crate::model::TestCase,
) -> Option<String> {
    let c = caveats?;
    let applies = crate::analysis::profile_applies(release, c.catalog, c.scope);
    let id = crate::analysis::explain(test, c.catalog, applies).category?;
    Some(category_title(Some(c), &id))
}

/// The title of a category id, falling back to the id.
pub fn category_title(caveats: Option<Caveats<'_>>, id: &str) -> String {
    caveats
        .and_then(|c| c.catalog.category(id))
        .map(|cat| cat.title.clone())
        .unwrap_or_else(|| id.to_string())
}

//! The tabs that compare releases: the history matrix ([`matrix`]), the
//! diff of two releases ([`diff`]) and the certification pre-check
//! ([`check`]). What they read each frame is [`shared::Shared`]; the
//! conformance lists they match tests with are app state
//! ([`super::lists::ListsModel`]).
//!
//! Each view keeps what it computed ([`Computed`]) and remakes it only when
//! the corpus, the lists, the caveat catalog or its own choices change.
//!
//! [`Computed`]: super::jobs::Computed

pub mod check;
pub mod diff;
pub mod matrix;
pub mod shared;

use egui::Ui;

use super::commands::{Command, Panel};
use super::detail::DetailView;
use super::settings::Tab;
use super::state::AppState;
use check::CheckView;
use diff::DiffView;
use matrix::MatrixView;
pub use shared::{Caveats, INLINE_TESTS, Inputs, Lists, Shared, place_for};

/// State of the compare tabs.
#[derive(Debug, Default)]
pub struct CompareTabs {
    matrix: MatrixView,
    diff: DiffView,
    check: CheckView,
}

/// Accessors for tests and benchmarks (the `testing` feature).
#[cfg(any(test, feature = "testing"))]
impl CompareTabs {
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
}

impl CompareTabs {
    /// A keyboard step through the matrix's rows from `selected`.
    pub fn matrix_step(
        &mut self,
        selected: Option<super::tests_view::RowRef>,
        step: super::commands::Step,
    ) -> Option<super::tests_view::RowRef> {
        self.matrix.step(selected, step)
    }

    /// Take finished jobs. Call once per frame, whatever the tab.
    pub fn poll(&mut self) {
        self.matrix.poll();
        self.diff.poll();
        self.check.poll();
    }

    /// Draw one of the compare tabs, with the detail pane on the right when
    /// a test is selected.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        inputs: Inputs<'_>,
        detail: &DetailView,
        actions: &mut Vec<Command>,
    ) {
        let lists = Lists {
            lists: state.lists.lists(),
            generation: state.lists.generation(),
        };
        let shared = Shared {
            inputs,
            lists,
            caveats_generation: state.caveats.revision(),
        };
        if inputs.selected_test.is_some() {
            let panel = egui::Panel::right("cv-compare-detail")
                .frame(super::style::side_panel_frame(ui.style()))
                .resizable(true)
                .default_size(state.settings.detail_width)
                .size_range(super::style::side_pane_range(ui.available_width()))
                .show(ui, |ui| {
                    detail.ui(ui, inputs.corpus, inputs.generation, actions);
                });
            let width = panel.response.rect.width();
            if width != state.settings.detail_width {
                actions.push(Command::SetPanelWidth(Panel::Detail, width));
            }
        }
        let lists_line = state.lists.summary();
        egui::CentralPanel::no_frame().show(ui, |ui| match state.settings.tab {
            Tab::Diff => self.diff.ui(ui, &shared, &lists_line, actions),
            Tab::Check => self.check.ui(ui, &shared, &lists_line, actions),
            _ => self.matrix.ui(ui, &shared, &lists_line, actions),
        });
    }
}

//! The Diff tab: what changed between two releases ([`compare::diff`]),
//! newly failing tests first, then fixed, newly skipped, no longer skipped,
//! added to and removed from the conformance set, and renamed. Each test
//! is a link to the detail pane.
//!
//! The diff is made once per pair of releases (and corpus, lists and
//! catalog), on a background thread when the releases are large. The list
//! is drawn one visible line at a time.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Color32, RichText, Sense, Ui};

use super::shared::{Shared, category_title, lists_note, place_for};
use crate::analysis::Scope;
use crate::app::commands::Command;
use crate::app::jobs::{Computed, JobKind};
use crate::app::style;
use crate::app::tests_view::RowRef;
use crate::caveats::Catalog;
use crate::compare::{self, Diff, DiffEntry, RenamedEntry};
use crate::model::{Release, Status};

/// Height of a line of the list.
const LINE_HEIGHT: f32 = 22.0;

/// The lists of a diff, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Failed in the newer release, not in the older.
    NewlyFailing,
    /// Failed in the older, passed in the newer.
    Fixed,
    /// Ran in the older, not in the newer.
    NewlySkipped,
    /// Did not run in the older, passed in the newer.
    NoLongerSkipped,
    /// Joined the conformance set.
    Added,
    /// Left the conformance set.
    Removed,
    /// Same conformance.yaml testname, new name.
    Renamed,
}

impl Section {
    /// Every section, in display order.
    pub const ALL: [Section; 7] = [
        Section::NewlyFailing,
        Section::Fixed,
        Section::NewlySkipped,
        Section::NoLongerSkipped,
        Section::Added,
        Section::Removed,
        Section::Renamed,
    ];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::NewlyFailing => "Newly failing",
            Section::Fixed => "Fixed",
            Section::NewlySkipped => "Newly skipped",
            Section::NoLongerSkipped => "No longer skipped",
            Section::Added => "Added to conformance",
            Section::Removed => "Removed from conformance",
            Section::Renamed => "Renamed",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Section::NewlyFailing => {
                "Required in both releases; failed in the newer one and not in the older"
            }
            Section::Fixed => "Required in both; failed in the older release, passed in the newer",
            Section::NewlySkipped => "Required in both; ran in the older release, not in the newer",
            Section::NoLongerSkipped => {
                "Required in both; did not run in the older release, passed in the newer"
            }
            Section::Added => {
                "[Conformance] in the newer release; in the older one without the tag, or not at all"
            }
            Section::Removed => {
                "[Conformance] in the older release; in the newer one without the tag, or not at all"
            }
            Section::Renamed => {
                "The same conformance.yaml testname under another name (needs the conformance lists)"
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn color(self, ui: &Ui) -> Color32 {
        match self {
            Section::NewlyFailing => style::failed(ui),
            Section::Fixed | Section::NoLongerSkipped => style::passed(ui),
            Section::NewlySkipped => style::skipped(ui),
            Section::Added | Section::Renamed => style::accent(ui),
            Section::Removed => style::muted(ui),
        }
    }
}

/// A diff and, for each entry, the test the detail pane shows.
#[derive(Debug)]
pub struct DiffData {
    /// The diff.
    pub diff: Diff,
    /// Per section (in [`Section::ALL`] order), per entry.
    refs: [Vec<Option<RowRef>>; 7],
}

impl DiffData {
    fn entries(&self, section: Section) -> &[DiffEntry] {
        let d = &self.diff;
        match section {
            Section::NewlyFailing => &d.newly_failing,
            Section::Fixed => &d.fixed,
            Section::NewlySkipped => &d.newly_skipped,
            Section::NoLongerSkipped => &d.no_longer_skipped,
            Section::Added => &d.added,
            Section::Removed => &d.removed,
            Section::Renamed => &[],
        }
    }

    /// How many entries a section has.
    pub fn count(&self, section: Section) -> usize {
        match section {
            Section::Renamed => self.diff.renamed.len(),
            s => self.entries(s).len(),
        }
    }

    /// The names listed in a section (the newer names for renamed tests).
    pub fn names(&self, section: Section) -> Vec<&str> {
        match section {
            Section::Renamed => self
                .diff
                .renamed
                .iter()
                .map(|r| r.to_name.as_str())
                .collect(),
            s => self.entries(s).iter().map(|e| e.name.as_str()).collect(),
        }
    }
}

/// corpus, lists, caveats generations; from and to release.
type DiffKey = (u64, u64, u64, usize, usize);

/// A line of the list.
#[derive(Clone, Copy, Debug)]
enum Line {
    Heading(Section),
    Entry(Section, usize),
}

/// The Diff tab.
#[derive(Debug)]
pub struct DiffView {
    diff: Computed<DiffKey, DiffData>,
    /// Releases chosen in the combo boxes, for the corpus of `chosen_for`.
    chosen: Option<(usize, usize)>,
    chosen_for: Option<u64>,
    shown: Option<(usize, usize)>,
    open: [bool; 7],
}

impl Default for DiffView {
    fn default() -> Self {
        DiffView {
            diff: Computed::default(),
            chosen: None,
            chosen_for: None,
            shown: None,
            open: [true; 7],
        }
    }
}

impl DiffView {
    /// Take a finished diff from its thread.
    pub fn poll(&mut self) {
        self.diff.poll();
    }

    /// Compare these two releases (indices into the corpus), as the combo
    /// boxes would.
    pub fn choose(&mut self, from: usize, to: usize) {
        self.chosen = Some((from, to));
        self.chosen_for = None;
    }

    /// The releases compared in the last frame.
    pub fn pair(&self) -> Option<(usize, usize)> {
        self.shown
    }

    /// The diff shown, when made.
    pub fn current(&self) -> Option<&DiffData> {
        self.diff.current().map(|d| &**d)
    }

    /// How many diffs were made.
    pub fn builds(&self) -> u64 {
        self.diff.builds()
    }

    /// The pair to compare: the user's choice for this corpus, else the two
    /// newest selected releases, else the two newest releases.
    fn pair_for(&mut self, shared: &Shared<'_>) -> Option<(usize, usize)> {
        let generation = shared.inputs.generation;
        let n = shared.inputs.corpus.releases.len();
        match self.chosen_for {
            None if self.chosen.is_some() => self.chosen_for = Some(generation),
            Some(g) if g != generation => {
                self.chosen = None;
                self.chosen_for = None;
            }
            _ => {}
        }
        if let Some((a, b)) = self.chosen
            && a < n
            && b < n
        {
            return Some((a, b));
        }
        let sel = shared.inputs.selection;
        if sel.len() >= 2 {
            return Some((sel[sel.len() - 2], sel[sel.len() - 1]));
        }
        (n >= 2).then(|| (n - 2, n - 1))
    }

    /// Draw the tab.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shared: &Shared<'_>,
        lists_line: &str,
        actions: &mut Vec<Command>,
    ) {
        let corpus = shared.inputs.corpus;
        let Some((from, to)) = self.pair_for(shared) else {
            self.shown = None;
            self.diff.clear_wanted();
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(
                    RichText::new("Load at least two releases to compare them.")
                        .size(16.0)
                        .weak(),
                );
            });
            return;
        };
        self.shown = Some((from, to));
        self.pickers(ui, shared, from, to);
        lists_note(ui, lists_line);
        ui.separator();

        let key = (
            shared.inputs.generation,
            shared.lists.generation,
            shared.caveats_generation,
            from,
            to,
        );
        let tests = corpus.releases.get(from).map_or(0, |r| r.tests.len())
            + corpus.releases.get(to).map_or(0, |r| r.tests.len());
        self.diff.want(
            key,
            place_for(tests),
            JobKind::Diff,
            shared.inputs.jobs,
            || {
                let corpus = Arc::clone(corpus);
                let lists = shared.lists.lists.cloned();
                let (catalog, scope) = match shared.inputs.caveats {
                    Some(c) => (c.catalog.clone(), c.scope.clone()),
                    None => (Catalog::default(), Scope::default()),
                };
                move || {
                    make_diff(
                        &corpus.releases,
                        from,
                        to,
                        lists.as_deref(),
                        &catalog,
                        &scope,
                    )
                }
            },
        );
        let Some(data) = self.diff.current().cloned() else {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| match self.diff.error() {
                Some(e) => {
                    ui.label(RichText::new(e).color(style::failed(ui)));
                }
                None => {
                    ui.spinner();
                    ui.label("Comparing…");
                }
            });
            return;
        };
        summary(ui, &data);
        ui.separator();
        self.list(ui, &data, shared, actions);
    }

    fn pickers(&mut self, ui: &mut Ui, shared: &Shared<'_>, from: usize, to: usize) {
        let releases = &shared.inputs.corpus.releases;
        let label = |i: usize| releases.get(i).map_or("?", |r| r.label.as_str());
        let mut a = from;
        let mut b = to;
        ui.horizontal_wrapped(|ui| {
            let from_label = ui.label("From");
            egui::ComboBox::from_id_salt("cv-diff-from")
                .selected_text(label(a))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (i, r) in releases.iter().enumerate() {
                        ui.selectable_value(&mut a, i, &r.label);
                    }
                })
                .response
                .labelled_by(from_label.id);
            let to_label = ui.label("to");
            egui::ComboBox::from_id_salt("cv-diff-to")
                .selected_text(label(b))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (i, r) in releases.iter().enumerate() {
                        ui.selectable_value(&mut b, i, &r.label);
                    }
                })
                .response
                .labelled_by(to_label.id);
            if ui
                .button("Swap")
                .on_hover_text("Compare the other way round")
                .clicked()
            {
                std::mem::swap(&mut a, &mut b);
            }
            if self.chosen.is_some()
                && ui
                    .button("Follow the selection")
                    .on_hover_text("Compare the two newest selected releases again")
                    .clicked()
            {
                self.chosen = None;
                self.chosen_for = None;
                return;
            }
            if (a, b) != (from, to) {
                self.chosen = Some((a, b));
                self.chosen_for = Some(shared.inputs.generation);
            }
        });
        if from == to {
            ui.label(
                RichText::new("Both sides are the same release: nothing can differ.")
                    .color(style::skipped(ui)),
            );
        }
    }

    fn list(
        &mut self,
        ui: &mut Ui,
        data: &DiffData,
        shared: &Shared<'_>,
        actions: &mut Vec<Command>,
    ) {
        let mut lines = Vec::new();
        for s in Section::ALL {
            lines.push(Line::Heading(s));
            if !self.open[s.index()] {
                continue;
            }
            lines.extend((0..data.count(s)).map(|i| Line::Entry(s, i)));
        }
        let selected = shared.inputs.selected_test;
        let caveats = shared.inputs.caveats;
        let spacing = ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("cv-diff-scroll")
            .auto_shrink([false, false])
            .show_rows(ui, LINE_HEIGHT - spacing, lines.len(), |ui, range| {
                for line in lines.get(range).unwrap_or_default() {
                    ui.allocate_ui_with_layout(
                        egui::vec2(ui.available_width(), LINE_HEIGHT - spacing),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| match *line {
                            Line::Heading(s) => {
                                let open = &mut self.open[s.index()];
                                let n = data.count(s);
                                // Empty lists are muted and have nothing to open.
                                let color = if n == 0 {
                                    style::muted(ui)
                                } else {
                                    s.color(ui)
                                };
                                triangle(ui, *open && n > 0, color);
                                let text = RichText::new(format!("{} ({n})", s.title()))
                                    .strong()
                                    .size(15.0)
                                    .color(color);
                                if ui
                                    .add(
                                        egui::Label::new(text)
                                            .sense(Sense::click())
                                            .selectable(false),
                                    )
                                    .on_hover_text(s.help())
                                    .clicked()
                                {
                                    *open = !*open;
                                }
                            }
                            Line::Entry(Section::Renamed, i) => {
                                if let Some(r) = data.diff.renamed.get(i) {
                                    let row = data.refs[Section::Renamed.index()]
                                        .get(i)
                                        .copied()
                                        .flatten();
                                    renamed_line(ui, r, row, selected, caveats, actions);
                                }
                            }
                            Line::Entry(s, i) => {
                                if let Some(e) = data.entries(s).get(i) {
                                    let row = data.refs[s.index()].get(i).copied().flatten();
                                    entry_line(ui, e, row, selected, caveats, actions);
                                }
                            }
                        },
                    );
                }
            });
    }
}

fn status_cell(ui: &mut Ui, status: Option<Status>) {
    let text = match status {
        Some(s) => RichText::new(s.as_str()).color(style::status_color(ui, s)),
        None => RichText::new("absent").weak(),
    };
    ui.add_sized([62.0, LINE_HEIGHT - 6.0], egui::Label::new(text.small()));
}

fn statuses(ui: &mut Ui, from: Option<Status>, to: Option<Status>) {
    ui.add_space(18.0);
    status_cell(ui, from);
    arrow(ui, 16.0, ui.visuals().weak_text_color());
    status_cell(ui, to);
}

/// A right-pointing arrow drawn with lines (the built-in fonts have none).
pub fn arrow(ui: &mut Ui, width: f32, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 12.0), Sense::hover());
    let y = rect.center().y;
    let stroke = egui::Stroke::new(1.5, color);
    let tip = egui::pos2(rect.right() - 2.0, y);
    ui.painter()
        .line_segment([egui::pos2(rect.left() + 2.0, y), tip], stroke);
    ui.painter()
        .line_segment([tip, tip + egui::vec2(-4.0, -4.0)], stroke);
    ui.painter()
        .line_segment([tip, tip + egui::vec2(-4.0, 4.0)], stroke);
}

/// The open or closed triangle of a heading.
fn triangle(ui: &mut Ui, open: bool, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), Sense::hover());
    let c = rect.center();
    let points = if open {
        vec![
            c + egui::vec2(-5.0, -3.0),
            c + egui::vec2(5.0, -3.0),
            c + egui::vec2(0.0, 4.0),
        ]
    } else {
        vec![
            c + egui::vec2(-3.0, -5.0),
            c + egui::vec2(4.0, 0.0),
            c + egui::vec2(-3.0, 5.0),
        ]
    };
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

fn category_badge(ui: &mut Ui, caveats: Option<super::shared::Caveats<'_>>, id: &str) {
    let title = category_title(caveats, id);
    style::badge(ui, &title, style::skipped(ui)).on_hover_text(format!("Caveat category {id}"));
}

fn test_link(
    ui: &mut Ui,
    name: &str,
    row: Option<RowRef>,
    selected: Option<RowRef>,
    hover: impl FnOnce(&mut Ui),
) -> bool {
    let mut text = RichText::new(name);
    if row.is_some() && row == selected {
        text = text.strong().color(style::accent(ui));
    }
    let sense = if row.is_some() {
        Sense::click()
    } else {
        Sense::hover()
    };
    ui.add(
        egui::Label::new(text)
            .truncate()
            .selectable(false)
            .sense(sense),
    )
    .on_hover_ui(hover)
    .clicked()
}

fn entry_line(
    ui: &mut Ui,
    e: &DiffEntry,
    row: Option<RowRef>,
    selected: Option<RowRef>,
    caveats: Option<super::shared::Caveats<'_>>,
    actions: &mut Vec<Command>,
) {
    statuses(ui, e.from_status, e.to_status);
    // The badge goes on the right; the name takes what is left.
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if let Some(f) = &e.fixed_as_documented {
            style::badge(ui, "fixed as documented", style::passed(ui)).on_hover_text(format!(
                "A known defect of the older release, which its vendor's document says was fixed in {f}; it passed here."
            ));
        }
        if let Some(c) = &e.category {
            category_badge(ui, caveats, c);
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            let clicked = test_link(ui, &e.name, row, selected, |ui| {
                ui.label(&e.name);
                if row.is_some() {
                    ui.label(RichText::new("Click for the details").weak().small());
                }
            });
            if clicked && row.is_some() {
                actions.push(Command::SelectTest(row));
            }
        });
    });
}

fn renamed_line(
    ui: &mut Ui,
    r: &RenamedEntry,
    row: Option<RowRef>,
    selected: Option<RowRef>,
    caveats: Option<super::shared::Caveats<'_>>,
    actions: &mut Vec<Command>,
) {
    statuses(ui, r.from_status, r.to_status);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if let Some(c) = &r.category {
            category_badge(ui, caveats, c);
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            let clicked = test_link(ui, &r.to_name, row, selected, |ui| {
                ui.label(RichText::new(&r.testname).strong());
                ui.label(format!("was: {}", r.from_name));
                ui.label(format!("now: {}", r.to_name));
            });
            if clicked && row.is_some() {
                actions.push(Command::SelectTest(row));
            }
        });
    });
}

fn summary(ui: &mut Ui, data: &DiffData) {
    let d = &data.diff;
    let version = |v: &Option<String>| v.as_ref().map(|v| format!(" (v{v})")).unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        let from = format!("{}{}", d.from, version(&d.from_version));
        let to = format!("{}{}", d.to, version(&d.to_version));
        ui.label(RichText::new(from).size(17.0).strong());
        arrow(ui, 24.0, ui.visuals().strong_text_color());
        ui.label(RichText::new(to).size(17.0).strong());
    });
    ui.horizontal_wrapped(|ui| {
        for s in Section::ALL {
            let n = data.count(s);
            let color = if n == 0 {
                style::muted(ui)
            } else {
                s.color(ui)
            };
            style::badge(ui, &format!("{n} {}", s.title().to_lowercase()), color)
                .on_hover_text(s.help());
        }
        ui.label(
            RichText::new(format!("{} unchanged", d.unchanged))
                .weak()
                .small(),
        )
        .on_hover_text("Required in both releases with the same status");
    });
    for note in &d.notes {
        ui.label(RichText::new(note).small().weak());
    }
}

/// Make the diff of releases `from` and `to`, and find each entry's test.
fn make_diff(
    releases: &[Release],
    from: usize,
    to: usize,
    lists: Option<&crate::conformance_list::ConformanceLists>,
    catalog: &Catalog,
    scope: &Scope,
) -> DiffData {
    let (Some(a), Some(b)) = (releases.get(from), releases.get(to)) else {
        return DiffData {
            diff: Diff {
                notes: vec!["these releases are no longer loaded".into()],
                ..Diff::default()
            },
            refs: Default::default(),
        };
    };
    let diff = compare::diff(a, b, lists, catalog, scope);
    let index = |r: &Release| -> HashMap<String, usize> {
        let mut m = HashMap::with_capacity(r.tests.len());
        for (i, t) in r.tests.iter().enumerate() {
            // The first of two same-named specs wins, as in the diff.
            m.entry(t.name().to_string()).or_insert(i);
        }
        m
    };
    let (ia, ib) = (index(a), index(b));
    let find = |name: &str, newer: bool| {
        let (idx, release) = if newer { (&ib, to) } else { (&ia, from) };
        idx.get(name).map(|&test| RowRef { release, test })
    };
    let refs_of = |entries: &[DiffEntry], newer: bool| -> Vec<Option<RowRef>> {
        entries
            .iter()
            .map(|e| find(&e.name, newer).or_else(|| find(&e.name, !newer)))
            .collect()
    };
    let refs = [
        refs_of(&diff.newly_failing, true),
        refs_of(&diff.fixed, true),
        refs_of(&diff.newly_skipped, true),
        refs_of(&diff.no_longer_skipped, true),
        refs_of(&diff.added, true),
        refs_of(&diff.removed, false),
        diff.renamed
            .iter()
            .map(|r| find(&r.to_name, true).or_else(|| find(&r.from_name, false)))
            .collect(),
    ];
    DiffData { diff, refs }
}

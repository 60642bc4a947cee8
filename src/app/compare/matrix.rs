//! The Matrix tab, in the manner of TestGrid: one row per conformance test,
//! one column per release in version order, each cell a small square
//! coloured by what the test did there.
//!
//! The history ([`compare::history`]) is built once per corpus and lists
//! (on a background thread when the corpus is large); the filtered rows once
//! per filter change. A frame paints only the rows and columns in view, so
//! hundreds of releases and thousands of tests scroll smoothly. The test
//! names and the release labels stay in place while the cells scroll.

use std::sync::Arc;

use egui::{
    Align2, Color32, CornerRadius, FontId, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, Ui,
    UiBuilder, Vec2, pos2, vec2,
};

use super::shared::{Shared, category_of, lists_note, place_for};
use crate::app::commands::{Command, SelectMode};
use crate::app::jobs::{Computed, JobKind};
use crate::app::style;
use crate::app::tests_view::RowRef;
use crate::compare::{self, Cell, History, HistoryRow, RowFilter};
use crate::model::{Corpus, Status};

/// Height of a row, in points.
pub const ROW_HEIGHT: f32 = 20.0;
/// Height of the band of release labels above the cells.
pub const HEADER_HEIGHT: f32 = 150.0;
/// Most characters of a release label in the header; longer labels keep
/// their last path components.
const HEADER_CHARS: usize = 22;
/// Narrowest cell.
const MIN_CELL: f32 = 14.0;
/// Widest cell.
const MAX_CELL: f32 = 44.0;

/// What the history was built from: the corpus and lists generations.
type HistoryKey = (u64, u64);

/// The history and what the toolbar needs of it.
#[derive(Debug)]
pub struct HistoryData {
    /// The matrix.
    pub history: History,
    /// Every SIG of its rows.
    pub sigs: Vec<String>,
    /// The release labels as the header shows them.
    pub short_labels: Vec<String>,
}

/// How cells are coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Colouring {
    /// By status.
    #[default]
    Status,
    /// By run time, relative to the test's longest run.
    Duration,
}

/// Where the last frame drew the grid, so a test can point at a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    /// Screen position of the content's top-left corner.
    origin: Pos2,
    /// The visible part of the grid's scroll area.
    view: Rect,
    name_width: f32,
    cell_width: f32,
}

/// The Matrix tab.
#[derive(Debug, Default)]
pub struct MatrixView {
    history: Computed<HistoryKey, HistoryData>,
    filter: RowFilter,
    colouring: Colouring,
    rows: Vec<usize>,
    rows_for: Option<(HistoryKey, RowFilter)>,
    row_rebuilds: u64,
    geometry: Option<Geometry>,
    /// A shown row to scroll into view on the next frame (keyboard moves).
    scroll_to: Option<usize>,
}

impl MatrixView {
    /// The test a keyboard `step` from `selected` lands on: the next shown
    /// row's cell in the same release when it has one, else its newest.
    pub fn step(
        &mut self,
        selected: Option<RowRef>,
        step: crate::app::commands::Step,
    ) -> Option<RowRef> {
        let data = self.history.current()?.clone();
        let h = &data.history;
        let shows = |r: usize, s: RowRef| {
            h.cell(r, s.release)
                .is_some_and(|cell| cell.test as usize == s.test)
        };
        let at = selected.and_then(|s| self.rows.iter().position(|&r| shows(r, s)));
        let i = step.from(at, self.rows.len())?;
        let r = self.rows[i];
        let column = selected
            .map(|s| s.release)
            .filter(|&c| h.cell(r, c).is_some())
            .or_else(|| (0..h.columns.len()).rev().find(|&c| h.cell(r, c).is_some()))?;
        self.scroll_to = Some(i);
        Some(RowRef {
            release: column,
            test: h.cell(r, column)?.test as usize,
        })
    }

    /// Take a finished history from its thread.
    pub fn poll(&mut self) {
        self.history.poll();
    }

    /// How many times the history was built (or started).
    pub fn history_builds(&self) -> u64 {
        self.history.builds()
    }

    /// How many times the filtered rows were rebuilt.
    pub fn row_rebuilds(&self) -> u64 {
        self.row_rebuilds
    }

    /// Whether the history is being built in the background.
    pub fn is_building(&self) -> bool {
        self.history.busy()
    }

    /// The history shown, when built.
    pub fn history(&self) -> Option<&History> {
        self.history.current().map(|d| &d.history)
    }

    /// The filters.
    pub fn filter(&self) -> &RowFilter {
        &self.filter
    }

    /// The filters, to change them; the rows follow on the next frame.
    pub fn filter_mut(&mut self) -> &mut RowFilter {
        &mut self.filter
    }

    /// How cells are coloured.
    pub fn colouring(&self) -> Colouring {
        self.colouring
    }

    /// Indices into the history's rows of the rows shown (as of the last
    /// frame).
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The rows shown, as history rows.
    pub fn shown_rows(&self) -> Vec<&HistoryRow> {
        match self.history() {
            Some(h) => self.rows.iter().filter_map(|&r| h.rows.get(r)).collect(),
            None => Vec::new(),
        }
    }

    /// Where the cell of shown row `shown` (an index into [`Self::rows`]) and
    /// column `column` was drawn in the last frame, when it was in view.
    pub fn cell_center(&self, shown: usize, column: usize) -> Option<Pos2> {
        let g = self.geometry?;
        let center = pos2(
            g.origin.x + g.name_width + (column as f32 + 0.5) * g.cell_width,
            g.origin.y + HEADER_HEIGHT + (shown as f32 + 0.5) * ROW_HEIGHT,
        );
        let body = Rect::from_min_max(
            pos2(g.view.min.x + g.name_width, g.view.min.y + HEADER_HEIGHT),
            g.view.max,
        );
        body.contains(center).then_some(center)
    }

    fn ensure_history(&mut self, shared: &Shared<'_>) {
        let corpus = shared.inputs.corpus;
        let key = (shared.inputs.generation, shared.lists.generation);
        let tests: usize = corpus.releases.iter().map(|r| r.tests.len()).sum();
        self.history.want(
            key,
            place_for(tests),
            JobKind::Matrix,
            shared.inputs.jobs,
            || {
                let corpus = Arc::clone(corpus);
                let lists = shared.lists.lists.cloned();
                move || {
                    let history = compare::history(&corpus, lists.as_deref());
                    let sigs = history.sigs();
                    let short_labels = history
                        .columns
                        .iter()
                        .map(|c| crate::labels::cut_middle(&c.label, HEADER_CHARS))
                        .collect();
                    HistoryData {
                        history,
                        sigs,
                        short_labels,
                    }
                }
            },
        );
    }

    fn refresh_rows(&mut self, key: HistoryKey, data: &HistoryData) {
        if let Some(sig) = &self.filter.sig
            && !data.sigs.contains(sig)
        {
            self.filter.sig = None;
        }
        let wanted = (key, self.filter.clone());
        if self.rows_for.as_ref() == Some(&wanted) {
            return;
        }
        self.rows = data.history.matching_rows(&self.filter);
        self.rows_for = Some(wanted);
        self.row_rebuilds += 1;
    }

    /// Draw the tab.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shared: &Shared<'_>,
        lists_line: &str,
        actions: &mut Vec<Command>,
    ) {
        self.ensure_history(shared);
        let key = (shared.inputs.generation, shared.lists.generation);
        let data = self.history.current().cloned();
        if let Some(data) = &data {
            self.refresh_rows(key, data);
        }
        self.toolbar(ui, data.as_deref());
        ui.horizontal_wrapped(|ui| {
            if let Some(d) = &data {
                ui.label(
                    RichText::new(format!(
                        "{} of {} tests, {} releases",
                        self.rows.len(),
                        d.history.rows.len(),
                        d.history.columns.len()
                    ))
                    .strong(),
                );
                ui.separator();
            }
            lists_note(ui, lists_line);
        });
        legend(ui, self.colouring);
        ui.separator();
        let Some(data) = data else {
            self.geometry = None;
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                if let Some(e) = self.history.error() {
                    ui.label(RichText::new(e).color(style::failed(ui)));
                } else {
                    ui.spinner();
                    ui.label(format!(
                        "Building the history of {} releases…",
                        shared.inputs.corpus.releases.len()
                    ));
                }
            });
            return;
        };
        if self.rows.is_empty() {
            self.geometry = None;
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                let text = if data.history.rows.is_empty() {
                    "No [Conformance] test in the loaded releases."
                } else {
                    "No test matches these filters."
                };
                ui.label(RichText::new(text).size(16.0).weak());
            });
            return;
        }
        self.grid(ui, &data, shared, actions);
    }

    fn toolbar(&mut self, ui: &mut Ui, data: Option<&HistoryData>) {
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.search)
                    .hint_text("Search tests, old names too")
                    .desired_width(220.0),
            );
            if !self.filter.search.is_empty()
                && ui
                    .small_button("×")
                    .on_hover_text("Clear the search")
                    .clicked()
            {
                self.filter.search.clear();
            }
            ui.separator();
            ui.checkbox(&mut self.filter.only_differing, "only rows that differ")
                .on_hover_text("Tests whose status is not the same in every release where they are [Conformance]");
            ui.checkbox(&mut self.filter.failing_anywhere, "failing anywhere")
                .on_hover_text("Tests that failed in at least one release");
            ui.separator();
            // Each label stays with its control when the bar wraps: a group
            // cannot be wrapped, so start a new row when it would not fit.
            if style::row_room(ui) < 220.0 {
                ui.end_row();
            }
            ui.horizontal(|ui| {
                let sig_label = ui.label("SIG");
                let current = self
                    .filter
                    .sig
                    .clone()
                    .unwrap_or_else(|| "all SIGs".to_string());
                egui::ComboBox::from_id_salt("cv-matrix-sig")
                    .selected_text(current)
                    .width(160.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.filter.sig, None, "all SIGs");
                        for sig in data.map(|d| d.sigs.as_slice()).unwrap_or_default() {
                            ui.selectable_value(&mut self.filter.sig, Some(sig.clone()), sig);
                        }
                    })
                    .response
                    .labelled_by(sig_label.id);
            });
            ui.separator();
            if style::row_room(ui) < 240.0 {
                ui.end_row();
            }
            ui.horizontal(|ui| {
                ui.label("Colour by");
                ui.selectable_value(&mut self.colouring, Colouring::Status, "status");
                ui.selectable_value(&mut self.colouring, Colouring::Duration, "run time")
                    .on_hover_text(
                        "A fuller colour means closer to the test's longest run in these releases",
                    );
            });
        });
    }

    fn grid(
        &mut self,
        ui: &mut Ui,
        data: &HistoryData,
        shared: &Shared<'_>,
        actions: &mut Vec<Command>,
    ) {
        let h = &data.history;
        let ncols = h.columns.len().max(1);
        let nrows = self.rows.len();
        let avail = ui.available_size();
        let name_width = (avail.x * 0.4).clamp(280.0, 540.0);
        let cell_width = ((avail.x - name_width - 14.0) / ncols as f32).clamp(MIN_CELL, MAX_CELL);
        let content = vec2(
            name_width + ncols as f32 * cell_width,
            HEADER_HEIGHT + nrows as f32 * ROW_HEIGHT,
        );
        let inputs = shared.inputs;
        let selected_cell = inputs.selected_test;
        let colouring = self.colouring;
        let rows = &self.rows;
        let scroll_to = self.scroll_to.take();
        let output = egui::ScrollArea::both()
            .id_salt("cv-matrix-scroll")
            .auto_shrink([false, false])
            .content_margin(0)
            .show_viewport(ui, |ui, viewport| {
                let origin = ui.max_rect().min;
                if let Some(i) = scroll_to {
                    let y = origin.y + HEADER_HEIGHT + i as f32 * ROW_HEIGHT;
                    ui.scroll_to_rect(
                        Rect::from_min_size(pos2(origin.x, y), vec2(1.0, ROW_HEIGHT)),
                        None,
                    );
                }
                let response =
                    ui.allocate_rect(Rect::from_min_size(origin, content), Sense::click());
                let view = ui.clip_rect();
                let g = Geometry {
                    origin,
                    view,
                    name_width,
                    cell_width,
                };
                let body_left = view.min.x + name_width;
                let body_top = view.min.y + HEADER_HEIGHT;
                let first_row = (viewport.min.y / ROW_HEIGHT).floor().max(0.0) as usize;
                let last_row = (((viewport.max.y - HEADER_HEIGHT) / ROW_HEIGHT)
                    .ceil()
                    .max(0.0) as usize)
                    .min(nrows);
                let first_col = (viewport.min.x / cell_width).floor().max(0.0) as usize;
                let last_col = (((viewport.max.x - name_width) / cell_width).ceil().max(0.0)
                    as usize)
                    .min(h.columns.len());
                let row_y = |shown: usize| origin.y + HEADER_HEIGHT + shown as f32 * ROW_HEIGHT;
                let col_x = |c: usize| origin.x + name_width + c as f32 * cell_width;

                // What the pointer is over.
                let hover = response
                    .hover_pos()
                    .map(|p| hit(p, &g, rows.len(), h.columns.len()));

                let body_clip = Rect::from_min_max(pos2(body_left, body_top), view.max);
                let names_clip =
                    Rect::from_min_max(pos2(view.min.x, body_top), pos2(body_left, view.max.y));
                let header_clip =
                    Rect::from_min_max(pos2(body_left, view.min.y), pos2(view.max.x, body_top));

                // Stripes, the crosshair and the cells.
                let body = ui.painter().with_clip_rect(body_clip);
                let names = ui.painter().with_clip_rect(names_clip);
                let stripe = ui.visuals().faint_bg_color;
                let cross = ui.visuals().widgets.hovered.bg_fill.gamma_multiply(0.35);
                for shown in first_row..last_row {
                    let y = row_y(shown);
                    let band =
                        Rect::from_min_max(pos2(view.min.x, y), pos2(view.max.x, y + ROW_HEIGHT));
                    let hovered_row =
                        matches!(hover, Some(Hit::Cell(r, _) | Hit::Name(r)) if r == shown);
                    if hovered_row {
                        body.rect_filled(band, 0.0, cross);
                        names.rect_filled(band, 0.0, cross);
                    } else if shown % 2 == 1 {
                        body.rect_filled(band, 0.0, stripe);
                        names.rect_filled(band, 0.0, stripe);
                    }
                }
                if let Some(Hit::Cell(_, c) | Hit::Column(c)) = hover {
                    let x = col_x(c);
                    let band =
                        Rect::from_min_max(pos2(x, view.min.y), pos2(x + cell_width, view.max.y));
                    body.rect_filled(band, 0.0, cross);
                }
                for c in inputs
                    .selection
                    .iter()
                    .copied()
                    .filter(|c| (first_col..last_col).contains(c))
                {
                    let x = col_x(c);
                    let band =
                        Rect::from_min_max(pos2(x, view.min.y), pos2(x + cell_width, view.max.y));
                    body.rect_filled(band, 0.0, style::accent(ui).gamma_multiply(0.08));
                }
                let palette = Palette::of(ui);
                for shown in first_row..last_row {
                    let Some(&row) = rows.get(shown) else {
                        continue;
                    };
                    let y = row_y(shown);
                    let max_secs = h.rows.get(row).map_or(0.0, |r| r.max_duration_secs);
                    for (c, cell) in h
                        .row_cells(row)
                        .iter()
                        .enumerate()
                        .take(last_col)
                        .skip(first_col)
                    {
                        let Some(cell) = cell else { continue };
                        let x = col_x(c);
                        let rect = Rect::from_min_size(pos2(x, y), vec2(cell_width, ROW_HEIGHT))
                            .shrink2(vec2(1.5, 2.5));
                        paint_cell(&body, rect, cell, colouring, max_secs, &palette);
                        if selected_cell
                            == Some(RowRef {
                                release: c,
                                test: cell.test as usize,
                            })
                        {
                            body.rect_stroke(
                                rect.expand(1.5),
                                CornerRadius::same(2),
                                Stroke::new(2.0, palette.selected),
                                StrokeKind::Outside,
                            );
                        }
                    }
                }

                // Column labels, kept at the top.
                let header = ui.painter().with_clip_rect(header_clip);
                header.rect_filled(header_clip, 0.0, ui.visuals().panel_fill);
                let label_font = FontId::proportional(12.0);
                for c in first_col..last_col {
                    let Some(col) = h.columns.get(c) else {
                        continue;
                    };
                    let x = col_x(c);
                    let selected = inputs.selection.contains(&c);
                    let color = if selected {
                        style::accent(ui)
                    } else {
                        ui.visuals().text_color()
                    };
                    let text = data.short_labels.get(c).unwrap_or(&col.label);
                    let mut job = egui::text::LayoutJob::simple_singleline(
                        text.clone(),
                        label_font.clone(),
                        color,
                    );
                    job.wrap = egui::text::TextWrapping::truncate_at_width(HEADER_HEIGHT - 10.0);
                    let galley = header.layout_job(job);
                    let gh = galley.size().y;
                    let pos = pos2(x + (cell_width - gh) / 2.0, body_top - 5.0);
                    header.add(
                        egui::epaint::TextShape::new(pos, galley, color)
                            .with_angle(-std::f32::consts::FRAC_PI_2),
                    );
                    if selected {
                        header.line_segment(
                            [
                                pos2(x + 1.0, body_top - 1.5),
                                pos2(x + cell_width - 1.0, body_top - 1.5),
                            ],
                            Stroke::new(3.0, style::accent(ui)),
                        );
                    }
                }
                header.line_segment(
                    [
                        pos2(body_left, body_top - 0.5),
                        pos2(view.max.x, body_top - 0.5),
                    ],
                    ui.visuals().widgets.noninteractive.bg_stroke,
                );

                // The corner above the names.
                let corner = Rect::from_min_max(view.min, pos2(body_left, body_top));
                let corner_painter = ui.painter().with_clip_rect(corner);
                corner_painter.rect_filled(corner, 0.0, ui.visuals().panel_fill);
                corner_painter.text(
                    pos2(corner.min.x + 4.0, corner.max.y - 6.0),
                    Align2::LEFT_BOTTOM,
                    "Test",
                    FontId::proportional(13.0),
                    ui.visuals().strong_text_color(),
                );
                corner_painter.text(
                    pos2(corner.max.x - 6.0, corner.max.y - 6.0),
                    Align2::RIGHT_BOTTOM,
                    "releases",
                    FontId::proportional(11.0),
                    ui.visuals().weak_text_color(),
                );

                // Test names and badges, kept at the left.
                names.line_segment(
                    [
                        pos2(body_left - 0.5, body_top),
                        pos2(body_left - 0.5, view.max.y),
                    ],
                    ui.visuals().widgets.noninteractive.bg_stroke,
                );
                let mut names_ui = ui.new_child(
                    UiBuilder::new()
                        .max_rect(Rect::from_min_max(
                            pos2(view.min.x, body_top),
                            pos2(body_left, view.max.y),
                        ))
                        .layout(egui::Layout::top_down(egui::Align::Min)),
                );
                names_ui.set_clip_rect(names_clip);
                for shown in first_row..last_row {
                    let Some(row) = rows.get(shown).and_then(|&r| h.rows.get(r)) else {
                        continue;
                    };
                    let y = row_y(shown);
                    let rect = Rect::from_min_max(
                        pos2(view.min.x + 4.0, y),
                        pos2(body_left - 4.0, y + ROW_HEIGHT),
                    );
                    row_header(&mut names_ui, rect, row, h, &palette);
                }

                // Clicks and the tooltip.
                if response.clicked()
                    && let Some(p) = response.interact_pointer_pos()
                {
                    match hit(p, &g, rows.len(), h.columns.len()) {
                        Hit::Cell(shown, c) => {
                            if let Some(cell) = rows.get(shown).and_then(|&r| h.cell(r, c)) {
                                actions.push(Command::SelectTest(Some(RowRef {
                                    release: c,
                                    test: cell.test as usize,
                                })));
                            }
                        }
                        Hit::Name(shown) => {
                            let newest = rows.get(shown).and_then(|&r| {
                                h.row_cells(r)
                                    .iter()
                                    .enumerate()
                                    .rev()
                                    .find_map(|(c, cell)| cell.map(|cell| (c, cell)))
                            });
                            if let Some((c, cell)) = newest {
                                actions.push(Command::SelectTest(Some(RowRef {
                                    release: c,
                                    test: cell.test as usize,
                                })));
                            }
                        }
                        Hit::Column(c) => actions.push(Command::SelectRelease {
                            index: c,
                            mode: SelectMode::Only,
                        }),
                        Hit::Outside => {}
                    }
                }
                match hover {
                    Some(Hit::Cell(shown, c)) => {
                        if let Some(&row) = rows.get(shown) {
                            response.on_hover_ui_at_pointer(|ui| {
                                cell_tooltip(ui, h, row, c, shared);
                            });
                        }
                    }
                    Some(Hit::Column(c)) => {
                        if let Some(col) = h.columns.get(c) {
                            response.on_hover_ui_at_pointer(|ui| column_tooltip(ui, col));
                        }
                    }
                    _ => {}
                }
                g
            });
        self.geometry = Some(output.inner);
    }
}

/// What a point of the grid is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hit {
    /// A cell: shown row, column.
    Cell(usize, usize),
    /// A test name.
    Name(usize),
    /// A release label.
    Column(usize),
    /// Nothing (the corner or past the last row or column).
    Outside,
}

fn hit(p: Pos2, g: &Geometry, nrows: usize, ncols: usize) -> Hit {
    let body_left = g.view.min.x + g.name_width;
    let body_top = g.view.min.y + HEADER_HEIGHT;
    let row = ((p.y - g.origin.y - HEADER_HEIGHT) / ROW_HEIGHT).floor();
    let col = ((p.x - g.origin.x - g.name_width) / g.cell_width).floor();
    let row = (row >= 0.0 && (row as usize) < nrows).then_some(row as usize);
    let col = (col >= 0.0 && (col as usize) < ncols).then_some(col as usize);
    match (p.x >= body_left, p.y >= body_top, row, col) {
        (true, true, Some(r), Some(c)) => Hit::Cell(r, c),
        (false, true, Some(r), _) => Hit::Name(r),
        (true, false, _, Some(c)) => Hit::Column(c),
        _ => Hit::Outside,
    }
}

/// The colours of one frame.
struct Palette {
    passed: Color32,
    failed: Color32,
    skipped: Color32,
    pending: Color32,
    time: Color32,
    background: Color32,
    selected: Color32,
    joined: Color32,
    left: Color32,
    renamed: Color32,
}

impl Palette {
    fn of(ui: &Ui) -> Palette {
        Palette {
            passed: style::passed(ui),
            failed: style::failed(ui),
            skipped: style::skipped(ui),
            pending: style::muted(ui),
            time: style::accent(ui),
            background: ui.visuals().extreme_bg_color,
            selected: ui.visuals().strong_text_color(),
            joined: style::accent(ui),
            left: style::skipped(ui),
            renamed: if ui.visuals().dark_mode {
                Color32::from_rgb(190, 150, 255)
            } else {
                Color32::from_rgb(120, 70, 200)
            },
        }
    }

    fn status(&self, s: Status) -> Color32 {
        match s {
            Status::Passed => self.passed,
            Status::Failed => self.failed,
            Status::Skipped => self.skipped,
            Status::Pending => self.pending,
        }
    }
}

fn paint_cell(
    painter: &egui::Painter,
    rect: Rect,
    cell: &Cell,
    colouring: Colouring,
    max_secs: f64,
    palette: &Palette,
) {
    let ran = matches!(cell.status, Status::Passed | Status::Failed);
    let fill = match colouring {
        Colouring::Status => palette.status(cell.status),
        Colouring::Duration if ran => {
            let t = if max_secs > 0.0 {
                (cell.duration_secs / max_secs).clamp(0.0, 1.0) as f32
            } else {
                0.0
            };
            lerp_color(palette.background, palette.time, 0.15 + 0.85 * t)
        }
        Colouring::Duration => palette.background,
    };
    if cell.conformance && colouring == Colouring::Duration && !ran {
        // Did not run: no time to show, only the status as an outline.
        painter.rect_filled(rect, CornerRadius::same(2), fill);
        painter.rect_stroke(
            rect,
            CornerRadius::same(2),
            Stroke::new(1.5, palette.status(cell.status)),
            StrokeKind::Inside,
        );
    } else if cell.conformance {
        painter.rect_filled(rect, CornerRadius::same(2), fill);
        if colouring == Colouring::Duration && cell.status == Status::Failed {
            painter.rect_stroke(
                rect,
                CornerRadius::same(2),
                Stroke::new(1.5, palette.failed),
                StrokeKind::Inside,
            );
        }
    } else {
        // Present but not a [Conformance] test in that release.
        painter.rect_filled(rect, CornerRadius::same(2), fill.gamma_multiply(0.18));
        painter.rect_stroke(
            rect,
            CornerRadius::same(2),
            Stroke::new(1.0, fill.gamma_multiply(0.8)),
            StrokeKind::Inside,
        );
    }
}

fn lerp_color(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// A column's short version, `v1.22`, else its label.
fn column_version(h: &History, c: usize) -> String {
    h.columns
        .get(c)
        .map(|col| {
            col.minor_version
                .as_ref()
                .map(|v| format!("v{v}"))
                .unwrap_or_else(|| col.label.clone())
        })
        .unwrap_or_default()
}

/// The badges of a row: text, colour, explanation.
fn badges(row: &HistoryRow, h: &History, palette: &Palette) -> Vec<(String, Color32, String)> {
    let mut out = Vec::new();
    if let Some(c) = row.joined {
        let v = column_version(h, c);
        out.push((
            format!("joined {v}"),
            palette.joined,
            format!(
                "Became a [Conformance] test in {} (the first release here where it carries the tag)",
                h.columns.get(c).map_or("?", |c| c.label.as_str())
            ),
        ));
    }
    if let Some(c) = row.left {
        let v = column_version(h, c);
        out.push((
            format!("left {v}"),
            palette.left,
            format!(
                "Not a [Conformance] test in any release from {} on (absent or without the tag)",
                h.columns.get(c).map_or("?", |c| c.label.as_str())
            ),
        ));
    }
    if row.names.len() > 1 {
        out.push((
            "renamed".into(),
            palette.renamed,
            format!("Known under {} names in these releases", row.names.len()),
        ));
    }
    out
}

fn row_header(ui: &mut Ui, rect: Rect, row: &HistoryRow, h: &History, palette: &Palette) {
    let font = FontId::proportional(10.5);
    let mut right = rect.max.x;
    for (text, color, why) in badges(row, h, palette).into_iter().rev() {
        let galley = ui.painter().layout_no_wrap(text, font.clone(), color);
        let size = galley.size() + vec2(10.0, 2.0);
        let badge = Rect::from_min_size(pos2(right - size.x, rect.center().y - size.y / 2.0), size);
        // The name comes first; the badges are in its tooltip too.
        if badge.min.x < rect.min.x + 150.0 {
            break;
        }
        let fill = color.gamma_multiply(if ui.visuals().dark_mode { 0.22 } else { 0.14 });
        ui.painter().rect(
            badge,
            CornerRadius::same(7),
            fill,
            Stroke::new(1.0, color.gamma_multiply(0.8)),
            StrokeKind::Inside,
        );
        ui.painter()
            .galley(badge.min + vec2(5.0, 1.0), galley, color);
        ui.interact(
            badge,
            egui::Id::unique(("cv-matrix-badge", &row.key, right as i32)),
            Sense::hover(),
        )
        .on_hover_text(why);
        right = badge.min.x - 4.0;
    }
    let name_rect = Rect::from_min_max(rect.min, pos2(right, rect.max.y));
    let response = ui
        .new_child(
            UiBuilder::new()
                .max_rect(name_rect)
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        )
        .add(
            egui::Label::new(RichText::new(&row.name).size(13.0))
                .truncate()
                // The name tooltip below shows the whole name: one tooltip.
                .show_tooltip_when_elided(false)
                .selectable(false),
        );
    response.on_hover_ui(|ui| name_tooltip(ui, row, h, palette));
}

fn name_tooltip(ui: &mut Ui, row: &HistoryRow, h: &History, palette: &Palette) {
    ui.set_max_width(520.0);
    ui.label(RichText::new(&row.name).strong());
    for (_, color, why) in badges(row, h, palette) {
        ui.label(RichText::new(why).color(color));
    }
    if let Some(t) = &row.testname {
        ui.label(format!("conformance.yaml: {t}"));
    }
    if let Some(p) = &row.promoted {
        ui.label(format!("Promoted to conformance in {p}"));
    }
    if row.names.len() > 1 {
        ui.label(RichText::new("Also known as").strong());
        for n in row.names.iter().filter(|n| **n != row.name) {
            ui.label(RichText::new(n).small());
        }
    }
    if row.max_duration_secs > 0.0 {
        ui.label(format!(
            "Longest run: {}",
            style::duration(row.max_duration_secs)
        ));
    }
    ui.label(
        RichText::new("Click to see its latest result")
            .weak()
            .small(),
    );
}

fn column_tooltip(ui: &mut Ui, col: &compare::HistoryColumn) {
    ui.label(RichText::new(&col.label).strong());
    if let Some(v) = &col.kube_version {
        ui.label(format!("Kubernetes {v}"));
    } else if let Some(v) = &col.minor_version {
        ui.label(format!("Kubernetes v{v}"));
    }
    if let Some(d) = col.duration_secs {
        ui.label(format!("Suite ran for {}", style::duration(d)));
    }
    ui.label(format!(
        "Conformance tests took {} in all",
        style::duration(col.conformance_secs)
    ));
    if !col.has_list {
        ui.label(
            RichText::new("No conformance list for this version")
                .weak()
                .small(),
        );
    }
    ui.label(RichText::new("Click to select this release").weak().small());
}

fn cell_tooltip(ui: &mut Ui, h: &History, row: usize, c: usize, shared: &Shared<'_>) {
    ui.set_max_width(480.0);
    let Some(col) = h.columns.get(c) else { return };
    let Some(hrow) = h.rows.get(row) else { return };
    ui.label(RichText::new(&hrow.name).strong());
    ui.label(format!(
        "{}{}",
        col.label,
        col.minor_version
            .as_ref()
            .map(|v| format!(" (v{v})"))
            .unwrap_or_default()
    ));
    let Some(cell) = h.cell(row, c) else {
        ui.label(RichText::new("Not in this release").weak());
        return;
    };
    let corpus: &Corpus = shared.inputs.corpus;
    let release = corpus.releases.get(c);
    let test = release.and_then(|r| r.tests.get(cell.test as usize));
    ui.horizontal(|ui| {
        ui.label("Status:");
        match test {
            Some(t) => ui.label(style::outcome_text(ui, t.outcome)),
            None => ui.label(
                RichText::new(cell.status.as_str())
                    .color(style::status_color(ui, cell.status))
                    .strong(),
            ),
        };
    });
    if matches!(cell.status, Status::Passed | Status::Failed) {
        ui.label(format!("Run time: {}", style::duration(cell.duration_secs)));
    }
    if let Some(t) = test
        && *t.name() != *hrow.name
    {
        ui.label(RichText::new(format!("Named here: {}", t.name())).small());
    }
    if !cell.conformance {
        ui.label(
            RichText::new("Not a [Conformance] test in this release")
                .color(style::skipped(ui))
                .small(),
        );
    }
    if cell.status != Status::Passed
        && let (Some(r), Some(t)) = (release, test)
    {
        match category_of(shared.inputs.caveats, r, t) {
            Some(cat) => {
                ui.label(RichText::new(format!("Caveat: {cat}")).color(style::skipped(ui)));
            }
            None if shared.inputs.caveats.is_some() => {
                ui.label(
                    RichText::new("No known caveat explains this")
                        .color(style::failed(ui))
                        .small(),
                );
            }
            None => {}
        }
    }
    ui.label(RichText::new("Click for the details").weak().small());
}

fn legend(ui: &mut Ui, colouring: Colouring) {
    ui.horizontal_wrapped(|ui| {
        let palette = Palette::of(ui);
        let swatch = |ui: &mut Ui, fill: Color32, outlined: bool, text: &str| {
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            if outlined {
                ui.painter()
                    .rect_filled(rect, CornerRadius::same(2), fill.gamma_multiply(0.18));
                ui.painter().rect_stroke(
                    rect,
                    CornerRadius::same(2),
                    Stroke::new(1.0, fill),
                    StrokeKind::Inside,
                );
            } else {
                ui.painter().rect_filled(rect, CornerRadius::same(2), fill);
            }
            ui.label(RichText::new(text).small());
        };
        match colouring {
            Colouring::Status => {
                swatch(ui, palette.passed, false, "passed");
                swatch(ui, palette.failed, false, "failed");
                swatch(ui, palette.skipped, false, "skipped");
                swatch(ui, palette.pending, false, "pending");
            }
            Colouring::Duration => {
                swatch(
                    ui,
                    lerp_color(palette.background, palette.time, 0.2),
                    false,
                    "short",
                );
                swatch(ui, palette.time, false, "longest run of the test");
                swatch(ui, palette.failed, true, "failed");
                swatch(ui, palette.skipped, true, "did not run");
            }
        }
        swatch(ui, palette.passed, true, "present, not [Conformance] there");
        ui.label(RichText::new("empty: not in the release").small().weak());
    });
}

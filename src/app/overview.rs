//! The Overview tab: the verdict in one line, the trend of the required tests
//! across releases (stacked bars with a pass-rate line), the suite's run time
//! per release, and the verdict table. Each chart can be exported as PNG or
//! SVG (drawn by [`crate::export`], as in reports).
//!
//! Everything drawn here comes from [`ReleaseInfo`], computed once per load,
//! so a frame costs in proportion to the number of releases, never tests.

use egui::{Color32, RichText, Stroke, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{
    AxisHints, Bar, BarChart, GridInput, GridMark, HPlacement, Line, Plot, PlotPoint, PlotPoints,
};

use super::commands::Command;
use super::export_dialog;
use super::lines_view;
use super::state::AppState;
use super::style;
use super::verdict::{self, ReleaseInfo};
use crate::export::ChartKind;

/// Width of the left axes, so both charts line up.
const LEFT_AXIS: f32 = 52.0;
/// Width of the right axes.
const RIGHT_AXIS: f32 = 56.0;

/// The Overview's own state between frames.
#[derive(Debug, Default)]
pub struct OverviewView {
    /// The page of the latest-per-line chart when its bars do not all fit.
    page: usize,
}

/// The width a bar needs for its label to read: about 8 points a
/// character with a gap, from 20 points (two digits) to 60 (a name cut to
/// six characters).
fn bar_width_needed(bars: &[BarItem<'_>]) -> f32 {
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    (longest as f32 * 8.0 + 12.0).clamp(20.0, 60.0)
}

/// What the charts show, worked out once per frame from the state.
struct Charted<'a> {
    /// How the releases are charted.
    mode: Mode,
    /// The bars of the bar modes, in order.
    bars: Vec<BarItem<'a>>,
    /// The lines of the series mode (and the legend of every mode with
    /// several lines), in line order.
    series: Vec<Series<'a>>,
    /// Releases left out of the series chart for an unknown version.
    unknown_version: usize,
    /// The words above the charts: what is charted.
    scope: String,
}

/// How the charts are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// One product line: a bar per release, labelled by its version.
    OneLine,
    /// A few lines: one series per line on a Kubernetes-minor axis.
    Series,
    /// More lines than a legend holds: a bar per line, its latest release.
    LatestPerLine,
}

/// One bar: a release and the words under it.
struct BarItem<'a> {
    /// Its index in the corpus.
    index: usize,
    info: &'a ReleaseInfo,
    /// The axis label.
    label: String,
    /// Its whole name, for the accessibility tree.
    name: String,
    /// The hover text.
    tooltip: String,
    /// In the latest-per-line chart, the line a click opens.
    line_key: Option<String>,
}

/// One product line's points.
struct Series<'a> {
    key: String,
    name: String,
    color: Color32,
    shown: bool,
    /// Its releases oldest first: `(x, corpus index, info, label)`.
    points: Vec<(f64, usize, &'a ReleaseInfo, String)>,
    releases: usize,
}

/// Draw the Overview tab.
pub fn ui(ui: &mut Ui, state: &AppState, view: &mut OverviewView, actions: &mut Vec<Command>) {
    let infos = state.infos();
    headline(ui, infos, actions);
    ui.add_space(6.0);
    if infos.is_empty() {
        return;
    }
    let charted = charted(ui, state);
    scope_line(ui, state, &charted, actions);
    let avail = ui.available_height();
    let chart_height = (avail * 0.40).clamp(190.0, 420.0);
    let small_height = (avail * 0.15).clamp(100.0, 170.0);
    match charted.mode {
        Mode::OneLine | Mode::LatestPerLine => {
            bar_legend(ui, &charted, actions);
            let mut bars = &charted.bars[..];
            if charted.mode == Mode::LatestPerLine {
                line_legend(ui, &charted, actions);
                bars = page_of_bars(ui, view, bars);
            }
            // One line's releases are joined by their pass rate; the
            // latest releases of different lines are never joined.
            let join = charted.mode == Mode::OneLine;
            trend_chart(ui, bars, join, chart_height, actions);
            ui.add_space(4.0);
            duration_chart(ui, bars, small_height, actions);
        }
        Mode::Series => {
            line_legend(ui, &charted, actions);
            series_chart(ui, &charted, SeriesValue::PassRate, chart_height, actions);
            ui.add_space(4.0);
            series_chart(ui, &charted, SeriesValue::NotPassed, small_height, actions);
        }
    }
    ui.add_space(8.0);
    let rows: Vec<usize> = match charted.mode {
        Mode::Series => charted
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .collect(),
        _ => charted.bars.iter().map(|b| b.index).collect(),
    };
    verdict_table(ui, state, &rows, actions);
}

/// Work out what to chart: the releases [`AppState::charted`] gives, by
/// product line, in the mode their number of lines calls for.
fn charted<'a>(ui: &Ui, state: &'a AppState) -> Charted<'a> {
    let infos = state.infos();
    let lines = state.lines();
    let picked = state.charted();
    // The charted releases of each line, in the line's order.
    let mut per_line: Vec<Vec<usize>> = vec![Vec::new(); lines.lines.len()];
    let wanted: std::collections::HashSet<usize> = picked.iter().copied().collect();
    for (l, line) in lines.lines.iter().enumerate() {
        per_line[l] = line
            .releases
            .iter()
            .copied()
            .filter(|i| wanted.contains(i) && *i < infos.len())
            .collect();
    }
    let present: Vec<usize> = (0..lines.lines.len())
        .filter(|&l| !per_line[l].is_empty())
        .collect();
    let what = if state.user_selected && state.selection.len() >= 2 && picked.len() >= 2 {
        format!("the {} selected releases", picked.len())
    } else if let Some(line) = state
        .line_filter
        .as_ref()
        .and_then(|k| lines.lines.iter().find(|l| &l.key == k))
    {
        format!("every release of {}", line.name)
    } else {
        format!("all {} releases", picked.len())
    };
    let mut out = Charted {
        mode: Mode::OneLine,
        bars: Vec::new(),
        series: Vec::new(),
        unknown_version: 0,
        scope: String::new(),
    };
    if present.len() <= 1 {
        let l = present.first().copied();
        let name = l.map(|l| lines.lines[l].name.clone()).unwrap_or_default();
        out.scope = format!("Charting {what}: one product line, {name}.");
        for &i in l.map(|l| &per_line[l][..]).unwrap_or(&[]) {
            let info = &infos[i];
            out.bars.push(BarItem {
                index: i,
                info,
                label: lines.short_label(&state.corpus, i),
                name: lines.short_label(&state.corpus, i),
                tooltip: bar_tooltip(info, &name),
                line_key: None,
            });
        }
        return out;
    }
    let mut n_shown = 0;
    for &l in &present {
        let line = &lines.lines[l];
        let shown = !state.hidden_lines.contains(&line.key);
        let color = if shown {
            n_shown += 1;
            lines_view::series_color(n_shown - 1)
        } else {
            style::muted(ui)
        };
        let mut points = Vec::new();
        let runs = &lines.runs;
        for &i in &per_line[l] {
            let release = &state.corpus.releases[i];
            let Some((major, minor, _)) = release.version else {
                if shown {
                    out.unknown_version += 1;
                }
                continue;
            };
            let (run, of) = runs.get(i).copied().unwrap_or((1, 1));
            let offset = (run as f64 - 1.0 - (of as f64 - 1.0) / 2.0) * 0.16;
            let x = minor_x(major, minor) + offset;
            points.push((x, i, &infos[i], lines.short_label(&state.corpus, i)));
        }
        out.series.push(Series {
            key: line.key.clone(),
            name: line.name.clone(),
            color,
            shown,
            releases: per_line[l].len(),
            points,
        });
    }
    let shown_lines = out.series.iter().filter(|s| s.shown).count();
    if shown_lines <= lines_view::MAX_SERIES {
        out.mode = Mode::Series;
        out.scope = format!(
            "Charting {what}: {} product lines, {shown_lines} shown. Each line's trend reads left to right along the Kubernetes versions.",
            present.len()
        );
        return out;
    }
    out.mode = Mode::LatestPerLine;
    let names: Vec<&str> = out
        .series
        .iter()
        .filter(|s| s.shown)
        .map(|s| s.name.as_str())
        .collect();
    let common = common_prefix(&names);
    out.scope = format!(
        "Charting {what}: {} product lines, more than {} side by side. Each bar is a line's latest release; click one to chart that line, or hide lines below.",
        present.len(),
        lines_view::MAX_SERIES
    );
    for s in out.series.iter().filter(|s| s.shown) {
        let Some(line) = lines.lines.iter().find(|l| l.key == s.key) else {
            continue;
        };
        let l = lines.lines.iter().position(|x| x.key == s.key).unwrap_or(0);
        let latest = per_line[l]
            .iter()
            .rev()
            .find(|&&i| state.corpus.releases[i].version.is_some())
            .or(per_line[l].last())
            .copied();
        if let Some(i) = latest {
            let info = &infos[i];
            out.bars.push(BarItem {
                index: i,
                info,
                label: line.name[common..].to_string(),
                name: line.name.clone(),
                tooltip: format!(
                    "{}\n{} releases charted; the latest:\n{}\nClick to chart this line",
                    line.full_name(),
                    s.releases,
                    bar_tooltip(info, &line.name)
                ),
                line_key: Some(line.key.clone()),
            });
        }
    }
    // The lines that need attention first, then by name.
    out.bars.sort_by(|a, b| {
        a.info
            .counts
            .pass_rate()
            .total_cmp(&b.info.counts.pass_rate())
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    out
}

/// The bars of the latest-per-line chart that fit the width with a label
/// that reads, one page at a time (the bars come worst pass rate first),
/// with the buttons that turn the pages.
fn page_of_bars<'b, 'a>(
    ui: &mut Ui,
    view: &mut OverviewView,
    bars: &'b [BarItem<'a>],
) -> &'b [BarItem<'a>] {
    let room = ui.available_width() - LEFT_AXIS - RIGHT_AXIS;
    let fit = ((room / bar_width_needed(bars)) as usize).max(5);
    if bars.len() <= fit {
        view.page = 0;
        return bars;
    }
    let pages = bars.len().div_ceil(fit);
    view.page = view.page.min(pages - 1);
    let from = view.page * fit;
    let to = (from + fit).min(bars.len());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(view.page > 0, egui::Button::new("Previous").small())
            .clicked()
        {
            view.page -= 1;
        }
        ui.label(format!(
            "lines {}–{} of {}, lowest pass rate first",
            from + 1,
            to,
            bars.len()
        ));
        if ui
            .add_enabled(view.page + 1 < pages, egui::Button::new("Next").small())
            .clicked()
        {
            view.page += 1;
        }
    });
    &bars[from..to]
}

/// The length of the prefix all `names` share, up to the last separator
/// (`-`, `_`, space, `/`) within it, so `product-00`, `product-01` keep
/// `00`, `01`; 0 for fewer than two names.
fn common_prefix(names: &[&str]) -> usize {
    let Some((first, rest)) = names.split_first() else {
        return 0;
    };
    if rest.is_empty() {
        return 0;
    }
    let mut len = first.len();
    for n in rest {
        len = len.min(
            first
                .bytes()
                .zip(n.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[..len]
        .rfind(['-', '_', ' ', '/'])
        .map_or(0, |at| at + 1)
}

/// The x of a Kubernetes minor on the series axis: `1.30` → 30, other
/// majors past the first's hundred minors.
fn minor_x(major: u32, minor: u32) -> f64 {
    (major.saturating_sub(1) * 100 + minor) as f64
}

/// The words under the headline: what the charts show, and how to show all.
fn scope_line(ui: &mut Ui, state: &AppState, charted: &Charted<'_>, actions: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&charted.scope).weak());
        if state.user_selected && state.selection.len() >= 2 {
            if ui
                .link("Chart every release")
                .on_hover_text("Clear the selection")
                .clicked()
            {
                actions.push(Command::SelectNone);
            }
        } else if state.line_filter.is_some() {
            if ui.link("Show every line").clicked() {
                actions.push(Command::SetLineFilter(None));
            }
        } else if charted.mode != Mode::OneLine {
            ui.label(
                RichText::new(
                    "Select releases in the list (or pick a product above it) to chart only those.",
                )
                .weak()
                .small(),
            );
        }
    });
}

fn bar_legend(ui: &mut Ui, charted: &Charted<'_>, actions: &mut Vec<Command>) {
    chart_header(ui, ChartKind::Trend, actions, |ui| {
        let title = match charted.mode {
            Mode::LatestPerLine => "Required conformance tests of each line's latest release",
            _ => "Required conformance tests per release",
        };
        ui.label(RichText::new(title).strong());
        ui.add_space(12.0);
        for (name, color) in [
            ("passed", style::passed(ui)),
            ("failed", style::failed(ui)),
            ("skipped", style::skipped(ui)),
        ] {
            ui.label(RichText::new("■").monospace().color(color));
            ui.label(name);
        }
        ui.label(RichText::new("━").monospace().color(style::accent(ui)));
        ui.label("pass rate (right axis)");
    });
}

/// The legend of the product lines: one entry per line, in its colour; a
/// click shows or hides the line. Past two dozen lines, a menu of them.
fn line_legend(ui: &mut Ui, charted: &Charted<'_>, actions: &mut Vec<Command>) {
    let all: Vec<String> = charted.series.iter().map(|s| s.key.clone()).collect();
    let header = |ui: &mut Ui, actions: &mut Vec<Command>| {
        if charted.mode == Mode::Series {
            ui.label(RichText::new("Pass rate of the required tests, per product line").strong());
        } else {
            ui.label(RichText::new("Product lines").strong());
        }
        ui.add_space(8.0);
        if ui
            .small_button("Show all")
            .on_hover_text("Show every product line")
            .clicked()
        {
            actions.push(Command::SetHiddenLines(Vec::new()));
        }
        if ui
            .small_button("Hide all")
            .on_hover_text("Hide every product line, then pick the ones to chart")
            .clicked()
        {
            actions.push(Command::SetHiddenLines(all.clone()));
        }
    };
    let mut picked = Vec::new();
    let left = |ui: &mut Ui| {
        header(ui, &mut picked);
        if charted.series.len() > LEGEND_INLINE {
            let shown = charted.series.iter().filter(|s| s.shown).count();
            ui.menu_button(
                format!("Lines shown: {shown} of {}…", charted.series.len()),
                |ui| {
                    ui.set_max_height(360.0);
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        for s in &charted.series {
                            legend_entry(ui, s, &mut picked);
                        }
                    });
                },
            );
        }
    };
    if charted.mode == Mode::Series {
        // The same chart as `export` writes: one series per line.
        chart_header(ui, ChartKind::ProductTrend, actions, left);
    } else {
        // The bar chart's own header above has the export buttons.
        ui.horizontal_wrapped(left);
    }
    actions.extend(picked);
    if charted.series.len() <= LEGEND_INLINE {
        ui.horizontal_wrapped(|ui| {
            for s in &charted.series {
                legend_entry(ui, s, actions);
            }
        });
    }
}

/// Up to this many lines, the legend lists them in the open.
const LEGEND_INLINE: usize = 24;

/// One legend entry: the line's name over a stroke of its colour (a
/// dashed grey one when hidden); a click shows or hides it. One widget, so
/// a wrapping legend never parts a name from its colour.
fn legend_entry(ui: &mut Ui, s: &Series<'_>, actions: &mut Vec<Command>) {
    let text = RichText::new(crate::labels::cut_middle(&s.name, 34));
    let text = if s.shown {
        text
    } else {
        text.weak().strikethrough()
    };
    let response = ui
        .add(
            egui::Button::new(text)
                .frame(false)
                .min_size(egui::vec2(0.0, 22.0)),
        )
        .on_hover_text(format!(
            "{} ({} releases): click to {} it in the charts",
            s.name,
            s.releases,
            if s.shown { "hide" } else { "show" }
        ));
    let r = response.rect;
    let y = r.bottom() - 2.0;
    let stroke = Stroke::new(3.0, s.color);
    if s.shown {
        ui.painter().line_segment(
            [
                egui::pos2(r.left() + 2.0, y),
                egui::pos2(r.right() - 2.0, y),
            ],
            stroke,
        );
    } else {
        let mut x = r.left() + 2.0;
        while x < r.right() - 2.0 {
            let end = (x + 4.0).min(r.right() - 2.0);
            ui.painter().line_segment(
                [egui::pos2(x, y), egui::pos2(end, y)],
                Stroke::new(2.0, s.color),
            );
            x += 7.0;
        }
    }
    if response.clicked() {
        actions.push(Command::ToggleLineShown(s.key.clone()));
    }
}

fn headline(ui: &mut Ui, infos: &[ReleaseInfo], actions: &mut Vec<Command>) {
    let failing = verdict::not_conformant(infos);
    let color = if failing.is_empty() {
        style::passed(ui)
    } else {
        style::failed(ui)
    };
    ui.horizontal_wrapped(|ui| {
        let icon = if failing.is_empty() {
            style::Icon::Check
        } else {
            style::Icon::Cross
        };
        style::icon(ui, icon, 24.0, color);
        ui.label(RichText::new(verdict::headline(infos)).size(22.0).strong());
    });
    if failing.is_empty() {
        ui.label(
            RichText::new("Every loaded release passed all of its required conformance tests.")
                .weak(),
        );
    } else {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Look first at:").weak());
            for &i in failing.iter().take(8) {
                let info = &infos[i];
                let c = &info.counts;
                // Only what nothing explains counts here: known defects and
                // caveats have their explanation.
                let text = if info.unexplained == 0 && info.known_defects > 0 {
                    format!(
                        "{} ({}, all documented)",
                        info.list_label,
                        verdict::plural(
                            info.known_defects as usize,
                            "known defect",
                            "known defects"
                        )
                    )
                } else if info.profile_applies || info.known_defects > 0 {
                    format!("{} ({} unexplained)", info.list_label, info.unexplained)
                } else {
                    format!(
                        "{} ({} failed, {} skipped)",
                        info.list_label, c.failed, c.skipped
                    )
                };
                if ui
                    .link(text)
                    .on_hover_text("Show the tests of this release that did not pass")
                    .clicked()
                {
                    actions.push(Command::ShowProblems(i));
                }
            }
            if failing.len() > 8 {
                ui.label(RichText::new(format!("and {} more", failing.len() - 8)).weak());
            }
        });
    }
}

/// Room the two export buttons take at the right of a chart header.
const EXPORT_BUTTONS_WIDTH: f32 = 200.0;

/// A chart's header: its title and legend on the left, wrapping onto more
/// rows when narrow, and its export buttons on the right, never covered.
fn chart_header(
    ui: &mut Ui,
    kind: ChartKind,
    actions: &mut Vec<Command>,
    left: impl FnOnce(&mut Ui),
) {
    ui.horizontal(|ui| {
        let width = (ui.available_width() - EXPORT_BUTTONS_WIDTH - (RIGHT_AXIS - 8.0)).max(120.0);
        ui.allocate_ui_with_layout(
            egui::vec2(width, 0.0),
            egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
            left,
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
            ui.add_space(RIGHT_AXIS - 8.0);
            export_buttons_rtl(ui, kind, actions);
        });
    });
}

/// The spacing below which egui_plot hides an x-axis label, and above which
/// it draws it at full strength: small, since every release label is cut to
/// fit its bar.
pub(crate) const RELEASE_LABEL_SPACING: std::ops::RangeInclusive<f32> = 16.0..=24.0;

/// A plot over `n` releases that stays put: no drag, zoom or scroll, x
/// from the first release to the last, y from 0 to `y_max`, a grid mark at
/// each release. The overview and the caveats tab chart on it.
pub(crate) fn fixed_release_plot<'a>(id: &str, height: f32, n: usize, y_max: f64) -> Plot<'a> {
    still_plot(id, height)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .include_y(0.0)
        .include_y(y_max)
        .x_grid_spacer(release_spacer(n))
}

/// An empty right axis as wide as the pass-rate axis, so a chart's plot
/// area lines up with the trend chart's.
fn blank_right_axis<'a>() -> AxisHints<'a> {
    AxisHints::new_y()
        .placement(HPlacement::Right)
        .min_thickness(RIGHT_AXIS)
        .formatter(|_, _| String::new())
}

/// A plot that stays put: no drag, zoom or scroll, no background.
fn still_plot<'a>(id: &str, height: f32) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_background(false)
}

fn release_spacer(n: usize) -> impl Fn(GridInput) -> Vec<GridMark> {
    move |input| {
        let (lo, hi) = input.bounds;
        let last = n.saturating_sub(1) as f64;
        let start = lo.ceil().max(0.0);
        let end = hi.floor().min(last);
        let mut marks = Vec::new();
        let mut i = start;
        while i <= end {
            let k = i as u64;
            let step_size = if k.is_multiple_of(10) {
                10.0
            } else if k.is_multiple_of(5) {
                5.0
            } else {
                1.0
            };
            marks.push(GridMark {
                value: i,
                step_size,
            });
            i += 1.0;
        }
        marks
    }
}

/// The two export buttons of a chart, in a right-to-left layout.
fn export_buttons_rtl(ui: &mut Ui, kind: ChartKind, actions: &mut Vec<Command>) {
    export_dialog::chart_buttons(ui, kind, true, actions);
}

/// The top of the count axis: the largest count rounded up to a hundred, so
/// the pass-rate axis on the right gets round percentages on the same grid.
fn count_scale(bars: &[BarItem<'_>]) -> f64 {
    let max = bars.iter().map(|b| b.info.counts.total).max().unwrap_or(0);
    (max.div_ceil(100).max(1) * 100) as f64
}

/// The x-axis labels of a bar chart: each bar's label, cut to what fits
/// under its bar (about 8 px a character, a little gap).
fn bar_axis<'a>(
    ui: &Ui,
    bars: &'a [BarItem<'a>],
) -> impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String + 'a {
    // The plot spans n + 0.2 bars (`fixed_release_plot`) plus egui_plot's
    // margin of 5% on each side.
    let per_bar =
        (ui.available_width() - LEFT_AXIS - RIGHT_AXIS) / ((bars.len().max(1) as f32 + 0.2) * 1.1);
    let max_chars = (((per_bar - 12.0) / 8.0) as usize).clamp(3, 18);
    // egui_plot drops a tick label wider than its grid step (one bar), so
    // each label is cut, as measured in the axis font, until it fits.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let labels: Vec<String> = bars
        .iter()
        .map(|b| {
            // The estimate of 8 points a character is rough: try two more.
            let mut chars = max_chars + 2;
            loop {
                let text = crate::labels::cut_middle(&b.label, chars);
                let width = ui
                    .painter()
                    .layout_no_wrap(text.clone(), font.clone(), Color32::WHITE)
                    .size()
                    .x;
                if width <= per_bar - 4.0 || chars <= 2 {
                    break text;
                }
                chars -= 1;
            }
        })
        .collect();
    move |mark, _| {
        let rounded = mark.value.round();
        if (mark.value - rounded).abs() > 1e-6 || rounded < 0.0 {
            return String::new();
        }
        labels.get(rounded as usize).cloned().unwrap_or_default()
    }
}

/// Give each charted item its own hover area: a tooltip with a background
/// beside the pointer (never over the item), a node in the accessibility
/// tree named by its label, and its click. `items` are `(screen rect, label,
/// tooltip)`; returns the index of the item clicked.
pub(crate) fn mark_items(
    ui: &mut Ui,
    id: &str,
    plot: &egui::Response,
    items: impl Iterator<Item = (egui::Rect, String, String)>,
) -> Option<usize> {
    let mut clicked = None;
    let clip = plot.rect;
    for (n, (rect, label, tooltip)) in items.enumerate() {
        let rect = rect.intersect(clip);
        if !rect.is_positive() {
            continue;
        }
        let response = ui.interact(rect, ui.scope_id().with((id, n)), egui::Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label.clone()));
        if response.hovered() {
            ui.painter().rect_stroke(
                rect.expand(1.0),
                2.0,
                Stroke::new(1.5, ui.visuals().strong_text_color()),
                egui::StrokeKind::Outside,
            );
        }
        if response.clicked() {
            clicked = Some(n);
        }
        response.on_hover_text(tooltip);
    }
    clicked
}

fn trend_chart(
    ui: &mut Ui,
    bars: &[BarItem<'_>],
    join: bool,
    height: f32,
    actions: &mut Vec<Command>,
) {
    let scale = count_scale(bars);
    let (green, red, amber, blue) = (
        style::passed(ui),
        style::failed(ui),
        style::skipped(ui),
        style::accent(ui),
    );
    let make = |pick: fn(&ReleaseInfo) -> u64, color: Color32| -> Vec<Bar> {
        bars.iter()
            .enumerate()
            .map(|(x, b)| {
                Bar::new(x as f64, pick(b.info) as f64)
                    .width(0.6)
                    .fill(color.gamma_multiply(0.85))
                    .stroke(Stroke::new(1.0, color))
            })
            .collect()
    };
    let passed = BarChart::new("passed", make(|i| i.counts.passed, green))
        .color(green)
        .allow_hover(false);
    let failed = BarChart::new("failed", make(|i| i.counts.failed, red))
        .color(red)
        .allow_hover(false)
        .stack_on(&[&passed]);
    let skipped = BarChart::new("skipped", make(|i| i.counts.skipped, amber))
        .color(amber)
        .allow_hover(false)
        .stack_on(&[&passed, &failed]);
    let rate: Vec<[f64; 2]> = bars
        .iter()
        .enumerate()
        .map(|(x, b)| [x as f64, b.info.counts.pass_rate() * scale])
        .collect();
    let n = bars.len();
    let response = fixed_release_plot("cv-trend", height, n, scale)
        .custom_x_axes(vec![
            AxisHints::new_x()
                // One label per bar, each cut to its bar's width: shown even
                // where egui_plot would thin labels closer than 60 points.
                .label_spacing(RELEASE_LABEL_SPACING)
                .formatter(bar_axis(ui, bars)),
        ])
        .show_grid([false, true])
        .show_x(false)
        .show_y(false)
        .custom_y_axes(vec![
            AxisHints::new_y().label("tests").min_thickness(LEFT_AXIS),
            AxisHints::new_y()
                .label("pass rate")
                .min_thickness(RIGHT_AXIS)
                .placement(HPlacement::Right)
                .formatter(move |mark, _| {
                    let pct = mark.value / scale * 100.0;
                    if (0.0..=100.0).contains(&pct) {
                        format!("{pct:.0}%")
                    } else {
                        String::new()
                    }
                }),
        ])
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.bar_chart(passed);
            plot.bar_chart(failed);
            plot.bar_chart(skipped);
            if join && n > 1 {
                plot.line(
                    Line::new("pass rate", PlotPoints::from(rate.clone()))
                        .color(blue)
                        .width(2.0)
                        .allow_hover(false),
                );
            }
            plot.points(
                egui_plot::Points::new("pass rate points", rate)
                    .color(blue)
                    .radius(3.0)
                    .allow_hover(false),
            );
        });
    let t = response.transform;
    let items = bars.iter().enumerate().map(|(x, b)| {
        let top = t.position_from_point(&PlotPoint::new(
            x as f64 - 0.3,
            scale.max(b.info.counts.total as f64),
        ));
        let bottom = t.position_from_point(&PlotPoint::new(x as f64 + 0.3, 0.0));
        (
            egui::Rect::from_two_pos(top, bottom),
            b.name.clone(),
            b.tooltip.clone(),
        )
    });
    if let Some(k) = mark_items(ui, "cv-trend-bar", &response.response, items) {
        let b = &bars[k];
        actions.push(match &b.line_key {
            Some(key) => Command::SetLineFilter(Some(key.clone())),
            None => Command::SelectRelease {
                index: b.index,
                mode: super::SelectMode::Only,
            },
        });
    }
}

fn bar_tooltip(info: &ReleaseInfo, line: &str) -> String {
    let c = &info.counts;
    format!(
        "{}\nProduct line: {line}\nKubernetes {}\n{} passed · {} failed · {} skipped of {} required\npass rate {:.1}%",
        info.label,
        info.version_text,
        c.passed,
        c.failed,
        c.skipped,
        c.total,
        c.pass_rate() * 100.0
    )
}

/// A unit that gives a run-time axis a few round labels.
fn time_unit(max_secs: f64) -> (&'static str, f64) {
    if max_secs >= 10.0 * 3600.0 {
        ("hours", 3600.0)
    } else if max_secs >= 600.0 {
        ("minutes", 60.0)
    } else {
        ("seconds", 1.0)
    }
}

fn duration_chart(ui: &mut Ui, bars: &[BarItem<'_>], height: f32, actions: &mut Vec<Command>) {
    let max_secs = bars
        .iter()
        .filter_map(|b| b.info.duration_secs)
        .fold(0.0f64, f64::max);
    let (unit, div) = time_unit(max_secs);
    let color = style::accent(ui);
    let plotted: Vec<Bar> = bars
        .iter()
        .enumerate()
        .filter_map(|(x, b)| {
            let secs = b.info.duration_secs?;
            Some(
                Bar::new(x as f64, secs / div)
                    .width(0.6)
                    .fill(color.gamma_multiply(0.5))
                    .stroke(Stroke::new(1.0, color)),
            )
        })
        .collect();
    let n = bars.len();
    let latest = bars.iter().any(|b| b.line_key.is_some());
    chart_header(ui, ChartKind::Duration, actions, |ui| {
        let of = if latest {
            "of each line's latest release"
        } else {
            "per release"
        };
        ui.label(RichText::new(format!("Suite run time {of} ({unit})")).strong());
    });
    let response = fixed_release_plot("cv-duration", height, n, 0.0)
        .show_x(false)
        .show_y(false)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label_spacing(RELEASE_LABEL_SPACING)
                .formatter(bar_axis(ui, bars)),
        ])
        .show_grid([false, true])
        .custom_y_axes(vec![
            AxisHints::new_y().label(unit).min_thickness(LEFT_AXIS),
            blank_right_axis(),
        ])
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("run time", plotted)
                    .color(color)
                    .allow_hover(false),
            );
        });
    let t = response.transform;
    let top_y = t.bounds().max()[1];
    let items = bars.iter().enumerate().filter_map(|(x, b)| {
        let secs = b.info.duration_secs?;
        let top = t.position_from_point(&PlotPoint::new(x as f64 - 0.3, top_y));
        let bottom = t.position_from_point(&PlotPoint::new(x as f64 + 0.3, 0.0));
        Some((
            egui::Rect::from_two_pos(top, bottom),
            format!("{} run time", b.name),
            format!("{}\nsuite run time {}", b.info.label, style::duration(secs)),
        ))
    });
    mark_items(ui, "cv-duration-bar", &response.response, items);
}

/// What a series chart plots per release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SeriesValue {
    /// The pass rate of the required tests, in percent.
    PassRate,
    /// The failed (solid) and skipped (dashed) required tests.
    NotPassed,
}

/// One series per shown product line on a Kubernetes-minor axis; a line is
/// drawn only between its own points.
fn series_chart(
    ui: &mut Ui,
    charted: &Charted<'_>,
    value: SeriesValue,
    height: f32,
    actions: &mut Vec<Command>,
) {
    let shown: Vec<&Series<'_>> = charted.series.iter().filter(|s| s.shown).collect();
    let xs = shown.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (lo, hi) = if lo > hi {
        (18.0, 35.0)
    } else {
        (lo.round(), hi.round())
    };
    let y_max = match value {
        SeriesValue::PassRate => 100.0,
        SeriesValue::NotPassed => {
            let m = shown
                .iter()
                .flat_map(|s| s.points.iter())
                .map(|p| p.2.counts.failed.max(p.2.counts.skipped))
                .max()
                .unwrap_or(0);
            ((m as f64) * 1.15).max(4.0)
        }
    };
    if value == SeriesValue::NotPassed {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Required tests that did not pass, per product line").strong());
            ui.add_space(12.0);
            let ink = ui.visuals().text_color();
            style::line_swatch(ui, ink, false);
            ui.label("failed");
            style::line_swatch(ui, ink, true);
            ui.label("skipped");
        });
    }
    if shown.is_empty() {
        ui.label(
            RichText::new("Every line is hidden: click one in the legend above to chart it.")
                .weak(),
        );
        return;
    }
    let id = match value {
        SeriesValue::PassRate => "cv-series-rate",
        SeriesValue::NotPassed => "cv-series-not-passed",
    };
    let y_label = match value {
        SeriesValue::PassRate => "pass rate %",
        SeriesValue::NotPassed => "tests",
    };
    let response = still_plot(id, height)
        .show_x(false)
        .show_y(false)
        .include_x(lo - 0.5)
        .include_x(hi + 0.5)
        .include_y(0.0)
        // A little room above the top, so points at 100 % are whole.
        .include_y(y_max * 1.04)
        .x_grid_spacer(minor_spacer)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label_spacing(RELEASE_LABEL_SPACING)
                .formatter(move |mark, _| {
                    let v = mark.value.round();
                    if (mark.value - v).abs() > 1e-6 || v < lo || v > hi {
                        return String::new();
                    }
                    let (major, minor) = (v as u32 / 100 + 1, v as u32 % 100);
                    format!("v{major}.{minor}")
                }),
        ])
        .show_grid([true, true])
        .custom_y_axes(vec![
            AxisHints::new_y().label(y_label).min_thickness(LEFT_AXIS),
            blank_right_axis(),
        ])
        .label_formatter(|_| None)
        .show(ui, |plot| {
            for (n, s) in shown.iter().enumerate() {
                let series: Vec<(&str, Vec<[f64; 2]>, bool)> = match value {
                    SeriesValue::PassRate => vec![(
                        "rate",
                        s.points
                            .iter()
                            .map(|p| [p.0, p.2.counts.pass_rate() * 100.0])
                            .collect(),
                        false,
                    )],
                    SeriesValue::NotPassed => vec![
                        (
                            "failed",
                            s.points
                                .iter()
                                .map(|p| [p.0, p.2.counts.failed as f64])
                                .collect(),
                            false,
                        ),
                        (
                            "skipped",
                            s.points
                                .iter()
                                .map(|p| [p.0, p.2.counts.skipped as f64])
                                .collect(),
                            true,
                        ),
                    ],
                };
                for (what, pts, dashed) in series {
                    if pts.len() > 1 {
                        let mut line =
                            Line::new(format!("{} {what}", s.name), PlotPoints::from(pts.clone()))
                                .id((id, n, what, "line"))
                                .color(s.color)
                                .width(2.0)
                                .allow_hover(false);
                        if dashed {
                            line = line.style(egui_plot::LineStyle::dashed_dense());
                        }
                        plot.line(line);
                    }
                    plot.points(
                        egui_plot::Points::new(format!("{} {what} points", s.name), pts)
                            .id((id, n, what, "points"))
                            .color(s.color)
                            .radius(if dashed { 2.5 } else { 3.5 })
                            .allow_hover(false),
                    );
                }
            }
        });
    let t = response.transform;
    let mut targets: Vec<(usize, Option<String>)> = Vec::new();
    let mut items = Vec::new();
    for s in &shown {
        for (x, i, info, label) in &s.points {
            let y = match value {
                SeriesValue::PassRate => info.counts.pass_rate() * 100.0,
                SeriesValue::NotPassed => info.counts.failed as f64,
            };
            let at = t.position_from_point(&PlotPoint::new(*x, y));
            let name = match value {
                SeriesValue::PassRate => format!("{} {label}", s.name),
                SeriesValue::NotPassed => format!("{} {label} failed", s.name),
            };
            let tooltip = bar_tooltip(info, &s.name);
            items.push((
                egui::Rect::from_center_size(at, egui::vec2(14.0, 14.0)),
                name,
                tooltip,
            ));
            targets.push((*i, None));
        }
    }
    if let Some(k) = mark_items(ui, id, &response.response, items.into_iter())
        && let Some((index, _)) = targets.get(k)
    {
        actions.push(Command::SelectRelease {
            index: *index,
            mode: super::SelectMode::Only,
        });
    }
}

/// A grid mark at every Kubernetes minor.
fn minor_spacer(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let mut marks = Vec::new();
    let mut v = lo.ceil().max(0.0);
    while v <= hi {
        marks.push(GridMark {
            value: v,
            step_size: if (v as u64).is_multiple_of(5) {
                5.0
            } else {
                1.0
            },
        });
        v += 1.0;
    }
    marks
}

/// The verdict of each charted release (`rows`: corpus indices, in chart
/// order), with its product line when several are charted.
fn verdict_table(ui: &mut Ui, state: &AppState, rows: &[usize], actions: &mut Vec<Command>) {
    let infos = state.infos();
    let lines = state.lines();
    let several = rows
        .iter()
        .filter_map(|&i| lines.of_release.get(i))
        .collect::<std::collections::HashSet<_>>()
        .len()
        > 1;
    ui.label(RichText::new("Verdict per release").strong());
    ui.push_id("cv-verdict-table", |ui| {
        ui.style_mut().interaction.selectable_labels = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .id_salt("cv-verdict-table")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .auto_shrink([false, true])
            // A bounded height keeps the body virtualised (only visible rows
            // are laid out) even inside the overview's own scroll area.
            .max_scroll_height(420.0)
            // The release takes what the other columns leave.
            .column(Column::remainder().at_least(110.0).clip(true))
            .columns(Column::initial(150.0).at_least(60.0).clip(true).resizable(true), usize::from(several))
            .column(Column::initial(140.0).at_least(80.0).clip(true).resizable(true))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(70.0))
            .columns(Column::auto().at_least(50.0), 4)
            .column(Column::auto().at_least(76.0))
            .column(Column::auto().at_least(90.0))
            .header(row_height, |mut header| {
                for title in [
                    "Release",
                    "Product line",
                    "Kubernetes",
                    "Verdict",
                    "Caveats",
                    "Passed",
                    "Failed",
                    "Skipped",
                    "Required",
                    "Run time",
                    "Agrees with e2e.log",
                ] {
                    if title == "Product line" && !several {
                        continue;
                    }
                    header.col(|ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let i = rows[row.index()];
                    let info = &infos[i];
                    row.col(|ui| {
                        style::middle_label(ui, &info.list_label, RichText::new)
                            .on_hover_text(&info.label);
                    });
                    if several {
                        row.col(|ui| {
                            let name = lines.line_of(i).map_or("", |l| l.name.as_str());
                            style::middle_label(ui, name, RichText::new).on_hover_text(name);
                        });
                    }
                    row.col(|ui| {
                        ui.add(egui::Label::new(&info.version_text).truncate());
                    });
                    row.col(|ui| {
                        style::verdict_badge(ui, info.verdict);
                    });
                    row.col(|ui| caveats_cell(ui, info));
                    let c = info.counts;
                    row.col(|ui| count_cell(ui, c.passed, style::passed));
                    row.col(|ui| count_cell(ui, c.failed, style::failed));
                    row.col(|ui| count_cell(ui, c.skipped, style::skipped));
                    row.col(|ui| {
                        ui.label(c.total.to_string()).on_hover_text(format!(
                            "{} required [Conformance] tests of {} specs in the JUnit",
                            c.total, info.specs
                        ));
                    });
                    row.col(|ui| {
                        ui.label(info.duration_secs.map_or("?".to_string(), style::duration));
                    });
                    row.col(|ui| match info.agrees {
                        Some(true) => {
                            let color = style::passed(ui);
                            style::icon(ui, style::Icon::Check, 14.0, color);
                            ui.label(RichText::new("agrees").color(color))
                                .on_hover_text("The JUnit's passed and failed specs equal the log's verdict line.");
                        }
                        Some(false) => {
                            let color = style::failed(ui);
                            style::icon(ui, style::Icon::Cross, 14.0, color);
                            ui.label(RichText::new("disagrees").color(color).strong())
                                .on_hover_text(info.disagreements.join("\n"));
                        }
                        None => {
                            ui.label(RichText::new("no verdict line").weak())
                                .on_hover_text("No e2e.log verdict line: the figures cannot be cross-checked.");
                        }
                    });
                    if row.response().clicked() {
                        actions.push(Command::SelectRelease {
                            index: i,
                            mode: super::SelectMode::Only,
                        });
                    }
                });
            });
    });
}

/// Non-passing required tests a caveat explains, and those none explains.
fn caveats_cell(ui: &mut Ui, info: &ReleaseInfo) {
    if info.known_defects > 0 {
        let text = crate::app::verdict::plural(
            info.known_defects as usize,
            "known defect",
            "known defects",
        );
        ui.label(RichText::new(text).color(style::failed(ui)))
            .on_hover_text(info.left_text());
    }
    if !info.profile_applies && info.known_defects > 0 {
        if info.unexplained > 0 {
            ui.label(
                RichText::new(format!("{} unexplained", info.unexplained))
                    .color(style::failed(ui))
                    .strong(),
            );
        }
        return;
    }
    if !info.profile_applies {
        ui.label(RichText::new("—").weak())
            .on_hover_text("The caveat profile does not apply to this release.");
        return;
    }
    let explained = info.explained();
    if explained == 0 && info.unexplained == 0 {
        ui.label(RichText::new("none needed").weak());
        return;
    }
    if explained > 0 {
        ui.label(RichText::new(format!("{explained} explained")).color(style::skipped(ui)))
            .on_hover_text(
                info.caveats
                    .iter()
                    .map(|(id, n)| format!("{id}: {n}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
    }
    if info.unexplained > 0 {
        ui.label(
            RichText::new(format!("{} unexplained", info.unexplained))
                .color(style::failed(ui))
                .strong(),
        );
    }
}

fn count_cell(ui: &mut Ui, n: u64, color: fn(&Ui) -> Color32) {
    let color = color(ui);
    let text = RichText::new(n.to_string());
    ui.label(if n == 0 {
        text.weak()
    } else {
        text.color(color).strong()
    });
}

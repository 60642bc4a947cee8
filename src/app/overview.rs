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
    AxisHints, Bar, BarChart, GridInput, GridMark, HPlacement, Line, Plot, PlotPoints,
};

use super::commands::Command;
use super::export_dialog;
use super::style;
use super::verdict::{self, ReleaseInfo};
use crate::export::ChartKind;

/// Width of the left axes, so both charts line up.
const LEFT_AXIS: f32 = 52.0;
/// Width of the right axes.
const RIGHT_AXIS: f32 = 56.0;

/// How a bar's hover text is made.
type ElementFormatter = Box<dyn Fn(&Bar, &BarChart) -> String>;

/// Draw the Overview tab.
pub fn ui(ui: &mut Ui, infos: &[ReleaseInfo], actions: &mut Vec<Command>) {
    headline(ui, infos, actions);
    ui.add_space(6.0);
    let avail = ui.available_height();
    let chart_height = (avail * 0.42).clamp(200.0, 420.0);
    legend(ui, actions);
    trend_chart(ui, infos, chart_height);
    ui.add_space(4.0);
    duration_chart(ui, infos, (avail * 0.15).clamp(100.0, 170.0), actions);
    ui.add_space(8.0);
    verdict_table(ui, infos, actions);
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
                let text = if info.profile_applies {
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

fn legend(ui: &mut Ui, actions: &mut Vec<Command>) {
    chart_header(ui, ChartKind::Trend, actions, |ui| {
        ui.label(RichText::new("Required conformance tests per release").strong());
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

/// The top of the count axis: the largest count rounded up to a hundred, so
/// the pass-rate axis on the right gets round percentages on the same grid.
fn count_scale(infos: &[ReleaseInfo]) -> f64 {
    let max = infos.iter().map(|i| i.counts.total).max().unwrap_or(0);
    (max.div_ceil(100).max(1) * 100) as f64
}

fn release_axis<'a>(
    ui: &Ui,
    infos: &'a [ReleaseInfo],
) -> impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String + 'a {
    // The plot hides a label that would overlap its neighbour, which left
    // bars without a name when two long labels met; cut each label to what
    // fits under its bar (about 8 px a character, a little gap) instead.
    let per_bar = (ui.available_width() - LEFT_AXIS - RIGHT_AXIS) / infos.len().max(1) as f32;
    let max_chars = (((per_bar - 12.0) / 8.0) as usize).clamp(3, 16);
    move |mark, _| {
        let rounded = mark.value.round();
        if (mark.value - rounded).abs() > 1e-6 || rounded < 0.0 {
            return String::new();
        }
        infos
            .get(rounded as usize)
            .map(|i| crate::labels::cut_middle(&i.short_label, max_chars))
            .unwrap_or_default()
    }
}

/// The spacing below which egui_plot hides an x-axis label, and above which
/// it draws it at full strength: small, since every release label is cut to
/// fit its bar.
pub(crate) const RELEASE_LABEL_SPACING: std::ops::RangeInclusive<f32> = 16.0..=24.0;

/// A plot over `n` releases that stays put: no drag, zoom or scroll, x
/// from the first release to the last, y from 0 to `y_max`, a grid mark at
/// each release. The overview and the caveats tab chart on it.
pub(crate) fn fixed_release_plot<'a>(id: &str, height: f32, n: usize, y_max: f64) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_background(false)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .include_y(0.0)
        .include_y(y_max)
        .x_grid_spacer(release_spacer(n))
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

fn trend_chart(ui: &mut Ui, infos: &[ReleaseInfo], height: f32) {
    let scale = count_scale(infos);
    let (green, red, amber, blue) = (
        style::passed(ui),
        style::failed(ui),
        style::skipped(ui),
        style::accent(ui),
    );
    let bars = |pick: fn(&ReleaseInfo) -> u64, color: Color32| -> Vec<Bar> {
        infos
            .iter()
            .enumerate()
            .map(|(x, info)| {
                Bar::new(x as f64, pick(info) as f64)
                    .width(0.6)
                    .fill(color.gamma_multiply(0.85))
                    .stroke(Stroke::new(1.0, color))
                    .name(bar_tooltip(info))
            })
            .collect()
    };
    let formatter = || -> ElementFormatter { Box::new(|bar, _| bar.name.clone()) };
    let passed = BarChart::new("passed", bars(|i| i.counts.passed, green))
        .color(green)
        .element_formatter(formatter());
    let failed = BarChart::new("failed", bars(|i| i.counts.failed, red))
        .color(red)
        .element_formatter(formatter())
        .stack_on(&[&passed]);
    let skipped = BarChart::new("skipped", bars(|i| i.counts.skipped, amber))
        .color(amber)
        .element_formatter(formatter())
        .stack_on(&[&passed, &failed]);
    let rate: PlotPoints = infos
        .iter()
        .enumerate()
        .map(|(x, i)| [x as f64, i.counts.pass_rate() * scale])
        .collect();
    let n = infos.len();
    fixed_release_plot("cv-trend", height, n, scale)
        .custom_x_axes(vec![
            AxisHints::new_x()
                // One label per bar, each cut to its bar's width: shown even
                // where egui_plot would thin labels closer than 60 points.
                .label_spacing(RELEASE_LABEL_SPACING)
                .formatter(release_axis(ui, infos)),
        ])
        .show_grid([false, true])
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
        .label_formatter(|pos| match pos {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name: "pass rate",
                index,
                ..
            } => infos.get(*index).map(|i| {
                format!(
                    "{}\npass rate {:.1}% ({} of {} required)",
                    i.label,
                    i.counts.pass_rate() * 100.0,
                    i.counts.passed,
                    i.counts.total
                )
            }),
            _ => None,
        })
        .show(ui, |plot| {
            plot.bar_chart(passed);
            plot.bar_chart(failed);
            plot.bar_chart(skipped);
            plot.line(Line::new("pass rate", rate).color(blue).width(2.0));
            plot.points(
                egui_plot::Points::new(
                    "pass rate points",
                    infos
                        .iter()
                        .enumerate()
                        .map(|(x, i)| [x as f64, i.counts.pass_rate() * scale])
                        .collect::<Vec<_>>(),
                )
                .color(blue)
                .radius(3.0)
                .allow_hover(false),
            );
        });
}

fn bar_tooltip(info: &ReleaseInfo) -> String {
    let c = &info.counts;
    format!(
        "{}\nKubernetes {}\n{} passed · {} failed · {} skipped of {} required\npass rate {:.1}%",
        info.label,
        info.version_text,
        c.passed,
        c.failed,
        c.skipped,
        c.total,
        c.pass_rate() * 100.0
    )
}

/// The two export buttons of a chart, in a right-to-left layout.
fn export_buttons_rtl(ui: &mut Ui, kind: ChartKind, actions: &mut Vec<Command>) {
    export_dialog::chart_buttons(ui, kind, true, actions);
}

fn duration_chart(ui: &mut Ui, infos: &[ReleaseInfo], height: f32, actions: &mut Vec<Command>) {
    let max_secs = infos
        .iter()
        .filter_map(|i| i.duration_secs)
        .fold(0.0f64, f64::max);
    // A unit that gives the axis a few round labels.
    let (unit, div) = if max_secs >= 10.0 * 3600.0 {
        ("hours", 3600.0)
    } else if max_secs >= 600.0 {
        ("minutes", 60.0)
    } else {
        ("seconds", 1.0)
    };
    let color = style::accent(ui);
    let bars: Vec<Bar> = infos
        .iter()
        .enumerate()
        .filter_map(|(x, i)| {
            let secs = i.duration_secs?;
            Some(
                Bar::new(x as f64, secs / div)
                    .width(0.6)
                    .fill(color.gamma_multiply(0.5))
                    .stroke(Stroke::new(1.0, color))
                    .name(format!(
                        "{}\nsuite run time {}",
                        i.label,
                        style::duration(secs)
                    )),
            )
        })
        .collect();
    let n = infos.len();
    chart_header(ui, ChartKind::Duration, actions, |ui| {
        ui.label(RichText::new(format!("Suite run time per release ({unit})")).strong());
    });
    Plot::new("cv-duration")
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_background(false)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .include_y(0.0)
        .x_grid_spacer(release_spacer(n))
        .custom_x_axes(vec![
            AxisHints::new_x()
                // One label per bar, each cut to its bar's width: shown even
                // where egui_plot would thin labels closer than 60 points.
                .label_spacing(RELEASE_LABEL_SPACING)
                .formatter(release_axis(ui, infos)),
        ])
        .show_grid([false, true])
        .custom_y_axes(vec![
            AxisHints::new_y().label(unit).min_thickness(LEFT_AXIS),
            // An empty right axis keeps the bars under those of the chart above.
            AxisHints::new_y()
                .placement(HPlacement::Right)
                .min_thickness(RIGHT_AXIS)
                .formatter(|_, _| String::new()),
        ])
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("run time", bars)
                    .color(color)
                    .element_formatter(Box::new(|bar, _| bar.name.clone())),
            );
        });
}

fn verdict_table(ui: &mut Ui, infos: &[ReleaseInfo], actions: &mut Vec<Command>) {
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
            .column(Column::initial(140.0).at_least(80.0).clip(true).resizable(true))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(70.0))
            .columns(Column::auto().at_least(50.0), 4)
            .column(Column::auto().at_least(76.0))
            .column(Column::auto().at_least(90.0))
            .header(row_height, |mut header| {
                for title in [
                    "Release",
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
                    header.col(|ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, infos.len(), |mut row| {
                    let i = row.index();
                    let info = &infos[i];
                                        row.col(|ui| {
                        style::middle_label(ui, &info.list_label, RichText::new)
                            .on_hover_text(&info.label);
                    });
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

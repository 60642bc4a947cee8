//! The release list (left panel): every loaded release with its verdict and
//! the counts of its required tests, grouped under its product line (each
//! line's header folds it, names its latest verdict and selects its
//! releases), or narrowed to one line by the filter above; click to select one,
//! Ctrl-click to add or remove one, Shift-click to select a range. A right
//! click opens a menu that turns the caveat profile on or off for a release.

use egui::{Frame, Margin, RichText, Sense, Ui, UiBuilder};

use super::caveats_view::CaveatAction;
use super::commands::{Command, SelectMode};
use super::lines_view;
use super::state::AppState;
use super::style;
use super::verdict::{self, ReleaseInfo};

/// Height of one release row, in points (the list is virtualised).
const ROW_HEIGHT: f32 = 66.0;
/// Height of a product line's header row.
const HEADER_HEIGHT: f32 = 30.0;

/// One row of the list: a line's header or a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    /// The header of the line at this index of [`crate::lines::Lines::lines`].
    Header(usize),
    /// The release at this index of the corpus.
    Release(usize),
}

impl Entry {
    fn height(self) -> f32 {
        match self {
            Entry::Header(_) => HEADER_HEIGHT,
            Entry::Release(_) => ROW_HEIGHT,
        }
    }
}

/// Draw the release list. `profile` names the caveat profile (e.g.
/// "vSphere Supervisor") in the rows' menu.
pub fn ui(ui: &mut Ui, state: &AppState, profile: &str, actions: &mut Vec<Command>) {
    let infos = state.infos();
    let lines = state.lines();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Releases");
        ui.label(RichText::new(infos.len().to_string()).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("None")
                .on_hover_text("Clear the selection")
                .clicked()
            {
                actions.push(Command::SelectNone);
            }
            if ui
                .small_button("All")
                .on_hover_text("Select every release")
                .clicked()
            {
                actions.push(Command::SelectAll);
            }
        });
    });
    if state.is_sample() {
        ui.label(
            RichText::new("Sample data: not real results")
                .color(style::skipped(ui))
                .small(),
        );
    }
    if lines.lines.len() > 1 || state.line_filter.is_some() {
        lines_view::filter_row(ui, state, actions);
    }
    let mac = ui.ctx().os() == egui::os::OperatingSystem::Mac;
    ui.label(
        RichText::new(crate::labels::selection_hint(mac))
            .small()
            .weak(),
    );
    ui.separator();
    if infos.is_empty() {
        ui.add_space(12.0);
        ui.label(RichText::new("Nothing open yet.").weak());
        return;
    }
    let entries = entries(state);
    let mut tops = Vec::with_capacity(entries.len() + 1);
    let mut y = 0.0;
    for e in &entries {
        tops.push(y);
        y += e.height();
    }
    tops.push(y);
    let total = y;
    egui::ScrollArea::vertical()
        .id_salt("cv-release-list")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            ui.set_height(total);
            let first = tops
                .partition_point(|&t| t <= viewport.min.y)
                .saturating_sub(1);
            let origin = ui.min_rect().min;
            for (k, entry) in entries.iter().enumerate().skip(first) {
                let top = tops[k];
                if top > viewport.max.y {
                    break;
                }
                let rect = egui::Rect::from_min_size(
                    origin + egui::vec2(0.0, top),
                    egui::vec2(ui.available_width(), entry.height()),
                );
                let mut child =
                    ui.new_child(UiBuilder::new().max_rect(rect).id_salt(("cv-entry", k)));
                match *entry {
                    Entry::Header(l) => header(&mut child, state, l, actions),
                    Entry::Release(i) => row(
                        &mut child,
                        i,
                        &infos[i],
                        state.lines().runs.get(i).copied().filter(|r| r.1 > 1),
                        state.selection.contains(&i),
                        profile,
                        actions,
                    ),
                }
            }
        });
}

/// The rows of the list: with grouping, each line's header followed by its
/// releases (unless folded); without, the releases in list order.
fn entries(state: &AppState) -> Vec<Entry> {
    if !state.grouped() {
        return state.list_order().into_iter().map(Entry::Release).collect();
    }
    let lines = state.lines();
    let mut out = Vec::with_capacity(state.corpus.releases.len() + lines.lines.len());
    for (l, line) in lines.lines.iter().enumerate() {
        out.push(Entry::Header(l));
        if !state.collapsed_lines.contains(&line.key) {
            out.extend(line.releases.iter().map(|&i| Entry::Release(i)));
        }
    }
    out
}

/// A product line's header: fold arrow, name, release count and the
/// verdict of its latest release. A click on the name selects the line.
fn header(ui: &mut Ui, state: &AppState, index: usize, actions: &mut Vec<Command>) {
    let Some(line) = state.lines().lines.get(index) else {
        return;
    };
    let folded = state.collapsed_lines.contains(&line.key);
    ui.horizontal_centered(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        let icon = if folded {
            style::Icon::Folded
        } else {
            style::Icon::Unfolded
        };
        let color = ui.visuals().text_color();
        let arrow = style::icon(ui, icon, 14.0, color)
            .interact(Sense::click())
            .on_hover_text(if folded {
                "Unfold the line"
            } else {
                "Fold the line"
            });
        arrow.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("{} {}", if folded { "Unfold" } else { "Fold" }, line.name),
            )
        });
        if arrow.clicked() {
            actions.push(Command::ToggleLineFolded(line.key.clone()));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(latest) = line.latest(&state.corpus)
                && let Some(info) = state.infos().get(latest)
            {
                style::verdict_badge(ui, info.verdict).on_hover_text(format!(
                    "The line's latest release, {} ({}): {}",
                    info.list_label,
                    info.version_text,
                    info.verdict.explanation()
                ));
            }
            ui.label(RichText::new(line.releases.len().to_string()).weak())
                .on_hover_text("Releases of this line");
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                let name = crate::labels::cut_middle(
                    &line.name,
                    ((ui.available_width() / 7.5) as usize).max(6),
                );
                let response = ui
                    .add(
                        egui::Label::new(RichText::new(name).strong().color(style::accent(ui)))
                            .sense(Sense::click()),
                    )
                    .on_hover_text(format!(
                        "{}\nClick to select its {} releases",
                        line.full_name(),
                        line.releases.len()
                    ));
                if response.clicked() {
                    actions.push(Command::SelectLine(line.key.clone()));
                }
            });
        });
    });
}

/// One release row; `run` is `(k, n)` when its line has `n` runs of its
/// Kubernetes minor and this is the `k`th.
fn row(
    ui: &mut Ui,
    index: usize,
    info: &ReleaseInfo,
    run: Option<(usize, usize)>,
    selected: bool,
    profile: &str,
    actions: &mut Vec<Command>,
) {
    let width = ui.available_width();
    let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(width, ROW_HEIGHT));
    let response = ui
        .scope_builder(
            UiBuilder::new()
                .id_salt(("release-row", index))
                .max_rect(rect)
                .sense(Sense::click()),
            |ui| {
                let hovered = ui.response().hovered();
                let visuals = ui.visuals();
                let fill = if selected {
                    visuals.selection.bg_fill.gamma_multiply(0.55)
                } else if hovered {
                    visuals.widgets.hovered.weak_bg_fill
                } else {
                    visuals.faint_bg_color
                };
                Frame::new()
                    .fill(fill)
                    .corner_radius(6)
                    .inner_margin(Margin::symmetric(8, 5))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.set_min_height(ROW_HEIGHT - 12.0);
                        ui.style_mut().interaction.selectable_labels = false;
                        ui.spacing_mut().item_spacing.y = 2.0;
                        ui.horizontal(|ui| {
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    style::verdict_badge(ui, info.verdict)
                                        .on_hover_text(caveat_summary(info, profile));
                                    if info.has_problems() {
                                        warning_icon(ui, info);
                                    }
                                    ui.with_layout(
                                        egui::Layout::left_to_right(egui::Align::Center),
                                        |ui| {
                                            // One tooltip: the whole label.
                                            style::middle_label_titled(
                                                ui,
                                                &info.list_label,
                                                &info.label,
                                                |t| RichText::new(t).strong(),
                                            );
                                        },
                                    );
                                },
                            );
                        });
                        version_line(ui, info, run);
                        counts_line(ui, info);
                    });
            },
        )
        .response;
    // The row as one phrase for screen readers (and tests): the same
    // figures the row shows, from the release's assessment.
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::ListBoxOption,
            true,
            selected,
            info.summary_line(),
        )
    });
    response.context_menu(|ui| {
        let detected = info.profile_detected;
        let mut on = info.profile_applies;
        let toggle = ui
            .add_enabled(
                !detected,
                egui::Checkbox::new(
                    &mut on,
                    format!("Apply the {profile} caveats to this release"),
                ),
            )
            .on_disabled_hover_text(
                "Detected from its Kubernetes version or PRODUCT.yaml: the caveats always apply",
            );
        if toggle.changed() {
            actions.push(Command::Caveats(CaveatAction::ToggleScope(
                info.label.clone(),
            )));
            ui.close();
        }
        if ui.button("Show its tests that did not pass").clicked() {
            actions.push(Command::ShowProblems(index));
            ui.close();
        }
    });
    if response.clicked() {
        let mode = ui.input(|i| {
            if i.modifiers.shift {
                SelectMode::Range
            } else if i.modifiers.command {
                SelectMode::Toggle
            } else {
                SelectMode::Only
            }
        });
        actions.push(Command::SelectRelease { index, mode });
    }
}

/// Append `text` in `font` and `color` to a layout job.
fn append(job: &mut egui::text::LayoutJob, font: &egui::FontId, text: &str, color: egui::Color32) {
    let format = egui::TextFormat {
        font_id: font.clone(),
        color,
        ..Default::default()
    };
    job.append(text, 0.0, format);
}

/// The Kubernetes version, then what the caveats make of the release.
fn version_line(ui: &mut Ui, info: &ReleaseInfo, run: Option<(usize, usize)>) {
    let mut job = egui::text::LayoutJob::default();
    let font = egui::TextStyle::Small.resolve(ui.style());
    let weak = ui.visuals().weak_text_color();
    let mut add = |text: &str, color: egui::Color32| append(&mut job, &font, text, color);
    // No "Kubernetes" word: the line must leave room for the caveats.
    add(&info.version_text, weak);
    if let Some((k, n)) = run {
        add(&format!(" · run {k} of {n}"), style::accent(ui));
    }
    if info.known_defects > 0 {
        add(" · ", weak);
        add(
            &verdict::plural(info.known_defects as usize, "known defect", "known defects"),
            style::failed(ui),
        );
        if !info.profile_applies && info.unexplained > 0 {
            add(" · ", weak);
            add(
                &format!("{} unexplained", info.unexplained),
                style::failed(ui),
            );
        }
    }
    if !info.also_at.is_empty() {
        add(" · ", weak);
        add(
            &format!(
                "also at {}",
                verdict::plural(info.also_at.len(), "more place", "more places")
            ),
            style::accent(ui),
        );
    }
    let tagged_failed = info.assessment.tagged.failed;
    if tagged_failed > 0 {
        add(" · ", weak);
        add(
            &format!("{tagged_failed} failed, not required"),
            style::muted(ui),
        );
    }
    if info.profile_applies {
        let explained = info.explained();
        if explained > 0 {
            add(" · ", weak);
            add(
                &verdict::plural(explained as usize, "caveat", "caveats"),
                style::skipped(ui),
            );
        }
        if info.unexplained > 0 {
            add(" · ", weak);
            add(
                &format!("{} unexplained", info.unexplained),
                style::failed(ui),
            );
        }
    }
    let mut hover = format!("Kubernetes {}", info.version_text);
    if !info.also_at.is_empty() {
        hover.push_str("\nThe same run was also found at:");
        for place in &info.also_at {
            hover.push_str(&format!("\n  {place}"));
        }
    }
    ui.add(egui::Label::new(job).truncate())
        .on_hover_text(hover);
}

/// The hover text of the verdict badge.
fn caveat_summary(info: &ReleaseInfo, profile: &str) -> String {
    let mut text = info.verdict.explanation().to_string();
    if info.profile_applies {
        let how = if info.profile_forced && !info.profile_detected {
            "turned on by you"
        } else {
            "detected"
        };
        text.push_str(&format!(
            "\n{profile} caveats apply ({how}): {} explained, {} unexplained.",
            info.explained(),
            info.unexplained
        ));
        for (id, n) in &info.caveats {
            text.push_str(&format!("\n  {id}: {n}"));
        }
    } else {
        text.push_str(&format!(
            "\nThe {profile} caveats do not apply (right-click to turn them on)."
        ));
    }
    text
}

fn counts_line(ui: &mut Ui, info: &ReleaseInfo) {
    // One label, so the line reads (and is found by tests) as one phrase;
    // the colours come from a layout job.
    let c = &info.counts;
    let mut job = egui::text::LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = ui.visuals().text_color();
    let mut add = |text: &str, color: egui::Color32| append(&mut job, &font, text, color);
    let dim = |n: u64, color: egui::Color32| {
        if n == 0 {
            plain.gamma_multiply(0.6)
        } else {
            color
        }
    };
    add(
        &format!("{} passed", c.passed),
        dim(c.passed, style::passed(ui)),
    );
    add(" · ", plain);
    add(
        &format!("{} failed", c.failed),
        dim(c.failed, style::failed(ui)),
    );
    add(" · ", plain);
    add(
        &format!("{} skipped", c.skipped),
        dim(c.skipped, style::skipped(ui)),
    );
    if c.pending > 0 {
        add(" · ", plain);
        add(&format!("{} pending", c.pending), style::muted(ui));
    }
    let required = &info.assessment.required;
    let mut hover = format!(
        "Required conformance tests: {}, from {} ({} specs in the JUnit)",
        c.total,
        required.from.label(),
        info.specs
    );
    let tagged = &info.assessment.tagged;
    if tagged.total > 0 {
        hover.push_str(&format!(
            "\n{} more tagged [Conformance] but not required ({} failed): not counted",
            tagged.total, tagged.failed
        ));
    }
    if let Some(note) = required.from.fallback_note() {
        hover.push_str(&format!("\n{note}"));
    }
    if let Some(p) = &required.partial {
        hover.push_str(&format!("\n{}", p.sentence(&required.from)));
    }
    ui.label(job).on_hover_text(hover);
}

fn warning_icon(ui: &mut Ui, info: &ReleaseInfo) {
    let color = style::skipped(ui);
    style::icon(ui, style::Icon::Warning, 15.0, color).on_hover_ui(|ui| {
        ui.set_max_width(420.0);
        if info.agrees == Some(false) {
            ui.label(RichText::new("The JUnit and the e2e.log verdict line disagree:").strong());
            for d in &info.disagreements {
                ui.label(format!("• {d}"));
            }
        }
        if !info.warnings.is_empty() {
            ui.label(RichText::new("Warnings while loading:").strong());
            for w in &info.warnings {
                ui.label(format!("• {w}"));
            }
        }
    });
}

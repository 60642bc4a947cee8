//! Product lines in the window: the colours that tell lines apart in the
//! charts, the product filter above the release list, and the window
//! (View › Product lines…) where a line is renamed, or merged into another
//! by giving it the other's name. Renames are kept in the settings.

use std::collections::HashMap;

use egui::{Color32, RichText, Ui};

use super::commands::Command;
use super::state::AppState;
use super::style;
use crate::lines::{Lines, Renames};

/// At most this many lines are charted side by side: a legend's worth.
pub const MAX_SERIES: usize = 10;

/// Ten colours that stay apart from each other on dark and light
/// backgrounds (a colour-blind-safe set, widened to ten).
const PALETTE: [Color32; MAX_SERIES] = [
    Color32::from_rgb(0x4e, 0x9a, 0xf0), // blue
    Color32::from_rgb(0xf2, 0x8e, 0x2b), // orange
    Color32::from_rgb(0x3c, 0xb4, 0x4b), // green
    Color32::from_rgb(0xe1, 0x57, 0x59), // red
    Color32::from_rgb(0xb0, 0x7a, 0xe0), // purple
    Color32::from_rgb(0x9c, 0x75, 0x5f), // brown
    Color32::from_rgb(0xff, 0x9d, 0xc8), // pink
    Color32::from_rgb(0x17, 0xbe, 0xcf), // cyan
    Color32::from_rgb(0xed, 0xc9, 0x48), // yellow
    Color32::from_rgb(0x9a, 0x9a, 0x9a), // grey
];

/// The colour of the `n`th line shown in a chart.
pub fn series_color(n: usize) -> Color32 {
    PALETTE[n % PALETTE.len()]
}

/// The product filter above the release list: every line, or one, with its
/// number of releases.
pub fn filter_row(ui: &mut Ui, state: &AppState, actions: &mut Vec<Command>) {
    let lines = state.lines();
    let current = state
        .line_filter
        .as_ref()
        .and_then(|k| lines.lines.iter().find(|l| &l.key == k));
    let text = match current {
        Some(l) => format!("{} ({})", l.name, l.releases.len()),
        None => format!("All {} product lines", lines.lines.len()),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new("Product").small().weak());
        egui::ComboBox::from_id_salt("cv-line-filter")
            .selected_text(crate::labels::cut_middle(
                &text,
                ((ui.available_width() - 40.0) / 7.0).max(8.0) as usize,
            ))
            .width((ui.available_width() - 8.0).max(80.0))
            .height(420.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(
                        current.is_none(),
                        format!("All {} product lines", lines.lines.len()),
                    )
                    .clicked()
                {
                    actions.push(Command::SetLineFilter(None));
                }
                for line in &lines.lines {
                    let on = current.is_some_and(|c| c.key == line.key);
                    if ui
                        .selectable_label(on, format!("{} ({})", line.name, line.releases.len()))
                        .on_hover_text(line.full_name())
                        .clicked()
                    {
                        actions.push(Command::SetLineFilter(Some(line.key.clone())));
                    }
                }
            })
            .response
            .on_hover_text("Show one product line in the list and the charts");
    });
}

/// The product-lines window's own state: the names being typed.
#[derive(Debug, Default)]
pub struct LinesWindow {
    /// The lines before renames, with the key they were made for.
    own: Option<((u64, u64), Lines)>,
    /// The text in each line's name field, by the line's own key.
    edits: HashMap<String, String>,
}

impl LinesWindow {
    /// Draw the window; `open` is cleared when the user closes it.
    pub fn window(
        &mut self,
        ctx: &egui::Context,
        open: &mut bool,
        state: &AppState,
        actions: &mut Vec<Command>,
    ) {
        let key = (state.generation, state.caveats.revision());
        if self.own.as_ref().is_none_or(|(k, _)| *k != key) {
            let own = Lines::build(&state.corpus, state.caveats.catalog(), &Renames::new());
            self.own = Some((key, own));
        }
        let Some((key, own)) = self.own.take() else {
            return;
        };
        let renames = &state.settings.line_renames;
        egui::Window::new("Product lines")
            .id(egui::Id::unique("cv-lines-window"))
            .open(open)
            .collapsible(false)
            .default_width(620.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                ui.label(
                    "Each release belongs to a product line: PRODUCT.yaml's name, else the \
                     folder it lies in. Give a line another name here; giving it the name of \
                     another line merges the two (for folders whose names disagree). Your names \
                     are kept for the next session.",
                );
                ui.add_space(6.0);
                if own.lines.is_empty() {
                    ui.label(RichText::new("Nothing open yet.").weak());
                    return;
                }
                let targets: Vec<&str> = state
                    .lines()
                    .lines
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect();
                let row_height = 28.0;
                egui::ScrollArea::vertical()
                    .auto_shrink([false, true])
                    .max_height(460.0)
                    .show_rows(ui, row_height, own.lines.len(), |ui, range| {
                        for line in &own.lines[range] {
                            ui.push_id(("cv-line-row", &line.key), |ui| {
                                self.line_row(ui, line, renames, &targets, actions);
                            });
                        }
                    });
            });
        self.own = Some((key, own));
    }

    fn line_row(
        &mut self,
        ui: &mut Ui,
        line: &crate::lines::Line,
        renames: &Renames,
        targets: &[&str],
        actions: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            let shown = renames.get(&line.key).cloned();
            let name = crate::labels::cut_middle(&line.name, 30);
            ui.add_sized(
                [230.0, 20.0],
                egui::Label::new(RichText::new(name).strong()).truncate(),
            )
            .on_hover_text(format!(
                "{}\n{} releases · named by {}",
                line.full_name(),
                line.releases.len(),
                line.from.as_str()
            ));
            ui.label("→");
            let edit = self
                .edits
                .entry(line.key.clone())
                .or_insert_with(|| shown.clone().unwrap_or_else(|| line.name.clone()));
            let field = ui.add(
                egui::TextEdit::singleline(edit)
                    .desired_width(180.0)
                    .hint_text(line.name.as_str()),
            );
            let typed = edit.trim().to_string();
            let changed = typed != shown.clone().unwrap_or_else(|| line.name.clone());
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui
                .add_enabled(changed, egui::Button::new("Rename"))
                .on_hover_text(
                    "Show the line under this name; a name another line has merges the two",
                )
                .clicked()
                || (enter && changed)
            {
                let name = (typed != line.name && !typed.is_empty()).then_some(typed);
                actions.push(Command::RenameLine {
                    key: line.key.clone(),
                    name,
                });
            }
            ui.menu_button("Merge into", |ui| {
                ui.set_max_height(320.0);
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for t in targets {
                        if crate::lines::line_key(t) == line.key {
                            continue;
                        }
                        if ui.button(*t).clicked() {
                            self.edits.insert(line.key.clone(), (*t).to_string());
                            actions.push(Command::RenameLine {
                                key: line.key.clone(),
                                name: Some((*t).to_string()),
                            });
                            ui.close();
                        }
                    }
                });
            });
            if shown.is_some()
                && ui
                    .small_button("Reset")
                    .on_hover_text("Use the line's own name again")
                    .clicked()
            {
                self.edits.insert(line.key.clone(), line.name.clone());
                actions.push(Command::RenameLine {
                    key: line.key.clone(),
                    name: None,
                });
            }
            if shown.is_some() {
                ui.label(RichText::new("renamed").small().color(style::skipped(ui)));
            }
        });
    }
}

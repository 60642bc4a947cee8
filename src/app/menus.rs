//! The window's chrome: the menu bar, the path toolbar with the load
//! progress, the sample banner, the welcome screen and the drop overlay.
//! Each entry emits a [`Command`]; menu texts and shortcuts come from the
//! command table.

use std::path::PathBuf;

use egui::{Key, RichText, Ui};

use super::ViewerApp;
use super::caveats_view::CaveatAction;
use super::commands::Command;
use super::export_dialog::ExportRequest;
use super::jobs::Job;
use super::loading::{Loaded, PickKind};
use super::settings::{Tab, ThemeChoice};
use super::state::Source;
use super::{style, verdict};

impl ViewerApp {
    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        let has_data = !self.state.corpus.releases.is_empty();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for command in [
                    Command::Pick(PickKind::Folder),
                    Command::Pick(PickKind::Tarball),
                ] {
                    if command.menu_item(ui, true).clicked() {
                        self.commands.push(command);
                    }
                }
                ui.menu_button("Recent", |ui| {
                    if self.state.settings.recent.is_empty() {
                        ui.label(RichText::new("Nothing yet").weak());
                    }
                    for p in &self.state.settings.recent {
                        if ui.button(crate::labels::display_path(p)).clicked() {
                            self.commands.push(Command::Open(vec![p.clone()]));
                        }
                    }
                });
                ui.separator();
                for command in [Command::Reload, Command::OpenSample] {
                    if command.menu_item(ui, true).clicked() {
                        self.commands.push(command);
                    }
                }
                ui.separator();
                let export = Command::Export(ExportRequest::All);
                if export
                    .menu_item(ui, has_data)
                    .on_hover_text(
                        "Charts (PNG, SVG), CSV, JSON and the HTML report, into a folder",
                    )
                    .clicked()
                {
                    self.commands.push(export);
                }
                let inside = self.state.settings.in_window_dialog;
                let toggle = Command::SetInWindowDialog(!inside);
                if ui
                    .checkbox(&mut inside.clone(), toggle.text())
                    .on_hover_text(
                        "For desktops whose file dialog does not show; it is used \
                         by itself when the desktop's answers nothing at once",
                    )
                    .clicked()
                {
                    self.commands.push(toggle);
                }
                if Command::CloseAll.menu_item(ui, true).clicked() {
                    self.commands.push(Command::CloseAll);
                }
                ui.separator();
                if Command::Quit.menu_item(ui, true).clicked() {
                    self.commands.push(Command::Quit);
                }
            });
            ui.menu_button("View", |ui| {
                let theme = self.state.settings.theme;
                for choice in [ThemeChoice::Dark, ThemeChoice::Light] {
                    let command = Command::SetTheme(choice);
                    if ui.radio(theme == choice, command.text()).clicked() {
                        self.commands.push(command);
                    }
                }
                ui.separator();
                for tab in Tab::ALL {
                    // The search shortcut opens the Tests tab.
                    let mut button = egui::Button::new(tab.title());
                    if tab == Tab::Tests
                        && let Some(keys) = Command::FocusSearch.shortcut_text(ui.ctx())
                    {
                        button = button.shortcut_text(keys);
                    }
                    if ui.add(button).clicked() {
                        self.commands.push(Command::SetTab(tab));
                    }
                }
                ui.separator();
                let catalog = Command::Caveats(CaveatAction::OpenCatalogWindow);
                if catalog.menu_item(ui, true).clicked() {
                    self.commands.push(catalog);
                }
                // A window, not a submenu: a text field in a menu closes
                // the menu when clicked.
                if Command::ShowLinesWindow.menu_item(ui, true).clicked() {
                    self.commands.push(Command::ShowLinesWindow);
                }
                let mut group = self.state.settings.group_by_line;
                if ui
                    .checkbox(&mut group, Command::SetGroupByLine(true).text())
                    .changed()
                {
                    self.commands.push(Command::SetGroupByLine(group));
                }
                if Command::ShowListsWindow.menu_item(ui, true).clicked() {
                    self.commands.push(Command::ShowListsWindow);
                }
                ui.separator();
                let mut watch = self.state.settings.watch;
                let hint = if self.loads.watch.watching() {
                    format!(
                        "Watching {}: new, changed and removed results show by themselves",
                        verdict::plural(self.loads.watch.folders(), "folder", "folders")
                    )
                } else {
                    "New, changed and removed results under the opened folders show by \
                     themselves"
                        .to_string()
                };
                if ui
                    .checkbox(&mut watch, Command::SetWatch(true).text())
                    .on_hover_text(hint)
                    .changed()
                {
                    self.commands.push(Command::SetWatch(watch));
                }
            });
            ui.menu_button("Help", |ui| {
                if Command::ShowShortcuts.menu_item(ui, true).clicked() {
                    self.commands.push(Command::ShowShortcuts);
                }
                if Command::ShowAbout.menu_item(ui, true).clicked() {
                    self.commands.push(Command::ShowAbout);
                }
            });
        });
        self.views.about.show(ui.ctx());
    }

    pub(super) fn toolbar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label("Path:");
            let field = egui::TextEdit::singleline(&mut self.views.path_input)
                .hint_text("A results folder or a Sonobuoy tarball")
                .desired_width(420.0);
            let response = ui.add(field);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let path = self.views.path_input.trim();
            let usable = !path.is_empty();
            if ui
                .add_enabled(usable, egui::Button::new("Open"))
                .on_hover_text("Show only this path")
                .clicked()
                || (entered && usable)
            {
                self.commands.push(Command::Open(vec![PathBuf::from(path)]));
            }
            if ui
                .add_enabled(usable, egui::Button::new("Add"))
                .on_hover_text("Add this path to what is open")
                .clicked()
            {
                self.commands.push(Command::Add(vec![PathBuf::from(path)]));
            }
            ui.separator();
            let open = Command::Pick(PickKind::Folder);
            let mut button = ui.button(open.text());
            if let Some(keys) = open.shortcut_text(ui.ctx()) {
                button = button.on_hover_text(keys);
            }
            if button.clicked() {
                self.commands.push(open);
            }
            if self.loads.picking_natively() {
                ui.spinner();
                ui.label(RichText::new("waiting for the file dialog").weak());
            }
            if let Some(load) = &self.loads.load {
                ui.separator();
                if progress(ui, &load.job) {
                    self.commands.push(Command::CancelLoad);
                }
            } else if self.loads.busy() {
                ui.separator();
                // Static text: a spinner's frames would slow the merge.
                ui.label(RichText::new("adding the results…").weak());
            } else if self.loads.watch.busy() {
                ui.separator();
                ui.spinner();
                ui.label(RichText::new("reading changed results…").weak());
            } else if let Some(text) = &self.state.last_load {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(text).weak());
                });
            }
        });
    }

    pub(super) fn sample_banner(&mut self, ui: &mut Ui) {
        let color = style::skipped(ui);
        egui::Frame::new()
            .fill(color.gamma_multiply(0.18))
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Sample data").strong().color(color));
                    ui.label(
                        "These releases are a built-in example, not results of yours. \
                         Open a folder or tarball, or drop one on the window.",
                    );
                    let open = Command::Pick(PickKind::Folder);
                    if ui.button(open.text()).clicked() {
                        self.commands.push(open);
                    }
                });
            });
    }

    pub(super) fn welcome(&mut self, ui: &mut Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.22);
            ui.label(RichText::new("Conformance Viewer").size(30.0).strong());
            ui.add_space(6.0);
            ui.label(
                RichText::new(
                    "Open Kubernetes conformance results: a folder with junit_01.xml and e2e.log, \
                     a CNCF submission, a Sonobuoy tarball, or a folder holding many of them.",
                )
                .size(15.0),
            );
            ui.add_space(16.0);
            if self.loads.busy() {
                // No spinner: it repaints at the screen's rate, and those
                // frames take the parsing threads' CPU (the progress bar
                // above moves once a second).
                ui.label("Loading… the progress is in the toolbar above.");
                return;
            }
            ui.horizontal(|ui| {
                let width = 3.0 * 170.0;
                ui.add_space((ui.available_width() - width).max(0.0) / 2.0);
                for (command, text) in [
                    (Command::Pick(PickKind::Folder), None),
                    (Command::Pick(PickKind::Tarball), None),
                    (Command::OpenSample, Some("Show the sample")),
                ] {
                    let text = text.unwrap_or(command.text());
                    if ui
                        .add_sized([160.0, 32.0], egui::Button::new(text))
                        .clicked()
                    {
                        self.commands.push(command);
                    }
                }
            });
            ui.add_space(10.0);
            ui.label(
                RichText::new(
                    "…or drop folders and tarballs anywhere on this window, or type a path above.",
                )
                .weak(),
            );
        });
    }

    pub(super) fn drop_overlay(&self, ctx: &egui::Context) {
        let hovered: Vec<String> = ctx.input(|i| {
            i.raw
                .hovered_files
                .iter()
                .map(|f| {
                    f.path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "a file".to_string())
                })
                .collect()
        });
        if hovered.is_empty() {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("cv-drop-overlay"),
        ));
        let rect = ctx.content_rect();
        let accent = if ctx.global_style().visuals.dark_mode {
            egui::Color32::from_rgb(110, 170, 255)
        } else {
            egui::Color32::from_rgb(30, 90, 200)
        };
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(170));
        painter.rect_stroke(
            rect.shrink(16.0),
            12.0,
            egui::Stroke::new(3.0, accent),
            egui::StrokeKind::Inside,
        );
        let verb = if matches!(self.state.source, Source::Paths(_)) {
            "add"
        } else {
            "open"
        };
        painter.text(
            rect.center() - egui::vec2(0.0, 14.0),
            egui::Align2::CENTER_CENTER,
            format!(
                "Drop to {verb} {}",
                verdict::plural(hovered.len(), "item", "items")
            ),
            egui::FontId::proportional(30.0),
            egui::Color32::WHITE,
        );
        let mut names = hovered
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if hovered.len() > 4 {
            names.push_str(", …");
        }
        painter.text(
            rect.center() + egui::vec2(0.0, 22.0),
            egui::Align2::CENTER_CENTER,
            names,
            egui::FontId::proportional(16.0),
            egui::Color32::from_gray(220),
        );
    }
}

/// The progress of a load; returns whether Cancel was clicked.
fn progress(ui: &mut Ui, job: &Job<Loaded>) -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    let p = job.progress();
    let (rd, rt) = (
        p.releases_done.load(Relaxed),
        p.releases_total.load(Relaxed),
    );
    let (bd, bt) = (p.bytes_done.load(Relaxed), p.bytes_total.load(Relaxed));
    let text = if p.discovered.load(Relaxed) {
        format!(
            "{rd} / {rt} releases · {} / {}",
            style::bytes(bd),
            style::bytes(bt)
        )
    } else {
        "looking for results…".to_string()
    };
    ui.add(
        egui::ProgressBar::new(p.fraction())
            .desired_width(220.0)
            .show_percentage()
            // No animation: it would repaint at the screen's rate, and on
            // two cores those frames take time from the parsing threads.
            .animate(false),
    );
    ui.label(text);
    if job.cancelling() {
        ui.label(RichText::new("cancelling…").weak());
        false
    } else {
        ui.button(Command::CancelLoad.text())
            .on_hover_text("Stop reading; what has finished is shown")
            .clicked()
    }
}

impl ViewerApp {
    /// The conformance-lists window (View › Conformance lists…).
    pub(super) fn lists_window(&mut self, ctx: &egui::Context) {
        let mut open = self.views.lists_open;
        egui::Window::new("Conformance lists")
            .id(egui::Id::unique("cv-lists-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                self.views.lists_menu.ui(
                    ui,
                    &self.state.lists,
                    self.state.lists_folder(),
                    &mut self.commands,
                );
            });
        self.views.lists_open = open;
    }

    /// The keyboard shortcuts window (Help › Keyboard shortcuts, F1): every
    /// shortcut of the command table with what it does.
    pub(super) fn shortcuts_window(&mut self, ctx: &egui::Context) {
        if !self.views.shortcuts_open {
            return;
        }
        let mut open = true;
        egui::Window::new(Command::ShowShortcuts.text())
            .id(egui::Id::unique("cv-shortcuts-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("cv-shortcuts-grid")
                    .num_columns(2)
                    .spacing([24.0, 6.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for command in Command::keyed() {
                            let keys = command.shortcut_text(ui.ctx()).unwrap_or_default();
                            ui.label(RichText::new(keys).monospace().strong());
                            ui.label(command.text());
                            ui.end_row();
                        }
                    });
            });
        if !open {
            self.commands.push(Command::ShowShortcuts);
        }
    }
}

//! Notifications: files that could not be read, releases that loaded with
//! warnings, and things the user should know. Each names the file it is
//! about.
//!
//! Nothing of them covers the data for long: information shows for a few
//! seconds in the bottom-right corner and fades; warnings and errors are
//! counted in the status bar at the bottom of the window, whose button opens
//! the list of every message ([`Notifications::status_bar`] and
//! [`Notifications::list_window`]).

use std::time::{Duration, Instant};

use egui::{Align2, Color32, Frame, Id, RichText, Ui};

use super::style;

/// How serious a notification is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something could not be read.
    Error,
    /// Read, but with problems.
    Warning,
    /// For the user's information.
    Info,
}

/// One notification.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// Stable id for dismissal.
    pub id: u64,
    /// How serious.
    pub level: Level,
    /// The file or release it is about.
    pub title: String,
    /// What happened, one line each.
    pub lines: Vec<String>,
    /// When it was pushed.
    pub at: Instant,
}

/// The notifications of the window.
#[derive(Debug, Default)]
pub struct Notifications {
    notes: Vec<Note>,
    next_id: u64,
}

/// What the user asked of the notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteAction {
    /// Dismiss one.
    Dismiss(u64),
    /// Dismiss them all.
    DismissAll,
}

/// How long information stays in the corner, fading over its last second.
pub const INFO_SHOWN: Duration = Duration::from_secs(6);

/// Most information notes in the corner at once.
const MAX_SHOWN: usize = 3;

/// Most detail lines drawn in one notification.
const MAX_LINES: usize = 4;

impl Notifications {
    /// Add a notification.
    pub fn push(&mut self, level: Level, title: impl Into<String>, lines: Vec<String>) {
        self.next_id += 1;
        self.notes.push(Note {
            id: self.next_id,
            level,
            title: title.into(),
            lines,
            at: Instant::now(),
        });
    }

    /// The notifications, oldest first.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Apply a dismissal.
    pub fn apply(&mut self, action: NoteAction) {
        match action {
            NoteAction::Dismiss(id) => self.notes.retain(|n| n.id != id),
            NoteAction::DismissAll => self.notes.clear(),
        }
    }

    /// Remove everything.
    pub fn clear(&mut self) {
        self.notes.clear();
    }

    /// Forget the messages about `path` and what lies under it (a new load
    /// of it reports afresh).
    pub fn forget_path(&mut self, path: &str) {
        self.notes.retain(|n| {
            !(n.title.starts_with(path) || n.lines.iter().any(|l| l.starts_with(path)))
        });
    }

    /// Forget the messages titled `title` (a release label a new load
    /// reports afresh), and its lines (`title: …`) in a message about
    /// several releases, which goes when none of its lines is left.
    pub fn forget_title(&mut self, title: &str) {
        let prefix = format!("{title}: ");
        self.notes.retain_mut(|n| {
            if n.title == title {
                return false;
            }
            let before = n.lines.len();
            n.lines.retain(|l| !l.starts_with(&prefix));
            before == n.lines.len() || !n.lines.is_empty()
        });
    }

    /// Warnings and errors, counted for the status bar.
    pub fn problems(&self) -> (usize, usize) {
        let count = |level| self.notes.iter().filter(|n| n.level == level).count();
        (count(Level::Warning), count(Level::Error))
    }

    /// Draw recent information in the bottom-right corner, above the status
    /// bar, fading out; asks for the frames the fading needs.
    pub fn show(&self, ui: &Ui) -> Option<NoteAction> {
        let now = Instant::now();
        let recent: Vec<&Note> = self
            .notes
            .iter()
            .rev()
            .filter(|n| n.level == Level::Info && now.duration_since(n.at) < INFO_SHOWN)
            .take(MAX_SHOWN)
            .collect();
        if recent.is_empty() {
            return None;
        }
        ui.ctx().request_repaint_after(Duration::from_millis(100));
        let mut action = None;
        egui::Area::new(Id::unique("cv-notifications"))
            .anchor(Align2::RIGHT_BOTTOM, [-12.0, -40.0])
            .order(egui::Order::Foreground)
            .interactable(true)
            .show(ui.ctx(), |ui| {
                ui.set_max_width(420.0);
                for note in recent {
                    let left = INFO_SHOWN.saturating_sub(now.duration_since(note.at));
                    ui.set_opacity(left.as_secs_f32().clamp(0.0, 1.0));
                    if let Some(a) = note_ui(ui, note) {
                        action = Some(a);
                    }
                    ui.add_space(6.0);
                }
            });
        action
    }

    /// The status bar's part: how many warnings and errors there are, as a
    /// button that opens their list. Returns whether it was clicked.
    pub fn status_bar(&self, ui: &mut Ui) -> bool {
        let (warnings, errors) = self.problems();
        let infos = self.notes.len() - warnings - errors;
        if self.notes.is_empty() {
            ui.label(RichText::new("No messages").small().weak());
            return false;
        }
        let mut text = egui::text::LayoutJob::default();
        let mut part = |s: String, color: Color32| {
            if !text.text.is_empty() {
                text.append(" · ", 0.0, egui::TextFormat::default());
            }
            text.append(
                &s,
                0.0,
                egui::TextFormat {
                    color,
                    ..Default::default()
                },
            );
        };
        if errors > 0 {
            part(
                super::verdict::plural(errors, "error", "errors"),
                style::failed(ui),
            );
        }
        if warnings > 0 {
            part(
                super::verdict::plural(warnings, "warning", "warnings"),
                style::skipped(ui),
            );
        }
        if infos > 0 {
            part(
                super::verdict::plural(infos, "message", "messages"),
                ui.visuals().weak_text_color(),
            );
        }
        ui.add(egui::Button::new(text).small())
            .on_hover_text("Show every message")
            .clicked()
    }

    /// The list of every message, newest first, each with its dismiss
    /// button; `open` is cleared when the window is closed.
    pub fn list_window(&self, ctx: &egui::Context, open: &mut bool) -> Option<NoteAction> {
        if !*open {
            return None;
        }
        let mut action = None;
        egui::Window::new("Messages")
            .id(Id::unique("cv-messages-window"))
            .open(open)
            .collapsible(false)
            .default_width(460.0)
            .anchor(Align2::RIGHT_BOTTOM, [-12.0, -40.0])
            .show(ctx, |ui| {
                if self.notes.is_empty() {
                    ui.label(RichText::new("No messages.").weak());
                    return;
                }
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        for note in self.notes.iter().rev() {
                            if let Some(a) = note_ui(ui, note) {
                                action = Some(a);
                            }
                            ui.add_space(6.0);
                        }
                    });
                if ui.small_button("Dismiss all").clicked() {
                    action = Some(NoteAction::DismissAll);
                }
            });
        action
    }
}

fn note_ui(ui: &mut Ui, note: &Note) -> Option<NoteAction> {
    let (icon, color) = match note.level {
        Level::Error => (style::Icon::Cross, style::failed(ui)),
        Level::Warning => (style::Icon::Warning, style::skipped(ui)),
        Level::Info => (style::Icon::Info, style::accent(ui)),
    };
    let mut action = None;
    Frame::popup(ui.style())
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.7)))
        .show(ui, |ui| {
            ui.set_width(400.0);
            ui.horizontal(|ui| {
                style::icon(ui, icon, 16.0, color);
                ui.add(
                    egui::Label::new(RichText::new(&note.title).strong())
                        .truncate()
                        .selectable(true),
                )
                .on_hover_text(&note.title);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                        action = Some(NoteAction::Dismiss(note.id));
                    }
                });
            });
            for line in note.lines.iter().take(MAX_LINES) {
                ui.add(egui::Label::new(RichText::new(line).small()).wrap());
            }
            if note.lines.len() > MAX_LINES {
                ui.label(
                    RichText::new(format!("… {} more", note.lines.len() - MAX_LINES))
                        .small()
                        .color(Color32::GRAY),
                )
                .on_hover_text(note.lines[MAX_LINES..].join("\n"));
            }
        });
    action
}

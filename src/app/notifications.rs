//! Notifications: files that could not be read and releases that loaded
//! with warnings, shown as a dismissable stack in the window's
//! bottom-right corner. Each names the file it is about.

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
}

/// The stack of notifications.
#[derive(Debug, Default)]
pub struct Notifications {
    notes: Vec<Note>,
    next_id: u64,
}

/// What the user asked of the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteAction {
    /// Dismiss one.
    Dismiss(u64),
    /// Dismiss them all.
    DismissAll,
}

/// Most notifications drawn at once; the rest are counted.
const MAX_SHOWN: usize = 4;

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

    /// Draw the stack in the bottom-right corner of the window.
    pub fn show(&self, ui: &Ui) -> Option<NoteAction> {
        if self.notes.is_empty() {
            return None;
        }
        let mut action = None;
        egui::Area::new(Id::unique("cv-notifications"))
            .anchor(Align2::RIGHT_BOTTOM, [-12.0, -12.0])
            .order(egui::Order::Foreground)
            .interactable(true)
            .show(ui.ctx(), |ui| {
                ui.set_max_width(420.0);
                let hidden = self.notes.len().saturating_sub(MAX_SHOWN);
                // Newest on top: they are what just happened.
                for note in self.notes.iter().rev().take(MAX_SHOWN) {
                    if let Some(a) = note_ui(ui, note) {
                        action = Some(a);
                    }
                    ui.add_space(6.0);
                }
                Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if hidden > 0 {
                            ui.label(format!("and {hidden} more"));
                        }
                        if ui.small_button("Dismiss all").clicked() {
                            action = Some(NoteAction::DismissAll);
                        }
                    });
                });
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

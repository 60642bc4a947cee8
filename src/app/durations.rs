//! Run times in the window: the slowest conformance tests of a release
//! ([`compare::slowest`]), each beside its run time in the closest earlier
//! release that ran it, so a test that became slow stands out.

use egui::{RichText, Sense, Ui};

use super::commands::Command;
use super::style;
use super::tests_view::RowRef;
use crate::compare;
use crate::model::{Corpus, Status};

/// How many slow tests are listed.
pub const SLOWEST: usize = 15;

/// One slow test.
#[derive(Clone, Debug, PartialEq)]
pub struct SlowRow {
    /// Display name.
    pub name: String,
    /// Status.
    pub status: Status,
    /// Run time.
    pub duration_secs: f64,
    /// The closest earlier release that ran the test, and its run time there.
    pub before: Option<(String, f64)>,
    /// The test, for the detail pane.
    pub row: Option<RowRef>,
}

/// The slowest tests of one release.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SlowList {
    /// The release.
    pub release: usize,
    /// Slowest first.
    pub tests: Vec<SlowRow>,
}

/// The `n` slowest conformance tests of release `index`.
pub fn slow_list(corpus: &Corpus, index: usize, n: usize) -> SlowList {
    let Some(release) = corpus.releases.get(index) else {
        return SlowList::default();
    };
    let tests = compare::slowest(release, n)
        .into_iter()
        .map(|s| {
            let position = release.tests.iter().position(|t| *t.name() == *s.name);
            let key = position
                .and_then(|i| release.tests.get(i))
                .map(|t| t.names.key.clone());
            let before = key.and_then(|key| {
                corpus.releases[..index].iter().rev().find_map(|r| {
                    let t = r.find(&key)?;
                    matches!(t.status(), Status::Passed | Status::Failed)
                        .then(|| (r.label.clone(), t.duration_secs))
                })
            });
            SlowRow {
                name: s.name,
                status: s.status,
                duration_secs: s.duration_secs,
                before,
                row: position.map(|test| RowRef {
                    release: index,
                    test,
                }),
            }
        })
        .collect();
    SlowList {
        release: index,
        tests,
    }
}

/// Draw the list; a click on a test shows it in the detail pane.
pub fn ui(ui: &mut Ui, list: &SlowList, selected: Option<RowRef>, actions: &mut Vec<Command>) {
    if list.tests.is_empty() {
        ui.label(RichText::new("No conformance test ran in this release.").weak());
        return;
    }
    let longest = list
        .tests
        .iter()
        .map(|t| t.duration_secs)
        .fold(0.0_f64, f64::max);
    for t in &list.tests {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(70.0, 12.0), Sense::hover());
            let share = if longest > 0.0 {
                (t.duration_secs / longest) as f32
            } else {
                0.0
            };
            ui.painter()
                .rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
            let bar = egui::Rect::from_min_size(
                rect.min,
                egui::vec2(rect.width() * share, rect.height()),
            );
            ui.painter().rect_filled(
                bar,
                2.0,
                style::status_color(ui, t.status).gamma_multiply(0.8),
            );
            fixed(ui, 78.0, |ui| {
                ui.label(RichText::new(style::duration(t.duration_secs)).monospace());
            });
            if let Some((label, secs)) = &t.before {
                let change = change_text(*secs, t.duration_secs);
                let color = if t.duration_secs > secs * 1.25 {
                    style::failed(ui)
                } else {
                    ui.visuals().weak_text_color()
                };
                fixed(ui, 52.0, |ui| {
                    ui.label(RichText::new(change).small().color(color))
                        .on_hover_text(format!("{} in {label}", style::duration(*secs)));
                });
            } else {
                fixed(ui, 52.0, |ui| {
                    ui.label(RichText::new("new").small().weak())
                        .on_hover_text("No earlier release ran this test");
                });
            }
            let mut text = RichText::new(&t.name);
            if t.row.is_some() && t.row == selected {
                text = text.strong().color(style::accent(ui));
            }
            let response = ui
                .add(
                    egui::Label::new(text)
                        .truncate()
                        .selectable(false)
                        .sense(Sense::click()),
                )
                .on_hover_text(&t.name);
            if response.clicked() && t.row.is_some() {
                actions.push(Command::SelectTest(t.row));
            }
        });
    }
}

/// A cell of fixed width whose content is aligned right, so figures line up.
fn fixed(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, 16.0),
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            add(ui);
        },
    );
}

/// `+12 %`, `-40 %`, `same`.
fn change_text(before: f64, now: f64) -> String {
    if before <= 0.0 {
        return "new".into();
    }
    let pct = (now - before) / before * 100.0;
    if pct.abs() < 1.0 {
        "same".into()
    } else if pct > 0.0 {
        format!("+{pct:.0} %")
    } else {
        format!("-{:.0} %", -pct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_naturally() {
        assert_eq!(change_text(10.0, 11.2), "+12 %");
        assert_eq!(change_text(10.0, 6.0), "-40 %");
        assert_eq!(change_text(10.0, 10.05), "same");
        assert_eq!(change_text(0.0, 3.0), "new");
    }
}

//! Known defects in the Caveats tab: for each release whose vendor wrote a
//! per-release `known-test-failures.md`, the tests it explains as defects
//! with their documented fix and what the data says about it, and the
//! entries that matched no test; then the catalog's claims that the data
//! contradicts (a test a category says cannot work on the platform, passed
//! where the profile applies). A window shows a document at an entry.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::commands::{Command, SelectMode};
use super::jobs::{JobKind, Jobs, Slot};
use super::settings::Tab;
use super::state::AppState;
use super::style;
use super::tests_view::RowRef;
use crate::defects::FixCheck;

/// Largest document shown.
const MAX_DOC_BYTES: u64 = 1024 * 1024;

/// Which document: the file (or tarball) and its member.
type DocKey = (PathBuf, Option<String>);

/// A test a catalog category says cannot work on the platform, passed in a
/// release where the profile applies.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimMiss {
    /// The category's id.
    pub category: String,
    /// The category's title.
    pub title: String,
    /// Where it passed.
    pub row: RowRef,
    /// The test's name.
    pub name: String,
}

/// The known-defects part of the Caveats tab and its document window.
#[derive(Debug, Default)]
pub struct DefectsView {
    /// The document shown in the window: its key, name and entry line.
    open: Option<(DocKey, String, usize)>,
    /// Scroll the window to the entry on its next frame.
    scroll: bool,
    reading: Slot<DocKey, Result<String, String>>,
    text: Option<(DocKey, Result<String, String>)>,
}

impl DefectsView {
    /// Show a document at an entry (its 1-based line).
    pub fn open(&mut self, path: PathBuf, member: Option<String>, document: String, line: usize) {
        self.open = Some(((path, member), document, line));
        self.scroll = true;
    }

    /// The document shown and its line, for tests.
    pub fn shown(&self) -> Option<(&str, usize)> {
        self.open.as_ref().map(|(_, d, l)| (d.as_str(), *l))
    }

    /// The text of the document shown, once read.
    pub fn shown_text(&self) -> Option<&str> {
        match &self.text {
            Some((_, Ok(t))) => Some(t.as_str()),
            _ => None,
        }
    }

    /// The catalog's claims the data contradicts, from the per-release
    /// figures (made with the verdicts, off the UI thread).
    pub fn claims(state: &AppState) -> Vec<ClaimMiss> {
        let catalog = state.caveats.catalog();
        let mut out = Vec::new();
        for (r, info) in state.infos().iter().enumerate() {
            for (test, id) in &info.claim_misses {
                let Some(t) = state
                    .corpus
                    .releases
                    .get(r)
                    .and_then(|x| x.tests.get(*test))
                else {
                    continue;
                };
                out.push(ClaimMiss {
                    category: id.clone(),
                    title: catalog
                        .category(id)
                        .map_or_else(|| id.clone(), |c| c.title.clone()),
                    row: RowRef {
                        release: r,
                        test: *test,
                    },
                    name: t.name().to_string(),
                });
            }
        }
        out
    }

    /// The section of the Caveats tab: nothing when no release has a
    /// document and no claim is contradicted.
    pub fn section_ui(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Command>) {
        let with_docs: Vec<usize> = state
            .corpus
            .releases
            .iter()
            .enumerate()
            .filter(|(_, r)| r.defect_doc.is_some())
            .map(|(i, _)| i)
            .collect();
        let claims = Self::claims(state);
        if with_docs.is_empty() && claims.is_empty() {
            return;
        }
        if !with_docs.is_empty() {
            ui.heading("Known defects");
            ui.label(
                RichText::new(
                    "Tests the vendor's own document for a release explains as product defects. \
                     They still count as failures; the documented fix is checked against the \
                     first loaded release of the same product line at or after it.",
                )
                .weak(),
            );
            ui.add_space(4.0);
            for r in with_docs {
                release_defects(ui, state, r, actions);
                ui.add_space(6.0);
            }
        }
        if !claims.is_empty() {
            ui.add_space(6.0);
            ui.heading("Claims the results contradict");
            ui.label(
                RichText::new(format!(
                    "{} of the catalog's categories says a test cannot work on this platform, \
                     yet it passed where the profile applies: the category's claim does not hold \
                     here, and the document may be out of date.",
                    plural_tests(claims.len())
                ))
                .weak(),
            );
            for c in claims.iter().take(40) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&c.title).strong().color(style::skipped(ui)));
                    let label = state
                        .corpus
                        .releases
                        .get(c.row.release)
                        .map_or("", |r| r.label.as_str());
                    ui.label(RichText::new(format!("passed in {label}:")).weak());
                    if ui
                        .link(&c.name)
                        .on_hover_text("the category's claim does not hold here")
                        .clicked()
                    {
                        show_test(actions, c.row);
                    }
                });
            }
            if claims.len() > 40 {
                ui.label(RichText::new(format!("… and {} more", claims.len() - 40)).weak());
            }
        }
    }

    /// The document window (read by a job, scrolled to the entry).
    pub fn window(&mut self, ctx: &egui::Context, jobs: &Jobs) {
        let Some((key, document, line)) = self.open.clone() else {
            return;
        };
        if self.text.as_ref().is_none_or(|(k, _)| *k != key) && !self.reading.runs(&key) {
            let (path, member) = key.clone();
            self.reading
                .start(jobs, JobKind::Document, key.clone(), move |_| {
                    read_doc(&path, member.as_deref())
                });
        }
        if let Some((k, answer)) = self.reading.poll() {
            self.text = Some((k, answer.unwrap_or_else(Err)));
        }
        let mut open = true;
        egui::Window::new(format!("Known failures: {document}"))
            .id(egui::Id::unique("cv-defect-doc"))
            .open(&mut open)
            .default_size([640.0, 460.0])
            .show(ctx, |ui| {
                match self.text.as_ref().filter(|(k, _)| *k == key) {
                    None => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("reading the document…");
                        });
                    }
                    Some((_, Err(e))) => {
                        ui.label(
                            RichText::new(format!("Cannot read {document}: {e}"))
                                .color(style::failed(ui)),
                        );
                    }
                    Some((_, Ok(text))) => {
                        egui::ScrollArea::vertical()
                            .auto_shrink([false, false])
                            .show(ui, |ui| {
                                let end = entry_end(text, line);
                                for (n, l) in text.lines().enumerate() {
                                    let number = n + 1;
                                    let inside = number >= line && number < end;
                                    let row = ui.horizontal(|ui| {
                                        ui.label(
                                            RichText::new(format!("{number:>4}"))
                                                .monospace()
                                                .weak(),
                                        );
                                        let t = RichText::new(l.trim_end_matches('\r')).monospace();
                                        ui.label(if inside { t.strong() } else { t });
                                    });
                                    if inside {
                                        ui.painter().rect_filled(
                                            row.response.rect,
                                            2.0,
                                            style::accent(ui).gamma_multiply(0.12),
                                        );
                                    }
                                    if number == line && self.scroll {
                                        self.scroll = false;
                                        ui.scroll_to_rect(
                                            row.response.rect,
                                            Some(egui::Align::TOP),
                                        );
                                    }
                                }
                            });
                    }
                }
            });
        if !open {
            self.open = None;
        }
    }
}

/// `1 test`, `N tests`.
fn plural_tests(n: usize) -> String {
    super::verdict::plural(n, "test", "tests")
}

/// The line after the entry that starts at `line`: the next entry or
/// heading, else the end.
fn entry_end(text: &str, line: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(line)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.starts_with('#') || ((t.starts_with("- ") || t.starts_with("* ")) && t.contains(':'))
        })
        .map_or(text.lines().count() + 1, |(n, _)| n + 1)
}

/// Read a document, from disk or from its tarball.
fn read_doc(path: &std::path::Path, member: Option<&str>) -> Result<String, String> {
    match member {
        Some(m) => {
            let limits = crate::ingest::Limits {
                max_file_bytes: MAX_DOC_BYTES,
                ..crate::ingest::Limits::default()
            };
            crate::ingest::tarball::read_member(path, m, &limits)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| e.to_string())
        }
        None => crate::ingest::read_capped_text(path, MAX_DOC_BYTES)
            .map(|(t, _)| t)
            .map_err(|e| e.to_string()),
    }
}

/// Select the release and show the test in the Tests tab.
fn show_test(actions: &mut Vec<Command>, row: RowRef) {
    actions.push(Command::SelectRelease {
        index: row.release,
        mode: SelectMode::Only,
    });
    actions.push(Command::SetTab(Tab::Tests));
    actions.push(Command::SelectTest(Some(row)));
}

/// One release's known defects and the entries that matched nothing.
fn release_defects(ui: &mut Ui, state: &AppState, r: usize, actions: &mut Vec<Command>) {
    let Some(release) = state.corpus.releases.get(r) else {
        return;
    };
    let Some(doc) = &release.defect_doc else {
        return;
    };
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&release.label).strong());
                ui.label(RichText::new(format!("· {}", release.version_text())).weak());
                if ui
                    .link(&doc.display)
                    .on_hover_text("Show the document")
                    .clicked()
                {
                    actions.push(Command::Caveats(
                        super::caveats_view::CaveatAction::OpenDefectDoc {
                            path: doc.path.clone(),
                            member: doc.member.clone(),
                            document: doc.display.clone(),
                            line: 1,
                        },
                    ));
                }
            });
            for d in &release.known_defects {
                let Some(test) = release.tests.get(d.test) else {
                    continue;
                };
                ui.add_space(4.0);
                ui.horizontal_wrapped(|ui| {
                    let color = style::status_color(ui, test.status());
                    style::badge(ui, test.status().as_str(), color);
                    if ui
                        .link(test.name())
                        .on_hover_text("Show this test in the Tests tab")
                        .clicked()
                    {
                        show_test(
                            actions,
                            RowRef {
                                release: r,
                                test: d.test,
                            },
                        );
                    }
                });
                if let Some(reason) = &d.entry.reason {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("Reason").weak());
                        style::markdown_line(ui, reason);
                    });
                }
                if let Some(impact) = &d.entry.impact {
                    ui.label(format!("Impact: {impact}"));
                }
                let check = state.fix_check(r, d.test);
                let sentence = check.map_or_else(
                    || "fix not checked yet".to_string(),
                    |c| c.sentence(d.entry.fixed.as_deref(), &state.corpus),
                );
                let color = match check {
                    Some(FixCheck::Confirmed { .. }) => style::passed(ui),
                    Some(FixCheck::Contradicted { .. }) => style::failed(ui),
                    _ => ui.visuals().weak_text_color(),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(sentence).color(color));
                    if ui
                        .small_button("Show the entry")
                        .on_hover_text(format!("Line {} of {}", d.entry.line, doc.display))
                        .clicked()
                    {
                        actions.push(Command::Caveats(
                            super::caveats_view::CaveatAction::OpenDefectDoc {
                                path: doc.path.clone(),
                                member: doc.member.clone(),
                                document: doc.display.clone(),
                                line: d.entry.line,
                            },
                        ));
                    }
                });
            }
            let unmatched: Vec<&String> = release
                .warnings
                .iter()
                .filter(|w| w.starts_with(&doc.display) && w.contains("known failure"))
                .collect();
            if !unmatched.is_empty() {
                ui.add_space(4.0);
                for w in unmatched {
                    ui.horizontal_wrapped(|ui| {
                        style::icon(ui, style::Icon::Warning, 14.0, style::skipped(ui));
                        ui.add(egui::Label::new(RichText::new(w.as_str()).weak()).wrap());
                    });
                }
            }
        });
}

//! The detail pane of the Tests and compare tabs: everything known about
//! the selected test ([`super::state::AppState::selected_test`]), its status
//! in every loaded release, and the lines of e2e.log around it (read by a
//! job, keyed by release and test so an answer for another test is never
//! shown).

use egui::{RichText, Ui};

use super::caveats_view::CaveatAction;
use super::commands::Command;
use super::jobs::{JobKind, Jobs, Slot};
use super::settings::Tab;
use super::state::AppState;
use super::style;
use super::tests_view::{RowRef, display_tags};
use crate::analysis::Explanation;
use crate::ingest::log_blocks::{self, Excerpt, ExcerptBody};
use crate::model::{Corpus, Outcome};

/// Longest text shown for a failure or an output, in bytes; the rest is cut.
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The state of the log excerpt of the selected test.
#[derive(Clone, Debug, PartialEq)]
pub enum ExcerptState {
    /// The release has no e2e.log to read.
    NoLog,
    /// Being read.
    Loading,
    /// Read.
    Ready(Excerpt),
    /// The job that reads it failed.
    Failed(String),
}

/// `(release label, test key)`: which test an excerpt is for.
type ExcerptKey = (String, String);

#[derive(Debug)]
struct Current {
    generation: u64,
    row: RowRef,
    request: ExcerptKey,
    /// The test in every loaded release: its outcome there, and its name
    /// there when a rename ([`crate::defects::find_across`]) found it.
    across: Vec<Across>,
    /// Why the test is not a required one of its release, when it is not
    /// (from the release's assessment).
    not_required: Option<String>,
    /// The other places the same run was found.
    also_at: Vec<String>,
    failure_text: Option<String>,
    output: Option<String>,
    excerpt: ExcerptState,
}

/// The selected test in one loaded release: its index, and its outcome
/// there with its name there when a rename found it (`None`: not there).
type Across = (usize, Option<(Outcome, Option<String>)>);

/// What the caveat catalog says about the selected test, kept current by
/// [`DetailView::sync`].
#[derive(Clone, Debug, PartialEq)]
struct TestCaveat {
    generation: u64,
    revision: u64,
    row: RowRef,
    explanation: Explanation,
    applies: bool,
    title: Option<String>,
    /// The fix check of a known defect, for people.
    fix: Option<String>,
}

/// The detail pane.
#[derive(Debug, Default)]
pub struct DetailView {
    current: Option<Current>,
    caveat: Option<TestCaveat>,
    reading: Slot<ExcerptKey, (String, ExcerptBody)>,
}

fn cut(text: &str) -> String {
    if text.len() <= MAX_TEXT_BYTES {
        return text.to_string();
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… ({} more bytes not shown)",
        &text[..end],
        text.len() - end
    )
}

impl DetailView {
    /// The excerpt state of the selected test.
    pub fn excerpt(&self) -> Option<&ExcerptState> {
        self.current.as_ref().map(|c| &c.excerpt)
    }

    /// Follow the selected test of `state`: when it changed, gather its
    /// status in every release (once, here, not per frame) and start
    /// reading its log excerpt; take a finished excerpt; keep its caveat
    /// current. Call once per frame and when the selection changes.
    pub fn sync(&mut self, state: &AppState, jobs: &Jobs) {
        let wanted = state.selected_test.map(|row| (state.generation, row));
        let have = self.current.as_ref().map(|c| (c.generation, c.row));
        if wanted != have {
            self.select(state, jobs);
        }
        if let Some((key, answer)) = self.reading.poll()
            && let Some(c) = &mut self.current
            && c.request == key
        {
            c.excerpt = match answer {
                Ok((source, body)) => ExcerptState::Ready(Excerpt {
                    request: key,
                    source,
                    body,
                }),
                Err(e) => ExcerptState::Failed(e),
            };
        }
        self.sync_caveat(state);
    }

    fn select(&mut self, state: &AppState, jobs: &Jobs) {
        self.reading.clear();
        self.current = None;
        let Some((row, test)) = state.selected_test() else {
            return;
        };
        let corpus = &state.corpus;
        let Some(release) = corpus.releases.get(row.release) else {
            return;
        };
        // The same rule as the fix check of a known defect: by identity,
        // else across a rename through the conformance lists.
        let lists = state.lists.lists().map(|l| &**l);
        let across = corpus
            .releases
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let outcome = if i == row.release {
                    Some((test.outcome, None))
                } else {
                    crate::defects::find_across(release, test, r, lists).map(|t| {
                        let renamed = (t.key() != test.key()).then(|| t.name().to_string());
                        (t.outcome, renamed)
                    })
                };
                (i, outcome)
            })
            .collect();
        let request = (release.label.clone(), test.key().to_string());
        let excerpt = match &release.log_location {
            None => ExcerptState::NoLog,
            Some(location) => {
                let location = location.clone();
                let name = test.name().to_string();
                // Every name of the release: a tail of the name only stands
                // for it when no other test ends with it.
                let all: Vec<String> = release.tests.iter().map(|t| t.name().to_string()).collect();
                let limits = state.session.limits.clone();
                self.reading
                    .start(jobs, JobKind::Excerpt, request.clone(), move |_| {
                        let all: Vec<&str> = all.iter().map(String::as_str).collect();
                        log_blocks::read_excerpt(&location, &name, &all, &limits)
                    });
                ExcerptState::Loading
            }
        };
        let not_required = state.infos().get(row.release).and_then(|info| {
            let required = &info.assessment.required;
            if required.contains(row.test) {
                None
            } else if required.is_tagged_only(row.test) {
                Some(format!(
                    "tagged [Conformance] but not required by {}",
                    required.from.label()
                ))
            } else {
                Some("not a required test".to_string())
            }
        });
        self.current = Some(Current {
            generation: state.generation,
            row,
            request,
            across,
            not_required,
            also_at: release.also_at.clone(),
            failure_text: test.failure_text().map(cut),
            output: test.output().map(cut),
            excerpt,
        });
    }

    /// Keep the caveat of the selected test current (a lookup when nothing
    /// changed; passed tests have no caveat).
    fn sync_caveat(&mut self, state: &AppState) {
        let Some(c) = &self.current else {
            self.caveat = None;
            return;
        };
        let revision = state.caveats.revision();
        if let Some(k) = &self.caveat
            && k.generation == c.generation
            && k.revision == revision
            && k.row == c.row
        {
            return;
        }
        let catalog = state.caveats.catalog();
        let corpus = &state.corpus;
        self.caveat = state.infos().get(c.row.release).and_then(|info| {
            let e = info.explanation(c.row.test)?;
            let category = e.category.as_deref().and_then(|id| catalog.category(id));
            Some(TestCaveat {
                generation: c.generation,
                revision,
                row: c.row,
                explanation: e.clone(),
                applies: info.profile_applies,
                title: category.map(|c| c.title.clone()),
                fix: e.known_defect.as_ref().map(|d| {
                    state.fix_check(c.row.release, c.row.test).map_or_else(
                        || {
                            format!(
                                "fixed in {}: unchecked",
                                d.fixed_in.as_deref().unwrap_or("?")
                            )
                        },
                        |f| f.sentence(d.fixed_in.as_deref(), corpus),
                    )
                }),
            })
        });
    }

    /// Draw the pane.
    pub fn ui(&self, ui: &mut Ui, corpus: &Corpus, generation: u64, actions: &mut Vec<Command>) {
        let Some(c) = self.current.as_ref().filter(|c| c.generation == generation) else {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("Click a test to see its details here.").weak());
            });
            return;
        };
        let Some(release) = corpus.releases.get(c.row.release) else {
            return;
        };
        let Some(t) = release.tests.get(c.row.test) else {
            return;
        };
        ui.horizontal(|ui| {
            ui.heading("Test");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("×")
                    .on_hover_text("Close the details")
                    .clicked()
                {
                    actions.push(Command::SelectTest(None));
                }
            });
        });
        egui::ScrollArea::vertical()
            .id_salt("cv-detail-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(t.name()).strong().size(15.0)).wrap());
                ui.add_space(4.0);
                ui.horizontal_wrapped(|ui| {
                    let color = style::status_color(ui, t.status());
                    style::badge(ui, t.outcome.detail(), color);
                    // A long label cannot wrap: cut it to the pane, or it
                    // would widen the pane over the table.
                    style::middle_label(ui, &release.label, |l| {
                        RichText::new(format!("in {l}")).weak()
                    });
                    // Small pieces move to the next line whole.
                    let piece = |ui: &mut Ui, text: String| {
                        ui.add(
                            egui::Label::new(RichText::new(text).weak())
                                .wrap_mode(egui::TextWrapMode::Extend),
                        );
                    };
                    piece(ui, format!("· {}", style::duration(t.duration_secs)));
                    if let Some(sig) = &t.sig() {
                        piece(ui, format!("· {sig}"));
                    }
                    if let Some(why) = &c.not_required {
                        ui.label(RichText::new(format!("· {why}")).weak());
                    }
                });
                if !c.also_at.is_empty() {
                    ui.label(
                        RichText::new(format!(
                            "The same run was also found at: {}",
                            c.also_at.join("; ")
                        ))
                        .small()
                        .weak(),
                    );
                }
                let tags = display_tags(t);
                if !tags.is_empty() {
                    ui.label(RichText::new(format!("Tags: {tags}")).small().weak());
                }
                if let Some(caveat) = self
                    .caveat
                    .as_ref()
                    .filter(|k| k.generation == generation && k.row == c.row)
                {
                    caveat_ui(ui, caveat, actions);
                }
                if let Some(msg) = &t.message {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Message").strong());
                    ui.add(egui::Label::new(RichText::new(&**msg).monospace()).wrap());
                }
                if let Some(text) = &c.failure_text {
                    ui.add_space(6.0);
                    egui::CollapsingHeader::new(RichText::new("Failure").strong())
                        .id_salt("cv-detail-failure")
                        .default_open(true)
                        .show(ui, |ui| text_block(ui, "cv-failure-text", text, 220.0));
                }
                if let Some(text) = &c.output {
                    egui::CollapsingHeader::new(RichText::new("Output").strong())
                        .id_salt("cv-detail-output")
                        .default_open(
                            c.failure_text.is_none() && t.status() != crate::model::Status::Passed,
                        )
                        .show(ui, |ui| text_block(ui, "cv-output-text", text, 220.0));
                }
                ui.add_space(6.0);
                egui::CollapsingHeader::new(
                    RichText::new(format!(
                        "Status in every loaded release ({})",
                        corpus.releases.len()
                    ))
                    .strong(),
                )
                .id_salt("cv-detail-across")
                .default_open(true)
                .show(ui, |ui| across_ui(ui, corpus, &c.across, c.row.release));
                ui.add_space(6.0);
                egui::CollapsingHeader::new(RichText::new("e2e.log excerpt").strong())
                    .id_salt("cv-detail-excerpt")
                    .default_open(true)
                    .show(ui, |ui| excerpt_ui(ui, &c.excerpt));
            });
    }
}

/// What the caveat catalog says about a non-passing required test.
fn caveat_ui(ui: &mut Ui, caveat: &TestCaveat, actions: &mut Vec<Command>) {
    let e = &caveat.explanation;
    ui.add_space(6.0);
    if let Some(d) = &e.known_defect {
        known_defect_ui(ui, d, caveat.fix.as_deref(), actions);
        return;
    }
    let (color, fill) = match e.category {
        Some(_) => (style::skipped(ui), 0.10),
        None if caveat.applies => (style::failed(ui), 0.10),
        None => (style::muted(ui), 0.06),
    };
    egui::Frame::new()
        .fill(color.gamma_multiply(fill))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.7)))
        .corner_radius(6)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            match &e.category {
                Some(id) => {
                    let title = caveat.title.as_deref().unwrap_or(id.as_str());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("Caveat:").strong().color(color));
                        ui.label(RichText::new(title).strong());
                        ui.label(RichText::new(id).monospace().weak());
                    });
                    if let Some(rule) = &e.rule {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new("Rule").weak());
                            ui.label(RichText::new(rule).monospace());
                        });
                    }
                    if let Some(reason) = &e.reason {
                        ui.add(egui::Label::new(format!("Why: {reason}")).wrap());
                    }
                    if ui.link("See the category in the Caveats tab").clicked() {
                        actions.push(Command::SetTab(Tab::Caveats));
                        actions.push(Command::Caveats(CaveatAction::ShowCategory(id.clone())));
                    }
                }
                None if caveat.applies => {
                    ui.horizontal(|ui| {
                        style::icon(ui, style::Icon::Warning, 15.0, color);
                        ui.label(
                            RichText::new("Unexplained: no caveat explains this result.")
                                .strong()
                                .color(color),
                        );
                    });
                    match &e.note {
                        Some(note) => {
                            ui.add(egui::Label::new(format!("Catalog note: {note}")).wrap());
                        }
                        None => {
                            ui.label(
                                RichText::new("No rule or note of the catalog mentions it.").weak(),
                            );
                        }
                    }
                }
                None => {
                    ui.add(
                        egui::Label::new(
                            RichText::new(
                                "The caveat catalog does not apply to this release, so this \
                                 result counts as it is. Turn the caveats on for the release \
                                 from its menu in the release list if it is that platform.",
                            )
                            .weak(),
                        )
                        .wrap(),
                    );
                }
            }
        });
}

/// What the vendor's per-release document says about the test: a known
/// defect, its reason and impact, and the documented fix as the data
/// checks it.
fn known_defect_ui(
    ui: &mut Ui,
    d: &crate::analysis::DefectNote,
    fix: Option<&str>,
    actions: &mut Vec<Command>,
) {
    let color = style::failed(ui);
    egui::Frame::new()
        .fill(color.gamma_multiply(0.10))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.7)))
        .corner_radius(6)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Known defect:").strong().color(color));
                ui.label(
                    RichText::new("the vendor documents this failure in this release").strong(),
                );
            });
            if let Some(reason) = &d.reason {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Reason").weak());
                    style::markdown_line(ui, reason);
                });
            }
            if let Some(impact) = &d.impact {
                ui.add(egui::Label::new(format!("Impact: {impact}")).wrap());
            }
            if let Some(fix) = fix {
                let fix_color = if fix.contains(": confirmed") {
                    style::passed(ui)
                } else if fix.contains(": contradicted") {
                    color
                } else {
                    ui.visuals().text_color()
                };
                ui.add(egui::Label::new(RichText::new(fix).color(fix_color)).wrap());
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .link(format!("Open {} at this entry", d.document))
                    .on_hover_text(format!("Line {} of {}", d.line, d.path.display()))
                    .clicked()
                {
                    actions.push(Command::Caveats(CaveatAction::OpenDefectDoc {
                        path: d.path.clone(),
                        member: d.member.clone(),
                        document: d.document.clone(),
                        line: d.line,
                    }));
                }
            });
        });
}

fn text_block(ui: &mut Ui, id: &str, text: &str, max_height: f32) {
    egui::ScrollArea::both()
        .id_salt(id)
        .max_height(max_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
        });
}

fn across_ui(ui: &mut Ui, corpus: &Corpus, across: &[Across], this: usize) {
    // Labels share the pane with the outcome column: long ones are cut in
    // the middle rather than widen the pane.
    let label_width = (ui.available_width() - 150.0).max(80.0);
    egui::ScrollArea::vertical()
        .id_salt("cv-across-scroll")
        .max_height(200.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("cv-across-grid")
                .num_columns(2)
                .striped(true)
                .spacing([16.0, 2.0])
                .show(ui, |ui| {
                    for (i, outcome) in across {
                        let Some(r) = corpus.releases.get(*i) else {
                            continue;
                        };
                        let strong = *i == this;
                        let text = |t: String| {
                            let label = RichText::new(t);
                            if strong { label.strong() } else { label }
                        };
                        let shown = style::middle_cut_to(ui, &r.label, label_width, &text);
                        let response = ui.label(text(shown.clone()));
                        if shown != r.label {
                            response.on_hover_text(&r.label);
                        }
                        match outcome {
                            Some((o, None)) => {
                                ui.label(style::outcome_text(ui, *o));
                            }
                            Some((o, Some(name))) => {
                                ui.horizontal(|ui| {
                                    ui.label(style::outcome_text(ui, *o));
                                    ui.label(RichText::new("(renamed)").weak())
                                        .on_hover_text(format!("Named here: {name}"));
                                });
                            }
                            None => {
                                ui.label(RichText::new("not in this release").weak());
                            }
                        };
                        ui.end_row();
                    }
                });
        });
}

fn excerpt_ui(ui: &mut Ui, state: &ExcerptState) {
    match state {
        ExcerptState::NoLog => {
            ui.label(RichText::new("This release has no e2e.log.").weak());
        }
        ExcerptState::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the log…");
            });
        }
        ExcerptState::Failed(e) => {
            ui.label(RichText::new(e).color(style::failed(ui)));
        }
        ExcerptState::Ready(excerpt) => match &excerpt.body {
            ExcerptBody::NotFound => {
                ui.label(
                    RichText::new(format!(
                        "The log does not mention this test ({}).",
                        excerpt.source
                    ))
                    .weak(),
                );
            }
            ExcerptBody::Error(e) => {
                ui.label(
                    RichText::new(format!("Cannot read the log: {e}")).color(style::failed(ui)),
                );
            }
            ExcerptBody::Found {
                first_line,
                match_line,
                text,
            } => {
                let lines = text.lines().count();
                ui.label(
                    RichText::new(format!(
                        "Lines {first_line}–{} of {} (the test is named on line {match_line})",
                        first_line + lines.saturating_sub(1),
                        excerpt.source
                    ))
                    .small()
                    .weak(),
                );
                let mut job = egui::text::LayoutJob::default();
                let font = egui::TextStyle::Monospace.resolve(ui.style());
                let normal = ui.visuals().text_color();
                let highlight = style::accent(ui);
                for (n, line) in text.lines().enumerate() {
                    let color = if first_line + n == *match_line {
                        highlight
                    } else {
                        normal
                    };
                    job.append(
                        line,
                        0.0,
                        egui::TextFormat {
                            font_id: font.clone(),
                            color,
                            ..Default::default()
                        },
                    );
                    job.append(
                        "\n",
                        0.0,
                        egui::TextFormat {
                            font_id: font.clone(),
                            color,
                            ..Default::default()
                        },
                    );
                }
                egui::ScrollArea::both()
                    .id_salt("cv-excerpt-scroll")
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(job).extend());
                    });
            }
        },
    }
}

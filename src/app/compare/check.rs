//! The Pre-check tab: would the selected release pass the CNCF's review of
//! a conformance submission ([`check::check_release`])? A large PASSED or
//! FAILED, then the findings, errors first; beside them the release's
//! slowest tests.
//!
//! The check reads the release's folder (which files are there), so it
//! always runs on a background thread, once per release, corpus and lists.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::shared::{Shared, lists_note};
use crate::app::commands::{Command, SelectMode};
use crate::app::durations::{self, SLOWEST, SlowList};
use crate::app::jobs::{Computed, JobKind, Place};
use crate::app::style;
use crate::check::{self, CheckReport, Severity};

/// corpus generation, lists generation, release.
/// The data, the lists, the assessments' inputs and the release checked.
use crate::app::state::InfosKey;

type CheckKey = (u64, u64, InfosKey, usize);

/// The Pre-check tab.
#[derive(Debug, Default)]
pub struct CheckView {
    report: Computed<CheckKey, CheckReport>,
    slow: Computed<(u64, usize), SlowList>,
    shown: Option<usize>,
}

impl CheckView {
    /// Take a finished report from its thread.
    pub fn poll(&mut self) {
        self.report.poll();
    }

    /// The release checked in the last frame.
    pub fn release(&self) -> Option<usize> {
        self.shown
    }

    /// The report shown, when made.
    pub fn report(&self) -> Option<&CheckReport> {
        self.report.current().map(|r| &**r)
    }

    /// The slowest tests shown, when listed.
    pub fn slowest(&self) -> Option<&SlowList> {
        self.slow.current().map(|s| &**s)
    }

    /// Draw the tab.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shared: &Shared<'_>,
        lists_line: &str,
        actions: &mut Vec<Command>,
    ) {
        let corpus = shared.inputs.corpus;
        let n = corpus.releases.len();
        let Some(index) = shared
            .inputs
            .selection
            .last()
            .copied()
            .filter(|&i| i < n)
            .or_else(|| n.checked_sub(1))
        else {
            self.shown = None;
            return;
        };
        self.shown = Some(index);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Release");
            let mut pick = index;
            egui::ComboBox::from_id_salt("cv-check-release")
                .selected_text(corpus.releases[index].label.as_str())
                .width(300.0)
                .show_ui(ui, |ui| {
                    for (i, r) in corpus.releases.iter().enumerate() {
                        ui.selectable_value(&mut pick, i, &r.label);
                    }
                })
                .response
                .labelled_by(label.id);
            if pick != index {
                actions.push(Command::SelectRelease {
                    index: pick,
                    mode: SelectMode::Only,
                });
            }
            if shared.inputs.selection.len() > 1 {
                ui.label(
                    RichText::new("(the newest of the selected releases)")
                        .weak()
                        .small(),
                );
            }
        });
        lists_note(ui, lists_line);
        ui.separator();

        // The assessment comes from the window's figures: follow what they
        // were made for, not what they will be made for.
        let key = (
            shared.inputs.generation,
            shared.lists.generation,
            shared.inputs.infos_key,
            index,
        );
        self.report.want(
            key,
            Place::Background,
            JobKind::Check,
            shared.inputs.jobs,
            || {
                let corpus = Arc::clone(corpus);
                let lists = shared.lists.lists.cloned();
                // The window's own assessment of the release, so that
                // Pre-check says what every other view says.
                let assessment = shared.inputs.infos.get(index).map(|i| i.assessment.clone());
                move || match (corpus.releases.get(index), assessment) {
                    (Some(r), Some(a)) => check::check_release(r, &a, lists.as_deref()),
                    _ => CheckReport {
                        label: String::new(),
                        path: String::new(),
                        version: None,
                        passed: false,
                        required_from: String::new(),
                        required: 0,
                        required_passed: 0,
                        verdict: crate::analysis::Verdict::NoRequiredTests,
                        verdict_reason: String::new(),
                        findings: Vec::new(),
                    },
                }
            },
        );
        self.slow.want(
            (shared.inputs.generation, index),
            Place::Here,
            JobKind::Check,
            shared.inputs.jobs,
            || {
                let corpus = Arc::clone(corpus);
                move || durations::slow_list(&corpus, index, SLOWEST)
            },
        );

        let report = self.report.current().cloned();
        let slow = self.slow.current().cloned();
        let report_pane = |ui: &mut Ui| match &report {
            Some(r) => report_ui(ui, r),
            None => match self.report.error() {
                Some(e) => {
                    ui.label(RichText::new(e).color(style::failed(ui)));
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Checking…");
                    });
                }
            },
        };
        let slow_heading = |ui: &mut Ui| {
            ui.label(RichText::new("Slowest tests").size(17.0).strong());
            ui.label(
                RichText::new("Run time in this release, and the change since the closest earlier release that ran the test")
                    .small()
                    .weak(),
            );
            ui.add_space(4.0);
        };
        let left = egui::Layout::top_down(egui::Align::LEFT);
        if ui.available_width() >= WIDE {
            // Side by side; columns are justified layouts, which would
            // stretch wrapped text, so each column lays out left-aligned.
            ui.columns(2, |cols| {
                cols[0].with_layout(left, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("cv-check-scroll")
                        .auto_shrink([false, false])
                        .show(ui, report_pane);
                });
                cols[1].with_layout(left, |ui| {
                    slow_heading(ui);
                    egui::ScrollArea::vertical()
                        .id_salt("cv-slowest-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            if let Some(list) = &slow {
                                durations::ui(ui, list, shared.inputs.selected_test, actions);
                            }
                        });
                });
            });
        } else {
            // Too narrow for two columns: the slowest tests follow the
            // report in one scroll.
            egui::ScrollArea::vertical()
                .id_salt("cv-check-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    report_pane(ui);
                    ui.separator();
                    slow_heading(ui);
                    if let Some(list) = &slow {
                        durations::ui(ui, list, shared.inputs.selected_test, actions);
                    }
                });
        }
    }
}

/// Below this width the report and the slowest tests are stacked.
const WIDE: f32 = 640.0;

fn report_ui(ui: &mut Ui, r: &CheckReport) {
    let (word, color, icon) = if r.passed {
        ("PASSED", style::passed(ui), style::Icon::Check)
    } else {
        ("FAILED", style::failed(ui), style::Icon::Cross)
    };
    ui.horizontal(|ui| {
        style::icon(ui, icon, 36.0, color);
        ui.label(RichText::new(word).size(36.0).strong().color(color));
    });
    ui.label(
        RichText::new(if r.passed {
            "Nothing here would fail the CNCF review of a conformance submission."
        } else {
            "The CNCF review of a conformance submission would fail on the errors below."
        })
        .size(15.0),
    );
    ui.add_space(4.0);
    let version = r
        .version
        .as_ref()
        .map(|v| format!(" · Kubernetes v{v}"))
        .unwrap_or_default();
    ui.label(RichText::new(format!("{}{version}", r.label)).strong());
    ui.label(RichText::new(&r.path).small().weak());
    ui.label(format!(
        "Required tests ({}): {} of {} passed",
        r.required_from, r.required_passed, r.required
    ));
    // The release's verdict, as every other view gives it.
    ui.horizontal_wrapped(|ui| {
        ui.label("Verdict:");
        crate::app::style::verdict_badge(ui, r.verdict);
        ui.add(egui::Label::new(RichText::new(&r.verdict_reason).weak()).wrap());
    });
    ui.add_space(8.0);
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let findings: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        let (title, color, icon) = match severity {
            Severity::Error => ("Errors", style::failed(ui), style::Icon::Cross),
            Severity::Warning => ("Warnings", style::skipped(ui), style::Icon::Warning),
            Severity::Info => ("Notes", style::accent(ui), style::Icon::Info),
        };
        ui.label(
            RichText::new(format!("{title} ({})", findings.len()))
                .size(16.0)
                .strong()
                .color(color),
        );
        if findings.is_empty() {
            ui.label(RichText::new("none").weak());
        }
        for f in findings {
            ui.horizontal(|ui| {
                style::icon(ui, icon, 14.0, color);
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&f.message).wrap());
                    ui.label(RichText::new(&f.code).small().weak());
                });
            });
        }
        ui.add_space(8.0);
    }
}

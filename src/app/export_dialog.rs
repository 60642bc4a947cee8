//! Exports from the window: one chart as PNG or SVG, or everything
//! (File › Export all…, Ctrl+E) into a folder, with the export library
//! ([`crate::export`]) that the headless `export` subcommand uses too, so a
//! chart saved here looks exactly like one made in CI (light theme).
//!
//! A small window holds a path field; the native save dialog (rfd) runs on
//! a background thread and only fills that field, so a machine without a
//! dialog portal still exports. Rendering and writing run on a background
//! thread while the window shows a spinner. Nothing is replaced without
//! asking: an existing target brings up a "Replace?" question, and the
//! export runs again with overwriting allowed only if the user agrees.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui::{Id, Key, RichText, Ui};

use super::commands::Command;
use super::jobs::{JobKind, Jobs, Slot};
use super::notifications::Level;
use super::settings::Settings;
use super::state::AppState;
use super::style;
use crate::analysis::Scope;
use crate::caveats::Catalog;
use crate::export::{self, ChartKind, ExportError, ExportOptions};
use crate::model::Corpus;

/// The file format of a single chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartFormat {
    /// A bitmap, `width * scale` by `height * scale` pixels.
    Png,
    /// A vector drawing.
    Svg,
}

impl ChartFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }

    /// The name in upper case, for buttons.
    pub fn name(self) -> &'static str {
        match self {
            ChartFormat::Png => "PNG",
            ChartFormat::Svg => "SVG",
        }
    }
}

/// What the user asked to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportRequest {
    /// Every chart and data file, into a folder.
    All,
    /// One chart, into a file.
    Chart {
        /// Which chart.
        kind: ChartKind,
        /// PNG or SVG.
        format: ChartFormat,
    },
}

impl ExportRequest {
    /// The title of the export window.
    pub fn title(self) -> String {
        match self {
            ExportRequest::All => "Export all".to_string(),
            ExportRequest::Chart { kind, format } => {
                format!("Export the {} chart as {}", kind.file_stem(), format.name())
            }
        }
    }

    /// The file name a chart is saved under by default.
    fn file_name(self) -> Option<String> {
        match self {
            ExportRequest::All => None,
            ExportRequest::Chart { kind, format } => {
                Some(format!("{}.{}", kind.file_stem(), format.extension()))
            }
        }
    }
}

/// Two buttons, "Export PNG…" and "Export SVG…", that ask to export `kind`.
/// In a right-to-left layout pass `right_to_left` so PNG still comes first.
pub fn chart_buttons(
    ui: &mut Ui,
    kind: ChartKind,
    right_to_left: bool,
    actions: &mut Vec<Command>,
) {
    let mut formats = [ChartFormat::Png, ChartFormat::Svg];
    if right_to_left {
        formats.reverse();
    }
    for format in formats {
        if ui
            .small_button(format!("Export {}…", format.name()))
            .on_hover_text(format!(
                "Save this chart as {} (light theme, as in reports)",
                format.name()
            ))
            .clicked()
        {
            actions.push(Command::Export(ExportRequest::Chart { kind, format }));
        }
    }
}

/// What an export needs from the app; cheap to gather (shared pointers).
#[derive(Clone, Debug)]
pub struct ExportInputs {
    /// The loaded data.
    pub corpus: Arc<Corpus>,
    /// The caveat catalog in use.
    pub catalog: Arc<Catalog>,
    /// The caveat scope in use.
    pub scope: Scope,
    /// The folders and tarballs the data was opened from: nothing is
    /// written inside them.
    pub roots: Vec<PathBuf>,
    /// The product lines as the window shows them (after renames).
    pub lines: crate::lines::Lines,
    /// The conformance lists in use.
    pub lists: Option<Arc<crate::conformance_list::ConformanceLists>>,
    /// Each release's assessment as the window shows it, in corpus order:
    /// what a chart export draws.
    pub assessments: Arc<Vec<crate::analysis::Assessment>>,
}

/// Where an export stands.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Waiting for the user.
    Idle,
    /// Rendering and writing on a background thread.
    Running {
        /// The job whose answer is awaited.
        job: u64,
    },
    /// A target exists: replace it?
    ConfirmReplace {
        /// The first existing file found.
        existing: PathBuf,
    },
}

#[derive(Debug)]
struct Dialog {
    id: u64,
    request: ExportRequest,
    path: String,
    width: u32,
    height: u32,
    scale: f32,
    phase: Phase,
    error: Option<String>,
}

/// What an export job hands back: the target and what was written.
type Written = (PathBuf, Result<Vec<PathBuf>, ExportError>);

/// The export window and its jobs.
#[derive(Debug, Default)]
pub struct ExportDialog {
    dialog: Option<Dialog>,
    next_id: u64,
    last_written: Vec<PathBuf>,
    /// The native dialog, for the window with this id.
    picking: Slot<u64, Option<PathBuf>>,
    /// The export being written, for (window id, job id). Closing the
    /// window leaves it running; it is still reported.
    writing: Slot<(u64, u64), Written>,
}

/// The folder an export starts in: the last one used, else the home folder.
fn start_dir(settings: &Settings) -> Option<PathBuf> {
    settings
        .export_dir
        .clone()
        .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
}

impl ExportDialog {
    /// Whether the export window is open.
    pub fn is_open(&self) -> bool {
        self.dialog.is_some()
    }

    /// Whether an export is being written.
    pub fn is_running(&self) -> bool {
        self.dialog
            .as_ref()
            .is_some_and(|d| matches!(d.phase, Phase::Running { .. }))
    }

    /// Whether the native file dialog of the window is open (or opening).
    pub fn is_picking(&self) -> bool {
        self.dialog
            .as_ref()
            .is_some_and(|d| self.picking.runs(&d.id))
    }

    /// Whether the window asks whether to replace existing files.
    pub fn is_asking_to_replace(&self) -> bool {
        self.dialog
            .as_ref()
            .is_some_and(|d| matches!(d.phase, Phase::ConfirmReplace { .. }))
    }

    /// The files the last successful export wrote.
    pub fn last_written(&self) -> &[PathBuf] {
        &self.last_written
    }

    /// Open the export window for `request`, with the path field filled in,
    /// and offer the native save dialog (a job).
    pub fn begin(&mut self, request: ExportRequest, settings: &Settings, jobs: &Jobs) {
        if self.is_running() {
            return;
        }
        self.next_id += 1;
        let dir = start_dir(settings);
        let path = match (&dir, request.file_name()) {
            (Some(d), Some(name)) => d.join(name),
            (Some(d), None) => d.join("conformance-export"),
            (None, Some(name)) => PathBuf::from(name),
            (None, None) => PathBuf::from("conformance-export"),
        };
        let (width, height, scale) = match request {
            ExportRequest::Chart {
                format: ChartFormat::Png,
                ..
            } => (export::DEFAULT_WIDTH, export::DEFAULT_HEIGHT, 2.0),
            _ => (export::DEFAULT_WIDTH, export::DEFAULT_HEIGHT, 1.0),
        };
        let id = self.next_id;
        self.dialog = Some(Dialog {
            id,
            request,
            path: path.display().to_string(),
            width,
            height,
            scale,
            phase: Phase::Idle,
            error: None,
        });
        self.picking.start(jobs, JobKind::Dialog, id, move |_| {
            native_dialog(request, dir)
        });
    }

    /// Close the window (a running export still finishes and is reported).
    pub fn close(&mut self) {
        if !self.is_running() {
            self.dialog = None;
        }
    }

    /// Take the answers of the dialog and export jobs and draw the window.
    /// Call once per frame.
    pub fn frame(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        jobs: &Jobs,
        actions: &mut Vec<Command>,
    ) {
        let mut start: Option<bool> = None;
        if let Some((dialog, answer)) = self.picking.poll()
            && let Some(d) = self.dialog.as_mut().filter(|d| d.id == dialog)
            && let Ok(Some(path)) = answer
            && d.phase == Phase::Idle
        {
            d.path = path.display().to_string();
            start = Some(false);
        }
        if let Some(((dialog, job), answer)) = self.writing.poll() {
            match answer {
                Ok((target, result)) => self.finish(dialog, job, target, result, actions),
                Err(message) => {
                    if let Some(d) = self.dialog.as_mut().filter(|d| d.id == dialog) {
                        d.phase = Phase::Idle;
                        d.error = Some(message.clone());
                    }
                    actions.push(Command::Notify {
                        level: Level::Error,
                        title: "Cannot export".to_string(),
                        lines: vec![message],
                    });
                }
            }
        }
        let picking = self.is_picking();
        let Some(d) = self.dialog.as_mut() else {
            return;
        };
        if matches!(d.phase, Phase::Running { .. }) || picking {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        let mut close = false;
        let mut open = true;
        egui::Window::new(d.request.title())
            .id(Id::unique("cv-export-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| match window_ui(ui, d, picking) {
                WindowAnswer::Export => start = Some(false),
                WindowAnswer::Cancel => close = true,
                WindowAnswer::Nothing => {}
            });
        if let Phase::ConfirmReplace { existing } = &d.phase {
            match replace_modal(ctx, d.request, existing) {
                Some(true) => start = Some(true),
                Some(false) => d.phase = Phase::Idle,
                None => {}
            }
        }
        if (!open || close) && !matches!(d.phase, Phase::Running { .. }) {
            self.dialog = None;
            return;
        }
        if let Some(overwrite) = start {
            self.start(state.export_inputs(), overwrite, jobs);
        }
    }

    /// Start writing (a job).
    fn start(&mut self, inputs: ExportInputs, overwrite: bool, jobs: &Jobs) {
        let Some(d) = self.dialog.as_mut() else {
            return;
        };
        if matches!(d.phase, Phase::Running { .. }) {
            return;
        }
        let typed = d.path.trim();
        if typed.is_empty() {
            d.error = Some("Type a path first.".to_string());
            return;
        }
        self.next_id += 1;
        let job = self.next_id;
        let dialog = d.id;
        let request = d.request;
        let target = target_path(request, Path::new(typed));
        let (width, height, scale) = (d.width, d.height, d.scale);
        self.writing
            .start(jobs, JobKind::Export, (dialog, job), move |_| {
                let result =
                    run_export(&inputs, request, &target, (width, height, scale), overwrite);
                (target, result)
            });
        d.error = None;
        d.phase = Phase::Running { job };
    }

    fn finish(
        &mut self,
        dialog: u64,
        job: u64,
        target: PathBuf,
        result: Result<Vec<PathBuf>, ExportError>,
        actions: &mut Vec<Command>,
    ) {
        let current = self
            .dialog
            .as_mut()
            .filter(|d| d.id == dialog && d.phase == Phase::Running { job });
        match result {
            Ok(written) => {
                let folder = written
                    .first()
                    .and_then(|p| p.parent())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| target.clone());
                let (title, lines) = if written.len() == 1 {
                    (
                        format!("Saved {}", target.display()),
                        vec![format!("in {}", folder.display())],
                    )
                } else {
                    let names: Vec<String> = written
                        .iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect();
                    (
                        format!("Exported {} files to {}", written.len(), folder.display()),
                        vec![names.join(", ")],
                    )
                };
                actions.push(Command::Notify {
                    level: Level::Info,
                    title,
                    lines,
                });
                actions.push(Command::RememberExportDir(folder));
                self.last_written = written;
                if current.is_some() {
                    self.dialog = None;
                }
            }
            Err(ExportError::Exists { path }) if current.is_some() => {
                if let Some(d) = current {
                    d.phase = Phase::ConfirmReplace { existing: path };
                }
            }
            Err(e) => {
                let message = e.to_string();
                let (title, mut lines) = match &e {
                    ExportError::InsideOpenedRoot { root, .. } => (
                        "Not written: the target is inside opened results".to_string(),
                        vec![
                            format!(
                                "{} lies inside {}, which holds results you opened.",
                                target.display(),
                                root.display()
                            ),
                            "Exports are kept apart from the evidence; choose another place."
                                .to_string(),
                        ],
                    ),
                    _ => (format!("Cannot export to {}", target.display()), Vec::new()),
                };
                if lines.is_empty() {
                    lines.push(message.clone());
                }
                actions.push(Command::Notify {
                    level: Level::Error,
                    title,
                    lines,
                });
                if let Some(d) = current {
                    d.phase = Phase::Idle;
                    d.error = Some(message);
                }
            }
        }
    }
}

/// The native dialog of an export window (on a job's thread).
fn native_dialog(request: ExportRequest, dir: Option<PathBuf>) -> Option<PathBuf> {
    let mut fd = rfd::FileDialog::new();
    if let Some(dir) = dir.filter(|d| d.is_dir()) {
        fd = fd.set_directory(dir);
    }
    match request {
        ExportRequest::All => fd
            .set_title("Choose a folder for the charts, data and report")
            .pick_folder(),
        ExportRequest::Chart { format, .. } => {
            let name = request.file_name().unwrap_or_default();
            fd.set_title("Save the chart")
                .set_file_name(name)
                .add_filter(format.name(), &[format.extension()])
                .save_file()
        }
    }
}

enum WindowAnswer {
    Export,
    Cancel,
    Nothing,
}

fn window_ui(ui: &mut Ui, d: &mut Dialog, picking: bool) -> WindowAnswer {
    let mut answer = WindowAnswer::Nothing;
    let running = matches!(d.phase, Phase::Running { .. });
    ui.set_min_width(480.0);
    let what = match d.request {
        ExportRequest::All => "Writes the three charts as PNG and SVG, summary.csv, tests.csv, \
             summary.json and report.html into a folder (created if missing)."
            .to_string(),
        ExportRequest::Chart { kind, .. } => format!(
            "Draws “{}” in the light theme used by reports and CI.",
            kind.title()
        ),
    };
    ui.label(what);
    ui.label(
        RichText::new("Existing files are only replaced if you say so.")
            .small()
            .weak(),
    );
    ui.add_space(6.0);
    let field_label = match d.request {
        ExportRequest::All => "Folder:",
        ExportRequest::Chart { .. } => "File:",
    };
    let mut enter = false;
    ui.horizontal(|ui| {
        let label = ui.label(field_label);
        let response = ui
            .add_enabled(
                !running,
                egui::TextEdit::singleline(&mut d.path)
                    .desired_width(360.0)
                    .hint_text("A path on this computer"),
            )
            .labelled_by(label.id);
        enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    });
    if picking {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(
                RichText::new("A file dialog is open; you can also type the path above.").weak(),
            );
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label("Width");
        ui.add_enabled(
            !running,
            egui::DragValue::new(&mut d.width)
                .range(export::MIN_SIZE..=4000)
                .suffix(" px"),
        )
        .labelled_by(label.id);
        let label = ui.label("Height");
        ui.add_enabled(
            !running,
            egui::DragValue::new(&mut d.height)
                .range(export::MIN_SIZE..=4000)
                .suffix(" px"),
        )
        .labelled_by(label.id);
        let png = match d.request {
            ExportRequest::All => true,
            ExportRequest::Chart { format, .. } => format == ChartFormat::Png,
        };
        if png {
            let label = ui.label("PNG scale");
            ui.add_enabled(
                !running,
                egui::DragValue::new(&mut d.scale)
                    .range(0.5..=4.0)
                    .speed(0.05)
                    .max_decimals(2),
            )
            .labelled_by(label.id);
        }
    });
    if let Some(e) = &d.error {
        ui.add(egui::Label::new(RichText::new(e).color(style::failed(ui))).wrap());
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if running {
            ui.spinner();
            ui.label("Writing…");
        } else {
            let ok = !d.path.trim().is_empty();
            if ui.add_enabled(ok, egui::Button::new("Export")).clicked() || (enter && ok) {
                answer = WindowAnswer::Export;
            }
            if ui.button("Cancel").clicked() {
                answer = WindowAnswer::Cancel;
            }
        }
    });
    answer
}

/// The "Replace?" question. `Some(true)`: replace; `Some(false)`: do not.
fn replace_modal(ctx: &egui::Context, request: ExportRequest, existing: &Path) -> Option<bool> {
    let mut answer = None;
    let modal = egui::Modal::new(Id::unique("cv-export-replace")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading("Replace existing files?");
        ui.add_space(4.0);
        ui.add(egui::Label::new(format!("{} already exists.", existing.display())).wrap());
        if request == ExportRequest::All {
            ui.label(
                "Other files of this export may exist in that folder too; all would be replaced.",
            );
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                answer = Some(true);
            }
            if ui.button("Keep them").clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}

/// The file or folder an export writes to: a chart typed as a folder goes
/// into it under its default name, and gets its extension when it has none.
fn target_path(request: ExportRequest, typed: &Path) -> PathBuf {
    match request {
        ExportRequest::All => typed.to_path_buf(),
        ExportRequest::Chart { format, .. } => {
            if typed.is_dir() {
                return typed.join(request.file_name().unwrap_or_default());
            }
            if typed.extension().is_none() {
                typed.with_extension(format.extension())
            } else {
                typed.to_path_buf()
            }
        }
    }
}

/// Render and write; runs on the export thread.
fn run_export(
    inputs: &ExportInputs,
    request: ExportRequest,
    target: &Path,
    (width, height, scale): (u32, u32, f32),
    overwrite: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    match request {
        ExportRequest::All => {
            let mut opts = ExportOptions::new(target);
            opts.width = width;
            opts.height = height;
            opts.scale = scale;
            opts.opened_roots = inputs.roots.clone();
            opts.overwrite = overwrite;
            export::export_all(
                &inputs.corpus,
                &inputs.catalog,
                &inputs.scope,
                inputs.lists.as_deref(),
                &opts,
            )
        }
        ExportRequest::Chart { kind, format } => {
            let folder = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let mut roots = inputs.roots.clone();
            for r in &inputs.corpus.releases {
                if !roots.contains(&r.root) {
                    roots.push(r.root.clone());
                }
            }
            export::check_outside_roots(&folder, &roots)?;
            match std::fs::symlink_metadata(target) {
                Ok(meta) if meta.is_dir() => {
                    return Err(ExportError::NotAFile {
                        path: target.to_path_buf(),
                    });
                }
                Ok(_) if !overwrite => {
                    return Err(ExportError::Exists {
                        path: target.to_path_buf(),
                    });
                }
                _ => {}
            }
            let assessments: Vec<&crate::analysis::Assessment> =
                inputs.assessments.iter().collect();
            let data = export::chart_data_with_lines(
                &inputs.corpus,
                &inputs.catalog,
                &assessments,
                &inputs.lines,
            );
            let bytes = match format {
                ChartFormat::Png => export::chart_png(kind, &data, width, height, scale)?,
                ChartFormat::Svg => export::chart_svg(kind, &data, width, height)?.into_bytes(),
            };
            std::fs::create_dir_all(&folder).map_err(|source| ExportError::CreateDir {
                path: folder.clone(),
                source,
            })?;
            export::write_file(target, &bytes, overwrite)?;
            Ok(vec![target.to_path_buf()])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_targets_get_a_name_and_an_extension() {
        let png = ExportRequest::Chart {
            kind: ChartKind::Trend,
            format: ChartFormat::Png,
        };
        let dir = std::env::temp_dir();
        assert_eq!(target_path(png, &dir), dir.join("trend.png"));
        assert_eq!(
            target_path(png, Path::new("/no/such/chart")),
            PathBuf::from("/no/such/chart.png")
        );
        assert_eq!(
            target_path(png, Path::new("/no/such/chart.PNG")),
            PathBuf::from("/no/such/chart.PNG")
        );
        assert_eq!(
            target_path(ExportRequest::All, Path::new("/x")),
            PathBuf::from("/x")
        );
    }
}

//! Kubernetes' conformance lists (`conformance-v1.NN.yaml`) in the window:
//! the lists of v1.18 to v1.36 are built in
//! ([`ConformanceLists::builtin`]); the [`ListsModel`] of the app state
//! reads the folder in use (this session's `--conformance-lists`, else the
//! saved one) by a job whenever it changes and lays it over them, and
//! [`ListsMenu`] (in the window that View › Conformance lists… opens) asks
//! for another folder.
//! Files that cannot be read are reported as notifications naming them; the
//! rest are used.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{RichText, Ui};

use super::commands::Command;
use super::jobs::{JobKind, Jobs, Slot};
use super::notifications::{Level, Notifications};
use crate::conformance_list::ConformanceLists;
use crate::model::LoadError;

/// Kubernetes' conformance lists, read from the folder in use.
#[derive(Debug, Default)]
pub struct ListsModel {
    lists: Option<Arc<ConformanceLists>>,
    generation: u64,
    /// The folder last asked for (read, being read, or failed).
    requested: Option<PathBuf>,
    reading: Slot<PathBuf, (ConformanceLists, Vec<LoadError>)>,
}

impl ListsModel {
    /// The lists in use: the built-in ones, with the folder's laid over
    /// them once read.
    pub fn lists(&self) -> Option<&Arc<ConformanceLists>> {
        self.lists.as_ref().or_else(|| Some(builtin()))
    }

    /// Changes each time other lists come into use (or none).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a folder is being read.
    pub fn is_loading(&self) -> bool {
        self.reading.is_running()
    }

    /// The folder in use or being read.
    pub fn folder(&self) -> Option<&Path> {
        self.requested.as_deref()
    }

    /// Follow the folder in use: read it when it changed, take a finished
    /// read, and report its problems. Call once per frame.
    pub fn sync(&mut self, folder: Option<&Path>, jobs: &Jobs, notes: &mut Notifications) {
        if self.requested.as_deref() != folder {
            self.requested = folder.map(Path::to_path_buf);
            self.reading.clear();
            match folder {
                None => {
                    if self.lists.take().is_some() {
                        self.generation += 1;
                    }
                }
                Some(dir) => {
                    let dir = dir.to_path_buf();
                    self.reading
                        .start(jobs, JobKind::Lists, dir.clone(), move |_| {
                            ConformanceLists::load_dir(&dir)
                        });
                }
            }
        }
        self.poll(notes);
    }

    fn poll(&mut self, notes: &mut Notifications) {
        let Some((folder, answer)) = self.reading.poll() else {
            return;
        };
        let (lists, errors) = match answer {
            Ok(answer) => answer,
            Err(message) => {
                notes.push(
                    Level::Error,
                    "Cannot read the conformance lists",
                    vec![message],
                );
                return;
            }
        };
        let folder = folder.display().to_string();
        if errors.len() <= 3 {
            for e in &errors {
                notes.push(Level::Warning, e.path.clone(), vec![e.message.clone()]);
            }
        } else {
            notes.push(
                Level::Warning,
                format!("{} conformance lists could not be used", errors.len()),
                errors.iter().map(ToString::to_string).collect(),
            );
        }
        if lists.is_empty() {
            notes.push(
                Level::Info,
                "No conformance lists found",
                vec![format!(
                    "{folder}: no conformance-v1.NN.yaml (or v1.NN/conformance.yaml) in this folder"
                )],
            );
            if self.lists.take().is_some() {
                self.generation += 1;
            }
            return;
        }
        let mut merged = (**builtin()).clone();
        merged.merge(lists);
        self.lists = Some(Arc::new(merged));
        self.generation += 1;
    }
    /// One line saying which lists are in use.
    pub fn summary(&self) -> String {
        if self.is_loading() {
            return "reading the conformance lists…".into();
        }
        let from = if self.lists.is_some() {
            "built in and from the folder"
        } else {
            "built in"
        };
        match self.lists() {
            Some(lists) => {
                let versions: Vec<(u32, u32)> = lists.versions().collect();
                match (versions.first(), versions.last()) {
                    (Some(a), Some(b)) if a != b => format!(
                        "{} conformance lists, v{}.{} to v{}.{} ({from})",
                        lists.len(),
                        a.0,
                        a.1,
                        b.0,
                        b.1
                    ),
                    (Some(a), _) => format!("conformance list v{}.{}", a.0, a.1),
                    _ => "no conformance lists".into(),
                }
            }
            None => "no conformance lists: tests are matched on their names only".into(),
        }
    }
}

/// The built-in lists, decoded once for the window.
static BUILTIN: std::sync::OnceLock<Arc<ConformanceLists>> = std::sync::OnceLock::new();

/// The built-in lists, decoded on first use (a load job decodes them when
/// its releases have known defects, whose fix checks read them on the
/// frame that shows the load).
pub(super) fn builtin() -> &'static Arc<ConformanceLists> {
    BUILTIN.get_or_init(|| Arc::new(ConformanceLists::builtin()))
}

/// Decode the built-in lists on a job, once, so that the first frame that
/// wants them (a compare tab) does not do it: called when a load is shown,
/// not before, since it would take a core from the load.
pub fn warm_builtin(jobs: &Jobs) {
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if BUILTIN.get().is_none() && !STARTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        // Nothing waits for the answer; the decoded lists stay in BUILTIN.
        let _ = jobs.start_quiet(JobKind::Lists, |_| {
            builtin();
        });
    }
}

/// The conformance-lists window's contents: a folder field, Use and
/// Forget.
#[derive(Debug, Default)]
pub struct ListsMenu {
    /// The text of the folder field.
    input: String,
    input_for: Option<Option<PathBuf>>,
}

impl ListsMenu {
    /// Draw the entry for the folder in use; a choice is asked for with
    /// [`Command::SetConformanceLists`].
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        model: &ListsModel,
        folder: Option<&Path>,
        actions: &mut Vec<Command>,
    ) {
        let setting = folder.map(Path::to_path_buf);
        if self.input_for.as_ref() != Some(&setting) {
            self.input = setting
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            self.input_for = Some(setting.clone());
        }
        ui.set_min_width(380.0);
        ui.label(
            RichText::new(
                "A folder of Kubernetes' conformance-v1.NN.yaml files: renamed tests are \
                 then matched across versions, and the pre-check knows the required tests.",
            )
            .small(),
        );
        let field = egui::TextEdit::singleline(&mut self.input)
            .hint_text("Folder of conformance-v1.NN.yaml")
            .desired_width(360.0);
        let response = ui.add(field);
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let text = self.input.trim();
            if ui
                .add_enabled(!text.is_empty(), egui::Button::new("Use this folder"))
                .clicked()
                || (entered && !text.is_empty())
            {
                actions.push(Command::SetConformanceLists(Some(PathBuf::from(text))));
            }
            if ui
                .add_enabled(setting.is_some(), egui::Button::new("Forget"))
                .on_hover_text("Match tests on their names only")
                .clicked()
            {
                actions.push(Command::SetConformanceLists(None));
            }
        });
        ui.label(RichText::new(model.summary()).weak().small());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_missing_folder_is_reported_and_the_built_in_lists_stay() {
        let jobs = Jobs::default();
        let mut model = ListsModel::default();
        let mut notes = Notifications::default();
        let dir = PathBuf::from("/nonexistent/conformance-lists");
        model.sync(Some(&dir), &jobs, &mut notes);
        assert!(super::super::jobs::wait_until(
            Duration::from_secs(5),
            || {
                model.sync(Some(&dir), &jobs, &mut notes);
                !model.is_loading()
            }
        ));
        // Only the built-in lists: v1.18 to v1.36.
        let versions: Vec<(u32, u32)> = model
            .lists()
            .map(|l| l.versions().collect())
            .unwrap_or_default();
        assert_eq!(versions.first(), Some(&(1, 18)));
        assert_eq!(versions.last(), Some(&(1, 36)));
        assert!(
            model.summary().contains("(built in)"),
            "{}",
            model.summary()
        );
        assert!(
            notes
                .notes()
                .iter()
                .any(|n| n.title.contains("/nonexistent/conformance-lists")),
            "{:?}",
            notes.notes()
        );
    }
}

//! Kubernetes' conformance lists (`conformance-v1.NN.yaml`) in the window:
//! read from the folder named in the settings on a background thread, and
//! read again whenever that setting changes. Files that cannot be read are
//! reported as notifications naming them; the rest are used.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::{RichText, Ui};

use super::notifications::{Level, Notifications};
use crate::conformance_list::ConformanceLists;
use crate::model::LoadError;

/// What a reader thread sends back.
type Answer = (ConformanceLists, Vec<LoadError>);

/// The conformance lists of the window.
#[derive(Debug, Default)]
pub struct ListsState {
    lists: Option<Arc<ConformanceLists>>,
    generation: u64,
    /// The folder last asked for (read, being read, or failed).
    requested: Option<PathBuf>,
    loading: Option<Receiver<Answer>>,
    /// The text of the folder field in the menu.
    input: String,
    input_for: Option<Option<PathBuf>>,
}

impl ListsState {
    /// The lists in use, if any were read.
    pub fn lists(&self) -> Option<&Arc<ConformanceLists>> {
        self.lists.as_ref()
    }

    /// Changes each time other lists come into use (or none).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a folder is being read.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The folder in use or being read.
    pub fn folder(&self) -> Option<&Path> {
        self.requested.as_deref()
    }

    /// Follow the setting: read the folder when it changed, take a finished
    /// read, and report its problems. Call once per frame.
    pub fn sync(
        &mut self,
        setting: Option<&Path>,
        ctx: Option<&egui::Context>,
        notes: &mut Notifications,
    ) {
        if self.requested.as_deref() != setting {
            self.requested = setting.map(Path::to_path_buf);
            self.loading = None;
            match setting {
                None => {
                    if self.lists.take().is_some() {
                        self.generation += 1;
                    }
                }
                Some(dir) => self.start(dir.to_path_buf(), ctx, notes),
            }
        }
        self.poll(notes);
    }

    fn start(&mut self, dir: PathBuf, ctx: Option<&egui::Context>, notes: &mut Notifications) {
        let (tx, rx) = channel();
        let ctx = ctx.cloned();
        let spawned = std::thread::Builder::new()
            .name("cv-conformance-lists".into())
            .spawn(move || {
                let answer = ConformanceLists::load_dir(&dir);
                let _ = tx.send(answer);
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(_) => self.loading = Some(rx),
            Err(e) => notes.push(
                Level::Error,
                "Cannot read the conformance lists",
                vec![format!("no thread could be started: {e}")],
            ),
        }
    }

    fn poll(&mut self, notes: &mut Notifications) {
        let Some(rx) = &self.loading else {
            return;
        };
        let (lists, errors) = match rx.try_recv() {
            Ok(answer) => answer,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.loading = None;
                notes.push(
                    Level::Error,
                    "Cannot read the conformance lists",
                    vec!["the reader stopped without an answer".into()],
                );
                return;
            }
        };
        self.loading = None;
        let folder = self
            .requested
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
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
        self.lists = Some(Arc::new(lists));
        self.generation += 1;
    }

    /// One line saying which lists are in use.
    pub fn summary(&self) -> String {
        if self.loading.is_some() {
            return "reading the conformance lists…".into();
        }
        match &self.lists {
            Some(lists) => {
                let versions: Vec<(u32, u32)> = lists.versions().collect();
                match (versions.first(), versions.last()) {
                    (Some(a), Some(b)) if a != b => format!(
                        "{} conformance lists, v{}.{} to v{}.{}",
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

    /// The menu entry: a folder field, Use and Forget. Edits the setting;
    /// [`ListsState::sync`] does the reading.
    pub fn menu_ui(&mut self, ui: &mut Ui, setting: &mut Option<PathBuf>) {
        if self.input_for.as_ref() != Some(setting) {
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
                *setting = Some(PathBuf::from(text));
            }
            if ui
                .add_enabled(setting.is_some(), egui::Button::new("Forget"))
                .on_hover_text("Match tests on their names only")
                .clicked()
            {
                *setting = None;
            }
        });
        ui.label(RichText::new(self.summary()).weak().small());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_missing_folder_is_reported_and_nothing_is_used() {
        let mut state = ListsState::default();
        let mut notes = Notifications::default();
        let dir = PathBuf::from("/nonexistent/conformance-lists");
        let start = Instant::now();
        state.sync(Some(&dir), None, &mut notes);
        while state.is_loading() {
            assert!(start.elapsed() < Duration::from_secs(5));
            std::thread::sleep(Duration::from_millis(5));
            state.sync(Some(&dir), None, &mut notes);
        }
        assert!(state.lists().is_none());
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

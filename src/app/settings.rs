//! What the window remembers between sessions: recent and last opened paths,
//! the theme, the test filters and the panel sizes. Never the loaded data.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Status;

/// How many entries the File › Recent menu keeps.
pub const MAX_RECENT: usize = 10;

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Light text on a dark background.
    #[default]
    Dark,
    /// Dark text on a light background.
    Light,
}

impl ThemeChoice {
    /// The egui theme.
    pub fn egui(self) -> egui::Theme {
        match self {
            ThemeChoice::Dark => egui::Theme::Dark,
            ThemeChoice::Light => egui::Theme::Light,
        }
    }
}

/// The main tabs of the central area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// Trend charts and the verdict table.
    #[default]
    Overview,
    /// The test browser.
    Tests,
    /// The caveat categories, what they explain and what nothing explains.
    Caveats,
    /// Every conformance test across every release, TestGrid-like.
    Matrix,
    /// What changed between two releases.
    Diff,
    /// The certification pre-check of one release.
    Check,
}

impl Tab {
    /// Every tab, in the order of the tab bar.
    pub const ALL: [Tab; 6] = [
        Tab::Overview,
        Tab::Tests,
        Tab::Caveats,
        Tab::Matrix,
        Tab::Diff,
        Tab::Check,
    ];

    /// The tab named on the command line (`--view`): its title or a short
    /// name, in any case (`overview`, `tests`, `caveats`, `matrix`, `diff`,
    /// `check`).
    pub fn parse(name: &str) -> Result<Tab, String> {
        let wanted = name.trim().to_ascii_lowercase();
        Tab::ALL
            .into_iter()
            .find(|t| {
                t.title().to_ascii_lowercase() == wanted
                    || format!("{t:?}").to_ascii_lowercase() == wanted
            })
            .ok_or_else(|| {
                format!("unknown view {name:?}; expected overview, tests, caveats, matrix, diff or check")
            })
    }

    /// The name on the tab bar and in the View menu.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Tests => "Tests",
            Tab::Caveats => "Caveats",
            Tab::Matrix => "Matrix",
            Tab::Diff => "Diff",
            Tab::Check => "Pre-check",
        }
    }
}

/// The filters of the Tests view. The search text is kept too, so a session
/// resumes where it stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TestFilters {
    /// Case-insensitive text the test name must contain.
    pub search: String,
    /// Show passed tests.
    pub passed: bool,
    /// Show failed tests (every failure kind).
    pub failed: bool,
    /// Show skipped tests.
    pub skipped: bool,
    /// Show pending tests.
    pub pending: bool,
    /// Only this SIG (`sig-node`); `None` for all.
    pub sig: Option<String>,
    /// Show every spec, not only the required conformance tests.
    pub all_specs: bool,
}

impl Default for TestFilters {
    fn default() -> Self {
        TestFilters {
            search: String::new(),
            passed: true,
            failed: true,
            skipped: true,
            pending: true,
            sig: None,
            all_specs: false,
        }
    }
}

impl TestFilters {
    /// Whether tests of this status are shown.
    pub fn shows(&self, status: Status) -> bool {
        match status {
            Status::Passed => self.passed,
            Status::Failed => self.failed,
            Status::Skipped => self.skipped,
            Status::Pending => self.pending,
        }
    }

    /// The checkbox of one status.
    pub fn flag_mut(&mut self, status: Status) -> &mut bool {
        match status {
            Status::Passed => &mut self.passed,
            Status::Failed => &mut self.failed,
            Status::Skipped => &mut self.skipped,
            Status::Pending => &mut self.pending,
        }
    }
}

/// Everything persisted in eframe's storage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened paths, newest first.
    pub recent: Vec<PathBuf>,
    /// The paths open when the last session ended.
    pub last_paths: Vec<PathBuf>,
    /// Whether the last session showed the built-in sample.
    pub last_was_sample: bool,
    /// Colour theme.
    pub theme: ThemeChoice,
    /// The tab shown.
    pub tab: Tab,
    /// Filters of the Tests view.
    pub filters: TestFilters,
    /// Width of the releases panel, in points.
    pub releases_width: f32,
    /// Width of the test detail panel, in points.
    pub detail_width: f32,
    /// A caveat catalog (TOML) laid over the built-in one; `None` for the
    /// built-in catalog alone.
    pub caveats_file: Option<PathBuf>,
    /// The folder of the last export, where the next one starts.
    pub export_dir: Option<PathBuf>,
    /// A folder of Kubernetes' conformance-v1.NN.yaml lists; `None` to match
    /// tests on their names only.
    pub conformance_lists: Option<PathBuf>,
    /// Open folders and tarballs with the dialog drawn inside the window
    /// instead of the desktop's.
    pub in_window_dialog: bool,
    /// The user's names for product lines: a line's key (its name in
    /// lowercase) → the name to show. Naming a line like another merges
    /// the two.
    pub line_renames: std::collections::BTreeMap<String, String>,
    /// Group the release list under product lines.
    pub group_by_line: bool,
    /// Watch the opened folders and show new, changed and removed results
    /// as they happen (View › Watch opened folders).
    pub watch: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            last_paths: Vec::new(),
            last_was_sample: false,
            theme: ThemeChoice::Dark,
            tab: Tab::Overview,
            filters: TestFilters::default(),
            releases_width: 330.0,
            detail_width: 420.0,
            caveats_file: None,
            export_dir: None,
            conformance_lists: None,
            in_window_dialog: false,
            line_renames: Default::default(),
            group_by_line: true,
            watch: true,
        }
    }
}

impl Settings {
    /// Put `path` at the top of the recent list.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }

    /// Sizes read back from storage may be absurd (hand-edited, other
    /// screens); keep them in a usable range.
    pub fn sanitize(&mut self) {
        let fix = |v: f32, default: f32| {
            if v.is_finite() {
                v.clamp(180.0, 900.0)
            } else {
                default
            }
        };
        self.releases_width = fix(self.releases_width, 330.0);
        self.detail_width = fix(self.detail_width, 420.0);
        self.recent.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_is_deduplicated_and_capped() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.remember(Path::new(&format!("/r/{i}")));
        }
        s.remember(Path::new("/r/3"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], PathBuf::from("/r/3"));
        assert_eq!(
            s.recent.iter().filter(|p| **p == Path::new("/r/3")).count(),
            1
        );
    }

    #[test]
    fn views_are_named_as_on_the_command_line() {
        assert_eq!(Tab::parse("tests"), Ok(Tab::Tests));
        assert_eq!(Tab::parse("Check"), Ok(Tab::Check));
        assert_eq!(Tab::parse("pre-check"), Ok(Tab::Check));
        assert!(Tab::parse("nope").is_err());
    }

    #[test]
    fn old_or_partial_settings_still_load() {
        let s: Settings =
            serde_json::from_str(r#"{"theme":"Light","unknown":1}"#).unwrap_or_default();
        assert_eq!(s.theme, ThemeChoice::Light);
        assert!(s.filters.failed);
        // Settings saved before watching existed watch.
        assert!(s.watch);
    }
}

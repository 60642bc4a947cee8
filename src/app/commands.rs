//! The command table: every user intent is a [`Command`], its menu text and
//! keyboard shortcut live with it here, and [`ViewerApp::apply`] carries it
//! out. Views, menus, keys and drops only emit commands; nothing else in
//! the window changes the state.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::caveats_view::CaveatAction;
use super::export_dialog::ExportRequest;
use super::loading::{LoadMode, PickKind};
use super::notifications::{Level, NoteAction};
use super::settings::{Tab, TestFilters, ThemeChoice};
use super::state::Source;
use super::tests_view::RowRef;
use super::{ViewerApp, tests_view};

/// How a click on a release changes the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMode {
    /// Select only this release.
    Only,
    /// Add it to the selection, or remove it (Ctrl-click).
    Toggle,
    /// Select the range from the last clicked release (Shift-click).
    Range,
}

/// A panel whose width the window remembers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The release list on the left.
    Releases,
    /// The test detail pane on the right.
    Detail,
}

/// A step through a list with the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One up (↑).
    Up,
    /// One down (↓).
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first.
    First,
    /// The last.
    Last,
}

impl Step {
    /// The index `len` items away from `from` by this step, within `0..len`.
    pub fn from(self, from: Option<usize>, len: usize) -> Option<usize> {
        const PAGE: usize = 20;
        let last = len.checked_sub(1)?;
        let Some(i) = from else {
            return Some(match self {
                Step::Last | Step::Up | Step::PageUp => last,
                _ => 0,
            });
        };
        Some(match self {
            Step::Up => i.saturating_sub(1),
            Step::Down => (i + 1).min(last),
            Step::PageUp => i.saturating_sub(PAGE),
            Step::PageDown => (i + PAGE).min(last),
            Step::First => 0,
            Step::Last => last,
        })
    }
}

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open these paths instead of what is open.
    Open(Vec<PathBuf>),
    /// Add these paths to what is open.
    Add(Vec<PathBuf>),
    /// Show a file dialog to open results.
    Pick(PickKind),
    /// Read the open paths again.
    Reload,
    /// Close everything.
    CloseAll,
    /// Show the built-in sample.
    OpenSample,
    /// Stop the running load.
    CancelLoad,
    /// Close the window.
    Quit,
    /// Show or hide the list of keyboard shortcuts.
    ShowShortcuts,
    /// Show or hide the list of messages (warnings, errors, information).
    ShowMessages,
    /// Show the conformance-lists window (View › Conformance lists…).
    ShowListsWindow,
    /// Open folders and tarballs with the dialog inside the window (or the
    /// desktop's), and remember it.
    SetInWindowDialog(bool),
    /// Move through the list the tab shows: the tests of the Tests tab and
    /// the rows of the Matrix, else the releases.
    Move(Step),
    /// Enter: show the tests of the selected release (from the release
    /// list), or the details of the current test (in the Tests tab).
    Enter,
    /// Esc: close the innermost thing open (a popup, then the test details,
    /// then the search). Resolved to a concrete command when pressed.
    Escape,
    /// Change the release selection.
    SelectRelease {
        /// Index into the corpus.
        index: usize,
        /// How.
        mode: SelectMode,
    },
    /// Select every release.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Show a test in the detail pane (`None` closes it).
    SelectTest(Option<RowRef>),
    /// Select one release and list its tests that did not pass.
    ShowProblems(usize),
    /// Switch tabs.
    SetTab(Tab),
    /// Switch themes.
    SetTheme(ThemeChoice),
    /// Move the keyboard focus to the search box.
    FocusSearch,
    /// Empty the search box.
    ClearSearch,
    /// Use these test filters.
    SetFilters(TestFilters),
    /// Reset the test filters.
    ResetFilters,
    /// Remember a panel's width.
    SetPanelWidth(Panel, f32),
    /// Use the conformance lists in this folder (`None`: none), and remember it.
    SetConformanceLists(Option<PathBuf>),
    /// Start the next export in this folder.
    RememberExportDir(PathBuf),
    /// Dismiss notifications.
    Note(NoteAction),
    /// Show a notification.
    Notify {
        /// How serious.
        level: Level,
        /// What it is about.
        title: String,
        /// The lines.
        lines: Vec<String>,
    },
    /// Change the caveat catalog or scope, or show a caveat document section.
    Caveats(CaveatAction),
    /// Open the export window.
    Export(ExportRequest),
    /// Narrow the release list and the charts to one product line (a line
    /// key), or show every line (`None`).
    SetLineFilter(Option<String>),
    /// Fold or unfold a line in the grouped release list.
    ToggleLineFolded(String),
    /// Select every release of a line (a click on its header).
    SelectLine(String),
    /// Show or hide a line in the Overview's charts (its legend entry).
    ToggleLineShown(String),
    /// Hide these lines from the charts and show the others.
    SetHiddenLines(Vec<String>),
    /// Group the release list under product lines, or not.
    SetGroupByLine(bool),
    /// Show a line under another name (`None`: its own name again); a name
    /// another line has merges the two. Kept in the settings.
    RenameLine {
        /// The key of the line's own name.
        key: String,
        /// The new name.
        name: Option<String>,
    },
    /// Show the product-lines window (View › Product lines…).
    ShowLinesWindow,
    /// Watch the opened folders for new, changed and removed results, or
    /// stop; remembered (View › Watch opened folders).
    SetWatch(bool),
    /// Show the About window (Help › About).
    ShowAbout,
}

impl Command {
    /// The commands that have a keyboard shortcut, in the order they are
    /// checked each frame.
    pub fn keyed() -> [Command; 14] {
        [
            Command::Pick(PickKind::Folder),
            Command::FocusSearch,
            Command::Reload,
            Command::Export(ExportRequest::All),
            Command::Quit,
            Command::ShowShortcuts,
            Command::Move(Step::Up),
            Command::Move(Step::Down),
            Command::Move(Step::PageUp),
            Command::Move(Step::PageDown),
            Command::Move(Step::First),
            Command::Move(Step::Last),
            Command::Enter,
            Command::Escape,
        ]
    }

    /// The keyboard shortcut, if the command has one.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let (modifiers, key) = match self {
            Command::Pick(PickKind::Folder) => (Modifiers::COMMAND, Key::O),
            Command::FocusSearch => (Modifiers::COMMAND, Key::F),
            Command::Reload => (Modifiers::NONE, Key::F5),
            Command::Export(ExportRequest::All) => (Modifiers::COMMAND, Key::E),
            Command::Quit => (Modifiers::COMMAND, Key::Q),
            Command::ShowShortcuts => (Modifiers::NONE, Key::F1),
            Command::Move(Step::Up) => (Modifiers::NONE, Key::ArrowUp),
            Command::Move(Step::Down) => (Modifiers::NONE, Key::ArrowDown),
            Command::Move(Step::PageUp) => (Modifiers::NONE, Key::PageUp),
            Command::Move(Step::PageDown) => (Modifiers::NONE, Key::PageDown),
            Command::Move(Step::First) => (Modifiers::NONE, Key::Home),
            Command::Move(Step::Last) => (Modifiers::NONE, Key::End),
            Command::Enter => (Modifiers::NONE, Key::Enter),
            Command::Escape | Command::ClearSearch => (Modifiers::NONE, Key::Escape),
            _ => return None,
        };
        Some(KeyboardShortcut::new(modifiers, key))
    }

    /// The shortcut as the menus print it (`Ctrl+O`).
    pub fn shortcut_text(&self, ctx: &egui::Context) -> Option<String> {
        self.shortcut().map(|s| ctx.format_shortcut(&s))
    }

    /// The words of the command in a menu or on a button.
    pub fn text(&self) -> &'static str {
        match self {
            Command::Open(_) => "Open",
            Command::Add(_) => "Add",
            Command::Pick(PickKind::Folder) => "Open folder…",
            Command::Pick(PickKind::Tarball) => "Open tarball…",
            Command::Reload => "Reload",
            Command::CloseAll => "Close all",
            Command::OpenSample => "Open the built-in sample",
            Command::CancelLoad => "Cancel",
            Command::Quit => "Quit",
            Command::ShowShortcuts => "Keyboard shortcuts",
            Command::Move(Step::Up) => "Previous test (Tests, Matrix) or release",
            Command::Move(Step::Down) => "Next test (Tests, Matrix) or release",
            Command::Move(Step::PageUp) => "Twenty up",
            Command::Move(Step::PageDown) => "Twenty down",
            Command::Move(Step::First) => "The first",
            Command::Move(Step::Last) => "The last",
            Command::Enter => "Show the selected release's tests, or the test's details",
            Command::ShowMessages => "Messages",
            Command::ShowListsWindow => "Conformance lists…",
            Command::SetInWindowDialog(_) => "Use the file dialog inside the window",
            Command::Escape => "Close a popup, then the test details, then the search",
            Command::SelectRelease { .. } => "Select",
            Command::SelectAll => "All",
            Command::SelectNone => "None",
            Command::SelectTest(Some(_)) => "Show the test",
            Command::SelectTest(None) => "Close the details",
            Command::ShowProblems(_) => "Show what did not pass",
            Command::SetTab(tab) => tab.title(),
            Command::SetTheme(ThemeChoice::Dark) => "Dark theme",
            Command::SetTheme(ThemeChoice::Light) => "Light theme",
            Command::FocusSearch => "Search tests",
            Command::ClearSearch => "Clear the search",
            Command::SetFilters(_) => "Filter",
            Command::ResetFilters => "Clear the filters",
            Command::SetPanelWidth(..) => "Resize",
            Command::SetConformanceLists(_) => "Use these conformance lists",
            Command::RememberExportDir(_) => "Remember the export folder",
            Command::Note(NoteAction::Dismiss(_)) => "Dismiss",
            Command::Note(NoteAction::DismissAll) => "Dismiss all",
            Command::Notify { .. } => "Notify",
            Command::Caveats(CaveatAction::OpenCatalogWindow) => "Caveat catalog…",
            Command::Caveats(_) => "Caveats",
            Command::Export(ExportRequest::All) => "Export all…",
            Command::Export(ExportRequest::Chart { .. }) => "Export the chart…",
            Command::SetLineFilter(None) => "All product lines",
            Command::SetLineFilter(Some(_)) => "Only this product line",
            Command::ToggleLineFolded(_) => "Fold or unfold the line",
            Command::SelectLine(_) => "Select the line's releases",
            Command::ToggleLineShown(_) => "Show or hide the line in the charts",
            Command::SetHiddenLines(_) => "Show these lines",
            Command::SetGroupByLine(_) => "Group releases by product line",
            Command::RenameLine { .. } => "Rename the line",
            Command::ShowLinesWindow => "Product lines…",
            Command::SetWatch(_) => "Watch opened folders",
            Command::ShowAbout => "About Conformance Viewer",
        }
    }

    /// A menu entry for the command, with its shortcut; returns whether it
    /// was clicked.
    pub fn menu_item(&self, ui: &mut egui::Ui, enabled: bool) -> egui::Response {
        let mut button = egui::Button::new(self.text());
        if let Some(text) = self.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(text);
        }
        ui.add_enabled(enabled, button)
    }
}

impl ViewerApp {
    /// Turn the shortcuts pressed this frame into commands.
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        for command in Command::keyed() {
            let Some(shortcut) = command.shortcut() else {
                continue;
            };
            if matches!(command, Command::Move(_) | Command::Enter)
                && (egui::Popup::is_any_open(ctx) || ctx.memory(|m| m.focused()).is_some())
            {
                // The keys belong to the field or popup that has them.
                continue;
            }
            let command = if command == Command::Escape {
                match self.escape_target(ctx) {
                    Some(target) => target,
                    // Esc is egui's (a popup, a text field) or nobody's.
                    None => continue,
                }
            } else {
                command
            };
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.commands.push(command);
            }
        }
    }

    /// What Esc closes now: nothing of ours while a popup is open (egui
    /// closes it) or another widget has the focus; else the search being
    /// typed, then the test details, then the search.
    fn escape_target(&self, ctx: &egui::Context) -> Option<Command> {
        if egui::Popup::is_any_open(ctx) {
            return None;
        }
        let s = &self.state;
        let focus = ctx.memory(|m| m.focused());
        let searching = !s.settings.filters.search.is_empty();
        if focus == Some(tests_view::search_id()) {
            return searching.then_some(Command::ClearSearch);
        }
        if focus.is_some() {
            return None;
        }
        let detail_shown = matches!(
            s.settings.tab,
            Tab::Tests | Tab::Matrix | Tab::Diff | Tab::Check
        );
        if detail_shown && s.selected_test.is_some() {
            return Some(Command::SelectTest(None));
        }
        searching.then_some(Command::ClearSearch)
    }

    /// Turn files dropped on the window into an Add.
    pub(super) fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::Add(dropped));
        }
    }

    /// Carry out every pending command.
    pub(super) fn apply_all(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        if commands.is_empty() {
            return;
        }
        for command in commands {
            self.apply(command);
        }
        // The frame was drawn before the change: draw the next one now.
        ctx.request_repaint();
    }

    /// Carry out one command. This is the one place the state changes.
    pub fn apply(&mut self, command: Command) {
        let s = &mut self.state;
        match command {
            Command::Open(paths) => self.start_load(paths, LoadMode::Replace),
            Command::Add(paths) => {
                let mode = if matches!(s.source, Source::Paths(_)) {
                    LoadMode::Add
                } else {
                    LoadMode::Replace
                };
                self.start_load(paths, mode);
            }
            Command::Pick(kind) => self.pick(kind),
            Command::Reload => match s.source.clone() {
                Source::Paths(paths) if !paths.is_empty() => {
                    self.start_load(paths, LoadMode::Replace)
                }
                Source::Sample => self.open_sample(),
                _ => {}
            },
            Command::CloseAll => self.close_all(),
            Command::OpenSample => self.open_sample(),
            Command::CancelLoad => self.loads.cancel(),
            Command::Quit => {
                if let Some(ctx) = &self.ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Command::ShowShortcuts => self.views.shortcuts_open = !self.views.shortcuts_open,
            Command::ShowMessages => self.views.messages_open = !self.views.messages_open,
            Command::ShowListsWindow => self.views.lists_open = true,
            Command::SetInWindowDialog(on) => s.settings.in_window_dialog = on,
            Command::Move(step) => self.move_by(step),
            Command::Enter => {
                if s.settings.tab == Tab::Tests {
                    if s.selected_test.is_none()
                        && let Some(&row) = self.views.tests.rows().first()
                    {
                        s.selected_test = Some(row);
                        self.views.detail.sync(s, &self.jobs);
                    }
                } else if !s.selection.is_empty() {
                    s.settings.tab = Tab::Tests;
                }
            }
            // Resolved when the key is pressed; asked for as such, it
            // closes what Esc would close without a popup or focus.
            Command::Escape => {
                if s.selected_test.is_some() {
                    s.selected_test = None;
                    self.views.detail.sync(s, &self.jobs);
                } else {
                    s.settings.filters.search.clear();
                }
            }
            Command::SelectRelease { index, mode } => select_release(s, index, mode),
            Command::SelectAll => {
                s.selection = (0..s.corpus.releases.len()).collect();
                s.user_selected = true;
            }
            Command::SelectNone => {
                s.selection.clear();
                s.anchor = None;
                s.user_selected = false;
            }
            Command::SetLineFilter(key) => {
                s.line_filter = key;
                // The selection stays what the user can see.
                let shown = s.list_order();
                s.selection.retain(|i| shown.contains(i));
            }
            Command::ToggleLineFolded(key) => {
                if !s.collapsed_lines.remove(&key) {
                    s.collapsed_lines.insert(key);
                }
            }
            Command::SelectLine(key) => {
                if let Some(line) = s.lines().lines.iter().find(|l| l.key == key) {
                    let mut picked = line.releases.clone();
                    picked.sort_unstable();
                    s.anchor = line.releases.first().copied();
                    s.selection = picked;
                    s.user_selected = true;
                }
            }
            Command::ToggleLineShown(key) => {
                if !s.hidden_lines.remove(&key) {
                    s.hidden_lines.insert(key);
                }
            }
            Command::SetHiddenLines(keys) => s.hidden_lines = keys.into_iter().collect(),
            Command::SetGroupByLine(on) => s.settings.group_by_line = on,
            Command::RenameLine { key, name } => {
                match name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
                    Some(n) => {
                        s.settings.line_renames.insert(key, n);
                    }
                    None => {
                        s.settings.line_renames.remove(&key);
                    }
                }
                s.renames_revision += 1;
                s.refresh_infos(&self.jobs);
            }
            Command::ShowLinesWindow => self.views.lines_open = true,
            Command::SetWatch(on) => s.settings.watch = on,
            Command::ShowAbout => self.views.about.open(),
            Command::SelectTest(row) => {
                s.selected_test = row.filter(|r| {
                    s.corpus
                        .releases
                        .get(r.release)
                        .is_some_and(|rel| r.test < rel.tests.len())
                });
                self.views.detail.sync(s, &self.jobs);
            }
            Command::ShowProblems(index) => {
                if index < s.corpus.releases.len() {
                    s.selection = vec![index];
                    s.anchor = Some(index);
                    let f = &mut s.settings.filters;
                    f.passed = false;
                    f.failed = true;
                    f.skipped = true;
                    f.pending = true;
                    f.sig = None;
                    f.search.clear();
                    s.settings.tab = Tab::Tests;
                }
            }
            Command::SetTab(tab) => s.settings.tab = tab,
            Command::SetTheme(theme) => s.settings.theme = theme,
            Command::FocusSearch => {
                s.settings.tab = Tab::Tests;
                self.views.tests.focus_search = true;
            }
            Command::ClearSearch => s.settings.filters.search.clear(),
            Command::SetFilters(filters) => s.settings.filters = filters,
            Command::ResetFilters => s.settings.filters = TestFilters::default(),
            Command::SetPanelWidth(panel, width) => {
                if width.is_finite() {
                    match panel {
                        Panel::Releases => s.settings.releases_width = width,
                        Panel::Detail => s.settings.detail_width = width,
                    }
                }
            }
            Command::SetConformanceLists(dir) => {
                // The user's choice replaces the command line's for good.
                s.session.conformance_lists = None;
                s.settings.conformance_lists = dir;
            }
            Command::RememberExportDir(dir) => s.settings.export_dir = Some(dir),
            Command::Note(a) => s.notes.apply(a),
            Command::Notify {
                level,
                title,
                lines,
            } => s.notes.push(level, title, lines),
            Command::Caveats(a) => self.apply_caveats(a),
            Command::Export(request) => {
                if s.corpus.releases.is_empty() {
                    s.notes.push(
                        Level::Info,
                        "Nothing to export",
                        vec!["Open some results first.".to_string()],
                    );
                } else {
                    self.views
                        .export
                        .begin(request, &self.state.settings, &self.jobs);
                }
            }
        }
    }

    fn apply_caveats(&mut self, action: CaveatAction) {
        let s = &mut self.state;
        match action {
            CaveatAction::ToggleScope(label) => s.caveats.toggle_scope(&label),
            CaveatAction::UseFile(path) => {
                s.settings.caveats_file = path.clone();
                s.session.caveats = None;
                match path {
                    Some(p) => {
                        self.views.caveats.file_chosen(&p);
                        s.caveats.read_file(p, false, &self.jobs);
                    }
                    None => {
                        self.views.caveats.file_chosen(std::path::Path::new(""));
                        s.caveats.use_builtin();
                    }
                }
            }
            CaveatAction::OpenCatalogWindow => self.views.caveats.open_window(s.caveats.file()),
            CaveatAction::ShowCategory(id) => {
                let heading = s
                    .caveats
                    .catalog()
                    .category(&id)
                    .and_then(|c| c.doc_section.clone());
                self.views.caveats.show_category(id, heading);
            }
            CaveatAction::ShowDocSection(heading) => self.views.caveats.show_section(heading),
            CaveatAction::OpenDefectDoc {
                path,
                member,
                document,
                line,
            } => self.views.defects.open(path, member, document, line),
        }
        self.state.refresh_infos(&self.jobs);
    }
}

impl ViewerApp {
    /// A step through the tests of the Tests tab (the detail pane follows),
    /// or through the releases elsewhere.
    fn move_by(&mut self, step: Step) {
        let s = &mut self.state;
        if s.settings.tab == Tab::Matrix {
            if let Some(row) = self.views.compare.matrix_step(s.selected_test, step) {
                s.selected_test = Some(row);
                self.views.detail.sync(s, &self.jobs);
            }
            return;
        }
        if s.settings.tab == Tab::Tests {
            let rows = self.views.tests.rows();
            let at = s
                .selected_test
                .and_then(|sel| rows.iter().position(|r| *r == sel));
            if let Some(i) = step.from(at, rows.len()) {
                s.selected_test = Some(rows[i]);
                self.views.tests.scroll_to_selected = true;
                self.views.detail.sync(s, &self.jobs);
            }
            return;
        }
        // Through the releases in the order the list shows them.
        let order = s.list_order();
        let at = s.anchor.and_then(|a| order.iter().position(|&i| i == a));
        if let Some(i) = step.from(at, order.len()) {
            select_release(s, order[i], SelectMode::Only);
        }
    }
}

fn select_release(s: &mut super::state::AppState, index: usize, mode: SelectMode) {
    if index >= s.corpus.releases.len() {
        return;
    }
    match mode {
        SelectMode::Only => s.selection = vec![index],
        SelectMode::Toggle => {
            if let Some(pos) = s.selection.iter().position(|&i| i == index) {
                s.selection.remove(pos);
            } else {
                s.selection.push(index);
            }
        }
        SelectMode::Range => {
            // The range the list shows between the two, in its order.
            let order = s.list_order();
            let from = s.anchor.unwrap_or(index);
            let pos = |r: usize| order.iter().position(|&i| i == r);
            s.selection = match (pos(from), pos(index)) {
                (Some(a), Some(b)) => order[a.min(b)..=a.max(b)].to_vec(),
                _ => vec![index],
            };
        }
    }
    s.user_selected = true;
    s.selection.sort_unstable();
    s.selection.dedup();
    if mode != SelectMode::Range {
        s.anchor = Some(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_inside_the_list() {
        assert_eq!(Step::Down.from(None, 5), Some(0));
        assert_eq!(Step::Up.from(None, 5), Some(4));
        assert_eq!(Step::Down.from(Some(4), 5), Some(4));
        assert_eq!(Step::Up.from(Some(0), 5), Some(0));
        assert_eq!(Step::PageDown.from(Some(3), 100), Some(23));
        assert_eq!(Step::PageUp.from(Some(3), 100), Some(0));
        assert_eq!(Step::Last.from(Some(3), 100), Some(99));
        assert_eq!(Step::First.from(Some(3), 0), None);
    }

    #[test]
    fn every_keyed_command_has_its_own_shortcut_and_text() {
        let keyed = Command::keyed();
        let shortcuts: Vec<KeyboardShortcut> = keyed.iter().filter_map(Command::shortcut).collect();
        assert_eq!(shortcuts.len(), keyed.len());
        for (i, a) in shortcuts.iter().enumerate() {
            assert!(!shortcuts[i + 1..].contains(a), "{a:?} is bound twice");
        }
        assert!(keyed.iter().all(|c| !c.text().is_empty()));
        assert!(keyed.contains(&Command::Quit) && keyed.contains(&Command::ShowShortcuts));
        assert_eq!(
            Command::Export(ExportRequest::All).shortcut(),
            Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::E))
        );
    }

    /// The shortcut table names keys as each platform does: Cmd symbols on
    /// macOS, `Ctrl+` on Windows and Linux (the same binding, COMMAND).
    #[test]
    fn shortcut_names_follow_the_platform() {
        use egui::os::OperatingSystem;
        let ctx = egui::Context::default();
        // The fonts (which decide whether ⌘ can be drawn) come with a pass.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let text = |os: OperatingSystem| {
            ctx.set_os(os);
            Command::FocusSearch.shortcut_text(&ctx).unwrap_or_default()
        };
        let mac = text(OperatingSystem::Mac);
        // `⌘F` where the font has the symbol, `Cmd+F` where it has not.
        assert!(
            (mac.contains('⌘') || mac.starts_with("Cmd")) && mac.ends_with('F'),
            "{mac}"
        );
        for os in [OperatingSystem::Windows, OperatingSystem::Nix] {
            let other = text(os);
            assert_eq!(other, "Ctrl+F", "{os:?}");
        }
    }
}

//! What the window keeps between sessions and how a session starts: the
//! saved [`Settings`] are read at start and written by eframe on exit; the
//! command line's options ([`super::state::SessionOptions`]) hold for the session only and
//! are never saved; and [`initial_command`] decides what opens first.

use std::path::PathBuf;

use super::ViewerApp;
use super::commands::Command;
use super::settings::Settings;

/// What to show at start: the command line's paths; else, for a screenshot
/// or the very first run (no stored settings), the sample; else what the
/// last session showed (nothing, if it ended with Close all).
pub fn initial_command(
    paths: Vec<PathBuf>,
    screenshot: bool,
    stored: Option<&Settings>,
) -> Option<Command> {
    if !paths.is_empty() {
        return Some(Command::Open(paths));
    }
    match stored {
        _ if screenshot => Some(Command::OpenSample),
        None => Some(Command::OpenSample),
        Some(s) if !s.last_paths.is_empty() => Some(Command::Open(s.last_paths.clone())),
        Some(s) if s.last_was_sample => Some(Command::OpenSample),
        Some(_) => None,
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.persist {
            eframe::set_value(storage, eframe::APP_KEY, &self.state.settings);
        }
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.quiet_startup_input(std::time::Instant::now(), raw_input);
    }

    fn persist_egui_memory(&self) -> bool {
        self.persist
    }

    /// The panels' colour: they leave their backgrounds to this clear
    /// (`style::clear_behind_panels`).
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        super::style::clear_color(visuals)
    }
}

/// The settings to start with: the saved ones, unless this run must not
/// touch them (a screenshot); `None` on the very first run.
pub fn stored_settings(cc: &eframe::CreationContext<'_>, screenshot: bool) -> Option<Settings> {
    if screenshot {
        return None;
    }
    cc.storage
        .and_then(|s| eframe::get_value::<Settings>(s, eframe::APP_KEY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_up_follows_the_command_line_then_the_last_session() {
        let cli = vec![PathBuf::from("/r")];
        assert_eq!(
            initial_command(cli.clone(), false, None),
            Some(Command::Open(cli))
        );
        assert_eq!(
            initial_command(Vec::new(), false, None),
            Some(Command::OpenSample)
        );
        let mut s = Settings {
            last_paths: vec![PathBuf::from("/last")],
            ..Settings::default()
        };
        assert_eq!(
            initial_command(Vec::new(), false, Some(&s)),
            Some(Command::Open(vec![PathBuf::from("/last")]))
        );
        assert_eq!(
            initial_command(Vec::new(), true, Some(&s)),
            Some(Command::OpenSample)
        );
        s.last_paths.clear();
        assert_eq!(initial_command(Vec::new(), false, Some(&s)), None);
        s.last_was_sample = true;
        assert_eq!(
            initial_command(Vec::new(), false, Some(&s)),
            Some(Command::OpenSample)
        );
    }
}

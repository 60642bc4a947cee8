//! One frame of the window: take the answers of finished jobs, turn keys
//! and drops into commands, lay out the panels and draw the views with the
//! app state, then apply the commands the frame produced. Also the
//! `--screenshot` run and the theme.

use std::time::Duration;

use egui::{RichText, Ui};

use super::commands::{Command, Panel};
use super::compare::{Caveats, Inputs};
use super::settings::{Tab, ThemeChoice};
use super::{Screenshot, ViewerApp, caveats_view, overview, releases, style, verdict};

/// How long `--screenshot` waits for the data before giving up.
pub const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(60);

/// Frames drawn after loading before the screenshot is taken, so fonts,
/// layout and plots have settled.
const SCREENSHOT_SETTLE_FRAMES: u32 = 6;

/// How often the window repaints by itself while a load runs.
const LOADING_REPAINT: Duration = Duration::from_secs(1);

/// How long after it first takes input the window, while it shows no data
/// yet, ignores pointer moves and focus changes (`quiet_startup_input`).
pub const QUIET_STARTUP: Duration = Duration::from_millis(500);

impl ViewerApp {
    /// Draw one frame. Public so benchmarks and tests can drive the app
    /// without eframe.
    pub fn frame(&mut self, ui: &mut Ui) {
        self.frames += 1;
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
            self.jobs.set_context(ctx.clone());
        }
        // eframe opens the window at a saved size when it has one
        // (whatever `persist_window` says); `--size` wins over it.
        if let Some([w, h]) = self.requested_size.take()
            && ctx.content_rect().size() != egui::vec2(w, h)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(egui::vec2(w, h)));
        }
        self.apply_theme(&ctx);
        self.poll_jobs();
        self.select_pending();
        self.handle_keys(&ctx);
        self.handle_drops(&ctx);

        egui::Panel::top("cv-menu")
            .frame(style::side_panel_frame(ui.style()))
            .show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("cv-toolbar")
            .frame(style::side_panel_frame(ui.style()).inner_margin(egui::Margin::symmetric(8, 6)))
            .show(ui, |ui| self.toolbar(ui));
        if self.state.is_sample() {
            egui::Panel::top("cv-sample-banner")
                .frame(egui::Frame::NONE)
                .show(ui, |ui| self.sample_banner(ui));
        }
        egui::Panel::bottom("cv-status")
            .frame(style::side_panel_frame(ui.style()).inner_margin(egui::Margin::symmetric(8, 3)))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if self.state.notes.status_bar(ui) {
                        self.commands.push(Command::ShowMessages);
                    }
                    if self.state.analysing() {
                        ui.separator();
                        ui.spinner();
                        ui.label(RichText::new("updating the verdicts…").small().weak());
                    }
                });
            });
        let left = egui::Panel::left("cv-releases")
            .frame(style::side_panel_frame(ui.style()))
            .resizable(true)
            .default_size(self.state.settings.releases_width)
            .size_range(200.0..=(ctx.content_rect().width() * 0.35).clamp(200.0, 640.0))
            .show(ui, |ui| {
                releases::ui(
                    ui,
                    &self.state,
                    &caveats_view::profile_short_name(self.state.caveats.catalog()),
                    &mut self.commands,
                );
            });
        let width = left.response.rect.width();
        if width != self.state.settings.releases_width {
            self.commands
                .push(Command::SetPanelWidth(Panel::Releases, width));
        }
        egui::CentralPanel::default()
            .frame(style::central_panel_frame(ui.style()))
            .show(ui, |ui| self.central(ui));

        if let Some(a) = self.state.notes.show(ui) {
            self.commands.push(Command::Note(a));
        }
        let mut open = self.views.messages_open;
        if let Some(a) = self.state.notes.list_window(&ctx, &mut open) {
            self.commands.push(Command::Note(a));
        }
        if open != self.views.messages_open {
            self.commands.push(Command::ShowMessages);
        }
        self.views
            .caveats
            .window(&ctx, &self.state, &self.jobs, &mut self.commands);
        self.views
            .export
            .frame(&ctx, &self.state, &self.jobs, &mut self.commands);
        self.in_window_dialog(&ctx);
        self.shortcuts_window(&ctx);
        self.lists_window(&ctx);
        self.views.defects.window(&ctx, &self.jobs);
        if self.views.lines_open {
            let mut open = true;
            self.views
                .lines
                .window(&ctx, &mut open, &self.state, &mut self.commands);
            self.views.lines_open = open;
        }
        self.drop_overlay(&ctx);
        self.apply_all(&ctx);
        // Keep what callers read between frames current.
        self.state.refresh_infos(&self.jobs);
        self.views.detail.sync(&self.state, &self.jobs);
        if self.state.settings.tab == Tab::Tests {
            self.refresh_rows();
        }
        if self.loads.busy() || self.loads.picking_natively() {
            // One frame a second shows the progress (input still repaints
            // at once). More would take CPU from the parsing threads: with
            // software rendering (Mesa's llvmpipe under Xvfb), frames drawn
            // while loading the CNCF tree took half the CPU at 4 a second.
            ctx.request_repaint_after(LOADING_REPAINT);
        }
        self.repaint_probe(&ctx);
        self.screenshot_step(&ctx);
        if !self.timing_reported && !self.state.corpus.releases.is_empty() && !self.loads.busy() {
            self.timing_reported = true;
            if let Some(secs) = super::timing_elapsed() {
                eprintln!(
                    "timing: the first frame listing all {} releases ended {secs:.3} s after the process started (frame {})",
                    self.state.corpus.releases.len(),
                    self.frames
                );
            }
        }
    }

    /// Drop from the window's first input (`QUIET_STARTUP` from the first
    /// time it is asked, while no data is shown) the pointer moves and focus
    /// changes that come with a window being mapped: egui answers any input
    /// with two more frames. Those frames change nothing on the loading
    /// screen but hover highlights, and with software rendering (Mesa's
    /// llvmpipe under Xvfb) they took CPU from the first load on two cores:
    /// 9 frames became 7 before the CNCF tree showed, and the best of 8 runs
    /// 1.72 s became 1.66 s. Clicks (which carry their position), keys,
    /// scrolls and drops always pass. Called by eframe before each frame.
    pub fn quiet_startup_input(&mut self, now: std::time::Instant, raw: &mut egui::RawInput) {
        let first = *self.first_input.get_or_insert(now);
        if now.duration_since(first) >= QUIET_STARTUP || !self.state.corpus.releases.is_empty() {
            return;
        }
        raw.events.retain(|e| {
            !matches!(
                e,
                egui::Event::PointerMoved(_) | egui::Event::WindowFocused(_)
            )
        });
    }

    /// Take the answers of finished jobs into the state and the views.
    fn poll_jobs(&mut self) {
        self.poll_loads();
        let s = &mut self.state;
        s.caveats.poll(&mut s.notes);
        let folder = s.lists_folder().map(std::path::Path::to_path_buf);
        s.lists.sync(folder.as_deref(), &self.jobs, &mut s.notes);
        s.refresh_infos(&self.jobs);
        self.views.compare.poll();
        self.views.caveats.poll();
        self.views.detail.sync(&self.state, &self.jobs);
    }

    fn refresh_rows(&mut self) {
        let s = &self.state;
        self.views.tests.refresh(
            &s.corpus,
            (s.infos(), s.infos_key()),
            &s.selection,
            &s.settings.filters,
            &self.jobs,
        );
    }

    fn tabs(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let tab = self.state.settings.tab;
            for t in Tab::ALL {
                if ui
                    .selectable_label(tab == t, RichText::new(t.title()).size(16.0))
                    .clicked()
                {
                    self.commands.push(Command::SetTab(t));
                }
            }
            if tab == Tab::Tests {
                ui.separator();
                let selection = &self.state.selection;
                let names: Vec<&str> = selection
                    .iter()
                    .filter_map(|&i| self.state.infos().get(i).map(|i| i.label.as_str()))
                    .take(3)
                    .collect();
                let mut text = names.join(", ");
                if selection.len() > 3 {
                    text.push_str(&format!(" and {} more", selection.len() - 3));
                }
                // Cut to the room left: a long selection must not widen the
                // central panel past the window.
                ui.add(egui::Label::new(RichText::new(text).weak()).truncate());
            }
        });
        ui.separator();
    }

    /// `CV_REPAINT_FRAMES=N`: once the first load is shown, repaint N
    /// frames back to back, print the wall time a frame took (layout,
    /// tessellation and rendering: with Mesa's llvmpipe the rendering is
    /// most of it), and close the window.
    fn repaint_probe(&mut self, ctx: &egui::Context) {
        let Some(n) = super::repaint_frames() else {
            return;
        };
        if self.loads.busy() || self.state.corpus.releases.is_empty() {
            return;
        }
        let (started, first) = *self
            .repaint_probe
            .get_or_insert((std::time::Instant::now(), self.frames));
        let done = self.frames - first;
        if done < n {
            ctx.request_repaint();
            return;
        }
        if done == n {
            let secs = started.elapsed().as_secs_f64();
            let size = ctx.content_rect().size();
            eprintln!(
                "repaint: {n} frames at {:.0}x{:.0} in {secs:.3} s, {:.1} ms a frame",
                size.x,
                size.y,
                secs * 1000.0 / n as f64
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn central(&mut self, ui: &mut Ui) {
        if self.state.corpus.releases.is_empty() {
            self.welcome(ui);
            return;
        }
        self.tabs(ui);
        let state = &self.state;
        let views = &mut self.views;
        let commands = &mut self.commands;
        match state.settings.tab {
            Tab::Matrix | Tab::Diff | Tab::Check => {
                let inputs = Inputs {
                    corpus: &state.corpus,
                    generation: state.generation,
                    infos: state.infos(),
                    infos_key: state.infos_key(),
                    selection: &state.selection,
                    caveats: Some(Caveats {
                        catalog: state.caveats.catalog(),
                        scope: state.caveats.scope(),
                    }),
                    selected_test: state.selected_test,
                    jobs: &self.jobs,
                };
                views.compare.ui(ui, state, inputs, &views.detail, commands);
            }
            Tab::Overview => overview::ui(ui, state, &mut views.overview, commands),
            Tab::Caveats => {
                views
                    .caveats
                    .tab_ui(ui, state, &self.jobs, &mut views.defects, commands)
            }
            Tab::Tests => {
                views.tests.refresh(
                    &state.corpus,
                    (state.infos(), state.infos_key()),
                    &state.selection,
                    &state.settings.filters,
                    &self.jobs,
                );
                views.tests.toolbar(ui, &state.settings.filters, commands);
                ui.separator();
                let selected = state.selected_test;
                if selected.is_some() {
                    let panel = egui::Panel::right("cv-detail")
                        .frame(style::side_panel_frame(ui.style()))
                        .resizable(true)
                        .default_size(state.settings.detail_width)
                        .size_range(style::side_pane_range(ui.available_width()))
                        .show(ui, |ui| {
                            views
                                .detail
                                .ui(ui, &state.corpus, state.generation, commands);
                        });
                    let width = panel.response.rect.width();
                    if width != state.settings.detail_width {
                        commands.push(Command::SetPanelWidth(Panel::Detail, width));
                    }
                }
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    // Whatever the table lays out, nothing of it is drawn
                    // outside the space beside the detail pane.
                    let room = ui.max_rect().intersect(ui.clip_rect());
                    ui.set_clip_rect(room);
                    views.tests.table(
                        ui,
                        &state.corpus,
                        state.infos(),
                        state.caveats.catalog(),
                        &state.selection,
                        selected,
                        commands,
                    );
                });
            }
        }
    }

    pub(super) fn screenshot_step(&mut self, ctx: &egui::Context) {
        let loading = self.loads.busy();
        let waiting = self.pending_select.is_some()
            || matches!(
                self.views.detail.excerpt(),
                Some(super::detail::ExcerptState::Loading)
            );
        let releases = self.state.corpus.releases.len();
        let errors: Vec<String> = self
            .state
            .corpus
            .errors
            .iter()
            .map(ToString::to_string)
            .collect();
        let Some(shot) = &mut self.screenshot else {
            return;
        };
        if shot.finished {
            return;
        }
        if loading {
            // The load wakes the window when it ends; more frames meanwhile
            // would only slow it down.
            ctx.request_repaint_after(LOADING_REPAINT);
        } else {
            ctx.request_repaint();
        }
        let finish = |shot: &mut Screenshot, result: Result<String, String>| {
            if let Ok(mut g) = shot.outcome.lock() {
                *g = Some(result);
            }
            shot.finished = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        };
        if shot.started.elapsed() > SCREENSHOT_TIMEOUT {
            finish(
                shot,
                Err(format!(
                    "timed out after {} s waiting for the data to be shown",
                    SCREENSHOT_TIMEOUT.as_secs()
                )),
            );
            return;
        }
        // Wait for the data, then for what it sets off (a `--select`, the
        // log excerpt of the selected test, the analysis).
        if loading || waiting {
            return;
        }
        if releases == 0 {
            let detail = if errors.is_empty() {
                "no results were found".to_string()
            } else {
                errors.join("; ")
            };
            finish(shot, Err(format!("nothing could be loaded: {detail}")));
            return;
        }
        let image = shot.image.lock().ok().and_then(|mut g| g.take());
        if let Some(image) = image {
            let [w, h] = image.size;
            let result = image::save_buffer(
                &shot.path,
                image.as_raw(),
                w as u32,
                h as u32,
                image::ExtendedColorType::Rgba8,
            )
            .map(|()| {
                format!(
                    "saved a {w}x{h} screenshot of {} to {}",
                    verdict::plural(releases, "release", "releases"),
                    shot.path.display()
                )
            })
            .map_err(|e| format!("cannot write {}: {e}", shot.path.display()));
            finish(shot, result);
            return;
        }
        shot.settled_frames += 1;
        if shot.settled_frames >= SCREENSHOT_SETTLE_FRAMES && !shot.requested {
            shot.requested = true;
            let slot = shot.image.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Ok(mut g) = slot.lock() {
                    *g = Some(image);
                }
                repaint.request_repaint();
            });
        }
    }

    /// Set the app's text sizes and theme on a context before its first
    /// frame (eframe calls this through [`ViewerApp::new`]; tests may call it
    /// from their harness setup so the first frame is laid out as the rest).
    pub fn style_context(ctx: &egui::Context, theme: ThemeChoice) {
        apply_text_sizes(ctx);
        ctx.set_theme(theme.egui());
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme.is_none() {
            apply_text_sizes(ctx);
        }
        if self.applied_theme != Some(self.state.settings.theme) {
            ctx.set_theme(self.state.settings.theme.egui());
            self.applied_theme = Some(self.state.settings.theme);
        }
    }
}

/// Slightly larger text than egui's defaults: this is a reading tool.
fn apply_text_sizes(ctx: &egui::Context) {
    use egui::{FontFamily, FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(11.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 4.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn input() -> egui::RawInput {
        egui::RawInput {
            events: vec![
                egui::Event::WindowFocused(false),
                egui::Event::PointerMoved(egui::pos2(800.0, 500.0)),
                egui::Event::PointerButton {
                    pos: egui::pos2(10.0, 10.0),
                    button: egui::PointerButton::Primary,
                    pressed: true,
                    modifiers: egui::Modifiers::NONE,
                },
                egui::Event::Text("a".into()),
            ],
            ..Default::default()
        }
    }

    /// Pointer moves and focus changes are dropped only in the first half
    /// second and only while no data shows; clicks and keys always pass.
    #[test]
    fn the_first_moves_and_focus_changes_are_ignored_while_nothing_shows() {
        let t0 = Instant::now();
        let mut app = ViewerApp::with_options(super::super::LaunchOptions::default());
        let mut raw = input();
        app.quiet_startup_input(t0, &mut raw);
        assert_eq!(raw.events.len(), 2, "{:?}", raw.events);
        assert!(matches!(raw.events[0], egui::Event::PointerButton { .. }));
        assert!(matches!(raw.events[1], egui::Event::Text(_)));
        let mut raw = input();
        app.quiet_startup_input(t0 + QUIET_STARTUP, &mut raw);
        assert_eq!(
            raw.events.len(),
            4,
            "after the quiet start every event passes"
        );

        let corpus = crate::sample::sample_corpus();
        let mut shown = ViewerApp::with_corpus(corpus);
        let mut raw = input();
        shown.quiet_startup_input(t0, &mut raw);
        assert_eq!(raw.events.len(), 4, "with data shown every event passes");
    }
}

//! Scaffolding shared by the egui_kittest UI tests.

use std::time::{Duration, Instant};

use conformance_viewer::app::settings::ThemeChoice;
use conformance_viewer::app::{LaunchOptions, ViewerApp};
use egui_kittest::Harness;

/// Frames `Harness::run` may step before giving up. Background work (log
/// excerpts, the history, catalogs) shows a spinner that repaints every
/// frame until the thread is done; on a slow CI machine that takes more than
/// kittest's default of 4 frames, which is not a failure of the app.
pub const MAX_STEPS: u64 = 5000;

/// The window size of every UI test.
pub const WINDOW: [f32; 2] = [1400.0, 900.0];

/// A harness running the whole app in the dark theme, without a renderer.
pub fn harness(app: ViewerApp) -> Harness<'static, ViewerApp> {
    Harness::builder()
        .with_max_steps(MAX_STEPS)
        .with_size(WINDOW)
        .with_context_setup(|ctx| ViewerApp::style_context(ctx, ThemeChoice::Dark))
        .build_eframe(|_cc| app)
}

/// A harness running the whole app in the dark theme at `size`, with
/// kittest's accessibility check on or off.
pub fn harness_sized(
    app: ViewerApp,
    size: [f32; 2],
    accessibility_check: bool,
) -> Harness<'static, ViewerApp> {
    Harness::builder()
        .with_max_steps(MAX_STEPS)
        .with_size(size)
        .with_accessibility_check(accessibility_check)
        .with_context_setup(|ctx| ViewerApp::style_context(ctx, ThemeChoice::Dark))
        .build_eframe(|_cc| app)
}

/// Ask the app to open `paths` and step until the load has ended (up to
/// `secs`).
pub fn open_and_wait(
    harness: &mut Harness<'static, ViewerApp>,
    paths: Vec<std::path::PathBuf>,
    secs: u64,
) {
    harness
        .state_mut()
        .request(conformance_viewer::app::Command::Open(paths));
    harness.step();
    wait_for(harness, secs, |app| !app.is_loading());
}

/// A harness running the app as the binary starts it, with `options` (the
/// default: no paths, so the built-in sample).
pub fn launched(options: LaunchOptions) -> Harness<'static, ViewerApp> {
    let outcome = std::sync::Arc::new(std::sync::Mutex::new(None));
    Harness::builder()
        .with_max_steps(MAX_STEPS)
        .with_size(WINDOW)
        .build_eframe(|cc| ViewerApp::new(cc, options, outcome))
}

/// Step until `done` holds (work on background threads), up to `secs`.
pub fn wait_for(
    harness: &mut Harness<'static, ViewerApp>,
    secs: u64,
    done: impl Fn(&ViewerApp) -> bool,
) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out after {secs} s"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

/// A harness that renders (kittest's wgpu renderer) the app at `size` in the
/// dark theme, or `None` with the reason printed when no GPU adapter can be
/// made (a fresh machine without Mesa). With `CV_REQUIRE_RENDER=1` (set by
/// `.ci/run`, which installs Mesa's lavapipe) that fails instead.
pub fn rendering_harness(app: ViewerApp, size: [f32; 2]) -> Option<Harness<'static, ViewerApp>> {
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Harness::builder()
            .with_max_steps(MAX_STEPS)
            .with_size(size)
            .with_context_setup(|ctx| ViewerApp::style_context(ctx, ThemeChoice::Dark))
            .wgpu()
            .build_eframe(|_cc| app)
    }));
    match built {
        Ok(h) => Some(h),
        Err(_) => {
            let required = std::env::var_os("CV_REQUIRE_RENDER").is_some_and(|v| v == "1");
            assert!(
                !required,
                "CV_REQUIRE_RENDER=1 but no GPU adapter could be created"
            );
            eprintln!(
                "skipped: no GPU adapter for rendering (install mesa-vulkan-drivers to run the snapshots)"
            );
            None
        }
    }
}

//! CPU time per frame of the desktop window with 100 releases of 7,000 specs
//! loaded, for the Overview and Tests views, beside a baseline frame with
//! nothing loaded measured in the same run. Prints figures; no thresholds.
//!
//! Run with `cargo bench --bench frame` (a release build). A frame here is
//! what eframe does on the CPU each time it repaints: the egui pass
//! (`Context::run_ui` with the app's `ui`) plus tessellation.
//!
//! The releases: one Ginkgo v2 release of 7,000 specs written by
//! `conformance_viewer::generate` to a temporary folder and read back by the
//! real reader, then copied 100 times with outcomes varied per release, and
//! interned like a real load.
//!
//! Last, the add-merge: 500 releases of the same size read from disk and
//! added to 500 loaded ones (File › Add, a drop), timing every frame from
//! the request until the window lists all 1,000, one frame every 10 ms as a
//! repainting window would; it prints the slowest frame and the frame that
//! showed the merged data.

use std::time::{Duration, Instant};

use conformance_viewer::app::settings::{Settings, Tab};
use conformance_viewer::app::tests_view::RowRef;
use conformance_viewer::app::{Command, ViewerApp};
use conformance_viewer::generate::{self, SpecPlan};
use conformance_viewer::ingest;
use conformance_viewer::model::{Corpus, Release};

/// Releases loaded; `CV_FRAME_RELEASES=500` for the scale figure of issue 7.
fn releases_wanted() -> usize {
    std::env::var("CV_FRAME_RELEASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}
const SPECS: usize = 7_000;
const WARMUP_FRAMES: usize = 30;
const FRAMES: usize = 300;
const WINDOW: egui::Vec2 = egui::vec2(1400.0, 900.0);

/// The plan of every generated release: 7,000 specs, 400 of them required.
fn plan() -> SpecPlan {
    SpecPlan {
        specs: SPECS,
        conformance: 400,
        failed: 2,
        skipped_conformance: 3,
        ..SpecPlan::default()
    }
}

/// One release of [`plan`] written under `dir` and read by the real reader.
fn base_release(dir: &std::path::Path) -> Release {
    if let Err(e) = generate::write_release(&dir.join("v1.30"), &plan()) {
        panic!("cannot write the generated release: {e}");
    }
    let mut loaded = ingest::load_paths(&[dir.join("v1.30")]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded.releases.remove(0)
}

/// A temporary folder, or the bench cannot run.
fn temp_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary folder: {e}"),
    }
}

fn build_corpus() -> Corpus {
    // One release through the real reader, then copies of it.
    let dir = temp_dir();
    let base = base_release(dir.path());
    generate::corpus_of_copies(&base, releases_wanted(), 7, 7)
}

struct Driver {
    ctx: egui::Context,
    app: ViewerApp,
    start: Instant,
}

impl Driver {
    fn new(app: ViewerApp) -> Driver {
        let ctx = egui::Context::default();
        ViewerApp::style_context(&ctx, app.settings().theme);
        Driver {
            ctx,
            app,
            start: Instant::now(),
        }
    }

    /// One frame: the egui pass and tessellation. Returns its CPU time.
    fn frame(&mut self) -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, WINDOW)),
            time: Some(self.start.elapsed().as_secs_f64()),
            ..Default::default()
        };
        let t0 = Instant::now();
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| app.frame(ui));
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = self.ctx.tessellate(shapes, output.pixels_per_point);
        let elapsed = t0.elapsed();
        std::hint::black_box(primitives);
        output.textures_delta.clear();
        elapsed
    }

    fn settle(&mut self) {
        for _ in 0..WARMUP_FRAMES {
            self.frame();
        }
    }

    /// Settle, then time [`FRAMES`] frames.
    fn measure(&mut self) -> Figures {
        self.settle();
        let before = self.app.row_recomputes();
        let mut times: Vec<Duration> = (0..FRAMES).map(|_| self.frame()).collect();
        times.sort_unstable();
        let mut f = Figures::of(&times);
        f.rebuilds = self.app.row_recomputes() - before;
        f
    }
}

struct Figures {
    median_ms: f64,
    p95_ms: f64,
    max_ms: f64,
    /// Times the Tests rows were rebuilt during the measured frames.
    rebuilds: u64,
}

impl Figures {
    fn of(sorted: &[Duration]) -> Figures {
        let at = |q: f64| {
            let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
            sorted[i].as_secs_f64() * 1e3
        };
        Figures {
            median_ms: at(0.5),
            p95_ms: at(0.95),
            max_ms: at(1.0),
            rebuilds: 0,
        }
    }
}

fn report(name: &str, f: &Figures, baseline: Option<&Figures>) {
    let extra = baseline
        .map(|b| {
            format!(
                "  ({:+.2} ms over the baseline median)",
                f.median_ms - b.median_ms
            )
        })
        .unwrap_or_default();
    println!(
        "{name:<46} median {:>6.2} ms   p95 {:>6.2} ms   max {:>6.2} ms   row rebuilds {}{extra}",
        f.median_ms, f.p95_ms, f.max_ms, f.rebuilds
    );
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench` absent; keep
    // that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("frame bench: skipped (run with `cargo bench --bench frame`)");
        return;
    }
    let t0 = Instant::now();
    let corpus = build_corpus();
    let specs: usize = corpus.releases.iter().map(|r| r.tests.len()).sum();
    println!(
        "frame bench: {} releases, {} specs in all, built in {:.1} s; window {}x{}, {FRAMES} frames each",
        corpus.releases.len(),
        specs,
        t0.elapsed().as_secs_f64(),
        WINDOW.x,
        WINDOW.y
    );

    let mut empty = Driver::new(ViewerApp::empty(Settings::default()));
    let baseline = empty.measure();
    report("baseline: nothing loaded (welcome screen)", &baseline, None);

    let mut d = Driver::new(ViewerApp::with_corpus(corpus));
    d.app.request(Command::SetTab(Tab::Overview));
    report(
        &format!("Overview, {} releases", releases_wanted()),
        &d.measure(),
        Some(&baseline),
    );

    d.app.request(Command::SelectRelease {
        index: 0,
        mode: conformance_viewer::app::SelectMode::Only,
    });
    d.app.request(Command::SetTab(Tab::Tests));
    let f = d.measure();
    report(
        &format!("Tests, 1 release ({} rows)", d.app.filtered_row_count()),
        &f,
        Some(&baseline),
    );

    d.app.request(Command::SelectAll);
    let f = d.measure();
    report(
        &format!("Tests, all releases ({} rows)", d.app.filtered_row_count()),
        &f,
        Some(&baseline),
    );

    d.app.filters_mut().all_specs = true;
    let f = d.measure();
    report(
        &format!(
            "Tests, all releases, all specs ({} rows)",
            d.app.filtered_row_count()
        ),
        &f,
        Some(&baseline),
    );

    if let Some(&row) = d.app.filtered_rows().first() {
        let row: RowRef = row;
        d.app.request(Command::SelectTest(Some(row)));
        let f = d.measure();
        report("  … with the detail pane open", &f, Some(&baseline));
    }

    // One-off cost: the frame that rebuilds the rows after a search change,
    // over every spec of every release.
    let mut rebuilds = Vec::new();
    for needle in ["pods", "should", "zzz-no-match", ""] {
        d.app.filters_mut().search = needle.to_string();
        rebuilds.push(d.frame());
    }
    rebuilds.sort_unstable();
    let f = Figures::of(&rebuilds);
    println!(
        "frame that rebuilds the rows after a search change ({specs} specs): median {:.1} ms, max {:.1} ms",
        f.median_ms, f.max_ms
    );
    drop(d);
    product_lines(&baseline);
    add_merge();
}

/// The Overview with many product lines: 500 releases of 40 lines (the
/// latest release of each line as one bar), the same with 10 lines shown
/// (one series each), and one line alone; then, with `CV_CORPUS=<a CNCF
/// k8s-conformance tree>`, the same views of that real tree.
fn product_lines(baseline: &Figures) {
    let dir = temp_dir();
    let base = base_release(dir.path());
    let corpus = generate::corpus_of_lines(&base, 500, 40, 7);
    drop(base);
    overview_of_lines("500 generated releases, 40 lines", corpus, baseline);
    if let Some(tree) = std::env::var_os("CV_CORPUS") {
        let t0 = Instant::now();
        let corpus = ingest::load_paths(&[std::path::PathBuf::from(&tree)]);
        println!(
            "CV_CORPUS: {} releases read from {} in {:.1} s",
            corpus.releases.len(),
            std::path::Path::new(&tree).display(),
            t0.elapsed().as_secs_f64()
        );
        overview_of_lines("the CV_CORPUS tree", corpus.clone(), baseline);
        every_view("the CV_CORPUS tree", corpus, baseline);
    }
}

/// Step frames until `done` holds (work on background threads), up to a
/// minute; returns whether it did.
fn frames_until(d: &mut Driver, done: impl Fn(&ViewerApp) -> bool) -> bool {
    let start = Instant::now();
    while !done(&d.app) {
        if start.elapsed() > Duration::from_secs(60) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
        d.frame();
    }
    true
}

/// Every tab with a real tree loaded: Tests with every release selected,
/// the Matrix of every release, Caveats, Diff and Pre-check.
fn every_view(what: &str, corpus: Corpus, baseline: &Figures) {
    let n = corpus.releases.len();
    let mut d = Driver::new(ViewerApp::with_corpus(corpus));
    d.app.request(Command::SelectAll);
    d.app.request(Command::SetTab(Tab::Tests));
    d.frame();
    frames_until(&mut d, |app| app.filtered_row_count() > 0);
    report(
        &format!(
            "Tests, {what}: all {n} releases ({} rows)",
            d.app.filtered_row_count()
        ),
        &d.measure(),
        Some(baseline),
    );
    d.app.request(Command::SetTab(Tab::Matrix));
    d.frame();
    let built = frames_until(&mut d, |app| app.compare().matrix().history().is_some());
    report(
        &format!(
            "Matrix, {what}: {n} columns{}",
            if built {
                ""
            } else {
                " (not built within a minute)"
            }
        ),
        &d.measure(),
        Some(baseline),
    );
    d.app.request(Command::SetTab(Tab::Caveats));
    report(&format!("Caveats, {what}"), &d.measure(), Some(baseline));
    d.app.request(Command::SelectRelease {
        index: 0,
        mode: conformance_viewer::app::SelectMode::Only,
    });
    d.app.request(Command::SelectRelease {
        index: n.saturating_sub(1),
        mode: conformance_viewer::app::SelectMode::Toggle,
    });
    d.app.request(Command::SetTab(Tab::Diff));
    d.frame();
    frames_until(&mut d, |app| app.compare().diff().current().is_some());
    report(
        &format!("Diff, {what}: first and last release"),
        &d.measure(),
        Some(baseline),
    );
    d.app.request(Command::SetTab(Tab::Check));
    report(
        &format!("Pre-check, {what}: two releases selected"),
        &d.measure(),
        Some(baseline),
    );
}

fn overview_of_lines(what: &str, corpus: Corpus, baseline: &Figures) {
    let n = corpus.releases.len();
    let mut d = Driver::new(ViewerApp::with_corpus(corpus));
    d.app.request(Command::SetTab(Tab::Overview));
    d.frame();
    let lines = d.app.lines().lines.clone();
    report(
        &format!("Overview, {what}: latest per line ({} bars)", lines.len()),
        &d.measure(),
        Some(baseline),
    );
    // The ten lines with the most releases as series.
    let mut by_size: Vec<&conformance_viewer::lines::Line> = lines.iter().collect();
    by_size.sort_by_key(|l| std::cmp::Reverse(l.releases.len()));
    let hidden: Vec<String> = by_size.iter().skip(10).map(|l| l.key.clone()).collect();
    let points: usize = by_size.iter().take(10).map(|l| l.releases.len()).sum();
    d.app.request(Command::SetHiddenLines(hidden));
    report(
        &format!("Overview, {what}: 10 lines as series ({points} points)"),
        &d.measure(),
        Some(baseline),
    );
    d.app.request(Command::SetHiddenLines(Vec::new()));
    if let Some(line) = by_size.first() {
        d.app
            .request(Command::SetLineFilter(Some(line.key.clone())));
        report(
            &format!(
                "Overview, {what}: one line ({} of {n} releases)",
                line.releases.len()
            ),
            &d.measure(),
            Some(baseline),
        );
    }
}

/// The frames while 500 releases read from disk are added to 500 loaded
/// ones (File › Add, drag and drop): every frame from the request until the
/// window lists all 1,000, one every 10 ms as a repainting window would.
fn add_merge() {
    const LOADED: usize = 500;
    const ADDED: usize = 500;
    let t0 = Instant::now();
    let plan = plan();
    let dir = temp_dir();
    let base = base_release(dir.path());
    let corpus = generate::corpus_of_copies(&base, LOADED, 7, 11);
    let added = dir.path().join("added");
    if let Err(e) = generate::write_corpus_alternating(&added, ADDED, &plan) {
        panic!("cannot write the added releases: {e}");
    }
    println!(
        "add-merge: {LOADED} loaded releases in memory and {ADDED} on disk ({SPECS} specs each), made in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let mut d = Driver::new(ViewerApp::with_corpus(corpus));
    d.app.request(Command::SetTab(Tab::Overview));
    let idle = d.measure();
    report(
        &format!("Overview, {LOADED} releases (idle, before the add)"),
        &idle,
        None,
    );
    d.app.request(Command::Add(vec![added.clone()]));
    let started = Instant::now();
    let mut times = Vec::new();
    let mut receiving = None;
    loop {
        let before = d.app.corpus().releases.len();
        let t = d.frame();
        times.push(t);
        if receiving.is_none() && d.app.corpus().releases.len() != before {
            receiving = Some(t);
        }
        if d.app.corpus().releases.len() >= LOADED + ADDED && !d.app.is_loading() {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            println!("add-merge: gave up after 600 s");
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let wall = started.elapsed();
    times.sort_unstable();
    let f = Figures::of(&times);
    println!(
        "add-merge: {} frames in {:.1} s until {} releases listed; median {:.2} ms, p95 {:.2} ms, slowest {:.1} ms; \
         the frame that showed the merged releases {:.1} ms",
        times.len(),
        wall.as_secs_f64(),
        d.app.corpus().releases.len(),
        f.median_ms,
        f.p95_ms,
        f.max_ms,
        receiving.map_or(f64::NAN, |t| t.as_secs_f64() * 1e3)
    );
}

//! UI tests of the desktop window with egui_kittest: real flows on the
//! project's fixtures (the release list, selecting a release, searching,
//! the detail pane, background loading), plus a rendered snapshot of the
//! Overview (wgpu; on Linux CI through Mesa's lavapipe).

mod common;

use std::path::PathBuf;

use common::ui::{MAX_STEPS, WINDOW, harness, harness_sized, launched, open_and_wait, wait_for};
use conformance_viewer::app::detail::ExcerptState;
use conformance_viewer::app::settings::{Settings, Tab, ThemeChoice};
use conformance_viewer::app::{Command, LaunchOptions, Source, ViewerApp};
use conformance_viewer::ingest;
use conformance_viewer::model::{Corpus, Status};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    manifest().join("fixtures")
}

/// Whether a test must fail rather than skip when ../shared is missing.
fn require_shared() -> bool {
    std::env::var_os("CV_REQUIRE_SHARED").is_some_and(|v| v == "1")
}

/// The project's fixtures, as the paths to open.
fn corpus_paths() -> Vec<PathBuf> {
    vec![fixtures_dir()]
}

fn load() -> Corpus {
    let corpus = ingest::load_paths(&corpus_paths());
    assert!(!corpus.releases.is_empty(), "nothing loaded from fixtures/");
    corpus
}

/// Whether `text` shows the release label `label`: whole, or cut in the
/// middle (`head…tail`) to fit beside its badge, as the release list does
/// with long labels such as `defects/sprocket-conformance/results/v1.19`.
fn shows_label(text: &str, label: &str) -> bool {
    text == label
        || text.split_once('…').is_some_and(|(head, tail)| {
            !head.is_empty() && label.starts_with(head) && label.ends_with(tail)
        })
}

/// Click the release row of `label` in the left panel (the first node
/// showing that label, whole or cut in the middle: the panel is drawn
/// before the central area).
///
/// The list groups 18 fixture releases under 10 product lines, more than a
/// window shows; the product box narrows it to the release's line first,
/// as a user would, so the row is in view.
fn click_release(harness: &mut Harness<'static, ViewerApp>, label: &str, modifiers: Modifiers) {
    let index = harness
        .state()
        .release_infos()
        .iter()
        .position(|i| i.label == label)
        .unwrap_or_else(|| panic!("no release labelled {label}"));
    let key = harness
        .state()
        .lines()
        .line_of(index)
        .map(|l| l.key.clone());
    if key.is_some()
        && !harness
            .state()
            .list_order()
            .iter()
            .take(8)
            .any(|&i| i == index)
    {
        harness.state_mut().request(Command::SetLineFilter(key));
        harness.run();
    }
    harness
        .query_all_by(|n| shows_label(&n.label().or_else(|| n.value()).unwrap_or_default(), label))
        .next()
        .unwrap_or_else(|| panic!("no node labelled {label}"))
        .click_modifiers(modifiers);
    harness.run();
}

/// Index of a release with at least one failed required test.
fn release_with_failure(corpus: &Corpus) -> Option<usize> {
    corpus.releases.iter().position(|r| {
        r.conformance_tests()
            .any(|t| t.status() == Status::Failed && t.failure_text().is_some())
    })
}

#[test]
fn release_list_shows_every_release_with_its_counts() {
    let corpus = load();
    // Tall enough for every release of the fixtures without scrolling: 18
    // release rows (66 points each) under 10 line headers (30 each) make a
    // list 1488 points tall, below the panel's heading, product box and hint.
    let mut harness = harness_sized(ViewerApp::with_corpus(corpus), [1400.0, 1800.0], true);
    harness.run();
    let infos = harness.state().release_infos().to_vec();
    assert!(!infos.is_empty());
    for info in &infos {
        // Whole, or cut in the middle to fit beside its badge.
        let shown = harness
            .query_all_by(|n| {
                let text = n.label().or_else(|| n.value()).unwrap_or_default();
                shows_label(&text, &info.label)
            })
            .next()
            .is_some();
        assert!(shown, "release {} not shown", info.label);
        let counts = info.counts_text();
        assert!(
            harness.query_all_by_label(&counts).next().is_some(),
            "counts `{counts}` of {} not shown",
            info.label
        );
    }
    // The first screen says the verdict in one line.
    assert!(
        harness.query_by_label_contains("fully passed").is_some(),
        "no verdict headline"
    );
}

#[test]
fn clicking_a_release_lists_its_tests() {
    let corpus = load();
    let target = corpus.releases.len() - 1;
    let label = corpus.releases[target].label.clone();
    let required = common::required_counts(&corpus.releases[target]).total as usize;
    let first_failing = corpus.releases[target]
        .conformance_tests()
        .find(|t| t.status() != Status::Passed)
        .or_else(|| corpus.releases[target].conformance_tests().next())
        .map(|t| t.name().to_string());

    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.get_by_label("Tests").click();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Tests);

    click_release(&mut harness, &label, Modifiers::NONE);
    assert_eq!(harness.state().selected_releases(), &[target]);
    assert_eq!(harness.state().filtered_row_count(), required);
    // The table is sorted with non-passing tests first, so this row is in view.
    if let Some(name) = first_failing {
        assert!(
            harness.query_by_label(&name).is_some(),
            "test `{name}` not in the table"
        );
    }
    // Sorting by another column, then reversing it, keeps every row.
    for _ in 0..2 {
        let header = harness.query_all_by_label("Duration").next();
        assert!(header.is_some(), "a Duration column header");
        if let Some(h) = header {
            h.click();
        }
        harness.run();
        assert_eq!(harness.state().filtered_row_count(), required);
    }
}

#[test]
fn ctrl_click_adds_a_release_to_the_selection() {
    let corpus = load();
    if corpus.releases.len() < 2 {
        eprintln!("skipped: needs two releases");
        return;
    }
    let a = corpus.releases[0].label.clone();
    let b = corpus.releases[1].label.clone();
    let both = (common::required_counts(&corpus.releases[0]).total
        + common::required_counts(&corpus.releases[1]).total) as usize;
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.get_by_label("Tests").click();
    harness.run();
    click_release(&mut harness, &a, Modifiers::NONE);
    click_release(&mut harness, &b, Modifiers::COMMAND);
    assert_eq!(harness.state().selected_releases(), &[0, 1]);
    assert_eq!(harness.state().filtered_row_count(), both);
    // With several releases the table names the release of each row.
    assert!(harness.query_by_label("Release").is_some());
}

#[test]
fn typing_in_search_narrows_the_rows_and_escape_clears_it() {
    let corpus = load();
    let target = release_with_failure(&corpus).unwrap_or(corpus.releases.len() - 1);
    let release = &corpus.releases[target];
    let label = release.label.clone();
    let names: Vec<String> = release
        .conformance_tests()
        .map(|t| t.name().to_lowercase())
        .collect();
    // A word of some test name that not every test has.
    let needle = names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 5)
        .find(|w| {
            let hits = names.iter().filter(|n| n.contains(*w)).count();
            hits > 0 && hits < names.len()
        })
        .map(str::to_string)
        .expect("a word that narrows the list");
    let expected = names.iter().filter(|n| n.contains(&needle)).count();

    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    click_release(&mut harness, &label, Modifiers::NONE);
    let before = {
        harness.state_mut().request(Command::SetTab(Tab::Tests));
        harness.run();
        harness.state().filtered_row_count()
    };
    assert_eq!(before, names.len());

    // Ctrl+F focuses the search box; typed text goes there.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.event(egui::Event::Text(needle.to_uppercase()));
    harness.run();
    assert_eq!(
        harness.state().settings().filters.search,
        needle.to_uppercase()
    );
    let after = harness.state().filtered_row_count();
    assert_eq!(after, expected, "search `{needle}`");
    assert!(after < before);

    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().settings().filters.search.is_empty());
    assert_eq!(harness.state().filtered_row_count(), before);
}

#[test]
fn clicking_a_failed_test_shows_its_failure_text() {
    let corpus = load();
    let target = release_with_failure(&corpus).expect("a fixture with a failed required test");
    let release = &corpus.releases[target];
    let label = release.label.clone();
    let failed = release
        .conformance_tests()
        .find(|t| t.status() == Status::Failed && t.failure_text().is_some())
        .expect("a failed test");
    let name = failed.name().to_string();
    let snippet: String = failed
        .failure_text()
        .unwrap_or_default()
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .chars()
        .take(40)
        .collect();
    let has_log = release.log_location.is_some();

    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    click_release(&mut harness, &label, Modifiers::NONE);
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness.run();

    harness.get_by_label(&name).click();
    harness.run();
    let (_, shown) = harness.state().selected_test().expect("a selected test");
    assert_eq!(shown.name(), name);
    assert!(
        harness
            .query_all_by_label_contains(&snippet)
            .next()
            .is_some(),
        "failure text `{snippet}` not shown"
    );
    assert!(
        harness
            .query_by_label_contains("Status in every loaded release")
            .is_some()
    );

    // The log excerpt arrives from a background thread.
    if has_log {
        wait_for(&mut harness, 30, |app| {
            !matches!(app.excerpt(), Some(ExcerptState::Loading))
        });
        assert!(matches!(
            harness.state().excerpt(),
            Some(ExcerptState::Ready(_))
        ));
    } else {
        assert_eq!(harness.state().excerpt(), Some(&ExcerptState::NoLog));
    }
}

#[test]
fn status_filters_and_reset() {
    let corpus = load();
    let target = corpus.releases.len() - 1;
    let label = corpus.releases[target].label.clone();
    let counts = common::required_counts(&corpus.releases[target]);
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    click_release(&mut harness, &label, Modifiers::NONE);
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness.run();
    let recomputes = harness.state().row_recomputes();
    // Idle frames do not rebuild the rows.
    harness.run_steps(5);
    assert_eq!(harness.state().row_recomputes(), recomputes);

    harness.state_mut().filters_mut().passed = false;
    harness.run();
    assert_eq!(
        harness.state().filtered_row_count() as u64,
        counts.total - counts.passed
    );
    harness.state_mut().request(Command::ResetFilters);
    harness.run();
    assert_eq!(harness.state().filtered_row_count() as u64, counts.total);
}

#[test]
fn loading_in_the_background_then_adding_and_closing() {
    let paths = corpus_paths();
    let expected = ingest::load_paths(&paths).releases.len();
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    // The empty window invites the user to open something.
    assert!(harness.query_all_by_label("Open folder…").next().is_some());

    harness.state_mut().request(Command::Open(paths.clone()));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(harness.state().corpus().releases.len(), expected);
    assert_eq!(harness.state().source(), &Source::Paths(paths.clone()));
    assert!(harness.state().settings().recent.contains(&paths[0]));

    // Adding a tarball (or the same paths) merges into what is open.
    let extra = manifest().join("../shared/data/sonobuoy");
    let (add, more) = if extra.is_dir() {
        let n = ingest::load_paths(std::slice::from_ref(&extra))
            .releases
            .len();
        (extra, n)
    } else {
        (paths[0].clone(), expected)
    };
    harness.state_mut().request(Command::Add(vec![add]));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(harness.state().corpus().releases.len(), expected + more);

    harness.state_mut().request(Command::CloseAll);
    harness.run();
    assert!(harness.state().corpus().releases.is_empty());
    assert_eq!(harness.state().source(), &Source::Empty);
    assert!(harness.state().settings().last_paths.is_empty());
}

#[test]
fn a_path_that_holds_nothing_is_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "nothing here").expect("write");
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    open_and_wait(&mut harness, vec![dir.path().to_path_buf()], 30);
    assert!(harness.state().corpus().releases.is_empty());
    assert!(
        !harness.state().notifications().is_empty(),
        "the user is told nothing was found"
    );
    // Nothing was written into the opened folder.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn a_desktop_without_a_file_dialog_gets_the_one_inside_the_window() {
    let corpus = load();
    let releases = corpus.releases.len();
    let mut app = ViewerApp::with_corpus(corpus);
    // A stand-in for rfd on a desktop without a portal or zenity: it
    // answers "nothing" at once.
    app.set_picker(|_, _| None);
    // egui_file's own path fields carry no accessible name; the app's
    // widgets are checked by the other tests.
    let mut harness = harness_sized(app, WINDOW, false);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.step();
    wait_for(&mut harness, 20, |app| app.is_picking_in_window());
    assert!(
        harness
            .query_all_by_label_contains("Open a folder of conformance results")
            .next()
            .is_some(),
        "the dialog inside the window shows"
    );
    assert_eq!(harness.state().corpus().releases.len(), releases);
    // Cancel closes it and changes nothing.
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!harness.state().is_picking());
    assert_eq!(harness.state().corpus().releases.len(), releases);

    // The setting skips the desktop's dialog altogether.
    harness
        .state_mut()
        .request(Command::SetInWindowDialog(true));
    harness.run();
    harness.state_mut().request(Command::Pick(
        conformance_viewer::app::loading::PickKind::Tarball,
    ));
    harness.run();
    assert!(harness.state().is_picking_in_window());
    assert!(harness.state().settings().in_window_dialog);
}

#[test]
fn theme_switches_and_is_kept_in_settings() {
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    assert_eq!(harness.ctx.theme(), egui::Theme::Dark);
    harness
        .state_mut()
        .request(Command::SetTheme(ThemeChoice::Light));
    harness.run();
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    assert_eq!(harness.state().settings().theme, ThemeChoice::Light);
}

/// Snapshot of the Overview on the fixtures. Needs a wgpu adapter: Mesa's
/// lavapipe (`mesa-vulkan-drivers`) is enough. Create or update the image
/// with `UPDATE_SNAPSHOTS=true cargo test --test ui`.
#[test]
fn overview_snapshot() {
    let corpus = load();
    // Rendering needs a GPU adapter (Mesa's lavapipe or llvmpipe on a
    // machine without one). A fresh machine with only Rust has none: skip
    // there with a reason; CI installs Mesa and sets CV_REQUIRE_RENDER=1.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Harness::builder()
            .with_max_steps(MAX_STEPS)
            .with_size(WINDOW)
            .with_context_setup(|ctx| ViewerApp::style_context(ctx, ThemeChoice::Dark))
            .wgpu()
            .build_eframe(|_cc| ViewerApp::with_corpus(corpus))
    }));
    let mut harness = match built {
        Ok(h) => h,
        Err(_) => {
            let required = std::env::var_os("CV_REQUIRE_RENDER").is_some_and(|v| v == "1");
            assert!(
                !required,
                "CV_REQUIRE_RENDER=1 but no GPU adapter could be created"
            );
            eprintln!(
                "skipped: no GPU adapter for rendering (install mesa-vulkan-drivers to run the overview snapshot)"
            );
            return;
        }
    };
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Overview);
    harness.snapshot("overview");
}

/// A dropped file as the window system hands it over: only its path.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("the app reads dropped paths itself".to_string())
    }
}

#[test]
fn dropping_a_folder_adds_it_and_hovering_shows_the_overlay() {
    let paths = corpus_paths();
    let extra = manifest().join("../shared/data/sonobuoy");
    if !extra.is_dir() {
        assert!(!require_shared(), "../shared/data/sonobuoy is missing");
        eprintln!("skipped: ../shared/data/sonobuoy is missing");
        return;
    }
    let first = ingest::load_paths(&paths).releases.len();
    let second = ingest::load_paths(std::slice::from_ref(&extra))
        .releases
        .len();
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    harness.state_mut().request(Command::Open(paths));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(harness.state().corpus().releases.len(), first);

    // Hovering files over the window shows what a drop would do.
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(extra.clone()),
        mime: String::new(),
    });
    harness.step();
    harness.input_mut().hovered_files.clear();

    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(extra)));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(harness.state().corpus().releases.len(), first + second);
}

#[test]
fn the_first_run_shows_the_sample_clearly_labelled() {
    let mut harness = launched(LaunchOptions::default());
    harness.run();
    assert_eq!(harness.state().source(), &Source::Sample);
    assert!(!harness.state().corpus().releases.is_empty());
    assert!(harness.query_by_label("Sample data").is_some());
    assert!(harness.state().settings().last_was_sample);
}

#[test]
fn large_selections_filter_on_a_thread_and_the_rows_arrive() {
    let corpus = load();
    let target = release_with_failure(&corpus).unwrap_or(corpus.releases.len() - 1);
    let label = corpus.releases[target].label.clone();
    let failed = corpus.releases[target]
        .conformance_tests()
        .filter(|t| t.status() == Status::Failed)
        .count();
    let mut app = ViewerApp::with_corpus(corpus);
    // Every selection counts as large here, so the rebuild runs on a thread.
    app.tests_view_mut().background_rows = 0;
    let mut harness = harness(app);
    harness.run();
    click_release(&mut harness, &label, Modifiers::NONE);
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness.run();
    let before = harness.state().row_recomputes();
    harness.state_mut().filters_mut().passed = false;
    harness.state_mut().filters_mut().skipped = false;
    harness.state_mut().filters_mut().pending = false;
    wait_for(&mut harness, 20, |app| app.row_recomputes() > before);
    assert_eq!(harness.state().filtered_row_count(), failed);
}

#[test]
fn the_load_started_before_the_window_is_taken_over_for_the_same_paths_only() {
    let fixtures = fixtures_dir();
    let supervisor = fixtures.join("supervisor");
    let cncf = fixtures.join("cncf");
    let labels_of = |corpus: &conformance_viewer::model::Corpus| -> Vec<String> {
        corpus.releases.iter().map(|r| r.label.clone()).collect()
    };
    let read = |p: &std::path::PathBuf| labels_of(&ingest::load_paths(std::slice::from_ref(p)));
    let (supervisor_labels, cncf_labels) = (read(&supervisor), read(&cncf));
    assert!(!supervisor_labels.is_empty());
    assert_ne!(
        supervisor_labels, cncf_labels,
        "the folders must differ to tell them apart"
    );

    // The same paths: the window shows the early load's data, read once.
    let options = LaunchOptions {
        paths: vec![supervisor.clone()],
        ..LaunchOptions::default()
    };
    let mut same = harness(ViewerApp::with_preload(options, vec![supervisor.clone()]));
    same.step();
    wait_for(&mut same, 60, |app| !app.is_loading());
    assert!(same.state().preload_taken());
    assert!(!same.state().preload_waiting());
    assert_eq!(labels_of(same.state().corpus()), supervisor_labels);

    // Other paths: the early load is dropped and the asked paths are read.
    let options = LaunchOptions {
        paths: vec![cncf.clone()],
        ..LaunchOptions::default()
    };
    let mut other = harness(ViewerApp::with_preload(options, vec![supervisor]));
    other.step();
    wait_for(&mut other, 60, |app| !app.is_loading());
    assert!(!other.state().preload_taken());
    assert!(!other.state().preload_waiting());
    assert_eq!(labels_of(other.state().corpus()), cncf_labels);
}

#[test]
fn the_command_line_limit_reaches_the_window() {
    use conformance_viewer::ingest::Limits;
    let fixtures = fixtures_dir();
    let all = ingest::load_paths(std::slice::from_ref(&fixtures))
        .releases
        .len();
    assert!(all > 2, "the fixtures hold {all} releases");
    let options = LaunchOptions {
        paths: vec![fixtures],
        limits: Limits {
            max_releases: 2,
            ..Limits::default()
        },
        ..LaunchOptions::default()
    };
    let mut harness = harness(ViewerApp::with_options(options));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(harness.state().corpus().releases.len(), 2);
    assert!(
        harness
            .state()
            .notifications()
            .iter()
            .flat_map(|n| n.lines.iter())
            .any(|l| l.contains("max_releases")),
        "{:?}",
        harness.state().notifications()
    );
}

#[test]
fn adding_results_merges_them_on_a_job_and_keeps_the_selection() {
    let fixtures = fixtures_dir();
    let supervisor = fixtures.join("supervisor");
    let cncf = fixtures.join("cncf");
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    open_and_wait(&mut harness, vec![supervisor.clone()], 60);
    let before = harness.state().corpus().releases.len();
    harness.state_mut().request(Command::SelectRelease {
        index: 0,
        mode: conformance_viewer::app::SelectMode::Only,
    });
    harness.run();
    let label = harness.state().release_infos()[0].label.clone();
    harness
        .state_mut()
        .request(Command::Add(vec![cncf.clone()]));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    let added = ingest::load_paths(std::slice::from_ref(&cncf))
        .releases
        .len();
    let app = harness.state();
    assert_eq!(app.corpus().releases.len(), before + added);
    assert_eq!(app.release_infos().len(), before + added);
    assert_eq!(app.source(), &Source::Paths(vec![supervisor, cncf]));
    let selected: Vec<&str> = app
        .selected_releases()
        .iter()
        .map(|&i| app.release_infos()[i].label.as_str())
        .collect();
    assert_eq!(selected, vec![label.as_str()]);
}

#[test]
fn a_mistyped_path_keeps_what_is_open_and_stays_out_of_recent() {
    let fixtures = fixtures_dir();
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    open_and_wait(&mut harness, vec![fixtures.clone()], 60);
    let open = harness.state().corpus().releases.len();
    assert!(open > 0);

    let typo = fixtures.join("no-such-folder");
    open_and_wait(&mut harness, vec![typo.clone()], 60);
    let app = harness.state();
    assert_eq!(app.corpus().releases.len(), open, "the open releases stay");
    assert_eq!(app.source(), &Source::Paths(vec![fixtures.clone()]));
    assert_eq!(app.settings().last_paths, vec![fixtures.clone()]);
    assert!(app.settings().recent.contains(&fixtures));
    assert!(
        !app.settings().recent.contains(&typo),
        "failed paths stay out of Recent"
    );
    assert!(
        app.notifications()
            .iter()
            .any(|n| n.title.contains("no-such-folder")),
        "{:?}",
        app.notifications()
    );
}

#[test]
fn a_start_whose_saved_paths_are_partly_gone_opens_the_rest_calmly() {
    let fixtures = fixtures_dir();
    let gone = fixtures.join("moved-away");
    let settings = Settings {
        last_paths: vec![fixtures.join("supervisor"), gone.clone()],
        recent: vec![gone.clone(), fixtures.join("supervisor")],
        ..Settings::default()
    };
    let mut harness = harness(ViewerApp::with_saved(settings, LaunchOptions::default()));
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    let app = harness.state();
    let expected = ingest::load_paths(&[fixtures.join("supervisor")])
        .releases
        .len();
    assert_eq!(app.corpus().releases.len(), expected);
    assert!(!app.settings().recent.contains(&gone));
    let notes = app.notifications();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].title.contains("gone"), "{notes:?}");
    assert!(notes[0].lines.iter().any(|l| l.contains("moved-away")));
}

#[test]
fn escape_closes_the_details_before_the_search_and_f1_lists_the_shortcuts() {
    let corpus = load();
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness.run();
    let row = harness.state().filtered_rows()[0];
    harness.state_mut().filters_mut().search = "a".to_string();
    harness.state_mut().request(Command::SelectTest(Some(row)));
    harness.run();
    assert!(harness.state().selected_test().is_some());

    // Esc closes the details first, and leaves the search alone.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().selected_test().is_none());
    assert_eq!(harness.state().settings().filters.search, "a");
    // Then it clears the search.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().settings().filters.search.is_empty());

    // With a dropdown open, Esc is the dropdown's.
    harness.state_mut().filters_mut().search = "a".to_string();
    harness.run();
    // The SIG filter of the Tests tab (the product box above the release
    // list is the other combo box).
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .last()
        .expect("the SIG filter")
        .click();
    harness.run();
    assert!(egui::Popup::is_any_open(&harness.ctx));
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().settings().filters.search, "a");

    // F1 shows every shortcut of the command table.
    harness.key_press(Key::F1);
    harness.run();
    assert!(
        harness
            .query_all_by_label("Keyboard shortcuts")
            .next()
            .is_some()
    );
    for keys in ["Ctrl+O", "Ctrl+F", "Ctrl+E", "Ctrl+Q", "F1", "F5", "Escape"] {
        assert!(
            harness.query_all_by_label(keys).next().is_some(),
            "{keys} is not listed"
        );
    }
}

#[test]
fn long_release_labels_keep_their_version_in_the_list() {
    let Some(data) = common::shared_data() else {
        return;
    };
    // Opened from above, the Supervisor's labels are long:
    // vsphere-supervisor-conformance/results/v1.18.
    let corpus = ingest::load_paths(std::slice::from_ref(&data));
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    let text = |n: &egui_kittest::Node<'_>| {
        let node = n.accesskit_node();
        node.label().or_else(|| node.value()).unwrap_or_default()
    };
    for version in ["v1.18", "v1.21"] {
        let tail = format!("results/{version}");
        let shown: Vec<String> = harness
            .query_all_by(|n| {
                let t = n.label().or_else(|| n.value()).unwrap_or_default();
                t.contains(version)
            })
            .map(|n| text(&n))
            .collect();
        assert!(
            shown
                .iter()
                .any(|l| l.contains('…') && l.ends_with(&format!("/{version}"))),
            "no label cut in the middle ends with {tail}: {shown:?}"
        );
    }
}

#[test]
fn warnings_wait_in_the_status_bar_and_a_reload_does_not_repeat_them() {
    let fixtures = fixtures_dir();
    let mut harness = harness(ViewerApp::empty(Settings::default()));
    harness.run();
    open_and_wait(&mut harness, vec![fixtures.clone()], 60);
    let warnings = |app: &ViewerApp| {
        app.notifications()
            .iter()
            .filter(|n| n.level == conformance_viewer::app::notifications::Level::Warning)
            .count()
    };
    let before = warnings(harness.state());
    assert!(before > 0, "the fixtures load with warnings");
    // Four releases load with warnings (malformed-extra's skipped_tests.xml,
    // disagree's verdict line, steady's PRODUCT.yaml and the entry of
    // defects v1.20's known-test-failures.md that matches no test): more
    // than three, so one note lists them, a line each.
    let notes: Vec<_> = harness
        .state()
        .notifications()
        .iter()
        .filter(|n| n.level == conformance_viewer::app::notifications::Level::Warning)
        .collect();
    assert_eq!(before, 1, "{notes:#?}");
    assert_eq!(notes[0].title, "4 releases loaded with warnings");
    assert_eq!(notes[0].lines.len(), 4, "{:#?}", notes[0].lines);
    assert!(
        notes[0].lines.iter().any(|l| {
            l.starts_with("defects/sprocket-conformance/results/v1.20: ")
                && l.contains("known-test-failures.md")
                && l.contains("Widgets should frobnicate the gizmo")
                && l.contains("matches no")
        }),
        "the document's entry that matches no test is named: {:#?}",
        notes[0].lines
    );
    // Not floating over the data: no list until the status bar is used.
    assert!(harness.query_by_label("Dismiss all").is_none());
    let count = format!("{before} warning{}", if before == 1 { "" } else { "s" });
    harness.get_by_label_contains(&count).click();
    harness.run();
    assert!(harness.query_by_label("Dismiss all").is_some());

    harness.state_mut().request(Command::Reload);
    harness.step();
    wait_for(&mut harness, 60, |app| !app.is_loading());
    assert_eq!(warnings(harness.state()), before, "a reload reports afresh");
}

#[test]
fn the_conformance_lists_window_takes_a_typed_folder() {
    let corpus = load();
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Conformance lists…").click();
    harness.run();
    assert!(harness.query_by_label("Use this folder").is_some());
    // The folder field is the lowest text field (the path field is at the top).
    let field = harness
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .max_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
        .expect("a folder field");
    field.click();
    harness.run();
    harness.event(egui::Event::Text("/no/such/lists".to_string()));
    harness.run();
    // Typing did not close the window.
    harness.get_by_label("Use this folder").click();
    harness.run();
    assert_eq!(
        harness.state().settings().conformance_lists,
        Some(PathBuf::from("/no/such/lists"))
    );
}

#[test]
fn arrows_move_through_the_tests_and_the_releases() {
    let corpus = load();
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness.run();
    let rows = harness.state().filtered_rows().to_vec();
    assert!(rows.len() > 2);
    let selected = |h: &Harness<'static, ViewerApp>| h.state().selected_test().map(|(r, _)| r);
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(selected(&harness), Some(rows[0]));
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(selected(&harness), Some(rows[1]));
    harness.key_press(Key::End);
    harness.run();
    assert_eq!(selected(&harness), rows.last().copied());
    harness.key_press(Key::ArrowUp);
    harness.run();
    assert_eq!(selected(&harness), Some(rows[rows.len() - 2]));

    // Elsewhere the arrows walk the release list; Enter shows its tests.
    harness.state_mut().request(Command::SetTab(Tab::Overview));
    harness.state_mut().request(Command::SelectRelease {
        index: 0,
        mode: conformance_viewer::app::SelectMode::Only,
    });
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().selected_releases(), &[1]);
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Tests);
}

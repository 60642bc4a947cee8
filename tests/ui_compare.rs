//! UI tests of the compare tabs (Matrix, Diff, Pre-check) with egui_kittest
//! on the project's fixtures: a renamed test stays on one row, the matrix
//! filters, a click on a cell opens the detail pane, the diff of the two
//! Supervisor releases, the pre-check of the acme submission, the
//! conformance lists setting, and a matrix of 300 generated releases that
//! does not rebuild its history per frame.
//!
//! Figures are those of `fixtures/README.md`: opening `fixtures/` gives 18
//! releases, 37 conformance tests across them; 12 of those tests change
//! status between the releases where they are required, 14 fail somewhere.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::ui::{harness, wait_for};
use conformance_viewer::app::compare::diff::Section;
use conformance_viewer::app::settings::Tab;
use conformance_viewer::app::{Command, SelectMode, ViewerApp};
use conformance_viewer::generate::{self, SpecPlan};
use conformance_viewer::ingest;
use conformance_viewer::model::{Corpus, Status};
use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Rows of the matrix of the whole fixtures folder: 34 before `defects/`,
/// whose three releases add three tests (the kubectl cluster-info test on
/// one row across its rename from "master" to "control plane", the
/// projected service account token test, the Variable Expansion subpath
/// test); its other three tests are required elsewhere too.
const FIXTURE_ROWS: usize = 37;
/// Of them, tests whose status is not the same everywhere they are
/// required: Watchers (passed, panicked in acme), Pods lifecycle (passed in
/// Supervisor v1.22, aborted in acme), preemption (skipped by Supervisor
/// v1.20 and v1.22, passed in v1.24), the StatefulSet rolling update (passed
/// in steady, failed in another fixture), three node tests that fail in
/// one of the other fixtures (`Pods should get a host IP`, the Container
/// Runtime termination message test, the Probing restart count test), and
/// three that fail in one release of `lines/` only (EmptyDir (root,0644,tmpfs)
/// in widget v1.29, the RollingUpdateDeployment in gizmo v1.29, Services
/// serving a basic endpoint in run 1 of widget v1.31), and two of
/// `defects/` (cluster-info, failed in v1.19 and passed after its rename;
/// the Variable Expansion subpath test, failed in v1.20 and passed in
/// v1.21). Its token test failed in both v1.20 and v1.21: the same status
/// everywhere.
const FIXTURE_DIFFERING: usize = 12;
/// Tests that failed somewhere: the eight of acme, disagree,
/// malformed-extra, sonobuoy and parallel, the three of `lines/` above and
/// the three of `defects/` (cluster-info, the token test, the subpath test).
const FIXTURE_FAILING: usize = 14;

const ETC_HOSTS: &str = "KubeletManagedEtcHosts should test kubelet managed /etc/hosts file";
const SERVE_ENDPOINTS: &str =
    "Services should serve endpoints on same port and different protocols";

fn load(sub: &str) -> Corpus {
    let dir = common::fixtures().join(sub);
    let corpus = ingest::load_paths(std::slice::from_ref(&dir));
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert!(!corpus.releases.is_empty(), "nothing in {}", dir.display());
    corpus
}

fn open_tab(harness: &mut Harness<'static, ViewerApp>, label: &str, tab: Tab) {
    harness.get_by_label(label).click();
    harness.run();
    assert_eq!(harness.state().tab(), tab);
}

fn release_index(corpus: &Corpus, part: &str) -> usize {
    corpus
        .releases
        .iter()
        .position(|r| r.label.contains(part))
        .unwrap_or_else(|| panic!("no release labelled like {part}"))
}

/// A real click at a screen position: move, press, release.
fn click_at(harness: &mut Harness<'static, ViewerApp>, pos: Pos2) {
    harness.event(Event::PointerMoved(pos));
    harness.step();
    harness.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    harness.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    harness.event(Event::PointerGone);
    harness.run();
}

#[test]
fn the_matrix_keeps_a_renamed_test_on_one_row() {
    let corpus = load("supervisor");
    assert_eq!(corpus.releases.len(), 3);
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Matrix", Tab::Matrix);

    let app = harness.state();
    let matrix = app.compare().matrix();
    let history = matrix.history().expect("built within the frame");
    assert_eq!(history.columns.len(), 3);
    let rows: Vec<usize> = (0..history.rows.len())
        .filter(|&r| history.rows[r].name.contains(ETC_HOSTS))
        .collect();
    assert_eq!(rows.len(), 1, "one row for the test across the rename");
    let row = &history.rows[rows[0]];
    assert_eq!(row.names.len(), 2, "{:?}", row.names);
    assert!(row.names[0].starts_with("[k8s.io]"));
    assert!(row.names[1].starts_with("[sig-node]"));
    assert!(
        history.row_cells(rows[0]).iter().all(Option::is_some),
        "the row has a cell in every release"
    );
    // On screen: one row header, marked as renamed.
    assert_eq!(harness.query_all_by_label_contains(ETC_HOSTS).count(), 1);

    // Searching narrows the matrix to that row.
    harness
        .state_mut()
        .compare_mut()
        .matrix_mut()
        .filter_mut()
        .search = "kubeletmanaged".into();
    harness.run();
    assert_eq!(harness.state().compare().matrix().rows().len(), 1);
    assert_eq!(harness.query_all_by_label_contains(ETC_HOSTS).count(), 1);
}

#[test]
fn matrix_filters_narrow_the_rows() {
    let corpus = load("");
    assert_eq!(corpus.releases.len(), 18);
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Matrix", Tab::Matrix);
    assert_eq!(
        harness.state().compare().matrix().rows().len(),
        FIXTURE_ROWS
    );
    let builds = harness.state().compare().matrix().history_builds();

    harness.get_by_label("only rows that differ").click();
    harness.run();
    let shown: Vec<String> = harness
        .state()
        .compare()
        .matrix()
        .shown_rows()
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(shown.len(), FIXTURE_DIFFERING, "{shown:#?}");
    assert!(
        shown
            .iter()
            .any(|n| n.contains("Pods should run through the lifecycle"))
    );
    assert!(shown.iter().all(|n| !n.contains(ETC_HOSTS)));
    // defects/: the renamed cluster-info test and the subpath test differ;
    // the token test failed everywhere it ran.
    assert!(shown.iter().any(|n| n.contains("Kubectl cluster-info")));
    assert!(
        shown
            .iter()
            .any(|n| n.contains("volume subpath with absolute path"))
    );
    assert!(
        shown
            .iter()
            .all(|n| !n.contains("projected service account token"))
    );

    harness.get_by_label("only rows that differ").click();
    harness.get_by_label("failing anywhere").click();
    harness.run();
    assert_eq!(
        harness.state().compare().matrix().rows().len(),
        FIXTURE_FAILING
    );
    // Filters never rebuild the history.
    assert_eq!(harness.state().compare().matrix().history_builds(), builds);
}

#[test]
fn clicking_a_failed_cell_shows_its_failure_text() {
    let corpus = load("");
    let acme = release_index(&corpus, "acme");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Matrix", Tab::Matrix);
    harness
        .state_mut()
        .compare_mut()
        .matrix_mut()
        .filter_mut()
        .search = "serve endpoints on same port".into();
    harness.run();
    assert_eq!(harness.state().compare().matrix().rows().len(), 1);
    let pos = harness
        .state()
        .compare()
        .matrix()
        .cell_center(0, acme)
        .expect("the acme cell is in view");
    click_at(&mut harness, pos);

    let (row, test) = harness.state().selected_test().expect("a test is selected");
    assert_eq!(row.release, acme);
    assert!(test.name().contains(SERVE_ENDPOINTS), "{}", test.name());
    assert_eq!(test.status(), Status::Failed);
    assert!(
        harness
            .query_all_by_label_contains("failed to connect to the service over UDP")
            .next()
            .is_some(),
        "the failure text is in the detail pane"
    );
}

#[test]
fn diff_of_the_supervisor_releases_lists_added_and_removed_tests() {
    let corpus = load("supervisor");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Diff", Tab::Diff);
    let app = harness.state();
    assert_eq!(app.compare().diff().pair(), Some((0, 1)));
    let data = app
        .compare()
        .diff()
        .current()
        .expect("made within the frame");
    assert_eq!(
        data.names(Section::Added),
        vec![
            "[sig-apps] Job should delete a job [Conformance]",
            "[sig-auth] ServiceAccounts should mount an API token into pods [Conformance]",
            "[sig-node] Pods should run through the lifecycle of Pods and PodStatus [Conformance]",
        ]
    );
    let removed = data.names(Section::Removed);
    assert_eq!(removed.len(), 1);
    assert!(
        removed[0].contains("HostPath should give a volume the correct mode"),
        "{removed:?}"
    );
    for s in [
        Section::NewlyFailing,
        Section::Fixed,
        Section::NewlySkipped,
        Section::NoLongerSkipped,
    ] {
        assert_eq!(data.count(s), 0, "{}", s.title());
    }
    // On screen, with their counts.
    assert!(
        harness
            .query_by_label_contains("Added to conformance (3)")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Removed from conformance (1)")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("[sig-apps] Job should delete a job [Conformance]")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("HostPath should give a volume the correct mode")
            .is_some()
    );

    // A click on a listed test shows it in the detail pane. Background work
    // (the history, the lists) can still move the layout for a frame or
    // two, so the synthetic click is repeated until it lands.
    for _ in 0..5 {
        harness
            .get_by_label("[sig-apps] Job should delete a job [Conformance]")
            .click();
        // The log excerpt loads on a thread and may keep the app repainting
        // past kittest's step limit; that is not what this test is about.
        let _ = harness.run_ok();
        if harness.state().selected_test().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (row, test) = harness.state().selected_test().expect("a test is selected");
    assert_eq!(row.release, 1);
    assert!(test.name().contains("Job should delete a job"));
}

#[test]
fn diff_follows_the_selection_then_the_combo_boxes() {
    let corpus = load("");
    let acme = release_index(&corpus, "acme");
    let sonobuoy = release_index(&corpus, "sonobuoy");
    // The two Supervisor releases of the combo boxes: not the first two of
    // the corpus, which are defects/'s v1.19 and v1.20.
    let v120 = release_index(&corpus, "supervisor/results/v1.20");
    let v122 = release_index(&corpus, "supervisor/results/v1.22");
    assert_eq!((v120, v122), (2, 4));
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.state_mut().request(Command::SelectRelease {
        index: sonobuoy,
        mode: SelectMode::Only,
    });
    harness.state_mut().request(Command::SelectRelease {
        index: acme,
        mode: SelectMode::Toggle,
    });
    harness.run();
    open_tab(&mut harness, "Diff", Tab::Diff);
    assert_eq!(
        harness.state().compare().diff().pair(),
        Some((sonobuoy, acme))
    );
    let (from, to) = harness
        .state()
        .compare()
        .diff()
        .current()
        .map(|d| (d.diff.from.clone(), d.diff.to.clone()))
        .expect("made within the frame");
    assert!(
        from.contains("sonobuoy") && to.contains("acme"),
        "{from} {to}"
    );

    harness
        .state_mut()
        .compare_mut()
        .diff_mut()
        .choose(v120, v122);
    harness.run();
    assert_eq!(harness.state().compare().diff().pair(), Some((v120, v122)));
    assert!(
        harness
            .query_by_label_contains("Added to conformance (3)")
            .is_some()
    );
}

#[test]
fn the_pre_check_fails_acme_naming_a_failed_test() {
    let corpus = load("");
    let acme = release_index(&corpus, "acme");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.state_mut().request(Command::SelectRelease {
        index: acme,
        mode: SelectMode::Only,
    });
    harness.run();
    harness.get_by_label("Pre-check").click();
    wait_for(&mut harness, 30, |app| {
        app.compare().check().report().is_some()
    });
    assert_eq!(harness.state().tab(), Tab::Check);
    assert_eq!(harness.state().compare().check().release(), Some(acme));
    let report = harness
        .state()
        .compare()
        .check()
        .report()
        .cloned()
        .expect("checked");
    assert!(!report.passed);
    assert!(harness.query_by_label("FAILED").is_some());
    assert!(harness.query_by_label("PASSED").is_none());
    assert!(
        harness
            .query_by_label_contains(&format!(
                "required test failed: [sig-network] {SERVE_ENDPOINTS}"
            ))
            .is_some(),
        "the failed test is named"
    );
    assert!(harness.query_by_label_contains("Errors (").is_some());
    // The slowest tests of the release are listed beside the findings.
    let slow = harness
        .state()
        .compare()
        .check()
        .slowest()
        .cloned()
        .expect("listed");
    assert_eq!(slow.release, acme);
    assert!(!slow.tests.is_empty());
    assert!(
        slow.tests
            .windows(2)
            .all(|w| w[0].duration_secs >= w[1].duration_secs)
    );
    assert!(harness.query_by_label(&slow.tests[0].name).is_some());
}

#[test]
fn conformance_lists_are_read_in_the_background_and_problems_reported() {
    let corpus = load("supervisor");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Diff", Tab::Diff);
    let missing = PathBuf::from("/nonexistent/conformance-lists-folder");
    harness
        .state_mut()
        .request(Command::SetConformanceLists(Some(missing.clone())));
    harness.step();
    wait_for(&mut harness, 30, |app| {
        app.state().lists.folder() == Some(missing.as_path()) && !app.state().lists.is_loading()
    });
    // The built-in lists stay in use.
    assert!(
        harness
            .state()
            .state()
            .lists
            .summary()
            .ends_with("(built in)"),
        "{}",
        harness.state().state().lists.summary()
    );
    assert!(
        harness
            .state()
            .notifications()
            .iter()
            .any(|n| n.title.contains("conformance-lists-folder")),
        "{:?}",
        harness.state().notifications()
    );

    let Some(shared) = common::shared_data() else {
        return;
    };
    let dir = shared.join("conformance-yaml");
    harness
        .state_mut()
        .request(Command::SetConformanceLists(Some(dir)));
    harness.step();
    wait_for(&mut harness, 60, |app| {
        app.state().lists.summary().contains("from the folder")
            && app.compare().diff().current().is_some()
    });
    let lists = harness
        .state()
        .state()
        .lists
        .lists()
        .cloned()
        .expect("read");
    assert!(lists.for_version((1, 20)).is_some() && lists.for_version((1, 22)).is_some());
    let notes = harness
        .state()
        .compare()
        .diff()
        .current()
        .map(|d| d.diff.notes.join("\n"))
        .unwrap_or_default();
    assert!(notes.contains("conformance.yaml v1.20"), "{notes}");
    assert!(
        harness
            .query_by_label_contains("conformance lists, v1.")
            .is_some()
    );
}

/// `releases` copies of one generated release, with a few outcomes changed
/// in each, versions 1.20 and up, interned like a real load.
fn generated_corpus(releases: usize, specs: usize) -> Corpus {
    let plan = SpecPlan {
        specs,
        conformance: specs * 3 / 4,
        failed: 2,
        skipped_conformance: 3,
        ..SpecPlan::default()
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    generate::write_release(&dir.path().join("v1.30"), &plan).expect("written");
    let mut loaded = ingest::load_paths(&[dir.path().to_path_buf()]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let base = loaded.releases.remove(0);
    generate::corpus_of_copies(&base, releases, 5, 11)
}

#[test]
fn a_matrix_of_300_releases_is_built_once_not_per_frame() {
    let corpus = generated_corpus(300, 400);
    let tests: usize = corpus.releases.iter().map(|r| r.tests.len()).sum();
    assert!(tests > 100_000, "large enough for the background thread");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    harness.get_by_label("Matrix").click();
    // One frame takes the click, the next draws the tab.
    harness.run_steps(2);
    assert!(
        harness.state().compare().matrix().is_building()
            || harness.state().compare().matrix().history().is_some()
    );
    wait_for(&mut harness, 120, |app| {
        app.compare().matrix().history().is_some()
    });
    let matrix = harness.state().compare().matrix();
    assert_eq!(matrix.history().map(|h| h.columns.len()), Some(300));
    assert_eq!(matrix.history_builds(), 1);
    let rows_built = matrix.row_rebuilds();
    // Frames with the pointer moving over the grid: nothing is rebuilt.
    let started = Instant::now();
    for i in 0..30 {
        harness.event(Event::PointerMoved(Pos2::new(
            700.0 + i as f32 * 9.0,
            400.0 + i as f32 * 5.0,
        )));
        harness.step();
    }
    eprintln!(
        "30 frames of the 300-release matrix: {:.1} ms each (this build)",
        started.elapsed().as_secs_f64() * 1000.0 / 30.0
    );
    let matrix = harness.state().compare().matrix();
    assert_eq!(matrix.history_builds(), 1);
    assert_eq!(matrix.row_rebuilds(), rows_built);
    // A filter change rebuilds the rows, not the history.
    harness.get_by_label("failing anywhere").click();
    harness.run_steps(3);
    let matrix = harness.state().compare().matrix();
    assert_eq!(matrix.history_builds(), 1);
    assert_eq!(matrix.row_rebuilds(), rows_built + 1);
    assert!(matrix.rows().len() < matrix.history().map_or(0, |h| h.rows.len()));
}

#[test]
fn arrows_walk_the_matrix_rows_and_the_detail_follows() {
    let corpus = load("");
    let mut harness = harness(ViewerApp::with_corpus(corpus));
    harness.run();
    open_tab(&mut harness, "Matrix", Tab::Matrix);
    let selected = |h: &Harness<'static, ViewerApp>| h.state().selected_test().map(|(r, _)| r);
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let first = selected(&harness).expect("Down selects the first row's test");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let second = selected(&harness).expect("a second row");
    assert_ne!(first, second);
    let names = |h: &Harness<'static, ViewerApp>,
                 r: conformance_viewer::app::tests_view::RowRef| {
        h.state().corpus().releases[r.release].tests[r.test]
            .key()
            .to_string()
    };
    assert_ne!(
        names(&harness, first),
        names(&harness, second),
        "another test"
    );
    // The same release column is kept where the row has it.
    assert_eq!(first.release, second.release);
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    assert_eq!(selected(&harness), Some(first));
    // The detail pane shows it.
    assert!(
        harness
            .query_by_label_contains("Status in every loaded release")
            .is_some()
    );
}

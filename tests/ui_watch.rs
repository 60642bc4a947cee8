//! UI tests of live reload (View › Watch opened folders) with egui_kittest
//! and temporary folders: a release added under an opened folder is listed,
//! a rewritten JUnit changes the counts, a deleted folder goes away with a
//! message, the selection and the list's first visible row survive a
//! reload, and a tarball written slowly is read once, whole. Also the
//! setting itself and Help › About.
//!
//! Every wait is a condition with a generous timeout: the watcher waits
//! for files to stop changing before it reads them, and a loaded two-core
//! machine may take seconds.

mod common;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::ui::{harness, open_and_wait, wait_for};
use conformance_viewer::app::notifications::Level;
use conformance_viewer::app::settings::Settings;
use conformance_viewer::app::{Command, LaunchOptions, ViewerApp};
use conformance_viewer::generate::{Ginkgo, SpecPlan, write_release};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Seconds any one wait may take.
const WAIT: u64 = 90;

/// A small run of Kubernetes v1.`minor` with `failed` required failures.
fn plan(minor: u32, failed: usize) -> SpecPlan {
    SpecPlan {
        specs: 40,
        conformance: 20,
        failed,
        skipped_conformance: 0,
        suite_nodes: 2,
        ginkgo: Ginkgo::V2,
        minor,
        kube_version: format!("v1.{minor}.3"),
        seed: 7,
    }
}

/// An app with nothing open and default settings (watching on).
fn app() -> Harness<'static, ViewerApp> {
    let mut h = harness(ViewerApp::with_saved(
        Settings::default(),
        LaunchOptions::default(),
    ));
    h.run();
    h
}

/// Open `root` and wait until its releases show and it is watched.
fn open_watched(h: &mut Harness<'static, ViewerApp>, root: &Path) {
    open_and_wait(h, vec![root.to_path_buf()], WAIT);
    wait_for(h, WAIT, |app| app.is_watching());
}

fn labels(app: &ViewerApp) -> Vec<String> {
    app.release_infos()
        .iter()
        .map(|i| i.label.clone())
        .collect()
}

fn failed_of(app: &ViewerApp, label: &str) -> Option<u64> {
    app.release_infos()
        .iter()
        .find(|i| i.label == label)
        .map(|i| i.counts.failed)
}

/// Where the release list's rows start: below its hint line.
fn list_top(h: &Harness<'static, ViewerApp>) -> f32 {
    h.get_by_label_contains("Click to select").rect().max.y
}

/// The nodes of the release list that show `label` (whole, or cut in the
/// middle to fit beside its badge), top first.
fn rows_showing<'a>(
    h: &'a Harness<'static, ViewerApp>,
    label: &'a str,
) -> Vec<egui_kittest::Node<'a>> {
    let top = list_top(h);
    let mut rows: Vec<_> = h
        .query_all_by(|n| shows_label(&n.label().or_else(|| n.value()).unwrap_or_default(), label))
        .filter(|n| n.rect().min.y >= top && n.rect().max.x < 420.0)
        .collect();
    rows.sort_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y));
    rows
}

/// Whether the release list shows `label`.
fn shown(h: &Harness<'static, ViewerApp>, label: &str) -> bool {
    !rows_showing(h, label).is_empty()
}

fn shows_label(text: &str, label: &str) -> bool {
    text == label
        || text.split_once('…').is_some_and(|(head, tail)| {
            !head.is_empty() && label.starts_with(head) && label.ends_with(tail)
        })
}

#[test]
fn a_release_added_under_an_opened_folder_is_listed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_release(&tmp.path().join("v1.30").join("alpha"), &plan(30, 1)).expect("write");
    let mut h = app();
    open_watched(&mut h, tmp.path());
    assert_eq!(labels(h.state()), vec!["v1.30/alpha"]);
    assert!(h.state().watched_folders() >= 2);

    write_release(&tmp.path().join("v1.31").join("beta"), &plan(31, 0)).expect("write");
    wait_for(&mut h, WAIT, |app| {
        labels(app).contains(&"v1.31/beta".to_string())
    });
    assert_eq!(labels(h.state()), vec!["v1.30/alpha", "v1.31/beta"]);
    assert!(
        shown(&h, "v1.31/beta"),
        "the new release is not in the list"
    );
    assert!(
        h.state()
            .notifications()
            .iter()
            .any(|n| n.title.contains("appeared") && n.lines.contains(&"v1.31/beta".to_string())),
        "{:#?}",
        h.state().notifications()
    );
    // Only the new release was read, not the one already open.
    let alpha = tmp.path().join("v1.30").join("alpha");
    assert_eq!(h.state().watch_reads(&alpha), 0);
}

#[test]
fn a_junit_rewritten_with_one_more_failure_changes_the_count() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("v1.30").join("alpha");
    write_release(&dir, &plan(30, 1)).expect("write");
    write_release(&tmp.path().join("v1.29").join("other"), &plan(29, 0)).expect("write");
    let mut h = app();
    open_watched(&mut h, tmp.path());
    let before = failed_of(h.state(), "v1.30/alpha").expect("alpha is open");
    let counts_before = h.state().release_infos()[1].counts_text();
    assert!(shown(&h, &counts_before), "{counts_before} is not shown");

    write_release(&dir, &plan(30, 2)).expect("rewrite");
    wait_for(&mut h, WAIT, |app| {
        failed_of(app, "v1.30/alpha") == Some(before + 1)
    });
    let counts_after = h.state().release_infos()[1].counts_text();
    assert_ne!(counts_after, counts_before);
    assert!(shown(&h, &counts_after), "{counts_after} is not shown");
    // That release alone was read again.
    assert_eq!(h.state().watch_reads(&dir), 1);
    assert_eq!(
        h.state()
            .watch_reads(&tmp.path().join("v1.29").join("other")),
        0
    );
}

#[test]
fn a_deleted_folder_goes_away_with_a_message() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_release(&tmp.path().join("v1.30").join("alpha"), &plan(30, 1)).expect("write");
    write_release(&tmp.path().join("v1.31").join("beta"), &plan(31, 0)).expect("write");
    let mut h = app();
    open_watched(&mut h, tmp.path());
    assert_eq!(labels(h.state()).len(), 2);

    std::fs::remove_dir_all(tmp.path().join("v1.31")).expect("remove");
    wait_for(&mut h, WAIT, |app| labels(app) == vec!["v1.30/alpha"]);
    assert!(!shown(&h, "v1.31/beta"));
    let note = h
        .state()
        .notifications()
        .iter()
        .find(|n| n.title.contains("gone"))
        .unwrap_or_else(|| panic!("no message: {:#?}", h.state().notifications()));
    assert_eq!(note.lines, vec!["v1.31/beta".to_string()]);
    assert!(h.query_by_label_contains("gone from the disk").is_some());

    // Made again at the same path, it comes back, and is watched again.
    let beta = tmp.path().join("v1.31").join("beta");
    write_release(&beta, &plan(31, 0)).expect("write");
    wait_for(&mut h, WAIT, |app| labels(app).len() == 2);
    write_release(&beta, &plan(31, 1)).expect("rewrite");
    wait_for(&mut h, WAIT, |app| failed_of(app, "v1.31/beta") == Some(1));
}

/// The label of the first release row wholly inside the release list, as
/// drawn in the last frame.
fn first_visible_row(h: &Harness<'static, ViewerApp>) -> Option<String> {
    let top = list_top(h);
    let labels = labels(h.state());
    h.query_all_by(|n| {
        let text = n.label().or_else(|| n.value()).unwrap_or_default();
        labels.iter().any(|l| shows_label(&text, l))
    })
    .filter(|n| n.rect().min.y >= top && n.rect().max.x < 420.0)
    .min_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
    .and_then(|n| {
        let node = n.accesskit_node();
        let text = node.label().or_else(|| node.value()).unwrap_or_default();
        labels.iter().find(|l| shows_label(&text, l)).cloned()
    })
}

#[test]
fn the_selection_and_the_first_visible_row_survive_a_reload() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // One product line of 24 releases: more rows than the window shows.
    let results = tmp.path().join("acme").join("results");
    for minor in 18..42 {
        write_release(&results.join(format!("v1.{minor}")), &plan(minor, 1)).expect("write");
    }
    let mut h = app();
    open_watched(&mut h, tmp.path());
    assert_eq!(labels(h.state()).len(), 24);
    let first = first_visible_row(&h).expect("a row");
    assert_eq!(first, "acme/results/v1.18");

    // Scroll the list down with the wheel.
    let row = rows_showing(&h, "acme/results/v1.19")
        .first()
        .expect("row of v1.19")
        .rect()
        .center();
    h.hover_at(row);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -500.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    let scrolled = first_visible_row(&h).expect("a row");
    assert_ne!(scrolled, first, "the list did not scroll");

    // Select a release in view by clicking it.
    let pick = labels(h.state())
        .into_iter()
        .skip_while(|l| *l != scrolled)
        .nth(2)
        .expect("a release below the first visible one");
    rows_showing(&h, &pick).first().expect("its row").click();
    h.run();
    let selected_labels = |app: &ViewerApp| -> Vec<String> {
        app.selected_releases()
            .iter()
            .map(|&i| app.release_infos()[i].label.clone())
            .collect()
    };
    assert_eq!(selected_labels(h.state()), vec![pick.clone()]);

    // Rewrite the picked release's JUnit; the watcher reads it again.
    let dir = tmp.path().join(&pick);
    let before = failed_of(h.state(), &pick).expect("open");
    write_release(&dir, &plan(pick_minor(&pick), 2)).expect("rewrite");
    wait_for(&mut h, WAIT, |app| {
        failed_of(app, &pick) == Some(before + 1)
    });
    assert_eq!(h.state().watch_reads(&dir), 1);
    assert_eq!(selected_labels(h.state()), vec![pick.clone()]);
    assert_eq!(first_visible_row(&h), Some(scrolled));
}

/// The minor version in a label ending in `v1.NN`.
fn pick_minor(label: &str) -> u32 {
    label
        .rsplit("v1.")
        .next()
        .and_then(|m| m.parse().ok())
        .expect("a v1.NN label")
}

/// A Sonobuoy tarball of `plan`, in memory (stored, not compressed, so it
/// is large enough to be written in many pieces).
fn tarball_bytes(plan: &SpecPlan) -> Vec<u8> {
    let staging = tempfile::tempdir().expect("tempdir");
    write_release(staging.path(), plan).expect("write");
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    let mut tar = tar::Builder::new(gz);
    for name in ["junit_01.xml", "e2e.log"] {
        tar.append_path_with_name(
            staging.path().join(name),
            format!("plugins/e2e/results/global/{name}"),
        )
        .expect("append");
    }
    tar.into_inner().expect("tar").finish().expect("gz")
}

#[test]
fn a_tarball_written_slowly_is_read_once_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_release(&tmp.path().join("v1.30").join("alpha"), &plan(30, 1)).expect("write");
    let mut h = app();
    open_watched(&mut h, tmp.path());

    let big = SpecPlan {
        specs: 3000,
        conformance: 300,
        ..plan(31, 3)
    };
    let bytes = tarball_bytes(&big);
    assert!(bytes.len() > 200_000, "{} bytes", bytes.len());
    let path = tmp.path().join("sonobuoy-results.tar.gz");
    // Copied in over about two seconds, as from a slow network share.
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut file = std::fs::File::create(&writer_path).expect("create");
        for chunk in bytes.chunks(bytes.len() / 25 + 1) {
            file.write_all(chunk).expect("write");
            file.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(80));
        }
    });
    wait_for(&mut h, WAIT, |app| {
        labels(app).contains(&"sonobuoy-results.tar.gz".to_string())
    });
    writer.join().expect("writer");
    let info = h
        .state()
        .release_infos()
        .iter()
        .find(|i| i.label == "sonobuoy-results.tar.gz")
        .expect("the tarball's release")
        .clone();
    // Whole: every spec, the figures as planned, nothing reported broken.
    assert_eq!(info.specs, 3000);
    assert_eq!(info.counts.total as usize, 300);
    assert!(
        h.state()
            .notifications()
            .iter()
            .filter(|n| n.level != Level::Info)
            .all(|n| !n.title.contains("sonobuoy-results")
                && n.lines.iter().all(|l| !l.contains("sonobuoy-results"))),
        "{:#?}",
        h.state().notifications()
    );

    // Whatever the watcher still had to say about the tarball comes before
    // a release added later: once that shows, the tarball's reads are all
    // counted.
    write_release(&tmp.path().join("v1.32").join("later"), &plan(32, 0)).expect("write");
    wait_for(&mut h, WAIT, |app| {
        labels(app).contains(&"v1.32/later".to_string()) && !app.watch_busy()
    });
    assert_eq!(h.state().watch_reads(&path), 1, "read more than once");
}

#[test]
fn watching_is_a_remembered_setting() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("v1.30").join("alpha");
    write_release(&dir, &plan(30, 1)).expect("write");
    let mut h = app();
    assert!(h.state().settings().watch, "on by default");
    open_watched(&mut h, tmp.path());

    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Watch opened folders").click();
    h.run();
    assert!(!h.state().settings().watch);
    wait_for(&mut h, WAIT, |app| !app.is_watching());

    h.state_mut().request(Command::SetWatch(true));
    h.run();
    wait_for(&mut h, WAIT, |app| app.is_watching());
    assert!(h.state().settings().watch);
}

#[test]
fn about_names_the_version_the_license_and_the_bundled_crates() {
    let mut h = app();
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label("About Conformance Viewer").click();
    h.run();
    let version = format!("Version {}", env!("CARGO_PKG_VERSION"));
    assert!(h.query_by_label(&version).is_some());
    assert!(h.query_by_label("Apache License 2.0").is_some());
    assert!(h.query_by_label_contains("Kubernetes' lists").is_some());
    assert!(
        h.query_by_label_contains("MIT License").is_some(),
        "no MIT section in the bundled licenses"
    );
}

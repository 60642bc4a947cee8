//! Product lines in the window: the Overview charts one series per line,
//! selection drives what it charts, the legend shows and hides lines, the
//! release list groups releases under their lines, and renames merge lines.

mod common;

use common::ui::{harness, harness_sized, open_and_wait};
use conformance_viewer::app::{Command, SelectMode, ViewerApp};
use conformance_viewer::generate::{self, SpecPlan};
use conformance_viewer::ingest;
use egui::Role;
use egui_kittest::kittest::Queryable;

/// A mark of a chart (a bar or a point) named `label`.
fn mark<'a>(
    h: &'a egui_kittest::Harness<'static, ViewerApp>,
    label: &'a str,
) -> Option<egui_kittest::Node<'a>> {
    h.query_by_role_and_label(Role::Image, label)
}

/// The button named `label`.
fn button<'a>(
    h: &'a egui_kittest::Harness<'static, ViewerApp>,
    label: &'a str,
) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(Role::Button, label)
}

fn open_fixtures() -> egui_kittest::Harness<'static, ViewerApp> {
    let mut h = harness(ViewerApp::empty(Default::default()));
    open_and_wait(&mut h, vec![common::fixtures()], 60);
    h.run();
    h
}

/// The corpus indices of the releases of the line called `name`.
fn line_releases(app: &ViewerApp, name: &str) -> Vec<usize> {
    app.lines()
        .lines
        .iter()
        .find(|l| l.name == name)
        .map(|l| l.releases.clone())
        .unwrap_or_default()
}

#[test]
fn the_fixtures_chart_one_series_per_line_and_a_selection_narrows_them() {
    let mut h = open_fixtures();
    let supervisor = line_releases(h.state(), "vSphere Supervisor");
    assert_eq!(supervisor.len(), 3, "{:?}", h.state().lines().lines);
    assert!(h.state().lines().lines.len() > 2);
    // Every release is charted after a load; each line is a series whose
    // points are named by the line and the version.
    assert_eq!(h.state().charted().len(), h.state().release_infos().len());
    assert!(mark(&h, "vSphere Supervisor v1.20").is_some());
    assert!(mark(&h, "vSphere Supervisor v1.24").is_some());

    // Select two Supervisor releases: the chart shows those two, as bars
    // labelled by their version within the line.
    h.state_mut().request(Command::SelectRelease {
        index: supervisor[0],
        mode: SelectMode::Only,
    });
    h.state_mut().request(Command::SelectRelease {
        index: supervisor[2],
        mode: SelectMode::Toggle,
    });
    h.run();
    let mut charted = h.state().charted();
    charted.sort_unstable();
    let mut want = vec![supervisor[0], supervisor[2]];
    want.sort_unstable();
    assert_eq!(charted, want);
    assert!(mark(&h, "v1.20").is_some());
    assert!(mark(&h, "v1.24").is_some());
    assert!(mark(&h, "v1.22").is_none(), "not selected, not charted");
    assert!(mark(&h, "vSphere Supervisor v1.20").is_none());
    assert!(
        h.query_by_label_contains("Charting the 2 selected releases")
            .is_some()
    );

    // "Chart every release" clears the selection and charts all again.
    h.get_by_label("Chart every release").click();
    h.run();
    assert_eq!(h.state().charted().len(), h.state().release_infos().len());
    assert!(mark(&h, "vSphere Supervisor v1.22").is_some());
}

#[test]
fn the_legend_hides_and_shows_a_line() {
    let mut h = open_fixtures();
    assert!(mark(&h, "vSphere Supervisor v1.22").is_some());
    button(&h, "vSphere Supervisor").click();
    h.run();
    assert!(h.state().hidden_lines().contains("vsphere supervisor"));
    assert!(mark(&h, "vSphere Supervisor v1.22").is_none());
    // Other lines stay.
    let other = h
        .state()
        .lines()
        .lines
        .iter()
        .find(|l| l.name != "vSphere Supervisor" && !l.releases.is_empty())
        .map(|l| l.name.clone())
        .expect("another line");
    assert!(
        h.query_all_by_label_contains(&format!("{other} v1."))
            .next()
            .is_some()
    );
    button(&h, "vSphere Supervisor").click();
    h.run();
    assert!(h.state().hidden_lines().is_empty());
    assert!(mark(&h, "vSphere Supervisor v1.22").is_some());
}

#[test]
fn the_release_list_groups_by_line_and_folds() {
    let mut h = open_fixtures();
    let supervisor = line_releases(h.state(), "vSphere Supervisor");
    let order = h.state().list_order();
    // Grouped: the line's releases sit together, oldest first.
    let at: Vec<usize> = supervisor
        .iter()
        .map(|i| order.iter().position(|o| o == i).expect("listed"))
        .collect();
    assert_eq!(at[1], at[0] + 1);
    assert_eq!(at[2], at[1] + 1);
    h.state_mut()
        .request(Command::ToggleLineFolded("vsphere supervisor".into()));
    h.run();
    let folded = h.state().list_order();
    assert_eq!(folded.len(), order.len() - 3);
    assert!(supervisor.iter().all(|i| !folded.contains(i)));
    // The product filter narrows the list and the charts to one line.
    h.state_mut()
        .request(Command::SetLineFilter(Some("vsphere supervisor".into())));
    h.run();
    assert_eq!(h.state().list_order(), supervisor);
    assert_eq!(h.state().charted().len(), 3);
    assert!(mark(&h, "v1.22").is_some());
}

#[test]
fn renaming_a_line_to_another_merges_them_and_is_kept() {
    let mut h = open_fixtures();
    let before = h.state().lines().lines.len();
    let acme = h
        .state()
        .lines()
        .lines
        .iter()
        .find(|l| l.name != "vSphere Supervisor")
        .map(|l| (l.key.clone(), l.releases.len()))
        .expect("a line");
    h.state_mut().request(Command::RenameLine {
        key: acme.0.clone(),
        name: Some("vSphere Supervisor".into()),
    });
    h.run();
    assert_eq!(h.state().lines().lines.len(), before - 1);
    assert_eq!(
        line_releases(h.state(), "vSphere Supervisor").len(),
        3 + acme.1
    );
    assert_eq!(
        h.state()
            .settings()
            .line_renames
            .get(&acme.0)
            .map(String::as_str),
        Some("vSphere Supervisor")
    );
    h.state_mut().request(Command::RenameLine {
        key: acme.0,
        name: None,
    });
    h.run();
    assert_eq!(h.state().lines().lines.len(), before);
}

/// 500 releases of 40 product lines, made from one small generated run.
fn many_lines(releases: usize, lines: usize) -> conformance_viewer::model::Corpus {
    let plan = SpecPlan {
        specs: 60,
        conformance: 40,
        failed: 1,
        skipped_conformance: 2,
        ..SpecPlan::default()
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    generate::write_release(&dir.path().join("v1.30"), &plan).expect("written");
    let mut loaded = ingest::load_paths(&[dir.path().to_path_buf()]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let base = loaded.releases.remove(0);
    generate::corpus_of_lines(&base, releases, lines, 5)
}

#[test]
fn five_hundred_releases_of_forty_lines_chart_the_latest_of_each_line() {
    let corpus = many_lines(500, 40);
    let mut h = harness_sized(ViewerApp::with_corpus(corpus), [1400.0, 900.0], false);
    h.run();
    assert_eq!(h.state().lines().lines.len(), 40);
    // More lines than a legend holds: one bar per line, each labelled,
    // lowest pass rate first, as many per page as have room for a label.
    let names: Vec<String> = (0..40).map(|n| format!("product-{n:02}")).collect();
    let first: Vec<&String> = names.iter().filter(|n| mark(&h, n).is_some()).collect();
    assert!(first.len() >= 20 && first.len() < 40, "{}", first.len());
    assert!(
        h.query_by_label_contains("lowest pass rate first")
            .is_some()
    );
    button(&h, "Next").click();
    h.run();
    let second: Vec<&String> = names.iter().filter(|n| mark(&h, n).is_some()).collect();
    assert_eq!(first.len() + second.len(), 40);
    assert!(second.iter().all(|n| !first.contains(n)));
    // Worst first: the first page's lowest pass rate is no higher than any
    // pass rate on the second.
    let rate = |name: &str| {
        let app = h.state();
        let line = app
            .lines()
            .lines
            .iter()
            .find(|l| l.name == name)
            .expect("line");
        let i = *line.releases.last().expect("a release");
        app.release_infos()[i].counts.pass_rate()
    };
    let worst_second = second.iter().map(|n| rate(n)).fold(f64::MAX, f64::min);
    let worst_first = first.iter().map(|n| rate(n)).fold(f64::MAX, f64::min);
    assert!(worst_first <= worst_second);
    let target = second[0].clone();
    // Hide all, show two: two series on the minor axis.
    button(&h, "Hide all").click();
    h.run();
    button(&h, "Lines shown: 0 of 40…").click();
    h.run();
    button(&h, "product-03").click();
    h.run();
    assert_eq!(h.state().hidden_lines().len(), 39);
    assert!(mark(&h, "product-03 v1.18").is_some());
    assert!(mark(&h, "product-04 v1.18").is_none());
    // A click on a line's bar charts that line alone.
    button(&h, "Show all").click();
    h.run();
    h.get_by_role_and_label(Role::Image, &target).click();
    h.run();
    let size = line_releases(h.state(), &target).len();
    assert!(size == 12 || size == 13, "{size}");
    assert_eq!(h.state().list_order().len(), size);
    assert!(mark(&h, "v1.30").is_some());
}

/// Snapshot of the Overview with every real result set: `../shared/data`
/// (the Supervisor and five vendors) plus `../shared/lines` (kind and
/// Kubermatic lines). Update with `UPDATE_SNAPSHOTS=true`.
#[test]
fn overview_of_the_shared_data_and_lines_snapshot() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lines = data.join("../lines");
    assert!(lines.is_dir(), "{} is missing", lines.display());
    let corpus = ingest::load_paths(&[data, lines]);
    assert_eq!(corpus.releases.len(), 13);
    let Some(mut h) =
        common::ui::rendering_harness(ViewerApp::with_corpus(corpus), [1400.0, 900.0])
    else {
        return;
    };
    h.run();
    // Seven lines, each a series; the Supervisor's two releases one line.
    assert_eq!(h.state().lines().lines.len(), 7);
    assert!(mark(&h, "vSphere Supervisor v1.18").is_some());
    assert!(mark(&h, "vSphere Supervisor v1.21").is_some());
    assert!(mark(&h, "kind v1.33").is_some());
    h.snapshot("overview-shared-lines");
}

/// Snapshot of the Overview with 500 generated releases of 40 lines.
#[test]
fn overview_of_500_releases_snapshot() {
    let corpus = many_lines(500, 40);
    let Some(mut h) =
        common::ui::rendering_harness(ViewerApp::with_corpus(corpus), [1400.0, 900.0])
    else {
        return;
    };
    h.run();
    h.snapshot("overview-500-releases");
}

/// With more releases than bars can carry a label, the Caveats chart keeps
/// only the releases with non-passing required tests, and says so: of 60
/// releases, the 3 left with failures are charted, each labelled.
#[test]
fn caveats_chart_of_many_releases_keeps_those_with_something_to_show() {
    let mut corpus = many_lines(60, 6);
    let kept: Vec<String> = corpus.releases[..3]
        .iter()
        .map(|r| r.label.clone())
        .collect();
    let passing = corpus.releases[3].label.clone();
    for r in &mut corpus.releases[3..] {
        for t in &mut r.tests {
            t.outcome = conformance_viewer::model::Outcome::Passed;
        }
    }
    let mut h = harness_sized(ViewerApp::with_corpus(corpus), [1400.0, 900.0], false);
    h.run();
    h.get_all_by_label("Caveats")
        .next()
        .expect("a Caveats tab")
        .click();
    for _ in 0..20 {
        h.run();
    }
    assert!(
        h.query_by_label_contains("Charting the 3 of 60 releases with non-passing required tests")
            .is_some()
    );
    // Each kept release is a bar that AccessKit names; a passing one is not.
    for label in &kept {
        assert!(mark(&h, label).is_some(), "{label}");
    }
    assert!(mark(&h, &passing).is_none());
}

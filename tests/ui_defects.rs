//! Known defects in the window: the detail pane, the document window at
//! the entry, the Caveats tab's section and the diff's "fixed as
//! documented".

mod common;

use common::ui::{harness, open_and_wait, wait_for};
use conformance_viewer::app::settings::Tab;
use conformance_viewer::app::tests_view::RowRef;
use conformance_viewer::app::{Command, SelectMode, ViewerApp};
use egui_kittest::kittest::Queryable;

fn open_line() -> egui_kittest::Harness<'static, ViewerApp> {
    let mut h = harness(ViewerApp::empty(Default::default()));
    open_and_wait(&mut h, vec![common::fixtures().join("defects")], 60);
    h.run();
    h
}

/// The release whose label ends with `suffix`, and its test named with `part`.
fn row(h: &egui_kittest::Harness<'static, ViewerApp>, suffix: &str, part: &str) -> RowRef {
    let app = h.state();
    let release = app
        .release_infos()
        .iter()
        .position(|i| i.label.ends_with(suffix))
        .expect("release");
    let infos = app.release_infos();
    let test = infos[release]
        .assessment
        .explanations
        .iter()
        .map(|(t, _)| *t)
        .find(|&t| {
            app.state().corpus.releases[release].tests[t]
                .name()
                .contains(part)
        })
        .expect("test");
    RowRef { release, test }
}

/// Show test `r` in the Tests tab, its release alone selected.
fn show_test(h: &mut egui_kittest::Harness<'static, ViewerApp>, r: RowRef) {
    h.state_mut().request(Command::SelectRelease {
        index: r.release,
        mode: SelectMode::Only,
    });
    h.state_mut().request(Command::SetTab(Tab::Tests));
    h.state_mut().request(Command::SelectTest(Some(r)));
    h.run();
}

#[test]
fn a_known_defect_shows_its_reason_fix_check_and_document() {
    let mut h = open_line();
    let r = row(&h, "v1.20", "projected service account token");
    show_test(&mut h, r);
    assert!(h.query_by_label("Known defect:").is_some());
    assert!(
        h.query_by_label_contains(
            "fixed in v1.21: contradicted by sprocket-conformance/results/v1.21"
        )
        .is_some()
    );
    assert!(
        h.query_by_label("Impact: Pods that read a projected token fail to start.")
            .is_some()
    );
    // The Tests table names it a known defect, not "unexplained".
    assert!(h.query_by_label("known defect").is_some());
    h.get_by_label_contains("at this entry").click();
    h.run();
    assert_eq!(
        h.state().defects_view().shown(),
        Some((
            "sprocket-conformance/results/v1.20/known-test-failures.md",
            5
        ))
    );
    wait_for(&mut h, 30, |app| app.defects_view().shown_text().is_some());
    h.run();
    assert!(
        h.state()
            .defects_view()
            .shown_text()
            .is_some_and(|t| t.contains("Widgets should frobnicate the gizmo"))
    );
    // The entry's line is in the window.
    assert!(
        h.query_by_label_contains(
            "- Test: `ServiceAccounts should mount projected service account token`"
        )
        .is_some()
    );
}

#[test]
fn the_caveats_tab_lists_known_defects_with_their_checks() {
    let mut h = open_line();
    h.state_mut().request(Command::SetTab(Tab::Caveats));
    h.run();
    assert!(h.query_by_label("Known defects").is_some());
    assert!(
        h.query_by_label(
            "fixed in v1.20: confirmed by sprocket-conformance/results/v1.20 (passed)"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains(
            "\"Widgets should frobnicate the gizmo\" matches no failed or skipped required test"
        )
        .is_some()
    );
    let r19 = row(&h, "v1.19", "cluster-info");
    let check = h.state().fix_check(r19.release, r19.test).cloned();
    assert!(matches!(
        check,
        Some(conformance_viewer::defects::FixCheck::Confirmed { .. })
    ));
}

#[test]
fn the_diff_says_fixed_as_documented() {
    let mut h = open_line();
    let a = row(&h, "v1.19", "cluster-info").release;
    let b = row(&h, "v1.20", "projected").release;
    h.state_mut().request(Command::SelectRelease {
        index: a,
        mode: SelectMode::Only,
    });
    h.state_mut().request(Command::SelectRelease {
        index: b,
        mode: SelectMode::Toggle,
    });
    h.state_mut().request(Command::SetTab(Tab::Diff));
    h.run();
    wait_for(&mut h, 30, |app| app.compare().diff().current().is_some());
    h.run();
    assert!(h.query_by_label("fixed as documented").is_some());
}

/// v1.19's cluster-info test ("master services") is called "control plane
/// services" from v1.20 on: the detail pane's status in every release
/// follows the rename, as the fix check does, and marks the renamed rows.
#[test]
fn the_status_list_follows_a_rename() {
    let mut h = open_line();
    let r = row(&h, "v1.19", "cluster-info");
    show_test(&mut h, r);
    assert!(
        h.query_by_label_contains(
            "fixed in v1.20: confirmed by sprocket-conformance/results/v1.20"
        )
        .is_some()
    );
    // Found in all three releases: none says it is missing, and the two
    // later ones are marked as renamed, naming the test there.
    assert!(
        h.query_all_by_label("not in this release").next().is_none(),
        "a release of the line is said not to have the renamed test"
    );
    let renamed: Vec<_> = h.query_all_by_label("(renamed)").collect();
    assert_eq!(renamed.len(), 2);
}

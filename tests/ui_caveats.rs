//! UI tests of the caveat views and the exports of the window, with
//! egui_kittest on the project's fixtures: verdicts in the release list,
//! the Caveats tab (unexplained tests first, one card per category, the
//! summary document), the caveat scope toggle, a user catalog, and
//! Export all through the path field (never the native dialog).

mod common;

use std::path::{Path, PathBuf};

use common::ui::{harness, launched, wait_for};
use conformance_viewer::app::caveats_view::CaveatAction;
use conformance_viewer::app::settings::Tab;
use conformance_viewer::app::tests_view::RowRef;
use conformance_viewer::app::verdict::{ReleaseInfo, Verdict};
use conformance_viewer::app::{Command, LaunchOptions, ViewerApp};
use conformance_viewer::ingest;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const PREEMPTION: &str =
    "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]";
const NODEPORT: &str =
    "[sig-network] Services should be able to create a functioning NodePort service [Conformance]";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn supervisor() -> PathBuf {
    fixtures().join("supervisor")
}

fn app_on(path: &Path) -> ViewerApp {
    let corpus = ingest::load_paths(&[path.to_path_buf()]);
    assert!(!corpus.releases.is_empty(), "nothing loaded from {path:?}");
    ViewerApp::with_corpus(corpus)
}

fn info<'a>(app: &'a ViewerApp, suffix: &str) -> &'a ReleaseInfo {
    app.release_infos()
        .iter()
        .find(|i| i.label.ends_with(suffix))
        .unwrap_or_else(|| panic!("no release ending in {suffix}"))
}

fn open_caveats_tab(harness: &mut Harness<'static, ViewerApp>) {
    // The tab comes before the Overview's "Caveats" column header.
    harness
        .get_all_by_label("Caveats")
        .next()
        .expect("a Caveats tab")
        .click();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Caveats);
    wait_for(harness, 20, |app| app.caveats_view().doc_settled());
}

#[test]
fn the_release_list_says_not_conformant_because_of_the_unexplained_test() {
    let mut harness = harness(app_on(&supervisor()));
    harness.run();
    let v120 = info(harness.state(), "v1.20");
    assert_eq!(v120.verdict, Verdict::NotConformant);
    assert!(v120.profile_applies, "wcp marks a Supervisor release");
    assert_eq!(v120.unexplained, 1);
    assert_eq!(v120.caveats.get("nodeport"), Some(&1));
    // KubeletManagedEtcHosts; HostPort and HostPath are tagged but not
    // required by conformance.yaml v1.20.
    assert_eq!(v120.caveats.get("host-namespaces"), Some(&1));
    assert_eq!(v120.caveats.get("hostpath"), None);
    assert_eq!(v120.assessment.tagged.total, 2);
    assert!(
        harness
            .query_all_by_label("not conformant")
            .next()
            .is_some(),
        "no verdict badge"
    );
    // The row says how many results the caveats explain and how many not.
    assert!(
        harness
            .query_all_by_label_contains("2 caveats · 1 unexplained")
            .next()
            .is_some()
    );
}

#[test]
fn the_caveats_tab_lists_the_unexplained_test_first_and_nodeport_in_its_card() {
    let mut harness = harness(app_on(&supervisor()));
    harness.run();
    open_caveats_tab(&mut harness);

    let unexplained = harness.get_by_label("Unexplained").rect();
    let preemption = harness.get_by_label(PREEMPTION).rect();
    // The chart's legend names the category too; the card comes after it.
    let card = harness
        .get_all_by_label("No NodePort Services")
        .last()
        .expect("a NodePort card")
        .rect();
    let nodeport = harness.get_by_label(NODEPORT).rect();
    let rule = harness.get_by_label("nodeport-functioning").rect();
    // Unexplained first, with the preemption test in it; then the card,
    // with the NodePort test and the rule that matched it.
    assert!(unexplained.top() < preemption.top());
    assert!(preemption.top() < card.top());
    assert!(card.top() < nodeport.top());
    assert!(nodeport.top() < rule.top());
    // The catalog's note says why the test stays unexplained.
    assert!(
        harness
            .query_all_by_label_contains("Catalog note: Not explained by VMware")
            .next()
            .is_some()
    );
    // Status per release.
    assert!(
        harness
            .query_all_by_label("v1.20: skipped")
            .next()
            .is_some()
    );
    // Only web links are offered for opening.
    assert!(
        harness
            .query_all_by_label_contains("VMware blog: Tanzu secure by design")
            .next()
            .is_some()
    );
}

#[test]
fn the_summary_document_is_shown_and_a_card_links_to_its_section() {
    let mut harness = harness(app_on(&supervisor()));
    harness.run();
    open_caveats_tab(&mut harness);
    let headings = harness.state().caveats_view().doc_headings();
    assert!(headings.contains(&"Known test failures (fixture)".to_string()));
    assert!(
        harness
            .query_by_label("Known test failures (fixture)")
            .is_some(),
        "the document's title is not rendered"
    );
    assert!(
        harness
            .query_all_by_label_contains("known-test-failures.md")
            .next()
            .is_some(),
        "the window does not say which file it shows"
    );
    // The first card is the NodePort one (catalog order).
    harness
        .get_all_by_label("Read in the summary document")
        .next()
        .expect("a link to the document")
        .click_accesskit();
    harness.run();
    assert_eq!(
        harness.state().caveats_view().doc_target(),
        Some("NodePort Services are not supported")
    );
}

#[test]
fn the_sample_brings_its_own_summary_document() {
    let mut harness = launched(LaunchOptions::default());
    harness.run();
    harness.state_mut().request(Command::SetTab(Tab::Caveats));
    harness.run();
    wait_for(&mut harness, 20, |app| app.caveats_view().doc_settled());
    assert!(
        harness
            .state()
            .caveats_view()
            .doc_headings()
            .contains(&"HostPath Volumes are limited in scope".to_string())
    );
    assert!(
        harness
            .query_all_by_label_contains("built in")
            .next()
            .is_some(),
        "the window does not say where the document comes from"
    );
}

#[test]
fn the_detail_pane_leads_to_the_category_card() {
    let app = app_on(&supervisor());
    let nodeport = app.corpus().releases[0]
        .tests
        .iter()
        .position(|t| t.name() == NODEPORT)
        .expect("the NodePort test");
    let mut harness = harness(app);
    harness.run();
    harness.state_mut().request(Command::SetTab(Tab::Tests));
    harness
        .state_mut()
        .request(Command::SelectTest(Some(RowRef {
            release: 0,
            test: nodeport,
        })));
    harness.run();
    assert!(harness.query_by_label("nodeport-functioning").is_some());
    harness
        .get_by_label("See the category in the Caveats tab")
        .click();
    harness.run();
    wait_for(&mut harness, 20, |app| app.caveats_view().doc_settled());
    assert_eq!(harness.state().tab(), Tab::Caveats);
    assert_eq!(
        harness.state().caveats_view().doc_target(),
        Some("NodePort Services are not supported")
    );
}

#[test]
fn turning_the_scope_on_for_another_release_changes_its_caveats() {
    let mut harness = harness(app_on(&fixtures()));
    harness.run();
    let acme = info(harness.state(), "cncf/v1.29/acme").clone();
    assert!(!acme.profile_applies);
    assert!(acme.caveats.is_empty());
    assert_eq!(acme.verdict, Verdict::NotConformant);

    harness
        .get_all_by_label(&acme.label)
        .next()
        .expect("the release row")
        .click_secondary();
    harness.run();
    harness
        .get_by_label("Apply the vSphere Supervisor caveats to this release")
        .click();
    harness.run();
    let forced = info(harness.state(), "cncf/v1.29/acme").clone();
    assert!(forced.profile_applies && forced.profile_forced);
    // Its skipped NodePort session-affinity-timeout spec is tagged but not
    // required by conformance.yaml v1.29, so no caveat counts it; its
    // failures stay unexplained.
    assert_eq!(forced.caveats.get("nodeport"), None);
    assert_eq!(forced.assessment.tagged.skipped, 1);
    assert_eq!(forced.verdict, Verdict::NotConformant);
    assert_eq!(forced.unexplained, 5);

    // And back off again.
    harness
        .state_mut()
        .request(Command::Caveats(CaveatAction::ToggleScope(
            acme.label.clone(),
        )));
    harness.run();
    assert!(info(harness.state(), "cncf/v1.29/acme").caveats.is_empty());
}

const USER_CATALOG: &str = r#"
[[categories]]
id = "scheduler-preemption"
title = "Preemption tests need node status writes"
what = "The test patches a Node's status with a fake extended resource."
impact = "Only the tests are affected."
workaround = "None needed."

[[categories.rules]]
id = "preemption-node-status"
reason = "patches Node status to advertise a fake extended resource"
all = ["schedulerpreemption"]
"#;

#[test]
fn a_user_catalog_that_explains_preemption_makes_v122_conformant_except_caveats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, USER_CATALOG).expect("write catalog");
    let mut harness = harness(app_on(&supervisor()));
    harness.run();
    assert_eq!(
        info(harness.state(), "v1.22").verdict,
        Verdict::NotConformant
    );
    harness
        .state_mut()
        .request(Command::Caveats(CaveatAction::UseFile(Some(file.clone()))));
    harness.step();
    wait_for(&mut harness, 20, |app| app.caveats().reading().is_none());
    assert_eq!(harness.state().caveats().file(), Some(file.as_path()));
    let v122 = info(harness.state(), "v1.22");
    assert_eq!(v122.verdict, Verdict::ConformantExceptCaveats);
    assert_eq!(v122.caveats.get("scheduler-preemption"), Some(&1));
    assert!(
        harness
            .query_all_by_label("conformant except caveats")
            .next()
            .is_some()
    );
    // The choice is remembered.
    assert_eq!(harness.state().settings().caveats_file, Some(file));
}

#[test]
fn a_bad_catalog_file_is_reported_and_the_built_in_catalog_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, "[[categories]]\nid = \"x\"\ntitle = ").expect("write");
    let options = LaunchOptions {
        paths: vec![supervisor()],
        caveats: Some(file.clone()),
        ..LaunchOptions::default()
    };
    let mut harness = launched(options);
    harness.step();
    wait_for(&mut harness, 60, |app| {
        app.caveats().reading().is_none() && !app.is_loading()
    });
    assert_eq!(harness.state().caveats().file(), None);
    let shown = file.display().to_string();
    assert!(
        harness
            .state()
            .notifications()
            .iter()
            .any(|n| n.title == shown),
        "no notification names {shown}"
    );
    // The built-in catalog still explains the Supervisor skips.
    assert_eq!(
        info(harness.state(), "v1.20").caveats.get("nodeport"),
        Some(&1)
    );
}

/// Type `path` into the export window's field and press Export. Without a
/// dialog portal (or zenity) the native dialog answers at once, leaving the
/// path field.
fn export_to(harness: &mut Harness<'static, ViewerApp>, field: &str, path: &Path) {
    wait_for(harness, 20, |app| !app.export_dialog().is_picking());
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .set_text_value_accesskit(&path.display().to_string());
    harness.run();
    harness.get_by_label("Export").click();
    harness.step();
}

#[test]
fn export_all_writes_every_file_and_asks_before_replacing() {
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("report");
    let mut harness = harness(app_on(&supervisor()));
    harness.run();

    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    assert!(harness.state().export_dialog().is_open());
    export_to(&mut harness, "Folder:", &target);
    wait_for(&mut harness, 60, |app| !app.export_dialog().is_running());
    for name in [
        "trend.png",
        "caveats.png",
        "duration.png",
        "trend.svg",
        "summary.csv",
        "tests.csv",
        "summary.json",
        "report.html",
    ] {
        assert!(target.join(name).is_file(), "{name} was not written");
    }
    assert!(!harness.state().export_dialog().is_open());
    let folder = target.display().to_string();
    assert!(
        harness
            .state()
            .notifications()
            .iter()
            .any(|n| n.title.contains(&folder)),
        "the success notification does not name {folder}"
    );

    // Again into the same folder: nothing is replaced without asking.
    std::fs::write(target.join("summary.csv"), "old").expect("write");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    export_to(&mut harness, "Folder:", &target);
    wait_for(&mut harness, 60, |app| !app.export_dialog().is_running());
    assert!(harness.state().export_dialog().is_asking_to_replace());
    assert!(harness.query_by_label("Replace existing files?").is_some());
    assert_eq!(
        std::fs::read_to_string(target.join("summary.csv")).expect("read"),
        "old"
    );
    harness.get_by_label("Replace").click();
    harness.step();
    wait_for(&mut harness, 60, |app| !app.export_dialog().is_running());
    assert!(!harness.state().export_dialog().is_open());
    let csv = std::fs::read_to_string(target.join("summary.csv")).expect("read");
    assert!(csv.contains("v1.22"), "summary.csv was not replaced");
}

#[test]
fn exporting_into_the_opened_results_is_refused_with_a_notification() {
    let results = tempfile::tempdir().expect("temp dir");
    let copy = results.path().join("supervisor");
    copy_dir(&supervisor(), &copy);
    let mut harness = harness(app_on(&copy));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.step();
    let inside = copy.join("exports");
    export_to(&mut harness, "Folder:", &inside);
    wait_for(&mut harness, 60, |app| !app.export_dialog().is_running());
    assert!(!inside.exists(), "something was written inside the results");
    assert!(
        harness
            .state()
            .notifications()
            .iter()
            .any(|n| n.title.contains("inside opened results")),
        "no notification explains the refusal"
    );
    // The window stays open for another path.
    assert!(harness.state().export_dialog().is_open());
}

#[test]
fn a_chart_exports_as_png_from_its_button() {
    let out = tempfile::tempdir().expect("temp dir");
    let file = out.path().join("my-trend.png");
    let mut harness = harness(app_on(&supervisor()));
    harness.run();
    harness
        .get_all_by_label("Export PNG…")
        .next()
        .expect("an export button on the trend chart")
        .click();
    harness.step();
    harness.step();
    assert!(harness.state().export_dialog().is_open());
    export_to(&mut harness, "File:", &file);
    wait_for(&mut harness, 60, |app| !app.export_dialog().is_running());
    let bytes = std::fs::read(&file).expect("the PNG was written");
    let image = image::load_from_memory(&bytes).expect("a PNG");
    // Scale 2 by default for crisp slides.
    assert_eq!((image.width(), image.height()), (2000, 1200));
    assert_eq!(harness.state().export_dialog().last_written(), &[file]);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

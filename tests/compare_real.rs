//! Comparison acceptance on the real result sets in `../shared/data`:
//! VMware's vSphere Supervisor runs v1.18 and v1.21, with Kubernetes'
//! conformance lists from `../shared/data/conformance-yaml`.

mod common;

use std::path::Path;

use conformance_viewer::analysis::Scope;
use conformance_viewer::caveats::Catalog;
use conformance_viewer::compare::{self, Diff, DiffEntry};
use conformance_viewer::conformance_list::ConformanceLists;
use conformance_viewer::ingest;
use conformance_viewer::model::{Corpus, Release, Status};

fn lists(data: &Path) -> ConformanceLists {
    let (lists, errors) = ConformanceLists::load_dir(&data.join("conformance-yaml"));
    assert!(errors.is_empty(), "{errors:?}");
    lists
}

fn vmware(data: &Path) -> Corpus {
    let corpus = ingest::load_paths(&[data.join("vsphere-supervisor-conformance")]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    corpus
}

fn release<'a>(corpus: &'a Corpus, suffix: &str) -> &'a Release {
    corpus
        .releases
        .iter()
        .find(|r| r.label.ends_with(suffix))
        .unwrap_or_else(|| panic!("no release ending in {suffix}"))
}

fn has(entries: &[DiffEntry], words: &str) -> bool {
    entries.iter().any(|e| e.name.contains(words))
}

fn vmware_diff(data: &Path, lists: Option<&ConformanceLists>) -> Diff {
    let corpus = vmware(data);
    compare::diff(
        release(&corpus, "v1.18"),
        release(&corpus, "v1.21"),
        lists,
        &Catalog::builtin(),
        &Scope::default(),
    )
}

#[test]
fn vmware_v1_18_to_v1_21() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    let d = vmware_diff(&data, Some(&lists));
    println!("{}", compare::render_diff(&d));

    // Same tests across the [k8s.io] -> [sig-...] rename: not newly skipped.
    assert!(!has(&d.newly_skipped, "KubeletManagedEtcHosts"));
    assert!(!has(
        &d.newly_skipped,
        "Should recreate evicted statefulset"
    ));
    assert!(!has(&d.added, "KubeletManagedEtcHosts"));
    assert!(!has(&d.removed, "KubeletManagedEtcHosts"));
    assert!(!has(&d.added, "Should recreate evicted statefulset"));

    assert!(has(
        &d.newly_skipped,
        "ResourceQuota should create a ResourceQuota and capture the life of a service"
    ));
    assert!(has(
        &d.newly_skipped,
        "should be able to change the type from ExternalName to ClusterIP"
    ));
    assert!(has(&d.added, "SchedulerPreemption"));
    assert!(has(&d.added, "validates basic preemption works"));
    assert!(has(
        &d.removed,
        "HostPath should give a volume the correct mode"
    ));

    // Newly skipped tests are conformance in both and were run in v1.18.
    for e in &d.newly_skipped {
        assert_eq!(e.to_status, Some(Status::Skipped), "{e:?}");
        assert!(
            matches!(e.from_status, Some(Status::Passed | Status::Failed)),
            "{e:?}"
        );
    }
    // The Supervisor profile applies: categories come from the catalog.
    assert!(
        d.newly_skipped
            .iter()
            .any(|e| e.name.contains("capture the life of a service")
                && e.category.as_deref() == Some("nodeport"))
    );
    assert!(d.newly_failing.is_empty() && d.fixed.is_empty());

    // Real renames in conformance.yaml between 1.18 and 1.21.
    let renamed: Vec<&str> = d.renamed.iter().map(|r| r.testname.as_str()).collect();
    assert!(renamed.contains(&"Kubectl, cluster info"), "{renamed:?}");
    assert!(
        renamed.contains(&"Scheduling, HostPort matching and HostIP and Protocol not-matching"),
        "{renamed:?}"
    );
    for r in &d.renamed {
        assert!(!has(&d.added, &r.to_name) && !has(&d.removed, &r.from_name));
    }

    // The JSON has the documented shape.
    let json = serde_json::to_value(&d).unwrap();
    for list in [
        "newly_failing",
        "fixed",
        "newly_skipped",
        "no_longer_skipped",
        "added",
        "removed",
        "renamed",
    ] {
        assert!(json[list].is_array(), "{list}");
    }
    let first = &json["newly_skipped"][0];
    assert!(first["name"].is_string() && first["to_status"] == "skipped");
}

#[test]
fn without_lists_the_renames_split() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let with = vmware_diff(&data, Some(&lists(&data)));
    let without = vmware_diff(&data, None);
    assert!(without.renamed.is_empty());
    assert_eq!(
        without.added.len(),
        with.added.len() + with.renamed.len(),
        "{}",
        compare::render_diff(&without)
    );
    assert!(has(&without.newly_skipped, "capture the life of a service"));
}

#[test]
fn every_conformance_test_of_the_shared_data_has_a_testname_or_is_known_extra() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    let corpus = ingest::load_paths(std::slice::from_ref(&data));
    for r in &corpus.releases {
        let Some(list) = compare::list_for(r, Some(&lists)) else {
            panic!("no list for {} ({:?})", r.label, r.version);
        };
        let unmatched: Vec<&str> = r
            .conformance_tests()
            .filter(|t| list.entry_for(t.name()).is_none())
            .map(|t| t.name())
            .collect();
        println!(
            "{}: {} conformance specs, {} not in conformance.yaml {}: {unmatched:#?}",
            r.label,
            r.conformance_tests().count(),
            unmatched.len(),
            list.label()
        );
        assert!(unmatched.len() <= 5, "{}: {unmatched:#?}", r.label);
    }
}

#[test]
fn history_of_the_shared_data() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    let corpus = ingest::load_paths(std::slice::from_ref(&data));
    let started = std::time::Instant::now();
    let h = compare::history(&corpus, Some(&lists));
    println!(
        "history: {} rows x {} columns in {:?}",
        h.rows.len(),
        h.columns.len(),
        started.elapsed()
    );
    assert_eq!(h.columns.len(), corpus.releases.len());
    assert_eq!(h.cells.len(), h.rows.len() * h.columns.len());
    // Every conformance test of every release sits in exactly one row.
    for (c, r) in corpus.releases.iter().enumerate() {
        let in_rows = (0..h.rows.len())
            .filter(|&row| h.cell(row, c).is_some_and(|cell| cell.conformance))
            .count();
        assert_eq!(in_rows, r.conformance_tests().count(), "{}", r.label);
    }
    // The v1.24 rows hold at least the 354 listed tests plus those that left.
    assert!(h.rows.len() >= 419, "{}", h.rows.len());

    let row = |words: &str| {
        h.rows
            .iter()
            .position(|r| r.names.iter().any(|n| n.contains(words)))
            .unwrap_or_else(|| panic!("no row {words}"))
    };
    let etc = row("KubeletManagedEtcHosts");
    assert_eq!(h.rows[etc].first_conformance, Some(0));
    assert!(h.row_cells(etc).iter().all(Option::is_some));
    let kubectl = &h.rows[row("should check if Kubernetes master services is included")];
    assert_eq!(kubectl.testname.as_deref(), Some("Kubectl, cluster info"));
    assert!(kubectl.names.len() >= 2, "{:?}", kubectl.names);
    assert!(kubectl.name.contains("control plane"));
    let pre = &h.rows[row("validates basic preemption works")];
    assert_eq!(pre.joined, Some(1));
    let host = &h.rows[row("HostPath should give a volume the correct mode")];
    assert_eq!((host.last_conformance, host.left), (Some(0), Some(1)));
    let svc = &h.rows[row("capture the life of a service")];
    assert!(svc.differs && svc.not_passing_anywhere);

    let slow = h.slowest_rows(5);
    assert_eq!(slow.len(), 5);
    println!("slowest:");
    for &i in &slow {
        println!(
            "  {:>8.1}s  {}",
            h.rows[i].max_duration_secs, h.rows[i].name
        );
    }
    for d in compare::suite_durations(&corpus) {
        println!(
            "  {:<45} suite {:?}s, conformance {:.0}s over {} tests",
            d.label, d.duration_secs, d.conformance_secs, d.conformance_ran
        );
    }
}

#[test]
fn history_scales_to_hundreds_of_releases() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    let base = ingest::load_paths(std::slice::from_ref(&data));
    let mut corpus = Corpus::default();
    for i in 0..40 {
        for r in &base.releases {
            let mut r = r.clone();
            r.label = format!("{}#{i:03}", r.label);
            corpus.releases.push(r);
        }
    }
    corpus.sort();
    corpus.intern();
    let started = std::time::Instant::now();
    let h = compare::history(&corpus, Some(&lists));
    let took = started.elapsed();
    println!(
        "{} releases: {} rows, built in {took:?}",
        corpus.releases.len(),
        h.rows.len()
    );
    assert_eq!(h.columns.len(), 320);
    assert!(took.as_secs() < 20, "{took:?}");
}

//! Ingest acceptance on the real, public result sets in `../shared/data`:
//! every figure must equal the suite's own verdict line in its e2e.log.

mod common;

use conformance_viewer::analysis;
use conformance_viewer::ingest;
use conformance_viewer::model::{Corpus, FailureKind, Outcome, Release, Status};

fn load_all() -> Option<Corpus> {
    let data = common::shared_data()?;
    Some(ingest::load_paths(&[data]))
}

fn release<'a>(corpus: &'a Corpus, label: &str) -> &'a Release {
    corpus
        .releases
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| {
            panic!(
                "no release {label}; have {:?}",
                corpus.releases.iter().map(|r| &r.label).collect::<Vec<_>>()
            )
        })
}

/// (label, specs, suite nodes, conformance total, passed, failed, skipped)
const EXPECTED: [(&str, u64, u64, u64, u64, u64, u64); 8] = [
    (
        "vsphere-supervisor-conformance/results/v1.18",
        4992,
        0,
        277,
        270,
        0,
        7,
    ),
    (
        "vsphere-supervisor-conformance/results/v1.21",
        5771,
        0,
        339,
        322,
        0,
        17,
    ),
    (
        "sonobuoy/results-4-e2e-failures.tar.gz",
        5771,
        0,
        339,
        21,
        4,
        314,
    ),
    (
        "k8s-conformance/v1.24/openshift-dedicated",
        6965,
        0,
        354,
        354,
        0,
        0,
    ),
    ("k8s-conformance/v1.25/aks", 7067, 3, 360, 360, 0, 0),
    ("k8s-conformance/v1.27/gke", 7207, 4, 378, 378, 0, 0),
    ("k8s-conformance/v1.30/kubermatic", 7197, 8, 402, 402, 0, 0),
    ("k8s-conformance/v1.33/kind", 6731, 4, 417, 417, 0, 0),
];

#[test]
fn the_shared_folder_holds_eight_releases_in_version_order() {
    let Some(corpus) = load_all() else { return };
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let labels: Vec<&str> = corpus.releases.iter().map(|r| r.label.as_str()).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(labels, expected);
}

#[test]
fn every_release_agrees_with_its_e2e_log() {
    let Some(corpus) = load_all() else { return };
    for (label, specs, nodes, total, passed, failed, skipped) in EXPECTED {
        let r = release(&corpus, label);
        let c = common::required_counts(r);
        assert_eq!(
            (r.tests.len() as u64, r.suite_nodes.len() as u64),
            (specs, nodes),
            "{label}: specs and suite nodes"
        );
        assert_eq!(
            (c.total, c.passed, c.failed, c.skipped),
            (total, passed, failed, skipped),
            "{label}: conformance counts"
        );
        let log = r
            .log
            .as_ref()
            .unwrap_or_else(|| panic!("{label}: no log verdict"));
        let s = r.spec_counts();
        assert_eq!(log.of, specs, "{label}: Ran N of M");
        assert_eq!(log.passed, s.passed, "{label}: passed vs log");
        assert_eq!(log.failed, s.failed, "{label}: failed vs log");
        assert_eq!(
            log.skipped,
            s.skipped + s.pending,
            "{label}: skipped vs log"
        );
        assert_eq!(log.success, s.failed == 0, "{label}: SUCCESS!/FAIL!");
        assert_eq!(r.agrees_with_log(), Some(true), "{label}");
    }
}

#[test]
fn versions_come_from_the_log_server_version_or_folder() {
    let Some(corpus) = load_all() else { return };
    let v118 = release(&corpus, "vsphere-supervisor-conformance/results/v1.18");
    assert_eq!(v118.kube_version.as_deref(), Some("v1.18.10+wcp.2"));
    assert_eq!(v118.e2e_version.as_deref(), Some("v1.18.2"));
    let v121 = release(&corpus, "vsphere-supervisor-conformance/results/v1.21");
    assert_eq!(v121.kube_version.as_deref(), Some("v1.21.0+vmware.wcp.2"));
    let tar = release(&corpus, "sonobuoy/results-4-e2e-failures.tar.gz");
    assert_eq!(tar.kube_version.as_deref(), Some("v1.21.1"));
    assert_eq!(tar.version, Some((1, 21, 1)));
    let gke = release(&corpus, "k8s-conformance/v1.27/gke");
    assert_eq!(gke.kube_version, None);
    assert_eq!(gke.version, Some((1, 27, 0)));
    let kind = release(&corpus, "k8s-conformance/v1.33/kind");
    let product = kind.product.as_ref().expect("PRODUCT.yaml");
    assert_eq!(product.name.as_deref(), Some("kind"));
    assert_eq!(product.kind.as_deref(), Some("installer"));
}

#[test]
fn failures_keep_their_text_and_match_the_log_summary() {
    let Some(corpus) = load_all() else { return };
    let ocp = release(&corpus, "k8s-conformance/v1.24/openshift-dedicated");
    let failed: Vec<_> = ocp
        .conformance_tests()
        .filter(|t| t.status() == Status::Failed)
        .collect();
    assert_eq!(failed.len(), 2);
    for t in &failed {
        assert!(
            t.name().contains("session affinity timeout"),
            "{}",
            t.name()
        );
        assert_eq!(t.outcome, Outcome::Failed(FailureKind::Failed));
        assert!(t.failure_text().is_some_and(|s| !s.is_empty()));
    }
    assert_eq!(ocp.log_failures.len(), 2);
    let log_keys: Vec<String> = ocp
        .log_failures
        .iter()
        .map(|n| conformance_viewer::ingest::names::identity_key(n))
        .collect();
    for t in failed {
        assert!(
            log_keys.contains(&t.key().to_string()),
            "{} not in log summary",
            t.key()
        );
    }
    let tar = release(&corpus, "sonobuoy/results-4-e2e-failures.tar.gz");
    let log = tar.log.as_ref().expect("log");
    assert_eq!((log.ran, log.passed, log.failed), (25, 21, 4));
    assert_eq!(tar.log_failures.len(), 4);
}

#[test]
fn the_malformed_extra_file_is_a_warning_not_an_error() {
    let Some(corpus) = load_all() else { return };
    let v121 = release(&corpus, "vsphere-supervisor-conformance/results/v1.21");
    assert!(
        v121.warnings
            .iter()
            .any(|w| w.contains("skipped_tests.xml") && w.contains("malformed")),
        "{:?}",
        v121.warnings
    );
}

#[test]
fn suite_nodes_are_kept_apart() {
    let Some(corpus) = load_all() else { return };
    let kkp = release(&corpus, "k8s-conformance/v1.30/kubermatic");
    assert_eq!(kkp.suite_nodes.len(), 8);
    assert!(
        kkp.tests
            .iter()
            .all(|t| !t.raw_name().starts_with("[Synchronized"))
    );
    assert!(kkp.tests.iter().all(|t| !t.name().starts_with("[It]")));
    assert!(kkp.tests.iter().any(|t| t.raw_name().starts_with("[It] ")));
}

#[test]
fn names_are_interned_across_releases() {
    let Some(corpus) = load_all() else { return };
    let a = release(&corpus, "vsphere-supervisor-conformance/results/v1.21");
    let b = release(&corpus, "sonobuoy/results-4-e2e-failures.tar.gz");
    // Keys are shared across releases and across the Ginkgo generations
    // (v1.21 writes v1 names, the tarball `[It] ` v2 ones); the other
    // names are one shared value wherever the raw name is the same.
    let mut shared_keys = 0;
    for ta in &a.tests {
        let Some(tb) = b.find(ta.key()) else { continue };
        assert!(std::sync::Arc::ptr_eq(&ta.names.key, &tb.names.key));
        shared_keys += 1;
    }
    assert!(shared_keys > 1000, "{shared_keys}");
    let c = release(&corpus, "k8s-conformance/v1.30/kubermatic");
    let d = release(&corpus, "k8s-conformance/v1.33/kind");
    let mut shared_raw = 0;
    for tc in &c.tests {
        let Some(td) = d.find(tc.key()) else { continue };
        if tc.raw_name() == td.raw_name() {
            assert!(std::sync::Arc::ptr_eq(&tc.names, &td.names));
            shared_raw += 1;
        }
    }
    assert!(shared_raw > 1000, "{shared_raw}");
}

#[test]
fn summary_json_has_the_contract_fields() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = ingest::load_paths(&[data.join("vsphere-supervisor-conformance")]);
    let doc = analysis::summarize(&corpus);
    let json: serde_json::Value = serde_json::to_value(&doc).expect("json");
    let r = &json["releases"][1];
    assert_eq!(r["label"], "results/v1.21");
    assert_eq!(r["kube_version"], "v1.21.0+vmware.wcp.2");
    assert_eq!(r["specs"], 5771);
    assert_eq!(r["suite_nodes"], 0);
    assert_eq!(r["conformance"]["total"], 339);
    assert_eq!(r["conformance"]["passed"], 322);
    assert_eq!(r["conformance"]["failed"], 0);
    assert_eq!(r["conformance"]["skipped"], 17);
    assert_eq!(r["log"]["ran"], 322);
    assert_eq!(r["log"]["of"], 5771);
    assert_eq!(r["log"]["skipped"], 5449);
    assert_eq!(r["log"]["success"], true);
    assert_eq!(r["agrees_with_log"], true);
    assert_eq!(r["non_passing"].as_array().map(Vec::len), Some(17));
    assert_eq!(r["non_passing"][0]["status"], "skipped");
    assert!(r["non_passing"][0]["message"].is_null());
    assert!(json["errors"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn identity_keys_are_unique_within_each_release() {
    let Some(corpus) = load_all() else { return };
    for r in &corpus.releases {
        let keys: std::collections::HashSet<&str> = r.tests.iter().map(|t| t.key()).collect();
        assert_eq!(keys.len(), r.tests.len(), "{}", r.label);
        for t in r.conformance_tests() {
            assert_eq!(
                *t.key(),
                conformance_viewer::ingest::names::identity_key(t.name()),
                "{}: a conformance test keeps its plain key",
                r.label
            );
        }
    }
}

#[test]
fn verdicts_and_categories_on_the_shared_data() {
    use conformance_viewer::analysis::Verdict;
    let Some(corpus) = load_all() else { return };
    let doc = analysis::summarize(&corpus);
    let get = |label: &str| {
        doc.releases
            .iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("{label}"))
    };
    let v118 = get("vsphere-supervisor-conformance/results/v1.18");
    assert_eq!(v118.verdict, Verdict::ConformantExceptCaveats);
    assert_eq!(v118.profile.as_deref(), Some("vsphere-supervisor"));
    assert_eq!(v118.caveats.get("host-namespaces"), Some(&4));
    assert_eq!(v118.caveats.get("nodeport"), Some(&2));
    assert_eq!(v118.caveats.get("hostpath"), Some(&1));
    // v1.21: the five skips the summary document does not explain keep it
    // from the caveat verdict; every other skip has a category.
    let v121 = get("vsphere-supervisor-conformance/results/v1.21");
    assert_eq!(v121.verdict, Verdict::NotConformant);
    let unexplained: Vec<&str> = v121
        .non_passing
        .iter()
        .filter(|t| t.category.is_none())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(unexplained.len(), 5, "{unexplained:?}");
    assert!(unexplained.iter().all(|n| n.contains("SchedulerPreemption")
        || n.contains("ExternalName to ClusterIP")
        || n.contains("session affinity timeout work for service with type clusterIP")));
    for t in &v121.non_passing {
        if t.name.contains("NodePort") {
            assert_eq!(t.category.as_deref(), Some("nodeport"), "{}", t.name);
        }
        if t.name.contains("HostPort")
            || t.name.contains("KubeletManagedEtcHosts")
            || t.name.contains("node-pod communication")
        {
            assert_eq!(t.category.as_deref(), Some("host-namespaces"), "{}", t.name);
        }
    }
    // VMware's caveats never excuse another product's failures.
    // Its two failures are the session-affinity-timeout specs, tagged
    // [Conformance] but not listed in conformance.yaml v1.24: every
    // required test passed (the CNCF accepted the submission).
    let ocp = get("k8s-conformance/v1.24/openshift-dedicated");
    assert_eq!(ocp.verdict, Verdict::Conformant);
    assert_eq!(ocp.required_from.label(), "conformance.yaml v1.24");
    assert_eq!((ocp.conformance.total, ocp.conformance.failed), (354, 0));
    assert_eq!((ocp.tagged.total, ocp.tagged.failed), (2, 2));
    assert_eq!(ocp.tagged_non_passing.len(), 2);
    assert!(
        ocp.tagged_non_passing
            .iter()
            .all(|t| t.name.contains("session affinity timeout"))
    );
    assert_eq!(ocp.profile, None);
    assert!(ocp.non_passing.is_empty());
    assert!(ocp.caveats.is_empty());
    assert_eq!(
        get("k8s-conformance/v1.33/kind").verdict,
        Verdict::Conformant
    );
    let tar = get("sonobuoy/results-4-e2e-failures.tar.gz");
    assert_eq!(tar.verdict, Verdict::NotConformant);
    assert_eq!(tar.profile, None);
}

#[test]
fn the_caveat_document_is_found_up_to_the_opened_root() {
    let Some(corpus) = load_all() else { return };
    let v118 = release(&corpus, "vsphere-supervisor-conformance/results/v1.18");
    let doc = v118.caveat_doc.as_ref().expect("known-test-failures.md");
    assert!(doc.ends_with("vsphere-supervisor-conformance/known-test-failures.md"));
    assert_eq!(
        release(&corpus, "k8s-conformance/v1.33/kind").caveat_doc,
        None
    );
    // Opened below the document's folder, it is out of reach.
    let data = common::shared_data().expect("shared");
    let only = ingest::load_paths(&[data.join("vsphere-supervisor-conformance/results/v1.21")]);
    assert_eq!(only.releases[0].caveat_doc, None);
}

/// Every release of the shared data built with its e2e.log read whole (in
/// memory, as a tarball's is) equals the release as loaded, where a run
/// with no non-passing required test has only the two ends of its log
/// read. aks (3.3 MB of log, everything passed) is read by its ends alone.
#[test]
fn a_log_read_by_its_ends_gives_what_the_whole_log_gives() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let limits = ingest::Limits::default();
    let progress = ingest::Progress::default();
    let (sources, errors) = ingest::discover::discover(&[data], &limits);
    assert!(errors.is_empty(), "{errors:?}");
    let mut by_ends = 0;
    for src in &sources {
        let ingest::discover::ReleaseSource::Folder {
            junit,
            log: Some(log),
            ..
        } = src
        else {
            continue;
        };
        let loaded = ingest::load_release(src, &limits, &progress).expect("loads");
        let whole = std::fs::read(log).expect("log");
        let files = ingest::ReleaseFiles {
            junit: junit
                .iter()
                .map(|p| (p.display().to_string(), std::fs::read(p).expect("junit")))
                .collect(),
            log: Some((log.display().to_string(), whole.clone())),
            ..Default::default()
        };
        let built = ingest::build_release(src, files, None, &limits).expect("builds");
        let label = &loaded.label;
        assert_eq!(loaded.log, built.log, "{label}");
        assert_eq!(loaded.kube_version, built.kube_version, "{label}");
        assert_eq!(loaded.e2e_version, built.e2e_version, "{label}");
        assert_eq!(loaded.started, built.started, "{label}");
        assert_eq!(loaded.log_failures, built.log_failures, "{label}");
        assert_eq!(loaded.log_lines, built.log_lines, "{label}");
        assert_eq!(loaded.duration_secs, built.duration_secs, "{label}");
        if loaded.bytes_read < built.bytes_read {
            by_ends += 1;
            assert!(label.contains("aks"), "{label} was read by its ends");
        }
    }
    assert_eq!(by_ends, 1, "aks's log is read by its ends");
}

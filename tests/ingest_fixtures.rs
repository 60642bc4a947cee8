//! Ingest on the project's own fixtures (`fixtures/`, see its README): every
//! figure asserted here is written down there too.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use conformance_viewer::ingest::load_paths;
use conformance_viewer::model::{
    Corpus, Counts, FailureKind, LogLocation, LogSummary, Origin, Outcome, Release, Status,
};

fn fixtures() -> PathBuf {
    common::fixtures()
}

fn load_all() -> Corpus {
    let corpus = load_paths(&[fixtures()]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    corpus
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

fn load_one(rel: &str) -> Release {
    let mut corpus = load_paths(&[fixtures().join(rel)]);
    assert!(corpus.errors.is_empty(), "{rel}: {:?}", corpus.errors);
    assert_eq!(corpus.releases.len(), 1, "{rel}");
    corpus.releases.remove(0)
}

fn counts(total: u64, passed: u64, failed: u64, skipped: u64, pending: u64) -> Counts {
    Counts {
        total,
        passed,
        failed,
        skipped,
        pending,
    }
}

fn names_with(r: &Release, status: Status, conformance: bool) -> HashSet<String> {
    r.tests
        .iter()
        .filter(|t| t.status() == status && t.conformance() == conformance)
        .map(|t| t.name().to_string())
        .collect()
}

/// The verdict figures of the log: (ran, of, passed, failed, pending, skipped, success).
fn verdict(log: &LogSummary) -> (u64, u64, u64, u64, u64, u64, bool) {
    (
        log.ran,
        log.of,
        log.passed,
        log.failed,
        log.pending,
        log.skipped,
        log.success,
    )
}

/// (label, specs, suite nodes, conformance (total, passed, failed, skipped),
/// every spec (passed, failed, skipped, pending))
type Figures = (&'static str, u64, usize, [u64; 4], [u64; 4]);

const FIGURES: [Figures; 18] = [
    (
        "defects/sprocket-conformance/results/v1.19",
        4,
        0,
        [4, 3, 1, 0],
        [3, 1, 0, 0],
    ),
    (
        "defects/sprocket-conformance/results/v1.20",
        6,
        0,
        [6, 4, 2, 0],
        [4, 2, 0, 0],
    ),
    (
        "supervisor/results/v1.20",
        30,
        0,
        // conformance.yaml v1.20 does not require HostPath (demoted) nor
        // HostPort (promoted in v1.21): 22 tagged, 20 required.
        [20, 17, 0, 3],
        [17, 0, 13, 0],
    ),
    (
        "defects/sprocket-conformance/results/v1.21",
        6,
        0,
        [6, 5, 1, 0],
        [5, 1, 0, 0],
    ),
    (
        "supervisor/results/v1.22",
        33,
        0,
        [24, 20, 0, 4],
        [20, 0, 13, 0],
    ),
    ("malformed-extra/v1.23", 12, 0, [8, 7, 1, 0], [7, 1, 4, 0]),
    (
        "supervisor/results/v1.24",
        33,
        0,
        [24, 21, 0, 3],
        [21, 0, 12, 0],
    ),
    ("disagree/v1.26", 14, 3, [10, 9, 1, 0], [9, 1, 4, 0]),
    (
        "sonobuoy/small-results.tar.gz",
        16,
        3,
        [10, 8, 2, 0],
        [8, 2, 6, 0],
    ),
    (
        "lines/gizmo-conformance/results/v1.28",
        24,
        3,
        [16, 16, 0, 0],
        [16, 0, 8, 0],
    ),
    // Its skipped session-affinity-timeout spec is tagged but not listed
    // in conformance.yaml v1.29: 10 tagged, 9 required.
    ("cncf/v1.29/acme", 14, 3, [9, 4, 5, 0], [4, 5, 4, 1]),
    (
        "lines/checkout-a/v1.29/widget",
        30,
        3,
        [18, 17, 1, 0],
        [17, 1, 12, 0],
    ),
    (
        "lines/gizmo-conformance/results/v1.29",
        26,
        3,
        [17, 15, 2, 0],
        [15, 2, 9, 0],
    ),
    ("cncf/v1.30/steady", 16, 3, [11, 11, 0, 0], [11, 0, 5, 0]),
    (
        "lines/checkout-b/v1.30/widget-k8s",
        32,
        3,
        [20, 20, 0, 0],
        [20, 0, 12, 0],
    ),
    ("cncf/v1.31/parallel", 18, 8, [12, 11, 1, 0], [11, 1, 6, 0]),
    (
        "lines/checkout-a/v1.31/widget",
        34,
        3,
        [21, 21, 0, 0],
        [21, 0, 13, 0],
    ),
    (
        "lines/checkout-b/v1.31/widget",
        34,
        3,
        [21, 18, 3, 0],
        [18, 3, 13, 0],
    ),
];

#[test]
fn the_fixtures_folder_opens_as_one_ordered_corpus() {
    let corpus = load_all();
    let labels: Vec<&str> = corpus.releases.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        FIGURES.iter().map(|f| f.0).collect::<Vec<_>>(),
        "ordered by Kubernetes version (v1.19.7 < v1.20.4 < v1.20.8 < v1.21.2 < v1.22 < v1.23 < v1.24 < v1.26 < v1.28.4 (tarball) < v1.28.9 < v1.29.2 < v1.29.6 < v1.29.8 < v1.30.4 < v1.30.5 < v1.31 (folder) < v1.31.2), then label"
    );
    let minors: Vec<Option<String>> = corpus.releases.iter().map(|r| r.minor_version()).collect();
    let expected: Vec<Option<String>> = [
        "1.19", "1.20", "1.20", "1.21", "1.22", "1.23", "1.24", "1.26", "1.28", "1.28", "1.29",
        "1.29", "1.29", "1.30", "1.30", "1.31", "1.31", "1.31",
    ]
    .iter()
    .map(|s| Some(s.to_string()))
    .collect();
    assert_eq!(minors, expected);
    for r in &corpus.releases {
        assert_eq!(r.root, fixtures(), "{}", r.label);
    }
}

#[test]
fn every_release_has_its_documented_figures() {
    let corpus = load_all();
    for (label, specs, nodes, conf, all) in FIGURES {
        let r = release(&corpus, label);
        assert_eq!(r.tests.len() as u64, specs, "{label}: specs");
        assert_eq!(r.suite_nodes.len(), nodes, "{label}: suite nodes");
        let c = common::required_counts(r);
        assert_eq!(
            [c.total, c.passed, c.failed, c.skipped],
            conf,
            "{label}: conformance"
        );
        assert_eq!(c.pending, 0, "{label}: no conformance spec is pending");
        let s = r.spec_counts();
        assert_eq!(
            s,
            counts(specs, all[0], all[1], all[2], all[3]),
            "{label}: every spec"
        );
        // Suite nodes are no specs: none of them is counted anywhere.
        assert!(
            r.tests
                .iter()
                .all(|t| !t.name().starts_with("[Synchronized") && !t.name().starts_with("[Report")),
            "{label}"
        );
    }
}

#[test]
fn the_log_agrees_everywhere_but_in_the_disagree_fixture() {
    let corpus = load_all();
    for r in &corpus.releases {
        let expected = r.label != "disagree/v1.26";
        assert_eq!(r.agrees_with_log(), Some(expected), "{}", r.label);
        assert_eq!(
            r.log_disagreements().is_empty(),
            expected,
            "{}: {:?}",
            r.label,
            r.log_disagreements()
        );
    }
    let expected_logs = [
        (
            "defects/sprocket-conformance/results/v1.19",
            (4, 4, 3, 1, 0, 0, false),
        ),
        (
            "defects/sprocket-conformance/results/v1.20",
            (6, 6, 4, 2, 0, 0, false),
        ),
        (
            "defects/sprocket-conformance/results/v1.21",
            (6, 6, 5, 1, 0, 0, false),
        ),
        ("supervisor/results/v1.20", (17, 30, 17, 0, 0, 13, true)),
        ("supervisor/results/v1.22", (20, 33, 20, 0, 0, 13, true)),
        ("malformed-extra/v1.23", (8, 12, 7, 1, 0, 4, false)),
        ("disagree/v1.26", (10, 14, 10, 0, 0, 4, true)),
        ("sonobuoy/small-results.tar.gz", (10, 16, 8, 2, 0, 6, false)),
        ("cncf/v1.29/acme", (9, 14, 4, 5, 1, 4, false)),
        ("cncf/v1.31/parallel", (12, 18, 11, 1, 0, 6, false)),
        (
            "lines/gizmo-conformance/results/v1.28",
            (16, 24, 16, 0, 0, 8, true),
        ),
        (
            "lines/gizmo-conformance/results/v1.29",
            (17, 26, 15, 2, 0, 9, false),
        ),
        (
            "lines/checkout-a/v1.29/widget",
            (18, 30, 17, 1, 0, 12, false),
        ),
        (
            "lines/checkout-b/v1.30/widget-k8s",
            (20, 32, 20, 0, 0, 12, true),
        ),
        (
            "lines/checkout-a/v1.31/widget",
            (21, 34, 21, 0, 0, 13, true),
        ),
        (
            "lines/checkout-b/v1.31/widget",
            (21, 34, 18, 3, 0, 13, false),
        ),
    ];
    for (label, figures) in expected_logs {
        let r = release(&corpus, label);
        let log = r
            .log
            .as_ref()
            .unwrap_or_else(|| panic!("{label}: no verdict"));
        assert_eq!(verdict(log), figures, "{label}");
    }
}

#[test]
fn the_disagreement_is_shown_not_hidden() {
    let r = load_one("disagree/v1.26");
    let d = r.log_disagreements();
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        d[0].contains("passed") && d[0].contains('9') && d[0].contains("10"),
        "{d:?}"
    );
    assert!(
        d[1].contains("failed") && d[1].contains('1') && d[1].contains('0'),
        "{d:?}"
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("disagree")),
        "{:?}",
        r.warnings
    );
    // The log believes in success; the JUnit has one failure.
    assert!(r.log.as_ref().is_some_and(|l| l.success));
    let failed: Vec<_> = r
        .tests
        .iter()
        .filter(|t| t.status() == Status::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].outcome, Outcome::Failed(FailureKind::Failed));
    assert!(failed[0].conformance());
}

/// (label, kube-apiserver version, version used for ordering)
type VersionFacts = (&'static str, Option<&'static str>, (u32, u32, u32));

#[test]
fn versions_come_from_the_log_else_serverversion_else_the_label() {
    let corpus = load_all();
    let expected: [VersionFacts; 10] = [
        (
            "defects/sprocket-conformance/results/v1.19",
            Some("v1.19.7"),
            (1, 19, 7),
        ),
        // v1.20.4: before the Supervisor's v1.20.8.
        (
            "defects/sprocket-conformance/results/v1.20",
            Some("v1.20.4"),
            (1, 20, 4),
        ),
        (
            "defects/sprocket-conformance/results/v1.21",
            Some("v1.21.2"),
            (1, 21, 2),
        ),
        (
            "supervisor/results/v1.20",
            Some("v1.20.8+vmware.wcp.1"),
            (1, 20, 8),
        ),
        (
            "supervisor/results/v1.22",
            Some("v1.22.6+vmware.wcp.1"),
            (1, 22, 6),
        ),
        ("malformed-extra/v1.23", Some("v1.23.5"), (1, 23, 5)),
        ("disagree/v1.26", Some("v1.26.3"), (1, 26, 3)),
        // No version line in this log: Sonobuoy's serverversion.json.
        ("sonobuoy/small-results.tar.gz", Some("v1.28.4"), (1, 28, 4)),
        ("cncf/v1.29/acme", Some("v1.29.2"), (1, 29, 2)),
        // No version line and no serverversion.json: the folder name.
        ("cncf/v1.31/parallel", None, (1, 31, 0)),
    ];
    for (label, kube, version) in expected {
        let r = release(&corpus, label);
        assert_eq!(r.kube_version.as_deref(), kube, "{label}");
        assert_eq!(r.version, Some(version), "{label}");
    }
    let r = release(&corpus, "supervisor/results/v1.20");
    assert_eq!(r.e2e_version.as_deref(), Some("v1.20.8"));
}

const SUPERVISOR_120_SKIPPED: [&str; 5] = [
    "[sig-network] Services should be able to create a functioning NodePort service [Conformance]",
    "[sig-network] HostPort validates that there is no conflict between pods with same hostPort but different hostIP and protocol [LinuxOnly] [Conformance]",
    "[k8s.io] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
    "[sig-storage] HostPath should give a volume the correct mode [LinuxOnly] [NodeConformance] [Conformance]",
    "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]",
];

#[test]
fn supervisor_skips_the_caveat_cases_and_one_unexplained_test() {
    let corpus = load_all();
    let v120 = release(&corpus, "supervisor/results/v1.20");
    let skipped = names_with(v120, Status::Skipped, true);
    let expected: HashSet<String> = SUPERVISOR_120_SKIPPED
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(skipped, expected);
    // Ginkgo v1 writes a bare <skipped/>: no reason.
    assert!(
        v120.tests
            .iter()
            .filter(|t| t.status() == Status::Skipped)
            .all(|t| t.message.is_none())
    );
    assert!(v120.files.iter().any(|f| f == "skipped_tests.xml"));
    assert!(v120.warnings.is_empty(), "{:?}", v120.warnings);
    assert!(v120.log_failures.is_empty());

    let v122 = release(&corpus, "supervisor/results/v1.22");
    let skipped = names_with(v122, Status::Skipped, true);
    let expected: HashSet<String> = [
        "[sig-network] Services should be able to create a functioning NodePort service [Conformance]",
        "[sig-network] HostPort validates that there is no conflict between pods with same hostPort but different hostIP and protocol [LinuxOnly] [Conformance]",
        "[sig-node] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
        "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(skipped, expected);
    // The HostPath test is still listed in v1.22, but no longer [Conformance].
    let hostpath = v122
        .tests
        .iter()
        .find(|t| {
            t.name()
                .starts_with("[sig-storage] HostPath should give a volume the correct mode")
        })
        .expect("HostPath test listed");
    assert!(!hostpath.conformance());
    assert_eq!(hostpath.status(), Status::Skipped);
    assert!(v122.warnings.is_empty(), "{:?}", v122.warnings);

    // `[k8s.io]` (v1.20) became `[sig-node]` (v1.22): one test across releases.
    for name in [
        "KubeletManagedEtcHosts should test kubelet managed /etc/hosts file",
        "Pods should be submitted and removed",
    ] {
        let a = v120.tests.iter().find(|t| t.name().contains(name)).unwrap();
        let b = v122.tests.iter().find(|t| t.name().contains(name)).unwrap();
        assert_ne!(a.name(), b.name());
        assert_eq!(a.key(), b.key(), "{name}");
        assert!(v122.find(a.key()).is_some());
    }
}

#[test]
fn supervisor_known_test_failures_document_has_the_four_sections() {
    let text =
        std::fs::read_to_string(fixtures().join("supervisor/known-test-failures.md")).unwrap();
    let headings: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert_eq!(
        headings,
        [
            "Host namespace access is not possible",
            "HostPath Volumes are limited in scope",
            "Only CSI-based PersistentVolumes are supported",
            "NodePort Services are not supported",
        ]
    );
}

#[test]
fn acme_has_every_ginkgo_v2_status() {
    let r = load_one("cncf/v1.29/acme");
    assert_eq!(r.label, "acme");
    let kinds: HashSet<FailureKind> = r
        .tests
        .iter()
        .filter_map(|t| match t.outcome {
            Outcome::Failed(k) => Some(k),
            _ => None,
        })
        .collect();
    let expected: HashSet<FailureKind> = [
        FailureKind::Failed,
        FailureKind::TimedOut,
        FailureKind::Aborted,
        FailureKind::Panicked,
        FailureKind::Interrupted,
    ]
    .into_iter()
    .collect();
    assert_eq!(kinds, expected);
    let by_name = |part: &str| {
        r.tests
            .iter()
            .find(|t| t.name().contains(part))
            .unwrap_or_else(|| panic!("no spec with {part}"))
    };
    assert_eq!(
        by_name("should serve endpoints on same port and different protocols").outcome,
        Outcome::Failed(FailureKind::Failed)
    );
    assert_eq!(
        by_name("should perform rolling updates and roll backs").outcome,
        Outcome::Failed(FailureKind::TimedOut)
    );
    assert_eq!(
        by_name("lifecycle of Pods and PodStatus").outcome,
        Outcome::Failed(FailureKind::Aborted)
    );
    let panicked = by_name("should be able to restart watching");
    assert_eq!(panicked.outcome, Outcome::Failed(FailureKind::Panicked));
    assert_eq!(
        panicked.message.as_deref(),
        Some("runtime error: invalid memory address or nil pointer dereference")
    );
    assert!(
        panicked
            .failure_text()
            .is_some_and(|t| t.starts_with("[PANICKED] runtime error")),
        "{:?}",
        panicked.failure_text()
    );
    assert!(
        panicked
            .output()
            .is_some_and(|o| o.contains("STEP: Creating a kubernetes client"))
    );
    assert_eq!(
        by_name("should support proxy with --port 0").outcome,
        Outcome::Failed(FailureKind::Interrupted)
    );

    let skipped = by_name("session affinity timeout work for NodePort service");
    assert!(skipped.conformance());
    assert_eq!(skipped.outcome, Outcome::Skipped);
    assert_eq!(
        skipped.message.as_deref(),
        Some("skipped - Requires at least 2 nodes (not 1)")
    );
    let pending = by_name("local redirect http liveness probe");
    assert_eq!(pending.outcome, Outcome::Pending);
    assert!(!pending.conformance());
    // Specs outside the focus are skipped with a bare "skipped".
    assert_eq!(
        by_name("should check kube-proxy urls").message.as_deref(),
        Some("skipped")
    );
    // The raw name keeps Ginkgo v2's "[It] "; the display name drops it.
    assert!(r.tests.iter().all(|t| t.raw_name().starts_with("[It] ")));
    assert!(r.tests.iter().all(|t| !t.name().starts_with("[It]")));
    let nodes: Vec<&str> = r.suite_nodes.iter().map(|t| t.name()).collect();
    assert_eq!(
        nodes,
        [
            "[SynchronizedBeforeSuite]",
            "[SynchronizedAfterSuite]",
            "[ReportAfterSuite] Kubernetes e2e suite report"
        ]
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        r.files,
        ["junit_01.xml", "e2e.log", "PRODUCT.yaml"],
        "files read"
    );
}

#[test]
fn acme_product_yaml_fields() {
    let r = load_one("cncf/v1.29/acme");
    let p = r.product.expect("PRODUCT.yaml read");
    assert_eq!(p.vendor.as_deref(), Some("Acme Corp"));
    assert_eq!(p.name.as_deref(), Some("Acme Kubernetes Engine"));
    assert_eq!(p.version.as_deref(), Some("v3.4.1"));
    assert_eq!(p.kind.as_deref(), Some("distribution"));
    assert!(
        p.description
            .as_deref()
            .is_some_and(|d| d.starts_with("Acme Kubernetes Engine is a fictional distribution"))
    );
    assert_eq!(
        p.website_url.as_deref(),
        Some("https://acme.example.com/ake")
    );
    assert_eq!(
        p.repo_url.as_deref(),
        Some("https://github.com/acme-example/ake")
    );
    assert_eq!(
        p.documentation_url.as_deref(),
        Some("https://docs.acme.example.com/ake/")
    );
    assert_eq!(
        p.product_logo_url.as_deref(),
        Some("https://acme.example.com/ake/logo.svg")
    );
    assert_eq!(
        p.contact_email_address.as_deref(),
        Some("conformance@acme.example.com")
    );
}

#[test]
fn acme_log_lists_its_five_failures() {
    let r = load_one("cncf/v1.29/acme");
    // The log carries ANSI colour codes; they are not part of any figure.
    let log = r.log.as_ref().expect("verdict");
    assert_eq!((log.passed, log.failed, log.pending), (4, 5, 1));
    assert_eq!(r.duration_secs.map(|d| d.round()), Some(810.0));
    // Ginkgo v2 prints [FAIL], [TIMEDOUT], [INTERRUPTED], [ABORTED] and
    // [PANICKED!] lines under "Summarizing 5 Failures:".
    let mut listed = r.log_failures.clone();
    listed.sort();
    assert_eq!(listed.len(), 5, "{listed:?}");
    for t in r.tests.iter().filter(|t| t.status() == Status::Failed) {
        let leaf = t.name().split(" should ").nth(1).unwrap();
        assert!(
            listed.iter().any(|l| l.contains(leaf)),
            "{} not in {listed:?}",
            t.name()
        );
    }
}

#[test]
fn a_parallel_run_of_three_junit_files_is_one_release() {
    let r = load_one("cncf/v1.31/parallel");
    assert_eq!(r.label, "parallel");
    assert_eq!(
        r.files,
        ["junit_01.xml", "junit_02.xml", "junit_03.xml", "e2e.log"]
    );
    // One suite-node set per process: 4 in process 1, 2 in each other.
    let mut nodes: Vec<&str> = r.suite_nodes.iter().map(|t| t.name()).collect();
    nodes.sort();
    assert_eq!(
        nodes,
        [
            "[ReportAfterSuite] Kubernetes e2e suite report",
            "[ReportBeforeSuite]",
            "[SynchronizedAfterSuite]",
            "[SynchronizedAfterSuite]",
            "[SynchronizedAfterSuite]",
            "[SynchronizedBeforeSuite]",
            "[SynchronizedBeforeSuite]",
            "[SynchronizedBeforeSuite]",
        ]
    );
    // Each spec appears in exactly one file.
    let names: HashSet<&str> = r.tests.iter().map(|t| t.raw_name()).collect();
    assert_eq!(names.len(), r.tests.len());
    assert_eq!(r.tests.len(), 18);
    // The processes ran at the same time: the suite's time is the longest.
    assert_eq!(r.duration_secs, Some(298.932852018));
    assert_eq!(r.log.as_ref().and_then(|l| l.duration_secs), Some(298.933));
    assert_eq!(r.log_failures.len(), 1);
    assert!(
        r.log_failures[0]
            .contains("should perform rolling updates and roll backs of template modifications"),
        "{:?}",
        r.log_failures
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn the_parallel_files_mimic_ginkgo_v2_per_process_reports() {
    let dir = fixtures().join("cncf/v1.31/parallel");
    let mut total_specs = 0;
    for (i, nodes) in [(1, 4), (2, 2), (3, 2)] {
        let text = std::fs::read_to_string(dir.join(format!("junit_0{i}.xml"))).unwrap();
        assert!(text.contains("<property name=\"ParallelTotal\" value=\"3\">"));
        let cases = text.matches("<testcase ").count();
        let specs = text.matches("<testcase name=\"[It] ").count();
        assert_eq!(cases - specs, nodes, "junit_0{i}.xml");
        total_specs += specs;
    }
    assert_eq!(total_specs, 18);
}

#[test]
fn the_sonobuoy_tarball_is_read_in_memory() {
    let path = fixtures().join("sonobuoy/small-results.tar.gz");
    let r = load_one("sonobuoy/small-results.tar.gz");
    assert_eq!(r.label, "small-results.tar.gz");
    assert_eq!(r.origin, Origin::Tarball(path.clone()));
    assert_eq!(
        r.log_location,
        Some(LogLocation::TarMember {
            tarball: path,
            member: "plugins/e2e/results/global/e2e.log".into()
        })
    );
    assert_eq!(r.kube_version.as_deref(), Some("v1.28.4"));
    assert_eq!(r.e2e_version, None);
    let kinds: Vec<FailureKind> = r
        .tests
        .iter()
        .filter_map(|t| match t.outcome {
            Outcome::Failed(k) => Some(k),
            _ => None,
        })
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&FailureKind::Failed) && kinds.contains(&FailureKind::TimedOut));
    assert_eq!(r.log_failures.len(), 2, "{:?}", r.log_failures);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.files.iter().any(|f| f.ends_with("junit_01.xml")));
    assert!(r.files.iter().any(|f| f.ends_with("serverversion.json")));

    // Its layout is Sonobuoy's.
    let bytes = std::fs::read(fixtures().join("sonobuoy/small-results.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let members: HashSet<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    for m in [
        "plugins/e2e/results/global/junit_01.xml",
        "plugins/e2e/results/global/e2e.log",
        "plugins/e2e/sonobuoy_results.yaml",
        "serverversion.json",
        "meta/info.json",
    ] {
        assert!(members.contains(m), "{m} missing from {members:?}");
    }
}

#[test]
fn a_malformed_extra_file_is_a_warning_naming_it() {
    let r = load_one("malformed-extra/v1.23");
    assert_eq!(r.tests.len(), 12);
    let warnings: Vec<&String> = r
        .warnings
        .iter()
        .filter(|w| w.contains("skipped_tests.xml"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", r.warnings);
    assert!(warnings[0].contains("malformed XML"), "{}", warnings[0]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    // Ginkgo v1: one failure, listed in the log under [Fail].
    assert_eq!(r.log_failures.len(), 1);
    let failed = r
        .tests
        .iter()
        .find(|t| t.status() == Status::Failed)
        .unwrap();
    assert_eq!(failed.outcome, Outcome::Failed(FailureKind::Failed));
    assert_eq!(failed.message.as_deref(), Some("Failure"));
    assert!(failed.failure_text().is_some());
    assert!(failed.output().is_some());
}

#[test]
fn labels_are_relative_to_the_opened_root() {
    let corpus = load_paths(&[fixtures().join("supervisor")]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let labels: Vec<&str> = corpus.releases.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["results/v1.20", "results/v1.22", "results/v1.24"]);
    let corpus = load_paths(&[fixtures().join("cncf")]);
    let labels: Vec<&str> = corpus.releases.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["v1.29/acme", "v1.30/steady", "v1.31/parallel"]);
}

#[test]
fn opening_a_junit_file_opens_its_release() {
    let corpus = load_paths(&[fixtures().join("supervisor/results/v1.22/junit_01.xml")]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert_eq!(corpus.releases.len(), 1);
    assert_eq!(corpus.releases[0].tests.len(), 33);
}

/// Every heading Ginkgo prints under `Summarizing N Failures:`: v1 `[Fail]`,
/// `[Timeout...]`, `[Panic!]`; v2 `[FAIL]`, `[TIMEDOUT]`, `[ABORTED]`,
/// `[PANICKED!]`, `[INTERRUPTED]`.
#[test]
fn generated_logs_list_every_failure_heading() {
    use conformance_viewer::generate::{Ginkgo, Run, SpecRecord};
    use conformance_viewer::ingest::e2e_log::scan_log;
    let kinds = |g: Ginkgo| match g {
        Ginkgo::V1 => vec![
            FailureKind::Failed,
            FailureKind::TimedOut,
            FailureKind::Panicked,
        ],
        Ginkgo::V2 => vec![
            FailureKind::Failed,
            FailureKind::TimedOut,
            FailureKind::Aborted,
            FailureKind::Panicked,
            FailureKind::Interrupted,
        ],
    };
    for g in [Ginkgo::V1, Ginkgo::V2] {
        let specs: Vec<SpecRecord> = kinds(g)
            .into_iter()
            .map(|k| {
                SpecRecord::new(
                    &format!("[sig-node] Pods should end as {} [Conformance]", k.as_str()),
                    Outcome::Failed(k),
                    3.0,
                    "test/e2e/common/node/pods.go:1",
                )
                .with_message("boom")
            })
            .collect();
        let run = Run {
            ginkgo: g,
            kube_version: "v1.24.0".into(),
            e2e_version: "v1.24.0".into(),
            print_versions: true,
            ansi: g == Ginkgo::V2,
            processes: 1,
            seed: 5,
            suite_nodes: Vec::new(),
            specs,
            duration_secs: 20.0,
        };
        let facts = scan_log(run.e2e_log().as_bytes());
        assert_eq!(facts.summary.map(|s| s.failed), Some(kinds(g).len() as u64));
        let mut listed = facts.failures.clone();
        listed.sort();
        for k in kinds(g) {
            assert!(
                listed
                    .iter()
                    .any(|l| l.contains(&format!("end as {}", k.as_str()))),
                "{g:?}: the {} spec is not among {listed:?}",
                k.as_str()
            );
        }
    }
}

#[test]
fn a_product_yaml_with_a_description_wrapped_to_column_0_keeps_its_vendor_and_name() {
    let corpus = load_all();
    let r = release(&corpus, "cncf/v1.30/steady");
    let product = r.product.as_ref().expect("PRODUCT.yaml read");
    assert_eq!(product.vendor.as_deref(), Some("Steady Systems"));
    assert_eq!(product.name.as_deref(), Some("Steady Kubernetes"));
    assert!(
        product
            .description
            .as_deref()
            .is_some_and(|d| d.contains("fixtures. Its description wraps onto a line")),
        "{:?}",
        product.description
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("PRODUCT.yaml: not valid YAML")
            && r.warnings[0].contains("read one by one"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_release_opened_on_its_own_takes_its_minor_from_the_folders_above() {
    // The log of `parallel` prints no version and its label is its own
    // name: the `v1.31` folder above it gives the minor.
    let corpus = load_paths(&[fixtures().join("cncf/v1.31/parallel")]);
    assert_eq!(corpus.releases.len(), 1);
    let r = &corpus.releases[0];
    assert_eq!(r.label, "parallel");
    assert_eq!(r.minor_version().as_deref(), Some("1.31"));
    assert_eq!(r.version_text(), "v1.31 (from the path)");
    // PRODUCT.yaml's version is the product's own: never the Kubernetes one.
    let steady = load_paths(&[fixtures().join("cncf/v1.30/steady")]);
    let r = &steady.releases[0];
    assert_eq!(r.minor_version().as_deref(), Some("1.30"));
    assert_eq!(
        r.product.as_ref().and_then(|p| p.version.as_deref()),
        Some("v1.30.4-steady.2")
    );
}

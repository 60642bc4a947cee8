//! Certification pre-check acceptance on the five CNCF submissions in
//! `../shared/data/k8s-conformance`, with Kubernetes' conformance lists.

mod common;

use std::path::Path;

use conformance_viewer::check::{self, CheckReport, Severity};
use conformance_viewer::conformance_list::ConformanceLists;
use conformance_viewer::ingest;

fn check_submission(data: &Path, lists: &ConformanceLists, folder: &str) -> CheckReport {
    let corpus = ingest::load_paths(&[data.join("k8s-conformance").join(folder)]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert_eq!(corpus.releases.len(), 1, "{folder}");
    let report = check::check(
        &corpus.releases[0],
        &conformance_viewer::caveats::Catalog::builtin(),
        Some(lists),
    );
    println!("{}", check::render_check(&report));
    report
}

fn lists(data: &Path) -> ConformanceLists {
    let (lists, errors) = ConformanceLists::load_dir(&data.join("conformance-yaml"));
    assert!(errors.is_empty(), "{errors:?}");
    lists
}

fn errors(r: &CheckReport) -> Vec<(&str, &str)> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code.as_str(), f.message.as_str()))
        .collect()
}

#[test]
fn openshift_dedicated_v1_24_fails_only_on_the_suites_own_fail() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let r = check_submission(&data, &lists(&data), "v1.24/openshift-dedicated");
    // Its two failures are [Conformance]-tagged specs that conformance.yaml
    // v1.24 does not list (the session-affinity-timeout tests): every
    // required test passed, as the CNCF's acceptance says.
    assert_eq!(r.version.as_deref(), Some("1.24"));
    assert_eq!((r.required, r.required_passed), (354, 354));
    assert_eq!(r.required_from, "conformance.yaml v1.24");
    assert_eq!(r.verdict.as_str(), "conformant");
    let codes: Vec<&str> = errors(&r).into_iter().map(|(code, _)| code).collect();
    assert!(!codes.contains(&"test-failed"), "{codes:?}");
    // The suite's own FAIL! is still reported, as the review would.
    assert_eq!(codes, vec!["log-fail"], "{:#?}", errors(&r));
    assert!(!r.passed);
    let tagged = r
        .findings
        .iter()
        .find(|f| f.code == "tagged-failed")
        .expect("the tagged failures are said");
    assert_eq!(tagged.severity, Severity::Warning);
    assert!(
        tagged
            .message
            .contains("session affinity timeout work for NodePort service"),
        "{}",
        tagged.message
    );
    assert!(
        tagged
            .message
            .contains("session affinity timeout work for service with type clusterIP"),
        "{}",
        tagged.message
    );
    // The JSON carries the verdict and the findings.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["passed"], false);
    assert_eq!(json["verdict"], "conformant");
    assert!(json["findings"].as_array().is_some_and(|f| !f.is_empty()));
}

#[test]
fn kind_v1_33_passes() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let r = check_submission(&data, &lists(&data), "v1.33/kind");
    assert!(r.passed, "{:#?}", errors(&r));
    // conformance-v1.33.yaml lists 419 tests, two of them (ServiceCIDR and
    // IPAddress API) with `release: v1.34`: not required for v1.33, as the
    // review bot reads it; kind ran and passed them anyway.
    assert_eq!(r.required, 417);
    assert_eq!(r.required_passed, 417);
    assert_eq!(r.required_from, "conformance.yaml v1.33");
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "not-yet-required" && f.message.contains("ServiceCIDR"))
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["passed"], true);
}

#[test]
fn every_cncf_submission_is_checked() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    for (folder, passes) in [
        ("v1.24/openshift-dedicated", false),
        ("v1.25/aks", true),
        ("v1.27/gke", true),
        ("v1.30/kubermatic", true),
        ("v1.33/kind", true),
    ] {
        let r = check_submission(&data, &lists, folder);
        assert_eq!(r.passed, passes, "{folder}: {:#?}", errors(&r));
        // Every listed test is in each submission's JUnit.
        assert!(
            !r.findings.iter().any(|f| f.code == "test-missing"),
            "{folder}"
        );
        assert!(
            !r.findings.iter().any(|f| f.code == "missing-file"),
            "{folder}"
        );
    }
}

#[test]
fn a_plain_results_folder_is_not_a_submission() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = lists(&data);
    let corpus = ingest::load_paths(&[data.join("vsphere-supervisor-conformance/results/v1.21")]);
    let r = check::check(
        &corpus.releases[0],
        &conformance_viewer::caveats::Catalog::builtin(),
        Some(&lists),
    );
    println!("{}", check::render_check(&r));
    assert!(!r.passed);
    let errs = errors(&r);
    assert!(
        errs.iter()
            .any(|(c, m)| *c == "missing-file" && m.contains("PRODUCT.yaml"))
    );
    assert!(
        errs.iter()
            .any(|(c, m)| *c == "missing-file" && m.contains("README.md"))
    );
    let skipped = errs.iter().filter(|(c, _)| *c == "test-skipped").count();
    assert_eq!(skipped, 17);

    let corpus = ingest::load_paths(&[data.join("sonobuoy/results-4-e2e-failures.tar.gz")]);
    let r = check::check(
        &corpus.releases[0],
        &conformance_viewer::caveats::Catalog::builtin(),
        Some(&lists),
    );
    assert!(!r.passed);
    assert!(r.findings.iter().any(|f| f.code == "not-a-submission"));
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.code == "test-failed")
            .count(),
        4
    );
}

#[test]
fn without_lists_the_junit_decides() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = ingest::load_paths(&[data.join("k8s-conformance/v1.33/kind")]);
    let r = check::check(
        &corpus.releases[0],
        &conformance_viewer::caveats::Catalog::builtin(),
        None,
    );
    assert!(r.passed, "{}", check::render_check(&r));
    assert_eq!(r.required, 419);
    assert!(r.findings.iter().any(|f| f.code == "no-conformance-list"));
}

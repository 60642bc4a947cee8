//! Where the e2e.log names each test, on the real shared results: the line
//! `summary --json` gives as `log_line` is about that test, for every
//! non-passing required test and a sample of passing ones.

mod common;

use conformance_viewer::ingest::e2e_log::clean;
use conformance_viewer::ingest::log_blocks::{LogIndex, normalise};
use conformance_viewer::ingest::{self, Limits};
use conformance_viewer::model::{LogLocation, Release, Status};

fn log_of(release: &Release) -> Option<Vec<u8>> {
    let limits = Limits::default();
    match release.log_location.as_ref()? {
        LogLocation::File(p) => ingest::read_capped(p, &limits).ok(),
        LogLocation::TarMember { tarball, member } => {
            ingest::tarball::read_member(tarball, member, &limits).ok()
        }
    }
}

/// Whether the 1-based `line` of `log` names the test `name`: the whole
/// name on the line, or split over it and the line before, or (renamed
/// containers) the line is the whole leaf the name ends with.
fn names(log: &[u8], line: usize, name: &str) -> bool {
    let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').collect();
    let at = normalise(&clean(lines[line - 1]));
    let before = if line >= 2 {
        normalise(&clean(lines[line - 2]))
    } else {
        String::new()
    };
    let key = normalise(name);
    at.contains(&key)
        || format!("{before} {at}") == key
        || (at.chars().count() >= 24 && key.ends_with(&format!(" {at}")))
}

#[test]
fn every_log_line_names_its_own_test() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = ingest::load_paths(&[data]);
    let mut checked = 0;
    let mut named = 0;
    for release in &corpus.releases {
        let Some(log) = log_of(release) else {
            continue;
        };
        let index = LogIndex::build(&log);
        let all: Vec<&str> = release.tests.iter().map(|t| t.name()).collect();
        // Every non-passing required test, and every seventh passing one.
        let wanted: Vec<usize> = release
            .tests
            .iter()
            .enumerate()
            .filter(|(i, t)| t.conformance() && (t.status() != Status::Passed || i % 7 == 0))
            .map(|(i, _)| i)
            .collect();
        let found = index.locate_many(&all, &wanted);
        for (&i, line) in wanted.iter().zip(found) {
            let t = &release.tests[i];
            let non_passing = t.status() != Status::Passed;
            checked += 1;
            let line = line.map(|l| l + 1);
            if non_passing {
                assert_eq!(
                    release.log_lines.get(&i).copied(),
                    line,
                    "{}: {} is located differently at load",
                    release.label,
                    t.name()
                );
            }
            if let Some(line) = line {
                named += 1;
                assert!(
                    names(&log, line, t.name()),
                    "{}: line {line} does not name {}",
                    release.label,
                    t.name()
                );
            }
        }
    }
    assert!(checked > 300, "only {checked} tests checked");
    assert!(named > 100, "only {named} tests named in the logs");

    // Supervisor v1.21 did not run NodePort-to-ExternalName; its log names
    // ClusterIP-to-ExternalName, whose name ends alike. No excerpt for it.
    let v121 = corpus
        .releases
        .iter()
        .find(|r| r.label.ends_with("results/v1.21"))
        .expect("Supervisor v1.21");
    let skipped = v121
        .tests
        .iter()
        .position(|t| {
            t.name()
                .contains("change the type from NodePort to ExternalName")
        })
        .expect("the NodePort test");
    assert_eq!(v121.log_lines.get(&skipped), None);
    // OpenShift's two failures are named in its log.
    let openshift = corpus
        .releases
        .iter()
        .find(|r| r.label.contains("openshift"))
        .expect("openshift");
    assert_eq!(openshift.log_lines.len(), 2, "{:?}", openshift.log_lines);
}

/// An index built for some tests locates each of them where the whole
/// index does, whatever their status: every real log, every third test
/// (and, in a second pass, every test at once).
#[test]
fn an_index_built_for_some_tests_locates_them_as_the_whole_index_does() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = ingest::load_paths(&[data]);
    let mut located = 0;
    let mut logs = 0;
    for release in &corpus.releases {
        let Some(log) = log_of(release) else {
            continue;
        };
        logs += 1;
        let whole = LogIndex::build(&log);
        let all: Vec<&str> = release.tests.iter().map(|t| t.name()).collect();
        for step in [3, 1] {
            let wanted: Vec<usize> = (0..all.len()).step_by(step).collect();
            let names: Vec<&str> = wanted.iter().map(|&i| all[i]).collect();
            let some = LogIndex::build_for(&log, &names);
            let a = whole.locate_many(&all, &wanted);
            let b = some.locate_many(&all, &wanted);
            assert_eq!(a, b, "{}: every {step}th test", release.label);
            located += a.iter().flatten().count();
        }
    }
    assert!(logs >= 6, "only {logs} logs");
    assert!(located > 1000, "only {located} tests located");
}

//! Built-in sample data, embedded in the binary so the app shows something
//! useful the first time it starts, even from an installed binary far from
//! this repository. The files are the project's own fixtures (made-up
//! products, real Kubernetes test names); every release is labelled
//! "Sample data/…" so nobody mistakes it for their own results.

use std::path::PathBuf;

use crate::ingest::{self, Limits, ReleaseFiles, ReleaseSource};
use crate::model::{Corpus, LoadError, Origin};

/// The label prefix of every sample release.
pub const SAMPLE_ROOT: &str = "Sample data";

struct Embedded {
    label: &'static str,
    junit: &'static [(&'static str, &'static [u8])],
    log: Option<&'static [u8]>,
    product: Option<&'static [u8]>,
}

const RELEASES: &[Embedded] = &[
    Embedded {
        label: "supervisor/results/v1.20",
        junit: &[(
            "junit_01.xml",
            include_bytes!("../fixtures/supervisor/results/v1.20/junit_01.xml"),
        )],
        log: Some(include_bytes!(
            "../fixtures/supervisor/results/v1.20/e2e.log"
        )),
        product: None,
    },
    Embedded {
        label: "supervisor/results/v1.22",
        junit: &[(
            "junit_01.xml",
            include_bytes!("../fixtures/supervisor/results/v1.22/junit_01.xml"),
        )],
        log: Some(include_bytes!(
            "../fixtures/supervisor/results/v1.22/e2e.log"
        )),
        product: None,
    },
    Embedded {
        label: "supervisor/results/v1.24",
        junit: &[(
            "junit_01.xml",
            include_bytes!("../fixtures/supervisor/results/v1.24/junit_01.xml"),
        )],
        log: Some(include_bytes!(
            "../fixtures/supervisor/results/v1.24/e2e.log"
        )),
        product: None,
    },
    Embedded {
        label: "cncf/v1.30/steady",
        junit: &[(
            "junit_01.xml",
            include_bytes!("../fixtures/cncf/v1.30/steady/junit_01.xml"),
        )],
        log: Some(include_bytes!("../fixtures/cncf/v1.30/steady/e2e.log")),
        product: None,
    },
    Embedded {
        label: "cncf/v1.29/acme",
        junit: &[(
            "junit_01.xml",
            include_bytes!("../fixtures/cncf/v1.29/acme/junit_01.xml"),
        )],
        log: Some(include_bytes!("../fixtures/cncf/v1.29/acme/e2e.log")),
        product: Some(include_bytes!("../fixtures/cncf/v1.29/acme/PRODUCT.yaml")),
    },
    Embedded {
        label: "cncf/v1.31/parallel",
        junit: &[
            (
                "junit_01.xml",
                include_bytes!("../fixtures/cncf/v1.31/parallel/junit_01.xml"),
            ),
            (
                "junit_02.xml",
                include_bytes!("../fixtures/cncf/v1.31/parallel/junit_02.xml"),
            ),
            (
                "junit_03.xml",
                include_bytes!("../fixtures/cncf/v1.31/parallel/junit_03.xml"),
            ),
        ],
        log: Some(include_bytes!("../fixtures/cncf/v1.31/parallel/e2e.log")),
        product: None,
    },
];

const TARBALL_LABEL: &str = "sonobuoy/small-results.tar.gz";
const TARBALL: &[u8] = include_bytes!("../fixtures/sonobuoy/small-results.tar.gz");

/// The summary document of the sample, rendered into the app's caveat view
/// when the sample is shown.
pub const CAVEAT_DOC: &str = include_str!("../fixtures/supervisor/known-test-failures.md");

fn sample_source(label: &str, tarball: bool) -> ReleaseSource {
    let root = PathBuf::from(SAMPLE_ROOT);
    let path = root.join(label);
    let label = format!("{SAMPLE_ROOT}/{label}");
    if tarball {
        ReleaseSource::Tarball {
            root,
            path: path.clone(),
            label,
            size: TARBALL.len() as u64,
            origin: Origin::Tarball(path),
        }
    } else {
        ReleaseSource::Folder {
            root,
            dir: path.clone(),
            label,
            junit: Vec::new(),
            log: None,
            product: None,
            server_version: None,
            extras: Vec::new(),
            size: 0,
            origin: Origin::Folder(path),
        }
    }
}

/// The sample releases, parsed with the same code as real input.
pub fn sample_corpus() -> Corpus {
    let limits = Limits::default();
    let mut corpus = Corpus::default();
    let mut push = |result: Result<crate::model::Release, Vec<LoadError>>| match result {
        Ok(r) => corpus.releases.push(r),
        Err(e) => corpus.errors.extend(e),
    };
    for e in RELEASES {
        let files = ReleaseFiles {
            junit: e
                .junit
                .iter()
                .map(|(n, b)| (n.to_string(), b.to_vec()))
                .collect(),
            log: e.log.map(|b| ("e2e.log".to_string(), b.to_vec())),
            product: e.product.map(|b| ("PRODUCT.yaml".to_string(), b.to_vec())),
            ..ReleaseFiles::default()
        };
        push(ingest::build_release(
            &sample_source(e.label, false),
            files,
            None,
            &limits,
        ));
    }
    let tar = ingest::tarball::read_tarball_from(TARBALL, TARBALL_LABEL, &limits)
        .map_err(|e| vec![e.to_load_error()])
        .and_then(|(files, _)| {
            ingest::build_release(&sample_source(TARBALL_LABEL, true), files, None, &limits)
        });
    push(tar);
    corpus.sort();
    corpus.intern();
    corpus
}

/// Whether a release label belongs to the sample.
pub fn is_sample_label(label: &str) -> bool {
    label.starts_with(SAMPLE_ROOT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_loads_like_the_fixtures_folder() {
        let sample = sample_corpus();
        assert!(sample.errors.is_empty(), "{:?}", sample.errors);
        assert_eq!(sample.releases.len(), 7);
        // A first-time user sees every verdict.
        let summary = crate::analysis::summarize(&sample);
        for verdict in ["conformant", "conformant-except-caveats", "not-conformant"] {
            assert!(
                summary
                    .releases
                    .iter()
                    .any(|r| serde_json::to_value(r.verdict).ok() == Some(verdict.into())),
                "no {verdict} release in the sample"
            );
        }
        assert!(sample.releases.iter().all(|r| is_sample_label(&r.label)));
        let labels: Vec<&str> = sample.releases.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels[0], "Sample data/supervisor/results/v1.20");
        let v120 = &sample.releases[0];
        let c = summary.releases[0].conformance;
        assert_eq!((c.total, c.passed, c.skipped), (20, 17, 3));
        assert_eq!(v120.agrees_with_log(), Some(true));
        let tar = sample
            .releases
            .iter()
            .find(|r| r.label.ends_with(TARBALL_LABEL))
            .unwrap();
        assert_eq!(tar.kube_version.as_deref(), Some("v1.28.4"));
        let tar_summary = summary
            .releases
            .iter()
            .find(|r| r.label == tar.label)
            .unwrap();
        assert_eq!(tar_summary.conformance.failed, 2);
        assert!(CAVEAT_DOC.contains("NodePort Services are not supported"));
    }
}

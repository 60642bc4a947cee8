//! Where a release sits does not depend on the folder it was opened from:
//! every figure of every release (its Kubernetes minor, product line, run
//! order, counts and verdict) is the same whether a tree is opened at its
//! root, from a parent whose name holds other versions
//! (`results-v1.24-v1.33`), or release by release.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use conformance_viewer::analysis::{Scope, summarize_with};
use conformance_viewer::caveats::Catalog;
use conformance_viewer::ingest;
use conformance_viewer::model::folder_version;

/// What must not move: by the release's canonical path.
type Figures = BTreeMap<PathBuf, String>;

fn figures(paths: &[PathBuf]) -> Figures {
    let corpus = ingest::load_paths(paths);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let doc = summarize_with(&corpus, &Catalog::builtin(), &Scope::default());
    doc.releases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let path = std::fs::canonicalize(&r.path).unwrap();
            // The line by its key: alone, a line is spelt as its one
            // release spells it; with others, as its newest does.
            let line = doc
                .lines
                .line_of(i)
                .map(|l| conformance_viewer::lines::line_key(&l.name));
            let run = doc.lines.runs.get(i).copied();
            let c = &r.conformance;
            (
                path,
                format!(
                    "minor {:?}, line {:?}, run {run:?}, required {} passed {} failed {} skipped {}, tagged {}, from {}, verdict {}",
                    r.kubernetes_minor,
                    line,
                    c.total,
                    c.passed,
                    c.failed,
                    c.skipped,
                    r.tagged.total,
                    r.required_from.label(),
                    r.verdict.as_str()
                ),
            )
        })
        .collect()
}

#[test]
fn folder_names_give_a_version_only_at_their_start() {
    assert_eq!(folder_version("v1.27"), Some((1, 27, 0)));
    assert_eq!(folder_version("V1.27"), Some((1, 27, 0)));
    assert_eq!(folder_version("v1.27.3"), Some((1, 27, 3)));
    assert_eq!(folder_version("v1.27-civo"), Some((1, 27, 0)));
    for no in [
        "results-v1.24-v1.33",
        "k8s-conformance-v1.24-v1.33",
        "kind-1.30",
        "1.30",
        "v2",
        "v2.1",
        "vendor",
        "v1",
        "v1.x",
    ] {
        assert_eq!(folder_version(no), None, "{no}");
    }
}

#[test]
fn every_figure_is_the_same_from_any_opened_folder() {
    let tmp = tempfile::tempdir().unwrap();
    // A parent whose own name holds versions, as an unpacked CNCF tree's.
    let root = tmp.path().join("results-v1.24-v1.33");
    let fixtures = common::fixtures();
    for set in ["cncf", "lines", "sonobuoy", "defects"] {
        common::copy_tree(&fixtures.join(set), &root.join(set));
    }
    let at_root = figures(std::slice::from_ref(&root));
    let from_parent = figures(&[tmp.path().to_path_buf()]);
    // Release by release: every folder that holds a JUnit, and the tarball.
    let corpus = ingest::load_paths(std::slice::from_ref(&root));
    let one_by_one: Figures = corpus
        .releases
        .iter()
        .flat_map(|r| figures(std::slice::from_ref(r.origin.path())))
        .collect();
    assert_eq!(at_root.len(), 13, "{at_root:#?}");
    // cncf/v1.31/parallel has neither a server version nor a log line
    // naming it: its folder gives v1.31, never the parent's v1.24.
    let parallel = at_root
        .iter()
        .find(|(p, _)| p.ends_with("cncf/v1.31/parallel"))
        .expect("the parallel run");
    assert!(
        parallel.1.starts_with("minor Some(\"1.31\")"),
        "{}",
        parallel.1
    );
    for (path, want) in &at_root {
        assert_eq!(
            from_parent.get(path),
            Some(want),
            "{}: opened from the parent",
            path.display()
        );
        let alone = one_by_one.get(path).expect("loaded alone");
        // Alone, a release has no other run of its line to be ordered
        // against, and a line of one release: compare what is its own.
        let own = |s: &str| {
            s.split(", run ")
                .next()
                .map(str::to_string)
                .unwrap_or_default()
                + &s.split_once(", required")
                    .map(|(_, r)| r.to_string())
                    .unwrap_or_default()
        };
        assert_eq!(own(alone), own(want), "{}: opened alone", path.display());
    }
}

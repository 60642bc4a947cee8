//! The app never writes where it reads: opening, browsing (in the window,
//! through egui_kittest), reading log excerpts, summarising, checking and
//! exporting leave the opened folders byte-for-byte unchanged.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use conformance_viewer::analysis::{Scope, summarize_with};
use conformance_viewer::caveats::Catalog;
use conformance_viewer::export::{ExportOptions, export_all};
use conformance_viewer::ingest;

/// A file's mode bits; on Windows, whether it is read-only.
#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode()
}

/// A file's mode bits; on Windows, whether it is read-only.
#[cfg(not(unix))]
fn mode(meta: &std::fs::Metadata) -> u32 {
    u32::from(meta.permissions().readonly())
}

/// Every file under `dir` (symlinks not followed) with its bytes and mode.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            if meta.is_dir() {
                stack.push(path);
                out.insert(rel, (Vec::new(), mode(&meta)));
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.insert(rel, (bytes, mode(&meta)));
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn opening_browsing_and_exporting_leave_the_results_unchanged() {
    let work = tempfile::tempdir().unwrap();
    let results = work.path().join("results");
    copy_tree(&common::fixtures(), &results);
    let before = snapshot(&results);
    assert!(before.len() > 20, "the fixtures were copied");

    // Headless: load, summarise, check, read excerpts, export elsewhere.
    let corpus = ingest::load_paths(std::slice::from_ref(&results));
    // fixtures/README.md: 18 releases.
    assert_eq!(corpus.releases.len(), 18, "{:?}", corpus.errors);
    let catalog = Catalog::builtin();
    let doc = summarize_with(&corpus, &catalog, &Scope::default());
    assert_eq!(doc.releases.len(), 18);
    for r in &corpus.releases {
        let _ = conformance_viewer::check::check(
            r,
            &conformance_viewer::caveats::Catalog::builtin(),
            None,
        );
        if let Some(conformance_viewer::model::LogLocation::TarMember { tarball, member }) =
            &r.log_location
        {
            let bytes =
                ingest::tarball::read_member(tarball, member, &ingest::Limits::default()).unwrap();
            assert!(!bytes.is_empty());
        }
    }
    let out = work.path().join("export");
    let mut opts = ExportOptions::new(&out);
    opts.opened_roots = vec![results.clone()];
    let written = export_all(
        &corpus,
        &catalog,
        &Scope::default(),
        conformance_viewer::conformance_index::builtin().ok(),
        &opts,
    )
    .unwrap();
    assert!(written.iter().all(|p| p.starts_with(&out)));
    // Exporting into the results is refused, and writes nothing there.
    let mut inside = ExportOptions::new(results.join("exports"));
    inside.opened_roots = vec![results.clone()];
    assert!(
        export_all(
            &corpus,
            &catalog,
            &Scope::default(),
            conformance_viewer::conformance_index::builtin().ok(),
            &inside
        )
        .is_err()
    );

    // In the window: the app on the same corpus, frames run, a release and
    // the Tests tab clicked.
    browse_in_the_window(corpus);

    assert_eq!(snapshot(&results), before, "the opened folder changed");
}

fn browse_in_the_window(corpus: conformance_viewer::model::Corpus) {
    use egui_kittest::kittest::Queryable;
    let app = conformance_viewer::app::ViewerApp::with_corpus(corpus);
    let mut harness = common::ui::harness(app);
    harness.run();
    // The first release of the first product line (Acme Kubernetes
    // Engine): always in view, however many fixtures there are.
    let release = harness.query_all_by_label("cncf/v1.29/acme").next();
    assert!(release.is_some(), "the release list shows the fixture");
    if let Some(node) = release {
        node.click();
    }
    harness.run();
    let tab = harness.query_all_by_label("Tests").next();
    if let Some(node) = tab {
        node.click();
    }
    harness.run();
    for _ in 0..5 {
        harness.step();
    }
}

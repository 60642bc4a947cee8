//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

#[cfg(feature = "gui")]
pub mod ui;

/// `../shared/data` beside the checkout, or `None` (with the reason printed)
/// when it is missing. With `CV_REQUIRE_SHARED=1` (set by `.ci/run`) a
/// missing folder fails the test instead of skipping it.
pub fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CV_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "CV_REQUIRE_SHARED=1 but {} is missing: the real-data tests cannot run",
            dir.display()
        );
    }
    eprintln!(
        "skipped: {} not found (real-data tests run in CI, where ../shared sits beside the checkout)",
        dir.display()
    );
    None
}

/// The project's own fixtures folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A release's required counts, as every output gives them (its
/// assessment, with the built-in conformance lists).
pub fn required_counts(
    release: &conformance_viewer::model::Release,
) -> conformance_viewer::model::Counts {
    conformance_viewer::analysis::summarize_release(
        release,
        &conformance_viewer::caveats::Catalog::builtin(),
        &conformance_viewer::analysis::Scope::default(),
    )
    .conformance
}

/// Copy a folder tree (files and folders only).
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

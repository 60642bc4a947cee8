//! Vendors' per-release known-failures documents: found beside a release,
//! in a tarball's root or in a folder above; matched to tests; the
//! documented fix checked along the product line across a rename; in
//! `summary --json`.

mod common;

use std::path::{Path, PathBuf};

use conformance_viewer::analysis;
use conformance_viewer::caveats::Catalog;
use conformance_viewer::conformance_list::ConformanceLists;
use conformance_viewer::defects::{self, FixCheck};
use conformance_viewer::ingest;
use conformance_viewer::lines::{Lines, Renames};
use conformance_viewer::model::Corpus;

fn line_dir() -> PathBuf {
    common::fixtures().join("defects/sprocket-conformance/results")
}

fn load(paths: &[PathBuf]) -> Corpus {
    let corpus = ingest::load_paths(paths);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    corpus
}

fn index(corpus: &Corpus, suffix: &str) -> usize {
    corpus
        .releases
        .iter()
        .position(|r| r.label.ends_with(suffix))
        .unwrap_or_else(|| panic!("no release {suffix}"))
}

#[test]
fn entries_match_their_tests_and_the_fixes_are_checked_across_a_rename() {
    let corpus = load(&[common::fixtures().join("defects")]);
    assert_eq!(corpus.releases.len(), 3);
    let (r19, r20, r21) = (
        index(&corpus, "v1.19"),
        index(&corpus, "v1.20"),
        index(&corpus, "v1.21"),
    );
    let v19 = &corpus.releases[r19];
    // The entry leaves out the `Kubectl client` describe block.
    assert_eq!(v19.known_defects.len(), 1);
    let d19 = &v19.known_defects[0];
    assert!(
        v19.tests[d19.test]
            .name()
            .contains("Kubernetes master services")
    );
    assert_eq!(d19.entry.fixed_minor(), Some((1, 20)));
    assert_eq!(
        v19.defect_doc.as_ref().map(|d| d.display.as_str()),
        Some("sprocket-conformance/results/v1.19/known-test-failures.md")
    );
    // The shortened name matches; the entry matching nothing is a warning
    // naming the entry and the file.
    let v20 = &corpus.releases[r20];
    assert_eq!(v20.known_defects.len(), 1);
    assert!(
        v20.tests[v20.known_defects[0].test]
            .name()
            .contains("projected service account token")
    );
    let warnings: Vec<&String> = v20
        .warnings
        .iter()
        .filter(|w| w.contains("Widgets should frobnicate the gizmo"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", v20.warnings);
    assert!(warnings[0].contains("v1.20/known-test-failures.md, line 14"));
    // v1.21 has no document.
    assert!(corpus.releases[r21].defect_doc.is_none());

    let lines = Lines::build(&corpus, &Catalog::builtin(), &Renames::new());
    let builtin = ConformanceLists::builtin();
    // Confirmed: v1.20 passed the test under its new name.
    assert_eq!(
        defects::check_fix(&corpus, &lines, Some(&builtin), r19, d19),
        FixCheck::Confirmed { release: r20 }
    );
    // Without the lists the renamed test cannot be found: unchecked.
    assert!(matches!(
        defects::check_fix(&corpus, &lines, None, r19, d19),
        FixCheck::Unchecked { .. }
    ));
    // Contradicted: v1.21 failed it again.
    let check = defects::check_fix(&corpus, &lines, Some(&builtin), r20, &v20.known_defects[0]);
    assert_eq!(
        check,
        FixCheck::Contradicted {
            release: r21,
            status: conformance_viewer::model::Status::Failed
        }
    );
    assert_eq!(
        check.sentence(Some("v1.21"), &corpus),
        "fixed in v1.21: contradicted by sprocket-conformance/results/v1.21 (failed there)"
    );
    // Loaded alone, the v1.20 release has no later release: unchecked.
    let alone = load(&[line_dir().join("v1.20")]);
    let lines_alone = Lines::build(&alone, &Catalog::builtin(), &Renames::new());
    assert!(matches!(
        defects::check_fix(
            &alone,
            &lines_alone,
            Some(&builtin),
            0,
            &alone.releases[0].known_defects[0]
        ),
        FixCheck::Unchecked { .. }
    ));
}

#[test]
fn known_defects_count_as_failures_with_their_own_word() {
    let corpus = load(&[common::fixtures().join("defects")]);
    let doc = analysis::summarize_with(&corpus, &Catalog::builtin(), &analysis::Scope::default());
    let json: serde_json::Value = serde_json::to_value(&doc).expect("json");
    let releases = json["releases"].as_array().expect("releases");
    let by_label = |suffix: &str| {
        releases
            .iter()
            .find(|r| r["label"].as_str().is_some_and(|l| l.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix}"))
    };
    let v19 = by_label("v1.19");
    assert_eq!(v19["verdict"], "not-conformant");
    assert_eq!(v19["known_defects"], 1);
    let issue = &v19["non_passing"][0]["known_issue"];
    assert_eq!(issue["fixed_in"], "v1.20");
    assert_eq!(issue["fix_check"], "confirmed");
    assert_eq!(
        issue["fix_check_release"],
        "sprocket-conformance/results/v1.20"
    );
    assert_eq!(
        issue["document"],
        "sprocket-conformance/results/v1.19/known-test-failures.md"
    );
    assert!(
        issue["reason"]
            .as_str()
            .is_some_and(|r| r.contains("inclusive terminology"))
    );
    let v20 = by_label("v1.20");
    assert_eq!(v20["known_defects"], 1);
    let non_passing = v20["non_passing"].as_array().expect("list");
    assert_eq!(non_passing.len(), 2);
    let documented: Vec<&serde_json::Value> = non_passing
        .iter()
        .filter(|n| !n["known_issue"].is_null())
        .collect();
    assert_eq!(documented.len(), 1);
    assert_eq!(documented[0]["known_issue"]["fix_check"], "contradicted");
    assert_eq!(
        documented[0]["known_issue"]["impact"],
        "Pods that read a projected token fail to start."
    );
    let v21 = by_label("v1.21");
    assert_eq!(v21["known_defects"], 0);
    assert!(v21["non_passing"][0]["known_issue"].is_null());
}

/// Copy the files of a release folder (not its subfolders) to `to`.
fn copy_release(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

#[test]
fn the_nearest_document_wins_and_a_category_document_is_not_one() {
    let tmp = tempfile::tempdir().expect("temp");
    let root = tmp.path().join("vendor");
    let release = root.join("results/v1.20");
    copy_release(&line_dir().join("v1.20"), &release);
    // A per-release document one folder up is farther than the release's
    // own; the category document at the root keeps its role.
    std::fs::write(
        root.join("results/known-test-failures.md"),
        "- Test: `Variable Expansion should fail substituting values in a volume subpath with absolute path`\n\tFixed: v1.22\n",
    )
    .expect("write");
    std::fs::write(
        root.join("known-test-failures.md"),
        "# Known failures\n\n## NodePort\n\nNot offered.\n",
    )
    .expect("write");
    let corpus = load(std::slice::from_ref(&root));
    let r = &corpus.releases[0];
    assert_eq!(r.known_defects.len(), 1);
    assert!(
        r.tests[r.known_defects[0].test]
            .name()
            .contains("projected")
    );
    assert_eq!(
        r.caveat_doc.as_deref(),
        Some(root.join("known-test-failures.md").as_path())
    );
    // Without its own document, the one above applies.
    std::fs::remove_file(release.join("known-test-failures.md")).expect("remove");
    let corpus = load(std::slice::from_ref(&root));
    let r = &corpus.releases[0];
    assert_eq!(r.known_defects.len(), 1);
    assert!(
        r.tests[r.known_defects[0].test]
            .name()
            .contains("Variable Expansion")
    );
    assert_eq!(
        r.defect_doc.as_ref().map(|d| d.display.as_str()),
        Some("results/known-test-failures.md")
    );
}

#[test]
fn a_document_at_a_tarball_root_is_read() {
    let tmp = tempfile::tempdir().expect("temp");
    let path = tmp.path().join("sprocket-v1.20.tar.gz");
    let file = std::fs::File::create(&path).expect("create");
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let src = line_dir().join("v1.20");
    for (name, member) in [
        ("junit_01.xml", "plugins/e2e/results/global/junit_01.xml"),
        ("e2e.log", "plugins/e2e/results/global/e2e.log"),
        ("known-test-failures.md", "known-test-failures.md"),
    ] {
        tar.append_path_with_name(src.join(name), member)
            .expect("append");
    }
    tar.into_inner().expect("tar").finish().expect("gz");
    let corpus = load(&[path]);
    let r = &corpus.releases[0];
    assert_eq!(r.known_defects.len(), 1);
    assert_eq!(
        r.defect_doc.as_ref().map(|d| d.display.as_str()),
        Some("sprocket-v1.20.tar.gz!known-test-failures.md")
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.starts_with("sprocket-v1.20.tar.gz!known-test-failures.md, line 14"))
    );
}

#[test]
fn the_report_has_a_known_defects_section_with_the_fix_checks() {
    let corpus = load(&[common::fixtures().join("defects")]);
    let catalog = Catalog::builtin();
    let doc = analysis::summarize_with(&corpus, &catalog, &analysis::Scope::default());
    let html = conformance_viewer::export::report_html(
        &doc,
        &catalog,
        &[],
        std::time::SystemTime::UNIX_EPOCH,
    );
    let at = html
        .find("<section id=\"known-defects\">")
        .expect("a known-defects section");
    let section = &html[at..at + html[at..].find("</section>").expect("its end")];
    assert_eq!(section.matches("<tr><td>").count(), 2, "{section}");
    assert!(section.contains("fixed in v1.20: confirmed by sprocket-conformance/results/v1.20"));
    assert!(section.contains("fixed in v1.21: contradicted by sprocket-conformance/results/v1.21"));
    assert!(section.contains("Pods that read a projected token fail to start."));
    // The v1.20 release counts one unexplained and one known defect.
    assert!(html.contains("2 non-passing: <span class=\"warn\">1 unexplained</span>, <a href=\"#known-defects\">1 known defect</a>, 0 explained by caveats."), "{html}");
}

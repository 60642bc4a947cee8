//! One run found twice is shown once: the same results opened from two
//! folders, and a submission folder that holds the Sonobuoy tarball its
//! loose files came from. A rerun that differs in one test stays two runs.

mod common;

use std::io::Read;
use std::path::Path;

use conformance_viewer::analysis::summarize;
use conformance_viewer::ingest;

/// A member of a gzipped tarball.
fn member(tarball: &Path, name: &str) -> Vec<u8> {
    let file = std::fs::File::open(tarball).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_string_lossy() == name {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            return bytes;
        }
    }
    panic!("{name} is not in {}", tarball.display());
}

#[test]
fn the_same_results_opened_from_two_folders_show_once() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("vmware-checkout");
    let b = tmp.path().join("a-second-copy");
    common::copy_tree(&common::fixtures().join("supervisor"), &a);
    common::copy_tree(&common::fixtures().join("supervisor"), &b);
    let alone = ingest::load_paths(std::slice::from_ref(&a));
    let both = ingest::load_paths(&[a.clone(), b.clone()]);
    assert!(both.errors.is_empty(), "{:?}", both.errors);
    assert_eq!(alone.releases.len(), 3);
    assert_eq!(both.releases.len(), 3, "each run once");
    for r in &both.releases {
        assert_eq!(r.also_at.len(), 1, "{}: {:?}", r.label, r.also_at);
        let other = Path::new(&r.also_at[0]);
        // The copy that is not shown is named, and it is the other folder.
        let shown_in_a = r.origin.path().starts_with(&a);
        assert_eq!(other.starts_with(&b), shown_in_a, "{}", r.label);
    }
    // No second run of a line: the summary says "run 1 of 1" for each.
    let doc = summarize(&both);
    assert!(doc.lines.runs.iter().all(|&(_, runs)| runs == 1));
    let json = serde_json::to_value(&doc).unwrap();
    for r in json["releases"].as_array().unwrap() {
        assert_eq!(r["also_at"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn a_submission_folder_with_its_own_tarball_is_one_release() {
    let tmp = tempfile::tempdir().unwrap();
    let tarball = common::fixtures().join("sonobuoy/small-results.tar.gz");
    let folder = tmp.path().join("v1.28/civo");
    std::fs::create_dir_all(&folder).unwrap();
    for name in ["junit_01.xml", "e2e.log"] {
        let bytes = member(&tarball, &format!("plugins/e2e/results/global/{name}"));
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    std::fs::write(
        folder.join("PRODUCT.yaml"),
        "vendor: Civo\nname: Civo Kubernetes\nversion: v1.28.4\n",
    )
    .unwrap();
    std::fs::copy(&tarball, folder.join("results.tar.gz")).unwrap();
    let corpus = ingest::load_paths(&[tmp.path().to_path_buf()]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert_eq!(
        corpus.releases.len(),
        1,
        "the tarball joins the folder's release"
    );
    let r = &corpus.releases[0];
    // The folder's release, with PRODUCT.yaml's line...
    assert_eq!(r.label, "v1.28/civo");
    assert_eq!(
        r.product.as_ref().and_then(|p| p.name.as_deref()),
        Some("Civo Kubernetes")
    );
    assert_eq!(r.line.name, "Civo Kubernetes");
    // ...and the server's version only the tarball knows.
    assert_eq!(r.kube_version.as_deref(), Some("v1.28.4"));
    assert_eq!(r.version, Some((1, 28, 4)));
    assert_eq!(r.also_at.len(), 1);
    assert!(r.also_at[0].ends_with("results.tar.gz"), "{:?}", r.also_at);
}

#[test]
fn a_rerun_that_differs_in_one_test_stays_two_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("run-a/results/v1.22");
    let second = tmp.path().join("run-b/results/v1.22");
    let source = common::fixtures().join("supervisor/results/v1.22");
    common::copy_tree(&source, &first);
    common::copy_tree(&source, &second);
    // One test took a little longer in the second run.
    let junit = std::fs::read_to_string(second.join("junit_01.xml")).unwrap();
    let case = junit.find("<testcase").expect("a test case");
    let at = case + junit[case..].find("time=\"").expect("its time") + "time=\"".len();
    let changed = format!("{}9{}", &junit[..at], &junit[at..]);
    assert_ne!(changed, junit);
    std::fs::write(second.join("junit_01.xml"), changed).unwrap();
    let corpus = ingest::load_paths(&[tmp.path().to_path_buf()]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert_eq!(corpus.releases.len(), 2);
    assert!(corpus.releases.iter().all(|r| r.also_at.is_empty()));
}

/// One run that two PRODUCT.yaml files name as two products (a vendor
/// certifying two offerings with one run) stays a release of each; the
/// same product submitted from two folders is one.
#[test]
fn one_run_of_two_products_stays_two() {
    let tmp = tempfile::tempdir().unwrap();
    let source = common::fixtures().join("cncf/v1.30/steady");
    let write = |folder: &str, name: &str| {
        let dir = tmp.path().join("v1.30").join(folder);
        common::copy_tree(&source, &dir);
        std::fs::write(
            dir.join("PRODUCT.yaml"),
            format!("vendor: Steady Systems\nname: {name}\n"),
        )
        .unwrap();
    };
    write("steady", "Steady Kubernetes");
    write("steady-cloud", "Steady Cloud");
    let corpus = ingest::load_paths(&[tmp.path().to_path_buf()]);
    assert_eq!(corpus.releases.len(), 2);
    assert!(corpus.releases.iter().all(|r| r.also_at.is_empty()));
    // The same product again, from an installer's folder: one release.
    write("steady-installer", "Steady  kubernetes");
    let corpus = ingest::load_paths(&[tmp.path().to_path_buf()]);
    assert_eq!(corpus.releases.len(), 2);
    let steady = corpus
        .releases
        .iter()
        .find(|r| r.label == "v1.30/steady")
        .expect("the first folder is kept");
    assert_eq!(steady.also_at.len(), 1);
    assert!(steady.also_at[0].ends_with("steady-installer"));
}

//! Hostile and broken input: one test per kind. Each builds a temporary
//! folder holding a good release (copied from `fixtures/`) and a bad one,
//! opens the parent, and checks that the bad input gets a clear message
//! naming its file while the good release still loads.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use conformance_viewer::generate::Rng;
use conformance_viewer::ingest::{Limits, Progress, load_paths, load_paths_with};
use conformance_viewer::model::{Corpus, LoadError, Release};

/// A temp dir with `good/` (the v1.22 Supervisor fixture) and an empty `bad/`.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        std::fs::create_dir(&good).unwrap();
        let src = common::fixtures().join("supervisor/results/v1.22");
        for f in ["junit_01.xml", "e2e.log"] {
            std::fs::copy(src.join(f), good.join(f)).unwrap();
        }
        std::fs::create_dir(dir.path().join("bad")).unwrap();
        Setup { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn bad(&self, name: &str) -> PathBuf {
        self.dir.path().join("bad").join(name)
    }

    fn write_bad(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.bad(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `bad/` gets a copy of the good JUnit, so that it loads.
    fn good_junit_in_bad(&self) {
        std::fs::write(self.bad("junit_01.xml"), self.good_junit()).unwrap();
    }

    /// The good JUnit as another run of it (one test's time differs), so
    /// that it is not taken for the good release found twice.
    fn good_junit(&self) -> Vec<u8> {
        let junit = std::fs::read_to_string(self.root().join("good/junit_01.xml")).unwrap();
        let case = junit.find("<testcase").expect("a test case");
        let at = case + junit[case..].find("time=\"").expect("its time") + "time=\"".len();
        format!("{}9{}", &junit[..at], &junit[at..]).into_bytes()
    }

    /// Load the root on another thread; fail if it takes over a minute.
    fn load(&self) -> Corpus {
        let root = self.root();
        within(Duration::from_secs(60), move || load_paths(&[root]))
    }

    fn load_with(&self, limits: Limits) -> Corpus {
        let root = self.root();
        within(Duration::from_secs(60), move || {
            load_paths_with(&[root], &limits, &Arc::new(Progress::default()), false)
        })
    }
}

/// Run `f` on a thread and wait at most `limit` for it.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("load".into())
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(limit)
        .unwrap_or_else(|e| panic!("loading did not finish within {limit:?}: {e}"))
}

/// The good release loaded in full.
fn assert_good(corpus: &Corpus) {
    let good = release(corpus, "good");
    assert_eq!(good.tests.len(), 33);
    assert_eq!(common::required_counts(good).passed, 20);
    assert_eq!(good.agrees_with_log(), Some(true));
}

fn release<'a>(corpus: &'a Corpus, label: &str) -> &'a Release {
    corpus
        .releases
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| {
            panic!(
                "no release {label}; have {:?}, errors {:?}",
                corpus.releases.iter().map(|r| &r.label).collect::<Vec<_>>(),
                corpus.errors
            )
        })
}

/// The one error about `file`: its path is the file (or `file!member`), or
/// its path is the folder and its message names the file.
fn error_for<'a>(corpus: &'a Corpus, file: &Path) -> &'a LoadError {
    let shown = file.display().to_string();
    let folder = file.parent().map(|p| p.display().to_string());
    let base = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let errors: Vec<&LoadError> = corpus
        .errors
        .iter()
        .filter(|e| {
            e.path == shown
                || e.path.starts_with(&format!("{shown}!"))
                || e.message.contains(&shown)
                || (Some(&e.path) == folder.as_ref() && e.message.contains(&base))
        })
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "expected one error naming {shown}; have {:?}",
        corpus.errors
    );
    errors[0]
}

fn warning_containing<'a>(r: &'a Release, parts: &[&str]) -> &'a str {
    r.warnings
        .iter()
        .find(|w| parts.iter().all(|p| w.contains(p)))
        .unwrap_or_else(|| panic!("no warning with {parts:?} in {:?}", r.warnings))
}

fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

#[test]
fn empty_file() {
    let s = Setup::new();
    let bad = s.write_bad("junit_01.xml", b"");
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(corpus.releases.len(), 1);
}

#[test]
fn binary_file() {
    let s = Setup::new();
    let bad = s.write_bad("junit_01.xml", &random_bytes(7, 64 * 1024));
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(
        e.message.contains("not a text file") || e.message.contains("not valid UTF"),
        "{e}"
    );
    assert!(e.message.len() < 300, "a short message, not the bytes: {e}");
}

#[test]
fn truncated_xml() {
    let s = Setup::new();
    let junit = s.good_junit();
    let bad = s.write_bad("junit_01.xml", &junit[..junit.len() / 2]);
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("malformed XML"), "{e}");
    assert!(e.message.contains("line"), "says where: {e}");
}

#[test]
fn not_xml_json() {
    let s = Setup::new();
    let bad = s.write_bad(
        "junit_01.xml",
        br#"{"testsuites": [{"name": "Kubernetes e2e suite", "tests": 3}]}"#,
    );
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("not XML"), "{e}");
}

#[test]
fn not_xml_html() {
    let s = Setup::new();
    let bad = s.write_bad(
        "junit_01.xml",
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
    );
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("not a JUnit report"), "{e}");
    assert!(e.message.contains("<html>"), "{e}");
}

fn deep_xml(levels: usize) -> Vec<u8> {
    let mut xml = b"<?xml version=\"1.0\"?><testsuites><testsuite>".to_vec();
    for _ in 0..levels {
        xml.extend_from_slice(b"<a>");
    }
    for _ in 0..levels {
        xml.extend_from_slice(b"</a>");
    }
    xml.extend_from_slice(b"</testsuite></testsuites>");
    xml
}

#[test]
fn deeply_nested_xml() {
    let s = Setup::new();
    let bad = s.write_bad("junit_01.xml", &deep_xml(100_000));
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("max_depth"), "{e}");
}

#[test]
fn deeply_nested_xml_within_a_raised_limit_does_not_overflow_the_stack() {
    let s = Setup::new();
    s.write_bad("junit_01.xml", &deep_xml(100_000));
    let corpus = s.load_with(Limits {
        max_depth: 1_000_000,
        ..Limits::default()
    });
    assert_good(&corpus);
    // Well-formed but without a single testcase.
    let bad = corpus.releases.iter().find(|r| r.label == "bad");
    if let Some(bad) = bad {
        assert!(bad.tests.is_empty());
    }
}

#[test]
fn deeply_nested_extra_file_is_a_warning() {
    let s = Setup::new();
    s.good_junit_in_bad();
    s.write_bad("skipped_tests.xml", &deep_xml(100_000));
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    warning_containing(bad, &["skipped_tests.xml", "max_depth"]);
}

#[test]
fn twenty_megabyte_attribute_is_cut_with_a_warning() {
    let s = Setup::new();
    let mut xml = b"<?xml version=\"1.0\"?>\n<testsuite name=\"Kubernetes e2e suite\" tests=\"1\">\n<testcase name=\"[sig-node] Pods should run ".to_vec();
    xml.resize(xml.len() + 20 * 1024 * 1024, b'A');
    xml.extend_from_slice(b" [Conformance]\" classname=\"Kubernetes e2e suite\" time=\"1.5\"></testcase>\n<testcase name=\"[sig-node] Pods should get a host IP [Conformance]\" time=\"2\"></testcase>\n</testsuite>\n");
    s.write_bad("junit_01.xml", &xml);
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert_eq!(bad.tests.len(), 2);
    let limit = Limits::default().max_attr_bytes;
    assert!(
        bad.tests[0].raw_name().len() <= limit,
        "cut at max_attr_bytes"
    );
    assert!(
        bad.tests[0]
            .raw_name()
            .starts_with("[sig-node] Pods should run AAAA")
    );
    warning_containing(bad, &["junit_01.xml", "max_attr_bytes"]);
}

#[test]
fn entity_declarations_are_never_expanded() {
    let s = Setup::new();
    s.write_bad(
        "junit_01.xml",
        br#"<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY e "EXPANDED-ENTITY-TEXT">]>
<testsuite name="Kubernetes e2e suite" tests="1">
<testcase name="[sig-node] Pods &e; should run [Conformance]" time="1"><failure type="Failure">before &e; after</failure></testcase>
</testsuite>
"#,
    );
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert_eq!(bad.tests.len(), 1);
    let t = &bad.tests[0];
    assert!(!t.raw_name().contains("EXPANDED"), "{}", t.raw_name());
    assert!(
        t.raw_name().contains("&e;"),
        "the reference is kept as text: {}",
        t.raw_name()
    );
    let text = t.failure_text().unwrap_or("");
    assert!(!text.contains("EXPANDED"), "{text}");
    assert!(text.starts_with("before"), "{text}");
}

#[test]
fn billion_laughs_finishes_quickly() {
    let s = Setup::new();
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        let refs: String = (0..10).map(|_| format!("&{prev};")).collect();
        xml.push_str(&format!(" <!ENTITY lol{i} \"{refs}\">\n"));
    }
    xml.push_str("]>\n<testsuite name=\"Kubernetes e2e suite\">\n<testcase name=\"[sig-node] &lol9; [Conformance]\" time=\"1\"><failure type=\"Failure\">&lol9;&lol9;</failure><system-out>&lol9;</system-out></testcase>\n</testsuite>\n");
    s.write_bad("junit_01.xml", xml.as_bytes());
    let start = std::time::Instant::now();
    let corpus = s.load();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert_eq!(bad.tests.len(), 1);
    let t = &bad.tests[0];
    assert!(t.raw_name().len() < 100, "{}", t.raw_name());
    assert!(t.failure_text().unwrap_or("").len() < 100);
    assert!(t.output().unwrap_or("").len() < 100);
}

#[test]
fn unsupported_encoding_is_named() {
    let s = Setup::new();
    let bad = s.write_bad(
        "junit_01.xml",
        b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<testsuite name=\"Kubernetes e2e suite\"><testcase name=\"\x83e\x83X\x83g\" time=\"1\"></testcase></testsuite>\n",
    );
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.to_lowercase().contains("shift_jis"), "{e}");
    assert!(e.message.contains("not supported"), "{e}");
}

#[test]
fn latin1_is_decoded() {
    let s = Setup::new();
    s.write_bad(
        "junit_01.xml",
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<testsuite name=\"Kubernetes e2e suite\"><testcase name=\"[sig-node] Caf\xe9 should serve cr\xe8me br\xfbl\xe9e [Conformance]\" time=\"1\"></testcase></testsuite>\n",
    );
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert_eq!(
        bad.tests[0].name(),
        "[sig-node] Café should serve crème brûlée [Conformance]"
    );
}

// Unix only: mode bits, FIFOs and symlinks have no like on Windows here;
// a folder named junit_01.xml stands for an unreadable file everywhere.
#[cfg(unix)]
/// Whether this process can read a file whatever its mode (root can).
fn mode_bits_are_bypassed(path: &Path) -> bool {
    std::fs::File::open(path).is_ok()
}

#[cfg(unix)]
#[test]
fn unreadable_junit_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    let bad = s.write_bad("junit_01.xml", &s.good_junit());
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o000)).unwrap();
    if mode_bits_are_bypassed(&bad) {
        // Running as root: chmod 000 does not stop reading. The unreadable
        // cases that hold for root are a directory and a FIFO named
        // junit_01.xml (the tests below).
        eprintln!("skipped: mode 000 is still readable (running as root)");
        return;
    }
    let corpus = s.load();
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(e.message.contains("cannot read"), "{e}");
}

#[cfg(unix)]
/// A FIFO named junit_01.xml with no writer: opening it would block forever.
fn fifo_setup() -> (Setup, PathBuf) {
    let s = Setup::new();
    let fifo = s.bad("junit_01.xml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    (s, fifo)
}

#[cfg(unix)]
#[test]
fn fifo_named_like_a_junit_never_blocks() {
    let (s, _fifo) = fifo_setup();
    let corpus = s.load();
    assert_good(&corpus);
    assert_eq!(corpus.releases.len(), 1);
}

#[cfg(unix)]
#[test]
fn fifo_named_like_a_junit_is_named() {
    let (s, fifo) = fifo_setup();
    let corpus = s.load();
    assert_good(&corpus);
    // Any clear words will do, as long as the FIFO is named.
    let e = error_for(&corpus, &fifo);
    assert!(!e.message.is_empty(), "{e}");
}

#[test]
fn junit_that_is_a_directory_is_named() {
    let s = Setup::new();
    let bad = s.bad("junit_01.xml");
    std::fs::create_dir(&bad).unwrap();
    let corpus = s.load();
    assert_good(&corpus);
    let e = error_for(&corpus, &bad);
    assert!(!e.message.is_empty(), "{e}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_finishes() {
    let s = Setup::new();
    std::os::unix::fs::symlink("..", s.root().join("good/loop")).unwrap();
    std::os::unix::fs::symlink(s.root(), s.bad("up")).unwrap();
    let corpus = s.load();
    assert_good(&corpus);
    // Followed links would have found `good` again under another label.
    assert_eq!(
        corpus.releases.len(),
        1,
        "{:?}",
        corpus.releases.iter().map(|r| &r.label).collect::<Vec<_>>()
    );
}

/// The Windows form of the loop above: a junction (which needs no
/// privilege, unlike a symlink) back to the root. Compiled by CI's Windows
/// check; run only on Windows.
#[cfg(windows)]
#[test]
fn junction_loop_finishes() {
    let s = Setup::new();
    let link = s.root().join("good").join("loop");
    let status = std::process::Command::new("cmd")
        .args(["/C", "mklink", "/J"])
        .arg(&link)
        .arg(s.root())
        .status()
        .expect("mklink");
    assert!(status.success(), "mklink /J failed");
    let corpus = s.load();
    assert_good(&corpus);
    assert_eq!(corpus.releases.len(), 1);
}

/// Every path under `dir`, links not followed.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A tar header with a raw, unchecked name (the `tar` crate refuses `..`
/// and absolute names, which is the point of these tests).
fn raw_header(name: &str, kind: tar::EntryType, size: u64, link: Option<&str>) -> tar::Header {
    let mut h = tar::Header::new_old();
    {
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name.as_bytes());
        if let Some(link) = link {
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
    }
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(1_700_000_000);
    h.set_entry_type(kind);
    h.set_cksum();
    h
}

#[test]
fn tarball_members_with_evil_names_and_links_are_skipped() {
    let s = Setup::new();
    let junit = s.good_junit();
    let log = std::fs::read(s.root().join("good/e2e.log")).unwrap();
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let g = tar::EntryType::Regular;
    for (name, data) in [
        ("plugins/e2e/results/global/junit_01.xml", &junit[..]),
        ("plugins/e2e/results/global/e2e.log", &log[..]),
        ("../evil", b"evil".as_slice()),
        ("/etc/evil", b"evil".as_slice()),
        (
            "plugins/../../evil_junit_01.xml",
            b"<testsuite/>".as_slice(),
        ),
    ] {
        b.append(&raw_header(name, g, data.len() as u64, None), data)
            .unwrap();
    }
    for (name, kind, target) in [
        (
            "plugins/e2e/results/global/junit_02.xml",
            tar::EntryType::Symlink,
            "/etc/passwd",
        ),
        (
            "plugins/e2e/results/global/junit_03.xml",
            tar::EntryType::Link,
            "../../../../etc/shadow",
        ),
    ] {
        b.append(&raw_header(name, kind, 0, Some(target)), std::io::empty())
            .unwrap();
    }
    let bytes = b.into_inner().unwrap().finish().unwrap();
    let tarball = s.bad("evil.tar.gz");
    std::fs::write(&tarball, bytes).unwrap();

    let etc_evil_before = Path::new("/etc/evil").exists();
    let before = tree(&s.root());
    // `../evil` from the temp dir or from `bad/`.
    let beside = [
        s.root().parent().unwrap().join("evil"),
        s.root().join("evil"),
    ];
    let beside_before: Vec<bool> = beside.iter().map(|p| p.exists()).collect();
    let corpus = s.load();
    assert_eq!(tree(&s.root()), before, "nothing was written");
    let beside_after: Vec<bool> = beside.iter().map(|p| p.exists()).collect();
    assert_eq!(
        beside_before, beside_after,
        "nothing was written beside the temp dir"
    );
    assert_eq!(Path::new("/etc/evil").exists(), etc_evil_before);

    assert_good(&corpus);
    let r = release(&corpus, "bad/evil.tar.gz");
    assert_eq!(r.tests.len(), 33, "the good members are read");
    let shown = tarball.display().to_string();
    for member in [
        "../evil",
        "/etc/evil",
        "plugins/../../evil_junit_01.xml",
        "plugins/e2e/results/global/junit_02.xml",
        "plugins/e2e/results/global/junit_03.xml",
    ] {
        warning_containing(r, &[&shown, &format!("\"{member}\"")]);
    }
    assert!(
        r.files
            .iter()
            .all(|f| !f.contains("junit_02") && !f.contains("junit_03"))
    );
}

#[test]
fn gzip_bomb_stops_at_max_inflated_bytes() {
    let s = Setup::new();
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let size = 64u64 * 1024 * 1024;
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(
        &mut h,
        "plugins/e2e/results/global/junit_01.xml",
        std::io::Read::take(std::io::repeat(0), size),
    )
    .unwrap();
    let bytes = b.into_inner().unwrap().finish().unwrap();
    assert!(
        bytes.len() < 1024 * 1024,
        "{} bytes compressed",
        bytes.len()
    );
    let tarball = s.bad("bomb.tar.gz");
    let mut f = std::fs::File::create(&tarball).unwrap();
    f.write_all(&bytes).unwrap();
    drop(f);

    let corpus = s.load_with(Limits {
        max_inflated_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    });
    assert_good(&corpus);
    let e = error_for(&corpus, &tarball);
    assert!(e.message.contains("max_inflated_bytes"), "{e}");
    assert_eq!(corpus.releases.len(), 1);
}

#[test]
fn garbage_verdict_line_is_not_believed() {
    let s = Setup::new();
    s.good_junit_in_bad();
    s.write_bad(
        "e2e.log",
        b"Ran 99999999999999 of 3 Specs in 1 seconds\nSUCCESS! -- 99999999999999 Passed | 0 Failed | 0 Pending | 3 Skipped\n",
    );
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert!(bad.log.is_none(), "{:?}", bad.log);
    assert_eq!(bad.agrees_with_log(), None);
    assert!(bad.log_disagreements().is_empty());
    warning_containing(bad, &["e2e.log", "impossible"]);
}

#[test]
fn garbage_ran_count_alone_is_not_believed() {
    let s = Setup::new();
    s.good_junit_in_bad();
    s.write_bad(
        "e2e.log",
        b"Ran 99999999999999 of 3 Specs in 1 seconds\nSUCCESS! -- 3 Passed | 0 Failed | 0 Pending | 0 Skipped\n",
    );
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert!(bad.log.is_none(), "{:?}", bad.log);
    warning_containing(bad, &["e2e.log"]);
}

#[test]
fn binary_product_yaml_is_a_warning() {
    let s = Setup::new();
    s.good_junit_in_bad();
    s.write_bad("PRODUCT.yaml", &random_bytes(11, 2048));
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert_eq!(bad.tests.len(), 33);
    assert!(bad.product.is_none());
    warning_containing(bad, &["PRODUCT.yaml"]);
}

#[test]
fn product_yaml_that_is_not_a_mapping_is_a_warning() {
    let s = Setup::new();
    s.good_junit_in_bad();
    s.write_bad("PRODUCT.yaml", b"- vendor: Acme\n- name: Engine\n");
    let corpus = s.load();
    assert_good(&corpus);
    let bad = release(&corpus, "bad");
    assert!(bad.product.is_none());
    warning_containing(bad, &["PRODUCT.yaml", "mapping"]);
}

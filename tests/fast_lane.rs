//! The JUnit reader's fast lane (plain testcase elements read without
//! quick-xml events) must change nothing but speed: on every fixture, on the
//! real data, and on thousands of damaged variants of a report, the reader
//! gives exactly what the events-only reader gives: the same specs, suite
//! nodes, warnings, or the same error message.

mod common;

use std::path::Path;

use conformance_viewer::generate::Rng;
use conformance_viewer::ingest::{Limits, junit};

fn same(bytes: &[u8], what: &str, limits: &Limits) {
    let fast = junit::parse_junit(bytes, what, limits);
    let slow = junit::parse_junit_events_only(bytes, what, limits);
    match (&fast, &slow) {
        (Ok(a), Ok(b)) => assert!(a == b, "{what}: the fast lane read it differently"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
        _ => panic!("{what}: fast lane {fast:?}\nevents only {slow:?}"),
    }
}

fn xml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            xml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

#[test]
fn fixtures_and_real_data_read_the_same_both_ways() {
    let mut files = Vec::new();
    xml_files(&common::fixtures(), &mut files);
    let fixture_count = files.len();
    assert!(
        fixture_count >= 10,
        "only {fixture_count} fixture XML files"
    );
    if let Some(shared) = common::shared_data() {
        xml_files(&shared, &mut files);
        assert!(files.len() >= fixture_count + 7);
    }
    let limits = Limits::default();
    let mut specs = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        same(&bytes, &f.display().to_string(), &limits);
        if let Ok(r) = junit::parse_junit(&bytes, "x", &limits) {
            specs += r.tests.len();
        }
    }
    assert!(specs > 50, "only {specs} specs read");
}

/// A small Ginkgo v2 report with every shape the fast lane takes and a few
/// it leaves to quick-xml.
const REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="6" failures="1">
  <testsuite name="Kubernetes e2e suite" tests="6" time="9.5">
    <properties><property name="SuiteSucceeded" value="false"></property></properties>
    <testcase name="[SynchronizedBeforeSuite]" classname="Kubernetes e2e suite" status="passed" time="0.2"></testcase>
    <testcase name="[It] [sig-node] Pods should be &lt;plain&gt; [Conformance]" classname="Kubernetes e2e suite" status="passed" time="1.25"></testcase>
    <testcase name="[It] [sig-storage] In-tree Volumes [Driver: local] skips" classname="K" status="skipped" time="0">
      <skipped message="skipped - &#34;no&#34; nodes"></skipped>
    </testcase>
    <testcase name='[It] [sig-apps] single &amp; quoted' status="pending" time="0"><skipped message="pending"/></testcase>
    <testcase name="[It] [sig-network] fails [Conformance]" classname="K" status="timedout" time="3">
      <failure message="timed out" type="failed">boom &amp; more</failure>
      <system-out>out</system-out>
    </testcase>
    <testcase name="[It] [sig-cli] odd status" status="wobbly" time="x"/>
    <testcase name="[It]   [sig-cli]  untidy	name " time="0.5"></testcase>
    <testcase name="[ReportAfterSuite] Kubernetes e2e suite report" status="passed" time="0.1"></testcase>
  </testsuite>
</testsuites>
"#;

#[test]
fn the_sample_report_reads_the_same_and_as_written() {
    let limits = Limits::default();
    same(REPORT.as_bytes(), "report.xml", &limits);
    let r = junit::parse_junit(REPORT.as_bytes(), "report.xml", &limits).unwrap();
    assert_eq!(r.tests.len(), 6);
    assert_eq!(r.suite_nodes.len(), 2);
    assert_eq!(
        r.tests[0].name(),
        "[sig-node] Pods should be <plain> [Conformance]"
    );
    assert_eq!(
        r.tests[1].message.as_deref(),
        Some("skipped - \"no\" nodes")
    );
    assert_eq!(r.tests[2].name(), "[sig-apps] single & quoted");
    assert_eq!(r.tests[3].failure_text(), Some("boom & more"));
    assert_eq!(r.tests[5].name(), "[sig-cli] untidy name");
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

/// Damage the report in many small ways (cut it, drop or double a byte,
/// put a markup byte somewhere) and with small limits, so the fast lane
/// meets every edge of its shape and every fallback.
#[test]
fn damaged_reports_read_the_same_both_ways() {
    let bytes = REPORT.as_bytes();
    let tight = Limits {
        max_attr_bytes: 24,
        max_depth: 4,
        ..Limits::default()
    };
    let mut checked = 0;
    for limits in [Limits::default(), tight] {
        for cut in 0..bytes.len() {
            same(&bytes[..cut], &format!("cut at {cut}"), &limits);
            let mut v = bytes.to_vec();
            v.remove(cut);
            same(&v, &format!("byte {cut} dropped"), &limits);
            checked += 2;
        }
        let mut rng = Rng::new(7);
        for round in 0..3000 {
            let mut v = bytes.to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(v.len());
                let marks = b"<>/\"'&= \t\n\x0cx;#";
                let b = marks[rng.below(marks.len())];
                match rng.below(3) {
                    0 => v[at] = b,
                    1 => v.insert(at, b),
                    _ => {
                        let b = v[at];
                        v.insert(at, b);
                    }
                }
            }
            same(&v, &format!("variant {round}"), &limits);
            checked += 1;
        }
    }
    assert!(checked > 10_000);
}

/// Shapes at the edge of the fast lane, each written out.
#[test]
fn edge_shapes_read_the_same_both_ways() {
    let limits = Limits::default();
    let docs = [
        r#"<testsuite><testcasex name="a"></testcasex><testcase name="b"/></testsuite>"#,
        r#"<testsuite><testcase name="a"><skippedx/></testcase></testsuite>"#,
        r#"<testsuite><testcase name="a"><skipped></skippedx></testcase></testsuite>"#,
        r#"<testsuite><testcase name="a"></testcase ></testsuite>"#,
        r#"<testsuite><testcase name="a"></testcase><testcase name="a"/></testsuite>"#,
        r#"<testsuite><testcase name="a" name="b"/></testsuite>"#,
        r#"<testsuite><testcase name="&bogus;"/><testcase name="&#x41;&#65;"/></testsuite>"#,
        r#"<testsuite><testcase name="a" time="1e400"/><testcase name="b" time="-1"/></testsuite>"#,
        r#"<testsuite><testcase name="a"><skipped message=""/><failure/></testcase></testsuite>"#,
        r#"<testsuite></testsuite><testcase name="after the root"/>"#,
        "<testsuite>\r\n<testcase name=\"crlf\"\r\n time=\"1\">\r\n<skipped/>\r\n</testcase>\r\n</testsuite>",
        r#"<testsuite><testcase name="a"><testcase name="nested"/></testcase></testsuite>"#,
        r#"<testsuite><testcase name="a"/></testsuites>"#,
    ];
    for (i, doc) in docs.iter().enumerate() {
        same(doc.as_bytes(), &format!("edge {i}: {doc}"), &limits);
    }
    let r = junit::parse_junit(docs[0].as_bytes(), "x", &limits).unwrap();
    assert_eq!(r.tests.len(), 1, "<testcasex> is not a spec");
    let deep = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    same(docs[1].as_bytes(), "depth 2", &deep);
    let e = junit::parse_junit(
        br#"<testsuites><testsuite><testcase name="a"><skipped></skipped></testcase></testsuite></testsuites>"#,
        "deep.xml",
        &Limits {
            max_depth: 3,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("max_depth"), "{e}");
}

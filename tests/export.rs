//! Exports (issue 5): charts as PNG and SVG, CSV and JSON data, the HTML
//! report, and the safety rules of `export_all` (no writing inside an
//! opened results folder, no overwriting without permission).
//!
//! Runs on a small corpus built here in a temporary folder (with a hostile
//! test name and awkward labels), and on the real results in
//! `../shared/data` when present.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use conformance_viewer::analysis::{Scope, SummaryDoc, summarize_with};
use conformance_viewer::caveats::{Catalog, Category, Link, Rule};
use conformance_viewer::export::{
    self, ChartData, ChartKind, ExportError, ExportOptions, Format, chart_data, chart_png,
    chart_svg, export_all,
};
use conformance_viewer::ingest;
use conformance_viewer::model::Corpus;

const HOSTILE: &str = "<script>alert(1)</script>";

/// A Supervisor-like release (the caveat profile applies through its
/// kube-apiserver version), a release under a label with a comma and a
/// quote, and one under a label with markup in it.
fn small_corpus(dir: &Path) -> PathBuf {
    let root = dir.join("results");
    let wcp = root.join("vsphere/v1.21");
    let odd = root.join("other/rel, \"odd\"");
    let hostile = root.join(format!("x{HOSTILE}"));
    for d in [&wcp, &odd, &hostile] {
        std::fs::create_dir_all(d).unwrap();
    }
    let junit = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Kubernetes e2e suite" tests="6" failures="1" errors="0" time="1234.5">
  <testcase name="[sig-network] Services should be able to create a functioning NodePort service [Conformance]" classname="Kubernetes e2e suite" time="0"><skipped></skipped></testcase>
  <testcase name="[sig-node] Pods should survive &lt;script&gt;alert(1)&lt;/script&gt;, &quot;quoted&quot; [Conformance]" classname="Kubernetes e2e suite" time="12.5"><failure type="Failure">boom &lt;b&gt;bold&lt;/b&gt;</failure></testcase>
  <testcase name="[sig-node] Pods should pass [Conformance]" classname="Kubernetes e2e suite" time="3.25"></testcase>
  <testcase name="[sig-storage] HostPath should give a volume the correct mode [LinuxOnly] [NodeConformance] [Conformance]" classname="Kubernetes e2e suite" time="0"><skipped></skipped></testcase>
  <testcase name="[sig-apps] Deployment should do something optional" classname="Kubernetes e2e suite" time="0"><skipped></skipped></testcase>
  <testcase name="[sig-node] Pods should pass too [Conformance]" classname="Kubernetes e2e suite" time="1"></testcase>
</testsuite>
"#;
    // Two runs, not one found twice: their suite times differ.
    std::fs::write(odd.join("junit_01.xml"), junit).unwrap();
    std::fs::write(
        hostile.join("junit_01.xml"),
        junit.replace("time=\"1234.5\"", "time=\"1234.6\""),
    )
    .unwrap();
    // The Supervisor release is v1.21: conformance.yaml v1.21 decides its
    // required tests, so its specs carry real names (HostPath is tagged
    // but no longer required there). The two others have no version: their
    // tags decide, hostile names included.
    let real = junit
        .replace(
            "[sig-node] Pods should survive &lt;script&gt;alert(1)&lt;/script&gt;, &quot;quoted&quot; [Conformance]",
            "[sig-node] Pods should get a host IP [NodeConformance] [Conformance]",
        )
        .replace(
            "[sig-node] Pods should pass [Conformance]",
            "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]",
        )
        .replace(
            "[sig-node] Pods should pass too [Conformance]",
            "[sig-network] DNS should provide DNS for the cluster  [Conformance]",
        );
    std::fs::write(wcp.join("junit_01.xml"), real).unwrap();
    std::fs::write(
        wcp.join("e2e.log"),
        "I0101 00:00:00.000 INFO: kube-apiserver version: v1.21.0+vmware.wcp.2\n\
         Ran 3 of 6 Specs in 1234.500 seconds\n\
         FAIL! -- 2 Passed | 1 Failed | 0 Pending | 3 Skipped\n",
    )
    .unwrap();
    root
}

fn load(root: &Path) -> Corpus {
    let corpus = ingest::load_paths(&[root.to_path_buf()]);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    corpus
}

/// PNG checks: decodes, has the requested pixel size, and is a real
/// picture (plenty of distinct colours: bars, anti-aliased text).
fn check_png(bytes: &[u8], w: u32, h: u32, what: &str) {
    let img = image::load_from_memory(bytes)
        .unwrap_or_else(|e| panic!("{what}: not a PNG: {e}"))
        .to_rgb8();
    assert_eq!((img.width(), img.height()), (w, h), "{what}: size");
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() >= 40,
        "{what}: only {} distinct colours, looks blank",
        colours.len()
    );
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    assert!(
        non_white * 50 > (w * h) as usize,
        "{what}: only {non_white} non-white pixels"
    );
}

/// Parse an SVG strictly and return the text of its `<text>`, `<title>`
/// and `<desc>` elements, entities resolved.
fn svg_texts(svg: &str) -> (Vec<String>, String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut stack: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    let mut desc = String::new();
    let mut current = String::new();
    let mut saw_svg = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_string();
                if name == "svg" {
                    saw_svg = true;
                }
                stack.push(name);
                current.clear();
            }
            Ok(Event::End(_)) => {
                match stack.pop().as_deref() {
                    Some("text") | Some("title") => texts.push(current.trim().to_string()),
                    Some("desc") => desc = current.trim().to_string(),
                    _ => {}
                }
                current.clear();
            }
            Ok(Event::Text(t)) => current.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    current.push(c);
                } else {
                    let name = r.xml10_content();
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("undefined entity &{name};"));
                    current.push_str(resolved);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "SVG is not well-formed at byte {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    assert!(saw_svg, "no <svg> element");
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    (texts, desc)
}

/// SVG checks: well-formed XML, every release label in the description,
/// and every label readable under its bar (the wrapped lines, joined).
fn check_svg(svg: &str, data: &ChartData, what: &str) {
    let (texts, desc) = svg_texts(svg);
    let joined: String = texts.concat();
    for r in &data.releases {
        assert!(
            desc.contains(&r.label),
            "{what}: <desc> lacks {:?}",
            r.label
        );
        let label: String = r.label.chars().filter(|c| !c.is_whitespace()).collect();
        let drawn: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            drawn.contains(&label),
            "{what}: label {:?} not drawn",
            r.label
        );
    }
}

/// Product-trend SVG checks: well-formed XML, every release label and
/// every product line's name in the description, and the name of every
/// line it draws (at most ten, those with a point) in its legend.
fn check_trend_svg(svg: &str, data: &ChartData, what: &str) {
    let (texts, desc) = svg_texts(svg);
    for r in &data.releases {
        assert!(
            desc.contains(&r.label),
            "{what}: <desc> lacks {:?}",
            r.label
        );
    }
    for l in &data.lines {
        assert!(
            desc.contains(&l.name),
            "{what}: <desc> lacks line {:?}",
            l.name
        );
    }
    // A line is drawn when one of its releases has a known version and
    // required tests (a pass rate to plot).
    let plotted: Vec<_> = data
        .lines
        .iter()
        .filter(|l| {
            l.releases
                .iter()
                .any(|&i| data.releases[i].minor.is_some() && data.releases[i].total > 0)
        })
        .collect();
    if plotted.len() <= export::MAX_LINES_DRAWN {
        for l in plotted {
            assert!(
                texts.iter().any(|t| t.starts_with(&l.name)),
                "{what}: line {:?} not in the legend",
                l.name
            );
        }
    }
}

/// The checks for a chart of `kind`.
fn check_chart_svg(kind: ChartKind, svg: &str, data: &ChartData, what: &str) {
    if kind == ChartKind::ProductTrend {
        check_trend_svg(svg, data, what);
    } else {
        check_svg(svg, data, what);
    }
}

/// A small RFC 4180 reader: rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn as_maps(text: &str) -> Vec<BTreeMap<String, String>> {
    let rows = parse_csv(text);
    let header = rows.first().expect("header").clone();
    rows[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "row width: {r:?}");
            header.iter().cloned().zip(r.iter().cloned()).collect()
        })
        .collect()
}

fn opt_str<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Every figure of summary.csv and tests.csv against `summary --json`.
fn check_csv_against_summary(summary_csv: &str, tests_csv: &str, doc: &SummaryDoc) {
    let rows = as_maps(summary_csv);
    assert_eq!(rows.len(), doc.releases.len());
    for (row, r) in rows.iter().zip(&doc.releases) {
        let c = &r.conformance;
        let log = r.log.as_ref();
        let expect = [
            ("label", r.label.clone()),
            ("kube_version", opt_str(r.kube_version.as_deref())),
            ("verdict", r.verdict.as_str().to_string()),
            ("profile", opt_str(r.profile.as_deref())),
            ("required_total", c.total.to_string()),
            ("required_passed", c.passed.to_string()),
            ("required_failed", c.failed.to_string()),
            ("required_skipped", c.skipped.to_string()),
            ("required_pending", c.pending.to_string()),
            ("specs", r.specs.to_string()),
            ("suite_nodes", r.suite_nodes.to_string()),
            ("agrees_with_log", opt_str(r.agrees_with_log)),
            ("log_ran", opt_str(log.map(|l| l.ran))),
            ("log_of", opt_str(log.map(|l| l.of))),
            ("log_passed", opt_str(log.map(|l| l.passed))),
            ("log_failed", opt_str(log.map(|l| l.failed))),
            ("log_skipped", opt_str(log.map(|l| l.skipped))),
            ("unexplained", r.unexplained.to_string()),
            ("known_defects", r.known_defects.to_string()),
            ("required_from", r.required_from.label()),
            ("tagged_not_required", r.tagged.total.to_string()),
        ];
        for (col, want) in expect {
            assert_eq!(row.get(col), Some(&want), "{}: column {col}", r.label);
        }
        let secs: Option<f64> = row
            .get("duration_secs")
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap());
        assert_eq!(secs, r.duration_secs, "{}: duration", r.label);
        for (col, value) in row.iter().filter(|(k, _)| k.starts_with("caveat_")) {
            let id = &col["caveat_".len()..];
            let want = r.caveats.get(id).copied().unwrap_or(0);
            assert_eq!(value, &want.to_string(), "{}: {col}", r.label);
        }
        for id in r.caveats.keys() {
            assert!(
                row.contains_key(&format!("caveat_{id}")),
                "no column for {id}"
            );
        }
    }

    let tests = as_maps(tests_csv);
    for r in &doc.releases {
        let mine: Vec<_> = tests
            .iter()
            .filter(|t| t["release"] == r.label && t["required"] == "true")
            .collect();
        assert_eq!(mine.len() as u64, r.conformance.total, "{}: rows", r.label);
        let tagged = tests
            .iter()
            .filter(|t| t["release"] == r.label && t["required"] == "false")
            .count() as u64;
        assert_eq!(tagged, r.tagged.total, "{}: tagged rows", r.label);
        let by = |word: &str| mine.iter().filter(|t| t["explained_by"] == word).count() as u64;
        assert_eq!(by("unexplained"), r.unexplained, "{}: unexplained", r.label);
        assert_eq!(
            by("known-defect"),
            r.known_defects,
            "{}: known defects",
            r.label
        );
        let count = |status: &str| mine.iter().filter(|t| t["status"] == status).count() as u64;
        assert_eq!(count("passed"), r.conformance.passed, "{}", r.label);
        assert_eq!(count("failed"), r.conformance.failed, "{}", r.label);
        assert_eq!(count("skipped"), r.conformance.skipped, "{}", r.label);
        let mut by_cat: BTreeMap<String, u64> = BTreeMap::new();
        for t in &mine {
            if !t["category"].is_empty() {
                *by_cat.entry(t["category"].clone()).or_default() += 1;
            }
        }
        assert_eq!(by_cat, r.caveats, "{}: categories", r.label);
        let names: HashSet<&str> = mine.iter().map(|t| t["test"].as_str()).collect();
        for np in &r.non_passing {
            assert!(names.contains(np.name.as_str()), "{} missing", np.name);
        }
        for t in &mine {
            let secs: f64 = t["duration_secs"].parse().unwrap();
            assert!(secs.is_finite() && secs >= 0.0);
        }
    }
}

/// The conformance lists every headless command uses: the built-in ones.
fn lists() -> Option<&'static conformance_viewer::conformance_list::ConformanceLists> {
    conformance_viewer::conformance_index::builtin().ok()
}

fn fresh_opts(out: &Path) -> ExportOptions {
    let mut opts = ExportOptions::new(out);
    opts.width = 900;
    opts.height = 540;
    opts.scale = 1.0;
    opts
}

#[test]
fn charts_render_on_a_small_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = load(&small_corpus(tmp.path()));
    let data = chart_data(&corpus, &Catalog::builtin(), &Scope::default());
    assert_eq!(data.releases.len(), 3);
    let wcp = data
        .releases
        .iter()
        .find(|r| r.label == "vsphere/v1.21")
        .unwrap();
    assert!(wcp.profile_applies);
    assert_eq!(wcp.unexplained, 1);
    // NodePort; HostPath is not required at v1.21.
    assert_eq!(wcp.caveats.iter().sum::<u64>(), 1);
    assert_eq!(wcp.total, 4);
    for kind in ChartKind::all() {
        for (w, h, scale) in [(800, 500, 1.0f32), (640, 400, 2.0), (1000, 600, 1.5)] {
            let png = chart_png(kind, &data, w, h, scale).unwrap();
            let pw = (w as f32 * scale).round() as u32;
            let ph = (h as f32 * scale).round() as u32;
            check_png(&png, pw, ph, &format!("{kind:?} {w}x{h}@{scale}"));
        }
        let svg = chart_svg(kind, &data, 800, 500).unwrap();
        check_chart_svg(kind, &svg, &data, &format!("{kind:?} svg"));
        assert!(
            !svg.contains("<script"),
            "{kind:?}: markup from a label leaked"
        );
    }
}

#[test]
fn empty_corpus_and_bad_sizes() {
    let data = ChartData::default();
    for kind in ChartKind::all() {
        let png = chart_png(kind, &data, 400, 300, 1.0).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (400, 300));
        let svg = chart_svg(kind, &data, 400, 300).unwrap();
        svg_texts(&svg);
    }
    assert!(matches!(
        chart_png(ChartKind::Trend, &data, 0, 300, 1.0),
        Err(ExportError::Size { .. })
    ));
    assert!(matches!(
        chart_png(ChartKind::Trend, &data, 800, 600, 0.0),
        Err(ExportError::Size { .. })
    ));
}

#[test]
fn csv_and_json_equal_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = load(&small_corpus(tmp.path()));
    let catalog = Catalog::builtin();
    let scope = Scope::default();
    let out = tmp.path().join("out");
    let written = export_all(
        &corpus,
        &catalog,
        &scope,
        lists(),
        &ExportOptions {
            formats: vec![Format::Csv, Format::Json],
            ..fresh_opts(&out)
        },
    )
    .unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["summary.csv", "tests.csv", "summary.json"]);
    let doc = summarize_with(&corpus, &catalog, &scope);
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let tests = std::fs::read_to_string(out.join("tests.csv")).unwrap();
    check_csv_against_summary(&summary, &tests, &doc);
    // The awkward labels survive the round trip.
    assert!(summary.contains("\"other/rel, \"\"odd\"\"\""), "{summary}");
    let hostile_test = tests
        .lines()
        .find(|l| l.contains("alert(1)"))
        .expect("hostile test row");
    assert!(hostile_test.starts_with('"') || hostile_test.contains(",\""));
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert_eq!(json, serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn report_escapes_hostile_names_and_links() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = load(&small_corpus(tmp.path()));
    let mut catalog = Catalog::builtin();
    catalog.categories.push(Category {
        id: "evil\"><script>".into(),
        title: HOSTILE.into(),
        what: format!("what {HOSTILE}"),
        impact: "impact <img src=x onerror=alert(1)>".into(),
        workaround: "none".into(),
        links: vec![
            Link {
                title: "click".into(),
                url: "javascript:alert(1)".into(),
            },
            Link {
                title: "fine".into(),
                url: "https://example.com/?a=1&b=\"2\"".into(),
            },
        ],
        doc_section: None,
        rules: vec![Rule::new(
            "r<1>".into(),
            format!("reason {HOSTILE}"),
            vec!["no such test anywhere".into()],
            vec![],
        )],
    });
    let scope = Scope {
        forced_on: ["other/rel, \"odd\"".to_string()].into_iter().collect(),
    };
    let doc = summarize_with(&corpus, &catalog, &scope);
    let data = chart_data(&corpus, &catalog, &scope);
    let charts: Vec<(ChartKind, String)> = ChartKind::all()
        .into_iter()
        .map(|k| (k, chart_svg(k, &data, 800, 500).unwrap()))
        .collect();
    let html = export::report_html(&doc, &catalog, &charts, std::time::SystemTime::now());
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag in the report");
    assert!(!lower.contains("<img"), "img tag in the report");
    assert!(!lower.contains("javascript:alert(1)\""));
    assert!(!lower.contains("href=\"javascript"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\""));
    assert!(html.contains("Content-Security-Policy"));
    // The hostile test is unexplained in the Supervisor release and must
    // come first, highlighted.
    let section = html.split("id=\"rel-").nth(1).unwrap_or("");
    let first_row = section.split("<tr").nth(2).unwrap_or("");
    assert!(first_row.contains("class=\"unexplained\""), "{first_row}");
}

// A symlinked root is one of its cases: Unix only.
#[cfg(unix)]
#[test]
fn refuses_to_write_inside_an_opened_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_corpus(tmp.path());
    let corpus = load(&root);
    let catalog = Catalog::builtin();
    let scope = Scope::default();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&root, &link).unwrap();
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    let cases = [
        root.join("exports"),
        root.join("vsphere/v1.21"),
        root.clone(),
        link.join("new/deeper"),
        outside.join("../results/x"),
    ];
    for out in cases {
        let mut opts = fresh_opts(&out);
        opts.opened_roots = vec![root.clone()];
        let before = std::fs::read_dir(&root).unwrap().count();
        match export_all(&corpus, &catalog, &scope, lists(), &opts) {
            Err(e @ ExportError::InsideOpenedRoot { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("refuses to write inside an opened results folder"),
                    "{msg}"
                );
                assert!(msg.contains(&root.display().to_string()), "{msg}");
            }
            other => panic!("{}: expected a refusal, got {other:?}", out.display()),
        }
        assert!(!root.join("exports").exists());
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), before);
    }
    // The release roots count even when the caller forgets to pass them.
    let opts = fresh_opts(&root.join("exports"));
    assert!(matches!(
        export_all(&corpus, &catalog, &scope, lists(), &opts),
        Err(ExportError::InsideOpenedRoot { .. })
    ));
    // Next to the results is fine.
    let mut opts = fresh_opts(&tmp.path().join("exports"));
    opts.opened_roots = vec![root.clone()];
    opts.formats = vec![Format::Json];
    assert_eq!(
        export_all(&corpus, &catalog, &scope, lists(), &opts)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn never_overwrites_without_permission() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = load(&small_corpus(tmp.path()));
    let catalog = Catalog::builtin();
    let scope = Scope::default();
    let out = tmp.path().join("a/b/out");
    let mut opts = fresh_opts(&out);
    let written = export_all(&corpus, &catalog, &scope, lists(), &opts).unwrap();
    assert_eq!(written.len(), 4 + 4 + 2 + 1 + 1);
    for p in &written {
        assert!(p.is_file(), "{}", p.display());
    }
    // Mark one file so an overwrite would show.
    let marked = out.join("tests.csv");
    std::fs::write(&marked, "mine").unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    match export_all(&corpus, &catalog, &scope, lists(), &opts) {
        Err(ExportError::Exists { path }) => {
            assert!(written.contains(&path), "{}", path.display());
        }
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&marked).unwrap(), "mine");
    assert!(
        !out.join("report.html").exists(),
        "nothing may be written when one target exists"
    );
    opts.overwrite = true;
    let again = export_all(&corpus, &catalog, &scope, lists(), &opts).unwrap();
    assert_eq!(again, written);
    assert_ne!(std::fs::read_to_string(&marked).unwrap(), "mine");
}

#[test]
fn formats_parse_from_the_command_line_words() {
    assert_eq!(
        Format::parse_list("html,png,svg,csv,json").unwrap(),
        [
            Format::Html,
            Format::Png,
            Format::Svg,
            Format::Csv,
            Format::Json
        ]
    );
    assert!(matches!(
        "pdf".parse::<Format>(),
        Err(ExportError::UnknownFormat { .. })
    ));
    assert_eq!(Format::all().len(), 5);
}

fn shared_corpus() -> Option<Corpus> {
    let data = common::shared_data()?;
    Some(ingest::load_paths(&[data]))
}

#[test]
fn shared_data_exports_everything() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    assert_eq!(corpus.releases.len(), 8, "{:?}", corpus.errors);
    let catalog = Catalog::builtin();
    let scope = Scope::default();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("export");
    let mut opts = fresh_opts(&out);
    opts.width = 1000;
    opts.height = 600;
    opts.scale = 1.5;
    opts.opened_roots = vec![common::shared_data().unwrap()];
    let written = export_all(&corpus, &catalog, &scope, lists(), &opts).unwrap();
    assert_eq!(written.len(), 12);

    let data = chart_data(&corpus, &catalog, &scope);
    for kind in ChartKind::all() {
        let png = std::fs::read(out.join(format!("{}.png", kind.file_stem()))).unwrap();
        check_png(&png, 1500, 900, &format!("shared {kind:?}"));
        let svg = std::fs::read_to_string(out.join(format!("{}.svg", kind.file_stem()))).unwrap();
        check_chart_svg(kind, &svg, &data, &format!("shared {kind:?}"));
    }

    let doc = summarize_with(&corpus, &catalog, &scope);
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let tests = std::fs::read_to_string(out.join("tests.csv")).unwrap();
    check_csv_against_summary(&summary, &tests, &doc);
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert_eq!(json, serde_json::to_string_pretty(&doc).unwrap());

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"verdict-table\""));
    for r in &doc.releases {
        assert!(
            html.contains(&r.label.replace('/', "/<wbr>")),
            "{}",
            r.label
        );
    }
    for id in [
        "host-namespaces",
        "hostpath",
        "csi-only-volumes",
        "nodeport",
    ] {
        let c = catalog.category(id).expect(id);
        assert!(html.contains(&format!("id=\"cat-{id}\"")), "{id}");
        assert!(html.contains(&c.title.replace('\'', "&#39;")), "{id} title");
        for l in &c.links {
            assert!(html.contains(&format!("href=\"{}\"", l.url)), "{}", l.url);
        }
    }
    // The four charts, and the trend of the one line with two releases
    // (vSphere Supervisor v1.18 and v1.21); the other lines have one each.
    assert_eq!(html.matches("<svg").count(), 4 + 1);
    assert!(!html.contains("<script"));
    // Supervisor v1.21 has unexplained skips: they come first in its table.
    let v121 = html
        .split("<h3 id=\"rel-")
        .skip(1)
        .find(|s| s.contains("results/<wbr>v1.21"))
        .expect("v1.21 section");
    let first_row = v121.split("<tr").nth(2).unwrap_or("");
    assert!(first_row.contains("class=\"unexplained\""), "{first_row}");
}

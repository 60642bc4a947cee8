//! Product lines ([`conformance_viewer::lines`]) on the project's fixtures
//! (`fixtures/lines/`, see fixtures/README.md) and on the real results of
//! `../shared/data` and `../shared/lines`: which line each release joins,
//! where the line's name comes from, the order of a line's releases and
//! the runs of one version.

mod common;

use std::path::PathBuf;

use conformance_viewer::caveats::Catalog;
use conformance_viewer::ingest;
use conformance_viewer::lines::{LineFrom, Lines, Renames, effective_line, line_key};
use conformance_viewer::model::Corpus;

/// A line as the tests compare it: name, vendor, where it came from, and
/// its releases' labels, oldest first.
#[derive(Debug, PartialEq)]
struct Seen {
    name: String,
    vendor: Option<String>,
    from: LineFrom,
    labels: Vec<String>,
}

fn load(paths: &[PathBuf]) -> Corpus {
    let corpus = ingest::load_paths(paths);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    corpus
}

fn lines_of(corpus: &Corpus) -> (Lines, Vec<Seen>) {
    let lines = Lines::build(corpus, &Catalog::builtin(), &Renames::new());
    let seen = lines
        .lines
        .iter()
        .map(|l| Seen {
            name: l.name.clone(),
            vendor: l.vendor.clone(),
            from: l.from,
            labels: l
                .releases
                .iter()
                .map(|&i| corpus.releases[i].label.clone())
                .collect(),
        })
        .collect();
    (lines, seen)
}

fn line<'a>(seen: &'a [Seen], name: &str) -> &'a Seen {
    seen.iter().find(|l| l.name == name).unwrap_or_else(|| {
        panic!(
            "no line {name:?}; have {:?}",
            seen.iter().map(|l| &l.name).collect::<Vec<_>>()
        )
    })
}

fn expect(name: &str, vendor: Option<&str>, from: LineFrom, labels: &[&str]) -> Seen {
    Seen {
        name: name.to_string(),
        vendor: vendor.map(String::from),
        from,
        labels: labels.iter().map(|l| l.to_string()).collect(),
    }
}

fn index_of(corpus: &Corpus, label: &str) -> usize {
    corpus
        .releases
        .iter()
        .position(|r| r.label == label)
        .unwrap_or_else(|| panic!("no release {label}"))
}

#[test]
fn the_fixtures_fall_into_ten_lines() {
    let corpus = load(&[common::fixtures()]);
    assert_eq!(corpus.releases.len(), 18);
    let (lines, seen) = lines_of(&corpus);
    let names: Vec<&str> = seen.iter().map(|l| l.name.as_str()).collect();
    // Ordered by line key: case aside.
    assert_eq!(
        names,
        [
            "Acme Kubernetes Engine",
            "disagree",
            "gizmo-conformance",
            "malformed-extra",
            "parallel",
            "sonobuoy",
            "sprocket-conformance",
            "Steady Kubernetes",
            "vSphere Supervisor",
            "Widget Kubernetes",
        ]
    );
    // No PRODUCT.yaml: named by the folder above `results/vX.Y`, its three
    // releases oldest first.
    assert_eq!(
        line(&seen, "sprocket-conformance"),
        &expect(
            "sprocket-conformance",
            None,
            LineFrom::Path,
            &[
                "defects/sprocket-conformance/results/v1.19",
                "defects/sprocket-conformance/results/v1.20",
                "defects/sprocket-conformance/results/v1.21",
            ],
        )
    );
    assert_eq!(lines.of_release.len(), corpus.releases.len());
    // Every release is in exactly the line of_release names.
    for (i, &l) in lines.of_release.iter().enumerate() {
        assert!(lines.lines[l].releases.contains(&i), "{i}");
    }
    assert_eq!(
        lines.lines.iter().map(|l| l.releases.len()).sum::<usize>(),
        18
    );
}

#[test]
fn one_product_yaml_name_across_two_checkouts_is_one_line_with_two_runs() {
    let corpus = load(&[common::fixtures()]);
    let (lines, seen) = lines_of(&corpus);
    // Four folders, two checkouts, two folder names (widget, widget-k8s),
    // one PRODUCT.yaml name: one line. Run 1 of v1.31 is checkout-b's,
    // whose log started first, although its label sorts second.
    assert_eq!(
        line(&seen, "Widget Kubernetes"),
        &expect(
            "Widget Kubernetes",
            Some("Widget Works"),
            LineFrom::ProductYaml,
            &[
                "lines/checkout-a/v1.29/widget",
                "lines/checkout-b/v1.30/widget-k8s",
                "lines/checkout-b/v1.31/widget",
                "lines/checkout-a/v1.31/widget",
            ],
        )
    );
    let a31 = index_of(&corpus, "lines/checkout-a/v1.31/widget");
    let b31 = index_of(&corpus, "lines/checkout-b/v1.31/widget");
    let (sa, sb) = (corpus.releases[a31].started, corpus.releases[b31].started);
    assert_eq!(sb, Some(1_600_003_111), "the log's Random Seed");
    assert_eq!(sa, Some(1_600_003_121));
    assert_eq!(lines.runs[b31], (1, 2));
    assert_eq!(lines.runs[a31], (2, 2));
    assert_eq!(lines.short_label(&corpus, b31), "v1.31 run 1");
    assert_eq!(lines.short_label(&corpus, a31), "v1.31 run 2");
    let v29 = index_of(&corpus, "lines/checkout-a/v1.29/widget");
    assert_eq!(lines.runs[v29], (1, 1));
    assert_eq!(lines.short_label(&corpus, v29), "v1.29");
    // The corpus itself keeps version-then-label order.
    assert!(a31 < b31);
    // The line's latest release is run 2 of v1.31.
    let widget = lines
        .lines
        .iter()
        .find(|l| l.name == "Widget Kubernetes")
        .expect("the widget line");
    assert_eq!(widget.latest(&corpus), Some(a31));
}

#[test]
fn product_yaml_names_differing_in_case_and_spacing_are_one_line() {
    let corpus = load(&[common::fixtures()]);
    let k8s = &corpus.releases[index_of(&corpus, "lines/checkout-b/v1.30/widget-k8s")];
    // Its PRODUCT.yaml spells the name "widget  kubernetes".
    assert_eq!(k8s.line.name, "widget  kubernetes");
    assert_eq!(k8s.line.from, LineFrom::ProductYaml);
    assert_eq!(k8s.line.key(), line_key("Widget Kubernetes"));
    let (lines, _) = lines_of(&corpus);
    let a29 = index_of(&corpus, "lines/checkout-a/v1.29/widget");
    let b30 = index_of(&corpus, "lines/checkout-b/v1.30/widget-k8s");
    assert_eq!(lines.of_release[a29], lines.of_release[b30]);
}

#[test]
fn a_line_without_product_yaml_is_named_by_its_path() {
    let corpus = load(&[common::fixtures()]);
    let (_, seen) = lines_of(&corpus);
    assert_eq!(
        line(&seen, "gizmo-conformance"),
        &expect(
            "gizmo-conformance",
            None,
            LineFrom::Path,
            &[
                "lines/gizmo-conformance/results/v1.28",
                "lines/gizmo-conformance/results/v1.29",
            ],
        )
    );
    // The CNCF layout vX.Y/<product>/ without PRODUCT.yaml: the product
    // folder; a tarball: the folder it lies in.
    assert_eq!(
        line(&seen, "parallel").labels,
        ["cncf/v1.31/parallel"].map(String::from)
    );
    assert_eq!(line(&seen, "sonobuoy").from, LineFrom::Path);
}

#[test]
fn the_existing_fixtures_keep_their_lines() {
    let corpus = load(&[common::fixtures()]);
    let (_, seen) = lines_of(&corpus);
    // Supervisor releases have no PRODUCT.yaml; their `wcp` server version
    // makes the profile's line theirs.
    assert_eq!(
        line(&seen, "vSphere Supervisor"),
        &expect(
            "vSphere Supervisor",
            Some("VMware"),
            LineFrom::Profile,
            &[
                "supervisor/results/v1.20",
                "supervisor/results/v1.22",
                "supervisor/results/v1.24",
            ],
        )
    );
    let catalog = Catalog::builtin();
    for label in [
        "supervisor/results/v1.20",
        "supervisor/results/v1.22",
        "supervisor/results/v1.24",
    ] {
        let r = &corpus.releases[index_of(&corpus, label)];
        // Its own line is its path's; the profile's is the effective one.
        assert_eq!(r.line.from, LineFrom::Path, "{label}");
        assert_eq!(r.line.name, "supervisor", "{label}");
        assert_eq!(effective_line(r, &catalog).from, LineFrom::Profile);
    }
    assert_eq!(
        line(&seen, "Acme Kubernetes Engine"),
        &expect(
            "Acme Kubernetes Engine",
            Some("Acme Corp"),
            LineFrom::ProductYaml,
            &["cncf/v1.29/acme"],
        )
    );
    assert_eq!(
        line(&seen, "Steady Kubernetes").vendor.as_deref(),
        Some("Steady Systems")
    );
}

#[test]
fn two_checkouts_opened_as_two_roots_make_the_same_line() {
    let root = common::fixtures().join("lines");
    let corpus = load(&[root.join("checkout-a"), root.join("checkout-b")]);
    let (lines, seen) = lines_of(&corpus);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0],
        expect(
            "Widget Kubernetes",
            Some("Widget Works"),
            LineFrom::ProductYaml,
            &[
                "v1.29/widget",
                "v1.30/widget-k8s",
                "v1.31/widget",
                "v1.31/widget"
            ],
        )
    );
    // The two v1.31 runs carry the same label here; the log's start tells
    // them apart: checkout-b's first.
    let first = lines.lines[0].releases[2];
    assert!(corpus.releases[first].root.ends_with("checkout-b"));
    assert_eq!(lines.runs[first], (1, 2));
}

#[test]
fn renames_merge_lines() {
    let corpus = load(&[common::fixtures()]);
    let mut renames = Renames::new();
    renames.insert(line_key("gizmo-conformance"), "Widget Kubernetes".into());
    let lines = Lines::build(&corpus, &Catalog::builtin(), &renames);
    // The fixtures' ten lines, gizmo-conformance merged into Widget Kubernetes.
    assert_eq!(lines.lines.len(), 9);
    let widget = lines
        .lines
        .iter()
        .find(|l| l.key == line_key("widget kubernetes"))
        .expect("the merged line");
    assert_eq!(widget.releases.len(), 6);
    assert_eq!(widget.merged_from, ["gizmo-conformance"]);
}

/// `../shared/lines/k8s-conformance`, or `None` (with the reason printed)
/// when missing; with `CV_REQUIRE_SHARED=1` a missing folder fails.
fn shared_lines() -> Option<PathBuf> {
    let data = common::shared_data()?;
    let dir = data.join("../lines/k8s-conformance");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CV_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "CV_REQUIRE_SHARED=1 but {} is missing: the product-line tests cannot run",
            dir.display()
        );
    }
    eprintln!("skipped: {} not found", dir.display());
    None
}

#[test]
fn the_shared_data_falls_into_seven_lines() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = load(&[data]);
    let (lines, seen) = lines_of(&corpus);
    let product = |name: &str, vendor: &str, label: &str| {
        expect(name, Some(vendor), LineFrom::ProductYaml, &[label])
    };
    assert_eq!(
        seen,
        [
            product(
                "Azure Kubernetes Service AKS",
                "Microsoft",
                "k8s-conformance/v1.25/aks"
            ),
            product(
                "Google Kubernetes Engine",
                "Google",
                "k8s-conformance/v1.27/gke"
            ),
            product(
                "kind",
                "Kubernetes SIG-Testing kind Project",
                "k8s-conformance/v1.33/kind"
            ),
            product(
                "Kubermatic Kubernetes Platform",
                "Kubermatic",
                "k8s-conformance/v1.30/kubermatic"
            ),
            product(
                "Red Hat OpenShift Dedicated",
                "Red Hat",
                "k8s-conformance/v1.24/openshift-dedicated"
            ),
            // The Sonobuoy tarball has no PRODUCT.yaml and a plain v1.21.1
            // server (no `wcp`): its own line, named by its folder; it
            // never joins the Supervisor's.
            expect(
                "sonobuoy",
                None,
                LineFrom::Path,
                &["sonobuoy/results-4-e2e-failures.tar.gz"]
            ),
            expect(
                "vSphere Supervisor",
                Some("VMware"),
                LineFrom::Profile,
                &[
                    "vsphere-supervisor-conformance/results/v1.18",
                    "vsphere-supervisor-conformance/results/v1.21",
                ],
            ),
        ]
    );
    let minors: Vec<String> = lines.lines[6]
        .releases
        .iter()
        .map(|&i| lines.short_label(&corpus, i))
        .collect();
    assert_eq!(minors, ["v1.18", "v1.21"]);
    assert!(lines.runs.iter().all(|&r| r == (1, 1)));
}

#[test]
fn the_shared_lines_give_kind_four_releases_and_kubermatic_three() {
    let Some(more) = shared_lines() else {
        return;
    };
    let Some(data) = common::shared_data() else {
        return;
    };
    let corpus = load(&[data.join("k8s-conformance"), more]);
    let (lines, seen) = lines_of(&corpus);
    let versions = |name: &str| -> Vec<String> {
        let l = lines
            .lines
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("no line {name}"));
        l.releases
            .iter()
            .map(|&i| lines.short_label(&corpus, i))
            .collect()
    };
    // ../shared/lines holds kind v1.28, v1.31, v1.32 and Kubermatic v1.31,
    // v1.32; ../shared/data/k8s-conformance kind v1.33 and Kubermatic v1.30.
    assert_eq!(versions("kind"), ["v1.28", "v1.31", "v1.32", "v1.33"]);
    assert_eq!(
        versions("Kubermatic Kubernetes Platform"),
        ["v1.30", "v1.31", "v1.32"]
    );
    let kind = line(&seen, "kind");
    assert_eq!(kind.from, LineFrom::ProductYaml);
    assert_eq!(
        kind.vendor.as_deref(),
        Some("Kubernetes SIG-Testing kind Project")
    );
    assert_eq!(
        kind.labels,
        ["v1.28/kind", "v1.31/kind", "v1.32/kind", "v1.33/kind"].map(String::from)
    );
    // The other three submissions stay lines of one release each.
    assert_eq!(seen.len(), 5);
    assert_eq!(corpus.releases.len(), 10);
    assert!(lines.runs.iter().all(|&r| r == (1, 1)));
}

/// `lines` product lines of `per_line(l)` releases each, copies of one
/// fixture release named by their path (`pNN`), on minors from v1.18 up.
fn corpus_of_many_lines(lines: usize, per_line: impl Fn(usize) -> usize) -> Corpus {
    use conformance_viewer::lines::ProductLine;
    let base = load(&[common::fixtures().join("cncf/v1.30/steady")])
        .releases
        .remove(0);
    let mut releases = Vec::new();
    for l in 0..lines {
        for k in 0..per_line(l) {
            let mut r = base.clone();
            let minor = 18 + k as u32;
            r.label = format!("v1.{minor}/p{l:02}");
            r.kube_version = Some(format!("v1.{minor}.1"));
            r.version = Some((1, minor, 1));
            r.product = None;
            r.line = ProductLine::from_path(format!("p{l:02}"));
            releases.push(r);
        }
    }
    let mut corpus = Corpus {
        releases,
        errors: Vec::new(),
    };
    corpus.sort();
    corpus
}

#[test]
fn many_lines_keep_the_report_and_the_chart_readable() {
    use conformance_viewer::analysis::{Scope, summarize_with};
    use conformance_viewer::export::{self, ChartKind};
    // 45 lines: line l has 1 + l % 4 releases, so lines 3, 7, …, 43 (11
    // of them) have four, and so on.
    let corpus = corpus_of_many_lines(45, |l| 1 + l % 4);
    let catalog = Catalog::builtin();
    let scope = Scope::default();
    let doc = summarize_with(&corpus, &catalog, &scope);
    assert_eq!(doc.lines.lines.len(), 45);
    let data = export::chart_data(&corpus, &catalog, &scope);
    let svg = export::chart_svg(ChartKind::ProductTrend, &data, 1000, 600).unwrap();
    assert!(svg.contains("and 35 more lines"));
    let charts = vec![(ChartKind::ProductTrend, svg)];
    let html = export::report_html(&doc, &catalog, &charts, std::time::SystemTime::now());
    // A table of every line, and details of the 30 with the most releases.
    let table = html
        .split("<table id=\"lines-table\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_default();
    assert_eq!(table.matches("<tr><td>").count(), 45);
    assert_eq!(html.matches("<article class=\"line\"").count(), 30);
    assert!(
        html.contains("15 lines are left out"),
        "the count of the rest"
    );
    // Lines with four, three and two releases (11 + 11 + 11 = 33 > 30):
    // every line of four releases is detailed, no line of one.
    for l in (3..45).step_by(4) {
        assert!(html.contains(&format!("<h3>p{l:02}</h3>")), "p{l:02}");
    }
    for l in (0..45).step_by(4) {
        assert!(!html.contains(&format!("<h3>p{l:02}</h3>")), "p{l:02}");
    }
}

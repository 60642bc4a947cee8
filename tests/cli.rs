//! The binary's headless subcommands, run as a user runs them.

mod common;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_conformance-viewer"))
}

#[test]
fn summary_json_on_the_shared_data_exits_zero() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let out = bin()
        .args(["summary", "--json"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let releases = doc["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 8);
    let kind = releases
        .iter()
        .find(|r| r["label"] == "k8s-conformance/v1.33/kind")
        .unwrap();
    // conformance.yaml v1.33 requires 417 of its 419 tagged specs.
    assert_eq!(kind["conformance"]["passed"], 417);
    assert_eq!(kind["tagged"]["total"], 2);
    assert_eq!(kind["required_from"], "conformance.yaml v1.33");
    assert_eq!(kind["verdict"], "conformant");
    assert_eq!(kind["log"]["of"], 6731);
    assert!(kind["kube_version"].is_null());
}

#[test]
fn a_missing_input_exits_two_and_the_rest_still_prints() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let out = bin()
        .args(["summary", "--json"])
        .arg(data.join("k8s-conformance/v1.33"))
        .arg("/nonexistent/results")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["releases"].as_array().unwrap().len(), 1);
    assert_eq!(doc["errors"][0]["path"], "/nonexistent/results");
}

#[test]
fn the_table_lists_unexplained_tests_first() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let out = bin()
        .arg("summary")
        .arg(data.join("vsphere-supervisor-conformance"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("RELEASE"), "{text}");
    assert!(text.contains("conformant-except-caveats"));
    let v121 = text.split("results/v1.21:").nth(1).unwrap();
    let mut lines = v121.lines().skip(1);
    let verdict = lines.next().unwrap();
    assert!(verdict.starts_with("  not-conformant: "), "{verdict}");
    let first = lines.next().unwrap();
    assert!(first.contains("[UNEXPLAINED]"), "{first}");
}

#[test]
fn a_user_catalog_replaces_a_category_by_id() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        r#"[[categories]]
id = "nodeport"
title = "NodePort, narrowed"
what = "a"
impact = "b"
workaround = "c"
links = []
rules = [{ id = "only-functioning", reason = "creates a NodePort Service", all = ["functioning nodeport service"] }]
"#,
    )
    .unwrap();
    let out = bin()
        .args(["summary", "--json", "--caveats"])
        .arg(&file)
        .arg(data.join("vsphere-supervisor-conformance/results/v1.18"))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &doc["releases"][0];
    assert_eq!(r["caveats"]["nodeport"], 1);
    assert_eq!(r["verdict"], "not-conformant");
    let bad = bin()
        .args(["summary", "--caveats", "/nonexistent.toml"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/nonexistent.toml"));
}

#[test]
fn check_exits_zero_only_when_the_submission_passes() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let lists = data.join("conformance-yaml");
    let kind = bin()
        .args(["check", "--json", "--conformance-lists"])
        .arg(&lists)
        .arg(data.join("k8s-conformance/v1.33/kind"))
        .output()
        .unwrap();
    assert_eq!(
        kind.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&kind.stdout)
    );
    let doc: serde_json::Value = serde_json::from_slice(&kind.stdout).unwrap();
    assert_eq!(doc["passed"], true);
    let ocp = bin()
        .args(["check", "--conformance-lists"])
        .arg(&lists)
        .arg(data.join("k8s-conformance/v1.24/openshift-dedicated"))
        .output()
        .unwrap();
    assert_eq!(ocp.status.code(), Some(1));
    let text = String::from_utf8_lossy(&ocp.stdout);
    assert!(
        text.contains("session affinity timeout work for NodePort service"),
        "{text}"
    );
}

#[test]
fn diff_json_names_the_newly_skipped_tests() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let root = data.join("vsphere-supervisor-conformance/results");
    let out = bin()
        .args(["diff", "--json", "--conformance-lists"])
        .arg(data.join("conformance-yaml"))
        .arg(root.join("v1.18"))
        .arg(root.join("v1.21"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = doc["newly_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("capture the life of a service"))
    );
    assert!(
        names
            .iter()
            .any(|n| n.contains("ExternalName to ClusterIP"))
    );
    assert!(!names.iter().any(|n| n.contains("KubeletManagedEtcHosts")));
    assert_eq!(doc["newly_skipped"][0]["from_status"], "passed");
    // Two releases in one path is an error, not a guess.
    let two = bin()
        .arg("diff")
        .arg(&root)
        .arg(root.join("v1.21"))
        .output()
        .unwrap();
    assert_eq!(two.status.code(), Some(2));
}

#[test]
fn limits_are_configurable_and_named_in_messages() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let out = bin()
        .args(["summary", "--json", "--limit", "max_file_bytes=1000000"])
        .arg(data.join("vsphere-supervisor-conformance"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(
        errors[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("junit_01.xml")
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("max_file_bytes")
    );
    let bad = bin()
        .args(["summary", "--limit", "bogus=1"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bogus"));
}

#[test]
fn a_release_without_required_tests_is_no_required_tests_in_json() {
    // A run focused on something else: no spec carries [Conformance].
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v1.30");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("junit_01.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Kubernetes e2e suite" tests="2" failures="0" errors="0" time="12.5">
  <testcase name="[sig-storage] CSI mock volume should expand volume [Slow]" classname="Kubernetes e2e suite" time="10.0"></testcase>
  <testcase name="[sig-node] Pods should be updated [NodeConformance]" classname="Kubernetes e2e suite" time="2.5"></testcase>
</testsuite>
"#,
    )
    .unwrap();
    let out = bin()
        .args(["summary", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let release = &doc["releases"][0];
    assert_eq!(release["specs"], 2);
    assert_eq!(release["conformance"]["total"], 0);
    assert_eq!(release["verdict"], "no-required-tests");

    let out = bin().arg("summary").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no-required-tests"), "{text}");
    assert!(text.contains("not conformant"), "{text}");
}

#[test]
fn export_prints_the_load_warnings_and_replaces_files_only_with_force() {
    let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let run = |force: bool| {
        let mut cmd = bin();
        cmd.arg("export")
            .arg(&fixtures)
            .arg("--out")
            .arg(&out_dir)
            .args(["--format", "csv"]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let first = run(false);
    assert_eq!(first.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&first.stderr);
    // malformed-extra/v1.23 carries a broken skipped_tests.xml (fixtures/README.md).
    assert!(
        stderr.contains("warning: malformed-extra/v1.23: skipped_tests.xml"),
        "{stderr}"
    );
    let again = run(false);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(run(true).status.code(), Some(0));
}

#[test]
fn summary_json_gives_the_log_line_of_each_failure() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let out = bin()
        .args(["summary", "--json"])
        .arg(data.join("k8s-conformance/v1.24"))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Its two failures are tagged specs that v1.24 does not require.
    assert_eq!(
        doc["releases"][0]["non_passing"].as_array().unwrap().len(),
        0
    );
    let failures = doc["releases"][0]["tagged_non_passing"].as_array().unwrap();
    assert_eq!(failures.len(), 2);
    for f in failures {
        let line = f["log_line"].as_u64().expect("a log line");
        assert!(line > 1, "{f}");
    }
}

fn fixtures() -> std::path::PathBuf {
    common::fixtures()
}

#[test]
fn summary_json_carries_each_release_product_line() {
    let out = bin()
        .args(["summary", "--json"])
        .arg(fixtures())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let releases = doc["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 18);
    let line_of = |label: &str| {
        releases
            .iter()
            .find(|r| r["label"] == label)
            .unwrap_or_else(|| panic!("no release {label}"))["product_line"]
            .clone()
    };
    assert_eq!(
        line_of("cncf/v1.29/acme"),
        serde_json::json!({"vendor": "Acme Corp", "name": "Acme Kubernetes Engine", "from": "PRODUCT.yaml"})
    );
    // No PRODUCT.yaml, a `wcp` server version: the caveat profile's line.
    assert_eq!(
        line_of("supervisor/results/v1.20"),
        serde_json::json!({"vendor": "VMware", "name": "vSphere Supervisor", "from": "profile"})
    );
    assert_eq!(
        line_of("lines/gizmo-conformance/results/v1.29"),
        serde_json::json!({"vendor": null, "name": "gizmo-conformance", "from": "path"})
    );
    assert_eq!(
        line_of("defects/sprocket-conformance/results/v1.20"),
        serde_json::json!({"vendor": null, "name": "sprocket-conformance", "from": "path"})
    );
    // Each release's own spelling of its PRODUCT.yaml name.
    assert_eq!(
        line_of("lines/checkout-b/v1.30/widget-k8s")["name"],
        "widget  kubernetes"
    );
    // The new key sits between the version and the counts; the others keep
    // their order.
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.split("\"non_passing\"").next().unwrap_or_default();
    let at = |key: &str| {
        first
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("no key {key}"))
    };
    assert!(at("label") < at("path"));
    assert!(at("kubernetes_minor") < at("product_line"));
    assert!(at("product_line") < at("specs"));
    assert!(at("specs") < at("suite_nodes"));
}

#[test]
fn the_summary_table_groups_releases_under_their_line() {
    let out = bin().arg("summary").arg(fixtures()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("RELEASE"), "{text}");
    let header = rows
        .iter()
        .position(|r| r.starts_with("Widget Kubernetes [Widget Works]: 4 releases"))
        .unwrap_or_else(|| panic!("no header of the widget line: {text}"));
    assert!(
        rows[header].ends_with("latest v1.31 run 2 conformant"),
        "{}",
        rows[header]
    );
    let labels: Vec<&str> = rows[header + 1..header + 5]
        .iter()
        .map(|r| r.split("  v1.").next().unwrap_or_default().trim())
        .collect();
    assert_eq!(
        labels,
        [
            "lines/checkout-a/v1.29/widget",
            "lines/checkout-b/v1.30/widget-k8s",
            "lines/checkout-b/v1.31/widget (run 1 of 2)",
            "lines/checkout-a/v1.31/widget (run 2 of 2)",
        ]
    );
    assert!(rows[header + 1].starts_with("  "), "releases are indented");
    let supervisor = rows
        .iter()
        .find(|r| r.starts_with("vSphere Supervisor"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        *supervisor,
        "vSphere Supervisor [VMware, by the caveat profile]: 3 releases, latest v1.24 conformant-except-caveats"
    );
    assert!(text.contains(
        "gizmo-conformance [named by its folder]: 2 releases, latest v1.29 not-conformant"
    ));
}

#[test]
fn export_writes_the_product_trend_and_a_report_section_per_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let run = bin()
        .arg("export")
        .arg(fixtures())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names = [
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
    ];
    let png = std::fs::read(out_dir.join("product-trend.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let svg = std::fs::read_to_string(out_dir.join("product-trend.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    // Ten lines, as many as the chart draws: each is in the legend (a
    // <text>), not only in the description, and none is left out.
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>')?.1.split("</text>").next())
        .map(str::trim)
        .collect();
    for name in names {
        assert!(
            texts.iter().any(|t| t.starts_with(&format!("{name} ("))),
            "{name} not in the legend: {texts:?}"
        );
    }
    assert!(!svg.contains("more lines"));

    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"lines\">"));
    assert_eq!(html.matches("<article class=\"line\"").count(), names.len());
    for (k, name) in names.iter().enumerate() {
        assert!(
            html.contains(&format!(
                "<article class=\"line\" id=\"line-{k}\">\n<h3>{name}</h3>"
            )),
            "{name}"
        );
    }
    // The widget line's table: its releases oldest first, the two runs of
    // v1.31 in run order.
    let widget = html
        .split("<article class=\"line\" id=\"line-9\">")
        .nth(1)
        .and_then(|s| s.split("</article>").next())
        .unwrap_or_default();
    let order: Vec<usize> = [">v1.29<", ">v1.30<", ">v1.31 run 1<", ">v1.31 run 2<"]
        .iter()
        .map(|t| widget.find(t).unwrap_or_else(|| panic!("{t} in {widget}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(widget.contains("Widget Works"));
    assert!(widget.contains("<svg"), "the line's trend");

    // The CSV files name the line of each release.
    let summary = std::fs::read_to_string(out_dir.join("summary.csv")).unwrap();
    let header = summary.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("label,product_line,product_vendor,product_line_from,kube_version,"),
        "{header}"
    );
    assert!(summary.contains(
        "\r\nlines/checkout-b/v1.30/widget-k8s,Widget Kubernetes,Widget Works,PRODUCT.yaml,v1.30.5,"
    ));
    assert!(summary.contains("\r\nsupervisor/results/v1.20,vSphere Supervisor,VMware,profile,"));
    assert!(summary.contains("\r\ncncf/v1.31/parallel,parallel,,path,,"));
    let tests = std::fs::read_to_string(out_dir.join("tests.csv")).unwrap();
    assert!(tests.starts_with("release,product_line,test,status,"));
    assert!(tests.contains("\r\nlines/gizmo-conformance/results/v1.28,gizmo-conformance,"));
}

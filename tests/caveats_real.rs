//! The built-in caveat catalog against VMware's real vSphere Supervisor
//! conformance results in the shared data (`../shared/data` next to the
//! crate). Skipped with a message when that directory is missing, unless
//! `CV_REQUIRE_SHARED=1` is set.
//!
//! The JUnit files are read with a tiny ad-hoc scan, independent of the app's
//! ingest code.

use std::path::{Path, PathBuf};

use conformance_viewer::caveats::Catalog;

/// One `<testcase>` of a JUnit file: its name and whether it was skipped.
struct Case {
    name: String,
    skipped: bool,
}

fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CV_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("CV_REQUIRE_SHARED=1 but {} not found", dir.display());
    }
    println!("skipped: ../shared/data not found");
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Finds every `<testcase name="...">` and whether a `<skipped` element comes
/// before its `</testcase>` (a self-closing testcase is never skipped).
fn scan_junit(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<testcase") {
        rest = &rest[start + "<testcase".len()..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let Some(name_at) = tag.find("name=\"") else {
            continue;
        };
        let after = &tag[name_at + "name=\"".len()..];
        let Some(name_end) = after.find('"') else {
            continue;
        };
        let name = unescape(&after[..name_end]);
        let skipped = if tag.ends_with('/') {
            false
        } else {
            let body_end = rest.find("</testcase>").unwrap_or(rest.len());
            rest[tag_end..body_end].contains("<skipped")
        };
        cases.push(Case { name, skipped });
    }
    cases
}

fn skipped_conformance(data: &Path, release: &str) -> Vec<String> {
    let path = data.join(format!(
        "vsphere-supervisor-conformance/results/{release}/junit_01.xml"
    ));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    scan_junit(&text)
        .into_iter()
        .filter(|c| c.skipped && c.name.contains("[Conformance]"))
        .map(|c| c.name)
        .collect()
}

#[test]
fn scan_handles_self_closing_and_entities() {
    let cases = scan_junit(
        r#"<testsuite>
<testcase name="a &quot;x&quot; &amp; y" classname="s" time="1"/>
<testcase name="b" classname="s" time="0">
  <skipped></skipped>
</testcase>
<testcase name="c" classname="s" time="0"><failure>no</failure></testcase>
</testsuite>"#,
    );
    let got: Vec<(&str, bool)> = cases.iter().map(|c| (c.name.as_str(), c.skipped)).collect();
    assert_eq!(got, [("a \"x\" & y", false), ("b", true), ("c", false)]);
}

#[test]
fn supervisor_skips_are_classified() {
    let Some(data) = shared_data() else { return };
    let catalog = Catalog::try_builtin().expect("built-in catalog must parse");
    assert!(catalog.applies_to(Some("v1.21.0+vmware.wcp.2"), None));

    for (release, expected_count) in [("v1.18", 7), ("v1.21", 17)] {
        let skipped = skipped_conformance(&data, release);
        println!("{release}: {} skipped [Conformance] tests", skipped.len());
        assert_eq!(skipped.len(), expected_count, "{release}");

        let mut unexplained = 0;
        for name in &skipped {
            let hit = catalog.classify(name);
            let note = catalog.unexplained_note(name);
            match (hit, note) {
                (Some(m), None) => {
                    println!("  {} / {}: {name}", m.category.id, m.rule.id)
                }
                (None, Some(n)) => {
                    unexplained += 1;
                    println!("  UNEXPLAINED ({}): {name}", n.id)
                }
                (None, None) => {
                    unexplained += 1;
                    println!("  UNEXPLAINED (no note): {name}")
                }
                (Some(m), Some(n)) => panic!(
                    "{name} is both in {}/{} and noted as unexplained ({})",
                    m.category.id, m.rule.id, n.id
                ),
            }

            // Nothing falls through silently: a known skip is either
            // explained by a rule or carries an explicit note.
            assert!(
                hit.is_some() || note.is_some(),
                "no rule and no note: {name}"
            );

            let lower = name.to_lowercase();
            let category = hit.map(|m| m.category.id.as_str());
            if lower.contains("nodeport") {
                assert_eq!(category, Some("nodeport"), "{name}");
            }
            if lower.contains("hostport")
                || lower.contains("kubeletmanagedetchosts")
                || lower.contains("node-pod communication")
            {
                assert_eq!(category, Some("host-namespaces"), "{name}");
            }
            if lower.contains("hostpath") {
                assert_eq!(category, Some("hostpath"), "{name}");
            }
        }
        println!("  {unexplained} unexplained");
    }
}

#[test]
fn doc_sections_exist_in_vmware_document() {
    let Some(data) = shared_data() else { return };
    let path = data.join("vsphere-supervisor-conformance/known-test-failures.md");
    let doc = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let catalog = Catalog::try_builtin().expect("built-in catalog must parse");
    for c in &catalog.categories {
        let section = c.doc_section.as_deref().expect("doc_section");
        let heading = format!("\n## {section}\n");
        assert!(doc.contains(&heading), "{}: no heading {section:?}", c.id);
    }
}

//! One assessment in every output: for `../shared/data` and every fixture
//! set, each release's required, passed, failed and skipped counts, its
//! known defects, its unexplained tests and its verdict read the same in the
//! text summary, `summary --json`, `summary.csv`, `tests.csv`,
//! `report.html`, the charts' data, Pre-check and the window (the release
//! list's rows, the Overview headline and the Caveats tab, read through the
//! AccessKit tree under kittest).
//!
//! Each output is parsed back from what it renders, never from the value
//! behind it, so an output that derives a figure on its own shows up here.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use conformance_viewer::analysis::{Scope, SummaryDoc, render_table, summarize_lists};
use conformance_viewer::caveats::Catalog;
use conformance_viewer::conformance_list::ConformanceLists;
use conformance_viewer::export::{self, chart_data};
use conformance_viewer::model::Corpus;
use conformance_viewer::{check, conformance_index, ingest};

/// What every output must say alike about one release.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Figures {
    required: u64,
    passed: u64,
    failed: u64,
    skipped: u64,
    known_defects: u64,
    unexplained: u64,
    /// The verdict's JSON word (`not-conformant`).
    verdict: String,
}

type ByLabel = BTreeMap<String, Figures>;

/// The sets to hold the outputs against each other: the shared data when it
/// is there, the whole fixtures folder, and each fixture set alone.
fn sets() -> Vec<(String, Vec<PathBuf>)> {
    let mut out = Vec::new();
    if let Some(data) = common::shared_data() {
        out.push(("shared data".to_string(), vec![data]));
    }
    let fixtures = common::fixtures();
    out.push(("fixtures".to_string(), vec![fixtures.clone()]));
    let mut subs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    for s in subs {
        out.push((
            format!("fixtures/{}", s.file_name().unwrap().to_string_lossy()),
            vec![s],
        ));
    }
    out
}

fn lists() -> Option<&'static ConformanceLists> {
    conformance_index::builtin().ok()
}

fn load(paths: &[PathBuf]) -> Corpus {
    let corpus = ingest::load_paths(paths);
    assert!(!corpus.releases.is_empty(), "nothing loaded from {paths:?}");
    corpus
}

fn summary(corpus: &Corpus) -> SummaryDoc {
    summarize_lists(corpus, &Catalog::builtin(), &Scope::default(), lists())
}

fn num(text: &str, what: &str) -> u64 {
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{what}: not a number: {text:?}"))
}

/// `summary --json`: the reference the others are held against.
fn from_json(doc: &SummaryDoc) -> ByLabel {
    let json: serde_json::Value =
        serde_json::from_str(&export::summary_json(doc).unwrap()).unwrap();
    json["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let c = &r["conformance"];
            let n = |v: &serde_json::Value| v.as_u64().expect("a count");
            (
                r["label"].as_str().unwrap().to_string(),
                Figures {
                    required: n(&c["total"]),
                    passed: n(&c["passed"]),
                    failed: n(&c["failed"]),
                    skipped: n(&c["skipped"]),
                    known_defects: n(&r["known_defects"]),
                    unexplained: n(&r["unexplained"]),
                    verdict: r["verdict"].as_str().unwrap().to_string(),
                },
            )
        })
        .collect()
}

/// The text summary: the table's counts and verdict, then each release's
/// section (its marked entries, and the skipped ones it leaves out).
fn from_text(text: &str, labels: &[String]) -> ByLabel {
    let mut out = ByLabel::new();
    let lines: Vec<&str> = text.lines().collect();
    for label in labels {
        let row = lines
            .iter()
            .find(|l| {
                l.trim_start()
                    .strip_prefix(label.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
            })
            .unwrap_or_else(|| panic!("text: no row for {label}\n{text}"));
        let mut cells: Vec<&str> = row.split_whitespace().collect();
        let verdict = cells.pop().unwrap().to_string();
        // LOG is `agrees`, `DISAGREES` or `no log`.
        if cells.ends_with(&["no", "log"]) {
            cells.truncate(cells.len() - 2);
        } else {
            cells.pop();
        }
        let _specs = cells.pop();
        let required = num(cells.pop().unwrap(), "required");
        let skipped = num(cells.pop().unwrap(), "skipped");
        let failed = num(cells.pop().unwrap(), "failed");
        let passed = num(cells.pop().unwrap(), "passed");
        // The release's section, when it has one.
        let heading = format!("{label}:");
        let mut known = 0;
        let mut unexplained = 0;
        if let Some(start) = lines.iter().position(|l| *l == heading) {
            let first = lines[start + 1];
            assert!(
                first.starts_with(&format!("  {verdict}: ")),
                "text: {label}: the section's verdict line says {first:?}, the table {verdict}"
            );
            for l in lines[start + 1..].iter().take_while(|l| !l.is_empty()) {
                if l.starts_with("    ") {
                    // Tagged specs that are not required.
                    continue;
                }
                if l.contains("[KNOWN DEFECT") {
                    known += 1;
                } else if l.contains("[UNEXPLAINED]") {
                    unexplained += 1;
                } else if let Some(rest) = l.strip_prefix("  ... and ") {
                    for part in rest.split([':', ',']) {
                        let words: Vec<&str> = part.split_whitespace().collect();
                        if words.len() >= 2 && words[1] == "unexplained" {
                            unexplained += num(words[0], "hidden unexplained");
                        }
                        if words.len() >= 2 && words[1] == "known-defect" {
                            known += num(words[0], "hidden known defects");
                        }
                    }
                }
            }
        }
        out.insert(
            label.clone(),
            Figures {
                required,
                passed,
                failed,
                skipped,
                known_defects: known,
                unexplained,
                verdict,
            },
        );
    }
    out
}

/// CSV rows as maps by header name (RFC 4180, as the exports write it).
fn csv_maps(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    let header = rows.remove(0);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn from_summary_csv(text: &str) -> ByLabel {
    csv_maps(text)
        .into_iter()
        .map(|r| {
            (
                r["label"].clone(),
                Figures {
                    required: num(&r["required_total"], "required_total"),
                    passed: num(&r["required_passed"], "required_passed"),
                    failed: num(&r["required_failed"], "required_failed"),
                    skipped: num(&r["required_skipped"], "required_skipped"),
                    known_defects: num(&r["known_defects"], "known_defects"),
                    unexplained: num(&r["unexplained"], "unexplained"),
                    verdict: r["verdict"].clone(),
                },
            )
        })
        .collect()
}

/// `tests.csv` counted per release (it has no verdict column: the
/// reference's is copied in).
fn from_tests_csv(text: &str, reference: &ByLabel) -> ByLabel {
    let mut out: ByLabel = reference
        .iter()
        .map(|(l, f)| {
            (
                l.clone(),
                Figures {
                    verdict: f.verdict.clone(),
                    ..Figures::default()
                },
            )
        })
        .collect();
    for r in csv_maps(text) {
        if r["required"] != "true" {
            continue;
        }
        let f = out
            .get_mut(&r["release"])
            .unwrap_or_else(|| panic!("tests.csv: unknown release {}", r["release"]));
        f.required += 1;
        match r["status"].as_str() {
            "passed" => f.passed += 1,
            "failed" => f.failed += 1,
            "skipped" => f.skipped += 1,
            _ => {}
        }
        match r["explained_by"].as_str() {
            "known-defect" => f.known_defects += 1,
            "unexplained" => f.unexplained += 1,
            _ => {}
        }
    }
    out
}

/// The text of an HTML fragment: tags dropped, the report's entities
/// decoded.
fn html_text(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The report's verdict table: one row per release.
fn from_report(html: &str, doc: &SummaryDoc) -> ByLabel {
    let table = html
        .split("<table id=\"verdict-table\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("report: a verdict table");
    let mut out = ByLabel::new();
    for row in table.split("<tr>").skip(2) {
        let index: usize = row
            .split("href=\"#rel-")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(|i| num(i, "rel index") as usize)
            .expect("report: a release link");
        let cells: Vec<String> = row
            .split("<td")
            .skip(1)
            .map(|c| {
                // The cell's own text, before any note under it.
                let body = c.split_once('>').map_or("", |(_, b)| b);
                html_text(body.split("<br>").next().unwrap_or(""))
            })
            .collect();
        let verdict_label = cells[2].trim().to_string();
        let verdict = [
            conformance_viewer::analysis::Verdict::Conformant,
            conformance_viewer::analysis::Verdict::ConformantExceptCaveats,
            conformance_viewer::analysis::Verdict::NotConformant,
            conformance_viewer::analysis::Verdict::NoRequiredTests,
        ]
        .into_iter()
        .find(|v| v.label() == verdict_label)
        .unwrap_or_else(|| panic!("report: unknown verdict {verdict_label:?}"));
        let skipped = cells[6].split_whitespace().next().unwrap_or("");
        out.insert(
            doc.releases[index].label.clone(),
            Figures {
                required: num(&cells[3], "report required"),
                passed: num(&cells[4], "report passed"),
                failed: num(&cells[5], "report failed"),
                skipped: num(skipped, "report skipped"),
                known_defects: num(&cells[8], "report known defects"),
                unexplained: num(&cells[9], "report unexplained"),
                verdict: verdict.as_str().to_string(),
            },
        );
    }
    out
}

/// The charts' data; it also checks that each release's caveats bar adds
/// up to its required tests that did not pass.
fn from_charts(corpus: &Corpus) -> ByLabel {
    let data = chart_data(corpus, &Catalog::builtin(), &Scope::default());
    data.releases
        .iter()
        .map(|r| {
            let bar = r.unexplained + r.known_defects + r.caveats.iter().sum::<u64>();
            assert_eq!(
                bar,
                r.total - r.passed,
                "charts: {}: the caveats bar does not add up to the non-passing required tests",
                r.label
            );
            (
                r.label.clone(),
                Figures {
                    required: r.total,
                    passed: r.passed,
                    failed: r.failed,
                    skipped: r.skipped,
                    known_defects: r.known_defects,
                    unexplained: r.unexplained,
                    verdict: r.verdict.as_str().to_string(),
                },
            )
        })
        .collect()
}

/// Pre-check's required figures and verdict; the rest are the reference's.
fn from_check(corpus: &Corpus, reference: &ByLabel) -> ByLabel {
    corpus
        .releases
        .iter()
        .map(|r| {
            let report = check::check(r, &Catalog::builtin(), lists());
            let mut f = reference[&r.label].clone();
            f.required = report.required;
            f.passed = report.required_passed;
            f.verdict = report.verdict.as_str().to_string();
            (r.label.clone(), f)
        })
        .collect()
}

/// Name the first release on which two outputs differ, and how.
fn assert_same(set: &str, what: &str, got: &ByLabel, want: &ByLabel) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{set}: {what} lists other releases than summary --json"
    );
    for (label, w) in want {
        assert_eq!(
            &got[label], w,
            "{set}: {what} and summary --json disagree on {label}"
        );
    }
}

#[test]
fn every_headless_output_says_the_same_of_every_release() {
    for (set, paths) in sets() {
        let corpus = load(&paths);
        let doc = summary(&corpus);
        let reference = from_json(&doc);
        let labels: Vec<String> = reference.keys().cloned().collect();
        assert_same(
            &set,
            "the text summary",
            &from_text(&render_table(&doc), &labels),
            &reference,
        );
        assert_same(
            &set,
            "summary.csv",
            &from_summary_csv(&export::summary_csv(&doc, &Catalog::builtin())),
            &reference,
        );
        assert_same(
            &set,
            "tests.csv",
            &from_tests_csv(&export::tests_csv(&corpus, &doc), &reference),
            &reference,
        );
        let html =
            export::report_html(&doc, &Catalog::builtin(), &[], std::time::SystemTime::now());
        assert_same(&set, "report.html", &from_report(&html, &doc), &reference);
        assert_same(&set, "the charts", &from_charts(&corpus), &reference);
        assert_same(
            &set,
            "Pre-check",
            &from_check(&corpus, &reference),
            &reference,
        );
    }
}

/// The command line prints what the library renders: `summary` and
/// `summary --json` of the binary against the reference.
#[test]
fn the_binary_prints_the_same_figures() {
    let bin = env!("CARGO_BIN_EXE_conformance-viewer");
    for (set, paths) in sets().into_iter().take(2) {
        let corpus = load(&paths);
        let reference = from_json(&summary(&corpus));
        let labels: Vec<String> = reference.keys().cloned().collect();
        let json = std::process::Command::new(bin)
            .args(["summary", "--json"])
            .args(&paths)
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        for r in value["releases"].as_array().unwrap() {
            let label = r["label"].as_str().unwrap();
            assert_eq!(
                r["conformance"]["total"].as_u64(),
                Some(reference[label].required),
                "{set}: {label}"
            );
            assert_eq!(
                r["verdict"].as_str(),
                Some(reference[label].verdict.as_str()),
                "{set}: {label}"
            );
        }
        let text = std::process::Command::new(bin)
            .arg("summary")
            .args(&paths)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert_same(
            &set,
            "summary (binary)",
            &from_text(&text, &labels),
            &reference,
        );
    }
}

#[cfg(feature = "gui")]
mod window {
    use super::*;
    use common::ui::harness_sized;
    use conformance_viewer::app::settings::Tab;
    use conformance_viewer::app::tests_view::RowRef;
    use conformance_viewer::app::{Command, SelectMode, ViewerApp};
    use egui_kittest::kittest::{NodeT, Queryable};

    /// The release row's accessible name, built from the reference.
    fn row_phrase(label: &str, f: &Figures, from: &str) -> String {
        let badge = match f.verdict.as_str() {
            "conformant" => "conformant",
            "conformant-except-caveats" => "conformant except caveats",
            "not-conformant" => "not conformant",
            _ => "no required tests",
        };
        let known = if f.known_defects == 1 {
            "1 known defect".to_string()
        } else {
            format!("{} known defects", f.known_defects)
        };
        format!(
            "{label}: {badge}; {} required ({from}): {} passed, {} failed, {} skipped; {known}; {} unexplained",
            f.required, f.passed, f.failed, f.skipped, f.unexplained
        )
    }

    #[test]
    fn the_window_says_what_summary_json_says() {
        for (set, paths) in sets().into_iter().take(2) {
            let corpus = load(&paths);
            let doc = summary(&corpus);
            let reference = from_json(&doc);
            // Tall enough for every row of the list without scrolling.
            let mut h = harness_sized(ViewerApp::with_corpus(corpus), [1600.0, 3000.0], false);
            h.run();
            // The release list: one row per release, its figures in its
            // accessible name.
            for (label, f) in &reference {
                let from = doc
                    .releases
                    .iter()
                    .find(|r| &r.label == label)
                    .map(|r| r.required_from.label())
                    .unwrap();
                let phrase = row_phrase(label, f, &from);
                assert!(
                    h.query_all_by_label(&phrase).next().is_some(),
                    "{set}: the release list does not say {phrase:?}; it says {:?}",
                    h.query_all_by_label_contains(&format!("{label}: "))
                        .map(|n| {
                            let a = n.accesskit_node();
                            a.label().or_else(|| a.value()).unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                );
            }
            // The Overview headline counts the same verdicts.
            let count = |v: &str| reference.values().filter(|f| f.verdict == v).count();
            let fully = format!("{} fully passed", count("conformant"));
            let not = format!("{} not conformant", count("not-conformant"));
            let headline = h
                .query_all_by_label_contains("fully passed")
                .map(|n| {
                    let a = n.accesskit_node();
                    a.label().or_else(|| a.value()).unwrap_or_default()
                })
                .find(|l| l.contains(" releases") || l.contains(" release "))
                .unwrap_or_else(|| {
                    panic!(
                        "{set}: no Overview headline among {:?}",
                        h.query_all_by_label_contains("passed")
                            .map(|n| {
                                let a = n.accesskit_node();
                                a.label().or_else(|| a.value()).unwrap_or_default()
                            })
                            .collect::<Vec<_>>()
                    )
                });
            assert!(
                headline.contains(&fully) && headline.contains(&not),
                "{set}: the headline {headline:?} against {fully:?}, {not:?}"
            );
            // The detail pane: each release's first non-passing required
            // tests explained as the summary explains them.
            let corpus = h.state().state().corpus.clone();
            for (index, r) in doc.releases.iter().enumerate() {
                for np in r.non_passing.iter().take(3) {
                    let test = corpus.releases[index]
                        .tests
                        .iter()
                        .position(|t| t.name() == np.name)
                        .expect("the test");
                    h.state_mut().request(Command::SelectRelease {
                        index,
                        mode: SelectMode::Only,
                    });
                    h.state_mut().request(Command::SetTab(Tab::Tests));
                    h.state_mut().request(Command::SelectTest(Some(RowRef {
                        release: index,
                        test,
                    })));
                    h.run();
                    let known = h.query_by_label("Known defect:").is_some();
                    let caveat = h.query_by_label("Caveat:").is_some();
                    let shown = match (known, caveat) {
                        (true, false) => "known-defect",
                        (false, true) => "caveat",
                        (false, false) => "unexplained",
                        _ => "both",
                    };
                    assert_eq!(
                        shown,
                        np.explained_by.as_str(),
                        "{set}: the detail pane of {} in {}",
                        np.name,
                        r.label
                    );
                }
            }
            // The Caveats tab: the unexplained results of the releases the
            // profile applies to.
            let profiled: Vec<&String> = doc
                .releases
                .iter()
                .filter(|r| r.profile.is_some())
                .map(|r| &r.label)
                .collect();
            let unexplained: u64 = profiled.iter().map(|l| reference[*l].unexplained).sum();
            h.state_mut().request(Command::SetTab(Tab::Caveats));
            h.run();
            if unexplained > 0 {
                let results = if unexplained == 1 {
                    "1 result in all".to_string()
                } else {
                    format!("{unexplained} results in all")
                };
                assert!(
                    h.query_all_by_label_contains(&results).next().is_some(),
                    "{set}: the Caveats tab does not count {results:?} unexplained"
                );
            }
        }
    }
}

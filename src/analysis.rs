//! Pure functions over a loaded [`Corpus`]: per-release summaries (the
//! document behind `summary --json`), and the terminal table.

use serde::Serialize;

use crate::model::{Corpus, LoadError, LogSummary, Release, Status};

/// Counts of the required conformance tests, as in `summary --json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConformanceCounts {
    /// Required tests in the JUnit.
    pub total: u64,
    /// Passed.
    pub passed: u64,
    /// Failed, every failure kind.
    pub failed: u64,
    /// Skipped (not run).
    pub skipped: u64,
    /// Pending.
    pub pending: u64,
}

/// One non-passing required test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NonPassing {
    /// Display name.
    pub name: String,
    /// `failed`, `skipped` or `pending`.
    pub status: Status,
    /// The precise kind (`timedout`, `panicked`, ...).
    pub kind: &'static str,
    /// The failure or skip message.
    pub message: Option<String>,
}

/// The summary of one release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseSummary {
    /// Label (path relative to the opened root, or tarball name).
    pub label: String,
    /// Folder or tarball.
    pub path: String,
    /// `kube-apiserver version`, else Sonobuoy's server version.
    pub kube_version: Option<String>,
    /// Specs in the JUnit, suite nodes excluded.
    pub specs: u64,
    /// Suite nodes kept out of every count.
    pub suite_nodes: u64,
    /// Required conformance tests by status.
    pub conformance: ConformanceCounts,
    /// The suite's own verdict line, when the log has one.
    pub log: Option<LogSummary>,
    /// Whether the JUnit's passed and failed specs equal the log's.
    pub agrees_with_log: Option<bool>,
    /// How they differ, when they do.
    pub disagreements: Vec<String>,
    /// Non-passing required tests, in file order.
    pub non_passing: Vec<NonPassing>,
    /// The suite's run time in seconds.
    pub duration_secs: Option<f64>,
    /// Problems that did not stop the release from loading.
    pub warnings: Vec<String>,
}

/// The document of `summary --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryDoc {
    /// One entry per release, in version order.
    pub releases: Vec<ReleaseSummary>,
    /// Inputs that could not be read.
    pub errors: Vec<LoadError>,
}

/// Summarise one release.
pub fn summarize_release(release: &Release) -> ReleaseSummary {
    let c = release.conformance_counts();
    let non_passing = release
        .conformance_tests()
        .filter(|t| t.status() != Status::Passed)
        .map(|t| NonPassing {
            name: t.name.to_string(),
            status: t.status(),
            kind: t.outcome.detail(),
            message: t.message.as_deref().map(str::to_string),
        })
        .collect();
    ReleaseSummary {
        label: release.label.clone(),
        path: release.origin.path().display().to_string(),
        kube_version: release.kube_version.clone(),
        specs: release.tests.len() as u64,
        suite_nodes: release.suite_nodes.len() as u64,
        conformance: ConformanceCounts {
            total: c.total,
            passed: c.passed,
            failed: c.failed,
            skipped: c.skipped,
            pending: c.pending,
        },
        log: release.log.clone(),
        agrees_with_log: release.agrees_with_log(),
        disagreements: release.log_disagreements(),
        non_passing,
        duration_secs: release.duration_secs,
        warnings: release.warnings.clone(),
    }
}

/// Summarise a corpus.
pub fn summarize(corpus: &Corpus) -> SummaryDoc {
    SummaryDoc {
        releases: corpus.releases.iter().map(summarize_release).collect(),
        errors: corpus.errors.clone(),
    }
}

/// The terminal table of `summary`, in the spirit of `sonobuoy results`.
pub fn render_table(doc: &SummaryDoc) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let headers = [
        "RELEASE",
        "KUBERNETES",
        "PASSED",
        "FAILED",
        "SKIPPED",
        "REQUIRED",
        "SPECS",
        "LOG",
    ];
    let rows: Vec<[String; 8]> = doc
        .releases
        .iter()
        .map(|r| {
            [
                r.label.clone(),
                r.kube_version.clone().unwrap_or_else(|| "?".into()),
                r.conformance.passed.to_string(),
                r.conformance.failed.to_string(),
                r.conformance.skipped.to_string(),
                r.conformance.total.to_string(),
                r.specs.to_string(),
                match r.agrees_with_log {
                    Some(true) => "agrees".into(),
                    Some(false) => "DISAGREES".into(),
                    None => "no log".into(),
                },
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = w.saturating_sub(cell.chars().count());
            if (2..7).contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&headers.map(String::from)));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    for r in &doc.releases {
        if r.non_passing.is_empty() && r.disagreements.is_empty() && r.warnings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}:", r.label);
        for d in &r.disagreements {
            let _ = writeln!(out, "  ! disagrees with e2e.log: {d}");
        }
        for t in &r.non_passing {
            let _ = writeln!(out, "  {:<8} {}", t.kind, t.name);
        }
        for w in &r.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
    }
    if !doc.errors.is_empty() {
        let _ = writeln!(out, "\nerrors:");
        for e in &doc.errors {
            let _ = writeln!(out, "  {}: {}", e.path, e.message);
        }
    }
    out
}

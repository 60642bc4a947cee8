//! Per-release figures the views show every frame, computed once per load,
//! and the verdict of a release.
//!
//! The verdict and the per-test caveat are the single place where the caveat
//! catalog will plug in: [`release_verdict`] and [`test_caveat`]. Today a
//! release is conformant when every required test passed, and no test has a
//! caveat.

use crate::model::{Counts, Release, Status, TestCase};

/// What a release's required tests amount to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Every required conformance test passed.
    Conformant,
    /// Every non-passing required test is explained by a known caveat.
    ConformantExceptCaveats,
    /// At least one required test did not pass and nothing explains it.
    NotConformant,
    /// The results hold no required conformance test at all.
    NoRequiredTests,
}

impl Verdict {
    /// The words on the badge.
    pub fn badge(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::ConformantExceptCaveats => "known caveats",
            Verdict::NotConformant => "not conformant",
            Verdict::NoRequiredTests => "no required tests",
        }
    }

    /// A sentence for tooltips.
    pub fn explanation(self) -> &'static str {
        match self {
            Verdict::Conformant => "Every required conformance test passed.",
            Verdict::ConformantExceptCaveats => {
                "Every required test that did not pass falls under a documented caveat."
            }
            Verdict::NotConformant => {
                "At least one required conformance test did not pass and no caveat explains it."
            }
            Verdict::NoRequiredTests => "No [Conformance] test was found in these results.",
        }
    }
}

/// The verdict of one release. This is where caveats will be consulted.
pub fn release_verdict(release: &Release, counts: &Counts) -> Verdict {
    if counts.total == 0 {
        return Verdict::NoRequiredTests;
    }
    if counts.passed == counts.total {
        return Verdict::Conformant;
    }
    let all_explained = release
        .conformance_tests()
        .filter(|t| t.status() != Status::Passed)
        .all(|t| test_caveat(release, t).is_some());
    if all_explained {
        Verdict::ConformantExceptCaveats
    } else {
        Verdict::NotConformant
    }
}

/// The caveat that explains a non-passing test, as a short title; `None`
/// when nothing does (today: always).
pub fn test_caveat(_release: &Release, _test: &TestCase) -> Option<String> {
    None
}

/// Everything the release list and the overview show about one release,
/// computed once when the corpus changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseInfo {
    /// The release label.
    pub label: String,
    /// A short label for chart axes: the last part of the label.
    pub short_label: String,
    /// The Kubernetes version as the results give it, or `?`.
    pub version_text: String,
    /// Counts of the required conformance tests.
    pub counts: Counts,
    /// Every spec, suite nodes excluded.
    pub specs: usize,
    /// The verdict.
    pub verdict: Verdict,
    /// Whether the JUnit agrees with the log's verdict line (`None`: no log verdict).
    pub agrees: Option<bool>,
    /// How they disagree.
    pub disagreements: Vec<String>,
    /// Problems met while loading.
    pub warnings: Vec<String>,
    /// The suite's run time.
    pub duration_secs: Option<f64>,
}

impl ReleaseInfo {
    /// Compute the figures of one release.
    pub fn of(release: &Release) -> ReleaseInfo {
        let counts = release.conformance_counts();
        let short_label = release
            .label
            .rsplit(['/', '\\'])
            .find(|s| !s.is_empty())
            .unwrap_or(&release.label)
            .trim_end_matches(".tar.gz")
            .trim_end_matches(".tgz")
            .to_string();
        ReleaseInfo {
            label: release.label.clone(),
            short_label,
            version_text: release
                .kube_version
                .clone()
                .or_else(|| {
                    release
                        .minor_version()
                        .map(|v| format!("v{v} (from the path)"))
                })
                .unwrap_or_else(|| "?".to_string()),
            counts,
            specs: release.tests.len(),
            verdict: release_verdict(release, &counts),
            agrees: release.agrees_with_log(),
            disagreements: release.log_disagreements(),
            warnings: release.warnings.clone(),
            duration_secs: release.duration_secs,
        }
    }

    /// The counts line of the release list: `270 passed · 0 failed · 7 skipped`.
    pub fn counts_text(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "{} passed · {} failed · {} skipped",
            c.passed, c.failed, c.skipped
        );
        if c.pending > 0 {
            s.push_str(&format!(" · {} pending", c.pending));
        }
        s
    }

    /// Whether the release deserves the warning icon.
    pub fn has_problems(&self) -> bool {
        !self.warnings.is_empty() || self.agrees == Some(false)
    }
}

/// The one-line verdict of a set of releases, for the first screen.
pub fn headline(infos: &[ReleaseInfo]) -> String {
    let n = infos.len();
    let passed = infos
        .iter()
        .filter(|i| i.verdict == Verdict::Conformant)
        .count();
    let caveats = infos
        .iter()
        .filter(|i| i.verdict == Verdict::ConformantExceptCaveats)
        .count();
    let failing = infos
        .iter()
        .filter(|i| i.verdict == Verdict::NotConformant)
        .count();
    let empty = infos
        .iter()
        .filter(|i| i.verdict == Verdict::NoRequiredTests)
        .count();
    let mut parts = vec![
        plural(n, "release", "releases"),
        format!("{passed} fully passed"),
    ];
    if caveats > 0 {
        parts.push(format!("{caveats} passed except known caveats"));
    }
    parts.push(format!("{failing} with non-passing required tests"));
    if empty > 0 {
        parts.push(format!("{empty} without required tests"));
    }
    parts.join(" · ")
}

/// `1 release`, `2 releases`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

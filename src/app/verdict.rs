//! Per-release figures the views show every frame, computed once when the
//! loaded data, the caveat catalog or the caveat scope change.
//!
//! The verdict comes from [`analysis::assess`], the same function behind
//! `summary --json` and the exports; its type ([`Verdict`], with its badge
//! words and tooltip sentence) is the analysis one, re-exported here.

use std::collections::BTreeMap;

use crate::analysis::{self, Assessment, Explanation, Scope};
use crate::caveats::Catalog;
use crate::conformance_list::ConformanceLists;
use crate::model::{Corpus, Counts, Release, Status};

pub use crate::analysis::Verdict;

/// Everything the release list and the overview show about one release,
/// computed once when the corpus changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseInfo {
    /// The release label.
    pub label: String,
    /// A short label for chart axes: the last part of the label.
    pub short_label: String,
    /// The label for lists and tables: the sample's common prefix is left
    /// out (a banner says it is sample data), so rows stay tellable apart.
    pub list_label: String,
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
    /// Whether the caveat profile applies to the release (detected or
    /// turned on by the user).
    pub profile_applies: bool,
    /// Whether the user turned the profile on for this release.
    pub profile_forced: bool,
    /// Whether the release is detected as the profile's platform by itself
    /// (its version or PRODUCT.yaml), so the user cannot turn it off.
    pub profile_detected: bool,
    /// Non-passing required tests per caveat category id.
    pub caveats: BTreeMap<String, u64>,
    /// Non-passing required tests that no caveat explains.
    pub unexplained: u64,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects.
    pub known_defects: u64,
    /// The releases those documents say fixed them (`v1.21`), distinct.
    pub fixed_in: Vec<String>,
    /// Required tests that passed although a caveat category says they
    /// cannot work on the platform: `(index in Release::tests, category
    /// id)`, when the profile applies.
    pub claim_misses: Vec<(usize, String)>,
    /// The other places the same run was found (shown once).
    pub also_at: Vec<String>,
    /// The assessment the figures above render: the required set and where
    /// it comes from, the verdict's reason, each explanation.
    pub assessment: Assessment,
}

impl ReleaseInfo {
    /// Compute the figures of one release against a caveat catalog, scope
    /// and the conformance lists in use.
    pub fn of(
        release: &Release,
        catalog: &Catalog,
        scope: &Scope,
        lists: Option<&ConformanceLists>,
    ) -> ReleaseInfo {
        let short_label = release
            .label
            .rsplit(['/', '\\'])
            .find(|s| !s.is_empty())
            .unwrap_or(&release.label)
            .trim_end_matches(".tar.gz")
            .trim_end_matches(".tgz")
            .to_string();
        let assessment = analysis::assess(release, catalog, scope, lists);
        let profile_detected = analysis::profile_applies(release, catalog, &Scope::default());
        ReleaseInfo {
            label: release.label.clone(),
            short_label,
            list_label: release
                .label
                .strip_prefix(crate::sample::SAMPLE_ROOT)
                .map(|l| l.trim_start_matches('/').to_string())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| release.label.clone()),
            version_text: release.version_text(),
            counts: assessment.counts,
            specs: release.tests.len(),
            verdict: assessment.verdict,
            agrees: release.agrees_with_log(),
            disagreements: release.log_disagreements(),
            warnings: release.warnings.clone(),
            duration_secs: release.duration_secs,
            profile_applies: assessment.profile_applies,
            profile_forced: scope.forced_on.contains(&release.label),
            profile_detected,
            caveats: assessment.caveats.clone(),
            unexplained: assessment.unexplained,
            known_defects: assessment.known_defects,
            claim_misses: if assessment.profile_applies {
                assessment
                    .required
                    .tests
                    .iter()
                    .map(|&i| i as usize)
                    .filter_map(|i| Some((i, release.tests.get(i)?)))
                    .filter(|(_, t)| t.status() == Status::Passed)
                    .filter_map(|(i, t)| Some((i, catalog.classify(t.name())?.category.id.clone())))
                    .collect()
            } else {
                Vec::new()
            },
            fixed_in: {
                let mut f: Vec<String> = release
                    .known_defects
                    .iter()
                    .filter_map(|d| d.entry.fixed.clone())
                    .collect();
                f.sort();
                f.dedup();
                f
            },
            also_at: release.also_at.clone(),
            assessment,
        }
    }

    /// Non-passing required tests that a caveat explains.
    pub fn explained(&self) -> u64 {
        self.caveats.values().sum()
    }

    /// How the test at `index` of the release is explained, when it is a
    /// non-passing required test.
    pub fn explanation(&self, index: usize) -> Option<&Explanation> {
        self.assessment.explanation(index)
    }

    /// Whether test `index` of the release is required (see
    /// [`analysis::required_set`]).
    pub fn is_required(&self, index: usize) -> bool {
        self.assessment.required.contains(index)
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

    /// What is left to explain: `3 known defects (fixed in v1.21), 4
    /// unexplained`; empty when nothing is.
    pub fn left_text(&self) -> String {
        let mut parts = Vec::new();
        if self.known_defects > 0 {
            let mut s = plural(self.known_defects as usize, "known defect", "known defects");
            if !self.fixed_in.is_empty() {
                s.push_str(&format!(" (fixed in {})", self.fixed_in.join(", ")));
            }
            parts.push(s);
        }
        if self.unexplained > 0 && (self.profile_applies || self.known_defects > 0) {
            parts.push(format!("{} unexplained", self.unexplained));
        }
        parts.join(", ")
    }

    /// The release in one sentence, for screen readers (the release row's
    /// accessible name): its verdict and the assessment's figures, e.g.
    /// `v1.20: not conformant; 20 required (conformance.yaml v1.20): 17
    /// passed, 0 failed, 3 skipped; 0 known defects; 1 unexplained`.
    pub fn summary_line(&self) -> String {
        let c = &self.counts;
        format!(
            "{}: {}; {} required ({}): {} passed, {} failed, {} skipped; {}; {} unexplained",
            self.label,
            self.verdict.badge(),
            c.total,
            self.assessment.required.from.label(),
            c.passed,
            c.failed,
            c.skipped,
            plural(self.known_defects as usize, "known defect", "known defects"),
            self.unexplained
        )
    }

    /// Whether the release deserves the warning icon.
    pub fn has_problems(&self) -> bool {
        !self.warnings.is_empty() || self.agrees == Some(false)
    }
}

/// The figures of every release of a corpus, in corpus order, made on all
/// cores (a tenth of a second on one for the 1,123 releases of the CNCF
/// tree): for merges and a changed catalog or scope; a load makes each
/// release's as it reads it (`loading::read_paths`).
pub fn release_infos(
    corpus: &Corpus,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
) -> Vec<ReleaseInfo> {
    use rayon::prelude::*;
    corpus
        .releases
        .par_iter()
        .map(|r| ReleaseInfo::of(r, catalog, scope, lists))
        .collect()
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
        parts.push(format!("{caveats} conformant except known caveats"));
    }
    parts.push(format!("{failing} not conformant"));
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

/// Indices of the releases that are not conformant, in corpus order: what
/// the headline points at and what a load selects first.
pub fn not_conformant(infos: &[ReleaseInfo]) -> Vec<usize> {
    infos
        .iter()
        .enumerate()
        .filter(|(_, i)| i.verdict == Verdict::NotConformant)
        .map(|(n, _)| n)
        .collect()
}

//! Pure functions over a loaded [`Corpus`]: caveat assessment and verdicts,
//! per-release summaries (the document behind `summary --json`), and the
//! terminal table.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::caveats::Catalog;
use crate::lines::{Lines, ProductLine, Renames, effective_line};
use crate::model::{Corpus, Counts, LoadError, LogSummary, Release, Status, TestCase};

/// A release's verdict on the required conformance tests: the one verdict
/// type of the crate, behind `summary --json`, the exports and the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every required test passed.
    Conformant,
    /// Every non-passing required test falls in a caveat category of a
    /// profile that applies to the release.
    ConformantExceptCaveats,
    /// At least one non-passing required test that no caveat explains.
    NotConformant,
    /// The results hold no required `[Conformance]` test at all, so nothing
    /// shows conformance: not conformant either (`no-required-tests`).
    NoRequiredTests,
}

impl Verdict {
    /// The word used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::ConformantExceptCaveats => "conformant-except-caveats",
            Verdict::NotConformant => "not-conformant",
            Verdict::NoRequiredTests => "no-required-tests",
        }
    }

    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Conformant => "Conformant",
            Verdict::ConformantExceptCaveats => "Conformant except caveats",
            Verdict::NotConformant => "Not conformant",
            Verdict::NoRequiredTests => "No required tests",
        }
    }

    /// The words on the window's badge.
    pub fn badge(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::ConformantExceptCaveats => "conformant except caveats",
            Verdict::NotConformant => "not conformant",
            Verdict::NoRequiredTests => "no required tests",
        }
    }

    /// A sentence for tooltips.
    pub fn explanation(self) -> &'static str {
        match self {
            Verdict::Conformant => "Every required conformance test passed.",
            Verdict::ConformantExceptCaveats => {
                "Some required tests did not pass, and a documented caveat of the platform explains each of them."
            }
            Verdict::NotConformant => {
                "At least one required conformance test did not pass and no caveat explains it."
            }
            Verdict::NoRequiredTests => {
                "No [Conformance] test was found in these results, so nothing shows conformance."
            }
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which releases the caveat profile applies to besides those it detects.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Labels of releases the user turned the profile on for.
    pub forced_on: HashSet<String>,
}

/// How one non-passing required test is explained.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// Category id, when a rule matched and the profile applies.
    pub category: Option<String>,
    /// Rule id that matched.
    pub rule: Option<String>,
    /// The rule's one-line reason.
    pub reason: Option<String>,
    /// A catalog note saying why the test is explicitly not explained.
    pub note: Option<String>,
    /// The vendor's per-release document explains the failure as a known
    /// defect (this takes precedence over a category: it is still a
    /// failure).
    pub known_defect: Option<DefectNote>,
}

/// What a vendor's per-release document says about one failed test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DefectNote {
    /// The document, as messages name it.
    pub document: String,
    /// The document on disk (or the tarball holding it).
    #[serde(skip)]
    pub path: std::path::PathBuf,
    /// The document's member in that tarball, when it is in one.
    #[serde(skip)]
    pub member: Option<String>,
    /// The 1-based line of the entry in the document.
    #[serde(skip)]
    pub line: usize,
    /// The test's name as the document gives it.
    #[serde(skip)]
    pub entry: String,
    /// `Failure Reason:`, when given.
    pub reason: Option<String>,
    /// `Impact:`, when given.
    pub impact: Option<String>,
    /// `Fixed:` as written, e.g. `v1.21`.
    pub fixed_in: Option<String>,
}

impl DefectNote {
    /// The note of a release's known defect.
    pub fn of(release: &Release, defect: &crate::defects::KnownDefect) -> DefectNote {
        let (document, path, member) = release.defect_doc.as_ref().map_or_else(
            || (String::new(), std::path::PathBuf::new(), None),
            |d| (d.display.clone(), d.path.clone(), d.member.clone()),
        );
        DefectNote {
            document,
            path,
            member,
            line: defect.entry.line,
            entry: defect.entry.test.clone(),
            reason: defect.entry.reason.clone(),
            impact: defect.entry.impact.clone(),
            fixed_in: defect.entry.fixed.clone(),
        }
    }
}

/// The caveat assessment of one release.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The verdict.
    pub verdict: Verdict,
    /// Whether the catalog's profile applies to the release.
    pub profile_applies: bool,
    /// Non-passing required tests per category id.
    pub caveats: BTreeMap<String, u64>,
    /// Non-passing required tests no caveat explains.
    pub unexplained: u64,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects (failures still).
    pub known_defects: u64,
}

/// Whether the catalog's profile applies to a release: its kube-apiserver
/// version or PRODUCT.yaml name it, or the user turned it on.
pub fn profile_applies(release: &Release, catalog: &Catalog, scope: &Scope) -> bool {
    if scope.forced_on.contains(&release.label) {
        return true;
    }
    let product = release.product.as_ref().map(|p| {
        format!(
            "{} {}",
            p.vendor.as_deref().unwrap_or(""),
            p.name.as_deref().unwrap_or("")
        )
    });
    catalog.applies_to(release.kube_version.as_deref(), product.as_deref())
}

/// Explain one test against the catalog (`applies` from [`profile_applies`]).
pub fn explain(test: &TestCase, catalog: &Catalog, applies: bool) -> Explanation {
    let mut e = Explanation {
        category: None,
        rule: None,
        reason: None,
        note: None,
        known_defect: None,
    };
    if !applies {
        return e;
    }
    if let Some(m) = catalog.classify(test.name()) {
        e.category = Some(m.category.id.clone());
        e.rule = Some(m.rule.id.clone());
        e.reason = Some(m.rule.reason.clone());
    } else if let Some(n) = catalog.unexplained_note(test.name()) {
        e.note = Some(n.note.clone());
    }
    e
}

/// Explain test `index` of `release`: its known defect when the vendor's
/// per-release document names it, else [`explain`] against the catalog.
pub fn explain_in(
    release: &Release,
    index: usize,
    catalog: &Catalog,
    applies: bool,
) -> Explanation {
    let Some(test) = release.tests.get(index) else {
        return explain_none();
    };
    let mut e = explain(test, catalog, applies);
    if let Some(d) = release.known_defects.iter().find(|d| d.test == index) {
        e.known_defect = Some(DefectNote::of(release, d));
    }
    e
}

fn explain_none() -> Explanation {
    Explanation {
        category: None,
        rule: None,
        reason: None,
        note: None,
        known_defect: None,
    }
}

/// Assess a release: its verdict and its non-passing tests per category.
/// A known defect (the vendor's per-release document) counts as such, not
/// under a category: it is a failure of that release.
pub fn assess(release: &Release, catalog: &Catalog, scope: &Scope) -> Assessment {
    let applies = profile_applies(release, catalog, scope);
    let mut caveats = BTreeMap::new();
    let mut unexplained = 0;
    let mut known_defects = 0;
    let mut total = 0;
    for (i, t) in release.tests.iter().enumerate() {
        if !t.conformance() {
            continue;
        }
        total += 1;
        if t.status() == Status::Passed {
            continue;
        }
        if release.known_defects.iter().any(|d| d.test == i) {
            known_defects += 1;
            continue;
        }
        match explain(t, catalog, applies).category {
            Some(id) => *caveats.entry(id).or_insert(0) += 1,
            None => unexplained += 1,
        }
    }
    let verdict = if total == 0 {
        Verdict::NoRequiredTests
    } else if unexplained > 0 || known_defects > 0 {
        Verdict::NotConformant
    } else if caveats.is_empty() {
        Verdict::Conformant
    } else {
        Verdict::ConformantExceptCaveats
    };
    Assessment {
        verdict,
        profile_applies: applies,
        caveats,
        unexplained,
        known_defects,
    }
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
    /// The caveat category id, or null when no caveat explains it.
    pub category: Option<String>,
    /// The rule of the category that matched.
    pub rule: Option<String>,
    /// The catalog's note when the test is explicitly not explained.
    pub note: Option<String>,
    /// The 1-based line of the release's log that names the test's own
    /// block, or null when the log does not name it (or there is no log).
    pub log_line: Option<usize>,
    /// What the vendor's per-release document says, with the fix checked
    /// against the data; null when it does not name the test.
    pub known_issue: Option<KnownIssue>,
}

/// A known defect in `summary --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KnownIssue {
    /// The document, as messages name it.
    pub document: String,
    /// `Failure Reason:`, when given.
    pub reason: Option<String>,
    /// `Impact:`, when given.
    pub impact: Option<String>,
    /// `Fixed:` as written, e.g. `v1.21`.
    pub fixed_in: Option<String>,
    /// `confirmed`, `contradicted` or `unchecked`.
    pub fix_check: &'static str,
    /// The label of the release the fix was checked in.
    pub fix_check_release: Option<String>,
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
    /// The Kubernetes `major.minor` used for ordering: from the version
    /// above, else from the folder or file name.
    pub kubernetes_minor: Option<String>,
    /// The product line the release belongs to, after the caveat profile
    /// ([`crate::lines::effective_line`]): `{"vendor", "name", "from"}`
    /// with `from` one of `PRODUCT.yaml`, `path`, `profile`.
    pub product_line: ProductLine,
    /// Specs in the JUnit, suite nodes excluded.
    pub specs: u64,
    /// Suite nodes kept out of every count.
    pub suite_nodes: u64,
    /// Required conformance tests by status.
    pub conformance: Counts,
    /// The suite's own verdict line, when the log has one.
    pub log: Option<LogSummary>,
    /// Whether the JUnit's passed and failed specs equal the log's.
    pub agrees_with_log: Option<bool>,
    /// The verdict on the required tests.
    pub verdict: Verdict,
    /// The caveat profile that applies to the release, if any.
    pub profile: Option<String>,
    /// Non-passing required tests per caveat category id.
    pub caveats: BTreeMap<String, u64>,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects.
    pub known_defects: u64,
    /// How they differ, when they do.
    pub disagreements: Vec<String>,
    /// Non-passing required tests, in file order.
    pub non_passing: Vec<NonPassing>,
    /// The suite's run time in seconds.
    pub duration_secs: Option<f64>,
    /// Problems that did not stop the release from loading.
    pub warnings: Vec<String>,
}

impl ReleaseSummary {
    /// The Kubernetes version for people, as [`Release::version_text`]
    /// gives it: the server's own, else `v1.30 (from the path)`, else `?`.
    pub fn version_text(&self) -> String {
        crate::model::version_text(
            self.kube_version.as_deref(),
            self.kubernetes_minor.as_deref(),
        )
    }
}

/// The document of `summary --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryDoc {
    /// One entry per release, in version order.
    pub releases: Vec<ReleaseSummary>,
    /// Inputs that could not be read.
    pub errors: Vec<LoadError>,
    /// The product lines of the releases ([`Lines::build`] without renames;
    /// its release indices are those of [`SummaryDoc::releases`]). Not in
    /// the JSON: each release carries its own
    /// [`ReleaseSummary::product_line`] there.
    #[serde(skip)]
    pub lines: Lines,
}

impl SummaryDoc {
    /// What tells release `index` apart within its line: `v1.30`, or
    /// `v1.30 run 2` when its line has several runs of that minor; its
    /// label's last part when the version is unknown.
    pub fn short_label(&self, index: usize) -> String {
        let Some(r) = self.releases.get(index) else {
            return String::new();
        };
        let base = match &r.kubernetes_minor {
            Some(m) => format!("v{m}"),
            None => r
                .label
                .rsplit(['/', '\\'])
                .find(|s| !s.is_empty())
                .unwrap_or(&r.label)
                .to_string(),
        };
        match self.lines.runs.get(index) {
            Some(&(run, runs)) if runs > 1 => format!("{base} run {run}"),
            _ => base,
        }
    }

    /// The newest release of `line` (an index into
    /// [`SummaryDoc::releases`]): its last with a known version, else its
    /// last.
    pub fn latest_of(&self, line: &crate::lines::Line) -> Option<usize> {
        line.releases
            .iter()
            .rev()
            .copied()
            .find(|&i| {
                self.releases
                    .get(i)
                    .is_some_and(|r| r.kubernetes_minor.is_some())
            })
            .or(line.releases.last().copied())
    }

    /// Whether [`SummaryDoc::lines`] covers every release (a document
    /// built by hand may leave it empty).
    pub fn has_lines(&self) -> bool {
        !self.releases.is_empty()
            && self.lines.of_release.len() == self.releases.len()
            && self
                .lines
                .lines
                .iter()
                .all(|l| l.releases.iter().all(|&i| i < self.releases.len()))
    }
}

/// Summarise one release against a caveat catalog (known defects'
/// fixes unchecked: that needs the corpus, see [`summarize_lists`]).
pub fn summarize_release(release: &Release, catalog: &Catalog, scope: &Scope) -> ReleaseSummary {
    summarize_release_checked(release, catalog, scope, &|_| None)
}

/// [`summarize_release`] with the fix check of each known defect by test
/// index (`None`: unchecked).
fn summarize_release_checked(
    release: &Release,
    catalog: &Catalog,
    scope: &Scope,
    fix: &dyn Fn(usize) -> Option<(crate::defects::FixCheck, Option<String>)>,
) -> ReleaseSummary {
    let assessment = assess(release, catalog, scope);
    let non_passing = release
        .tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.conformance() && t.status() != Status::Passed)
        .map(|(i, t)| {
            let e = explain_in(release, i, catalog, assessment.profile_applies);
            let known_issue = e.known_defect.map(|d| {
                let (check, at) = fix(i).unwrap_or((
                    crate::defects::FixCheck::Unchecked {
                        why: "not checked".to_string(),
                    },
                    None,
                ));
                KnownIssue {
                    document: d.document,
                    reason: d.reason,
                    impact: d.impact,
                    fixed_in: d.fixed_in,
                    fix_check: check.word(),
                    fix_check_release: at,
                }
            });
            NonPassing {
                name: t.name().to_string(),
                status: t.status(),
                kind: t.outcome.detail(),
                message: t.message.as_deref().map(str::to_string),
                category: e.category,
                rule: e.rule,
                note: e.note,
                log_line: release.log_lines.get(&i).copied(),
                known_issue,
            }
        })
        .collect();
    ReleaseSummary {
        label: release.label.clone(),
        path: release.origin.path().display().to_string(),
        kube_version: release.kube_version.clone(),
        kubernetes_minor: release.minor_version(),
        product_line: effective_line(release, catalog),
        specs: release.tests.len() as u64,
        suite_nodes: release.suite_nodes.len() as u64,
        conformance: release.conformance_counts(),
        log: release.log.clone(),
        agrees_with_log: release.agrees_with_log(),
        verdict: assessment.verdict,
        profile: assessment
            .profile_applies
            .then(|| catalog.profile.id.clone()),
        caveats: assessment.caveats,
        known_defects: assessment.known_defects,
        disagreements: release.log_disagreements(),
        non_passing,
        duration_secs: release.duration_secs,
        warnings: release.warnings.clone(),
    }
}

/// Summarise a corpus with the built-in catalog and detected scope.
pub fn summarize(corpus: &Corpus) -> SummaryDoc {
    summarize_with(corpus, &Catalog::builtin(), &Scope::default())
}

/// Summarise a corpus with a given catalog and scope, checking documented
/// fixes with the built-in conformance lists.
pub fn summarize_with(corpus: &Corpus, catalog: &Catalog, scope: &Scope) -> SummaryDoc {
    // Only known defects' fix checks need the lists.
    let lists = corpus
        .releases
        .iter()
        .any(|r| !r.known_defects.is_empty())
        .then(|| crate::conformance_index::builtin().ok())
        .flatten();
    summarize_lists(corpus, catalog, scope, lists)
}

/// Summarise a corpus; known defects' fixes are checked along each
/// product line, following renames through `lists`.
pub fn summarize_lists(
    corpus: &Corpus,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&crate::conformance_list::ConformanceLists>,
) -> SummaryDoc {
    use rayon::prelude::*;
    let lines = Lines::build(corpus, catalog, &Renames::new());
    // Each release is summarised on its own, on every core.
    SummaryDoc {
        releases: corpus
            .releases
            .par_iter()
            .enumerate()
            .map(|(r, release)| {
                let fix = |test: usize| {
                    let d = release.known_defects.iter().find(|d| d.test == test)?;
                    let check = crate::defects::check_fix(corpus, &lines, lists, r, d);
                    let at = check
                        .release()
                        .and_then(|i| corpus.releases.get(i))
                        .map(|x| x.label.clone());
                    Some((check, at))
                };
                summarize_release_checked(release, catalog, scope, &fix)
            })
            .collect(),
        errors: corpus.errors.clone(),
        lines,
    }
}

/// Skipped tests listed per release in the terminal table before the rest
/// are counted instead.
const MAX_SKIPPED_LISTED: usize = 25;

/// The header row of a product line in the terminal table: its name and
/// vendor, how many releases it has and the verdict of its latest, e.g.
/// `vSphere Supervisor [VMware, by the caveat profile]: 2 releases, latest v1.21 not-conformant`.
fn line_heading(doc: &SummaryDoc, line: &crate::lines::Line) -> String {
    use crate::lines::LineFrom;
    let mut about: Vec<String> = Vec::new();
    if let Some(v) = &line.vendor {
        about.push(v.clone());
    }
    match line.from {
        LineFrom::ProductYaml => {}
        LineFrom::Path => about.push("named by its folder".to_string()),
        LineFrom::Profile => about.push("by the caveat profile".to_string()),
    }
    let mut s = line.name.clone();
    if !about.is_empty() {
        s.push_str(&format!(" [{}]", about.join(", ")));
    }
    let n = line.releases.len();
    s.push_str(&format!(": {n} release{}", if n == 1 { "" } else { "s" }));
    if let Some(i) = doc.latest_of(line)
        && let Some(r) = doc.releases.get(i)
    {
        s.push_str(&format!(
            ", latest {} {}",
            doc.short_label(i),
            r.verdict.as_str()
        ));
    }
    s
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
        "VERDICT",
    ];
    let row = |r: &ReleaseSummary, indent: &str| -> [String; 9] {
        [
            format!("{indent}{}", r.label),
            r.version_text(),
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
            r.verdict.as_str().to_string(),
        ]
    };
    // Grouped by product line: a line's header, then its releases oldest
    // first, indented. A document without lines lists the releases flat.
    enum Row {
        Line(String),
        Release([String; 9]),
    }
    let rows: Vec<Row> = if doc.has_lines() {
        let mut rows = Vec::with_capacity(doc.releases.len() + doc.lines.lines.len());
        for line in &doc.lines.lines {
            rows.push(Row::Line(line_heading(doc, line)));
            for &i in &line.releases {
                let mut cells = row(&doc.releases[i], "  ");
                if let Some(&(run, runs)) = doc.lines.runs.get(i)
                    && runs > 1
                {
                    cells[0].push_str(&format!(" (run {run} of {runs})"));
                }
                rows.push(Row::Release(cells));
            }
        }
        rows
    } else {
        doc.releases
            .iter()
            .map(|r| Row::Release(row(r, "")))
            .collect()
    };
    let mut widths = headers.map(str::len);
    for row in &rows {
        if let Row::Release(cells) = row {
            for (w, cell) in widths.iter_mut().zip(cells) {
                *w = (*w).max(cell.chars().count());
            }
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
        match row {
            Row::Line(heading) => {
                let _ = writeln!(out, "{heading}");
            }
            Row::Release(cells) => {
                let _ = writeln!(out, "{}", line(cells));
            }
        }
    }
    for r in &doc.releases {
        let no_required = r.verdict == Verdict::NoRequiredTests;
        if r.non_passing.is_empty()
            && r.disagreements.is_empty()
            && r.warnings.is_empty()
            && !no_required
        {
            continue;
        }
        let _ = writeln!(out, "\n{}:", r.label);
        if no_required {
            let _ = writeln!(
                out,
                "  ! no required [Conformance] test in these results: not conformant"
            );
        }
        for d in &r.disagreements {
            let _ = writeln!(out, "  ! disagrees with e2e.log: {d}");
        }
        // Unexplained failures first: they are what a reader must look at.
        let mut entries: Vec<&NonPassing> = r.non_passing.iter().collect();
        entries.sort_by_key(|t| (t.category.is_some(), t.status != Status::Failed));
        let mut skipped_shown = 0;
        let mut skipped_hidden = 0;
        for t in entries {
            if t.status != Status::Failed {
                if skipped_shown >= MAX_SKIPPED_LISTED {
                    skipped_hidden += 1;
                    continue;
                }
                skipped_shown += 1;
            }
            let why = match (&t.category, &t.rule) {
                (Some(c), Some(rule)) => format!("  [caveat {c}: {rule}]"),
                _ if r.profile.is_some() => "  [UNEXPLAINED]".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {:<8} {}{why}", t.kind, t.name);
        }
        if skipped_hidden > 0 {
            let _ = writeln!(
                out,
                "  ... and {skipped_hidden} more skipped (all are in `summary --json`)"
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Limits, junit::parse_junit_str};
    use crate::model::{Origin, Product};

    fn release(label: &str, kube: Option<&str>, product: Option<&str>) -> Release {
        let xml = r#"<testsuite time="1">
            <testcase name="[sig-network] Services should be able to create a functioning NodePort service [Conformance]" time="0"><skipped/></testcase>
            <testcase name="[sig-node] Pods should run [Conformance]" time="1"></testcase>
        </testsuite>"#;
        let report = parse_junit_str(xml, "junit_01.xml", &Limits::default()).unwrap();
        Release {
            label: label.into(),
            origin: Origin::Folder(label.into()),
            root: ".".into(),
            kube_version: kube.map(String::from),
            e2e_version: None,
            version: None,
            tests: report.tests,
            suite_nodes: Vec::new(),
            log: None,
            log_failures: Vec::new(),
            log_location: None,
            product: product.map(|name| Product {
                name: Some(name.into()),
                ..Product::default()
            }),
            duration_secs: None,
            files: Vec::new(),
            warnings: Vec::new(),
            bytes_read: 0,
            caveat_doc: None,
            defect_doc: None,
            known_defects: Vec::new(),
            line: Default::default(),
            started: None,
            key_index: Default::default(),
            log_lines: Default::default(),
        }
    }

    #[test]
    fn scope_decides_whether_caveats_excuse_a_skip() {
        let catalog = Catalog::builtin();
        let none = Scope::default();
        let wcp = release("a", Some("v1.21.0+vmware.wcp.2"), None);
        assert_eq!(
            assess(&wcp, &catalog, &none).verdict,
            Verdict::ConformantExceptCaveats
        );
        let other = release("b", Some("v1.21.0+gke.1"), None);
        let a = assess(&other, &catalog, &none);
        assert_eq!(a.verdict, Verdict::NotConformant);
        assert!(a.caveats.is_empty() && a.unexplained == 1);
        let by_product = release("c", None, Some("VMware vSphere Supervisor"));
        assert!(profile_applies(&by_product, &catalog, &none));
        let forced = Scope {
            forced_on: ["b".to_string()].into_iter().collect(),
        };
        assert_eq!(
            assess(&other, &catalog, &forced).verdict,
            Verdict::ConformantExceptCaveats
        );
        let doc = summarize_release(&wcp, &catalog, &none);
        assert_eq!(doc.non_passing[0].category.as_deref(), Some("nodeport"));
        assert_eq!(doc.caveats.get("nodeport"), Some(&1));
    }

    #[test]
    fn a_release_without_required_tests_is_not_conformant() {
        let mut r = release("x", None, None);
        r.tests.retain(|t| !t.conformance());
        let verdict = assess(&r, &Catalog::builtin(), &Scope::default()).verdict;
        assert_eq!(verdict, Verdict::NoRequiredTests);
        assert_eq!(
            serde_json::to_value(verdict).unwrap(),
            serde_json::json!("no-required-tests")
        );
        let table = render_table(&summarize_with(
            &Corpus {
                releases: vec![r],
                errors: Vec::new(),
            },
            &Catalog::builtin(),
            &Scope::default(),
        ));
        assert!(table.contains("no-required-tests"), "{table}");
        assert!(table.contains("not conformant"), "{table}");
    }

    #[test]
    fn the_table_groups_by_line_and_a_bare_document_lists_flat() {
        let mut a = release("x/v1.30/acme", Some("v1.30.1"), Some("Acme Engine"));
        a.version = Some((1, 30, 1));
        a.line = crate::lines::release_line(&a);
        let mut b = release("y/v1.29/acme", Some("v1.29.4"), Some("acme  ENGINE"));
        b.version = Some((1, 29, 4));
        b.line = crate::lines::release_line(&b);
        let corpus = Corpus {
            releases: vec![b, a],
            errors: Vec::new(),
        };
        let mut doc = summarize_with(&corpus, &Catalog::builtin(), &Scope::default());
        assert_eq!(doc.releases[1].product_line.name, "Acme Engine");
        assert_eq!(doc.short_label(1), "v1.30");
        let table = render_table(&doc);
        let rows: Vec<&str> = table.lines().collect();
        // The line is named as its newest release spells it.
        assert_eq!(
            rows[1],
            "Acme Engine: 2 releases, latest v1.30 not-conformant"
        );
        assert!(rows[2].starts_with("  y/v1.29/acme"), "{table}");
        assert!(rows[3].starts_with("  x/v1.30/acme"), "{table}");
        doc.lines = Lines::default();
        let flat = render_table(&doc);
        assert!(
            flat.lines()
                .nth(1)
                .is_some_and(|r| r.starts_with("y/v1.29/acme"))
        );
    }

    #[test]
    fn verdict_words_match_their_json() {
        for v in [
            Verdict::Conformant,
            Verdict::ConformantExceptCaveats,
            Verdict::NotConformant,
            Verdict::NoRequiredTests,
        ] {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(v.as_str())
            );
        }
    }
}

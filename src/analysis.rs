//! Pure functions over a loaded [`Corpus`]: caveat assessment and verdicts,
//! per-release summaries (the document behind `summary --json`), and the
//! terminal table.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::caveats::Catalog;
use crate::conformance_list::ConformanceLists;
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

/// Where a release's required tests come from: the one answer behind every
/// output's "required" (see [`required_set`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequiredFrom {
    /// Kubernetes' `conformance.yaml` of the release's minor: the tests it
    /// lists with a `release` at or before that minor.
    List((u32, u32)),
    /// No list is known for the release: its `[Conformance]`-tagged specs.
    Tags(NoList),
}

/// Why no conformance list gives a release's required tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoList {
    /// No lists were given at all.
    NoLists,
    /// The release's Kubernetes minor is unknown.
    MinorUnknown,
    /// No list of this minor is known (older than v1.18, or newer than
    /// the newest list).
    NotListed((u32, u32)),
}

impl RequiredFrom {
    /// `conformance.yaml v1.24` or `[Conformance] tags`: the words of
    /// `required_from` in JSON, CSV and Pre-check.
    pub fn label(&self) -> String {
        match self {
            RequiredFrom::List((a, b)) => format!("conformance.yaml v{a}.{b}"),
            RequiredFrom::Tags(_) => "[Conformance] tags".to_string(),
        }
    }

    /// Why the tags stand in for a list, as a sentence; `None` when a list
    /// gives the required tests.
    pub fn fallback_note(&self) -> Option<String> {
        let why = match self {
            RequiredFrom::List(_) => return None,
            RequiredFrom::Tags(NoList::NoLists) => "no conformance lists were given".to_string(),
            RequiredFrom::Tags(NoList::MinorUnknown) => {
                "the Kubernetes version is unknown".to_string()
            }
            RequiredFrom::Tags(NoList::NotListed((a, b))) => {
                format!("no conformance.yaml of v{a}.{b} is known")
            }
        };
        Some(format!(
            "{why}, so the required tests are the specs tagged [Conformance]"
        ))
    }
}

impl Serialize for RequiredFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

/// A release's required tests, decided by [`required_set`].
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredSet {
    /// Where they come from.
    pub from: RequiredFrom,
    /// Indices in [`Release::tests`] of the required tests, in file order.
    pub tests: Vec<u32>,
    /// Indices of the specs tagged `[Conformance]` that the list does not
    /// require (promoted in a later release, or not listed): counted apart,
    /// never deciding the verdict. Always empty when the tags are the
    /// required set.
    pub tagged: Vec<u32>,
    /// The part of `tagged` that the list names with a later `release`
    /// (not yet required at this minor); the rest it does not list.
    pub not_yet: Vec<u32>,
    /// Required tests of the list that no spec of the results matches:
    /// their names in the list, in list order. Empty for a partial report
    /// (see `partial`): such a file does not claim to hold them.
    pub missing: Vec<String>,
    /// Set when the results are a partial report: they name fewer than
    /// half of the tests the list requires, while a suite run's JUnit names
    /// every spec of the suite (run or skipped). The verdict then covers
    /// the required tests the file holds, and every output says so.
    pub partial: Option<Partial>,
}

/// How much of a conformance list a partial report names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Partial {
    /// Required tests of the list that the results name.
    pub named: u64,
    /// Tests the list requires.
    pub required: u64,
}

impl Partial {
    /// The sentence every output gives.
    pub fn sentence(&self, from: &RequiredFrom) -> String {
        format!(
            "a partial report: it names {} of the {} tests {} requires, and the verdict covers those",
            self.named,
            self.required,
            from.label()
        )
    }
}

impl RequiredSet {
    /// Whether test `index` of the release is required.
    pub fn contains(&self, index: usize) -> bool {
        u32::try_from(index).is_ok_and(|i| self.tests.binary_search(&i).is_ok())
    }

    /// Whether test `index` is tagged `[Conformance]` but not required.
    pub fn is_tagged_only(&self, index: usize) -> bool {
        u32::try_from(index).is_ok_and(|i| self.tagged.binary_search(&i).is_ok())
    }
}

/// The required tests of `release`: those its Kubernetes minor's
/// `conformance.yaml` (from `lists`) requires; when no list is known for
/// the minor, its `[Conformance]`-tagged specs. The one place that decides
/// what "required" means.
pub fn required_set(release: &Release, lists: Option<&ConformanceLists>) -> RequiredSet {
    let tagged_indices = || {
        release
            .tests
            .iter()
            .enumerate()
            .filter(|(_, t)| t.conformance())
            .filter_map(|(i, _)| u32::try_from(i).ok())
    };
    let minor = release.version.map(|(a, b, _)| (a, b));
    let list = match (lists, minor) {
        (None, _) => Err(NoList::NoLists),
        (Some(_), None) => Err(NoList::MinorUnknown),
        (Some(l), Some(m)) => l.for_version(m).ok_or(NoList::NotListed(m)),
    };
    let list = match list {
        Ok(list) => list,
        Err(why) => {
            return RequiredSet {
                from: RequiredFrom::Tags(why),
                tests: tagged_indices().collect(),
                tagged: Vec::new(),
                not_yet: Vec::new(),
                missing: Vec::new(),
                partial: None,
            };
        }
    };
    let mut matched = vec![false; list.entries.len()];
    let mut tests = Vec::new();
    let mut tagged = Vec::new();
    let mut not_yet = Vec::new();
    for i in tagged_indices() {
        let t = &release.tests[i as usize];
        match list.entry_index(t.name(), t.key()) {
            Some(e) if list.is_required(e) => {
                matched[e] = true;
                tests.push(i);
            }
            Some(_) => {
                tagged.push(i);
                not_yet.push(i);
            }
            None => tagged.push(i),
        }
    }
    let required = list.required_len() as u64;
    let named = matched.iter().filter(|m| **m).count() as u64;
    let partial = (named * 2 < required).then_some(Partial { named, required });
    let missing = if partial.is_some() {
        Vec::new()
    } else {
        list.entries
            .iter()
            .enumerate()
            .filter(|(e, _)| list.is_required(*e) && !matched[*e])
            .map(|(_, entry)| crate::ingest::names::display_name(&entry.codename))
            .collect()
    };
    RequiredSet {
        from: RequiredFrom::List(list.version),
        tests,
        tagged,
        not_yet,
        missing,
        partial,
    }
}

/// How a non-passing required test is explained, in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ExplainedBy {
    /// Nothing explains it: what a reader must look at first.
    Unexplained,
    /// The vendor's per-release document names it as a known defect: still
    /// a failure, but explained.
    KnownDefect,
    /// A caveat category of a profile that applies to the release.
    Caveat,
}

impl ExplainedBy {
    /// The word of JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            ExplainedBy::Unexplained => "unexplained",
            ExplainedBy::KnownDefect => "known-defect",
            ExplainedBy::Caveat => "caveat",
        }
    }
}

impl Explanation {
    /// Which kind of explanation this is: a known defect wins over a
    /// category (it is a failure of the release).
    pub fn by(&self) -> ExplainedBy {
        if self.known_defect.is_some() {
            ExplainedBy::KnownDefect
        } else if self.category.is_some() {
            ExplainedBy::Caveat
        } else {
            ExplainedBy::Unexplained
        }
    }
}

/// The assessment of one release: its required tests and where they come
/// from, how each non-passing one is explained, and the verdict with its
/// reason. Every output renders this value and derives none of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in one sentence: `2 required tests failed and nothing explains
    /// them`.
    pub reason: String,
    /// Whether the catalog's profile applies to the release.
    pub profile_applies: bool,
    /// The required tests.
    pub required: RequiredSet,
    /// The required tests by status.
    pub counts: Counts,
    /// The `[Conformance]`-tagged specs that are not required, by status.
    pub tagged: Counts,
    /// Non-passing required tests per category id (known defects apart).
    pub caveats: BTreeMap<String, u64>,
    /// Non-passing required tests no caveat or document explains.
    pub unexplained: u64,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects (failures still).
    pub known_defects: u64,
    /// Each non-passing required test's explanation, by its index in
    /// [`Release::tests`], in file order.
    pub explanations: Vec<(usize, Explanation)>,
}

impl Assessment {
    /// Non-passing required tests that a caveat category explains.
    pub fn explained_by_caveats(&self) -> u64 {
        self.caveats.values().sum()
    }

    /// Required tests that no spec of the results matches.
    pub fn missing(&self) -> u64 {
        self.required.missing.len() as u64
    }

    /// How test `index` is explained, when it is a non-passing required
    /// test.
    pub fn explanation(&self, index: usize) -> Option<&Explanation> {
        self.explanations
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|k| &self.explanations[k].1)
    }
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

/// Assess a release: its required set (from `lists`, see
/// [`required_set`]), how each non-passing required test is explained, and
/// its verdict with the reason. A known defect (the vendor's per-release
/// document) counts as such, not under a category: it is a failure of that
/// release.
pub fn assess(
    release: &Release,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
) -> Assessment {
    let applies = profile_applies(release, catalog, scope);
    let required = required_set(release, lists);
    let mut counts = Counts::default();
    let mut caveats = BTreeMap::new();
    let mut unexplained = 0;
    let mut known_defects = 0;
    let mut explanations = Vec::new();
    for &i in &required.tests {
        let i = i as usize;
        let Some(t) = release.tests.get(i) else {
            continue;
        };
        counts.add(t.status());
        if t.status() == Status::Passed {
            continue;
        }
        let e = explain_in(release, i, catalog, applies);
        match e.by() {
            ExplainedBy::KnownDefect => known_defects += 1,
            ExplainedBy::Caveat => {
                if let Some(id) = &e.category {
                    *caveats.entry(id.clone()).or_insert(0) += 1;
                }
            }
            ExplainedBy::Unexplained => unexplained += 1,
        }
        explanations.push((i, e));
    }
    let mut tagged = Counts::default();
    for &i in &required.tagged {
        if let Some(t) = release.tests.get(i as usize) {
            tagged.add(t.status());
        }
    }
    let missing = required.missing.len() as u64;
    let verdict = if counts.total == 0 && missing == 0 {
        Verdict::NoRequiredTests
    } else if unexplained > 0 || known_defects > 0 || missing > 0 {
        Verdict::NotConformant
    } else if caveats.is_empty() {
        Verdict::Conformant
    } else {
        Verdict::ConformantExceptCaveats
    };
    let mut a = Assessment {
        verdict,
        reason: String::new(),
        profile_applies: applies,
        required,
        counts,
        tagged,
        caveats,
        unexplained,
        known_defects,
        explanations,
    };
    a.reason = verdict_reason(&a);
    a
}

/// The sentence that says why `a` has its verdict.
fn verdict_reason(a: &Assessment) -> String {
    let base = verdict_reason_base(a);
    match &a.required.partial {
        Some(p) if a.verdict != Verdict::NoRequiredTests => {
            format!("{base}; {}", p.sentence(&a.required.from))
        }
        _ => base,
    }
}

fn verdict_reason_base(a: &Assessment) -> String {
    let from = a.required.from.label();
    let n = |k: u64, one: &str, many: &str| {
        if k == 1 {
            format!("{k} {one}")
        } else {
            format!("{k} {many}")
        }
    };
    let not_passed = a.counts.total - a.counts.passed;
    match a.verdict {
        Verdict::NoRequiredTests => match (a.required.from, a.required.partial) {
            (RequiredFrom::List(_), Some(p)) => format!(
                "the results name none of the {} tests {from} requires: nothing shows conformance, so not conformant",
                p.required
            ),
            (RequiredFrom::List(_), None) => format!("{from} requires no test"),
            (RequiredFrom::Tags(_), _) => {
                "no spec of the results is tagged [Conformance]: nothing shows conformance, so not conformant"
                    .to_string()
            }
        },
        Verdict::Conformant => format!(
            "all {} passed ({from})",
            n(a.counts.total, "required test", "required tests")
        ),
        Verdict::ConformantExceptCaveats => format!(
            "{} did not pass and a caveat of the platform explains each ({from})",
            n(not_passed, "required test", "required tests")
        ),
        Verdict::NotConformant => {
            let mut parts = Vec::new();
            if a.unexplained > 0 {
                parts.push(n(a.unexplained, "unexplained", "unexplained"));
            }
            if a.known_defects > 0 {
                parts.push(n(a.known_defects, "known defect", "known defects"));
            }
            let explained = a.explained_by_caveats();
            if explained > 0 {
                parts.push(format!("{explained} explained by caveats"));
            }
            let mut s = if not_passed > 0 {
                format!(
                    "{} did not pass: {}",
                    n(not_passed, "required test", "required tests"),
                    parts.join(", ")
                )
            } else {
                String::new()
            };
            if a.missing() > 0 {
                if !s.is_empty() {
                    s.push_str("; ");
                }
                s.push_str(&format!(
                    "{} missing from the results",
                    n(a.missing(), "required test is", "required tests are")
                ));
            }
            format!("{s} ({from})")
        }
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
    /// `caveat`, `known-defect` or `unexplained`; for a spec that is not
    /// required (in `tagged_non_passing`), `unexplained` with nothing to
    /// explain.
    pub explained_by: ExplainedBy,
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
    /// Required conformance tests by status: those the minor's
    /// `conformance.yaml` requires, else the `[Conformance]`-tagged specs
    /// (see `required_from`).
    pub conformance: Counts,
    /// Where the required tests come from: `conformance.yaml v1.24` or
    /// `[Conformance] tags`.
    pub required_from: RequiredFrom,
    /// Why the tags stand in for a list, when they do.
    pub required_note: Option<String>,
    /// Required tests of the list that no spec of the results matches.
    pub required_missing: Vec<String>,
    /// Set for a partial report: `{named, required}`, how many of the
    /// list's required tests the results name; null for a full one.
    pub partial_report: Option<Partial>,
    /// Specs tagged `[Conformance]` that the list does not require, by
    /// status: counted apart, never deciding the verdict.
    pub tagged: Counts,
    /// The suite's own verdict line, when the log has one.
    pub log: Option<LogSummary>,
    /// Whether the JUnit's passed and failed specs equal the log's.
    pub agrees_with_log: Option<bool>,
    /// The verdict on the required tests.
    pub verdict: Verdict,
    /// Why, in one sentence.
    pub verdict_reason: String,
    /// The caveat profile that applies to the release, if any.
    pub profile: Option<String>,
    /// Non-passing required tests per caveat category id.
    pub caveats: BTreeMap<String, u64>,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects.
    pub known_defects: u64,
    /// Non-passing required tests that nothing explains.
    pub unexplained: u64,
    /// How they differ, when they do.
    pub disagreements: Vec<String>,
    /// Non-passing required tests, in file order.
    pub non_passing: Vec<NonPassing>,
    /// Non-passing specs tagged `[Conformance]` that are not required, in
    /// file order.
    pub tagged_non_passing: Vec<NonPassing>,
    /// The suite's run time in seconds.
    pub duration_secs: Option<f64>,
    /// Problems that did not stop the release from loading.
    pub warnings: Vec<String>,
    /// The other places the same run was found, shown once here.
    pub also_at: Vec<String>,
    /// The assessment every field above renders (not in the JSON).
    #[serde(skip)]
    pub assessment: Assessment,
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

/// Summarise one release against a caveat catalog and the built-in
/// conformance lists (known defects' fixes unchecked: that needs the
/// corpus, see [`summarize_lists`]).
pub fn summarize_release(release: &Release, catalog: &Catalog, scope: &Scope) -> ReleaseSummary {
    let lists = crate::conformance_index::builtin().ok();
    summarize_release_checked(release, catalog, scope, lists, &|_| None)
}

/// [`summarize_release`] with the fix check of each known defect by test
/// index (`None`: unchecked).
fn summarize_release_checked(
    release: &Release,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
    fix: &dyn Fn(usize) -> Option<(crate::defects::FixCheck, Option<String>)>,
) -> ReleaseSummary {
    let assessment = assess(release, catalog, scope, lists);
    let entry = |i: usize, t: &TestCase, e: Option<&Explanation>| {
        let known_issue = e.and_then(|e| e.known_defect.as_ref()).map(|d| {
            let (check, at) = fix(i).unwrap_or((
                crate::defects::FixCheck::Unchecked {
                    why: "not checked".to_string(),
                },
                None,
            ));
            KnownIssue {
                document: d.document.clone(),
                reason: d.reason.clone(),
                impact: d.impact.clone(),
                fixed_in: d.fixed_in.clone(),
                fix_check: check.word(),
                fix_check_release: at,
            }
        });
        NonPassing {
            name: t.name().to_string(),
            status: t.status(),
            kind: t.outcome.detail(),
            message: t.message.as_deref().map(str::to_string),
            category: e.and_then(|e| e.category.clone()),
            rule: e.and_then(|e| e.rule.clone()),
            note: e.and_then(|e| e.note.clone()),
            log_line: release.log_lines.get(&i).copied(),
            known_issue,
            explained_by: e.map_or(ExplainedBy::Unexplained, Explanation::by),
        }
    };
    let non_passing = assessment
        .explanations
        .iter()
        .filter_map(|(i, e)| Some(entry(*i, release.tests.get(*i)?, Some(e))))
        .collect();
    let tagged_non_passing = assessment
        .required
        .tagged
        .iter()
        .map(|&i| i as usize)
        .filter_map(|i| Some((i, release.tests.get(i)?)))
        .filter(|(_, t)| t.status() != Status::Passed)
        .map(|(i, t)| entry(i, t, None))
        .collect();
    ReleaseSummary {
        label: release.label.clone(),
        path: release.origin.path().display().to_string(),
        kube_version: release.kube_version.clone(),
        kubernetes_minor: release.minor_version(),
        product_line: effective_line(release, catalog),
        specs: release.tests.len() as u64,
        suite_nodes: release.suite_nodes.len() as u64,
        conformance: assessment.counts,
        required_from: assessment.required.from,
        required_note: assessment.required.from.fallback_note(),
        required_missing: assessment.required.missing.clone(),
        partial_report: assessment.required.partial,
        tagged: assessment.tagged,
        log: release.log.clone(),
        agrees_with_log: release.agrees_with_log(),
        verdict: assessment.verdict,
        verdict_reason: assessment.reason.clone(),
        profile: assessment
            .profile_applies
            .then(|| catalog.profile.id.clone()),
        caveats: assessment.caveats.clone(),
        known_defects: assessment.known_defects,
        unexplained: assessment.unexplained,
        disagreements: release.log_disagreements(),
        non_passing,
        tagged_non_passing,
        duration_secs: release.duration_secs,
        warnings: release.warnings.clone(),
        also_at: release.also_at.clone(),
        assessment,
    }
}

/// Summarise a corpus with the built-in catalog and conformance lists.
pub fn summarize(corpus: &Corpus) -> SummaryDoc {
    summarize_with(corpus, &Catalog::builtin(), &Scope::default())
}

/// Summarise a corpus with a given catalog and scope and the built-in
/// conformance lists.
pub fn summarize_with(corpus: &Corpus, catalog: &Catalog, scope: &Scope) -> SummaryDoc {
    summarize_lists(
        corpus,
        catalog,
        scope,
        crate::conformance_index::builtin().ok(),
    )
}

/// Summarise a corpus: `lists` give each release's required tests (see
/// [`required_set`]) and follow renames when known defects' fixes are
/// checked along each product line.
pub fn summarize_lists(
    corpus: &Corpus,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
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
                summarize_release_checked(release, catalog, scope, lists, &fix)
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
            && r.tagged_non_passing.is_empty()
            && r.required_missing.is_empty()
            && r.disagreements.is_empty()
            && r.warnings.is_empty()
            && r.required_note.is_none()
            && r.also_at.is_empty()
            && !no_required
        {
            continue;
        }
        let _ = writeln!(out, "\n{}:", r.label);
        let _ = writeln!(out, "  {}: {}", r.verdict.as_str(), r.verdict_reason);
        if let Some(note) = &r.required_note {
            let _ = writeln!(out, "  note: {note}");
        }
        for place in &r.also_at {
            let _ = writeln!(out, "  the same run is also at: {place}");
        }
        for d in &r.disagreements {
            let _ = writeln!(out, "  ! disagrees with e2e.log: {d}");
        }
        // Unexplained failures first: they are what a reader must look at;
        // then known defects, then what caveats explain.
        let mut entries: Vec<&NonPassing> = r.non_passing.iter().collect();
        entries.sort_by_key(|t| (t.explained_by, t.status != Status::Failed));
        let mut skipped_shown = 0;
        // Skipped entries left out, by how they are explained.
        let mut hidden: BTreeMap<ExplainedBy, usize> = BTreeMap::new();
        for t in entries {
            if t.status != Status::Failed {
                if skipped_shown >= MAX_SKIPPED_LISTED {
                    *hidden.entry(t.explained_by).or_insert(0) += 1;
                    continue;
                }
                skipped_shown += 1;
            }
            let why = match (t.explained_by, &t.category, &t.rule, &t.known_issue) {
                (ExplainedBy::KnownDefect, _, _, Some(k)) => {
                    let mut s = "  [KNOWN DEFECT".to_string();
                    if let Some(f) = &k.fixed_in {
                        s.push_str(&format!(", fixed in {f}"));
                        match (&k.fix_check_release, k.fix_check) {
                            (Some(at), check) if check != "unchecked" => {
                                s.push_str(&format!(": {check} by {at}"));
                            }
                            _ => s.push_str(&format!(": {}", k.fix_check)),
                        }
                    }
                    s.push(']');
                    s
                }
                (ExplainedBy::Caveat, Some(c), Some(rule), _) => format!("  [caveat {c}: {rule}]"),
                _ => "  [UNEXPLAINED]".to_string(),
            };
            let _ = writeln!(out, "  {:<8} {}{why}", t.kind, t.name);
        }
        if !hidden.is_empty() {
            let total: usize = hidden.values().sum();
            let parts: Vec<String> = hidden
                .iter()
                .map(|(by, n)| format!("{n} {}", by.as_str()))
                .collect();
            let _ = writeln!(
                out,
                "  ... and {total} more skipped: {} (all are in `summary --json`)",
                parts.join(", ")
            );
        }
        for name in &r.required_missing {
            let _ = writeln!(
                out,
                "  missing  {name}  [required by {}]",
                r.required_from.label()
            );
        }
        if !r.tagged_non_passing.is_empty() {
            let _ = writeln!(
                out,
                "  tagged [Conformance] but not required by {} (not counted):",
                r.required_from.label()
            );
            for t in &r.tagged_non_passing {
                let _ = writeln!(out, "    {:<8} {}", t.kind, t.name);
            }
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
            also_at: Vec::new(),
        }
    }

    #[test]
    fn scope_decides_whether_caveats_excuse_a_skip() {
        let catalog = Catalog::builtin();
        let none = Scope::default();
        let wcp = release("a", Some("v1.21.0+vmware.wcp.2"), None);
        assert_eq!(
            assess(&wcp, &catalog, &none, None).verdict,
            Verdict::ConformantExceptCaveats
        );
        let other = release("b", Some("v1.21.0+gke.1"), None);
        let a = assess(&other, &catalog, &none, None);
        assert_eq!(a.verdict, Verdict::NotConformant);
        assert!(a.caveats.is_empty() && a.unexplained == 1);
        let by_product = release("c", None, Some("VMware vSphere Supervisor"));
        assert!(profile_applies(&by_product, &catalog, &none));
        let forced = Scope {
            forced_on: ["b".to_string()].into_iter().collect(),
        };
        assert_eq!(
            assess(&other, &catalog, &forced, None).verdict,
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
        let verdict = assess(&r, &Catalog::builtin(), &Scope::default(), None).verdict;
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

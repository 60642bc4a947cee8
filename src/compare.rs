//! Comparing releases: the diff of two releases, the history matrix of a
//! whole corpus (TestGrid-like), and durations across releases.
//!
//! A test keeps its identity across Kubernetes versions through
//! [`TestCase::key`] (tags such as `[k8s.io]` or `[sig-node]` and the `[It] `
//! prefix do not count). Where Kubernetes' conformance lists are available
//! ([`ConformanceLists`]), a test is also known by its stable `testname`, so
//! a test whose words changed (`kubectl cluster-info ... master services` in
//! 1.18, `... control plane services` in 1.20) is still the same test: the
//! diff lists it as renamed and the matrix keeps it on one row.
//!
//! Everything here is a pure function of loaded data.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::{Scope, explain, profile_applies};
use crate::caveats::Catalog;
use crate::conformance_list::{ConformanceList, ConformanceLists};
use crate::model::{Corpus, Release, Status, TestCase};

/// The `(major, minor)` of a release, when known.
fn minor_of(release: &Release) -> Option<(u32, u32)> {
    release.version.map(|(a, b, _)| (a, b))
}

/// The conformance list for a release's minor version, when available.
pub fn list_for<'a>(
    release: &Release,
    lists: Option<&'a ConformanceLists>,
) -> Option<&'a ConformanceList> {
    lists?.for_version(minor_of(release)?)
}

/// Whether a status means the test did not run.
fn not_run(s: Status) -> bool {
    matches!(s, Status::Skipped | Status::Pending)
}

/// One test in a diff list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiffEntry {
    /// Display name (in the newer release; in the older one for `removed`).
    pub name: String,
    /// Status in the older release; null when the test is not there.
    pub from_status: Option<Status>,
    /// Status in the newer release; null when the test is not there.
    pub to_status: Option<Status>,
    /// The caveat category of the test (in the newer release; in the older
    /// one for `removed`), when a rule matches and the profile applies.
    pub category: Option<String>,
    /// When the test was a known defect of the older release (its vendor's
    /// per-release document) and now passes: "fixed as documented", with
    /// the release the document said fixed it (`v1.21`, or `?`).
    pub fixed_as_documented: Option<String>,
}

/// A conformance test whose name changed between the two releases while its
/// conformance.yaml `testname` stayed the same.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenamedEntry {
    /// The stable testname both names map to.
    pub testname: String,
    /// Display name in the older release.
    pub from_name: String,
    /// Display name in the newer release.
    pub to_name: String,
    /// Status in the older release.
    pub from_status: Option<Status>,
    /// Status in the newer release.
    pub to_status: Option<Status>,
    /// Caveat category in the newer release.
    pub category: Option<String>,
}

/// A test of A and its counterpart in B (either may be missing), and the
/// testname when they were paired as a rename.
type Pair<'a> = (Option<&'a TestCase>, Option<&'a TestCase>, Option<String>);

/// Pair a test that left the conformance set in A with one that joined it in
/// B when both carry the same testname (unique in its list): that is one
/// conformance test under a new name. Their key partners, not conformance on
/// either side, drop out of the diff.
fn pair_renames(pairs: &mut [Pair<'_>], la: &ConformanceList, lb: &ConformanceList) {
    let conf = |t: Option<&TestCase>| t.is_some_and(|t| t.conformance());
    // testname -> pair index of a conformance test of A that B lacks as
    // conformance; `None` when two such tests share the testname.
    let mut leaving: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, (ta, tb, _)) in pairs.iter().enumerate() {
        if let Some(ta) = ta.filter(|t| t.conformance())
            && !conf(*tb)
            && let Some(tn) = la.unique_testname_for(ta.name())
        {
            leaving
                .entry(tn)
                .and_modify(|slot| *slot = None)
                .or_insert(Some(i));
        }
    }
    if leaving.is_empty() {
        return;
    }
    for i in 0..pairs.len() {
        let (ta, tb, _) = &pairs[i];
        let Some(tb) = tb.filter(|t| t.conformance()) else {
            continue;
        };
        if conf(*ta) {
            continue;
        }
        let Some(tn) = lb.unique_testname_for(tb.name()) else {
            continue;
        };
        let Some(Some(j)) = leaving.remove(tn) else {
            continue;
        };
        let renamed_from = pairs[j].0;
        pairs[i] = (renamed_from, Some(tb), Some(tn.to_string()));
        pairs[j] = (None, None, None);
    }
}

/// What changed between two releases, for the conformance tests.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Label of the older release (A).
    pub from: String,
    /// Label of the newer release (B).
    pub to: String,
    /// Kubernetes `major.minor` of A.
    pub from_version: Option<String>,
    /// Kubernetes `major.minor` of B.
    pub to_version: Option<String>,
    /// Conformance in both; failed in B and not in A.
    pub newly_failing: Vec<DiffEntry>,
    /// Conformance in both; failed in A, passed in B.
    pub fixed: Vec<DiffEntry>,
    /// Conformance in both; ran in A (passed or failed), not run in B.
    pub newly_skipped: Vec<DiffEntry>,
    /// Conformance in both; not run in A, passed in B (one that now fails is
    /// in `newly_failing`).
    pub no_longer_skipped: Vec<DiffEntry>,
    /// Joined the conformance set: `[Conformance]` in B, in A without the
    /// tag or not at all.
    pub added: Vec<DiffEntry>,
    /// Left the conformance set: `[Conformance]` in A, in B without the tag
    /// or not at all.
    pub removed: Vec<DiffEntry>,
    /// Same testname, different name. A renamed test whose status changed is
    /// also in the status list that says how.
    pub renamed: Vec<RenamedEntry>,
    /// Conformance tests in both releases with the same status.
    pub unchanged: u64,
    /// How tests were matched and what could not be done.
    pub notes: Vec<String>,
}

impl Diff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.newly_failing.is_empty()
            && self.fixed.is_empty()
            && self.newly_skipped.is_empty()
            && self.no_longer_skipped.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
    }
}

/// Compare release `a` (older) with release `b` (newer).
///
/// Tests are paired by identity key; where both releases have a conformance
/// list for their version, a conformance test of B left unpaired is paired
/// with the test of A that has the same (unique) testname, and listed as
/// renamed.
pub fn diff(
    a: &Release,
    b: &Release,
    lists: Option<&ConformanceLists>,
    catalog: &Catalog,
    scope: &Scope,
) -> Diff {
    let list_a = list_for(a, lists);
    let list_b = list_for(b, lists);
    let mut notes = Vec::new();
    match (list_a, list_b) {
        (Some(la), Some(lb)) => notes.push(format!(
            "tests matched on their normalised names and, for renames, on the testnames of conformance.yaml {} and {}",
            la.label(),
            lb.label()
        )),
        _ => {
            let missing: Vec<String> = [(a, list_a), (b, list_b)]
                .iter()
                .filter(|(_, l)| l.is_none())
                .map(|(r, _)| match r.minor_version() {
                    Some(v) => format!("{} (v{v})", r.label),
                    None => format!("{} (version unknown)", r.label),
                })
                .collect();
            notes.push(format!(
                "no conformance.yaml for {}: tests matched on their normalised names only, so a renamed test shows as removed and added",
                missing.join(" and ")
            ));
        }
    }

    // Pair by key. A local index, so releases built without
    // `Release::index_keys` are not compared in quadratic time.
    let a_by_key: HashMap<&str, &TestCase> = a.tests.iter().map(|t| (t.key(), t)).collect();
    let mut pairs: Vec<Pair> = Vec::with_capacity(b.tests.len() + 16);
    let mut a_paired: HashSet<&str> = HashSet::with_capacity(b.tests.len());
    for tb in &b.tests {
        let ta = a_by_key.get(tb.key()).copied();
        if let Some(ta) = ta {
            a_paired.insert(ta.key());
        }
        pairs.push((ta, Some(tb), None));
    }
    for ta in &a.tests {
        if !a_paired.contains(ta.key()) {
            pairs.push((Some(ta), None, None));
        }
    }
    if let (Some(la), Some(lb)) = (list_a, list_b) {
        pair_renames(&mut pairs, la, lb);
    }

    let applies_a = profile_applies(a, catalog, scope);
    let applies_b = profile_applies(b, catalog, scope);
    let category = |t: &TestCase, applies: bool| explain(t, catalog, applies).category;

    let mut d = Diff {
        from: a.label.clone(),
        to: b.label.clone(),
        from_version: a.minor_version(),
        to_version: b.minor_version(),
        notes,
        ..Diff::default()
    };
    for (ta, tb, testname) in pairs {
        let conf_a = ta.is_some_and(|t| t.conformance());
        let conf_b = tb.is_some_and(|t| t.conformance());
        let from_status = ta.map(TestCase::status);
        let to_status = tb.map(TestCase::status);
        match (ta, tb) {
            (_, Some(tb)) if conf_b && !conf_a => d.added.push(DiffEntry {
                name: tb.name().to_string(),
                from_status,
                to_status,
                category: category(tb, applies_b),
                fixed_as_documented: None,
            }),
            (Some(ta), _) if conf_a && !conf_b => d.removed.push(DiffEntry {
                name: ta.name().to_string(),
                from_status,
                to_status,
                category: category(ta, applies_a),
                fixed_as_documented: None,
            }),
            (Some(ta), Some(tb)) if conf_a && conf_b => {
                let (sa, sb) = (ta.status(), tb.status());
                // A known defect of A that passes in B: fixed as documented.
                let documented = (sb == Status::Passed)
                    .then(|| {
                        a.known_defects
                            .iter()
                            .find(|k| a.tests.get(k.test).is_some_and(|t| std::ptr::eq(t, ta)))
                    })
                    .flatten()
                    .map(|k| k.entry.fixed.clone().unwrap_or_else(|| "?".to_string()));
                let entry = || DiffEntry {
                    name: tb.name().to_string(),
                    from_status,
                    to_status,
                    category: category(tb, applies_b),
                    fixed_as_documented: documented.clone(),
                };
                if sb == Status::Failed && sa != Status::Failed {
                    d.newly_failing.push(entry());
                } else if sa == Status::Failed && sb == Status::Passed {
                    d.fixed.push(entry());
                } else if not_run(sb) && !not_run(sa) {
                    d.newly_skipped.push(entry());
                } else if not_run(sa) && sb == Status::Passed {
                    d.no_longer_skipped.push(entry());
                } else {
                    d.unchanged += 1;
                }
                if let Some(testname) = testname {
                    d.renamed.push(RenamedEntry {
                        testname,
                        from_name: ta.name().to_string(),
                        to_name: tb.name().to_string(),
                        from_status,
                        to_status,
                        category: category(tb, applies_b),
                    });
                }
            }
            _ => {}
        }
    }
    for list in [
        &mut d.newly_failing,
        &mut d.fixed,
        &mut d.newly_skipped,
        &mut d.no_longer_skipped,
        &mut d.added,
        &mut d.removed,
    ] {
        list.sort_by(|x, y| x.name.cmp(&y.name));
    }
    d.renamed.sort_by(|x, y| x.to_name.cmp(&y.to_name));
    d
}

fn status_word(s: Option<Status>) -> &'static str {
    s.map_or("absent", Status::as_str)
}

/// The diff as terminal text: one section per list, each test with its
/// statuses and caveat category.
pub fn render_diff(d: &Diff) -> String {
    let mut out = String::new();
    let version = |v: &Option<String>| v.as_ref().map(|v| format!(" (v{v})")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{} -> {}{}",
        d.from,
        version(&d.from_version),
        d.to,
        version(&d.to_version)
    );
    for note in &d.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let sections: [(&str, &[DiffEntry]); 6] = [
        ("newly failing", &d.newly_failing),
        ("fixed", &d.fixed),
        ("newly skipped", &d.newly_skipped),
        ("no longer skipped", &d.no_longer_skipped),
        ("added to conformance", &d.added),
        ("removed from conformance", &d.removed),
    ];
    for (title, entries) in sections {
        let _ = writeln!(out, "\n{title} ({}):", entries.len());
        if entries.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for e in entries {
            let mut category = e
                .category
                .as_ref()
                .map(|c| format!("  [caveat {c}]"))
                .unwrap_or_default();
            if let Some(f) = &e.fixed_as_documented {
                category.push_str(&format!("  [fixed as documented: {f}]"));
            }
            let _ = writeln!(
                out,
                "  {:>7} -> {:<7} {}{category}",
                status_word(e.from_status),
                status_word(e.to_status),
                e.name
            );
        }
    }
    let _ = writeln!(out, "\nrenamed ({}):", d.renamed.len());
    if d.renamed.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for r in &d.renamed {
        let _ = writeln!(
            out,
            "  \"{}\" ({} -> {})\n    from: {}\n    to:   {}",
            r.testname,
            status_word(r.from_status),
            status_word(r.to_status),
            r.from_name,
            r.to_name
        );
    }
    let _ = writeln!(
        out,
        "\nunchanged: {} conformance tests with the same status",
        d.unchanged
    );
    out
}

/// One release of the history matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryColumn {
    /// The release's label.
    pub label: String,
    /// `kube-apiserver version`.
    pub kube_version: Option<String>,
    /// Kubernetes `major.minor`.
    pub minor_version: Option<String>,
    /// The suite's run time.
    pub duration_secs: Option<f64>,
    /// Sum of the run times of the conformance tests.
    pub conformance_secs: f64,
    /// Whether a conformance list for the version was used.
    pub has_list: bool,
}

/// One cell: what a test did in one release.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The coarse status.
    pub status: Status,
    /// The spec's run time.
    pub duration_secs: f64,
    /// Whether the spec carried `[Conformance]` in that release.
    pub conformance: bool,
    /// Index of the test in the release's `tests` (for the detail view).
    pub test: u32,
}

/// One conformance test across releases.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryRow {
    /// The identity key in the newest release that has the test.
    pub key: String,
    /// Display name in the newest release that has the test.
    pub name: String,
    /// Every distinct display name, oldest first (more than one after a
    /// rename or a tag change).
    pub names: Vec<String>,
    /// conformance.yaml testname, when a list knows the test.
    pub testname: Option<String>,
    /// The version(s) that promoted the test to conformance, per the list.
    pub promoted: Option<String>,
    /// SIG tag in the newest release that has one.
    pub sig: Option<String>,
    /// First column where the test is `[Conformance]`.
    pub first_conformance: Option<usize>,
    /// Last column where the test is `[Conformance]`.
    pub last_conformance: Option<usize>,
    /// The column where the test joined the conformance set, when an earlier
    /// release did not have it as conformance.
    pub joined: Option<usize>,
    /// The first column after the last one where it was conformance, when
    /// there is one: the release where it left the set.
    pub left: Option<usize>,
    /// Whether its status differs between the releases where it is conformance.
    pub differs: bool,
    /// Whether it failed in some release where it is conformance.
    pub failing_anywhere: bool,
    /// Whether it did not pass (failed, skipped, pending) in some release
    /// where it is conformance.
    pub not_passing_anywhere: bool,
    /// Longest run time across releases, 0 when it never ran.
    pub max_duration_secs: f64,
}

/// The history matrix: rows are conformance tests (every test that is
/// `[Conformance]` in at least one release, by identity), columns are the
/// corpus's releases in its order. Cells are one flat row-major vector so a
/// view can draw hundreds of releases without rebuilding anything.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct History {
    /// The releases.
    pub columns: Vec<HistoryColumn>,
    /// The tests, sorted by name.
    pub rows: Vec<HistoryRow>,
    /// `rows.len() * columns.len()` cells, row after row; `None` where the
    /// release does not have the test.
    pub cells: Vec<Option<Cell>>,
}

/// Which rows a view wants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowFilter {
    /// Only rows whose status differs across releases.
    pub only_differing: bool,
    /// Only rows that failed somewhere.
    pub failing_anywhere: bool,
    /// Only rows of this SIG (`sig-node`).
    pub sig: Option<String>,
    /// Only rows whose name, older names or testname contain this text
    /// (case-insensitive).
    pub search: String,
}

impl History {
    /// The cells of one row, one per column.
    pub fn row_cells(&self, row: usize) -> &[Option<Cell>] {
        let n = self.columns.len();
        self.cells.get(row * n..(row + 1) * n).unwrap_or(&[])
    }

    /// One cell.
    pub fn cell(&self, row: usize, column: usize) -> Option<&Cell> {
        if column >= self.columns.len() {
            return None;
        }
        self.cells
            .get(row * self.columns.len() + column)
            .and_then(Option::as_ref)
    }

    /// Indices of the rows that pass the filter, in row order.
    pub fn matching_rows(&self, filter: &RowFilter) -> Vec<usize> {
        let needle = filter.search.trim().to_lowercase();
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                (!filter.only_differing || r.differs)
                    && (!filter.failing_anywhere || r.failing_anywhere)
                    && filter
                        .sig
                        .as_ref()
                        .is_none_or(|s| r.sig.as_deref() == Some(s.as_str()))
                    && (needle.is_empty()
                        || r.names.iter().any(|n| n.to_lowercase().contains(&needle))
                        || r.testname
                            .as_ref()
                            .is_some_and(|t| t.to_lowercase().contains(&needle)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Every SIG of the rows, sorted.
    pub fn sigs(&self) -> Vec<String> {
        let mut sigs: Vec<String> = self.rows.iter().filter_map(|r| r.sig.clone()).collect();
        sigs.sort();
        sigs.dedup();
        sigs
    }

    /// A row's run time in each column (`None` where it did not run).
    pub fn row_durations(&self, row: usize) -> Vec<Option<f64>> {
        self.row_cells(row)
            .iter()
            .map(|c| {
                c.filter(|c| matches!(c.status, Status::Passed | Status::Failed))
                    .map(|c| c.duration_secs)
            })
            .collect()
    }

    /// The `n` rows with the longest run time in any release, slowest first.
    pub fn slowest_rows(&self, n: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].max_duration_secs > 0.0)
            .collect();
        idx.sort_by(|&x, &y| {
            self.rows[y]
                .max_duration_secs
                .total_cmp(&self.rows[x].max_duration_secs)
                .then(x.cmp(&y))
        });
        idx.truncate(n);
        idx
    }
}

/// Union-find over identity keys and testnames. Each set also keeps the
/// releases where one of its keys is a conformance test, so two tests that
/// are both conformance in one release are never merged into one row.
#[derive(Default)]
struct Identities {
    parent: Vec<u32>,
    releases: Vec<Vec<u32>>,
}

impl Identities {
    fn add(&mut self) -> u32 {
        let id = self.parent.len() as u32;
        self.parent.push(id);
        self.releases.push(Vec::new());
        id
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Note that node `x` is a conformance test in release `column`
    /// (columns arrive in increasing order).
    fn seen_in(&mut self, x: u32, column: u32) {
        let r = &mut self.releases[x as usize];
        if r.last() != Some(&column) {
            r.push(column);
        }
    }

    /// Merge the sets of `a` and `b` unless they share a release.
    fn union_if_disjoint(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        let (x, y) = (
            std::mem::take(&mut self.releases[ra as usize]),
            std::mem::take(&mut self.releases[rb as usize]),
        );
        let mut merged = Vec::with_capacity(x.len() + y.len());
        let (mut i, mut j) = (0, 0);
        let mut clash = false;
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => {
                    merged.push(x[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    merged.push(y[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    clash = true;
                    break;
                }
            }
        }
        if clash {
            self.releases[ra as usize] = x;
            self.releases[rb as usize] = y;
            return false;
        }
        merged.extend_from_slice(&x[i..]);
        merged.extend_from_slice(&y[j..]);
        self.releases[ra as usize] = merged;
        self.parent[rb as usize] = ra;
        true
    }
}

/// Build the history matrix of a corpus, once, in O(rows × releases) plus
/// one hash lookup per test.
pub fn history(corpus: &Corpus, lists: Option<&ConformanceLists>) -> History {
    let releases = &corpus.releases;
    let ncols = releases.len();
    let mut ids = Identities::default();
    let mut node_of_key: HashMap<Arc<str>, u32> = HashMap::new();
    let mut node_of_ptr: HashMap<usize, u32> = HashMap::new();
    let mut node_of_testname: HashMap<String, u32> = HashMap::new();
    let mut links: Vec<(u32, u32)> = Vec::new();
    let mut conformance_nodes: HashSet<u32> = HashSet::new();
    let mut test_nodes: Vec<Vec<u32>> = Vec::with_capacity(ncols);

    for (c, r) in releases.iter().enumerate() {
        let list = list_for(r, lists);
        let mut nodes = Vec::with_capacity(r.tests.len());
        for t in &r.tests {
            // Keys are interned across the corpus (Corpus::intern), so the
            // pointer finds most of them without hashing the text.
            let ptr = Arc::as_ptr(&t.names.key) as *const u8 as usize;
            let n = match node_of_ptr.get(&ptr) {
                Some(&n) => n,
                None => {
                    let n = match node_of_key.get(t.key()) {
                        Some(&n) => n,
                        None => {
                            let n = ids.add();
                            node_of_key.insert(t.names.key.clone(), n);
                            n
                        }
                    };
                    node_of_ptr.insert(ptr, n);
                    n
                }
            };
            nodes.push(n);
            if !t.conformance() {
                continue;
            }
            ids.seen_in(n, c as u32);
            conformance_nodes.insert(n);
            if let Some(tn) = list.and_then(|l| l.unique_testname_for(t.name())) {
                let tn_node = match node_of_testname.get(tn) {
                    Some(&m) => m,
                    None => {
                        let m = ids.add();
                        node_of_testname.insert(tn.to_string(), m);
                        m
                    }
                };
                links.push((n, tn_node));
            }
        }
        test_nodes.push(nodes);
    }
    links.sort_unstable();
    links.dedup();
    for (key_node, tn_node) in links {
        ids.union_if_disjoint(key_node, tn_node);
    }

    // Rows in first-seen order for now; sorted by name at the end.
    let mut row_of_root: HashMap<u32, usize> = HashMap::new();
    let mut roots: Vec<u32> = conformance_nodes.into_iter().collect();
    roots.sort_unstable();
    for n in roots {
        let root = ids.find(n);
        let next = row_of_root.len();
        row_of_root.entry(root).or_insert(next);
    }
    let nrows = row_of_root.len();
    let row_of_node: Vec<Option<usize>> = (0..ids.parent.len() as u32)
        .map(|n| {
            let root = ids.find(n);
            row_of_root.get(&root).copied()
        })
        .collect();
    let mut cells: Vec<Option<Cell>> = vec![None; nrows * ncols];
    for (c, (r, nodes)) in releases.iter().zip(&test_nodes).enumerate() {
        for (i, (t, &n)) in r.tests.iter().zip(nodes).enumerate() {
            let Some(row) = row_of_node[n as usize] else {
                continue;
            };
            let slot = &mut cells[row * ncols + c];
            if slot.is_some_and(|s| s.conformance || !t.conformance()) {
                continue;
            }
            *slot = Some(Cell {
                status: t.status(),
                duration_secs: t.duration_secs,
                conformance: t.conformance(),
                test: i as u32,
            });
        }
    }

    let mut rows: Vec<HistoryRow> = (0..nrows)
        .map(|row| build_row(&cells[row * ncols..(row + 1) * ncols], releases, lists))
        .collect();

    // Sort rows by name and lay the cells out in that order.
    let mut order: Vec<usize> = (0..nrows).collect();
    order.sort_by(|&x, &y| {
        rows[x]
            .name
            .to_lowercase()
            .cmp(&rows[y].name.to_lowercase())
            .then_with(|| rows[x].key.cmp(&rows[y].key))
    });
    let mut sorted_cells = Vec::with_capacity(cells.len());
    let mut sorted_rows = Vec::with_capacity(nrows);
    for &row in &order {
        sorted_cells.extend_from_slice(&cells[row * ncols..(row + 1) * ncols]);
        sorted_rows.push(std::mem::replace(&mut rows[row], empty_row()));
    }

    let columns = releases
        .iter()
        .map(|r| HistoryColumn {
            label: r.label.clone(),
            kube_version: r.kube_version.clone(),
            minor_version: r.minor_version(),
            duration_secs: r.duration_secs,
            conformance_secs: r.conformance_tests().map(|t| t.duration_secs).sum(),
            has_list: list_for(r, lists).is_some(),
        })
        .collect();
    History {
        columns,
        rows: sorted_rows,
        cells: sorted_cells,
    }
}

fn empty_row() -> HistoryRow {
    HistoryRow {
        key: String::new(),
        name: String::new(),
        names: Vec::new(),
        testname: None,
        promoted: None,
        sig: None,
        first_conformance: None,
        last_conformance: None,
        joined: None,
        left: None,
        differs: false,
        failing_anywhere: false,
        not_passing_anywhere: false,
        max_duration_secs: 0.0,
    }
}

fn build_row(
    cells: &[Option<Cell>],
    releases: &[Release],
    lists: Option<&ConformanceLists>,
) -> HistoryRow {
    let mut row = empty_row();
    let mut statuses: HashSet<Status> = HashSet::new();
    let ncols = cells.len();
    for (c, cell) in cells.iter().enumerate() {
        let Some(cell) = cell else { continue };
        let Some(t) = releases
            .get(c)
            .and_then(|r| r.tests.get(cell.test as usize))
        else {
            continue;
        };
        if row.names.last().map(String::as_str) != Some(t.name())
            && !row.names.iter().any(|n| **n == *t.name())
        {
            row.names.push(t.name().to_string());
        }
        row.key = t.key().to_string();
        row.name = t.name().to_string();
        if let Some(sig) = &t.sig() {
            row.sig = Some(sig.to_string());
        }
        if matches!(cell.status, Status::Passed | Status::Failed) {
            row.max_duration_secs = row.max_duration_secs.max(cell.duration_secs);
        }
        if !cell.conformance {
            continue;
        }
        row.first_conformance.get_or_insert(c);
        row.last_conformance = Some(c);
        statuses.insert(cell.status);
    }
    // The testname from the newest release whose list knows the test.
    let newest_listed = cells.iter().enumerate().rev().find_map(|(c, cell)| {
        let cell = cell.as_ref().filter(|cell| cell.conformance)?;
        let release = releases.get(c)?;
        let t = release.tests.get(cell.test as usize)?;
        list_for(release, lists)?.entry_for(t.name())
    });
    if let Some(entry) = newest_listed {
        row.testname = Some(entry.testname.clone()).filter(|t| !t.is_empty());
        row.promoted = Some(entry.release.clone()).filter(|r| !r.is_empty());
    }
    row.joined = row.first_conformance.filter(|&c| c > 0);
    row.left = row.last_conformance.map(|c| c + 1).filter(|&c| c < ncols);
    row.differs = statuses.len() > 1;
    row.failing_anywhere = statuses.contains(&Status::Failed);
    row.not_passing_anywhere = statuses.iter().any(|s| *s != Status::Passed);
    row
}

/// The run time of one release's suite, for the trend chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SuiteDuration {
    /// The release's label.
    pub label: String,
    /// Kubernetes `major.minor`.
    pub minor_version: Option<String>,
    /// The suite's run time (JUnit root `time`, else the log's).
    pub duration_secs: Option<f64>,
    /// `Ran N of M Specs in S seconds` from the log.
    pub log_duration_secs: Option<f64>,
    /// Sum of the run times of the conformance tests.
    pub conformance_secs: f64,
    /// Conformance tests that ran (passed or failed).
    pub conformance_ran: u64,
}

/// The suite duration of every release, in corpus order.
pub fn suite_durations(corpus: &Corpus) -> Vec<SuiteDuration> {
    corpus
        .releases
        .iter()
        .map(|r| {
            let ran: Vec<&TestCase> = r
                .conformance_tests()
                .filter(|t| matches!(t.status(), Status::Passed | Status::Failed))
                .collect();
            SuiteDuration {
                label: r.label.clone(),
                minor_version: r.minor_version(),
                duration_secs: r.duration_secs,
                log_duration_secs: r.log.as_ref().and_then(|l| l.duration_secs),
                conformance_secs: ran.iter().map(|t| t.duration_secs).sum(),
                conformance_ran: ran.len() as u64,
            }
        })
        .collect()
}

/// One slow test of a release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlowTest {
    /// Display name.
    pub name: String,
    /// Status.
    pub status: Status,
    /// Run time.
    pub duration_secs: f64,
}

/// The `n` conformance tests of a release that took longest, slowest first.
pub fn slowest(release: &Release, n: usize) -> Vec<SlowTest> {
    let mut tests: Vec<&TestCase> = release
        .conformance_tests()
        .filter(|t| matches!(t.status(), Status::Passed | Status::Failed))
        .collect();
    tests.sort_by(|a, b| {
        b.duration_secs
            .total_cmp(&a.duration_secs)
            .then_with(|| a.name().cmp(b.name()))
    });
    tests
        .into_iter()
        .take(n)
        .map(|t| SlowTest {
            name: t.name().to_string(),
            status: t.status(),
            duration_secs: t.duration_secs,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance_list::{ConformanceList, ListEntry};
    use crate::ingest::names::{display_name, identity_key, sig_of};
    use crate::model::{FailureKind, Origin, Outcome};

    fn case(name: &str, outcome: Outcome, secs: f64) -> TestCase {
        let display = display_name(name);
        TestCase {
            names: Arc::new(crate::model::Names::new(
                Arc::from(name),
                &display,
                Arc::from(identity_key(&display)),
                sig_of(&display).map(Arc::from),
                display.contains("[Conformance]"),
            )),
            outcome,
            duration_secs: secs,
            message: None,
            text: None,
        }
    }

    fn release(label: &str, version: (u32, u32), tests: Vec<TestCase>) -> Release {
        let mut r = Release {
            label: label.into(),
            origin: Origin::Folder(label.into()),
            root: ".".into(),
            kube_version: Some(format!("v{}.{}.0", version.0, version.1)),
            e2e_version: None,
            version: Some((version.0, version.1, 0)),
            tests,
            suite_nodes: Vec::new(),
            log: None,
            log_failures: Vec::new(),
            log_location: None,
            product: None,
            duration_secs: Some(100.0),
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
        };
        r.index_keys();
        r
    }

    fn entry(testname: &str, codename: &str) -> ListEntry {
        ListEntry {
            testname: testname.into(),
            codename: codename.into(),
            release: "v1.9".into(),
            file: "x.go".into(),
        }
    }

    const P: Outcome = Outcome::Passed;
    const S: Outcome = Outcome::Skipped;
    const F: Outcome = Outcome::Failed(FailureKind::Failed);

    fn fixture() -> (Corpus, ConformanceLists) {
        let a = release(
            "a",
            (1, 18),
            vec![
                case("[k8s.io] Pods should run [Conformance]", P, 1.0),
                case(
                    "[sig-cli] kubectl cluster-info should show master [Conformance]",
                    P,
                    2.0,
                ),
                case("[sig-net] Service should work [Conformance]", P, 3.0),
                case("[sig-sched] Preemption works", S, 0.0),
                case("[sig-storage] HostPath mode [Conformance]", P, 4.0),
                case("[sig-apps] Deploy should fail later [Conformance]", P, 5.0),
                case("[sig-apps] Job should be fixed [Conformance]", F, 6.0),
                case("[sig-apps] Quota should be skipped [Conformance]", S, 0.0),
            ],
        );
        let b = release(
            "b",
            (1, 21),
            vec![
                case("[It] [sig-node] Pods should run [Conformance]", P, 1.5),
                case(
                    "[It] [sig-cli] kubectl cluster-info should show control plane [Conformance]",
                    P,
                    2.5,
                ),
                case("[It] [sig-net] Service should work [Conformance]", S, 0.0),
                case("[It] [sig-sched] Preemption works [Conformance]", P, 7.0),
                case("[It] [sig-storage] HostPath mode", S, 0.0),
                case(
                    "[It] [sig-apps] Deploy should fail later [Conformance]",
                    F,
                    8.0,
                ),
                case("[It] [sig-apps] Job should be fixed [Conformance]", P, 6.5),
                case(
                    "[It] [sig-apps] Quota should be skipped [Conformance]",
                    P,
                    1.0,
                ),
            ],
        );
        let lists = ConformanceLists::from_lists([
            ConformanceList::new(
                (1, 18),
                vec![
                    entry("Pods, run", "[k8s.io] Pods should run [Conformance]"),
                    entry(
                        "Kubectl, cluster info",
                        "[sig-cli] kubectl cluster-info should show master [Conformance]",
                    ),
                ],
            ),
            ConformanceList::new(
                (1, 21),
                vec![
                    entry("Pods, run", "[sig-node] Pods should run [Conformance]"),
                    entry(
                        "Kubectl, cluster info",
                        "[sig-cli] kubectl cluster-info should show control plane [Conformance]",
                    ),
                ],
            ),
        ]);
        let mut corpus = Corpus {
            releases: vec![a, b],
            errors: Vec::new(),
        };
        corpus.sort();
        corpus.intern();
        (corpus, lists)
    }

    fn names(entries: &[DiffEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn diff_sorts_changes_into_lists() {
        let (corpus, lists) = fixture();
        let (a, b) = (&corpus.releases[0], &corpus.releases[1]);
        let d = diff(a, b, Some(&lists), &Catalog::default(), &Scope::default());
        assert_eq!(
            names(&d.newly_failing),
            vec!["[sig-apps] Deploy should fail later [Conformance]"]
        );
        assert_eq!(
            names(&d.fixed),
            vec!["[sig-apps] Job should be fixed [Conformance]"]
        );
        assert_eq!(
            names(&d.newly_skipped),
            vec!["[sig-net] Service should work [Conformance]"]
        );
        assert_eq!(
            names(&d.no_longer_skipped),
            vec!["[sig-apps] Quota should be skipped [Conformance]"]
        );
        assert_eq!(
            names(&d.added),
            vec!["[sig-sched] Preemption works [Conformance]"]
        );
        assert_eq!(d.added[0].from_status, Some(Status::Skipped));
        assert_eq!(
            names(&d.removed),
            vec!["[sig-storage] HostPath mode [Conformance]"]
        );
        assert_eq!(d.removed[0].to_status, Some(Status::Skipped));
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(d.renamed[0].testname, "Kubectl, cluster info");
        assert!(d.renamed[0].from_name.contains("master"));
        assert!(d.renamed[0].to_name.contains("control plane"));
        // Pods (re-tagged, same key) and the rename are unchanged.
        assert_eq!(d.unchanged, 2);
        let text = render_diff(&d);
        assert!(text.contains("newly skipped (1):"), "{text}");
        assert!(text.contains("\"Kubectl, cluster info\""), "{text}");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["newly_failing"][0]["from_status"], "passed");
        assert_eq!(json["newly_failing"][0]["to_status"], "failed");
        assert_eq!(json["added"][0]["category"], serde_json::Value::Null);
    }

    #[test]
    fn without_lists_a_rename_is_removed_and_added() {
        let (corpus, _) = fixture();
        let (a, b) = (&corpus.releases[0], &corpus.releases[1]);
        let d = diff(a, b, None, &Catalog::default(), &Scope::default());
        assert!(d.renamed.is_empty());
        assert!(names(&d.added).iter().any(|n| n.contains("control plane")));
        assert!(names(&d.removed).iter().any(|n| n.contains("master")));
        assert!(d.notes[0].contains("no conformance.yaml"));
    }

    #[test]
    fn categories_come_from_the_newer_release() {
        let nodeport = "[sig-network] Services should be able to create a functioning NodePort service [Conformance]";
        let a = release("a", (1, 18), vec![case(nodeport, P, 1.0)]);
        let mut b = release("b", (1, 21), vec![case(nodeport, S, 0.0)]);
        let catalog = Catalog::builtin();
        let d = diff(&a, &b, None, &catalog, &Scope::default());
        // Not a Supervisor release: no caveat applies.
        assert_eq!(d.newly_skipped[0].category, None);
        b.kube_version = Some("v1.21.0+vmware.wcp.2".into());
        let d = diff(&a, &b, None, &catalog, &Scope::default());
        assert_eq!(d.newly_skipped[0].category.as_deref(), Some("nodeport"));
    }

    #[test]
    fn history_keeps_renamed_tests_on_one_row() {
        let (corpus, lists) = fixture();
        let h = history(&corpus, Some(&lists));
        assert_eq!(h.columns.len(), 2);
        assert_eq!(h.cells.len(), h.rows.len() * 2);
        // 8 tests in b, 1 rename merged, 1 not conformance anywhere? No:
        // Preemption and HostPath are conformance once each, so 8 rows.
        assert_eq!(h.rows.len(), 8, "{:#?}", h.rows);
        let kubectl = h
            .rows
            .iter()
            .position(|r| r.testname.as_deref() == Some("Kubectl, cluster info"))
            .unwrap();
        assert_eq!(h.rows[kubectl].names.len(), 2);
        assert!(h.rows[kubectl].name.contains("control plane"));
        assert!(h.row_cells(kubectl).iter().all(Option::is_some));
        let pre = h
            .rows
            .iter()
            .position(|r| r.name.contains("Preemption"))
            .unwrap();
        assert_eq!(h.rows[pre].joined, Some(1));
        assert_eq!(h.rows[pre].first_conformance, Some(1));
        let cell = h.cell(pre, 0).unwrap();
        assert!(!cell.conformance && cell.status == Status::Skipped);
        let host = h
            .rows
            .iter()
            .position(|r| r.name.contains("HostPath"))
            .unwrap();
        assert_eq!(h.rows[host].left, Some(1));
        assert_eq!(h.rows[host].last_conformance, Some(0));
        assert!(!h.rows[host].differs);
        let deploy = h
            .rows
            .iter()
            .position(|r| r.name.contains("Deploy"))
            .unwrap();
        assert!(h.rows[deploy].differs && h.rows[deploy].failing_anywhere);
        assert_eq!(h.row_durations(deploy), vec![Some(5.0), Some(8.0)]);
        // Filters.
        let failing = h.matching_rows(&RowFilter {
            failing_anywhere: true,
            ..RowFilter::default()
        });
        assert_eq!(failing.len(), 2);
        let found = h.matching_rows(&RowFilter {
            search: "MASTER".into(),
            ..RowFilter::default()
        });
        assert_eq!(found, vec![kubectl]);
        let apps = h.matching_rows(&RowFilter {
            sig: Some("sig-apps".into()),
            ..RowFilter::default()
        });
        assert_eq!(apps.len(), 3);
        assert!(h.sigs().contains(&"sig-apps".to_string()));
        // Rows are sorted by name.
        let mut sorted = h.rows.clone();
        sorted.sort_by_key(|r| r.name.to_lowercase());
        assert_eq!(sorted, h.rows);
        assert_eq!(h.rows[h.slowest_rows(1)[0]].name, h.rows[deploy].name);
    }

    #[test]
    fn history_without_lists_splits_the_rename() {
        let (corpus, _) = fixture();
        let h = history(&corpus, None);
        assert_eq!(h.rows.len(), 9);
    }

    #[test]
    fn history_never_merges_two_tests_of_one_release() {
        // Two conformance tests of one release share a testname in another
        // release's list: they stay apart.
        let a = release(
            "a",
            (1, 20),
            vec![
                case("[sig-x] One [Conformance]", P, 1.0),
                case("[sig-x] Two [Conformance]", P, 1.0),
            ],
        );
        let b = release(
            "b",
            (1, 21),
            vec![case("[sig-x] Three [Conformance]", P, 1.0)],
        );
        let lists = ConformanceLists::from_lists([
            ConformanceList::new(
                (1, 20),
                vec![
                    entry("Same", "[sig-x] One [Conformance]"),
                    entry("Other", "[sig-x] Two [Conformance]"),
                ],
            ),
            ConformanceList::new((1, 21), vec![entry("Same", "[sig-x] Three [Conformance]")]),
        ]);
        let mut corpus = Corpus {
            releases: vec![a, b],
            errors: Vec::new(),
        };
        corpus.intern();
        let h = history(&corpus, Some(&lists));
        assert_eq!(h.rows.len(), 2);
        assert!(h.cells.iter().filter(|c| c.is_some()).count() == 3);
    }

    #[test]
    fn durations() {
        let (corpus, _) = fixture();
        let sd = suite_durations(&corpus);
        assert_eq!(sd.len(), 2);
        assert_eq!(sd[0].conformance_ran, 6);
        assert!((sd[0].conformance_secs - 21.0).abs() < 1e-9);
        let slow = slowest(&corpus.releases[1], 2);
        assert_eq!(slow.len(), 2);
        assert!(slow[0].duration_secs >= slow[1].duration_secs);
        assert!(slow[0].name.contains("Deploy"));
    }
}

//! Known defects: the tests a vendor's per-release document
//! (`results/v1.NN/known-test-failures.md`, read by
//! [`crate::markdown::defect_doc`]) says failed in that release because of
//! a product defect, matched to the release's tests, and the `Fixed:`
//! release checked against the data.
//!
//! Matching: an entry's name is usually shorter than the JUnit name (no SIG
//! prefix, no tags, sometimes no leading describe block). An entry matches
//! a test when its identity key ([`identity_key`], as `diff` normalises
//! names) is a word-aligned part of the key of exactly one non-passing
//! required test of the release. An entry that matches none, or more than
//! one, is a warning naming the entry and the file.
//!
//! The fix check: `Fixed:` names a Kubernetes minor. The earliest loaded
//! release of the same product line at or after it is looked up for the
//! same test, by identity key, else across a rename through the conformance
//! lists (`codename` → `testname` → `codename`): passed there is
//! "confirmed", failed or skipped there "contradicted", and no such
//! release (or a `Fixed:` that is no version) "unchecked".

use std::path::PathBuf;

use serde::Serialize;

use crate::conformance_list::ConformanceLists;
use crate::ingest::names::identity_key;
use crate::lines::Lines;
use crate::markdown::{DefectDoc, DefectEntry};
use crate::model::{Corpus, Release, Status, TestCase};

/// A per-release document found for a release, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefectSource {
    /// The document on disk, or the tarball holding it.
    pub path: PathBuf,
    /// The member inside the tarball, when it came from one.
    pub member: Option<String>,
    /// How the file is named in messages (`results/v1.20/known-test-failures.md`
    /// or `results.tar.gz!known-test-failures.md`).
    pub display: String,
}

/// A test of a release that its vendor's document explains as a defect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownDefect {
    /// The document's entry.
    pub entry: DefectEntry,
    /// The test's index in [`Release::tests`].
    pub test: usize,
}

/// Whether `part` is a word-aligned part of `whole`: equal, or found where
/// both its ends meet a space or an end of `whole`.
pub fn word_part(whole: &str, part: &str) -> bool {
    if part.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(at) = whole[from..].find(part) {
        let start = from + at;
        let end = start + part.len();
        let left = start == 0 || whole.as_bytes()[start - 1] == b' ';
        let right = end == whole.len() || whole.as_bytes()[end] == b' ';
        if left && right {
            return true;
        }
        from = start + 1;
        while from < whole.len() && !whole.is_char_boundary(from) {
            from += 1;
        }
        if from >= whole.len() {
            break;
        }
    }
    false
}

/// Match a document's entries to the non-passing required tests of
/// `tests`; returns the matches and one warning per entry that matches no
/// test or more than one, naming the entry and `file`.
pub fn match_entries(
    doc: &DefectDoc,
    tests: &[TestCase],
    file: &str,
) -> (Vec<KnownDefect>, Vec<String>) {
    let candidates: Vec<(usize, &TestCase)> = tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.conformance() && t.status() != Status::Passed)
        .collect();
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for problem in &doc.problems {
        warnings.push(format!("{file}: {problem}"));
    }
    for entry in &doc.entries {
        let key = identity_key(&entry.test);
        let hits: Vec<usize> = candidates
            .iter()
            .filter(|(_, t)| word_part(t.key(), &key))
            .map(|(i, _)| *i)
            .collect();
        match hits.as_slice() {
            [one] => found.push(KnownDefect {
                entry: entry.clone(),
                test: *one,
            }),
            [] => warnings.push(format!(
                "{file}, line {}: the known failure \"{}\" matches no failed or skipped required test of this release",
                entry.line, entry.test
            )),
            many => warnings.push(format!(
                "{file}, line {}: the known failure \"{}\" matches {} failed or skipped required tests, so none is taken: {}",
                entry.line,
                entry.test,
                many.len(),
                many.iter()
                    .take(3)
                    .filter_map(|&i| tests.get(i).map(TestCase::name))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }
    (found, warnings)
}

/// What the data says about a documented fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "fix_check")]
pub enum FixCheck {
    /// The test passed in the earliest loaded release of the line at or
    /// after the fix.
    Confirmed {
        /// That release's index in the corpus.
        release: usize,
    },
    /// It still failed or was skipped there.
    Contradicted {
        /// That release's index in the corpus.
        release: usize,
        /// Its status there.
        status: Status,
    },
    /// No such release is loaded, the test is not in it, or `Fixed:` is no
    /// version.
    Unchecked {
        /// Why, in a few words.
        why: String,
    },
}

impl FixCheck {
    /// `confirmed`, `contradicted` or `unchecked`.
    pub fn word(&self) -> &'static str {
        match self {
            FixCheck::Confirmed { .. } => "confirmed",
            FixCheck::Contradicted { .. } => "contradicted",
            FixCheck::Unchecked { .. } => "unchecked",
        }
    }

    /// The release the check looked at, when there was one.
    pub fn release(&self) -> Option<usize> {
        match self {
            FixCheck::Confirmed { release } | FixCheck::Contradicted { release, .. } => {
                Some(*release)
            }
            FixCheck::Unchecked { .. } => None,
        }
    }

    /// For people: `fixed in v1.21: confirmed by results/v1.21`.
    pub fn sentence(&self, fixed: Option<&str>, corpus: &Corpus) -> String {
        let fixed = fixed.unwrap_or("?");
        let label = |i: usize| {
            corpus
                .releases
                .get(i)
                .map_or("?".to_string(), |r| r.label.clone())
        };
        match self {
            FixCheck::Confirmed { release } => {
                format!(
                    "fixed in {fixed}: confirmed by {} (passed)",
                    label(*release)
                )
            }
            FixCheck::Contradicted { release, status } => format!(
                "fixed in {fixed}: contradicted by {} ({} there)",
                label(*release),
                status.as_str()
            ),
            FixCheck::Unchecked { why } => format!("fixed in {fixed}: unchecked ({why})"),
        }
    }
}

/// The same test in `to` as `test` of `from`: by identity key, else across
/// a rename through the conformance lists of both versions.
pub fn find_across<'a>(
    from: &Release,
    test: &TestCase,
    to: &'a Release,
    lists: Option<&ConformanceLists>,
) -> Option<&'a TestCase> {
    if let Some(t) = to.find(test.key()) {
        return Some(t);
    }
    let lists = lists?;
    let from_minor = from.version.map(|(a, b, _)| (a, b))?;
    let to_minor = to.version.map(|(a, b, _)| (a, b))?;
    let testname = lists.testname_for(from_minor, test.name())?;
    if testname.is_empty() {
        return None;
    }
    let target = lists.for_version(to_minor)?;
    let entry = target.entries.iter().find(|e| e.testname == testname)?;
    to.find(&identity_key(&entry.codename))
}

/// Check the fix of `defect`, documented for release `index` of `corpus`,
/// against the later releases of its product line.
pub fn check_fix(
    corpus: &Corpus,
    lines: &Lines,
    lists: Option<&ConformanceLists>,
    index: usize,
    defect: &KnownDefect,
) -> FixCheck {
    let Some(fixed) = defect.entry.fixed_minor() else {
        let why = match &defect.entry.fixed {
            Some(f) => format!("\"{f}\" is not a Kubernetes version"),
            None => "the document names no fix".to_string(),
        };
        return FixCheck::Unchecked { why };
    };
    let (Some(release), Some(line)) = (corpus.releases.get(index), lines.line_of(index)) else {
        return FixCheck::Unchecked {
            why: "the release is not loaded".to_string(),
        };
    };
    let Some(test) = release.tests.get(defect.test) else {
        return FixCheck::Unchecked {
            why: "the test is not in the release".to_string(),
        };
    };
    // The line's releases are oldest first: the first at or after the fix.
    let later = line.releases.iter().copied().find(|&i| {
        i != index
            && corpus.releases[i]
                .version
                .is_some_and(|(a, b, _)| (a, b) >= fixed)
    });
    let Some(at) = later else {
        return FixCheck::Unchecked {
            why: format!(
                "no release of {} at v{}.{} or later is loaded",
                line.name, fixed.0, fixed.1
            ),
        };
    };
    let target = &corpus.releases[at];
    match find_across(release, test, target, lists) {
        Some(t) if t.status() == Status::Passed => FixCheck::Confirmed { release: at },
        Some(t) => FixCheck::Contradicted {
            release: at,
            status: t.status(),
        },
        None => FixCheck::Unchecked {
            why: format!("the test is not in {}", target.label),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Limits, junit::parse_junit_str};

    #[test]
    fn parts_are_word_aligned() {
        assert!(word_part(
            "kubectl client kubectl cluster-info should x",
            "kubectl cluster-info should x"
        ));
        assert!(word_part("a b c", "a b c"));
        assert!(!word_part("a bc d", "b"));
        assert!(!word_part("ab c", "b c"));
        assert!(!word_part("a b", ""));
        assert!(word_part("é a b", "a b"));
    }

    #[test]
    fn entries_match_one_test_or_warn() {
        let xml = r#"<testsuite>
            <testcase name="[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info  [Conformance]"><failure>x</failure></testcase>
            <testcase name="[sig-auth] ServiceAccounts should mount projected service account token [Conformance]"><failure>x</failure></testcase>
            <testcase name="[sig-node] Variable Expansion should fail substituting values in a volume subpath with absolute path [Conformance]"><skipped/></testcase>
            <testcase name="[sig-node] Variable Expansion should fail substituting values in a volume subpath with backticks [Conformance]"><skipped/></testcase>
            <testcase name="[sig-node] Pods should pass [Conformance]"></testcase>
        </testsuite>"#;
        let report = parse_junit_str(xml, "junit_01.xml", &Limits::default()).unwrap();
        let doc = crate::markdown::defect_doc(
            "- Test: `Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info`\n\tFixed: v1.21\n\
             - Test: `ServiceAccounts should mount projected service account token`\n\
             - Test: `Variable Expansion should fail substituting values in a volume subpath`\n\
             - Test: `Pods should pass`\n",
        );
        let (found, warnings) = match_entries(&doc, &report.tests, "known-test-failures.md");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].test, 0);
        assert_eq!(found[1].test, 1);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("line 4") && warnings[0].contains("matches 2"));
        assert!(warnings[1].contains("Pods should pass") && warnings[1].contains("matches no"));
        assert!(
            warnings
                .iter()
                .all(|w| w.starts_with("known-test-failures.md"))
        );
    }
}

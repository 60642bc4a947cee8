//! Where each test's own block is in an e2e.log, and the lines around it.
//!
//! The suite names a spec in a few shapes, all found in one pass over the
//! log ([`LogIndex::build`]):
//!
//! - a block header after a `------------------------------` separator:
//!   the containers on one line and the leaf, indented, on the next (both
//!   Ginkgo generations print it for every spec they run);
//! - Ginkgo v2's failure header, `• [FAILED] [12.3 seconds]` followed by the
//!   whole name on one line with `[It]` and a trailing label list
//!   (`[sig-network, Conformance]`);
//! - the one-line `{"msg":"PASSED …"}` / `{"msg":"FAILED …"}` progress
//!   records;
//! - the `[Fail]` (v1) and `[FAIL]` (v2) lines of the closing summary.
//!
//! A test is located by its whole name, `[It]` and labels left out on both
//! sides, preferring its block header to a progress record to the summary.
//! Only when the whole name is nowhere (the containers were renamed between
//! the JUnit and the log) does a tail of the name count, and then only when
//! the tail is the whole leaf of a block and no other test of the release
//! ends with it: an excerpt is the test's own block or nothing.

use std::collections::HashMap;

use memchr::memmem;

use super::e2e_log::clean;
use rustc_hash::FxHashMap;

use crate::ingest::{self, Limits};
use crate::model::{LogLocation, Status, TestCase};

/// Lines shown around a test's mention in the log.
pub const EXCERPT_LINES: usize = 40;

/// The longest line kept in an excerpt, in characters.
const MAX_LINE_CHARS: usize = 400;

/// The shortest tail of a name that may stand for it (renamed containers).
const MIN_TAIL_CHARS: usize = 24;

/// Ginkgo's block separator.
const SEPARATOR: &[u8] = b"------------------------------";

/// How a mention names its test, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    /// A block header (split or v2's failure header).
    Header,
    /// A `{"msg":…}` progress record.
    Progress,
    /// A line of the closing failure summary.
    Summary,
}

/// The mentions of tests in one log.
#[derive(Debug, Default)]
pub struct LogIndex {
    /// Normalised whole name → (shape, 0-based line) of its best mention.
    full: HashMap<String, (Shape, usize)>,
    /// Normalised leaf of a split header → its 0-based line (first one).
    leaves: HashMap<String, usize>,
}

/// A name as the index keys it: `[It]` left out, a trailing label list
/// (`[a, b]`) left out, runs of white space made one space.
pub fn normalise(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().filter(|w| *w != "[It]").collect();
    // A trailing `[label, label]` list: from the last word that opens a
    // bracket to the end, when it holds a comma and closes at the end.
    if let Some(start) = words.iter().rposition(|w| w.starts_with('[')) {
        let tail = words[start..].join(" ");
        if tail.ends_with(']') && tail.contains(", ") && start > 0 {
            words.truncate(start);
        }
    }
    words.join(" ")
}

impl LogIndex {
    /// Index every mention of a test in `log`, in one pass over its lines.
    pub fn build(log: &[u8]) -> LogIndex {
        let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').collect();
        let mut index = LogIndex::default();
        let text = |i: usize| -> String { lines.get(i).map(|l| clean(l)).unwrap_or_default() };
        for (i, raw) in lines.iter().enumerate() {
            let trimmed = raw.trim_ascii();
            if trimmed.starts_with(SEPARATOR) && trimmed.iter().all(|b| *b == b'-') {
                index.header_after(i, &text);
                continue;
            }
            if let Some(at) = memmem::find(raw, b"{\"msg\":\"") {
                let rest = clean(&raw[at + 8..]);
                for verb in ["PASSED ", "FAILED "] {
                    if let Some(name) = rest.strip_prefix(verb)
                        && let Some(end) = name.find("\",\"")
                    {
                        index.add(&name[..end], Shape::Progress, i);
                    }
                }
                continue;
            }
            let start = trimmed;
            for mark in [&b"[Fail] "[..], &b"[FAIL] "[..]] {
                if let Some(rest) = start.strip_prefix(mark) {
                    index.add(&clean(rest), Shape::Summary, i);
                }
            }
        }
        index
    }

    /// The header of the block that a separator at line `sep` opens.
    fn header_after(&mut self, sep: usize, text: &impl Fn(usize) -> String) {
        let mut i = sep + 1;
        let mut first = text(i);
        // v2's failure header: `• [FAILED] [1.2 seconds]`, then the name.
        if first.trim_start().starts_with('•') {
            i += 1;
            first = text(i);
            if first.contains("[It] ") {
                self.add(&first, Shape::Header, i);
                return;
            }
        }
        if first.trim().is_empty() || first.starts_with(char::is_whitespace) {
            return;
        }
        if first.contains("[It] ") {
            self.add(&first, Shape::Header, i);
            return;
        }
        let leaf = text(i + 1);
        if leaf.starts_with(char::is_whitespace) && !leaf.trim().is_empty() {
            let whole = format!("{} {}", first.trim(), leaf.trim());
            self.add(&whole, Shape::Header, i + 1);
            self.leaves.entry(normalise(&leaf)).or_insert(i + 1);
        }
    }

    fn add(&mut self, name: &str, shape: Shape, line: usize) {
        let key = normalise(name);
        if key.is_empty() {
            return;
        }
        let entry = self.full.entry(key).or_insert((shape, line));
        if shape < entry.0 {
            *entry = (shape, line);
        }
    }

    /// The 0-based line where the test `name` is named, or `None`. `all`
    /// are the names of every test of the release: a tail of `name` only
    /// stands for it when no other of them ends with that tail.
    pub fn locate(&self, name: &str, all: &[&str]) -> Option<usize> {
        let key = normalise(name);
        if let Some(&(_, line)) = self.full.get(&key) {
            return Some(line);
        }
        let starts = key
            .char_indices()
            .filter(|&(i, c)| i > 0 && c == ' ')
            .map(|(i, _)| i + 1);
        for start in starts {
            let tail = &key[start..];
            if tail.chars().count() < MIN_TAIL_CHARS {
                break;
            }
            let Some(&line) = self.leaves.get(tail) else {
                continue;
            };
            let shared = all
                .iter()
                .map(|n| normalise(n))
                .filter(|n| *n != key && (n == tail || n.ends_with(&format!(" {tail}"))))
                .count();
            return (shared == 0).then_some(line);
        }
        None
    }
}

/// Where `log` names each non-passing required test of `tests` (index →
/// 1-based line). A log whose release passed everything is not indexed.
pub fn non_passing_lines(log: &[u8], tests: &[TestCase]) -> FxHashMap<usize, usize> {
    let wanted: Vec<usize> = tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.conformance() && t.status() != Status::Passed)
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return FxHashMap::default();
    }
    let index = LogIndex::build(log);
    let all: Vec<&str> = tests.iter().map(TestCase::name).collect();
    wanted
        .into_iter()
        .filter_map(|i| {
            index
                .locate(tests[i].name(), &all)
                .map(|line| (i, line + 1))
        })
        .collect()
}

/// What was found in an e2e.log for one test.
#[derive(Clone, Debug, PartialEq)]
pub struct Excerpt {
    /// The request this answers: `(release label, test key)`.
    pub request: (String, String),
    /// The log it came from, for display.
    pub source: String,
    /// The outcome.
    pub body: ExcerptBody,
}

/// The text of an excerpt, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum ExcerptBody {
    /// Lines around the test's own block; line numbers are 1-based.
    Found {
        /// Line number of the first line shown.
        first_line: usize,
        /// Line number where the test is named.
        match_line: usize,
        /// The lines, ANSI colours removed.
        text: String,
    },
    /// The log does not name the test.
    NotFound,
    /// The log could not be read.
    Error(String),
}

/// Read the log at `location` and cut the lines around the test `name`
/// (`all`: every test name of the release). Returns the log's name for
/// display and the excerpt.
pub fn read_excerpt(
    location: &LogLocation,
    name: &str,
    all: &[&str],
    limits: &Limits,
) -> (String, ExcerptBody) {
    let (source, bytes) = match location {
        LogLocation::File(path) => (
            path.display().to_string(),
            ingest::read_capped(path, limits),
        ),
        LogLocation::TarMember { tarball, member } => (
            format!("{}!{member}", tarball.display()),
            ingest::tarball::read_member(tarball, member, limits),
        ),
    };
    let body = match bytes {
        Ok(bytes) => find_excerpt(&bytes, name, all),
        Err(e) => ExcerptBody::Error(e.to_string()),
    };
    (source, body)
}

/// The lines around the test's own block in `log`, or `NotFound`.
pub fn find_excerpt(log: &[u8], name: &str, all: &[&str]) -> ExcerptBody {
    let Some(hit) = LogIndex::build(log).locate(name, all) else {
        return ExcerptBody::NotFound;
    };
    let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').collect();
    let named = clean(lines[hit]);
    // A block header is followed by its log; a one-line progress or summary
    // mention closes it, so show what came before too.
    let before = if named.contains("\"msg\"") || named.contains("[FAIL") || named.contains("[Fail")
    {
        EXCERPT_LINES / 2
    } else {
        3
    };
    let first = hit.saturating_sub(before);
    let last = (first + EXCERPT_LINES).min(lines.len());
    let mut text = String::new();
    for raw in &lines[first..last] {
        let line = clean(raw);
        if line.chars().count() > MAX_LINE_CHARS {
            text.extend(line.chars().take(MAX_LINE_CHARS));
            text.push('…');
        } else {
            text.push_str(&line);
        }
        text.push('\n');
    }
    ExcerptBody::Found {
        first_line: first + 1,
        match_line: hit + 1,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1_LOG: &str = "Will run 2 of 10 specs\n\
------------------------------\n\
[k8s.io] Pods \n  should be submitted and removed [NodeConformance] [Conformance]\n\
  /workspace/framework.go:703\n\
STEP: creating the pod\n\
------------------------------\n\
{\"msg\":\"PASSED [k8s.io] Pods should be submitted and removed [NodeConformance] [Conformance]\",\"total\":2}\n";

    fn found_line(body: &ExcerptBody) -> Option<usize> {
        match body {
            ExcerptBody::Found { match_line, .. } => Some(*match_line),
            _ => None,
        }
    }

    #[test]
    fn v1_split_header_is_found() {
        let name = "[k8s.io] Pods should be submitted and removed [NodeConformance] [Conformance]";
        let body = find_excerpt(V1_LOG.as_bytes(), name, &[name]);
        assert_eq!(found_line(&body), Some(4));
        assert!(
            matches!(&body, ExcerptBody::Found { text, .. } if text.contains("STEP: creating the pod"))
        );
    }

    #[test]
    fn renamed_containers_fall_back_to_the_tail_only_when_no_other_test_shares_it() {
        let name =
            "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]";
        let body = find_excerpt(V1_LOG.as_bytes(), name, &[name]);
        assert_eq!(found_line(&body), Some(4));
        // Another test of the release ends the same way: no guess.
        let other =
            "[sig-apps] Jobs should be submitted and removed [NodeConformance] [Conformance]";
        let body = find_excerpt(V1_LOG.as_bytes(), name, &[name, other]);
        assert_eq!(body, ExcerptBody::NotFound);
    }

    #[test]
    fn a_test_that_shares_only_the_end_of_its_name_is_not_found() {
        // The Supervisor v1.21 case: NodePort-to-ExternalName was not run,
        // ClusterIP-to-ExternalName was; their names end alike.
        let log = "------------------------------\n\
[sig-network] Services \n  should be able to change the type from ClusterIP to ExternalName [Conformance]\n\
  framework.go:630\n";
        let run = "[sig-network] Services should be able to change the type from ClusterIP to ExternalName [Conformance]";
        let skipped = "[sig-network] Services should be able to change the type from NodePort to ExternalName [Conformance]";
        let all = [run, skipped];
        assert_eq!(
            find_excerpt(log.as_bytes(), skipped, &all),
            ExcerptBody::NotFound
        );
        assert_eq!(
            found_line(&find_excerpt(log.as_bytes(), run, &all)),
            Some(3)
        );
    }

    #[test]
    fn ginkgo_v2_failures_with_it_and_labels_are_found() {
        let log = "------------------------------\n\
• [FAILED] [302.118 seconds]\n\
[sig-network] Services [It] should have session affinity work for NodePort service [LinuxOnly] [Conformance] [sig-network, Conformance]\n\
test/e2e/network/service.go:2231\n\
\n\
Summarizing 1 Failure:\n\
  [FAIL] [sig-network] Services [It] should have session affinity work for NodePort service [LinuxOnly] [Conformance]\n";
        let name = "[sig-network] Services should have session affinity work for NodePort service [LinuxOnly] [Conformance]";
        assert_eq!(
            found_line(&find_excerpt(log.as_bytes(), name, &[name])),
            Some(3)
        );
        // The JUnit of v2 may keep `[It]` in the name.
        let raw = "[It] [sig-network] Services should have session affinity work for NodePort service [LinuxOnly] [Conformance]";
        assert_eq!(
            found_line(&find_excerpt(log.as_bytes(), raw, &[raw])),
            Some(3)
        );
    }

    #[test]
    fn summary_lines_count_when_nothing_better_names_the_test() {
        let log = "Summarizing 1 Failure:\n\n[Fail] [sig-apps] Jobs [It] should run a job to completion [Conformance] \ntest/e2e/apps/job.go:1\n";
        let name = "[sig-apps] Jobs should run a job to completion [Conformance]";
        assert_eq!(
            found_line(&find_excerpt(log.as_bytes(), name, &[name])),
            Some(3)
        );
    }

    #[test]
    fn absent_test_is_not_found() {
        let name = "[sig-x] Something else entirely here";
        assert_eq!(
            find_excerpt(V1_LOG.as_bytes(), name, &[name]),
            ExcerptBody::NotFound
        );
    }

    #[test]
    fn labels_and_it_are_left_out_of_keys() {
        assert_eq!(
            normalise("[sig-x] A  [It] b [Conformance] [sig-x, Conformance]"),
            "[sig-x] A b [Conformance]"
        );
        assert_eq!(
            normalise("[sig-x] A b [Conformance]"),
            "[sig-x] A b [Conformance]"
        );
    }
}

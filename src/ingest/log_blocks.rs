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

use memchr::memmem;

use super::e2e_log::{clean, clean_cow};
use rustc_hash::{FxHashMap, FxHashSet};

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
    full: FxHashMap<String, (Shape, usize)>,
    /// Normalised leaf of a split header → its 0-based line (first one).
    leaves: FxHashMap<String, usize>,
    /// The byte lengths of the leaves: a tail of another length is no leaf,
    /// and is passed over without being hashed.
    leaf_lengths: FxHashSet<usize>,
    /// A name being normalised, reused from mention to mention.
    scratch: String,
}

/// The names an index is built for ([`LogIndex::build_for`]): normalised
/// whole names, and every tail of them that starts after a space. A
/// mention whose normalised name is neither can answer for none of them.
#[derive(Debug, Default)]
struct Wanted {
    full: FxHashSet<String>,
    tails: FxHashSet<String>,
}

impl Wanted {
    fn of(names: &[&str]) -> Wanted {
        let mut wanted = Wanted::default();
        for name in names {
            let key = normalise(name);
            for (i, c) in key.char_indices() {
                if i > 0 && c == ' ' {
                    wanted.tails.insert(key[i + 1..].to_string());
                }
            }
            wanted.full.insert(key);
        }
        wanted
    }
}

/// A name as the index keys it: `[It]` left out, a trailing label list
/// (`[a, b]`) left out, runs of white space made one space.
pub fn normalise(name: &str) -> String {
    let mut out = String::new();
    normalise_into(name, &mut out);
    out
}

/// [`normalise`] into `out` (cleared first), with no allocation once `out`
/// has room.
fn normalise_into(name: &str, out: &mut String) {
    // A trailing space changes nothing: words are split on white space.
    normalise_pair_into(name, "", out);
}

/// [`normalise_into`] of `a`, a space and `b`, without joining them first.
fn normalise_pair_into(a: &str, b: &str, out: &mut String) {
    out.clear();
    if splits_on_bytes(a) && splits_on_bytes(b) {
        return normalise_words(
            a.split_ascii_whitespace().chain(b.split_ascii_whitespace()),
            out,
        );
    }
    normalise_words(a.split_whitespace().chain(b.split_whitespace()), out);
}

/// Whether `text`'s words may be split on ASCII white space bytes, which
/// gives what splitting on Unicode white space gives: it is ASCII (nearly
/// every name is) and holds no vertical tab, the one ASCII character that
/// Unicode counts as white space and `split_ascii_whitespace` does not.
fn splits_on_bytes(text: &str) -> bool {
    text.is_ascii() && memchr::memchr(0x0b, text.as_bytes()).is_none()
}

/// [`normalise_into`] once the name is split into words.
fn normalise_words<'a>(words: impl Iterator<Item = &'a str>, out: &mut String) {
    // Where the last word that opens a bracket starts in `out`, unless it
    // is the first word.
    let mut last_open = None;
    for word in words.filter(|w| *w != "[It]") {
        if !out.is_empty() {
            out.push(' ');
            if word.starts_with('[') {
                last_open = Some(out.len());
            }
        }
        out.push_str(word);
    }
    // A trailing `[label, label]` list: from the last word that opens a
    // bracket to the end, when it holds a comma and closes at the end.
    if let Some(start) = last_open {
        let tail = &out[start..];
        if tail.ends_with(']') && tail.contains(", ") {
            out.truncate(start - 1);
        }
    }
}

impl LogIndex {
    /// Index every mention of a test in `log`. The log is not walked line
    /// by line: SIMD substring searches find the few lines that can name a
    /// test (separators, progress records, summary lines), and line numbers
    /// are counted between them.
    pub fn build(log: &[u8]) -> LogIndex {
        Self::build_with(log, None)
    }

    /// [`LogIndex::build`] keeping only what can answer for the tests
    /// `names`: their whole names and the leaves that are tails of them.
    /// Locating one of `names` gives what the whole index gives; the
    /// others are not indexed. The many mentions of other tests then cost
    /// no allocation.
    pub fn build_for(log: &[u8], names: &[&str]) -> LogIndex {
        Self::build_with(log, Some(&Wanted::of(names)))
    }

    fn build_with(log: &[u8], wanted: Option<&Wanted>) -> LogIndex {
        #[derive(Clone, Copy)]
        enum Mark {
            Separator,
            Progress(usize),
            Summary,
        }
        let mut marks: Vec<(usize, Mark)> = Vec::new();
        for at in memmem::find_iter(log, SEPARATOR) {
            let start = line_start(log, at);
            let line = line_at(log, start).trim_ascii();
            if line.iter().all(|b| *b == b'-') {
                marks.push((start, Mark::Separator));
            }
        }
        for at in memmem::find_iter(log, b"{\"msg\":\"") {
            marks.push((line_start(log, at), Mark::Progress(at + 8)));
        }
        for needle in [&b"[Fail] "[..], &b"[FAIL] "[..]] {
            for at in memmem::find_iter(log, needle) {
                let start = line_start(log, at);
                if line_at(log, start).trim_ascii_start().starts_with(needle) {
                    marks.push((start, Mark::Summary));
                }
            }
        }
        marks.sort_by_key(|m| m.0);
        marks.dedup_by_key(|m| m.0);
        let mut index = LogIndex::default();
        let (mut line_no, mut counted_to) = (0usize, 0usize);
        for (start, mark) in marks {
            line_no += memchr::memchr_iter(b'\n', &log[counted_to..start]).count();
            counted_to = start;
            match mark {
                Mark::Separator => index.header_after(log, start, line_no, wanted),
                Mark::Progress(at) => {
                    let rest = clean_cow(line_at(log, at));
                    for verb in ["PASSED ", "FAILED "] {
                        if let Some(name) = rest.strip_prefix(verb)
                            && let Some(end) = name.find("\",\"")
                        {
                            index.add(&name[..end], Shape::Progress, line_no, wanted);
                        }
                    }
                }
                Mark::Summary => {
                    let line = clean_cow(line_at(log, start));
                    let line = line.trim_start();
                    let name = line
                        .strip_prefix("[Fail] ")
                        .or_else(|| line.strip_prefix("[FAIL] "))
                        .unwrap_or(line);
                    index.add(name, Shape::Summary, line_no, wanted);
                }
            }
        }
        index
    }

    /// The header of the block that the separator line at byte `start`
    /// (line `sep`) opens.
    fn header_after(&mut self, log: &[u8], start: usize, sep: usize, wanted: Option<&Wanted>) {
        let mut lines = LinesFrom::new(log, start);
        lines.next();
        let mut i = sep + 1;
        let mut first = lines.next().map(clean_cow).unwrap_or_default();
        // v2's failure header: `• [FAILED] [1.2 seconds]`, then the name.
        if first.trim_start().starts_with('•') {
            i += 1;
            first = lines.next().map(clean_cow).unwrap_or_default();
            if first.contains("[It] ") {
                self.add(&first, Shape::Header, i, wanted);
                return;
            }
        }
        if first.trim().is_empty() || first.starts_with(char::is_whitespace) {
            return;
        }
        if first.contains("[It] ") {
            self.add(&first, Shape::Header, i, wanted);
            return;
        }
        let leaf = lines.next().map(clean_cow).unwrap_or_default();
        if leaf.starts_with(char::is_whitespace) && !leaf.trim().is_empty() {
            // The whole name is the containers and the leaf; normalising
            // joins them with one space whatever space they had.
            let mut key = std::mem::take(&mut self.scratch);
            normalise_pair_into(&first, &leaf, &mut key);
            self.add_normalised(key, Shape::Header, i + 1, wanted);
            let mut key = std::mem::take(&mut self.scratch);
            normalise_into(&leaf, &mut key);
            if wanted.is_none_or(|w| w.tails.contains(&key)) {
                self.leaf_lengths.insert(key.len());
                if !self.leaves.contains_key(&key) {
                    self.leaves.insert(key.clone(), i + 1);
                }
            }
            self.scratch = key;
        }
    }

    fn add(&mut self, name: &str, shape: Shape, line: usize, wanted: Option<&Wanted>) {
        let mut key = std::mem::take(&mut self.scratch);
        normalise_into(name, &mut key);
        self.add_normalised(key, shape, line, wanted);
    }

    /// [`LogIndex::add`] for a name normalised into `key` (the scratch
    /// buffer, kept for the next name).
    fn add_normalised(&mut self, key: String, shape: Shape, line: usize, wanted: Option<&Wanted>) {
        if !key.is_empty() && wanted.is_none_or(|w| w.full.contains(&key)) {
            match self.full.get_mut(&key) {
                Some(entry) => {
                    if shape < entry.0 {
                        *entry = (shape, line);
                    }
                }
                None => {
                    self.full.insert(key.clone(), (shape, line));
                }
            }
        }
        self.scratch = key;
    }

    /// The 0-based line where the test `name` is named, or `None`. `all`
    /// are the names of every test of the release: a tail of `name` only
    /// stands for it when no other of them ends with that tail.
    pub fn locate(&self, name: &str, all: &[&str]) -> Option<usize> {
        self.locate_key(&normalise(name), &mut sharing(all))
    }

    /// Where each test `wanted[i]` (an index into `all`, every test name
    /// of the release) is named: [`LogIndex::locate`] for many tests.
    pub fn locate_many(&self, all: &[&str], wanted: &[usize]) -> Vec<Option<usize>> {
        let mut count = sharing(all);
        wanted
            .iter()
            .map(|&i| {
                all.get(i)
                    .and_then(|name| self.locate_key(&normalise(name), &mut count))
            })
            .collect()
    }

    /// [`LogIndex::locate`] for a normalised name; `sharing(tail)` says how
    /// many tests of the release end with a tail.
    fn locate_key(&self, key: &str, sharing: &mut impl FnMut(&str) -> usize) -> Option<usize> {
        if let Some(&(_, line)) = self.full.get(key) {
            return Some(line);
        }
        let starts = key
            .char_indices()
            .filter(|&(i, c)| i > 0 && c == ' ')
            .map(|(i, _)| i + 1);
        for start in starts {
            let tail = &key[start..];
            // Characters are never more than bytes: only a short tail needs
            // counting.
            if tail.len() < MIN_TAIL_CHARS
                || (tail.len() < MIN_TAIL_CHARS * 4 && tail.chars().count() < MIN_TAIL_CHARS)
            {
                break;
            }
            if !self.leaf_lengths.contains(&tail.len()) {
                continue;
            }
            let Some(&line) = self.leaves.get(tail) else {
                continue;
            };
            // Only this test's own name may end with the tail.
            return (sharing(tail) <= 1).then_some(line);
        }
        None
    }
}

/// How many of `all` (test names) end with a tail once normalised; answers
/// are remembered per tail.
///
/// Normalising only joins words, so a name whose normalised form ends with
/// the tail holds each of the tail's words as they are: a search for the
/// tail's longest word rules out nearly every name before any is
/// normalised (thousands of names a release, most of them skipped specs).
/// The names are searched as one text, joined by line breaks on the first
/// question (one SIMD pass instead of one search per name), and the names
/// holding a word are remembered for the next tail with that word.
fn sharing<'a>(all: &'a [&'a str]) -> impl FnMut(&str) -> usize + 'a {
    let mut known: FxHashMap<String, usize> = FxHashMap::default();
    let mut holding: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut joined: Option<(String, Vec<usize>)> = None;
    move |tail: &str| {
        if let Some(&n) = known.get(tail) {
            return n;
        }
        let word = tail.split(' ').max_by_key(|w| w.len()).unwrap_or(tail);
        let (text, starts) = joined.get_or_insert_with(|| {
            let mut starts = Vec::with_capacity(all.len());
            let mut text = String::with_capacity(all.iter().map(|n| n.len() + 1).sum());
            for name in all {
                starts.push(text.len());
                text.push_str(name);
                text.push('\n');
            }
            (text, starts)
        });
        let candidates = holding.entry(word.to_string()).or_insert_with(|| {
            let mut found: Vec<usize> = memmem::find_iter(text.as_bytes(), word.as_bytes())
                // The name whose text holds the match (a word never holds
                // a line break, so it lies within one name).
                .map(|at| starts.partition_point(|&s| s <= at).saturating_sub(1))
                .collect();
            found.dedup();
            found
        });
        let spaced = format!(" {tail}");
        let n = candidates
            .iter()
            .filter_map(|&i| all.get(i))
            .filter(|name| {
                let k = normalise(name);
                k == tail || k.ends_with(&spaced)
            })
            .count();
        known.insert(tail.to_string(), n);
        n
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
    let all: Vec<&str> = tests.iter().map(TestCase::name).collect();
    let names: Vec<&str> = wanted.iter().filter_map(|&i| all.get(i).copied()).collect();
    let lines = LogIndex::build_for(log, &names).locate_many(&all, &wanted);
    wanted
        .into_iter()
        .zip(lines)
        .filter_map(|(i, line)| line.map(|l| (i, l + 1)))
        .collect()
}

/// The byte where the line holding byte `at` starts.
fn line_start(log: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &log[..at.min(log.len())]).map_or(0, |p| p + 1)
}

/// The line that starts at byte `start`, without its line end.
fn line_at(log: &[u8], start: usize) -> &[u8] {
    let rest = &log[start.min(log.len())..];
    &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())]
}

/// The lines of `log` from byte `start` on.
struct LinesFrom<'a> {
    log: &'a [u8],
    at: usize,
}

impl<'a> LinesFrom<'a> {
    fn new(log: &'a [u8], at: usize) -> Self {
        LinesFrom { log, at }
    }
}

impl<'a> Iterator for LinesFrom<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.at >= self.log.len() {
            return None;
        }
        let line = line_at(self.log, self.at);
        self.at += line.len() + 1;
        Some(line)
    }
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
    let Some(hit) = LogIndex::build_for(log, &[name]).locate(name, all) else {
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
    fn an_index_built_for_a_renamed_test_keeps_its_leaf() {
        let name =
            "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]";
        let log = V1_LOG.as_bytes();
        assert_eq!(LogIndex::build(log).locate(name, &[name]), Some(3));
        assert_eq!(
            LogIndex::build_for(log, &[name]).locate(name, &[name]),
            Some(3)
        );
        // Built for another test, the index keeps neither the leaf nor the
        // whole name.
        let other = "[sig-apps] Jobs should run [Conformance]";
        let index = LogIndex::build_for(log, &[other]);
        assert_eq!(index.locate(name, &[name]), None);
        assert!(index.full.is_empty() && index.leaves.is_empty());
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

    /// The words-and-join form `normalise` had before it wrote into one
    /// buffer.
    fn normalise_by_words(name: &str) -> String {
        let mut words: Vec<&str> = name.split_whitespace().filter(|w| *w != "[It]").collect();
        if let Some(start) = words.iter().rposition(|w| w.starts_with('[')) {
            let tail = words[start..].join(" ");
            if tail.ends_with(']') && tail.contains(", ") && start > 0 {
                words.truncate(start);
            }
        }
        words.join(" ")
    }

    #[test]
    fn normalising_two_parts_gives_what_normalising_them_joined_gives() {
        let parts = [
            "",
            " ",
            "[It]",
            "[sig-x] A",
            "  should b [Conformance]",
            "x [a,",
            " b]",
            "[a, b]",
            "ünï [cödé,",
            "\u{b}[It]\u{b} q",
            "y\u{85}",
        ];
        let mut buf = String::from("left over");
        for a in parts {
            for b in parts {
                normalise_pair_into(a, b, &mut buf);
                assert_eq!(buf, normalise(&format!("{a} {b}")), "{a:?} + {b:?}");
            }
        }
    }

    #[test]
    fn normalising_into_a_buffer_gives_what_words_and_join_give() {
        let cases = [
            "",
            "   ",
            "[It]",
            "[It] [a, b]",
            "[a, b]",
            "[a, b] x",
            "x [a, b]",
            "x [a, b] y",
            "x [a, b] [c]",
            "x [c] [a, b]",
            "x [a,b]",
            "x\t[It]  [a,\u{a0}b]",
            "[sig-x] A  [It] b [Conformance] [sig-x, Conformance]",
            "[sig-x] A b [Conformance]",
            "x [a, b",
            "x [, ]",
            "x [It] [It] [q, r]  ",
            "ünï [cödé, ñ]",
            "x\u{b}y [a,\u{b}b]",
            "x\u{c}y\rz\n[It]\tq",
            "a\u{1f}b \u{1c}c",
            "\u{b}[It]\u{b} q [r, s]",
            "x\u{85}y [a, b]",
        ];
        let mut buf = String::from("left over");
        for case in cases {
            normalise_into(case, &mut buf);
            assert_eq!(buf, normalise_by_words(case), "{case:?}");
            assert_eq!(normalise(case), normalise_by_words(case), "{case:?}");
        }
        for line in V1_LOG.lines() {
            normalise_into(line, &mut buf);
            assert_eq!(buf, normalise_by_words(line), "{line:?}");
        }
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

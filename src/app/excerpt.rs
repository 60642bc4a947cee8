//! The lines of an e2e.log around one test, for the detail pane. The log
//! is read by a job (see [`super::detail`]); nothing here touches the UI.

use crate::ingest::{self, Limits};
use crate::model::LogLocation;

/// Lines shown around a test's mention in the log.
pub const EXCERPT_LINES: usize = 40;

/// The longest line kept in an excerpt, in characters.
const MAX_LINE_CHARS: usize = 400;

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
    /// Lines around the first mention; `first_line` is 1-based.
    Found {
        /// Line number of the first line shown.
        first_line: usize,
        /// Line number of the mention.
        match_line: usize,
        /// The lines, ANSI colours removed.
        text: String,
    },
    /// The log does not mention the test.
    NotFound,
    /// The log could not be read.
    Error(String),
}

/// Read the log at `location` (on a job's thread) and cut the lines
/// around `name`.
pub fn read_excerpt(location: &LogLocation, name: &str, limits: &Limits) -> (String, ExcerptBody) {
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
        Ok(bytes) => find_excerpt(&bytes, name),
        Err(e) => ExcerptBody::Error(e.to_string()),
    };
    (source, body)
}

/// Find the first mention of a test in a log and cut the lines around it.
///
/// Ginkgo v1 prints a spec's header over two lines (`[k8s.io] Pods` and then
/// `  should be submitted ...`), followed by its log; v2 and the final
/// summary print the whole name on one line. So the search tries the whole
/// name first and then ever shorter word-aligned tails of it, down to a
/// length that is still specific.
pub fn find_excerpt(log: &[u8], name: &str) -> ExcerptBody {
    let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').collect();
    let cleaned: Vec<String> = lines.iter().map(|l| ingest::e2e_log::clean(l)).collect();
    let Some(hit) = locate(&cleaned, name) else {
        return ExcerptBody::NotFound;
    };
    // A mention at the start of a v1 block is followed by its log; the
    // one-line `{"msg":"PASSED ..."}` or summary mention closes it.
    let before = if cleaned[hit].contains("\"msg\"") || cleaned[hit].contains("[FAIL") {
        EXCERPT_LINES / 2
    } else {
        3
    };
    let first = hit.saturating_sub(before);
    let last = (first + EXCERPT_LINES).min(cleaned.len());
    let mut text = String::new();
    for line in &cleaned[first..last] {
        if line.chars().count() > MAX_LINE_CHARS {
            text.extend(line.chars().take(MAX_LINE_CHARS));
            text.push('…');
        } else {
            text.push_str(line);
        }
        text.push('\n');
    }
    ExcerptBody::Found {
        first_line: first + 1,
        match_line: hit + 1,
        text,
    }
}

fn locate(lines: &[String], name: &str) -> Option<usize> {
    const MIN_TAIL_CHARS: usize = 24;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    // A spec header split over two lines: the containers, then the leaf.
    let header = (1..lines.len()).find(|&i| {
        let prev = lines[i - 1].trim();
        let cur = lines[i].trim();
        !prev.is_empty()
            && !cur.is_empty()
            && name
                .strip_prefix(prev)
                .is_some_and(|rest| rest.trim_start() == cur)
    });
    if header.is_some() {
        return header;
    }
    if let Some(i) = lines.iter().position(|l| l.contains(name)) {
        return Some(i);
    }
    // Word-aligned tails, longest first.
    let starts: Vec<usize> = name
        .char_indices()
        .filter(|&(i, c)| i > 0 && c == ' ')
        .map(|(i, _)| i + 1)
        .collect();
    for start in starts {
        let tail = &name[start..];
        if tail.chars().count() < MIN_TAIL_CHARS {
            break;
        }
        if let Some(i) = lines.iter().position(|l| l.trim_end().ends_with(tail)) {
            return Some(i);
        }
    }
    None
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
{\"msg\":\"PASSED [k8s.io] Pods should be submitted and removed [NodeConformance] [Conformance]\"}\n";

    #[test]
    fn v1_split_header_is_found() {
        let body = find_excerpt(
            V1_LOG.as_bytes(),
            "[k8s.io] Pods should be submitted and removed [NodeConformance] [Conformance]",
        );
        match body {
            ExcerptBody::Found {
                match_line, text, ..
            } => {
                assert_eq!(match_line, 4);
                assert!(text.contains("STEP: creating the pod"));
            }
            other => panic!("not found: {other:?}"),
        }
    }

    #[test]
    fn renamed_containers_fall_back_to_the_tail() {
        let body = find_excerpt(
            V1_LOG.as_bytes(),
            "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]",
        );
        assert!(matches!(body, ExcerptBody::Found { match_line: 4, .. }));
    }

    #[test]
    fn absent_test_is_not_found() {
        let body = find_excerpt(V1_LOG.as_bytes(), "[sig-x] Something else entirely here");
        assert_eq!(body, ExcerptBody::NotFound);
    }
}

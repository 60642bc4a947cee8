//! A scanner for the e2e suite's log (`e2e.log`, `e2e.stdout.txt`).
//!
//! The log can be megabytes of spec output; the few facts we want are found
//! with memchr's substring search rather than by reading every line: the
//! versions near the top, the `Ran N of M Specs` / `SUCCESS!`/`FAIL!` verdict
//! near the end, and the `Summarizing N Failures:` list before it. ANSI
//! colour codes and CRLF line ends are tolerated.

use memchr::memmem;

use crate::model::{LogFacts, LogSummary};

/// Counts above this are treated as garbage rather than believed.
const ABSURD_COUNT: u64 = 10_000_000;

/// Scan a log for the suite's own figures and versions.
pub fn scan_log(bytes: &[u8]) -> LogFacts {
    let mut facts = LogFacts {
        kube_version: find_value(bytes, b"kube-apiserver version:"),
        e2e_version: find_value(bytes, b"e2e test version:"),
        ..LogFacts::default()
    };
    facts.started = find_seed(bytes);
    let (summary, verdict_at) = find_verdict(bytes, &mut facts.warnings);
    // Ginkgo summarises failures only when there are some: a log whose
    // verdict counts none is not searched backwards for them (a search
    // without a SIMD prefilter, over megabytes per log).
    let none_failed = summary.as_ref().is_some_and(|s| s.failed == 0);
    facts.summary = summary;
    if !none_failed {
        facts.failures = find_failures(bytes, verdict_at);
    }
    facts
}

/// The bytes a log's head must hold for [`scan_log_ends`].
pub const HEAD_BYTES: usize = 64 * 1024;

/// The bytes a log's tail must hold for [`scan_log_ends`].
pub const TAIL_BYTES: usize = 256 * 1024;

/// [`scan_log`] from the first and last bytes of a log alone, when they
/// settle every fact: `Some` only when the whole log would give the very
/// same facts, `None` when the rest may matter (the log must then be read
/// whole).
///
/// A log of a run where nothing failed says all it has to say near its
/// ends: the versions and the seed at the top, the verdict at the bottom.
/// Each is the first (or, for the verdict, the last) of its kind in the
/// whole log, so finding it complete in `head` (or `tail`) is finding the
/// one a whole read finds. Anything not found, cut by the edge of a piece,
/// or a verdict that counts failures (whose names are listed above it)
/// leaves the answer to a whole read.
pub fn scan_log_ends(head: &[u8], tail: &[u8]) -> Option<LogFacts> {
    // Each value's line must end inside the head: a whole read would
    // otherwise see more of it.
    let complete = |key: &[u8]| -> Option<Option<String>> {
        let at = memmem::find(head, key)? + key.len();
        memchr::memchr(b'\n', &head[at..])?;
        Some(find_value(head, key))
    };
    let kube_version = complete(b"kube-apiserver version:")?;
    let e2e_version = complete(b"e2e test version:")?;
    let seed_at = memmem::find(head, b"Random Seed:")?;
    memchr::memchr(b'\n', &head[seed_at..])?;
    let started = find_seed(head);
    let mut warnings = Vec::new();
    let (summary, start) = find_verdict(tail, &mut warnings);
    // The verdict's line must start inside the tail, after a line break.
    let summary = summary.filter(|s| s.failed == 0 && start > 0 && warnings.is_empty())?;
    memchr::memrchr(b'\n', &tail[..start])?;
    Some(LogFacts {
        kube_version,
        e2e_version,
        started,
        summary: Some(summary),
        ..LogFacts::default()
    })
}

/// The rest of the line after the first `key`, cleaned.
fn find_value(bytes: &[u8], key: &[u8]) -> Option<String> {
    let at = memmem::find(bytes, key)? + key.len();
    let line = line_from(bytes, at);
    let v = clean(line);
    let v = v.trim();
    if v.is_empty() || v.len() > 200 {
        None
    } else {
        Some(v.to_string())
    }
}

/// Ginkgo's `Random Seed: N` near the top of the log: the run's start in
/// Unix seconds unless a seed was given by hand, so only a value between
/// 2015 and 2100 is taken.
fn find_seed(bytes: &[u8]) -> Option<i64> {
    let head = &bytes[..bytes.len().min(1 << 20)];
    let at = memmem::find(head, b"Random Seed:")? + b"Random Seed:".len();
    let text = clean(line_from(head, at));
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let seed: i64 = digits.parse().ok()?;
    (1_420_070_400..4_102_444_800)
        .contains(&seed)
        .then_some(seed)
}

/// The bytes from `at` up to the end of its line.
fn line_from(bytes: &[u8], at: usize) -> &[u8] {
    let rest = &bytes[at.min(bytes.len())..];
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    &rest[..end]
}

/// The start of the line containing `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &bytes[..at.min(bytes.len())]).map_or(0, |p| p + 1)
}

/// Text without ANSI escape sequences and carriage returns, lossily decoded.
pub fn clean(line: &[u8]) -> String {
    clean_cow(line).into_owned()
}

/// [`clean`], borrowing `line` when it holds no escape sequence, no
/// carriage return and only valid UTF-8 (nearly every line of a log): the
/// index of a log cleans thousands of lines it then only looks at.
pub fn clean_cow(line: &[u8]) -> std::borrow::Cow<'_, str> {
    if memchr::memchr2(0x1b, b'\r', line).is_none()
        && let Ok(text) = std::str::from_utf8(line)
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(clean_owned(line))
}

/// [`clean`] byte by byte, into a new string.
fn clean_owned(line: &[u8]) -> String {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if b == 0x1b {
            // CSI: ESC [ params final-byte (0x40..=0x7e)
            i += 1;
            if i < line.len() && line[i] == b'[' {
                i += 1;
                while i < line.len() && !(0x40..=0x7e).contains(&line[i]) {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if b != b'\r' {
            out.push(b);
        }
        i += 1;
    }
    // Valid UTF-8 (nearly every line) keeps its buffer; only a line with
    // invalid bytes is copied with replacements.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Find the last `Ran N of M Specs in S seconds` line and the verdict that
/// follows it. Returns the summary and the offset of the `Ran` line.
fn find_verdict(bytes: &[u8], warnings: &mut Vec<String>) -> (Option<LogSummary>, usize) {
    let finder = memmem::FinderRev::new(b" Specs in ");
    let mut search_end = bytes.len();
    while let Some(at) = finder.rfind(&bytes[..search_end]) {
        let start = line_start(bytes, at);
        let line = clean(line_from(bytes, start));
        search_end = start;
        let Some((ran, of, secs)) = parse_ran_line(&line) else {
            continue;
        };
        // The verdict is on one of the next few lines.
        let mut pos = start + line_from(bytes, start).len() + 1;
        for _ in 0..4 {
            if pos >= bytes.len() {
                break;
            }
            let next = line_from(bytes, pos);
            let text = clean(next);
            let t = text.trim();
            if let Some(summary) = parse_verdict_line(t, ran, of, secs) {
                if [
                    summary.ran,
                    summary.of,
                    summary.passed,
                    summary.failed,
                    summary.skipped,
                ]
                .iter()
                .any(|&n| n > ABSURD_COUNT)
                    || summary.passed + summary.failed > summary.of
                {
                    warnings.push(format!(
                        "the verdict line \"{}\" has impossible numbers; ignored",
                        shorten(t)
                    ));
                    return (None, start);
                }
                return (Some(summary), start);
            }
            pos += next.len() + 1;
        }
        warnings.push(format!(
            "\"{}\" is not followed by a SUCCESS!/FAIL! line",
            shorten(line.trim())
        ));
        return (None, start);
    }
    (None, bytes.len())
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(120).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

/// `Ran 322 of 5771 Specs in 18238.239 seconds` → (322, 5771, Some(18238.239)).
fn parse_ran_line(line: &str) -> Option<(u64, u64, Option<f64>)> {
    let at = line.find("Ran ")?;
    let mut words = line[at + 4..].split_whitespace();
    let ran = parse_count(words.next()?)?;
    if words.next()? != "of" {
        return None;
    }
    let of = parse_count(words.next()?)?;
    if words.next()? != "Specs" {
        return None;
    }
    let secs = match (words.next(), words.next()) {
        (Some("in"), Some(s)) => s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0),
        _ => None,
    };
    Some((ran, of, secs))
}

fn parse_count(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `SUCCESS! -- 322 Passed | 0 Failed | 0 Flaked | 0 Pending | 5449 Skipped`.
fn parse_verdict_line(line: &str, ran: u64, of: u64, secs: Option<f64>) -> Option<LogSummary> {
    let (success, rest) = if let Some(r) = line.strip_prefix("SUCCESS!") {
        (true, r)
    } else if let Some(r) = line.strip_prefix("FAIL!") {
        (false, r)
    } else {
        return None;
    };
    let mut summary = LogSummary {
        ran,
        of,
        success,
        duration_secs: secs,
        ..LogSummary::default()
    };
    let rest = rest.trim_start().trim_start_matches("--");
    let mut seen = 0;
    for part in rest.split('|') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Some(n) = parse_count(n) else {
            continue;
        };
        seen += 1;
        match what {
            "Passed" => summary.passed = n,
            "Failed" => summary.failed = n,
            "Flaked" => summary.flaked = Some(n),
            "Pending" => summary.pending = n,
            "Skipped" => summary.skipped = n,
            _ => seen -= 1,
        }
    }
    (seen >= 2).then_some(summary)
}

/// The name after a failure heading of the summary list: `[Fail]`,
/// `[Timeout...]`, `[Panic!]` (Ginkgo v1); `[FAIL]`, `[TIMEDOUT]`,
/// `[ABORTED]`, `[PANICKED!]`, `[INTERRUPTED]` (Ginkgo v2).
fn failure_heading(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let close = rest.find(']')?;
    let word = rest[..close]
        .trim_end_matches(['!', '.'])
        .to_ascii_lowercase();
    let known = matches!(
        word.as_str(),
        "fail" | "timeout" | "timedout" | "aborted" | "panic" | "panicked" | "interrupted"
    );
    known.then(|| &rest[close + 1..])
}

/// The names under the last `Summarizing N Failures:` before the verdict.
fn find_failures(bytes: &[u8], verdict_at: usize) -> Vec<String> {
    let head = &bytes[..verdict_at.min(bytes.len())];
    let Some(at) = memmem::rfind(head, b"Summarizing ") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pos = line_start(head, at);
    while pos < head.len() {
        let line = line_from(head, pos);
        pos += line.len() + 1;
        let text = clean(line);
        let name = failure_heading(text.trim_start());
        if let Some(name) = name {
            // v2 appends the location after the name on some versions.
            let name = super::names::display_name(name);
            if !name.is_empty() && out.len() < 10_000 {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every log of the fixtures and the shared data, with its bytes.
    fn real_logs() -> Vec<(String, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("fixtures"), root.join("../shared/data")];
        let mut logs = Vec::new();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let name = p.file_name().map(|n| n.to_string_lossy().to_string());
                if p.is_dir() {
                    dirs.push(p);
                } else if matches!(name.as_deref(), Some("e2e.log" | "e2e.stdout.txt"))
                    && let Ok(bytes) = std::fs::read(&p)
                {
                    logs.push((p.display().to_string(), bytes));
                }
            }
        }
        logs
    }

    /// The two ends of a log settle its facts only when a whole read gives
    /// the same; on the big passing logs of the shared data they do.
    #[test]
    fn the_ends_of_a_log_give_what_the_whole_gives_or_nothing() {
        let logs = real_logs();
        assert!(!logs.is_empty(), "no logs found");
        let mut settled = 0;
        for (name, bytes) in &logs {
            if bytes.len() < HEAD_BYTES + TAIL_BYTES {
                continue;
            }
            let (head, tail) = (&bytes[..HEAD_BYTES], &bytes[bytes.len() - TAIL_BYTES..]);
            if let Some(facts) = scan_log_ends(head, tail) {
                assert_eq!(facts, scan_log(bytes), "{name}");
                settled += 1;
            }
        }
        if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .is_dir()
        {
            // v1.25/aks passed everything: its ends say it all.
            assert!(settled >= 1, "no log settled by its ends");
        }
    }

    /// What the ends leave open: a version line cut by the head's edge, no
    /// seed, a verdict with failures, a verdict line cut by the tail's
    /// start.
    #[test]
    fn the_ends_leave_open_what_they_cannot_settle() {
        let head = b"Random Seed: 1629220000\nkube-apiserver version: v1.21.1\ne2e test version: v1.21.1\n";
        let tail = b"x\nRan 5 of 10 Specs in 1.0 seconds\nSUCCESS! -- 5 Passed | 0 Failed | 0 Pending | 5 Skipped\n";
        let facts = scan_log_ends(head, tail).expect("settled");
        assert_eq!(facts.kube_version.as_deref(), Some("v1.21.1"));
        assert_eq!(facts.summary.as_ref().map(|s| s.passed), Some(5));
        assert_eq!(facts.started, Some(1_629_220_000));
        // The e2e version's line runs past the head.
        assert!(scan_log_ends(&head[..head.len() - 1], tail).is_none());
        // No seed in the head.
        assert!(scan_log_ends(&head[24..], tail).is_none());
        // Failures: their names are listed above the verdict.
        let failed = b"x\nRan 5 of 10 Specs in 1.0 seconds\nFAIL! -- 4 Passed | 1 Failed | 0 Pending | 5 Skipped\n";
        assert!(scan_log_ends(head, failed).is_none());
        // The verdict's line starts before the tail.
        assert!(scan_log_ends(head, &tail[2..]).is_none());
    }

    #[test]
    fn reads_v1_failure_log() {
        let log = b"Jan 18 22:14:48.764: INFO: e2e test version: v1.24.0\r\n\
Jan 18 22:14:48.764: INFO: kube-apiserver version: v1.24.0+9546431\r\n\
noise\n\nSummarizing 2 Failures:\n\n\
[Fail] [sig-network] Services [It] should a [Conformance] \n\
test/e2e/network/service.go:3367\n\n\
[Fail] [sig-network] Services [It] should b [Conformance] \n\
test/e2e/network/service.go:3367\n\n\
Ran 356 of 6965 Specs in 6746.409 seconds\n\
FAIL! -- 354 Passed | 2 Failed | 0 Pending | 6609 Skipped\n";
        let f = scan_log(log);
        assert_eq!(f.kube_version.as_deref(), Some("v1.24.0+9546431"));
        assert_eq!(f.e2e_version.as_deref(), Some("v1.24.0"));
        let s = f.summary.unwrap();
        assert_eq!(
            (s.ran, s.of, s.passed, s.failed, s.skipped),
            (356, 6965, 354, 2, 6609)
        );
        assert!(!s.success);
        assert_eq!(s.duration_secs, Some(6746.409));
        assert_eq!(f.failures.len(), 2);
        assert!(f.failures[0].starts_with("[sig-network] Services [It] should a"));
    }

    #[test]
    fn tolerates_ansi_and_flaked() {
        let log = b"\x1b[1mRan 402 of 7197 Specs in 2864.817 seconds\x1b[0m\n\
\x1b[38;5;10m\x1b[1mSUCCESS!\x1b[0m -- \x1b[38;5;10m\x1b[1m402 Passed\x1b[0m | 0 Failed | 1 Flaked | 0 Pending | 6795 Skipped\n";
        let s = scan_log(log).summary.unwrap();
        assert_eq!((s.passed, s.flaked, s.skipped), (402, Some(1), 6795));
        assert!(s.success);
    }

    #[test]
    fn garbage_numbers_are_refused() {
        let log = b"Ran 99999999999 of 5 Specs in 1 seconds\nSUCCESS! -- 99999999999 Passed | 0 Failed | 0 Pending | 0 Skipped\n";
        let f = scan_log(log);
        assert!(f.summary.is_none());
        assert!(f.warnings[0].contains("impossible"), "{:?}", f.warnings);
        let log =
            b"Ran 184467440737095516150 of 5 Specs in 1 seconds\nSUCCESS! -- 1 Passed | 0 Failed\n";
        assert!(scan_log(log).summary.is_none());
    }
}

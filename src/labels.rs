//! How release labels are shortened for lists, tables and charts: cut in
//! the middle, so the start and the distinguishing tail (the version or the
//! product) stay. `vsphere-supervisor-conformance/results/v1.18` and
//! `…/v1.21` then read `vsphere…results/v1.18` and `vsphere…results/v1.21`
//! instead of the same `vsphere-supervisor-c…` twice. The window shows the
//! whole label on hover.

/// A path's text without Windows' verbatim prefix, which
/// `std::fs::canonicalize` gives there: `\\?\C:\results` reads
/// `C:\results`, `\\?\UNC\server\share` reads `\\server\share`; any
/// other text is returned as it is. Pure text, so it is tested on every
/// platform.
pub fn plain_path_text(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if let Some(rest) = text.strip_prefix(r"\\?\UNC\") {
        // \\?\UNC\server\share\… is \\server\share\…
        return Cow::Owned(format!(r"\\{rest}"));
    }
    match text.strip_prefix(r"\\?\") {
        // Only a drive path: a verbatim path without a drive letter has no
        // plain form.
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => Cow::Borrowed(rest),
        _ => Cow::Borrowed(text),
    }
}

/// A path for people: [`plain_path_text`] of its display form.
pub fn display_path(path: &std::path::Path) -> String {
    plain_path_text(&path.display().to_string()).into_owned()
}

/// The hint under the release list: how a click selects, with the
/// platform's key for adding (Cmd on macOS, Ctrl elsewhere).
pub fn selection_hint(mac: bool) -> &'static str {
    if mac {
        "Click to select · Cmd-click to add · Shift-click for a range · right-click for more"
    } else {
        "Click to select · Ctrl-click to add · Shift-click for a range · right-click for more"
    }
}

/// `label` in at most `max_chars` characters: unchanged when it fits, else
/// its start, `…` and its end, the end given the larger share (at least the
/// last path segment when that leaves room for a start, and starting at a
/// `/` when one is a few characters away).
pub fn cut_middle(label: &str, max_chars: usize) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= max_chars {
        return label.to_string();
    }
    let budget = max_chars.saturating_sub(1);
    if budget < 4 {
        let tail: String = chars[chars.len() - budget..].iter().collect();
        return format!("…{tail}");
    }
    let last_segment = label
        .rfind('/')
        .map(|i| label[i..].chars().count())
        .unwrap_or(0);
    let mut tail = (budget * 3).div_ceil(5);
    if last_segment > tail && last_segment + 2 <= budget {
        tail = last_segment;
    }
    // Start the tail at a `/` a few characters further left, so it reads
    // as whole path segments (`…/results/v1.18`, not `…esults/v1.18`).
    if let Some(k) = (tail..=tail + 3)
        .filter(|&k| k + 3 <= budget && k < chars.len())
        .find(|&k| chars[chars.len() - k] == '/')
    {
        tail = k;
    }
    let head = budget - tail;
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}…{end}")
}

/// The longest middle cut of `label` for which `fits` holds (found by
/// bisection on the length); `…` and the last character at the least.
pub fn fit_middle(label: &str, mut fits: impl FnMut(&str) -> bool) -> String {
    if fits(label) {
        return label.to_string();
    }
    let (mut lo, mut hi) = (2usize, label.chars().count());
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if fits(&cut_middle(label, mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    cut_middle(label, lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_verbatim_paths_read_plain() {
        assert_eq!(
            plain_path_text(r"\\?\C:\results\v1.27\civo"),
            r"C:\results\v1.27\civo"
        );
        assert_eq!(
            plain_path_text(r"\\?\UNC\nas\share\results"),
            r"\\nas\share\results"
        );
        // Nothing to take away.
        for same in [
            r"C:\results",
            r"\\nas\share",
            "/home/me/results",
            r"\\?\Volume{x}\a",
        ] {
            assert_eq!(plain_path_text(same), same);
        }
        assert_eq!(
            display_path(std::path::Path::new("/tmp/results")),
            "/tmp/results"
        );
    }

    #[test]
    fn the_selection_hint_names_the_platforms_key() {
        assert!(selection_hint(true).contains("Cmd-click to add"));
        assert!(selection_hint(false).contains("Ctrl-click to add"));
    }

    #[test]
    fn the_distinguishing_tail_stays() {
        let a = cut_middle("vsphere-supervisor-conformance/results/v1.18", 24);
        let b = cut_middle("vsphere-supervisor-conformance/results/v1.21", 24);
        assert_ne!(a, b);
        assert!(a.ends_with("/v1.18") && b.ends_with("/v1.21"), "{a} {b}");
        assert!(a.starts_with("vsph"), "{a}");
        assert!(a.contains("…/results/v1.18"), "{a}");
        assert_eq!(a.chars().count(), 24);
        assert_eq!(cut_middle("kind", 10), "kind");
        assert_eq!(cut_middle("abcdefgh", 3), "…gh");
    }

    #[test]
    fn the_longest_cut_that_fits_is_chosen() {
        let label = "k8s-conformance/v1.24/openshift-dedicated";
        let cut = fit_middle(label, |s| s.chars().count() <= 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with("dedicated"), "{cut}");
        assert_eq!(fit_middle("short", |_| true), "short");
    }
}

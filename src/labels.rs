//! How release labels are shortened for lists, tables and charts: cut in
//! the middle, so the start and the distinguishing tail (the version or the
//! product) stay. `vsphere-supervisor-conformance/results/v1.18` and
//! `…/v1.21` then read `vsphere…results/v1.18` and `vsphere…results/v1.21`
//! instead of the same `vsphere-supervisor-c…` twice. The window shows the
//! whole label on hover.

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

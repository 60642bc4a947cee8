//! Markdown split into sections at its level 1 and 2 headings, as the
//! caveat views need it: a caveat summary document such as VMware's
//! `known-test-failures.md` is shown section by section, and a catalog link
//! to a heading (`#hostpath-volumes-are-limited-in-scope`) finds its section
//! by GitHub's anchor ([`slug`]) or by its words ([`same_heading`]).
//!
//! Only ATX headings (`# Title`, `## Title`) start a section; deeper
//! headings, setext headings and anything inside a fenced code block
//! (```` ``` ```` or `~~~`) stay in the text of the section they are in.
//! Pure text in, text out: no I/O and no UI.
//!
//! The same module reads the other kind of `known-test-failures.md`: a
//! per-release document that lists tests (`- Test:` entries with `Failure
//! Reason:`, `Impact:` and `Fixed:`), read by [`defect_doc`].

/// A section of a document: a level 1 or 2 heading and what follows it up
/// to the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The heading's text (closing hashes and a `{#id}` left out); `None`
    /// for the text before the first heading.
    pub heading: Option<String>,
    /// GitHub's anchor of the heading ([`slug`]), when there is a heading.
    pub anchor: Option<String>,
    /// The section's lines, the heading line included, each ending in `\n`.
    pub text: String,
}

/// A document split into [`Section`]s.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// The sections in document order; text before the first heading is a
    /// section without heading, left out when it is blank.
    pub sections: Vec<Section>,
    /// Whether the document was cut before it ended (read up to a size cap).
    pub truncated: bool,
}

/// The heading text of a Markdown ATX heading line of level 1 or 2: at most
/// three spaces of indent, one or two `#`, then a space, a tab or the end
/// of the line. Closing hashes and a trailing heading id (`{#id}`) are not
/// part of the text.
pub fn heading_of(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.chars().take_while(|&c| c == '#').count();
    if !(1..=2).contains(&hashes) {
        return None;
    }
    let rest = &trimmed[hashes..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let mut text = rest.trim();
    // A heading id (`{#id}`) and closing hashes are not part of the text.
    if text.ends_with('}')
        && let Some(i) = text.rfind("{#")
    {
        text = text[..i].trim_end();
    }
    let text = text.trim_end_matches('#').trim_end();
    Some(text.to_string())
}

/// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces
/// become hyphens.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Split a Markdown document into sections at its level 1 and 2 headings
/// (outside fenced code). `truncated` is passed through to [`Doc`].
pub fn sections(text: &str, truncated: bool) -> Doc {
    let mut sections = vec![Section {
        heading: None,
        anchor: None,
        text: String::new(),
    }];
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        match fence {
            Some(f) => {
                if t.starts_with(f) {
                    fence = None;
                }
            }
            None => {
                if t.starts_with("```") {
                    fence = Some("```");
                } else if t.starts_with("~~~") {
                    fence = Some("~~~");
                } else if let Some(h) = heading_of(line) {
                    sections.push(Section {
                        anchor: Some(slug(&h)),
                        heading: Some(h),
                        text: String::new(),
                    });
                }
            }
        }
        if let Some(last) = sections.last_mut() {
            last.text.push_str(line);
            last.text.push('\n');
        }
    }
    sections.retain(|s| s.heading.is_some() || !s.text.trim().is_empty());
    Doc {
        sections,
        truncated,
    }
}

/// Whether two headings are the same words: surrounding whitespace
/// ignored, ASCII letters compared without case.
pub fn same_heading(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// One entry of a per-release known-failures document: a test that failed
/// in that release because of a product defect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefectEntry {
    /// The test's name as the document gives it (backticks left out),
    /// often shorter than the JUnit name.
    pub test: String,
    /// `Failure Reason:` (its Markdown, lines joined), when given.
    pub reason: Option<String>,
    /// `Impact:`, when given.
    pub impact: Option<String>,
    /// `Fixed:` as written (backticks left out), e.g. `v1.21`.
    pub fixed: Option<String>,
    /// The 1-based line of the entry's `- Test:` line.
    pub line: usize,
}

impl DefectEntry {
    /// The Kubernetes minor of [`DefectEntry::fixed`], when it reads as one
    /// (`v1.21`, `1.21`, `v1.21.3`).
    pub fn fixed_minor(&self) -> Option<(u32, u32)> {
        let text = self.fixed.as_deref()?.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.split(|c: char| !c.is_ascii_digit());
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some((major, minor))
    }

    /// The links (`[text](url)` or a bare `https://`) in the reason.
    pub fn links(&self) -> Vec<String> {
        let Some(reason) = &self.reason else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut rest = reason.as_str();
        while let Some(at) = rest.find("http") {
            let url: String = rest[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '>' | '"'))
                .collect();
            rest = &rest[at + url.len().max(4)..];
            if url.starts_with("http://") || url.starts_with("https://") {
                out.push(url);
            }
        }
        out
    }
}

/// A per-release known-failures document read: its entries, and what in it
/// could not be read as an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefectDoc {
    /// The first level 1 heading, e.g. `Known Test Failures for v1.20`.
    pub title: Option<String>,
    /// The entries in document order.
    pub entries: Vec<DefectEntry>,
    /// Problems, one sentence each (an entry without a test name).
    pub problems: Vec<String>,
}

/// Whether a document lists tests (`- Test:` entries), as VMware's
/// per-release `results/v1.NN/known-test-failures.md` does; a category
/// document (the repository's root one) has `##` sections instead.
pub fn is_defect_doc(text: &str) -> bool {
    text.lines().any(|l| test_entry(l).is_some())
}

/// The test name of a `- Test: name` line (`*` bullets too, any case,
/// backticks left out).
fn test_entry(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = t.strip_prefix(['-', '*', '+'])?;
    if !t.starts_with([' ', '\t']) {
        return None;
    }
    let t = t.trim_start();
    let (key, value) = t.split_once(':')?;
    key.trim()
        .eq_ignore_ascii_case("test")
        .then(|| value.trim())
}

/// Which field a `Name: value` line starts, with the value on its line.
fn field_of(line: &str) -> Option<(Field, &str)> {
    let (key, value) = line.trim().split_once(':')?;
    let key = key.trim().trim_matches('*').trim().to_ascii_lowercase();
    let field = match key.as_str() {
        "failure reason" | "reason" | "failure" | "cause" => Field::Reason,
        "impact" => Field::Impact,
        "fixed" | "fixed in" | "fix" | "fixed version" => Field::Fixed,
        _ => return None,
    };
    Some((field, value.trim()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Reason,
    Impact,
    Fixed,
}

/// Text without surrounding backticks.
fn unquote(text: &str) -> String {
    text.trim().trim_matches('`').trim().to_string()
}

/// Read a per-release known-failures document. Fields may be missing, on
/// the field's line or on the lines after it, indented with tabs or spaces;
/// CRLF line ends and a text without any entry are read without complaint.
pub fn defect_doc(text: &str) -> DefectDoc {
    let mut doc = DefectDoc::default();
    let mut current: Option<DefectEntry> = None;
    let mut field: Option<Field> = None;
    let push_text = |entry: &mut DefectEntry, field: Field, text: &str| {
        let slot = match field {
            Field::Reason => &mut entry.reason,
            Field::Impact => &mut entry.impact,
            Field::Fixed => &mut entry.fixed,
        };
        let text = if field == Field::Fixed {
            unquote(text)
        } else {
            text.trim().to_string()
        };
        if text.is_empty() {
            return;
        }
        match slot {
            Some(s) if !s.is_empty() => {
                s.push(' ');
                s.push_str(&text);
            }
            _ => *slot = Some(text),
        }
    };
    let finish = |entry: Option<DefectEntry>, doc: &mut DefectDoc| {
        if let Some(e) = entry {
            if e.test.is_empty() {
                doc.problems.push(format!(
                    "line {}: a `- Test:` entry without a test name",
                    e.line
                ));
            } else {
                doc.entries.push(e);
            }
        }
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some(h) = heading_of(line).or_else(|| {
            let t = line.trim_start();
            t.starts_with('#')
                .then(|| t.trim_start_matches('#').trim().to_string())
        }) {
            finish(current.take(), &mut doc);
            field = None;
            if doc.title.is_none() && line.trim_start().starts_with("# ") {
                doc.title = Some(h);
            }
            continue;
        }
        if let Some(name) = test_entry(line) {
            finish(current.take(), &mut doc);
            current = Some(DefectEntry {
                test: unquote(name),
                line: n + 1,
                ..DefectEntry::default()
            });
            field = None;
            continue;
        }
        let Some(entry) = current.as_mut() else {
            continue;
        };
        if let Some((f, value)) = field_of(line) {
            field = Some(f);
            push_text(entry, f, value);
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match field {
            Some(f) => push_text(entry, f, line),
            // Indented text before the first field explains the failure.
            None if line.starts_with([' ', '\t']) => push_text(entry, Field::Reason, line),
            None => {}
        }
    }
    finish(current.take(), &mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(doc: &Doc) -> Vec<String> {
        doc.sections
            .iter()
            .filter_map(|s| s.heading.clone())
            .collect()
    }

    #[test]
    fn headings_split_the_document() {
        let text = "# Title\nintro\n```\n# not a heading\n```\n## First one ##\nbody\n### sub\nmore\n## Second {#x}\nend\n";
        let doc = sections(text, false);
        assert_eq!(headings(&doc), vec!["Title", "First one", "Second"]);
        assert!(doc.sections[0].text.contains("# not a heading"));
        assert!(doc.sections[1].text.contains("### sub"));
        assert_eq!(
            slug("HostPath Volumes are limited in scope"),
            "hostpath-volumes-are-limited-in-scope"
        );
        assert_eq!(slug("What's the issue?"), "whats-the-issue");
    }

    #[test]
    fn crlf_line_endings_split_the_same() {
        let text = "intro\r\n# Title\r\nbody\r\n## Next one\r\nend\r\n";
        let doc = sections(text, true);
        assert!(doc.truncated);
        assert_eq!(headings(&doc), vec!["Title", "Next one"]);
        let anchors: Vec<_> = doc.sections.iter().map(|s| s.anchor.as_deref()).collect();
        assert_eq!(anchors, vec![None, Some("title"), Some("next-one")]);
        // Lines are kept without their `\r`.
        assert_eq!(doc.sections[0].text, "intro\n");
        assert_eq!(doc.sections[1].text, "# Title\nbody\n");
        assert_eq!(doc.sections[2].text, "## Next one\nend\n");
    }

    #[test]
    fn headings_inside_fenced_code_are_not_headings() {
        // A `~~~` fence is closed only by `~~~`, a backtick one only by
        // backticks; an indented fence counts too.
        let text = "# Top\n~~~\n# in tilde fence\n```\n## still inside\n~~~\n## Out\n  ```sh\n# in an indented fence\n  ```\n## Last\n";
        let doc = sections(text, false);
        assert_eq!(headings(&doc), vec!["Top", "Out", "Last"]);
        assert!(doc.sections[0].text.contains("## still inside"));
        assert!(doc.sections[1].text.contains("# in an indented fence"));
        // An unclosed fence runs to the end of the document.
        let doc = sections("# A\n```\n# B\n", false);
        assert_eq!(headings(&doc), vec!["A"]);
    }

    #[test]
    fn what_is_and_is_not_a_heading() {
        assert_eq!(heading_of("# A").as_deref(), Some("A"));
        assert_eq!(heading_of("   ## B ##").as_deref(), Some("B"));
        assert_eq!(heading_of("#\tC").as_deref(), Some("C"));
        assert_eq!(heading_of("#").as_deref(), Some(""));
        assert_eq!(heading_of("    # indented code"), None);
        assert_eq!(heading_of("### three"), None);
        assert_eq!(heading_of("#hashtag"), None);
        assert!(same_heading(" NodePort Services ", "nodeport services"));
        assert!(!same_heading("NodePort", "HostPort"));
        // Blank text before the first heading is no section.
        assert_eq!(sections("\n\n# A\n", false).sections.len(), 1);
    }
    #[test]
    fn a_per_release_document_is_read_field_by_field() {
        let text = "# Known Test Failures for v1.20\r\n\r\nSome words.\r\n\r\n- Test: `ServiceAccounts should mount projected service account token`\r\n\r\n\tFailure Reason: Bug\r\n\r\n\tFixed: `v1.21`\r\n\r\n- Test: `Kubectl cluster-info should check if Kubernetes master services is included in cluster-info`\r\n\r\n\tFailure Reason:\r\n\t[Test has been updated](https://github.com/kubernetes/kubernetes/commit/ab12)\r\n\r\n    Impact:\r\n    None for\r\n    applications.\r\n\r\n\tFixed: v1.20\r\n";
        assert!(is_defect_doc(text));
        let doc = defect_doc(text);
        assert_eq!(doc.title.as_deref(), Some("Known Test Failures for v1.20"));
        assert_eq!(doc.entries.len(), 2, "{doc:?}");
        let a = &doc.entries[0];
        assert_eq!(
            a.test,
            "ServiceAccounts should mount projected service account token"
        );
        assert_eq!(a.reason.as_deref(), Some("Bug"));
        assert_eq!(a.impact, None);
        assert_eq!(a.fixed_minor(), Some((1, 21)));
        assert_eq!(a.line, 5);
        let b = &doc.entries[1];
        assert_eq!(
            b.links(),
            vec!["https://github.com/kubernetes/kubernetes/commit/ab12".to_string()]
        );
        assert_eq!(b.impact.as_deref(), Some("None for applications."));
        assert_eq!(b.fixed.as_deref(), Some("v1.20"));
        assert!(doc.problems.is_empty());
    }

    #[test]
    fn odd_documents_give_what_they_have() {
        // A category document is not a per-release one.
        assert!(!is_defect_doc("# Known failures\n\n## NodePort\n\nText.\n"));
        // An empty name, a missing Fixed, a Fixed that is no version.
        let doc = defect_doc(
            "- Test:\n\tFailure Reason: x\n- Test: `A b`\n\tFixed: next release\n* test: C d\n",
        );
        assert_eq!(doc.entries.len(), 2);
        assert_eq!(doc.problems.len(), 1);
        assert!(doc.problems[0].contains("line 1"), "{:?}", doc.problems);
        assert_eq!(doc.entries[0].fixed_minor(), None);
        assert_eq!(doc.entries[0].fixed.as_deref(), Some("next release"));
        assert_eq!(doc.entries[1].test, "C d");
        assert_eq!(doc.entries[1].reason, None);
        // Nothing at all, or binary noise, reads as no entries.
        assert_eq!(defect_doc("").entries.len(), 0);
        assert_eq!(defect_doc("\u{0}\u{1}- Test").entries.len(), 0);
    }
}

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
}

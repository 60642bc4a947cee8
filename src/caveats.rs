//! The caveat catalog: known, documented reasons why a platform skips or fails
//! particular Kubernetes conformance tests, and the classifier that maps a test
//! name to one of them.
//!
//! The built-in catalog lives in `assets/caveats.toml` (compiled into the
//! binary) and describes vSphere Supervisor clusters running vSphere Pods. A
//! user may load a file of the same shape and lay it over the built-in one with
//! [`Catalog::merge_override`].
//!
//! Matching is deliberately simple: a test name is normalised (a leading
//! `[It] ` is dropped, runs of whitespace become one space) and lowercased;
//! a [`Rule`] matches when every string in [`Rule::all`] occurs in it and none
//! of [`Rule::none`] does. Categories are tried in catalog order and rules in
//! category order; the first match wins. Tests that no rule explains can carry
//! an [`UnexplainedNote`], which says explicitly that no documented cause is
//! known.
//!
//! Besides the embedded asset, the only I/O is reading the user's catalog
//! file in [`Catalog::with_user_file`] (at most [`MAX_CATALOG_BYTES`]); no UI.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// The built-in catalog text, embedded at compile time.
const BUILTIN_TOML: &str = include_str!("../assets/caveats.toml");

/// The largest caveat catalog file read, in bytes (the built-in one is a
/// few dozen KiB).
pub const MAX_CATALOG_BYTES: u64 = 4 * 1024 * 1024;

/// Name used for the built-in catalog in error messages.
const BUILTIN_SOURCE: &str = "assets/caveats.toml (built in)";

/// A full caveat catalog: the platform profile it applies to, the categories
/// with their matching rules, and notes for tests that have no documented
/// explanation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Which platform the catalog describes and how to recognise it.
    pub profile: Profile,
    /// Caveat categories in match priority order (first match wins).
    pub categories: Vec<Category>,
    /// Notes for skipped or failed tests that no category explains.
    pub unexplained: Vec<UnexplainedNote>,
}

/// The platform a catalog describes, and the markers used to decide whether a
/// given result set comes from that platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Stable identifier, e.g. `vsphere-supervisor`.
    pub id: String,
    /// Human-readable platform name.
    pub name: String,
    /// Case-insensitive substrings of the API server version (e.g. `wcp` in
    /// `v1.21.0+vmware.wcp.2`) that mark a result set as this platform's.
    pub kube_version_contains: Vec<String>,
    /// Case-insensitive substrings of the product name or vendor (from
    /// `PRODUCT.yaml`) that mark a result set as this platform's.
    pub product_name_contains: Vec<String>,
    /// URL of the vendor's blog post about the design choice.
    pub blog_url: String,
    /// URL of the vendor's summary document of known test failures.
    pub doc_url: String,
    /// The product line a detected release without PRODUCT.yaml joins
    /// (e.g. `vSphere Supervisor`); empty: none.
    pub line_name: String,
    /// The vendor of that line.
    pub line_vendor: String,
}

/// One documented limitation of the platform, with the rules that recognise
/// the tests it affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Stable identifier, e.g. `nodeport`.
    pub id: String,
    /// Short title for display.
    pub title: String,
    /// What the limitation is.
    pub what: String,
    /// What it means for applications.
    pub impact: String,
    /// What to do instead, if anything.
    pub workaround: String,
    /// Further reading (vendor document section, blog post).
    pub links: Vec<Link>,
    /// Heading of the matching section in the vendor's summary document, as it
    /// appears there (used to link to the rendered section).
    pub doc_section: Option<String>,
    /// Matching rules, tried in order.
    pub rules: Vec<Rule>,
}

/// A titled hyperlink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Text to show.
    pub title: String,
    /// Target, always `http://` or `https://`.
    pub url: String,
}

/// A matching rule: every string in `all` must occur in the normalised test
/// name and none of the strings in `none` may (case-insensitive substrings).
///
/// Build one with [`Rule::new`]; the lowercased copies used for matching are
/// computed there, so edit a rule by building a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Identifier, unique within a catalog file.
    pub id: String,
    /// One line, checkable by a reader, naming what the matched test does that
    /// runs into the category's limitation.
    pub reason: String,
    /// Substrings that must all be present (as written in the catalog).
    pub all: Vec<String>,
    /// Substrings that must all be absent (as written in the catalog).
    pub none: Vec<String>,
    all_lower: Vec<String>,
    none_lower: Vec<String>,
}

impl Rule {
    /// Builds a rule and precomputes its normalised, lowercased substrings.
    pub fn new(id: String, reason: String, all: Vec<String>, none: Vec<String>) -> Rule {
        let all_lower = all.iter().map(|s| normalise_fragment(s)).collect();
        let none_lower = none.iter().map(|s| normalise_fragment(s)).collect();
        Rule {
            id,
            reason,
            all,
            none,
            all_lower,
            none_lower,
        }
    }

    /// Whether the rule matches an already normalised, lowercased test name
    /// (see [`normalise_test_name`]).
    pub fn matches_normalised(&self, normalised: &str) -> bool {
        !self.all_lower.is_empty()
            && self
                .all_lower
                .iter()
                .all(|s| normalised.contains(s.as_str()))
            && !self
                .none_lower
                .iter()
                .any(|s| normalised.contains(s.as_str()))
    }
}

/// A note for a test that the vendor skips or fails without a documented
/// reason. Its presence means "explicitly not explained", with the findings in
/// `note`.
///
/// Build one with [`UnexplainedNote::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexplainedNote {
    /// Identifier, unique within a catalog file.
    pub id: String,
    /// Substrings that must all be present in the normalised test name.
    pub all: Vec<String>,
    /// Why the test is not explained and what it actually does.
    pub note: String,
    all_lower: Vec<String>,
}

impl UnexplainedNote {
    /// Builds a note and precomputes its normalised, lowercased substrings.
    pub fn new(id: String, all: Vec<String>, note: String) -> UnexplainedNote {
        let all_lower = all.iter().map(|s| normalise_fragment(s)).collect();
        UnexplainedNote {
            id,
            all,
            note,
            all_lower,
        }
    }

    /// Whether the note applies to an already normalised, lowercased test name
    /// (see [`normalise_test_name`]).
    pub fn matches_normalised(&self, normalised: &str) -> bool {
        !self.all_lower.is_empty()
            && self
                .all_lower
                .iter()
                .all(|s| normalised.contains(s.as_str()))
    }
}

/// The result of a successful classification: the category and the rule that
/// matched first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    /// The category the test falls in.
    pub category: &'a Category,
    /// The rule that matched.
    pub rule: &'a Rule,
}

/// Why a catalog could not be loaded. Every variant names the file (or other
/// source) it came from.
#[derive(thiserror::Error, Debug)]
pub enum CatalogError {
    /// The catalog file could not be read.
    #[error("{file}: cannot read the caveat catalog: {message}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// The catalog file is larger than [`MAX_CATALOG_BYTES`].
    #[error("{file}: the caveat catalog is over the size limit of {limit} bytes")]
    TooLarge {
        /// The file.
        file: String,
        /// The limit.
        limit: u64,
    },
    /// The text is not valid TOML, or does not have the catalog's shape.
    #[error("{file}: line {line}, column {column}: {message}")]
    Syntax {
        /// Source of the text.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the TOML reader reported.
        message: String,
    },
    /// The text has the wrong shape, and the TOML reader gave no position.
    #[error("{file}: {message}")]
    Shape {
        /// Source of the text.
        file: String,
        /// What the TOML reader reported.
        message: String,
    },
    /// A category, rule or note has an empty id.
    #[error("{file}: {what} has an empty id")]
    EmptyId {
        /// Source of the text.
        file: String,
        /// Which item, e.g. `a rule in category "nodeport"`.
        what: String,
    },
    /// Two categories share an id.
    #[error("{file}: category id {id:?} is used more than once")]
    DuplicateCategory {
        /// Source of the text.
        file: String,
        /// The repeated id.
        id: String,
    },
    /// Two rules share an id.
    #[error(
        "{file}: rule id {id:?} is used in category {first:?} and again in category {second:?}; rule ids must be unique"
    )]
    DuplicateRule {
        /// Source of the text.
        file: String,
        /// The repeated id.
        id: String,
        /// Category of the first use.
        first: String,
        /// Category of the second use.
        second: String,
    },
    /// Two unexplained notes share an id.
    #[error("{file}: unexplained note id {id:?} is used more than once")]
    DuplicateUnexplained {
        /// Source of the text.
        file: String,
        /// The repeated id.
        id: String,
    },
    /// A rule has no `all` substrings and would match every test.
    #[error(
        "{file}: rule {rule:?} in category {category:?} has an empty `all` list, so it would match every test"
    )]
    EmptyRule {
        /// Source of the text.
        file: String,
        /// Category holding the rule.
        category: String,
        /// The rule's id.
        rule: String,
    },
    /// An unexplained note has no `all` substrings and would match every test.
    #[error(
        "{file}: unexplained note {id:?} has an empty `all` list, so it would match every test"
    )]
    EmptyUnexplained {
        /// Source of the text.
        file: String,
        /// The note's id.
        id: String,
    },
    /// A substring in a rule or note is empty or only whitespace.
    #[error("{file}: {owner} has an empty or blank string in `{field}`")]
    BlankSubstring {
        /// Source of the text.
        file: String,
        /// Which rule or note, e.g. `rule "x" in category "y"`.
        owner: String,
        /// `all` or `none`.
        field: &'static str,
    },
    /// A link does not use http or https.
    #[error("{file}: link {url:?} in category {category:?} is not an http(s) URL")]
    BadLink {
        /// Source of the text.
        file: String,
        /// Category holding the link.
        category: String,
        /// The offending URL.
        url: String,
    },
}

impl Catalog {
    /// The built-in catalog from `assets/caveats.toml`.
    ///
    /// The asset is checked by the test suite, so this cannot fail in a tested
    /// build; should parsing fail anyway, an empty catalog is returned instead
    /// of panicking (everything then shows as unexplained). Use
    /// [`Catalog::try_builtin`] to see the error.
    pub fn builtin() -> Catalog {
        Catalog::try_builtin().unwrap_or_default()
    }

    /// The built-in catalog, or the reason it could not be parsed.
    pub fn try_builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_toml(BUILTIN_TOML, BUILTIN_SOURCE)
    }

    /// Parses and validates a catalog from TOML text. `source` names the text
    /// (usually a file path) in error messages.
    ///
    /// Every section is optional, so a user override file may hold only the
    /// categories or notes it changes. Unknown keys are rejected so that typos
    /// do not silently disable a rule.
    pub fn from_toml(text: &str, source: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog = toml::from_str(text).map_err(|e| toml_error(text, source, &e))?;
        raw.into_catalog(source)
    }

    /// Lays a user catalog over this one.
    ///
    /// Categories whose id exists here replace the existing one in place
    /// (keeping its match priority); new ids are appended (lowest priority).
    /// Unexplained notes are merged the same way. Profile fields are taken
    /// from `other` only when they are non-empty.
    pub fn merge_override(&mut self, other: Catalog) {
        let Catalog {
            profile,
            categories,
            unexplained,
        } = other;

        merge_text(&mut self.profile.id, profile.id);
        merge_text(&mut self.profile.name, profile.name);
        merge_list(
            &mut self.profile.kube_version_contains,
            profile.kube_version_contains,
        );
        merge_list(
            &mut self.profile.product_name_contains,
            profile.product_name_contains,
        );
        merge_text(&mut self.profile.blog_url, profile.blog_url);
        merge_text(&mut self.profile.doc_url, profile.doc_url);
        merge_text(&mut self.profile.line_name, profile.line_name);
        merge_text(&mut self.profile.line_vendor, profile.line_vendor);

        for category in categories {
            match self.categories.iter_mut().find(|c| c.id == category.id) {
                Some(existing) => *existing = category,
                None => self.categories.push(category),
            }
        }
        for note in unexplained {
            match self.unexplained.iter_mut().find(|n| n.id == note.id) {
                Some(existing) => *existing = note,
                None => self.unexplained.push(note),
            }
        }
    }

    /// Classifies a test by name: the first category (in order) with a rule
    /// (in order) that matches the normalised name, or `None` if no rule does.
    pub fn classify(&self, test_name: &str) -> Option<Match<'_>> {
        let name = normalise_test_name(test_name);
        self.classify_normalised(&name)
    }

    /// Like [`Catalog::classify`], for a name already passed through
    /// [`normalise_test_name`] (saves the work when classifying many times).
    pub fn classify_normalised(&self, normalised: &str) -> Option<Match<'_>> {
        self.categories.iter().find_map(|category| {
            category
                .rules
                .iter()
                .find(|rule| rule.matches_normalised(normalised))
                .map(|rule| Match { category, rule })
        })
    }

    /// The first unexplained note whose substrings all occur in the test name.
    pub fn unexplained_note(&self, test_name: &str) -> Option<&UnexplainedNote> {
        let name = normalise_test_name(test_name);
        self.unexplained
            .iter()
            .find(|note| note.matches_normalised(&name))
    }

    /// The built-in catalog with a user's file laid over it (`--caveats FILE`
    /// and the window's setting). The error names the file.
    pub fn with_user_file(path: Option<&std::path::Path>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::try_builtin()?;
        if let Some(path) = path {
            let source = path.display().to_string();
            let (bytes, truncated) =
                crate::ingest::read_prefix(path, MAX_CATALOG_BYTES).map_err(|e| {
                    CatalogError::Read {
                        file: source.clone(),
                        message: match e {
                            crate::ingest::IngestError::Io { source, .. } => source.to_string(),
                            other => other.detail(),
                        },
                    }
                })?;
            if truncated {
                return Err(CatalogError::TooLarge {
                    file: source,
                    limit: MAX_CATALOG_BYTES,
                });
            }
            let text = String::from_utf8(bytes).map_err(|_| CatalogError::Read {
                file: source.clone(),
                message: "stream did not contain valid UTF-8".to_string(),
            })?;
            catalog.merge_override(Catalog::from_toml(&text, &source)?);
        }
        Ok(catalog)
    }

    /// The category with the given id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Whether the catalog applies to a result set: true when the API server
    /// version contains one of [`Profile::kube_version_contains`] or the
    /// product name (or vendor) contains one of
    /// [`Profile::product_name_contains`], both case-insensitively. Blank
    /// markers are ignored; with no usable marker the catalog never applies.
    pub fn applies_to(&self, kube_version: Option<&str>, product_name: Option<&str>) -> bool {
        contains_any(kube_version, &self.profile.kube_version_contains)
            || contains_any(product_name, &self.profile.product_name_contains)
    }
}

/// Normalises a test name for matching: drops a leading `[It]` token,
/// collapses runs of whitespace into one space, trims, and lowercases.
///
/// `"[It] [sig-network]  Services should ..."` becomes
/// `"[sig-network] services should ..."`.
pub fn normalise_test_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut words = name.split_whitespace().peekable();
    if words.peek() == Some(&"[It]") {
        words.next();
    }
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// Normalises a rule substring the way test names are normalised, except that
/// a single leading or trailing space is kept (it can mark a word boundary).
fn normalise_fragment(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    let mut in_space = false;
    for c in fragment.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            in_space = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn contains_any(value: Option<&str>, markers: &[String]) -> bool {
    let Some(value) = value else {
        return false;
    };
    let value = value.to_lowercase();
    markers
        .iter()
        .map(|m| m.trim().to_lowercase())
        .any(|m| !m.is_empty() && value.contains(&m))
}

fn merge_text(target: &mut String, value: String) {
    if !value.trim().is_empty() {
        *target = value;
    }
}

fn merge_list(target: &mut Vec<String>, value: Vec<String>) {
    if value.iter().any(|v| !v.trim().is_empty()) {
        *target = value;
    }
}

/// Turns a TOML error into a [`CatalogError`] with a line and column.
fn toml_error(text: &str, source: &str, err: &toml::de::Error) -> CatalogError {
    let message = err.message().trim().to_string();
    match err.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let before = text.get(..start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
            CatalogError::Syntax {
                file: source.to_string(),
                line,
                column,
                message,
            }
        }
        None => CatalogError::Shape {
            file: source.to_string(),
            message,
        },
    }
}

// ---------------------------------------------------------------------------
// Raw TOML shape

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    profile: RawProfile,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    unexplained: Vec<RawUnexplained>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kube_version_contains: Vec<String>,
    #[serde(default)]
    product_name_contains: Vec<String>,
    #[serde(default)]
    blog_url: String,
    #[serde(default)]
    doc_url: String,
    #[serde(default)]
    line_name: String,
    #[serde(default)]
    line_vendor: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    title: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    workaround: String,
    #[serde(default)]
    links: Vec<RawLink>,
    #[serde(default)]
    doc_section: Option<String>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    #[serde(default)]
    title: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    reason: String,
    #[serde(default, alias = "contains")]
    all: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnexplained {
    id: String,
    #[serde(default, alias = "match")]
    all: Vec<String>,
    note: String,
}

impl RawCatalog {
    fn into_catalog(self, source: &str) -> Result<Catalog, CatalogError> {
        let file = || source.to_string();

        let profile = Profile {
            id: self.profile.id,
            name: self.profile.name,
            kube_version_contains: self.profile.kube_version_contains,
            product_name_contains: self.profile.product_name_contains,
            blog_url: self.profile.blog_url,
            doc_url: self.profile.doc_url,
            line_name: self.profile.line_name,
            line_vendor: self.profile.line_vendor,
        };

        let mut category_ids: HashSet<String> = HashSet::new();
        let mut rule_owner: HashMap<String, String> = HashMap::new();
        let mut categories = Vec::with_capacity(self.categories.len());

        for raw in self.categories {
            let id = raw.id.trim().to_string();
            if id.is_empty() {
                return Err(CatalogError::EmptyId {
                    file: file(),
                    what: format!("category {:?}", raw.title),
                });
            }
            if !category_ids.insert(id.clone()) {
                return Err(CatalogError::DuplicateCategory { file: file(), id });
            }

            let mut links = Vec::with_capacity(raw.links.len());
            for link in raw.links {
                let url = link.url.trim().to_string();
                let lower = url.to_ascii_lowercase();
                if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                    return Err(CatalogError::BadLink {
                        file: file(),
                        category: id,
                        url,
                    });
                }
                links.push(Link {
                    title: link.title,
                    url,
                });
            }

            let mut rules = Vec::with_capacity(raw.rules.len());
            for rule in raw.rules {
                let rule_id = rule.id.trim().to_string();
                if rule_id.is_empty() {
                    return Err(CatalogError::EmptyId {
                        file: file(),
                        what: format!("a rule in category {id:?}"),
                    });
                }
                if let Some(first) = rule_owner.get(&rule_id) {
                    return Err(CatalogError::DuplicateRule {
                        file: file(),
                        id: rule_id,
                        first: first.clone(),
                        second: id,
                    });
                }
                if rule.all.is_empty() {
                    return Err(CatalogError::EmptyRule {
                        file: file(),
                        category: id,
                        rule: rule_id,
                    });
                }
                let owner = || format!("rule {rule_id:?} in category {id:?}");
                check_fragments(&rule.all, source, owner, "all")?;
                check_fragments(&rule.none, source, owner, "none")?;
                rule_owner.insert(rule_id.clone(), id.clone());
                rules.push(Rule::new(rule_id, rule.reason, rule.all, rule.none));
            }

            categories.push(Category {
                id,
                title: raw.title,
                what: raw.what.trim().to_string(),
                impact: raw.impact.trim().to_string(),
                workaround: raw.workaround.trim().to_string(),
                links,
                doc_section: raw
                    .doc_section
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                rules,
            });
        }

        let mut note_ids: HashSet<String> = HashSet::new();
        let mut unexplained = Vec::with_capacity(self.unexplained.len());
        for raw in self.unexplained {
            let id = raw.id.trim().to_string();
            if id.is_empty() {
                return Err(CatalogError::EmptyId {
                    file: file(),
                    what: "an unexplained note".to_string(),
                });
            }
            if !note_ids.insert(id.clone()) {
                return Err(CatalogError::DuplicateUnexplained { file: file(), id });
            }
            if raw.all.is_empty() {
                return Err(CatalogError::EmptyUnexplained { file: file(), id });
            }
            check_fragments(
                &raw.all,
                source,
                || format!("unexplained note {id:?}"),
                "all",
            )?;
            unexplained.push(UnexplainedNote::new(
                id,
                raw.all,
                raw.note.trim().to_string(),
            ));
        }

        Ok(Catalog {
            profile,
            categories,
            unexplained,
        })
    }
}

fn check_fragments(
    fragments: &[String],
    source: &str,
    owner: impl Fn() -> String,
    field: &'static str,
) -> Result<(), CatalogError> {
    if fragments.iter().any(|f| f.trim().is_empty()) {
        return Err(CatalogError::BlankSubstring {
            file: source.to_string(),
            owner: owner(),
            field,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_catalog_over_the_size_limit_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.toml");
        // A comment line, repeated past the limit: valid TOML, but too big.
        let line = "# padding padding padding padding padding padding padding\n";
        let copies = (MAX_CATALOG_BYTES as usize) / line.len() + 1;
        std::fs::write(&path, line.repeat(copies)).unwrap();
        let err = Catalog::with_user_file(Some(&path)).unwrap_err();
        assert!(matches!(err, CatalogError::TooLarge { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: the caveat catalog is over the size limit of 4194304 bytes",
                path.display()
            )
        );
        // Just under the limit it is read (and found to hold no category).
        std::fs::write(&path, line.repeat(copies - 1)).unwrap();
        assert!(!matches!(
            Catalog::with_user_file(Some(&path)),
            Err(CatalogError::TooLarge { .. } | CatalogError::Read { .. })
        ));
        let missing = dir.path().join("missing.toml");
        let err = Catalog::with_user_file(Some(&missing)).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "{}: cannot read the caveat catalog: ",
                missing.display()
            )),
            "{err}"
        );
    }

    /// GitHub's heading anchor: lowercase, drop punctuation other than `-`
    /// and `_`, spaces become `-`.
    fn github_anchor(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    fn builtin() -> Catalog {
        Catalog::try_builtin().expect("built-in catalog must parse")
    }

    #[test]
    fn builtin_parses_and_has_required_categories() {
        let catalog = builtin();
        for id in [
            "host-namespaces",
            "hostpath",
            "csi-only-volumes",
            "nodeport",
        ] {
            assert!(catalog.category(id).is_some(), "missing category {id}");
        }
        assert_eq!(catalog, Catalog::builtin());
        assert_eq!(catalog.profile.id, "vsphere-supervisor");
        assert!(!catalog.profile.name.is_empty());
        assert_eq!(catalog.profile.kube_version_contains, vec!["wcp"]);
        assert_eq!(
            catalog.profile.product_name_contains,
            vec!["vSphere Supervisor", "vSphere with Tanzu"]
        );
        assert!(catalog.profile.blog_url.starts_with("https://"));
        assert!(catalog.profile.doc_url.starts_with("https://"));
    }

    #[test]
    fn builtin_categories_are_complete() {
        let catalog = builtin();
        for c in &catalog.categories {
            assert!(!c.rules.is_empty(), "{} has no rules", c.id);
            assert!(!c.title.is_empty(), "{} has no title", c.id);
            assert!(!c.what.is_empty(), "{} has no `what`", c.id);
            assert!(!c.impact.is_empty(), "{} has no `impact`", c.id);
            assert!(!c.workaround.is_empty(), "{} has no `workaround`", c.id);
            for r in &c.rules {
                assert!(!r.reason.trim().is_empty(), "rule {} has no reason", r.id);
                assert!(
                    !r.reason.contains('\n'),
                    "rule {} reason is not one line",
                    r.id
                );
            }
        }
    }

    #[test]
    fn builtin_rule_and_note_ids_are_unique() {
        let catalog = builtin();
        let mut seen = HashSet::new();
        for r in catalog.categories.iter().flat_map(|c| &c.rules) {
            assert!(seen.insert(r.id.clone()), "duplicate rule id {}", r.id);
        }
        let mut notes = HashSet::new();
        for n in &catalog.unexplained {
            assert!(notes.insert(n.id.clone()), "duplicate note id {}", n.id);
            assert!(n.note.to_lowercase().contains("not explained"));
        }
    }

    #[test]
    fn builtin_links_are_https_and_point_at_the_doc_section() {
        let catalog = builtin();
        for c in &catalog.categories {
            for l in &c.links {
                assert!(l.url.starts_with("https://"), "{}: {}", c.id, l.url);
                assert!(!l.title.is_empty(), "{}: link without title", c.id);
            }
            assert!(
                c.links.iter().any(|l| l.url == catalog.profile.blog_url),
                "{} lacks the blog link",
                c.id
            );
            let section = c.doc_section.as_deref().expect("doc_section");
            let expected = format!("{}#{}", catalog.profile.doc_url, github_anchor(section));
            assert!(
                c.links.iter().any(|l| l.url == expected),
                "{} lacks a link to {expected}",
                c.id
            );
        }
        assert_eq!(
            github_anchor("Only CSI-based PersistentVolumes are supported"),
            "only-csi-based-persistentvolumes-are-supported"
        );
    }

    /// The skipped conformance tests of the VMware Supervisor runs (v1.18 and
    /// v1.21), with the expected outcome: `category/rule` or `unexplained/id`.
    const KNOWN: &[(&str, &str)] = &[
        (
            "[k8s.io] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
            "host-namespaces/etc-hosts",
        ),
        (
            "[sig-node] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]",
            "host-namespaces/etc-hosts",
        ),
        (
            "[sig-network] Networking Granular Checks: Pods should function for node-pod communication: http [LinuxOnly] [NodeConformance] [Conformance]",
            "host-namespaces/node-pod-communication",
        ),
        (
            "[sig-network] Networking Granular Checks: Pods should function for node-pod communication: udp [LinuxOnly] [NodeConformance] [Conformance]",
            "host-namespaces/node-pod-communication",
        ),
        (
            "[sig-network] Services should be able to change the type from ExternalName to NodePort [Conformance]",
            "nodeport/nodeport-type-change",
        ),
        (
            "[sig-network] Services should be able to change the type from NodePort to ExternalName [Conformance]",
            "nodeport/nodeport-type-change",
        ),
        (
            "[sig-storage] HostPath should give a volume the correct mode [LinuxOnly] [NodeConformance] [Conformance]",
            "hostpath/hostpath-test",
        ),
        (
            "[sig-apps] StatefulSet [k8s.io] Basic StatefulSet functionality [StatefulSetBasic] Should recreate evicted statefulset [Conformance]",
            "host-namespaces/evicted-statefulset",
        ),
        (
            "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] Should recreate evicted statefulset [Conformance]",
            "host-namespaces/evicted-statefulset",
        ),
        (
            "[sig-network] Services should be able to create a functioning NodePort service [Conformance]",
            "nodeport/nodeport-functioning",
        ),
        (
            "[sig-api-machinery] ResourceQuota should create a ResourceQuota and capture the life of a service. [Conformance]",
            "nodeport/nodeport-resourcequota",
        ),
        (
            "[sig-network] Services should have session affinity work for NodePort service [LinuxOnly] [Conformance]",
            "nodeport/nodeport-session-affinity",
        ),
        (
            "[sig-network] Services should be able to switch session affinity for NodePort service [LinuxOnly] [Conformance]",
            "nodeport/nodeport-session-affinity",
        ),
        (
            "[sig-network] Services should have session affinity timeout work for NodePort service [LinuxOnly] [Conformance]",
            "nodeport/nodeport-session-affinity",
        ),
        (
            "[sig-network] HostPort validates that there is no conflict between pods with same hostPort but different hostIP and protocol [LinuxOnly] [Conformance]",
            "host-namespaces/hostport-connectivity",
        ),
        (
            "[sig-scheduling] SchedulerPreemption [Serial] PreemptionExecutionPath runs ReplicaSets to verify preemption running path [Conformance]",
            "unexplained/preemption-execution-path",
        ),
        (
            "[sig-scheduling] SchedulerPreemption [Serial] validates lower priority pod preemption by critical pod [Conformance]",
            "unexplained/preemption-critical-pod",
        ),
        (
            "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]",
            "unexplained/preemption-basic",
        ),
        (
            "[sig-network] Services should have session affinity timeout work for service with type clusterIP [LinuxOnly] [Conformance]",
            "unexplained/session-affinity-timeout-clusterip",
        ),
        (
            "[sig-network] Services should be able to change the type from ExternalName to ClusterIP [Conformance]",
            "unexplained/externalname-to-clusterip",
        ),
    ];

    fn outcome(catalog: &Catalog, name: &str) -> String {
        match (catalog.classify(name), catalog.unexplained_note(name)) {
            (Some(m), None) => format!("{}/{}", m.category.id, m.rule.id),
            (None, Some(n)) => format!("unexplained/{}", n.id),
            (None, None) => "none".to_string(),
            (Some(m), Some(n)) => format!("BOTH {}/{} and {}", m.category.id, m.rule.id, n.id),
        }
    }

    #[test]
    fn builtin_classifies_known_supervisor_skips() {
        let catalog = builtin();
        for (name, expected) in KNOWN {
            assert_eq!(&outcome(&catalog, name), expected, "{name}");
            // The `[It] ` prefix and odd spacing do not matter.
            let noisy = format!("[It]  {}", name.replace(' ', "   "));
            assert_eq!(&outcome(&catalog, &noisy), expected, "{noisy}");
        }
    }

    #[test]
    fn builtin_classifies_non_conformance_examples() {
        let catalog = builtin();
        let cases = [
            (
                "[sig-storage] PersistentVolumes-local  [Volume type: dir] Two pods mounting a local volume at the same time should be able to write from pod1 and read from pod2",
                "csi-only-volumes",
            ),
            (
                "[sig-storage] In-tree Volumes [Driver: local][LocalVolumeType: dir-link] [Testpattern: Dynamic PV (ntfs)][Feature:Windows] subPath should support file as subpath [LinuxOnly]",
                "csi-only-volumes",
            ),
            (
                "[sig-storage] In-tree Volumes [Driver: hostPathSymlink] [Testpattern: Dynamic PV (default fs)] provisioning should provision storage with pvc data source",
                "hostpath",
            ),
            (
                "[sig-node] Downward API should provide host IP and pod IP as an env var if pod uses host network [LinuxOnly]",
                "host-namespaces",
            ),
            (
                "[sig-node] Security Context should support volume SELinux relabeling when using hostPID [Flaky] [LinuxOnly]",
                "host-namespaces",
            ),
            (
                "[sig-network] Services should prevent NodePort collisions",
                "nodeport",
            ),
        ];
        for (name, expected) in cases {
            let got = catalog.classify(name).map(|m| m.category.id.as_str());
            assert_eq!(got, Some(expected), "{name}");
        }
        let plain = "[sig-network] Services should serve a basic endpoint from pods [Conformance]";
        assert!(catalog.classify(plain).is_none());
        assert!(catalog.unexplained_note(plain).is_none());
    }

    #[test]
    fn nodeport_wins_over_host_port() {
        let catalog = builtin();
        let m = catalog
            .classify("[sig-network] Services should expose a NodePort next to a hostPort")
            .expect("match");
        assert_eq!(m.category.id, "nodeport");
    }

    const TWO_CATEGORIES: &str = r#"
[[categories]]
id = "first"
title = "First"
[[categories.rules]]
id = "first-a"
reason = "mentions alpha"
all = ["ALPHA"]
none = ["gamma"]
[[categories.rules]]
id = "first-b"
reason = "mentions alpha and beta"
all = ["alpha", "beta"]

[[categories]]
id = "second"
title = "Second"
[[categories.rules]]
id = "second-a"
reason = "mentions beta"
all = ["beta"]

[[unexplained]]
id = "note-a"
match = ["delta"]
note = "Not explained."
"#;

    #[test]
    fn first_match_wins() {
        let c = Catalog::from_toml(TWO_CATEGORIES, "two.toml").expect("parse");
        let m = c.classify("Alpha and Beta").expect("match");
        assert_eq!(
            (m.category.id.as_str(), m.rule.id.as_str()),
            ("first", "first-a")
        );
        // `none` excludes the first rule, the second rule of the same category follows.
        let m = c.classify("alpha beta gamma").expect("match");
        assert_eq!(m.rule.id, "first-b");
        let m = c.classify("beta only").expect("match");
        assert_eq!(m.category.id, "second");
        assert!(c.classify("nothing here").is_none());
        assert_eq!(
            c.unexplained_note("[It] Delta").map(|n| n.id.as_str()),
            Some("note-a")
        );
    }

    #[test]
    fn override_replaces_by_id_and_appends_new() {
        let mut base = Catalog::from_toml(TWO_CATEGORIES, "two.toml").expect("parse");
        base.profile.name = "Base".to_string();
        base.profile.kube_version_contains = vec!["wcp".to_string()];
        let user = Catalog::from_toml(
            r#"
[profile]
name = "User"

[[categories]]
id = "second"
title = "Second, replaced"
[[categories.rules]]
id = "second-z"
reason = "mentions zeta"
all = ["zeta"]

[[categories]]
id = "third"
title = "Third"
[[categories.rules]]
id = "third-a"
reason = "mentions beta"
all = ["beta"]

[[unexplained]]
id = "note-a"
all = ["epsilon"]
note = "Replaced."

[[unexplained]]
id = "note-b"
all = ["eta"]
note = "New."
"#,
            "user.toml",
        )
        .expect("parse");
        base.merge_override(user);

        let ids: Vec<&str> = base.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["first", "second", "third"]);
        assert_eq!(
            base.category("second").map(|c| c.title.as_str()),
            Some("Second, replaced")
        );
        assert_eq!(
            base.classify("zeta").map(|m| m.rule.id.as_str()),
            Some("second-z")
        );
        // "beta" no longer matches the replaced category, so the new one catches it.
        assert_eq!(
            base.classify("beta").map(|m| m.rule.id.as_str()),
            Some("third-a")
        );
        assert!(base.unexplained_note("delta").is_none());
        assert_eq!(
            base.unexplained_note("epsilon").map(|n| n.note.as_str()),
            Some("Replaced.")
        );
        assert_eq!(
            base.unexplained_note("eta").map(|n| n.id.as_str()),
            Some("note-b")
        );
        assert_eq!(base.profile.name, "User");
        // Empty override fields keep the base values.
        assert_eq!(base.profile.kube_version_contains, vec!["wcp"]);
    }

    #[test]
    fn scope_rule() {
        let c = builtin();
        assert!(c.applies_to(Some("v1.21.0+vmware.wcp.2"), None));
        assert!(c.applies_to(Some("v1.18.10+wcp.2"), None));
        assert!(!c.applies_to(Some("v1.24.0+9546431"), None));
        assert!(c.applies_to(None, Some("vSphere Supervisor")));
        assert!(c.applies_to(Some("v1.24.0"), Some("VMware vSphere SUPERVISOR")));
        assert!(!c.applies_to(Some("v1.24.0"), Some("OpenShift Dedicated")));
        assert!(!c.applies_to(None, None));
        assert!(!Catalog::default().applies_to(Some("v1.21.0+wcp"), Some("Supervisor")));
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            normalise_test_name("  [It]   [sig-node]  Pods\tshould  RUN "),
            "[sig-node] pods should run"
        );
        assert_eq!(normalise_test_name("[It][x] y"), "[it][x] y");
        assert_eq!(normalise_fragment("Host  Network"), "host network");
    }

    fn err(text: &str) -> CatalogError {
        match Catalog::from_toml(text, "bad.toml") {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let e = err(r#"
[[categories]]
id = "a"
title = "A"
[[categories.rules]]
id = "r"
reason = "x"
all = ["x"]
[[categories]]
id = "b"
title = "B"
[[categories.rules]]
id = "r"
reason = "y"
all = ["y"]
"#);
        assert!(matches!(e, CatalogError::DuplicateRule { .. }), "{e}");
        let text = e.to_string();
        assert!(text.starts_with("bad.toml: "), "{text}");
        assert!(
            text.contains("\"r\"") && text.contains("\"a\"") && text.contains("\"b\""),
            "{text}"
        );

        let e = err(
            "[[categories]]\nid = \"a\"\ntitle = \"A\"\n[[categories.rules]]\nid = \"r\"\nreason = \"x\"\n",
        );
        assert!(matches!(e, CatalogError::EmptyRule { .. }), "{e}");

        let e = err(
            "[[categories]]\nid = \"a\"\ntitle = \"A\"\n[[categories.rules]]\nid = \"r\"\nreason = \"x\"\nall = [\" \"]\n",
        );
        assert!(
            matches!(e, CatalogError::BlankSubstring { field: "all", .. }),
            "{e}"
        );

        let e = err(
            "[[categories]]\nid = \"a\"\ntitle = \"A\"\n[[categories]]\nid = \"a\"\ntitle = \"B\"\n",
        );
        assert!(matches!(e, CatalogError::DuplicateCategory { .. }), "{e}");

        let e = err(
            "[[categories]]\nid = \"a\"\ntitle = \"A\"\n[[categories.links]]\ntitle = \"t\"\nurl = \"javascript:alert(1)\"\n",
        );
        assert!(matches!(e, CatalogError::BadLink { .. }), "{e}");

        let e = err("[[unexplained]]\nid = \"n\"\nnote = \"x\"\n");
        assert!(matches!(e, CatalogError::EmptyUnexplained { .. }), "{e}");

        let e = err(
            "[[unexplained]]\nid = \"n\"\nall = [\"a\"]\nnote = \"x\"\n[[unexplained]]\nid = \"n\"\nall = [\"b\"]\nnote = \"y\"\n",
        );
        assert!(
            matches!(e, CatalogError::DuplicateUnexplained { .. }),
            "{e}"
        );
    }

    #[test]
    fn syntax_and_shape_errors_carry_a_line() {
        let e = err("[profile]\nid = \"x\"\nname = \n");
        match &e {
            CatalogError::Syntax { file, line, .. } => {
                assert_eq!(file, "bad.toml");
                assert_eq!(*line, 3, "{e}");
            }
            other => panic!("expected a syntax error, got {other}"),
        }
        // A typo in a key is reported, not ignored.
        let e = err(
            "[[categories]]\nid = \"a\"\ntitle = \"A\"\n[[categories.rules]]\nid = \"r\"\nreason = \"x\"\nalll = [\"x\"]\n",
        );
        assert!(e.to_string().contains("alll"), "{e}");
        assert!(e.to_string().starts_with("bad.toml"), "{e}");
    }

    #[test]
    fn empty_text_is_an_empty_catalog() {
        let c = Catalog::from_toml("", "empty.toml").expect("parse");
        assert_eq!(c, Catalog::default());
        assert!(c.classify("anything").is_none());
    }
}

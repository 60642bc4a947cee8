//! Kubernetes' own lists of conformance tests (`conformance.yaml`), one per
//! minor version.
//!
//! Each entry gives a test's stable `testname` (kept when the Ginkgo name
//! changes), the per-version `codename` (the JUnit name without `[It] `),
//! the version that promoted it (`release`) and its source `file`. The lists
//! let [`crate::compare`] follow a test across renames and let
//! [`crate::check`] find required tests missing from a JUnit.
//!
//! The lists of v1.18 to v1.36 are built in ([`ConformanceLists::builtin`],
//! from the index of [`crate::conformance_index`]); a folder of newer ones
//! read by [`ConformanceLists::load_dir`] can be laid over them with
//! [`ConformanceLists::merge`].
//!
//! The YAML is read through yaml-rust2's event parser, never built into a
//! document tree: the input is capped in size and entries, and a document
//! that uses anchors or aliases is refused outright (a real list has none),
//! so no "billion laughs" expansion can happen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use yaml_rust2::parser::{Event, Parser};

use crate::ingest::names::{display_name, identity_key};
use crate::model::{LoadError, parse_version};

/// Largest conformance.yaml read; the real ones are about 250 KB.
pub const MAX_LIST_BYTES: u64 = 8 * 1024 * 1024;

/// Most entries kept from one list; the real ones have under 500.
pub const MAX_LIST_ENTRIES: usize = 20_000;

/// Longest scalar kept (a description is a few hundred bytes).
const MAX_SCALAR_BYTES: usize = 64 * 1024;

/// Most files looked at in a lists folder.
const MAX_DIR_ENTRIES: usize = 10_000;

/// One test of a conformance list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// The stable name (`Pod Lifecycle, post start exec hook`); empty for a
    /// few old entries.
    pub testname: String,
    /// The Ginkgo name in this version, without `[It] `.
    pub codename: String,
    /// The version(s) that promoted the test, e.g. `v1.9` or `v1.9, v1.18`.
    pub release: String,
    /// The source file of the test.
    pub file: String,
}

/// The conformance list of one Kubernetes minor version, with lookups by
/// normalised codename and by identity key.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConformanceList {
    /// `(major, minor)`, e.g. `(1, 21)`.
    pub version: (u32, u32),
    /// The entries in file order.
    pub entries: Vec<ListEntry>,
    /// Normalised codename to entry index.
    #[serde(skip)]
    by_codename: rustc_hash::FxHashMap<String, usize>,
    /// Identity key of the codename to entry index (keys shared by two
    /// entries are left out: they cannot say which test is meant).
    #[serde(skip)]
    by_key: rustc_hash::FxHashMap<String, usize>,
    /// How many entries carry each testname.
    #[serde(skip)]
    testname_count: rustc_hash::FxHashMap<String, u32>,
    /// Whether each entry is required for this version
    /// ([`ConformanceList::required`]), by entry index.
    #[serde(skip)]
    required_mask: Vec<bool>,
}

impl ConformanceList {
    /// A list from entries, with its lookups built.
    pub fn new(version: (u32, u32), entries: Vec<ListEntry>) -> ConformanceList {
        let mut by_codename =
            rustc_hash::FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        let mut key_seen: rustc_hash::FxHashMap<String, Option<usize>> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        let mut testname_count: rustc_hash::FxHashMap<String, u32> = Default::default();
        for (i, e) in entries.iter().enumerate() {
            by_codename.entry(display_name(&e.codename)).or_insert(i);
            key_seen
                .entry(identity_key(&e.codename))
                .and_modify(|slot| *slot = None)
                .or_insert(Some(i));
            if !e.testname.is_empty() {
                *testname_count.entry(e.testname.clone()).or_insert(0) += 1;
            }
        }
        let by_key = key_seen
            .into_iter()
            .filter_map(|(k, v)| v.map(|i| (k, i)))
            .collect();
        let required_mask = entries.iter().map(|e| entry_required(e, version)).collect();
        ConformanceList {
            version,
            entries,
            by_codename,
            by_key,
            testname_count,
            required_mask,
        }
    }

    /// Parse a list; `version` is the minor version it is for (from its file
    /// name). The error says what is wrong, with the line when known.
    pub fn parse(bytes: &[u8], version: (u32, u32)) -> Result<ConformanceList, String> {
        parse_entries(bytes).map(|entries| ConformanceList::new(version, entries))
    }

    /// `v1.21`.
    pub fn label(&self) -> String {
        format!("v{}.{}", self.version.0, self.version.1)
    }

    /// The entry for a JUnit test name (raw or display form): first by the
    /// codename after normalisation (`[It] ` removed, whitespace collapsed),
    /// then by identity key (tags ignored) when that key is unambiguous.
    pub fn entry_for(&self, test_name: &str) -> Option<&ListEntry> {
        let name = display_name(test_name);
        let i = match self.by_codename.get(&name) {
            Some(&i) => i,
            None => *self.by_key.get(&identity_key(&name))?,
        };
        self.entries.get(i)
    }

    /// The index of the entry for a test whose display name and identity
    /// key are already known (a [`crate::model::TestCase`]'s `name()` and
    /// `key()`): the same match as [`ConformanceList::entry_for`] without
    /// normalising the name again.
    pub fn entry_index(&self, display: &str, key: &str) -> Option<usize> {
        self.by_codename
            .get(display)
            .or_else(|| self.by_key.get(key))
            .copied()
    }

    /// Whether entry `index` is required for this version (see
    /// [`ConformanceList::required`]).
    pub fn is_required(&self, index: usize) -> bool {
        self.required_mask.get(index).copied().unwrap_or(false)
    }

    /// How many entries are required for this version.
    pub fn required_len(&self) -> usize {
        self.required_mask.iter().filter(|r| **r).count()
    }

    /// The stable testname of a JUnit test, when the list has it and the
    /// entry's testname is not empty.
    pub fn testname_for(&self, test_name: &str) -> Option<&str> {
        self.entry_for(test_name)
            .map(|e| e.testname.as_str())
            .filter(|t| !t.is_empty())
    }

    /// Like [`ConformanceList::testname_for`], but only when no other entry
    /// of this list carries the same testname (a few do, e.g. `DNS, cluster`),
    /// so the testname really names one test.
    pub fn unique_testname_for(&self, test_name: &str) -> Option<&str> {
        self.testname_for(test_name)
            .filter(|t| self.testname_count.get(*t).copied() == Some(1))
    }

    /// The entries required for a submission of this version: those whose
    /// `release` names this version or an earlier one (or is empty), as the
    /// CNCF review bot does.
    pub fn required(&self) -> impl Iterator<Item = &ListEntry> {
        self.entries
            .iter()
            .zip(&self.required_mask)
            .filter(|(_, r)| **r)
            .map(|(e, _)| e)
    }
}

/// Whether `entry` is required in a list of `version`: its `release` names
/// this version or an earlier one, or names none.
fn entry_required(entry: &ListEntry, version: (u32, u32)) -> bool {
    let mut any = false;
    for v in entry
        .release
        .split(',')
        .filter_map(|r| parse_version(r.trim()))
    {
        any = true;
        if (v.0, v.1) <= version {
            return true;
        }
    }
    !any
}

/// Every conformance list found in a folder, by minor version.
#[derive(Clone, Debug, Default)]
pub struct ConformanceLists {
    lists: BTreeMap<(u32, u32), ConformanceList>,
}

impl ConformanceLists {
    /// Lists from parsed ones (later ones replace earlier ones of the same
    /// version).
    pub fn from_lists(lists: impl IntoIterator<Item = ConformanceList>) -> ConformanceLists {
        ConformanceLists {
            lists: lists.into_iter().map(|l| (l.version, l)).collect(),
        }
    }

    /// Kubernetes' own lists v1.18 to v1.36, built into the binary (see
    /// [`crate::conformance_index`]): the same lists, entries and lookups as
    /// [`ConformanceLists::load_dir`] gives on the folder of
    /// `conformance-v1.NN.yaml` files they were made from. Decoded once; each
    /// call returns a copy, ready for [`ConformanceLists::merge`]. Empty if
    /// the built-in index cannot be read, which
    /// [`crate::conformance_index::builtin`] explains.
    pub fn builtin() -> ConformanceLists {
        crate::conformance_index::builtin()
            .cloned()
            .unwrap_or_default()
    }

    /// Lay `other` over these lists: its versions are added, and replace a
    /// list of the same version (a user's `--conformance-lists` folder over
    /// the built-in lists). Returns the versions replaced, oldest first.
    pub fn merge(&mut self, other: ConformanceLists) -> Vec<(u32, u32)> {
        let mut replaced = Vec::new();
        for (version, list) in other.lists {
            if self.lists.insert(version, list).is_some() {
                replaced.push(version);
            }
        }
        replaced
    }

    /// Read every list in `dir`: files named like `conformance-v1.21.yaml`
    /// (any `.yaml`/`.yml` whose name holds `v1.N`), and `v1.N/conformance.yaml`
    /// in subfolders (the layout of Kubernetes' verify-conformance bot). A
    /// file that cannot be read is reported and skipped; the others load.
    pub fn load_dir(dir: &Path) -> (ConformanceLists, Vec<LoadError>) {
        let mut errors = Vec::new();
        let mut lists = BTreeMap::new();
        let read_dir = match std::fs::read_dir(dir) {
            Ok(r) => r,
            Err(e) => {
                errors.push(LoadError {
                    path: dir.display().to_string(),
                    message: format!("cannot read the conformance lists folder: {e}"),
                });
                return (ConformanceLists { lists }, errors);
            }
        };
        let mut candidates: Vec<((u32, u32), PathBuf)> = Vec::new();
        for entry in read_dir.take(MAX_DIR_ENTRIES).flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let inner = path.join("conformance.yaml");
                if let Some(v) = minor_of_name(&name)
                    && inner.is_file()
                {
                    candidates.push((v, inner));
                }
            } else if is_yaml(&name)
                && let Some(v) = minor_of_name(&name)
            {
                candidates.push((v, path));
            }
        }
        candidates.sort();
        for (version, path) in candidates {
            if lists.contains_key(&version) {
                errors.push(LoadError {
                    path: path.display().to_string(),
                    message: format!(
                        "a second list for v{}.{}; the first one found is used",
                        version.0, version.1
                    ),
                });
                continue;
            }
            match read_list(&path, version) {
                Ok(list) => {
                    lists.insert(version, list);
                }
                Err(message) => errors.push(LoadError {
                    path: path.display().to_string(),
                    message,
                }),
            }
        }
        (ConformanceLists { lists }, errors)
    }

    /// The list for a minor version, e.g. `(1, 21)`.
    pub fn for_version(&self, minor: (u32, u32)) -> Option<&ConformanceList> {
        self.lists.get(&minor)
    }

    /// The stable testname of a JUnit test name in a minor version.
    pub fn testname_for(&self, minor: (u32, u32), test_name: &str) -> Option<&str> {
        self.for_version(minor)?.testname_for(test_name)
    }

    /// The versions available, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.lists.keys().copied()
    }

    /// The newest version available.
    pub fn newest(&self) -> Option<(u32, u32)> {
        self.lists.keys().next_back().copied()
    }

    /// How many lists were loaded.
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    /// Whether no list was loaded.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// `(1, 21)` from `conformance-v1.21.yaml` or `v1.21`.
fn minor_of_name(name: &str) -> Option<(u32, u32)> {
    let start = name.find("v1.")?;
    parse_version(&name[start + 1..]).map(|(a, b, _)| (a, b))
}

fn read_list(path: &Path, version: (u32, u32)) -> Result<ConformanceList, String> {
    let (bytes, truncated) =
        crate::ingest::read_prefix(path, MAX_LIST_BYTES).map_err(|e| e.detail())?;
    if truncated {
        return Err(too_large());
    }
    ConformanceList::parse(&bytes, version)
}

/// The message for a list over [`MAX_LIST_BYTES`].
fn too_large() -> String {
    format!("over {MAX_LIST_BYTES} bytes: too large for a conformance list")
}

/// Where the parser is inside the expected shape: a sequence of flat
/// mappings of scalars.
enum Shape {
    /// Before the root node.
    Root,
    /// In the root sequence, between entries.
    Sequence,
    /// In an entry mapping, expecting a key or a value.
    Entry { key: Option<String> },
    /// In a nested node of an entry's value, at this depth below the entry;
    /// its content is ignored.
    Nested { depth: usize },
    /// After the root sequence ended.
    Done,
}

fn parse_entries(bytes: &[u8]) -> Result<Vec<ListEntry>, String> {
    if bytes.len() as u64 > MAX_LIST_BYTES {
        return Err(too_large());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let mut parser = Parser::new_from_str(text);
    let mut entries: Vec<ListEntry> = Vec::new();
    let mut current = ListEntry {
        testname: String::new(),
        codename: String::new(),
        release: String::new(),
        file: String::new(),
    };
    let mut shape = Shape::Root;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| format!("not valid YAML: {e}"))?;
        let line = mark.line();
        let anchored = match &event {
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _) => *anchor != 0,
            _ => false,
        };
        if anchored || matches!(event, Event::Alias(_)) {
            return Err(format!(
                "line {line}: YAML anchors and aliases are not accepted in a conformance list"
            ));
        }
        shape = match (shape, event) {
            (Shape::Done, Event::StreamEnd) => break,
            (_, Event::StreamEnd) => return Err("the list of tests is not complete".into()),
            (
                s,
                Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing,
            ) => s,
            (Shape::Root, Event::SequenceStart(..)) => Shape::Sequence,
            (Shape::Root, _) => {
                return Err(format!(
                    "line {line}: expected a list of tests (`- testname: ...`)"
                ));
            }
            (Shape::Sequence, Event::MappingStart(..)) => {
                if entries.len() >= MAX_LIST_ENTRIES {
                    return Err(format!(
                        "more than {MAX_LIST_ENTRIES} entries: too many for a conformance list"
                    ));
                }
                Shape::Entry { key: None }
            }
            (Shape::Sequence, Event::SequenceEnd) => Shape::Done,
            (Shape::Sequence, _) => {
                return Err(format!(
                    "line {line}: each test must be a mapping (`testname:`, `codename:`, ...)"
                ));
            }
            (Shape::Entry { key: None }, Event::Scalar(k, ..)) => Shape::Entry { key: Some(k) },
            (Shape::Entry { key: None }, Event::MappingEnd) => {
                if current.codename.trim().is_empty() {
                    return Err(format!("line {line}: a test without a `codename`"));
                }
                entries.push(std::mem::replace(
                    &mut current,
                    ListEntry {
                        testname: String::new(),
                        codename: String::new(),
                        release: String::new(),
                        file: String::new(),
                    },
                ));
                Shape::Sequence
            }
            (Shape::Entry { key: Some(k) }, Event::Scalar(v, ..)) => {
                if v.len() > MAX_SCALAR_BYTES {
                    return Err(format!(
                        "line {line}: a value over {MAX_SCALAR_BYTES} bytes"
                    ));
                }
                let slot = match k.as_str() {
                    "testname" => Some(&mut current.testname),
                    "codename" => Some(&mut current.codename),
                    "release" => Some(&mut current.release),
                    "file" => Some(&mut current.file),
                    _ => None,
                };
                if let Some(slot) = slot {
                    *slot = v.trim().to_string();
                }
                Shape::Entry { key: None }
            }
            (Shape::Entry { key: Some(_) }, Event::SequenceStart(..) | Event::MappingStart(..)) => {
                Shape::Nested { depth: 1 }
            }
            (Shape::Entry { .. }, _) => {
                return Err(format!("line {line}: unexpected structure in a test entry"));
            }
            (Shape::Nested { depth }, Event::SequenceStart(..) | Event::MappingStart(..)) => {
                if depth > 64 {
                    return Err(format!("line {line}: nesting too deep"));
                }
                Shape::Nested { depth: depth + 1 }
            }
            (Shape::Nested { depth }, Event::SequenceEnd | Event::MappingEnd) => {
                if depth <= 1 {
                    Shape::Entry { key: None }
                } else {
                    Shape::Nested { depth: depth - 1 }
                }
            }
            (s @ Shape::Nested { .. }, _) => s,
            (Shape::Done, _) => {
                return Err(format!(
                    "line {line}: only one list of tests is expected per file"
                ));
            }
        };
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"- testname: Pod Lifecycle, post start exec hook
  codename: '[k8s.io] Container Lifecycle Hook when create a pod with lifecycle hook
    should execute poststart exec hook properly [NodeConformance] [Conformance]'
  description: When a post start handler is specified, it MUST be invoked.
  release: v1.9
  file: test/e2e/common/lifecycle_hook.go
- testname: ""
  codename: '[k8s.io] Container Runtime blackbox test should report termination message [LinuxOnly] as empty [NodeConformance] [Conformance]'
  description: 'Name: Container Runtime'
  release: v1.15
  file: test/e2e/common/runtime.go
- testname: DNS, cluster
  codename: '[sig-network] DNS should provide DNS for the cluster  [Conformance]'
  description: x
  release: v1.9, v1.14
  file: test/e2e/network/dns.go
- testname: DNS, cluster
  codename: '[sig-network] DNS should provide DNS for services  [Conformance]'
  description: y
  release: v1.9
  file: test/e2e/network/dns.go
- testname: Future test
  codename: '[sig-apps] Something new [Conformance]'
  description: z
  release: v1.40
  file: test/e2e/apps/new.go
"#;

    #[test]
    fn reads_entries_and_folded_codenames() {
        let list = ConformanceList::parse(SAMPLE.as_bytes(), (1, 18)).unwrap();
        assert_eq!(list.entries.len(), 5);
        let e = &list.entries[0];
        assert_eq!(e.testname, "Pod Lifecycle, post start exec hook");
        assert_eq!(
            e.codename,
            "[k8s.io] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly [NodeConformance] [Conformance]"
        );
        assert_eq!(e.release, "v1.9");
        assert_eq!(e.file, "test/e2e/common/lifecycle_hook.go");
        assert_eq!(list.entries[1].testname, "");
        assert_eq!(list.label(), "v1.18");
    }

    #[test]
    fn matches_junit_names_after_normalisation() {
        let list = ConformanceList::parse(SAMPLE.as_bytes(), (1, 18)).unwrap();
        // Ginkgo v2 prefix, doubled spaces.
        assert_eq!(
            list.testname_for(
                "[It] [k8s.io] Container Lifecycle Hook when create a pod with lifecycle hook  should execute poststart exec hook properly [NodeConformance] [Conformance]"
            ),
            Some("Pod Lifecycle, post start exec hook")
        );
        // A different SIG tag still matches through the identity key.
        assert_eq!(
            list.testname_for(
                "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly [NodeConformance] [Conformance]"
            ),
            Some("Pod Lifecycle, post start exec hook")
        );
        // An empty testname is no testname.
        assert!(
            list.entry_for("[k8s.io] Container Runtime blackbox test should report termination message [LinuxOnly] as empty [NodeConformance] [Conformance]").is_some()
        );
        assert_eq!(
            list.testname_for("[k8s.io] Container Runtime blackbox test should report termination message [LinuxOnly] as empty [NodeConformance] [Conformance]"),
            None
        );
        // Shared testnames are not unique identities.
        let dns = "[sig-network] DNS should provide DNS for the cluster [Conformance]";
        assert_eq!(list.testname_for(dns), Some("DNS, cluster"));
        assert_eq!(list.unique_testname_for(dns), None);
        assert_eq!(list.testname_for("[sig-node] Pods should not exist"), None);
    }

    #[test]
    fn required_entries_follow_the_release_field() {
        let list = ConformanceList::parse(SAMPLE.as_bytes(), (1, 18)).unwrap();
        let required: Vec<&str> = list.required().map(|e| e.testname.as_str()).collect();
        assert_eq!(required.len(), 4);
        assert!(!required.contains(&"Future test"));
    }

    #[test]
    fn refuses_aliases_anchors_and_wrong_shapes() {
        let bomb = "- &a {testname: x, codename: y}\n- *a\n";
        let err = ConformanceList::parse(bomb.as_bytes(), (1, 18)).unwrap_err();
        assert!(err.contains("anchors and aliases"), "{err}");
        let alias = "- testname: x\n  codename: &c y\n";
        assert!(ConformanceList::parse(alias.as_bytes(), (1, 18)).is_err());
        assert!(ConformanceList::parse(b"testname: x\n", (1, 18)).is_err());
        assert!(ConformanceList::parse(b"- just a string\n", (1, 18)).is_err());
        assert!(ConformanceList::parse(b"- testname: x\n", (1, 18)).is_err());
        assert!(ConformanceList::parse(b"", (1, 18)).is_err());
        assert!(ConformanceList::parse(b"- testname: [unclosed\n", (1, 18)).is_err());
        assert!(ConformanceList::parse(b"\xff\xfe", (1, 18)).is_err());
        let big = vec![b' '; (MAX_LIST_BYTES + 1) as usize];
        assert!(ConformanceList::parse(&big, (1, 18)).is_err());
        // Nested values are skipped, not refused.
        let nested = "- testname: x\n  codename: y [Conformance]\n  extra: {a: [1, 2]}\n";
        let list = ConformanceList::parse(nested.as_bytes(), (1, 18)).unwrap();
        assert_eq!(list.entries.len(), 1);
        // An empty list is a valid list.
        assert_eq!(
            ConformanceList::parse(b"[]\n", (1, 18))
                .unwrap()
                .entries
                .len(),
            0
        );
    }

    #[test]
    fn loads_a_folder_and_reports_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("conformance-v1.18.yaml"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("conformance-v1.19.yaml"), "- *x\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a list").unwrap();
        std::fs::create_dir(dir.path().join("v1.20")).unwrap();
        std::fs::write(dir.path().join("v1.20").join("conformance.yaml"), SAMPLE).unwrap();
        let (lists, errors) = ConformanceLists::load_dir(dir.path());
        assert_eq!(lists.versions().collect::<Vec<_>>(), vec![(1, 18), (1, 20)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].path.ends_with("conformance-v1.19.yaml"));
        assert_eq!(lists.newest(), Some((1, 20)));
        assert_eq!(
            lists.testname_for(
                (1, 20),
                "[sig-network] DNS should provide DNS for services [Conformance]"
            ),
            Some("DNS, cluster")
        );
        assert!(lists.for_version((1, 21)).is_none());
        let (none, errors) = ConformanceLists::load_dir(&dir.path().join("missing"));
        assert!(none.is_empty() && errors.len() == 1);
    }
}

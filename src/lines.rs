//! Product lines: which product each release belongs to, so that a trend is
//! read along one product (the vSphere Supervisor from v1.18 on, or one
//! vendor's CNCF submissions) and never joins two products' points.
//!
//! A release's own line ([`ProductLine`], on [`Release::line`]) is fixed at
//! load time, from the first of:
//! 1. PRODUCT.yaml's `name` (and `vendor`);
//! 2. the path: the folder after the last `vX.Y` folder (the CNCF layout
//!    `vX.Y/<product>/`); when `vX.Y` is the release's own folder, its
//!    nearest ancestor other than `results` or `plugins`
//!    (`…/vsphere-supervisor-conformance/results/v1.18`); with no `vX.Y`
//!    folder, the release's own folder (a tarball: the folder it lies in).
//!
//! [`Lines::build`] then groups a corpus: a release the caveat profile
//! detects by itself (the Supervisor's `wcp` server version) joins the
//! profile's line when it has no PRODUCT.yaml, and the user's renames apply
//! last. Lines are told apart by [`line_key`] of their name (case and runs
//! of spaces ignored), so one product in several folders or checkouts is
//! one line; vendors that renamed themselves (VMware, VMware by Broadcom)
//! stay one line too. Within a line, releases run in Kubernetes-version
//! order; two runs of one version keep both, ordered by the log's start
//! ([`Release::started`]), else by label.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::caveats::Catalog;
use crate::model::{Corpus, Origin, Release};

/// Where a release's product line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LineFrom {
    /// PRODUCT.yaml's `vendor` and `name`.
    #[serde(rename = "PRODUCT.yaml")]
    ProductYaml,
    /// The release's folders.
    #[serde(rename = "path")]
    Path,
    /// The caveat profile (a Supervisor release by its server version).
    #[serde(rename = "profile")]
    Profile,
}

impl LineFrom {
    /// The word JSON and CSV write: `PRODUCT.yaml`, `path` or `profile`.
    pub fn as_str(self) -> &'static str {
        match self {
            LineFrom::ProductYaml => "PRODUCT.yaml",
            LineFrom::Path => "path",
            LineFrom::Profile => "profile",
        }
    }
}

/// The product a release belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ProductLine {
    /// The vendor, from PRODUCT.yaml or the profile.
    pub vendor: Option<String>,
    /// The product's name: what the line is called and told apart by.
    pub name: String,
    /// Where it came from.
    pub from: LineFrom,
}

impl ProductLine {
    /// A line named by the path.
    pub fn from_path(name: impl Into<String>) -> ProductLine {
        ProductLine {
            vendor: None,
            name: name.into(),
            from: LineFrom::Path,
        }
    }

    /// The key lines are told apart by: [`line_key`] of the name.
    pub fn key(&self) -> String {
        line_key(&self.name)
    }
}

impl Default for ProductLine {
    fn default() -> Self {
        ProductLine::from_path("unknown")
    }
}

/// The key of a line name: lowercase, runs of whitespace made one space,
/// trimmed. `"Kubermatic  Kubernetes Platform"` and `"kubermatic kubernetes
/// platform"` are one line.
pub fn line_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a folder name is a Kubernetes minor folder: `v1.30`, `V1.30`,
/// `v1.30.2`.
pub fn is_version_folder(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(['v', 'V']) else {
        return false;
    };
    let mut parts = rest.split('.');
    let numeric = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    numeric(parts.next()) && numeric(parts.next()) && parts.all(|p| numeric(Some(p)))
}

/// Folder names that say where results lie in a tree, never which product.
const NOT_A_PRODUCT: [&str; 5] = ["results", "plugins", "e2e", "global", "sonobuoy-results"];

/// The line the path gives a release at `origin` (see the module doc).
/// `None` only for a path with no usable folder name at all.
pub fn path_line(origin: &Origin) -> Option<String> {
    let absolute = std::path::absolute(origin.path()).unwrap_or_else(|_| origin.path().clone());
    let dir: &Path = match origin {
        Origin::Folder(p) => {
            if p.as_os_str().is_empty() {
                return None;
            }
            &absolute
        }
        Origin::Tarball(_) => absolute.parent()?,
    };
    let names: Vec<&str> = dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let usable = |n: &&&str| !NOT_A_PRODUCT.contains(&n.to_ascii_lowercase().as_str());
    if let Some(v) = names.iter().rposition(|n| is_version_folder(n)) {
        if let Some(next) = names[v + 1..].iter().find(usable) {
            return Some((*next).to_string());
        }
        return names[..v]
            .iter()
            .rev()
            .find(|n| usable(n) && !is_version_folder(n))
            .map(|n| (*n).to_string());
    }
    names
        .iter()
        .rev()
        .find(usable)
        .or(names.last())
        .map(|n| (*n).to_string())
}

/// A release's own line: PRODUCT.yaml's name, else the path's.
pub fn release_line(release: &Release) -> ProductLine {
    if let Some(p) = &release.product
        && let Some(name) = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty())
    {
        return ProductLine {
            vendor: p
                .vendor
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from),
            name: name.to_string(),
            from: LineFrom::ProductYaml,
        };
    }
    path_line(&release.origin)
        .map(ProductLine::from_path)
        .unwrap_or_else(|| ProductLine::from_path(release.label.clone()))
}

/// The line a release belongs to in a corpus read with `catalog`: its own,
/// except that a release without PRODUCT.yaml that the profile detects by
/// its server version (Supervisor: `wcp`) joins the profile's line.
pub fn effective_line(release: &Release, catalog: &Catalog) -> ProductLine {
    let own = &release.line;
    let profile = &catalog.profile;
    if own.from != LineFrom::ProductYaml
        && !profile.line_name.trim().is_empty()
        && catalog.applies_to(release.kube_version.as_deref(), None)
    {
        return ProductLine {
            vendor: Some(profile.line_vendor.trim().to_string()).filter(|v| !v.is_empty()),
            name: profile.line_name.trim().to_string(),
            from: LineFrom::Profile,
        };
    }
    own.clone()
}

/// The user's renames: a line key → the name to show instead. Renaming a
/// line to another line's name merges the two.
pub type Renames = BTreeMap<String, String>;

/// One product line of a corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// [`line_key`] of [`Line::name`]: what the line is told apart by.
    pub key: String,
    /// The name shown (after the user's renames).
    pub name: String,
    /// The vendor of its latest release that names one.
    pub vendor: Option<String>,
    /// Where the name of its latest release came from.
    pub from: LineFrom,
    /// The names this line was given before renames, by key, when renamed
    /// or merged (for the settings and tooltips).
    pub merged_from: Vec<String>,
    /// Its releases as indices into the corpus, oldest first: Kubernetes
    /// version, then the log's start, then label. Unknown versions last.
    pub releases: Vec<usize>,
}

impl Line {
    /// The newest release of the line (the last of [`Line::releases`] with
    /// a known version, else the last).
    pub fn latest(&self, corpus: &Corpus) -> Option<usize> {
        self.releases
            .iter()
            .rev()
            .find(|&&i| corpus.releases.get(i).is_some_and(|r| r.version.is_some()))
            .or(self.releases.last())
            .copied()
    }

    /// "Vendor Name" or just the name, when the name does not already
    /// start with the vendor.
    pub fn full_name(&self) -> String {
        match &self.vendor {
            Some(v) if !self.name.to_lowercase().starts_with(&v.to_lowercase()) => {
                format!("{} ({v})", self.name)
            }
            _ => self.name.clone(),
        }
    }
}

/// Every product line of a corpus, and the line of each release.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    /// The lines, by name (case-insensitive).
    pub lines: Vec<Line>,
    /// For each release of the corpus, the index of its line in
    /// [`Lines::lines`].
    pub of_release: Vec<usize>,
    /// For each release, `(run, runs)`: its place among the releases of its
    /// line with the same Kubernetes minor (`(1, 1)` for a single run).
    pub runs: Vec<(usize, usize)>,
}

impl Lines {
    /// Group a corpus into lines, read with `catalog`, after `renames`.
    pub fn build(corpus: &Corpus, catalog: &Catalog, renames: &Renames) -> Lines {
        // By key, so the order is stable across loads.
        let mut by_key: BTreeMap<String, Line> = BTreeMap::new();
        for (i, release) in corpus.releases.iter().enumerate() {
            let own = effective_line(release, catalog);
            let (name, renamed) = match renames.get(&own.key()) {
                Some(to) if !to.trim().is_empty() => (to.trim().to_string(), true),
                _ => (own.name.clone(), false),
            };
            let key = line_key(&name);
            let line = by_key.entry(key.clone()).or_insert_with(|| Line {
                key,
                name,
                vendor: None,
                from: own.from,
                merged_from: Vec::new(),
                releases: Vec::new(),
            });
            line.releases.push(i);
            if renamed && !line.merged_from.contains(&own.name) {
                line.merged_from.push(own.name);
            }
        }
        let minor = |i: usize| corpus.releases[i].version.map(|(x, y, _)| (x, y));
        let mut lines: Vec<Line> = by_key.into_values().collect();
        let mut of_release = vec![0; corpus.releases.len()];
        let mut runs = vec![(1, 1); corpus.releases.len()];
        for (l, line) in lines.iter_mut().enumerate() {
            line.releases.sort_by(|&a, &b| {
                let (ra, rb) = (&corpus.releases[a], &corpus.releases[b]);
                (minor(a).is_none(), minor(a))
                    .cmp(&(minor(b).is_none(), minor(b)))
                    .then_with(|| {
                        (ra.started.is_none(), ra.started).cmp(&(rb.started.is_none(), rb.started))
                    })
                    .then_with(|| ra.label.cmp(&rb.label))
            });
            // The newest release speaks for the line: its spelling of the
            // name (unless the user renamed it), its vendor, its source.
            if let Some(last) = line.latest(corpus) {
                let newest = effective_line(&corpus.releases[last], catalog);
                if line.merged_from.is_empty() && line_key(&newest.name) == line.key {
                    line.name = newest.name;
                }
                line.from = newest.from;
            }
            line.vendor = line
                .releases
                .iter()
                .rev()
                .find_map(|&i| effective_line(&corpus.releases[i], catalog).vendor);
            for &r in &line.releases {
                of_release[r] = l;
            }
            // Runs of one known minor, in the order just sorted.
            for same in line
                .releases
                .chunk_by(|&a, &b| minor(a).is_some() && minor(a) == minor(b))
            {
                for (n, &r) in same.iter().enumerate() {
                    runs[r] = (n + 1, same.len());
                }
            }
        }
        Lines {
            lines,
            of_release,
            runs,
        }
    }

    /// The line of release `index`.
    pub fn line_of(&self, index: usize) -> Option<&Line> {
        self.lines.get(*self.of_release.get(index)?)
    }

    /// What tells a release apart within its line: its Kubernetes minor
    /// (`v1.30`), with `run 2 of 2` when the line has several runs of it;
    /// its label when the version is unknown.
    pub fn short_label(&self, corpus: &Corpus, index: usize) -> String {
        let Some(release) = corpus.releases.get(index) else {
            return String::new();
        };
        let base = match release.minor_version() {
            Some(m) => format!("v{m}"),
            None => release
                .label
                .rsplit(['/', '\\'])
                .find(|s| !s.is_empty())
                .unwrap_or(&release.label)
                .to_string(),
        };
        match self.runs.get(index) {
            Some(&(run, runs)) if runs > 1 => format!("{base} run {run}"),
            _ => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn folder(p: &str) -> Option<String> {
        path_line(&Origin::Folder(PathBuf::from(p)))
    }

    #[test]
    fn the_path_names_the_line() {
        assert_eq!(
            folder("/x/k8s-conformance/v1.33/kind").as_deref(),
            Some("kind")
        );
        assert_eq!(
            folder("/x/vsphere-supervisor-conformance/results/v1.18").as_deref(),
            Some("vsphere-supervisor-conformance")
        );
        assert_eq!(
            folder("/x/acme/plugins/e2e/results/v1.30").as_deref(),
            Some("acme")
        );
        assert_eq!(folder("/home/me/run-2024").as_deref(), Some("run-2024"));
        assert_eq!(
            path_line(&Origin::Tarball(PathBuf::from("/x/downloads/r.tar.gz"))).as_deref(),
            Some("downloads")
        );
        assert_eq!(
            path_line(&Origin::Tarball(PathBuf::from("/x/v1.30/acme/r.tar.gz"))).as_deref(),
            Some("acme")
        );
        assert_eq!(
            path_line(&Origin::Tarball(PathBuf::from(
                "/x/stack/results/v1.29/r.tar.gz"
            )))
            .as_deref(),
            Some("stack")
        );
    }

    #[test]
    fn version_folders_are_recognised() {
        for yes in ["v1.30", "V1.9", "v1.30.2"] {
            assert!(is_version_folder(yes), "{yes}");
        }
        for no in ["v1", "1.30", "v1.x", "vendor", "v1.30-rc"] {
            assert!(!is_version_folder(no), "{no}");
        }
    }

    #[test]
    fn names_differing_in_case_and_spaces_are_one_line() {
        assert_eq!(
            line_key(" Kubermatic  Kubernetes Platform"),
            line_key("kubermatic kubernetes platform")
        );
    }
}

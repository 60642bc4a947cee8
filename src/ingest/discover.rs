//! Finding releases in whatever a user opens: one release folder, a tree of
//! them (a repository clone with `results/vX.Y/`, a CNCF checkout with
//! `vX.Y/<product>/`), a Sonobuoy tarball, or a folder that holds tarballs.
//!
//! Directory symlinks are never followed (no loops), only regular files are
//! read, and the walk stops at [`Limits::max_dirs`] folders and
//! [`Limits::max_releases`] releases, saying so.

use std::path::{Path, PathBuf};

use super::Limits;
use crate::model::{LoadError, Origin};

/// One release to load, before anything is parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseSource {
    /// A folder with one or more `junit_*.xml`.
    Folder {
        /// The path the user opened.
        root: PathBuf,
        /// The release folder.
        dir: PathBuf,
        /// The label: `dir` relative to `root`.
        label: String,
        /// `junit_*.xml` files, sorted (several in a parallel run).
        junit: Vec<PathBuf>,
        /// `e2e.log`, else `e2e.stdout.txt`.
        log: Option<PathBuf>,
        /// `PRODUCT.yaml`.
        product: Option<PathBuf>,
        /// `serverversion.json`.
        server_version: Option<PathBuf>,
        /// `conformance.xml`, `skipped_tests.xml`.
        extras: Vec<PathBuf>,
        /// Bytes of all the files above.
        size: u64,
        /// Kept to build [`Origin`] without cloning in hot paths.
        origin: Origin,
    },
    /// A Sonobuoy tarball.
    Tarball {
        /// The path the user opened.
        root: PathBuf,
        /// The tarball.
        path: PathBuf,
        /// Its file name.
        label: String,
        /// Its size on disk.
        size: u64,
        /// Kept to build [`Origin`].
        origin: Origin,
    },
}

impl ReleaseSource {
    /// Bytes to read, for progress.
    pub fn size_hint(&self) -> u64 {
        match self {
            ReleaseSource::Folder { size, .. } | ReleaseSource::Tarball { size, .. } => *size,
        }
    }

    /// The label shown for the release.
    pub fn label(&self) -> &str {
        match self {
            ReleaseSource::Folder { label, .. } | ReleaseSource::Tarball { label, .. } => label,
        }
    }

    /// The opened root.
    pub fn root(&self) -> &Path {
        match self {
            ReleaseSource::Folder { root, .. } | ReleaseSource::Tarball { root, .. } => root,
        }
    }

    /// Where the release comes from.
    pub fn origin(&self) -> &Origin {
        match self {
            ReleaseSource::Folder { origin, .. } | ReleaseSource::Tarball { origin, .. } => origin,
        }
    }
}

/// Whether a file name is a tarball we read.
pub fn is_tarball_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".tar.gz") || n.ends_with(".tgz") || n.ends_with(".tar")
}

/// Whether a file name is a JUnit result file (`junit_01.xml`, `junit.xml`).
pub fn is_junit_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".xml") && (n.starts_with("junit_") || n == "junit.xml")
}

/// Find every release under `paths`. Inputs that are not results become
/// errors naming the path; the rest are returned in a stable order.
pub fn discover(paths: &[PathBuf], limits: &Limits) -> (Vec<ReleaseSource>, Vec<LoadError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let before = sources.len();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(LoadError {
                    path: path.display().to_string(),
                    message: format!("cannot open: {e}"),
                });
                continue;
            }
        };
        if meta.is_file() {
            let name = file_name(path);
            if is_tarball_name(&name) {
                sources.push(ReleaseSource::Tarball {
                    root: path.clone(),
                    path: path.clone(),
                    label: name,
                    size: meta.len(),
                    origin: Origin::Tarball(path.clone()),
                });
            } else if let Some(parent) = path.parent().filter(|_| is_result_file(&name)) {
                // A file of a release folder: open the folder it is in.
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                if let Some(src) = folder_source(parent, parent, &mut errors) {
                    sources.push(src);
                }
            } else {
                errors.push(LoadError {
                    path: path.display().to_string(),
                    message:
                        "not a results folder, a junit_*.xml or a Sonobuoy tarball (.tar.gz, .tgz)"
                            .into(),
                });
            }
        } else if meta.is_dir() {
            walk(path, limits, &mut sources, &mut errors);
        } else {
            errors.push(LoadError {
                path: path.display().to_string(),
                message: "not a regular file or folder".into(),
            });
        }
        if sources.len() == before && !errors.iter().any(|e| e.path == path.display().to_string()) {
            errors.push(LoadError {
                path: path.display().to_string(),
                message: "no results found: no junit_*.xml and no Sonobuoy tarball inside".into(),
            });
        }
    }
    if sources.len() > limits.max_releases {
        errors.push(LoadError {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            message: format!(
                "{} releases found; only the first {} are loaded (max_releases)",
                sources.len(),
                limits.max_releases
            ),
        });
        sources.truncate(limits.max_releases);
    }
    (sources, errors)
}

fn is_result_file(name: &str) -> bool {
    is_junit_name(name)
        || matches!(
            name,
            "e2e.log" | "e2e.stdout.txt" | "PRODUCT.yaml" | "serverversion.json"
        )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn walk(
    root: &Path,
    limits: &Limits,
    sources: &mut Vec<ReleaseSource>,
    errors: &mut Vec<LoadError>,
) {
    let mut stack = vec![root.to_path_buf()];
    let mut visited = 0usize;
    while let Some(dir) = stack.pop() {
        visited += 1;
        if visited > limits.max_dirs {
            errors.push(LoadError {
                path: root.display().to_string(),
                message: format!(
                    "more than {} folders; stopped looking further (max_dirs)",
                    limits.max_dirs
                ),
            });
            break;
        }
        if sources.len() > limits.max_releases {
            break;
        }
        if let Some(src) = folder_source(root, &dir, errors) {
            sources.push(src);
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(LoadError {
                    path: dir.display().to_string(),
                    message: format!("cannot list folder: {e}"),
                });
                continue;
            }
        };
        let mut children: Vec<(PathBuf, std::fs::FileType, String)> = entries
            .flatten()
            .filter_map(|e| {
                let ft = e.file_type().ok()?;
                Some((e.path(), ft, e.file_name().to_string_lossy().into_owned()))
            })
            .collect();
        children.sort_by(|a, b| b.0.cmp(&a.0));
        for (path, ft, name) in children {
            if ft.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if is_tarball_name(&name) {
                // Only regular files: a symlink named like a tarball is not followed.
                if ft.is_file() {
                    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    sources.push(ReleaseSource::Tarball {
                        root: root.to_path_buf(),
                        label: relative_label(root, &path),
                        path: path.clone(),
                        size,
                        origin: Origin::Tarball(path),
                    });
                }
            }
        }
    }
}

/// The label of `path` under `root`: the relative path with `/`, or the
/// root's own name when they are the same.
pub fn relative_label(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => {
            let canonical = dunce::canonicalize(path).ok();
            canonical
                .as_deref()
                .unwrap_or(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        }
    }
}

/// A release source for `dir` if it holds JUnit files.
fn folder_source(root: &Path, dir: &Path, errors: &mut Vec<LoadError>) -> Option<ReleaseSource> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut junit = Vec::new();
    let mut e2e_log = None;
    let mut stdout_log = None;
    let mut product = None;
    let mut server_version = None;
    let mut extras = Vec::new();
    let mut size = 0u64;
    for entry in entries.flatten() {
        let path = entry.path();
        // Follows file symlinks but only keeps regular files (no FIFOs, devices).
        let name = entry.file_name().to_string_lossy().into_owned();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                if is_junit_name(&name) {
                    errors.push(LoadError {
                        path: path.display().to_string(),
                        message: format!("cannot open: {e}"),
                    });
                }
                continue;
            }
        };
        if !meta.is_file() {
            if is_junit_name(&name) {
                errors.push(LoadError {
                    path: path.display().to_string(),
                    message: "named like a JUnit file but not a regular file (a folder, FIFO or device); not read".into(),
                });
            }
            continue;
        }
        let slot = if is_junit_name(&name) {
            junit.push(path);
            size += meta.len();
            continue;
        } else {
            match name.as_str() {
                "e2e.log" => &mut e2e_log,
                "e2e.stdout.txt" => &mut stdout_log,
                "PRODUCT.yaml" | "PRODUCT.yml" => &mut product,
                "serverversion.json" => &mut server_version,
                "conformance.xml" | "skipped_tests.xml" => {
                    extras.push(path);
                    size += meta.len();
                    continue;
                }
                _ => continue,
            }
        };
        size += meta.len();
        *slot = Some(path);
    }
    if junit.is_empty() {
        return None;
    }
    junit.sort();
    extras.sort();
    Some(ReleaseSource::Folder {
        root: root.to_path_buf(),
        dir: dir.to_path_buf(),
        label: relative_label(root, dir),
        junit,
        log: e2e_log.or(stdout_log),
        product,
        server_version,
        extras,
        size,
        origin: Origin::Folder(dir.to_path_buf()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels join their parts with `/` on every platform, so the same
    /// tree gives the same labels (and product lines) on Windows.
    #[test]
    fn labels_join_with_a_slash() {
        let root = Path::new("checkout");
        let path: PathBuf = ["checkout", "results", "v1.27", "civo"].iter().collect();
        assert_eq!(relative_label(root, &path), "results/v1.27/civo");
        assert_eq!(relative_label(root, root), "checkout");
    }
}

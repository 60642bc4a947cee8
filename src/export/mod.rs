//! Exports: the four charts as PNG and SVG, the data as CSV and JSON, and a
//! self-contained HTML report, for the window's export buttons and for the
//! headless `export` subcommand alike.
//!
//! Everything that renders is pure ([`chart_png`], [`chart_svg`],
//! [`report_html`], the CSV and JSON builders): it returns bytes or text and
//! touches no file, so the window can call it on any thread. Only
//! [`export_all`] writes, and it checks first: it never writes inside a
//! folder the results were opened from, and it never replaces an existing
//! file unless [`ExportOptions::overwrite`] says so.

mod charts;
mod data;
mod font;
mod report;

use std::collections::BTreeSet;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::time::SystemTime;

use crate::analysis::{Scope, summarize_lists};
use crate::caveats::Catalog;
use crate::conformance_list::ConformanceLists;
use crate::model::Corpus;

pub use charts::{
    ChartCategory, ChartData, ChartKind, ChartLine, ChartRelease, MAX_LINES_DRAWN, chart_data,
    chart_data_with_lines, chart_png, chart_svg,
};
pub use data::{csv_field, summary_csv, summary_json, tests_csv};
pub use report::{format_utc, report_html};

/// Default chart width in logical pixels.
pub const DEFAULT_WIDTH: u32 = 1000;
/// Default chart height in logical pixels.
pub const DEFAULT_HEIGHT: u32 = 600;
/// Smallest accepted chart width or height in logical pixels: below this
/// the labels no longer fit.
pub const MIN_SIZE: u32 = 200;
/// Largest accepted PNG side in physical pixels (width or height times
/// scale), so a typo cannot ask for gigabytes of memory.
pub const MAX_PIXELS: u32 = 16_384;
/// Largest accepted `--scale`.
pub const MAX_SCALE: f32 = 8.0;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// The charts as PNG images (`trend.png`, `caveats.png`, `duration.png`,
    /// `product-trend.png`).
    Png,
    /// The charts as SVG drawings.
    Svg,
    /// `summary.csv` (one row per release) and `tests.csv` (one row per
    /// required test and release).
    Csv,
    /// `summary.json`, the document of `summary --json`.
    Json,
    /// `report.html`, self-contained, with the charts inline.
    Html,
}

impl Format {
    /// Every format, in the order files are written.
    pub fn all() -> Vec<Format> {
        vec![
            Format::Png,
            Format::Svg,
            Format::Csv,
            Format::Json,
            Format::Html,
        ]
    }

    /// The lowercase name, as accepted by [`Format::from_str`].
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// Parse a comma-separated list such as `png,svg,csv`; blanks between
    /// commas are ignored and repeated names are kept once.
    pub fn parse_list(text: &str) -> Result<Vec<Format>, ExportError> {
        let mut out = Vec::new();
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let format = word.parse()?;
            if !out.contains(&format) {
                out.push(format);
            }
        }
        Ok(out)
    }

    /// The files this format produces, relative to the output folder.
    pub fn file_names(self) -> Vec<String> {
        match self {
            Format::Png | Format::Svg => ChartKind::all()
                .iter()
                .map(|k| format!("{}.{}", k.file_stem(), self.as_str()))
                .collect(),
            Format::Csv => vec!["summary.csv".into(), "tests.csv".into()],
            Format::Json => vec!["summary.json".into()],
            Format::Html => vec!["report.html".into()],
        }
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            _ => Err(ExportError::UnknownFormat {
                given: s.to_string(),
            }),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where and what [`export_all`] writes.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// The output folder; created when missing.
    pub out_dir: PathBuf,
    /// What to write; see [`Format::file_names`].
    pub formats: Vec<Format>,
    /// Chart width in logical pixels.
    pub width: u32,
    /// Chart height in logical pixels.
    pub height: u32,
    /// Pixel density of the PNGs: a PNG is `width * scale` by
    /// `height * scale` pixels, with text and lines scaled alike. SVGs and
    /// the report ignore it.
    pub scale: f32,
    /// The folders (or tarballs) the results were opened from. Nothing is
    /// written inside them; the roots of the corpus's releases are added to
    /// this list by [`export_all`] itself.
    pub opened_roots: Vec<PathBuf>,
    /// Replace existing files. When false, an existing target is an error
    /// that names it, and nothing is written.
    pub overwrite: bool,
}

impl ExportOptions {
    /// Every format, the default size, scale 1, no overwriting.
    pub fn new(out_dir: impl Into<PathBuf>) -> ExportOptions {
        ExportOptions {
            out_dir: out_dir.into(),
            formats: Format::all(),
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            scale: 1.0,
            opened_roots: Vec::new(),
            overwrite: false,
        }
    }
}

/// Why an export failed. Each variant names the file or folder concerned.
#[derive(thiserror::Error, Debug)]
pub enum ExportError {
    /// The output folder lies inside a folder the results were read from;
    /// writing there would mix exports with the evidence.
    #[error(
        "refuses to write inside an opened results folder {}: {}",
        root.display(),
        out_dir.display()
    )]
    InsideOpenedRoot {
        /// The opened folder.
        root: PathBuf,
        /// The output folder asked for.
        out_dir: PathBuf,
    },
    /// A target file exists and overwriting was not allowed.
    #[error("{} already exists; not overwriting it without permission", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// A target is a folder (or something else that is not a file).
    #[error("{} exists and is not a file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The output folder could not be created or inspected.
    #[error("{}: cannot create the output folder: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A path could not be resolved (for the opened-folder check).
    #[error("{}: cannot resolve the path: {source}", path.display())]
    Resolve {
        /// The path.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// An unknown name in `--format`.
    #[error("unknown export format {given:?}; expected png, svg, csv, json or html")]
    UnknownFormat {
        /// What was given.
        given: String,
    },
    /// No format was asked for.
    #[error("no export format given; expected some of png, svg, csv, json, html")]
    NoFormats,
    /// The chart size or scale is out of range.
    #[error(
        "chart size {width}x{height} at scale {scale} is out of range: width and height at least {MIN_SIZE}, scale above 0 and at most {MAX_SCALE}, at most {MAX_PIXELS} pixels a side"
    )]
    Size {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
        /// Scale asked for.
        scale: f32,
    },
    /// The chart font could not be loaded.
    #[error("cannot load the chart font: {0}")]
    Font(String),
    /// Plotters failed while drawing a chart.
    #[error("cannot draw the {chart} chart: {message}")]
    Draw {
        /// Which chart (its file stem).
        chart: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("cannot encode the {chart} chart as PNG: {message}")]
    Encode {
        /// Which chart (its file stem).
        chart: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The summary could not be serialised.
    #[error("cannot build summary.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// A run time as every view and export writes it: `12.3 s` under a minute,
/// `4 min 05 s` under an hour, then `5 h 04 min`, rounded to the nearest
/// minute. `?` for a time that is not a time.
pub fn duration_text(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "?".to_string();
    }
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let total = secs.round() as u64;
    if total < 3600 {
        return format!("{} min {:02} s", total / 60, total % 60);
    }
    let minutes = (secs / 60.0).round() as u64;
    format!("{} h {:02} min", minutes / 60, minutes % 60)
}

/// Write the files of every format in `opts.formats` into `opts.out_dir`
/// and return their paths, in the order written.
///
/// Checks come first, so a refusal writes nothing: the output folder must
/// not lie inside an opened root (compared as canonical paths; a folder
/// that does not exist yet is judged by its nearest existing ancestor), and
/// without `overwrite` no target may exist. Everything is then rendered in
/// memory before the first file is written.
pub fn export_all(
    corpus: &Corpus,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
    opts: &ExportOptions,
) -> Result<Vec<PathBuf>, ExportError> {
    let formats: Vec<Format> = opts
        .formats
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if formats.is_empty() {
        return Err(ExportError::NoFormats);
    }
    // The size matters only to what draws charts.
    if formats.contains(&Format::Png) {
        charts::pixel_size(opts.width, opts.height, opts.scale)?;
    } else if formats.contains(&Format::Svg) || formats.contains(&Format::Html) {
        charts::pixel_size(opts.width, opts.height, 1.0)?;
    }

    let mut roots: Vec<PathBuf> = opts.opened_roots.clone();
    for r in &corpus.releases {
        if !roots.contains(&r.root) {
            roots.push(r.root.clone());
        }
    }
    check_outside_roots(&opts.out_dir, &roots)?;

    let targets: Vec<PathBuf> = formats
        .iter()
        .flat_map(|f| f.file_names())
        .map(|name| opts.out_dir.join(name))
        .collect();
    for path in &targets {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(ExportError::NotAFile { path: path.clone() });
            }
            Ok(_) if !opts.overwrite => {
                return Err(ExportError::Exists { path: path.clone() });
            }
            _ => {}
        }
    }

    let contents = render_all(corpus, catalog, scope, lists, opts, &formats)?;

    std::fs::create_dir_all(&opts.out_dir).map_err(|source| ExportError::CreateDir {
        path: opts.out_dir.clone(),
        source,
    })?;
    let mut written = Vec::with_capacity(contents.len());
    for (name, bytes) in contents {
        let path = opts.out_dir.join(name);
        write_file(&path, &bytes, opts.overwrite)?;
        written.push(path);
    }
    Ok(written)
}

/// Render every file of `formats` in memory: (file name, bytes).
fn render_all(
    corpus: &Corpus,
    catalog: &Catalog,
    scope: &Scope,
    lists: Option<&ConformanceLists>,
    opts: &ExportOptions,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    // One summary, and so one assessment per release, behind every file.
    let doc = summarize_lists(corpus, catalog, scope, lists);
    let assessments: Vec<&crate::analysis::Assessment> =
        doc.releases.iter().map(|r| &r.assessment).collect();
    let chart_input = chart_data_with_lines(corpus, catalog, &assessments, &doc.lines);
    let doc = Some(doc);
    let mut svgs: Vec<(ChartKind, String)> = Vec::new();
    let mut out = Vec::new();
    for &format in formats {
        match format {
            Format::Png => {
                for kind in ChartKind::all() {
                    let png = chart_png(kind, &chart_input, opts.width, opts.height, opts.scale)?;
                    out.push((format!("{}.png", kind.file_stem()), png));
                }
            }
            Format::Svg => {
                for kind in ChartKind::all() {
                    let svg = chart_svg(kind, &chart_input, opts.width, opts.height)?;
                    out.push((
                        format!("{}.svg", kind.file_stem()),
                        svg.clone().into_bytes(),
                    ));
                    svgs.push((kind, svg));
                }
            }
            Format::Csv => {
                if let Some(doc) = &doc {
                    out.push(("summary.csv".into(), summary_csv(doc, catalog).into_bytes()));
                }
                out.push((
                    "tests.csv".into(),
                    doc.as_ref()
                        .map(|doc| tests_csv(corpus, doc))
                        .unwrap_or_default()
                        .into_bytes(),
                ));
            }
            Format::Json => {
                if let Some(doc) = &doc {
                    out.push(("summary.json".into(), summary_json(doc)?.into_bytes()));
                }
            }
            Format::Html => {
                for kind in ChartKind::all() {
                    if !svgs.iter().any(|(k, _)| *k == kind) {
                        let svg = chart_svg(kind, &chart_input, opts.width, opts.height)?;
                        svgs.push((kind, svg));
                    }
                }
                if let Some(doc) = &doc {
                    let html = report_html(doc, catalog, &svgs, SystemTime::now());
                    out.push(("report.html".into(), html.into_bytes()));
                }
            }
        }
    }
    Ok(out)
}

/// Write one file. Without `overwrite` the file must not exist (checked
/// again here, atomically, in case it appeared since the first check). With
/// it, an existing file or link is removed first, so a link planted at the
/// target cannot redirect the write somewhere else.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), ExportError> {
    if overwrite {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ExportError::Write {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                ExportError::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                ExportError::Write {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|source| ExportError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Fail when `out_dir` is, or lies inside, one of `roots`.
pub fn check_outside_roots(out_dir: &Path, roots: &[PathBuf]) -> Result<(), ExportError> {
    let out = resolve(out_dir)?;
    for root in roots {
        // A root that no longer exists cannot be written into by accident
        // through its old name any more than through the new one; judge it
        // like the output folder, by its nearest existing ancestor.
        let resolved = resolve(root)?;
        if out.starts_with(&resolved) {
            return Err(ExportError::InsideOpenedRoot {
                root: root.clone(),
                out_dir: out_dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// The canonical form of a path that may not exist yet: the nearest
/// existing ancestor canonicalised (links resolved), then the remaining
/// components applied by hand (`..` pops, `.` is dropped).
pub fn resolve(path: &Path) -> Result<PathBuf, ExportError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| ExportError::Resolve {
                path: path.to_path_buf(),
                source,
            })?
            .join(path)
    };
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        if let Ok(mut resolved) = dunce::canonicalize(&prefix) {
            for c in &components[split..] {
                match c {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::CurDir => {}
                    other => resolved.push(other.as_os_str()),
                }
            }
            return Ok(resolved);
        }
    }
    Err(ExportError::Resolve {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no part of it exists"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rounding_of_run_times() {
        assert_eq!(duration_text(3.34), "3.3 s");
        assert_eq!(duration_text(245.0), "4 min 05 s");
        assert_eq!(duration_text(3599.6), "1 h 00 min");
        // v1.21 of the Supervisor ran 5 h 03 min 58 s.
        assert_eq!(duration_text(18238.2), "5 h 04 min");
        assert_eq!(duration_text(f64::NAN), "?");
    }

    #[test]
    fn formats_parse() {
        assert_eq!("PNG".parse::<Format>().ok(), Some(Format::Png));
        assert_eq!(
            Format::parse_list("png, svg,,png,html").ok(),
            Some(vec![Format::Png, Format::Svg, Format::Html])
        );
        let e = Format::parse_list("png,pdf").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("\"pdf\"")));
        assert_eq!(Format::all().len(), 5);
    }

    #[test]
    fn resolve_handles_missing_tails() {
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        let p = resolve(&tmp.join("cv-no-such/a/../b/./c")).unwrap();
        assert_eq!(p, tmp.join("cv-no-such/b/c"));
    }
}

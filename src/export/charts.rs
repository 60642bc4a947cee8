//! The charts, described once ([`ChartKind`] over [`ChartData`]) and drawn
//! by plotters onto a bitmap (PNG) or into an SVG document, so the window's
//! export buttons and the headless export give the same picture.
//!
//! Three of them are a bar per release, in corpus order. Release labels are
//! wrapped at `/` and `-` under their bar, with the verdict beneath in its
//! colour. Small segments that cannot hold their figure get it written
//! above the bar instead, so a two-test failure beside a 400-test pass is
//! still read.
//!
//! The fourth, [`ChartKind::ProductTrend`], follows each product line
//! ([`crate::lines`]) across Kubernetes minors: one coloured series per
//! line, never joined across another product's points, two runs of one
//! minor side by side in run order. Past [`MAX_LINES_DRAWN`] lines it draws
//! those with the most releases and says how many more there are.
//!
//! The text uses the Ubuntu Light face egui ships (from
//! `epaint_default_fonts`), registered once with plotters, so no system
//! font is needed. SVG text names the `sans-serif` family; a browser uses
//! its own face for it.

use std::error::Error;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use super::font::{Metrics, chart_font};
use super::{ExportError, MAX_PIXELS, MAX_SCALE, MIN_SIZE};
use crate::analysis::{Assessment, Scope, Verdict, assess};
use crate::caveats::Catalog;
use crate::lines::{Lines, Renames};
use crate::model::Corpus;

/// The font family name registered with plotters and written into SVGs.
const FONT: &str = "sans-serif";

const WHITE_BG: RGBColor = RGBColor(255, 255, 255);
const INK: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(96, 104, 112);
const GRID: RGBColor = RGBColor(228, 231, 235);
const AXIS: RGBColor = RGBColor(160, 166, 172);
const PASSED: RGBColor = RGBColor(55, 160, 80);
const FAILED: RGBColor = RGBColor(201, 42, 42);
const SKIPPED: RGBColor = RGBColor(245, 159, 0);
const PENDING: RGBColor = RGBColor(173, 181, 189);
const UNEXPLAINED: RGBColor = RGBColor(224, 49, 49);
/// A known defect: a failure, but one the vendor explains (darker than the
/// unexplained red, warmer than any category).
const KNOWN_DEFECT: RGBColor = RGBColor(232, 89, 12);
const DURATION: RGBColor = RGBColor(66, 99, 235);
/// Caveat categories take these in catalog order; none is red, which is
/// kept for what no caveat explains.
const CATEGORY_COLOURS: [RGBColor; 6] = [
    RGBColor(59, 91, 219),
    RGBColor(12, 133, 153),
    RGBColor(156, 54, 181),
    RGBColor(116, 143, 40),
    RGBColor(166, 110, 60),
    RGBColor(73, 80, 87),
];

/// Product lines get these, in the order they are drawn (D3's category10:
/// ten hues told apart on white, none too pale for a 2-pixel line).
const LINE_COLOURS: [RGBColor; MAX_LINES_DRAWN] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The most product lines [`ChartKind::ProductTrend`] draws; past it, the
/// lines with the most releases are drawn and the legend counts the rest.
pub const MAX_LINES_DRAWN: usize = 10;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Stacked bars of passed, failed and skipped required tests per
    /// release, with the pass rate above each bar.
    Trend,
    /// Non-passing required tests per caveat category per release, stacked,
    /// with the unexplained ones in red.
    Caveats,
    /// The suite's run time per release, in minutes.
    Duration,
    /// The pass rate of the required tests of each product line's releases
    /// across Kubernetes minors: one coloured series per line.
    ProductTrend,
}

impl ChartKind {
    /// Every chart, in the order they are exported and shown.
    pub fn all() -> [ChartKind; 4] {
        [
            ChartKind::Trend,
            ChartKind::Caveats,
            ChartKind::Duration,
            ChartKind::ProductTrend,
        ]
    }

    /// The file name without extension: `trend`, `caveats`, `duration`,
    /// `product-trend`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Trend => "trend",
            ChartKind::Caveats => "caveats",
            ChartKind::Duration => "duration",
            ChartKind::ProductTrend => "product-trend",
        }
    }

    /// The title drawn on the chart.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Trend => "Required conformance tests per release",
            ChartKind::Caveats => "Non-passing required tests by caveat category",
            ChartKind::Duration => "Suite duration per release",
            ChartKind::ProductTrend => "Pass rate of required tests per product line",
        }
    }

    /// One sentence saying how to read the chart (also the report's caption).
    pub fn description(self) -> &'static str {
        match self {
            ChartKind::Trend => {
                "Each bar counts the [Conformance] tests of one release by outcome; the percentage above it is the share that passed."
            }
            ChartKind::Caveats => {
                "Each bar counts the required tests that did not pass, split by the documented caveat that explains them; red marks those no caveat explains."
            }
            ChartKind::Duration => {
                "Wall-clock time of the whole e2e run, from the JUnit report or else the e2e.log verdict line."
            }
            ChartKind::ProductTrend => {
                "Each coloured line follows one product (its PRODUCT.yaml name, else its folder) across Kubernetes minors: the share of its required [Conformance] tests that passed in each release. Two runs of one minor sit side by side, the earlier first."
            }
        }
    }
}

/// A caveat category as the charts show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartCategory {
    /// The catalog id, e.g. `nodeport`.
    pub id: String,
    /// The catalog title.
    pub title: String,
}

/// One release's figures for the charts.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartRelease {
    /// The release label.
    pub label: String,
    /// `kube-apiserver version`, when known.
    pub kube_version: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Whether the caveat profile applies to the release.
    pub profile_applies: bool,
    /// Required tests.
    pub total: u64,
    /// Required tests that passed.
    pub passed: u64,
    /// Required tests that failed (any kind).
    pub failed: u64,
    /// Required tests that were not run.
    pub skipped: u64,
    /// Required tests marked pending.
    pub pending: u64,
    /// Non-passing required tests per category, in the order of
    /// [`ChartData::categories`].
    pub caveats: Vec<u64>,
    /// Non-passing required tests no caveat explains.
    pub unexplained: u64,
    /// Non-passing required tests the vendor's per-release document
    /// explains as known defects (failures still).
    pub known_defects: u64,
    /// Required tests that no spec of the results matches.
    pub missing: u64,
    /// The suite's run time.
    pub duration_secs: Option<f64>,
    /// Its product line: an index into [`ChartData::lines`].
    pub line: usize,
    /// The Kubernetes `(major, minor)`, when known.
    pub minor: Option<(u32, u32)>,
    /// `(run, runs)`: its place among its line's releases of the same
    /// minor, `(1, 1)` for a single run.
    pub run: (usize, usize),
}

/// A product line as the charts show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartLine {
    /// The line's name.
    pub name: String,
    /// Its vendor, when known.
    pub vendor: Option<String>,
    /// Its releases as indices into [`ChartData::releases`], oldest first
    /// (unknown versions last).
    pub releases: Vec<usize>,
}

/// Everything the charts draw: plain data, cheap to clone, shared by the
/// window and the headless export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Releases in corpus order.
    pub releases: Vec<ChartRelease>,
    /// Caveat categories in catalog order.
    pub categories: Vec<ChartCategory>,
    /// Product lines, in the order of [`Lines::lines`] (by name).
    pub lines: Vec<ChartLine>,
}

impl ChartData {
    /// The same figures reduced to one product line (`line` indexes
    /// [`ChartData::lines`]): that line's releases only, for a chart of
    /// its own trend. Empty when there is no such line.
    pub fn only_line(&self, line: usize) -> ChartData {
        let Some(l) = self.lines.get(line) else {
            return ChartData {
                categories: self.categories.clone(),
                ..ChartData::default()
            };
        };
        let mut releases = Vec::with_capacity(l.releases.len());
        let mut kept = Vec::with_capacity(l.releases.len());
        for (i, r) in self.releases.iter().enumerate() {
            if r.line == line {
                kept.push(i);
                let mut r = r.clone();
                r.line = 0;
                releases.push(r);
            }
        }
        let remap = |old: &usize| kept.iter().position(|k| k == old);
        ChartData {
            releases,
            categories: self.categories.clone(),
            lines: vec![ChartLine {
                name: l.name.clone(),
                vendor: l.vendor.clone(),
                releases: l.releases.iter().filter_map(remap).collect(),
            }],
        }
    }
}

/// Gather the chart figures of a corpus: the same assessment as
/// `summary --json` ([`crate::analysis::assess`], with the built-in
/// conformance lists), and the product lines without renames
/// ([`Lines::build`]).
pub fn chart_data(corpus: &Corpus, catalog: &Catalog, scope: &Scope) -> ChartData {
    let lines = Lines::build(corpus, catalog, &Renames::new());
    let lists = crate::conformance_index::builtin().ok();
    let assessments: Vec<Assessment> = corpus
        .releases
        .iter()
        .map(|r| assess(r, catalog, scope, lists))
        .collect();
    let refs: Vec<&Assessment> = assessments.iter().collect();
    chart_data_with_lines(corpus, catalog, &refs, &lines)
}

/// The chart figures of a corpus whose releases were assessed already
/// (`assessments[i]` is release `i`'s: a summary's, or the window's), with
/// product lines built by the caller (the window's, after the user's
/// renames). `lines` must have been built from `corpus`; a release it does
/// not cover falls in a line of its own label. The charts draw these
/// assessments and compute no figure of their own.
pub fn chart_data_with_lines(
    corpus: &Corpus,
    catalog: &Catalog,
    assessments: &[&Assessment],
    lines: &Lines,
) -> ChartData {
    let mut categories: Vec<ChartCategory> = catalog
        .categories
        .iter()
        .map(|c| ChartCategory {
            id: c.id.clone(),
            title: c.title.clone(),
        })
        .collect();
    // An id the catalog does not list cannot come from `assess` today, but
    // a chart that silently dropped tests would lie, so keep any such id.
    for a in assessments {
        for id in a.caveats.keys() {
            if !categories.iter().any(|c| &c.id == id) {
                categories.push(ChartCategory {
                    id: id.clone(),
                    title: id.clone(),
                });
            }
        }
    }
    let mut chart_lines: Vec<ChartLine> = lines
        .lines
        .iter()
        .map(|l| ChartLine {
            name: l.name.clone(),
            vendor: l.vendor.clone(),
            releases: l
                .releases
                .iter()
                .copied()
                .filter(|&i| i < corpus.releases.len())
                .collect(),
        })
        .collect();
    let mut line_of: Vec<usize> = Vec::with_capacity(corpus.releases.len());
    for (i, r) in corpus.releases.iter().enumerate() {
        match lines.of_release.get(i) {
            Some(&l) if l < chart_lines.len() => line_of.push(l),
            _ => {
                line_of.push(chart_lines.len());
                chart_lines.push(ChartLine {
                    name: r.label.clone(),
                    vendor: None,
                    releases: vec![i],
                });
            }
        }
    }
    let releases = corpus
        .releases
        .iter()
        .zip(assessments)
        .enumerate()
        .map(|(i, (r, a))| {
            let c = a.counts;
            ChartRelease {
                label: r.label.clone(),
                kube_version: r.kube_version.clone(),
                verdict: a.verdict,
                profile_applies: a.profile_applies,
                total: c.total,
                passed: c.passed,
                failed: c.failed,
                skipped: c.skipped,
                pending: c.pending,
                caveats: categories
                    .iter()
                    .map(|cat| a.caveats.get(&cat.id).copied().unwrap_or(0))
                    .collect(),
                unexplained: a.unexplained,
                known_defects: a.known_defects,
                missing: a.missing(),
                duration_secs: r.duration_secs,
                line: line_of[i],
                minor: r.version.map(|(major, minor, _)| (major, minor)),
                run: lines.runs.get(i).copied().unwrap_or((1, 1)),
            }
        })
        .collect();
    ChartData {
        releases,
        categories,
        lines: chart_lines,
    }
}

/// Render a chart as PNG bytes: `width * scale` by `height * scale` pixels,
/// text and lines scaled alike. Pure: no file is touched.
pub fn chart_png(
    kind: ChartKind,
    data: &ChartData,
    width: u32,
    height: u32,
    scale: f32,
) -> Result<Vec<u8>, ExportError> {
    use image::ImageEncoder as _;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};

    let (w, h) = pixel_size(width, height, scale)?;
    ensure_font()?;
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(&root, kind, data, f64::from(scale), true).map_err(|e| draw_error(kind, &*e))?;
        root.present().map_err(|e| draw_error(kind, &e))?;
    }
    let mut png = Vec::with_capacity(rgb.len() / 8);
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| ExportError::Encode {
            chart: kind.file_stem(),
            message: e.to_string(),
        })?;
    Ok(png)
}

/// Render a chart as an SVG document of `width` by `height` user units.
/// The document carries a `<title>` and a `<desc>` naming every release,
/// for screen readers and for search. Pure: no file is touched.
pub fn chart_svg(
    kind: ChartKind,
    data: &ChartData,
    width: u32,
    height: u32,
) -> Result<String, ExportError> {
    pixel_size(width, height, 1.0)?;
    ensure_font()?;
    let mut svg = String::with_capacity(64 * 1024);
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root, kind, data, 1.0, false).map_err(|e| draw_error(kind, &*e))?;
        root.present().map_err(|e| draw_error(kind, &e))?;
    }
    Ok(add_svg_description(svg, kind, data))
}

/// Insert `<title>` and `<desc>` right after the opening `<svg ...>` tag.
fn add_svg_description(svg: String, kind: ChartKind, data: &ChartData) -> String {
    let Some(end) = svg.find('>') else {
        return svg;
    };
    let labels: Vec<&str> = data.releases.iter().map(|r| r.label.as_str()).collect();
    let lines = if kind == ChartKind::ProductTrend && !data.lines.is_empty() {
        let names: Vec<String> = data
            .lines
            .iter()
            .map(|l| {
                let n = l.releases.len();
                format!("{} ({n} release{})", l.name, if n == 1 { "" } else { "s" })
            })
            .collect();
        format!(" Product lines: {}.", names.join("; "))
    } else {
        String::new()
    };
    let meta = format!(
        "\n<title>{}</title>\n<desc>{}{} Releases: {}.</desc>",
        xml_escape(kind.title()),
        xml_escape(kind.description()),
        xml_escape(&lines),
        xml_escape(&labels.join("; "))
    );
    let mut out = String::with_capacity(svg.len() + meta.len());
    out.push_str(&svg[..=end]);
    out.push_str(&meta);
    out.push_str(&svg[end + 1..]);
    out
}

/// Escape text for XML content and attributes.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The PNG's pixel size for a logical size and scale, or why it is refused.
pub(crate) fn pixel_size(width: u32, height: u32, scale: f32) -> Result<(u32, u32), ExportError> {
    let refused = ExportError::Size {
        width,
        height,
        scale,
    };
    if width < MIN_SIZE || height < MIN_SIZE || !(scale > 0.0 && scale <= MAX_SCALE) {
        return Err(refused);
    }
    let w = (f64::from(width) * f64::from(scale)).round();
    let h = (f64::from(height) * f64::from(scale)).round();
    if w < 1.0 || h < 1.0 || w > f64::from(MAX_PIXELS) || h > f64::from(MAX_PIXELS) {
        return Err(refused);
    }
    Ok((w as u32, h as u32))
}

fn draw_error(kind: ChartKind, e: &dyn std::fmt::Display) -> ExportError {
    ExportError::Draw {
        chart: kind.file_stem(),
        message: e.to_string(),
    }
}

/// Register the chart font with plotters, once per process.
fn ensure_font() -> Result<(), ExportError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            register_font(FONT, FontStyle::Normal, epaint_default_fonts::UBUNTU_LIGHT).map_err(
                |_| {
                    "the Ubuntu Light face from epaint_default_fonts is not a valid font"
                        .to_string()
                },
            )
        })
        .clone()
        .map_err(ExportError::Font)
}

type DrawResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// One stacked part of a bar.
struct Segment {
    value: f64,
    colour: RGBColor,
    /// Written above the bar when the segment is too thin for its figure,
    /// e.g. `2 failed`; `None` for segments that need no callout (passed).
    callout: Option<String>,
}

/// One bar: its segments bottom-up, the line written right above it, and a
/// note drawn at the baseline when there is no value at all.
struct Bar {
    segments: Vec<Segment>,
    headline: String,
    missing: Option<String>,
    /// Whether the figures go inside the segments; off when the headline
    /// already gives the bar's only figure.
    inside_labels: bool,
}

/// A chart, as bars.
struct BarChart {
    title: &'static str,
    subtitle: String,
    y_desc: &'static str,
    legend: Vec<(String, RGBColor)>,
    bars: Vec<Bar>,
}

/// The bar chart of `kind`; `None` for the one that is not a bar chart.
fn describe(kind: ChartKind, data: &ChartData) -> Option<BarChart> {
    match kind {
        ChartKind::Trend => Some(trend(data)),
        ChartKind::Caveats => Some(caveats(data)),
        ChartKind::Duration => Some(duration(data)),
        ChartKind::ProductTrend => None,
    }
}

fn trend(data: &ChartData) -> BarChart {
    let any_pending = data.releases.iter().any(|r| r.pending > 0);
    let mut legend = vec![
        ("passed".to_string(), PASSED),
        ("failed".to_string(), FAILED),
        ("skipped (not run)".to_string(), SKIPPED),
    ];
    if any_pending {
        legend.push(("pending".to_string(), PENDING));
    }
    let bars = data
        .releases
        .iter()
        .map(|r| {
            let seg = |value: u64, colour, word: &str| Segment {
                value: value as f64,
                colour,
                callout: Some(format!("{value} {word}")),
            };
            let mut segments = vec![Segment {
                value: r.passed as f64,
                colour: PASSED,
                callout: None,
            }];
            segments.push(seg(r.failed, FAILED, "failed"));
            segments.push(seg(r.skipped, SKIPPED, "skipped"));
            if any_pending {
                segments.push(seg(r.pending, PENDING, "pending"));
            }
            let headline = if r.total == 0 {
                "no tests".to_string()
            } else {
                percent(r.passed, r.total)
            };
            Bar {
                segments,
                headline,
                missing: (r.total == 0).then(|| "no required tests".to_string()),
                inside_labels: true,
            }
        })
        .collect();
    BarChart {
        title: ChartKind::Trend.title(),
        subtitle:
            "Required ([Conformance]) tests by outcome; the figure above a bar is its pass rate."
                .to_string(),
        y_desc: "required tests",
        legend,
        bars,
    }
}

fn caveats(data: &ChartData) -> BarChart {
    let mut legend: Vec<(String, RGBColor)> = data
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), category_colour(i)))
        .collect();
    legend.push(("unexplained".to_string(), UNEXPLAINED));
    if data.releases.iter().any(|r| r.known_defects > 0) {
        legend.push(("known defect".to_string(), KNOWN_DEFECT));
    }
    let bars = data
        .releases
        .iter()
        .map(|r| {
            let mut segments: Vec<Segment> = data
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let n = r.caveats.get(i).copied().unwrap_or(0);
                    Segment {
                        value: n as f64,
                        colour: category_colour(i),
                        callout: Some(format!("{n} {}", c.id)),
                    }
                })
                .collect();
            // Unexplained sits at the bottom of the stack, where the eye
            // lands first.
            // known defects just above: failures too, but explained.
            segments.insert(
                0,
                Segment {
                    value: r.known_defects as f64,
                    colour: KNOWN_DEFECT,
                    callout: Some(format!(
                        "{} known defect{}",
                        r.known_defects,
                        if r.known_defects == 1 { "" } else { "s" }
                    )),
                },
            );
            segments.insert(
                0,
                Segment {
                    value: r.unexplained as f64,
                    colour: UNEXPLAINED,
                    callout: Some(format!("{} unexplained", r.unexplained)),
                },
            );
            // Every non-passing required test, once: the bar adds up to
            // the release's required tests that did not pass.
            let total: u64 = r.unexplained + r.known_defects + r.caveats.iter().sum::<u64>();
            let nonzero = segments.iter().filter(|s| s.value > 0.0).count();
            Bar {
                segments,
                headline: if total == 0 {
                    String::new()
                } else {
                    total.to_string()
                },
                missing: (total == 0).then(|| "none".to_string()),
                inside_labels: nonzero > 1,
            }
        })
        .collect();
    BarChart {
        title: ChartKind::Caveats.title(),
        subtitle: if data.releases.iter().any(|r| r.known_defects > 0) {
            "Stacked by what explains each test: a caveat category; orange: a known defect of the vendor's per-release document; red: nothing."
        } else {
            "Stacked by the caveat category that explains each test; red: no caveat explains it (or no caveat profile applies)."
        }
        .to_string(),
        y_desc: "non-passing required tests",
        legend,
        bars,
    }
}

fn duration(data: &ChartData) -> BarChart {
    let bars = data
        .releases
        .iter()
        .map(|r| {
            let minutes = r
                .duration_secs
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| s / 60.0);
            Bar {
                segments: vec![Segment {
                    value: minutes.unwrap_or(0.0),
                    colour: DURATION,
                    callout: None,
                }],
                headline: minutes.map(format_minutes).unwrap_or_default(),
                missing: minutes.is_none().then(|| "no duration".to_string()),
                inside_labels: false,
            }
        })
        .collect();
    BarChart {
        title: ChartKind::Duration.title(),
        subtitle: "Wall-clock time of the e2e run (JUnit time, else the e2e.log verdict line)."
            .to_string(),
        y_desc: "minutes",
        legend: vec![("suite duration".to_string(), DURATION)],
        bars,
    }
}

fn category_colour(i: usize) -> RGBColor {
    CATEGORY_COLOURS[i % CATEGORY_COLOURS.len()]
}

/// A pass rate as the charts and the report write it: one decimal, never
/// rounded up to 100%.
pub(crate) fn percent(part: u64, whole: u64) -> String {
    let p = part as f64 * 100.0 / whole as f64;
    if part == whole {
        "100%".to_string()
    } else if p >= 99.95 {
        // Never round a failing release up to 100%.
        "99.9%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

fn format_minutes(minutes: f64) -> String {
    if minutes >= 90.0 {
        let total = minutes.round() as u64;
        format!("{} h {:02} min", total / 60, total % 60)
    } else if minutes >= 10.0 {
        format!("{minutes:.0} min")
    } else {
        format!("{minutes:.1} min")
    }
}

fn verdict_text(v: Verdict) -> (&'static str, RGBColor) {
    match v {
        Verdict::Conformant => ("conformant", RGBColor(43, 138, 62)),
        Verdict::ConformantExceptCaveats => ("except caveats", RGBColor(24, 100, 171)),
        Verdict::NotConformant => ("not conformant", RGBColor(201, 42, 42)),
        Verdict::NoRequiredTests => ("no required tests", RGBColor(108, 117, 125)),
    }
}

/// Sizes in logical pixels, multiplied by the scale when drawn.
struct Painter<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    s: f64,
    /// Set for bitmaps: place each character by the font's own metrics
    /// (see [`super::font`]).
    glyphs: Option<&'static Metrics>,
    /// Font metrics for measuring, bitmap or not.
    measure: Option<&'static Metrics>,
}

impl<DB: DrawingBackend> Painter<'_, DB>
where
    DB::ErrorType: 'static,
{
    fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// The axes every chart here draws in `area`: `n` categories across,
    /// 0 to `y_max` up, a horizontal grid and no tick labels (the painter
    /// writes those, see [`Painter::text`]). `top`, `band` (below, for the
    /// x labels) and `y_axis` are in logical pixels.
    #[allow(clippy::too_many_arguments)]
    fn category_axes<'b>(
        &self,
        area: &'b DrawingArea<DB, Shift>,
        top: f64,
        band: f64,
        y_axis: f64,
        n: usize,
        y_max: f64,
        y_desc: &str,
    ) -> DrawResult<
        ChartContext<
            'b,
            DB,
            Cartesian2d<
                plotters::coord::types::RangedCoordf64,
                plotters::coord::types::RangedCoordf64,
            >,
        >,
    > {
        let mut cc = ChartBuilder::on(area)
            .margin_left(self.px(LEFT))
            .margin_right(self.px(RIGHT))
            .margin_top(self.px(top))
            .x_label_area_size(self.px(band))
            .y_label_area_size(self.px(y_axis))
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..y_max)?;
        let no_label = |_: &f64| String::new();
        cc.configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&no_label)
            .y_desc(y_desc)
            .label_style((FONT, 12.0 * self.s).into_font().color(&MUTED))
            .axis_desc_style((FONT, 12.0 * self.s).into_font().color(&MUTED))
            .bold_line_style(GRID.stroke_width(self.px(1.0).max(1) as u32))
            .light_line_style(WHITE_BG.mix(0.0))
            .axis_style(AXIS.stroke_width(self.px(1.0).max(1) as u32))
            .set_all_tick_mark_size(self.px(4.0))
            .draw()?;
        Ok(cc)
    }

    fn style(&self, size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
        (FONT, size * self.s)
            .into_font()
            .color(&colour)
            .pos(Pos::new(h, v))
    }

    /// A chart with nothing to draw: `note` in the middle of the area
    /// below the header.
    fn empty_note(&self, note: &str, width: f64, header: f64, height: f64) -> DrawResult {
        self.text(
            note,
            (self.px(width / 2.0), self.px((header + height) / 2.0)),
            16.0,
            MUTED,
            HPos::Center,
            VPos::Center,
        )
    }

    /// Text anchored at a point in pixels.
    fn text(
        &self,
        text: &str,
        at: (i32, i32),
        size: f64,
        colour: RGBColor,
        h: HPos,
        v: VPos,
    ) -> DrawResult {
        let Some(m) = self.glyphs else {
            self.root
                .draw_text(text, &self.style(size, colour, h, v), at)?;
            return Ok(());
        };
        let size_px = size * self.s;
        let k = m.scale(size_px);
        let width = m.width(text, size_px);
        let x0 = f64::from(at.0)
            - match h {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        let style = self.style(size, colour, HPos::Left, v);
        let mut pen = 0.0;
        let mut buf = [0u8; 4];
        for c in text.chars() {
            let (advance, lsb) = m.h_metrics(c);
            if !c.is_whitespace() {
                let x = (x0 + pen * k).round() + (lsb * k).floor();
                let glyph = c.encode_utf8(&mut buf);
                self.root.draw_text(glyph, &style, (x as i32, at.1))?;
                if self.s < 2.0 {
                    // Light strokes a pixel thin or less come out pale
                    // grey; a second coat darkens them without widening.
                    self.root.draw_text(glyph, &style, (x as i32, at.1))?;
                }
            }
            pen += advance;
        }
        Ok(())
    }

    /// Width of a text in logical pixels.
    fn width(&self, text: &str, size: f64) -> DrawResult<f64> {
        if let Some(m) = self.measure {
            return Ok(m.width(text, size * self.s) / self.s);
        }
        let style = self.style(size, INK, HPos::Left, VPos::Top);
        let (w, _) = self.root.estimate_text_size(text, &style)?;
        Ok(f64::from(w) / self.s)
    }
}

/// Break a label into lines no wider than `max_w`, preferring breaks after
/// `/`, `-`, `_` and spaces; at most `max_lines`, the last one ending in
/// `…` when the label had to be cut.
fn wrap<F>(label: &str, max_w: f64, max_lines: usize, mut width: F) -> DrawResult<Vec<String>>
where
    F: FnMut(&str) -> DrawResult<f64>,
{
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in label.chars() {
        current.push(c);
        if matches!(c, '/' | '-' | '_' | ' ') {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in pieces {
        let candidate = format!("{line}{piece}");
        if line.is_empty() || width(candidate.trim_end())? <= max_w {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = piece;
        }
        // A piece wider than the slot on its own is cut by characters.
        while width(line.trim_end())? > max_w && line.chars().count() > 1 {
            let mut head = String::new();
            let mut rest = line.chars().peekable();
            while let Some(&c) = rest.peek() {
                let next = format!("{head}{c}");
                if !head.is_empty() && width(&next)? > max_w {
                    break;
                }
                head = next;
                rest.next();
            }
            lines.push(head);
            line = rest.collect();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"))? > max_w {
                last.pop();
            }
            last.push('…');
        }
    }
    Ok(lines
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect())
}

/// Left and right margins of every chart, in logical pixels.
const LEFT: f64 = 16.0;
const RIGHT: f64 = 20.0;

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mark {
    /// A filled square (a bar's segment).
    Square,
    /// A short line through a dot (a series).
    Line,
    /// No mark: a note in muted text.
    Note,
}

/// One entry of a chart's legend.
struct Legend {
    label: String,
    colour: RGBColor,
    mark: Mark,
}

/// Draw the title, the subtitle lines and the legend (wrapped into rows);
/// returns the height they take, in logical pixels.
fn draw_header<DB: DrawingBackend>(
    p: &Painter<'_, DB>,
    title: &str,
    subtitle: &[String],
    legend: &[Legend],
    width: f64,
) -> DrawResult<f64>
where
    DB::ErrorType: 'static,
{
    p.text(
        title,
        (p.px(LEFT), p.px(12.0)),
        19.0,
        INK,
        HPos::Left,
        VPos::Top,
    )?;
    let mut y = 38.0;
    for line in subtitle {
        p.text(
            line,
            (p.px(LEFT), p.px(y)),
            12.0,
            MUTED,
            HPos::Left,
            VPos::Top,
        )?;
        y += 16.0;
    }
    let legend_top = y + 6.0;
    let row_h = 18.0;
    let mut x = LEFT;
    let mut row = 0.0;
    for item in legend {
        let mark_w = match item.mark {
            Mark::Square => 14.0,
            Mark::Line => 24.0,
            Mark::Note => 0.0,
        };
        let w = mark_w + p.width(&item.label, 12.0)? + 18.0;
        if x > LEFT && x + w > width - RIGHT {
            x = LEFT;
            row += 1.0;
        }
        let y = legend_top + row * row_h;
        match item.mark {
            Mark::Square => {
                p.root.draw(&Rectangle::new(
                    [(p.px(x), p.px(y + 1.0)), (p.px(x + 10.0), p.px(y + 11.0))],
                    item.colour.filled(),
                ))?;
            }
            Mark::Line => {
                p.root.draw(&PathElement::new(
                    vec![(p.px(x), p.px(y + 6.0)), (p.px(x + 20.0), p.px(y + 6.0))],
                    item.colour.stroke_width(p.px(2.0).max(1) as u32),
                ))?;
                p.root.draw(&Circle::new(
                    (p.px(x + 10.0), p.px(y + 6.0)),
                    p.px(3.5).max(2),
                    item.colour.filled(),
                ))?;
            }
            Mark::Note => {}
        }
        let colour = if item.mark == Mark::Note { MUTED } else { INK };
        p.text(
            &item.label,
            (p.px(x + mark_w), p.px(y)),
            12.0,
            colour,
            HPos::Left,
            VPos::Top,
        )?;
        x += w;
    }
    let rows = if legend.is_empty() { 0.0 } else { row + 1.0 };
    Ok(legend_top + rows * row_h + 6.0)
}

/// Draw one chart on a drawing area; `s` is the pixel scale.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData,
    s: f64,
    bitmap: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let measure = chart_font();
    let p = Painter {
        root,
        s,
        glyphs: if bitmap { measure } else { None },
        measure,
    };
    root.fill(&WHITE_BG)?;
    let Some(chart) = describe(kind, data) else {
        return draw_product_trend(&p, data);
    };
    let (width_px, height_px) = root.dim_in_pixel();
    let width = f64::from(width_px) / s;
    let height = f64::from(height_px) / s;
    let legend: Vec<Legend> = chart
        .legend
        .iter()
        .map(|(label, colour)| Legend {
            label: label.clone(),
            colour: *colour,
            mark: Mark::Square,
        })
        .collect();
    let header = draw_header(
        &p,
        chart.title,
        std::slice::from_ref(&chart.subtitle),
        &legend,
        width,
    )?;

    let n = chart.bars.len();
    if n == 0 {
        return p.empty_note("No releases loaded", width, header, height);
    }

    // X labels: wrapped release labels plus the verdict line.
    const Y_AXIS: f64 = 58.0;
    const LABEL_SIZE: f64 = 11.5;
    const LINE_H: f64 = 14.0;
    let slot = (width - LEFT - RIGHT - Y_AXIS) / n as f64;
    let max_label_w = (slot - 6.0).max(20.0) * 0.88;
    let mut labels = Vec::with_capacity(n);
    for r in &data.releases {
        labels.push(wrap(&r.label, max_label_w, 4, |t| p.width(t, LABEL_SIZE))?);
    }
    let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) + 1;
    let band = 10.0 + label_lines as f64 * LINE_H + 4.0;
    let top_margin = 8.0;
    let plot_h = (height - header - band - top_margin).max(20.0);

    // Room above the bars for the headline and callouts: grow the y range
    // until every bar's text fits under the top of the plot.
    let totals: Vec<f64> = chart
        .bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.value).sum())
        .collect();
    let max_total = totals.iter().copied().fold(0.0, f64::max);
    let mut y_max = if max_total > 0.0 {
        max_total * 1.08
    } else {
        1.0
    };
    let inside_h = 15.0;
    for _ in 0..4 {
        let mut needed = y_max;
        for (bar, total) in chart.bars.iter().zip(&totals) {
            let lines = text_lines_above(bar, y_max, plot_h, inside_h);
            let free = plot_h - lines as f64 * 13.0 - 6.0;
            if free > 10.0 {
                needed = needed.max(total * plot_h / free);
            }
        }
        if needed <= y_max * 1.001 {
            break;
        }
        y_max = needed;
    }

    let area = root.margin(p.px(header), 0, 0, 0);
    let mut cc = p.category_axes(&area, top_margin, band, Y_AXIS, n, y_max, chart.y_desc)?;
    let ticks: Vec<f64> = cc.as_coord_spec().y_spec().key_points(BoldPoints(6));
    for t in ticks {
        let (x, y) = cc.backend_coord(&(-0.5, t));
        p.text(
            &format!("{t:.0}"),
            (x - p.px(8.0), y),
            12.0,
            MUTED,
            HPos::Right,
            VPos::Center,
        )?;
    }

    let half = 0.36;
    for (i, bar) in chart.bars.iter().enumerate() {
        let xi = i as f64;
        let mut base = 0.0;
        let mut above: Vec<(String, RGBColor)> = Vec::new();
        for seg in &bar.segments {
            if seg.value <= 0.0 {
                continue;
            }
            let top = base + seg.value;
            cc.draw_series(std::iter::once(Rectangle::new(
                [(xi - half, base), (xi + half, top)],
                seg.colour.filled(),
            )))?;
            let (_, y0) = cc.backend_coord(&(xi, base));
            let (cx, y1) = cc.backend_coord(&(xi, top));
            let seg_h = f64::from(y0 - y1) / s;
            if seg_h >= inside_h {
                if bar.inside_labels {
                    p.text(
                        &format!("{}", seg.value.round()),
                        (cx, (y0 + y1) / 2),
                        11.5,
                        contrast(seg.colour),
                        HPos::Center,
                        VPos::Center,
                    )?;
                }
            } else if let Some(c) = &seg.callout {
                above.push((c.clone(), darker(seg.colour)));
            }
            base = top;
        }
        let (cx, mut y) = cc.backend_coord(&(xi, base));
        if let Some(note) = &bar.missing {
            p.text(
                note,
                (cx, y - p.px(4.0)),
                11.0,
                MUTED,
                HPos::Center,
                VPos::Bottom,
            )?;
            y -= p.px(13.0);
        }
        if !bar.headline.is_empty() {
            p.text(
                &bar.headline,
                (cx, y - p.px(4.0)),
                12.5,
                INK,
                HPos::Center,
                VPos::Bottom,
            )?;
            y -= p.px(15.0);
        }
        for (text, colour) in above {
            let shown = if p.width(&text, 11.0)? > slot - 4.0 {
                text.split(' ').next().unwrap_or_default().to_string()
            } else {
                text
            };
            p.text(
                &shown,
                (cx, y - p.px(4.0)),
                11.0,
                colour,
                HPos::Center,
                VPos::Bottom,
            )?;
            y -= p.px(13.0);
        }

        // The release label and verdict under the bar.
        let (_, bottom) = cc.backend_coord(&(xi, 0.0));
        let mut ly = bottom + p.px(9.0);
        for line in &labels[i] {
            p.text(line, (cx, ly), LABEL_SIZE, INK, HPos::Center, VPos::Top)?;
            ly += p.px(LINE_H);
        }
        let (word, colour) = verdict_text(data.releases[i].verdict);
        p.text(word, (cx, ly), LABEL_SIZE, colour, HPos::Center, VPos::Top)?;
    }
    Ok(())
}

/// What the product-trend chart draws: which lines, where their points
/// go, and what it leaves out.
struct TrendPlan {
    /// Lines drawn, as indices into [`ChartData::lines`], in that order.
    drawn: Vec<usize>,
    /// Lines with points that are not drawn (past [`MAX_LINES_DRAWN`]).
    hidden: usize,
    /// Releases left out for an unknown Kubernetes version.
    unknown: usize,
    /// Releases left out for having no required test (no pass rate).
    no_required: usize,
    /// The Kubernetes minors of the x axis, in order: every minor from the
    /// oldest to the newest drawn one.
    minors: Vec<(u32, u32)>,
}

/// Plan the product-trend chart: past [`MAX_LINES_DRAWN`] lines, those
/// with the most plotted releases (then the most releases, then by name).
fn plan_trend(data: &ChartData) -> TrendPlan {
    let plotted = |i: usize| {
        data.releases
            .get(i)
            .is_some_and(|r| r.minor.is_some() && r.total > 0)
    };
    let unknown = data.releases.iter().filter(|r| r.minor.is_none()).count();
    let no_required = data
        .releases
        .iter()
        .filter(|r| r.minor.is_some() && r.total == 0)
        .count();
    let mut candidates: Vec<(usize, usize, usize)> = data
        .lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            let points = line.releases.iter().filter(|&&i| plotted(i)).count();
            (l, points, line.releases.len())
        })
        .filter(|&(_, points, _)| points > 0)
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let hidden = candidates.len().saturating_sub(MAX_LINES_DRAWN);
    let mut drawn: Vec<usize> = candidates
        .into_iter()
        .take(MAX_LINES_DRAWN)
        .map(|c| c.0)
        .collect();
    drawn.sort_unstable();
    let mut seen: Vec<(u32, u32)> = drawn
        .iter()
        .flat_map(|&l| data.lines[l].releases.iter())
        .filter(|&&i| plotted(i))
        .filter_map(|&i| data.releases[i].minor)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    // Every minor between the oldest and the newest of each major, so the
    // axis is evenly spaced in versions.
    let mut minors = Vec::new();
    let mut k = 0;
    while k < seen.len() {
        let major = seen[k].0;
        let mut hi = seen[k].1;
        let lo = hi;
        while k < seen.len() && seen[k].0 == major {
            hi = seen[k].1;
            k += 1;
        }
        minors.extend((lo..=hi).map(|m| (major, m)));
    }
    TrendPlan {
        drawn,
        hidden,
        unknown,
        no_required,
        minors,
    }
}

/// The x position of a release: its minor's place on the axis, moved
/// aside by its run among the runs of that minor in its line.
fn trend_x(minors: &[(u32, u32)], minor: (u32, u32), (run, runs): (usize, usize)) -> Option<f64> {
    let at = minors.iter().position(|&m| m == minor)? as f64;
    if runs <= 1 {
        return Some(at);
    }
    let step = (0.6 / runs as f64).min(0.16);
    let k = run.clamp(1, runs) as f64 - 1.0;
    Some(at + k * step - (runs as f64 - 1.0) * step / 2.0)
}

/// Pass rate of a release's required tests in percent.
fn pass_rate(r: &ChartRelease) -> f64 {
    if r.total == 0 {
        0.0
    } else {
        r.passed as f64 * 100.0 / r.total as f64
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A label cut to `max_w` logical pixels with `…`.
fn fit<DB: DrawingBackend>(
    p: &Painter<'_, DB>,
    text: &str,
    size: f64,
    max_w: f64,
) -> DrawResult<String>
where
    DB::ErrorType: 'static,
{
    if p.width(text, size)? <= max_w {
        return Ok(text.to_string());
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && p.width(&format!("{cut}…"), size)? > max_w {
        cut.pop();
    }
    Ok(format!("{}…", cut.trim_end()))
}

/// The product-trend chart: one series per product line, pass rate of the
/// required tests (0–100 %) per release over the Kubernetes minors.
fn draw_product_trend<DB: DrawingBackend>(p: &Painter<'_, DB>, data: &ChartData) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (width_px, height_px) = p.root.dim_in_pixel();
    let width = f64::from(width_px) / p.s;
    let height = f64::from(height_px) / p.s;
    let plan = plan_trend(data);

    let mut notes: Vec<String> = Vec::new();
    if plan.unknown > 0 {
        notes.push(format!(
            "{} of unknown Kubernetes version left out.",
            plural(plan.unknown, "release", "releases")
        ));
    }
    if plan.no_required > 0 {
        notes.push(format!(
            "{} without required tests left out.",
            plural(plan.no_required, "release", "releases")
        ));
    }
    if plan.hidden > 0 {
        notes.push(format!(
            "The {} lines with the most releases are drawn; {} more {} not.",
            plan.drawn.len(),
            plan.hidden,
            if plan.hidden == 1 { "is" } else { "are" }
        ));
    }
    let mut subtitle_text = String::from(
        "Share of required ([Conformance]) tests passed per release; one colour per product line.",
    );
    for n in &notes {
        subtitle_text.push(' ');
        subtitle_text.push_str(n);
    }
    let subtitle = wrap(&subtitle_text, width - LEFT - RIGHT, 3, |t| {
        p.width(t, 12.0)
    })?;

    let max_name = (width * 0.4).clamp(80.0, 320.0);
    let mut legend = Vec::with_capacity(plan.drawn.len() + 1);
    for (k, &l) in plan.drawn.iter().enumerate() {
        let line = &data.lines[l];
        let name = fit(p, &line.name, 12.0, max_name)?;
        legend.push(Legend {
            label: format!("{name} ({})", line.releases.len()),
            colour: LINE_COLOURS[k % LINE_COLOURS.len()],
            mark: Mark::Line,
        });
    }
    if plan.hidden > 0 {
        legend.push(Legend {
            label: format!(
                "and {} more {}",
                plan.hidden,
                if plan.hidden == 1 { "line" } else { "lines" }
            ),
            colour: MUTED,
            mark: Mark::Note,
        });
    }
    let header = draw_header(
        p,
        ChartKind::ProductTrend.title(),
        &subtitle,
        &legend,
        width,
    )?;

    if plan.drawn.is_empty() || plan.minors.is_empty() {
        let note = if data.releases.is_empty() {
            "No releases loaded"
        } else {
            "No release with a known Kubernetes version and required tests"
        };
        return p.empty_note(note, width, header, height);
    }

    const Y_AXIS: f64 = 52.0;
    const BAND: f64 = 30.0;
    const TOP: f64 = 10.0;
    let n = plan.minors.len();
    let single = plan.drawn.len() == 1;
    // Room above 100% for the figures of a single line.
    let y_max = if single { 112.0 } else { 104.0 };
    let area = p.root.margin(p.px(header), 0, 0, 0);
    let mut cc = p.category_axes(&area, TOP, BAND, Y_AXIS, n, y_max, "passed, % of required")?;
    for t in [0.0, 20.0, 40.0, 60.0, 80.0, 100.0] {
        let (x, y) = cc.backend_coord(&(-0.5, t));
        p.text(
            &format!("{t:.0}%"),
            (x - p.px(8.0), y),
            12.0,
            MUTED,
            HPos::Right,
            VPos::Center,
        )?;
    }
    // Minor labels, thinned out when they would touch.
    let slot = (width - LEFT - RIGHT - Y_AXIS) / n as f64;
    let label_w = p.width("v1.35", 11.5)? + 8.0;
    let every = (label_w / slot.max(1.0)).ceil().max(1.0) as usize;
    for (k, (major, minor)) in plan.minors.iter().enumerate() {
        let (x, y) = cc.backend_coord(&(k as f64, 0.0));
        p.root.draw(&PathElement::new(
            vec![(x, y), (x, y + p.px(4.0))],
            AXIS.stroke_width(p.px(1.0).max(1) as u32),
        ))?;
        if k % every == 0 {
            p.text(
                &format!("v{major}.{minor}"),
                (x, y + p.px(8.0)),
                11.5,
                INK,
                HPos::Center,
                VPos::Top,
            )?;
        }
    }

    let stroke = p.px(2.0).max(1) as u32;
    let radius = p.px(3.5).max(2);
    // At a minor where several lines have a point, each sits a little aside
    // from the next (in legend order), so that two products with the same
    // figure do not hide each other.
    let mut at_minor: std::collections::BTreeMap<(u32, u32), Vec<usize>> = Default::default();
    for &l in &plan.drawn {
        for &i in &data.lines[l].releases {
            if let Some(r) = data.releases.get(i)
                && r.total > 0
                && let Some(m) = r.minor
            {
                let sharing = at_minor.entry(m).or_default();
                if !sharing.contains(&l) {
                    sharing.push(l);
                }
            }
        }
    }
    let aside = |l: usize, minor: (u32, u32)| -> f64 {
        let Some(sharing) = at_minor.get(&minor) else {
            return 0.0;
        };
        let m = sharing.len() as f64;
        let rank = sharing.iter().position(|&x| x == l).unwrap_or(0) as f64;
        let step = (0.5 / m).min(0.2);
        (rank - (m - 1.0) / 2.0) * step
    };
    for (k, &l) in plan.drawn.iter().enumerate() {
        let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
        let points: Vec<(f64, f64, usize)> = data.lines[l]
            .releases
            .iter()
            .filter_map(|&i| {
                let r = data.releases.get(i)?;
                if r.total == 0 {
                    return None;
                }
                let minor = r.minor?;
                let x = trend_x(&plan.minors, minor, r.run)?;
                Some((x + aside(l, minor), pass_rate(r), i))
            })
            .collect();
        cc.draw_series(LineSeries::new(
            points.iter().map(|&(x, y, _)| (x, y)),
            colour.stroke_width(stroke),
        ))?;
        for &(x, y, i) in &points {
            let at = cc.backend_coord(&(x, y));
            p.root.draw(&Circle::new(
                at,
                radius + p.px(1.0).max(1),
                WHITE_BG.filled(),
            ))?;
            p.root.draw(&Circle::new(at, radius, colour.filled()))?;
            if single {
                // One line: its figures by its points; runs of one minor
                // get theirs outside the pair (below left of the first,
                // above right of the others) so they do not collide.
                let r = &data.releases[i];
                let text = percent(r.passed, r.total);
                let (at, h, v) = match r.run {
                    (_, 1) => ((at.0, at.1 - p.px(7.0)), HPos::Center, VPos::Bottom),
                    (1, _) => ((at.0 - p.px(5.0), at.1 + p.px(6.0)), HPos::Right, VPos::Top),
                    _ => (
                        (at.0 + p.px(5.0), at.1 - p.px(6.0)),
                        HPos::Left,
                        VPos::Bottom,
                    ),
                };
                p.text(&text, at, 11.0, darker(colour), h, v)?;
            }
        }
    }
    Ok(())
}

/// How many text lines a bar needs above it, for a given y range.
fn text_lines_above(bar: &Bar, y_max: f64, plot_h: f64, inside_h: f64) -> usize {
    let mut lines = usize::from(!bar.headline.is_empty()) + usize::from(bar.missing.is_some());
    for seg in &bar.segments {
        let h = seg.value / y_max * plot_h;
        if seg.value > 0.0 && h < inside_h && seg.callout.is_some() {
            lines += 1;
        }
    }
    lines
}

/// White or ink, whichever reads better on `bg`.
fn contrast(bg: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = bg;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma > 160.0 { INK } else { WHITE_BG }
}

/// A darker shade for text in a segment's colour on white (amber is too
/// light to read as text).
fn darker(c: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = c;
    let k = |v: u8| (f64::from(v) * 0.78) as u8;
    RGBColor(k(r), k(g), k(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_slashes_and_cuts_long_words() {
        let w = |t: &str| -> DrawResult<f64> { Ok(t.chars().count() as f64 * 6.0) };
        let lines = wrap("vsphere-supervisor-conformance/results/v1.18", 120.0, 4, w).unwrap();
        assert_eq!(
            lines,
            ["vsphere-supervisor-", "conformance/results/", "v1.18"]
        );
        let lines = wrap("abcdefghijklmnopqrstuvwxyz", 60.0, 2, w).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| w(l).unwrap() <= 60.0));
    }

    #[test]
    fn font_metrics_agree_with_plotters() {
        ensure_font().unwrap();
        let m = chart_font().unwrap();
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (400, 100)).into_drawing_area();
        for (text, size) in [
            ("vsphere-supervisor-conformance/results/v1.18", 11.5),
            ("419 100% 4 h 06 min", 17.25),
        ] {
            let style: TextStyle<'_> = (FONT, size).into_font().into();
            let (w, _) = root.estimate_text_size(text, &style).unwrap();
            let ours = m.width(text, size);
            // plotters truncates its sum to whole pixels.
            assert!((ours - f64::from(w)).abs() <= 1.0, "{text}: {ours} vs {w}");
        }
    }

    /// `lines` product lines; line `l` has releases on minors 18 + l % 7
    /// onwards, `per_line(l)` of them, the second of its v1.(18 + l % 7)
    /// runs when `per_line` says two there.
    fn many_lines(lines: usize, per_line: impl Fn(usize) -> usize) -> ChartData {
        let mut data = ChartData::default();
        for l in 0..lines {
            let mut line = ChartLine {
                name: format!("Product {l:03} Kubernetes Platform"),
                vendor: Some(format!("Vendor {l}")),
                releases: Vec::new(),
            };
            for k in 0..per_line(l) {
                let minor = 18 + (l % 7) as u32 + k as u32;
                line.releases.push(data.releases.len());
                data.releases.push(ChartRelease {
                    label: format!("p{l}/v1.{minor}"),
                    kube_version: None,
                    verdict: Verdict::Conformant,
                    profile_applies: false,
                    total: 400,
                    passed: 400 - ((l * 7 + k * 13) % 40) as u64,
                    failed: ((l * 7 + k * 13) % 40) as u64,
                    skipped: 0,
                    pending: 0,
                    caveats: Vec::new(),
                    unexplained: 0,
                    known_defects: 0,
                    missing: 0,
                    duration_secs: None,
                    line: l,
                    minor: Some((1, minor.min(35))),
                    run: (1, 1),
                });
            }
            data.lines.push(line);
        }
        data
    }

    #[test]
    fn product_trend_draws_at_most_ten_lines_and_counts_the_rest() {
        let data = many_lines(214, |l| 1 + l % 5);
        let plan = plan_trend(&data);
        assert_eq!(plan.drawn.len(), MAX_LINES_DRAWN);
        assert_eq!(plan.hidden, 204);
        // The drawn lines are those with the most releases (five each).
        assert!(
            plan.drawn
                .iter()
                .all(|&l| data.lines[l].releases.len() == 5)
        );
        // Lines 4, 9, …, 49 start at v1.18 to v1.24 and run five minors.
        assert_eq!(plan.drawn, [4, 9, 14, 19, 24, 29, 34, 39, 44, 49]);
        assert_eq!(plan.minors, (18..=28).map(|m| (1, m)).collect::<Vec<_>>());
        let svg = chart_svg(ChartKind::ProductTrend, &data, 1000, 600).unwrap();
        assert!(svg.contains("and 204 more lines"), "legend note");
        assert!(svg.contains("204 more are not"), "subtitle note");
        for &l in &plan.drawn {
            assert!(svg.contains(&data.lines[l].name));
        }
        let png = chart_png(ChartKind::ProductTrend, &data, 1000, 600, 1.0).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // The smallest size still draws.
        chart_png(ChartKind::ProductTrend, &data, MIN_SIZE, MIN_SIZE, 1.0).unwrap();
        if let Some(dir) = std::env::var_os("CV_CHART_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("many.png"), &png).unwrap();
        }
    }

    #[test]
    fn product_trend_of_one_line_with_two_runs() {
        let mut data = many_lines(1, |_| 4);
        // A second run of the last minor, started later.
        let mut again = data.releases[3].clone();
        again.passed = 400;
        again.failed = 0;
        data.releases[3].run = (1, 2);
        again.run = (2, 2);
        data.lines[0].releases.push(data.releases.len());
        data.releases.push(again);
        // And a release of unknown version, left out.
        let mut unknown = data.releases[0].clone();
        unknown.minor = None;
        data.lines[0].releases.push(data.releases.len());
        data.releases.push(unknown);
        let plan = plan_trend(&data);
        assert_eq!((plan.drawn.len(), plan.hidden, plan.unknown), (1, 0, 1));
        assert_eq!(plan.minors, [(1, 18), (1, 19), (1, 20), (1, 21)]);
        let x1 = trend_x(&plan.minors, (1, 21), (1, 2)).unwrap();
        let x2 = trend_x(&plan.minors, (1, 21), (2, 2)).unwrap();
        assert!(x1 < 3.0 && 3.0 < x2 && x2 - x1 < 0.5, "{x1} {x2}");
        let svg = chart_svg(ChartKind::ProductTrend, &data, 800, 500).unwrap();
        assert!(svg.contains("1 release of unknown Kubernetes version left out"));
        assert!(svg.contains("Product 000 Kubernetes Platform"));
        let png = chart_png(ChartKind::ProductTrend, &data, 800, 500, 2.0).unwrap();
        if let Some(dir) = std::env::var_os("CV_CHART_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("one.png"), &png).unwrap();
        }
        // Reduced to its one line, the data keeps every release of it.
        let only = data.only_line(0);
        assert_eq!(only.releases.len(), data.releases.len());
        assert_eq!(only.lines.len(), 1);
        assert!(data.only_line(5).releases.is_empty());
    }

    #[test]
    fn percent_never_rounds_up_to_full() {
        assert_eq!(percent(9999, 10000), "99.9%");
        assert_eq!(percent(1, 1), "100%");
        assert_eq!(percent(270, 277), "97.5%");
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(pixel_size(1000, 600, 2.0).ok(), Some((2000, 1200)));
        assert!(pixel_size(10, 600, 1.0).is_err());
        assert!(pixel_size(1000, 600, 0.0).is_err());
        assert!(pixel_size(1000, 600, f32::NAN).is_err());
        assert!(pixel_size(10_000, 600, 4.0).is_err());
    }
}

//! The `conformance-viewer` binary: the window by default, headless
//! subcommands for CI. Thin: it parses arguments, calls the library and
//! maps errors to messages and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use conformance_viewer::caveats::Catalog;
use conformance_viewer::conformance_list::ConformanceLists;
use conformance_viewer::model::Release;
use conformance_viewer::{analysis, ingest};
use conformance_viewer::{check, compare};

/// Read, compare and explain Kubernetes conformance results.
#[derive(Parser, Debug)]
#[command(
    name = "conformance-viewer",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Result folders or Sonobuoy tarballs to open in the window.
    paths: Vec<PathBuf>,
    /// Load, render in a real window until the data is shown, save a PNG of
    /// the window to FILE and exit.
    #[arg(long, value_name = "FILE")]
    screenshot: Option<PathBuf>,
    /// The tab to show: overview, tests, caveats, matrix, diff or check.
    #[arg(long, value_name = "TAB")]
    view: Option<String>,
    /// Select the first test whose name contains TEXT and show its details.
    #[arg(long, value_name = "TEXT")]
    select: Option<String>,
    /// The window's inner size, e.g. 900x600.
    #[arg(long, value_name = "WxH")]
    size: Option<String>,
    /// A caveat catalog (TOML) whose categories add to or replace the
    /// built-in ones by id.
    #[arg(long, value_name = "FILE", global = true)]
    caveats: Option<PathBuf>,
    /// Change a protective limit, e.g. `--limit max_file_bytes=1000000000`
    /// (names: max_file_bytes, max_inflated_bytes, max_attr_bytes, max_depth,
    /// max_releases, max_dirs). Repeatable.
    #[arg(long = "limit", value_name = "NAME=VALUE", global = true)]
    limits: Vec<String>,
    /// A folder of Kubernetes' conformance.yaml lists (conformance-v1.NN.yaml),
    /// used to match renamed tests and to know the required tests.
    #[arg(long, value_name = "DIR", global = true)]
    conformance_lists: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a table (or JSON with --json) of each release's figures,
    /// grouped by product line.
    Summary {
        /// One JSON document on stdout instead of the table.
        #[arg(long)]
        json: bool,
        /// Result folders or tarballs.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// What changed between two releases: newly failing, fixed, newly
    /// skipped, no longer skipped, added to or removed from conformance,
    /// renamed.
    Diff {
        /// One JSON document on stdout instead of text.
        #[arg(long)]
        json: bool,
        /// The older release (a folder or tarball holding one release).
        a: PathBuf,
        /// The newer release.
        b: PathBuf,
    },
    /// Write the charts (PNG, SVG; product-trend among them), summary.csv,
    /// tests.csv, summary.json and a self-contained report.html to a folder. Never inside an opened
    /// results folder, never over an existing file.
    Export {
        /// Result folders or tarballs.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The folder to write to (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Comma-separated formats: png, svg, csv, json, html.
        #[arg(long, default_value = "png,svg,csv,json,html")]
        format: String,
        /// Chart width in pixels (before --scale).
        #[arg(long, default_value_t = conformance_viewer::export::DEFAULT_WIDTH)]
        width: u32,
        /// Chart height in pixels (before --scale).
        #[arg(long, default_value_t = conformance_viewer::export::DEFAULT_HEIGHT)]
        height: u32,
        /// Pixel scale of the PNG charts (2 for HiDPI slides).
        #[arg(long, default_value_t = 1.0)]
        scale: f32,
        /// Replace files that already exist in the output folder.
        #[arg(long)]
        force: bool,
    },
    /// A certification pre-check like the CNCF review: required tests all
    /// present and passed, submission files and PRODUCT.yaml valid. Exit 0
    /// only when every release passes.
    Check {
        /// One JSON document on stdout instead of text.
        #[arg(long)]
        json: bool,
        /// A submission folder (vX.Y/<product>/) or a folder of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    #[cfg(feature = "gui")]
    conformance_viewer::app::mark_process_start();
    phase("start");
    ingest::heap::tune_for_loading();
    let cli = Cli::parse();
    let limits = match parse_limits(&cli.limits) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let load = |paths: &[PathBuf]| {
        ingest::load_paths_with(
            paths,
            &limits,
            &std::sync::Arc::new(ingest::Progress::default()),
            true,
        )
    };
    // The headless commands read the lists here; the window reads them
    // itself, in the background.
    // Kubernetes' lists of v1.18 to v1.36 are built in; a folder given
    // with --conformance-lists adds newer versions or replaces some.
    // They decide every release's required tests, so every command reads
    // them; the built-in ones are used in place unless a folder changes them.
    let merged;
    let lists: Option<&ConformanceLists> = match &cli.conformance_lists {
        Some(dir) if cli.command.is_some() => {
            let mut lists = ConformanceLists::builtin();
            let (folder, errors) = ConformanceLists::load_dir(dir);
            for e in errors {
                eprintln!("warning: {e}");
            }
            lists.merge(folder);
            merged = lists;
            Some(&merged)
        }
        _ => conformance_viewer::conformance_index::builtin().ok(),
    };
    match cli.command {
        Some(Command::Diff { json, a, b }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => diff(&load(&[a]), &load(&[b]), json, &catalog, lists),
            Err(code) => code,
        },
        Some(Command::Check { json, paths }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => check(load(&paths), json, &catalog, lists),
            Err(code) => code,
        },
        Some(Command::Summary { json, paths }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => {
                let corpus = load(&paths);
                phase("load");
                summary(corpus, json, &catalog, lists)
            }
            Err(code) => code,
        },
        Some(Command::Export {
            paths,
            out,
            format,
            width,
            height,
            scale,
            force,
        }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => export(
                load(&paths),
                &paths,
                out,
                &format,
                (width, height, scale, force),
                &catalog,
                lists,
            ),
            Err(code) => code,
        },
        #[cfg(feature = "gui")]
        None => {
            use conformance_viewer::app::{LaunchOptions, settings::Tab};
            let view = match cli.view.as_deref().map(Tab::parse).transpose() {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("error: --view: {e}");
                    return ExitCode::from(2);
                }
            };
            let size = match cli.size.as_deref().map(parse_size).transpose() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: --size: {e}");
                    return ExitCode::from(2);
                }
            };
            conformance_viewer::app::run(LaunchOptions {
                paths: cli.paths,
                screenshot: cli.screenshot,
                conformance_lists: cli.conformance_lists.clone(),
                caveats: cli.caveats.clone(),
                limits,
                view,
                select: cli.select,
                size,
            })
        }
        #[cfg(not(feature = "gui"))]
        None => {
            let _ = (
                cli.paths,
                cli.screenshot,
                cli.view,
                cli.select,
                cli.size,
                lists,
            );
            eprintln!(
                "error: this build has no window (built without the `gui` feature); use a subcommand"
            );
            ExitCode::from(2)
        }
    }
}

/// The built-in caveat catalog with the user's file laid over it.
fn catalog(user: Option<&std::path::Path>) -> Result<Catalog, ExitCode> {
    Catalog::with_user_file(user).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

/// `--size WxH`: a window size of at least the window's minimum.
#[cfg(feature = "gui")]
fn parse_size(text: &str) -> Result<[f32; 2], String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{text}: expected WIDTHxHEIGHT, e.g. 1400x900"))?;
    let number = |v: &str| {
        v.trim()
            .parse::<u32>()
            .map_err(|_| format!("{text}: {v} is not a whole number"))
    };
    let (w, h) = (number(w)?, number(h)?);
    let [min_w, min_h] = conformance_viewer::app::MIN_SIZE;
    if (w as f32) < min_w || (h as f32) < min_h || w > 8192 || h > 8192 {
        return Err(format!(
            "{text}: the window is at least {min_w}x{min_h} and at most 8192x8192"
        ));
    }
    Ok([w as f32, h as f32])
}

/// `--limit NAME=VALUE` options laid over the default limits.
fn parse_limits(items: &[String]) -> Result<ingest::Limits, String> {
    let mut text = String::new();
    for item in items {
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| format!("--limit {item}: expected NAME=VALUE"))?;
        let value: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("--limit {item}: the value must be a whole number"))?;
        text.push_str(&format!("{} = {value}\n", name.trim()));
    }
    toml::from_str::<ingest::Limits>(&text).map_err(|e| format!("--limit: {}", e.message()))
}

fn summary(
    corpus: conformance_viewer::model::Corpus,
    json: bool,
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
) -> ExitCode {
    let doc = analysis::summarize_lists(&corpus, catalog, &analysis::Scope::default(), lists);
    phase("analysis");
    if json {
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        print!("{}", analysis::render_table(&doc));
    }
    if std::env::var_os("CV_STATS").is_some() {
        eprintln!("peak memory: {}", peak_rss());
    }
    phase("output");
    let code = if corpus.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    // The process ends here: freeing millions of specs one by one would
    // only delay the exit (a tenth of a second for the CNCF tree).
    std::mem::forget(corpus);
    std::mem::forget(doc);
    code
}

/// With `CV_TIMING` set, print the seconds since the process started at
/// the end of a phase of a headless command.
fn phase(name: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    if std::env::var_os("CV_TIMING").is_some() {
        eprintln!("phase: {name} ended {:.3} s", start.elapsed().as_secs_f64());
    }
}

/// The process's peak resident memory, from /proc (Linux), for benchmarks.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Print a JSON document, or say why it could not be written.
fn print_json<T: serde::Serialize>(value: &T) -> bool {
    match serde_json::to_string_pretty(value) {
        Ok(s) => {
            println!("{s}");
            true
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            false
        }
    }
}

/// The one release a loaded path must hold.
fn one_release(corpus: &conformance_viewer::model::Corpus, path: &str) -> Result<Release, String> {
    for e in &corpus.errors {
        eprintln!("error: {e}");
    }
    let n = corpus.releases.len();
    match (corpus.releases.first(), n) {
        (Some(r), 1) => Ok(r.clone()),
        (_, 0) => Err(format!("{path}: no release could be read")),
        _ => Err(format!(
            "{path}: holds {n} releases; give one release folder or tarball"
        )),
    }
}

fn diff(
    a: &conformance_viewer::model::Corpus,
    b: &conformance_viewer::model::Corpus,
    json: bool,
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
) -> ExitCode {
    let (ra, rb) = match (one_release(a, "A"), one_release(b, "B")) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let d = compare::diff(&ra, &rb, lists, catalog, &analysis::Scope::default());
    if json {
        if !print_json(&d) {
            return ExitCode::from(1);
        }
    } else {
        print!("{}", compare::render_diff(&d));
    }
    ExitCode::SUCCESS
}

fn check(
    corpus: conformance_viewer::model::Corpus,
    json: bool,
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
) -> ExitCode {
    let reports: Vec<check::CheckReport> = corpus
        .releases
        .iter()
        .map(|r| check::check(r, catalog, lists))
        .collect();
    let passed =
        !reports.is_empty() && reports.iter().all(|r| r.passed) && corpus.errors.is_empty();
    if json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            passed: bool,
            releases: &'a [check::CheckReport],
            errors: &'a [conformance_viewer::model::LoadError],
        }
        if !print_json(&Doc {
            passed,
            releases: &reports,
            errors: &corpus.errors,
        }) {
            return ExitCode::from(1);
        }
    } else {
        for r in &reports {
            print!("{}", check::render_check(r));
        }
        for e in &corpus.errors {
            println!("error: {e}");
        }
    }
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn export(
    corpus: conformance_viewer::model::Corpus,
    paths: &[PathBuf],
    out: PathBuf,
    format: &str,
    (width, height, scale, force): (u32, u32, f32, bool),
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
) -> ExitCode {
    use conformance_viewer::export::{ExportError, ExportOptions, Format, export_all};
    let formats = match Format::parse_list(format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for e in &corpus.errors {
        eprintln!("error: {e}");
    }
    // The same warnings `summary` prints under each release.
    for r in &corpus.releases {
        for w in &r.warnings {
            eprintln!("warning: {}: {w}", r.label);
        }
    }
    let mut opts = ExportOptions::new(out);
    opts.overwrite = force;
    opts.formats = formats;
    opts.width = width;
    opts.height = height;
    opts.scale = scale;
    opts.opened_roots = paths.to_vec();
    match export_all(&corpus, catalog, &analysis::Scope::default(), lists, &opts) {
        Ok(written) => {
            for p in written {
                println!("{}", p.display());
            }
            if corpus.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, ExportError::Exists { .. }) {
                eprintln!("hint: add --force to replace the files of an earlier export");
            }
            ExitCode::from(1)
        }
    }
}

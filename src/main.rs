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
    /// A caveat catalog (TOML) whose categories add to or replace the
    /// built-in ones by id.
    #[arg(long, value_name = "FILE", global = true)]
    caveats: Option<PathBuf>,
    /// A folder of Kubernetes' conformance.yaml lists (conformance-v1.NN.yaml),
    /// used to match renamed tests and to know the required tests.
    #[arg(long, value_name = "DIR", global = true)]
    conformance_lists: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a table (or JSON with --json) of each release's figures.
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
    /// Write the charts (PNG, SVG), summary.csv, tests.csv, summary.json and a
    /// self-contained report.html to a folder. Never inside an opened
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
    let cli = Cli::parse();
    let lists = match &cli.conformance_lists {
        Some(dir) => {
            let (lists, errors) = ConformanceLists::load_dir(dir);
            for e in errors {
                eprintln!("warning: {e}");
            }
            Some(lists)
        }
        None => None,
    };
    match cli.command {
        Some(Command::Diff { json, a, b }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => diff(&a, &b, json, &catalog, lists.as_ref()),
            Err(code) => code,
        },
        Some(Command::Check { json, paths }) => check(&paths, json, lists.as_ref()),
        Some(Command::Summary { json, paths }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => summary(&paths, json, &catalog),
            Err(code) => code,
        },
        Some(Command::Export {
            paths,
            out,
            format,
            width,
            height,
            scale,
        }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => export(&paths, out, &format, width, height, scale, &catalog),
            Err(code) => code,
        },
        None => conformance_viewer::app::run(conformance_viewer::app::LaunchOptions {
            paths: cli.paths,
            screenshot: cli.screenshot,
        }),
    }
}

/// The built-in caveat catalog with the user's file laid over it.
fn catalog(user: Option<&std::path::Path>) -> Result<Catalog, ExitCode> {
    Catalog::with_user_file(user).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn summary(paths: &[PathBuf], json: bool, catalog: &Catalog) -> ExitCode {
    let corpus = ingest::load_paths(paths);
    let doc = analysis::summarize_with(&corpus, catalog, &analysis::Scope::default());
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
    if corpus.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
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

/// Load a path that must hold exactly one release.
fn one_release(path: &std::path::Path) -> Result<Release, String> {
    let corpus = ingest::load_paths(&[path.to_path_buf()]);
    for e in &corpus.errors {
        eprintln!("error: {e}");
    }
    let n = corpus.releases.len();
    let mut releases = corpus.releases.into_iter();
    match (releases.next(), n) {
        (Some(r), 1) => Ok(r),
        (_, 0) => Err(format!("{}: no release could be read", path.display())),
        _ => Err(format!(
            "{}: holds {n} releases; give one release folder or tarball",
            path.display()
        )),
    }
}

fn diff(
    a: &std::path::Path,
    b: &std::path::Path,
    json: bool,
    catalog: &Catalog,
    lists: Option<&ConformanceLists>,
) -> ExitCode {
    let (ra, rb) = match (one_release(a), one_release(b)) {
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

fn check(paths: &[PathBuf], json: bool, lists: Option<&ConformanceLists>) -> ExitCode {
    let corpus = ingest::load_paths(paths);
    let reports: Vec<check::CheckReport> = corpus
        .releases
        .iter()
        .map(|r| check::check_release(r, lists))
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
    paths: &[PathBuf],
    out: PathBuf,
    format: &str,
    width: u32,
    height: u32,
    scale: f32,
    catalog: &Catalog,
) -> ExitCode {
    use conformance_viewer::export::{ExportOptions, Format, export_all};
    let formats = match Format::parse_list(format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let corpus = ingest::load_paths(paths);
    for e in &corpus.errors {
        eprintln!("error: {e}");
    }
    let mut opts = ExportOptions::new(out);
    opts.formats = formats;
    opts.width = width;
    opts.height = height;
    opts.scale = scale;
    opts.opened_roots = paths.to_vec();
    match export_all(&corpus, catalog, &analysis::Scope::default(), &opts) {
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
            ExitCode::from(1)
        }
    }
}

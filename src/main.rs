//! The `conformance-viewer` binary: the window by default, headless
//! subcommands for CI. Thin: it parses arguments, calls the library and
//! maps errors to messages and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use conformance_viewer::caveats::Catalog;
use conformance_viewer::{analysis, ingest};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Summary { json, paths }) => match catalog(cli.caveats.as_deref()) {
            Ok(catalog) => summary(&paths, json, &catalog),
            Err(code) => code,
        },
        None => {
            // The window lands with src/app; until then print the summary.
            let _ = cli.screenshot;
            match catalog(cli.caveats.as_deref()) {
                Ok(catalog) => summary(&cli.paths, false, &catalog),
                Err(code) => code,
            }
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

//! The `conformance-viewer` binary: the window by default, headless
//! subcommands for CI. Thin: it parses arguments, calls the library and
//! maps errors to messages and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        Some(Command::Summary { json, paths }) => summary(&paths, json),
        None => {
            // The window lands with src/app; until then print the summary.
            let _ = cli.screenshot;
            summary(&cli.paths, false)
        }
    }
}

fn summary(paths: &[PathBuf], json: bool) -> ExitCode {
    let corpus = ingest::load_paths(paths);
    let doc = analysis::summarize(&corpus);
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
    if corpus.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

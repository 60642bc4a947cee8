//! Writes the built-in index of Kubernetes' conformance lists
//! (`assets/conformance-index.bin`) from a folder of `conformance-v1.NN.yaml`
//! files, read exactly as `--conformance-lists` reads them.
//!
//! Regenerate with:
//!
//! ```text
//! cargo run --example gen_conformance_index -- ../shared/data/conformance-yaml assets/conformance-index.bin
//! ```
//!
//! The output is deterministic: running it again on the same folder writes
//! the same bytes. `tests/conformance_index.rs` fails when the committed
//! index no longer matches the folder. The index is derived from the
//! Kubernetes project's files (Apache License 2.0): keep
//! `assets/NOTICE-kubernetes.txt` beside it.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance_viewer::conformance_index::{build_from_dir, decode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: gen_conformance_index <folder of conformance-v1.NN.yaml> <output file>");
        return ExitCode::from(2);
    };
    let (dir, out) = (PathBuf::from(dir), PathBuf::from(out));
    let bytes = match build_from_dir(&dir) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    // Check the index reads back before writing it.
    let lists = match decode(&bytes) {
        Ok(lists) => lists,
        Err(message) => {
            eprintln!("error: the new index does not read back: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let versions: Vec<String> = lists
        .versions()
        .map(|(major, minor)| format!("v{major}.{minor}"))
        .collect();
    let entries: usize = lists
        .versions()
        .filter_map(|v| lists.for_version(v))
        .map(|l| l.entries.len())
        .sum();
    println!(
        "wrote {} ({} bytes): {} lists ({}), {} entries",
        out.display(),
        bytes.len(),
        versions.len(),
        versions.join(", "),
        entries
    );
    ExitCode::SUCCESS
}

//! Build the Windows binary and pack it, with the README and the licence
//! files, into one zip:
//!
//! ```text
//! cargo run --example package_windows
//! ```
//!
//! It runs `cargo build --release --locked --target x86_64-pc-windows-gnu`
//! (needs `rustup target add x86_64-pc-windows-gnu` and a MinGW-w64 linker:
//! Debian's `gcc-mingw-w64-x86-64`), then writes
//! `target/x86_64-pc-windows-gnu/release/conformance-viewer-<version>-windows-x86_64.zip`
//! and prints its path. `--debug` packs a debug build instead (faster to
//! make, for checking the packaging itself).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TARGET: &str = "x86_64-pc-windows-gnu";

/// What goes into the zip besides the program: (path in the checkout,
/// name in the zip).
const FILES: [(&str, &str); 4] = [
    ("README.md", "README.md"),
    ("LICENSE", "LICENSE.txt"),
    ("assets/NOTICE-kubernetes.txt", "NOTICE-kubernetes.txt"),
    (
        "assets/THIRD-PARTY-LICENSES.txt",
        "THIRD-PARTY-LICENSES.txt",
    ),
];

fn main() -> ExitCode {
    let debug = std::env::args().any(|a| a == "--debug");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.current_dir(&root).args([
        "build",
        "--locked",
        "--bin",
        "conformance-viewer",
        "--target",
        TARGET,
    ]);
    if !debug {
        build.arg("--release");
    }
    match build.status() {
        Ok(s) if s.success() => {}
        Ok(s) => {
            eprintln!("error: the Windows build failed ({s})");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return ExitCode::from(1);
        }
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let out_dir = target_dir
        .join(TARGET)
        .join(if debug { "debug" } else { "release" });
    let zip_path = out_dir.join(format!(
        "conformance-viewer-{}-windows-x86_64.zip",
        env!("CARGO_PKG_VERSION")
    ));
    match pack(&root, &out_dir.join("conformance-viewer.exe"), &zip_path) {
        Ok(()) => {
            println!("{}", zip_path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", zip_path.display());
            ExitCode::from(1)
        }
    }
}

/// Write the zip: the program and [`FILES`], in a folder of its own.
fn pack(root: &Path, exe: &Path, zip_path: &Path) -> Result<(), String> {
    let folder = format!("conformance-viewer-{}", env!("CARGO_PKG_VERSION"));
    let file = std::fs::File::create(zip_path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut entries: Vec<(PathBuf, String)> =
        vec![(exe.to_path_buf(), "conformance-viewer.exe".to_string())];
    entries.extend(
        FILES
            .iter()
            .map(|(from, to)| (root.join(from), to.to_string())),
    );
    for (from, name) in entries {
        let bytes = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        zip.start_file(format!("{folder}/{name}"), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

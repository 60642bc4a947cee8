//! Ingest throughput on the shared corpus (`../shared/data`), printed as
//! figures beside baselines measured in the same run: Python's
//! `xml.etree` on the same JUnit files, and a plain memchr count of
//! newlines over the same logs (the floor for any log scan).
//!
//! Run with `cargo bench --bench ingest`. No thresholds: machines are noisy.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use conformance_viewer::ingest::{self, Limits, Progress, ReleaseSource, e2e_log, junit};

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if !data.is_dir() {
        println!("skipped: {} not found", data.display());
        return;
    }
    let limits = Limits::default();
    let (sources, _) = ingest::discover(std::slice::from_ref(&data), &limits);
    let mut junit_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut logs: Vec<Vec<u8>> = Vec::new();
    let mut junit_paths: Vec<PathBuf> = Vec::new();
    for src in &sources {
        if let ReleaseSource::Folder { junit, log, .. } = src {
            for p in junit {
                if let Ok(b) = std::fs::read(p) {
                    junit_files.push((p.display().to_string(), b));
                    junit_paths.push(p.clone());
                }
            }
            if let Some(p) = log
                && let Ok(b) = std::fs::read(p)
            {
                logs.push(b);
            }
        }
    }
    let junit_bytes: usize = junit_files.iter().map(|(_, b)| b.len()).sum();
    let log_bytes: usize = logs.iter().map(Vec::len).sum();
    println!(
        "corpus: {} releases, {} JUnit files ({:.1} MB), {} logs ({:.1} MB) (folder releases; the tarball is timed in the whole load)",
        sources.len(),
        junit_files.len(),
        junit_bytes as f64 / 1e6,
        logs.len(),
        log_bytes as f64 / 1e6
    );

    // The JUnit figures and their baselines are timed in interleaved rounds
    // (best of each), so a machine that speeds up or slows down during the
    // run moves them together and the ratios stay fair.
    let parse_alone = || {
        for (name, bytes) in &junit_files {
            let r = junit::parse_junit(bytes, name, &limits);
            std::hint::black_box(&r);
        }
    };
    // As a load does it: one name cache shared by every file, so a test
    // named in several releases is derived once.
    let parse_shared = || {
        let cache = conformance_viewer::ingest::names::NameCache::default();
        for (name, bytes) in &junit_files {
            let r = junit::parse_junit_with(bytes, name, &limits, &cache);
            std::hint::black_box(&r);
        }
    };
    // Baseline: quick-xml's bare event loop over the same files, the floor
    // for any parser built on it.
    let events = || {
        for (_, bytes) in &junit_files {
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            let mut reader = quick_xml::Reader::from_str(text);
            let mut n = 0usize;
            while let Ok(ev) = reader.read_event() {
                if matches!(ev, quick_xml::events::Event::Eof) {
                    break;
                }
                n += 1;
            }
            std::hint::black_box(n);
        }
    };
    // Baseline: Python's xml.etree on the same files (one pass per round,
    // timed inside Python, after a warm-up pass).
    let script = "import sys,time,xml.etree.ElementTree as ET\n\
paths=sys.argv[1:]\nfor p in paths: ET.parse(p)\n\
t=time.perf_counter()\nfor p in paths: ET.parse(p)\nprint(time.perf_counter()-t)";
    let python = || -> Option<Duration> {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(&junit_paths)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let secs: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
        Some(Duration::from_secs_f64(secs))
    };
    let (mut junit_time, mut junit_shared_time, mut events_time) =
        (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut py_time: Option<Duration> = None;
    for _ in 0..7 {
        junit_time = junit_time.min(best_of(1, parse_alone));
        junit_shared_time = junit_shared_time.min(best_of(1, parse_shared));
        events_time = events_time.min(best_of(1, events));
        if let Some(t) = python() {
            py_time = Some(py_time.map_or(t, |b| b.min(t)));
        }
    }
    let log_time = best_of(5, || {
        for bytes in &logs {
            std::hint::black_box(e2e_log::scan_log(bytes));
        }
    });
    let newline_time = best_of(5, || {
        for bytes in &logs {
            std::hint::black_box(memchr::memchr_iter(b'\n', bytes).count());
        }
    });
    let load = |parallel: bool| {
        best_of(3, || {
            let progress = Arc::new(Progress::default());
            let c =
                ingest::load_paths_with(std::slice::from_ref(&data), &limits, &progress, parallel);
            std::hint::black_box(c);
        })
    };
    let single = load(false);
    let all = load(true);
    let total_bytes: u64 = sources.iter().map(ReleaseSource::size_hint).sum();

    println!(
        "\nJUnit parse, one thread, each file alone: {:>6.0} MB/s",
        mb_per_s(junit_bytes, junit_time)
    );
    println!(
        "JUnit parse, one thread, names shared:    {:>6.0} MB/s",
        mb_per_s(junit_bytes, junit_shared_time)
    );
    println!(
        "  baseline: quick-xml's bare event loop over the same files: {:.0} MB/s (parse/baseline time ratio {:.2})",
        mb_per_s(junit_bytes, events_time),
        junit_time.as_secs_f64() / events_time.as_secs_f64()
    );
    println!(
        "e2e.log scan, one thread:     {:>8.0} MB/s",
        mb_per_s(log_bytes, log_time)
    );
    println!(
        "  baseline: memchr newline count over the same logs: {:.0} MB/s (scan/baseline time ratio {:.2})",
        mb_per_s(log_bytes, newline_time),
        log_time.as_secs_f64() / newline_time.as_secs_f64()
    );
    println!(
        "whole corpus load (read + parse + intern), one thread: {:.3} s, {:.0} MB/s",
        single.as_secs_f64(),
        mb_per_s(total_bytes as usize, single)
    );
    println!(
        "whole corpus load, all cores ({}): {:.3} s, {:.0} MB/s (speed-up {:.2}x)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        all.as_secs_f64(),
        mb_per_s(total_bytes as usize, all),
        single.as_secs_f64() / all.as_secs_f64()
    );

    match py_time {
        Some(secs) => {
            let py_rate = mb_per_s(junit_bytes, secs);
            println!(
                "  baseline: Python xml.etree on the same JUnit: {:.0} MB/s; ours is {:.1}x that alone, {:.1}x with shared names",
                py_rate,
                mb_per_s(junit_bytes, junit_time) / py_rate,
                mb_per_s(junit_bytes, junit_shared_time) / py_rate
            );
        }
        None => println!("  baseline: python3 not available"),
    }

    // The release binary end to end, with its peak memory (CV_STATS=1).
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/conformance-viewer");
    if bin.is_file() {
        let mut best = Duration::MAX;
        let mut stats = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            let out = Command::new(&bin)
                .args(["summary", "--json"])
                .arg(&data)
                .env("CV_STATS", "1")
                .output();
            let elapsed = t.elapsed();
            if let Ok(out) = out {
                best = best.min(elapsed);
                stats = String::from_utf8_lossy(&out.stderr).trim().to_string();
            }
        }
        println!(
            "release binary `summary --json` on the whole corpus: {:.3} s (best of 5); {stats}",
            best.as_secs_f64()
        );
        let input_mb = (std::fs::metadata(data.join("sonobuoy/results-4-e2e-failures.tar.gz"))
            .map_or(0, |m| m.len()) as usize
            + junit_bytes
            + log_bytes) as f64
            / 1e6;
        println!("  input read: {input_mb:.1} MB");
    } else {
        println!("(build with `cargo build --release` to time the binary end to end)");
    }
}

//! Scale: a generated corpus of many releases (500 × 7,197 specs by
//! default, both Ginkgo generations, with failures), loaded in parallel with
//! progress sampling, peak memory, and a cancel test. Printed beside a
//! baseline from the same run: reading the same files into memory and
//! dropping them (the floor for any loader).
//!
//! `cargo bench --bench scale`; `CV_SCALE_RELEASES=N` changes the size.
//! The corpus is written under the system temp folder and removed after.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use conformance_viewer::generate::{SpecPlan, write_corpus_alternating};
use conformance_viewer::ingest::{self, Limits, Progress};

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| {
                l.trim_start_matches(field)
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

/// Reset the peak-RSS mark (Linux: writing 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let releases: usize = std::env::var("CV_SCALE_RELEASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = std::env::temp_dir().join(format!("cv-scale-{}", std::process::id()));
    let plan = SpecPlan::default();
    let t = Instant::now();
    let bytes = match write_corpus_alternating(&dir, releases, &plan) {
        Ok(b) => b,
        Err(e) => {
            println!("cannot write the corpus to {}: {e}", dir.display());
            return;
        }
    };
    println!(
        "generated {releases} releases × {} specs ({:.2} GB) in {:.1} s at {}",
        plan.specs,
        bytes as f64 / 1e9,
        t.elapsed().as_secs_f64(),
        dir.display()
    );

    // Baseline: read every file once and drop it.
    let (sources, _) = ingest::discover(std::slice::from_ref(&dir), &Limits::default());
    let mut files: Vec<PathBuf> = Vec::new();
    for s in &sources {
        if let ingest::ReleaseSource::Folder { junit, log, .. } = s {
            files.extend(junit.iter().cloned());
            files.extend(log.iter().cloned());
        }
    }
    let t = Instant::now();
    let mut read = 0usize;
    for f in &files {
        read += std::fs::read(f).map_or(0, |b| b.len());
    }
    let baseline = t.elapsed();
    println!(
        "baseline: read the same {} files ({:.2} GB) and drop them: {:.2} s, {:.0} MB/s",
        files.len(),
        read as f64 / 1e9,
        baseline.as_secs_f64(),
        read as f64 / 1e6 / baseline.as_secs_f64()
    );

    // The load, with a sampler thread like the window's progress bar.
    reset_peak();
    let rss_before = status_kib("VmRSS:");
    let progress = Arc::new(Progress::default());
    let sampler_progress = progress.clone();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler_done = done.clone();
    let sampler = std::thread::spawn(move || {
        let mut samples = 0u32;
        let mut max_gap = Duration::ZERO;
        let mut last_change = Instant::now();
        let mut last_done = 0;
        while !sampler_done.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
            samples += 1;
            let now_done = sampler_progress.bytes_done.load(Ordering::Relaxed);
            if now_done != last_done {
                max_gap = max_gap.max(last_change.elapsed());
                last_change = Instant::now();
                last_done = now_done;
            }
        }
        (samples, max_gap)
    });
    let t = Instant::now();
    let corpus = ingest::load_paths_with(
        std::slice::from_ref(&dir),
        &Limits::default(),
        &progress,
        true,
    );
    let load = t.elapsed();
    done.store(true, Ordering::Relaxed);
    let (samples, max_gap) = sampler.join().unwrap_or((0, Duration::ZERO));
    let peak_kib = status_kib("VmHWM:");
    let tests: usize = corpus.releases.iter().map(|r| r.tests.len()).sum();
    println!(
        "load, all cores: {} releases, {} specs, {} errors in {:.2} s ({:.0} MB/s; {:.1}x the baseline's time)",
        corpus.releases.len(),
        tests,
        corpus.errors.len(),
        load.as_secs_f64(),
        bytes as f64 / 1e6 / load.as_secs_f64(),
        load.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "  progress sampled {samples} times; longest stretch without progress {} ms",
        max_gap.as_millis()
    );
    println!(
        "  peak memory during the load: {:.0} MB (RSS before: {:.0} MB; input {:.0} MB; peak/input {:.2})",
        peak_kib as f64 / 1024.0,
        rss_before as f64 / 1024.0,
        bytes as f64 / 1e6,
        peak_kib as f64 * 1024.0 / bytes as f64
    );
    drop(corpus);

    // Cancel: ask after 300 ms, time until the loader returns.
    let progress = Arc::new(Progress::default());
    let canceller = progress.clone();
    let t = Instant::now();
    let handle = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        canceller.cancel.store(true, Ordering::Relaxed);
        Instant::now()
    });
    let partial = ingest::load_paths_with(
        std::slice::from_ref(&dir),
        &Limits::default(),
        &progress,
        true,
    );
    let returned = Instant::now();
    if let Ok(asked) = handle.join() {
        println!(
            "cancel: asked at 300 ms, the load returned {} ms later with {} of {} releases",
            returned.saturating_duration_since(asked).as_millis(),
            partial.releases.len(),
            releases
        );
    }
    let _ = t;
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        println!("could not remove {}: {e}", dir.display());
    }
}

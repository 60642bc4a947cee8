//! Scale: a generated corpus of many releases (500 × 7,197 specs by
//! default, both Ginkgo generations, with failures), loaded in parallel with
//! progress sampling, peak memory, and a cancel test. Printed beside a
//! baseline from the same run: reading the same files into memory and
//! dropping them (the floor for any loader).
//!
//! `cargo bench --bench scale`; `CV_SCALE_RELEASES=N` changes the size.
//! The corpus is written under the system temp folder and removed after.
//!
//! Real trees instead of generated ones:
//! - `CV_CORPUS=/tmp/k8s-conformance-v1.24-v1.33 cargo bench --bench scale`
//!   (unpack `../shared/corpora/k8s-conformance-v1.24-v1.33.tar.zst` with
//!   `zstd -dc --long=30 FILE | tar x -C /tmp`, never into the repository);
//! - `CV_CORPUS=../shared/data`;
//! - `CV_LINKED_COPIES=240`: 240 releases hard-linked from the release
//!   folders of `../shared/data` into a temporary folder.
//!
//! Each prints, from one run:
//! - Python's `xml.etree` parsing the same JUnit files (a tarball's JUnit
//!   members inflated by Python's `tarfile`, as the loader inflates them;
//!   interpreter start included);
//! - `summary --json` of the tree (peak memory): with the baseline, best of
//!   seven each, taking turns, when a baseline run takes under ten seconds,
//!   else one baseline run and `summary` best of five;
//! - the window until its first frame lists every release (`CV_TIMING=1`,
//!   under `xvfb-run` when it is installed; best of five, peak memory):
//!   with a one-run baseline each right after a `summary` run, else after
//!   all of them;
//!
//! with the ratios between them.

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

/// Wall time and peak memory (KiB, from `/usr/bin/time -f %M` when it is
/// there) of a command; `None` when it cannot run or fails.
fn run_timed(
    program: &str,
    args: &[String],
    env: &[(&str, &str)],
) -> Option<(Duration, Option<u64>, String)> {
    let timer = std::path::Path::new("/usr/bin/time").exists();
    let mut cmd = if timer {
        let mut c = std::process::Command::new("/usr/bin/time");
        c.arg("-f").arg("cv-peak-kib %M").arg(program);
        c
    } else {
        std::process::Command::new(program)
    };
    cmd.args(args).stdout(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let out = cmd.output().ok()?;
    let wall = t.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        println!(
            "  {program} failed: {}",
            stderr.lines().last().unwrap_or("")
        );
        return None;
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("cv-peak-kib ")?.trim().parse().ok());
    Some((wall, peak, stderr))
}

/// The baseline: Python's `xml.etree` parsing every JUnit file listed in
/// `argv[1]` (`F<TAB>path` a file, `T<TAB>path` a tarball whose JUnit
/// members it inflates and parses).
const ETREE_SCRIPT: &str = r#"
import os, sys, tarfile, xml.etree.ElementTree as ET
def junit(name):
    n = os.path.basename(name).lower()
    return n.endswith('.xml') and (n.startswith('junit_') or n == 'junit.xml')
for line in open(sys.argv[1]).read().split('\n'):
    kind, path = line.split('\t', 1)
    if kind == 'F':
        ET.parse(path)
        continue
    with tarfile.open(path, 'r:*') as t:
        for m in t:
            if m.isfile() and junit(m.name):
                ET.parse(t.extractfile(m))
"#;

/// Measure a real tree: Python's etree on its JUnit files, `summary
/// --json`, and the window, in one run.
fn real_tree(label: &str, root: &std::path::Path) {
    let (sources, _) = ingest::discover(&[root.to_path_buf()], &Limits::default());
    // One line per input: `F<TAB>path` for a JUnit file in a folder,
    // `T<TAB>path` for a tarball, whose JUnit members Python finds itself
    // (the loader's rule: a regular file named `junit_*.xml` or
    // `junit.xml`) and parses after inflating them, as the loader does.
    let mut inputs: Vec<String> = Vec::new();
    let (mut files, mut tarballs, mut bytes) = (0usize, 0usize, 0u64);
    for s in &sources {
        match s {
            ingest::ReleaseSource::Folder { junit: j, .. } => {
                for f in j {
                    bytes += std::fs::metadata(f).map_or(0, |m| m.len());
                    inputs.push(format!("F\t{}", f.display()));
                    files += 1;
                }
            }
            ingest::ReleaseSource::Tarball { path, .. } => {
                bytes += std::fs::metadata(path).map_or(0, |m| m.len());
                inputs.push(format!("T\t{}", path.display()));
                tarballs += 1;
            }
        }
    }
    println!(
        "{label}: {} releases, {files} JUnit files in folders and {tarballs} tarballs ({:.2} GB on disk)",
        sources.len(),
        bytes as f64 / 1e9
    );
    // Python reads the list from a file: 1,000+ paths exceed no limit there.
    let list = std::env::temp_dir().join(format!("cv-junit-list-{}", std::process::id()));
    if std::fs::write(&list, inputs.join("\n")).is_err() {
        println!("  cannot write the file list");
        return;
    }
    let script_args = vec![
        "-c".to_string(),
        ETREE_SCRIPT.to_string(),
        list.display().to_string(),
    ];
    let bin = env!("CARGO_BIN_EXE_conformance-viewer");
    let root_arg = root.display().to_string();
    let best = |runs: Vec<Option<(Duration, Option<u64>, String)>>| {
        runs.into_iter().flatten().min_by_key(|r| r.0)
    };
    let run_summary = || {
        run_timed(
            bin,
            &["summary".into(), "--json".into(), root_arg.clone()],
            &[],
        )
    };
    let xvfb = std::path::Path::new("/usr/bin/xvfb-run").exists();
    let shot = std::env::temp_dir().join(format!("cv-scale-shot-{}.png", std::process::id()));
    let run_window = || -> Option<(Duration, Option<u64>, String)> {
        let args = vec![
            "-a".to_string(),
            "-s".to_string(),
            "-screen 0 1600x1000x24".to_string(),
            bin.to_string(),
            "--screenshot".to_string(),
            shot.display().to_string(),
            "--size".to_string(),
            "1400x900".to_string(),
            root_arg.clone(),
        ];
        let (_, peak, stderr) = run_timed(
            "/usr/bin/xvfb-run",
            &args,
            &[("CV_TIMING", "1"), ("XDG_RUNTIME_DIR", "/tmp")],
        )?;
        let secs: f64 = stderr.lines().find_map(|l| {
            l.strip_prefix("timing: ")?
                .split(" ended ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })?;
        Some((Duration::from_secs_f64(secs), peak, stderr))
    };
    // A short baseline (under ten seconds a run) is run as often as
    // `summary`, the two taking turns (best of seven each: at tens of
    // milliseconds one slow run says more about the machine than the
    // program, and taking turns gives both the same machine); the CNCF
    // tree's takes about a minute, so it runs once, and `summary` best of
    // five. There the window takes its turn right after each `summary` run
    // (best of five), so the two are compared on the same machine minute
    // by minute (a run here can be a third slower than the one before it).
    let first = run_timed("python3", &script_args, &[]);
    let quick = first
        .as_ref()
        .is_some_and(|r| r.0 < Duration::from_secs(10));
    let (etree_runs, summary_runs) = if quick { (7, 7) } else { (1, 5) };
    const WINDOW_RUNS: usize = 5;
    let mut etree_all = vec![first];
    let mut summary_all = Vec::new();
    let mut window_all = Vec::new();
    for round in 0..summary_runs {
        summary_all.push(run_summary());
        if xvfb && !quick && round + WINDOW_RUNS >= summary_runs {
            window_all.push(run_window());
        }
        if round + 1 < etree_runs {
            etree_all.push(run_timed("python3", &script_args, &[]));
        }
    }
    // On a small tree the window's time is mostly its fixed start-up, and a
    // window run (a renderer and an X server starting and stopping) between
    // runs of tens of milliseconds only adds noise to them: its runs follow.
    if xvfb && quick {
        window_all.extend((0..WINDOW_RUNS).map(|_| run_window()));
    }
    let _ = std::fs::remove_file(&list);
    let _ = std::fs::remove_file(&shot);
    // Every run, in the order run, so a best that one quiet moment gave can
    // be told from a steady one.
    let all = |what: &str, runs: &[Option<(Duration, Option<u64>, String)>]| {
        let text: Vec<String> = runs
            .iter()
            .map(|r| {
                r.as_ref().map_or("failed".to_string(), |r| {
                    format!("{:.3}", r.0.as_secs_f64())
                })
            })
            .collect();
        println!("  {what} runs (s): {}", text.join(" "));
    };
    all("summary", &summary_all);
    if !window_all.is_empty() {
        all("window", &window_all);
    }
    let etree = best(etree_all);
    let summary = best(summary_all);
    let window = if xvfb {
        best(window_all)
    } else {
        println!("  window: skipped (no xvfb-run)");
        None
    };
    let mib =
        |k: Option<u64>| k.map_or("?".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    if let Some((t, _, _)) = &etree {
        println!(
            "  baseline: Python xml.etree on those JUnit files (tarballs inflated by tarfile): {:.2} s ({}, interpreter start included)",
            t.as_secs_f64(),
            if etree_runs == 1 {
                "one run".to_string()
            } else {
                format!("best of {etree_runs}")
            }
        );
    }
    if let Some((t, peak, _)) = &summary {
        print!(
            "  summary --json: {:.3} s best of {summary_runs}, peak {}",
            t.as_secs_f64(),
            mib(*peak)
        );
        if let Some((e, _, _)) = &etree {
            print!(
                "; {:.1}x faster than the etree baseline",
                e.as_secs_f64() / t.as_secs_f64()
            );
        }
        println!();
    }
    if let Some((t, peak, _)) = &window {
        print!(
            "  window, process start to the first frame listing every release: {:.3} s best of {WINDOW_RUNS}, peak {} (renderer: eframe's wgpu on whatever Vulkan or GL Xvfb offers, Mesa's lavapipe or llvmpipe here)",
            t.as_secs_f64(),
            mib(*peak)
        );
        if let Some((s, _, _)) = &summary {
            print!("; {:.2}x summary's time", t.as_secs_f64() / s.as_secs_f64());
        }
        println!();
    }
}

/// `n` releases hard-linked from the release folders of `data` into a
/// temporary folder (removed by the caller).
fn linked_copies(data: &std::path::Path, n: usize) -> Option<PathBuf> {
    let (sources, _) = ingest::discover(&[data.to_path_buf()], &Limits::default());
    let folders: Vec<PathBuf> = sources
        .iter()
        .filter_map(|s| match s {
            ingest::ReleaseSource::Folder { dir, .. } => Some(dir.clone()),
            _ => None,
        })
        .collect();
    if folders.is_empty() {
        return None;
    }
    let out = std::env::temp_dir().join(format!("cv-linked-{}", std::process::id()));
    for i in 0..n {
        let from = &folders[i % folders.len()];
        let to = out.join(format!("copy-{i:03}"));
        std::fs::create_dir_all(&to).ok()?;
        for entry in std::fs::read_dir(from).ok()?.flatten() {
            let p = entry.path();
            if p.is_file() {
                std::fs::hard_link(&p, to.join(entry.file_name())).ok()?;
            }
        }
    }
    Some(out)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("scale bench: skipped (run with `cargo bench --bench scale`)");
        return;
    }
    if let Some(tree) = std::env::var_os("CV_CORPUS") {
        let tree = PathBuf::from(tree);
        real_tree(&tree.display().to_string(), &tree);
        return;
    }
    if let Some(n) = std::env::var("CV_LINKED_COPIES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        match linked_copies(&data, n) {
            Some(dir) => {
                real_tree(
                    &format!("{n} hard-linked copies of the release folders of ../shared/data"),
                    &dir,
                );
                let _ = std::fs::remove_dir_all(&dir);
            }
            None => println!("cannot make the copies (is ../shared/data there?)"),
        }
        return;
    }
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

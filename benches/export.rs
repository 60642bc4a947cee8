//! Export timing on the shared corpus (`../shared/data`, 8 releases): every
//! chart (trend, caveats, duration) as PNG and as SVG, at the default size
//! and at scale 2, beside baselines measured in the same run: loading the
//! corpus, gathering the chart data, and rendering the same charts for an
//! empty corpus (the fixed cost: font, white fill, encoding).
//!
//! Run with `cargo bench --bench export`. Prints figures, no thresholds
//! (goal from issue 5: every chart, PNG and SVG, in 200 ms or less).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use conformance_viewer::analysis::{Scope, summarize_with};
use conformance_viewer::caveats::Catalog;
use conformance_viewer::export::{
    self, ChartData, ChartKind, DEFAULT_HEIGHT, DEFAULT_WIDTH, chart_data, chart_png, chart_svg,
};
use conformance_viewer::ingest;

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Every chart as PNG (at `scale`) and SVG; returns the bytes produced.
fn all_charts(data: &ChartData, scale: f32) -> usize {
    let mut bytes = 0;
    for kind in ChartKind::all() {
        match chart_png(kind, data, DEFAULT_WIDTH, DEFAULT_HEIGHT, scale) {
            Ok(png) => bytes += png.len(),
            Err(e) => eprintln!("error: {e}"),
        }
        match chart_svg(kind, data, DEFAULT_WIDTH, DEFAULT_HEIGHT) {
            Ok(svg) => bytes += svg.len(),
            Err(e) => eprintln!("error: {e}"),
        }
    }
    std::hint::black_box(bytes)
}

fn main() {
    let data_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if !data_dir.is_dir() {
        println!("skipped: {} not found", data_dir.display());
        return;
    }
    let catalog = Catalog::builtin();
    let scope = Scope::default();

    let load = best_of(3, || {
        std::hint::black_box(ingest::load_paths(std::slice::from_ref(&data_dir)));
    });
    let corpus = ingest::load_paths(std::slice::from_ref(&data_dir));
    println!(
        "corpus: {} releases; charts {}x{}",
        corpus.releases.len(),
        DEFAULT_WIDTH,
        DEFAULT_HEIGHT
    );

    let gather = best_of(10, || {
        std::hint::black_box(chart_data(&corpus, &catalog, &scope));
    });
    let data = chart_data(&corpus, &catalog, &scope);
    let empty = ChartData::default();
    // Warm up: font registration and allocator.
    all_charts(&data, 1.0);

    let empty_all = best_of(10, || {
        all_charts(&empty, 1.0);
    });
    let all_1x = best_of(10, || {
        all_charts(&data, 1.0);
    });
    let all_2x = best_of(5, || {
        all_charts(&data, 2.0);
    });
    println!(
        "\nbaseline: load the corpus (read + parse):      {:>8.1} ms",
        ms(load)
    );
    println!(
        "baseline: gather chart data (assess):          {:>8.2} ms",
        ms(gather)
    );
    println!(
        "baseline: 3 charts PNG + SVG, empty corpus:    {:>8.1} ms",
        ms(empty_all)
    );
    println!(
        "3 charts PNG + SVG, 8 releases, scale 1:       {:>8.1} ms  (goal <= 200 ms)",
        ms(all_1x)
    );
    println!(
        "3 charts PNG + SVG, 8 releases, scale 2:       {:>8.1} ms",
        ms(all_2x)
    );
    for kind in ChartKind::all() {
        let png = best_of(10, || {
            std::hint::black_box(chart_png(kind, &data, DEFAULT_WIDTH, DEFAULT_HEIGHT, 1.0).ok());
        });
        let svg = best_of(10, || {
            std::hint::black_box(chart_svg(kind, &data, DEFAULT_WIDTH, DEFAULT_HEIGHT).ok());
        });
        println!(
            "  {:<9} PNG {:>6.1} ms   SVG {:>6.2} ms",
            kind.file_stem(),
            ms(png),
            ms(svg)
        );
    }

    // The whole headless export minus disk writes: charts, CSV, JSON, report.
    let rest = best_of(5, || {
        let doc = summarize_with(&corpus, &catalog, &scope);
        let csv = export::summary_csv(&doc, &catalog);
        let tests = export::tests_csv(&corpus, &doc);
        let json = export::summary_json(&doc).unwrap_or_default();
        let svgs: Vec<(ChartKind, String)> = ChartKind::all()
            .into_iter()
            .filter_map(|k| {
                chart_svg(k, &data, DEFAULT_WIDTH, DEFAULT_HEIGHT)
                    .ok()
                    .map(|s| (k, s))
            })
            .collect();
        let html = export::report_html(&doc, &catalog, &svgs, std::time::SystemTime::now());
        std::hint::black_box((csv, tests, json, html));
    });
    println!(
        "CSV + JSON + report (with its SVGs), no disk:  {:>8.1} ms",
        ms(rest)
    );
}

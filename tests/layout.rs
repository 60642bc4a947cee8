//! The window's layout at the sizes people use: nothing overlaps and every
//! control can be reached, with the whole shared data open and a test
//! selected.

mod common;

use common::ui::{harness_sized, wait_for};
use conformance_viewer::app::settings::Tab;
use conformance_viewer::app::{LaunchOptions, ViewerApp};
use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn app_at(size: [f32; 2], view: Tab) -> Option<Harness<'static, ViewerApp>> {
    let data = common::shared_data()?;
    let options = LaunchOptions {
        paths: vec![data],
        view: Some(view),
        select: Some("NodePort".to_string()),
        size: Some(size),
        ..LaunchOptions::default()
    };
    let app = ViewerApp::with_options(options);
    let mut harness = harness_sized(app, size, true);
    harness.step();
    wait_for(&mut harness, 60, |app| {
        !app.is_loading() && app.selected_test().is_some()
    });
    harness.run();
    Some(harness)
}

fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let n = node.accesskit_node();
    n.label().or_else(|| n.value()).unwrap_or_default()
}

/// Every text or control node: its text and rectangle.
fn nodes(harness: &Harness<'static, ViewerApp>) -> Vec<(String, Rect)> {
    harness
        .query_all_by(|n| n.raw_bounds().is_some())
        .map(|n| (text_of(&n), n.rect()))
        .filter(|(t, _)| !t.is_empty())
        .collect()
}

/// The left edge of the detail pane: its resize handle, the right-most one
/// below the tab bar (the release list has the other).
fn detail_edge(nodes: &[(String, Rect)]) -> Option<f32> {
    nodes
        .iter()
        .filter(|(t, r)| t == "Resize panel" && r.min.y > 95.0)
        .map(|(_, r)| r.center().x)
        .reduce(f32::max)
}

/// With the detail pane open, nothing left of it reaches into it, and
/// every control lies inside the window.
fn check_layout(size: [f32; 2], view: Tab, controls: &[&str]) {
    let Some(mut harness) = app_at(size, view) else {
        return;
    };
    // Notifications float; this test is about the panels.
    harness
        .state_mut()
        .request(conformance_viewer::app::Command::Note(
            conformance_viewer::app::notifications::NoteAction::DismissAll,
        ));
    harness.run();
    let nodes = nodes(&harness);
    let edge = detail_edge(&nodes)
        .unwrap_or_else(|| panic!("{size:?} {view:?}: no detail pane: {nodes:?}"));
    assert!(
        edge < size[0] - 200.0,
        "{size:?} {view:?}: the detail pane is only {} wide",
        size[0] - edge
    );
    let releases_edge = nodes
        .iter()
        .filter(|(t, r)| t == "Resize panel" && r.min.y < 95.0)
        .map(|(_, r)| r.center().x)
        .next()
        .unwrap_or(0.0);
    if std::env::var_os("CV_LAYOUT_DEBUG").is_some() {
        for (text, rect) in &nodes {
            if rect.min.x < edge && rect.max.x > edge - 40.0 {
                eprintln!("{rect:?} {text:?}");
            }
        }
    }
    for (text, rect) in &nodes {
        let beside = rect.min.x > releases_edge + 2.0 && rect.min.x < edge - 2.0;
        if beside && rect.min.y > 160.0 && text != "Resize panel" {
            assert!(
                rect.max.x <= edge + 2.0,
                "{size:?} {view:?}: {text:?} at {rect:?} runs into the detail pane at x = {edge}"
            );
        }
    }
    let window = Rect::from_min_size(egui::Pos2::ZERO, size.into());
    for wanted in controls {
        let found: Vec<&Rect> = nodes
            .iter()
            .filter(|(t, _)| t.starts_with(wanted))
            .map(|(_, r)| r)
            .collect();
        assert!(!found.is_empty(), "{size:?} {view:?}: no {wanted:?}");
        for rect in found {
            assert!(
                window.contains_rect(*rect),
                "{size:?} {view:?}: {wanted:?} at {rect:?} lies outside the {size:?} window"
            );
        }
    }
}

const SIZES: [[f32; 2]; 3] = [[900.0, 600.0], [1400.0, 900.0], [1920.0, 1080.0]];

#[test]
fn the_tests_tab_and_its_detail_pane_never_overlap() {
    for size in SIZES {
        check_layout(
            size,
            Tab::Tests,
            &[
                "passed ",
                "failed ",
                "skipped ",
                "pending ",
                "show all specs",
                "SIG",
            ],
        );
    }
}

#[test]
fn the_matrix_and_its_detail_pane_never_overlap() {
    for size in SIZES {
        check_layout(size, Tab::Matrix, &["Colour by"]);
    }
}

#[test]
fn chart_headers_keep_their_export_buttons_clear() {
    for size in SIZES {
        let Some(harness) = app_at(size, Tab::Overview) else {
            return;
        };
        let nodes = nodes(&harness);
        let window = Rect::from_min_size(egui::Pos2::ZERO, size.into());
        let buttons: Vec<&Rect> = nodes
            .iter()
            .filter(|(t, _)| t.starts_with("Export PNG") || t.starts_with("Export SVG"))
            .map(|(_, r)| r)
            .collect();
        // Two bar charts (one product line), or the product-trend chart of
        // several lines: two buttons each.
        assert!(
            buttons.len() == 4 || buttons.len() == 2,
            "{size:?}: {} export buttons",
            buttons.len()
        );
        for legend in [
            "passed",
            "failed",
            "skipped",
            "pass rate (right axis)",
            "Show all",
            "Hide all",
        ] {
            for (text, rect) in nodes.iter().filter(|(t, _)| t == legend) {
                for b in &buttons {
                    assert!(
                        !rect.intersects(**b),
                        "{size:?}: {text:?} at {rect:?} runs into an export button at {b:?}"
                    );
                }
            }
        }
        for b in buttons {
            assert!(
                window.contains_rect(*b),
                "{size:?}: {b:?} outside the window"
            );
        }
    }
}

//! Colours and small widgets shared by the views, so a status or verdict
//! looks the same everywhere and reads well in both themes.

use std::sync::atomic::{AtomicBool, Ordering};

use egui::{Color32, CornerRadius, Frame, Margin, RichText, Style, Ui};

use super::verdict::Verdict;
use crate::model::{Outcome, Status};

/// Whether the window clears each frame to the panels' colour, so that
/// panels need not paint their backgrounds (see [`clear_behind_panels`]).
static CLEAR_BEHIND_PANELS: AtomicBool = AtomicBool::new(false);

/// Tell the panels that the real window clears every frame to
/// `panel_fill` ([`clear_color`]), so their backgrounds would only paint
/// the same colour again. Under software rendering (Mesa's llvmpipe, as
/// under Xvfb) each of those full-size fills costs a pass over the
/// window's pixels: leaving them out about halved the cost of a frame at
/// 1400×900 (Overview 81–93 ms before, 43–53 ms after). Test harnesses, which clear to their own colour, leave this
/// off and draw the panels as before.
pub fn clear_behind_panels() {
    CLEAR_BEHIND_PANELS.store(true, Ordering::Relaxed);
}

/// The colour the real window clears to: the panels' background.
pub fn clear_color(visuals: &egui::Visuals) -> [f32; 4] {
    visuals.panel_fill.to_normalized_gamma_f32()
}

/// The fill a panel paints: none when the window clears to it.
fn panel_fill(style: &Style) -> Color32 {
    if CLEAR_BEHIND_PANELS.load(Ordering::Relaxed) {
        Color32::TRANSPARENT
    } else {
        style.visuals.panel_fill
    }
}

/// The frame of a side, top or bottom panel.
pub fn side_panel_frame(style: &Style) -> Frame {
    Frame::side_top_panel(style).fill(panel_fill(style))
}

/// The frame of the central panel.
pub fn central_panel_frame(style: &Style) -> Frame {
    Frame::central_panel(style).fill(panel_fill(style))
}

/// Green of passed tests.
pub fn passed(ui: &Ui) -> Color32 {
    pick(
        ui,
        Color32::from_rgb(87, 196, 120),
        Color32::from_rgb(22, 128, 58),
    )
}

/// A known defect: a failure the vendor explains (orange, between the
/// failed red and the skipped amber), as in the exported charts.
pub fn known_defect(ui: &Ui) -> Color32 {
    pick(
        ui,
        Color32::from_rgb(255, 135, 60),
        Color32::from_rgb(232, 89, 12),
    )
}

/// Red of failed tests.
pub fn failed(ui: &Ui) -> Color32 {
    pick(
        ui,
        Color32::from_rgb(240, 98, 98),
        Color32::from_rgb(196, 30, 30),
    )
}

/// Amber of skipped tests.
pub fn skipped(ui: &Ui) -> Color32 {
    pick(
        ui,
        Color32::from_rgb(236, 178, 72),
        Color32::from_rgb(170, 105, 0),
    )
}

/// Grey of pending tests and unknowns.
pub fn muted(ui: &Ui) -> Color32 {
    pick(ui, Color32::from_gray(150), Color32::from_gray(100))
}

/// Blue of the pass-rate line and highlights.
pub fn accent(ui: &Ui) -> Color32 {
    pick(
        ui,
        Color32::from_rgb(110, 170, 255),
        Color32::from_rgb(30, 90, 200),
    )
}

fn pick(ui: &Ui, dark: Color32, light: Color32) -> Color32 {
    if ui.visuals().dark_mode { dark } else { light }
}

/// The colour of a status.
pub fn status_color(ui: &Ui, status: Status) -> Color32 {
    match status {
        Status::Passed => passed(ui),
        Status::Failed => failed(ui),
        Status::Skipped => skipped(ui),
        Status::Pending => muted(ui),
    }
}

/// The colour of a verdict.
pub fn verdict_color(ui: &Ui, verdict: Verdict) -> Color32 {
    match verdict {
        Verdict::Conformant => passed(ui),
        Verdict::ConformantExceptCaveats => skipped(ui),
        Verdict::NotConformant => failed(ui),
        Verdict::NoRequiredTests => muted(ui),
    }
}

/// The status word of an outcome in its colour (`failed`, `timedout`, ...).
pub fn outcome_text(ui: &Ui, outcome: Outcome) -> RichText {
    RichText::new(outcome.detail())
        .color(status_color(ui, outcome.status()))
        .strong()
}

/// A small filled badge.
pub fn badge(ui: &mut Ui, text: &str, color: Color32) -> egui::Response {
    let fill = color.gamma_multiply(if ui.visuals().dark_mode { 0.22 } else { 0.14 });
    Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.8)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text).color(color).small().strong())
                    .selectable(false),
            );
        })
        .response
}

/// The verdict badge with its explanation on hover.
pub fn verdict_badge(ui: &mut Ui, verdict: Verdict) -> egui::Response {
    let color = verdict_color(ui, verdict);
    badge(ui, verdict.badge(), color).on_hover_text(verdict.explanation())
}

/// A run time, written as the exports write it ([`crate::export::duration_text`]).
pub fn duration(secs: f64) -> String {
    crate::export::duration_text(secs)
}

/// The widths a side pane (test details) may take beside a view that is
/// `available` wide: never more than half, so the view keeps room.
pub fn side_pane_range(available: f32) -> std::ops::RangeInclusive<f32> {
    let min = 240.0;
    min..=(available * 0.5).max(min)
}

/// The room left on the current row of a wrapping layout (its available
/// width is the whole row's): a group of widgets that must stay together
/// starts a new row (`ui.end_row()`) when it needs more.
pub fn row_room(ui: &Ui) -> f32 {
    ui.max_rect().right() - ui.cursor().left()
}

/// A release label cut in the middle to the width left in `ui`
/// ([`crate::labels`]), the whole label on hover when it was cut.
pub fn middle_label(ui: &mut Ui, label: &str, text: impl Fn(String) -> RichText) -> egui::Response {
    middle_label_titled(ui, label, label, text)
}

/// [`middle_label`] whose hover shows `title` (the whole label, when the
/// one shown leaves a part out), when cut or when it says more.
pub fn middle_label_titled(
    ui: &mut Ui,
    label: &str,
    title: &str,
    text: impl Fn(String) -> RichText,
) -> egui::Response {
    let width = ui.available_width().max(0.0);
    let shown = middle_cut_to(ui, label, width, &text);
    let hover = shown != label || title != label;
    let response = ui.add(egui::Label::new(text(shown)).wrap_mode(egui::TextWrapMode::Extend));
    if hover {
        response.on_hover_text(title)
    } else {
        response
    }
}

/// `label` cut in the middle until it is at most `width` wide as `text`
/// draws it.
pub fn middle_cut_to(
    ui: &Ui,
    label: &str,
    width: f32,
    text: &impl Fn(String) -> RichText,
) -> String {
    let font = egui::TextStyle::Body.resolve(ui.style());
    crate::labels::fit_middle(label, |s| {
        let galley = egui::WidgetText::from(text(s.to_string())).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            font.clone(),
        );
        galley.size().x <= width
    })
}

/// `1.2 MB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(18238.2), crate::export::duration_text(18238.2));
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(2_573_955), "2.6 MB");
    }
}

/// Small icons drawn with lines, so they look the same whatever fonts the
/// machine has (egui's built-in fonts have no check marks or warning signs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A check mark.
    Check,
    /// A cross.
    Cross,
    /// A warning triangle with an exclamation mark.
    Warning,
    /// An "i" in a circle.
    Info,
    /// A triangle pointing right: folded.
    Folded,
    /// A triangle pointing down: unfolded.
    Unfolded,
}

/// A short stroke of a chart line's colour for legends, dashed or solid
/// (drawn: the fonts lack the box-drawing dashes).
pub fn line_swatch(ui: &mut Ui, color: Color32, dashed: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
    let y = rect.center().y;
    let stroke = egui::Stroke::new(2.5, color);
    if dashed {
        for k in 0..3 {
            let x = rect.left() + k as f32 * 6.5;
            ui.painter()
                .line_segment([egui::pos2(x, y), egui::pos2(x + 4.0, y)], stroke);
        }
    } else {
        ui.painter().line_segment(
            [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
            stroke,
        );
    }
    response
}

/// Draw an icon the size of `size` points, in `color`.
pub fn icon(ui: &mut Ui, icon: Icon, size: f32, color: Color32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let painter = ui.painter();
    let r = rect.shrink(size * 0.1);
    let stroke = egui::Stroke::new((size * 0.14).max(1.5), color);
    let at = |x: f32, y: f32| egui::pos2(r.left() + x * r.width(), r.top() + y * r.height());
    match icon {
        Icon::Check => {
            painter.line_segment([at(0.08, 0.55), at(0.38, 0.85)], stroke);
            painter.line_segment([at(0.38, 0.85), at(0.95, 0.15)], stroke);
        }
        Icon::Cross => {
            painter.line_segment([at(0.15, 0.15), at(0.85, 0.85)], stroke);
            painter.line_segment([at(0.85, 0.15), at(0.15, 0.85)], stroke);
        }
        Icon::Warning => {
            painter.add(egui::Shape::convex_polygon(
                vec![at(0.5, 0.02), at(1.0, 0.95), at(0.0, 0.95)],
                color,
                egui::Stroke::NONE,
            ));
            let ink = if ui.visuals().dark_mode {
                Color32::from_gray(20)
            } else {
                Color32::WHITE
            };
            let thin = egui::Stroke::new((size * 0.11).max(1.2), ink);
            painter.line_segment([at(0.5, 0.32), at(0.5, 0.64)], thin);
            painter.circle_filled(at(0.5, 0.8), (size * 0.065).max(0.8), ink);
        }
        Icon::Folded => {
            painter.add(egui::Shape::convex_polygon(
                vec![at(0.25, 0.1), at(0.85, 0.5), at(0.25, 0.9)],
                color,
                egui::Stroke::NONE,
            ));
        }
        Icon::Unfolded => {
            painter.add(egui::Shape::convex_polygon(
                vec![at(0.1, 0.25), at(0.9, 0.25), at(0.5, 0.85)],
                color,
                egui::Stroke::NONE,
            ));
        }
        Icon::Info => {
            painter.circle_stroke(
                r.center(),
                r.width() * 0.48,
                egui::Stroke::new((size * 0.09).max(1.2), color),
            );
            let thin = egui::Stroke::new((size * 0.11).max(1.2), color);
            painter.line_segment([at(0.5, 0.42), at(0.5, 0.78)], thin);
            painter.circle_filled(at(0.5, 0.26), (size * 0.07).max(0.8), color);
        }
    }
    response
}

/// One paragraph of Markdown as labels: `[text](url)` links become
/// hyperlinks, bare `https://` addresses too; the rest is plain text.
pub fn markdown_line(ui: &mut Ui, text: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        let mut rest = text;
        while !rest.is_empty() {
            let link = rest.find('[').and_then(|open| {
                let close = open + rest[open..].find("](")?;
                let end = close + 2 + rest[close + 2..].find(')')?;
                Some((open, close, end))
            });
            match link {
                Some((open, close, end)) => {
                    if open > 0 {
                        ui.label(&rest[..open]);
                    }
                    let label = &rest[open + 1..close];
                    let url = &rest[close + 2..end];
                    if url.starts_with("https://") || url.starts_with("http://") {
                        ui.hyperlink_to(label, url).on_hover_text(url);
                    } else {
                        ui.label(label);
                    }
                    rest = &rest[end + 1..];
                }
                None => {
                    ui.label(rest);
                    rest = "";
                }
            }
        }
    });
}

//! `report.html`: one self-contained page (no script, no external file, a
//! content security policy that forbids both) with the verdict table, the
//! charts inline as SVG, a section per product line (its releases oldest
//! first and a small trend of their pass rate), the non-passing tests of each release with the
//! unexplained ones first, and every caveat category with its explanation
//! and links. Light colours throughout and print rules that start each
//! section on a new page, so "Print to PDF" from a browser gives a clean
//! document.
//!
//! Every string that comes from an input file (labels, test names,
//! messages, catalog text) goes through [`esc`]; links are kept only when
//! they are plain `http://` or `https://` URLs.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use super::ChartKind;
use super::charts::percent;
use crate::analysis::{NonPassing, ReleaseSummary, SummaryDoc, Verdict};
use crate::caveats::Catalog;
use crate::lines::{Line, LineFrom};
use crate::model::Status;

/// Longest failure message shown under a test, in characters.
const MESSAGE_CHARS: usize = 600;

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #212529; background: #fff; margin: 0 auto; max-width: 1200px; padding: 24px 32px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; border-bottom: 2px solid #dee2e6; padding-bottom: 4px; margin: 36px 0 10px; }
h3 { font-size: 16px; margin: 26px 0 6px; }
p { margin: 6px 0; }
.meta { color: #5c636a; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border-bottom: 1px solid #dee2e6; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
.nowrap { white-space: nowrap; }
td.release { min-width: 12em; }
#verdict-table { font-size: 12.5px; }
#verdict-table th, #verdict-table td { padding: 5px 6px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  white-space: nowrap; border: 1px solid; }
.v-conformant { color: #2b8a3e; border-color: #2b8a3e; background: #ebfbee; }
.v-caveats { color: #1864ab; border-color: #1864ab; background: #e7f5ff; }
.v-not { color: #c92a2a; border-color: #c92a2a; background: #fff5f5; }
.v-none { color: #495057; border-color: #868e96; background: #f1f3f5; }
tr.unexplained td { background: #fff5f5; }
tr.unexplained td:first-child { box-shadow: inset 4px 0 0 #e03131; }
.warn { color: #c92a2a; font-weight: 600; }
.muted { color: #6c757d; }
.ok { color: #2b8a3e; }
figure { margin: 16px 0 28px; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #e9ecef; }
figcaption { color: #5c636a; font-size: 13px; margin-top: 4px; }
.line { margin: 18px 0 26px; break-inside: avoid; }
.line h3 { margin-bottom: 2px; }
table.line-releases { width: auto; min-width: 60%; }
figure.line-trend svg { width: 100%; max-width: 640px; height: auto; border: none; }
.category { border: 1px solid #dee2e6; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
.category h3 { margin-top: 0; }
.id { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; color: #5c636a; font-weight: normal; }
dl { margin: 0; }
dt { font-weight: 600; margin-top: 8px; }
dd { margin: 2px 0 0 0; }
ul { margin: 4px 0; padding-left: 22px; }
.msg { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 11.5px; color: #495057;
  white-space: pre-wrap; word-break: break-word; margin-top: 3px; }
.note { color: #5c636a; font-size: 12.5px; }
a { color: #1c63b7; }
footer { margin-top: 40px; color: #868e96; font-size: 12px; border-top: 1px solid #dee2e6; padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  table { font-size: 10.5px; }
  section { break-before: page; }
  section.first { break-before: auto; }
  h2, h3 { break-after: avoid; }
  .category { break-inside: avoid; }
  figure svg { border: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
  .links a[href]::after { content: " <" attr(href) ">"; font-size: 9.5px; color: #5c636a; word-break: break-all; }
}
"#;

/// Escape text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A path-like label, escaped, with break opportunities after each `/`.
fn esc_label(label: &str) -> String {
    esc(label).replace('/', "/<wbr>")
}

/// The URL when it is a plain http(s) link, else `None`.
fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(url)
}

/// An `<a>` when the URL is safe, else the title and the URL as text.
fn link(title: &str, url: &str) -> String {
    match safe_url(url) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            esc(u),
            esc(title)
        ),
        None => format!("{} <span class=\"muted\">({})</span>", esc(title), esc(url)),
    }
}

/// A fragment id made of `[a-z0-9-]` only.
fn slug(prefix: &str, id: &str) -> String {
    let mut out = String::from(prefix);
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push('-');
        }
    }
    out
}

fn verdict_badge(v: Verdict) -> String {
    let class = match v {
        Verdict::Conformant => "v-conformant",
        Verdict::ConformantExceptCaveats => "v-caveats",
        Verdict::NotConformant => "v-not",
        Verdict::NoRequiredTests => "v-none",
    };
    format!("<span class=\"badge {class}\">{}</span>", v.label())
}

fn duration_text(secs: Option<f64>) -> String {
    match secs {
        Some(s) if s.is_finite() && s >= 0.0 => super::duration_text(s),
        _ => "–".to_string(),
    }
}

/// The date and time as `YYYY-MM-DD HH:MM UTC`.
pub fn format_utc(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Build the report. `charts` holds the SVG of each chart, as made by
/// [`super::chart_svg`] (trusted: plotters escapes its text); the rest comes
/// from the summary and the catalog and is escaped here. Pure.
pub fn report_html(
    doc: &SummaryDoc,
    catalog: &Catalog,
    charts: &[(ChartKind, String)],
    generated: SystemTime,
) -> String {
    let mut h = String::with_capacity(256 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Conformance Viewer {}\">\n\
         <title>Kubernetes conformance report</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    );
    header(&mut h, doc, catalog, generated);
    verdicts(&mut h, doc);
    charts_section(&mut h, charts);
    product_lines(&mut h, doc);
    known_defects(&mut h, doc);
    non_passing(&mut h, doc, catalog);
    categories(&mut h, doc, catalog);
    problems(&mut h, doc);
    let _ = write!(
        h,
        "<footer>Made by Conformance Viewer {} on {}. The same figures are in summary.json and summary.csv.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&format_utc(generated))
    );
    h
}

fn header(h: &mut String, doc: &SummaryDoc, catalog: &Catalog, generated: SystemTime) {
    let _ = write!(
        h,
        "<header>\n<h1>Kubernetes conformance report</h1>\n<p class=\"meta\">Generated {} &middot; {} release{}</p>\n",
        esc(&format_utc(generated)),
        doc.releases.len(),
        if doc.releases.len() == 1 { "" } else { "s" }
    );
    let p = &catalog.profile;
    if !p.name.is_empty() || !p.id.is_empty() {
        let name = if p.name.is_empty() { &p.id } else { &p.name };
        let mut when: Vec<String> = Vec::new();
        if !p.kube_version_contains.is_empty() {
            when.push(format!(
                "its kube-apiserver version contains {}",
                quoted_list(&p.kube_version_contains)
            ));
        }
        if !p.product_name_contains.is_empty() {
            when.push(format!(
                "its PRODUCT.yaml names {}",
                quoted_list(&p.product_name_contains)
            ));
        }
        when.push("the user turned the profile on for it".to_string());
        let _ = writeln!(
            h,
            "<p class=\"meta\">Caveat profile: <strong>{}</strong>. Its caveats can excuse a release's non-passing tests only when {}; they never excuse another product's failures.</p>",
            esc(name),
            when.join(", or ")
        );
    }
    h.push_str("</header>\n");
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("&ldquo;{}&rdquo;", esc(s)))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A known defect's fix as the data checks it, for people.
fn fix_text(k: &crate::analysis::KnownIssue) -> String {
    let fixed = k.fixed_in.as_deref().unwrap_or("?");
    match (k.fix_check, &k.fix_check_release) {
        ("confirmed", Some(at)) => format!("fixed in {fixed}: confirmed by {at} (passed there)"),
        ("contradicted", Some(at)) => {
            format!("fixed in {fixed}: contradicted by {at} (did not pass there)")
        }
        _ => format!(
            "fixed in {fixed}: unchecked (no later release of the line loaded, or no version)"
        ),
    }
}

/// The known defects of every release: the vendors' per-release documents,
/// with each documented fix checked against the data.
fn known_defects(h: &mut String, doc: &SummaryDoc) {
    let total: u64 = doc.releases.iter().map(|r| r.known_defects).sum();
    if total == 0 {
        return;
    }
    h.push_str("<section id=\"known-defects\">\n<h2>Known defects</h2>\n");
    h.push_str(
        "<p class=\"note\">Tests the vendor's own document for a release explains as product defects. \
         They still count as failures. Each documented fix is checked against the first loaded release \
         of the same product line at or after it, following renames through Kubernetes' conformance lists.</p>\n",
    );
    h.push_str(
        "<table>\n<thead><tr><th>Release</th><th>Test</th><th>Reason</th><th>Impact</th><th>Fix</th></tr></thead>\n<tbody>\n",
    );
    for r in &doc.releases {
        for t in &r.non_passing {
            let Some(k) = &t.known_issue else {
                continue;
            };
            let class = match k.fix_check {
                "confirmed" => "ok",
                "contradicted" => "warn",
                _ => "note",
            };
            let _ = writeln!(
                h,
                "<tr><td>{}<br><span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
                esc_label(&r.label),
                esc(&k.document),
                esc(&t.name),
                esc(k.reason.as_deref().unwrap_or("")),
                esc(k.impact.as_deref().unwrap_or("")),
                esc(&fix_text(k))
            );
        }
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn verdicts(h: &mut String, doc: &SummaryDoc) {
    h.push_str("<section class=\"first\" id=\"verdicts\">\n<h2>Verdicts</h2>\n");
    let count = |v: Verdict| doc.releases.iter().filter(|r| r.verdict == v).count();
    let _ = write!(
        h,
        "<p>{} {} &middot; {} {} &middot; {} {}",
        count(Verdict::Conformant),
        verdict_badge(Verdict::Conformant),
        count(Verdict::ConformantExceptCaveats),
        verdict_badge(Verdict::ConformantExceptCaveats),
        count(Verdict::NotConformant),
        verdict_badge(Verdict::NotConformant),
    );
    let empty = count(Verdict::NoRequiredTests);
    if empty > 0 {
        let _ = write!(
            h,
            " &middot; {empty} {}",
            verdict_badge(Verdict::NoRequiredTests)
        );
    }
    h.push_str("</p>\n");
    h.push_str(
        "<p class=\"note\">A release is <em>conformant</em> when every required ([Conformance]) test passed, \
         <em>conformant except caveats</em> when each required test that did not pass is covered by a documented caveat of a profile that applies to it, \
         and <em>not conformant</em> when at least one is not: those tests are listed first below. \
         The e2e.log column compares the JUnit figures with the suite's own verdict line.</p>\n",
    );
    if empty > 0 {
        h.push_str(
            "<p class=\"note\">A release marked <em>no required tests</em> holds no required ([Conformance]) test at all, \
             so nothing in it shows conformance: it is not conformant either.</p>\n",
        );
    }
    if doc.releases.is_empty() {
        h.push_str("<p class=\"muted\">No release was loaded.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<table id=\"verdict-table\">\n<thead><tr><th>Release</th><th>Kubernetes</th><th>Verdict</th>\
         <th class=\"num\">Required</th><th class=\"num\">Passed</th><th class=\"num\">Failed</th><th class=\"num\">Skipped</th>\
         <th class=\"num\">Caveats</th><th class=\"num\">Known defects</th><th class=\"num\">Unexplained</th><th>e2e.log</th><th class=\"num\">Duration</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in doc.releases.iter().enumerate() {
        let c = &r.conformance;
        let explained: u64 = r.caveats.values().sum();
        let unexp = r.unexplained;
        let log = match (r.agrees_with_log, &r.log) {
            (Some(true), Some(l)) => format!(
                "<span class=\"ok\">agrees</span><br><span class=\"note\">ran {}&nbsp;of&nbsp;{}</span>",
                l.ran, l.of
            ),
            (Some(false), _) => {
                let mut s = String::from("<span class=\"warn\">disagrees</span>");
                for d in &r.disagreements {
                    let _ = write!(s, "<br><span class=\"note\">{}</span>", esc(d));
                }
                s
            }
            _ => "<span class=\"muted\">no verdict line</span>".to_string(),
        };
        let unexp_cell = if unexp > 0 {
            format!("<span class=\"warn\">{unexp}</span>")
        } else {
            "0".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"release\"><a href=\"#rel-{i}\">{}</a></td><td>{}</td><td>{}<br><span class=\"note reason\">{}</span></td>\
             <td class=\"num\">{}<br><span class=\"note\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{explained}</td><td class=\"num\">{}</td><td class=\"num\">{unexp_cell}</td><td>{log}</td><td class=\"num\">{}</td></tr>",
            esc_label(&r.label),
            match &r.kube_version {
                Some(v) => esc(v),
                None => format!("<span class=\"muted\">{}</span>", esc(&r.version_text())),
            },
            verdict_badge(r.verdict),
            esc(&r.verdict_reason),
            c.total,
            esc(&r.required_from.label()),
            c.passed,
            c.failed,
            if c.pending > 0 {
                format!("{} (+{} pending)", c.skipped, c.pending)
            } else {
                c.skipped.to_string()
            },
            r.known_defects,
            duration_text(r.duration_secs),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Product lines detailed one by one at most; past this, the lines with
/// the most releases are, and the table of lines names every one.
const MAX_LINE_SECTIONS: usize = 30;

/// Colour of a line's trend in the report (the first of the charts'
/// palette).
const TREND_COLOUR: &str = "#1f77b4";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn line_from_text(from: LineFrom) -> &'static str {
    match from {
        LineFrom::ProductYaml => "named by PRODUCT.yaml",
        LineFrom::Path => "named by its folder (no PRODUCT.yaml)",
        LineFrom::Profile => "joined by the caveat profile (its server version)",
    }
}

/// The pass rate of the required tests, or a dash when there are none.
fn pass_rate_text(r: &ReleaseSummary) -> String {
    if r.conformance.total == 0 {
        "–".to_string()
    } else {
        percent(r.conformance.passed, r.conformance.total)
    }
}

fn product_lines(h: &mut String, doc: &SummaryDoc) {
    if !doc.has_lines() {
        return;
    }
    let lines = &doc.lines.lines;
    h.push_str("<section id=\"lines\">\n<h2>Product lines</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">{} in these results. A product line is one product across Kubernetes versions: \
         the name in its PRODUCT.yaml (case and spacing aside), else its folder; a vSphere Supervisor release without PRODUCT.yaml \
         joins the caveat profile's line. Releases run oldest first; two runs of one version are told apart by the start of their log.</p>",
        plural(lines.len(), "product line", "product lines")
    );
    if lines.len() > 1 {
        h.push_str(
            "<table id=\"lines-table\">\n<thead><tr><th>Product line</th><th>Vendor</th><th class=\"num\">Releases</th>\
             <th>Versions</th><th>Latest</th><th>Latest verdict</th></tr></thead>\n<tbody>\n",
        );
        for (k, line) in lines.iter().enumerate() {
            let first = line.releases.first().map(|&i| doc.short_label(i));
            let latest = doc.latest_of(line);
            let span = match (first, latest.map(|i| doc.short_label(i))) {
                (Some(a), Some(b)) if a != b => format!("{} – {}", esc(&a), esc(&b)),
                (Some(a), _) => esc(&a),
                _ => String::new(),
            };
            let (latest_label, verdict) =
                match latest.and_then(|i| doc.releases.get(i).map(|r| (i, r))) {
                    Some((i, r)) => (
                        format!("<a href=\"#rel-{i}\">{}</a>", esc(&doc.short_label(i))),
                        verdict_badge(r.verdict),
                    ),
                    None => (String::new(), String::new()),
                };
            let _ = writeln!(
                h,
                "<tr><td><a href=\"#line-{k}\">{}</a></td><td>{}</td><td class=\"num\">{}</td><td class=\"nowrap\">{span}</td><td>{latest_label}</td><td>{verdict}</td></tr>",
                esc(&line.name),
                line.vendor.as_deref().map(esc).unwrap_or_default(),
                line.releases.len(),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    // The lines detailed: all of them, or those with the most releases.
    let mut detailed: Vec<usize> = (0..lines.len()).collect();
    if lines.len() > MAX_LINE_SECTIONS {
        detailed.sort_by(|&a, &b| {
            lines[b]
                .releases
                .len()
                .cmp(&lines[a].releases.len())
                .then(a.cmp(&b))
        });
        detailed.truncate(MAX_LINE_SECTIONS);
        detailed.sort_unstable();
        let _ = writeln!(
            h,
            "<p class=\"note\">Below, the {MAX_LINE_SECTIONS} lines with the most releases in detail; \
             {} left out (each is in the table above).</p>",
            plural(lines.len() - MAX_LINE_SECTIONS, "line is", "lines are")
        );
    }
    for k in detailed {
        line_section(h, doc, k, &lines[k]);
    }
    h.push_str("</section>\n");
}

fn line_section(h: &mut String, doc: &SummaryDoc, k: usize, line: &Line) {
    let _ = writeln!(
        h,
        "<article class=\"line\" id=\"line-{k}\">\n<h3>{}</h3>",
        esc(&line.name)
    );
    let n = line.releases.len();
    let _ = writeln!(
        h,
        "<p class=\"note\">Vendor: {} &middot; {} &middot; {}.</p>",
        match &line.vendor {
            Some(v) => format!("<strong>{}</strong>", esc(v)),
            None => "<span class=\"muted\">not named</span>".to_string(),
        },
        line_from_text(line.from),
        plural(n, "release", "releases")
    );
    h.push_str(
        "<table class=\"line-releases\">\n<thead><tr><th>Release</th><th>Kubernetes</th><th>Verdict</th>\
         <th class=\"num\">Passed</th><th class=\"num\">Failed</th><th class=\"num\">Skipped</th><th class=\"num\">Pass rate</th></tr></thead>\n<tbody>\n",
    );
    for &i in &line.releases {
        let Some(r) = doc.releases.get(i) else {
            continue;
        };
        let c = &r.conformance;
        let _ = writeln!(
            h,
            "<tr><td class=\"nowrap\"><a href=\"#rel-{i}\" title=\"{}\">{}</a><br><span class=\"note\">{}</span></td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.label),
            esc(&doc.short_label(i)),
            esc_label(&r.label),
            esc(&r.version_text()),
            verdict_badge(r.verdict),
            c.passed,
            c.failed,
            c.skipped,
            pass_rate_text(r),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    match line_trend_svg(doc, line) {
        Some(svg) => {
            let _ = writeln!(
                h,
                "<figure class=\"line-trend\">\n{svg}\n<figcaption>Pass rate of the required tests of {} by Kubernetes minor.</figcaption>\n</figure>",
                esc(&line.name)
            );
        }
        None => h.push_str(
            "<p class=\"note\">No trend to draw: fewer than two releases of this line have both a known Kubernetes version and required tests.</p>\n",
        ),
    }
    h.push_str("</article>\n");
}

/// A small inline SVG of one line's trend: the pass rate (0–100 %) of
/// each release over the span of minors it covers, runs of one minor side
/// by side. `None` when fewer than two releases have a version and
/// required tests: one point is no trend.
fn line_trend_svg(doc: &SummaryDoc, line: &Line) -> Option<String> {
    let minor_of = |r: &ReleaseSummary| -> Option<(u32, u32)> {
        let m = r.kubernetes_minor.as_deref()?;
        let (a, b) = m.split_once('.')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    let points: Vec<(usize, (u32, u32))> = line
        .releases
        .iter()
        .filter_map(|&i| {
            let r = doc.releases.get(i)?;
            (r.conformance.total > 0).then_some(())?;
            Some((i, minor_of(r)?))
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    let lo = points.iter().map(|p| p.1).min()?;
    let hi = points.iter().map(|p| p.1).max()?;
    // Every minor from the oldest to the newest (within one major; across
    // majors, only those seen).
    let minors: Vec<(u32, u32)> = if lo.0 == hi.0 {
        (lo.1..=hi.1).map(|m| (lo.0, m)).collect()
    } else {
        let mut seen: Vec<(u32, u32)> = points.iter().map(|p| p.1).collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    };
    const W: f64 = 640.0;
    const H: f64 = 190.0;
    const L: f64 = 46.0;
    const R: f64 = 18.0;
    const T: f64 = 22.0;
    const B: f64 = 28.0;
    let slot = (W - L - R) / minors.len() as f64;
    let x_of = |minor: (u32, u32), (run, runs): (usize, usize)| -> f64 {
        let at = minors.iter().position(|&m| m == minor).unwrap_or(0) as f64;
        let shift = if runs > 1 {
            let step = (0.6 / runs as f64).min(0.16);
            (run.clamp(1, runs) as f64 - 1.0) * step - (runs as f64 - 1.0) * step / 2.0
        } else {
            0.0
        };
        L + (at + 0.5 + shift) * slot
    };
    let y_of = |rate: f64| T + (100.0 - rate) / 100.0 * (H - T - B);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" \
         font-family=\"system-ui, sans-serif\" font-size=\"11\">\n<title>{}: pass rate of required tests by Kubernetes minor</title>\n",
        esc(&line.name)
    );
    for rate in [0.0, 50.0, 100.0] {
        let y = y_of(rate);
        let _ = writeln!(
            s,
            "<line x1=\"{L}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e4e7eb\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#606870\">{rate:.0}%</text>",
            W - R,
            L - 6.0,
            y + 4.0
        );
    }
    let every = ((40.0 / slot).ceil() as usize).max(1);
    for (k, (major, minor)) in minors.iter().enumerate() {
        if k % every != 0 {
            continue;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#212529\">v{major}.{minor}</text>",
            L + (k as f64 + 0.5) * slot,
            H - B + 16.0
        );
    }
    let placed: Vec<(f64, f64, usize)> = points
        .iter()
        .filter_map(|&(i, minor)| {
            let r = doc.releases.get(i)?;
            let run = doc.lines.runs.get(i).copied().unwrap_or((1, 1));
            let rate = r.conformance.passed as f64 * 100.0 / r.conformance.total as f64;
            Some((x_of(minor, run), y_of(rate), i))
        })
        .collect();
    if placed.len() > 1 {
        let path: Vec<String> = placed
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{TREND_COLOUR}\" stroke-width=\"2\"/>",
            path.join(" ")
        );
    }
    let labelled = placed.len() <= 16;
    for &(x, y, i) in &placed {
        let Some(r) = doc.releases.get(i) else {
            continue;
        };
        let rate = pass_rate_text(r);
        let _ = writeln!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{TREND_COLOUR}\" stroke=\"#fff\" stroke-width=\"1.5\"><title>{}: {} ({} of {} passed)</title></circle>",
            esc(&doc.short_label(i)),
            esc(&rate),
            r.conformance.passed,
            r.conformance.total
        );
        if labelled {
            let run = doc.lines.runs.get(i).map_or(1, |r| r.0);
            let dy = if run % 2 == 0 { 16.0 } else { -8.0 };
            let _ = writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1a5a8a\" font-size=\"10\">{}</text>",
                y + dy,
                esc(&rate)
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
}

fn charts_section(h: &mut String, charts: &[(ChartKind, String)]) {
    if charts.is_empty() {
        return;
    }
    h.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (kind, svg) in charts {
        let _ = write!(
            h,
            "<figure id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            kind.file_stem(),
            svg.trim(),
            esc(kind.description())
        );
    }
    h.push_str("</section>\n");
}

/// The rule's reason from the catalog, when the category and rule exist.
fn rule_reason<'a>(catalog: &'a Catalog, category: &str, rule: &str) -> Option<&'a str> {
    catalog
        .category(category)?
        .rules
        .iter()
        .find(|r| r.id == rule)
        .map(|r| r.reason.as_str())
}

fn category_title<'a>(catalog: &'a Catalog, id: &'a str) -> &'a str {
    catalog.category(id).map(|c| c.title.as_str()).unwrap_or(id)
}

/// Unexplained first, then failures before skips; file order otherwise.
fn ordered(r: &ReleaseSummary) -> Vec<&NonPassing> {
    let mut tests: Vec<&NonPassing> = r.non_passing.iter().collect();
    tests.sort_by_key(|t| (t.category.is_some(), t.status != Status::Failed));
    tests
}

fn non_passing(h: &mut String, doc: &SummaryDoc, catalog: &Catalog) {
    h.push_str("<section id=\"non-passing\">\n<h2>Non-passing required tests</h2>\n");
    h.push_str(
        "<p class=\"note\">For each release, the required tests that did not pass. \
         Those no caveat explains come first, on a red background: they decide a <em>not conformant</em> verdict and need a look. \
         The rest name the caveat category and the rule that matched, so the match can be checked.</p>\n",
    );
    let all_passed: Vec<(usize, &ReleaseSummary)> = doc
        .releases
        .iter()
        .enumerate()
        .filter(|(_, r)| r.non_passing.is_empty() && r.verdict != Verdict::NoRequiredTests)
        .collect();
    let without_required: Vec<(usize, &ReleaseSummary)> = doc
        .releases
        .iter()
        .enumerate()
        .filter(|(_, r)| r.verdict == Verdict::NoRequiredTests)
        .collect();
    for (i, r) in doc.releases.iter().enumerate() {
        if r.non_passing.is_empty() {
            continue;
        }
        let unexp = r.unexplained;
        let _ = writeln!(
            h,
            "<h3 id=\"rel-{i}\">{} {}</h3>",
            esc_label(&r.label),
            verdict_badge(r.verdict)
        );
        let _ = write!(
            h,
            "<p>{} non-passing: {}{}{} explained by caveats.",
            r.non_passing.len(),
            if unexp > 0 {
                format!("<span class=\"warn\">{unexp} unexplained</span>, ")
            } else {
                "none unexplained, ".to_string()
            },
            if r.known_defects > 0 {
                format!(
                    "<a href=\"#known-defects\">{}</a>, ",
                    plural(r.known_defects as usize, "known defect", "known defects")
                )
            } else {
                String::new()
            },
            r.caveats.values().sum::<u64>()
        );
        if r.profile.is_none() {
            h.push_str(
                " <span class=\"note\">No caveat profile applies to this release, so no caveat can excuse its tests.</span>",
            );
        }
        h.push_str("</p>\n");
        if r.agrees_with_log == Some(false) {
            for d in &r.disagreements {
                let _ = writeln!(
                    h,
                    "<p class=\"warn\">The JUnit disagrees with e2e.log: {}</p>",
                    esc(d)
                );
            }
        }
        h.push_str(
            "<table>\n<thead><tr><th>Test</th><th>Status</th><th>Explanation</th></tr></thead>\n<tbody>\n",
        );
        for t in ordered(r) {
            let explanation = match (&t.category, &t.rule) {
                _ if t.known_issue.is_some() => {
                    let k = t.known_issue.as_ref().map(|k| {
                        format!(
                            "<span class=\"warn\">Known defect</span> ({})<br><span class=\"note\">{}</span>",
                            esc(&k.document),
                            esc(&fix_text(k))
                        )
                    });
                    k.unwrap_or_default()
                }
                (Some(cat), rule) => {
                    let mut s = format!(
                        "<a href=\"#{}\">{}</a>",
                        slug("cat-", cat),
                        esc(category_title(catalog, cat))
                    );
                    if let Some(rule) = rule {
                        let _ = write!(
                            s,
                            "<br><span class=\"note\"><span class=\"id\">{}</span>",
                            esc(rule)
                        );
                        if let Some(reason) = rule_reason(catalog, cat, rule) {
                            let _ = write!(s, ": {}", esc(reason));
                        }
                        s.push_str("</span>");
                    }
                    s
                }
                (None, _) => {
                    let mut s = String::from("<span class=\"warn\">Not explained</span>");
                    if let Some(note) = &t.note {
                        let _ = write!(s, "<br><span class=\"note\">{}</span>", esc(note));
                    }
                    s
                }
            };
            let message = match (&t.message, t.status) {
                (Some(m), Status::Failed) if !m.trim().is_empty() => format!(
                    "<div class=\"msg\">{}</div>",
                    esc(&truncate_chars(m.trim(), MESSAGE_CHARS))
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                h,
                "<tr{}><td>{}{message}</td><td>{}</td><td>{explanation}</td></tr>",
                if t.category.is_none() {
                    " class=\"unexplained\""
                } else {
                    ""
                },
                esc(&t.name),
                esc(t.kind),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    if !all_passed.is_empty() {
        h.push_str("<h3>Every required test passed</h3>\n<ul>\n");
        for (i, r) in all_passed {
            let _ = writeln!(
                h,
                "<li id=\"rel-{i}\">{} <span class=\"note\">({} of {})</span></li>",
                esc_label(&r.label),
                r.conformance.passed,
                r.conformance.total
            );
        }
        h.push_str("</ul>\n");
    }
    if !without_required.is_empty() {
        h.push_str("<h3>No required test in the results (not conformant)</h3>\n<ul>\n");
        for (i, r) in without_required {
            let _ = writeln!(
                h,
                "<li id=\"rel-{i}\">{} <span class=\"note\">({} specs, none of them [Conformance])</span></li>",
                esc_label(&r.label),
                r.specs
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn categories(h: &mut String, doc: &SummaryDoc, catalog: &Catalog) {
    h.push_str("<section id=\"caveats\">\n<h2>Caveat categories</h2>\n");
    let p = &catalog.profile;
    let mut sources = Vec::new();
    if !p.doc_url.is_empty() {
        sources.push(link(
            "the vendor's summary of known test failures",
            &p.doc_url,
        ));
    }
    if !p.blog_url.is_empty() {
        sources.push(link("the vendor's blog post on the design", &p.blog_url));
    }
    h.push_str(
        "<p class=\"note\">Each category is a documented limitation of the platform: what it is, what it means for applications, what to do instead, \
         and the tests it explains in these results.",
    );
    if !sources.is_empty() {
        let _ = write!(h, " Sources: {}.", sources.join(" and "));
    }
    h.push_str("</p>\n");
    if catalog.categories.is_empty() {
        h.push_str("<p class=\"muted\">The catalog has no category.</p>\n");
    }
    for c in &catalog.categories {
        let _ = write!(
            h,
            "<article class=\"category\" id=\"{}\">\n<h3>{} <span class=\"id\">{}</span></h3>\n<dl>\n",
            slug("cat-", &c.id),
            esc(&c.title),
            esc(&c.id)
        );
        for (term, text) in [
            ("What it is", &c.what),
            ("Impact", &c.impact),
            ("Workaround", &c.workaround),
        ] {
            if !text.trim().is_empty() {
                let _ = writeln!(h, "<dt>{term}</dt><dd>{}</dd>", esc(text.trim()));
            }
        }
        h.push_str("</dl>\n");
        if !c.links.is_empty() {
            h.push_str("<p class=\"links\"><strong>Links:</strong></p>\n<ul class=\"links\">\n");
            for l in &c.links {
                let _ = writeln!(h, "<li>{}</li>", link(&l.title, &l.url));
            }
            h.push_str("</ul>\n");
        }
        let covered: Vec<(&ReleaseSummary, &NonPassing)> = doc
            .releases
            .iter()
            .flat_map(|r| r.non_passing.iter().map(move |t| (r, t)))
            .filter(|(_, t)| t.category.as_deref() == Some(c.id.as_str()))
            .collect();
        if covered.is_empty() {
            h.push_str("<p class=\"note\">No test in these results falls in this category.</p>\n");
        } else {
            h.push_str(
                "<table>\n<thead><tr><th>Release</th><th>Test</th><th>Status</th><th>Rule</th></tr></thead>\n<tbody>\n",
            );
            for (r, t) in covered {
                let rule = t.rule.as_deref().unwrap_or("");
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"id\">{}</span></td></tr>",
                    esc_label(&r.label),
                    esc(&t.name),
                    esc(t.kind),
                    esc(rule)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        if !c.rules.is_empty() {
            h.push_str("<p class=\"note\"><strong>Matching rules</strong> (the first that matches wins):</p>\n<ul class=\"note\">\n");
            for rule in &c.rules {
                let _ = writeln!(
                    h,
                    "<li><span class=\"id\">{}</span>: {}</li>",
                    esc(&rule.id),
                    esc(&rule.reason)
                );
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

fn problems(h: &mut String, doc: &SummaryDoc) {
    let warnings: Vec<(&ReleaseSummary, &String)> = doc
        .releases
        .iter()
        .flat_map(|r| r.warnings.iter().map(move |w| (r, w)))
        .collect();
    if doc.errors.is_empty() && warnings.is_empty() {
        return;
    }
    h.push_str("<section id=\"problems\">\n<h2>Problems while reading</h2>\n");
    if !doc.errors.is_empty() {
        h.push_str(
            "<p>These inputs could not be read; their results are missing above:</p>\n<ul>\n",
        );
        for e in &doc.errors {
            let _ = writeln!(
                h,
                "<li><span class=\"id\">{}</span>: {}</li>",
                esc(&e.path),
                esc(&e.message)
            );
        }
        h.push_str("</ul>\n");
    }
    if !warnings.is_empty() {
        h.push_str("<p>Warnings (the release was still read):</p>\n<ul>\n");
        for (r, w) in warnings {
            let _ = writeln!(h, "<li>{}: {}</li>", esc_label(&r.label), esc(w));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_links() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url("https://example.com/a b").is_none());
        assert!(safe_url("HTTPS://example.com/x").is_some());
        assert!(!link("t", "data:text/html,x").contains("href"));
        assert_eq!(slug("cat-", "a\"b<c"), "cat-a-b-c");
    }

    #[test]
    fn dates() {
        assert_eq!(format_utc(UNIX_EPOCH), "1970-01-01 00:00 UTC");
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_709_210_096); // 2024-02-29 12:34:56
        assert_eq!(format_utc(t), "2024-02-29 12:34 UTC");
    }
}

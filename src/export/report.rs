//! `report.html`: one self-contained page (no script, no external file, a
//! content security policy that forbids both) with the verdict table, the
//! charts inline as SVG, the non-passing tests of each release with the
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
use crate::analysis::{NonPassing, ReleaseSummary, SummaryDoc, Verdict};
use crate::caveats::Catalog;
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

fn unexplained(r: &ReleaseSummary) -> usize {
    r.non_passing
        .iter()
        .filter(|t| t.category.is_none())
        .count()
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
         <th class=\"num\">Caveats</th><th class=\"num\">Unexplained</th><th>e2e.log</th><th class=\"num\">Duration</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in doc.releases.iter().enumerate() {
        let c = &r.conformance;
        let explained: u64 = r.caveats.values().sum();
        let unexp = unexplained(r);
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
            "<tr><td class=\"release\"><a href=\"#rel-{i}\">{}</a></td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{explained}</td><td class=\"num\">{unexp_cell}</td><td>{log}</td><td class=\"num\">{}</td></tr>",
            esc_label(&r.label),
            match &r.kube_version {
                Some(v) => esc(v),
                None => format!("<span class=\"muted\">{}</span>", esc(&r.version_text())),
            },
            verdict_badge(r.verdict),
            c.total,
            c.passed,
            c.failed,
            if c.pending > 0 {
                format!("{} (+{} pending)", c.skipped, c.pending)
            } else {
                c.skipped.to_string()
            },
            duration_text(r.duration_secs),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
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
        let unexp = unexplained(r);
        let _ = writeln!(
            h,
            "<h3 id=\"rel-{i}\">{} {}</h3>",
            esc_label(&r.label),
            verdict_badge(r.verdict)
        );
        let _ = write!(
            h,
            "<p>{} non-passing: {}{} explained by caveats.",
            r.non_passing.len(),
            if unexp > 0 {
                format!("<span class=\"warn\">{unexp} unexplained</span>, ")
            } else {
                "none unexplained, ".to_string()
            },
            r.non_passing.len() - unexp
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

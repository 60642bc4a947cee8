//! The data files: `summary.csv` (one row per release), `tests.csv` (one
//! row per required test and release) and `summary.json` (the document of
//! `summary --json`, byte for byte).
//!
//! CSV follows RFC 4180: comma separated, CRLF line ends, a field quoted
//! when it holds a comma, a quote, a CR or an LF, quotes doubled inside.
//! Missing values are empty fields; booleans are `true`/`false`.

use std::fmt::Write as _;

use super::ExportError;
use crate::analysis::SummaryDoc;
use crate::caveats::Catalog;
use crate::model::Corpus;

/// One CSV field, quoted when needed.
pub fn csv_field(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

fn push_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(f));
    }
    out.push_str("\r\n");
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The caveat category ids that get a column: the catalog's, in catalog
/// order, then any other id the summary mentions, sorted.
fn category_columns(doc: &SummaryDoc, catalog: &Catalog) -> Vec<String> {
    let mut ids: Vec<String> = catalog.categories.iter().map(|c| c.id.clone()).collect();
    let mut extra: Vec<String> = doc
        .releases
        .iter()
        .flat_map(|r| r.caveats.keys())
        .filter(|id| !ids.contains(id))
        .cloned()
        .collect();
    extra.sort();
    extra.dedup();
    ids.extend(extra);
    ids
}

/// `summary.csv`: one row per release with its product line (the line's
/// name, the release's vendor and where its line came from), its verdict
/// and counts, the e2e.log's own figures, and one column per caveat
/// category (`caveat_<id>`) plus `unexplained`.
pub fn summary_csv(doc: &SummaryDoc, catalog: &Catalog) -> String {
    let categories = category_columns(doc, catalog);
    let mut out = String::new();
    let mut header: Vec<String> = [
        "label",
        "product_line",
        "product_vendor",
        "product_line_from",
        "kube_version",
        "verdict",
        "verdict_reason",
        "profile",
        "required_from",
        "required_total",
        "required_passed",
        "required_failed",
        "required_skipped",
        "required_pending",
        "required_missing",
        "tagged_not_required",
        "tagged_not_required_failed",
        "specs",
        "suite_nodes",
        "agrees_with_log",
        "log_ran",
        "log_of",
        "log_passed",
        "log_failed",
        "log_skipped",
        "duration_secs",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(categories.iter().map(|id| format!("caveat_{id}")));
    header.push("known_defects".into());
    header.push("unexplained".into());
    push_row(&mut out, &header);
    let grouped = doc.has_lines();
    for (i, r) in doc.releases.iter().enumerate() {
        let log = r.log.as_ref();
        // The line's name, so that every release of a line reads the same
        // even when their PRODUCT.yaml names differ in case or spacing.
        let line_name = grouped
            .then(|| doc.lines.line_of(i))
            .flatten()
            .map_or(r.product_line.name.as_str(), |l| l.name.as_str());
        let mut row = vec![
            r.label.clone(),
            line_name.to_string(),
            opt(r.product_line.vendor.as_deref()),
            r.product_line.from.as_str().to_string(),
            opt(r.kube_version.as_deref()),
            r.verdict.as_str().to_string(),
            r.verdict_reason.clone(),
            opt(r.profile.as_deref()),
            r.required_from.label(),
            r.conformance.total.to_string(),
            r.conformance.passed.to_string(),
            r.conformance.failed.to_string(),
            r.conformance.skipped.to_string(),
            r.conformance.pending.to_string(),
            r.required_missing.len().to_string(),
            r.tagged.total.to_string(),
            r.tagged.failed.to_string(),
            r.specs.to_string(),
            r.suite_nodes.to_string(),
            opt(r.agrees_with_log),
            opt(log.map(|l| l.ran)),
            opt(log.map(|l| l.of)),
            opt(log.map(|l| l.passed)),
            opt(log.map(|l| l.failed)),
            opt(log.map(|l| l.skipped)),
            opt(r.duration_secs),
        ];
        for id in &categories {
            row.push(r.caveats.get(id).copied().unwrap_or(0).to_string());
        }
        row.push(r.known_defects.to_string());
        row.push(r.unexplained.to_string());
        push_row(&mut out, &row);
    }
    out
}

/// `tests.csv`: one row per required test and release, then the
/// release's `[Conformance]`-tagged specs that are not required
/// (`required` false), in corpus and file order, with the name of the
/// release's product line. Each row renders the summary's assessment:
/// `explained_by` (`caveat`, `known-defect`, `unexplained`) is filled for
/// non-passing required tests, `category` and `rule` for those a caveat
/// explains, `fixed_in` for known defects.
pub fn tests_csv(corpus: &Corpus, doc: &SummaryDoc) -> String {
    let mut out = String::new();
    let header: Vec<String> = [
        "release",
        "product_line",
        "test",
        "status",
        "kind",
        "required",
        "explained_by",
        "category",
        "rule",
        "fixed_in",
        "duration_secs",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    push_row(&mut out, &header);
    let grouped = doc.has_lines();
    let mut duration = String::new();
    for (i, (r, summary)) in corpus.releases.iter().zip(&doc.releases).enumerate() {
        let a = &summary.assessment;
        let line_name = grouped
            .then(|| doc.lines.line_of(i))
            .flatten()
            .map_or_else(|| summary.product_line.name.clone(), |l| l.name.clone());
        let rows = a
            .required
            .tests
            .iter()
            .map(|&t| (t, true))
            .chain(a.required.tagged.iter().map(|&t| (t, false)));
        for (index, required) in rows {
            let index = index as usize;
            let Some(t) = r.tests.get(index) else {
                continue;
            };
            let e = required.then(|| a.explanation(index)).flatten();
            duration.clear();
            let _ = write!(duration, "{}", t.duration_secs);
            push_row(
                &mut out,
                &[
                    r.label.clone(),
                    line_name.clone(),
                    t.name().to_string(),
                    t.status().as_str().to_string(),
                    t.outcome.detail().to_string(),
                    required.to_string(),
                    e.map(|e| e.by().as_str().to_string()).unwrap_or_default(),
                    e.and_then(|e| e.category.clone()).unwrap_or_default(),
                    e.and_then(|e| e.rule.clone()).unwrap_or_default(),
                    e.and_then(|e| e.known_defect.as_ref())
                        .and_then(|d| d.fixed_in.clone())
                        .unwrap_or_default(),
                    duration.clone(),
                ],
            );
        }
    }
    out
}

/// `summary.json`: exactly what `summary --json` prints for the same
/// corpus, catalog and scope.
pub fn summary_json(doc: &SummaryDoc) -> Result<String, ExportError> {
    Ok(serde_json::to_string_pretty(doc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(""), "");
    }
}

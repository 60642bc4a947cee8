//! Certification pre-check: would this release pass the CNCF's review of a
//! conformance submission?
//!
//! It follows the requirements of `k8s-conformance/instructions.md` and the
//! review bot (kubernetes-sigs/verify-conformance) as far as they can be
//! checked offline:
//!
//! - the submission files (`README.md`, `PRODUCT.yaml`, `e2e.log`,
//!   `junit_01.xml`) are present, not empty, and alone, in a
//!   `vX.Y/PRODUCT/` folder whose version matches the results;
//! - PRODUCT.yaml has the required fields, well-formed URLs and e-mail
//!   address, and a valid `type`;
//! - every required test of the version (from Kubernetes' conformance.yaml
//!   when available, else the `[Conformance]` specs of the JUnit) is present
//!   and passed;
//! - the e2e.log's verdict agrees with the JUnit and is a success.
//!
//! What cannot be checked offline (the PR title, the single commit, the
//! content types the URLs resolve to) is said in an info finding. The check
//! passes when there is no error finding.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::analysis::{Assessment, Verdict};
use crate::conformance_list::ConformanceLists;
use crate::model::{Origin, Product, Release, Status, TestCase};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The review would fail on this.
    Error,
    /// Worth fixing; the review may or may not object.
    Warning,
    /// Context: what was checked and how.
    Info,
}

impl Severity {
    /// The lowercase word.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One result of the check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error, warning or info.
    pub severity: Severity,
    /// A stable identifier, e.g. `test-failed`, `product-invalid-url`.
    pub code: String,
    /// What is wrong (or what was found), naming the test, field or file.
    pub message: String,
}

impl Finding {
    fn new(severity: Severity, code: &str, message: impl Into<String>) -> Finding {
        Finding {
            severity,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// The outcome of the pre-check of one release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The release's label.
    pub label: String,
    /// The folder or tarball checked.
    pub path: String,
    /// Kubernetes `major.minor`, when known.
    pub version: Option<String>,
    /// True only when no finding is an error.
    pub passed: bool,
    /// Where the required tests came from: `conformance.yaml v1.33` or
    /// `[Conformance] tags` (the assessment's).
    pub required_from: String,
    /// How many tests are required.
    pub required: u64,
    /// How many of them passed.
    pub required_passed: u64,
    /// The release's verdict, as every other output gives it.
    pub verdict: Verdict,
    /// Why, in one sentence.
    pub verdict_reason: String,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
}

/// The files a submission must hold.
pub const REQUIRED_FILES: [&str; 4] = ["README.md", "PRODUCT.yaml", "e2e.log", "junit_01.xml"];

/// PRODUCT.yaml fields the review requires (instructions.md marks
/// `repo_url` and `product_logo_url` optional).
pub const REQUIRED_PRODUCT_FIELDS: [&str; 8] = [
    "vendor",
    "name",
    "version",
    "type",
    "description",
    "website_url",
    "documentation_url",
    "contact_email_address",
];

/// The values the review accepts for `type`.
pub const PRODUCT_TYPES: [&str; 3] = ["distribution", "hosted platform", "installer"];

/// Most folder entries looked at.
const MAX_FOLDER_ENTRIES: usize = 1000;

/// Most characters of a failure message quoted in a finding.
const MAX_QUOTE_CHARS: usize = 200;

/// Check one release as a CNCF submission, assessed against `catalog` and
/// `lists` with the profile turned on nowhere by hand: what `check` does.
pub fn check(
    release: &Release,
    catalog: &crate::caveats::Catalog,
    lists: Option<&ConformanceLists>,
) -> CheckReport {
    let scope = crate::analysis::Scope::default();
    let assessment = crate::analysis::assess(release, catalog, &scope, lists);
    check_release(release, &assessment, lists)
}

/// Check one release as a CNCF submission. Its required tests and verdict
/// are those of `assessment` ([`crate::analysis::assess`] of the release
/// with the same `lists`), so Pre-check says what every other output says;
/// `lists` also tell whether the version is still accepted.
pub fn check_release(
    release: &Release,
    assessment: &Assessment,
    lists: Option<&ConformanceLists>,
) -> CheckReport {
    let mut findings = Vec::new();
    // The release's minor, by the one rule of every output
    // (`ingest::release_version`: the server's version, else the nearest
    // `vX.Y` folder).
    let minor = release.version.map(|(a, b, _)| (a, b));
    check_version(release, minor, lists, &mut findings);
    check_files(release, &mut findings);
    check_product_file(release, &mut findings);
    let (required, required_passed) = check_tests(release, assessment, &mut findings);
    check_log(release, &mut findings);

    findings.sort_by_key(|f| f.severity);
    CheckReport {
        label: release.label.clone(),
        path: release.origin.path().display().to_string(),
        version: minor.map(|(a, b)| format!("{a}.{b}")),
        passed: !findings.iter().any(|f| f.severity == Severity::Error),
        required_from: assessment.required.from.label(),
        required,
        required_passed,
        verdict: assessment.verdict,
        verdict_reason: assessment.reason.clone(),
        findings,
    }
}

fn e2e_minor(release: &Release) -> Option<(u32, u32)> {
    release
        .e2e_version
        .as_deref()
        .and_then(crate::model::parse_version)
        .map(|(a, b, _)| (a, b))
}

/// The version named by the parent of a submission folder (`v1.24/PRODUCT`).
fn submission_folder_minor(release: &Release) -> Option<(u32, u32)> {
    let Origin::Folder(dir) = &release.origin else {
        return None;
    };
    folder_minor(&dir.parent()?.file_name()?.to_string_lossy())
}

/// `(1, 24)` from a folder name `v1.24`.
fn folder_minor(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix('v')?;
    let (major, minor) = rest.split_once('.')?;
    if major.is_empty()
        || minor.is_empty()
        || !major.bytes().all(|b| b.is_ascii_digit())
        || !minor.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn check_version(
    release: &Release,
    minor: Option<(u32, u32)>,
    lists: Option<&ConformanceLists>,
    findings: &mut Vec<Finding>,
) {
    let Some((major, min)) = minor else {
        findings.push(Finding::new(
            Severity::Error,
            "version-unknown",
            "the Kubernetes version is unknown: no `kube-apiserver version` or `e2e test version` line in e2e.log",
        ));
        return;
    };
    match e2e_minor(release) {
        None => findings.push(Finding::new(
            Severity::Info,
            "e2e-version-missing",
            "e2e.log has no `e2e test version:` line, so the suite's version cannot be compared with the cluster's",
        )),
        Some(e2e) if e2e != (major, min) => findings.push(Finding::new(
            Severity::Error,
            "version-mismatch",
            format!(
                "the e2e tests are v{}.{} but the cluster is v{major}.{min}; a submission runs the e2e suite of its own version",
                e2e.0, e2e.1
            ),
        )),
        Some(_) => {}
    }
    if let Origin::Folder(dir) = &release.origin {
        match submission_folder_minor(release) {
            Some(f) if f != (major, min) => findings.push(Finding::new(
                Severity::Error,
                "folder-version",
                format!(
                    "the folder says v{}.{} but the results are Kubernetes v{major}.{min}",
                    f.0, f.1
                ),
            )),
            Some(_) => {}
            None => findings.push(Finding::new(
                Severity::Warning,
                "folder-layout",
                format!(
                    "a submission lives in a folder v{major}.{min}/PRODUCT/; this one is {}",
                    dir.display()
                ),
            )),
        }
    }
    if let Some(newest) = lists.and_then(ConformanceLists::newest) {
        if newest.0 == major && min + 2 < newest.1 {
            findings.push(Finding::new(
                Severity::Warning,
                "version-unsupported",
                format!(
                    "v{major}.{min} is more than two minor versions older than the newest conformance list loaded (v{}.{}); the CNCF accepts submissions only for the current release and the two before it",
                    newest.0, newest.1
                ),
            ));
        } else if (major, min) > newest {
            findings.push(Finding::new(
                Severity::Info,
                "version-newer",
                format!(
                    "v{major}.{min} is newer than every conformance list loaded (newest v{}.{})",
                    newest.0, newest.1
                ),
            ));
        }
    }
}

fn check_files(release: &Release, findings: &mut Vec<Finding>) {
    match &release.origin {
        Origin::Folder(dir) => {
            let entries = match std::fs::read_dir(dir) {
                Ok(r) => r,
                Err(e) => {
                    findings.push(Finding::new(
                        Severity::Error,
                        "folder-unreadable",
                        format!("cannot list {}: {e}", dir.display()),
                    ));
                    return;
                }
            };
            // (name, size, is_dir)
            let mut present: Vec<(String, u64, bool)> = Vec::new();
            for entry in entries.take(MAX_FOLDER_ENTRIES).flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let (size, is_dir) = entry
                    .metadata()
                    .map(|m| (m.len(), m.is_dir()))
                    .unwrap_or((0, false));
                present.push((name, size, is_dir));
            }
            present.sort();
            for required in REQUIRED_FILES {
                match present
                    .iter()
                    .find(|(n, _, d)| !d && n.eq_ignore_ascii_case(required))
                {
                    None => {
                        let hint = if required == "e2e.log"
                            && present.iter().any(|(n, _, _)| n == "e2e.stdout.txt")
                        {
                            " (e2e.stdout.txt is there: submit it as e2e.log)"
                        } else {
                            ""
                        };
                        findings.push(Finding::new(
                            Severity::Error,
                            "missing-file",
                            format!("{required} is missing from {}{hint}", dir.display()),
                        ))
                    }
                    Some((_, 0, _)) => findings.push(Finding::new(
                        Severity::Error,
                        "empty-file",
                        format!("{required} is empty"),
                    )),
                    Some(_) => {}
                }
            }
            let extra: Vec<&str> = present
                .iter()
                .filter(|(n, _, _)| !REQUIRED_FILES.iter().any(|r| n.eq_ignore_ascii_case(r)))
                .map(|(n, _, _)| n.as_str())
                .collect();
            if !extra.is_empty() {
                findings.push(Finding::new(
                    Severity::Warning,
                    "extra-files",
                    format!(
                        "{} file(s) besides the required ones; the review asks for only README.md, PRODUCT.yaml, e2e.log and junit_01.xml: {}",
                        extra.len(),
                        extra.join(", ")
                    ),
                ));
            }
        }
        Origin::Tarball(path) => {
            findings.push(Finding::new(
                Severity::Error,
                "not-a-submission",
                format!(
                    "{} is a Sonobuoy tarball: a submission is a vX.Y/PRODUCT/ folder with plugins/e2e/results/global/{{e2e.log,junit_01.xml}} copied out of it, plus PRODUCT.yaml and README.md",
                    path.display()
                ),
            ));
            for required in REQUIRED_FILES {
                let found = release.files.iter().any(|f| {
                    Path::new(f)
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(required))
                });
                if !found {
                    findings.push(Finding::new(
                        Severity::Error,
                        "missing-file",
                        format!("{required} is missing"),
                    ));
                }
            }
        }
    }
}

fn check_product_file(release: &Release, findings: &mut Vec<Finding>) {
    let has_file = release.files.iter().any(|f| {
        Path::new(f)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("PRODUCT.yaml"))
    });
    match &release.product {
        Some(product) => {
            findings.extend(validate_product(product));
            findings.push(Finding::new(
                Severity::Info,
                "urls-not-fetched",
                "PRODUCT.yaml URLs were checked for form only; the review also fetches them and checks that they resolve to web pages",
            ));
        }
        None if has_file => {
            let why: Vec<&str> = release
                .warnings
                .iter()
                .filter(|w| w.contains("PRODUCT.yaml"))
                .map(String::as_str)
                .collect();
            findings.push(Finding::new(
                Severity::Error,
                "product-unreadable",
                if why.is_empty() {
                    "PRODUCT.yaml could not be read".to_string()
                } else {
                    why.join("; ")
                },
            ));
        }
        // A missing file is reported by the file check.
        None => {}
    }
}

/// Check PRODUCT.yaml's fields: required fields present, URLs and e-mail
/// well-formed, `type` one of [`PRODUCT_TYPES`], the logo not a bitmap.
pub fn validate_product(p: &Product) -> Vec<Finding> {
    let mut out = Vec::new();
    let fields: [(&str, &Option<String>); 10] = [
        ("vendor", &p.vendor),
        ("name", &p.name),
        ("version", &p.version),
        ("type", &p.kind),
        ("description", &p.description),
        ("website_url", &p.website_url),
        ("repo_url", &p.repo_url),
        ("documentation_url", &p.documentation_url),
        ("product_logo_url", &p.product_logo_url),
        ("contact_email_address", &p.contact_email_address),
    ];
    let value = |name: &str| -> Option<&str> {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    for field in REQUIRED_PRODUCT_FIELDS {
        if value(field).is_none() {
            out.push(Finding::new(
                Severity::Error,
                "product-missing-field",
                format!("PRODUCT.yaml lacks the required field `{field}`"),
            ));
        }
    }
    for field in [
        "website_url",
        "repo_url",
        "documentation_url",
        "product_logo_url",
    ] {
        if let Some(url) = value(field)
            && let Err(why) = check_url(url)
        {
            out.push(Finding::new(
                Severity::Error,
                "product-invalid-url",
                format!("PRODUCT.yaml `{field}` is not a valid http(s) URL ({why}): {url}"),
            ));
        }
    }
    if let Some(logo) = value("product_logo_url")
        && check_url(logo).is_ok()
    {
        let path = logo
            .split(['?', '#'])
            .next()
            .unwrap_or(logo)
            .to_ascii_lowercase();
        if [".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico"]
            .iter()
            .any(|ext| path.ends_with(ext))
        {
            out.push(Finding::new(
                Severity::Warning,
                "product-logo-format",
                format!(
                    "PRODUCT.yaml `product_logo_url` looks like a bitmap; the logo must be SVG, AI or EPS: {logo}"
                ),
            ));
        }
    }
    if let Some(email) = value("contact_email_address")
        && let Err(why) = check_email(email)
    {
        out.push(Finding::new(
            Severity::Error,
            "product-invalid-email",
            format!(
                "PRODUCT.yaml `contact_email_address` is not a valid e-mail address ({why}): {email}"
            ),
        ));
    }
    if let Some(kind) = value("type") {
        let lower = kind.to_lowercase();
        let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        if PRODUCT_TYPES.contains(&kind) {
            // Exactly as the review wants it.
        } else if PRODUCT_TYPES.contains(&lower.as_str()) {
            out.push(Finding::new(
                Severity::Warning,
                "product-type-case",
                format!(
                    "PRODUCT.yaml `type` is \"{kind}\"; the review bot compares exactly, so write \"{lower}\""
                ),
            ));
        } else if lower == "hosted" {
            // Accepted submissions (GKE 1.27) still use the older spelling,
            // so it is worth a warning, not a failed check.
            out.push(Finding::new(
                Severity::Warning,
                "product-type-legacy",
                format!(
                    "PRODUCT.yaml `type` is \"{kind}\", the older spelling; the review now asks for \"hosted platform\""
                ),
            ));
        } else {
            let hint = "";
            out.push(Finding::new(
                Severity::Error,
                "product-invalid-type",
                format!(
                    "PRODUCT.yaml `type` is \"{kind}\" but must be one of \"distribution\", \"hosted platform\" or \"installer\"{hint}"
                ),
            ));
        }
    }
    out
}

/// Whether `url` is a well-formed absolute http or https URL; the error says
/// what is wrong.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains spaces or control characters");
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err("it must start with http:// or https://");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = match authority.rsplit_once('@') {
        Some((_, hp)) => hp,
        None => authority,
    };
    if host_port.is_empty() {
        return Err("it has no host");
    }
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return Err("an IPv6 host lacks its closing bracket");
        };
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err("the IPv6 host is malformed");
        }
        match after.strip_prefix(':') {
            Some(p) => ("", Some(p)),
            None if after.is_empty() => ("", None),
            None => return Err("unexpected text after the host"),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if let Some(port) = port
        && (port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || !matches!(port.parse::<u32>(), Ok(1..=65535)))
    {
        return Err("the port is not a number from 1 to 65535");
    }
    if !host.is_empty() {
        check_domain(host.trim_end_matches('.'), true)?;
    }
    Ok(())
}

/// Whether `host` is a valid host name (labels of letters, digits and
/// hyphens) with at least one dot, or `localhost`, or an IPv4 address.
fn check_domain(host: &str, allow_ip: bool) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("it has no host");
    }
    if allow_ip && host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(());
    }
    if host.len() > 253 {
        return Err("the host name is too long");
    }
    for label in host.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("the host name has an empty or overlong part");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("the host name has characters other than letters, digits, '-' and '.'");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a part of the host name starts or ends with '-'");
        }
    }
    if !host.contains('.') && !host.eq_ignore_ascii_case("localhost") {
        return Err("the host name has no domain (no '.')");
    }
    Ok(())
}

/// Whether `text` is a well-formed e-mail address (`user@example.com`, or
/// `Name <user@example.com>`); the error says what is wrong.
pub fn check_email(text: &str) -> Result<(), &'static str> {
    let addr = match (text.find('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close && text[close + 1..].trim().is_empty() => {
            &text[open + 1..close]
        }
        (None, None) => text,
        _ => return Err("unbalanced angle brackets"),
    };
    let addr = addr.trim();
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return Err("it has no '@'");
    };
    if local.is_empty() || local.len() > 64 {
        return Err("the part before '@' is empty or too long");
    }
    const SPECIALS: &[u8] = b"!#$%&'*+-/=?^_`{|}~.";
    if !local
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || SPECIALS.contains(&b))
    {
        return Err("the part before '@' has characters not allowed there");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("the part before '@' has a misplaced '.'");
    }
    check_domain(domain, false).map_err(|_| "the domain after '@' is not a valid domain name")
}

/// The most telling line of a failure: the first line of the failure text
/// or message that is not a `file.go:123` location or a bare "Failure".
fn failure_reason(t: &TestCase) -> Option<String> {
    let is_location = |l: &str| {
        l.rsplit_once(':').is_some_and(|(file, line)| {
            file.ends_with(".go") && !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let generic = |l: &str| {
        matches!(
            l.to_ascii_lowercase().as_str(),
            "failure" | "failed" | "error" | "timedout" | "panicked"
        )
    };
    [t.failure_text(), t.message.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(str::lines)
        .map(str::trim)
        .find(|l| !l.is_empty() && !is_location(l) && !generic(l))
        .map(quote)
}

/// A line, shortened.
fn quote(line: &str) -> String {
    if line.chars().count() > MAX_QUOTE_CHARS {
        let cut: String = line.chars().take(MAX_QUOTE_CHARS).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}

fn not_passed(t: &TestCase, findings: &mut Vec<Finding>, why: &str) {
    match t.status() {
        Status::Passed => {}
        Status::Failed => {
            let detail = failure_reason(t)
                .map(|q| format!(": {q}"))
                .unwrap_or_default();
            findings.push(Finding::new(
                Severity::Error,
                "test-failed",
                format!("{why}test {}: {}{detail}", t.outcome.detail(), t.name()),
            ));
        }
        Status::Skipped | Status::Pending => findings.push(Finding::new(
            Severity::Error,
            "test-skipped",
            format!(
                "{why}test not run ({}): {}; a certification run may not skip any conformance test",
                t.outcome.detail(),
                t.name()
            ),
        )),
    }
}

/// Report the required tests of the assessment (its required set, decided
/// by [`crate::analysis::required_set`]): each one not passed, each one
/// missing, and the tagged specs that are not required; returns how many
/// are required and how many passed.
fn check_tests(
    release: &Release,
    assessment: &Assessment,
    findings: &mut Vec<Finding>,
) -> (u64, u64) {
    let required = &assessment.required;
    let from = required.from.label();
    if let Some(note) = required.from.fallback_note() {
        findings.push(Finding::new(
            Severity::Info,
            "no-conformance-list",
            format!("{note}; a test missing from the JUnit cannot be detected"),
        ));
    }
    for &i in &required.tests {
        if let Some(t) = release.tests.get(i as usize) {
            not_passed(t, findings, "required ");
        }
    }
    if let Some(p) = &required.partial {
        findings.push(Finding::new(
            Severity::Error,
            "partial-report",
            format!(
                "{}; a submission's junit_01.xml names every required test",
                p.sentence(&required.from)
            ),
        ));
    }
    for name in &required.missing {
        findings.push(Finding::new(
            Severity::Error,
            "test-missing",
            format!("required test missing from the JUnit: {name} (listed in {from})"),
        ));
    }
    // [Conformance] specs the list does not require never fail the check;
    // a failure among them is said, and the suite's own FAIL! still is.
    let tagged: Vec<&TestCase> = required
        .tagged
        .iter()
        .filter_map(|&i| release.tests.get(i as usize))
        .collect();
    let failed: Vec<&str> = tagged
        .iter()
        .filter(|t| t.status() == Status::Failed)
        .map(|t| t.name())
        .collect();
    if !failed.is_empty() {
        findings.push(Finding::new(
            Severity::Warning,
            "tagged-failed",
            format!(
                "{} [Conformance]-tagged spec(s) that {from} does not require failed; they do not decide the verdict: {}",
                failed.len(),
                failed.join("; ")
            ),
        ));
    }
    type Specs<'a> = Vec<(u32, &'a TestCase)>;
    let (later, unlisted): (Specs<'_>, Specs<'_>) = required
        .tagged
        .iter()
        .filter_map(|&i| Some((i, release.tests.get(i as usize)?)))
        .partition(|(i, _)| required.not_yet.binary_search(i).is_ok());
    let groups = [
        (
            "not-yet-required",
            later,
            "listed with a later `release` and not yet required",
        ),
        ("not-in-list", unlisted, "not listed and not required"),
    ];
    for (code, tests, why) in groups {
        if tests.is_empty() {
            continue;
        }
        let names: Vec<&str> = tests.iter().take(5).map(|(_, t)| t.name()).collect();
        let more = tests.len().saturating_sub(names.len());
        findings.push(Finding::new(
            Severity::Info,
            code,
            format!(
                "{} [Conformance] spec(s) of the JUnit are {why} in {from}: {}{}",
                tests.len(),
                names.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            ),
        ));
    }
    if assessment.verdict == Verdict::NoRequiredTests {
        findings.push(Finding::new(
            Severity::Error,
            "no-required-tests",
            assessment.reason.clone(),
        ));
    }
    (assessment.counts.total, assessment.counts.passed)
}

fn check_log(release: &Release, findings: &mut Vec<Finding>) {
    let has_log = release.log_location.is_some()
        || release.files.iter().any(|f| {
            let lower = f.to_ascii_lowercase();
            lower.ends_with("e2e.log") || lower.ends_with("e2e.stdout.txt")
        });
    let Some(log) = &release.log else {
        if has_log {
            findings.push(Finding::new(
                Severity::Warning,
                "log-no-verdict",
                "e2e.log has no verdict line (`Ran N of M Specs`, SUCCESS!/FAIL!): the JUnit cannot be cross-checked",
            ));
        }
        return;
    };
    for d in release.log_disagreements() {
        findings.push(Finding::new(
            Severity::Error,
            "log-disagrees",
            format!("e2e.log and junit_01.xml disagree: {d}"),
        ));
    }
    if !log.success {
        let names = if release.log_failures.is_empty() {
            String::new()
        } else {
            format!(": {}", release.log_failures.join("; "))
        };
        findings.push(Finding::new(
            Severity::Error,
            "log-fail",
            format!(
                "e2e.log ends in FAIL! with {} failed spec(s){names}",
                log.failed
            ),
        ));
    }
}

/// The report as terminal text: the verdict, then one line per finding.
pub fn render_check(r: &CheckReport) -> String {
    let mut out = String::new();
    let count = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let _ = writeln!(
        out,
        "{}{}: {} ({errors} error{}, {warnings} warning{})",
        r.label,
        r.version
            .as_ref()
            .map(|v| format!(" (Kubernetes v{v})"))
            .unwrap_or_default(),
        if r.passed { "PASSED" } else { "FAILED" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    let _ = writeln!(
        out,
        "  required tests: {} from {}, {} passed",
        r.required, r.required_from, r.required_passed
    );
    let _ = writeln!(
        out,
        "  verdict: {}: {}",
        r.verdict.as_str(),
        r.verdict_reason
    );
    for f in &r.findings {
        let _ = writeln!(
            out,
            "  {:<7} {:<22} {}",
            f.severity.as_str(),
            f.code,
            f.message
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Product {
        Product {
            vendor: Some("Yoyodyne".into()),
            name: Some("Turbo Encabulator".into()),
            version: Some("v1.7.4".into()),
            kind: Some("distribution".into()),
            description: Some("A superb distribution.".into()),
            website_url: Some("https://yoyo.dyne/turbo-encabulator".into()),
            repo_url: Some("https://github.com/yoyo.dyne/turbo-encabulator".into()),
            documentation_url: Some("https://yoyo.dyne/turbo-encabulator/docs".into()),
            product_logo_url: Some("https://yoyo.dyne/assets/turbo-encabulator.svg".into()),
            contact_email_address: Some("yoyodyne@turbo-encabulator.org".into()),
        }
    }

    fn codes(p: &Product) -> Vec<String> {
        validate_product(p).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn the_instructions_example_is_valid() {
        assert!(validate_product(&good()).is_empty());
    }

    #[test]
    fn required_fields_must_be_present_and_non_empty() {
        let mut p = good();
        p.contact_email_address = None;
        p.website_url = Some("  ".into());
        let f = validate_product(&p);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter()
                .all(|f| f.code == "product-missing-field" && f.severity == Severity::Error)
        );
        assert!(f[0].message.contains("website_url"));
        assert!(f[1].message.contains("contact_email_address"));
        // Optional fields may be absent.
        let mut p = good();
        p.repo_url = None;
        p.product_logo_url = None;
        assert!(validate_product(&p).is_empty());
        assert_eq!(codes(&Product::default()).len(), 8);
    }

    #[test]
    fn urls_must_be_well_formed_http() {
        for bad in [
            "ftp://example.com",
            "example.com",
            "https://",
            "https:// example.com",
            "https://exa mple.com/",
            "https://example",
            "https://-bad-.com",
            "https://example.com:99999/",
            "https://ex_ample.com",
        ] {
            assert!(check_url(bad).is_err(), "{bad} should be refused");
        }
        for ok in [
            "https://kubermatic.com",
            "http://example.com:8080/a?b=c#d",
            "HTTPS://Docs.Example.com/x/",
            "https://127.0.0.1/",
            "https://[::1]:443/",
            "https://localhost/",
        ] {
            assert!(check_url(ok).is_ok(), "{ok} should be accepted");
        }
        let mut p = good();
        p.documentation_url = Some("docs.example.com".into());
        p.repo_url = Some("git@github.com:x/y.git".into());
        assert_eq!(
            codes(&p),
            vec!["product-invalid-url", "product-invalid-url"]
        );
    }

    #[test]
    fn the_logo_should_not_be_a_bitmap() {
        let mut p = good();
        p.product_logo_url = Some("https://example.com/logo.PNG?x=1".into());
        let f = validate_product(&p);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code.as_str(), f[0].severity),
            ("product-logo-format", Severity::Warning)
        );
    }

    #[test]
    fn email_must_be_well_formed() {
        for ok in [
            "support@kubermatic.com",
            "first.last+tag@example.co.uk",
            "Support Team <support@example.com>",
        ] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "support",
            "@example.com",
            "a@b",
            "a..b@example.com",
            "a b@example.com",
            "a@exa mple.com",
            "Name <a@example.com",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        let mut p = good();
        p.contact_email_address = Some("support(at)example.com".into());
        assert_eq!(codes(&p), vec!["product-invalid-email"]);
    }

    #[test]
    fn type_must_be_one_of_three() {
        let with = |t: &str| {
            let mut p = good();
            p.kind = Some(t.into());
            validate_product(&p)
        };
        assert!(with("installer").is_empty());
        assert!(with("hosted platform").is_empty());
        let f = with("Distribution");
        assert_eq!(
            (f[0].code.as_str(), f[0].severity),
            ("product-type-case", Severity::Warning)
        );
        let f = with("Hosted  Platform");
        assert_eq!(f[0].code, "product-type-case");
        let f = with("hosted");
        assert_eq!(
            (f[0].code.as_str(), f[0].severity),
            ("product-type-legacy", Severity::Warning)
        );
        assert!(f[0].message.contains("hosted platform"));
        assert_eq!(with("managed")[0].code, "product-invalid-type");
    }

    #[test]
    fn folder_versions() {
        assert_eq!(folder_minor("v1.24"), Some((1, 24)));
        assert_eq!(folder_minor("v1.24.1"), None);
        assert_eq!(folder_minor("kind"), None);
    }

    #[test]
    fn a_submission_folder_is_checked_on_disk() {
        use crate::ingest::names::identity_key;
        use crate::model::Outcome;
        use std::sync::Arc;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("v1.30").join("coolkube");
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["junit_01.xml", "e2e.log", "PRODUCT.yaml"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        std::fs::write(dir.join("README.md"), "").unwrap();
        std::fs::write(dir.join("notes.txt"), "x").unwrap();
        let name = "[sig-node] Pods should run [Conformance]";
        let test = |outcome| TestCase {
            names: Arc::new(crate::model::Names::new(
                Arc::from(name),
                name,
                Arc::from(identity_key(name)),
                Some(Arc::from("sig-node")),
                true,
            )),
            outcome,
            duration_secs: 1.0,
            message: Some("boom\nmore".into()),
            text: None,
        };
        let mut release = Release {
            label: "v1.30/coolkube".into(),
            origin: Origin::Folder(dir.clone()),
            root: root.path().into(),
            kube_version: Some("v1.30.2".into()),
            e2e_version: Some("v1.30.2".into()),
            version: Some((1, 30, 2)),
            tests: vec![test(Outcome::Passed)],
            suite_nodes: Vec::new(),
            log: None,
            log_failures: Vec::new(),
            log_location: None,
            product: Some(good()),
            duration_secs: None,
            files: vec![
                "junit_01.xml".into(),
                "e2e.log".into(),
                "PRODUCT.yaml".into(),
            ],
            warnings: Vec::new(),
            bytes_read: 0,
            caveat_doc: None,
            defect_doc: None,
            known_defects: Vec::new(),
            line: Default::default(),
            started: None,
            key_index: Default::default(),
            log_lines: Default::default(),
            also_at: Vec::new(),
        };
        let r = check(&release, &crate::caveats::Catalog::builtin(), None);
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(!r.passed);
        assert_eq!(codes[0], "empty-file", "{codes:?}");
        assert!(codes.contains(&"extra-files"));
        assert!(codes.contains(&"no-conformance-list"));
        assert_eq!((r.required, r.required_passed), (1, 1));

        std::fs::write(dir.join("README.md"), "how to reproduce").unwrap();
        std::fs::remove_file(dir.join("notes.txt")).unwrap();
        let r = check(&release, &crate::caveats::Catalog::builtin(), None);
        assert!(r.passed, "{}", render_check(&r));

        release.tests = vec![test(Outcome::Skipped)];
        let r = check(&release, &crate::caveats::Catalog::builtin(), None);
        assert!(!r.passed);
        assert_eq!(r.findings[0].code, "test-skipped");
        assert!(r.findings[0].message.contains("Pods should run"));

        release.tests = vec![test(Outcome::Failed(crate::model::FailureKind::TimedOut))];
        let r = check(&release, &crate::caveats::Catalog::builtin(), None);
        assert_eq!(r.findings[0].code, "test-failed");
        assert!(r.findings[0].message.contains("timedout"));
        assert!(r.findings[0].message.ends_with(": boom"));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["passed"], false);
        assert_eq!(json["findings"][0]["severity"], "error");

        // The folder must name the same version.
        release.tests = vec![test(Outcome::Passed)];
        release.version = Some((1, 31, 0));
        release.kube_version = Some("v1.31.0".into());
        release.e2e_version = Some("v1.31.0".into());
        let r = check(&release, &crate::caveats::Catalog::builtin(), None);
        assert_eq!(r.findings[0].code, "folder-version");
    }
}

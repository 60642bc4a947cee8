//! A streaming JUnit reader for both Ginkgo generations.
//!
//! Ginkgo v1 writes a root `<testsuite>` and marks outcomes with child
//! elements (`<skipped/>`, `<failure>`); Ginkgo v2 writes `<testsuites>` and
//! puts the outcome in a `status` attribute as well. One pass over the
//! borrowed input with quick-xml handles both. Entity declarations are never
//! expanded: only the five predefined entities and character references are.

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::fastlane::{PlainCase, plain_case};
use super::names::{NameCache, is_suite_node};
use super::{IngestError, Limits};
use crate::model::{FailureKind, Names, Outcome, TestCase, TestText};

/// What one JUnit file holds.
#[derive(Debug, Default, PartialEq)]
pub struct JunitReport {
    /// Specs, suite nodes excluded, in file order.
    pub tests: Vec<TestCase>,
    /// Ginkgo suite nodes (`[SynchronizedBeforeSuite]`, ...).
    pub suite_nodes: Vec<TestCase>,
    /// The `time` of the outermost suite element.
    pub duration_secs: Option<f64>,
    /// Non-fatal problems (over-long attributes cut, unknown statuses).
    pub warnings: Vec<String>,
}

/// Decode the bytes of an XML file into text: UTF-8 (with or without BOM),
/// UTF-16 with a BOM, and ISO-8859-1 / Latin-1 when declared. Anything else
/// is refused with a message naming the file.
pub fn decode_xml<'a>(bytes: &'a [u8], path: &str) -> Result<Cow<'a, str>, IngestError> {
    let err = |message: String| IngestError::Xml {
        path: path.to_string(),
        message,
    };
    if bytes.is_empty() || bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty {
            path: path.to_string(),
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| err(format!("not valid UTF-8 at byte {}", e.valid_up_to() + 3)));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        let text = String::from_utf16(&units)
            .map_err(|_| err("not valid UTF-16 text despite its byte-order mark".into()))?;
        // quick-xml reads a `&str` as UTF-8 whatever the declaration says.
        return Ok(Cow::Owned(text));
    }
    let declared = declared_encoding(bytes);
    match declared.as_deref() {
        None | Some("utf-8") | Some("utf8") | Some("us-ascii") | Some("ascii") => {
            utf8(bytes).map(Cow::Borrowed).map_err(|e| {
                let at = e.valid_up_to();
                if bytes[..at.min(bytes.len())].is_empty() || looks_binary(bytes) {
                    err(format!(
                        "not a text file (binary data at byte {at}); expected JUnit XML"
                    ))
                } else {
                    err(format!("not valid UTF-8 at byte {at}"))
                }
            })
        }
        Some("iso-8859-1") | Some("latin1") | Some("latin-1") | Some("l1") => {
            Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()))
        }
        Some(other) => Err(err(format!(
            "declares encoding \"{other}\", which is not supported (use UTF-8, UTF-16 or ISO-8859-1)"
        ))),
    }
}

/// UTF-8 text, checked with SIMD (several times faster than the standard
/// check on whole files); the standard check runs only to say where
/// invalid input goes wrong.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    head.contains(&0)
}

/// The `encoding` of the XML declaration, lowercased, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = &head[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = &decl[at + 8..];
    let quote_at = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let quote = rest[quote_at];
    let value = &rest[quote_at + 1..];
    let close = value.iter().position(|&b| b == quote)?;
    Some(String::from_utf8_lossy(&value[..close]).to_ascii_lowercase())
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let col = offset - memchr::memrchr(b'\n', before).map_or(0, |p| p + 1) + 1;
    (line, col)
}

#[derive(Default)]
struct Pending {
    /// The raw name, looked up with the file's other names at its end.
    raw: Option<RawName>,
    time: f64,
    /// The `status` attribute: a known outcome, or the unknown word.
    status: Option<Result<Outcome, String>>,
    skipped: bool,
    failure: Option<FailureKind>,
    message: Option<Arc<str>>,
    failure_text: String,
    output: String,
}

#[derive(Clone, Copy, PartialEq)]
enum TextTarget {
    None,
    Failure,
    Output,
}

/// Parse one JUnit file. `path` names the file in messages.
pub fn parse_junit(bytes: &[u8], path: &str, limits: &Limits) -> Result<JunitReport, IngestError> {
    parse_junit_with(bytes, path, limits, &NameCache::default())
}

/// Parse one JUnit file, sharing derived names through `cache` with the
/// other files of the same load.
pub fn parse_junit_with(
    bytes: &[u8],
    path: &str,
    limits: &Limits,
    cache: &NameCache,
) -> Result<JunitReport, IngestError> {
    let text = decode_xml(bytes, path)?;
    parse_junit_cached(&text, path, limits, cache)
}

/// Check that an extra XML file is well-formed (used for `conformance.xml`
/// and `skipped_tests.xml`, which are informative only).
pub fn check_well_formed(bytes: &[u8], path: &str, limits: &Limits) -> Result<(), IngestError> {
    let text = decode_xml(bytes, path)?;
    let mut reader = Reader::from_str(&text);
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                seen_root = true;
                if depth > limits.max_depth {
                    return Err(xml_err(path, &text, pos, &depth_msg(limits)));
                }
            }
            Ok(Event::Empty(_)) => seen_root = true,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(xml_err(path, &text, pos, &e.to_string())),
        }
    }
    if depth > 0 {
        return Err(xml_err(
            path,
            &text,
            text.len(),
            "the file ends before its elements are closed (truncated?)",
        ));
    }
    if !seen_root {
        return Err(IngestError::Xml {
            path: path.to_string(),
            message: "no XML element found".into(),
        });
    }
    Ok(())
}

fn depth_msg(limits: &Limits) -> String {
    format!(
        "elements nested deeper than {} levels (max_depth); refusing to read further",
        limits.max_depth
    )
}

fn xml_err(path: &str, text: &str, pos: usize, what: &str) -> IngestError {
    let (line, col) = line_col(text, pos);
    IngestError::Xml {
        path: path.to_string(),
        message: format!("malformed XML at line {line}, column {col}: {what}"),
    }
}

/// Parse JUnit text (already decoded).
pub fn parse_junit_str(
    text: &str,
    path: &str,
    limits: &Limits,
) -> Result<JunitReport, IngestError> {
    parse_junit_cached(text, path, limits, &NameCache::default())
}

/// Parse JUnit text (already decoded), sharing derived names through `cache`.
pub fn parse_junit_cached(
    text: &str,
    path: &str,
    limits: &Limits,
    cache: &NameCache,
) -> Result<JunitReport, IngestError> {
    read_report(text, path, limits, cache, true)
}

/// The reader with its fast lane shut: quick-xml events for every element.
/// It gives the same report, warnings and errors as [`parse_junit`]; the
/// tests and the fuzz target hold the two to that.
#[doc(hidden)]
pub fn parse_junit_events_only(
    bytes: &[u8],
    path: &str,
    limits: &Limits,
) -> Result<JunitReport, IngestError> {
    let text = decode_xml(bytes, path)?;
    read_report(&text, path, limits, &NameCache::default(), false)
}

/// The event loop. Where `fast_lane` allows, plain testcase elements are
/// read by [`plain_case`] instead of as quick-xml events.
fn read_report(
    text: &str,
    path: &str,
    limits: &Limits,
    cache: &NameCache,
    fast_lane: bool,
) -> Result<JunitReport, IngestError> {
    let mut reader = Reader::from_str(text);
    let mut report = JunitReport::default();
    let mut depth = 0usize;
    let mut root: Option<String> = None;
    let mut current: Option<Pending> = None;
    let mut target = TextTarget::None;
    let mut ctx = Ctx::new(text, path, limits, cache);

    // Bytes the fast lane took past quick-xml (its positions are short by
    // this much), and whether quick-xml's last event ended at a tag's `>`,
    // where the fast lane may take over.
    let mut lane_taken = 0usize;
    let mut after_tag = false;
    loop {
        if fast_lane
            && after_tag
            && current.is_none()
            && root.is_some()
            && depth + 2 <= limits.max_depth
        {
            let rest: &[u8] = reader.get_ref();
            let from = text.len() - rest.len();
            let mut taken = 0;
            while let Some(case) = text.get(from + taken..).and_then(plain_case) {
                take_plain(&case, &mut report, &mut ctx);
                taken += case.len;
            }
            if taken > 0 {
                *reader.get_mut() = &rest[taken..];
                lane_taken += taken;
            }
        }
        let pos = reader.buffer_position() as usize + lane_taken;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(xml_err(path, text, pos, &e.to_string())),
        };
        after_tag = matches!(event, Event::Start(_) | Event::Empty(_) | Event::End(_));
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(xml_err(path, text, pos, &depth_msg(limits)));
                }
                if root.is_none() {
                    root = Some(check_root(&e, path)?);
                }
                target = open_element(&e, false, &mut current, &mut report, &mut ctx)?;
            }
            Event::Empty(e) => {
                if root.is_none() {
                    root = Some(check_root(&e, path)?);
                }
                open_element(&e, true, &mut current, &mut report, &mut ctx)?;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "testcase" => {
                        if let Some(p) = current.take() {
                            finish_case(p, &mut report, &mut ctx);
                        }
                        target = TextTarget::None;
                    }
                    "failure" | "error" | "system-out" | "system-err" | "skipped" => {
                        target = TextTarget::None;
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if target != TextTarget::None
                    && let Some(p) = current.as_mut()
                {
                    push_capped(p, target, &t.xml10_content(), limits);
                }
            }
            Event::CData(t) => {
                if target != TextTarget::None
                    && let Some(p) = current.as_mut()
                {
                    push_capped(p, target, &t.xml10_content(), limits);
                }
            }
            Event::GeneralRef(r) => {
                if target != TextTarget::None
                    && let Some(p) = current.as_mut()
                {
                    let name = r.into_inner();
                    let resolved = match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => match BytesRefChar(&name).resolve() {
                            Some(c) => c.to_string(),
                            // Custom entities are never expanded: the reference stays as text.
                            None => format!("&{name};"),
                        },
                    };
                    push_capped(p, target, &resolved, limits);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 || current.is_some() {
        return Err(xml_err(
            path,
            text,
            text.len(),
            "the file ends before its elements are closed (truncated?)",
        ));
    }
    if root.is_none() {
        return Err(IngestError::Xml {
            path: path.to_string(),
            message: "not XML: no element found".into(),
        });
    }
    ctx.resolve_names(&mut report);
    Ok(report)
}

/// A character reference (`#65`, `#x41`) by its text.
struct BytesRefChar<'a>(&'a str);

impl BytesRefChar<'_> {
    fn resolve(&self) -> Option<char> {
        let num = self.0.strip_prefix('#')?;
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)
    }
}

fn check_root(e: &BytesStart<'_>, path: &str) -> Result<String, IngestError> {
    let name = e.name().as_ref().to_string();
    if name == "testsuites" || name == "testsuite" {
        Ok(name)
    } else {
        Err(IngestError::Xml {
            path: path.to_string(),
            message: format!(
                "not a JUnit report: the root element is <{}>, expected <testsuites> or <testsuite>",
                truncate_for_message(&name)
            ),
        })
    }
}

fn truncate_for_message(s: &str) -> &str {
    match s.char_indices().nth(60) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn push_capped(p: &mut Pending, target: TextTarget, s: &str, limits: &Limits) {
    let buf = match target {
        TextTarget::Failure => &mut p.failure_text,
        TextTarget::Output => &mut p.output,
        TextTarget::None => return,
    };
    let room = limits.max_attr_bytes.saturating_sub(buf.len());
    if room == 0 {
        return;
    }
    if s.len() <= room {
        buf.push_str(s);
    } else {
        let mut cut = room;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        buf.push_str(&s[..cut]);
        buf.push_str("\n… (cut at max_attr_bytes)");
    }
}

/// The value of an attribute, unescaped, cut at the attribute limit.
fn attr_value<'a>(
    raw: &'a str,
    escaped: bool,
    key: &str,
    path: &str,
    limits: &Limits,
    warnings: &mut Vec<String>,
    warned: &mut bool,
) -> Cow<'a, str> {
    let mut raw = raw;
    if raw.len() > limits.max_attr_bytes {
        if !*warned {
            warnings.push(format!(
                "{path}: attribute `{key}` is {} bytes, over max_attr_bytes ({}); kept the first {} bytes",
                raw.len(),
                limits.max_attr_bytes,
                limits.max_attr_bytes
            ));
            *warned = true;
        }
        let mut cut = limits.max_attr_bytes;
        while !raw.is_char_boundary(cut) {
            cut -= 1;
        }
        raw = &raw[..cut];
    }
    if !escaped {
        return Cow::Borrowed(raw);
    }
    match quick_xml::escape::unescape(raw) {
        Ok(v) => v,
        // An unknown entity (never expanded) or a dangling `&`: keep the text.
        Err(_) => Cow::Borrowed(raw),
    }
}

fn open_element(
    e: &BytesStart<'_>,
    empty: bool,
    current: &mut Option<Pending>,
    report: &mut JunitReport,
    ctx: &mut Ctx<'_>,
) -> Result<TextTarget, IngestError> {
    let name = e.name();
    let name = name.as_ref();
    match name {
        "testsuites" | "testsuite" => {
            if report.duration_secs.is_none() {
                for attr in e.attributes().with_checks(false).flatten() {
                    match attr.key.as_ref() {
                        "time" => report.duration_secs = parse_secs(&attr.value),
                        // Room for the specs the suite announces, bounded by
                        // what the file could hold (a hostile count costs
                        // nothing).
                        "tests" if report.tests.is_empty() => {
                            if let Ok(n) = attr.value.trim().parse::<usize>() {
                                report.tests.reserve(n.min(ctx.text_len / 64));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Ok(TextTarget::None)
        }
        "testcase" => {
            if let Some(p) = current.take() {
                // A testcase inside a testcase is malformed; keep the outer one.
                finish_case(p, report, ctx);
            }
            let mut p = Pending::default();
            let path = ctx.path;
            let warnings = &mut report.warnings;
            let mut on_attr = |key: &str, value: &str, escaped: bool| {
                case_attr(&mut p, key, value, escaped, ctx, warnings);
            };
            // Fast path: a plain scan of the attribute text. Anything unusual
            // falls back to quick-xml's iterator, which says what is wrong.
            if !scan_attrs(e.attributes_raw(), &mut on_attr) {
                checked_attrs(e, path, on_attr)?;
            }
            if empty {
                finish_case(p, report, ctx);
            } else {
                *current = Some(p);
            }
            Ok(TextTarget::None)
        }
        "skipped" | "failure" | "error" => {
            let Some(p) = current.as_mut() else {
                return Ok(TextTarget::None);
            };
            let mut found = ChildAttrs::default();
            let path = ctx.path;
            let warnings = &mut report.warnings;
            if !scan_attrs(e.attributes_raw(), |key, value, escaped| {
                found.take(key, value, escaped, ctx, warnings);
            }) {
                found = ChildAttrs::default();
                // Attributes of these elements are informative: a bad one
                // is skipped rather than failing the file.
                let _ = checked_attrs(e, path, |key, value, escaped| {
                    found.take(key, value, escaped, ctx, warnings);
                });
            }
            found.apply(p, name);
            Ok(if empty || name == "skipped" {
                TextTarget::None
            } else {
                TextTarget::Failure
            })
        }
        "system-out" | "system-err" => {
            if let Some(p) = current.as_mut()
                && !p.output.is_empty()
                && !empty
            {
                p.output.push('\n');
            }
            Ok(if empty || current.is_none() {
                TextTarget::None
            } else {
                TextTarget::Output
            })
        }
        _ => Ok(TextTarget::None),
    }
}

/// quick-xml's checked attribute iterator, for what [`scan_attrs`] does not
/// take: calls `f` like it does, and names the file on a bad attribute.
fn checked_attrs(
    e: &BytesStart<'_>,
    path: &str,
    mut f: impl FnMut(&str, &str, bool),
) -> Result<(), IngestError> {
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|err| IngestError::Xml {
            path: path.to_string(),
            message: format!(
                "bad attribute in <{}>: {err}",
                truncate_for_message(e.name().as_ref())
            ),
        })?;
        f(attr.key.as_ref(), &attr.value, true);
    }
    Ok(())
}

/// The `<testcase>` attributes the reader uses, in the order of the fast
/// lane's slots (`fastlane::CASE_KEYS`).
#[derive(Clone, Copy)]
enum CaseAttr {
    Name,
    Time,
    Status,
}

impl CaseAttr {
    const SLOTS: [CaseAttr; 3] = [CaseAttr::Name, CaseAttr::Time, CaseAttr::Status];

    fn of(key: &str) -> Option<CaseAttr> {
        match key {
            "name" => Some(CaseAttr::Name),
            "time" => Some(CaseAttr::Time),
            "status" => Some(CaseAttr::Status),
            _ => None,
        }
    }

    /// Take this attribute's value (raw, still escaped) into the spec.
    fn take(
        self,
        p: &mut Pending,
        value: &str,
        escaped: bool,
        ctx: &mut Ctx<'_>,
        warnings: &mut Vec<String>,
    ) {
        match self {
            CaseAttr::Name => {
                let raw = ctx.attr_value(value, escaped, "name", warnings);
                p.raw = Some(ctx.raw_name(raw));
            }
            CaseAttr::Time => p.time = parse_secs(value).unwrap_or(0.0),
            CaseAttr::Status => p.status = Some(parse_status(value)),
        }
    }
}

/// Take one attribute of a `<testcase>` element.
fn case_attr(
    p: &mut Pending,
    key: &str,
    value: &str,
    escaped: bool,
    ctx: &mut Ctx<'_>,
    warnings: &mut Vec<String>,
) {
    if let Some(attr) = CaseAttr::of(key) {
        attr.take(p, value, escaped, ctx, warnings);
    }
}

/// The attributes of an outcome element the reader uses, in the order of
/// the fast lane's slots (`fastlane::SKIPPED_KEYS`).
#[derive(Clone, Copy)]
enum ChildAttr {
    Message,
    Type,
}

impl ChildAttr {
    const SLOTS: [ChildAttr; 2] = [ChildAttr::Message, ChildAttr::Type];

    fn of(key: &str) -> Option<ChildAttr> {
        match key {
            "message" => Some(ChildAttr::Message),
            "type" => Some(ChildAttr::Type),
            _ => None,
        }
    }
}

/// What the attributes of an outcome element (`<skipped>`, `<failure>`,
/// `<error>`) say.
#[derive(Default)]
struct ChildAttrs {
    message: Option<Arc<str>>,
    kind: Option<Arc<str>>,
}

impl ChildAttrs {
    /// Take one attribute.
    fn take(
        &mut self,
        key: &str,
        value: &str,
        escaped: bool,
        ctx: &mut Ctx<'_>,
        warnings: &mut Vec<String>,
    ) {
        if let Some(attr) = ChildAttr::of(key) {
            self.take_attr(attr, value, escaped, ctx, warnings);
        }
    }

    fn take_attr(
        &mut self,
        attr: ChildAttr,
        value: &str,
        escaped: bool,
        ctx: &mut Ctx<'_>,
        warnings: &mut Vec<String>,
    ) {
        match attr {
            ChildAttr::Message => self.message = Some(ctx.message(value, escaped, warnings)),
            ChildAttr::Type => self.kind = Some(ctx.shared(value)),
        }
    }

    /// Mark the spec with the outcome element `name` and keep the first
    /// message it is given.
    fn apply(self, p: &mut Pending, name: &str) {
        let message = self.message.filter(|m| !m.is_empty());
        if name == "skipped" {
            p.skipped = true;
            if p.message.is_none() {
                p.message = message;
            }
        } else {
            let kind = if name == "error" {
                FailureKind::Error
            } else {
                FailureKind::Failed
            };
            p.failure.get_or_insert(kind);
            if p.message.is_none() {
                p.message = message.or(self.kind);
            }
        }
    }
}

/// Take a testcase the fast lane read, as the event loop would have (the
/// values come by slot, in the order of the fast lane's key lists).
fn take_plain(c: &PlainCase<'_>, report: &mut JunitReport, ctx: &mut Ctx<'_>) {
    let mut p = Pending::default();
    for (attr, value) in CaseAttr::SLOTS.into_iter().zip(c.case.values) {
        if let Some(v) = value {
            attr.take(&mut p, v.raw, v.escaped, ctx, &mut report.warnings);
        }
    }
    if let Some(attrs) = &c.skipped {
        let mut found = ChildAttrs::default();
        for (attr, value) in ChildAttr::SLOTS.into_iter().zip(attrs.values) {
            if let Some(v) = value {
                found.take_attr(attr, v.raw, v.escaped, ctx, &mut report.warnings);
            }
        }
        found.apply(&mut p, "skipped");
    }
    finish_case(p, report, ctx);
}

/// What one parse carries from element to element.
struct Ctx<'a> {
    /// The whole text, which bounds how many specs it holds and holds the
    /// names of [`RawName::Span`].
    text: &'a str,
    /// The length of the whole text.
    text_len: usize,
    path: &'a str,
    limits: &'a Limits,
    cache: &'a NameCache,
    /// Whether an over-long attribute has been reported for this file.
    long_attr_warned: bool,
    /// The last message read, shared with the next spec that has the same
    /// one (thousands of specs say just `skipped`).
    last_message: Option<Arc<str>>,
    /// What every spec holds until [`Ctx::resolve_names`] gives it its own.
    placeholder: Arc<Names>,
    /// Each spec's place (`true`: a suite node) and raw name, in file order.
    unnamed: Vec<(bool, usize, RawName)>,
}

/// A spec's raw name: where it lies in the file's text, or its text when it
/// had to be unescaped or cut.
enum RawName {
    Span(usize, usize),
    Owned(Box<str>),
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, path: &'a str, limits: &'a Limits, cache: &'a NameCache) -> Self {
        Ctx {
            text,
            text_len: text.len(),
            path,
            limits,
            cache,
            long_attr_warned: false,
            last_message: None,
            placeholder: cache.names(""),
            unnamed: Vec::new(),
        }
    }

    /// A raw name as a span of the text when it is one.
    fn raw_name(&self, raw: Cow<'_, str>) -> RawName {
        if let Cow::Borrowed(b) = &raw {
            let start = (b.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
            let end = start.wrapping_add(b.len());
            if end <= self.text.len() && self.text.get(start..end) == Some(*b) {
                return RawName::Span(start, end);
            }
        }
        RawName::Owned(raw.into_owned().into_boxed_str())
    }

    /// The text of a raw name.
    fn raw_text<'r>(&'r self, raw: &'r RawName) -> &'r str {
        match raw {
            RawName::Span(a, b) => self.text.get(*a..*b).unwrap_or(""),
            RawName::Owned(s) => s,
        }
    }

    /// Give every spec of `report` its names, looked up together: a batch
    /// lets the memory reads of many lookups overlap, where one lookup at a
    /// time waits for each in turn.
    fn resolve_names(&mut self, report: &mut JunitReport) {
        let unnamed = std::mem::take(&mut self.unnamed);
        let raws: Vec<&str> = unnamed.iter().map(|(_, _, r)| self.raw_text(r)).collect();
        let names = self.cache.names_many(&raws);
        for ((suite, at, _), n) in unnamed.iter().zip(names) {
            let list = if *suite {
                &mut report.suite_nodes
            } else {
                &mut report.tests
            };
            if let Some(case) = list.get_mut(*at) {
                case.names = n;
            }
        }
    }
}

impl Ctx<'_> {
    /// The value of an attribute, unescaped, cut at the attribute limit.
    fn attr_value<'v>(
        &mut self,
        raw: &'v str,
        escaped: bool,
        key: &str,
        warnings: &mut Vec<String>,
    ) -> Cow<'v, str> {
        attr_value(
            raw,
            escaped,
            key,
            self.path,
            self.limits,
            warnings,
            &mut self.long_attr_warned,
        )
    }

    /// A message attribute as a shared string.
    fn message(&mut self, raw: &str, escaped: bool, warnings: &mut Vec<String>) -> Arc<str> {
        let value = self.attr_value(raw, escaped, "message", warnings);
        self.shared(&value)
    }

    /// `value` as a shared string: the last one again when it is the same.
    fn shared(&mut self, value: &str) -> Arc<str> {
        match &self.last_message {
            Some(last) if **last == *value => last.clone(),
            _ => {
                let arc: Arc<str> = Arc::from(value);
                self.last_message = Some(arc.clone());
                arc
            }
        }
    }
}

/// Scan `key="value"` pairs of an element's attribute text, calling `f` with
/// each key, raw (still escaped) value, and whether the value holds an `&`
/// (so needs unescaping). Returns false at the first thing that is not a
/// plain well-formed attribute, so the caller can fall back to quick-xml's
/// checked iterator.
fn scan_attrs<'a>(text: &'a str, mut f: impl FnMut(&'a str, &'a str, bool)) -> bool {
    let text = text.trim_end_matches('/');
    let b = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() {
            return true;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &text[key_start..i];
        skip_ws(&mut i);
        if key.is_empty() || i >= b.len() || b[i] != b'=' {
            return false;
        }
        i += 1;
        skip_ws(&mut i);
        let Some(&quote) = b.get(i) else {
            return false;
        };
        if quote != b'"' && quote != b'\'' {
            return false;
        }
        // One pass finds the closing quote, a stray `<` and any entity.
        let start = i + 1;
        let mut escaped = false;
        let mut at = start;
        let close = loop {
            match memchr::memchr3(quote, b'<', b'&', &b[at..]) {
                Some(off) if b[at + off] == quote => break at + off,
                Some(off) if b[at + off] == b'&' => {
                    escaped = true;
                    at += off + 1;
                }
                _ => return false,
            }
        };
        f(key, &text[start..close], escaped);
        i = close + 1;
    }
}

fn parse_secs(s: &str) -> Option<f64> {
    // Every skipped spec says `time="0"`.
    if s == "0" {
        return Some(0.0);
    }
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// A Ginkgo v2 `status` attribute, without allocating for the known words.
fn parse_status(value: &str) -> Result<Outcome, String> {
    let v = value.trim();
    const KNOWN: [(&str, Outcome); 9] = [
        ("passed", Outcome::Passed),
        ("skipped", Outcome::Skipped),
        ("pending", Outcome::Pending),
        ("failed", Outcome::Failed(FailureKind::Failed)),
        ("timedout", Outcome::Failed(FailureKind::TimedOut)),
        ("aborted", Outcome::Failed(FailureKind::Aborted)),
        ("panicked", Outcome::Failed(FailureKind::Panicked)),
        ("interrupted", Outcome::Failed(FailureKind::Interrupted)),
        ("error", Outcome::Failed(FailureKind::Error)),
    ];
    KNOWN
        .iter()
        .find(|(word, _)| v.eq_ignore_ascii_case(word))
        .map(|(_, o)| *o)
        .ok_or_else(|| v.to_string())
}

fn finish_case(p: Pending, report: &mut JunitReport, ctx: &mut Ctx<'_>) {
    let path = ctx.path;
    let raw = p.raw.unwrap_or(RawName::Owned(Box::from("")));
    let raw_text = ctx.raw_text(&raw);
    let outcome = match p.status {
        Some(Ok(outcome)) => outcome,
        other => {
            if let Some(Err(s)) = other {
                report.warnings.push(format!(
                    "{path}: unknown status \"{}\" for \"{}\"; judged by its child elements",
                    truncate_for_message(&s),
                    truncate_for_message(raw_text)
                ));
            }
            if let Some(kind) = p.failure {
                Outcome::Failed(kind)
            } else if p.skipped {
                Outcome::Skipped
            } else {
                Outcome::Passed
            }
        }
    };
    let suite = is_suite_node(raw_text);
    let case = TestCase {
        names: ctx.placeholder.clone(),
        outcome,
        duration_secs: p.time,
        message: p.message,
        text: TestText::boxed(
            Some(p.failure_text)
                .filter(|s| !s.trim().is_empty())
                .map(String::into_boxed_str),
            Some(p.output)
                .filter(|s| !s.trim().is_empty())
                .map(String::into_boxed_str),
        ),
    };
    let list = if suite {
        &mut report.suite_nodes
    } else {
        &mut report.tests
    };
    ctx.unnamed.push((suite, list.len(), raw));
    list.push(case);
    // Looked up in batches, large enough for the reads of many lookups to
    // overlap, while the names just parsed are still near in memory. (On
    // the shared data this measured the same as one batch a file; it keeps
    // the list of pending names short.)
    if ctx.unnamed.len() >= NAME_BATCH {
        ctx.resolve_names(report);
    }
}

/// How many specs' names [`Ctx::resolve_names`] looks up at once.
const NAME_BATCH: usize = 128;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    const V1: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
  <testsuite name="Kubernetes e2e suite" tests="2" failures="1" errors="0" time="12.5">
      <testcase name="[k8s.io] Pods should run [Conformance]" classname="Kubernetes e2e suite" time="1.5"></testcase>
      <testcase name="[sig-network] Services should serve &amp; route [Conformance]" classname="x" time="2">
          <failure type="Failure">boom &lt;here&gt;</failure>
          <system-out>log line</system-out>
      </testcase>
      <testcase name="[sig-storage] HostPath should work [Conformance]" classname="x" time="0">
          <skipped></skipped>
      </testcase>
  </testsuite>"#;

    #[test]
    fn reads_ginkgo_v1() {
        let r = parse_junit(V1.as_bytes(), "v1.xml", &Limits::default()).unwrap();
        assert_eq!(r.tests.len(), 3);
        assert_eq!(r.duration_secs, Some(12.5));
        assert_eq!(r.tests[0].status(), Status::Passed);
        assert_eq!(r.tests[1].outcome, Outcome::Failed(FailureKind::Failed));
        assert_eq!(
            r.tests[1].name(),
            "[sig-network] Services should serve & route [Conformance]"
        );
        assert_eq!(r.tests[1].failure_text(), Some("boom <here>"));
        assert_eq!(r.tests[1].output(), Some("log line"));
        assert_eq!(r.tests[2].status(), Status::Skipped);
        assert_eq!(r.tests[2].sig(), Some("sig-storage"));
    }

    #[test]
    fn reads_ginkgo_v2_statuses_and_suite_nodes() {
        let xml = r#"<testsuites><testsuite time="3">
            <testcase name="[SynchronizedBeforeSuite]" status="passed" time="0.1"></testcase>
            <testcase name="[It] [sig-a] A  times out [Conformance]" status="timedout" time="1"><failure message="timeout">t</failure></testcase>
            <testcase name="[It] [sig-a] B [Conformance]" status="skipped" time="0"><skipped message="skipped - no nodes"/></testcase>
            <testcase name="[It] [sig-a] C" status="pending" time="0"><skipped message="pending"/></testcase>
            <testcase name="[ReportAfterSuite] Kubernetes e2e suite report" status="passed" time="0.1"></testcase>
        </testsuite></testsuites>"#;
        let r = parse_junit(xml.as_bytes(), "v2.xml", &Limits::default()).unwrap();
        assert_eq!(r.suite_nodes.len(), 2);
        assert_eq!(r.tests.len(), 3);
        assert_eq!(r.tests[0].name(), "[sig-a] A times out [Conformance]");
        assert_eq!(r.tests[0].outcome, Outcome::Failed(FailureKind::TimedOut));
        assert_eq!(r.tests[1].message.as_deref(), Some("skipped - no nodes"));
        assert_eq!(r.tests[2].outcome, Outcome::Pending);
        assert!(!r.tests[2].conformance());
    }

    #[test]
    fn refuses_truncated_and_foreign_roots() {
        let cut = &V1[..V1.len() / 2];
        let e = parse_junit(cut.as_bytes(), "cut.xml", &Limits::default()).unwrap_err();
        assert!(e.to_string().starts_with("cut.xml: "), "{e}");
        let e = parse_junit(b"<html></html>", "page.xml", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("not a JUnit report"), "{e}");
    }

    #[test]
    fn decodes_latin1_and_utf16() {
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><testsuite><testcase name=\"caf\xe9\"/></testsuite>";
        let r = parse_junit(latin, "l.xml", &Limits::default()).unwrap();
        assert_eq!(r.tests[0].name(), "café");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<testsuite><testcase name=\"ü\"/></testsuite>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let r = parse_junit(&utf16, "u.xml", &Limits::default()).unwrap();
        assert_eq!(r.tests[0].name(), "ü");
        let e = parse_junit(
            b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><testsuite/>",
            "s.xml",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("shift_jis"), "{e}");
    }
}

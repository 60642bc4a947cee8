//! Readers for a CNCF submission's `PRODUCT.yaml` and Sonobuoy's
//! `serverversion.json`.
//!
//! PRODUCT.yaml is a flat mapping of strings. It is read through
//! yaml-rust2's event parser, keeping only top-level scalar pairs: aliases
//! are never expanded (no "billion laughs"), nested values are ignored.
//!
//! Some accepted submissions wrap a double-quoted `description` onto a next
//! line that starts at column 0. Go's YAML package and PyYAML read that;
//! yaml-rust2 does not. When strict parsing fails, the top-level
//! `key: value` lines are read one by one (a quoted value may go on over
//! the next lines), with a warning that says so: the vendor and the name
//! are never lost to a wrapped description.

use yaml_rust2::parser::{Event, EventReceiver, Parser};

use crate::model::Product;

/// Largest PRODUCT.yaml read; real ones are under 2 KB.
const MAX_PRODUCT_BYTES: usize = 256 * 1024;

#[derive(Default)]
struct FlatMap {
    depth: usize,
    key: Option<String>,
    pairs: Vec<(String, String)>,
    root_is_map: Option<bool>,
}

impl EventReceiver for FlatMap {
    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.depth == 0 {
                    self.root_is_map = Some(matches!(ev, Event::MappingStart(..)));
                } else if self.depth == 1 {
                    // A nested value: its key gets no scalar value.
                    self.key = None;
                }
                self.depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.depth = self.depth.saturating_sub(1);
            }
            Event::Scalar(value, ..) => {
                if self.depth == 0 {
                    self.root_is_map.get_or_insert(false);
                } else if self.depth == 1 && self.root_is_map == Some(true) {
                    match self.key.take() {
                        None => self.key = Some(value),
                        Some(k) => {
                            if self.pairs.len() < 1000 {
                                self.pairs.push((k, value));
                            }
                        }
                    }
                }
            }
            // A key or value given by alias is ignored, never expanded.
            Event::Alias(_) if self.depth == 1 && self.key.take().is_none() => {
                self.key = Some(String::new());
            }
            _ => {}
        }
    }
}

/// Parse PRODUCT.yaml, with a warning when its fields had to be recovered
/// line by line. The error says what is wrong (the caller adds the file).
pub fn parse_product(bytes: &[u8]) -> Result<(Product, Option<String>), String> {
    if bytes.len() > MAX_PRODUCT_BYTES {
        return Err(format!(
            "{} bytes is too large for a PRODUCT.yaml (at most {MAX_PRODUCT_BYTES})",
            bytes.len()
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 text at byte {}; expected YAML",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let mut map = FlatMap::default();
    let (pairs, warning) = match Parser::new_from_str(text).load(&mut map, false) {
        Ok(()) => {
            if map.root_is_map != Some(true) {
                return Err("expected a mapping of fields (vendor, name, version, ...)".into());
            }
            (map.pairs, None)
        }
        Err(e) => {
            let strict = format!("not valid YAML: {e}");
            let pairs = recover_pairs(text);
            let named = pairs.iter().any(|(k, _)| k == "vendor" || k == "name");
            if !named {
                return Err(strict);
            }
            let warning = format!(
                "{strict}; its `key: value` lines were read one by one, as Go's YAML reader and PyYAML read them"
            );
            (pairs, Some(warning))
        }
    };
    Ok((fill(pairs), warning))
}

/// The top-level `key: value` lines of a mapping that a strict parser
/// refused. A value in quotes may go on over the following lines (their
/// breaks read as spaces, as YAML folds them); a plain value ends at its
/// line, and a ` #` comment after it is dropped. Values that are not plain
/// or quoted scalars are left out.
fn recover_pairs(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let simple_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !simple_key || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let rest = rest.trim();
        // Only scalars are recovered: a flow collection, an anchor, an
        // alias, a tag or a block scalar is left out.
        if rest.starts_with(['[', '{', '&', '*', '!', '|', '>']) {
            continue;
        }
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let mut text = rest[1..].to_string();
                let mut closed = closing_quote(&text, quote);
                while closed.is_none() {
                    let Some(next) = lines.next() else {
                        break;
                    };
                    text.push(' ');
                    text.push_str(next.trim());
                    closed = closing_quote(&text, quote);
                }
                let end = closed.unwrap_or(text.len());
                unquote(&text[..end], quote)
            }
            _ => match rest.find(" #") {
                Some(i) => rest[..i].trim_end().to_string(),
                None => rest.to_string(),
            },
        };
        if pairs.len() < 1000 {
            pairs.push((key.to_string(), value));
        }
    }
    pairs
}

/// Where the closing `quote` of a quoted value is in `text` (which starts
/// after the opening one).
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quote == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote as u8 {
            // '' is an escaped quote in single-quoted YAML.
            if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The text of a quoted value: its escapes undone.
fn unquote(text: &str, quote: char) -> String {
    if quote == '\'' {
        return text.replace("''", "'");
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A product from its fields.
fn fill(pairs: Vec<(String, String)>) -> Product {
    let mut product = Product::default();
    for (key, value) in pairs {
        let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        let slot = match key.as_str() {
            "vendor" => &mut product.vendor,
            "name" => &mut product.name,
            "version" => &mut product.version,
            "type" => &mut product.kind,
            "description" => &mut product.description,
            "website_url" => &mut product.website_url,
            "repo_url" => &mut product.repo_url,
            "documentation_url" => &mut product.documentation_url,
            "product_logo_url" => &mut product.product_logo_url,
            "contact_email_address" => &mut product.contact_email_address,
            _ => continue,
        };
        *slot = value;
    }
    product
}

/// The `gitVersion` of Sonobuoy's `serverversion.json`.
pub fn parse_server_version(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ServerVersion {
        #[serde(rename = "gitVersion")]
        git_version: Option<String>,
    }
    if bytes.len() > MAX_PRODUCT_BYTES {
        return None;
    }
    let v: ServerVersion = serde_json::from_slice(bytes).ok()?;
    v.git_version
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.len() < 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_wrapped_to_column_0_is_read_with_a_warning() {
        let text = b"vendor: Steady Systems\nname: Steady Kubernetes\ndescription: \"A made-up \\\"distribution\\\" whose description\nwraps to column 0.\"\nwebsite_url: https://steady.example.com # ours\n";
        let (p, warning) = parse_product(text).unwrap();
        assert_eq!(p.vendor.as_deref(), Some("Steady Systems"));
        assert_eq!(p.name.as_deref(), Some("Steady Kubernetes"));
        assert_eq!(
            p.description.as_deref(),
            Some("A made-up \"distribution\" whose description wraps to column 0.")
        );
        assert_eq!(p.website_url.as_deref(), Some("https://steady.example.com"));
        let warning = warning.expect("a warning");
        assert!(warning.starts_with("not valid YAML"), "{warning}");
        assert!(warning.contains("read one by one"), "{warning}");
        // Without a vendor or a name there is nothing worth recovering.
        assert!(parse_product(b"description: \"a\nb\"\n").is_err());
    }

    #[test]
    fn reads_product_fields() {
        let p = parse_product(
            b"vendor: Kubermatic\nname: Kubermatic Kubernetes Platform\ndescription: 'a, b'\nversion: v2.26\ntype: Distribution\nextra:\n  nested: x\ncontact_email_address: support@kubermatic.com\n",
        )
        .unwrap().0;
        assert_eq!(p.vendor.as_deref(), Some("Kubermatic"));
        assert_eq!(p.kind.as_deref(), Some("Distribution"));
        assert_eq!(p.description.as_deref(), Some("a, b"));
        assert_eq!(
            p.contact_email_address.as_deref(),
            Some("support@kubermatic.com")
        );
    }

    #[test]
    fn refuses_non_mappings_and_never_expands_aliases() {
        assert!(parse_product(b"- a\n- b\n").is_err());
        assert!(parse_product(b"").is_err());
        assert!(parse_product(b"vendor: [unclosed\n").is_err());
        let bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nname: *d\nvendor: ok\n";
        let p = parse_product(bomb).unwrap().0;
        assert_eq!(p.vendor.as_deref(), Some("ok"));
        assert_eq!(p.name, None);
    }

    #[test]
    fn server_version() {
        assert_eq!(
            parse_server_version(br#"{"major":"1","minor":"21","gitVersion":"v1.21.1"}"#)
                .as_deref(),
            Some("v1.21.1")
        );
        assert_eq!(parse_server_version(b"\x00\x01"), None);
    }
}

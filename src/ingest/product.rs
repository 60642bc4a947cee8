//! Readers for a CNCF submission's `PRODUCT.yaml` and Sonobuoy's
//! `serverversion.json`.
//!
//! PRODUCT.yaml is a flat mapping of strings. It is read through
//! yaml-rust2's event parser, keeping only top-level scalar pairs: aliases
//! are never expanded (no "billion laughs"), nested values are ignored.

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

/// Parse PRODUCT.yaml. The error says what is wrong (the caller adds the file).
pub fn parse_product(bytes: &[u8]) -> Result<Product, String> {
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
    Parser::new_from_str(text)
        .load(&mut map, false)
        .map_err(|e| format!("not valid YAML: {e}"))?;
    if map.root_is_map != Some(true) {
        return Err("expected a mapping of fields (vendor, name, version, ...)".into());
    }
    let mut product = Product::default();
    for (key, value) in map.pairs {
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
    Ok(product)
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
    fn reads_product_fields() {
        let p = parse_product(
            b"vendor: Kubermatic\nname: Kubermatic Kubernetes Platform\ndescription: 'a, b'\nversion: v2.26\ntype: Distribution\nextra:\n  nested: x\ncontact_email_address: support@kubermatic.com\n",
        )
        .unwrap();
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
        let p = parse_product(bomb).unwrap();
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

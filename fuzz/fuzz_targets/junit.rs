//! Fuzz the JUnit reader: any bytes, small limits so deep nesting and long
//! attributes are reached quickly. It must return, never panic.
#![no_main]

use conformance_viewer::ingest::{Limits, junit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_attr_bytes: 256,
        max_depth: 16,
        ..Limits::default()
    };
    if let Ok(report) = junit::parse_junit(data, "fuzz.xml", &limits) {
        for t in &report.tests {
            assert!(!t.name.starts_with("[It]"));
        }
    }
    let _ = junit::check_well_formed(data, "fuzz.xml", &limits);
});

//! Fuzz the JUnit reader: any bytes, small limits so deep nesting and long
//! attributes are reached quickly. It must return, never panic, and the
//! names it derives (on the SIMD fast path where it applies) must equal what
//! the plain byte-by-byte functions give.
#![no_main]

use conformance_viewer::ingest::{Limits, junit};
use conformance_viewer::ingest::names::{display_name, identity_key, sig_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_attr_bytes: 256,
        max_depth: 16,
        ..Limits::default()
    };
    let parsed = junit::parse_junit(data, "fuzz.xml", &limits);
    match (&parsed, &junit::parse_junit_events_only(data, "fuzz.xml", &limits)) {
        (Ok(a), Ok(b)) => assert!(a == b, "the fast lane read it differently"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("fast lane {a:?}, events only {b:?}"),
    }
    if let Ok(report) = parsed {
        for t in report.tests.iter().chain(&report.suite_nodes) {
            let name = display_name(t.raw_name());
            assert_eq!(t.name(), name);
            assert_eq!(t.key(), identity_key(&name));
            assert_eq!(t.sig(), sig_of(&name));
            assert_eq!(t.conformance(), name.contains("[Conformance]"));
        }
    }
    let _ = junit::check_well_formed(data, "fuzz.xml", &limits);
});

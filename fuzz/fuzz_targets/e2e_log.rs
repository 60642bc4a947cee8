//! Fuzz the e2e.log scanner: any bytes; figures it believes must be sane.
#![no_main]

use conformance_viewer::ingest::e2e_log;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let facts = e2e_log::scan_log(data);
    if let Some(s) = facts.summary {
        assert!(s.passed + s.failed <= s.of);
    }
});

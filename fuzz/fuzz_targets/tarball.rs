//! Fuzz the tarball reader (gzip or plain tar) with a small inflation cap,
//! then whatever it finds through the release builder.
#![no_main]

use conformance_viewer::ingest::{Limits, tarball};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_inflated_bytes: 4 * 1024 * 1024,
        max_file_bytes: 1024 * 1024,
        ..Limits::default()
    };
    if let Ok((files, _)) = tarball::read_tarball_from(data, "fuzz.tar.gz", &limits) {
        for (name, bytes) in &files.junit {
            let _ = conformance_viewer::ingest::junit::parse_junit(bytes, name, &limits);
        }
    }
});

//! Fuzz the PRODUCT.yaml and serverversion.json readers.
#![no_main]

use conformance_viewer::ingest::product;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = product::parse_product(data);
    let _ = product::parse_server_version(data);
});

//! The built-in index of Kubernetes' conformance lists
//! (`assets/conformance-index.bin`): up to date with the YAML in
//! `../shared/data/conformance-yaml`, equal to reading that folder, following
//! real renames, and never panicking on damaged bytes.

mod common;

use std::io::{Read, Write};

use conformance_viewer::conformance_index::{self, BUILTIN_INDEX, FORMAT_VERSION, MAGIC};
use conformance_viewer::conformance_list::{ConformanceList, ConformanceLists, ListEntry};

const REGENERATE: &str = "cargo run --example gen_conformance_index -- ../shared/data/conformance-yaml assets/conformance-index.bin";

/// The lists read from the shared YAML, or `None` (skipped) without it.
fn yaml_lists() -> Option<ConformanceLists> {
    let dir = common::shared_data()?.join("conformance-yaml");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let (lists, errors) = ConformanceLists::load_dir(&dir);
    assert!(errors.is_empty(), "{errors:?}");
    Some(lists)
}

fn builtin_ok() -> &'static ConformanceLists {
    match conformance_index::builtin() {
        Ok(lists) => lists,
        Err(e) => panic!("the built-in index does not decode: {e}"),
    }
}

/// Entries as (testname, codename, release, file) for readable diffs.
fn rows(list: &ConformanceList) -> Vec<(&str, &str, &str, &str)> {
    list.entries
        .iter()
        .map(|e| {
            (
                e.testname.as_str(),
                e.codename.as_str(),
                e.release.as_str(),
                e.file.as_str(),
            )
        })
        .collect()
}

fn payload_of(bytes: &[u8]) -> Vec<u8> {
    let mut payload = Vec::new();
    flate2::read::ZlibDecoder::new(&bytes[MAGIC.len() + 1..])
        .read_to_end(&mut payload)
        .unwrap();
    payload
}

fn pack(payload: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(FORMAT_VERSION);
    let mut encoder = flate2::write::ZlibEncoder::new(out, flate2::Compression::fast());
    encoder.write_all(payload).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn committed_index_is_up_to_date_with_the_yaml() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let dir = data.join("conformance-yaml");
    let fresh = conformance_index::build_from_dir(&dir).unwrap();
    if fresh != BUILTIN_INDEX {
        let same_content = conformance_index::payload(&fresh).ok()
            == conformance_index::payload(BUILTIN_INDEX).ok();
        panic!(
            "assets/conformance-index.bin is stale ({} bytes committed, {} bytes from {}{}); \
             regenerate it with:\n  {REGENERATE}",
            BUILTIN_INDEX.len(),
            fresh.len(),
            dir.display(),
            if same_content {
                "; same content, the compressor's output changed"
            } else {
                ""
            }
        );
    }
    // The asset on disk is the one built in.
    let on_disk = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/conformance-index.bin"),
    )
    .unwrap();
    assert!(
        on_disk == BUILTIN_INDEX,
        "rebuild: the asset changed since this test binary was built"
    );
}

#[test]
fn builtin_equals_load_dir_entry_for_entry() {
    let Some(yaml) = yaml_lists() else {
        return;
    };
    let builtin = ConformanceLists::builtin();
    assert_eq!(
        builtin.versions().collect::<Vec<_>>(),
        yaml.versions().collect::<Vec<_>>()
    );
    let mut lookups = 0;
    for version in yaml.versions() {
        let want = yaml.for_version(version).unwrap();
        let got = builtin.for_version(version).unwrap();
        assert_eq!(got.version, want.version);
        assert_eq!(got.label(), want.label());
        assert_eq!(rows(got), rows(want), "{}", want.label());
        assert_eq!(got.entries, want.entries, "{}", want.label());
        assert_eq!(
            got.required().collect::<Vec<_>>(),
            want.required().collect::<Vec<_>>(),
            "{}",
            want.label()
        );
        // Every codename, as JUnit writes it (Ginkgo v2 `[It] ` prefix,
        // doubled spaces) and with another SIG tag (the identity-key path).
        for e in &want.entries {
            let swapped = match e.codename.split_once("] ") {
                Some((_, rest)) => format!("[sig-other] {rest}"),
                None => e.codename.clone(),
            };
            for name in [
                e.codename.clone(),
                format!("[It] {}", e.codename),
                e.codename.replace(' ', "  "),
                swapped,
            ] {
                assert_eq!(got.entry_for(&name), want.entry_for(&name), "{name}");
                assert_eq!(got.testname_for(&name), want.testname_for(&name), "{name}");
                assert_eq!(
                    got.unique_testname_for(&name),
                    want.unique_testname_for(&name),
                    "{name}"
                );
                assert_eq!(
                    builtin.testname_for(version, &name),
                    yaml.testname_for(version, &name)
                );
                lookups += 1;
            }
        }
    }
    assert!(lookups > 20_000, "{lookups}");
}

#[test]
fn builtin_lists_hold_v1_18_to_v1_36() {
    let lists = ConformanceLists::builtin();
    let versions: Vec<(u32, u32)> = lists.versions().collect();
    assert_eq!(versions, (18..=36).map(|m| (1, m)).collect::<Vec<_>>());
    assert_eq!(lists.newest(), Some((1, 36)));
    let sizes: Vec<usize> = versions
        .iter()
        .map(|&v| lists.for_version(v).unwrap().entries.len())
        .collect();
    assert_eq!(
        sizes,
        [
            277, 305, 311, 339, 346, 346, 354, 360, 368, 378, 380, 388, 402, 404, 411, 419, 424,
            441, 446
        ]
    );
    assert!(BUILTIN_INDEX.len() < 100_000, "{}", BUILTIN_INDEX.len());

    // A handful of real names and the lookups on them.
    let v1_36 = lists.for_version((1, 36)).unwrap();
    let exec_hook = "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly [NodeConformance] [Conformance]";
    assert_eq!(
        v1_36.unique_testname_for(&format!("[It] {exec_hook}")),
        Some("Pod Lifecycle, post start exec hook")
    );
    let e = v1_36.entry_for(exec_hook).unwrap();
    assert_eq!(e.release, "v1.9");
    assert_eq!(e.file, "test/e2e/common/node/lifecycle_hook.go");
    // `DNS, cluster` names two tests: a testname, but not a unique one.
    let dns = "[sig-network] DNS should provide DNS for the cluster [Conformance]";
    assert_eq!(v1_36.testname_for(dns), Some("DNS, cluster"));
    assert_eq!(v1_36.unique_testname_for(dns), None);
    // v1.18 has four entries without a testname (filled in from v1.19).
    let v1_18 = lists.for_version((1, 18)).unwrap();
    let unnamed: Vec<&ListEntry> = v1_18
        .entries
        .iter()
        .filter(|e| e.testname.is_empty())
        .collect();
    assert_eq!(unnamed.len(), 4);
    assert!(
        unnamed[0]
            .codename
            .contains("Container Runtime blackbox test")
    );
    assert!(v1_18.entry_for(&unnamed[0].codename).is_some());
    assert_eq!(v1_18.testname_for(&unnamed[0].codename), None);
}

#[test]
fn builtin_follows_the_kubectl_cluster_info_rename() {
    // v1.20 reworded "master" as "control plane"; the testname stayed.
    let master = "[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes master services is included in cluster-info  [Conformance]";
    let control_plane = "[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info  [Conformance]";
    let lists = builtin_ok();
    let v1_19 = lists.for_version((1, 19)).unwrap();
    let v1_20 = lists.for_version((1, 20)).unwrap();
    assert_eq!(
        v1_19.unique_testname_for(master),
        Some("Kubectl, cluster info")
    );
    assert_eq!(
        v1_20.unique_testname_for(&format!("[It] {control_plane}")),
        Some("Kubectl, cluster info")
    );
    // Really a rename: each version knows only its own wording.
    assert!(v1_19.entry_for(control_plane).is_none());
    assert!(v1_20.entry_for(master).is_none());
    // v1.29 dropped the doubled space; normalisation makes it the same name.
    assert_eq!(
        lists.testname_for((1, 36), control_plane),
        Some("Kubectl, cluster info")
    );

    // The same holds in the YAML it was made from.
    if let Some(yaml) = yaml_lists() {
        assert_eq!(
            yaml.testname_for((1, 19), master),
            yaml.testname_for((1, 20), control_plane)
        );
        assert!(yaml.testname_for((1, 20), master).is_none());
    }
}

#[test]
fn merge_adds_newer_versions_and_overrides_same_ones() {
    let mut lists = ConformanceLists::builtin();
    let entry = ListEntry {
        testname: "Future, a test".into(),
        codename: "[sig-apps] Future test [Conformance]".into(),
        release: "v1.37".into(),
        file: "test/e2e/apps/future.go".into(),
    };
    let user = ConformanceLists::from_lists([
        ConformanceList::new((1, 36), vec![entry.clone()]),
        ConformanceList::new((1, 37), vec![entry.clone()]),
    ]);
    let replaced = lists.merge(user);
    assert_eq!(replaced, vec![(1, 36)]);
    assert_eq!(lists.len(), 20);
    assert_eq!(lists.newest(), Some((1, 37)));
    assert_eq!(lists.for_version((1, 36)).unwrap().entries, vec![entry]);
    assert_eq!(
        lists.testname_for((1, 37), "[It] [sig-apps] Future test [Conformance]"),
        Some("Future, a test")
    );
    // The built-in lists themselves are untouched.
    assert_eq!(ConformanceLists::builtin().newest(), Some((1, 36)));
    assert_eq!(
        ConformanceLists::builtin()
            .for_version((1, 36))
            .unwrap()
            .entries
            .len(),
        446
    );
}

#[test]
fn encoding_round_trips_to_the_same_bytes() {
    let lists = builtin_ok();
    let again = conformance_index::encode(lists).unwrap();
    assert!(again == BUILTIN_INDEX, "re-encoding changed the bytes");
    let small = ConformanceLists::from_lists([
        ConformanceList::new(
            (1, 2),
            vec![
                ListEntry {
                    testname: String::new(),
                    codename: "a [Conformance]".into(),
                    release: String::new(),
                    file: String::new(),
                },
                ListEntry {
                    testname: "Ünïcode".into(),
                    codename: "b [Conformance]".into(),
                    release: "v1.2".into(),
                    file: "x.go".into(),
                },
            ],
        ),
        ConformanceList::new((1, 1), Vec::new()),
    ]);
    let decoded = conformance_index::decode(&conformance_index::encode(&small).unwrap()).unwrap();
    assert_eq!(decoded.versions().collect::<Vec<_>>(), vec![(1, 1), (1, 2)]);
    assert_eq!(
        decoded.for_version((1, 2)).unwrap().entries,
        small.for_version((1, 2)).unwrap().entries
    );
    let empty = conformance_index::encode(&ConformanceLists::default()).unwrap();
    assert!(conformance_index::decode(&empty).unwrap().is_empty());
}

#[test]
fn truncated_or_corrupt_index_is_an_error_not_a_panic() {
    let good = BUILTIN_INDEX;
    assert!(conformance_index::decode(good).is_ok());
    // Every prefix of the header and the start of the stream, then a sample.
    let mut cuts: Vec<usize> = (0..200.min(good.len())).collect();
    cuts.extend((200..good.len()).step_by(97));
    cuts.push(good.len() - 1);
    for cut in cuts {
        let err = conformance_index::decode(&good[..cut]);
        assert!(err.is_err(), "a cut at {cut} decoded");
    }
    // Flipped bits anywhere: the checksum or the parser catches them. (A
    // flip may leave a deflate stream that still gives the same bytes, e.g.
    // another back-reference to equal text: then the content is intact.)
    let content = conformance_index::payload(good).unwrap();
    let mut caught = 0;
    let mut flips = 0;
    for pos in (0..good.len()).step_by(53).chain([good.len() - 1]) {
        let mut bad = good.to_vec();
        bad[pos] ^= 0x10;
        flips += 1;
        match conformance_index::decode(&bad) {
            Err(_) => caught += 1,
            Ok(_) => assert_eq!(
                conformance_index::payload(&bad).unwrap(),
                content,
                "a flipped bit at {pos} changed the content undetected"
            ),
        }
    }
    assert!(caught * 10 >= flips * 9, "{caught} of {flips} flips caught");
    let mut trailing = good.to_vec();
    trailing.push(0);
    let err = conformance_index::decode(&trailing).unwrap_err();
    assert!(err.contains("after its end"), "{err}");
    let mut newer = good.to_vec();
    newer[MAGIC.len()] = FORMAT_VERSION + 1;
    let err = conformance_index::decode(&newer).unwrap_err();
    assert!(err.contains("format"), "{err}");
    for junk in [&b""[..], b"CVCI", b"PK\x03\x04", &[0xff; 64]] {
        assert!(conformance_index::decode(junk).is_err());
    }
}

#[test]
fn damaged_payload_behind_a_valid_stream_is_an_error_not_a_panic() {
    let payload = payload_of(BUILTIN_INDEX);
    assert_eq!(
        conformance_index::payload(BUILTIN_INDEX).unwrap(),
        payload,
        "payload() and zlib agree"
    );
    assert!(conformance_index::decode(&pack(&payload)).is_ok());
    // Truncated payloads are always errors.
    for cut in (0..payload.len()).step_by(1499).chain([payload.len() - 1]) {
        let err = conformance_index::decode(&pack(&payload[..cut]));
        assert!(err.is_err(), "a payload cut at {cut} decoded");
    }
    // Changed bytes may still make a valid index (a letter of a name), but
    // never a panic; in the tables after the strings they are mostly errors.
    let tables = payload.len() - 14_000;
    let mut errors = 0;
    let mut tries = 0;
    let positions = (0..tables)
        .step_by(2999)
        .chain((tables..payload.len()).step_by(307));
    for (n, pos) in positions.enumerate() {
        let mut bad = payload.clone();
        bad[pos] = if n % 2 == 0 { 0xff } else { bad[pos] ^ 0x01 };
        tries += 1;
        if conformance_index::decode(&pack(&bad)).is_err() {
            errors += 1;
        }
    }
    assert!(errors * 4 > tries, "{errors} of {tries}");
    // Trailing payload bytes and absurd counts.
    let mut longer = payload.clone();
    longer.push(0);
    assert!(conformance_index::decode(&pack(&longer)).is_err());
    let huge_count = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert!(conformance_index::decode(&pack(&huge_count)).is_err());
    let too_long = [0xff; 11];
    assert!(conformance_index::decode(&pack(&too_long)).is_err());
    // No strings, one entry pointing at string 0.
    assert!(conformance_index::decode(&pack(&[0, 1, 0, 0, 0, 0, 0])).is_err());
    // Versions out of order.
    let mut out_of_order = vec![1, 1, b'x', 1, 0, 0, 0, 0, 2];
    out_of_order.extend([1, 2, 0, 1, 1, 0]);
    assert!(conformance_index::decode(&pack(&out_of_order)).is_err());
    // A huge payload is refused before it fills memory.
    let zeros = vec![0u8; 17 * 1024 * 1024];
    let err = conformance_index::decode(&pack(&zeros)).unwrap_err();
    assert!(err.contains("over"), "{err}");
}

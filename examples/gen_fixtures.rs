//! Writes the generated files of `fixtures/` (JUnit, e2e logs, the Sonobuoy
//! tarball, and everything under `lines/`, PRODUCT.yaml files included).
//! Hand-written files elsewhere (README.md, the PRODUCT.yaml files of
//! `cncf/`, known-test-failures.md, the malformed `skipped_tests.xml`) are
//! left alone.
//!
//! Regenerate with:
//!
//! ```text
//! cargo run --example gen_fixtures
//! ```
//!
//! (`cargo run` builds examples with the dev-dependencies, which turn on the
//! crate's `testing` feature that the generator sits behind.)
//!
//! The output is deterministic: running it again on an unchanged generator
//! leaves `git status` clean. After a regeneration, check the figures in
//! `fixtures/README.md` and `tests/ingest_fixtures.rs` still hold.

use std::io::Write;
use std::path::{Path, PathBuf};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

use conformance_viewer::generate::{Ginkgo, Rng, Run, SpecPlan, SpecRecord};
use conformance_viewer::model::{FailureKind, Outcome};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn write(path: &Path, text: &str) -> Result {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// A spec with a plausible run time (0 when it did not run).
fn spec(rng: &mut Rng, name: &str, outcome: Outcome, location: &str) -> SpecRecord {
    let secs = match outcome {
        Outcome::Skipped | Outcome::Pending => 0.0,
        _ => ((2.0 + rng.unit() * 180.0) * 1e9).round() / 1e9,
    };
    SpecRecord::new(name, outcome, secs, location)
}

fn wall_time(specs: &[SpecRecord], processes: u32) -> f64 {
    let busy: f64 = specs.iter().map(|s| s.duration_secs).sum();
    ((busy / f64::from(processes) + 21.5) * 1e9).round() / 1e9
}

fn base_run(ginkgo: Ginkgo, kube: &str, e2e: &str, seed: u64) -> Run {
    Run {
        ginkgo,
        kube_version: kube.to_string(),
        e2e_version: e2e.to_string(),
        print_versions: true,
        ansi: false,
        processes: 1,
        seed,
        suite_nodes: Vec::new(),
        specs: Vec::new(),
        duration_secs: 0.0,
    }
}

const NODEPORT: &str =
    "[sig-network] Services should be able to create a functioning NodePort service [Conformance]";
const HOSTPORT: &str = "[sig-network] HostPort validates that there is no conflict between pods with same hostPort but different hostIP and protocol [LinuxOnly] [Conformance]";
const ETC_HOSTS: &str = "KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]";
const HOSTPATH_MODE: &str =
    "[sig-storage] HostPath should give a volume the correct mode [LinuxOnly] [NodeConformance]";
const PREEMPTION: &str =
    "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]";

/// Conformance specs that pass on the Supervisor in both releases.
/// `{node}` is `[k8s.io]` in v1.20 and `[sig-node]` in v1.22, as in Kubernetes.
const SUPERVISOR_PASSED: [(&str, &str); 17] = [
    (
        "{node} Pods should be submitted and removed [NodeConformance] [Conformance]",
        "test/e2e/common/pods.go:227",
    ),
    (
        "{node} Pods should get a host IP [NodeConformance] [Conformance]",
        "test/e2e/common/pods.go:205",
    ),
    (
        "{node} Probing container should have monotonically increasing restart count [NodeConformance] [Conformance]",
        "test/e2e/common/container_probe.go:199",
    ),
    (
        "{node} Kubelet when scheduling a busybox command in a pod should print the output to logs [NodeConformance] [Conformance]",
        "test/e2e/common/kubelet.go:52",
    ),
    (
        "[sig-network] Services should serve a basic endpoint from pods  [Conformance]",
        "test/e2e/network/service.go:791",
    ),
    (
        "[sig-network] Services should serve multiport endpoints from pods  [Conformance]",
        "test/e2e/network/service.go:852",
    ),
    (
        "[sig-network] DNS should provide DNS for the cluster  [Conformance]",
        "test/e2e/network/dns.go:50",
    ),
    (
        "[sig-apps] Deployment deployment should support rollover [Conformance]",
        "test/e2e/apps/deployment.go:132",
    ),
    (
        "[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]",
        "test/e2e/apps/daemon_set.go:166",
    ),
    (
        "[sig-apps] ReplicaSet should serve a basic image on each replica with a public image  [Conformance]",
        "test/e2e/apps/replica_set.go:111",
    ),
    (
        "[sig-storage] Secrets should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance] [Conformance]",
        "test/e2e/common/secrets_volume.go:57",
    ),
    (
        "[sig-storage] EmptyDir volumes should support (root,0644,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]",
        "test/e2e/common/empty_dir.go:87",
    ),
    (
        "[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]",
        "test/e2e/common/configmap_volume.go:47",
    ),
    (
        "[sig-api-machinery] Namespaces [Serial] should patch a Namespace [Conformance]",
        "test/e2e/apimachinery/namespace.go:268",
    ),
    (
        "[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]",
        "test/e2e/apimachinery/watch.go:191",
    ),
    (
        "[sig-cli] Kubectl client Kubectl version should check is all data is printed  [Conformance]",
        "test/e2e/kubectl/kubectl.go:1685",
    ),
    (
        "[sig-scheduling] SchedulerPredicates [Serial] validates resource limits of pods that are allowed to run  [Conformance]",
        "test/e2e/scheduling/predicates.go:331",
    ),
];

/// Specs outside the conformance focus, skipped in both releases.
const SUPERVISOR_OUT_OF_SCOPE: [&str; 8] = [
    "[sig-storage] In-tree Volumes [Driver: local][LocalVolumeType: tmpfs] [Testpattern: Dynamic PV (default fs)] subPath should support existing directory",
    "[sig-network] Networking should check kube-proxy urls",
    "{node} Pods should cap back-off at MaxContainerBackOff [Slow][NodeConformance]",
    "[sig-storage] HostPath should support r/w [NodeConformance]",
    "[sig-network] Services should be able to up and down services",
    "[sig-autoscaling] Cluster size autoscaling [Slow] should increase cluster size if pods are pending due to pod anti-affinity [Feature:ClusterSizeAutoscalingScaleUp]",
    "[sig-instrumentation] MetricsGrabber should grab all metrics from a Scheduler.",
    "[sig-cli] Kubectl client Simple pod should support exec through an HTTP proxy",
];

fn supervisor(minor: u32) -> (Run, Vec<SpecRecord>) {
    let node = if minor < 21 { "[k8s.io]" } else { "[sig-node]" };
    let (kube, e2e) = match minor {
        20 => ("v1.20.8+vmware.wcp.1", "v1.20.8"),
        22 => ("v1.22.6+vmware.wcp.1", "v1.22.6"),
        _ => ("v1.24.11+vmware.wcp.1", "v1.24.11"),
    };
    let mut rng = Rng::new(u64::from(minor) * 1000 + 7);
    let mut specs = Vec::new();
    for (name, loc) in SUPERVISOR_PASSED {
        specs.push(spec(
            &mut rng,
            &name.replace("{node}", node),
            Outcome::Passed,
            loc,
        ));
    }
    if minor >= 22 {
        for (name, loc) in [
            (
                "[sig-node] Pods should run through the lifecycle of Pods and PodStatus [Conformance]",
                "test/e2e/common/node/pods.go:896",
            ),
            (
                "[sig-apps] Job should delete a job [Conformance]",
                "test/e2e/apps/job.go:481",
            ),
            (
                "[sig-auth] ServiceAccounts should mount an API token into pods  [Conformance]",
                "test/e2e/auth/service_accounts.go:78",
            ),
        ] {
            specs.push(spec(&mut rng, name, Outcome::Passed, loc));
        }
    }
    let mut skipped = vec![
        spec(
            &mut rng,
            NODEPORT,
            Outcome::Skipped,
            "test/e2e/network/service.go:1174",
        ),
        spec(
            &mut rng,
            HOSTPORT,
            Outcome::Skipped,
            "test/e2e/network/hostport.go:63",
        ),
        spec(
            &mut rng,
            &format!("{node} {ETC_HOSTS}"),
            Outcome::Skipped,
            "test/e2e/common/kubelet_etc_hosts.go:63",
        ),
    ];
    if minor == 20 {
        skipped.push(spec(
            &mut rng,
            &format!("{HOSTPATH_MODE} [Conformance]"),
            Outcome::Skipped,
            "test/e2e/common/host_path.go:48",
        ));
    }
    // v1.24 ran the preemption test, so every test it skipped is one the
    // platform's design explains: conformant except caveats.
    let preemption = if minor < 24 {
        Outcome::Skipped
    } else {
        Outcome::Passed
    };
    let preempted = spec(
        &mut rng,
        PREEMPTION,
        preemption,
        "test/e2e/scheduling/preemption.go:100",
    );
    if minor < 24 {
        skipped.push(preempted);
    } else {
        specs.push(preempted);
    }
    specs.extend(skipped.iter().cloned());
    for name in SUPERVISOR_OUT_OF_SCOPE {
        specs.push(spec(
            &mut rng,
            &name.replace("{node}", node),
            Outcome::Skipped,
            "test/e2e/e2e.go:1",
        ));
    }
    if minor >= 22 {
        // Demoted from conformance after 1.20: still listed, out of scope.
        specs.push(spec(
            &mut rng,
            HOSTPATH_MODE,
            Outcome::Skipped,
            "test/e2e/common/storage/host_path.go:48",
        ));
    }
    rng.shuffle(&mut specs);
    let mut run = base_run(Ginkgo::V1, kube, e2e, u64::from(minor));
    run.duration_secs = wall_time(&specs, 1);
    run.specs = specs;
    (run, skipped)
}

fn acme() -> Run {
    let mut rng = Rng::new(129);
    let c = |rng: &mut Rng, name: &str, outcome: Outcome, loc: &str, msg: Option<&str>| {
        let s = spec(rng, name, outcome, loc);
        match msg {
            Some(m) => s.with_message(m),
            None => s,
        }
    };
    let mut specs = vec![
        c(
            &mut rng,
            "[sig-network] DNS should provide DNS for the cluster  [Conformance]",
            Outcome::Passed,
            "test/e2e/network/dns.go:50",
            None,
        ),
        c(
            &mut rng,
            "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]",
            Outcome::Passed,
            "test/e2e/common/node/pods.go:227",
            None,
        ),
        c(
            &mut rng,
            "[sig-apps] Deployment deployment should support rollover [Conformance]",
            Outcome::Passed,
            "test/e2e/apps/deployment.go:132",
            None,
        ),
        c(
            &mut rng,
            "[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]",
            Outcome::Passed,
            "test/e2e/common/storage/configmap_volume.go:47",
            None,
        ),
        c(
            &mut rng,
            "[sig-network] Services should serve endpoints on same port and different protocols [Conformance]",
            Outcome::Failed(FailureKind::Failed),
            "test/e2e/network/service.go:3859",
            Some(
                "failed to connect to the service over UDP: read udp 10.0.3.7:41234->10.96.12.9:80: i/o timeout",
            ),
        ),
        c(
            &mut rng,
            "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should perform rolling updates and roll backs of template modifications [Conformance]",
            Outcome::Failed(FailureKind::TimedOut),
            "test/e2e/apps/statefulset.go:316",
            Some("A spec timeout occurred"),
        ),
        c(
            &mut rng,
            "[sig-node] Pods should run through the lifecycle of Pods and PodStatus [Conformance]",
            Outcome::Failed(FailureKind::Aborted),
            "test/e2e/common/node/pods.go:896",
            Some("Told to stop trying: the pod was deleted by the node controller"),
        ),
        c(
            &mut rng,
            "[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]",
            Outcome::Failed(FailureKind::Panicked),
            "test/e2e/apimachinery/watch.go:191",
            Some("runtime error: invalid memory address or nil pointer dereference"),
        ),
        c(
            &mut rng,
            "[sig-cli] Kubectl client Proxy server should support proxy with --port 0  [Conformance]",
            Outcome::Failed(FailureKind::Interrupted),
            "test/e2e/kubectl/kubectl.go:1787",
            Some("Interrupted by User"),
        ),
        c(
            &mut rng,
            "[sig-network] Services should have session affinity timeout work for NodePort service [LinuxOnly] [Conformance]",
            Outcome::Skipped,
            "test/e2e/network/service.go:2173",
            Some("Requires at least 2 nodes (not 1)"),
        ),
        c(
            &mut rng,
            "[sig-node] Probing container should be restarted with a local redirect http liveness probe",
            Outcome::Pending,
            "test/e2e/common/node/container_probe.go:281",
            None,
        ),
        c(
            &mut rng,
            "[sig-storage] In-tree Volumes [Driver: local] [LocalVolumeType: tmpfs] [Testpattern: Dynamic PV (block volmode)] provisioning should provision storage with mount options",
            Outcome::Skipped,
            "test/e2e/storage/testsuites/provisioning.go:182",
            None,
        ),
        c(
            &mut rng,
            "[sig-network] Networking should check kube-proxy urls",
            Outcome::Skipped,
            "test/e2e/network/networking.go:132",
            None,
        ),
        c(
            &mut rng,
            "[sig-autoscaling] [HPA] Horizontal pod autoscaling (scale resource: CPU) [Serial] [Slow] Deployment (Pod Resource) Should scale from 1 pod to 3 pods and then from 3 pods to 5 pods using Average Utilization for aggregation",
            Outcome::Skipped,
            "test/e2e/autoscaling/horizontal_pod_autoscaling.go:49",
            None,
        ),
    ];
    rng.shuffle(&mut specs);
    let mut run = base_run(Ginkgo::V2, "v1.29.2", "v1.29.2", 1_291);
    run.ansi = true;
    run.suite_nodes = vec![
        SpecRecord::suite_node("[SynchronizedBeforeSuite]", 0.412_305_117),
        SpecRecord::suite_node("[SynchronizedAfterSuite]", 0.000_301_442),
        SpecRecord::suite_node(
            "[ReportAfterSuite] Kubernetes e2e suite report",
            0.081_775_903,
        ),
    ];
    run.duration_secs = wall_time(&specs, 1);
    run.specs = specs;
    run
}

fn tar_entry<W: Write>(
    builder: &mut tar::Builder<W>,
    path: &str,
    data: &[u8],
    mtime: u64,
) -> Result {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_uid(65532);
    header.set_gid(65532);
    header.set_entry_type(tar::EntryType::Regular);
    builder.append_data(&mut header, path, data)?;
    Ok(())
}

fn tar_dir<W: Write>(builder: &mut tar::Builder<W>, path: &str, mtime: u64) -> Result {
    let mut header = tar::Header::new_gnu();
    header.set_size(0);
    header.set_mode(0o755);
    header.set_mtime(mtime);
    header.set_uid(65532);
    header.set_gid(65532);
    header.set_entry_type(tar::EntryType::Directory);
    builder.append_data(&mut header, path, std::io::empty())?;
    Ok(())
}

fn yaml_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace('\n', " "))
}

fn sonobuoy_results(run: &Run) -> String {
    let failed = run.counts().failed > 0;
    let status = if failed { "failed" } else { "passed" };
    let mut y = format!(
        "name: e2e\nstatus: {status}\nmeta:\n  type: summary\nitems:\n- name: junit_01.xml\n  status: {status}\n  meta:\n    file: results/global/junit_01.xml\n    type: file\n  items:\n  - name: Kubernetes e2e suite\n    status: {status}\n    items:\n"
    );
    let before = run.suite_nodes.iter().filter(|n| n.name.contains("Before"));
    let after = run
        .suite_nodes
        .iter()
        .filter(|n| !n.name.contains("Before"));
    let specs = run.specs.iter().map(|s| (format!("[It] {}", s.name), s));
    let nodes_before = before.map(|n| (n.name.clone(), n));
    let nodes_after = after.map(|n| (n.name.clone(), n));
    for (name, s) in nodes_before.chain(specs).chain(nodes_after) {
        let word = match s.outcome {
            Outcome::Passed => "passed",
            Outcome::Failed(_) => "failed",
            Outcome::Skipped | Outcome::Pending => "skipped",
        };
        y.push_str(&format!(
            "    - name: {}\n      status: {word}\n",
            yaml_quote(&name)
        ));
        if let Outcome::Failed(_) = s.outcome {
            y.push_str(&format!(
                "      details:\n        failure: {}\n",
                yaml_quote(&format!(
                    "{} In [It] at: {}",
                    s.message.as_deref().unwrap_or("failed"),
                    s.location
                ))
            ));
        }
    }
    y
}

fn sonobuoy_tarball(dir: &Path) -> Result {
    let plan = SpecPlan {
        specs: 16,
        conformance: 10,
        failed: 2,
        skipped_conformance: 0,
        suite_nodes: 3,
        ginkgo: Ginkgo::V2,
        minor: 28,
        kube_version: "v1.28.4".into(),
        seed: 28,
    };
    let mut run = Run::from_plan(&plan);
    // As in 1.27+ logs: no version lines, so the version comes from
    // Sonobuoy's serverversion.json.
    run.print_versions = false;
    run.ansi = false;
    let mtime = 1_700_000_000;
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let mut b = tar::Builder::new(gz);
    tar_dir(&mut b, "meta", mtime)?;
    tar_entry(&mut b, "meta/config.json", br#"{"Description":"DEFAULT","UUID":"5b0c4c1e-7d2a-4f7e-9a55-1f2e3d4c5b6a","Version":"v0.57.1","ResultsDir":"/tmp/sonobuoy/results","Namespace":"sonobuoy","WorkerImage":"sonobuoy/sonobuoy:v0.57.1","ImagePullPolicy":"IfNotPresent"}"#, mtime)?;
    tar_entry(&mut b, "meta/info.json", br#"{"plugins":["e2e"]}"#, mtime)?;
    tar_entry(
        &mut b,
        "meta/run.log",
        b"time=\"2023-11-14T22:13:20Z\" level=info msg=\"Scanning plugins in /plugins.d (pwd: /)\"\ntime=\"2023-11-14T22:13:20Z\" level=info msg=\"Starting server Expected Results: [{global e2e}]\"\ntime=\"2023-11-14T23:01:02Z\" level=info msg=\"Results available at /tmp/sonobuoy/results/202311142213_sonobuoy_5b0c4c1e.tar.gz\"\n",
        mtime,
    )?;
    tar_dir(&mut b, "plugins", mtime)?;
    tar_dir(&mut b, "plugins/e2e", mtime)?;
    tar_entry(
        &mut b,
        "plugins/e2e/sonobuoy_results.yaml",
        sonobuoy_results(&run).as_bytes(),
        mtime,
    )?;
    tar_dir(&mut b, "plugins/e2e/results", mtime)?;
    tar_dir(&mut b, "plugins/e2e/results/global", mtime)?;
    tar_entry(
        &mut b,
        "plugins/e2e/results/global/e2e.log",
        run.e2e_log().as_bytes(),
        mtime,
    )?;
    tar_entry(
        &mut b,
        "plugins/e2e/results/global/junit_01.xml",
        run.junit_xml().as_bytes(),
        mtime,
    )?;
    tar_entry(
        &mut b,
        "serverversion.json",
        br#"{"major":"1","minor":"28","gitVersion":"v1.28.4","gitCommit":"bae2c62678db2b5053817bc97181fcc2e8388103","gitTreeState":"clean","buildDate":"2023-11-15T16:48:54Z","goVersion":"go1.20.11","compiler":"gc","platform":"linux/amd64"}"#,
        mtime,
    )?;
    let gz = b.into_inner()?;
    let bytes = gz.finish()?;
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("small-results.tar.gz"), bytes)?;
    Ok(())
}

/// A PRODUCT.yaml with all ten fields of a CNCF submission.
fn product_yaml(vendor: &str, name: &str, version: &str, slug: &str) -> String {
    format!(
        "vendor: {vendor}\nname: {name}\nversion: {version}\ntype: distribution\n\
         description: '{} is a fictional product, made up for the Conformance Viewer fixtures of product lines.'\n\
         website_url: https://{slug}.example.com/\nrepo_url: https://github.com/{slug}-example/{slug}\n\
         documentation_url: https://docs.{slug}.example.com/\nproduct_logo_url: https://{slug}.example.com/logo.svg\n\
         contact_email_address: conformance@{slug}.example.com\n",
        name.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// One small Ginkgo v2 release of a product line: `specs` specs of which
/// `conformance` are required, `failed` of those failed. The log's `Random
/// Seed` (the run's start) grows with `seed`.
fn line_release(
    minor: u32,
    kube: &str,
    specs: usize,
    conformance: usize,
    failed: usize,
    seed: u64,
) -> Run {
    let plan = SpecPlan {
        specs,
        conformance,
        failed,
        skipped_conformance: 0,
        suite_nodes: 3,
        ginkgo: Ginkgo::V2,
        minor,
        kube_version: kube.into(),
        seed,
    };
    Run::from_plan(&plan)
}

/// `lines/`: product lines across folders (see fixtures/README.md).
/// - "Widget Kubernetes" (PRODUCT.yaml) in two checkouts under different
///   folder names, one PRODUCT.yaml spelling the name in another case and
///   spacing, with two runs of v1.31 whose logs started in the opposite
///   order of their labels;
/// - `gizmo-conformance`, without PRODUCT.yaml, named by its path.
fn lines(root: &Path) -> Result {
    let dir = root.join("lines");
    let widget = |name: &str, version: &str| product_yaml("Widget Works", name, version, "widget");
    let releases: [(&str, Run, Option<String>); 6] = [
        (
            "checkout-a/v1.29/widget",
            line_release(29, "v1.29.6", 30, 18, 1, 2_911),
            Some(widget("Widget Kubernetes", "v2.9.0")),
        ),
        (
            "checkout-b/v1.30/widget-k8s",
            line_release(30, "v1.30.5", 32, 20, 0, 3_011),
            Some(widget("widget  kubernetes", "v3.0.1")),
        ),
        (
            // Started after checkout-b's v1.31 run: run 2.
            "checkout-a/v1.31/widget",
            line_release(31, "v1.31.2", 34, 21, 0, 3_121),
            Some(widget("Widget Kubernetes", "v3.1.1")),
        ),
        (
            // Started first: run 1, although its label sorts second.
            "checkout-b/v1.31/widget",
            line_release(31, "v1.31.2", 34, 21, 3, 3_111),
            Some(widget("Widget Kubernetes", "v3.1.0")),
        ),
        (
            "gizmo-conformance/results/v1.28",
            line_release(28, "v1.28.9", 24, 16, 0, 2_801),
            None,
        ),
        (
            "gizmo-conformance/results/v1.29",
            line_release(29, "v1.29.8", 26, 17, 2, 2_901),
            None,
        ),
    ];
    for (sub, run, product) in releases {
        let at = dir.join(sub);
        run.write(&at)?;
        if let Some(yaml) = product {
            write(&at.join("PRODUCT.yaml"), &yaml)?;
        }
    }
    Ok(())
}

/// `defects/`: a product line of three releases (`sprocket-conformance`,
/// named by its path, Ginkgo v1) whose vendor documents known defects per
/// release, as VMware does in `results/v1.NN/known-test-failures.md`:
/// - v1.19 failed the kubectl cluster-info test; its document names it
///   without the `Kubectl client` describe block and says it was fixed in
///   v1.20, where the test (renamed from "master" to "control plane")
///   passed: confirmed across a rename;
/// - v1.20 failed the projected service-account token test, documented with
///   a shortened name as fixed in v1.21, where it failed again:
///   contradicted; it also failed a test the document leaves out
///   (unexplained), and the document has an entry that matches nothing;
/// - v1.21 failed that token test again, with no document.
fn defects(root: &Path) -> Result {
    const DNS: &str = "[sig-network] DNS should provide DNS for the cluster  [Conformance]";
    const ROLLOVER: &str = "[sig-apps] Deployment deployment should support rollover [Conformance]";
    const CONFIGMAP: &str = "[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]";
    const CLUSTER_INFO_OLD: &str = "[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes master services is included in cluster-info  [Conformance]";
    const CLUSTER_INFO_NEW: &str = "[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info  [Conformance]";
    const TOKEN: &str =
        "[sig-auth] ServiceAccounts should mount projected service account token [Conformance]";
    const SUBPATH: &str = "[sig-node] Variable Expansion should fail substituting values in a volume subpath with absolute path [Conformance]";
    let failed = || Outcome::Failed(FailureKind::Failed);
    /// A spec's name, outcome and source location.
    type Planned<'a> = (&'a str, Outcome, &'a str);
    let releases: [(u32, &str, Vec<Planned>); 3] = [
        (
            19,
            "v1.19.7",
            vec![
                (DNS, Outcome::Passed, "test/e2e/network/dns.go:50"),
                (ROLLOVER, Outcome::Passed, "test/e2e/apps/deployment.go:132"),
                (
                    CONFIGMAP,
                    Outcome::Passed,
                    "test/e2e/common/configmap_volume.go:47",
                ),
                (
                    CLUSTER_INFO_OLD,
                    failed(),
                    "test/e2e/kubectl/kubectl.go:1084",
                ),
            ],
        ),
        (
            20,
            "v1.20.4",
            vec![
                (DNS, Outcome::Passed, "test/e2e/network/dns.go:50"),
                (ROLLOVER, Outcome::Passed, "test/e2e/apps/deployment.go:132"),
                (
                    CONFIGMAP,
                    Outcome::Passed,
                    "test/e2e/common/configmap_volume.go:47",
                ),
                (
                    CLUSTER_INFO_NEW,
                    Outcome::Passed,
                    "test/e2e/kubectl/kubectl.go:1084",
                ),
                (TOKEN, failed(), "test/e2e/auth/service_accounts.go:484"),
                (SUBPATH, failed(), "test/e2e/common/expansion.go:279"),
            ],
        ),
        (
            21,
            "v1.21.2",
            vec![
                (DNS, Outcome::Passed, "test/e2e/network/dns.go:50"),
                (ROLLOVER, Outcome::Passed, "test/e2e/apps/deployment.go:132"),
                (
                    CONFIGMAP,
                    Outcome::Passed,
                    "test/e2e/common/configmap_volume.go:47",
                ),
                (
                    CLUSTER_INFO_NEW,
                    Outcome::Passed,
                    "test/e2e/kubectl/kubectl.go:1084",
                ),
                (TOKEN, failed(), "test/e2e/auth/service_accounts.go:484"),
                (SUBPATH, Outcome::Passed, "test/e2e/common/expansion.go:279"),
            ],
        ),
    ];
    let dir = root.join("defects/sprocket-conformance/results");
    for (minor, kube, list) in releases {
        let mut rng = Rng::new(u64::from(minor) * 77);
        let mut specs: Vec<SpecRecord> = list
            .into_iter()
            .map(|(name, outcome, loc)| {
                let s = spec(&mut rng, name, outcome, loc);
                if matches!(outcome, Outcome::Failed(_)) {
                    s.with_message("expected the command to succeed: exit status 1")
                } else {
                    s
                }
            })
            .collect();
        rng.shuffle(&mut specs);
        let e2e = kube.split('+').next().unwrap_or(kube);
        let mut run = base_run(Ginkgo::V1, kube, e2e, 1_600_000_000 + u64::from(minor));
        run.duration_secs = wall_time(&specs, 1);
        run.specs = specs;
        run.write(&dir.join(format!("v1.{minor}")))?;
    }
    // Tabs, the reason on the line after its field name.
    write(
        &dir.join("v1.19/known-test-failures.md"),
        "# Known Test Failures for v1.19\n\n\
         Tests of this release that failed because of a product defect.\n\n\
         - Test: `Kubectl cluster-info should check if Kubernetes master services is included in cluster-info`\n\n\
         \tFailure Reason:\n\
         \t[The test now uses inclusive terminology](https://github.com/kubernetes/kubernetes/commit/ab129349acadb4539cc8c584e4f9a43dd8b45761)\n\n\
         \tImpact:\n\
         \tNone for applications: only the test's expected wording differs.\n\n\
         \tFixed: `v1.20`\n",
    )?;
    // CRLF, spaces, a field on its own line, an entry that matches nothing.
    write(
        &dir.join("v1.20/known-test-failures.md"),
        &"# Known Test Failures for v1.20\n\n\
          Tests of this release that failed because of a product defect.\n\n\
          - Test: `ServiceAccounts should mount projected service account token`\n\n\
          \x20   Failure Reason: Bug in the token projection of the pod runtime.\n\n\
          \x20   Impact:\n\
          \x20   Pods that read a projected token fail to start.\n\n\
          \x20   Fixed: `v1.21`\n\n\
          - Test: `Widgets should frobnicate the gizmo`\n\n\
          \x20   Failure Reason: Bug\n\n\
          \x20   Fixed: `v1.21`\n"
            .replace('\n', "\r\n"),
    )?;
    Ok(())
}

fn main() -> Result {
    let root = fixtures();

    // Supervisor: Ginkgo v1, conformance specs deliberately skipped.
    for minor in [20u32, 22, 24] {
        let dir = root.join(format!("supervisor/results/v1.{minor}"));
        let (run, skipped) = supervisor(minor);
        run.write(&dir)?;
        if minor == 20 {
            // VMware publishes the list of skipped tests beside the JUnit.
            let mut list = base_run(Ginkgo::V1, &run.kube_version, &run.e2e_version, 0);
            list.specs = skipped;
            list.duration_secs = run.duration_secs;
            write(&dir.join("skipped_tests.xml"), &list.junit_xml())?;
        }
    }

    // A good release beside a broken extra file (skipped_tests.xml is hand-written).
    let plan = SpecPlan {
        specs: 12,
        conformance: 8,
        failed: 1,
        skipped_conformance: 0,
        suite_nodes: 0,
        ginkgo: Ginkgo::V1,
        minor: 23,
        kube_version: "v1.23.5".into(),
        seed: 23,
    };
    Run::from_plan(&plan).write(&root.join("malformed-extra/v1.23"))?;

    // The JUnit has one failure; the log's verdict line was written for a
    // run in which that spec passed.
    let plan = SpecPlan {
        specs: 14,
        conformance: 10,
        failed: 1,
        skipped_conformance: 0,
        suite_nodes: 3,
        ginkgo: Ginkgo::V2,
        minor: 26,
        kube_version: "v1.26.3".into(),
        seed: 26,
    };
    let run = Run::from_plan(&plan);
    let dir = root.join("disagree/v1.26");
    write(&dir.join("junit_01.xml"), &run.junit_xml())?;
    let mut other = run.clone();
    for s in &mut other.specs {
        if matches!(s.outcome, Outcome::Failed(_)) {
            s.outcome = Outcome::Passed;
            s.message = None;
        }
    }
    write(&dir.join("e2e.log"), &other.e2e_log())?;

    // Every Ginkgo v2 status (PRODUCT.yaml and README.md are hand-written).
    acme().write(&root.join("cncf/v1.29/acme"))?;

    // A parallel run: one JUnit per process, one log.
    let plan = SpecPlan {
        specs: 18,
        conformance: 12,
        failed: 1,
        skipped_conformance: 0,
        suite_nodes: 8,
        ginkgo: Ginkgo::V2,
        minor: 31,
        kube_version: "v1.31.1".into(),
        seed: 31,
    };
    let mut run = Run::from_plan(&plan);
    run.print_versions = false;
    run.ansi = false;
    if run.processes != 3 {
        return Err(format!("the parallel plan gave {} processes, not 3", run.processes).into());
    }
    let dir = root.join("cncf/v1.31/parallel");
    for (i, part) in run.split_by_process().iter().enumerate() {
        write(
            &dir.join(format!("junit_{:02}.xml", i + 1)),
            &part.junit_xml(),
        )?;
    }
    write(&dir.join("e2e.log"), &run.e2e_log())?;

    // A release that passed every required test.
    let plan = SpecPlan {
        specs: 16,
        conformance: 11,
        failed: 0,
        skipped_conformance: 0,
        suite_nodes: 3,
        ginkgo: Ginkgo::V2,
        minor: 30,
        kube_version: "v1.30.4".into(),
        seed: 30,
    };
    Run::from_plan(&plan).write(&root.join("cncf/v1.30/steady"))?;

    sonobuoy_tarball(&root.join("sonobuoy"))?;

    // Product lines across folders and checkouts.
    lines(&root)?;

    // A line whose vendor documents known defects per release.
    defects(&root)?;
    println!("wrote the generated files of {}", root.display());
    Ok(())
}

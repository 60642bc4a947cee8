//! A deterministic generator of synthetic conformance results, for
//! fixtures (`examples/gen_fixtures.rs`), tests and benchmarks. It is built
//! only with the crate's `testing` feature, which `cargo test`, `cargo bench`
//! and the examples turn on through the crate's dev-dependency on itself.
//!
//! A [`SpecPlan`] says how many specs a run has, how many carry
//! `[Conformance]`, how many of those failed or were skipped, and which
//! Ginkgo generation wrote it. [`junit_xml`] and [`e2e_log`] turn a plan into
//! the two files the e2e suite writes, shaped like the real ones (Ginkgo v1:
//! root `<testsuite>`, `<skipped/>`, `<failure type="Failure">`; Ginkgo v2:
//! `<testsuites>`, `<properties>`, `[It] ` names, `status` attributes, suite
//! nodes), with figures that agree with each other: the log's verdict line
//! counts exactly the specs of the JUnit, suite nodes excluded.
//!
//! The same plan and seed always give the same bytes: a small xorshift
//! generator ([`Rng`]) drives every choice. Spec names depend only on the
//! seed and the counts, so the releases of one [`write_corpus`] share their
//! names (and can be compared) while their failures vary.
//!
//! For hand-shaped results (the project's fixtures) build a [`Run`] directly:
//! it holds the specs as [`SpecRecord`]s and renders them the same way.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::model::{Corpus, FailureKind, Outcome, Release, parse_version};

/// The Ginkgo generation that wrote the JUnit and the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ginkgo {
    /// Kubernetes up to 1.24: root `<testsuite>`, outcomes as child elements.
    V1,
    /// Kubernetes 1.25 and later: `<testsuites>`, `status` attributes, suite nodes.
    V2,
}

impl Ginkgo {
    /// The other generation.
    pub fn other(self) -> Ginkgo {
        match self {
            Ginkgo::V1 => Ginkgo::V2,
            Ginkgo::V2 => Ginkgo::V1,
        }
    }
}

/// What to generate. Counts that do not fit are clamped: at most `specs`
/// conformance specs, at most `conformance` skipped ones, and at most the
/// remaining conformance specs failed.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecPlan {
    /// Specs in the binary (every one is listed in the JUnit).
    pub specs: usize,
    /// Specs whose name carries `[Conformance]`; the run focuses on them.
    pub conformance: usize,
    /// Conformance specs that ran and did not pass. In Ginkgo v2 the
    /// failures cycle through `failed`, `timedout`, `panicked`, `aborted`
    /// and `interrupted`; in Ginkgo v1 they are all `<failure type="Failure">`.
    pub failed: usize,
    /// Conformance specs deliberately not run (the Supervisor case).
    pub skipped_conformance: usize,
    /// Ginkgo v2 suite nodes (`[SynchronizedBeforeSuite]`, ...). Ginkgo v1
    /// does not report them, so it ignores this.
    pub suite_nodes: usize,
    /// The generation.
    pub ginkgo: Ginkgo,
    /// The Kubernetes minor version (`30` for 1.30); picks `[k8s.io]` names
    /// before 1.20.
    pub minor: u32,
    /// `kube-apiserver version` printed in the log, e.g. `v1.30.2`.
    pub kube_version: String,
    /// Seed of every choice.
    pub seed: u64,
}

impl Default for SpecPlan {
    /// A run the size of a real v1.30 one: 7,197 specs, 402 conformance.
    fn default() -> Self {
        SpecPlan {
            specs: 7197,
            conformance: 402,
            failed: 2,
            skipped_conformance: 0,
            suite_nodes: 4,
            ginkgo: Ginkgo::V2,
            minor: 30,
            kube_version: "v1.30.2".to_string(),
            seed: 1,
        }
    }
}

/// A tiny deterministic pseudo-random generator (xorshift64*, seeded
/// through splitmix64 so that every seed, 0 included, works).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for this seed.
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Shuffle in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// One spec (or suite node) of a [`Run`].
#[derive(Clone, Debug, PartialEq)]
pub struct SpecRecord {
    /// The name without Ginkgo v2's `[It] ` (it is added when writing).
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Run time.
    pub duration_secs: f64,
    /// The failure message, or the reason of a skip (written as
    /// `skipped - REASON` by Ginkgo v2; Ginkgo v1 has no skip message).
    pub message: Option<String>,
    /// Where the spec is, e.g. `test/e2e/network/service.go:1234`.
    pub location: String,
}

impl SpecRecord {
    /// A spec with no message.
    pub fn new(name: &str, outcome: Outcome, duration_secs: f64, location: &str) -> SpecRecord {
        SpecRecord {
            name: name.to_string(),
            outcome,
            duration_secs,
            message: None,
            location: location.to_string(),
        }
    }

    /// The same spec with a message.
    pub fn with_message(mut self, message: &str) -> SpecRecord {
        self.message = Some(message.to_string());
        self
    }

    /// A passed suite node (`[SynchronizedBeforeSuite]`, ...).
    pub fn suite_node(name: &str, duration_secs: f64) -> SpecRecord {
        SpecRecord::new(name, Outcome::Passed, duration_secs, "test/e2e/e2e.go:77")
    }
}

/// Figures of a run, suite nodes excluded: what the log's verdict line says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Every spec.
    pub total: u64,
    /// Passed.
    pub passed: u64,
    /// Failed, any kind.
    pub failed: u64,
    /// Skipped.
    pub skipped: u64,
    /// Pending.
    pub pending: u64,
}

impl RunCounts {
    /// Specs that ran: passed and failed.
    pub fn ran(&self) -> u64 {
        self.passed + self.failed
    }
}

/// A whole run, ready to be written as a JUnit and an e2e log.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The generation.
    pub ginkgo: Ginkgo,
    /// `kube-apiserver version`.
    pub kube_version: String,
    /// `e2e test version`.
    pub e2e_version: String,
    /// Whether the log prints the two version lines (logs from 1.27 on
    /// often do not; Sonobuoy then has `serverversion.json`).
    pub print_versions: bool,
    /// Whether the log carries ANSI colour codes (Ginkgo v2 without `--no-color`).
    pub ansi: bool,
    /// Parallel processes (`Running in parallel across N processes`).
    pub processes: u32,
    /// Seed of the timestamps and the log's `Random Seed`.
    pub seed: u64,
    /// Ginkgo v2 suite nodes; written before the specs when their name
    /// mentions `Before`, after them otherwise.
    pub suite_nodes: Vec<SpecRecord>,
    /// The specs, in file order.
    pub specs: Vec<SpecRecord>,
    /// The suite's wall-clock time.
    pub duration_secs: f64,
}

/// The JUnit of a plan.
pub fn junit_xml(plan: &SpecPlan) -> String {
    Run::from_plan(plan).junit_xml()
}

/// The e2e log of a plan; its verdict line agrees with [`junit_xml`].
pub fn e2e_log(plan: &SpecPlan) -> String {
    Run::from_plan(plan).e2e_log()
}

/// `count` releases made from one loaded `base`, as the versions of a
/// product over time would look, for benchmarks and UI tests at scale.
/// Release `r` has `r % vary` outcomes turned, at random from `seed`, into
/// timeouts or skips; it is labelled `v1.<20 + r/10>/run-<r>` with version
/// `v1.<20 + r/10>.<r % 10>`, ran `5000 + 60 r` seconds, and has no log (its
/// figures no longer match one). Sorted and interned like a load.
pub fn corpus_of_copies(base: &Release, count: usize, vary: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let releases = (0..count)
        .map(|r| {
            let mut release = base.clone();
            for _ in 0..(r % vary.max(1)) {
                let i = rng.below(release.tests.len());
                release.tests[i].outcome = if rng.below(2) == 0 {
                    Outcome::Failed(FailureKind::TimedOut)
                } else {
                    Outcome::Skipped
                };
            }
            let minor = 20 + (r / 10) as u32;
            let kube_version = format!("v1.{minor}.{}", r % 10);
            release.label = format!("v1.{minor}/run-{r:03}");
            release.version = parse_version(&kube_version);
            release.kube_version = Some(kube_version);
            release.duration_secs = Some(5_000.0 + 60.0 * r as f64);
            release.log = None;
            release.log_location = None;
            release.warnings.clear();
            release
        })
        .collect();
    let mut corpus = Corpus {
        releases,
        errors: Vec::new(),
    };
    corpus.sort();
    corpus.intern();
    corpus
}

/// `count` releases of [`corpus_of_copies`] spread over `lines` product
/// lines, as a tree of many vendors' submissions would look: release `r`
/// belongs to line `product-NN` (`NN = r % lines`, named by its path),
/// is labelled `v1.MINOR/product-NN` (plus `-run-R` for a later run of one
/// version) and has Kubernetes minor `18 + (r / lines) % 18`, so each line
/// climbs through the versions from v1.18 to v1.35 and starts again.
pub fn corpus_of_lines(base: &Release, count: usize, lines: usize, seed: u64) -> Corpus {
    let lines = lines.max(1);
    let mut corpus = corpus_of_copies(base, count, 7, seed);
    // Copies come sorted by version; put each back in its place by run.
    corpus.releases.sort_by_key(|r| {
        r.label
            .rsplit("run-")
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
    });
    for (r, release) in corpus.releases.iter_mut().enumerate() {
        let line = r % lines;
        let round = r / lines;
        let minor = 18 + (round % 18) as u32;
        let kube_version = format!("v1.{minor}.{}", r % 10);
        release.label = if round >= 18 {
            format!("v1.{minor}/product-{line:02}-run-{}", round / 18 + 1)
        } else {
            format!("v1.{minor}/product-{line:02}")
        };
        release.version = parse_version(&kube_version);
        release.kube_version = Some(kube_version);
        release.product = None;
        release.line = crate::lines::ProductLine::from_path(format!("product-{line:02}"));
    }
    corpus.sort();
    corpus
}

/// Write `junit_01.xml` and `e2e.log` of a plan into `dir` (created if
/// missing). Returns the bytes written.
pub fn write_release(dir: &Path, plan: &SpecPlan) -> std::io::Result<u64> {
    Run::from_plan(plan).write(dir)
}

/// Write `releases` releases of the plan's generation under
/// `dir/v1.MINOR-rNNN/`. They share spec names (derived from the plan's
/// seed); release `r` has patch version `r`, its own failures (the count
/// varies around `plan.failed`) and its own file order. Returns the bytes
/// written.
pub fn write_corpus(dir: &Path, releases: usize, plan: &SpecPlan) -> std::io::Result<u64> {
    write_corpus_inner(dir, releases, plan, false)
}

/// Like [`write_corpus`], but odd releases use the other Ginkgo generation,
/// so a corpus mixes both shapes of JUnit and log.
pub fn write_corpus_alternating(
    dir: &Path,
    releases: usize,
    plan: &SpecPlan,
) -> std::io::Result<u64> {
    write_corpus_inner(dir, releases, plan, true)
}

fn write_corpus_inner(
    dir: &Path,
    releases: usize,
    plan: &SpecPlan,
    alternate: bool,
) -> std::io::Result<u64> {
    let catalog = Catalog::new(plan);
    let mut total = 0;
    for r in 0..releases {
        let mut p = plan.clone();
        p.kube_version = format!("v1.{}.{}", plan.minor, r);
        if alternate && r % 2 == 1 {
            p.ginkgo = plan.ginkgo.other();
        }
        // Failures vary from release to release: 0 to twice the plan's.
        let span = plan.failed.saturating_mul(2).saturating_add(1);
        let mut vary = Rng::new(plan.seed ^ (r as u64).wrapping_mul(0x9E37_79B9));
        p.failed = vary.below(span);
        let outcome_seed = plan
            .seed
            .wrapping_add((r as u64 + 1).wrapping_mul(0x2545_F491));
        let run = catalog.run(&p, outcome_seed);
        let sub = dir.join(format!("v1.{}-r{:03}", plan.minor, r));
        total += run.write(&sub)?;
    }
    Ok(total)
}

impl Run {
    /// The run a plan describes.
    pub fn from_plan(plan: &SpecPlan) -> Run {
        Catalog::new(plan).run(plan, plan.seed)
    }

    /// The verdict figures (suite nodes excluded).
    pub fn counts(&self) -> RunCounts {
        let mut c = RunCounts::default();
        for s in &self.specs {
            c.total += 1;
            match s.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed(_) => c.failed += 1,
                Outcome::Skipped => c.skipped += 1,
                Outcome::Pending => c.pending += 1,
            }
        }
        c
    }

    /// Write `junit_01.xml` and `e2e.log` into `dir` (created if missing).
    /// Returns the bytes written.
    pub fn write(&self, dir: &Path) -> std::io::Result<u64> {
        std::fs::create_dir_all(dir)?;
        let junit = self.junit_xml();
        let log = self.e2e_log();
        std::fs::write(dir.join("junit_01.xml"), &junit)?;
        std::fs::write(dir.join("e2e.log"), &log)?;
        Ok((junit.len() + log.len()) as u64)
    }

    /// Split a parallel run into one run per process, as Ginkgo writes one
    /// report per process: each spec goes to exactly one process (round
    /// robin), process 1 gets `[ReportBeforeSuite]`,
    /// `[SynchronizedBeforeSuite]`, `[SynchronizedAfterSuite]` and
    /// `[ReportAfterSuite] Kubernetes e2e suite report`, the others a
    /// `[SynchronizedBeforeSuite]` and a `[SynchronizedAfterSuite]`.
    /// The suite nodes of `self` are not used.
    pub fn split_by_process(&self) -> Vec<Run> {
        let n = self.processes.max(1) as usize;
        let mut rng = Rng::new(self.seed ^ 0x5157);
        (0..n)
            .map(|p| {
                let mut nodes = Vec::new();
                if p == 0 {
                    nodes.push(SpecRecord::suite_node(
                        "[ReportBeforeSuite]",
                        round9(rng.unit() * 0.001),
                    ));
                }
                nodes.push(SpecRecord::suite_node(
                    "[SynchronizedBeforeSuite]",
                    round9(0.3 + rng.unit() * 0.2),
                ));
                nodes.push(SpecRecord::suite_node(
                    "[SynchronizedAfterSuite]",
                    round9(rng.unit() * 0.001),
                ));
                if p == 0 {
                    nodes.push(SpecRecord::suite_node(
                        "[ReportAfterSuite] Kubernetes e2e suite report",
                        round9(0.05 + rng.unit() * 0.05),
                    ));
                }
                Run {
                    suite_nodes: nodes,
                    specs: self.specs.iter().skip(p).step_by(n).cloned().collect(),
                    ..self.clone()
                }
            })
            .collect()
    }

    /// The JUnit report.
    pub fn junit_xml(&self) -> String {
        match self.ginkgo {
            Ginkgo::V1 => self.junit_v1(),
            Ginkgo::V2 => self.junit_v2(),
        }
    }

    fn junit_v1(&self) -> String {
        let c = self.counts();
        let mut out = String::with_capacity(200 + self.specs.len() * 260);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "  <testsuite name=\"Kubernetes e2e suite\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
            c.ran(),
            c.failed,
            self.duration_secs
        );
        let clock = self.clock();
        for s in &self.specs {
            out.push_str("      <testcase name=\"");
            escape_into(&mut out, &s.name);
            let _ = write!(
                out,
                "\" classname=\"Kubernetes e2e suite\" time=\"{}\">",
                fmt_secs(s.duration_secs)
            );
            match s.outcome {
                Outcome::Passed => {}
                Outcome::Skipped | Outcome::Pending => {
                    out.push_str("\n          <skipped></skipped>\n      ");
                }
                Outcome::Failed(kind) => {
                    let kind_word = match kind {
                        FailureKind::TimedOut => "Timeout",
                        FailureKind::Panicked => "Panic",
                        _ => "Failure",
                    };
                    let element = if kind == FailureKind::Error {
                        "error"
                    } else {
                        "failure"
                    };
                    let _ = write!(out, "\n          <{element} type=\"{kind_word}\">");
                    let text = format!(
                        "{V1_PREFIX}test/e2e/framework/framework.go:630\n{}: {}\n{V1_PREFIX}{}",
                        clock.stamp(s.duration_secs),
                        s.message.as_deref().unwrap_or("unexpected error"),
                        s.location
                    );
                    escape_into(&mut out, &text);
                    let _ = write!(out, "</{element}>\n          <system-out>");
                    let log = format!(
                        "[BeforeEach] {}\n  {V1_PREFIX}test/e2e/framework/framework.go:185\nSTEP: Creating a kubernetes client\n{}: INFO: >>> kubeConfig: /tmp/kubeconfig-{}\nSTEP: Building a namespace api object\n{}: FAIL: {}\n",
                        context_of(&s.name),
                        clock.stamp(0.0),
                        self.seed % 1_000_000_000,
                        clock.stamp(s.duration_secs),
                        s.message.as_deref().unwrap_or("unexpected error"),
                    );
                    escape_into(&mut out, &log);
                    out.push_str("</system-out>\n      ");
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>");
        out
    }

    fn junit_v2(&self) -> String {
        let c = self.counts();
        let mut errors = 0u64;
        let mut failures = 0u64;
        for s in &self.specs {
            match s.outcome {
                Outcome::Failed(FailureKind::Failed | FailureKind::TimedOut) => failures += 1,
                Outcome::Failed(_) => errors += 1,
                _ => {}
            }
        }
        let nodes_failed = self
            .suite_nodes
            .iter()
            .filter(|n| matches!(n.outcome, Outcome::Failed(_)))
            .count() as u64;
        let tests = c.total + self.suite_nodes.len() as u64;
        let mut out = String::with_capacity(2000 + self.specs.len() * 280);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "  <testsuites tests=\"{tests}\" disabled=\"{}\" errors=\"{errors}\" failures=\"{}\" time=\"{:.9}\">",
            c.skipped + c.pending,
            failures + nodes_failed,
            self.duration_secs
        );
        let clock = self.clock();
        let _ = writeln!(
            out,
            "      <testsuite name=\"Kubernetes e2e suite\" package=\"/usr/local/bin\" tests=\"{tests}\" disabled=\"{}\" skipped=\"{}\" errors=\"{errors}\" failures=\"{}\" time=\"{:.9}\" timestamp=\"{}\">",
            c.pending,
            c.skipped,
            failures + nodes_failed,
            self.duration_secs,
            clock.iso()
        );
        let succeeded = c.failed == 0 && nodes_failed == 0;
        let props: [(&str, String); 17] = [
            ("SuiteSucceeded", succeeded.to_string()),
            ("SuiteHasProgrammaticFocus", "false".into()),
            ("SpecialSuiteFailureReason", String::new()),
            ("SuiteLabels", "[]".into()),
            ("RandomSeed", self.random_seed().to_string()),
            ("RandomizeAllSpecs", "true".into()),
            ("LabelFilter", String::new()),
            ("FocusStrings", "\\[Conformance\\]".into()),
            ("SkipStrings", String::new()),
            ("FocusFiles", String::new()),
            ("SkipFiles", String::new()),
            ("FailOnPending", "false".into()),
            ("FailFast", "false".into()),
            ("FlakeAttempts", "0".into()),
            ("DryRun", "false".into()),
            ("ParallelTotal", self.processes.max(1).to_string()),
            ("OutputInterceptorMode", String::new()),
        ];
        out.push_str("          <properties>\n");
        for (k, v) in props {
            let _ = write!(out, "              <property name=\"{k}\" value=\"");
            escape_into(&mut out, &v);
            out.push_str("\"></property>\n");
        }
        out.push_str("          </properties>\n");
        let (mut before, mut after): (Vec<&SpecRecord>, Vec<&SpecRecord>) = self
            .suite_nodes
            .iter()
            .partition(|n| n.name.contains("Before"));
        // Report nodes wrap the synchronized ones, as Ginkgo lists them.
        before.sort_by_key(|n| !n.name.starts_with("[Report"));
        after.sort_by_key(|n| n.name.starts_with("[Report"));
        for n in before {
            self.testcase_v2(&mut out, n, false, &clock);
        }
        for s in &self.specs {
            self.testcase_v2(&mut out, s, true, &clock);
        }
        for n in after {
            self.testcase_v2(&mut out, n, false, &clock);
        }
        out.push_str("      </testsuite>\n  </testsuites>");
        out
    }

    fn testcase_v2(&self, out: &mut String, s: &SpecRecord, is_spec: bool, clock: &Clock) {
        out.push_str("          <testcase name=\"");
        if is_spec {
            out.push_str("[It] ");
        }
        escape_into(out, &s.name);
        out.push_str("\" classname=\"Kubernetes e2e suite\"");
        let status = match s.outcome {
            Outcome::Passed => Some("passed"),
            Outcome::Skipped => Some("skipped"),
            Outcome::Pending => Some("pending"),
            Outcome::Failed(FailureKind::Error) => None,
            Outcome::Failed(kind) => Some(kind.as_str()),
        };
        if let Some(status) = status {
            let _ = write!(out, " status=\"{status}\"");
        }
        let _ = write!(out, " time=\"{}\">", fmt_secs(s.duration_secs));
        match s.outcome {
            Outcome::Passed => {}
            Outcome::Skipped => {
                out.push_str("\n              <skipped message=\"");
                match &s.message {
                    Some(m) => {
                        out.push_str("skipped - ");
                        escape_into(out, m);
                    }
                    None => out.push_str("skipped"),
                }
                out.push_str("\"></skipped>\n          ");
            }
            Outcome::Pending => {
                out.push_str("\n              <skipped message=\"pending\"></skipped>\n          ");
            }
            Outcome::Failed(kind) => {
                let (element, message) = match kind {
                    FailureKind::Panicked | FailureKind::Interrupted | FailureKind::Error => {
                        ("error", s.message.as_deref().unwrap_or("panic"))
                    }
                    _ => ("failure", s.message.as_deref().unwrap_or("failed")),
                };
                let heading = v2_heading(kind);
                let _ = write!(out, "\n              <{element} message=\"");
                escape_into(out, message);
                let _ = write!(out, "\" type=\"{}\">", kind.as_str());
                let when = clock.slash_stamp(s.duration_secs);
                let text = format!("{heading} {message}\nIn [It] at: {} @ {when}\n", s.location);
                escape_into(out, &text);
                let _ = write!(out, "</{element}>\n              <system-err>");
                let timeline = format!(
                    "  STEP: Creating a kubernetes client @ {}\n  {}: INFO: >>> kubeConfig: /tmp/kubeconfig-{}\n  STEP: Building a namespace api object, basename e2e @ {}\n  {heading} {message}\n  In [It] at: {} @ {when}\n",
                    clock.slash_stamp(0.0),
                    clock.stamp(0.0),
                    self.seed % 1_000_000_000,
                    clock.slash_stamp(0.1),
                    s.location,
                );
                escape_into(out, &timeline);
                out.push_str("</system-err>\n          ");
            }
        }
        out.push_str("</testcase>\n");
    }

    fn clock(&self) -> Clock {
        let minor = crate::model::parse_version(&self.kube_version).map_or(24, |v| v.1);
        Clock::new(self.seed, minor)
    }

    fn random_seed(&self) -> u64 {
        1_600_000_000 + self.seed % 200_000_000
    }

    /// The e2e log: versions near the top, progress, the failure summary
    /// and the verdict line.
    pub fn e2e_log(&self) -> String {
        match self.ginkgo {
            Ginkgo::V1 => self.log_v1(),
            Ginkgo::V2 => self.log_v2(),
        }
    }

    fn failures(&self) -> Vec<&SpecRecord> {
        self.specs
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Failed(_)))
            .collect()
    }

    fn log_v1(&self) -> String {
        let c = self.counts();
        let clock = self.clock();
        let mut out = String::with_capacity(4096 + self.specs.len() * 4);
        let _ = writeln!(
            out,
            "I{} {:>6} e2e.go:129] Starting e2e run \"{}\" on Ginkgo node 1",
            clock.klog(0.0),
            24,
            uuid(self.seed)
        );
        let _ = writeln!(
            out,
            "{{\"msg\":\"Test Suite starting\",\"total\":{},\"completed\":0,\"skipped\":0,\"failed\":0}}",
            c.ran()
        );
        out.push_str("Running Suite: Kubernetes e2e suite\n===================================\n");
        let _ = writeln!(
            out,
            "Random Seed: {} - Will randomize all specs",
            self.random_seed()
        );
        let _ = writeln!(out, "Will run {} of {} specs\n", c.ran(), c.total);
        self.preamble(&mut out, &clock, "");
        let mut done = 0u64;
        let mut skipped = 0u64;
        let mut failed = 0u64;
        let mut s_run = 0usize;
        let mut t = 1.0;
        for s in &self.specs {
            match s.outcome {
                Outcome::Skipped | Outcome::Pending => {
                    out.push('S');
                    skipped += 1;
                    s_run += 1;
                    if s_run == 120 {
                        out.push('\n');
                        s_run = 0;
                    }
                }
                Outcome::Passed => {
                    done += 1;
                    t += s.duration_secs;
                    let _ = write!(
                        out,
                        "\n------------------------------\n{{\"msg\":\"PASSED {}\",\"total\":{},\"completed\":{done},\"skipped\":{skipped},\"failed\":{failed}}}\n",
                        json_escape(&s.name),
                        c.ran()
                    );
                    s_run = 0;
                }
                Outcome::Failed(_) => {
                    failed += 1;
                    t += s.duration_secs;
                    let _ = write!(
                        out,
                        "\n------------------------------\n• Failure [{:.3} seconds]\n{}\n{V1_PREFIX}test/e2e/framework/framework.go:23\n  {}\n  {V1_PREFIX}{}\n\n  {}: {}\n\n  {V1_PREFIX}{}\n------------------------------\n",
                        s.duration_secs,
                        context_of(&s.name),
                        leaf_of(&s.name),
                        s.location,
                        clock.stamp(t),
                        s.message
                            .as_deref()
                            .unwrap_or("unexpected error")
                            .replace('\n', "\n  "),
                        s.location
                    );
                    let _ = writeln!(
                        out,
                        "{{\"msg\":\"FAILED {}\",\"total\":{},\"completed\":{done},\"skipped\":{skipped},\"failed\":{failed}}}",
                        json_escape(&s.name),
                        c.ran()
                    );
                    s_run = 0;
                }
            }
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{}: INFO: Running AfterSuite actions on all nodes",
            clock.stamp(self.duration_secs)
        );
        let _ = writeln!(
            out,
            "{}: INFO: Running AfterSuite actions on node 1",
            clock.stamp(self.duration_secs)
        );
        out.push_str("\nJUnit report was created: /tmp/results/junit_01.xml\n");
        let _ = writeln!(
            out,
            "{{\"msg\":\"Test Suite completed\",\"total\":{},\"completed\":{},\"skipped\":{},\"failed\":{}}}",
            c.ran(),
            c.passed,
            c.skipped + c.pending,
            c.failed
        );
        let fails = self.failures();
        if !fails.is_empty() {
            let _ = writeln!(
                out,
                "\n\nSummarizing {} Failure{}:",
                fails.len(),
                if fails.len() == 1 { "" } else { "s" }
            );
            for s in fails {
                let heading = match s.outcome {
                    Outcome::Failed(FailureKind::TimedOut) => "[Timeout...]",
                    Outcome::Failed(FailureKind::Panicked) => "[Panic!]",
                    _ => "[Fail]",
                };
                let _ = write!(
                    out,
                    "\n{heading} {} \n{V1_PREFIX}{}\n",
                    it_form(&s.name),
                    s.location
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Ran {} of {} Specs in {:.3} seconds",
            c.ran(),
            c.total,
            self.duration_secs
        );
        let verdict = if c.failed == 0 { "SUCCESS!" } else { "FAIL!" };
        let _ = writeln!(
            out,
            "{verdict} -- {} Passed | {} Failed | {} Pending | {} Skipped",
            c.passed, c.failed, c.pending, c.skipped
        );
        if c.failed == 0 {
            out.push_str("PASS\n");
        } else {
            let _ = writeln!(
                out,
                "--- FAIL: TestE2E ({:.2}s)\nFAIL",
                self.duration_secs + 2.3
            );
        }
        let _ = writeln!(
            out,
            "\nGinkgo ran 1 suite in {}\nTest Suite {}",
            go_duration(self.duration_secs + 3.1),
            if c.failed == 0 { "Passed" } else { "Failed" }
        );
        out
    }

    fn log_v2(&self) -> String {
        let c = self.counts();
        let clock = self.clock();
        let paint = |code: &str, text: &str| -> String {
            if self.ansi {
                format!("\x1b[{code}m\x1b[1m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let mut out = String::with_capacity(4096 + self.specs.len() * 4);
        let _ = writeln!(
            out,
            "  I{} {:>6} e2e.go:117] Starting e2e run \"{}\" on Ginkgo node 1",
            clock.klog(0.0),
            20,
            uuid(self.seed)
        );
        out.push_str(
            "Running Suite: Kubernetes e2e suite - /usr/local/bin\n====================================================\n",
        );
        let _ = writeln!(
            out,
            "Random Seed: {} - will randomize all specs\n",
            self.random_seed()
        );
        let _ = writeln!(out, "Will run {} of {} specs", c.ran(), c.total);
        if self.processes > 1 {
            let _ = writeln!(
                out,
                "Running in parallel across {} processes",
                self.processes
            );
        }
        out.push_str(
            "------------------------------\n[SynchronizedBeforeSuite] \ntest/e2e/e2e.go:77\n",
        );
        self.preamble(&mut out, &clock, "  ");
        out.push_str(
            "[SynchronizedBeforeSuite] PASSED [0.354 seconds]\n------------------------------\n",
        );
        let mut t = 1.0;
        let mut line = 0usize;
        for s in &self.specs {
            match s.outcome {
                Outcome::Skipped => {
                    out.push('S');
                    line += 1;
                }
                Outcome::Pending => {
                    out.push('P');
                    line += 1;
                }
                Outcome::Passed => {
                    t += s.duration_secs;
                    out.push('•');
                    line += 1;
                }
                Outcome::Failed(kind) => {
                    t += s.duration_secs;
                    let header = match kind {
                        FailureKind::Panicked => "•! [PANICKED]",
                        FailureKind::Interrupted => "•! [INTERRUPTED]",
                        FailureKind::Aborted => "•! [ABORTED]",
                        FailureKind::TimedOut => "• [TIMEDOUT]",
                        _ => "• [FAILED]",
                    };
                    let _ = write!(
                        out,
                        "\n------------------------------\n{} [{:.3} seconds]\n{}\n{}\n\n  {} {}\n  In [It] at: {} @ {}\n------------------------------\n",
                        paint("38;5;9", header),
                        s.duration_secs,
                        it_form(&s.name),
                        s.location,
                        v2_heading(kind),
                        s.message
                            .as_deref()
                            .unwrap_or("failed")
                            .replace('\n', "\n  "),
                        s.location,
                        clock.slash_stamp(t)
                    );
                    line = 0;
                }
            }
            if line >= 200 {
                out.push('\n');
                line = 0;
            }
        }
        out.push('\n');
        let fails = self.failures();
        if !fails.is_empty() {
            let heading = if fails.len() == 1 {
                "Summarizing 1 Failure:".to_string()
            } else {
                format!("Summarizing {} Failures:", fails.len())
            };
            let _ = writeln!(out, "\n{}", paint("38;5;9", &heading));
            for s in fails {
                let tag = match s.outcome {
                    Outcome::Failed(FailureKind::Panicked) => "[PANICKED!]",
                    Outcome::Failed(FailureKind::Aborted) => "[ABORTED]",
                    Outcome::Failed(FailureKind::TimedOut) => "[TIMEDOUT]",
                    Outcome::Failed(FailureKind::Interrupted) => "[INTERRUPTED]",
                    _ => "[FAIL]",
                };
                let _ = writeln!(
                    out,
                    "  {} {}\n  {}",
                    paint("38;5;9", tag),
                    it_form(&s.name),
                    s.location
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                "1",
                &format!(
                    "Ran {} of {} Specs in {:.3} seconds",
                    c.ran(),
                    c.total,
                    self.duration_secs
                )
            )
        );
        let verdict = if c.failed == 0 {
            paint("38;5;10", "SUCCESS!")
        } else {
            paint("38;5;9", "FAIL!")
        };
        let _ = writeln!(
            out,
            "{verdict} -- {} | {} | {} Pending | {} Skipped",
            paint("38;5;10", &format!("{} Passed", c.passed)),
            paint("38;5;9", &format!("{} Failed", c.failed)),
            c.pending,
            c.skipped
        );
        if c.failed == 0 {
            out.push_str("PASS\n");
        } else {
            let _ = writeln!(
                out,
                "--- FAIL: TestE2E ({:.2}s)\nFAIL",
                self.duration_secs + 0.4
            );
        }
        let _ = writeln!(
            out,
            "\nGinkgo ran 1 suite in {}\nTest Suite {}",
            go_duration(self.duration_secs + 1.9),
            if c.failed == 0 { "Passed" } else { "Failed" }
        );
        out
    }

    /// The framework's first lines: kubeconfig, waiting for nodes, versions.
    fn preamble(&self, out: &mut String, clock: &Clock, indent: &str) {
        let lines = [
            format!(">>> kubeConfig: /tmp/kubeconfig-{}", self.seed % 1_000_000_000),
            "Waiting up to 30m0s for all (but 0) nodes to be schedulable".to_string(),
            "Waiting up to 10m0s for all pods (need at least 0) in namespace 'kube-system' to be running and ready".to_string(),
            "12 / 12 pods in namespace 'kube-system' are running and ready (0 seconds elapsed)".to_string(),
            "Waiting up to 5m0s for all daemonsets in namespace 'kube-system' to start".to_string(),
        ];
        for (i, l) in lines.iter().enumerate() {
            let _ = writeln!(out, "{indent}{}: INFO: {l}", clock.stamp(i as f64 * 0.4));
        }
        if self.print_versions {
            let _ = writeln!(
                out,
                "{indent}{}: INFO: e2e test version: {}",
                clock.stamp(2.1),
                self.e2e_version
            );
            let _ = writeln!(
                out,
                "{indent}{}: INFO: kube-apiserver version: {}",
                clock.stamp(2.1),
                self.kube_version
            );
        }
        let _ = writeln!(
            out,
            "{indent}{}: INFO: Cluster IP family: ipv4",
            clock.stamp(2.2)
        );
    }
}

/// The path prefix Ginkgo v1 logs print before `test/e2e/...`.
const V1_PREFIX: &str =
    "/workspace/src/k8s.io/kubernetes/_output/dockerized/go/src/k8s.io/kubernetes/";

fn v2_heading(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::TimedOut => "[TIMEDOUT]",
        FailureKind::Panicked => "[PANICKED]",
        FailureKind::Aborted => "[ABORTED]",
        FailureKind::Interrupted => "[INTERRUPTED]",
        _ => "[FAILED]",
    }
}

/// `[sig-network] Services should x` → `[sig-network] Services [It] should x`,
/// the form Ginkgo prints in failure summaries.
fn it_form(name: &str) -> String {
    let (ctx, leaf) = split_context(name);
    if ctx.is_empty() {
        format!("[It] {leaf}")
    } else {
        format!("{ctx} [It] {leaf}")
    }
}

fn context_of(name: &str) -> &str {
    split_context(name).0
}

fn leaf_of(name: &str) -> &str {
    split_context(name).1
}

/// Split a spec name into its container text and its `It` text: before
/// ` should ` when there is one, else after the leading tags and one word.
fn split_context(name: &str) -> (&str, &str) {
    for marker in [" should ", " Should ", " validates "] {
        if let Some(i) = name.find(marker) {
            return (&name[..i], &name[i + 1..]);
        }
    }
    let mut rest = name;
    let mut at = 0;
    while let Some(r) = rest.strip_prefix('[') {
        match r.find("] ") {
            Some(close) => {
                at += close + 3;
                rest = &r[close + 2..];
            }
            None => break,
        }
    }
    match rest.find(' ') {
        Some(sp) => (&name[..at + sp], &name[at + sp + 1..]),
        None => ("", name),
    }
}

/// XML-escape `s` into `out` as Go's encoder does (newlines and tabs as
/// character references, so they survive in attributes).
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&#34;",
            b'\'' => "&#39;",
            b'\n' => "&#xA;",
            b'\t' => "&#x9;",
            b'\r' => "&#xD;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Seconds as Go prints a float64 in JUnit: no trailing zeros, `0` for zero.
fn fmt_secs(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

fn go_duration(secs: f64) -> String {
    let total = secs.max(0.0);
    let h = (total / 3600.0).floor() as u64;
    let m = ((total - h as f64 * 3600.0) / 60.0).floor() as u64;
    let s = total - h as f64 * 3600.0 - m as f64 * 60.0;
    if h > 0 {
        format!("{h}h{m}m{s:.6}s")
    } else if m > 0 {
        format!("{m}m{s:.6}s")
    } else {
        format!("{s:.6}s")
    }
}

fn uuid(seed: u64) -> String {
    let mut r = Rng::new(seed ^ 0xA11CE);
    let a = r.next_u64();
    let b = r.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// Timestamps for the logs: a start time derived from the seed plus an
/// offset in seconds.
struct Clock {
    month: usize,
    day: u64,
    start_secs: f64,
    year: u64,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Clock {
    /// A start time for a run of Kubernetes `1.minor`, in about the year
    /// that version was current.
    fn new(seed: u64, minor: u32) -> Clock {
        let mut r = Rng::new(seed ^ 0xC10C);
        Clock {
            month: r.below(12),
            day: 1 + r.below(20) as u64,
            start_secs: (r.below(20 * 3600) + 2 * 3600) as f64 + r.unit(),
            year: (14 + u64::from(minor) / 3).min(99),
        }
    }

    fn parts(&self, offset: f64) -> (u64, u64, u64, u64, u64) {
        let t = self.start_secs + offset.max(0.0);
        let day = self.day + (t / 86_400.0).floor() as u64;
        let in_day = t % 86_400.0;
        let h = (in_day / 3600.0).floor() as u64;
        let m = ((in_day % 3600.0) / 60.0).floor() as u64;
        let s = (in_day % 60.0).floor() as u64;
        let ms = ((in_day.fract()) * 1000.0).floor() as u64;
        (day.min(28), h, m, s, ms)
    }

    /// `Apr 22 20:09:39.123`
    fn stamp(&self, offset: f64) -> String {
        let (d, h, m, s, ms) = self.parts(offset);
        format!("{} {d:>2} {h:02}:{m:02}:{s:02}.{ms:03}", MONTHS[self.month])
    }

    /// `04/22/24 20:09:39.123`
    fn slash_stamp(&self, offset: f64) -> String {
        let (d, h, m, s, ms) = self.parts(offset);
        format!(
            "{:02}/{d:02}/{} {h:02}:{m:02}:{s:02}.{ms:03}",
            self.month + 1,
            self.year
        )
    }

    /// `0422 20:09:39.123456` (klog)
    fn klog(&self, offset: f64) -> String {
        let (d, h, m, s, ms) = self.parts(offset);
        format!(
            "{:02}{d:02} {h:02}:{m:02}:{s:02}.{ms:03}456",
            self.month + 1
        )
    }

    /// `2024-04-22T20:09:39`
    fn iso(&self) -> String {
        let (d, h, m, s, _) = self.parts(0.0);
        format!(
            "20{}-{:02}-{d:02}T{h:02}:{m:02}:{s:02}",
            self.year,
            self.month + 1
        )
    }
}

/// A SIG: its tag, the test file its specs live in, and its subjects
/// (the container text before `should`).
struct Sig {
    tag: &'static str,
    file: &'static str,
    subjects: &'static [&'static str],
}

const SIGS: [Sig; 10] = [
    Sig {
        tag: "sig-network",
        file: "network/service.go",
        subjects: &[
            "Services",
            "Networking Granular Checks: Pods",
            "DNS",
            "EndpointSlice",
            "Ingress API",
            "Proxy version v1",
            "Conntrack",
            "IngressClass API",
            "EndpointSliceMirroring",
            "Service endpoints latency",
        ],
    },
    Sig {
        tag: "sig-node",
        file: "common/node/pods.go",
        subjects: &[
            "Pods",
            "Container Runtime blackbox test",
            "Kubelet when scheduling a busybox command in a pod",
            "Probing container",
            "Variable Expansion",
            "Security Context",
            "Downward API",
            "Lease",
            "RuntimeClass",
            "PreStop",
            "InitContainer [NodeConformance]",
            "Container Lifecycle Hook when create a pod with lifecycle hook",
        ],
    },
    Sig {
        tag: "sig-apps",
        file: "apps/deployment.go",
        subjects: &[
            "Deployment",
            "StatefulSet Basic StatefulSet functionality [StatefulSetBasic]",
            "Daemon set [Serial]",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
            "DisruptionController",
            "ControllerRevision [Serial]",
        ],
    },
    Sig {
        tag: "sig-storage",
        file: "common/storage/projected_configmap.go",
        subjects: &[
            "Projected configMap",
            "Projected secret",
            "Secrets",
            "EmptyDir volumes",
            "Downward API volume",
            "Subpath Atomic writer volumes",
            "CSIInlineVolumes",
            "CSIStorageCapacity",
            "ConfigMap",
            "Projected combined",
        ],
    },
    Sig {
        tag: "sig-api-machinery",
        file: "apimachinery/crd_publish_openapi.go",
        subjects: &[
            "CustomResourceDefinition resources [Privileged:ClusterAdmin]",
            "Watchers",
            "Namespaces [Serial]",
            "ResourceQuota",
            "AdmissionWebhook [Privileged:ClusterAdmin]",
            "Garbage collector",
            "Aggregator",
            "Servers with support for Table transformation",
            "FieldValidation",
            "server version",
            "API priority and fairness",
            "Discovery",
        ],
    },
    Sig {
        tag: "sig-cli",
        file: "kubectl/kubectl.go",
        subjects: &[
            "Kubectl client Kubectl logs",
            "Kubectl client Update Demo",
            "Kubectl client Guestbook application",
            "Kubectl client Proxy server",
            "Kubectl client Kubectl label",
            "Kubectl client Kubectl describe",
        ],
    },
    Sig {
        tag: "sig-scheduling",
        file: "scheduling/predicates.go",
        subjects: &[
            "SchedulerPredicates [Serial]",
            "SchedulerPreemption [Serial]",
            "LimitRange",
            "SchedulerPriorities [Serial]",
        ],
    },
    Sig {
        tag: "sig-auth",
        file: "auth/service_accounts.go",
        subjects: &[
            "ServiceAccounts",
            "Certificates API [Privileged:ClusterAdmin]",
            "SubjectReview",
        ],
    },
    Sig {
        tag: "sig-instrumentation",
        file: "instrumentation/events.go",
        subjects: &["Events API", "Events", "MetricsGrabber"],
    },
    Sig {
        tag: "sig-architecture",
        file: "architecture/conformance.go",
        subjects: &["Conformance Tests"],
    },
];

const VERBS: [&str; 16] = [
    "should create",
    "should list and delete",
    "should patch",
    "should update",
    "should watch",
    "should adopt",
    "should release",
    "should run",
    "should serve",
    "should validate",
    "should be consumable from pods in volume with",
    "should support",
    "should apply changes to",
    "should reject",
    "should replace",
    "should complete",
];

const OBJECTS: [&str; 16] = [
    "a collection of resources",
    "the status subresource",
    "its pods",
    "the lifecycle of a resource",
    "mappings and Item mode set",
    "defaultMode set",
    "a basic endpoint from pods",
    "multiport endpoints from pods",
    "orphaned pods",
    "a single owner reference",
    "the API discovery document",
    "label selectors",
    "field selectors",
    "finalizers",
    "node affinity",
    "resource limits",
];

const QUALIFIERS: [&str; 12] = [
    "",
    "as non-root",
    "with mappings",
    "in a custom namespace",
    "when the pod is restarted",
    "across nodes",
    "with a readiness gate",
    "in parallel",
    "using the v1 API",
    "after a rolling update",
    "with a short timeout",
    "when the owner is deleted",
];

const NON_CONFORMANCE_TAGS: [&str; 8] = [
    "",
    " [Slow]",
    " [Serial]",
    " [Feature:Example]",
    " [Disruptive]",
    " [LinuxOnly]",
    " [Slow] [Serial]",
    " [Feature:Windows]",
];

const CONFORMANCE_TAGS: [&str; 5] = [
    " [Conformance]",
    "  [Conformance]",
    " [NodeConformance] [Conformance]",
    " [LinuxOnly] [Conformance]",
    " [Serial] [Conformance]",
];

/// Real conformance test names, used first so that generated runs read
/// like real ones.
const REAL_CONFORMANCE: [(&str, &str); 30] = [
    (
        "[sig-network] Services should serve a basic endpoint from pods  [Conformance]",
        "network/service.go:791",
    ),
    (
        "[sig-network] Services should serve multiport endpoints from pods  [Conformance]",
        "network/service.go:852",
    ),
    (
        "[sig-network] DNS should provide DNS for the cluster  [Conformance]",
        "network/dns.go:50",
    ),
    (
        "[sig-network] DNS should provide DNS for services  [Conformance]",
        "network/dns.go:137",
    ),
    (
        "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]",
        "common/node/pods.go:227",
    ),
    (
        "[sig-node] Pods should get a host IP [NodeConformance] [Conformance]",
        "common/node/pods.go:205",
    ),
    (
        "[sig-node] Container Runtime blackbox test on terminated container should report termination message from file when pod succeeds and TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance] [Conformance]",
        "common/node/runtime.go:248",
    ),
    (
        "[sig-node] Probing container should have monotonically increasing restart count [NodeConformance] [Conformance]",
        "common/node/container_probe.go:199",
    ),
    (
        "[sig-apps] Deployment deployment should support rollover [Conformance]",
        "apps/deployment.go:132",
    ),
    (
        "[sig-apps] Deployment RollingUpdateDeployment should delete old pods and create new ones [Conformance]",
        "apps/deployment.go:105",
    ),
    (
        "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should perform rolling updates and roll backs of template modifications [Conformance]",
        "apps/statefulset.go:316",
    ),
    (
        "[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]",
        "apps/daemon_set.go:166",
    ),
    (
        "[sig-apps] ReplicaSet should serve a basic image on each replica with a public image  [Conformance]",
        "apps/replica_set.go:111",
    ),
    (
        "[sig-apps] Job should delete a job [Conformance]",
        "apps/job.go:481",
    ),
    (
        "[sig-storage] Secrets should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance] [Conformance]",
        "common/storage/secrets_volume.go:57",
    ),
    (
        "[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]",
        "common/storage/configmap_volume.go:47",
    ),
    (
        "[sig-storage] EmptyDir volumes should support (root,0644,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]",
        "common/storage/empty_dir.go:87",
    ),
    (
        "[sig-storage] Projected downwardAPI should provide container's cpu limit [NodeConformance] [Conformance]",
        "common/storage/projected_downwardapi.go:194",
    ),
    (
        "[sig-api-machinery] Namespaces [Serial] should patch a Namespace [Conformance]",
        "apimachinery/namespace.go:268",
    ),
    (
        "[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]",
        "apimachinery/watch.go:191",
    ),
    (
        "[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] Simple CustomResourceDefinition creating/deleting custom resource definition objects works  [Conformance]",
        "apimachinery/custom_resource_definition.go:58",
    ),
    (
        "[sig-api-machinery] Garbage collector should delete pods created by rc when not orphaning [Conformance]",
        "apimachinery/garbage_collector.go:312",
    ),
    (
        "[sig-cli] Kubectl client Kubectl version should check is all data is printed  [Conformance]",
        "kubectl/kubectl.go:1685",
    ),
    (
        "[sig-cli] Kubectl client Proxy server should support proxy with --port 0  [Conformance]",
        "kubectl/kubectl.go:1787",
    ),
    (
        "[sig-scheduling] SchedulerPredicates [Serial] validates resource limits of pods that are allowed to run  [Conformance]",
        "scheduling/predicates.go:331",
    ),
    (
        "[sig-scheduling] LimitRange should create a LimitRange with defaults and ensure pod has those defaults applied. [Conformance]",
        "scheduling/limit_range.go:61",
    ),
    (
        "[sig-auth] ServiceAccounts should mount an API token into pods  [Conformance]",
        "auth/service_accounts.go:78",
    ),
    (
        "[sig-instrumentation] Events API should ensure that an event can be fetched, patched, deleted, and listed [Conformance]",
        "instrumentation/events.go:98",
    ),
    (
        "[sig-architecture] Conformance Tests should have at least two untainted nodes [Conformance]",
        "architecture/conformance.go:39",
    ),
    (
        "[sig-node] Kubelet when scheduling a busybox command in a pod should print the output to logs [NodeConformance] [Conformance]",
        "common/node/kubelet.go:52",
    ),
];

const FAILURE_MESSAGES: [&str; 5] = [
    "failed to get service endpoints: timed out waiting for the condition",
    "error waiting for deployment \"test-rollover-deployment\" status to match expectation: total pods available: 1, less than the min required: 2",
    "Conformance test suite needs a cluster with at least 2 nodes.\nExpected\n    <int>: 1\nto be >\n    <int>: 1",
    "pod \"pod-subpath-test-configmap-x7kq\" did not reach Running: timed out waiting for the condition",
    "unexpected error: the server could not find the requested resource (get pods proxy-service-7ddc)",
];

const SKIP_REASONS: [&str; 4] = [
    "Requires at least 2 nodes (not 1)",
    "Only supported for providers [gce gke aws] (not vsphere)",
    "Only supported for node OS distro [gci ubuntu] (not photon)",
    "Skipped because the cluster does not allow NodePort Services",
];

/// The spec names of a plan and which of them are conformance / skipped;
/// built once and reused for every release of a corpus.
struct Catalog {
    /// (name, location, conformance)
    names: Vec<(String, String, bool)>,
    /// Indices (into `names`) of the conformance specs that are skipped.
    skipped: HashSet<usize>,
}

impl Catalog {
    fn new(plan: &SpecPlan) -> Catalog {
        let specs = plan.specs;
        let conformance = plan.conformance.min(specs);
        let mut rng = Rng::new(plan.seed);
        let mut names = Vec::with_capacity(specs);
        let mut seen: HashSet<String> = HashSet::with_capacity(specs);
        let old_names = plan.minor < 20;
        let fix = |name: &str| -> String {
            if old_names {
                name.replacen("[sig-node] ", "[k8s.io] ", 1)
            } else {
                name.to_string()
            }
        };
        for (name, loc) in REAL_CONFORMANCE.iter().take(conformance) {
            let name = fix(name);
            seen.insert(words_key(&name));
            names.push((name, format!("test/e2e/{loc}"), true));
        }
        // More conformance specs than those: the rest of the tests that
        // Kubernetes' list of the plan's minor requires (so a generated run
        // has as many required tests as asked), then invented ones.
        if names.len() < conformance
            && let Ok(lists) = crate::conformance_index::builtin()
            && let Some(list) = lists.for_version((1, plan.minor))
        {
            for entry in list.required() {
                if names.len() >= conformance {
                    break;
                }
                let name = crate::ingest::names::display_name(&entry.codename);
                if !seen.insert(words_key(&name)) {
                    continue;
                }
                names.push((name, entry.file.clone(), true));
            }
        }
        // Enumerate subject × verb × object × qualifier combinations in a
        // seed-dependent order without repeats: a stride coprime with the
        // number of combinations visits each one once.
        let subjects: Vec<(usize, usize)> = SIGS
            .iter()
            .enumerate()
            .flat_map(|(s, sig)| (0..sig.subjects.len()).map(move |j| (s, j)))
            .collect();
        let combos = subjects.len() * VERBS.len() * OBJECTS.len() * QUALIFIERS.len();
        let mut stride = 7919 + rng.below(combos / 2);
        while gcd(stride, combos) != 1 {
            stride += 1;
        }
        let offset = rng.below(combos);
        let mut k = 0usize;
        let mut round = 0usize;
        while names.len() < specs {
            let idx = (offset + k.wrapping_mul(stride)) % combos;
            k += 1;
            if k.is_multiple_of(combos) {
                round += 1;
            }
            let q = idx % QUALIFIERS.len();
            let rest = idx / QUALIFIERS.len();
            let o = rest % OBJECTS.len();
            let rest = rest / OBJECTS.len();
            let v = rest % VERBS.len();
            let (s, j) = subjects[rest / VERBS.len()];
            let sig = &SIGS[s];
            let conf = names.len() < conformance;
            let mut name = format!(
                "[{}] {} {} {}",
                sig.tag, sig.subjects[j], VERBS[v], OBJECTS[o]
            );
            if !QUALIFIERS[q].is_empty() {
                name.push(' ');
                name.push_str(QUALIFIERS[q]);
            }
            if round > 0 {
                let _ = write!(name, " (round {round})");
            }
            let name = fix(&name);
            if !seen.insert(words_key(&name)) {
                continue;
            }
            let tags = if conf {
                *rng.pick(&CONFORMANCE_TAGS)
            } else {
                *rng.pick(&NON_CONFORMANCE_TAGS)
            };
            let line = 40 + rng.below(3000);
            names.push((
                format!("{name}{tags}"),
                format!("test/e2e/{}:{line}", sig.file),
                conf,
            ));
        }
        // Which conformance specs are skipped is a property of the product,
        // not of one run: it depends on the names' seed only.
        let mut conf_idx: Vec<usize> = (0..conformance).collect();
        rng.shuffle(&mut conf_idx);
        let skipped = conf_idx
            .into_iter()
            .take(plan.skipped_conformance.min(conformance))
            .collect();
        Catalog { names, skipped }
    }

    fn run(&self, plan: &SpecPlan, outcome_seed: u64) -> Run {
        let mut rng = Rng::new(!outcome_seed);
        let mut runnable: Vec<usize> = (0..self.names.len())
            .filter(|i| self.names[*i].2 && !self.skipped.contains(i))
            .collect();
        rng.shuffle(&mut runnable);
        let failed: HashSet<usize> = runnable
            .iter()
            .copied()
            .take(plan.failed.min(runnable.len()))
            .collect();
        // Failure kinds follow the order the failures appear in the file.
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        rng.shuffle(&mut order);
        let mut specs = Vec::with_capacity(order.len());
        let mut nth_failure = 0usize;
        let mut busy_secs = 0.0;
        for i in order {
            let (name, location, conf) = &self.names[i];
            let (outcome, message) = if !conf {
                (Outcome::Skipped, None)
            } else if self.skipped.contains(&i) {
                let reason = SKIP_REASONS[i % SKIP_REASONS.len()];
                (Outcome::Skipped, Some(reason.to_string()))
            } else if failed.contains(&i) {
                let kind = match plan.ginkgo {
                    Ginkgo::V1 => FailureKind::Failed,
                    Ginkgo::V2 => [
                        FailureKind::Failed,
                        FailureKind::TimedOut,
                        FailureKind::Panicked,
                        FailureKind::Aborted,
                        FailureKind::Interrupted,
                    ][nth_failure % 5],
                };
                nth_failure += 1;
                let message = match kind {
                    FailureKind::TimedOut => "A spec timeout occurred".to_string(),
                    FailureKind::Panicked => {
                        "runtime error: invalid memory address or nil pointer dereference"
                            .to_string()
                    }
                    FailureKind::Aborted => {
                        "Told to stop trying: the test namespace was deleted".to_string()
                    }
                    FailureKind::Interrupted => "Interrupted by User".to_string(),
                    _ => rng.pick(&FAILURE_MESSAGES).to_string(),
                };
                (Outcome::Failed(kind), Some(message))
            } else {
                (Outcome::Passed, None)
            };
            let duration_secs = match outcome {
                Outcome::Skipped | Outcome::Pending => 0.0,
                _ => round9(1.0 + rng.unit() * rng.unit() * 300.0),
            };
            busy_secs += duration_secs;
            specs.push(SpecRecord {
                name: name.clone(),
                outcome,
                duration_secs,
                message,
                location: location.clone(),
            });
        }
        let suite_nodes = match plan.ginkgo {
            Ginkgo::V1 => Vec::new(),
            Ginkgo::V2 => suite_node_records(plan.suite_nodes, &mut rng),
        };
        let processes = match plan.ginkgo {
            Ginkgo::V2 if plan.suite_nodes > 4 => (1 + (plan.suite_nodes - 4) / 2) as u32,
            _ => 1,
        };
        Run {
            ginkgo: plan.ginkgo,
            kube_version: plan.kube_version.clone(),
            e2e_version: e2e_version_of(&plan.kube_version),
            print_versions: true,
            ansi: plan.ginkgo == Ginkgo::V2 && outcome_seed % 2 == 1,
            processes,
            seed: outcome_seed,
            suite_nodes,
            specs,
            duration_secs: round9(busy_secs / f64::from(processes) + 12.0 + rng.unit() * 30.0),
        }
    }
}

/// `v1.21.0+vmware.wcp.2` → `v1.21.0`.
fn e2e_version_of(kube: &str) -> String {
    kube.split(['+', '-']).next().unwrap_or(kube).to_string()
}

/// Suite nodes as a real run lists them: the synchronized pair and the
/// report nodes first, then one more synchronized pair per extra process.
fn suite_node_records(n: usize, rng: &mut Rng) -> Vec<SpecRecord> {
    let base = [
        "[SynchronizedBeforeSuite]",
        "[SynchronizedAfterSuite]",
        "[ReportAfterSuite] Kubernetes e2e suite report",
        "[ReportBeforeSuite]",
    ];
    (0..n)
        .map(|i| {
            let name = if i < base.len() {
                base[i]
            } else if (i - base.len()).is_multiple_of(2) {
                "[SynchronizedBeforeSuite]"
            } else {
                "[SynchronizedAfterSuite]"
            };
            SpecRecord::suite_node(name, round9(rng.unit() * 0.4))
        })
        .collect()
}

/// Lowercased words without bracketed tags, to keep generated names distinct
/// once tags are ignored.
fn words_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Limits;
    use crate::ingest::{e2e_log as log_reader, junit};

    fn plan(ginkgo: Ginkgo) -> SpecPlan {
        SpecPlan {
            specs: 300,
            conformance: 60,
            failed: 7,
            skipped_conformance: 4,
            suite_nodes: 4,
            ginkgo,
            minor: 29,
            kube_version: "v1.29.3+acme.1".into(),
            seed: 42,
        }
    }

    #[test]
    fn deterministic() {
        let p = plan(Ginkgo::V2);
        assert_eq!(junit_xml(&p), junit_xml(&p));
        assert_eq!(e2e_log(&p), e2e_log(&p));
        let mut q = p.clone();
        q.seed = 43;
        assert_ne!(junit_xml(&p), junit_xml(&q));
    }

    #[test]
    fn junit_and_log_agree_in_both_generations() {
        for g in [Ginkgo::V1, Ginkgo::V2] {
            let p = plan(g);
            let report =
                junit::parse_junit(junit_xml(&p).as_bytes(), "gen.xml", &Limits::default())
                    .unwrap();
            let facts = log_reader::scan_log(e2e_log(&p).as_bytes());
            let log = facts.summary.expect("verdict line");
            let passed = report
                .tests
                .iter()
                .filter(|t| t.outcome == Outcome::Passed)
                .count();
            let failed = report
                .tests
                .iter()
                .filter(|t| matches!(t.outcome, Outcome::Failed(_)))
                .count();
            assert_eq!(report.tests.len(), 300, "{g:?}");
            assert_eq!(report.tests.iter().filter(|t| t.conformance()).count(), 60);
            assert_eq!(
                (passed as u64, failed as u64),
                (log.passed, log.failed),
                "{g:?}"
            );
            assert_eq!(log.ran, 56);
            assert_eq!(log.of, 300);
            assert_eq!(log.skipped, 244);
            assert_eq!(failed, 7);
            assert_eq!(
                facts.kube_version.as_deref(),
                Some("v1.29.3+acme.1"),
                "{g:?}"
            );
            let nodes = if g == Ginkgo::V2 { 4 } else { 0 };
            assert_eq!(report.suite_nodes.len(), nodes);
            if g == Ginkgo::V2 {
                let kinds: HashSet<_> = report
                    .tests
                    .iter()
                    .filter_map(|t| match t.outcome {
                        Outcome::Failed(k) => Some(k),
                        _ => None,
                    })
                    .collect();
                assert_eq!(kinds.len(), 5, "{kinds:?}");
                assert!(
                    report
                        .tests
                        .iter()
                        .all(|t| t.raw_name().starts_with("[It] "))
                );
                assert!(report.tests.iter().any(|t| {
                    t.message
                        .as_deref()
                        .is_some_and(|m| m.starts_with("skipped - "))
                }));
            }
        }
    }

    #[test]
    fn names_are_distinct_and_stable_across_a_corpus() {
        let p = SpecPlan {
            specs: 5000,
            ..plan(Ginkgo::V2)
        };
        let catalog = Catalog::new(&p);
        let keys: HashSet<String> = catalog.names.iter().map(|n| words_key(&n.0)).collect();
        assert_eq!(keys.len(), 5000);
        let a = catalog.run(&p, 1);
        let b = catalog.run(&p, 2);
        let names_a: HashSet<&str> = a.specs.iter().map(|s| s.name.as_str()).collect();
        let names_b: HashSet<&str> = b.specs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names_a, names_b);
    }

    #[test]
    fn counts_are_clamped() {
        let p = SpecPlan {
            specs: 5,
            conformance: 50,
            failed: 50,
            skipped_conformance: 2,
            ..plan(Ginkgo::V1)
        };
        let c = Run::from_plan(&p).counts();
        assert_eq!((c.total, c.passed, c.failed, c.skipped), (5, 0, 3, 2));
    }

    #[test]
    fn split_context_finds_the_it_text() {
        assert_eq!(
            it_form("[sig-network] Services should serve x [Conformance]"),
            "[sig-network] Services [It] should serve x [Conformance]"
        );
        assert_eq!(
            it_form("[sig-network] HostPort validates that there is no conflict"),
            "[sig-network] HostPort [It] validates that there is no conflict"
        );
        assert_eq!(
            it_form("[sig-node] Lease lease API works"),
            "[sig-node] Lease [It] lease API works"
        );
        assert_eq!(it_form("plain"), "[It] plain");
    }

    #[test]
    fn escapes_like_go() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\"\nd");
        assert_eq!(s, "a&lt;b&gt;&amp;&#34;c&#34;&#xA;d");
    }

    #[test]
    fn corpus_writes_releases() {
        let dir = tempfile::tempdir().unwrap();
        let p = SpecPlan {
            specs: 40,
            conformance: 10,
            failed: 1,
            ..plan(Ginkgo::V1)
        };
        let bytes = write_corpus_alternating(dir.path(), 3, &p).unwrap();
        assert!(bytes > 0);
        for r in 0..3 {
            let sub = dir.path().join(format!("v1.29-r{r:03}"));
            assert!(sub.join("junit_01.xml").is_file());
            assert!(sub.join("e2e.log").is_file());
        }
        let second = std::fs::read_to_string(dir.path().join("v1.29-r001/junit_01.xml")).unwrap();
        assert!(
            second.contains("<testsuites"),
            "odd releases use the other generation"
        );
    }

    #[test]
    fn a_written_corpus_reads_back_with_its_plan() {
        // Small and fast: `benches/scale.rs` covers the large corpora.
        let dir = tempfile::tempdir().unwrap();
        let p = SpecPlan {
            specs: 700,
            conformance: 40,
            failed: 3,
            ..SpecPlan::default()
        };
        let bytes = write_corpus(dir.path(), 4, &p).unwrap();
        assert!(bytes > 100_000, "{bytes}");
        let corpus = crate::ingest::load_paths(&[dir.path().to_path_buf()]);
        assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
        assert_eq!(corpus.releases.len(), 4);
        for (i, r) in corpus.releases.iter().enumerate() {
            assert_eq!(r.tests.len(), 700, "{}", r.label);
            assert_eq!(r.kube_version, Some(format!("v1.30.{i}")));
            let c = crate::analysis::summarize_release(
                r,
                &crate::caveats::Catalog::builtin(),
                &Default::default(),
            )
            .conformance;
            // Failures vary around the plan's: 0 to twice as many.
            assert_eq!(c.total, 40, "{}", r.label);
            assert!(c.failed <= 6, "{}: {c:?}", r.label);
            assert_eq!(r.agrees_with_log(), Some(true), "{}", r.label);
            // The releases share their spec names.
            let keys: HashSet<&str> = r.tests.iter().map(|t| t.key()).collect();
            let first: HashSet<&str> = corpus.releases[0].tests.iter().map(|t| t.key()).collect();
            assert_eq!(keys, first, "{}", r.label);
        }
    }
}

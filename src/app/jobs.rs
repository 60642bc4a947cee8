//! The window's one way to run work off the UI thread.
//!
//! Everything that can take long goes through a [`Jobs`] runner: loading
//! results, merging added ones, the per-release analysis, file dialogs, log
//! excerpts, caveat catalogs and documents, conformance lists, exports and
//! large filters. This file is the only one under `src/app` that starts a
//! thread.
//!
//! - [`Jobs::start`] runs a closure on a named thread and hands back a
//!   [`Job`]: the receiving end, with shared [`Progress`] counters and a
//!   cancel flag the work may watch.
//! - When the work ends the runner wakes the UI (a repaint), so the answer
//!   is taken on the next frame by [`Job::poll`].
//! - Failures are handled here, once: a thread that cannot be started, work
//!   that panics and work that ends without an answer all arrive as
//!   `Err(text)` from [`Job::poll`], never as a hang.
//! - Dropping a [`Job`] cancels it, and its answer is thrown away.
//! - [`Jobs::start_feed`] runs work that answers many times while it runs
//!   (the folder watcher): each message goes through an [`Outbox`], which
//!   wakes the UI, and is taken by [`Feed::drain`].
//!
//! Owners keep their jobs in a [`Slot`] under a key that sums up the
//! inputs: starting a job for new inputs replaces (and cancels) the one for
//! old inputs, so a stale answer can never be shown. [`Computed`] builds on
//! a slot for values derived from the loaded data (the matrix, a diff, a
//! pre-check, the Tests rows), made here at once when small and by a job
//! when large.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

pub use crate::ingest::Progress;

/// What a job does; it names the job's thread and its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Reading folders and tarballs.
    Load,
    /// Merging added releases into the open ones.
    Merge,
    /// Per-release verdicts and figures for a new catalog or scope.
    Analysis,
    /// A native file dialog.
    Dialog,
    /// The lines of an e2e.log around a test.
    Excerpt,
    /// A caveat catalog file.
    Catalog,
    /// A vendor's summary document.
    Document,
    /// Kubernetes' conformance lists.
    Lists,
    /// Rendering and writing an export.
    Export,
    /// Filtering and sorting the Tests rows.
    Rows,
    /// The history matrix.
    Matrix,
    /// A diff of two releases.
    Diff,
    /// A certification pre-check.
    Check,
    /// Freeing a large value away from the UI thread.
    Drop,
    /// Watching the opened folders for changes.
    Watch,
    /// Reading again what changed in a watched folder.
    Reread,
}

impl JobKind {
    /// A short name, for the thread and for messages.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Load => "load",
            JobKind::Merge => "merge",
            JobKind::Analysis => "analysis",
            JobKind::Dialog => "file-dialog",
            JobKind::Excerpt => "log-excerpt",
            JobKind::Catalog => "caveat-catalog",
            JobKind::Document => "summary-document",
            JobKind::Lists => "conformance-lists",
            JobKind::Export => "export",
            JobKind::Rows => "test-rows",
            JobKind::Matrix => "matrix",
            JobKind::Diff => "diff",
            JobKind::Check => "pre-check",
            JobKind::Drop => "free",
            JobKind::Watch => "folder-watch",
            JobKind::Reread => "reread",
        }
    }
}

/// Starts jobs. Cheap to clone: every clone wakes the same window and
/// counts into the same tally of running jobs.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    /// The window to wake, once known: shared by every clone and read by
    /// each job when it ends, so a job started before the window existed
    /// (the first load, see `loading::Preload`) still wakes it.
    ctx: Arc<std::sync::OnceLock<egui::Context>>,
    running: Arc<AtomicUsize>,
}

impl Jobs {
    /// A runner that wakes `ctx` when a job ends (`None`: nobody to wake,
    /// as in tests that poll).
    pub fn new(ctx: Option<egui::Context>) -> Jobs {
        let jobs = Jobs::default();
        if let Some(ctx) = ctx {
            jobs.set_context(ctx);
        }
        jobs
    }

    /// Wake this context from now on, in this runner, its clones and the
    /// jobs already running (the app learns it on its first frame). A
    /// runner serves one window: the first context set stays.
    pub fn set_context(&self, ctx: egui::Context) {
        let _ = self.ctx.set(ctx);
    }

    /// Jobs not finished yet (the work and the wake after it), abandoned
    /// ones included.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }

    /// Run `work` on a thread of its own. The work gets the job's progress
    /// counters, whose cancel flag it should watch when it runs long.
    pub fn start<T, W>(&self, kind: JobKind, work: W) -> Job<T>
    where
        T: Send + 'static,
        W: FnOnce(&Arc<Progress>) -> T + Send + 'static,
    {
        self.start_with_progress(kind, Arc::new(Progress::default()), work)
    }

    /// [`Jobs::start`] with counters shared with other work: a job that
    /// takes over work already running (the first load) shows its progress
    /// and cancels it.
    pub fn start_with_progress<T, W>(
        &self,
        kind: JobKind,
        progress: Arc<Progress>,
        work: W,
    ) -> Job<T>
    where
        T: Send + 'static,
        W: FnOnce(&Arc<Progress>) -> T + Send + 'static,
    {
        self.spawn(kind, progress, true, work)
    }

    /// [`Jobs::start`] for work that another job waits on ([`Job::wait`]):
    /// its end does not wake the window, which only the waiting job's
    /// answer concerns (a frame drawn for nothing takes CPU from that job).
    pub fn start_quiet<T, W>(&self, kind: JobKind, work: W) -> Job<T>
    where
        T: Send + 'static,
        W: FnOnce(&Arc<Progress>) -> T + Send + 'static,
    {
        self.spawn(kind, Arc::new(Progress::default()), false, work)
    }

    /// Run `work` on a thread named after `kind`, waking the window when it
    /// ends if `wake`.
    fn spawn<T, W>(&self, kind: JobKind, progress: Arc<Progress>, wake: bool, work: W) -> Job<T>
    where
        T: Send + 'static,
        W: FnOnce(&Arc<Progress>) -> T + Send + 'static,
    {
        let (tx, rx) = channel();
        let job = Job {
            kind,
            rx,
            progress: progress.clone(),
            answered: false,
        };
        let ctx = self.ctx.clone();
        let running = self.running.clone();
        running.fetch_add(1, Ordering::Relaxed);
        let thread_tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("cv-{}", kind.name()))
            .spawn(move || {
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&progress)))
                        .map_err(|panic| {
                            let why = panic
                                .downcast_ref::<&str>()
                                .map(|s| (*s).to_string())
                                .or_else(|| panic.downcast_ref::<String>().cloned())
                                .unwrap_or_else(|| "no message".to_string());
                            format!("the {} job stopped unexpectedly: {why}", kind.name())
                        });
                // The owner may have moved on; then nobody listens.
                let _ = thread_tx.send(result);
                if let Some(ctx) = ctx.get().filter(|_| wake) {
                    ctx.request_repaint();
                }
                running.fetch_sub(1, Ordering::Relaxed);
            });
        if let Err(e) = spawned {
            self.running.fetch_sub(1, Ordering::Relaxed);
            let _ = tx.send(Err(format!(
                "cannot start the {} job: no thread could be started: {e}",
                kind.name()
            )));
        }
        job
    }

    /// Free `value` on a thread, so that dropping a large corpus does not
    /// stall a frame. Falls back to freeing it here.
    pub fn drop_later<T: Send + 'static>(&self, value: T) {
        // The job's answer is not awaited: dropping the handle abandons it,
        // and the thread still runs the closure, which drops the value.
        let _ = self.start(JobKind::Drop, move |_| drop(value));
    }

    /// Run `work` on a thread of its own as a feed: while it runs it may
    /// send any number of messages through its [`Outbox`], each of which
    /// wakes the window. The work should return once the cancel flag is
    /// set, which dropping the [`Feed`] does.
    pub fn start_feed<T, W>(&self, kind: JobKind, work: W) -> Feed<T>
    where
        T: Send + 'static,
        W: FnOnce(&Arc<Progress>, &Outbox<T>) + Send + 'static,
    {
        let (tx, rx) = channel();
        let outbox = Outbox {
            tx,
            ctx: self.ctx.clone(),
        };
        let job = self.start(kind, move |progress| work(progress, &outbox));
        Feed { rx, job }
    }
}

/// The sending end of a [`Feed`], held by its work.
#[derive(Debug)]
pub struct Outbox<T> {
    tx: Sender<T>,
    ctx: Arc<std::sync::OnceLock<egui::Context>>,
}

impl<T> Outbox<T> {
    /// Hand `message` to the window and wake it; `false` when nobody
    /// listens any more (the feed was dropped), so the work can stop.
    pub fn send(&self, message: T) -> bool {
        let sent = self.tx.send(message).is_ok();
        if let Some(ctx) = self.ctx.get() {
            ctx.request_repaint();
        }
        sent
    }
}

/// A job that answers many times: see [`Jobs::start_feed`]. Dropping it
/// cancels the work.
#[derive(Debug)]
pub struct Feed<T> {
    rx: Receiver<T>,
    job: Job<()>,
}

impl<T> Feed<T> {
    /// The messages sent since the last call, oldest first. Call once per
    /// frame.
    pub fn drain(&mut self) -> Vec<T> {
        self.rx.try_iter().collect()
    }

    /// How the work ended, once it has: `Err` when it panicked or could
    /// not start. After an answer the feed is spent.
    pub fn ended(&mut self) -> Option<Result<(), String>> {
        self.job.poll()
    }
}

/// A job that was started: poll it for the answer.
#[derive(Debug)]
pub struct Job<T> {
    kind: JobKind,
    rx: Receiver<Result<T, String>>,
    progress: Arc<Progress>,
    /// Whether the answer was taken: dropping the job then cancels nothing
    /// (its counters may be shared with the job that took it over).
    answered: bool,
}

impl<T> Job<T> {
    /// The answer, once the work has ended: `Err` when it could not run,
    /// panicked or vanished. Call once per frame; after an answer the job
    /// is spent.
    pub fn poll(&mut self) -> Option<Result<T, String>> {
        let answer = match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(self.vanished())),
        };
        self.answered |= answer.is_some();
        answer
    }

    /// Wait for the answer, blocking this thread: for work that continues
    /// another job's (never on the UI thread).
    pub fn wait(mut self) -> Result<T, String> {
        self.answered = true;
        self.rx.recv().unwrap_or_else(|_| Err(self.vanished()))
    }

    /// The counters the work reports, to share with a job that takes it
    /// over ([`Jobs::start_with_progress`]).
    pub fn shared_progress(&self) -> Arc<Progress> {
        self.progress.clone()
    }

    fn vanished(&self) -> String {
        format!("the {} job stopped without an answer", self.kind.name())
    }

    /// Ask the work to stop; whatever it still sends is its answer.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancel was asked for.
    pub fn cancelling(&self) -> bool {
        self.progress.cancelled()
    }

    /// The counters the work reports.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        if !self.answered {
            self.cancel();
        }
    }
}

/// At most one job, for the inputs summed up by `K`: starting another
/// replaces it, so only the answer for the latest inputs is ever taken.
#[derive(Debug)]
pub struct Slot<K, T> {
    job: Option<(K, Job<T>)>,
}

impl<K, T> Default for Slot<K, T> {
    fn default() -> Self {
        Slot { job: None }
    }
}

impl<K: PartialEq, T: Send + 'static> Slot<K, T> {
    /// Start `work` for `key`, cancelling and forgetting the job before.
    pub fn start<W>(&mut self, jobs: &Jobs, kind: JobKind, key: K, work: W)
    where
        W: FnOnce(&Arc<Progress>) -> T + Send + 'static,
    {
        self.job = Some((key, jobs.start(kind, work)));
    }

    /// The answer of the job, with its key, once it has ended.
    pub fn poll(&mut self) -> Option<(K, Result<T, String>)> {
        let result = self.job.as_mut()?.1.poll()?;
        let (key, _) = self.job.take()?;
        Some((key, result))
    }

    /// Cancel the job and forget it.
    pub fn clear(&mut self) {
        self.job = None;
    }

    /// The running job and its key.
    pub fn running(&self) -> Option<(&K, &Job<T>)> {
        self.job.as_ref().map(|(k, j)| (k, j))
    }

    /// Whether a job runs for `key`.
    pub fn runs(&self, key: &K) -> bool {
        self.job.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// Whether any job runs.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

/// A value of type `T` made from inputs summed up by `K` (generations and
/// indices, never the data itself, so asking every frame costs one
/// comparison). Small work runs at once on the UI thread; long work runs
/// as a [`Job`] while the last value stays on screen.
#[derive(Debug)]
pub struct Computed<K, T> {
    /// The inputs of the value the view wants now.
    wanted: Option<K>,
    /// The last value made, with its inputs.
    done: Option<(K, Arc<T>)>,
    /// A value being made by a job.
    running: Slot<K, T>,
    /// Why the last job gave no value.
    error: Option<String>,
    /// How many times a value was made (or started).
    builds: u64,
}

impl<K, T> Default for Computed<K, T> {
    fn default() -> Self {
        Computed {
            wanted: None,
            done: None,
            running: Slot::default(),
            error: None,
            builds: 0,
        }
    }
}

/// Where a value is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// On the UI thread, now: for work that takes a few milliseconds.
    Here,
    /// By a job.
    Background,
}

impl<K: Clone + PartialEq, T: Send + 'static> Computed<K, T> {
    /// Take a finished value, if any. Call once per frame.
    pub fn poll(&mut self) {
        match self.running.poll() {
            Some((key, Ok(value))) => {
                self.done = Some((key, Arc::new(value)));
                self.error = None;
            }
            Some((_, Err(e))) => self.error = Some(e),
            None => {}
        }
    }

    /// Whether the value for `key` is neither made nor being made.
    pub fn needs(&self, key: &K) -> bool {
        let done = self.done.as_ref().is_some_and(|(k, _)| k == key);
        !done && !self.running.runs(key)
    }

    /// Say which value the view wants; when it is not made or being made,
    /// make it with `work` (called only then), here or by a job of `kind`.
    /// A job for older inputs is cancelled: its answer is dropped.
    pub fn want<W>(
        &mut self,
        key: K,
        place: Place,
        kind: JobKind,
        jobs: &Jobs,
        work: impl FnOnce() -> W,
    ) where
        W: FnOnce() -> T + Send + 'static,
    {
        let needed = self.needs(&key);
        self.wanted = Some(key.clone());
        if !needed {
            return;
        }
        self.builds += 1;
        let job = work();
        self.error = None;
        match place {
            Place::Here => {
                self.running.clear();
                self.done = Some((key, Arc::new(job())));
            }
            Place::Background => self.running.start(jobs, kind, key, move |_| job()),
        }
    }

    /// Forget what is wanted (nothing to show).
    pub fn clear_wanted(&mut self) {
        self.wanted = None;
    }

    /// The value for the wanted inputs, when it is made.
    pub fn current(&self) -> Option<&Arc<T>> {
        let wanted = self.wanted.as_ref()?;
        self.done
            .as_ref()
            .filter(|(k, _)| k == wanted)
            .map(|(_, v)| v)
    }

    /// The last value made, even for older inputs: shown greyed while the
    /// new one is being made.
    pub fn latest(&self) -> Option<&Arc<T>> {
        self.done.as_ref().map(|(_, v)| v)
    }

    /// Whether the wanted value is being made by a job.
    pub fn busy(&self) -> bool {
        match (self.running.running(), &self.wanted) {
            (Some((k, _)), Some(w)) => k == w,
            _ => false,
        }
    }

    /// Why the last job failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// How many values were made (or started).
    pub fn builds(&self) -> u64 {
        self.builds
    }
}

/// Poll `ready` every few milliseconds until it returns true or `timeout`
/// passes; returns whether it did. For tests and headless drivers that wait
/// on jobs without a window.
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_per_key() {
        let jobs = Jobs::default();
        let mut c: Computed<u32, u32> = Computed::default();
        for _ in 0..3 {
            c.want(1, Place::Here, JobKind::Matrix, &jobs, || || 10);
        }
        assert_eq!(c.builds(), 1);
        assert_eq!(c.current().map(|v| **v), Some(10));
        c.want(2, Place::Here, JobKind::Matrix, &jobs, || || 20);
        assert_eq!(c.builds(), 2);
        assert_eq!(c.current().map(|v| **v), Some(20));
    }

    #[test]
    fn background_values_arrive_and_stale_ones_are_dropped() {
        let jobs = Jobs::default();
        let mut c: Computed<u32, u32> = Computed::default();
        c.want(1, Place::Background, JobKind::Matrix, &jobs, || {
            || {
                std::thread::sleep(Duration::from_millis(50));
                1
            }
        });
        c.want(2, Place::Background, JobKind::Matrix, &jobs, || || 2);
        assert!(c.busy());
        assert!(wait_until(Duration::from_secs(5), || {
            c.poll();
            c.current().is_some()
        }));
        assert_eq!(c.current().map(|v| **v), Some(2));
        assert!(!c.busy());
        // The abandoned job still ends, and its answer never shows.
        assert!(wait_until(Duration::from_secs(5), || jobs.running() == 0));
        c.poll();
        assert_eq!(c.current().map(|v| **v), Some(2));
    }

    /// A job's end wakes the window; a quiet job's (work another job waits
    /// on) does not.
    #[test]
    fn only_jobs_that_are_not_quiet_wake_the_window() {
        let ctx = egui::Context::default();
        let wakes = Arc::new(AtomicUsize::new(0));
        let counter = wakes.clone();
        ctx.set_request_repaint_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        let jobs = Jobs::new(Some(ctx));
        let quiet: Job<u32> = jobs.start_quiet(JobKind::Load, |_| 7);
        assert_eq!(quiet.wait(), Ok(7));
        assert!(wait_until(Duration::from_secs(5), || jobs.running() == 0));
        assert_eq!(
            wakes.load(Ordering::Relaxed),
            0,
            "a quiet job woke the window"
        );
        let loud: Job<u32> = jobs.start(JobKind::Load, |_| 8);
        assert_eq!(loud.wait(), Ok(8));
        assert!(wait_until(Duration::from_secs(5), || {
            wakes.load(Ordering::Relaxed) > 0
        }));
    }

    #[test]
    fn a_panic_is_an_error_not_a_hang() {
        let jobs = Jobs::default();
        let mut job: Job<u32> = jobs.start(JobKind::Export, |_| panic!("boom"));
        let mut answer = None;
        assert!(wait_until(Duration::from_secs(5), || {
            answer = job.poll();
            answer.is_some()
        }));
        let text = answer.and_then(Result::err).unwrap_or_default();
        assert!(
            text.contains("export job stopped unexpectedly: boom"),
            "{text}"
        );
    }

    #[test]
    fn dropping_a_job_cancels_its_work() {
        let jobs = Jobs::default();
        let seen = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = seen.clone();
        let job: Job<()> = jobs.start(JobKind::Load, move |p| {
            while !p.cancelled() {
                std::thread::sleep(Duration::from_millis(2));
            }
            flag.store(true, Ordering::Relaxed);
        });
        drop(job);
        assert!(wait_until(Duration::from_secs(5), || seen.load(Ordering::Relaxed)));
        assert!(wait_until(Duration::from_secs(5), || jobs.running() == 0));
    }

    #[test]
    fn a_feed_answers_many_times_and_stops_when_dropped() {
        let jobs = Jobs::default();
        let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stopped.clone();
        let mut feed: Feed<u32> = jobs.start_feed(JobKind::Watch, move |p, out| {
            for n in 0..3 {
                out.send(n);
            }
            while !p.cancelled() {
                std::thread::sleep(Duration::from_millis(2));
            }
            flag.store(true, Ordering::Relaxed);
        });
        let mut got = Vec::new();
        assert!(wait_until(Duration::from_secs(5), || {
            got.extend(feed.drain());
            got.len() == 3
        }));
        assert_eq!(got, vec![0, 1, 2]);
        assert!(feed.ended().is_none());
        drop(feed);
        assert!(wait_until(Duration::from_secs(5), || stopped.load(Ordering::Relaxed)));
        assert!(wait_until(Duration::from_secs(5), || jobs.running() == 0));
    }

    #[test]
    fn a_slot_keeps_only_the_latest_key() {
        let jobs = Jobs::default();
        let mut slot: Slot<&str, &str> = Slot::default();
        slot.start(&jobs, JobKind::Excerpt, "old", |_| {
            std::thread::sleep(Duration::from_millis(30));
            "old answer"
        });
        slot.start(&jobs, JobKind::Excerpt, "new", |_| "new answer");
        assert!(slot.runs(&"new"));
        let mut got = None;
        assert!(wait_until(Duration::from_secs(5), || {
            got = slot.poll();
            got.is_some()
        }));
        assert_eq!(got, Some(("new", Ok("new answer"))));
        assert!(!slot.is_running());
    }
}

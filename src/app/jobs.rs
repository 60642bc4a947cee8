//! A value computed from loaded data, remade only when its inputs change:
//! the history matrix, a diff, a pre-check report. Small work runs at once
//! on the UI thread; work that can take long runs on a named background
//! thread that sends its answer over a channel and asks for a repaint.
//!
//! The inputs are summed up in a key (generations and indices, never the
//! data itself), so asking for the value every frame costs one comparison.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// A value of type `T` made from inputs summed up by `K`.
#[derive(Debug)]
pub struct Computed<K, T> {
    /// The inputs of the value the view wants now.
    wanted: Option<K>,
    /// The last value made, with its inputs.
    done: Option<(K, Arc<T>)>,
    /// A value being made on a background thread.
    running: Option<(K, Receiver<T>)>,
    /// Why the last background job gave no value.
    error: Option<String>,
    /// How many times a value was made (or started).
    builds: u64,
}

impl<K, T> Default for Computed<K, T> {
    fn default() -> Self {
        Computed {
            wanted: None,
            done: None,
            running: None,
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
    /// On a background thread.
    Background,
}

impl<K: Clone + PartialEq, T: Send + 'static> Computed<K, T> {
    /// Take a finished background value, if any. Call once per frame.
    pub fn poll(&mut self) {
        let Some((key, rx)) = &self.running else {
            return;
        };
        match rx.try_recv() {
            Ok(value) => {
                self.done = Some((key.clone(), Arc::new(value)));
                self.running = None;
                self.error = None;
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                self.error = Some("the background computation stopped without an answer".into());
                self.running = None;
            }
        }
    }

    /// Whether the value for `key` is neither made nor being made.
    pub fn needs(&self, key: &K) -> bool {
        let done = self.done.as_ref().is_some_and(|(k, _)| k == key);
        let running = self.running.as_ref().is_some_and(|(k, _)| k == key);
        !done && !running
    }

    /// Say which value the view wants; when it is not made or being made,
    /// make it with `work` (called only then), here or in the background.
    /// A background job for older inputs is abandoned: its answer is dropped.
    pub fn want<W>(
        &mut self,
        key: K,
        place: Place,
        thread_name: &str,
        ctx: Option<&egui::Context>,
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
        match place {
            Place::Here => {
                self.running = None;
                self.error = None;
                self.done = Some((key, Arc::new(job())));
            }
            Place::Background => {
                let (tx, rx) = channel();
                let ctx = ctx.cloned();
                let spawned = std::thread::Builder::new()
                    .name(thread_name.to_string())
                    .spawn(move || {
                        let value = job();
                        // The view may have moved on; then nobody listens.
                        let _ = tx.send(value);
                        if let Some(ctx) = ctx {
                            ctx.request_repaint();
                        }
                    });
                match spawned {
                    Ok(_) => {
                        self.running = Some((key, rx));
                        self.error = None;
                    }
                    Err(e) => {
                        self.running = None;
                        self.error = Some(format!("cannot start a background thread: {e}"));
                    }
                }
            }
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

    /// Whether the wanted value is being made in the background.
    pub fn busy(&self) -> bool {
        match (&self.running, &self.wanted) {
            (Some((k, _)), Some(w)) => k == w,
            _ => false,
        }
    }

    /// Why the last background job failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// How many values were made (or started).
    pub fn builds(&self) -> u64 {
        self.builds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn made_once_per_key() {
        let mut c: Computed<u32, u32> = Computed::default();
        for _ in 0..3 {
            c.want(1, Place::Here, "t", None, || || 10);
        }
        assert_eq!(c.builds(), 1);
        assert_eq!(c.current().map(|v| **v), Some(10));
        c.want(2, Place::Here, "t", None, || || 20);
        assert_eq!(c.builds(), 2);
        assert_eq!(c.current().map(|v| **v), Some(20));
    }

    #[test]
    fn background_values_arrive_and_stale_ones_are_dropped() {
        let mut c: Computed<u32, u32> = Computed::default();
        c.want(1, Place::Background, "t1", None, || {
            || {
                std::thread::sleep(Duration::from_millis(50));
                1
            }
        });
        c.want(2, Place::Background, "t2", None, || || 2);
        assert!(c.busy());
        let start = Instant::now();
        while c.current().is_none() {
            assert!(start.elapsed() < Duration::from_secs(5));
            std::thread::sleep(Duration::from_millis(5));
            c.poll();
        }
        assert_eq!(c.current().map(|v| **v), Some(2));
        assert!(!c.busy());
    }
}

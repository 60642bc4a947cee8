//! Read buffers kept by each loading thread and reused from one release to
//! the next.
//!
//! A release's files are read whole into memory, parsed, and dropped. A
//! fresh buffer for every file costs more than the copy itself: each page
//! of it is a fault the kernel answers with a zeroed page (about 9,000 of
//! them for the eight releases of the shared test data, most of the
//! process's faults). Here a thread keeps the buffers of the release it has
//! just built and reads the next release's files into them, so a thread
//! faults in about one release's worth of pages however many it reads.
//!
//! What is kept is bounded ([`MAX_KEPT`] buffers of at most
//! [`MAX_KEPT_BYTES`] each) and let go when a load ends
//! ([`release_all`]), so an idle window holds none of it.

use std::cell::RefCell;

/// Most buffers a thread keeps (a release reads a JUnit file, a log, and a
/// few small files).
pub const MAX_KEPT: usize = 4;

/// Largest buffer kept; a larger one is freed when given back.
pub const MAX_KEPT_BYTES: usize = 64 * 1024 * 1024;

/// Below this a request may take any kept buffer that fits.
const SMALL: usize = 64 * 1024;

thread_local! {
    static POOL: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer with room for at least `capacity` bytes: the smallest
/// kept one that is large enough, else the largest kept one grown, else a
/// new one.
pub fn take(capacity: usize) -> Vec<u8> {
    let kept = POOL.with(|pool| {
        let mut pool = pool.try_borrow_mut().ok()?;
        let fits = pool
            .iter()
            .enumerate()
            .filter(|(_, b)| b.capacity() >= capacity)
            .min_by_key(|(_, b)| b.capacity())
            .map(|(i, _)| i);
        let largest = || {
            pool.iter()
                .enumerate()
                .max_by_key(|(_, b)| b.capacity())
                .map(|(i, _)| i)
        };
        let at = fits.or_else(largest)?;
        // A small read does not carry off a large buffer: what it returns
        // may be kept by its caller long after the load.
        if pool[at].capacity() > capacity.saturating_mul(4).max(SMALL) {
            return None;
        }
        Some(pool.swap_remove(at))
    });
    match kept {
        Some(mut buf) => {
            buf.clear();
            buf.reserve(capacity);
            buf
        }
        None => Vec::with_capacity(capacity),
    }
}

/// Give a buffer back for the next [`take`] on this thread (or free it when
/// it is too large or enough are kept).
pub fn give(mut buf: Vec<u8>) {
    if buf.capacity() == 0 || buf.capacity() > MAX_KEPT_BYTES {
        return;
    }
    buf.clear();
    POOL.with(|pool| {
        if let Ok(mut pool) = pool.try_borrow_mut()
            && pool.len() < MAX_KEPT
        {
            pool.push(buf);
        }
    });
}

/// Free the buffers this thread keeps.
pub fn release_all() {
    POOL.with(|pool| {
        if let Ok(mut pool) = pool.try_borrow_mut() {
            *pool = Vec::new();
        }
    });
}

/// How many bytes of buffers this thread keeps.
#[cfg(test)]
pub(crate) fn kept_bytes() -> usize {
    POOL.with(|pool| {
        pool.try_borrow()
            .map_or(0, |p| p.iter().map(Vec::capacity).sum())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_buffer_is_taken_again_without_growing() {
        release_all();
        let mut a = take(1000);
        a.extend_from_slice(&[7; 1000]);
        let ptr = a.as_ptr();
        give(a);
        assert!(kept_bytes() >= 1000);
        let b = take(500);
        assert!(b.is_empty(), "a taken buffer is empty");
        assert_eq!(b.as_ptr(), ptr, "the kept buffer is reused");
        give(b);
        release_all();
        assert_eq!(kept_bytes(), 0);
    }

    #[test]
    fn the_smallest_fitting_buffer_is_chosen_and_the_pool_is_bounded() {
        release_all();
        let small = take(100_000);
        let big = take(1_000_000);
        let (small_ptr, big_ptr) = (small.as_ptr(), big.as_ptr());
        give(big);
        give(small);
        let got = take(50_000);
        assert_eq!(got.as_ptr(), small_ptr);
        // Nothing small is left: a small read gets a new buffer rather
        // than the large one.
        let tiny = take(10);
        assert!(tiny.capacity() < 1_000_000);
        let got2 = take(500_000);
        assert_eq!(got2.as_ptr(), big_ptr);
        for _ in 0..MAX_KEPT + 3 {
            give(Vec::with_capacity(10));
        }
        assert!(POOL.with(|p| p.borrow().len()) <= MAX_KEPT);
        give(Vec::with_capacity(MAX_KEPT_BYTES + 1));
        assert!(kept_bytes() < MAX_KEPT_BYTES);
        release_all();
    }
}

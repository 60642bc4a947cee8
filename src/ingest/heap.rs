//! The C allocator's settings for loading, on Linux with glibc.
//!
//! Each parsing thread allocates from its own glibc arena, and such an
//! arena grows its heap in small steps, each an `mprotect` call that takes
//! the process's memory-map lock for writing while the other threads' page
//! faults wait on it. Loading the eight releases of the shared test data
//! made about 1,800 to 2,400 of these calls (strace counts every `mprotect`
//! of the process, 2,391 in one run). With a 16 MiB pad (`M_TOP_PAD`,
//! 128 KiB by default) the process makes 12, and the load takes about a
//! tenth less CPU time (measured: `summary --json ../shared/data`, 30
//! interleaved runs).
//!
//! Setting the pad turns off glibc's own tuning of the size from
//! which an allocation gets pages of its own (`mmap`, freed back to the
//! kernel at once). Left at its starting 128 KiB, every release's list of
//! tests and every read buffer would then be fresh pages: on the CNCF tree
//! page faults went from 118,000 to 261,000. So that size is set too, to
//! 32 MiB (the largest glibc takes, and what its tuning moves towards):
//! such blocks come from the arenas and are reused, and faults are back at
//! 118,000.
//!
//! The pad is address space, not memory: pages count once they are
//! touched. When a heap shrinks, glibc keeps the pad at its top, so at most
//! 16 MiB of freed memory per arena stays with the process.

/// The pad each heap grows by (and keeps when it shrinks).
pub const TOP_PAD_BYTES: usize = 16 * 1024 * 1024;

/// Allocations from this size up get pages of their own (`M_MMAP_THRESHOLD`).
pub const MMAP_THRESHOLD_BYTES: usize = 32 * 1024 * 1024;

/// Set the allocator's growth step to [`TOP_PAD_BYTES`] and its threshold
/// for allocations of their own to [`MMAP_THRESHOLD_BYTES`]; `true` when
/// the allocator took both (always `false` off glibc).
pub fn tune_for_loading() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let int = |n: usize| libc::c_int::try_from(n).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes a parameter of glibc's allocator,
        // under the allocator's own lock; it takes no pointer and may be
        // called at any time from any thread.
        // Both are set whatever the other's answer: the threshold matters
        // most when the pad was taken (see above).
        let (pad, threshold) = unsafe {
            (
                libc::mallopt(libc::M_TOP_PAD, int(TOP_PAD_BYTES)),
                libc::mallopt(libc::M_MMAP_THRESHOLD, int(MMAP_THRESHOLD_BYTES)),
            )
        };
        pad == 1 && threshold == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn glibc_takes_both_settings() {
        let took = super::tune_for_loading();
        assert_eq!(took, cfg!(all(target_os = "linux", target_env = "gnu")));
    }
}

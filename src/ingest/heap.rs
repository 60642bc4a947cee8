//! The C allocator's settings for loading, on Linux with glibc.
//!
//! Each parsing thread allocates from its own glibc arena, and such an
//! arena grows its heap in small steps, each an `mprotect` call that takes
//! the process's memory-map lock for writing while the other threads' page
//! faults wait on it. Loading the eight releases of the shared test data
//! made about 1,830 of these calls. With a 16 MiB pad (`M_TOP_PAD`, 128 KiB
//! by default) there are none left to count, and the load takes about a
//! tenth less CPU time (measured: `summary --json ../shared/data`, 30
//! interleaved runs).
//!
//! The pad is address space, not memory: pages count once they are
//! touched. When a heap shrinks, glibc keeps the pad at its top, so at most
//! 16 MiB of freed memory per arena stays with the process.

/// The pad each heap grows by (and keeps when it shrinks).
pub const TOP_PAD_BYTES: usize = 16 * 1024 * 1024;

/// Set the allocator's growth step to [`TOP_PAD_BYTES`]; `true` when the
/// allocator took the setting (always `false` off glibc).
pub fn tune_for_loading() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let pad = libc::c_int::try_from(TOP_PAD_BYTES).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes a parameter of glibc's allocator,
        // under the allocator's own lock; it takes no pointer and may be
        // called at any time from any thread.
        unsafe { libc::mallopt(libc::M_TOP_PAD, pad) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn glibc_takes_the_pad() {
        let took = super::tune_for_loading();
        assert_eq!(took, cfg!(all(target_os = "linux", target_env = "gnu")));
    }
}

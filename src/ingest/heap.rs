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
//!
//! Each loading thread also asks for transparent huge pages in its arena's
//! heap ([`huge_pages_for_this_thread`]). Loading touches fresh memory at a
//! high rate (read buffers, the tests of each release, new names), and with
//! 4 KiB pages the kernel answers one fault per page and frees the pages
//! one by one when the process ends: on the shared test data about 6,750
//! faults a run, and after the output was written the process still took
//! about 3 ms to end. With huge pages, where the system offers them on
//! request (`madvise`, the default of most distributions), a fault brings
//! 2 MiB at once.

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

/// The size of glibc's heaps for the arenas of threads other than the
/// main one, on 64-bit systems (`HEAP_MAX_SIZE`): each heap is reserved at
/// this size and aligned to it, and grows within it.
pub const ARENA_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// The probe's size: above the largest block a thread caches for itself
/// (about 1 KiB) and below the smallest size from which glibc gives a block
/// pages of its own (128 KiB until [`tune_for_loading`] raises it), so the
/// probe comes from the thread's arena whether or not the settings were
/// made.
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
const PROBE_BYTES: usize = 64 * 1024;

/// What [`huge_pages_for_this_thread`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HugePages {
    /// The thread's heap, `len` bytes from `base`, now asks for huge pages.
    Advised {
        /// Where the heap starts.
        base: usize,
        /// How many bytes of it were advised.
        len: usize,
    },
    /// The thread's memory does not come from a heap of its own as this
    /// module knows them (the main arena, another allocator, another
    /// system): nothing was changed.
    NoArenaHeap,
    /// The kernel refused the advice (no transparent huge pages).
    Refused,
}

/// Ask the kernel for transparent huge pages in the glibc heap that this
/// thread allocates from (see the module's notes). Loading threads call it
/// before each release: an arena that outgrew its heap goes on in a new
/// one, which is advised in turn. A heap already advised by this thread is
/// recognised without reading anything.
///
/// The heap is found from a probe allocation: a block too large for the
/// thread's cache of small blocks and too small for pages of its own, so
/// it comes from the arena. Its heap starts at the probe's address rounded
/// down to [`ARENA_HEAP_BYTES`]. The advice is given only when
/// `/proc/self/maps` shows an anonymous mapping starting exactly there and
/// holding the probe, and only to the anonymous mappings that follow it
/// without a gap, up to the heap's end: nothing else of the process is
/// touched. The advice is a hint about page size; it changes no content
/// and no protection.
pub fn huge_pages_for_this_thread() -> HugePages {
    #[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
    {
        thread_local! {
            /// The heap this thread advised last, as `(base, len)`.
            static ADVISED: std::cell::Cell<Option<(usize, usize)>> =
                const { std::cell::Cell::new(None) };
        }
        let probe: Vec<u8> = Vec::with_capacity(PROBE_BYTES);
        let at = probe.as_ptr() as usize;
        drop(probe);
        let base = at & !(ARENA_HEAP_BYTES - 1);
        if let Some((advised, len)) = ADVISED.get()
            && advised == base
        {
            return HugePages::Advised { base, len };
        }
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return HugePages::NoArenaHeap;
        };
        let Some((base, len)) = arena_heap(&maps, at) else {
            return HugePages::NoArenaHeap;
        };
        // SAFETY: MADV_HUGEPAGE only tells the kernel which page size it may
        // use for the range; it changes no content, protection or mapping,
        // and fails (ENOMEM) for a range that is not mapped. The range was
        // this thread's heap when /proc/self/maps was read just above;
        // should glibc have given part of it back since, the call either
        // fails or marks whatever is mapped there now, which is harmless.
        let answer = unsafe { libc::madvise(base as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
        if answer == 0 {
            ADVISED.set(Some((base, len)));
            HugePages::Advised { base, len }
        } else {
            HugePages::Refused
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64")))]
    {
        HugePages::NoArenaHeap
    }
}

/// The heap holding address `at`, as `(base, len)`, read from the text of
/// `/proc/self/maps`: `at` rounded down to [`ARENA_HEAP_BYTES`] must start an
/// anonymous mapping that holds `at`; the length runs over the anonymous
/// mappings that follow without a gap, at most to the heap's end.
pub fn arena_heap(maps: &str, at: usize) -> Option<(usize, usize)> {
    let base = at & !(ARENA_HEAP_BYTES - 1);
    let heap_end = base.checked_add(ARENA_HEAP_BYTES)?;
    // (start, end, anonymous) of every mapping, in address order as the
    // kernel lists them.
    let mappings = maps.lines().filter_map(|line| {
        let mut fields = line.split_ascii_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        // perms, offset, device, inode, then the path, absent for an
        // anonymous mapping.
        let anonymous = fields.nth(4).is_none();
        Some((start, end, anonymous))
    });
    let mut covered_to = None;
    for (start, end, anonymous) in mappings {
        match covered_to {
            None if start == base => {
                if !anonymous || !(start..end).contains(&at) {
                    return None;
                }
                covered_to = Some(end.min(heap_end));
            }
            None => {}
            Some(to) if start == to && anonymous && to < heap_end => {
                covered_to = Some(end.min(heap_end));
            }
            Some(_) => break,
        }
    }
    covered_to.map(|to| (base, to - base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_takes_both_settings() {
        let took = tune_for_loading();
        assert_eq!(took, cfg!(all(target_os = "linux", target_env = "gnu")));
    }

    /// A heap as /proc/self/maps shows it: the part in use, then the
    /// reserved rest, then something else.
    const MAPS: &str = "\
55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0                          [heap]
7f5e64000000-7f5e64a21000 rw-p 00000000 00:00 0 \n\
7f5e64a21000-7f5e68000000 ---p 00000000 00:00 0 \n\
7f5e68000000-7f5e68200000 rw-p 00000000 00:00 0 \n\
7f5e6c000000-7f5e6c100000 r--p 00000000 fd:01 123   /usr/lib/libc.so.6
";

    #[test]
    fn a_heap_is_found_from_an_address_inside_it_and_ends_where_it_ends() {
        assert_eq!(
            arena_heap(MAPS, 0x7f5e_6400_1000),
            Some((0x7f5e_6400_0000, ARENA_HEAP_BYTES)),
            "both parts of the heap, and not the mapping after its end"
        );
    }

    #[test]
    fn nothing_is_advised_outside_a_heap() {
        // The main arena, a library, an address whose rounded base starts
        // no mapping, and an address past the mapping that starts there.
        assert_eq!(arena_heap(MAPS, 0x55d0_c000_1000), None);
        assert_eq!(arena_heap(MAPS, 0x7f5e_6c00_1000), None);
        assert_eq!(arena_heap(MAPS, 0x7f5e_7000_1000), None);
        let short = "7f5e64000000-7f5e64001000 rw-p 00000000 00:00 0 \n";
        assert_eq!(arena_heap(short, 0x7f5e_6400_2000), None);
        // A file mapping where a heap would start.
        let file = "7f5e64000000-7f5e64100000 rw-p 00000000 fd:01 9 /tmp/x\n";
        assert_eq!(arena_heap(file, 0x7f5e_6400_1000), None);
        assert_eq!(arena_heap("", 0x7f5e_6400_1000), None);
        assert_eq!(arena_heap("garbage\n-\nzz-yy rw-p", 0x1000), None);
    }

    #[test]
    fn a_new_thread_allocates_from_a_heap_this_module_recognises() {
        // A fresh thread gets an arena of its own (or one another thread
        // left), whose heap the probe must find on glibc: if glibc ever
        // lays its heaps out otherwise, this fails rather than the loader
        // silently losing its huge pages.
        let got = std::thread::spawn(huge_pages_for_this_thread)
            .join()
            .expect("the probe thread ran");
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            let thp = std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists();
            match got {
                HugePages::Advised { base, len } => {
                    assert_eq!(base % ARENA_HEAP_BYTES, 0);
                    assert!(len > 0 && len <= ARENA_HEAP_BYTES);
                }
                HugePages::Refused => assert!(!thp, "refused although the kernel has THP"),
                HugePages::NoArenaHeap => panic!("the thread's heap was not recognised"),
            }
        } else {
            assert_eq!(got, HugePages::NoArenaHeap);
        }
    }
}

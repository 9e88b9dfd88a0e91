// AllocationCounter: counts heap allocations made by the calling thread, for tests that prove a
// code path allocates nothing (BMSCore's step). Linked into the test executable only: it defines
// malloc and friends, forwarding to glibc's __libc_* entry points, so every allocation of the
// process (the Swift runtime's included) passes through it.
#ifndef BMSSIM_ALLOCATION_COUNTER_H
#define BMSSIM_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// the calling thread since it started.
uint64_t bmssim_thread_allocations(void);

/// 1 when the interposer is active in this process (0 on platforms where it is not built).
int bmssim_allocation_counter_active(void);

#endif

#include <malloc.h>

#if defined(VAKT_WITH_MIMALLOC)
#include <mimalloc.h>
#endif

#include "runtime/batch_memory.h"

namespace vakt::agent {

void keep_freed_memory_for_batch() {
#if defined(__GLIBC__) && !defined(VAKT_WITH_MIMALLOC)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);   // glibc's ceiling for this setting on 64-bit
  mallopt(M_TRIM_THRESHOLD, 128 << 20);  // also applies to the worker threads' arenas
#endif
#if defined(VAKT_WITH_MIMALLOC)
  // mimalloc decommits a freed page after 25 ms. On an idle machine a deck takes less and
  // nothing changes; on a busy PC a file takes longer, and each file's snapshot and parts were
  // faulted in again (~17 us a fault on a VM). 32 decks beside two busy processes: 9 100-11 700
  // -> 6 100-6 300 page faults, system time 0.12-0.16 -> 0.09-0.11 s, with a one-second delay.
  mi_option_set(mi_option_decommit_delay, 1000);
#endif
}

}  // namespace vakt::agent

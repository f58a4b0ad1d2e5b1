#include <malloc.h>

#include "runtime/batch_memory.h"

namespace vakt::agent {

void keep_freed_memory_for_batch() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);   // glibc's ceiling for this setting on 64-bit
  mallopt(M_TRIM_THRESHOLD, 128 << 20);  // also applies to the worker threads' arenas
#endif
}

}  // namespace vakt::agent

#include <cstdlib>
#include <string>

#include "runtime/allocator.h"

#if defined(VAKT_WITH_MIMALLOC)
#include <mimalloc.h>
#endif

namespace vakt::agent {

std::string allocator_description() {
#if defined(VAKT_WITH_MIMALLOC)
  const int v = mi_version();  // 209 for 2.0.9
  const std::string version =
      std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
  // A block from plain malloc() lies in mimalloc's heap only if mimalloc replaced malloc.
  void* probe = std::malloc(64);
  const bool in_use = mi_is_in_heap_region(probe);
  std::free(probe);
  return in_use ? "mimalloc " + version : "glibc malloc (mimalloc " + version + " not in use)";
#else
  return "glibc malloc";
#endif
}

}  // namespace vakt::agent

#include <string>

#include "runtime/allocator.h"

namespace vakt::agent {

// The C runtime's malloc sits on the process heap (low-fragmentation heap).
std::string allocator_description() {
  return "Windows heap";
}

}  // namespace vakt::agent

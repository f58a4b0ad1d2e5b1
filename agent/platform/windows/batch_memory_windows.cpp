#include "runtime/batch_memory.h"

namespace vakt::agent {

// The Windows heap keeps freed blocks committed by its own heuristics (low-fragmentation heap,
// decommit thresholds); there is nothing to ask of it here.
void keep_freed_memory_for_batch() {}

}  // namespace vakt::agent

// Windows side of runtime/standard_streams.h: standard handles are not the lowest free numbers,
// so a closed one cannot be taken over by a file the process opens later.
#include "runtime/standard_streams.h"

namespace vakt::agent {

void ensure_standard_streams() {}

}  // namespace vakt::agent

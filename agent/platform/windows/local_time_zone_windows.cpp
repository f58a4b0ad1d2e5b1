#include "runtime/local_time_zone.h"

namespace vakt::agent {

// The Windows C runtime reads the time zone once already.
void pin_local_time_zone() {}

}  // namespace vakt::agent

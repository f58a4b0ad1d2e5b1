#include <stdlib.h>

#include "runtime/local_time_zone.h"

namespace vakt::agent {

void pin_local_time_zone() {
  if (::getenv("TZ") == nullptr) ::setenv("TZ", ":/etc/localtime", 0);
}

}  // namespace vakt::agent

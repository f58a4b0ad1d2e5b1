#include "runtime/agent_version.h"

namespace vakt::agent {

std::string_view agent_version() { return VAKT_VERSION; }

}  // namespace vakt::agent

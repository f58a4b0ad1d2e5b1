// The agent's version string, as logged in `agent.version` and shown by `vakt --version`.
#pragma once

#include <string_view>

namespace vakt::agent {

std::string_view agent_version();

}  // namespace vakt::agent

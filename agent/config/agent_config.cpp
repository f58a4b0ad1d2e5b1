// The default paths are per platform: platform/<os>/default_paths_<os>.cpp.
#include "config/agent_config.h"

namespace vakt::agent {

std::string_view to_string(Action a) {
  return a == Action::kQuarantine ? "quarantine" : "log";
}

std::string_view to_string(UnscannablePolicy p) {
  switch (p) {
    case UnscannablePolicy::kQuarantine:
      return "quarantine";
    case UnscannablePolicy::kHold:
      return "hold";
    case UnscannablePolicy::kLog:
      return "log";
  }
  return "log";
}

bool AgentConfig::quarantine_enabled() const {
  return !quarantine_dir.empty();
}

}  // namespace vakt::agent

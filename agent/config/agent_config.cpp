#include "config/agent_config.h"

#include <unistd.h>

#include <cstdlib>

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

std::filesystem::path default_config_path() {
  return "/etc/vakt/vakt.yaml";
}

AgentConfig default_agent_config() {
  AgentConfig c;
  if (::geteuid() == 0) {
    c.state_dir = "/var/lib/vakt";
    c.log_file = "/var/log/vakt/vakt.jsonl";
  } else {
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg != '\0') {
      base = xdg;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      base = std::filesystem::path(home) / ".local" / "state";
    } else {
      base = "/tmp";
    }
    c.state_dir = base / "vakt";
    c.log_file = c.state_dir / "vakt.jsonl";
  }
  c.log_console = true;
  return c;
}

}  // namespace vakt::agent

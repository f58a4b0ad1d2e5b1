// Linux defaults for AgentConfig: system folders as root (/etc/vakt, /var/lib/vakt, /var/log/vakt),
// otherwise per-user ones under $XDG_STATE_HOME (or ~/.local/state).
#include <unistd.h>

#include <cstdlib>

#include "config/agent_config.h"

namespace vakt::agent {

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

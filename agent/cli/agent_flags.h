// The flags `vakt run`, `vakt status` and `vakt quarantine` share, and how they turn into an
// AgentConfig: the YAML file (--config, else /etc/vakt/vakt.yaml when only it exists, else the
// embedded default) with the flags applied on top — flags win.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/agent_config.h"
#include "vakt/scanner/expected.h"

namespace vakt::cli {

struct AgentFlags {
  std::string config;
  std::vector<std::string> watch;
  std::string quarantine_dir;
  std::optional<int> fail_class;
  std::string log;
  std::string state;
  std::string rules;
  std::string helpdesk;
  std::optional<int> workers;
  bool console = false;
};

// For `vakt run`: also validates the result.
Expected<agent::AgentConfig> resolve_agent_config(const AgentFlags& flags);
// For the helper commands: the same resolution, without requiring anything to watch.
Expected<agent::AgentConfig> resolve_config_for_tools(const AgentFlags& flags);

}  // namespace vakt::cli

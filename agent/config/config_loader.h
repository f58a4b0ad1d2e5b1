// Reading and checking the agent's YAML configuration.
//
// load_config_file() starts from default_agent_config() and applies the file; every error names
// the file, line and key ("vakt.yaml:12:5: policy.actions.3: expected log or quarantine, got
// 'delete'"). Unknown keys are errors too, so a typo never silently turns a protection off.
// validate_config() checks the whole after command-line overrides (e.g. quarantine actions need
// a quarantine folder).
//
//   auto cfg = load_config_file("/etc/vakt/vakt.yaml");
//   if (!cfg) { std::cerr << cfg.error().message; return 2; }
#pragma once

#include <filesystem>
#include <string>

#include "config/agent_config.h"
#include "vakt/scanner/expected.h"

namespace vakt::agent {

Expected<AgentConfig> load_config_file(const std::filesystem::path& path);
Expected<AgentConfig> load_config_text(const std::string& yaml, const std::string& source_name);
Status validate_config(const AgentConfig& config);
// "~/x" -> "$HOME/x"; other paths unchanged.
std::filesystem::path expand_home(const std::string& path);

}  // namespace vakt::agent

#include "cli/agent_flags.h"

#include <filesystem>
#include <system_error>

#include "config/config_loader.h"

namespace vakt::cli {
namespace {

std::filesystem::path absolute_path(const std::string& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(agent::expand_home(p), ec);
  return ec ? std::filesystem::path(p) : abs.lexically_normal();
}

}  // namespace

Expected<agent::AgentConfig> resolve_config_for_tools(const AgentFlags& f) {
  agent::AgentConfig c;
  if (!f.config.empty()) {
    auto loaded = agent::load_config_file(f.config);
    if (!loaded) return loaded.error();
    c = std::move(loaded.value());
  } else if (f.watch.empty() && std::filesystem::exists(agent::default_config_path())) {
    auto loaded = agent::load_config_file(agent::default_config_path());
    if (!loaded) return loaded.error();
    c = std::move(loaded.value());
  } else {
    c = agent::default_agent_config();
  }
  if (!f.watch.empty()) {
    c.folders.clear();
    for (const auto& w : f.watch) c.folders.push_back(absolute_path(w));
    c.onedrive_auto = false;  // explicit folders: only these
  }
  if (f.fail_class) c.fail_class = *f.fail_class;
  if (!f.quarantine_dir.empty()) {
    c.quarantine_dir = absolute_path(f.quarantine_dir);
    for (int level = c.fail_class; level <= 3; ++level) {
      c.actions[static_cast<std::size_t>(level)] = agent::Action::kQuarantine;
    }
  }
  if (!f.log.empty()) c.log_file = absolute_path(f.log);
  if (!f.state.empty()) c.state_dir = absolute_path(f.state);
  if (!f.rules.empty()) c.rules_dir = absolute_path(f.rules);
  if (!f.helpdesk.empty()) c.helpdesk = f.helpdesk;
  if (f.workers) c.workers = *f.workers;
  if (f.console) c.log_console = true;
  return c;
}

Expected<agent::AgentConfig> resolve_agent_config(const AgentFlags& f) {
  if (f.config.empty() && f.watch.empty() &&
      !std::filesystem::exists(agent::default_config_path())) {
    return Error{"nothing to do: give --config FILE or --watch DIR (no " +
                 agent::default_config_path().string() + ")"};
  }
  auto c = resolve_config_for_tools(f);
  if (!c) return c;
  if (auto st = agent::validate_config(*c); !st) return st.error();
  return c;
}

}  // namespace vakt::cli

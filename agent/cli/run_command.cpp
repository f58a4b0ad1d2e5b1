// `vakt run`: the agent in the foreground (systemd runs it the same way, Type=notify).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/agent_flags.h"
#include "cli/command_registry.h"
#include "runtime/agent.h"
#include "runtime/signal_source.h"

namespace vakt::cli {
namespace {

void add_run_flags(CLI::App* cmd, AgentFlags& f) {
  cmd->add_option("--config", f.config, "YAML configuration file (default /etc/vakt/vakt.yaml)");
  cmd->add_option("--watch", f.watch, "Folder to watch (repeatable); turns OneDrive discovery off");
  cmd->add_option("--quarantine-dir", f.quarantine_dir,
                  "Quarantine folder; quarantines files at or above --fail-class");
  cmd->add_option("--fail-class", f.fail_class, "Lowest class that is acted on (0-3, default 2)")
      ->check(CLI::Range(0, 3));
  cmd->add_option("--log", f.log, "JSON-lines event log file");
  cmd->add_option("--state", f.state, "State folder (verdict cache, status file)");
  cmd->add_option("--rules", f.rules, "Rule-pack folder (default: the embedded packs)");
  cmd->add_option("--helpdesk", f.helpdesk, "Whom to call, as written in the notes");
  cmd->add_option("--workers", f.workers, "Scanner threads")->check(CLI::Range(1, 64));
  cmd->add_flag("--console", f.console, "Also write the events to stderr");
}

// --check: validate the configuration and compile the rules, print what would be watched.
int check_only(const agent::AgentConfig& c) {
  auto engine = agent::load_engine_for(c);
  if (!engine) {
    std::cerr << "vakt run --check: rules: " << engine.error().message << "\n";
    return kExitUsage;
  }
  auto roots = agent::watch_roots_for(c);
  std::size_t present = 0;
  for (const auto& r : roots.all()) {
    std::error_code ec;
    if (r.kind == agent::RootKind::kOutbox || std::filesystem::is_directory(r.path, ec)) ++present;
  }
  if (!roots.all().empty() && present == 0 && !c.onedrive_auto) {
    // `vakt run` would refuse to start: say so here, not after installation.
    std::cerr << "vakt run --check: no watched folder exists:";
    for (const auto& r : roots.all()) std::cerr << " " << r.path.string();
    std::cerr << "\n";
    return kExitUsage;
  }
  std::cout << "configuration OK ("
            << (c.config_file.empty() ? "embedded default" : c.config_file.string())
            << ")\nrules version " << (*engine)->version() << ", " << (*engine)->rules().size()
            << " rules\n";
  for (const auto& r : roots.all()) {
    std::error_code ec;
    const bool missing =
        r.kind != agent::RootKind::kOutbox && !std::filesystem::is_directory(r.path, ec);
    std::cout << (r.kind == agent::RootKind::kOutbox ? "airlock outbox " : "watch ")
              << r.path.string()
              << (r.kind == agent::RootKind::kOutbox ? " -> " + r.target.string() : "")
              << (missing ? "  (not a folder yet: watched once it exists)" : "") << "\n";
  }
  if (roots.all().empty()) std::cout << "warning: nothing to watch (no OneDrive folder found)\n";
  return kExitClean;
}

const CommandRegistration kRun{
    "run", 40, [](CLI::App& app) -> CommandAction {
      auto flags = std::make_shared<AgentFlags>();
      auto* cmd = app.add_subcommand(
          "run",
          "Run the agent: watch the OneDrive folders, scan what is written, act before upload");
      add_run_flags(cmd, *flags);
      auto check = std::make_shared<bool>(false);
      cmd->add_flag("--check", *check, "Validate the configuration and rules, then exit");
      return [flags, check]() -> int {
        // Signals must be blocked before any thread exists so only the signal thread takes them.
        agent::block_agent_signals();
        auto config = resolve_agent_config(*flags);
        if (!config) {
          std::cerr << "vakt run: " << config.error().message << "\n";
          return kExitUsage;
        }
        if (*check) return check_only(*config);
        agent::Agent agent(std::move(config.value()),
                           [flags] { return resolve_agent_config(*flags); });
        return agent.run();
      };
    }};

}  // namespace
}  // namespace vakt::cli

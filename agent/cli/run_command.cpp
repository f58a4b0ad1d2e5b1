// `vakt run`: the agent in the foreground (systemd runs it the same way, Type=notify).
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

const CommandRegistration kRun{
    "run", 40, [](CLI::App& app) -> CommandAction {
      auto flags = std::make_shared<AgentFlags>();
      auto* cmd = app.add_subcommand(
          "run",
          "Run the agent: watch the OneDrive folders, scan what is written, act before upload");
      add_run_flags(cmd, *flags);
      return [flags]() -> int {
        // Signals must be blocked before any thread exists so only the signal thread takes them.
        agent::block_agent_signals();
        auto config = resolve_agent_config(*flags);
        if (!config) {
          std::cerr << "vakt run: " << config.error().message << "\n";
          return kExitUsage;
        }
        agent::Agent agent(std::move(config.value()),
                           [flags] { return resolve_agent_config(*flags); });
        return agent.run();
      };
    }};

}  // namespace
}  // namespace vakt::cli

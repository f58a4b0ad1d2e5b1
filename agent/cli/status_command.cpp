// `vakt status`: what the running agent is doing — read from the status file it rewrites every
// second in its state folder (queue length, files scanned, flagged, quarantined, errors, last
// events). Exit 0 when an agent is running, 3 when the file is stale (agent not running).
#include <iostream>
#include <memory>

#include "cli/agent_flags.h"
#include "cli/command_registry.h"
#include "cli/terminal_text.h"
#include "runtime/agent_status.h"
#include "runtime/process_priority.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::cli {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

const CommandRegistration kStatus{
    "status", 41, [](CLI::App& app) -> CommandAction {
      auto flags = std::make_shared<AgentFlags>();
      auto json_out = std::make_shared<bool>(false);
      auto* cmd = app.add_subcommand("status", "Show what the running agent is doing");
      cmd->add_option("--config", flags->config, "The agent's configuration file");
      cmd->add_option("--state", flags->state, "The agent's state folder");
      cmd->add_flag("--json", *json_out, "Print the raw status as JSON");
      return [flags, json_out]() -> int {
        auto config = resolve_config_for_tools(*flags);
        if (!config) {
          std::cerr << "vakt status: " << config.error().message << "\n";
          return kExitUsage;
        }
        auto status = agent::read_status_file(agent::status_file_path(config->state_dir));
        if (!status) {
          std::cerr << "vakt status: " << status.error().message << "\n";
          return kExitIncomplete;
        }
        const auto& s = *status;
        long pid = s.value("pid", 0L);
        bool alive = agent::process_running(pid) && !s.value("stopping", false);
        if (*json_out) {
          auto out = s;
          out["running"] = alive;
          std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
          return alive ? kExitClean : kExitIncomplete;
        }
        const auto& c = s.contains("counters") ? s["counters"] : nlohmann::json::object();
        auto num = [&](const char* k) { return c.value(k, 0ULL); };
        std::cout << "agent:        " << (alive ? "running" : "not running") << " (pid " << pid
                  << ", vakt " << str(s, "agent_version") << ", mode " << str(s, "mode") << ")\n"
                  << "updated:      " << str(s, "updated_at") << "\n"
                  << "rules:        " << str(s, "rules_version") << "\n"
                  << "watching:     ";
        if (s.contains("watched_roots")) {
          bool first = true;
          for (const auto& r : s["watched_roots"]) {
            std::cout << (first ? "" : ", ")
                      << printable(mask_identity_numbers(r.get<std::string>()));
            first = false;
          }
        }
        std::cout << " (" << s.value("watched_folders", 0ULL) << " folders)\n";
        if (s.contains("missing_roots") && !s["missing_roots"].empty()) {
          std::cout << "missing:      ";
          bool first = true;
          for (const auto& m : s["missing_roots"]) {
            std::cout << (first ? "" : ", ")
                      << printable(mask_identity_numbers(m.get<std::string>()));
            first = false;
          }
          std::cout << " (removed; watched again when it is back)\n";
        }
        std::cout << "queue:        " << s.value("queue_length", 0ULL) << " waiting, "
                  << s.value("in_flight", 0ULL) << " in progress"
                  << (s.value("rescan_running", false) ? ", rescan running" : "") << "\n"
                  << "scanned:      " << num("scanned") << " (+" << num("reused") << " by content, "
                  << num("unchanged") << " unchanged skipped)\n"
                  << "flagged:      " << num("flagged") << "\n"
                  << "quarantined:  " << num("quarantined") << "\n"
                  << "held:         " << num("held") << "\n"
                  << "forwarded:    " << num("forwarded") << "\n"
                  << "incomplete:   " << num("incomplete") << "\n"
                  << "errors:       " << num("errors") << "\n";
        if (s.contains("last_events") && !s["last_events"].empty()) {
          std::cout << "last events:\n";
          for (const auto& ev : s["last_events"]) {
            std::string action = ev.contains("event") ? ev["event"].value("action", "") : "";
            std::string path = ev.contains("file") ? ev["file"].value("path", "") : "";
            std::string cls;
            if (ev.contains("vakt") && ev["vakt"].contains("class")) {
              cls = " class " + std::to_string(ev["vakt"]["class"].get<int>());
            }
            // The log masks paths already; a name can still hold control characters.
            std::cout << "  " << printable(action) << cls
                      << (path.empty() ? "" : " " + printable(mask_identity_numbers(path))) << "\n";
          }
        }
        return alive ? kExitClean : kExitIncomplete;
      };
    }};

}  // namespace
}  // namespace vakt::cli

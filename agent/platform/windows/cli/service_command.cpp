// `vakt service install|uninstall|start|stop|reload|status|run` (Windows only): installs the agent
// as the Windows service "Vakt" and controls it. install needs an elevated prompt; it writes the
// service with its command line `"<vakt.exe>" service run --config "<config>"`, recovery actions
// and the Event Log source. `service run` is what the service control manager starts: the agent
// as a service, or in the console (like `vakt run`) when started by hand.
// Exit codes: 0 done (status: running), 2 usage / access denied (run as Administrator),
// 3 status: installed but not running, or not installed, 4 the operation failed.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/agent_flags.h"
#include "cli/command_registry.h"
#include "platform/windows/registry_windows.h"
#include "platform/windows/service_host_windows.h"
#include "platform/windows/service_manager_windows.h"
#include "runtime/agent.h"

namespace vakt::cli {
namespace {

struct ServiceFlags {
  std::string name = "Vakt";
  std::string config;
  int timeout_seconds = 60;
  AgentFlags run;
};

int report(const char* what, const agent::ServiceResult& r) {
  if (!r.warning.empty())
    std::cerr << "vakt service " << what << ": warning: " << r.warning << "\n";
  if (r.ok()) return kExitClean;
  std::cerr << "vakt service " << what << ": " << r.message << "\n";
  return r.access_denied() ? kExitUsage : kExitFailed;
}

int install(const ServiceFlags& f) {
  std::error_code ec;
  std::filesystem::path config =
      f.config.empty() ? agent::default_config_path() : std::filesystem::path(f.config);
  config = std::filesystem::absolute(config, ec);
  if (ec) {
    std::cerr << "vakt service install: bad --config path: " << ec.message() << "\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(config, ec)) {
    std::cerr << "vakt service install: warning: " << config.string()
              << " does not exist yet; the service starts with the embedded defaults until it "
                 "does\n";
  }
  auto exe = agent::current_executable();
  agent::ServiceSpec spec;
  spec.name = agent::widen(f.name);
  spec.display_name = agent::kServiceDisplayName;
  spec.description = agent::kServiceDescription;
  spec.command_line = agent::service_command_line(exe, config);
  spec.event_message_file = exe;
  if (int rc = report("install", agent::install_service(spec)); rc != kExitClean) return rc;
  std::cout << "installed service " << f.name << ": " << agent::narrow(spec.command_line) << "\n"
            << "start it with: vakt service start\n";
  return kExitClean;
}

int status(const ServiceFlags& f) {
  agent::ServiceState s;
  if (int rc = report("status", agent::query_service(agent::widen(f.name), s)); rc != kExitClean)
    return rc;
  if (!s.installed) {
    std::cout << "service:  " << f.name << " is not installed\n";
    return kExitIncomplete;
  }
  std::cout << "service:  " << f.name << "\n"
            << "state:    " << agent::service_state_name(s.state) << "\n"
            << "pid:      " << (s.pid != 0 ? std::to_string(s.pid) : std::string("-")) << "\n"
            << "config:   "
            << (s.config ? s.config->string()
                         : std::string("(default: ") + agent::default_config_path().string() + ")")
            << "\n"
            << "command:  " << agent::narrow(s.command_line) << "\n"
            << "recovery: ";
  if (s.restart_delays_ms.empty()) {
    std::cout << "none set\n";
  } else {
    for (std::size_t i = 0; i < s.restart_delays_ms.size(); ++i) {
      std::cout << (i == 0 ? "restart after " : ", ") << s.restart_delays_ms[i] / 1000 << " s";
    }
    std::cout << "; failure count reset after " << s.failure_reset_seconds << " s\n";
  }
  if (s.state == 1 /* SERVICE_STOPPED */ && s.win32_exit_code != 0) {
    std::cout << "last exit: "
              << (s.win32_exit_code == 1066 /* ERROR_SERVICE_SPECIFIC_ERROR */
                      ? "exit code " + std::to_string(s.service_exit_code)
                      : agent::win32_error_text(s.win32_exit_code))
              << "\n";
  }
  return s.state == 4 /* SERVICE_RUNNING */ ? kExitClean : kExitIncomplete;
}

int run(const std::shared_ptr<ServiceFlags>& f) {
  return agent::run_as_service_or_console(agent::widen(f->name), [f]() -> int {
    auto config = resolve_agent_config(f->run);
    if (!config) {
      std::cerr << "vakt service run: " << config.error().message << "\n";
      return kExitUsage;
    }
    agent::Agent agent(std::move(config.value()), [f] { return resolve_agent_config(f->run); });
    return agent.run();
  });
}

const CommandRegistration kService{
    "service", 45, [](CLI::App& app) -> CommandAction {
      auto f = std::make_shared<ServiceFlags>();
      auto* cmd = app.add_subcommand("service", "Install and control the Windows service");
      cmd->require_subcommand(1);
      cmd->add_option("--name", f->name, "Service name (default Vakt)");
      auto timeout = [&f](CLI::App* sub) {
        sub->add_option("--timeout", f->timeout_seconds, "Seconds to wait for the state change")
            ->check(CLI::Range(1, 3600));
      };
      auto* install_cmd = cmd->add_subcommand("install", "Install the service (as Administrator)");
      install_cmd->add_option("--config", f->config,
                              "Configuration file the service runs with (default "
                              "%ProgramData%\\Vakt\\vakt.yaml)");
      auto* uninstall_cmd = cmd->add_subcommand("uninstall", "Stop and remove the service");
      timeout(uninstall_cmd);
      auto* start_cmd = cmd->add_subcommand("start", "Start the service and wait until it runs");
      timeout(start_cmd);
      auto* stop_cmd = cmd->add_subcommand("stop", "Stop the service and wait until it has");
      timeout(stop_cmd);
      auto* reload_cmd =
          cmd->add_subcommand("reload", "Make the service re-read its configuration and rules");
      auto* status_cmd = cmd->add_subcommand("status", "Show state, pid and configuration");
      auto* run_cmd = cmd->add_subcommand(
          "run", "Run as the service (started by Windows), or in the console when started by hand");
      run_cmd->add_option("--config", f->run.config, "YAML configuration file");
      run_cmd->add_option("--watch", f->run.watch, "Folder to watch (repeatable)");
      run_cmd->add_option("--quarantine-dir", f->run.quarantine_dir, "Quarantine folder");
      run_cmd->add_option("--log", f->run.log, "JSON-lines event log file");
      run_cmd->add_option("--state", f->run.state, "State folder");
      run_cmd->add_option("--rules", f->run.rules, "Rule-pack folder");
      run_cmd->add_flag("--console", f->run.console, "Also write the events to stderr");

      return [f, install_cmd, uninstall_cmd, start_cmd, stop_cmd, reload_cmd, status_cmd,
              run_cmd]() -> int {
        auto name = agent::widen(f->name);
        auto timeout_ms = std::chrono::milliseconds(f->timeout_seconds * 1000LL);
        if (install_cmd->parsed()) return install(*f);
        if (uninstall_cmd->parsed()) {
          int rc = report("uninstall", agent::uninstall_service(name, timeout_ms));
          if (rc == kExitClean) std::cout << "removed service " << f->name << "\n";
          return rc;
        }
        if (start_cmd->parsed()) {
          int rc = report("start", agent::start_service(name, timeout_ms));
          if (rc == kExitClean) std::cout << "service " << f->name << " is running\n";
          return rc;
        }
        if (stop_cmd->parsed()) {
          int rc = report("stop", agent::stop_service(name, timeout_ms));
          if (rc == kExitClean) std::cout << "service " << f->name << " is stopped\n";
          return rc;
        }
        if (reload_cmd->parsed()) {
          int rc = report("reload", agent::reload_service(name));
          if (rc == kExitClean) std::cout << "asked service " << f->name << " to reload\n";
          return rc;
        }
        if (status_cmd->parsed()) return status(*f);
        if (run_cmd->parsed()) return run(f);
        return kExitUsage;
      };
    }};

}  // namespace
}  // namespace vakt::cli

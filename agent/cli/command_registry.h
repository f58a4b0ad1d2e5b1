// Sub-commands register themselves: each cli/<name>_command.cpp defines a static
// CommandRegistration, so adding a command never touches main.cpp.
//
//   static const vakt::cli::CommandRegistration kScan{"scan", 10, [](CLI::App& app) {
//     auto* cmd = app.add_subcommand("scan", "Scan files and folders");
//     ...
//     return [=]() -> int { return run_scan(...); };   // the action: returns the exit code
//   }};
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vakt::cli {

// Exit codes shared by every command (documented in the README).
inline constexpr int kExitClean = 0;       // nothing at or above --fail-class
inline constexpr int kExitFlagged = 1;     // something at or above --fail-class
inline constexpr int kExitUsage = 2;       // usage or configuration error
inline constexpr int kExitIncomplete = 3;  // nothing flagged, but something not fully scanned
inline constexpr int kExitFailed = 4;      // an action (quarantine restore) could not be done

using CommandAction = std::function<int()>;
// Adds the sub-command to `app` and returns what to run when it was chosen.
using CommandSetup = std::function<CommandAction(CLI::App& app)>;

struct CommandRegistration {
  CommandRegistration(std::string name, int order, CommandSetup setup);
};

struct RegisteredCommand {
  std::string name;
  int order;
  CommandSetup setup;
};
std::vector<RegisteredCommand>& command_registry();

}  // namespace vakt::cli

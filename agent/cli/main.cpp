// vakt: one executable, thin front ends over the scanner library. See `vakt --help`.
#include <algorithm>
#include <iostream>
#include <map>
#include <string>

#include "cli/command_registry.h"
#include "runtime/allocator.h"
#include "runtime/local_time_zone.h"
#include "runtime/standard_streams.h"
#include "vakt/scanner/isolated_worker.h"

namespace vakt::cli {

std::vector<RegisteredCommand>& command_registry() {
  static std::vector<RegisteredCommand> registry;
  return registry;
}

CommandRegistration::CommandRegistration(std::string name, int order, CommandSetup setup) {
  command_registry().push_back({std::move(name), order, std::move(setup)});
}

}  // namespace vakt::cli

int main(int argc, char** argv) {
  // Windows starts isolated parsers as `vakt.exe --vakt-isolated-worker …`: first thing, always.
  if (auto rc = vakt::extract::maybe_run_isolated_worker(argc, argv)) return *rc;
  vakt::agent::ensure_standard_streams();  // before anything opens a file
  vakt::agent::pin_local_time_zone();      // before any thread: setenv is not thread-safe
  using namespace vakt::cli;
  CLI::App app{
      "Vakt — endpoint DLP for Swedish municipalities: finds personnummer and "
      "OSL-sensitive content before it reaches the cloud."};
  app.set_version_flag("--version", std::string("vakt ") + VAKT_VERSION +
                                        "\nallocator: " + vakt::agent::allocator_description());
  app.require_subcommand(1);
  // CLI11 reads "/name" as an option on Windows by default; then `vakt scan /data/x` (a path from
  // the drive root, also what a POSIX-style path is under wine) would be refused. Options are
  // always --long or -s. Sub-commands copy this setting when they are created, so set it first.
  app.allow_windows_style_options(false);

  auto registry = command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.order < b.order; });
  std::map<std::string, CommandAction> actions;
  for (auto& command : registry) actions[command.name] = command.setup(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  for (auto* sub : app.get_subcommands()) {
    auto it = actions.find(sub->get_name());
    if (it != actions.end() && it->second) return it->second();
  }
  std::cerr << "vakt: no command given (see vakt --help)\n";
  return kExitUsage;
}

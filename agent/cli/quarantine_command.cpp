// `vakt quarantine list` and `vakt quarantine restore ID [--to PATH]`: the helpdesk's view of the
// quarantine ledger. Restore puts the file back at its original path (or --to), never over an
// existing file, removes the note, verifies the SHA-256 and logs `file-restored`. The running
// agent sees the restored file but does not quarantine it again (the ledger says it was let back).
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>

#include "actions/quarantine.h"
#include "cli/agent_flags.h"
#include "cli/command_registry.h"
#include "cli/terminal_text.h"
#include "report/ecs_event.h"
#include "report/event_log.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::cli {
namespace {

std::string when(std::int64_t unix_seconds) {
  // C++20 calendar types: UTC on every platform without gmtime_r/gmtime_s.
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u %02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// Paths and free text are printed with personnummer masked: this output is pasted into tickets.
// Paths, reasons and owners come from file names: masked, and made safe for a terminal so a
// crafted name cannot forge a line of the listing or send escape sequences.
std::string masked(const std::string& text) {
  return printable(mask_identity_numbers(text));
}

nlohmann::json entry_json(const agent::LedgerEntry& e) {
  return {{"id", e.id},
          {"state", std::string(agent::to_string(e.state))},
          {"original_path", masked(e.original_path)},
          {"stored_path", masked(e.stored_path)},
          {"sha256", e.sha256},
          {"size", e.size},
          {"class", e.info_class},
          {"class_name", e.class_name},
          {"rule_ids", agent::split_list(e.rule_ids)},
          {"owner", e.owner},
          {"reason", masked(e.reason)},
          {"restored_to", masked(e.restored_to)},
          {"detail", masked(e.detail)},
          {"created_at", when(e.created_at)},
          {"updated_at", when(e.updated_at)}};
}

struct QuarantineFlags {
  AgentFlags agent;
  bool json = false;
  bool all = false;
  std::string id;
  std::string to;
};

Expected<agent::AgentConfig> tool_config(const AgentFlags& f) {
  auto c = resolve_config_for_tools(f);
  if (!c) return c;
  if (!c->quarantine_enabled()) {
    return Error{
        "no quarantine folder: give --quarantine-dir DIR or --config FILE with quarantine.dir"};
  }
  return c;
}

void add_location_flags(CLI::App* cmd, AgentFlags& f) {
  cmd->add_option("--config", f.config, "The agent's configuration file");
  cmd->add_option("--quarantine-dir", f.quarantine_dir, "The quarantine folder");
}

int list_entries(const QuarantineFlags& f) {
  auto config = tool_config(f.agent);
  if (!config) {
    std::cerr << "vakt quarantine list: " << config.error().message << "\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(config->quarantine_dir / "ledger.sqlite")) {
    std::cerr << "vakt quarantine list: no quarantine ledger in " << config->quarantine_dir.string()
              << " (nothing was ever quarantined there)\n";
    return kExitUsage;
  }
  auto ledger = agent::QuarantineLedger::open(config->quarantine_dir / "ledger.sqlite", nullptr,
                                              agent::LedgerAccess::kReadOnly);
  if (!ledger) {
    std::cerr << "vakt quarantine list: " << masked(ledger.error().message) << "\n";
    return kExitFailed;
  }
  // Without --all: what is in quarantine, and moves cut off half-way (pending, restoring) — a
  // helpdesk must see those too; `vakt quarantine restore ID` finishes or undoes one.
  auto entries = (*ledger)->list(std::nullopt);
  if (!f.all) {
    std::erase_if(entries, [](const agent::LedgerEntry& e) {
      return e.state != agent::LedgerState::kQuarantined &&
             e.state != agent::LedgerState::kPending && e.state != agent::LedgerState::kRestoring;
    });
  }
  if (f.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) out.push_back(entry_json(e));
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitClean;
  }
  if (entries.empty()) {
    std::cout << "no quarantined files\n";
    return kExitClean;
  }
  for (const auto& e : entries) {
    std::cout << e.id << "  " << std::left << std::setw(11) << agent::to_string(e.state)
              << "  class " << e.info_class
              << (e.class_name.empty() ? "" : " (" + e.class_name + ")") << "  "
              << when(e.created_at) << "  " << masked(e.original_path) << "\n"
              << "    rules: " << (e.rule_ids.empty() ? "-" : e.rule_ids)
              << (e.reason.empty() ? "" : "  reason: " + masked(e.reason))
              << "  owner: " << masked(e.owner) << "\n";
  }
  return kExitClean;
}

int restore_entry(const QuarantineFlags& f) {
  auto config = tool_config(f.agent);
  if (!config) {
    std::cerr << "vakt quarantine restore: " << config.error().message << "\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(config->quarantine_dir / "ledger.sqlite")) {
    std::cerr << "vakt quarantine restore: no quarantine ledger in "
              << config->quarantine_dir.string() << "\n";
    return kExitUsage;
  }
  auto ledger = agent::QuarantineLedger::open(config->quarantine_dir / "ledger.sqlite", nullptr);
  if (!ledger) {
    std::cerr << "vakt quarantine restore: " << masked(ledger.error().message) << "\n";
    return kExitFailed;
  }
  agent::Quarantine q({config->quarantine_dir, config->helpdesk}, **ledger,
                      agent::default_file_ops());
  std::optional<std::filesystem::path> to;
  if (!f.to.empty()) to = std::filesystem::path(f.to);
  auto entry = (*ledger)->get(f.id);
  auto restored = q.restore(f.id, to);

  auto ev = agent::ecs_event("file-restored", restored ? "success" : "failure");
  agent::set_field(ev, "vakt.quarantine.id", f.id);
  if (entry) {
    agent::add_file(ev, {restored ? restored->restored_to.string() : entry->original_path,
                         static_cast<std::uint64_t>(entry->size), entry->sha256, "", entry->owner});
    agent::set_field(ev, "vakt.class", entry->info_class);
  }
  if (!restored) agent::set_field(ev, "vakt.reason", restored.error().message);
  if (!config->log_file.empty()) {
    if (auto log = agent::EventLog::open(
            {config->log_file, config->log_max_bytes, config->log_max_files, false})) {
      (*log)->emit(ev);
    }
  }
  if (!restored) {
    std::cerr << "vakt quarantine restore: " << masked(restored.error().message) << "\n";
    return kExitFailed;
  }
  std::cout << "restored " << f.id << " to " << masked(restored->restored_to.string())
            << " (sha256 " << restored->sha256 << ")\n";
  return kExitClean;
}

const CommandRegistration kQuarantine{
    "quarantine", 42, [](CLI::App& app) -> CommandAction {
      auto flags = std::make_shared<QuarantineFlags>();
      auto* cmd = app.add_subcommand("quarantine", "List or restore quarantined files");
      cmd->require_subcommand(1);
      auto* list = cmd->add_subcommand("list", "List quarantined files");
      add_location_flags(list, flags->agent);
      list->add_flag("--json", flags->json, "JSON output");
      list->add_flag("--all", flags->all, "Include restored, failed and rolled-back entries");
      auto* restore = cmd->add_subcommand("restore", "Restore a quarantined file to where it was");
      add_location_flags(restore, flags->agent);
      restore
          ->add_option("id", flags->id, "Quarantine id (from the note or `vakt quarantine list`)")
          ->required();
      restore->add_option("--to", flags->to, "Restore to this path instead (never overwrites)");
      restore->add_option("--log", flags->agent.log, "Event log to record the restore in");
      return [flags, list, restore]() -> int {
        if (list->parsed()) return list_entries(*flags);
        if (restore->parsed()) return restore_entry(*flags);
        return kExitUsage;
      };
    }};

}  // namespace
}  // namespace vakt::cli

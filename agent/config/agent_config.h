// AgentConfig: everything `vakt run` is told — which folders to watch, what to do per class,
// where state, log and quarantine live, and how hard to work. Filled from one YAML file (see
// config_loader.h and packaging/linux/vakt.yaml) and then from command-line flags, which win.
// default_agent_config() is the embedded default: audit only, log to console and a default file.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vakt::agent {

enum class Action { kLog, kQuarantine };
enum class UnscannablePolicy { kQuarantine, kHold, kLog };
enum class AirlockFlagged { kQuarantine, kHold };
enum class IoClass { kIdle, kBestEffortLow };

std::string_view to_string(Action a);
std::string_view to_string(UnscannablePolicy p);

struct AirlockPair {
  std::filesystem::path outbox;  // where users save
  std::filesystem::path target;  // the sync folder clean files move on to
};

struct AgentConfig {
  // watch
  bool onedrive_auto = true;
  std::vector<std::filesystem::path> folders;
  std::vector<std::string> include;  // empty: everything
  std::vector<std::string> exclude;
  std::vector<AirlockPair> airlock;
  // policy
  int fail_class = 2;
  std::array<Action, 4> actions{Action::kLog, Action::kLog, Action::kLog, Action::kLog};
  UnscannablePolicy unscannable = UnscannablePolicy::kQuarantine;
  UnscannablePolicy images = UnscannablePolicy::kLog;  // pictures: not read (no OCR)
  AirlockFlagged airlock_flagged = AirlockFlagged::kQuarantine;
  // quarantine
  std::filesystem::path quarantine_dir;  // empty: quarantine not possible
  std::string helpdesk = "IT-supporten";
  // rules
  std::filesystem::path rules_dir;  // empty: rule packs embedded in the binary
  std::filesystem::path pseudonym_key_file;
  // state and log
  std::filesystem::path state_dir;
  std::filesystem::path log_file;
  std::uint64_t log_max_bytes = 50ull << 20;
  int log_max_files = 10;
  bool log_console = false;
  // performance
  int workers = 2;
  std::size_t queue_max = 100000;
  std::chrono::milliseconds coalesce{100};
  std::chrono::milliseconds coalesce_max{3000};
  int nice = 10;
  IoClass io_class = IoClass::kIdle;
  std::chrono::milliseconds status_interval{1000};

  std::filesystem::path config_file;  // where it was read from ("" = embedded)

  bool quarantine_enabled() const;
};

// Default paths: system ones as root (/var/lib/vakt, /var/log/vakt) or as the Windows service /
// an elevated administrator (%ProgramData%\Vakt), per-user ones otherwise.
AgentConfig default_agent_config();
std::filesystem::path default_config_path();

}  // namespace vakt::agent

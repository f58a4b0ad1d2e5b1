// Agent status: the counters the running agent keeps and the status file it rewrites every
// second (<state dir>/status.json, atomically), which `vakt status` reads.
//
//   AgentCounters counters;  ++counters.scanned;
//   write_status_file(state_dir / "status.json", snapshot);
//   auto s = read_status_file(state_dir / "status.json");
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

struct AgentCounters {
  std::atomic<std::uint64_t> events{0};      // watcher events received
  std::atomic<std::uint64_t> scanned{0};     // files scanned by the engine
  std::atomic<std::uint64_t> reused{0};      // verdict reused by content hash
  std::atomic<std::uint64_t> unchanged{0};   // skipped: same file, same rules
  std::atomic<std::uint64_t> flagged{0};     // at or above fail_class
  std::atomic<std::uint64_t> incomplete{0};  // partial / unscannable
  std::atomic<std::uint64_t> quarantined{0};
  std::atomic<std::uint64_t> held{0};
  std::atomic<std::uint64_t> forwarded{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> vanished{0};  // gone before or during the scan
  std::atomic<std::uint64_t> requeued{0};  // changed during the scan
  std::atomic<std::uint64_t> deferred{0};  // in use by another program: move retried later
  std::atomic<std::uint64_t> rescans{0};   // full rescans (overflow, rules change)
  nlohmann::json to_json() const;
};

std::filesystem::path status_file_path(const std::filesystem::path& state_dir);
Status write_status_file(const std::filesystem::path& path, const nlohmann::json& status);
Expected<nlohmann::json> read_status_file(const std::filesystem::path& path);

}  // namespace vakt::agent

// EventLog: the agent's report — one JSON object per line (ECS field names, see ecs_event.h),
// written through spdlog to a size-capped rotating file and, optionally, to stderr. Every line
// gets `@timestamp`, `host.name`, `agent.version`, `agent.type` and `ecs.version`. Thread-safe;
// logging never takes the process down (a serialisation problem becomes a replacement character).
//
//   auto log = EventLog::open({"/var/log/vakt/vakt.jsonl", 50 << 20, 10, false});
//   log->emit(ecs_event("agent-started", "success"));
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "vakt/scanner/expected.h"

namespace spdlog {
class logger;
}

namespace vakt::agent {

struct LogOptions {
  std::filesystem::path file;  // empty: no file
  std::uint64_t max_bytes = 50ull << 20;
  int max_files = 10;
  bool console = false;
};

class EventLog {
 public:
  static Expected<std::unique_ptr<EventLog>> open(const LogOptions& options);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void emit(nlohmann::json event);
  void flush();
  std::vector<nlohmann::json> recent() const;  // the last few events, newest last
  // The line exactly as written (for tests): adds the common fields and serialises.
  static std::string render(nlohmann::json event);

 private:
  explicit EventLog(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mutex_;
  std::deque<nlohmann::json> recent_;
};

}  // namespace vakt::agent

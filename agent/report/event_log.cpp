#include "report/event_log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <system_error>

#include "report/ecs_event.h"
#include "runtime/agent_version.h"
#include "runtime/file_info.h"

namespace vakt::agent {
namespace {

constexpr std::size_t kRecent = 20;

const std::string& cached_host_name() {
  static const std::string name = host_name();
  return name;
}

}  // namespace

std::string EventLog::render(nlohmann::json event) {
  nlohmann::json line = nlohmann::json::object();
  line["@timestamp"] = utc_timestamp_now();
  line.update(event);
  set_field(line, "host.name", cached_host_name());
  set_field(line, "agent.type", "vakt");
  set_field(line, "agent.version", std::string(agent_version()));
  set_field(line, "ecs.version", "8.11");
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Expected<std::unique_ptr<EventLog>> EventLog::open(const LogOptions& o) {
  static std::atomic<int> counter{0};
  std::vector<spdlog::sink_ptr> sinks;
  try {
    if (!o.file.empty()) {
      std::error_code ec;
      if (o.file.has_parent_path()) std::filesystem::create_directories(o.file.parent_path(), ec);
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          o.file.string(), static_cast<std::size_t>(o.max_bytes),
          static_cast<std::size_t>(o.max_files)));
    }
    if (o.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } catch (const spdlog::spdlog_ex& e) {
    return Error{"cannot open log " + o.file.string() + ": " + e.what()};
  }
  auto logger = std::make_shared<spdlog::logger>("vakt-events-" + std::to_string(counter++),
                                                 sinks.begin(), sinks.end());
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  logger->set_error_handler([](const std::string&) {});  // never take the agent down
  return std::unique_ptr<EventLog>(new EventLog(std::move(logger)));
}

EventLog::~EventLog() {
  flush();
}

void EventLog::emit(nlohmann::json event) {
  auto line = render(event);
  logger_->info(line);
  std::lock_guard lock(mutex_);
  recent_.push_back(std::move(event));
  while (recent_.size() > kRecent) recent_.pop_front();
}

void EventLog::flush() {
  logger_->flush();
}

std::vector<nlohmann::json> EventLog::recent() const {
  std::lock_guard lock(mutex_);
  return {recent_.begin(), recent_.end()};
}

}  // namespace vakt::agent

// AgentContext: what every worker shares — the configuration and roots (immutable snapshots,
// swapped on reload), the engine holder, the verdict cache, the quarantine, the event log, the
// queue and the counters. Owned by Agent; workers only hold a reference.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "actions/quarantine.h"
#include "config/agent_config.h"
#include "config/path_filter.h"
#include "report/event_log.h"
#include "runtime/agent_status.h"
#include "runtime/engine_holder.h"
#include "runtime/watch_roots.h"
#include "runtime/work_queue.h"
#include "state/verdict_cache.h"

namespace vakt::agent {

struct ConfigSnapshot {
  AgentConfig config;
  PathFilter filter;
  WatchRoots roots;
};

class AgentContext {
 public:
  std::shared_ptr<const ConfigSnapshot> snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }
  void set_snapshot(std::shared_ptr<const ConfigSnapshot> s) {
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(s);
  }

  EngineHolder engine;
  std::unique_ptr<VerdictCache> cache;
  std::unique_ptr<QuarantineLedger> ledger;
  std::unique_ptr<Quarantine> quarantine;  // null when no quarantine dir is configured
  std::unique_ptr<EventLog> log;
  std::unique_ptr<WorkQueue> queue;
  AgentCounters counters;
  std::atomic<bool> rescan_needed{false};  // a worker could not re-queue (queue full)

  // Folder names already checked, keyed by rules version and path, so each folder is scanned and
  // reported once per rule set (bounded: cleared when it grows past kMaxCheckedFolders).
  static constexpr std::size_t kMaxCheckedFolders = 200000;
  bool first_check_of_folder(const std::string& key) {
    std::lock_guard lock(folders_mutex_);
    if (checked_folders_.size() >= kMaxCheckedFolders) checked_folders_.clear();
    return checked_folders_.insert(key).second;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ConfigSnapshot> snapshot_;
  std::mutex folders_mutex_;
  std::unordered_set<std::string> checked_folders_;
};

}  // namespace vakt::agent

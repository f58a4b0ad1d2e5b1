// Agent: `vakt run` — wires watcher → queue → workers → engine → log/actions and runs until
// asked to stop. Startup: lower priority, open log and state (a damaged state DB is moved aside),
// load the engine, recover interrupted quarantine moves, watch the roots, start the workers,
// tell systemd READY=1, then reconcile (scan what changed while the agent was down).
// SIGHUP reloads config and rules (new engine first; the old one stays if the new rules fail);
// SIGTERM/SIGINT stop gracefully: in-flight files finish, nothing is left half-moved.
// SignalKind::kRediscover (Windows: a user logged on) adds newly discovered OneDrive folders and
// reconciles them; folders discovered before stay watched.
//
//   Agent agent(config, [] { return load_config_with_overrides(); });
//   return agent.run();                         // exit code
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "actions/folder_lock.h"
#include "runtime/agent_context.h"
#include "vakt/scanner/expected.h"
#include "watch/overflow_injector.h"
#include "watch/watcher.h"

namespace vakt::agent {

using ConfigSource = std::function<Expected<AgentConfig>()>;

// The folders a configuration watches: watch.folders, discovered OneDrive folders, airlock pairs.
WatchRoots watch_roots_for(const AgentConfig& config);
// Loads the engine a configuration asks for (rules dir, pseudonym key).
Expected<std::shared_ptr<const Engine>> load_engine_for(const AgentConfig& config);

class Agent {
 public:
  // `reload_source` re-reads the configuration on SIGHUP (file + the same command-line flags).
  Agent(AgentConfig config, ConfigSource reload_source);
  ~Agent();
  int run();

 private:
  Status start();
  void main_loop();
  void shutdown();
  void reload();
  void rediscover();
  void start_rescan(WorkOrigin origin, const std::string& why);
  void enqueue(const std::filesystem::path& path, WorkOrigin origin);
  void write_status();
  std::shared_ptr<const ConfigSnapshot> make_snapshot(const AgentConfig& config);
  void add_watches(const ConfigSnapshot& snap);

  AgentConfig initial_;
  ConfigSource reload_source_;
  AgentContext ctx_;
  std::unique_ptr<Watcher> watcher_;
  OverflowInjector* injector_ = nullptr;  // set when VAKT_TEST_HOOKS=1
  std::vector<std::thread> workers_;
  std::thread rescan_thread_;
  std::atomic<bool> rescan_running_{false};
  std::atomic<bool> rescan_wanted_{false};
  WorkOrigin rescan_origin_ = WorkOrigin::kRescan;
  std::atomic<bool> stop_{false};
  std::atomic<bool> reload_{false};
  std::atomic<bool> rediscover_{false};
  std::atomic<bool> inject_overflow_{false};
  std::atomic<bool> queue_full_logged_{false};
  std::vector<std::filesystem::path> watched_;
  // Held for the agent's life: a second `vakt run` on the same state folder (the service plus a
  // test run, two units) would race on the queue, the ledger and the status file.
  std::unique_ptr<FolderLock> instance_lock_;
  // Watched folders that were deleted or moved away: checked every few seconds and watched (and
  // rescanned) again when they are back — OneDrive recreates its folder after a reset/unlink.
  std::vector<std::filesystem::path> missing_roots_;
  void watch_returned_roots();
  std::string priority_text_;
  std::chrono::system_clock::time_point started_at_;
};

}  // namespace vakt::agent

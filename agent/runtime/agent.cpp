#include "runtime/agent.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "actions/utf8_path.h"
#include "config/config_loader.h"
#include "config/key_file.h"
#include "config/onedrive_discovery.h"
#include "report/ecs_event.h"
#include "runtime/agent_version.h"
#include "runtime/folder_list.h"
#include "runtime/process_priority.h"
#include "runtime/service_notify.h"
#include "runtime/signal_source.h"
#include "runtime/worker.h"

namespace vakt::agent {
namespace {

std::string mode_name(const AgentConfig& c) {
  if (!c.airlock.empty()) return "airlock";
  for (auto a : c.actions) {
    if (a == Action::kQuarantine) return "quarantine";
  }
  return "audit";
}

Status make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + path_to_utf8(dir) + ": " + ec.message()};
  // 0700 on POSIX; on Windows this only clears read-only, and the folder keeps the ACL it
  // inherits (%ProgramData%\Vakt is set up by the installer; quarantine sets its own).
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return Ok{};
}

}  // namespace

Agent::Agent(AgentConfig config, ConfigSource reload_source)
    : initial_(std::move(config)), reload_source_(std::move(reload_source)) {}

Agent::~Agent() {
  stop_ = true;
  if (ctx_.queue) ctx_.queue->close();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  if (rescan_thread_.joinable()) rescan_thread_.join();
}

WatchRoots watch_roots_for(const AgentConfig& c) {
  WatchRoots roots;
  std::vector<std::filesystem::path> sync = c.folders;
  if (c.onedrive_auto) {
    for (auto& dir : discover_onedrive_folders({})) sync.push_back(dir);
  }
  for (const auto& a : c.airlock) {
    roots.add({a.outbox, RootKind::kOutbox, a.target});
    sync.push_back(a.target);
  }
  for (auto& dir : sync) roots.add({dir, RootKind::kSync, {}});
  return roots;
}

Expected<std::shared_ptr<const Engine>> load_engine_for(const AgentConfig& c) {
  EngineOptions opts;
  opts.rules_dir = c.rules_dir;
  // Compiled Hyperscan databases are cached beside the state, so a restart does not recompile.
  if (!c.state_dir.empty()) opts.cache_dir = c.state_dir / "engine-cache";
  if (!c.pseudonym_key_file.empty()) {
    auto key = read_pseudonym_key_file(c.pseudonym_key_file);
    if (!key) return Error{"rules.pseudonym_key_file: " + key.error().message};
    opts.pseudonym_key = std::move(key.value());
  }
  return Engine::load(opts);
}

std::shared_ptr<const ConfigSnapshot> Agent::make_snapshot(const AgentConfig& c) {
  auto snap = std::make_shared<ConfigSnapshot>();
  snap->config = c;
  snap->filter = PathFilter(c.include, c.exclude);
  snap->roots = watch_roots_for(c);
  return snap;
}

void Agent::add_watches(const ConfigSnapshot& snap) {
  for (const auto& root : snap.roots.all()) {
    bool known = false;
    for (const auto& w : watched_) known = known || w == root.path;
    if (known) continue;
    std::error_code ec;
    if (root.kind == RootKind::kOutbox) std::filesystem::create_directories(root.path, ec);
    auto st = watcher_->add_root(root.path);
    std::error_code missing_ec;
    if (!st && root.kind != RootKind::kOutbox &&
        !std::filesystem::exists(std::filesystem::symlink_status(root.path, missing_ec))) {
      // A configured folder that does not exist yet (OneDrive not set up for this user, a share
      // not mounted): waited for and watched once it appears, like a root that was removed.
      if (std::find(missing_roots_.begin(), missing_roots_.end(), root.path) ==
          missing_roots_.end()) {
        missing_roots_.push_back(root.path);
        auto ev = ecs_event("watch-waiting", "unknown");
        set_field(ev, "file.path", path_to_utf8(root.path));
        set_field(ev, "vakt.reason", "folder does not exist yet; watched once it is created");
        ctx_.log->emit(std::move(ev));
      }
      continue;
    }
    auto ev = ecs_event(st ? "watch-started" : "watch-failed", st ? "success" : "failure");
    set_field(ev, "file.path", path_to_utf8(root.path));
    set_field(ev, "vakt.root_kind", root.kind == RootKind::kOutbox ? "airlock-outbox" : "sync");
    if (!st) set_field(ev, "vakt.reason", st.error().message);
    ctx_.log->emit(std::move(ev));
    if (st) watched_.push_back(root.path);
  }
}

Status Agent::start() {
  started_at_ = std::chrono::system_clock::now();
  priority_text_ = lower_process_priority(initial_.nice, initial_.io_class);
  if (auto st = make_private_dir(initial_.state_dir); !st) return st;
  instance_lock_ = std::make_unique<FolderLock>(
      initial_.state_dir, FolderLockOptions{"agent.lock", false, "state folder"});
  if (instance_lock_->busy()) {
    return Error{"another vakt agent is already running with state folder " +
                 path_to_utf8(initial_.state_dir) + " (stop it first, or give --state)"};
  }
  if (auto err = instance_lock_->failed()) return *err;

  auto log = EventLog::open(
      {initial_.log_file, initial_.log_max_bytes, initial_.log_max_files, initial_.log_console});
  if (!log) return log.error();
  ctx_.log = std::move(log.value());

  std::string aside;
  auto cache = VerdictCache::open(initial_.state_dir / "state.sqlite", &aside);
  if (!cache) return cache.error();
  ctx_.cache = std::move(cache.value());
  if (!aside.empty()) {
    auto ev = ecs_event("state-rebuilt", "success");
    set_field(ev, "vakt.reason", "state database was damaged; moved aside to " + aside);
    ctx_.log->emit(std::move(ev));
  }

  auto engine = load_engine_for(initial_);
  if (!engine) {
    auto ev = ecs_event("agent-start-failed", "failure");
    set_field(ev, "vakt.reason", "rules: " + engine.error().message);
    ctx_.log->emit(std::move(ev));
    return Error{"cannot load rules: " + engine.error().message};
  }
  ctx_.engine.replace(std::move(engine.value()));

  if (initial_.quarantine_enabled()) {
    if (auto st = make_private_dir(initial_.quarantine_dir); !st) return st;
    auto ledger = QuarantineLedger::open(initial_.quarantine_dir / "ledger.sqlite", nullptr);
    if (ledger) {
      ctx_.ledger = std::move(ledger.value());
      ctx_.quarantine = std::make_unique<Quarantine>(
          QuarantineOptions{initial_.quarantine_dir, initial_.helpdesk}, *ctx_.ledger,
          default_file_ops());
      if (auto st = ctx_.quarantine->prepare(); !st) return st;
    } else {
      // Fail closed: nothing is moved without a ledger to record it; flagged files are held
      // (left in place with a note) until the ledger is repaired and the agent restarted.
      auto ev = ecs_event("ledger-unavailable", "failure");
      set_field(ev, "vakt.reason",
                ledger.error().message +
                    "; flagged files are held, not quarantined, until it is "
                    "repaired (the ledger is never rebuilt automatically)");
      ctx_.log->emit(std::move(ev));
    }
  }
  recover_interrupted_moves(ctx_);

  auto snap = make_snapshot(initial_);
  // A service installed on a PC before anyone has signed in to OneDrive starts and waits: the
  // folders are added when discovery finds them (kRediscover). Elsewhere nothing to watch is an
  // error the operator has to see.
  const bool may_wait = initial_.onedrive_auto && signals_rediscover_onedrive();
  if (snap->roots.all().empty() && !may_wait) {
    return Error{"nothing to watch: no OneDrive folder found and no watch.folders / --watch given"};
  }
  ctx_.set_snapshot(snap);
  ctx_.queue = std::make_unique<WorkQueue>(
      WorkQueueOptions{initial_.queue_max, initial_.coalesce, initial_.coalesce_max});

  watcher_ = make_platform_watcher();
  if (const char* hooks = std::getenv("VAKT_TEST_HOOKS");
      hooks != nullptr && std::string(hooks) == "1") {
    auto injector = std::make_unique<OverflowInjector>(std::move(watcher_));
    injector_ = injector.get();
    watcher_ = std::move(injector);
  }
  add_watches(*snap);
  // Nothing that can be watched at all is an operator's error (a mistyped --watch); a missing
  // folder beside others that exist is waited for (watch_returned_roots).
  if (watched_.empty() && !may_wait) {
    if (!missing_roots_.empty()) {
      std::string names;
      for (const auto& m : missing_roots_) names += (names.empty() ? "" : ", ") + path_to_utf8(m);
      return Error{"no watched folder exists: " + names};
    }
    return Error{"no watched folder could be watched (see the log)"};
  }
  if (watched_.empty()) {
    auto ev = ecs_event("watch-waiting", "unknown");
    set_field(ev, "vakt.reason",
              "no OneDrive folder found yet; watching starts when a user's OneDrive folder is "
              "discovered");
    ctx_.log->emit(std::move(ev));
  }

  for (int i = 0; i < initial_.workers; ++i) {
    workers_.emplace_back([this] {
      Worker worker(ctx_);
      while (auto item = ctx_.queue->pop()) {
        worker.process(*item);
        ctx_.queue->done(item->path);
      }
    });
  }
  return Ok{};
}

void Agent::enqueue(const std::filesystem::path& path, WorkOrigin origin) {
  auto r = ctx_.queue->push(path_to_utf8(path), origin);
  if (r == PushResult::kFull) {
    rescan_wanted_ = true;
    rescan_origin_ = WorkOrigin::kRescan;
    if (!queue_full_logged_.exchange(true)) {
      auto ev = ecs_event("queue-overflow", "failure");
      set_field(ev, "vakt.reason", "work queue full; a full rescan will follow");
      ctx_.log->emit(std::move(ev));
    }
  }
}

void Agent::start_rescan(WorkOrigin origin, const std::string& why) {
  if (rescan_running_) {
    rescan_wanted_ = true;  // run again when the current walk ends
    rescan_origin_ = origin;
    return;
  }
  if (rescan_thread_.joinable()) rescan_thread_.join();
  rescan_running_ = true;
  rescan_wanted_ = false;
  queue_full_logged_ = false;
  if (origin == WorkOrigin::kRescan) ++ctx_.counters.rescans;
  auto snap = ctx_.snapshot();
  rescan_thread_ = std::thread([this, snap, origin, why] {
    auto started = std::chrono::steady_clock::now();
    auto ev = ecs_event(origin == WorkOrigin::kReconcile ? "reconcile-started" : "rescan-started",
                        "success");
    set_field(ev, "vakt.reason", why);
    ctx_.log->emit(std::move(ev));
    std::uint64_t files = 0;
    for (const auto& root : snap->roots.all()) {
      walk_tree(root.path, [&](const FolderEntry& entry) {
        if (stop_) return false;
        // Links are listed, never followed. Folders are queued for their names (an empty folder
        // named after a person syncs too).
        const bool folder = entry.type.type == std::filesystem::file_type::directory;
        if (!folder && entry.type.type != std::filesystem::file_type::regular) return true;
        auto match = snap->roots.find(entry.path);
        if (!match || match->root->path != root.path) return true;
        if (folder ? !snap->filter.folder_wanted(match->relative)
                   : !snap->filter.wanted(match->relative))
          return true;
        if (!folder) ++files;
        // Back-pressure: a walk over 100 000 files must not fill the queue; wait for room.
        while (!stop_ && ctx_.queue->size() >= snap->config.queue_max / 2) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        enqueue(entry.path, origin);
        return true;
      });
    }
    auto done =
        ecs_event(origin == WorkOrigin::kReconcile ? "reconcile-finished" : "rescan-finished",
                  stop_ ? "unknown" : "success");
    set_field(done, "vakt.files", files);
    set_field(done, "event.duration",
              std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count());
    ctx_.log->emit(std::move(done));
    rescan_running_ = false;
    watcher_->wake();
  });
}

void Agent::reload() {
  notify_reloading();
  auto old_snap = ctx_.snapshot();
  auto old_version = ctx_.engine.current().engine->version();
  auto config = reload_source_ ? reload_source_() : Expected<AgentConfig>(old_snap->config);
  if (config) {
    if (auto st = validate_config(*config); !st) config = st.error();
  }
  if (!config) {
    auto ev = ecs_event("config-reload-failed", "failure");
    set_field(ev, "vakt.reason", config.error().message);
    ctx_.log->emit(std::move(ev));
    notify_ready("config reload failed; running on the previous configuration");
    return;
  }
  auto engine = load_engine_for(*config);
  if (!engine) {
    auto ev = ecs_event("rules-reload-failed", "failure");
    set_field(ev, "vakt.reason", engine.error().message);
    set_field(ev, "vakt.rules_version", old_version);
    ctx_.log->emit(std::move(ev));
    notify_ready("rules reload failed; running on the previous rules");
    return;
  }
  // Settings that need a restart keep their old values (quarantine, state, log, workers).
  config->quarantine_dir = old_snap->config.quarantine_dir;
  config->state_dir = old_snap->config.state_dir;
  config->log_file = old_snap->config.log_file;
  config->workers = old_snap->config.workers;
  auto new_version = engine.value()->version();
  ctx_.engine.replace(std::move(engine.value()));
  auto snap = make_snapshot(*config);
  ctx_.set_snapshot(snap);
  add_watches(*snap);
  auto ev = ecs_event("rules-reloaded", "success");
  set_field(ev, "vakt.rules_version", new_version);
  set_field(ev, "vakt.previous_rules_version", old_version);
  set_field(ev, "vakt.rules_changed", new_version != old_version);
  ctx_.log->emit(std::move(ev));
  notify_ready("reloaded");
  if (new_version != old_version) start_rescan(WorkOrigin::kRescan, "rules changed");
}

void Agent::rediscover() {
  auto old_snap = ctx_.snapshot();
  if (!old_snap->config.onedrive_auto) return;
  auto snap = std::make_shared<ConfigSnapshot>(*make_snapshot(old_snap->config));
  // A folder whose user logged off is no longer discovered; it stays a root (and watched).
  for (const auto& root : old_snap->roots.all()) snap->roots.add(root);
  auto before = watched_.size();
  ctx_.set_snapshot(snap);
  add_watches(*snap);
  if (watched_.size() > before) {
    start_rescan(WorkOrigin::kReconcile, "new OneDrive folder discovered");
  }
}

void Agent::watch_returned_roots() {
  std::vector<std::filesystem::path> back;
  for (const auto& root : missing_roots_) {
    std::error_code ec;
    if (std::filesystem::is_directory(std::filesystem::symlink_status(root, ec))) {
      back.push_back(root);
    }
  }
  if (back.empty()) return;
  const auto before = watched_.size();
  add_watches(*ctx_.snapshot());  // logs watch-started (or watch-failed) per root
  std::erase_if(missing_roots_, [&](const std::filesystem::path& root) {
    return std::find(watched_.begin(), watched_.end(), root) != watched_.end();
  });
  if (watched_.size() > before) {
    start_rescan(WorkOrigin::kReconcile, "watched folder is back after it was removed");
  }
}

void Agent::write_status() {
  auto snap = ctx_.snapshot();
  nlohmann::json s;
  s["pid"] = current_process_id();
  s["agent_version"] = std::string(agent_version());
  s["updated_at"] = utc_timestamp_now();
  s["started_at_unix"] =
      std::chrono::duration_cast<std::chrono::seconds>(started_at_.time_since_epoch()).count();
  s["mode"] = mode_name(snap->config);
  s["rules_version"] = ctx_.engine.current().engine->version();
  s["queue_length"] = ctx_.queue->size();
  s["in_flight"] = ctx_.queue->in_flight();
  s["rescan_running"] = rescan_running_.load();
  s["watched_roots"] = nlohmann::json::array();
  for (const auto& w : watched_) s["watched_roots"].push_back(path_to_utf8(w));
  s["watched_folders"] = watcher_ ? watcher_->watched_folders() : 0;
  s["missing_roots"] = nlohmann::json::array();
  for (const auto& m : missing_roots_) s["missing_roots"].push_back(path_to_utf8(m));
  s["counters"] = ctx_.counters.to_json();
  s["coalesced"] = ctx_.queue->coalesced();
  s["last_events"] = ctx_.log->recent();
  s["priority"] = priority_text_;
  s["stopping"] = stop_.load();
  (void)write_status_file(status_file_path(snap->config.state_dir), s);
}

void Agent::main_loop() {
  auto next_status = std::chrono::steady_clock::now();
  auto watchdog = watchdog_interval();
  auto next_watchdog = std::chrono::steady_clock::now();
  auto next_root_check = std::chrono::steady_clock::now();
  while (!stop_) {
    auto events = watcher_->wait(std::chrono::milliseconds(200));
    for (auto& ev : events) {
      switch (ev.kind) {
        case WatchEventKind::kFileChanged:
          ++ctx_.counters.events;
          if (!PathFilter::always_skipped(path_to_utf8(ev.path.filename())))
            enqueue(ev.path, WorkOrigin::kEvent);
          break;
        case WatchEventKind::kOverflow: {
          auto log_ev = ecs_event("watch-overflow", "failure");
          set_field(log_ev, "vakt.reason", ev.detail + "; rescanning every watched folder");
          ctx_.log->emit(std::move(log_ev));
          start_rescan(WorkOrigin::kRescan, ev.detail);
          break;
        }
        case WatchEventKind::kRootGone:
          std::erase(watched_, ev.path);
          if (std::find(missing_roots_.begin(), missing_roots_.end(), ev.path) ==
              missing_roots_.end()) {
            missing_roots_.push_back(ev.path);
          }
          [[fallthrough]];
        case WatchEventKind::kWatchFailed: {
          auto log_ev = ecs_event(
              ev.kind == WatchEventKind::kRootGone ? "watch-root-gone" : "watch-failed", "failure");
          set_field(log_ev, "file.path", path_to_utf8(ev.path));
          set_field(log_ev, "vakt.reason", ev.detail);
          ctx_.log->emit(std::move(log_ev));
          break;
        }
      }
    }
    if (reload_.exchange(false)) reload();
    if (rediscover_.exchange(false)) rediscover();
    if (inject_overflow_.exchange(false)) {
      // VAKT_TEST_HOOKS=1: drop events for a while, then ask for a rescan. Otherwise (the
      // Windows service's user control 128) the OS source posts a real lost-events completion.
      if (injector_ != nullptr) {
        injector_->inject(std::chrono::milliseconds(500));
      } else {
        (void)watcher_->inject_lost_events();
      }
    }
    if (ctx_.rescan_needed.exchange(false)) rescan_wanted_ = true;
    if (rescan_wanted_ && !rescan_running_)
      start_rescan(rescan_origin_, "queue overflow or repeated request");
    auto now = std::chrono::steady_clock::now();
    if (now >= next_status) {
      write_status();
      next_status = now + ctx_.snapshot()->config.status_interval;
    }
    if (!missing_roots_.empty() && now >= next_root_check) {
      watch_returned_roots();
      next_root_check = now + std::chrono::seconds(2);
    }
    if (watchdog.count() > 0 && now >= next_watchdog) {
      notify_watchdog();
      next_watchdog = now + watchdog;
    }
  }
}

void Agent::shutdown() {
  notify_stopping();
  auto ev = ecs_event("agent-stopping", "success");
  set_field(ev, "vakt.queue_length", ctx_.queue->size());
  ctx_.log->emit(std::move(ev));
  // Waiting files are abandoned (they are not in the cache, so the next start's reconcile scan
  // picks them up); files a worker holds are finished, including any quarantine move.
  ctx_.queue->close();
  for (auto& t : workers_) t.join();
  workers_.clear();
  if (rescan_thread_.joinable()) rescan_thread_.join();
  write_status();
  auto done = ecs_event("agent-stopped", "success");
  set_field(done, "vakt.counters", ctx_.counters.to_json());
  ctx_.log->emit(std::move(done));
  ctx_.log->flush();
}

int Agent::run() {
  // Signals stay blocked (pending) until the watcher exists; a SIGTERM during start-up is
  // handled right after it.
  block_agent_signals();
  if (auto st = start(); !st) {
    std::cerr << "vakt run: " << st.error().message << "\n";
    if (ctx_.log) {
      auto ev = ecs_event("agent-start-failed", "failure");
      set_field(ev, "vakt.reason", st.error().message);
      ctx_.log->emit(std::move(ev));
    }
    stop_ = true;
    if (ctx_.queue) ctx_.queue->close();
    for (auto& t : workers_) t.join();
    workers_.clear();
    return 2;
  }
  SignalSource signals;
  signals.start([this](SignalKind kind) {
    if (kind == SignalKind::kStop) stop_ = true;
    if (kind == SignalKind::kReload) reload_ = true;
    if (kind == SignalKind::kRediscover) rediscover_ = true;
    if (kind == SignalKind::kTestOverflow) inject_overflow_ = true;
    watcher_->wake();
  });
  auto snap = ctx_.snapshot();
  auto ev = ecs_event("agent-started", "success");
  set_field(ev, "vakt.mode", mode_name(snap->config));
  set_field(ev, "vakt.rules_version", ctx_.engine.current().engine->version());
  set_field(ev, "vakt.workers", snap->config.workers);
  set_field(ev, "vakt.priority", priority_text_);
  set_field(ev, "vakt.config",
            snap->config.config_file.empty() ? std::string("(embedded default)")
                                             : path_to_utf8(snap->config.config_file));
  nlohmann::json roots = nlohmann::json::array();
  for (const auto& w : watched_) roots.push_back(path_to_utf8(w));
  set_field(ev, "vakt.watched_roots", roots);
  ctx_.log->emit(std::move(ev));
  write_status();
  notify_ready("watching " + std::to_string(watched_.size()) + " folder(s)");
  start_rescan(WorkOrigin::kReconcile, "startup: catch what changed while the agent was down");
  main_loop();
  shutdown();
  signals.stop();
  return 0;
}

}  // namespace vakt::agent

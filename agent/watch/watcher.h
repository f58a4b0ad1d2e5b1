// Watcher: the OS event source — tells the agent which files under its roots were written or
// moved in. One narrow interface; platform/linux/ implements it with inotify, platform/windows/
// will with ReadDirectoryChangesW. The consumer (runtime/agent) never sees OS types.
//
//   auto w = make_platform_watcher();
//   w->add_root("/home/anna/OneDrive");           // recursive; new subfolders are followed
//   for (auto& ev : w->wait(200ms)) handle(ev);    // kFileChanged, kOverflow, ...
//
// A kOverflow means events were lost: the consumer must rescan everything (never a silent gap).
// Files already inside a newly created or moved-in folder are reported as kFileChanged.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

enum class WatchEventKind {
  kFileChanged,  // closed after writing, or moved in: scan it
  kOverflow,     // the OS dropped events: rescan all roots
  kRootGone,     // a watched root was deleted or moved away
  kWatchFailed,  // a subfolder could not be watched (limit reached, permission)
};

struct WatchEvent {
  WatchEventKind kind = WatchEventKind::kFileChanged;
  std::filesystem::path path;
  std::string detail;
};

class Watcher {
 public:
  virtual ~Watcher() = default;
  // Watches `root` and every folder below it (symlinked folders are not followed).
  virtual Status add_root(const std::filesystem::path& root) = 0;
  // Blocks up to `timeout` for events; returns early after wake().
  virtual std::vector<WatchEvent> wait(std::chrono::milliseconds timeout) = 0;
  // Thread-safe: makes a blocked wait() return.
  virtual void wake() = 0;
  virtual std::size_t watched_folders() const = 0;
  // The OS source itself reports lost events, so a kOverflow comes through its real path: where
  // the platform can (Windows: a zero-length completion per root, what the Vakt service's user
  // control 128 asks for, since wine never overflows). False where it cannot (inotify).
  virtual bool inject_lost_events() { return false; }
};

std::unique_ptr<Watcher> make_platform_watcher();

}  // namespace vakt::agent

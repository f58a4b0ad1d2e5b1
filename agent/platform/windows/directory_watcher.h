// DirectoryWatcher: the Windows Watcher (watch/watcher.h). One ReadDirectoryChangesW per root,
// watching the whole subtree (FILE_NAME | DIR_NAME | LAST_WRITE | SIZE), overlapped, all
// completing on one I/O completion port. Files added, written or renamed into place are
// kFileChanged (writes are reported while they happen; the agent's queue lets a file settle); a
// folder added or renamed in reports the files already inside it. A lost-events completion —
// ERROR_NOTIFY_ENUM_DIR or a zero-length result — is kOverflow (rescan), like inotify's
// IN_Q_OVERFLOW; a root that disappears is kRootGone. wake() and the destructor post to the port;
// the destructor cancels the reads (CancelIoEx) and waits for them before freeing buffers.
//
//   auto w = make_platform_watcher();        // a DirectoryWatcher on Windows
//   w->add_root(L"C:\\Users\\anna\\OneDrive - Kommun");
//
// Wine never overflows, so tests reach the overflow path with inject_lost_events(), which posts a
// real zero-length completion for a root through the same port.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "platform/windows/win_util.h"
#include "watch/watcher.h"

namespace vakt::agent {

// What one completion of a directory read means.
enum class WatchCompletion { kEvents, kLostEvents, kCancelled, kFailed };
WatchCompletion classify_completion(DWORD error, DWORD bytes);

class DirectoryWatcher final : public Watcher {
 public:
  DirectoryWatcher();
  ~DirectoryWatcher() override;
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  Status add_root(const std::filesystem::path& root) override;
  std::vector<WatchEvent> wait(std::chrono::milliseconds timeout) override;
  void wake() override;
  // One subtree watch per root: the number of roots still watched.
  std::size_t watched_folders() const override;

  // A zero-length completion for every root, as Windows delivers on overflow (then a rescan).
  bool inject_lost_events() override;

 private:
  struct Watch;
  bool start_read(Watch& w);
  void handle_completion(Watch& w, DWORD error, DWORD bytes, std::vector<WatchEvent>& out);
  void parse(Watch& w, DWORD bytes, std::vector<WatchEvent>& out);
  void report(Watch& w, DWORD action, const std::filesystem::path& path,
              std::vector<WatchEvent>& out);

  win::Handle port_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Watch>> watches_;
  std::vector<WatchEvent> pending_;
  OVERLAPPED inject_marker_{};  // identifies injected completions (never handed to the kernel)
};

}  // namespace vakt::agent

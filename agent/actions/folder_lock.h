// FolderLock: an exclusive lock on "<dir>/lock" for the object's lifetime, so the agent and a
// helpdesk `vakt quarantine restore` in another process never work on the same quarantine entry
// at once; and, not waiting, on "<state>/agent.lock", so two agents never share one state folder.
// A platform seam: flock(2) on Linux, LockFileEx on Windows (platform/<os>/). The OS drops the
// lock when the process dies, so a crash leaves nothing stale.
//
//   FolderLock lock(quarantine_dir);
//   if (auto err = lock.failed()) return *err;   // "cannot lock quarantine folder ...: ..."
//   FolderLock one(state_dir, {"agent.lock", false, "state folder"});   // busy() if taken
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

struct FolderLockOptions {
  std::string file = "lock";
  bool wait = true;                        // false: fail at once (busy()) when another holds it
  std::string what = "quarantine folder";  // for the error message
};

class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& dir, FolderLockOptions options = {});
  ~FolderLock();  // releases the lock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  std::optional<Error> failed() const {
    if (error_.empty()) return std::nullopt;
    return Error{"cannot lock " + what_ + " " + dir_.string() + ": " + error_};
  }
  bool busy() const { return busy_; }  // another process holds it (only when not waiting)

 private:
  std::filesystem::path dir_;
  std::string what_;
  bool busy_ = false;
  std::intptr_t handle_ = -1;  // an fd on Linux, a HANDLE on Windows
  std::string error_;
};

}  // namespace vakt::agent

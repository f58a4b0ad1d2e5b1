// FolderLock: an exclusive, blocking lock on "<dir>/lock" for the object's lifetime, so the agent
// and a helpdesk `vakt quarantine restore` in another process never work on the same quarantine
// entry at once. A platform seam: flock(2) on Linux, LockFileEx on Windows (platform/<os>/).
//
//   FolderLock lock(quarantine_dir);
//   if (auto err = lock.failed()) return *err;   // "cannot lock quarantine folder ...: ..."
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& dir);
  ~FolderLock();  // releases the lock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  std::optional<Error> failed() const {
    if (error_.empty()) return std::nullopt;
    return Error{"cannot lock quarantine folder " + dir_.string() + ": " + error_};
  }

 private:
  std::filesystem::path dir_;
  std::intptr_t handle_ = -1;  // an fd on Linux, a HANDLE on Windows
  std::string error_;
};

}  // namespace vakt::agent

// forward_into: the airlock's move of a scanned outbox file into the sync folder, made safe for a
// root agent working in folders the user controls.
//
// The target folder is walked from the configured sync root one component at a time without
// following links (Linux: openat(O_NOFOLLOW|O_DIRECTORY); Windows: handles on the reparse point
// itself) — a symlinked folder is refused, never followed — and missing folders are created like
// the folder they are made in. The file never
// replaces an existing one (a same-name file in the sync folder is a conflict: the outbox file
// stays where it is). A cross-device copy gets the outbox file's owner and mode.
//
//   auto moved = forward_into(outbox_file, sync_root, relative_path, expected_id);
//   if (!moved) log(moved.error().message);   // the outbox file is untouched
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "actions/safe_move.h"
#include "runtime/file_info.h"
#include "vakt/scanner/expected.h"

namespace vakt::agent {

// Error text starts with this when the target name is already taken.
inline constexpr std::string_view kForwardConflict = "target exists";

// A folder held open so that no link can be swapped in for it while it is used. path() names
// exactly that folder: on Linux "/proc/self/fd/<fd>"; on Windows the folder's own path, whose
// every component is held open without delete sharing, so none can be renamed or replaced.
class HeldDir {
 public:
  HeldDir() = default;
  HeldDir(std::filesystem::path path, std::vector<std::intptr_t> handles)
      : path_(std::move(path)), handles_(std::move(handles)) {}
  ~HeldDir() { release(); }
  HeldDir(HeldDir&& other) noexcept
      : path_(std::move(other.path_)), handles_(std::exchange(other.handles_, {})) {}
  HeldDir& operator=(HeldDir&& other) noexcept {
    if (this != &other) {
      release();
      path_ = std::move(other.path_);
      handles_ = std::exchange(other.handles_, {});
    }
    return *this;
  }
  HeldDir(const HeldDir&) = delete;
  HeldDir& operator=(const HeldDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  void release();  // closes the handles (platform/<os>/forward_*.cpp)
  std::filesystem::path path_;
  std::vector<std::intptr_t> handles_;
};

// Opens an absolute folder for root to write into on a user's behalf (a restore): every
// component is opened without following a link, except links only an administrator can make
// (root-owned symlinks such as /home -> /data/home; on Windows, junctions owned by SYSTEM or
// Administrators); missing folders are created like the user's own (Linux: owner and mode of
// their parent; Windows: the parent's inherited ACL).
Expected<HeldDir> open_dir_no_user_symlinks(const std::filesystem::path& absolute_dir);

// With `expected_sha256`, content that changed since the scan is refused before it reaches the
// sync folder (the error starts with kContentChanged; the file stays in the outbox).
Expected<MoveResult> forward_into(const std::filesystem::path& from,
                                  const std::filesystem::path& target_root,
                                  const std::filesystem::path& relative,
                                  std::optional<FileId> expected_id,
                                  std::string_view expected_sha256 = {});

}  // namespace vakt::agent

// forward_into: the airlock's move of a scanned outbox file into the sync folder, made safe for a
// root agent working in folders the user controls.
//
// The target folder is walked from the configured sync root one component at a time with
// openat(O_NOFOLLOW|O_DIRECTORY) — a symlinked folder is refused, never followed — and missing
// folders are created with the owner and mode of the folder they are made in. The file never
// replaces an existing one (a same-name file in the sync folder is a conflict: the outbox file
// stays where it is). A cross-device copy gets the outbox file's owner and mode.
//
//   auto moved = forward_into(outbox_file, sync_root, relative_path, expected_id);
//   if (!moved) log(moved.error().message);   // the outbox file is untouched
#pragma once

#include <filesystem>
#include <optional>

#include "actions/safe_move.h"
#include "runtime/file_info.h"
#include "vakt/scanner/expected.h"

namespace vakt::agent {

// Error text starts with this when the target name is already taken.
inline constexpr std::string_view kForwardConflict = "target exists";

// Opens an absolute folder for root to write into on a user's behalf (a restore): every
// component is opened with O_NOFOLLOW, except symlinks owned by root (/home -> /data/home),
// which only an administrator can make; missing folders are created with the owner and mode of
// their parent. Returns an fd (close it); "/proc/self/fd/<fd>" names exactly that folder.
Expected<int> open_dir_no_user_symlinks(const std::filesystem::path& absolute_dir);

// With `expected_sha256`, content that changed since the scan is refused before it reaches the
// sync folder (the error starts with kContentChanged; the file stays in the outbox).
Expected<MoveResult> forward_into(const std::filesystem::path& from,
                                  const std::filesystem::path& target_root,
                                  const std::filesystem::path& relative,
                                  std::optional<FileId> expected_id,
                                  std::string_view expected_sha256 = {});

}  // namespace vakt::agent

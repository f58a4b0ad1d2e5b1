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

Expected<MoveResult> forward_into(const std::filesystem::path& from,
                                  const std::filesystem::path& target_root,
                                  const std::filesystem::path& relative,
                                  std::optional<FileId> expected_id);

}  // namespace vakt::agent

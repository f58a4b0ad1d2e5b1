// safe_move: moves one file so that, whatever happens (a full disk, kill -9, power loss), it is
// whole in exactly one of its two places — never half in each.
//
// Same file system: one rename(2). Otherwise: copy to "<to>.vakt-partial" while hashing, fsync the
// copy, re-read and verify its SHA-256, rename it to `to`, fsync the directory, delete the
// original, fsync its directory. Until the rename of the partial copy, the original is the only
// whole file; after it, both are whole and the delete is all that remains (recovery finishes it).
//
//   auto moved = safe_move(default_file_ops(), src, dst);
//   if (!moved) log(moved.error().message);   // the original is untouched
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "actions/file_ops.h"
#include "vakt/scanner/expected.h"

namespace vakt::agent {

enum class MoveMethod { kRename, kCopyVerify };

struct MoveResult {
  MoveMethod method = MoveMethod::kRename;
  std::string sha256;  // of the moved content (verified at `to`); empty if it was unreadable
  std::uint64_t size = 0;
  // Set when a folder fsync after the move failed: the move happened, but a power cut right now
  // might undo it. Callers record it.
  std::string sync_warning;
};

// Error text starts with this when `expected_sha256` was given and the content differs.
inline constexpr std::string_view kContentChanged = "content changed after the scan";

// `to` must not exist unless `replace`. With `expected_sha256` (hex), content that no longer has
// that hash never reaches `to`: a rename is preceded by a hash check, and a cross-device copy is
// checked before its partial file is renamed into place (the airlock must not put an unscanned
// edit into the sync folder).
// With `copy`, the copy path is taken on one file system too: a file with other hard links must
// not be renamed — the stored "copy" would stay writable through the other name.
Expected<MoveResult> safe_move(FileOps& ops, const std::filesystem::path& from,
                               const std::filesystem::path& to, bool replace = false,
                               std::string_view expected_sha256 = {}, bool copy = false);

// The temporary name a cross-device copy uses before it is whole.
std::filesystem::path partial_path_for(const std::filesystem::path& to);

// Hashes a file through `ops` (so a failing read is seen the same way as in a move).
Expected<std::string> hash_with(FileOps& ops, const std::filesystem::path& path,
                                std::uint64_t* size = nullptr);

}  // namespace vakt::agent

// FileInfo: what the agent needs to know about a path without opening it — kind, size, mtime and
// the file's identity (device + inode on Linux, volume + file index on Windows) — and the owner's
// user name for the log. The functions are a platform seam: platform/<os>/ implements them.
//
//   auto info = stat_no_follow(path);      // symlinks are reported as kSymlink, never followed
//   if (info && info->kind == FileKind::kRegular) ...
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

struct FileId {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
};

enum class FileKind { kMissing, kRegular, kDirectory, kSymlink, kOther };

struct FileInfo {
  FileKind kind = FileKind::kMissing;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;  // status change: moves with every write, cannot be set back
  FileId id;
  std::uint32_t owner_id = 0;
  // Same content generation: size, mtime, ctime and identity all equal.
  bool same_version(const FileInfo& other) const {
    return kind == other.kind && size == other.size && mtime_ns == other.mtime_ns &&
           ctime_ns == other.ctime_ns && id == other.id;
  }
};

// lstat(2)-like: a missing path is kind kMissing (not an error); other failures are errors.
Expected<FileInfo> stat_no_follow(const std::filesystem::path& path);

// The owner's account name ("anna"), or the numeric id as text when it has no name, or "" when
// the path cannot be read.
std::string file_owner_name(const std::filesystem::path& path);

// True when the file belongs to the system (root; SYSTEM or Administrators) or to the account this
// process runs as: the agent's own partial copies do, and a user cannot make a file that does.
bool owned_by_the_system(const std::filesystem::path& path);

// This machine's host name, for `host.name`.
std::string host_name();

}  // namespace vakt::agent

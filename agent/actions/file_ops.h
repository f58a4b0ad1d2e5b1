// FileOps: the narrow set of file-system calls the quarantine and airlock moves make — a real OS
// boundary that tests can wrap to inject failures (a full disk, a failed fsync) without a special
// file system. Every call returns 0 or an errno-style code; nothing throws.
//
//   FileOps& ops = default_file_ops();     // the platform's implementation
//   int err = ops.rename_file(a, b);       // kCrossDevice when a and b are on different volumes
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace vakt::agent {

using FileHandle = std::intptr_t;
inline constexpr FileHandle kNoHandle = -1;

// Every error message about a file another program holds open contains this, whichever layer
// wrote it (FileOps::kInUse, the quarantine's writer check): the agent retries such files later.
inline constexpr std::string_view kFileInUse = "in use by another program";

class FileOps {
 public:
  static constexpr int kCrossDevice = -18;  // returned by rename_file for "different file system"
  // Another program holds the file open in a way that forbids this (Windows: a sharing or lock
  // violation — Word still has the document open). Retry later; the file is untouched.
  static constexpr int kInUse = -16;
  virtual ~FileOps() = default;
  // Atomic rename within one file system; does not replace an existing `to` unless `replace`.
  virtual int rename_file(const std::filesystem::path& from, const std::filesystem::path& to,
                          bool replace) = 0;
  virtual int open_read(const std::filesystem::path& path, FileHandle& out) = 0;
  // Creates a new file (fails if it exists), owner read/write only.
  virtual int create_exclusive(const std::filesystem::path& path, FileHandle& out) = 0;
  // Reads up to `size` bytes; `got` == 0 at end of file.
  virtual int read_some(FileHandle h, char* buf, std::size_t size, std::size_t& got) = 0;
  virtual int write_all(FileHandle h, const char* data, std::size_t size) = 0;
  virtual int sync_file(FileHandle h) = 0;
  virtual int close_file(FileHandle h) = 0;
  virtual int sync_dir(const std::filesystem::path& dir) = 0;
  virtual int remove_file(const std::filesystem::path& path) = 0;
};

FileOps& default_file_ops();

// Gives `to` the owner (when running as root), mode and modification time of `from`; both are
// handles of real files (wrappers hand out the platform's handles). Returns 0 or an errno code.
int copy_file_metadata(FileHandle from, FileHandle to);

// Text for an error code returned by FileOps.
std::string file_error_text(int err);

}  // namespace vakt::agent

// Helpers shared by the Windows files in this folder: UTF-8 <-> UTF-16, the long-path spelling
// (\\?\C:\..., \\?\UNC\server\share\...) every Win32 file call here uses, Win32 error codes as
// errno-style FileOps codes and as text, file identity (volume serial + file index), and an
// owning HANDLE.
//
//   win::Handle h(CreateFileW(win::long_path(p).c_str(), ...));
//   if (!h) return win::errno_from_win(GetLastError());
#pragma once

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "runtime/file_info.h"

namespace vakt::agent::win {

std::wstring to_wide(std::string_view utf8);
std::string to_utf8(std::wstring_view wide);
// A path as UTF-8, for messages (never throws, whatever the characters).
std::string path_utf8(const std::filesystem::path& p);

// The \\?\ form of an absolute path (no MAX_PATH limit, no name rewriting); a relative path is
// made absolute first. Already-prefixed paths are returned as they are.
std::wstring long_path(const std::filesystem::path& p);
// The inverse for display: "\\?\C:\x" -> "C:\x", "\\?\UNC\s\x" -> "\\s\x".
std::filesystem::path strip_long_prefix(const std::filesystem::path& p);

// FormatMessageW text for a Win32 error code, UTF-8, without the trailing period and newline.
std::string error_text(DWORD code);

// FileOps codes are errno-style: the common Win32 codes become errno values (ENOENT, EEXIST,
// EACCES, ENOSPC, ...), a sharing or lock violation becomes FileOps::kInUse, a cross-volume
// move FileOps::kCrossDevice, and any other code kWin32Base + code (file_error_text shows the
// Windows text for it).
inline constexpr int kWin32Base = 0x20000000;
int errno_from_win(DWORD code);

// Volume serial number + 64-bit file index: the Windows (device, inode).
FileId file_id_of(const BY_HANDLE_FILE_INFORMATION& info);

// 100 ns ticks since 1601-01-01 -> nanoseconds since the Unix epoch.
std::int64_t filetime_to_unix_ns(std::int64_t ticks);

// True for the reparse points that are links (symlinks, junctions); cloud placeholders
// (OneDrive Files On-Demand) and other tags are files or folders like any other.
bool is_link_reparse_tag(DWORD tag);

class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : h_(o.release()) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = o.release();
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  explicit operator bool() const { return h_ != nullptr; }
  HANDLE get() const { return h_; }
  HANDLE release() {
    HANDLE h = h_;
    h_ = nullptr;
    return h;
  }
  void reset() {
    if (h_ != nullptr) CloseHandle(h_);
    h_ = nullptr;
  }

 private:
  HANDLE h_ = nullptr;
};

// Opens `path` itself (a link is opened, not followed) for `access`, with every share mode, so
// it can be inspected without disturbing other programs. Folders open too.
Handle open_no_follow(const std::filesystem::path& path, DWORD access,
                      DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);

// Kind of an open file: kRegular, kDirectory or kSymlink (a link reparse point).
FileKind kind_of(HANDLE h, const BY_HANDLE_FILE_INFORMATION& info);

}  // namespace vakt::agent::win

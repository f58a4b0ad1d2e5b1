// Windows side of actions/folder_lock.h: LockFileEx(LOCKFILE_EXCLUSIVE_LOCK) on <dir>\lock,
// blocking; released by UnlockFileEx and on close (also when the process dies).
#include "actions/folder_lock.h"
#include "platform/windows/win_util.h"

#include <utility>

namespace vakt::agent {

FolderLock::FolderLock(const std::filesystem::path& dir, FolderLockOptions options)
    : dir_(dir), what_(std::move(options.what)) {
  HANDLE h = CreateFileW(win::long_path(dir / options.file).c_str(), GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    error_ = win::error_text(GetLastError());
    return;
  }
  OVERLAPPED at{};
  const DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (options.wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
  if (!LockFileEx(h, flags, 0, 1, 0, &at)) {
    const DWORD code = GetLastError();
    busy_ = !options.wait && code == ERROR_LOCK_VIOLATION;
    error_ = busy_ ? "another process holds it" : win::error_text(code);
    CloseHandle(h);
    return;
  }
  handle_ = reinterpret_cast<std::intptr_t>(h);
}

FolderLock::~FolderLock() {
  if (handle_ == -1) return;
  HANDLE h = reinterpret_cast<HANDLE>(handle_);
  OVERLAPPED at{};
  UnlockFileEx(h, 0, 1, 0, &at);
  CloseHandle(h);
}

}  // namespace vakt::agent

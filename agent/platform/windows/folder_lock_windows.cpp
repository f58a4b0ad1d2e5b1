// Windows side of actions/folder_lock.h: LockFileEx(LOCKFILE_EXCLUSIVE_LOCK) on <dir>\lock,
// blocking; released by UnlockFileEx and on close (also when the process dies).
#include "actions/folder_lock.h"
#include "platform/windows/win_util.h"

namespace vakt::agent {

FolderLock::FolderLock(const std::filesystem::path& dir) : dir_(dir) {
  HANDLE h = CreateFileW(win::long_path(dir / L"lock").c_str(), GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    error_ = win::error_text(GetLastError());
    return;
  }
  OVERLAPPED at{};
  if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &at)) {
    error_ = win::error_text(GetLastError());
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

// Linux side of actions/folder_lock.h: flock(2) on <dir>/lock (blocking, released on close).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "actions/folder_lock.h"

namespace vakt::agent {

FolderLock::FolderLock(const std::filesystem::path& dir, FolderLockOptions options)
    : dir_(dir), what_(std::move(options.what)) {
  int fd = ::open((dir / options.file).c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    error_ = std::strerror(errno);
    return;
  }
  handle_ = fd;
  while (::flock(fd, LOCK_EX | (options.wait ? 0 : LOCK_NB)) != 0) {
    if (errno == EWOULDBLOCK && !options.wait) {
      busy_ = true;
      error_ = "another process holds it";
      return;
    }
    if (errno != EINTR) {
      error_ = std::strerror(errno);
      return;
    }
  }
}

FolderLock::~FolderLock() {
  if (handle_ >= 0) ::close(static_cast<int>(handle_));  // releases the lock
}

}  // namespace vakt::agent

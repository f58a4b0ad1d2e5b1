// Linux side of actions/file_guard.h: O_PATH|O_NOFOLLOW fds and a read lease (F_SETLEASE) as the
// writer check.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "actions/file_guard.h"

namespace vakt::agent {

Expected<PinnedFile> pin_regular(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot open: ") + std::strerror(errno)};
  struct stat st {};
  int rc = ::fstat(fd, &st);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Error{std::string("cannot stat: ") + std::strerror(err)};
  if (!S_ISREG(st.st_mode)) return Error{"not a regular file (a symlink or special file)"};
  return PinnedFile{{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)},
                    {st.st_uid, st.st_gid},
                    static_cast<std::uint64_t>(st.st_nlink)};
}

Expected<FileId> protect_stored(const std::filesystem::path& stored) {
  int fd = ::open(stored.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot open stored copy: ") + std::strerror(errno)};
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  ::close(fd);
  if (rc != 0 || !S_ISREG(st.st_mode)) return Error{"stored copy is not a regular file"};
  return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

Status release_restored(const std::filesystem::path&) {
  return Ok{};  // owner and mode travelled with the file (rename) or were copied (copy-verify)
}

// A read lease on the file for the length of the move: refused (EAGAIN) while any program has it
// open for writing — its later writes would go into the quarantined inode (same fs) or be lost
// (cross fs) — and, once held, a program opening it for writing waits until the move is done.
// Lease breaks are signalled with SIGURG, whose default action is to ignore it. Where leases
// are not available (no CAP_LEASE, a file system without them) the move goes ahead unchecked.
WriterGuard::WriterGuard(const std::filesystem::path& path, FileId expected) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 ||
      FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)} !=
          expected ||
      ::fcntl(fd, F_SETSIG, SIGURG) != 0) {
    ::close(fd);
    return;
  }
  if (::fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
    held_ = true;
    handle_ = fd;
  } else {
    busy_ = errno == EAGAIN;
    ::close(fd);
  }
}

WriterGuard::~WriterGuard() {
  if (handle_ < 0) return;
  if (held_) ::fcntl(static_cast<int>(handle_), F_SETLEASE, F_UNLCK);
  ::close(static_cast<int>(handle_));
}

}  // namespace vakt::agent

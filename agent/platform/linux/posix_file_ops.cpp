// Linux FileOps: open(2)/read(2)/write(2)/fsync(2)/renameat2(2)/unlink(2), no symlink following.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "actions/file_ops.h"

namespace vakt::agent {
namespace {

class PosixFileOps final : public FileOps {
 public:
  int rename_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  bool replace) override {
    int rc = replace ? ::rename(from.c_str(), to.c_str())
                     : ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
    if (rc == 0) return 0;
    if (errno == EXDEV) return kCrossDevice;
    if (!replace && errno == EINVAL) {
      // File systems without RENAME_NOREPLACE: link(2) + unlink(2) is equally non-replacing.
      if (::link(from.c_str(), to.c_str()) != 0) return errno == EXDEV ? kCrossDevice : errno;
      if (::unlink(from.c_str()) != 0) {
        // Both names are the same inode: dropping the new one is a full undo, not a loss.
        int err = errno;
        ::unlink(to.c_str());
        return err;
      }
      return 0;
    }
    return errno;
  }
  int open_read(const std::filesystem::path& path, FileHandle& out) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    out = fd;
    return 0;
  }
  int create_exclusive(const std::filesystem::path& path, FileHandle& out) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    out = fd;
    return 0;
  }
  int read_some(FileHandle h, char* buf, std::size_t size, std::size_t& got) override {
    for (;;) {
      ssize_t n = ::read(static_cast<int>(h), buf, size);
      if (n >= 0) {
        got = static_cast<std::size_t>(n);
        return 0;
      }
      if (errno != EINTR) return errno;
    }
  }
  int write_all(FileHandle h, const char* data, std::size_t size) override {
    while (size > 0) {
      ssize_t n = ::write(static_cast<int>(h), data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return 0;
  }
  int sync_file(FileHandle h) override { return ::fsync(static_cast<int>(h)) == 0 ? 0 : errno; }
  int close_file(FileHandle h) override { return ::close(static_cast<int>(h)) == 0 ? 0 : errno; }
  int sync_dir(const std::filesystem::path& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return rc;
  }
  int remove_file(const std::filesystem::path& path) override {
    return ::unlink(path.c_str()) == 0 ? 0 : errno;
  }
};

}  // namespace

FileOps& default_file_ops() {
  static PosixFileOps ops;
  return ops;
}

int copy_file_metadata(FileHandle from, FileHandle to) {
  struct stat st {};
  if (::fstat(static_cast<int>(from), &st) != 0) return errno;
  if (::geteuid() == 0 && ::fchown(static_cast<int>(to), st.st_uid, st.st_gid) != 0) return errno;
  if (::fchmod(static_cast<int>(to), st.st_mode & 07777) != 0) return errno;
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::futimens(static_cast<int>(to), times) != 0) return errno;
  return 0;
}

std::string file_error_text(int err) {
  if (err == FileOps::kCrossDevice) return "different file system";
  if (err == FileOps::kInUse) return std::string(kFileInUse);
  return std::strerror(err);
}

}  // namespace vakt::agent

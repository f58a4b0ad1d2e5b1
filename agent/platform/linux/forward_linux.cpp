// Linux side of actions/forward.h: openat(2)/mkdirat(2)/renameat2(2) on verified folder fds.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "actions/file_guard.h"
#include "actions/file_ops.h"
#include "actions/forward.h"

namespace vakt::agent {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(-1); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error sys_error(const std::string& what, int err) {
  return Error{what + ": " + std::strerror(err)};
}

// Walks `relative_dir` from the open folder `start` (consumed) without following a symlink that
// is not owned by root (a user's planted link), creating missing folders with the owner and
// mode of the folder they are made in. Returns the final folder's fd.
Expected<int> walk_dirs(int start, const std::filesystem::path& relative_dir,
                        bool follow_root_links) {
  Fd dir(start);
  for (const auto& part : relative_dir) {
    const std::string name = part.string();
    if (name.empty() || name == "." || name == "/") continue;
    if (name == "..") return Error{"'..' in the target path"};
    int next = ::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ELOOP && follow_root_links) {
      struct stat link {};
      if (::fstatat(dir.get(), name.c_str(), &link, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(link.st_mode) && link.st_uid == 0) {
        // A system symlink (/home -> /data/home): only root could have made it.
        next = ::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      } else {
        errno = ELOOP;
      }
    }
    if (next < 0 && errno == ENOENT) {
      struct stat parent {};
      if (::fstat(dir.get(), &parent) != 0) return sys_error("cannot stat folder", errno);
      if (::mkdirat(dir.get(), name.c_str(), 0700) != 0 && errno != EEXIST) {
        return sys_error("cannot create folder " + name, errno);
      }
      next = ::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next >= 0) {
        // A new folder belongs to whoever owns the folder it is in, like one the user made.
        if (::geteuid() == 0) (void)::fchown(next, parent.st_uid, parent.st_gid);
        (void)::fchmod(next, parent.st_mode & 07777);
      }
    }
    if (next < 0) {
      int err = errno;
      if (err == ELOOP || err == ENOTDIR) {
        return Error{"refusing to follow a symlink or non-folder at '" + name + "'"};
      }
      return sys_error("cannot open folder " + name, err);
    }
    dir.reset(next);
  }
  int out = ::dup(dir.get());
  if (out < 0) return sys_error("dup", errno);
  return out;
}

// Opens (creating when missing) root/relative_dir without following any symlink below root.
Expected<int> open_dir_beneath(const std::filesystem::path& root,
                               const std::filesystem::path& relative_dir) {
  int start = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (start < 0 && errno == ENOENT) {
    // The configured sync root itself (an administrator's path) is created as before.
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    start = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (start < 0) return sys_error("cannot open sync folder " + root.string(), errno);
  return walk_dirs(start, relative_dir, /*follow_root_links=*/false);
}

}  // namespace

void HeldDir::release() {
  for (auto h : handles_) ::close(static_cast<int>(h));
  handles_.clear();
}

Expected<HeldDir> open_dir_no_user_symlinks(const std::filesystem::path& absolute_dir) {
  if (!absolute_dir.is_absolute()) return Error{"not an absolute path: " + absolute_dir.string()};
  int start = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (start < 0) return sys_error("cannot open /", errno);
  auto fd = walk_dirs(start, absolute_dir.relative_path(), /*follow_root_links=*/true);
  if (!fd) return fd.error();
  return HeldDir(std::filesystem::path("/proc/self/fd/" + std::to_string(*fd)), {*fd});
}

Expected<MoveResult> forward_into(const std::filesystem::path& from,
                                  const std::filesystem::path& target_root,
                                  const std::filesystem::path& relative,
                                  std::optional<FileId> expected_id,
                                  std::string_view expected_sha256) {
  Fd src(::open(from.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (src.get() < 0) return sys_error("cannot open", errno);
  struct stat src_st {};
  if (::fstat(src.get(), &src_st) != 0) return sys_error("cannot stat", errno);
  if (!S_ISREG(src_st.st_mode)) return Error{"not a regular file (a symlink or special file)"};
  FileId src_id{static_cast<std::uint64_t>(src_st.st_dev),
                static_cast<std::uint64_t>(src_st.st_ino)};
  if (expected_id && *expected_id != src_id) {
    return Error{"file was replaced after the scan (different file identity); not forwarded"};
  }

  auto dir_fd = open_dir_beneath(target_root, relative.parent_path());
  if (!dir_fd) return dir_fd.error();
  Fd dir(*dir_fd);
  const std::string name = relative.filename().string();
  struct stat existing {};
  if (::fstatat(dir.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    return Error{std::string(kForwardConflict) +
                 ": a file with the same name is already in the sync folder; kept in the outbox"};
  }
  // The verified folder, by a path the kernel resolves to exactly that fd.
  const std::filesystem::path dir_path = "/proc/self/fd/" + std::to_string(dir.get());
  // An editor still writing to the outbox file would go on writing into an unlinked inode once a
  // copy across file systems deleted the original: held off, as for a quarantine move.
  WriterGuard guard(from, src_id);
  if (guard.open_for_writing()) {
    return Error{std::string(kFileInUse) + " (open for writing); not forwarded, retried later"};
  }
  auto moved =
      safe_move(default_file_ops(), from, dir_path / name, /*replace=*/false, expected_sha256);
  if (!moved) {
    if (moved.error().message.find(std::strerror(EEXIST)) != std::string::npos) {
      return Error{std::string(kForwardConflict) + ": " + moved.error().message};
    }
    return moved.error();
  }
  // What arrived must be the scanned file (rename) or our verified copy; never a symlink.
  Fd landed(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (landed.get() < 0) return sys_error("forwarded file cannot be opened", errno);
  struct stat st {};
  if (::fstat(landed.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{"forwarded file is not a regular file"};
  }
  if (moved->method == MoveMethod::kCopyVerify) {
    // A copy is made by root, 0600: give it the outbox file's owner and mode.
    if (::geteuid() == 0 && ::fchown(landed.get(), src_st.st_uid, src_st.st_gid) != 0) {
      return sys_error("cannot give the forwarded copy its owner", errno);
    }
    if (::fchmod(landed.get(), src_st.st_mode & 07777) != 0) {
      return sys_error("cannot give the forwarded copy its mode", errno);
    }
  }
  return moved;
}

}  // namespace vakt::agent

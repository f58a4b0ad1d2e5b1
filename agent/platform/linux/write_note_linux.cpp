// Linux side of write_note (actions/note.h): a directory fd opened with O_NOFOLLOW, a new
// randomly named file created with O_EXCL|O_NOFOLLOW in it, fchown/fchmod, fsync, renameat.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio.h>  // renameat2, RENAME_NOREPLACE

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "actions/note.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Error note_error(const std::filesystem::path& note_path, const char* step, int err) {
  return Error{"cannot write note " + mask_identity_numbers(note_path.string()) + ": " + step +
               ": " + std::strerror(err)};
}

std::string random_temp_name() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[48];
  std::snprintf(buf, sizeof(buf), ".vakt-note-%016llx.tmp", static_cast<unsigned long long>(rng()));
  return buf;
}

// Moves `tmp` to `name` in `dir` only if nothing has that name: renameat2(RENAME_NOREPLACE), or
// link + unlink on a file system without it. 0 or an errno (EEXIST: the name is taken).
int install_no_replace(int dir, const std::string& tmp, const std::string& name) {
  if (::renameat2(dir, tmp.c_str(), dir, name.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  if (::linkat(dir, tmp.c_str(), dir, name.c_str(), 0) != 0) return errno;
  ::unlinkat(dir, tmp.c_str(), 0);
  return 0;
}

}  // namespace

Expected<NoteInstall> write_note(const std::filesystem::path& note_path, const std::string& text,
                                 std::optional<NoteOwner> owner,
                                 std::string_view replaceable_prefix) {
  // The folder belongs to the user and the agent runs as root: every step works on a directory
  // fd opened without following a symlink, and on a new file of our own (O_EXCL, random name),
  // so a planted symlink can never make root truncate or chmod someone else's file.
  auto parent = note_path.parent_path();
  if (parent.empty()) parent = ".";
  Fd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.get() < 0) return note_error(note_path, "open folder", errno);
  struct stat dir_st {};
  if (::fstat(dir.get(), &dir_st) != 0) return note_error(note_path, "stat folder", errno);
  const std::string name = note_path.filename().string();
  std::string tmp;
  int fd_raw = -1;
  for (int attempt = 0; attempt < 8 && fd_raw < 0; ++attempt) {
    tmp = random_temp_name();
    fd_raw = ::openat(dir.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0600);
    if (fd_raw < 0 && errno != EEXIST) return note_error(note_path, "create", errno);
  }
  if (fd_raw < 0) return note_error(note_path, "create", EEXIST);
  Fd out(fd_raw);
  auto fail = [&](const char* step) -> Error {
    int err = errno;
    ::unlinkat(dir.get(), tmp.c_str(), 0);
    return note_error(note_path, step, err);
  };
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(out.get(), data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  // The user (and the OneDrive client running as the user) must be able to read it.
  if (::geteuid() == 0) {
    NoteOwner o = owner.value_or(NoteOwner{dir_st.st_uid, dir_st.st_gid});
    if (::fchown(out.get(), o.uid, o.gid) != 0) return fail("chown");
  }
  if (::fchmod(out.get(), 0644) != 0) return fail("chmod");
  if (::fsync(out.get()) != 0) return fail("fsync");
  if (::close(out.release()) != 0) return fail("close");
  if (const int err = install_no_replace(dir.get(), tmp, name); err != 0) {
    errno = err;
    if (err != EEXIST) return fail("rename");
    // Taken. Vakt's own older note for this file gives way; anything else stays as it is.
    if (!is_vakt_note(note_path, replaceable_prefix)) {
      ::unlinkat(dir.get(), tmp.c_str(), 0);
      return NoteInstall::kNameTaken;
    }
    if (::renameat(dir.get(), tmp.c_str(), dir.get(), name.c_str()) != 0) return fail("rename");
  }
  ::fsync(dir.get());
  return NoteInstall::kWritten;
}

}  // namespace vakt::agent

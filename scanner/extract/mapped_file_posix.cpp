// Read-only file mapping and the scanner's file-opening rules (Linux).
#include "extract/mapped_file.h"

#include "extract/member_buffer.h"
#include "util/sha256.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace vakt::extract {
namespace {

std::string errno_reason(int err) {
  switch (err) {
    case ENOENT:
      return "not found";
    case EACCES:
    case EPERM:
      return "permission denied";
    case EISDIR:
      return "is a directory";
    case ELOOP:
      return "too many symbolic links";
    case ENAMETOOLONG:
      return "name too long";
    case ENOTDIR:
      return "not found (a path component is not a directory)";
    default:
      return std::string("cannot open: ") + std::strerror(err);
  }
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "directory";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  return "special file";
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, static_cast<std::size_t>(size_));
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(data_, static_cast<std::size_t>(size_));
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Expected<MappedFile> MappedFile::map_file(NativeFile file, std::uint64_t size) {
  const int fd = static_cast<int>(file);
  MappedFile m;
  if (size == 0) return m;
  void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return Error{std::string("cannot map: ") + std::strerror(errno)};
  ::madvise(p, static_cast<std::size_t>(size), MADV_SEQUENTIAL);
  m.data_ = p;
  m.size_ = size;
  return m;
}

Expected<FileStamp> stamp_of(NativeFile file) {
  struct stat st {};
  if (::fstat(static_cast<int>(file), &st) != 0)
    return Error{std::string("cannot stat: ") + std::strerror(errno)};
  return FileStamp{static_cast<std::uint64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

bool changed_since(NativeFile file, const FileStamp& before) {
  auto now = stamp_of(file);
  if (!now || !(*now == before)) return true;
  char probe = 0;
  ssize_t n;
  do {
    n = ::pread(static_cast<int>(file), &probe, 1, static_cast<off_t>(before.size));
  } while (n < 0 && errno == EINTR);
  return n != 0;
}

StreamedFile::~StreamedFile() {
  ::close(static_cast<int>(file_));
}

Expected<std::size_t> StreamedFile::read_at(std::uint64_t offset, std::span<char> out) const {
  for (;;) {
    const ssize_t n =
        ::pread(static_cast<int>(file_), out.data(), out.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return Error{std::string("read error: ") + std::strerror(errno)};
  }
}

OpenedFile::OpenedFile() = default;
OpenedFile::~OpenedFile() = default;
OpenedFile::OpenedFile(OpenedFile&&) noexcept = default;
OpenedFile& OpenedFile::operator=(OpenedFile&&) noexcept = default;

Expected<std::string> read_snapshot(NativeFile file, std::uint64_t size, MemberBuffer& out) {
  const int fd = static_cast<int>(file);
  constexpr std::size_t kChunk = 1u << 20;
  std::unique_ptr<char[]> spare;  // only for bytes that go to a spill file
  Sha256 hash;
  std::uint64_t done = 0;
  while (done < size) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, kChunk));
    // Straight into the snapshot while it is on the heap: no second copy of the file.
    std::span<char> into = out.tail(want);
    if (into.empty()) {
      if (!spare) spare.reset(new char[kChunk]);  // not zero-filled: the read overwrites it
      into = std::span<char>(spare.get(), want);
    }
    const ssize_t n = ::pread(fd, into.data(), want, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{std::string("read error: ") + std::strerror(errno)};
    }
    if (n == 0) {
      return Error{"file changed during scan: truncated to " + std::to_string(done) + " of " +
                   std::to_string(size) + " bytes"};
    }
    const std::string_view got(into.data(), static_cast<std::size_t>(n));
    if (into.data() == spare.get()) {
      if (!out.append(got)) return Error{out.error()};
    } else {
      out.commit(got.size());
    }
    hash.update(got);
    done += static_cast<std::uint64_t>(n);
  }
  return hash.hex();
}

OpenedFile open_for_scan(const std::filesystem::path& path, std::uint64_t max_file_bytes,
                         const StreamChoice& stream) {
  OpenedFile out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    out.exists = err != ENOENT && err != ENOTDIR;
    out.status = ScanStatus::kError;
    out.reason = errno_reason(err);
    return out;
  }
  out.exists = true;
  if (!S_ISREG(st.st_mode)) {
    out.type = kind_of(st.st_mode);
    out.status = S_ISDIR(st.st_mode) ? ScanStatus::kError : ScanStatus::kUnscannable;
    out.reason = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file: " + out.type;
    return out;
  }
  // O_NONBLOCK: if the path was swapped for a FIFO since stat(), open must not wait for a writer.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    out.status = ScanStatus::kError;
    out.reason = errno_reason(errno);
    return out;
  }
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    out.status = ScanStatus::kUnscannable;
    out.reason = "not a regular file: " + kind_of(st.st_mode);
    return out;
  }
  out.size = static_cast<std::uint64_t>(st.st_size);
  const FileStamp opened{
      out.size, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  if (out.size > max_file_bytes) {
    out.status = ScanStatus::kUnscannable;
    out.reason = "too large: " + std::to_string(out.size) + " bytes (max_file_bytes " +
                 std::to_string(max_file_bytes) + ")";
    return out;
  }
  if (out.size > stream.above && stream.wants) {
    std::string head(
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size, StreamChoice::kHeadBytes)),
        '\0');
    ssize_t n;
    do {
      n = ::pread(fd.get(), head.data(), head.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      out.status = ScanStatus::kError;
      out.reason = std::string("read error: ") + std::strerror(errno);
      return out;
    }
    head.resize(static_cast<std::size_t>(n));
    if (stream.wants(head)) {
      out.stream = std::make_unique<StreamedFile>(fd.release(), opened);
      return out;
    }
  }
  // A private copy, not a mapping of the user's file: see the header (SIGBUS on truncation).
  out.snapshot = std::make_unique<MemberBuffer>(out.size);
  auto hash = read_snapshot(fd.get(), out.size, *out.snapshot);
  if (hash && changed_since(fd.get(), opened)) hash = Error{std::string(kChangedWhileRead)};
  if (!hash) {
    out.snapshot.reset();
    out.status = ScanStatus::kError;
    out.reason = hash.error().message;
    return out;
  }
  auto view = out.snapshot->view();
  if (!view) {
    out.snapshot.reset();
    out.status = ScanStatus::kError;
    out.reason = view.error().message;
    return out;
  }
  out.view = view.value();
  out.sha256 = std::move(hash).value();
  return out;
}

}  // namespace vakt::extract

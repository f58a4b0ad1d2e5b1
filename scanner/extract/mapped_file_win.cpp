// Read-only file mapping and the scanner's file-opening rules (Windows); see mapped_file.h.
#include <windows.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "extract/mapped_file.h"
#include "extract/member_buffer.h"
#include "util/os_win.h"
#include "util/sha256.h"

namespace vakt::extract {
namespace {

// FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS (Windows 10 1709+; not in every SDK's headers): the file's
// data is not on this computer and reading it would fetch it (OneDrive Files On-Demand).
constexpr DWORD kRecallOnDataAccess = 0x00400000;

struct OpenError {
  std::string reason;
  bool exists = true;
};

OpenError open_error(DWORD code) {
  switch (code) {
    case ERROR_FILE_NOT_FOUND:
      return {"not found", false};
    case ERROR_PATH_NOT_FOUND:
      return {"not found (a path component is not a directory)", false};
    case ERROR_ACCESS_DENIED:
      return {"permission denied", true};
    case ERROR_FILENAME_EXCED_RANGE:
      return {"name too long", true};
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
      return {"invalid name", false};
    case ERROR_CANT_RESOLVE_FILENAME:
      return {"too many symbolic links", true};
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
      return {os::win32_error_text(code), true};  // "in use by another program …": retry later
    default:
      return {"cannot open: " + os::win32_error_text(code), true};
  }
}

std::string kind_of(DWORD file_type) {
  switch (file_type) {
    case FILE_TYPE_PIPE:
      return "fifo";
    case FILE_TYPE_CHAR:
      return "character device";
    default:
      return "special file";
  }
}

class FileHandle {
 public:
  explicit FileHandle(HANDLE h) : h_(h) {}
  ~FileHandle() {
    if (h_ != INVALID_HANDLE_VALUE) CloseHandle(h_);
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  HANDLE get() const { return h_; }
  HANDLE release() { return std::exchange(h_, INVALID_HANDLE_VALUE); }

 private:
  HANDLE h_;
};

// A synchronous read at an explicit offset, like pread; 0 bytes at the end of the file.
Expected<std::size_t> read_at_offset(HANDLE handle, std::uint64_t offset, std::span<char> out) {
  const auto want = static_cast<DWORD>(std::min<std::size_t>(out.size(), 1u << 30));
  OVERLAPPED at{};
  at.Offset = static_cast<DWORD>(offset);
  at.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD n = 0;
  if (!ReadFile(handle, out.data(), want, &n, &at)) {
    const DWORD err = GetLastError();
    if (err != ERROR_HANDLE_EOF) return Error{"read error: " + os::win32_error_text(err)};
    n = 0;
  }
  return static_cast<std::size_t>(n);
}

}  // namespace

MappedFile::~MappedFile() {
  if (data_ != nullptr) UnmapViewOfFile(data_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) UnmapViewOfFile(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Expected<MappedFile> MappedFile::map_file(NativeFile file, std::uint64_t size) {
  MappedFile m;
  if (size == 0) return m;
  const auto handle = reinterpret_cast<HANDLE>(file);
  // The view keeps the section alive: the mapping handle can be closed at once.
  HANDLE section =
      CreateFileMappingW(handle, nullptr, PAGE_READONLY, static_cast<DWORD>(size >> 32),
                         static_cast<DWORD>(size), nullptr);
  if (section == nullptr) return Error{"cannot map: " + os::win32_error_text(GetLastError())};
  void* p = MapViewOfFile(section, FILE_MAP_READ, 0, 0, static_cast<SIZE_T>(size));
  const DWORD err = GetLastError();
  CloseHandle(section);
  if (p == nullptr) return Error{"cannot map: " + os::win32_error_text(err)};
  m.data_ = p;
  m.size_ = size;
  return m;
}

Expected<FileStamp> stamp_of(NativeFile file) {
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(reinterpret_cast<HANDLE>(file), &info))
    return Error{"cannot stat: " + os::win32_error_text(GetLastError())};
  return FileStamp{(static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow,
                   static_cast<std::int64_t>(
                       (static_cast<std::uint64_t>(info.ftLastWriteTime.dwHighDateTime) << 32) |
                       info.ftLastWriteTime.dwLowDateTime)};
}

bool changed_since(NativeFile file, const FileStamp& before) {
  auto now = stamp_of(file);
  if (!now || !(*now == before)) return true;
  char probe = 0;
  auto got =
      read_at_offset(reinterpret_cast<HANDLE>(file), before.size, std::span<char>(&probe, 1));
  return !got || got.value() != 0;
}

StreamedFile::~StreamedFile() {
  CloseHandle(reinterpret_cast<HANDLE>(file_));
}

Expected<std::size_t> StreamedFile::read_at(std::uint64_t offset, std::span<char> out) const {
  return read_at_offset(reinterpret_cast<HANDLE>(file_), offset, out);
}

OpenedFile::OpenedFile() = default;
OpenedFile::~OpenedFile() = default;
OpenedFile::OpenedFile(OpenedFile&&) noexcept = default;
OpenedFile& OpenedFile::operator=(OpenedFile&&) noexcept = default;

Expected<std::string> read_snapshot(NativeFile file, std::uint64_t size, MemberBuffer& out) {
  const auto handle = reinterpret_cast<HANDLE>(file);
  constexpr std::size_t kChunk = 1u << 20;
  // Not zero-filled: the read overwrites it.
  const std::unique_ptr<char[]> chunk(
      new char[static_cast<std::size_t>(std::min<std::uint64_t>(size, kChunk))]);
  Sha256 hash;
  std::uint64_t done = 0;
  while (done < size) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, kChunk));
    auto got_bytes = read_at_offset(handle, done, std::span<char>(chunk.get(), want));
    if (!got_bytes) return got_bytes.error();
    const std::size_t n = got_bytes.value();
    if (n == 0) {
      return Error{"file changed during scan: truncated to " + std::to_string(done) + " of " +
                   std::to_string(size) + " bytes"};
    }
    const std::string_view got(chunk.get(), n);
    if (!out.append(got)) return Error{out.error()};
    hash.update(got);
    done += n;
  }
  return hash.hex();
}

OpenedFile open_for_scan(const std::filesystem::path& path, std::uint64_t max_file_bytes,
                         const StreamChoice& stream) {
  OpenedFile out;
  const std::wstring wide = os::win32_path(path);
  const DWORD attributes = GetFileAttributesW(wide.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    const OpenError e = open_error(GetLastError());
    out.exists = e.exists;
    out.status = ScanStatus::kError;
    out.reason = e.reason;
    return out;
  }
  out.exists = true;
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    out.type = "directory";
    out.status = ScanStatus::kError;
    out.reason = "is a directory";
    return out;
  }
  // A OneDrive Files On-Demand placeholder: reading it would download it. Reported, never clean.
  if ((attributes & (kRecallOnDataAccess | FILE_ATTRIBUTE_OFFLINE)) != 0) {
    out.status = ScanStatus::kUnscannable;
    out.reason = "cloud-only file (not downloaded to this computer)";
    return out;
  }
  // Share everything: a scan must never stop Word from saving or OneDrive from renaming the file.
  FileHandle file(CreateFileW(
      wide.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
  if (file.get() == INVALID_HANDLE_VALUE) {
    out.status = ScanStatus::kError;
    out.reason = open_error(GetLastError()).reason;
    return out;
  }
  const DWORD file_type = GetFileType(file.get());
  if (file_type != FILE_TYPE_DISK) {
    out.type = kind_of(file_type);
    out.status = ScanStatus::kUnscannable;
    out.reason = "not a regular file: " + out.type;
    return out;
  }
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(file.get(), &size)) {
    out.status = ScanStatus::kError;
    out.reason = "cannot open: " + os::win32_error_text(GetLastError());
    return out;
  }
  out.size = static_cast<std::uint64_t>(size.QuadPart);
  auto opened = stamp_of(reinterpret_cast<NativeFile>(file.get()));
  if (!opened) {
    out.status = ScanStatus::kError;
    out.reason = opened.error().message;
    return out;
  }
  out.size = opened->size;
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
    auto got = read_at_offset(file.get(), 0, head);
    if (!got) {
      out.status = ScanStatus::kError;
      out.reason = got.error().message;
      return out;
    }
    head.resize(got.value());
    if (stream.wants(head)) {
      out.stream =
          std::make_unique<StreamedFile>(reinterpret_cast<NativeFile>(file.release()), *opened);
      return out;
    }
  }
  // A private copy, not a mapping of the user's file: another program truncating it mid-scan must
  // not fault this process (EXCEPTION_IN_PAGE_ERROR is Windows' SIGBUS).
  out.snapshot = std::make_unique<MemberBuffer>(out.size);
  auto hash = read_snapshot(reinterpret_cast<NativeFile>(file.get()), out.size, *out.snapshot);
  if (hash && changed_since(reinterpret_cast<NativeFile>(file.get()), *opened))
    hash = Error{std::string(kChangedWhileRead)};
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

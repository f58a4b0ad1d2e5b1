// open_for_scan(): how a document's bytes reach the extractors. It applies the checks a scanner
// needs (never blocks on FIFOs or devices: O_NONBLOCK, regular files only; refuses files over the
// size limit; every failure becomes a specific reason) and takes a private snapshot of the bytes:
// pread into the heap up to MemberBuffer::kHeapLimit, beyond that into an unlinked temporary file
// that only this process can see. The user's file is never mapped, so another process truncating
// it mid-scan (truncate + rewrite saves) cannot raise SIGBUS; a file that shrinks while it is
// being copied is reported (not scanned as a clean short file). The snapshot's SHA-256 is
// computed while copying so the caller can name exactly the bytes it scanned. One exception, at
// the caller's choice (StreamChoice): a file past the in-memory size whose first bytes are plain
// text is not copied but read in pieces at offsets (StreamedFile; extract/streamed_text.h), since
// text needs no random access and a copy of a GB-sized log would be written to the disk first.
//
// Linux: mapped_file_posix.cpp. Windows: mapped_file_win.cpp — CreateFileW sharing read, write and
// delete (a scan never stops Word from saving or OneDrive from renaming), disk files only, reads at
// explicit offsets into the same kind of private snapshot (a delete-on-close temporary file past
// kHeapLimit), so a file truncated mid-scan cannot fault the process there either. Cloud-only
// OneDrive placeholders are reported unscannable rather than downloaded.
//
//   OpenedFile f = open_for_scan(path, limits.max_file_bytes);
//   if (!f.ok()) { result.status = f.status; result.reason = f.reason; }
//   else use(f.bytes());
//
// MappedFile is the read-only mapping of a file the scanner owns (MemberBuffer's temp file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"
#include "vakt/scanner/scan_result.h"

namespace vakt::extract {

// An open file the scanner owns: a descriptor on Linux, a HANDLE's value on Windows.
using NativeFile = std::intptr_t;

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Maps `size` bytes of an open file (which the caller may close afterwards).
  static Expected<MappedFile> map_file(NativeFile file, std::uint64_t size);

  std::string_view bytes() const {
    return {static_cast<const char*>(data_), static_cast<std::size_t>(size_)};
  }

 private:
  void* data_ = nullptr;
  std::uint64_t size_ = 0;
};

class MemberBuffer;

// What an open file looked like: its size and last-write time. A file written while it is read
// (appended to, or overwritten in place at the same size) is reported, never scanned as clean
// bytes it no longer has — or had only in part.
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t modified = 0;  // the platform's last-write time, in its own units
  bool operator==(const FileStamp&) const = default;
};
Expected<FileStamp> stamp_of(NativeFile file);
// True when the open file's size or last-write time differ from `before`, or bytes exist beyond
// `before.size` (a size 0 file that has content, such as /proc files, counts as changed).
bool changed_since(NativeFile file, const FileStamp& before);
inline constexpr std::string_view kChangedWhileRead =
    "file changed during scan: written while read";

// A regular file the scanner opened and reads in pieces at explicit offsets (pread / ReadFile with
// an offset): the large plain-text case of open_for_scan, where a snapshot would first copy the
// whole file to a temporary file on the user's disk. Reading never maps the file, so another
// program truncating it cannot fault the process.
class StreamedFile {
 public:
  StreamedFile(NativeFile file, FileStamp opened)
      : file_(file), size_(opened.size), opened_(opened) {}
  ~StreamedFile();
  StreamedFile(const StreamedFile&) = delete;
  StreamedFile& operator=(const StreamedFile&) = delete;

  // Reads up to out.size() bytes at `offset`; 0 at the end of the file.
  Expected<std::size_t> read_at(std::uint64_t offset, std::span<char> out) const;
  std::uint64_t size() const { return size_; }  // as the file was when opened
  // True when the file was written since it was opened (see changed_since).
  bool changed() const { return changed_since(file_, opened_); }

 private:
  NativeFile file_;
  std::uint64_t size_;
  FileStamp opened_;
};

// When to read a file in pieces instead of copying it: larger than `above` bytes, and `wants`
// approves its first kHeadBytes (the caller's type check: plain text needs no random access).
struct StreamChoice {
  static constexpr std::size_t kHeadBytes = 64 * 1024;
  std::uint64_t above = UINT64_MAX;
  std::function<bool(std::string_view head)> wants;
};

struct OpenedFile {
  OpenedFile();
  ~OpenedFile();
  OpenedFile(OpenedFile&&) noexcept;
  OpenedFile& operator=(OpenedFile&&) noexcept;

  std::unique_ptr<MemberBuffer> snapshot;  // the copied bytes (null when not ok or empty)
  std::unique_ptr<StreamedFile> stream;    // instead of a snapshot: see StreamChoice
  std::string_view view;                   // bytes of `snapshot`, valid while this lives
  std::string sha256;                      // hex SHA-256 of `view` (set when ok, not streamed)
  std::uint64_t size = 0;
  bool exists = false;  // the path names something (even if not readable)
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;  // empty when ok
  std::string type;    // "directory", "fifo" … when not a regular file
  bool ok() const { return reason.empty(); }
  std::string_view bytes() const { return view; }
};

OpenedFile open_for_scan(const std::filesystem::path& path, std::uint64_t max_file_bytes,
                         const StreamChoice& stream = {});

// Copies the first `size` bytes of `file` (as fstat / GetFileSizeEx reported them) into `out`,
// reading at explicit offsets. Fails with "file changed during scan: ..." when the file ends early
// (truncated by another process).
Expected<std::string> read_snapshot(NativeFile file, std::uint64_t size, MemberBuffer& out);

}  // namespace vakt::extract

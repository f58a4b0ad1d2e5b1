// open_for_scan(): how a document's bytes reach the extractors. It applies the checks a scanner
// needs (never blocks on FIFOs or devices: O_NONBLOCK, regular files only; refuses files over the
// size limit; every failure becomes a specific reason) and takes a private snapshot of the bytes:
// pread into the heap up to MemberBuffer::kHeapLimit, beyond that into an unlinked temporary file
// that only this process can see. The user's file is never mapped, so another process truncating
// it mid-scan (truncate + rewrite saves) cannot raise SIGBUS; a file that shrinks while it is
// being copied is reported (not scanned as a clean short file). The snapshot's SHA-256 is
// computed while copying so the caller can name exactly the bytes it scanned.
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
#include <memory>
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

struct OpenedFile {
  OpenedFile();
  ~OpenedFile();
  OpenedFile(OpenedFile&&) noexcept;
  OpenedFile& operator=(OpenedFile&&) noexcept;

  std::unique_ptr<MemberBuffer> snapshot;  // the copied bytes (null when not ok or empty)
  std::string_view view;                   // bytes of `snapshot`, valid while this lives
  std::string sha256;                      // hex SHA-256 of `view` (set when ok)
  std::uint64_t size = 0;
  bool exists = false;  // the path names something (even if not readable)
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;  // empty when ok
  std::string type;    // "directory", "fifo" … when not a regular file
  bool ok() const { return reason.empty(); }
  std::string_view bytes() const { return view; }
};

OpenedFile open_for_scan(const std::filesystem::path& path, std::uint64_t max_file_bytes);

// Copies the first `size` bytes of `file` (as fstat / GetFileSizeEx reported them) into `out`,
// reading at explicit offsets. Fails with "file changed during scan: ..." when the file ends early
// (truncated by another process).
Expected<std::string> read_snapshot(NativeFile file, std::uint64_t size, MemberBuffer& out);

}  // namespace vakt::extract

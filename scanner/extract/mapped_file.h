// MappedFile: a read-only memory map of a file — how a document's bytes reach the extractors
// without a whole-file read into the heap. open_for_scan() adds the checks a scanner needs:
// never blocks on FIFOs or devices (O_NONBLOCK, regular files only), refuses files over the size
// limit, and turns every failure into a specific reason.
//
//   OpenedFile f = open_for_scan(path, limits.max_file_bytes);
//   if (!f.ok()) { result.status = f.status; result.reason = f.reason; }
//   else use(f.map.bytes());
//
// A file truncated by another process while mapped raises SIGBUS on access (as with any mmap
// reader); the agent scans files after they settle.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"
#include "vakt/scanner/scan_result.h"

namespace vakt::extract {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Maps `size` bytes of an open descriptor (which the caller may close afterwards).
  static Expected<MappedFile> map_fd(int fd, std::uint64_t size);

  std::string_view bytes() const {
    return {static_cast<const char*>(data_), static_cast<std::size_t>(size_)};
  }

 private:
  void* data_ = nullptr;
  std::uint64_t size_ = 0;
};

struct OpenedFile {
  MappedFile map;
  std::uint64_t size = 0;
  bool exists = false;  // the path names something (even if not readable)
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;  // empty when ok
  std::string type;    // "directory", "fifo" … when not a regular file
  bool ok() const { return reason.empty(); }
};

OpenedFile open_for_scan(const std::filesystem::path& path, std::uint64_t max_file_bytes);

}  // namespace vakt::extract

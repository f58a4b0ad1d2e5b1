// ZipReader: a read-only view of a zip archive held in memory (libzip over the caller's buffer,
// no copy). Lists members and streams one member at a time in fixed-size chunks, so a member is
// never inflated whole unless the caller asks for it, and never past a byte cap.
//
//   auto zip = ZipReader::open(input.bytes);            // the bytes must outlive the reader
//   if (!zip) { ctx.mark_unscannable(zip.error().message); return; }
//   for (const ZipEntry& e : zip->entries()) { ... }
//   auto st = zip->read(*zip->find("word/document.xml"), {.max_bytes = cap, .max_ratio = 250},
//                       [&](std::string_view chunk) { parser.feed(chunk); return true; });
//   if (!st) ctx.mark_partial(st.error().message);     // "encrypted member: …", "corrupt …"
//
// Deflated members up to kWholeMemberBytes are inflated in one call by libdeflate into a buffer
// the reader keeps, then handed out in the same chunks: 2-2.7x zlib's streaming inflate on Office
// parts, and no per-member zlib state for a deck of 600 slides (README: Libraries). The CRC is
// checked before the first byte is delivered. Larger members, and members whose declared size
// turns out too small, stream through libzip (zlib) as before.
//
// Errors are values. Their messages start with a stable word a caller can show as a reason:
// "corrupt zip", "encrypted member", "missing member", "unsupported compression",
// "corrupt member", "limit: max_compression_ratio". Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vakt/scanner/expected.h"

struct zip;

namespace vakt::extract {

struct ZipEntry {
  std::string name;  // as stored (CP437 names converted to UTF-8 by libzip)
  std::uint64_t index = 0;
  std::uint64_t size = 0;  // declared uncompressed size (may lie; reads are capped)
  std::uint64_t compressed_size = 0;
  bool encrypted = false;
  bool is_dir = false;
  std::uint16_t method =
      0;                  // compression: 0 stored, 8 deflate, others as the zip spec numbers them
  std::uint32_t crc = 0;  // CRC-32 from the directory (has_crc)
  bool has_crc = false;
  // Set for members found by salvage (no central directory): where the data starts.
  std::uint64_t data_offset = 0;
};

struct ZipReadOptions {
  std::uint64_t max_bytes = UINT64_MAX;  // stop (truncated = true) after this many bytes
  double max_ratio = 0.0;                // > 0: refuse members whose declared ratio exceeds it
};

struct ZipReadStats {
  std::uint64_t bytes = 0;  // bytes delivered to the callback
  bool truncated = false;   // max_bytes was reached before the member ended
  bool stopped = false;     // the callback returned false
};

// Receives each inflated chunk in order; return false to stop reading.
using ZipChunkFn = std::function<bool(std::string_view chunk)>;

class ZipReader {
 public:
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  static constexpr std::uint64_t kWholeMemberBytes = 16u << 20;

  static Expected<ZipReader> open(std::string_view bytes);
  // Like open(), but when the central directory is missing or broken (a truncated download, a
  // half-written file) the members are found by walking the local file headers instead.
  // salvaged() then says so; the caller should report the document as partial.
  static Expected<ZipReader> open_or_salvage(std::string_view bytes);
  bool salvaged() const { return salvaged_; }

  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ~ZipReader();

  const std::vector<ZipEntry>& entries() const { return entries_; }
  // Exact, case-sensitive lookup; nullptr when absent.
  const ZipEntry* find(std::string_view name) const;
  // True when any member is encrypted (traditional PKWARE or WinZip AES).
  bool any_encrypted() const;

  // Streams one member through `on_chunk` in chunks of at most kChunkBytes.
  Expected<ZipReadStats> read(const ZipEntry& entry, const ZipReadOptions& options,
                              const ZipChunkFn& on_chunk) const;
  // Convenience for small members (relationships, styles): the whole member up to max_bytes.
  Expected<std::string> read_all(const ZipEntry& entry, const ZipReadOptions& options) const;

 private:
  struct Closer {
    void operator()(zip* archive) const;
  };
  explicit ZipReader(zip* archive);
  static Expected<ZipReader> salvage(std::string_view bytes, const Error& why);
  // The libdeflate path; nullopt when the member must stream instead.
  std::optional<Expected<ZipReadStats>> read_whole(const ZipEntry& entry,
                                                   const ZipChunkFn& on_chunk) const;
  Expected<ZipReadStats> read_salvaged(const ZipEntry& entry, const ZipReadOptions& options,
                                       const ZipChunkFn& on_chunk) const;

  std::unique_ptr<zip, Closer> archive_;
  std::vector<ZipEntry> entries_;
  std::string_view bytes_;  // the archive, for salvaged reads
  bool salvaged_ = false;
  struct WholeBuffers;  // the libdeflate decompressor and buffers, reused across members
  mutable std::unique_ptr<WholeBuffers> whole_;
};

}  // namespace vakt::extract

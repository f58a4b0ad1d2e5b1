// locate_trailing_zip: the end-of-central-directory record, read backwards from the file's end.
#include "extract/zip_locate.h"

#include <cstdint>

namespace vakt::extract {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kEndOfCentralDirectory = "PK\x05\x06"sv;
constexpr std::string_view kCentralHeader = "PK\x01\x02"sv;
constexpr std::string_view kLocalHeader = "PK\x03\x04"sv;
constexpr std::size_t kEndRecordBytes = 22;
constexpr std::size_t kMaxComment = 0xFFFF;

std::uint32_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8;
}

std::uint32_t u32(std::string_view b, std::size_t at) {
  return u16(b, at) | u16(b, at + 2) << 16;
}

bool has_at(std::string_view b, std::uint64_t at, std::string_view signature) {
  return at <= b.size() && b.size() - at >= signature.size() &&
         b.substr(static_cast<std::size_t>(at), signature.size()) == signature;
}

enum class EndRecord { kNotOne, kOrdinaryZip, kTrailingZip };

// What the end record candidate at `end` describes, judged by whether its central directory
// checks out; `zip` is set for kTrailingZip.
EndRecord read_end_record(std::string_view b, std::size_t end, TrailingZip& zip) {
  const std::uint32_t entries = u16(b, end + 10);
  const std::uint32_t cd_size = u32(b, end + 12);
  const std::uint32_t cd_offset = u32(b, end + 16);
  const std::uint32_t comment = u16(b, end + 20);
  if (end + kEndRecordBytes + comment > b.size()) return EndRecord::kNotOne;
  if (cd_offset == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu || entries == 0xFFFFu) {
    return EndRecord::kOrdinaryZip;  // zip64: rare for an appended archive; not followed
  }
  if (entries == 0 || std::uint64_t{cd_size} + cd_offset > end) return EndRecord::kNotOne;
  const std::uint64_t start = end - cd_size - cd_offset;
  if (start > 0) {
    // Appended as it was: its offsets count from its own first byte.
    if (!has_at(b, start + cd_offset, kCentralHeader) || !has_at(b, start, kLocalHeader)) {
      return EndRecord::kNotOne;
    }
    zip = TrailingZip{static_cast<std::size_t>(start), static_cast<std::size_t>(start)};
    return EndRecord::kTrailingZip;
  }
  // Offsets that count from the file's start: an ordinary zip, or one whose offsets were adjusted
  // for the program in front of it. The first member's local header says which.
  if (!has_at(b, cd_offset, kCentralHeader) || cd_offset + 46 > b.size()) {
    return EndRecord::kNotOne;
  }
  const std::uint32_t first_member = u32(b, cd_offset + 42);
  if (!has_at(b, first_member, kLocalHeader)) return EndRecord::kNotOne;
  if (first_member == 0) return EndRecord::kOrdinaryZip;
  zip = TrailingZip{0, first_member};
  return EndRecord::kTrailingZip;
}

}  // namespace

std::optional<TrailingZip> locate_trailing_zip(std::string_view bytes) {
  if (bytes.size() < kEndRecordBytes) return std::nullopt;
  const std::size_t lowest = bytes.size() > kEndRecordBytes + kMaxComment
                                 ? bytes.size() - kEndRecordBytes - kMaxComment
                                 : 0;
  // Backwards from where a record without a comment starts (nearly every archive: the record
  // ends the file). A plain loop: rfind would call memcmp at each of up to 64 Ki positions.
  for (std::size_t at = bytes.size() - kEndRecordBytes + 1; at-- > lowest;) {
    if (bytes[at] != 'P' ||
        bytes.substr(at, kEndOfCentralDirectory.size()) != kEndOfCentralDirectory) {
      continue;
    }
    // The last record that checks out is the archive's own: an ordinary zip whose last member is
    // a stored zip has that member's record further back, and it must not count.
    TrailingZip zip;
    switch (read_end_record(bytes, at, zip)) {
      case EndRecord::kNotOne:
        continue;
      case EndRecord::kOrdinaryZip:
        return std::nullopt;
      case EndRecord::kTrailingZip:
        return zip;
    }
  }
  return std::nullopt;
}

}  // namespace vakt::extract

// BIFF12, the record format of Excel's binary workbook (.xlsb, [MS-XLSB] 2.1.4): each part is a
// sequence of records, a 1–2 byte type and a 1–4 byte size (7 bits per byte, high bit = more),
// then `size` bytes of data. Biff12Stream cuts a member's bytes, fed in chunks of any size, into
// whole records; the field readers decode the few structures the text lives in. Pure code: no zip,
// no Context.
//
//   Biff12Stream records([&](std::uint32_t type, std::string_view data) { ... });
//   zip.read(member, options, [&](std::string_view chunk) { return records.feed(chunk).ok(); });
//   records.finish();   // "corrupt xlsb: …" when the part ended inside a record
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"

namespace vakt::extract {

// Record types Vakt reads ([MS-XLSB] 2.3.2).
namespace biff12 {
inline constexpr std::uint32_t kRowHeader = 0;           // BrtRowHdr
inline constexpr std::uint32_t kCellRk = 2;              // BrtCellRk
inline constexpr std::uint32_t kCellReal = 5;            // BrtCellReal
inline constexpr std::uint32_t kCellString = 6;          // BrtCellSt (inline string)
inline constexpr std::uint32_t kCellSharedString = 7;    // BrtCellIsst
inline constexpr std::uint32_t kFormulaString = 8;       // BrtFmlaString (cached result)
inline constexpr std::uint32_t kFormulaNumber = 9;       // BrtFmlaNum (cached result)
inline constexpr std::uint32_t kSharedStringItem = 19;   // BrtSSTItem
inline constexpr std::uint32_t kNumberFormat = 44;       // BrtFmt
inline constexpr std::uint32_t kCellFormat = 47;         // BrtXF
inline constexpr std::uint32_t kCellRichString = 62;     // BrtCellRString
inline constexpr std::uint32_t kSheet = 156;             // BrtBundleSh
inline constexpr std::uint32_t kHeaderFooter = 479;      // BrtBeginHeaderFooter
inline constexpr std::uint32_t kHyperlink = 494;         // BrtHLink
inline constexpr std::uint32_t kBeginCellFormats = 617;  // BrtBeginCellXFs
inline constexpr std::uint32_t kEndCellFormats = 618;    // BrtEndCellXFs
inline constexpr std::uint32_t kCommentAuthor = 632;     // BrtCommentAuthor
inline constexpr std::uint32_t kCommentText = 637;       // BrtCommentText
}  // namespace biff12

class Biff12Stream {
 public:
  // A record larger than this is not a record of a sane workbook: the part is reported corrupt.
  static constexpr std::uint32_t kMaxRecordBytes = 16u << 20;
  using OnRecord = std::function<void(std::uint32_t type, std::string_view data)>;

  explicit Biff12Stream(OnRecord on_record) : on_record_(std::move(on_record)) {}
  Status feed(std::string_view chunk);
  Status finish() const;

 private:
  // Parses whole records from `bytes`; returns how many bytes were consumed (or an error).
  Expected<std::size_t> parse(std::string_view bytes);

  OnRecord on_record_;
  std::string pending_;  // a record cut by the chunk boundary
};

// A little-endian cursor over one record's data. Reads past the end fail (nullopt) and leave the
// cursor failed; nothing reads outside the record.
class Biff12Fields {
 public:
  explicit Biff12Fields(std::string_view data) : data_(data) {}
  // A view of a temporary would dangle at the end of the statement.
  explicit Biff12Fields(std::string&& data) = delete;
  std::optional<std::uint32_t> u8();
  std::optional<std::uint32_t> u16();
  std::optional<std::uint32_t> u32();
  std::optional<double> f64();
  // XLWideString: a 32-bit count of UTF-16LE code units, then the units; returned as UTF-8.
  std::optional<std::string> wide_string();
  // XLNullableWideString: the same, with 0xFFFFFFFF meaning "no string" ("").
  std::optional<std::string> nullable_wide_string();
  bool skip(std::size_t bytes);
  bool failed() const { return failed_; }

 private:
  std::optional<std::string_view> take(std::size_t bytes);
  std::string_view data_;
  std::size_t at_ = 0;
  bool failed_ = false;
};

// The value of an RkNumber ([MS-XLSB] 2.5.122): a 30-bit integer or the top 30 bits of a double,
// optionally divided by 100.
double rk_number_value(std::uint32_t rk);

// A cell's number as text with every digit ("199906042388", never "1.99906042388e+11").
std::string number_text(double value);

}  // namespace vakt::extract

// Excel BIFF8 (97-2003) and BIFF5 (5.0/95) workbook streams: sheet names, shared strings (SST,
// including strings split across CONTINUE records), label/number/RK/formula cells, headers,
// footers and cell comments. FILEPASS (any password protection, even XOR obfuscation) makes the
// workbook unscannable "encrypted" — its records are ciphertext.
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "extract/mime_charset.h"
#include "extract/ole2_formats.h"

namespace vakt::extract {
namespace {

enum : std::uint16_t {
  kBof = 0x0809,
  kEof = 0x000A,
  kFilePass = 0x002F,
  kCodePage = 0x0042,
  kBoundSheet = 0x0085,
  kSst = 0x00FC,
  kContinue = 0x003C,
  kLabelSst = 0x00FD,
  kLabel = 0x0204,
  kRString = 0x00D6,
  kNumber = 0x0203,
  kRk = 0x027E,
  kMulRk = 0x00BD,
  kFormula = 0x0006,
  kString = 0x0207,
  kHeader = 0x0014,
  kFooter = 0x0015,
  kTxo = 0x01B6,
};
constexpr std::size_t kFlush = 64 * 1024;

struct Record {
  std::uint16_t type;
  std::string_view data;
  std::size_t offset;  // of the record header in the stream
};

std::vector<Record> records(std::string_view s, bool* truncated) {
  std::vector<Record> out;
  std::size_t pos = 0;
  while (pos + 4 <= s.size()) {
    std::uint16_t type = ole_u16(s, pos);
    std::uint16_t len = ole_u16(s, pos + 2);
    if (pos + 4 + len > s.size()) {
      *truncated = true;
      break;
    }
    out.push_back({type, s.substr(pos + 4, len), pos});
    pos += 4 + len;
  }
  return out;
}

// Reads across a record and its CONTINUE records. Character data that crosses into a CONTINUE
// starts with a fresh option byte (bit 0: 16-bit characters), as the format requires.
class Cursor {
 public:
  explicit Cursor(std::vector<std::string_view> segs) : segs_(std::move(segs)) {}
  bool at_end() {
    normalize();
    return seg_ >= segs_.size();
  }
  bool byte(unsigned char* b) {
    normalize();
    if (seg_ >= segs_.size()) return false;
    *b = static_cast<unsigned char>(segs_[seg_][pos_++]);
    return true;
  }
  bool u16(std::uint16_t* v) {
    unsigned char a = 0, b = 0;
    if (!byte(&a) || !byte(&b)) return false;
    *v = static_cast<std::uint16_t>(a | (b << 8));
    return true;
  }
  bool u32(std::uint32_t* v) {
    std::uint16_t a = 0, b = 0;
    if (!u16(&a) || !u16(&b)) return false;
    *v = a | (static_cast<std::uint32_t>(b) << 16);
    return true;
  }
  bool skip(std::uint64_t n) {
    while (n > 0) {
      normalize();
      if (seg_ >= segs_.size()) return false;
      std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(n, segs_[seg_].size() - pos_));
      pos_ += take;
      n -= take;
    }
    return true;
  }
  // cch characters; high = 16-bit. Appends UTF-8.
  bool chars(std::uint32_t cch, bool high, std::string& out) {
    while (cch > 0) {
      if (seg_ < segs_.size() && pos_ >= segs_[seg_].size()) {
        ++seg_;
        pos_ = 0;
        if (seg_ >= segs_.size() || segs_[seg_].empty()) return false;
        high = (segs_[seg_][pos_++] & 0x01) != 0;
        continue;
      }
      if (seg_ >= segs_.size()) return false;
      if (high) {
        if (pos_ + 2 > segs_[seg_].size()) return false;
        char32_t u =
            static_cast<unsigned char>(segs_[seg_][pos_]) |
            (static_cast<char32_t>(static_cast<unsigned char>(segs_[seg_][pos_ + 1])) << 8);
        pos_ += 2;
        append_code_point(out, (u >= 0xD800 && u <= 0xDFFF) ? char32_t{0xFFFD} : u);
      } else {
        append_code_point(out, static_cast<unsigned char>(segs_[seg_][pos_++]));
      }
      --cch;
    }
    return true;
  }

 private:
  void normalize() {
    while (seg_ < segs_.size() && pos_ >= segs_[seg_].size()) {
      ++seg_;
      pos_ = 0;
    }
  }
  std::vector<std::string_view> segs_;
  std::size_t seg_ = 0;
  std::size_t pos_ = 0;
};

// XLUnicodeRichExtendedString (SST entry) or XLUnicodeString when rich = false.
bool read_unicode_string(Cursor& c, bool cch16, std::string& out) {
  std::uint32_t cch = 0;
  if (cch16) {
    std::uint16_t v = 0;
    if (!c.u16(&v)) return false;
    cch = v;
  } else {
    unsigned char v = 0;
    if (!c.byte(&v)) return false;
    cch = v;
  }
  unsigned char flags = 0;
  if (!c.byte(&flags)) return false;
  std::uint16_t runs = 0;
  std::uint32_t ext = 0;
  if ((flags & 0x08) != 0 && !c.u16(&runs)) return false;
  if ((flags & 0x04) != 0 && !c.u32(&ext)) return false;
  if (!c.chars(cch, (flags & 0x01) != 0, out)) return false;
  return c.skip(4ull * runs) && c.skip(ext);
}

std::string biff5_string(std::string_view data, std::size_t off, std::size_t cch, int codepage) {
  if (off > data.size()) return {};
  return codepage_to_utf8(data.substr(off, std::min(cch, data.size() - off)), codepage);
}

double rk_value(std::uint32_t rk) {
  double v = 0;
  if ((rk & 0x02) != 0) {
    v = static_cast<double>(static_cast<std::int32_t>(rk) >> 2);
  } else {
    std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFCu) << 32;
    std::memcpy(&v, &bits, sizeof v);
  }
  return (rk & 0x01) != 0 ? v / 100.0 : v;
}

double f64(std::string_view b, std::size_t off) {
  double v = 0;
  if (off + 8 <= b.size()) std::memcpy(&v, b.data() + off, 8);
  return v;
}

class SheetText {
 public:
  SheetText(DocOutput& out) : out_(out) {}
  void start(std::string part) {
    finish();
    part_ = std::move(part);
    row_ = -1;
  }
  void cell(int row, std::string_view value) {
    if (value.empty()) return;
    if (row_ != -1) buf_.push_back(row == row_ ? '\t' : '\n');
    row_ = row;
    buf_.append(value);
    if (buf_.size() >= kFlush) flush();
  }
  void line(std::string_view value) {
    if (value.empty()) return;
    if (row_ != -1) buf_.push_back('\n');
    row_ = -2;
    buf_.append(value);
  }
  void flush() {
    if (buf_.empty()) return;
    if (!open_) {
      out_.begin_part(part_);
      open_ = true;
    }
    out_.text(buf_);
    buf_.clear();
  }
  void finish() {
    if (!buf_.empty()) buf_.push_back('\n');
    flush();
    if (open_) out_.end_part();
    open_ = false;
  }

 private:
  DocOutput& out_;
  std::string part_;
  std::string buf_;
  int row_ = -1;
  bool open_ = false;
};

}  // namespace

std::string format_number(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : (v < 0 ? "-Infinity" : "Infinity");
  char buf[64];
  double a = std::fabs(v);
  auto fmt =
      (a == 0 || (a >= 1e-6 && a < 1e21)) ? std::chars_format::fixed : std::chars_format::general;
  auto r = std::to_chars(buf, buf + sizeof buf, v, fmt);
  if (r.ec != std::errc()) return {};
  return std::string(buf, r.ptr);
}

void parse_biff(std::string_view wb, DocOutput& out, std::string_view prefix) {
  bool truncated = false;
  std::vector<Record> recs = records(wb, &truncated);
  if (recs.empty() || recs[0].type != kBof) {
    out.unscannable("excel: not a BIFF5/BIFF8 workbook stream");
    return;
  }
  bool biff8 = ole_u16(recs[0].data, 0) == 0x0600;
  int codepage = 1252;
  std::vector<std::string> sst;
  std::map<std::size_t, std::string> sheet_names;  // BOF offset → name
  std::vector<std::string> sheet_order;
  bool damaged = truncated;

  for (const auto& r : recs) {
    if (r.type == kFilePass) {
      out.unscannable("encrypted");
      return;
    }
  }

  SheetText sheet(out);
  int sheet_index = 0;
  bool in_globals = true;
  bool expect_string = false;
  int string_row = 0;
  std::string workbook_text;
  for (std::size_t i = 0; i < recs.size() && !out.stopped(); ++i) {
    const Record& r = recs[i];
    std::string_view d = r.data;
    switch (r.type) {
      case kBof: {
        std::uint16_t dt = ole_u16(d, 2);
        if (i == 0) break;
        in_globals = false;
        ++sheet_index;
        auto it = sheet_names.find(r.offset);
        std::string nm = it != sheet_names.end()
                             ? it->second
                             : (static_cast<std::size_t>(sheet_index) <= sheet_order.size()
                                    ? sheet_order[static_cast<std::size_t>(sheet_index - 1)]
                                    : "sheet " + std::to_string(sheet_index));
        sheet.start(std::string(prefix) + (dt == 0x0020 ? "chart: " : "sheet: ") + nm);
        break;
      }
      case kCodePage:
        codepage = ole_u16(d, 0);
        if (codepage == 1200) codepage = 1252;  // BIFF8 strings carry their own encoding
        break;
      case kBoundSheet: {
        std::string nm;
        if (biff8) {
          Cursor c({d.substr(std::min<std::size_t>(6, d.size()))});
          if (!read_unicode_string(c, false, nm)) damaged = true;
        } else {
          nm = biff5_string(d, 7, static_cast<unsigned char>(d.size() > 6 ? d[6] : 0), codepage);
        }
        sheet_names[ole_u32(d, 0)] = nm;
        sheet_order.push_back(nm);
        workbook_text.append(nm).append("\n");
        break;
      }
      case kSst: {
        std::vector<std::string_view> segs{d.substr(std::min<std::size_t>(8, d.size()))};
        for (std::size_t k = i + 1; k < recs.size() && recs[k].type == kContinue; ++k) {
          segs.push_back(recs[k].data);
        }
        std::uint32_t unique = ole_u32(d, 4);
        Cursor c(std::move(segs));
        sst.reserve(std::min<std::size_t>(unique, wb.size() / 3));
        for (std::uint32_t k = 0; k < unique; ++k) {
          std::string s;
          if (!read_unicode_string(c, true, s)) {
            damaged = true;
            break;
          }
          sst.push_back(std::move(s));
        }
        break;
      }
      case kLabelSst: {
        std::uint32_t idx = ole_u32(d, 6);
        if (idx < sst.size()) sheet.cell(ole_u16(d, 0), sst[idx]);
        break;
      }
      case kLabel:
      case kRString: {
        std::string s;
        if (biff8) {
          Cursor c({d.substr(std::min<std::size_t>(6, d.size()))});
          if (!read_unicode_string(c, true, s)) damaged = true;
        } else {
          s = biff5_string(d, 8, ole_u16(d, 6), codepage);
        }
        sheet.cell(ole_u16(d, 0), s);
        break;
      }
      case kNumber:
        if (d.size() >= 14) sheet.cell(ole_u16(d, 0), format_number(f64(d, 6)));
        break;
      case kRk:
        if (d.size() >= 10) sheet.cell(ole_u16(d, 0), format_number(rk_value(ole_u32(d, 6))));
        break;
      case kMulRk:
        for (std::size_t off = 4; off + 6 <= d.size() - std::min<std::size_t>(2, d.size());
             off += 6) {
          sheet.cell(ole_u16(d, 0), format_number(rk_value(ole_u32(d, off + 2))));
        }
        break;
      case kFormula:
        if (d.size() >= 14) {
          if (ole_u16(d, 12) != 0xFFFF) {
            sheet.cell(ole_u16(d, 0), format_number(f64(d, 6)));
          } else if (d[6] == 0) {
            expect_string = true;
            string_row = ole_u16(d, 0);
          }
        }
        break;
      case kString:
        if (expect_string) {
          std::string s;
          if (biff8) {
            Cursor c({d});
            read_unicode_string(c, true, s);
          } else {
            s = biff5_string(d, 2, ole_u16(d, 0), codepage);
          }
          sheet.cell(string_row, s);
          expect_string = false;
        }
        break;
      case kHeader:
      case kFooter:
        if (biff8 && !d.empty()) {
          std::string s;
          Cursor c({d});
          if (read_unicode_string(c, true, s)) sheet.line(s);
        }
        break;
      case kTxo: {
        // Comment / text box: the characters follow in the next CONTINUE record(s).
        std::uint16_t cch = ole_u16(d, 10);
        if (biff8 && cch > 0 && i + 1 < recs.size() && recs[i + 1].type == kContinue &&
            !recs[i + 1].data.empty()) {
          std::vector<std::string_view> segs{recs[i + 1].data.substr(1)};
          bool high = (recs[i + 1].data[0] & 0x01) != 0;
          for (std::size_t k = i + 2; k < recs.size() && recs[k].type == kContinue; ++k) {
            segs.push_back(recs[k].data);
          }
          Cursor c(std::move(segs));
          std::string s;
          c.chars(cch, high, s);
          sheet.line(s);
        }
        break;
      }
      case kEof:
        if (in_globals && !workbook_text.empty()) {
          out.begin_part(std::string(prefix) + "sheet names");
          out.text(workbook_text);
          out.end_part();
        }
        break;
      default:
        break;
    }
    // A STRING record follows its FORMULA directly (only SHRFMLA/ARRAY/TABLE may sit between).
    if (r.type != kFormula && r.type != kString && r.type != 0x04BC && r.type != 0x0221 &&
        r.type != 0x0236) {
      expect_string = false;
    }
  }
  sheet.finish();
  if (damaged) out.partial("excel: damaged records");
}

}  // namespace vakt::extract

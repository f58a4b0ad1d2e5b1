// Word 97-2003 (.doc) text from the piece table (MS-DOC 2.4.1), Word 6/95 from its 8-bit text.
//
// The CLX in the table stream lists pieces: character positions and where their characters sit in
// the WordDocument stream, either 8-bit (cp1252, "compressed") or UTF-16LE. Field codes (between
// 0x13 and 0x14) are skipped, field results kept; paragraph/cell/page marks become separators.
#include <string>

#include "extract/mime_charset.h"
#include "extract/ole2_formats.h"

namespace vakt::extract {
namespace {

constexpr std::uint16_t kWordIdent = 0xA5EC;   // Word 97 and later
constexpr std::uint16_t kWord6Ident = 0xA5DC;  // Word 6.0 / 95
constexpr std::size_t kFcClx = 0x01A2;
constexpr std::size_t kFlush = 64 * 1024;

class WordText {
 public:
  WordText(DocOutput& out, std::string part) : out_(out), part_(std::move(part)) {}
  ~WordText() { finish(); }

  void put(char32_t c) {
    switch (c) {
      case 0x13:
        if (fields_.size() < 64) fields_.push_back(true);
        return;
      case 0x14:
        if (!fields_.empty()) fields_.back() = false;
        return;
      case 0x15:
        if (!fields_.empty()) fields_.pop_back();
        return;
      default:
        break;
    }
    for (bool in_code : fields_) {
      if (in_code) return;
    }
    switch (c) {
      case 0x0D:
      case 0x0B:
      case 0x0C:
      case 0x0E:
        buf_.push_back('\n');
        break;
      case 0x07:
      case 0x09:
        buf_.push_back('\t');
        break;
      case 0x1E:
        buf_.push_back('-');
        break;
      case 0xA0:
        buf_.push_back(' ');
        break;
      default:
        if (c < 0x20) return;  // object anchors, footnote marks, optional hyphens
        append_code_point(buf_, c);
    }
    if (buf_.size() >= kFlush) flush();
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
    flush();
    if (open_) out_.end_part();
    open_ = false;
  }
  bool any() const { return open_ || !buf_.empty(); }

 private:
  DocOutput& out_;
  std::string part_;
  std::string buf_;
  std::vector<bool> fields_;
  bool open_ = false;
};

// Word 6/95 keeps 8-bit text in the ANSI code page of the document language (FIB lid).
int word6_codepage(std::uint16_t lid) {
  switch (lid & 0x3FF) {
    case 0x02:
    case 0x19:
    case 0x22:
    case 0x23:
    case 0x2F:
      return 1251;
    case 0x05:
    case 0x0E:
    case 0x15:
    case 0x18:
    case 0x1A:
    case 0x1B:
    case 0x1C:
    case 0x24:
      return 1250;
    case 0x08:
      return 1253;
    case 0x1F:
      return 1254;
    case 0x0D:
      return 1255;
    case 0x01:
      return 1256;
    case 0x25:
    case 0x26:
    case 0x27:
      return 1257;
    case 0x1E:
      return 874;
    case 0x11:
      return 932;
    case 0x12:
      return 949;
    case 0x04:
      return (lid == 0x0404 || lid == 0x0C04) ? 950 : 936;
    default:
      return 1252;
  }
}

// Feeds 8-bit text in a code page to `text`, one code point at a time.
void put_codepage(std::string_view bytes, int codepage, WordText& text) {
  if (codepage == 1252) {
    for (char c : bytes) text.put(cp1252_char(static_cast<unsigned char>(c)));
    return;
  }
  std::string u = codepage_to_utf8(bytes, codepage);
  for (std::size_t i = 0; i < u.size();) {
    auto b = static_cast<unsigned char>(u[i]);
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < u.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(u[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    text.put(cp);
    i += static_cast<std::size_t>(n);
  }
}

// Word 6/95 (nFib 101-105) and Word 97 files without a usable CLX: fcMin..fcMac is 8-bit text.
bool read_flat_text(std::string_view word, int codepage, WordText& text) {
  std::uint32_t fc_min = ole_u32(word, 0x18);
  std::uint32_t fc_mac = ole_u32(word, 0x1C);
  if (fc_min >= fc_mac || fc_mac > word.size()) return false;
  put_codepage(word.substr(fc_min, fc_mac - fc_min), codepage, text);
  return true;
}

bool read_pieces(std::string_view word, std::string_view table, bool word6, int codepage,
                 WordText& text, DocOutput& out) {
  std::uint32_t fc_clx = ole_u32(word, kFcClx);
  std::uint32_t lcb_clx = ole_u32(word, kFcClx + 4);
  if (lcb_clx == 0 || fc_clx >= table.size() || lcb_clx > table.size() - fc_clx) return false;
  std::string_view clx = table.substr(fc_clx, lcb_clx);
  std::size_t pos = 0;
  while (pos < clx.size() && clx[pos] == 0x01) {  // Prc: grpprl we do not need
    pos += 3 + ole_u16(clx, pos + 1);
  }
  if (pos + 5 > clx.size() || clx[pos] != 0x02) return false;
  std::uint32_t lcb = ole_u32(clx, pos + 1);
  std::string_view plc = clx.substr(pos + 5);
  if (lcb < 4 || lcb > plc.size()) return false;
  std::size_t n = (lcb - 4) / 12;
  bool damaged = false;
  for (std::size_t i = 0; i < n && !out.stopped(); ++i) {
    std::uint32_t cp0 = ole_u32(plc, 4 * i);
    std::uint32_t cp1 = ole_u32(plc, 4 * (i + 1));
    if (cp1 <= cp0) continue;
    std::size_t count = cp1 - cp0;
    std::size_t pcd = 4 * (n + 1) + 8 * i;
    std::uint32_t fc = ole_u32(plc, pcd + 2);
    bool compressed = word6 || (fc & 0x40000000u) != 0;
    std::size_t off = word6 ? fc : (compressed ? (fc & 0x3FFFFFFFu) / 2 : fc);
    std::size_t bytes = compressed ? count : 2 * count;
    if (off > word.size() || bytes > word.size() - off) {
      damaged = true;
      continue;
    }
    std::string_view piece = word.substr(off, bytes);
    if (compressed) {
      put_codepage(piece, word6 ? codepage : 1252, text);
    } else {
      for (std::size_t k = 0; k + 1 < piece.size(); k += 2) {
        char32_t u = static_cast<unsigned char>(piece[k]) |
                     (static_cast<char32_t>(static_cast<unsigned char>(piece[k + 1])) << 8);
        if (u >= 0xD800 && u <= 0xDBFF && k + 3 < piece.size()) {
          char32_t lo = static_cast<unsigned char>(piece[k + 2]) |
                        (static_cast<char32_t>(static_cast<unsigned char>(piece[k + 3])) << 8);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            text.put(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
            k += 2;
            continue;
          }
        }
        text.put(u);
      }
    }
  }
  if (damaged) out.partial("word: damaged piece table");
  return true;
}

}  // namespace

bool word_is_encrypted(std::string_view word_stream) {
  std::uint16_t ident = ole_u16(word_stream, 0);
  return (ident == kWordIdent || ident == kWord6Ident) &&
         (ole_u16(word_stream, 0x0A) & 0x0100) != 0;
}

void parse_word(std::string_view word, std::string_view table0, std::string_view table1,
                DocOutput& out, std::string_view prefix, int codepage_hint) {
  std::uint16_t ident = ole_u16(word, 0);
  if (word.size() < 0x20 || (ident != kWordIdent && ident != kWord6Ident)) {
    std::string s;
    append_strings(word, s);
    if (!s.empty()) {
      out.begin_part(std::string(prefix) + "text");
      out.text(s);
      out.end_part();
    }
    out.partial("word: unrecognised WordDocument stream, strings only");
    return;
  }
  if (word_is_encrypted(word)) {
    out.unscannable("encrypted");
    return;
  }
  std::uint16_t nfib = ole_u16(word, 2);
  std::uint16_t flags = ole_u16(word, 0x0A);
  bool word6 = ident == kWord6Ident || nfib < 106;
  WordText text(out, std::string(prefix) + "document");
  bool ok = false;
  if (word6) {
    // Word 6/95: complex (fast-saved) files keep their CLX in the WordDocument stream.
    int codepage = word6_codepage(ole_u16(word, 6));
    if (codepage == 1252 && codepage_hint > 0 && codepage_hint != 1200) codepage = codepage_hint;
    ok = ((flags & 0x0004) != 0 && read_pieces(word, word, true, codepage, text, out)) ||
         read_flat_text(word, codepage, text);
  } else {
    std::string_view table = (flags & 0x0200) != 0 ? table1 : table0;
    ok = read_pieces(word, table, false, 1252, text, out);
  }
  text.finish();
  if (!ok) {
    std::string s;
    append_strings(word, s);
    if (!s.empty()) {
      out.begin_part(std::string(prefix) + "text");
      out.text(s);
      out.end_part();
    }
    out.partial("word: no readable piece table, strings only");
  }
}

}  // namespace vakt::extract

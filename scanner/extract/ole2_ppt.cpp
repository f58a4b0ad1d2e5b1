// PowerPoint 97-2003 (.ppt): text atoms of the "PowerPoint Document" stream (MS-PPT).
//
// Records share one 8-byte header (version/instance, type, length); version 0xF marks a
// container. A flat walk that steps into containers and over atoms reaches every TextCharsAtom
// (UTF-16LE) and TextBytesAtom (8-bit) — slides, notes, masters and OfficeArt text boxes alike —
// and every CString atom (UTF-16LE): comments, hyperlink targets, slide names.
// Encryption shows as the CurrentUserAtom's header token or a CryptSession10Container. Embedded
// OLE objects (ExOleObjStg, zlib-compressed) become children.
#include <zlib.h>

#include <string>

#include "extract/mime_charset.h"
#include "extract/ole2_formats.h"

namespace vakt::extract {
namespace {

constexpr std::uint32_t kEncryptedToken = 0xF3D1C4DF;
constexpr std::uint16_t kTextChars = 0x0FA0;
constexpr std::uint16_t kTextBytes = 0x0FA8;
// CString: comments (author, text, initials), hyperlinks (name, target, location), slide names.
constexpr std::uint16_t kCString = 0x0FBA;
constexpr std::uint16_t kCryptSession = 0x2F14;
constexpr std::uint16_t kExOleObjStg = 0x1011;
constexpr std::size_t kFlush = 64 * 1024;
constexpr std::uint64_t kMaxEmbedded = 256ull << 20;

std::string inflate_bytes(std::string_view in, std::uint64_t expected) {
  std::string out;
  if (expected == 0 || expected > kMaxEmbedded) return out;
  out.resize(static_cast<std::size_t>(expected));
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END && rc != Z_OK && rc != Z_BUF_ERROR) return {};
  return out;
}

}  // namespace

void parse_ppt(std::string_view doc, std::string_view current_user, DocOutput& out,
               std::string_view prefix) {
  if (current_user.size() >= 16 && ole_u32(current_user, 12) == kEncryptedToken) {
    out.unscannable("encrypted");
    return;
  }
  std::string buf;
  bool open = false;
  auto flush = [&]() {
    if (buf.empty()) return;
    if (!open) {
      out.begin_part(std::string(prefix) + "slides");
      open = true;
    }
    out.text(buf);
    buf.clear();
  };
  std::size_t pos = 0;
  bool damaged = false;
  int embedded = 0;
  while (pos + 8 <= doc.size() && !out.stopped()) {
    std::uint16_t ver_inst = ole_u16(doc, pos);
    std::uint16_t type = ole_u16(doc, pos + 2);
    std::uint32_t len = ole_u32(doc, pos + 4);
    if (type == kCryptSession) {
      flush();
      if (open) out.end_part();
      out.unscannable("encrypted");
      return;
    }
    if ((ver_inst & 0x0F) == 0x0F) {  // container: step inside
      pos += 8;
      continue;
    }
    if (len > doc.size() - pos - 8) {
      damaged = true;
      break;
    }
    std::string_view body = doc.substr(pos + 8, len);
    if (type == kTextChars || type == kCString) {
      std::string s = utf16le_to_utf8(body);
      for (char& c : s) {
        if (c == '\r' || c == '\x0B') c = '\n';
      }
      buf.append(s).push_back('\n');
    } else if (type == kTextBytes) {
      std::string s = latin1_to_utf8(body);
      for (char& c : s) {
        if (c == '\r' || c == '\x0B') c = '\n';
      }
      buf.append(s).push_back('\n');
    } else if (type == kExOleObjStg) {
      flush();
      if (open) out.end_part();
      open = false;
      ++embedded;
      std::string name = std::string(prefix) + "embedded object " + std::to_string(embedded);
      if ((ver_inst >> 4) == 1 && body.size() > 4) {
        std::string data = inflate_bytes(body.substr(4), ole_u32(body, 0));
        if (!data.empty())
          out.child(data, name);
        else
          damaged = true;
      } else {
        out.child(body, name);
      }
    }
    if (buf.size() >= kFlush) flush();
    pos += 8 + len;
  }
  flush();
  if (open) out.end_part();
  if (damaged) out.partial("powerpoint: damaged records");
}

}  // namespace vakt::extract

// Outlook .msg (MS-OXMSG): property streams "__substg1.0_PPPPTTTT" of the root, recipient and
// attachment storages. Text: subject, sender, To/Cc/Bcc, recipients, body (plain; else HTML
// stripped; else the compressed RTF body). Attachments: binary data (0x3701) → child named by
// 0x3707/0x3704/0x3001; embedded messages and OLE objects (0x3701 as a storage) → read in place.
#include <cstdio>
#include <string>

#include "extract/mime_charset.h"
#include "extract/mime_html.h"
#include "extract/ole2_formats.h"
#include "extract/rtf_parser.h"

namespace vakt::extract {
namespace {

constexpr std::uint64_t kMaxProperty = 256ull << 20;

struct Props {
  const Ole2Reader& reader;
  const Ole2Node& storage;
  int codepage = 0;  // of 8-bit string properties; 0 = unknown (UTF-8, else Windows-1252)

  const Ole2Node* node(std::uint16_t id, std::uint16_t type) const {
    char nm[32];
    std::snprintf(nm, sizeof nm, "__substg1.0_%04X%04X", id, type);
    return storage.find(nm);
  }
  // A string property in either encoding; empty if absent.
  std::string str(std::uint16_t id) const {
    if (const Ole2Node* n = node(id, 0x001F)) return utf16le_to_utf8(reader.read(*n, kMaxProperty));
    if (const Ole2Node* n = node(id, 0x001E)) {
      std::string s = reader.read(*n, kMaxProperty);
      while (!s.empty() && s.back() == '\0') s.pop_back();
      return codepage > 0 ? codepage_to_utf8(s, codepage) : sanitize_utf8(s);
    }
    return {};
  }
  std::string binary(std::uint16_t id) const {
    if (const Ole2Node* n = node(id, 0x0102)) return reader.read(*n, kMaxProperty);
    return {};
  }
};

std::string trim_nul(std::string s) {
  while (!s.empty() &&
         (s.back() == '\0' || s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

void add_line(std::string& text, std::string_view label, const std::string& value) {
  std::string v = trim_nul(value);
  if (v.empty()) return;
  text.append(label).append(": ").append(v).append("\n");
}

void emit(DocOutput& out, const std::string& part, std::string_view text) {
  if (text.empty()) return;
  out.begin_part(part);
  out.text(text);
  out.end_part();
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Fixed-size properties of the message ("__properties_version1.0": a 32-byte header, then 16-byte
// entries of tag, flags, value): the code pages that 8-bit strings and HTML bodies are in.
struct CodePages {
  int strings = 0;
  int html = 0;
};

CodePages message_codepages(const Ole2Reader& reader, const Ole2Node& storage, bool top_level) {
  CodePages cp;
  const Ole2Node* n = storage.find_stream("__properties_version1.0");
  if (n == nullptr) return cp;
  std::string s = reader.read(*n, 1u << 20);
  int message_cp = 0, internet_cp = 0, locale = 0;
  for (std::size_t off = top_level ? 32 : 24; off + 16 <= s.size(); off += 16) {
    std::uint32_t tag = ole_u32(s, off);
    auto value = static_cast<int>(ole_u32(s, off + 8));
    if (tag == 0x3FFD0003) message_cp = value;   // PR_MESSAGE_CODEPAGE
    if (tag == 0x3FDE0003) internet_cp = value;  // PR_INTERNET_CPID
    if (tag == 0x3FF10003) locale = value;       // PR_MESSAGE_LOCALE_ID
  }
  cp.strings = message_cp > 0
                   ? message_cp
                   : (locale > 0 ? lcid_codepage(static_cast<std::uint32_t>(locale)) : internet_cp);
  cp.html = internet_cp > 0 ? internet_cp : cp.strings;
  return cp;
}

}  // namespace

std::string decompress_rtf(std::string_view in, std::uint64_t max_bytes) {
  static constexpr std::string_view kPrebuf =
      "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
      "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
      "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
  if (in.size() < 16) return {};
  std::uint32_t raw_size = ole_u32(in, 4);
  std::uint32_t type = ole_u32(in, 8);
  std::string_view data = in.substr(16);
  if (type == 0x414C454D) {  // "MELA": stored uncompressed
    return std::string(data.substr(0, std::min<std::size_t>(raw_size, data.size())));
  }
  if (type != 0x75465A4C) return {};  // "LZFu"
  std::uint64_t limit = std::min<std::uint64_t>(max_bytes, raw_size);
  char dict[4096] = {};
  for (std::size_t i = 0; i < kPrebuf.size(); ++i) dict[i] = kPrebuf[i];
  std::size_t wp = kPrebuf.size();
  std::string out;
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(limit, 16u << 20)));
  std::size_t pos = 0;
  while (pos < data.size() && out.size() < limit) {
    auto control = static_cast<unsigned char>(data[pos++]);
    for (int bit = 0; bit < 8 && out.size() < limit; ++bit) {
      if ((control & (1u << bit)) == 0) {
        if (pos >= data.size()) return out;
        char c = data[pos++];
        out.push_back(c);
        dict[wp] = c;
        wp = (wp + 1) % 4096;
      } else {
        if (pos + 2 > data.size()) return out;
        unsigned v = (static_cast<unsigned char>(data[pos]) << 8) |
                     static_cast<unsigned char>(data[pos + 1]);
        pos += 2;
        std::size_t offset = v >> 4;
        std::size_t len = (v & 0x0F) + 2;
        if (offset == wp) return out;
        for (std::size_t k = 0; k < len && out.size() < limit; ++k) {
          char c = dict[(offset + k) % 4096];
          out.push_back(c);
          dict[wp] = c;
          wp = (wp + 1) % 4096;
        }
      }
    }
  }
  return out;
}

void parse_msg(const Ole2Reader& reader, const Ole2Node& storage, DocOutput& out,
               std::string_view prefix, int depth) {
  CodePages cps = message_codepages(reader, storage, depth == 0);
  Props p{reader, storage, cps.strings};
  std::string head;
  add_line(head, "Subject", p.str(0x0037));
  std::string from = trim_nul(p.str(0x0C1A));
  std::string from_addr = trim_nul(p.str(0x5D01));
  if (from_addr.empty()) from_addr = trim_nul(p.str(0x0C1F));
  if (!from_addr.empty() && from_addr != from)
    from += (from.empty() ? "" : " ") + ("<" + from_addr + ">");
  add_line(head, "From", from);
  add_line(head, "To", p.str(0x0E04));
  add_line(head, "Cc", p.str(0x0E03));
  add_line(head, "Bcc", p.str(0x0E02));
  add_line(head, "Conversation", p.str(0x0070));
  // Recipients carry names and addresses the display lines above may lack.
  for (const auto& c : storage.children) {
    if (!c.storage || !starts_with(c.name, "__recip_version1.0_")) continue;
    Props r{reader, c, cps.strings};
    std::string who = trim_nul(r.str(0x3001));
    std::string addr = trim_nul(r.str(0x39FE));
    if (addr.empty()) addr = trim_nul(r.str(0x3003));
    if (!addr.empty() && addr != who) who += (who.empty() ? "" : " ") + ("<" + addr + ">");
    add_line(head, "Recipient", who);
  }
  emit(out, std::string(prefix) + "headers", head);

  std::string body = trim_nul(p.str(0x1000));
  if (!body.empty()) {
    emit(out, std::string(prefix) + "body", body);
  } else {
    Props hp{reader, storage, cps.html};
    std::string html = hp.str(0x1013);
    if (html.empty()) {
      std::string raw = p.binary(0x1013);
      html = cps.html > 0 ? codepage_to_utf8(raw, cps.html) : sanitize_utf8(raw);
    }
    if (!trim_nul(html).empty()) {
      emit(out, std::string(prefix) + "body", html_to_text(html));
    } else {
      std::string rtf = p.binary(0x1009);
      if (!rtf.empty()) {
        std::string raw = decompress_rtf(rtf, kMaxProperty);
        if (raw.empty())
          out.partial("msg: unreadable compressed RTF body");
        else
          parse_rtf(raw, out, std::string(prefix) + "body");
      }
    }
  }

  int n = 0;
  for (const auto& c : storage.children) {
    if (out.stopped()) return;
    if (!c.storage || !starts_with(c.name, "__attach_version1.0_")) continue;
    ++n;
    Props a{reader, c, cps.strings};
    std::string name = trim_nul(a.str(0x3707));
    if (name.empty()) name = trim_nul(a.str(0x3704));
    if (name.empty()) name = trim_nul(a.str(0x3001));
    if (name.empty()) name = "attachment " + std::to_string(n);
    if (const Ole2Node* data = a.node(0x3701, 0x0102)) {
      bool cut = false;
      std::string bytes = reader.read(*data, kMaxProperty, &cut);
      if (cut) out.partial("msg: attachment too large: " + name);
      out.child(bytes, name);
    } else if (const Ole2Node* obj = a.node(0x3701, 0x000D); obj != nullptr && obj->storage) {
      parse_ole2_storage(reader, *obj, out, std::string(prefix) + name + "/", depth + 1);
    }
  }
}

}  // namespace vakt::extract

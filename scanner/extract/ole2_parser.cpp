// parse_ole2: what an OLE2 compound file holds and which reader gets it (see ole2_formats.h).
//
// Order of checks for a storage: encrypted OOXML (EncryptionInfo + EncryptedPackage) and IRM/DRM
// (DataSpaces with a DRM transform) → unscannable "encrypted"; Word, Excel, PowerPoint, Outlook;
// embedded packages (Package, Ole10Native, CONTENTS) → children; anything else → printable
// strings of its streams, partial. Embedded storages (ObjectPool/*, MBD*) are read in place.
#include <map>
#include <string>

#include "extract/mime_charset.h"
#include "extract/ole2_formats.h"

namespace vakt::extract {
namespace {

constexpr std::uint64_t kMaxStream = 512ull << 20;
constexpr std::uint64_t kMaxStringsStream = 16ull << 20;
constexpr int kMaxNesting = 8;

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string read_stream(const Ole2Reader& r, const Ole2Node* n, DocOutput& out) {
  if (n == nullptr) return {};
  bool cut = false;
  std::string s = r.read(*n, kMaxStream, &cut);
  if (cut) out.partial("ole2: stream too large or unreadable: " + n->name);
  return s;
}

void emit(DocOutput& out, const std::string& part, std::string_view text) {
  if (text.empty()) return;
  out.begin_part(part);
  out.text(text);
  out.end_part();
}

// Word's embedded objects live in ObjectPool/_NNNNNNNNNN; Excel's in MBDxxxxxxxx.
bool is_object_storage_name(std::string_view n) {
  if (n.size() < 2 || n[0] != '_') return false;
  for (char c : n.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// VBA projects: source is compressed and not document text; skipped.
bool is_macro_storage(std::string_view n) {
  return starts_with(n, "_VBA_PROJECT") || ascii_iequals(n, "Macros") || ascii_iequals(n, "VBA");
}

bool is_drm_protected(const Ole2Node& storage) {
  if (storage.find_stream("\tDRMContent") != nullptr) return true;
  const Ole2Node* ds = storage.find_storage(
      "\x06"
      "DataSpaces");
  if (ds == nullptr) return false;
  const Ole2Node* ti = ds->find_storage("TransformInfo");
  if (ti == nullptr) return false;
  for (const auto& t : ti->children) {
    if (t.name.find("DRM") != std::string::npos || t.name.find("Encrypt") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// \x01Ole10Native: an OLE1 "Package" — label, path, then the file's own bytes.
void ole10_native(std::string_view s, DocOutput& out, const std::string& prefix) {
  std::size_t pos = 6;
  auto cstr = [&]() {
    std::size_t end = s.find('\0', pos);
    if (end == std::string_view::npos) return std::string();
    std::string v(s.substr(pos, end - pos));
    pos = end + 1;
    return v;
  };
  std::string label = cstr();
  std::string path = cstr();
  pos += 4;
  std::uint32_t tmp = ole_u32(s, pos);
  pos += 4;
  if (pos <= s.size() && tmp <= s.size() - pos) {
    pos += tmp;
    std::uint32_t size = ole_u32(s, pos);
    pos += 4;
    if (pos <= s.size() && size <= s.size() - pos && !label.empty()) {
      out.child(s.substr(pos, size), prefix + sanitize_utf8(label));
      return;
    }
  }
  if (s.size() > 4) out.child(s.substr(4), prefix + "Ole10Native");
}

}  // namespace

std::uint16_t ole_u16(std::string_view b, std::size_t off) {
  if (off > b.size() || b.size() - off < 2) return 0;
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[off]) |
                                    (static_cast<unsigned char>(b[off + 1]) << 8));
}
std::uint32_t ole_u32(std::string_view b, std::size_t off) {
  if (off > b.size() || b.size() - off < 4) return 0;
  return static_cast<std::uint32_t>(ole_u16(b, off)) |
         (static_cast<std::uint32_t>(ole_u16(b, off + 2)) << 16);
}

int lcid_codepage(std::uint32_t lid) {
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

void append_strings(std::string_view bytes, std::string& text) {
  auto printable = [](unsigned c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c >= 0xA0; };
  // 8-bit runs (read as cp1252).
  std::string run;
  auto end_run = [&](std::string& r) {
    if (r.size() >= 4) text.append(cp1252_to_utf8(r)).push_back('\n');
    r.clear();
  };
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (printable(c))
      run.push_back(ch);
    else
      end_run(run);
  }
  end_run(run);
  // UTF-16LE runs at both alignments.
  for (std::size_t start = 0; start < 2; ++start) {
    std::string r16;
    std::size_t chars = 0;
    for (std::size_t i = start; i + 1 < bytes.size(); i += 2) {
      unsigned u =
          static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
      if (u >= 0x100 && u < 0xD800 && u != 0xFFFF) {  // non-Latin letters count as text too
        append_code_point(r16, u);
        ++chars;
      } else if (u < 0x100 && printable(u) && bytes[i + 1] == 0) {
        append_code_point(r16, u);
        ++chars;
      } else {
        if (chars >= 4) text.append(r16).push_back('\n');
        r16.clear();
        chars = 0;
      }
    }
    if (chars >= 4) text.append(r16).push_back('\n');
  }
}

int property_set_codepage(std::string_view s) {
  if (ole_u16(s, 0) != 0xFFFE || ole_u32(s, 24) == 0) return 0;
  std::size_t sec = ole_u32(s, 44);
  if (sec >= s.size()) return 0;
  std::string_view section = s.substr(sec);
  std::uint32_t count = ole_u32(section, 4);
  for (std::uint32_t i = 0; i < count && i < 256; ++i) {
    if (ole_u32(section, 8 + 8 * i) == 1) return ole_u16(section, ole_u32(section, 12 + 8 * i) + 4);
  }
  return 0;
}

// A property set dictionary (MS-OLEPS 2.17): count, then per entry the property id, the name's
// length in characters (with its NUL) and the name — UTF-16 and 4-byte aligned under code page
// 1200, else bytes in the set's code page.
std::map<std::uint32_t, std::string> property_names(std::string_view section, std::size_t off,
                                                    int codepage) {
  std::map<std::uint32_t, std::string> names;
  if (off + 4 > section.size()) return names;
  const std::uint32_t entries = ole_u32(section, off);
  std::size_t at = off + 4;
  for (std::uint32_t e = 0; e < entries && e < 256 && at + 8 <= section.size(); ++e) {
    const std::uint32_t pid = ole_u32(section, at);
    const std::uint32_t chars = ole_u32(section, at + 4);
    at += 8;
    const std::size_t bytes = codepage == 1200 ? 2ull * chars : chars;
    if (chars == 0 || bytes > section.size() - at) break;
    std::string name = codepage == 1200 ? utf16le_to_utf8(section.substr(at, bytes))
                                        : codepage_to_utf8(section.substr(at, bytes), codepage);
    while (!name.empty() && name.back() == '\0') name.pop_back();
    names[pid] = std::move(name);
    at += bytes;
    if (codepage == 1200) at = (at + 3) & ~std::size_t{3};
  }
  return names;
}

void append_property_set(std::string_view s, bool document_summary, std::string& text) {
  if (ole_u16(s, 0) != 0xFFFE) return;
  std::uint32_t sections = ole_u32(s, 24);
  for (std::uint32_t k = 0; k < sections && k < 4; ++k) {
    std::size_t sec = ole_u32(s, 28 + 20 * k + 16);
    if (sec >= s.size()) continue;
    std::string_view section = s.substr(sec);
    std::uint32_t count = ole_u32(section, 4);
    int codepage = 1252;
    for (std::uint32_t i = 0; i < count && i < 256; ++i) {
      if (ole_u32(section, 8 + 8 * i) == 1)
        codepage = static_cast<std::int16_t>(ole_u16(section, ole_u32(section, 12 + 8 * i) + 4));
    }
    if (codepage < 0) codepage += 65536;
    // The user-defined section (custom properties, "Patient: 19…") names its properties in a
    // dictionary, property 0.
    const bool custom = document_summary && k > 0;
    std::map<std::uint32_t, std::string> names;
    if (custom) {
      for (std::uint32_t i = 0; i < count && i < 256; ++i) {
        if (ole_u32(section, 8 + 8 * i) == 0) {
          names = property_names(section, ole_u32(section, 12 + 8 * i), codepage);
        }
      }
    }
    for (std::uint32_t i = 0; i < count && i < 256; ++i) {
      std::uint32_t pid = ole_u32(section, 8 + 8 * i);
      std::size_t off = ole_u32(section, 12 + 8 * i);
      const char* label = nullptr;
      std::string custom_label;
      if (custom && pid >= 2 && pid < 0x80000000u) {
        auto it = names.find(pid);
        custom_label = it != names.end() && !it->second.empty() ? it->second : "Custom property";
        label = custom_label.c_str();
      }
      if (!document_summary) {
        switch (pid) {
          case 2:
            label = document_summary ? nullptr : "Title";
            break;
          case 3:
            label = document_summary ? nullptr : "Subject";
            break;
          case 4:
            label = document_summary ? nullptr : "Author";
            break;
          case 5:
            label = document_summary ? nullptr : "Keywords";
            break;
          case 6:
            label = document_summary ? nullptr : "Comments";
            break;
          case 8:
            label = document_summary ? nullptr : "Last author";
            break;
          default:
            break;
        }
      }
      if (document_summary && k == 0) {
        if (pid == 0x02) label = "Category";
        if (pid == 0x0E) label = "Manager";
        if (pid == 0x0F) label = "Company";
      }
      if (label == nullptr || off + 8 > section.size()) continue;
      std::uint16_t type = ole_u16(section, off);
      std::uint32_t n = ole_u32(section, off + 4);
      std::string value;
      if (type == 0x1E && n <= section.size() - off - 8) {
        value = codepage_to_utf8(section.substr(off + 8, n), codepage);
      } else if (type == 0x1F && n <= (section.size() - off - 8) / 2) {
        value = utf16le_to_utf8(section.substr(off + 8, 2ull * n));
      }
      while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.pop_back();
      if (!value.empty()) text.append(label).append(": ").append(value).append("\n");
    }
  }
}

void parse_ole2_storage(const Ole2Reader& r, const Ole2Node& st, DocOutput& out,
                        std::string_view prefix_view, int depth) {
  std::string prefix(prefix_view);
  if (depth > kMaxNesting) {
    out.partial("ole2: embedded objects nested too deep");
    return;
  }
  if (st.find_stream("EncryptionInfo") != nullptr &&
      st.find_stream("EncryptedPackage") != nullptr) {
    out.unscannable("encrypted");
    return;
  }
  if (is_drm_protected(st)) {
    out.unscannable("encrypted (IRM/DRM)");
    return;
  }

  std::string props;
  int codepage_hint = 0;
  if (const Ole2Node* n = st.find_stream("\x05SummaryInformation")) {
    std::string si = r.read(*n, 1u << 20);
    append_property_set(si, false, props);
    codepage_hint = property_set_codepage(si);
  }
  if (const Ole2Node* n = st.find_stream("\x05"
                                         "DocumentSummaryInformation")) {
    append_property_set(r.read(*n, 1u << 20), true, props);
  }

  bool has_msg_props = false;
  for (const auto& c : st.children) {
    if (starts_with(c.name, "__substg1.0_")) has_msg_props = true;
  }

  if (const Ole2Node* word = st.find_stream("WordDocument")) {
    std::string w = read_stream(r, word, out);
    if (word_is_encrypted(w)) {
      out.unscannable("encrypted");
      return;
    }
    emit(out, prefix + "properties", props);
    parse_word(w, read_stream(r, st.find_stream("0Table"), out),
               read_stream(r, st.find_stream("1Table"), out), out, prefix, codepage_hint);
  } else if (const Ole2Node* wb =
                 st.find_stream("Workbook") ? st.find_stream("Workbook") : st.find_stream("Book")) {
    std::string w = read_stream(r, wb, out);
    emit(out, prefix + "properties", props);
    parse_biff(w, out, prefix);
  } else if (const Ole2Node* ppt = st.find_stream("PowerPoint Document")) {
    std::string cu = read_stream(r, st.find_stream("Current User"), out);
    emit(out, prefix + "properties", props);
    parse_ppt(read_stream(r, ppt, out), cu, out, prefix);
  } else if (has_msg_props) {
    parse_msg(r, st, out, prefix, depth);
  } else if (const Ole2Node* pkg = st.find_stream("Package")) {
    emit(out, prefix + "properties", props);
    out.child(read_stream(r, pkg, out), prefix + "Package");
  } else if (const Ole2Node* native = st.find_stream("\x01Ole10Native")) {
    ole10_native(read_stream(r, native, out), out, prefix);
  } else if (const Ole2Node* contents = st.find_stream("CONTENTS")) {
    out.child(read_stream(r, contents, out), prefix + "CONTENTS");
  } else {
    // Unknown: printable strings of its streams, and whatever its sub-storages hold.
    emit(out, prefix + "properties", props);
    std::string text;
    for (const auto& c : st.children) {
      if (c.storage || c.name.empty() || c.name[0] == '\x05' || c.name[0] == '\x01') continue;
      append_strings(r.read(c, kMaxStringsStream), text);
    }
    bool has_storages = false;
    for (const auto& c : st.children) has_storages = has_storages || c.storage;
    if (!text.empty()) {
      emit(out, prefix + "strings", text);
      out.partial("unknown OLE2 document: strings only");
    } else if (props.empty() && !has_storages) {
      out.unscannable("unsupported OLE2 document");
    }
    for (const auto& c : st.children) {
      if (out.stopped()) return;
      if (c.storage && !is_macro_storage(c.name)) {
        parse_ole2_storage(r, c, out, prefix + (c.name.empty() ? "object" : c.name) + "/",
                           depth + 1);
      }
    }
    return;
  }

  // Embedded objects: Word's ObjectPool/_NNN, Excel's MBDxxxxxxxx, and any other sub-storage of an
  // unknown container.
  for (const auto& c : st.children) {
    if (out.stopped()) return;
    if (!c.storage) continue;
    if (ascii_iequals(c.name, "ObjectPool")) {
      for (const auto& obj : c.children) {
        if (obj.storage)
          parse_ole2_storage(r, obj, out, prefix + "ObjectPool/" + obj.name + "/", depth + 1);
      }
    } else if (starts_with(c.name, "MBD") || is_object_storage_name(c.name)) {
      parse_ole2_storage(r, c, out, prefix + c.name + "/", depth + 1);
    }
  }
}

void parse_ole2(std::string_view bytes, std::string_view /*name*/, DocOutput& out) {
  std::unique_ptr<Ole2Reader> reader = Ole2Reader::open(bytes);
  if (!reader) {
    out.unscannable("corrupt ole2");
    return;
  }
  if (reader->tree_truncated()) out.partial("ole2: too many entries");
  parse_ole2_storage(*reader, reader->root(), out, "", 0);
}

}  // namespace vakt::extract

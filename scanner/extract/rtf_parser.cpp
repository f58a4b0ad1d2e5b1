// RTF text extraction; see rtf_parser.h.
#include "extract/rtf_parser.h"

#include <array>
#include <map>
#include <string>
#include <vector>

#include "extract/mime_charset.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kFlush = 64 * 1024;
constexpr std::size_t kMaxGroups = 512;
constexpr std::size_t kMaxObjData = 256u << 20;

struct GroupState {
  bool skip = false;
  bool star = false;  // the group began with \*
  bool first = true;  // no control word seen yet in this group
  bool objdata = false;
  bool fonttbl = false;
  bool field = false;  // an \info field or comment: ends with a line break
  int uc = 1;
  int codepage = 1252;
};

int charset_codepage(int charset, int fallback) {
  switch (charset) {
    case 0:
      return fallback;
    case 77:
      return 10000;
    case 128:
      return 932;
    case 129:
      return 949;
    case 134:
      return 936;
    case 136:
      return 950;
    case 161:
      return 1253;
    case 162:
      return 1254;
    case 163:
      return 1258;
    case 177:
      return 1255;
    case 178:
      return 1256;
    case 186:
      return 1257;
    case 204:
      return 1251;
    case 222:
      return 874;
    case 238:
      return 1250;
    default:
      return fallback;
  }
}

std::uint32_t le32(std::string_view b, std::size_t off) {
  if (off > b.size() || b.size() - off < 4) return 0;
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k)
    v = (v << 8) | static_cast<unsigned char>(b[off + static_cast<std::size_t>(k)]);
  return v;
}

bool is_skipped_destination(std::string_view w) {
  static constexpr std::array<std::string_view, 29> kSkip = {"fonttbl",
                                                             "colortbl",
                                                             "stylesheet",
                                                             "pict",
                                                             "listtable",
                                                             "listoverridetable",
                                                             "revtbl",
                                                             "rsidtbl",
                                                             "generator",
                                                             "themedata",
                                                             "colorschememapping",
                                                             "datastore",
                                                             "latentstyles",
                                                             "xmlnstbl",
                                                             "filetbl",
                                                             "pgdsctbl",
                                                             "bkmkstart",
                                                             "bkmkend",
                                                             "objclass",
                                                             "objname",
                                                             "panose",
                                                             "falt",
                                                             "nonshppict",
                                                             "shppict",
                                                             "blipuid",
                                                             "sp",
                                                             "wgrffmtfilter",
                                                             "mmathPr",
                                                             "xmlopen"};
  for (auto s : kSkip) {
    if (s == w) return true;
  }
  return false;
}

bool is_line_field(std::string_view w) {
  static constexpr std::array<std::string_view, 21> kFields = {
      "title",    "subject",   "author",   "operator",  "keywords",   "comment",    "doccomm",
      "company",  "manager",   "category", "atnauthor", "annotation", "footnote",   "hlinkbase",
      "propname", "staticval", "docvar",   "ffdeftext", "ffstattext", "ffhelptext", "ffl"};
  for (auto s : kFields) {
    if (s == w) return true;
  }
  return false;
}

// Read although marked ignorable: comments, shapes' text, objects, the document's own data —
// custom properties (userprops: propname/staticval) and document variables — and field codes
// (HYPERLINK "…" targets, form fields' default and help texts).
bool is_kept_star_destination(std::string_view w) {
  static constexpr std::array<std::string_view, 16> kKeep = {
      "annotation", "atnauthor",  "shpinst",    "shptxt", "ud",      "company",
      "objdata",    "comment",    "userprops",  "docvar", "fldinst", "formfield",
      "ffdeftext",  "ffstattext", "ffhelptext", "ffl"};
  for (auto s : kKeep) {
    if (s == w) return true;
  }
  return false;
}

class RtfParser {
 public:
  RtfParser(DocOutput& out, std::string part) : out_(out), part_(std::move(part)) {}

  void run(std::string_view s) {
    states_.push_back(GroupState{});
    std::size_t i = 0;
    while (i < s.size()) {
      if ((i & 0xFFFF) == 0 && out_.stopped()) break;
      char c = s[i];
      if (c == '{') {
        flush_bytes();
        uc_skip_ = 0;
        if (states_.size() < kMaxGroups) {
          GroupState g = states_.back();
          g.star = false;
          g.first = true;
          g.field = false;
          states_.push_back(g);
        } else {
          ++overflow_;
        }
        ++i;
      } else if (c == '}') {
        flush_bytes();
        uc_skip_ = 0;
        if (overflow_ > 0) {
          --overflow_;
        } else if (states_.size() > 1) {
          bool was_obj = states_.back().objdata;
          if (states_.back().field && !states_.back().skip) emit("\n");
          states_.pop_back();
          if (was_obj && !states_.back().objdata) finish_object();
        }
        ++i;
      } else if (c == '\\') {
        i = control(s, i + 1);
      } else if (c == '\r' || c == '\n') {
        ++i;
      } else {
        literal(static_cast<unsigned char>(c));
        ++i;
      }
    }
    flush_bytes();
    if (states_.back().objdata) finish_object();
    flush(true);
  }

 private:
  GroupState& st() { return states_.back(); }

  void literal(unsigned char b) {
    if (st().objdata) {
      hex_digit(b);
      return;
    }
    if (uc_skip_ > 0) {
      --uc_skip_;
      return;
    }
    if (st().skip) return;
    add_byte(b);
  }

  void add_byte(unsigned char b) {
    if (!pending_.empty() && pending_cp_ != st().codepage) flush_bytes();
    pending_cp_ = st().codepage;
    pending_.push_back(static_cast<char>(b));
  }

  void hex_digit(unsigned char b) {
    int v = -1;
    if (b >= '0' && b <= '9')
      v = b - '0';
    else if (b >= 'a' && b <= 'f')
      v = b - 'a' + 10;
    else if (b >= 'A' && b <= 'F')
      v = b - 'A' + 10;
    if (v < 0) return;
    if (nibble_ < 0) {
      nibble_ = v;
    } else {
      if (object_.size() < kMaxObjData) object_.push_back(static_cast<char>((nibble_ << 4) | v));
      nibble_ = -1;
    }
  }

  void flush_bytes() {
    if (pending_.empty()) return;
    std::string u = codepage_to_utf8(pending_, pending_cp_);
    pending_.clear();
    emit(u);
  }

  void emit(std::string_view u) {
    if (st().skip) return;
    buf_.append(u);
    if (buf_.size() >= kFlush) flush(false);
  }

  void flush(bool final) {
    if (!buf_.empty()) {
      if (!open_) {
        out_.begin_part(part_);
        open_ = true;
      }
      out_.text(buf_);
      buf_.clear();
    }
    if (final && open_) {
      out_.end_part();
      open_ = false;
    }
  }

  std::size_t control(std::string_view s, std::size_t i) {
    if (i >= s.size()) return i;
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      if (c == '\'') {
        int hi = hexval(i + 1 < s.size() ? s[i + 1] : 'x');
        int lo = hexval(i + 2 < s.size() ? s[i + 2] : 'x');
        if (hi >= 0 && lo >= 0) {
          if (uc_skip_ > 0) {
            --uc_skip_;
          } else if (!st().skip && !st().objdata) {
            add_byte(static_cast<unsigned char>((hi << 4) | lo));
          }
        }
        return std::min(s.size(), i + 3);
      }
      flush_bytes();
      if (c == '*') {
        st().star = true;
        return i + 1;
      }
      if (uc_skip_ > 0) {
        --uc_skip_;
        return i + 1;
      }
      switch (c) {
        case '\\':
        case '{':
        case '}':
          if (!st().skip) add_byte(static_cast<unsigned char>(c));
          break;
        case '~':
          emit(" ");
          break;
        case '_':
          emit("-");
          break;
        case '\n':
        case '\r':
          emit("\n");
          break;
        case '\t':
          emit("\t");
          break;
        default:
          break;
      }
      return i + 1;
    }
    std::size_t start = i;
    while (i < s.size() && i - start < 32 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) {
      ++i;
    }
    std::string_view word = s.substr(start, i - start);
    bool has_param = false;
    long param = 0;
    bool neg = false;
    if (i < s.size() && s[i] == '-') {
      neg = true;
      ++i;
    }
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 10) {
      param = param * 10 + (s[i] - '0');
      ++i;
      ++digits;
      has_param = true;
    }
    if (neg) param = -param;
    if (i < s.size() && s[i] == ' ') ++i;
    if (word != "u") flush_bytes();

    GroupState& g = st();
    bool first = g.first;
    g.first = false;

    if (word == "bin") {
      std::size_t n = has_param && param > 0 ? static_cast<std::size_t>(param) : 0;
      n = std::min(n, s.size() - i);
      if (g.objdata && object_.size() + n <= kMaxObjData) object_.append(s.substr(i, n));
      return i + n;
    }
    if (first && g.star) {
      if (!is_kept_star_destination(word)) {
        g.skip = true;
        return i;
      }
    }
    if (first && is_line_field(word)) g.field = true;
    if (first && word == "fldinst") {
      // A field code is a line of its own: "PAGE" must not glue onto the shown result "3".
      emit("\n");
      g.field = true;
    }
    if (word == "upr") {
      // {\upr{ANSI version}{\*\ud{Unicode version}}}: read only the Unicode one.
      g.skip = true;
      return i;
    }
    if (word == "ud" && first && g.star) {
      // This group sits in the \upr group; read it when the group around \upr is read.
      g.skip = states_.size() >= 3 && states_[states_.size() - 3].skip;
      return i;
    }
    if (word == "objdata") {
      g.objdata = true;
      g.skip = true;
      object_.clear();
      nibble_ = -1;
      return i;
    }
    if (word == "fonttbl") {
      g.fonttbl = true;
      g.skip = true;
      return i;
    }
    if (first && is_skipped_destination(word)) {
      g.skip = true;
      return i;
    }
    if (g.fonttbl) {
      if (word == "f" && has_param) current_font_ = param;
      if (word == "fcharset" && has_param)
        font_cp_[current_font_] = charset_codepage(static_cast<int>(param), doc_cp_);
      if (word == "cpg" && has_param) font_cp_[current_font_] = static_cast<int>(param);
      return i;
    }
    if (word == "u" && has_param) {
      flush_bytes();
      long v = param < 0 ? param + 65536 : param;
      if (uc_skip_ > 0) uc_skip_ = 0;
      if (!g.skip) unicode(static_cast<char32_t>(v));
      uc_skip_ = g.uc;
      return i;
    }
    if (uc_skip_ > 0) {
      // A control word inside the fallback text of \uN counts as one skipped character.
      --uc_skip_;
      return i;
    }
    if (word == "uc" && has_param)
      g.uc = static_cast<int>(std::max(0L, std::min(param, 16L)));
    else if (word == "ansicpg" && has_param) {
      doc_cp_ = static_cast<int>(param);
      g.codepage = doc_cp_;
      for (auto& st_ : states_) st_.codepage = doc_cp_;
    } else if (word == "mac") {
      doc_cp_ = 10000;
      g.codepage = doc_cp_;
    } else if (word == "pc") {
      doc_cp_ = 437;
      g.codepage = doc_cp_;
    } else if (word == "pca") {
      doc_cp_ = 850;
      g.codepage = doc_cp_;
    } else if (word == "f" && has_param) {
      auto it = font_cp_.find(param);
      g.codepage = it != font_cp_.end() ? it->second : doc_cp_;
    } else if (word == "par" || word == "line" || word == "sect" || word == "page" ||
               word == "row") {
      emit("\n");
    } else if (word == "tab" || word == "cell" || word == "nestcell") {
      emit("\t");
    } else if (word == "emdash") {
      emit("\xE2\x80\x94");
    } else if (word == "endash") {
      emit("\xE2\x80\x93");
    } else if (word == "lquote") {
      emit("\xE2\x80\x98");
    } else if (word == "rquote") {
      emit("\xE2\x80\x99");
    } else if (word == "ldblquote") {
      emit("\xE2\x80\x9C");
    } else if (word == "rdblquote") {
      emit("\xE2\x80\x9D");
    } else if (word == "bullet") {
      emit("\xE2\x80\xA2");
    } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
      emit(" ");
    }
    return i;
  }

  void unicode(char32_t v) {
    if (v >= 0xD800 && v <= 0xDBFF) {
      high_ = v;
      return;
    }
    std::string u;
    if (v >= 0xDC00 && v <= 0xDFFF && high_ != 0) {
      append_code_point(u, 0x10000 + ((high_ - 0xD800) << 10) + (v - 0xDC00));
    } else {
      append_code_point(u, v);
    }
    high_ = 0;
    emit(u);
  }

  static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // OLE1 ObjectHeader (MS-OLEDS 2.2.4): version, format, class name, topic, item, native data.
  void finish_object() {
    std::string_view o = object_;
    auto u32 = [&](std::size_t off) { return le32(o, off); };
    std::size_t pos = 8;
    std::string cls;
    bool ok = true;
    for (int k = 0; k < 3 && ok; ++k) {
      std::uint32_t len = u32(pos);
      pos += 4;
      if (pos > o.size() || len > o.size() - pos) {
        ok = false;
        break;
      }
      if (k == 0) cls = std::string(o.substr(pos, len));
      pos += len;
    }
    while (!cls.empty() && cls.back() == '\0') cls.pop_back();
    std::uint32_t size = u32(pos);
    pos += 4;
    ++objects_;
    if (!ok || u32(4) != 2 || pos > o.size() || size > o.size() - pos) {
      if (!o.empty()) out_.partial("rtf: unreadable embedded object");
      object_.clear();
      return;
    }
    std::string_view native = o.substr(pos, size);
    std::string name = "embedded object " + std::to_string(objects_);
    if (cls == "Package") {
      // Packager: u16 marker, label, path, u32, u32 temp-path length, temp path, u32 size, file.
      std::size_t label_end = native.find('\0', 2);
      std::size_t path_end =
          label_end == std::string_view::npos ? label_end : native.find('\0', label_end + 1);
      if (path_end != std::string_view::npos) {
        std::string label(native.substr(2, label_end - 2));
        std::size_t p = path_end + 1 + 4;
        std::uint32_t tmp = le32(native, p);
        p += 4;
        if (p <= native.size() && tmp <= native.size() - p) {
          p += tmp;
          std::uint32_t n = le32(native, p);
          p += 4;
          if (p <= native.size() && n <= native.size() - p && !label.empty()) {
            flush(true);
            out_.child(native.substr(p, n), sanitize_utf8(label));
            object_.clear();
            return;
          }
        }
      }
    }
    flush(true);
    out_.child(native, name);
    object_.clear();
  }

  DocOutput& out_;
  std::string part_;
  std::vector<GroupState> states_;
  std::size_t overflow_ = 0;
  std::string pending_;
  int pending_cp_ = 1252;
  std::string buf_;
  bool open_ = false;
  int uc_skip_ = 0;
  char32_t high_ = 0;
  int doc_cp_ = 1252;
  long current_font_ = 0;
  std::map<long, int> font_cp_;
  std::string object_;
  int nibble_ = -1;
  int objects_ = 0;
};

}  // namespace

void parse_rtf(std::string_view bytes, DocOutput& out, std::string_view part_name) {
  if (bytes.substr(0, 5) != "{\\rtf") {
    out.partial("rtf: missing {\\rtf header");
  }
  RtfParser p(out, std::string(part_name));
  p.run(bytes);
}

}  // namespace vakt::extract

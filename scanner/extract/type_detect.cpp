// Content-based type detection: own signature checks first, libmagic for the rest.
#include "extract/type_detect.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "extract/magic_database.h"
#include "extract/text_decoder.h"
#include "extract/zip_locate.h"
#include "extract/zip_reader.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kMagicBytes = 256 * 1024;
constexpr std::size_t kTextSample = 64 * 1024;
constexpr std::uint64_t kMaxPeekMember = 1 << 20;

// A libmagic handle loaded from the platform's database (magic_database.h). Handles are not
// thread-safe: MagicPool lends each caller one for the duration of a call.
class MagicHandle {
 public:
  MagicHandle() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS)) {
    if (cookie_ != nullptr && !load_magic_database(cookie_)) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;

  bool loaded() const { return cookie_ != nullptr; }

  std::string mime(std::string_view bytes) {
    if (cookie_ == nullptr) return {};
    const char* m = magic_buffer(cookie_, bytes.data(), std::min(bytes.size(), kMagicBytes));
    return m == nullptr ? std::string() : std::string(m);
  }

 private:
  magic_t cookie_;
};

// Loaded handles, reused by whichever thread asks next (at most one per concurrent caller). Not a
// thread_local: mingw-w64 runs thread_local destructors after the thread's emulated TLS is freed,
// so a per-thread handle crashed in magic_close at thread exit on Windows.
class MagicPool {
 public:
  std::unique_ptr<MagicHandle> take() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        auto h = std::move(idle_.back());
        idle_.pop_back();
        return h;
      }
    }
    return std::make_unique<MagicHandle>();
  }
  void give(std::unique_ptr<MagicHandle> h) {
    if (!h->loaded()) return;  // a database that failed to load is tried again next time
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(h));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<MagicHandle>> idle_;
};

MagicPool& magic_pool() {
  static auto* pool = new MagicPool();  // never destroyed: scans may run during static teardown
  return *pool;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string_view extension_of(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

bool equals_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const ZipEntry* find_nocase(const ZipReader& zip, std::string_view name) {
  for (const ZipEntry& e : zip.entries()) {
    if (equals_nocase(e.name, name)) return &e;
  }
  return nullptr;
}

// One small member of an open zip ("" when missing, too big or unreadable).
std::string read_small_member(const ZipReader& zip, const ZipEntry* entry) {
  if (entry == nullptr || entry->size > kMaxPeekMember || entry->encrypted) return {};
  ZipReadOptions options;
  options.max_bytes = kMaxPeekMember;
  auto got = zip.read_all(*entry, options);
  return got ? std::move(got).value() : std::string();
}

bool has_member_prefix(const ZipReader& zip, std::string_view prefix) {
  const auto& entries = zip.entries();
  const std::size_t n = std::min<std::size_t>(entries.size(), 4096);
  for (std::size_t i = 0; i < n; ++i) {
    if (std::string_view(entries[i].name).starts_with(prefix)) return true;
  }
  return false;
}

DetectedType classify_odf_mimetype(std::string_view mt) {
  if (mt.starts_with("application/epub+zip")) return {Format::kZip, "epub"};
  const std::array<std::pair<std::string_view, std::string_view>, 8> kinds = {{
      {"application/vnd.oasis.opendocument.text", "odt"},
      {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
      {"application/vnd.oasis.opendocument.presentation", "odp"},
      {"application/vnd.oasis.opendocument.graphics", "odg"},
      {"application/vnd.oasis.opendocument.", "odf"},
      {"application/vnd.sun.xml.writer", "sxw"},
      {"application/vnd.sun.xml.calc", "sxc"},
      {"application/vnd.sun.xml.", "sxi"},
  }};
  for (const auto& [prefix, name] : kinds) {
    if (mt.starts_with(prefix)) return {Format::kOdf, std::string(name)};
  }
  return {Format::kZip, "zip"};
}

// The package's kind from its main part's content type ("…wordprocessingml.document.main+xml",
// "…ms-excel.sheet.macroEnabled.main+xml", …). Other content types name embedded packages too —
// a workbook that embeds a Word file lists wordprocessingml as well — so the main part decides.
std::optional<DetectedType> ooxml_kind_of_main_part(std::string_view ct) {
  for (std::size_t at = ct.find(".main"); at != std::string_view::npos;
       at = ct.find(".main", at + 1)) {
    const std::size_t quote = ct.rfind('"', at);
    const std::size_t apostrophe = ct.rfind('\'', at);
    std::size_t from = 0;
    if (quote != std::string_view::npos) from = quote + 1;
    if (apostrophe != std::string_view::npos && apostrophe + 1 > from) from = apostrophe + 1;
    const std::string_view type = ct.substr(from, at - from);
    if (contains(type, "wordprocessingml") || contains(type, "ms-word.")) {
      return DetectedType{Format::kDocx, "docx"};
    }
    if (contains(type, "ms-excel.sheet.binary.")) return DetectedType{Format::kXlsb, "xlsb"};
    if (contains(type, "spreadsheetml") || contains(type, "ms-excel.")) {
      return DetectedType{Format::kXlsx, "xlsx"};
    }
    if (contains(type, "presentationml") || contains(type, "ms-powerpoint.")) {
      return DetectedType{Format::kPptx, "pptx"};
    }
  }
  return std::nullopt;
}

// A zip's own kind: OOXML by [Content_Types].xml, ODF/EPUB by `mimetype`, JAR by its manifest.
DetectedType peek_zip(std::string_view bytes) {
  auto opened = ZipReader::open(bytes);
  if (!opened) {
    // No central directory (a truncated download, a crashed save): an Office document among
    // the members read from local headers still goes to its own extractor, which reads what is
    // there and reports the file partial; anything else stays a zip for the archive extractor.
    auto salvaged = ZipReader::open_or_salvage(bytes);
    if (!salvaged) return {Format::kZip, "zip"};
    auto zip = std::make_shared<const ZipReader>(std::move(salvaged).value());
    const ZipEntry* ct_entry = find_nocase(*zip, "[Content_Types].xml");
    if (ct_entry == nullptr) return {Format::kZip, "zip"};
    auto main = ooxml_kind_of_main_part(read_small_member(*zip, ct_entry));
    if (!main) return {Format::kZip, "zip"};
    main->zip = std::move(zip);
    return std::move(*main);
  }
  auto zip = std::make_shared<const ZipReader>(std::move(opened).value());
  DetectedType result{Format::kZip, "zip"};
  if (const ZipEntry* ct_entry = find_nocase(*zip, "[Content_Types].xml")) {
    const std::string ct = read_small_member(*zip, ct_entry);
    if (auto main = ooxml_kind_of_main_part(ct)) {
      result = std::move(*main);
    } else if (contains(ct, "wordprocessingml") || contains(ct, "ms-word.")) {
      result = {Format::kDocx, "docx"};
    } else if (contains(ct, "ms-excel.sheet.binary.")) {
      result = {Format::kXlsb, "xlsb"};
    } else if (contains(ct, "spreadsheetml") || contains(ct, "ms-excel.")) {
      result = {Format::kXlsx, "xlsx"};
    } else if (contains(ct, "presentationml") || contains(ct, "ms-powerpoint.")) {
      result = {Format::kPptx, "pptx"};
    } else if (has_member_prefix(*zip, "word/")) {
      result = {Format::kDocx, "docx"};
    } else if (zip->find("xl/workbook.bin") != nullptr) {
      result = {Format::kXlsb, "xlsb"};
    } else if (has_member_prefix(*zip, "xl/")) {
      result = {Format::kXlsx, "xlsx"};
    } else if (has_member_prefix(*zip, "ppt/")) {
      result = {Format::kPptx, "pptx"};
    }
  } else if (const ZipEntry* mimetype = zip->find("mimetype")) {
    result = classify_odf_mimetype(read_small_member(*zip, mimetype));
  } else if (zip->find("content.xml") != nullptr &&
             find_nocase(*zip, "META-INF/manifest.xml") != nullptr) {
    // OpenDocument (and StarOffice 6 sxw/sxc) without its `mimetype` member: the manifest names
    // the kind; read as ODF either way, so runs and cells are joined as in any ODF document.
    const std::string manifest =
        read_small_member(*zip, find_nocase(*zip, "META-INF/manifest.xml"));
    const std::size_t root = manifest.find("full-path=\"/\"");
    const std::size_t type_at = manifest.rfind("media-type=\"", root);
    DetectedType odf{Format::kOdf, "odf"};
    if (root != std::string::npos && type_at != std::string::npos) {
      const std::size_t from = type_at + 12;
      const std::size_t to = manifest.find('"', from);
      if (to != std::string::npos) odf = classify_odf_mimetype(manifest.substr(from, to - from));
    }
    result = odf.format == Format::kOdf ? odf : DetectedType{Format::kOdf, "odf"};
  } else if (find_nocase(*zip, "META-INF/MANIFEST.MF") != nullptr) {
    result = {Format::kZip, "jar"};
  }
  result.zip = std::move(zip);
  return result;
}

bool is_header_name_char(char c) {
  return c > 32 && c < 127 && c != ':';
}

// An RFC 822 header block: every line up to the first empty one is "Name: value" or a
// continuation, and at least `min_known` well-known mail headers are among them.
bool looks_like_mail_headers(std::string_view s, int min_known = 2) {
  static constexpr std::array<std::string_view, 12> kKnown = {
      "from",       "to",           "subject",      "date",     "received",     "return-path",
      "message-id", "mime-version", "content-type", "reply-to", "delivered-to", "x-mailer"};
  int known = 0;
  int lines = 0;
  std::size_t pos = 0;
  while (pos < s.size() && lines < 200) {
    std::size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (line.empty()) break;
    ++lines;
    if (line[0] == ' ' || line[0] == '\t') {
      if (lines == 1) return false;
      continue;
    }
    std::size_t i = 0;
    while (i < line.size() && is_header_name_char(line[i])) ++i;
    if (i == 0 || i >= line.size() || line[i] != ':') return false;
    const std::string name = lower(line.substr(0, i));
    if (std::find(kKnown.begin(), kKnown.end(), name) != kKnown.end()) ++known;
  }
  return known >= min_known;
}

bool looks_like_mbox(std::string_view s) {
  if (!s.starts_with("From ")) return false;
  const auto nl = s.find('\n');
  if (nl == std::string_view::npos) return false;
  return looks_like_mail_headers(s.substr(nl + 1));
}

// Apple Mail .emlx: a line with the message's byte count, the RFC 822 message, then a plist.
bool looks_like_emlx(std::string_view s) {
  const auto nl = s.find('\n');
  if (nl == 0 || nl == std::string_view::npos || nl > 16) return false;
  std::string_view count = s.substr(0, nl);
  while (!count.empty() && (count.back() == ' ' || count.back() == '\r')) count.remove_suffix(1);
  if (count.empty()) return false;
  for (char c : count) {
    if (c < '0' || c > '9') return false;
  }
  return looks_like_mail_headers(s.substr(nl + 1));
}

// Text if there are no NULs and almost no other control characters (UTF-16 is handled earlier).
bool looks_like_text(std::string_view sample) {
  std::size_t control = 0;
  for (char ch : sample) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return false;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B &&
         c != 0x08) ||
        c == 0x7F) {
      ++control;
    }
  }
  return control * 100 <= sample.size();
}

DetectedType flat_odf_type(std::string_view low) {
  if (contains(low, "opendocument.text")) return {Format::kFlatOdf, "fodt"};
  if (contains(low, "opendocument.spreadsheet")) return {Format::kFlatOdf, "fods"};
  if (contains(low, "opendocument.presentation")) return {Format::kFlatOdf, "fodp"};
  return {Format::kFlatOdf, "flat-odf"};
}

// Subtype of something already known to be text (UTF-8/8-bit sample).
DetectedType classify_text(std::string_view sample, std::string_view file_name,
                           std::string_view full) {
  std::string_view s = sample;
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  if (looks_like_mbox(s)) return {Format::kMbox, "mbox"};
  if (looks_like_mail_headers(s)) return {Format::kEml, "eml"};
  // Tie-breaker: a valid header block with one known header is mail when the name says .eml.
  if (lower(extension_of(file_name)) == "eml" && looks_like_mail_headers(s, 1)) {
    return {Format::kEml, "eml"};
  }
  if (looks_like_emlx(s)) return {Format::kEml, "emlx"};

  std::string_view t = s;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  if (t.starts_with("{\\rtf")) return {Format::kRtf, "rtf"};
  if (t.starts_with("<")) {
    const std::string low = lower(t.substr(0, 8192));
    // "<office:document " is a flat ODF file; "<office:document-content" is a package part.
    if ((contains(low, "<office:document ") || contains(low, "<office:document>") ||
         contains(low, "<office:document\n") || contains(low, "<office:document\r")) &&
        contains(low, "xmlns:office")) {
      return flat_odf_type(low);
    }
    if (contains(low, "<!doctype html") || contains(low, "<html"))
      return {Format::kHtml, "text/html"};
    const std::string mime = magic_mime_type(full);
    if (mime == "text/html") return {Format::kHtml, "text/html"};
    if (low.starts_with("<?xml") || mime == "text/xml" || mime == "application/xml" ||
        mime == "image/svg+xml") {
      return {Format::kXml, "text/xml"};
    }
    for (std::string_view tag : {"<body", "<div", "<p>", "<p ", "<table", "<tr", "<td", "<br",
                                 "<head", "<title", "<span", "<img", "<li>", "<a href"}) {
      if (contains(low, tag)) return {Format::kHtml, "text/html"};
    }
    if (t.size() > 1 && std::isalpha(static_cast<unsigned char>(t[1])) && contains(low, "</")) {
      return {Format::kXml, "text/xml"};
    }
  }
  const std::string ext = lower(extension_of(file_name));
  if (ext == "csv" || ext == "tsv") return {Format::kPlainText, "text/csv"};
  return {Format::kPlainText, "text/plain"};
}

bool is_archive_mime(std::string_view mime) {
  static constexpr std::array<std::string_view, 15> kArchives = {
      "application/x-compress",
      "application/x-tar",
      "application/gzip",
      "application/x-bzip2",
      "application/x-xz",
      "application/x-7z-compressed",
      "application/x-rar",
      "application/vnd.rar",
      "application/x-cpio",
      "application/x-iso9660-image",
      "application/vnd.ms-cab-compressed",
      "application/x-lzma",
      "application/x-lzip",
      "application/zstd",
      "application/x-archive"};
  return std::find(kArchives.begin(), kArchives.end(), mime) != kArchives.end();
}

// A binary OpenPGP message starts with a public-key (tag 1) or symmetric-key (tag 3) encrypted
// session key packet (RFC 4880 / 9580 section 4.2); the byte after the packet header is its
// version (3 or 6 for tag 1; 4, 5 or 6 for tag 3) and the packet fits in the file.
bool looks_like_openpgp_encrypted(std::string_view b) {
  if (b.size() < 8) return false;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  const unsigned char b0 = byte(0);
  if ((b0 & 0x80) == 0) return false;
  unsigned tag = 0;
  std::size_t header = 0;
  std::uint64_t length = 0;
  if ((b0 & 0x40) != 0) {  // new format
    tag = b0 & 0x3F;
    const unsigned char l0 = byte(1);
    if (l0 < 192) {
      header = 2, length = l0;
    } else if (l0 < 224) {
      header = 3, length = ((l0 - 192u) << 8) + byte(2) + 192u;
    } else if (l0 == 255) {
      header = 6;
      length = (std::uint64_t{byte(2)} << 24) | (byte(3) << 16) | (byte(4) << 8) | byte(5);
    } else {
      return false;  // partial body lengths are not allowed for session key packets
    }
  } else {  // old format
    tag = (b0 >> 2) & 0x0F;
    switch (b0 & 3) {
      case 0:
        header = 2, length = byte(1);
        break;
      case 1:
        header = 3, length = (byte(1) << 8) | byte(2);
        break;
      case 2:
        header = 5;
        length = (std::uint64_t{byte(1)} << 24) | (byte(2) << 16) | (byte(3) << 8) | byte(4);
        break;
      default:
        return false;
    }
  }
  if (length < 4 || header + length > b.size()) return false;
  const unsigned char version = byte(header);
  if (tag == 1) return version == 3 || version == 6;
  if (tag == 3) return version == 4 || version == 5 || version == 6;
  return false;
}

// DER ContentInfo (SEQUENCE) whose contentType is id-envelopedData, 1.2.840.113549.1.7.3.
bool looks_like_cms_enveloped(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.empty() || b[0] != '\x30') return false;
  constexpr std::string_view kOid = "\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x03"sv;
  const auto at = b.substr(0, 16).find(kOid);
  return at != std::string_view::npos && at >= 2;
}

// Raster and metafile images by their signatures (the ones Office and ODF packages and mail
// attachments carry); "" when `b` is none of them.
std::string_view image_type(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.starts_with("\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (b.starts_with("\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.starts_with("II*\0"sv) || b.starts_with("MM\0*"sv)) return "image/tiff";
  if (b.starts_with("\xD7\xCD\xC6\x9A"sv) || b.starts_with("\x01\x00\x09\x00\x00\x03"sv) ||
      b.starts_with("\x02\x00\x09\x00\x00\x03"sv)) {
    return "image/wmf";
  }
  if (b.size() >= 44 && b.starts_with("\x01\x00\x00\x00"sv) && b.substr(40, 4) == " EMF") {
    return "image/emf";
  }
  if (b.size() >= 26 && b.starts_with("BM")) {  // BITMAPFILEHEADER: file size, then reserved 0
    const auto u32 = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) |
             static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 1])) << 8 |
             static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 2])) << 16 |
             static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 3])) << 24;
    };
    if (u32(6) == 0 && u32(10) < b.size() && u32(2) >= b.size() / 2) return "image/bmp";
  }
  return {};
}

// "%PDF-" at the start, after at most a byte-order mark and white space.
bool starts_pdf(std::string_view b) {
  if (b.starts_with("\xEF\xBB\xBF")) b.remove_prefix(3);
  while (!b.empty() && std::isspace(static_cast<unsigned char>(b.front()))) b.remove_prefix(1);
  return b.starts_with("%PDF-");
}

// Readers accept a PDF header anywhere in the first 1 KB (a mail gateway's or a scanner's junk
// before it). Only a file that no signature at offset 0 claimed counts, and only with a PDF
// trailer at its end: a stored zip member, a tar member or a text that merely quotes "%PDF-1.4"
// is not a PDF, and reading it as one would show poppler's view of it alone.
bool has_pdf_trailer(std::string_view b) {
  const std::string_view tail = b.substr(b.size() > 2048 ? b.size() - 2048 : 0);
  return contains(tail, "%%EOF") || contains(tail, "startxref");
}

bool pdf_after_leading_junk(std::string_view b) {
  return contains(b.substr(0, 1024), "%PDF-") && has_pdf_trailer(b);
}

// "N G obj" after white space and comments: an indirect object, the first thing after a PDF's
// header line.
bool starts_with_pdf_object(std::string_view b) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < b.size() && i - from < 10 && std::isdigit(static_cast<unsigned char>(b[i]))) ++i;
    return i > from;
  };
  // White space and comment lines first (the binary-marker comment "%âãÏÓ" a header is followed
  // by).
  while (i < b.size() && (std::isspace(static_cast<unsigned char>(b[i])) || b[i] == '%')) {
    if (b[i] == '%') {
      while (i < b.size() && b[i] != '\n' && b[i] != '\r') ++i;
    } else {
      ++i;
    }
  }
  if (!digits() || i >= b.size() || b[i] != ' ') return false;
  ++i;
  if (!digits()) return false;
  return b.substr(i).starts_with(" obj");
}

// A PDF whose header line was removed: readers (poppler among them) still open it from its
// trailer, so its text must not be taken for plain text or binary noise. It starts with an
// indirect object, holds an object end and a trailer, and ends with startxref or %%EOF.
bool pdf_without_header(std::string_view b) {
  return starts_with_pdf_object(b.substr(0, 256)) && contains(b.substr(0, 64 * 1024), "endobj") &&
         has_pdf_trailer(b);
}

bool starts_with_armored_pgp_message(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s.starts_with("-----BEGIN PGP MESSAGE-----");
}

}  // namespace

std::string magic_mime_type(std::string_view bytes) {
  std::unique_ptr<MagicHandle> handle = magic_pool().take();
  std::string mime = handle->mime(bytes);
  magic_pool().give(std::move(handle));
  return mime;
}

std::optional<Utf16Order> sniff_utf16(std::string_view sample) {
  if (sample.starts_with("\xFF\xFE")) return Utf16Order::kLittle;
  if (sample.starts_with("\xFE\xFF")) return Utf16Order::kBig;
  const std::size_t pairs = std::min<std::size_t>(sample.size(), 4096) / 2;
  if (pairs < 2) return std::nullopt;
  std::size_t even_zero = 0, odd_zero = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    if (sample[2 * i] == '\0') ++even_zero;
    if (sample[2 * i + 1] == '\0') ++odd_zero;
  }
  // Mostly-ASCII UTF-16: one byte of each pair is zero, the other almost never.
  if (odd_zero * 10 >= pairs * 4 && even_zero * 20 <= pairs) return Utf16Order::kLittle;
  if (even_zero * 10 >= pairs * 4 && odd_zero * 20 <= pairs) return Utf16Order::kBig;
  return std::nullopt;
}

bool is_text_format(Format format) {
  return format == Format::kEmpty || format == Format::kPlainText || format == Format::kHtml ||
         format == Format::kXml;
}

namespace {

// What the first bytes say (see detect_type).
DetectedType detect_by_leading_bytes(std::string_view bytes, std::string_view file_name) {
  auto starts = [&](std::string_view sig) { return bytes.starts_with(sig); };
  using namespace std::string_view_literals;

  if (starts_pdf(bytes)) return {Format::kPdf, "pdf"};
  if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) return {Format::kOle2, "ole2"};
  if (starts("PK\x03\x04"sv) || starts("PK\x05\x06"sv) || starts("PK\x07\x08"sv)) {
    return peek_zip(bytes);
  }
  if (starts("{\\rtf")) return {Format::kRtf, "rtf"};
  if (starts("\x1F\x8B"sv)) return {Format::kArchive, "gzip"};
  if (starts("BZh") && bytes.size() > 3 && bytes[3] >= '1' && bytes[3] <= '9') {
    return {Format::kArchive, "bzip2"};
  }
  if (starts("\xFD"
             "7zXZ\x00"sv))
    return {Format::kArchive, "xz"};
  if (starts("7z\xBC\xAF\x27\x1C"sv)) return {Format::kArchive, "7z"};
  if (starts("Rar!\x1A\x07"sv)) return {Format::kArchive, "rar"};
  if (starts("\x28\xB5\x2F\xFD"sv)) return {Format::kArchive, "zstd"};
  if (bytes.size() > 262 && bytes.substr(257, 5) == "ustar") return {Format::kArchive, "tar"};
  if (const std::string_view image = image_type(bytes); !image.empty()) {
    return {Format::kImage, std::string(image)};
  }
  if (looks_like_openpgp_encrypted(bytes)) return {Format::kEncrypted, "pgp-encrypted"};
  if (looks_like_cms_enveloped(bytes)) return {Format::kEncrypted, "smime-encrypted"};
  if (starts_with_armored_pgp_message(bytes.substr(0, 4096))) {
    return {Format::kEncrypted, "pgp-encrypted"};
  }
  if (pdf_after_leading_junk(bytes) || pdf_without_header(bytes)) return {Format::kPdf, "pdf"};

  const std::string_view sample = bytes.substr(0, kTextSample);
  if (sniff_utf16(sample) || starts_with_utf32_bom(sample)) {
    // Decode a little to tell HTML/XML from plain text; the extractors decode UTF-16/32 themselves.
    const std::string head = decode_to_utf8(bytes.substr(0, 8192));
    DetectedType t = classify_text(head, file_name, {});
    if (t.format == Format::kHtml || t.format == Format::kXml) return t;
    return {Format::kPlainText, t.name == "text/csv" ? "text/csv" : "text/plain"};
  }
  if (looks_like_text(sample)) return classify_text(sample, file_name, bytes);

  std::string mime = magic_mime_type(bytes);
  if (is_archive_mime(mime)) return {Format::kArchive, mime};
  if (mime == "text/html") return {Format::kHtml, mime};
  if (mime == "text/xml" || mime == "application/xml") return {Format::kXml, "text/xml"};
  if (mime.starts_with("text/")) return {Format::kPlainText, "text/plain"};
  if (mime.empty()) mime = "application/octet-stream";
  return {Format::kUnknown, mime};
}

// Formats whose own reader would never see a zip appended after them: text and markup, pictures,
// programs and unknown binaries, and zips (a second archive concatenated to the first). Not
// OLE2, PDF or other archives, whose own structure holds embedded zips that their extractors read.
bool may_hide_appended_zip(Format format) {
  switch (format) {
    case Format::kPlainText:
    case Format::kHtml:
    case Format::kXml:
    case Format::kFlatOdf:
    case Format::kRtf:
    case Format::kEml:
    case Format::kMbox:
    case Format::kImage:
    case Format::kUnknown:
    case Format::kZip:
    case Format::kDocx:
    case Format::kXlsx:
    case Format::kXlsb:
    case Format::kPptx:
    case Format::kOdf:
      return true;
    default:
      return false;
  }
}

}  // namespace

DetectedType detect_type(std::string_view bytes, std::string_view file_name) {
  if (bytes.empty()) return {Format::kEmpty, "empty"};
  DetectedType leading = detect_by_leading_bytes(bytes, file_name);
  if (!may_hide_appended_zip(leading.format)) return leading;
  const auto trailing = locate_trailing_zip(bytes);
  if (!trailing) return leading;
  DetectedType archive = peek_zip(bytes.substr(trailing->archive_start));
  if (!archive.zip) return leading;
  archive.archive_start = trailing->archive_start;
  archive.other_data_end = trailing->other_data_end;
  return archive;
}

}  // namespace vakt::extract

// Type detection by content: what a document is, decided from its bytes — never from its name.
//
//   DetectedType t = detect_type(bytes, "brev.docx");
//   // t.format selects the extractor (format_table.cpp), t.name is shown as ScanResult::type.
//
// A zip archive behind other data is found from the file's end first (zip_locate.h). Own
// signature checks come next (zip peek into [Content_Types].xml / mimetype / manifest, OLE2,
// %PDF, {\rtf, archives, mail headers, mbox, HTML/XML, flat ODF, text vs binary); libmagic
// (MIME type, pooled handles, the database of magic_database.h) names whatever is left. The file
// name is only a tie-breaker between text subtypes (".csv" → text/csv).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vakt::extract {

class ZipReader;

enum class Format {
  kEmpty,
  kPlainText,  // also csv/tsv
  kHtml,
  kXml,
  kFlatOdf,  // fodt/fods/fodp: one XML file with office:document
  kZip,      // plain zip, epub, jar: members re-enter the dispatcher
  kDocx,
  kXlsx,
  kXlsb,  // Excel binary workbook: the xlsx package with BIFF12 record parts
  kPptx,
  kOdf,   // odt/ods/odp/odg and old sxw/sxc (zip with a `mimetype` member)
  kOle2,  // doc/xls/ppt/msg/encrypted OOXML: the ole2 extractor tells them apart
  kPdf,
  kRtf,
  kEml,
  kMbox,
  kArchive,    // tar, gzip, bzip2, xz, 7z, rar, cab, cpio, iso … through libarchive
  kEncrypted,  // OpenPGP message ("pgp-encrypted") or CMS enveloped data ("smime-encrypted")
  kImage,      // jpeg/png/gif/bmp/tiff/wmf/emf by magic: not read (no OCR)
  kUnknown,    // binary of no known format: printable strings only
};

struct DetectedType {
  DetectedType() = default;
  DetectedType(Format f, std::string type_name) : format(f), name(std::move(type_name)) {}

  Format format = Format::kUnknown;
  std::string name;  // "docx", "text/plain", "gzip", "image/png" …
  // For zip-based types: the archive the peek opened, over the same bytes. The dispatcher hands it
  // to the extractor so a package's central directory is read once (a deck has ~600 members).
  // Valid only as long as the bytes given to detect_type.
  std::shared_ptr<const ZipReader> zip;
  // A zip found from the file's end behind other data (zip_locate.h): the archive's bytes start at
  // `archive_start`, and the bytes before `other_data_end` (a program stub, a text, a picture, a
  // first archive) are a document of their own. Both 0 for everything else.
  std::size_t archive_start = 0;
  std::size_t other_data_end = 0;
};

DetectedType detect_type(std::string_view bytes, std::string_view file_name);

// True for types whose whole content is text, so "no text" really means an empty document.
bool is_text_format(Format format);

// UTF-16 without a BOM shows up as NUL bytes at every other position; with one, as FF FE / FE FF.
enum class Utf16Order { kLittle, kBig };
std::optional<Utf16Order> sniff_utf16(std::string_view sample);

// The libmagic MIME type of the bytes (first 256 KiB), "" when libmagic is unavailable.
std::string magic_mime_type(std::string_view bytes);

}  // namespace vakt::extract

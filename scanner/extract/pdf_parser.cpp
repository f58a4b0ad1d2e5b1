// PDF through poppler-cpp; see pdf_parser.h.
#include "extract/pdf_parser.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-embedded-file.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-toc.h>

#include <bit>
#include <climits>
#include <memory>
#include <mutex>
#include <string>

#include "extract/mime_charset.h"
#include "extract/mime_html.h"
#include "extract/typography.h"

namespace vakt::extract {
namespace {

void quiet(const std::string& /*message*/, void* /*closure*/) {}

void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(quiet, nullptr); });
}

// poppler's ustring holds UTF-16 code units in the machine's order. Its own to_utf8() goes through
// iconv, which was 4 % of a PDF scan's CPU (perf); this loop does the same conversion directly
// (tests/unit/extract_docs/pdf_test.cpp holds it equal to to_utf8()).
static_assert(std::endian::native == std::endian::little, "ustring is read as UTF-16LE");
std::string utf8_of(const poppler::ustring& s) {
  return utf16le_to_utf8(
      std::string_view(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(s[0])));
}

bool has_visible_text(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') return true;
  }
  return false;
}

void outline_titles(const poppler::toc_item* item, int depth, std::string& out) {
  if (item == nullptr || depth > 32 || out.size() > (1u << 20)) return;
  for (const poppler::toc_item* child : item->children()) {
    const std::string title = utf8_of(child->title());
    if (has_visible_text(title)) out.append(title).append("\n");
    outline_titles(child, depth + 1, out);
  }
}

void emit(DocOutput& out, const std::string& part, const std::string& text) {
  if (!has_visible_text(text)) return;
  out.begin_part(part);
  out.text(text);
  out.end_part();
}

bool is_pdf_delimiter_or_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0' || c == '<' ||
         c == '/' || c == '[' || c == '(';
}

}  // namespace

bool pdf_has_encrypt_entry(std::string_view bytes) {
  constexpr std::string_view kKey = "/Encrypt";
  std::size_t pos = 0;
  while ((pos = bytes.find(kKey, pos)) != std::string_view::npos) {
    std::size_t i = pos + kKey.size();
    pos = i;
    if (i < bytes.size() && !is_pdf_delimiter_or_space(bytes[i])) continue;  // /EncryptMetadata
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\r' || bytes[i] == '\n' ||
                                bytes[i] == '\t' || bytes[i] == '\f' || bytes[i] == '\0')) {
      ++i;
    }
    if (i >= bytes.size()) break;
    if (bytes[i] >= '0' && bytes[i] <= '9') return true;
    if (bytes[i] == '<' && i + 1 < bytes.size() && bytes[i + 1] == '<') return true;
  }
  return false;
}

namespace {

// The name that follows `key` in the bytes ("/StmF /Identity" -> "Identity"), first occurrence.
std::string_view name_after(std::string_view bytes, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = bytes.find(key, pos)) != std::string_view::npos) {
    std::size_t i = pos + key.size();
    pos = i;
    if (i < bytes.size() && !is_pdf_delimiter_or_space(bytes[i])) continue;  // a longer name
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\r' || bytes[i] == '\n' ||
                                bytes[i] == '\t' || bytes[i] == '\f' || bytes[i] == '\0')) {
      ++i;
    }
    if (i >= bytes.size() || bytes[i] != '/') return {};
    const std::size_t from = ++i;
    while (i < bytes.size() && !is_pdf_delimiter_or_space(bytes[i]) && bytes[i] != '>' &&
           bytes[i] != ']' && bytes[i] != ')') {
      ++i;
    }
    return bytes.substr(from, i - from);
  }
  return {};
}

}  // namespace

bool pdf_encrypts_only_attachments(std::string_view bytes) {
  // PDF 1.6 crypt filters: /StmF and /StrF /Identity leave pages and strings in clear; /EFF
  // names the filter for embedded files. The encryption dictionary is never inside an object
  // stream (ISO 32000-1, 7.5.7), so its keys are in the raw bytes.
  const std::string_view eff = name_after(bytes, "/EFF");
  return !eff.empty() && eff != "Identity" && name_after(bytes, "/StmF") == "Identity" &&
         name_after(bytes, "/StrF") == "Identity";
}

void parse_pdf(std::string_view bytes, std::string_view /*name*/, DocOutput& out) {
  silence_poppler();
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    out.unscannable("pdf too large");
    return;
  }
  const bool encrypt_entry = pdf_has_encrypt_entry(bytes);
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    out.unscannable(encrypt_entry ? "encrypted" : "corrupt pdf");
    return;
  }
  if (doc->is_locked()) {
    out.unscannable("encrypted");
    return;
  }
  // Pages in clear, attachments encrypted (a password-protected attachment in an open PDF): the
  // pages are read, the attachments are not, and the result says so.
  const bool attachments_encrypted = encrypt_entry && pdf_encrypts_only_attachments(bytes);
  if (encrypt_entry && !doc->is_encrypted() && !attachments_encrypted) {
    // poppler did not understand the security handler and read the ciphertext as text.
    out.unscannable("encrypted");
    return;
  }

  static constexpr const char* kInfoKeys[] = {"Title", "Author", "Subject", "Keywords", "Creator"};
  std::string meta;
  for (const char* key : kInfoKeys) {
    std::string value = utf8_of(doc->info_key(key));
    if (!has_visible_text(value)) continue;
    meta.append(key).append(": ").append(value).append("\n");
  }
  if (!meta.empty()) {
    out.begin_part("metadata");
    out.text(meta);
    out.end_part();
  }
  // XMP: the same fields and any a producer or an archive system added (dc:description, custom
  // schemas).
  emit(out, "xmp metadata", html_to_text(utf8_of(doc->metadata())));
  {
    std::unique_ptr<poppler::toc> toc(doc->create_toc());
    std::string titles;
    if (toc) outline_titles(toc->root(), 0, titles);
    emit(out, "outline", titles);
  }
  emit(out, "annotations and form fields", pdf_annotation_texts(bytes));

  // Page text in poppler's physical layout (`pdftotext -layout`). Measured against the other two
  // orders: content-stream order (`-raw`) was 18 % faster but split letter-spaced and
  // glyph-by-glyph bold numbers into pieces no rule matches; reading order (plain `pdftotext`)
  // joins a word hyphenated at a line end, so "offentlighets-" + "och sekretesslagen" became
  // "offentlighetsoch sekretesslagen" and OSL citations were lost (tests below). The physical
  // layout keeps both; its cost is that side-by-side columns share lines.
  int pages = doc->pages();
  int empty_pages = 0;
  bool xfa_placeholder = false;
  for (int i = 0; i < pages && !out.stopped(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    std::string text = page ? utf8_of(page->text(poppler::rectf(), poppler::page::physical_layout))
                            : std::string();
    if (!has_visible_text(text)) {
      ++empty_pages;
      continue;
    }
    // A dynamic XFA form shows this until a viewer renders the form from its XFA data.
    if (i == 0 && text.find("Please wait") != std::string::npos) xfa_placeholder = true;
    out.begin_part("page " + std::to_string(i + 1));
    out.text(collapse_spaces(text));
    out.end_part();
  }
  if (pdf_declares_xfa(bytes) && (xfa_placeholder || empty_pages == pages)) {
    out.partial("XFA form: its data is not read");
  }

  if (doc->has_embedded_files()) {
    int n = 0;
    for (poppler::embedded_file* file : doc->embedded_files()) {
      if (out.stopped()) break;
      ++n;
      if (file == nullptr || !file->is_valid()) {
        out.partial("unreadable embedded file");
        continue;
      }
      std::string child_name = file->name();
      if (attachments_encrypted) {
        out.partial("encrypted attachment");
        continue;
      }
      if (child_name.find("MicrosoftIRMServices") != std::string::npos) {
        // Microsoft IRM wrapper: the visible page is a notice, the document is encrypted inside.
        out.unscannable("encrypted (IRM)");
        continue;
      }
      poppler::byte_array data = file->data();
      if (child_name.empty()) child_name = "attachment " + std::to_string(n);
      out.child(std::string_view(data.data(), data.size()), child_name);
    }
  }

  if (pages <= 0) {
    out.unscannable("corrupt pdf");
  } else if (empty_pages > 0) {
    // No text layer: scanned images (OCR would be needed) or blank pages.
    out.partial("pages without text (image-only or blank): " + std::to_string(empty_pages) +
                " of " + std::to_string(pages));
  }
}

}  // namespace vakt::extract

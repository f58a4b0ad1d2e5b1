// One extractor per format. Each is defined in its own file(s) in this folder; format_table.cpp
// maps detected types to them, and the dispatcher calls exactly one per document.
#pragma once

#include "extract/extractor.h"

namespace vakt::extract {

// Plain text in any encoding (UTF-8, UTF-16LE/BE with or without BOM, Windows-1252 fallback).
void extract_plain_text(const Input& input, Context& ctx);
// Anything else: printable runs of the bytes (UTF-8 and UTF-16LE), so nothing is skipped silently.
void extract_strings(const Input& input, Context& ctx);
// HTML and generic XML: tags stripped, entities decoded, scripts and styles skipped.
void extract_html(const Input& input, Context& ctx);
void extract_xml(const Input& input, Context& ctx);
// Zip (members re-enter the dispatcher) and other archives through libarchive (tar, gz, 7z, rar …).
void extract_zip(const Input& input, Context& ctx);
void extract_archive(const Input& input, Context& ctx);
// Office Open XML packages: docx/docm/dotx, xlsx/xlsm, pptx/pptm.
void extract_docx(const Input& input, Context& ctx);
void extract_xlsx(const Input& input, Context& ctx);
void extract_pptx(const Input& input, Context& ctx);
// Excel binary workbooks (.xlsb): the OOXML package with BIFF12 record parts.
void extract_xlsb(const Input& input, Context& ctx);
// OpenDocument: odt/ods/odp (zip) and flat fodt/fods/fodp; old sxw/sxc.
void extract_odf(const Input& input, Context& ctx);
void extract_flat_odf(const Input& input, Context& ctx);
// PDF through poppler-cpp, isolated in a child process with memory and time limits.
void extract_pdf(const Input& input, Context& ctx);
// OLE2 compound files: doc/xls/ppt text, Outlook .msg (subject, body, attachments), and
// encrypted OOXML / password-protected binary Office (reported unscannable: encrypted).
void extract_ole2(const Input& input, Context& ctx);
void extract_rtf(const Input& input, Context& ctx);
// E-mail: RFC 822/MIME (.eml) and mbox; attachments re-enter the dispatcher.
void extract_eml(const Input& input, Context& ctx);
void extract_mbox(const Input& input, Context& ctx);
// OpenPGP and PKCS#7/CMS enveloped (S/MIME) messages: unscannable, "encrypted (PGP|S/MIME)".
void extract_encrypted(const Input& input, Context& ctx);
// Images: never read (no OCR). Package thumbnails are skipped; others make the file partial.
void extract_image(const Input& input, Context& ctx);

}  // namespace vakt::extract

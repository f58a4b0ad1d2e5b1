// PDF text extraction with poppler-cpp, written against DocOutput so it can run in an isolated
// child process (isolation.h) or in-process.
//
//   parse_pdf(bytes, "report.pdf", out);
//
// Emits one part per page ("page 3") with that page's text, a "metadata" part (title, author,
// subject, keywords, creator), and every embedded file as a child. Outcomes: a PDF whose trailer
// carries an /Encrypt dictionary and cannot be opened without a user password (or that poppler
// opens without applying the encryption, which yields garbage) is unscannable "encrypted"; one
// that poppler cannot load is unscannable "corrupt pdf"; pages without a text layer make it
// partial "pages without text (image-only or blank): N of M". Also read: the outline (bookmark
// titles), the XMP metadata and the texts of annotations (sticky notes, comments) in uncompressed
// objects; a dynamic XFA form, whose data poppler does not render, is partial.
#pragma once

#include <string>
#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract {

void parse_pdf(std::string_view bytes, std::string_view name, DocOutput& out);

// True when the bytes contain an /Encrypt entry whose value is a dictionary or an indirect
// reference (as in a trailer or a cross-reference stream dictionary).
bool pdf_has_encrypt_entry(std::string_view bytes);
// Whether the encryption dictionary encrypts only embedded files (/EFF, with /StmF and /StrF
// /Identity): the pages open without a password.
bool pdf_encrypts_only_attachments(std::string_view bytes);

// The /Contents and /V text strings in the file's objects, one per line: the notes and comments
// of annotations and the values of form fields, which poppler-cpp does not expose. Objects in
// Flate-compressed object streams (PDF 1.5+) are searched too; a signature's long hex /Contents
// is skipped.
std::string pdf_annotation_texts(std::string_view bytes);

// True when an /XFA entry names a form's XFA packets (an array or a stream reference).
bool pdf_declares_xfa(std::string_view bytes);

}  // namespace vakt::extract

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
// partial "image-only pages: N of M".
#pragma once

#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract {

void parse_pdf(std::string_view bytes, std::string_view name, DocOutput& out);

// True when the bytes contain an /Encrypt entry whose value is a dictionary or an indirect
// reference (as in a trailer or a cross-reference stream dictionary).
bool pdf_has_encrypt_entry(std::string_view bytes);

}  // namespace vakt::extract

// RTF → text, streaming with bounded memory (one pass, a capped group stack, 64 KiB output chunks).
//
//   parse_rtf(bytes, out, "document");
//
// Handles control words and groups, \'hh bytes in the document code page (\ansicpg, per-font
// \fcharset, multi-byte code pages through iconv), \uN with \ucN skipping, \bin. Destinations that
// carry no readable text (font/colour/style tables, pictures, field instructions, unknown \*
// destinations) are skipped; comments (\*\annotation), shape text and \info fields are kept.
// \par/\line/\row become newlines, \tab/\cell tabs. Embedded objects (\objdata) become children.
#pragma once

#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract {

void parse_rtf(std::string_view bytes, DocOutput& out, std::string_view part_name);

}  // namespace vakt::extract

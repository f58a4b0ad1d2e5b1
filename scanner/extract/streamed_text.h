// A large plain-text file read in pieces (StreamChoice in mapped_file.h) instead of copied first:
// decoded like any text (TextDecoder) into one part of the Context, every byte hashed on the way.
//
//   StreamedText t = extract_streamed_text(*opened.stream, ctx);
//   if (!t.error.empty()) result.status = kError;   // the file changed or could not be read
#pragma once

#include <string>

#include "extract/extractor.h"
#include "extract/mapped_file.h"

namespace vakt::extract {

struct StreamedText {
  std::string sha256;  // hex SHA-256 of the whole file; empty when reading ended early
  std::string error;  // "file changed during scan: truncated …", "read error: …"; empty when read
};

StreamedText extract_streamed_text(const StreamedFile& file, Context& ctx);

}  // namespace vakt::extract

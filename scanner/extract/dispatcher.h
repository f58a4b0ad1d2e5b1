// The dispatcher: the one way into extraction, for a top-level file and for every child.
//
//   Context ctx(sink, limits, isolate);
//   dispatch(Input{bytes, "brev.docx", &path}, ctx);   // detect → format table → extractor
//
// Children (zip members, attachments, embedded objects) come back here through
// Context::extract_child(), one level deeper, so every limit is checked on every path.
#pragma once

#include "extract/extractor.h"
#include "extract/type_detect.h"

namespace vakt::extract {

void dispatch(const Input& input, Context& ctx);

// The extractor for a format (format_table.cpp); nullptr when none is linked in.
ExtractFn extractor_for(Format format);

}  // namespace vakt::extract

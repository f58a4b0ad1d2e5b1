// extract_rtf: the dispatcher's entry for RTF, run in-process (our own streaming parser, bounded
// memory); embedded \objdata objects re-enter the dispatcher.
#include "extract/formats.h"
#include "extract/isolation.h"
#include "extract/rtf_parser.h"

namespace vakt::extract {

void extract_rtf(const Input& input, Context& ctx) {
  ContextOutput out(ctx);
  parse_rtf(input.bytes, out, "document");
  out.end_part();
}

}  // namespace vakt::extract

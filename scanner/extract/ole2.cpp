// extract_ole2: the dispatcher's entry for OLE2 compound files, isolated like PDF.
#include "extract/formats.h"
#include "extract/isolation.h"
#include "extract/ole2_formats.h"

namespace vakt::extract {

void extract_ole2(const Input& input, Context& ctx) {
  run_parser(input, ctx, parse_ole2);
}

}  // namespace vakt::extract

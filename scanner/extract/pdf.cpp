// extract_pdf: the dispatcher's entry for PDF — poppler runs in an isolated child process.
#include "extract/formats.h"
#include "extract/isolation.h"
#include "extract/pdf_parser.h"

namespace vakt::extract {

void extract_pdf(const Input& input, Context& ctx) {
  run_parser(input, ctx, parse_pdf);
}

}  // namespace vakt::extract

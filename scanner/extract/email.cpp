// extract_eml / extract_mbox: the dispatcher's entries for e-mail, run in-process (our own bounded
// parser); attachments re-enter the dispatcher through ContextOutput::child.
#include "extract/email_parser.h"
#include "extract/formats.h"
#include "extract/isolation.h"

namespace vakt::extract {

void extract_eml(const Input& input, Context& ctx) {
  ContextOutput out(ctx);
  parse_eml(input.bytes, input.name, out);
  out.end_part();
}

void extract_mbox(const Input& input, Context& ctx) {
  ContextOutput out(ctx);
  parse_mbox(input.bytes, input.name, out);
  out.end_part();
}

}  // namespace vakt::extract

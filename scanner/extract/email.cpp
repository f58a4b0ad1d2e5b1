// extract_eml / extract_mbox: the dispatcher's entries for e-mail, run in-process (our own bounded
// parser); attachments re-enter the dispatcher through ContextOutput::child.
#include "extract/email_parser.h"
#include "extract/formats.h"
#include "extract/isolation.h"

namespace vakt::extract {

// Apple Mail .emlx: "<byte count>\n", the message, then an XML plist of mail flags (not content).
std::string_view emlx_message(std::string_view bytes) {
  const auto nl = bytes.find('\n');
  if (nl == std::string_view::npos) return bytes;
  std::uint64_t count = 0;
  for (char c : bytes.substr(0, nl)) {
    if (c < '0' || c > '9') break;
    count = count * 10 + static_cast<std::uint64_t>(c - '0');
    if (count > bytes.size()) break;
  }
  std::string_view message = bytes.substr(nl + 1);
  if (count > 0 && count < message.size()) message = message.substr(0, count);
  return message;
}

void extract_eml(const Input& input, Context& ctx) {
  ContextOutput out(ctx);
  const std::string_view bytes =
      ctx.current_type() == "emlx" ? emlx_message(input.bytes) : input.bytes;
  parse_eml(bytes, input.name, out);
  out.end_part();
}

void extract_mbox(const Input& input, Context& ctx) {
  ContextOutput out(ctx);
  parse_mbox(input.bytes, input.name, out);
  out.end_part();
}

}  // namespace vakt::extract

// The dispatcher: detect → format table → extractor. Every document, top-level or child, passes
// here.
#include "extract/dispatcher.h"

#include "extract/formats.h"

namespace vakt::extract {

void dispatch(const Input& input, Context& ctx) {
  if (ctx.stopped() || ctx.deadline_passed()) return;
  const DetectedType type = detect_type(input.bytes, input.name);
  ctx.set_type(type.name);
  ctx.set_current_type(type.name);
  if (type.format == Format::kEmpty) return;
  ExtractFn fn = extractor_for(type.format);
  if (fn == nullptr) {
    // No extractor linked for this format: read what can be read, and say so.
    ctx.mark_partial("no extractor for " + type.name);
    fn = extract_strings;
  }
  if (type.zip) {
    if (type.other_data_end > 0) {
      // What the archive was appended to (a self-extractor's program, a text, a picture, a first
      // archive) is read as a document of its own, then the archive.
      ctx.extract_child(input.bytes.substr(0, type.other_data_end), kDataBeforeArchivePart);
    }
    Input opened = input;
    opened.bytes = input.bytes.substr(type.archive_start);
    opened.file = type.archive_start == 0 ? input.file : nullptr;
    opened.zip = type.zip;
    fn(opened, ctx);
    return;
  }
  fn(input, ctx);
}

}  // namespace vakt::extract

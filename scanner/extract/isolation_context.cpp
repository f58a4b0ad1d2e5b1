// The Context side of isolation.h: ContextOutput and run_parser. Kept apart from the process
// machinery in isolation.cpp so the parsers and run_isolated can be tested without a Context.
#include <algorithm>
#include <new>

#include "extract/isolation.h"

namespace vakt::extract {

void ContextOutput::begin_part(std::string_view name) {
  if (in_part_) ctx_.end_part();
  ctx_.begin_part(name);
  in_part_ = true;
}
void ContextOutput::text(std::string_view utf8) {
  if (!in_part_) begin_part("text");
  ctx_.text(utf8);
}
void ContextOutput::end_part() {
  if (!in_part_) return;
  ctx_.end_part();
  in_part_ = false;
}
void ContextOutput::child(std::string_view bytes, std::string_view name) {
  end_part();
  ctx_.extract_child(bytes, name);
}
void ContextOutput::partial(std::string_view reason) {
  ctx_.mark_partial(reason);
}
void ContextOutput::unscannable(std::string_view reason) {
  ctx_.mark_unscannable(reason);
}
bool ContextOutput::stopped() const {
  return ctx_.stopped();
}

void run_parser(const Input& input, Context& ctx, ParseFn fn) {
  ContextOutput out(ctx);
  if (!ctx.isolate_risky_parsers()) {
    try {
      fn(input.bytes, input.name, out);
    } catch (const std::bad_alloc&) {
      ctx.mark_unscannable("parser memory limit");
    } catch (...) {
      ctx.mark_unscannable("parser error");
    }
    out.end_part();
    return;
  }
  IsolationOptions options;
  options.memory_bytes = ctx.limits().isolated_memory_bytes;
  options.wall_time = ctx.limits().max_time;
  options.max_child_bytes = std::min(options.max_child_bytes, ctx.expanded_room());
  bool deadline = false;
  options.should_stop = [&ctx, &deadline]() {
    if (ctx.stopped()) return true;
    deadline = ctx.deadline_passed();  // records "limit: max_time" on the Context
    return deadline;
  };
  IsolationResult r = run_isolated(input.bytes, input.name, fn, out, options);
  out.end_part();
  if (r.end == IsolationEnd::kFinished) return;
  if (r.end == IsolationEnd::kStopped) {
    // A parser stopped by the file's deadline before it produced anything read nothing at all.
    if (deadline && !r.any_text) ctx.mark_unscannable("parser time limit");
    return;
  }
  if (r.any_text) {
    ctx.mark_partial(r.reason);
  } else {
    ctx.mark_unscannable(r.reason);
  }
}

}  // namespace vakt::extract

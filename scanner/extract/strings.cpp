// Printable strings of a binary nobody could parse: UTF-8/ASCII runs and UTF-16LE runs, like
// strings(1). Never full coverage, so the document is always marked partial with the type named.
#include <algorithm>
#include <string>

#include "extract/formats.h"
#include "extract/text_decoder.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kMinRun = 4;  // characters
constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::size_t kCheckEvery = 1 << 20;

class RunWriter {
 public:
  explicit RunWriter(Context& ctx) : ctx_(ctx) {}
  ~RunWriter() { flush(); }
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void add(std::string_view run) {
    out_.append(run);
    out_ += '\n';
    if (out_.size() >= kFlushBytes) flush();
  }
  void flush() {
    if (!out_.empty()) ctx_.text(out_);
    out_.clear();
  }

 private:
  Context& ctx_;
  std::string out_;
};

bool printable_ascii(unsigned char c) {
  return (c >= 0x20 && c < 0x7F) || c == '\t';
}

// Length of a valid UTF-8 multibyte sequence for a printable character at p, else 0.
std::size_t utf8_char(const unsigned char* p, std::size_t n) {
  std::size_t need = 0;
  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    need = 1;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    need = 2;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    need = 3;
  else
    return 0;
  if (need >= n) return 0;
  for (std::size_t i = 1; i <= need; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  if (p[0] == 0xC2 && p[1] < 0xA0) return 0;  // C1 controls
  return need + 1;
}

void utf8_runs(std::string_view bytes, RunWriter& out, Context& ctx) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t run_start = 0, chars = 0, i = 0, next_check = kCheckEvery;
  auto end_run = [&](std::size_t end) {
    if (chars >= kMinRun) out.add(bytes.substr(run_start, end - run_start));
    chars = 0;
  };
  while (i < n) {
    if (i >= next_check) {
      next_check += kCheckEvery;
      if (ctx.stopped() || ctx.deadline_passed()) return;
    }
    std::size_t len = printable_ascii(p[i]) ? 1 : (p[i] >= 0x80 ? utf8_char(p + i, n - i) : 0);
    if (len == 0) {
      end_run(i);
      ++i;
      continue;
    }
    if (chars == 0) run_start = i;
    ++chars;
    i += len;
  }
  end_run(n);
}

// UTF-16LE code units in printable Latin ranges, at one alignment.
void utf16_runs(std::string_view bytes, std::size_t align, RunWriter& out, Context& ctx) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::string run;
  std::size_t chars = 0, next_check = kCheckEvery;
  auto end_run = [&] {
    if (chars >= kMinRun) out.add(run);
    run.clear();
    chars = 0;
  };
  for (std::size_t i = align; i + 1 < bytes.size(); i += 2) {
    if (i >= next_check) {
      next_check += kCheckEvery;
      if (ctx.stopped() || ctx.deadline_passed()) return;
    }
    const char32_t u = static_cast<char32_t>(p[i] | (p[i + 1] << 8));
    const bool ok = (u >= 0x20 && u < 0x7F) || u == '\t' || (u >= 0xA0 && u <= 0x17F) ||
                    (u >= 0x2010 && u <= 0x2027);
    // A pair of ASCII bytes ("ab" = U+6261) is 8-bit text, which utf8_runs already has.
    if (!ok) {
      end_run();
      continue;
    }
    append_code_point(run, u);
    ++chars;
  }
  end_run();
}

}  // namespace

void extract_strings(const Input& input, Context& ctx) {
  const std::string& type = ctx.current_type();
  ctx.mark_partial("printable text only (" + (type.empty() ? std::string("unknown format") : type) +
                   ")");
  ctx.begin_part("");
  {
    RunWriter out(ctx);
    utf8_runs(input.bytes, out, ctx);
    utf16_runs(input.bytes, 0, out, ctx);
    utf16_runs(input.bytes, 1, out, ctx);
  }
  ctx.end_part();
}

}  // namespace vakt::extract

// Context: the one object that carries limits, the container path and the outcome through a scan.
#include <string>
#include <string_view>

#include "extract/dispatcher.h"
#include "extract/extractor.h"
#include "extract/typography.h"

namespace vakt::extract {
namespace {

constexpr std::uint64_t kRatioFloorBytes = 1ull << 20;  // smaller members may compress freely
constexpr std::size_t kMaxReasons = 16;
constexpr std::string_view kLimitPrefix = "limit: ";

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  out += '/';
  out += b;
  return out;
}

}  // namespace

Context::Context(TextSink& sink, const Limits& limits, bool isolate_risky_parsers)
    : sink_(sink),
      limits_(limits),
      isolate_(isolate_risky_parsers),
      deadline_(std::chrono::steady_clock::now() + limits.max_time) {}

void Context::begin_part(std::string_view name) {
  if (in_part_) end_part();
  part_name_ = join_path(prefix_, name);
  sink_.begin_part(part_name_);
  in_part_ = true;
}

void Context::text(std::string_view utf8) {
  put_text(utf8, false);
}

void Context::valid_text(std::string_view utf8) {
  put_text(utf8, true);
}

void Context::put_text(std::string_view utf8, bool valid) {
  if (stop_ || utf8.empty()) return;
  if (normalize_typography(utf8, typography_scratch_)) utf8 = typography_scratch_;
  if (!in_part_) begin_part("");
  const std::uint64_t max = limits_.max_expanded_bytes;
  const std::uint64_t room = expanded_ < max ? max - expanded_ : 0;
  const bool over = utf8.size() > room;
  if (over) utf8 = utf8.substr(0, static_cast<std::size_t>(room));
  if (!utf8.empty()) {
    expanded_ += utf8.size();
    text_bytes_ += utf8.size();
    if (valid && !over) {
      sink_.valid_text(utf8);
    } else {
      sink_.text(utf8);  // the cut may split a character
    }
  }
  if (over) {
    add_expanded(1);  // records the limit and stops
    return;
  }
  if (sink_.saturated()) {
    mark_partial("limit: max_matches (extraction stopped early)");
    stop_ = true;
  }
}

void Context::end_part() {
  if (!in_part_) return;
  sink_.end_part();
  in_part_ = false;
}

void Context::extract_child(std::string_view bytes, std::string_view member_name) {
  if (stop_ || deadline_passed()) return;
  if (!add_entry()) return;
  if (depth_ + 1 > limits_.max_depth) {
    mark_partial("limit: max_depth");
    return;
  }
  const bool reopen = in_part_;
  const std::string saved_part = part_name_;
  end_part();

  std::string saved_prefix = prefix_;
  std::string saved_type = current_type_;
  prefix_ = join_path(prefix_, member_name);
  ++depth_;
  // Names carry personnummer as often inside a zip or an e-mail as on disk. Straight to the
  // sink: a name is not text extracted from the document (a zip of images stays "no text").
  sink_.begin_part(join_path(prefix_, kFileNamePart));
  sink_.text(member_name);
  sink_.end_part();
  Input child{bytes, std::string(member_name), nullptr, {}};
  dispatch(child, *this);
  end_part();
  --depth_;
  prefix_ = std::move(saved_prefix);
  current_type_ = std::move(saved_type);

  if (reopen && !stop_) {
    part_name_ = saved_part;
    sink_.begin_part(part_name_);
    in_part_ = true;
  }
}

void Context::scan_member_name(std::string_view member_name) {
  if (stop_) return;
  const bool reopen = in_part_;
  const std::string saved_part = part_name_;
  end_part();
  sink_.begin_part(join_path(join_path(prefix_, member_name), kFileNamePart));
  sink_.text(member_name);
  sink_.end_part();
  if (reopen) {
    part_name_ = saved_part;
    sink_.begin_part(part_name_);
    in_part_ = true;
  }
}

void Context::unread_member(std::string_view member_name, std::string_view reason) {
  add_entry();
  mark_partial(reason);
  scan_member_name(member_name);
}

void Context::mark_partial(std::string_view reason) {
  if (status_ == ScanStatus::kScanned) status_ = ScanStatus::kPartial;
  add_reason(reason);
}

void Context::mark_unscannable(std::string_view reason) {
  // Below the top level, one unreadable child leaves its container partly read.
  if (depth_ > 0) {
    mark_partial(reason);
    return;
  }
  if (status_ != ScanStatus::kError) status_ = ScanStatus::kUnscannable;
  add_reason(reason);
}

bool Context::add_expanded(std::uint64_t bytes) {
  expanded_ += bytes;
  if (expanded_ <= limits_.max_expanded_bytes) return true;
  mark_partial("limit: max_expanded_bytes");
  stop_ = true;
  return false;
}

bool Context::add_entry() {
  ++entries_;
  if (entries_ <= limits_.max_entries) return true;
  mark_partial("limit: max_entries");
  stop_ = true;
  return false;
}

bool Context::check_ratio(std::uint64_t compressed, std::uint64_t uncompressed) {
  if (uncompressed < kRatioFloorBytes) return true;
  const double ratio = compressed == 0
                           ? limits_.max_compression_ratio + 1.0
                           : static_cast<double>(uncompressed) / static_cast<double>(compressed);
  if (ratio <= limits_.max_compression_ratio) return true;
  mark_partial("limit: max_compression_ratio");
  return false;
}

bool Context::deadline_passed() {
  if (std::chrono::steady_clock::now() < deadline_) return false;
  if (!time_reported_) {
    time_reported_ = true;
    mark_partial("limit: max_time");
  }
  stop_ = true;
  return true;
}

void Context::set_type(std::string_view type) {
  if (top_type_.empty()) top_type_ = type;
}

void Context::add_reason(std::string_view reason) {
  std::string text(reason);
  // Global limits read the same wherever they hit; anything else says where it happened.
  if (depth_ > 0 && !prefix_.empty() && !reason.starts_with(kLimitPrefix)) {
    text += " (in " + prefix_ + ")";
  }
  // Exact repeats add nothing.
  std::string_view all(reason_);
  std::size_t pos = 0;
  while (pos <= all.size()) {
    std::size_t end = all.find("; ", pos);
    if (end == std::string_view::npos) end = all.size();
    if (all.substr(pos, end - pos) == text) return;
    pos = end + 2;
  }
  if (reason_count_ == kMaxReasons) {
    reason_ += "; …";
    ++reason_count_;
    return;
  }
  if (reason_count_ > kMaxReasons) return;
  if (!reason_.empty()) reason_ += "; ";
  reason_ += text;
  ++reason_count_;
}

}  // namespace vakt::extract

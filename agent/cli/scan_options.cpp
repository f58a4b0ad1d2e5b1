#include "cli/scan_options.h"

#include <cstdlib>
#include <filesystem>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <system_error>
#include <thread>

#include "cli/progress.h"
#include "config/key_file.h"

namespace vakt::cli {
namespace {

bool leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : kDays[m - 1];
}

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

Expected<std::uint64_t> parse_size(std::string_view text) {
  std::string_view digits = text;
  std::size_t end = 0;
  while (end < digits.size() && std::isdigit(static_cast<unsigned char>(digits[end]))) ++end;
  if (end == 0) return Error{"not a size: '" + std::string(text) + "' (use e.g. 500M or 2G)"};
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + end, value);
  if (ec != std::errc()) return Error{"size out of range: '" + std::string(text) + "'"};
  std::string suffix(digits.substr(end));
  std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (suffix.size() >= 2 && suffix.ends_with("IB")) {
    suffix.resize(suffix.size() - 2);
  } else if (suffix.ends_with("B")) {
    suffix.resize(suffix.size() - 1);
  }
  int shift = 0;
  if (suffix.empty())
    shift = 0;
  else if (suffix == "K")
    shift = 10;
  else if (suffix == "M")
    shift = 20;
  else if (suffix == "G")
    shift = 30;
  else if (suffix == "T")
    shift = 40;
  else
    return Error{"unknown size suffix in '" + std::string(text) + "' (use K, M, G or T)"};
  if (shift > 0 && value > (UINT64_MAX >> shift)) {
    return Error{"size out of range: '" + std::string(text) + "'"};
  }
  return value << shift;
}

Expected<CivilDate> parse_date(std::string_view text) {
  const Error bad{"not a date: '" + std::string(text) + "' (use YYYY-MM-DD)"};
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad;
  CivilDate d;
  if (!parse_int(text.substr(0, 4), d.year) || !parse_int(text.substr(5, 2), d.month) ||
      !parse_int(text.substr(8, 2), d.day)) {
    return bad;
  }
  if (d.year < 1800 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month)) {
    return Error{"no such date: '" + std::string(text) + "'"};
  }
  return d;
}

Expected<ScanOptions> resolve_scan_options(const ScanFlags& flags) {
  ScanOptions o;
  if (flags.paths.empty()) return Error{"no path given"};
  for (const auto& p : flags.paths) {
    if (p.empty()) return Error{"empty path given"};
    o.paths.emplace_back(p);
  }

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  o.threads = flags.threads == 0 ? cores : flags.threads;

  o.engine.rules_dir = flags.rules_dir;
  // Compiling the default rules takes about 2 s; a per-user cache makes the next scan start at
  // once. A cache that cannot be written only costs that time again.
  if (!flags.cache_dir.empty()) {
    o.engine.cache_dir = flags.cache_dir;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    o.engine.cache_dir = std::filesystem::path(xdg) / "vakt";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    o.engine.cache_dir = std::filesystem::path(home) / ".cache" / "vakt";
  }
  if (!flags.pseudonym_key_file.empty()) {
    auto key = agent::read_pseudonym_key_file(flags.pseudonym_key_file);
    if (!key) return key.error();
    o.engine.pseudonym_key = std::move(key.value());
  }
  if (!flags.reference_date.empty()) {
    auto date = parse_date(flags.reference_date);
    if (!date) return Error{"--reference-date: " + date.error().message};
    o.engine.reference_date = date.value();
  }
  if (!flags.max_file_size.empty()) {
    auto size = parse_size(flags.max_file_size);
    if (!size) return Error{"--max-file-size: " + size.error().message};
    if (size.value() == 0) return Error{"--max-file-size must be larger than 0"};
    o.engine.limits.max_file_bytes = size.value();
  }
  if (flags.max_depth >= 0) o.engine.limits.max_depth = flags.max_depth;
  if (flags.timeout_seconds >= 0) {
    if (!std::isfinite(flags.timeout_seconds) || flags.timeout_seconds <= 0 ||
        flags.timeout_seconds > 86400.0) {
      return Error{"--timeout must be between 0 and 86400 seconds"};
    }
    o.engine.limits.max_time = std::chrono::milliseconds(
        std::max<long long>(1, std::llround(flags.timeout_seconds * 1000.0)));
  }

  o.fail_class = flags.fail_class;
  if (flags.format == "text")
    o.format = OutputFormat::kText;
  else if (flags.format == "jsonl")
    o.format = OutputFormat::kJsonl;
  else if (flags.format == "csv")
    o.format = OutputFormat::kCsv;
  else
    return Error{"--format must be text, jsonl or csv"};
  o.output = flags.output;
  o.explain = flags.explain;
  o.quiet = flags.quiet;
  o.progress = !flags.no_progress && !flags.quiet && stderr_is_terminal();
  return o;
}

}  // namespace vakt::cli

// Pattern widths from Hyperscan, cached on disk (see pattern_widths.h).
#include "match/pattern_widths.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include <hs/hs.h>

namespace vakt::match {
namespace {

// Cache file: this line, then one "min max" line per query, in order.
constexpr std::string_view kMagic = "VAKTWIDTHS1";

bool parse_uint(std::string_view s, unsigned& out) {
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end;
}

// The cached widths, or an empty vector when the file is missing or not exactly right.
std::vector<Widths> load(const std::filesystem::path& file, std::size_t count) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kMagic) return {};
  std::vector<Widths> out;
  out.reserve(count);
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    Widths w;
    if (space == std::string::npos || !parse_uint(std::string_view(line).substr(0, space), w.min) ||
        !parse_uint(std::string_view(line).substr(space + 1), w.max) || w.min > w.max ||
        out.size() == count) {
      return {};
    }
    out.push_back(w);
  }
  if (out.size() != count) return {};
  return out;
}

}  // namespace

Expected<std::vector<Widths>> pattern_widths(const std::vector<WidthQuery>& queries,
                                             const std::filesystem::path& cache_dir,
                                             std::size_t* failing) {
  std::filesystem::path file;
  if (!cache_dir.empty() && !queries.empty()) {
    file =
        cache_dir / ("vakt-widths-" + patterns_key(hs_version(), queries).substr(0, 32) + ".txt");
    if (auto cached = load(file, queries.size()); !cached.empty()) return cached;
  }
  std::vector<Widths> out;
  out.reserve(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(queries[i].expression.c_str(), queries[i].flags, &info, &err) !=
        HS_SUCCESS) {
      std::string msg = err ? err->message : "invalid pattern";
      hs_free_compile_error(err);
      if (failing != nullptr) *failing = i;
      return Error{std::move(msg)};
    }
    out.push_back({info->min_width, info->max_width});
    std::free(info);
  }
  if (!file.empty()) {
    write_cache_file(cache_dir, file, [&](std::ostream& os) {
      os << kMagic << '\n';
      for (const auto& w : out) os << w.min << ' ' << w.max << '\n';
    });
  }
  return out;
}

}  // namespace vakt::match

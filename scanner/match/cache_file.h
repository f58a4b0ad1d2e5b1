// cache_file: what the engine's on-disk caches (the Hyperscan database, the pattern widths) have
// in common: a key that is a hash of the patterns and their flags, and a best-effort atomic write
// (a cache that cannot be written only costs start-up time; a reader sees the old file or the
// whole new one, never half of it).
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vakt::match {

struct HsPattern {
  std::string expression;
  unsigned flags = 0;  // HS_FLAG_*
};

// Hex SHA-256 of `context` and every pattern's flags and expression.
std::string patterns_key(std::string_view context, const std::vector<HsPattern>& patterns);

// Writes `file` (in `dir`, created if missing) through a temporary file and a rename; `write`
// fills the stream. False, and nothing left behind, on any failure.
bool write_cache_file(const std::filesystem::path& dir, const std::filesystem::path& file,
                      const std::function<void(std::ostream&)>& write);

}  // namespace vakt::match

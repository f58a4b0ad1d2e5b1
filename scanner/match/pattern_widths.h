// pattern_widths: the shortest and longest match of each pattern that is not a plain literal, as
// hs_expression_info reports them (the engine sizes its RE2 confirm windows by them). Hyperscan
// parses and analyses each pattern to answer, which was a quarter of a warm `vakt scan` start-up
// (callgrind: 67 of 253 M instructions), so the answers are cached beside the Hyperscan database,
// under a hash of the expressions, their flags and the Hyperscan version. A cache that is missing,
// unreadable or of another shape is ignored and rewritten.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "match/cache_file.h"
#include "vakt/scanner/expected.h"

namespace vakt::match {

using WidthQuery = HsPattern;  // an expression and its HS_FLAG_* flags

struct Widths {
  unsigned min = 0;
  unsigned max = 0;  // UINT_MAX: unbounded
};

// The widths of each query, in order. On a pattern Hyperscan rejects: its message as the error,
// and *failing set to its index. An empty cache_dir means no cache.
Expected<std::vector<Widths>> pattern_widths(const std::vector<WidthQuery>& queries,
                                             const std::filesystem::path& cache_dir,
                                             std::size_t* failing);

}  // namespace vakt::match

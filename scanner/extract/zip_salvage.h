// Zip salvage: reads members from local file headers when the central directory is missing or
// broken (a truncated upload, a half-synced OneDrive file, a fuzzed test case). Stored and deflated
// members are recovered; every member re-enters the dispatcher like a normal zip member, with the
// same encryption, size, ratio and budget checks. The caller marks the result partial.
#pragma once

#include <cstdint>

#include "extract/extractor.h"

namespace vakt::extract {

// Returns how many members were handed to the dispatcher.
std::uint64_t salvage_zip_members(const Input& input, Context& ctx);

}  // namespace vakt::extract

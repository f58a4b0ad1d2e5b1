// Masking for findings whose rule has no validator to do it: what may be printed of a match.
//
//   mask_match(MaskStyle::kTail4, "SE45 5000 0000 0583 9825 7466") == "**** **** **** **** ****
//   7466" mask_match(MaskStyle::kNone, "orosanmälan") == "orosanmälan"   (vocabulary: the rule's
//   own word)
#pragma once

#include <string>
#include <string_view>

#include "rules/rule_spec.h"

namespace vakt::mask {

std::string mask_match(rules::MaskStyle style, std::string_view match);

// Letters and digits only, upper-cased ASCII: the value behind separators, for pseudonyms.
std::string normalize_value(std::string_view match);

}  // namespace vakt::mask

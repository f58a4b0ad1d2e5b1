#include "classify/text_traits.h"

#include <algorithm>

namespace vakt::classify {

void TextTraits::sample(std::string_view text) {
  if (sampled >= kSampleBytes) return;
  text = text.substr(0, static_cast<std::size_t>(kSampleBytes - sampled));
  sampled += text.size();
  // In UTF-8 each of å ä ö Å Ä Ö is 0xC3 and one of six second bytes.
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) != 0xC3) continue;
    switch (static_cast<unsigned char>(text[i + 1])) {
      case 0xA5:
      case 0xA4:
      case 0xB6:
      case 0x85:
      case 0x84:
      case 0x96:
        ++swedish_letters;
        ++i;
        break;
      default:
        break;
    }
  }
}

std::uint64_t TextTraits::swedish_per_mille() const {
  return sampled == 0 ? 0 : swedish_letters * 1000 / sampled;
}

}  // namespace vakt::classify

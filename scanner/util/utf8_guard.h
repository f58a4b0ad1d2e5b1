// Utf8Guard: makes sure the matcher only ever sees valid UTF-8 (Hyperscan's UTF-8 mode has
// undefined behaviour otherwise), across chunk boundaries, at close to memory speed for ASCII.
//
// Invalid bytes become '?', one for one, so offsets stay put. A multi-byte character cut by a
// chunk boundary is held back and completed by the next chunk; flush() releases what is left.
#pragma once

#include <string>
#include <string_view>

namespace vakt {

class Utf8Guard {
 public:
  // Returns the next piece to scan and consumes it from `in`; call until `in` is empty. Valid
  // text comes back in place (no copy); a repaired copy lives in `scratch`.
  std::string_view clean(std::string_view& in, std::string& scratch);
  // End of stream: a held-back incomplete sequence, repaired.
  std::string_view flush(std::string& scratch);
  void reset() { carry_.clear(); }
  // True while the start of a character cut by a chunk boundary waits for its next bytes.
  bool holding() const { return !carry_.empty(); }

 private:
  std::string carry_;
};

// Length of the valid UTF-8 sequence starting at s[0], 0 if invalid, -1 if cut off by the end.
int utf8_sequence_length(std::string_view s);

}  // namespace vakt

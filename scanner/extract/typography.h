// normalize_typography: word-processor and PDF typography that hides words and numbers from the
// rules, undone before matching (offsets then refer to the normalised text):
//  - soft hyphens (U+00AD) are dropped: "Sekretess\u00admarkerad" is "Sekretessmarkerad";
//  - a hyphen at a line end joins a word broken there: "sekretess-\nmarkerad" when a lower-case
//    letter follows; between digits the line break goes and the hyphen stays: "990604-\n2388";
//  - a, o, u, e with a combining ring, diaeresis or acute (NFD, as macOS and some PDFs write
//    them) become å, ä, ö, ü, é.
// Everything else is left as it is; the text only gets shorter.
//
//   std::string scratch;
//   if (normalize_typography(chunk, scratch)) chunk = scratch;
#pragma once

#include <string>
#include <string_view>

namespace vakt::extract {

// Returns false (and leaves `out` alone) when there is nothing to change.
bool normalize_typography(std::string_view in, std::string& out);

// Runs of two or more spaces become one: justified PDF text in physical layout spreads the words
// of a phrase ("omfattas        av        sekretess") past the gaps the rules allow.
std::string collapse_spaces(std::string_view in);

}  // namespace vakt::extract

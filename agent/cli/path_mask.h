// mask_path: the form of a path `vakt scan` prints. Folder and file names often hold a
// personnummer ("Elevakter/19990604-2388 Anna/", "190604-2388 utredning.docx"), and the scanner
// reports those as findings, so printing the path in clear would print the matched value.
// Every digit run shaped like a personnummer or samordningsnummer (YYMMDD or YYYYMMDD, optional
// - or +, four digits; plausible month and day; Luhn check passes) keeps its date and loses the
// last four digits: "19990604-****". Everything else in the path is left as it is.
//
//   std::string shown = mask_path("Akter/19990604-2388 Anna.docx");   // "Akter/19990604-****
//   Anna.docx"
#pragma once

#include <string>
#include <string_view>

namespace vakt::cli {

std::string mask_path(std::string_view path);

}  // namespace vakt::cli

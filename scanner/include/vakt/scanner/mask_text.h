// mask_identity_numbers: hides personnummer, samordningsnummer and reservnummer inside free text that is not a
// finding — file and folder names, container member names, reasons — before anyone prints,
// logs or stores it. Folder and file names often hold one ("Elevakter/19990604-2388 Anna/").
//
// Every digit run shaped like one (YYMMDD or YYYYMMDD, optional - or +, four digits; plausible
// month and day; Luhn passes) keeps its date and loses the last four digits; a reservnummer
// (YYMMDD-T123, the letter counted as 1) loses its letter and digits:
//
//   mask_identity_numbers("Akter/19990604-2388 Anna.docx") == "Akter/19990604-**** Anna.docx"
//
// The scanner applies it to ScanResult::reason, Finding::part and Rejection::part itself;
// front ends apply it to paths they print or log.
#pragma once

#include <string>
#include <string_view>

namespace vakt {

std::string mask_identity_numbers(std::string_view text);

}  // namespace vakt

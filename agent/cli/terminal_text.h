// printable: text from files (names, member names, reasons, matched words) made safe for a
// terminal. Control characters (C0, DEL, and C1 as UTF-8) are shown as \xHH, so a file named
// "b\r0 Öppen …" or holding an escape sequence cannot overwrite or fake a row of the table.
// Everything else, UTF-8 included, is kept.
//
//   out << printable(result.path);
#pragma once

#include <string>
#include <string_view>

namespace vakt::cli {

std::string printable(std::string_view text);

}  // namespace vakt::cli

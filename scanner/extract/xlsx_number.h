// How a spreadsheet number is written out for scanning.
//
// Excel stores numbers as text in <v> ("199906042388", "1.99906042388E+11"); a scanner must see
// every digit and never an exponent, and where the cell's custom number format inserts separators
// ("000000-0000") it must see what the user sees ("990604-2388"). Pure functions, no state.
//
//   plain_number("1.99906042388E+11")               == "199906042388"
//   format_number("9906042388", "000000-0000")      == "990604-2388"
#pragma once

#include <string>
#include <string_view>

namespace vakt::extract {

// The number written in positional notation with all its digits; `v` itself if it is not a
// number or its exponent is absurd.
std::string plain_number(std::string_view v);

// The number as the digit-pattern format `format_code` shows it, when the value is an integer and
// the format's first section consists only of digit placeholders (0 # ?) and literals; otherwise
// plain_number(v). Dates, decimals, percentages and text formats fall back to plain_number.
std::string format_number(std::string_view v, std::string_view format_code);

}  // namespace vakt::extract

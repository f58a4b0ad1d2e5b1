// Spreadsheet number formatting (see xlsx_number.h).
#include "extract/xlsx_number.h"

#include <cstdint>
#include <vector>

namespace vakt::extract {
namespace {

constexpr int kMaxExponent = 64;

}  // namespace

std::string plain_number(std::string_view v) {
  std::size_t i = 0;
  std::string sign;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) {
    if (v[i] == '-') sign = "-";
    ++i;
  }
  std::string digits;
  int point = -1;  // digits before the decimal point
  for (; i < v.size(); ++i) {
    const char c = v[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
  }
  if (digits.empty() || digits.size() > 400) return std::string(v);
  if (point < 0) point = static_cast<int>(digits.size());
  if (i < v.size()) {
    if (v[i] != 'e' && v[i] != 'E') return std::string(v);
    ++i;
    bool neg = false;
    if (i < v.size() && (v[i] == '-' || v[i] == '+')) neg = v[i++] == '-';
    if (i == v.size()) return std::string(v);
    int exp = 0;
    for (; i < v.size(); ++i) {
      if (v[i] < '0' || v[i] > '9') return std::string(v);
      exp = exp * 10 + (v[i] - '0');
      if (exp > kMaxExponent) return std::string(v);
    }
    point += neg ? -exp : exp;
  }
  // digits with the decimal point after `point` digits (point may be <= 0 or > size).
  std::string int_part;
  std::string frac_part;
  const int n = static_cast<int>(digits.size());
  if (point <= 0) {
    frac_part = std::string(static_cast<std::size_t>(-point), '0') + digits;
  } else if (point >= n) {
    int_part = digits + std::string(static_cast<std::size_t>(point - n), '0');
  } else {
    int_part = digits.substr(0, static_cast<std::size_t>(point));
    frac_part = digits.substr(static_cast<std::size_t>(point));
  }
  const auto first = int_part.find_first_not_of('0');
  int_part = first == std::string::npos ? "0" : int_part.substr(first);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
  if (int_part == "0" && frac_part.empty()) sign.clear();
  return sign + int_part + (frac_part.empty() ? "" : "." + frac_part);
}

std::string format_number(std::string_view v, std::string_view format_code) {
  std::string plain = plain_number(v);
  if (plain.empty() || plain.find('.') != std::string::npos || plain[0] == '-' ||
      plain.find_first_not_of("0123456789") != std::string::npos)
    return plain;

  // Tokenise the first section into placeholders and literals.
  struct Token {
    char placeholder;  // '0', '#', '?' or 0 for a literal
    std::string literal;
  };
  std::vector<Token> tokens;
  int placeholders = 0;
  bool in_quote = false;
  for (std::size_t i = 0; i < format_code.size(); ++i) {
    const char c = format_code[i];
    if (in_quote) {
      if (c == '"') {
        in_quote = false;
      } else {
        tokens.push_back({0, std::string(1, c)});
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quote = true;
        break;
      case ';':
        i = format_code.size();  // first section only
        break;
      case '0':
      case '#':
      case '?':
        tokens.push_back({c, {}});
        ++placeholders;
        break;
      case '\\':
        if (i + 1 < format_code.size()) tokens.push_back({0, std::string(1, format_code[++i])});
        break;
      case '_':  // space the width of the next char
      case '*':  // repeat the next char to fill: nothing to show
        ++i;
        break;
      case '[': {  // [$-41D] locale, [Red] colour: skipped; [>=100] conditions: not ours
        const auto close = format_code.find(']', i);
        if (close == std::string_view::npos) return plain;
        const std::string_view inner = format_code.substr(i + 1, close - i - 1);
        if (!inner.empty() && (inner[0] == '<' || inner[0] == '>' || inner[0] == '=')) return plain;
        i = close;
        break;
      }
      case '-':
      case ' ':
      case '(':
      case ')':
      case '/':
      case ':':
      case '+':
        tokens.push_back({0, std::string(1, c)});
        break;
      default:
        return plain;  // dates, decimals, grouping, percent, exponent, text: shown as a number
    }
  }
  if (placeholders == 0) return plain;

  // Right-align digits into placeholders; extra leading digits go into the first placeholder.
  std::string out;
  const int n = static_cast<int>(plain.size());
  int placeholder_index = 0;
  for (const Token& t : tokens) {
    if (t.placeholder == 0) {
      out += t.literal;
      continue;
    }
    const int from_right = placeholders - placeholder_index;  // this placeholder's digit position
    const int digit = n - from_right;                         // index into plain
    if (placeholder_index == 0 && digit > 0) out.append(plain, 0, static_cast<std::size_t>(digit));
    if (digit >= 0) {
      out.push_back(plain[static_cast<std::size_t>(digit)]);
    } else if (t.placeholder == '0') {
      out.push_back('0');
    } else if (t.placeholder == '?') {
      out.push_back(' ');
    }
    ++placeholder_index;
  }
  return out;
}

}  // namespace vakt::extract

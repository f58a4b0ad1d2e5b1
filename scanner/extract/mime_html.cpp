// html_to_text; see mime_html.h.
#include "extract/mime_html.h"

#include <array>
#include <utility>

#include "extract/mime_charset.h"

namespace vakt::extract {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view s, std::size_t pos, std::string_view p) {
  if (pos > s.size() || s.size() - pos < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (lower(s[pos + i]) != p[i]) return false;
  }
  return true;
}

std::size_t ifind(std::string_view s, std::size_t from, std::string_view p) {
  for (std::size_t i = from; i + p.size() <= s.size(); ++i) {
    if (istarts_with(s, i, p)) return i;
  }
  return std::string_view::npos;
}

char32_t named_entity(std::string_view n) {
  static constexpr std::array<std::pair<std::string_view, char32_t>, 24> kNames = {{
      {"amp", '&'},    {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
      {"nbsp", ' '},   {"auml", 0xE4},    {"Auml", 0xC4},    {"ouml", 0xF6},     {"Ouml", 0xD6},
      {"aring", 0xE5}, {"Aring", 0xC5},   {"eacute", 0xE9},  {"Eacute", 0xC9},   {"uuml", 0xFC},
      {"Uuml", 0xDC},  {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"euro", 0x20AC},
      {"copy", 0xA9},  {"laquo", 0xAB},   {"raquo", 0xBB},   {"shy", 0xAD},
  }};
  for (const auto& [k, v] : kNames) {
    if (k == n) return v;
  }
  return 0;
}

bool is_block(std::string_view tag) {
  static constexpr std::array<std::string_view, 16> kBlock = {
      "br", "p",  "div", "tr",    "li", "h1", "h2",         "h3",
      "h4", "h5", "h6",  "table", "ul", "ol", "blockquote", "hr"};
  for (auto b : kBlock) {
    if (b == tag) return true;
  }
  return false;
}

}  // namespace

std::string html_to_text(std::string_view h) {
  std::string out;
  out.reserve(h.size() / 2);
  std::size_t i = 0;
  while (i < h.size()) {
    char c = h[i];
    if (c == '<') {
      if (h.substr(i, 4) == "<!--") {
        std::size_t e = h.find("-->", i + 4);
        i = e == std::string_view::npos ? h.size() : e + 3;
        continue;
      }
      std::size_t e = h.find('>', i + 1);
      if (e == std::string_view::npos) break;
      std::size_t n = i + 1;
      if (n < e && h[n] == '/') ++n;
      std::string tag;
      while (n < e && tag.size() < 16 &&
             ((h[n] >= 'a' && h[n] <= 'z') || (h[n] >= 'A' && h[n] <= 'Z') ||
              (h[n] >= '0' && h[n] <= '9'))) {
        tag.push_back(lower(h[n++]));
      }
      bool closing = h[i + 1] == '/';
      if (!closing && (tag == "script" || tag == "style" || tag == "head" || tag == "title")) {
        std::string close = "</" + tag;
        std::size_t ce = ifind(h, e + 1, close);
        if (ce == std::string_view::npos) {
          i = h.size();
          continue;
        }
        std::size_t ce2 = h.find('>', ce);
        i = ce2 == std::string_view::npos ? h.size() : ce2 + 1;
        continue;
      }
      if (tag == "td" || tag == "th")
        out.push_back('\t');
      else if (is_block(tag))
        out.push_back('\n');
      i = e + 1;
    } else if (c == '&') {
      std::size_t semi = h.substr(0, std::min(h.size(), i + 12)).find(';', i + 1);
      if (semi != std::string_view::npos) {
        std::string_view ent = h.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        if (!ent.empty() && ent[0] == '#') {
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          for (std::size_t k = hex ? 2 : 1; k < ent.size(); ++k) {
            char d = ent[k];
            int v = (d >= '0' && d <= '9')                        ? d - '0'
                    : (hex && lower(d) >= 'a' && lower(d) <= 'f') ? lower(d) - 'a' + 10
                                                                  : -1;
            if (v < 0 || cp > 0x10FFFF) {
              cp = 0xFFFD;
              break;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(v);
          }
        } else {
          cp = named_entity(ent);
        }
        if (cp != 0) {
          if (cp != 0xAD) append_code_point(out, cp);  // soft hyphen: invisible
          i = semi + 1;
          continue;
        }
      }
      out.push_back('&');
      ++i;
    } else if (c == '\r') {
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  // Collapse runs of blank lines left by markup.
  std::string tidy;
  tidy.reserve(out.size());
  int newlines = 0;
  for (char ch : out) {
    if (ch == '\n') {
      if (++newlines > 2) continue;
    } else if (ch != ' ' && ch != '\t') {
      newlines = 0;
    }
    tidy.push_back(ch);
  }
  return tidy;
}

}  // namespace vakt::extract

// MIME decoding helpers; see mime_decode.h.
#include "extract/mime_decode.h"

#include "extract/mime_charset.h"

namespace vakt::extract {
namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return o;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string percent_decode(std::string_view s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      o.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else {
      o.push_back(s[i]);
    }
  }
  return o;
}

// Decodes one encoded word's text; false when it is not a well-formed encoded word.
bool decode_word(std::string_view charset, char enc, std::string_view text, std::string& out) {
  std::string raw;
  if (enc == 'B' || enc == 'b') {
    raw = decode_base64(text);
  } else if (enc == 'Q' || enc == 'q') {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '_') {
        raw.push_back(' ');
      } else if (text[i] == '=' && i + 2 < text.size() && hexval(text[i + 1]) >= 0 &&
                 hexval(text[i + 2]) >= 0) {
        raw.push_back(static_cast<char>(hexval(text[i + 1]) * 16 + hexval(text[i + 2])));
        i += 2;
      } else {
        raw.push_back(text[i]);
      }
    }
  } else {
    return false;
  }
  std::size_t star = charset.find('*');  // RFC 2231 language suffix
  out.append(charset_to_utf8(raw, charset.substr(0, star)));
  return true;
}

}  // namespace

std::string decode_base64(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '=') {
      out.push_back(c);
      continue;
    }
    if (i + 2 < in.size() && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexval(in[i + 1]) * 16 + hexval(in[i + 2])));
      i += 2;
      continue;
    }
    // Soft line break: "=" then optional spaces then CRLF/LF.
    std::size_t j = i + 1;
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    if (j < in.size() && in[j] == '\r') ++j;
    if (j < in.size() && in[j] == '\n') {
      i = j;
      continue;
    }
    if (j >= in.size()) break;
    out.push_back(c);  // a stray '=' stays
  }
  return out;
}

std::string decode_uuencode(std::string_view in) {
  std::string out;
  bool inside = false;
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t eol = in.find('\n', pos);
    std::string_view line = in.substr(pos, (eol == std::string_view::npos ? in.size() : eol) - pos);
    pos = eol == std::string_view::npos ? in.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!inside) {
      inside = line.substr(0, 6) == "begin ";
      continue;
    }
    if (line == "end") break;
    if (line.empty()) continue;
    std::size_t n = static_cast<std::size_t>((line[0] - ' ') & 0x3F);
    std::size_t produced = 0;
    for (std::size_t i = 1; i + 3 < line.size() && produced < n; i += 4) {
      unsigned v[4];
      for (std::size_t k = 0; k < 4; ++k) v[k] = static_cast<unsigned>((line[i + k] - ' ') & 0x3F);
      char b[3] = {static_cast<char>((v[0] << 2) | (v[1] >> 4)),
                   static_cast<char>(((v[1] & 0xF) << 4) | (v[2] >> 2)),
                   static_cast<char>(((v[2] & 0x3) << 6) | v[3])};
      for (char c : b) {
        if (produced < n) {
          out.push_back(c);
          ++produced;
        }
      }
    }
  }
  return out;
}

std::string decode_rfc2047(std::string_view in) {
  std::string out;
  std::string plain;  // undecoded text between words, held back to drop whitespace between words
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < in.size()) {
    if (in[i] == '=' && i + 1 < in.size() && in[i + 1] == '?') {
      // An encoded word is at most 75 characters (RFC 2047); look no further than a window so a
      // header full of "=?" never costs quadratic time.
      std::string_view w = in.substr(i, 1024);
      std::size_t q1 = w.find('?', 2);
      std::size_t q2 = q1 == std::string_view::npos ? q1 : w.find('?', q1 + 1);
      std::size_t end = (q2 == std::string_view::npos || q2 != q1 + 2) ? std::string_view::npos
                                                                       : w.find("?=", q2 + 1);
      if (end != std::string_view::npos) {
        std::string decoded;
        if (decode_word(w.substr(2, q1 - 2), w[q1 + 1], w.substr(q2 + 1, end - q2 - 1), decoded)) {
          bool only_space = trim(plain).empty();
          if (!(last_was_word && only_space)) out.append(sanitize_utf8(plain));
          plain.clear();
          out.append(decoded);
          last_was_word = true;
          i += end + 2;
          continue;
        }
      }
    }
    plain.push_back(in[i]);
    ++i;
  }
  out.append(sanitize_utf8(plain));
  return out;
}

ContentType parse_content_type(std::string_view value) {
  ContentType ct;
  std::size_t semi = value.find(';');
  std::string t = lower(trim(value.substr(0, semi)));
  if (!t.empty()) ct.type = t;
  std::map<std::string, std::map<int, std::pair<std::string, bool>>>
      pieces;  // name → n → (value, encoded)
  std::size_t i = semi == std::string_view::npos ? value.size() : semi + 1;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == ';' ||
                                value[i] == '\r' || value[i] == '\n')) {
      ++i;
    }
    std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = lower(trim(value.substr(i, eq - i)));
    i = eq + 1;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string v;
    if (i < value.size() && value[i] == '"') {
      ++i;
      while (i < value.size() && value[i] != '"') {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        v.push_back(value[i++]);
      }
      ++i;
    } else {
      std::size_t e = value.find(';', i);
      if (e == std::string_view::npos) e = value.size();
      v = std::string(trim(value.substr(i, e - i)));
      i = e;
    }
    // RFC 2231: name*N*=..., name*N=..., name*=...
    bool encoded = !name.empty() && name.back() == '*';
    if (encoded) name.pop_back();
    int index = 0;
    std::size_t star = name.find('*');
    if (star != std::string::npos) {
      std::string num = name.substr(star + 1);
      index = 0;
      for (char c : num) {
        if (c < '0' || c > '9' || index > 10000) break;
        index = index * 10 + (c - '0');
      }
      name = name.substr(0, star);
    }
    if (pieces[name].size() < 1000) pieces[name][index] = {v, encoded};
  }
  for (auto& [name, parts] : pieces) {
    std::string charset;
    std::string raw;
    bool any_encoded = false;
    bool first = true;
    for (auto& [n, piece] : parts) {
      std::string v = piece.first;
      if (piece.second) {
        any_encoded = true;
        if (first) {
          std::size_t a = v.find('\'');
          std::size_t b = a == std::string::npos ? a : v.find('\'', a + 1);
          if (b != std::string::npos) {
            charset = v.substr(0, a);
            v = v.substr(b + 1);
          }
        }
        raw += percent_decode(v);
      } else {
        raw += v;
      }
      first = false;
    }
    ct.params[name] = any_encoded ? charset_to_utf8(raw, charset) : decode_rfc2047(raw);
  }
  return ct;
}

std::vector<Header> parse_headers(std::string_view m, std::string_view* body) {
  std::vector<Header> out;
  std::size_t pos = 0;
  *body = std::string_view();
  while (pos < m.size()) {
    std::size_t eol = m.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? m.size() : eol + 1;
    std::string_view line = m.substr(pos, (eol == std::string_view::npos ? m.size() : eol) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      *body = m.substr(next);
      return out;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      if (out.back().value.size() < (1u << 20)) {
        out.back().value.push_back(' ');
        out.back().value.append(trim(line));
      }
    } else {
      std::size_t colon = line.find(':');
      bool valid = colon != std::string_view::npos && colon > 0;
      for (std::size_t k = 0; valid && k < colon; ++k) {
        if (line[k] == ' ' || line[k] == '\t') valid = false;
      }
      if (valid) {
        out.push_back({lower(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
      } else if (!(out.empty() && line.substr(0, 5) == "From ")) {
        // Not a header: the header block ended without a blank line.
        *body = m.substr(pos);
        return out;
      }
    }
    pos = next;
  }
  return out;
}

std::string header_value(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

}  // namespace vakt::extract

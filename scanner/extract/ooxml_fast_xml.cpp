// The fast OOXML/ODF XML tokenizer (see ooxml_fast_xml.h).
#include "extract/ooxml_fast_xml.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "extract/text_decoder.h"  // append_code_point

namespace vakt::extract {
namespace {

constexpr std::size_t kNpos = std::string_view::npos;
constexpr std::size_t kIncomplete = kNpos - 1;  // start_tag: the tag goes on in the next chunk
constexpr std::size_t kMaxPending = 16u << 20;  // one unterminated token may not grow past this

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Byte classes for the name loops of start_tag: one table load per byte instead of four or five
// compares (element and attribute names are most of the bytes of Word and PowerPoint XML).
enum : std::uint8_t { kSpace = 1, kEndsName = 2, kEndsAttrName = 4, kColon = 8 };
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned char c : {' ', '\n', '\r', '\t'}) t[c] = kSpace | kEndsName | kEndsAttrName;
  t[static_cast<unsigned char>('>')] = kEndsName | kEndsAttrName;
  t[static_cast<unsigned char>('/')] = kEndsName;
  t[static_cast<unsigned char>('=')] = kEndsAttrName;
  t[static_cast<unsigned char>(':')] = kColon;
  return t;
}();

bool has(char c, std::uint8_t cls) {
  return (kByteClass[static_cast<unsigned char>(c)] & cls) != 0;
}

}  // namespace

std::size_t OoxmlFastXml::fail(std::string message) {
  failed_ = true;
  error_ = "corrupt xml: " + std::move(message);
  return kNpos;
}

bool OoxmlFastXml::error(std::string message) {
  fail(std::move(message));
  return false;
}

Status OoxmlFastXml::feed(std::string_view chunk) {
  if (failed_) return Error{error_};
  if (stopped_) return Ok{};
  std::size_t used = 0;
  if (pending_.empty()) {
    used = parse(chunk, false);
    if (used == kNpos) return Error{error_};
    pending_.assign(chunk.substr(used));
  } else {
    pending_.append(chunk);
    used = parse(pending_, false);
    if (used == kNpos) return Error{error_};
    pending_.erase(0, used);
  }
  offset_ += used;
  if (pending_.size() > kMaxPending) {
    fail("unterminated token longer than 16 MiB");
    return Error{error_};
  }
  return Ok{};
}

Status OoxmlFastXml::finish() {
  if (failed_) return Error{error_};
  if (stopped_) return Ok{};
  if (parse(pending_, true) == kNpos) return Error{error_};
  pending_.clear();
  if (!seen_root_) return Error{"corrupt xml: no element found"};
  if (!stack_offsets_.empty()) return Error{"corrupt xml: unclosed element at end of document"};
  return Ok{};
}

bool OoxmlFastXml::decode(std::string_view raw, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < raw.size()) {
    const auto amp = raw.find('&', i);
    if (amp == kNpos) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, amp - i));
    const auto semi = raw.find(';', amp);
    if (semi == kNpos || semi - amp > 12) return error("unterminated entity reference");
    const std::string_view ent = raw.substr(amp + 1, semi - amp - 1);
    if (ent == "lt") {
      out.push_back('<');
    } else if (ent == "gt") {
      out.push_back('>');
    } else if (ent == "amp") {
      out.push_back('&');
    } else if (ent == "quot") {
      out.push_back('"');
    } else if (ent == "apos") {
      out.push_back('\'');
    } else if (ent.size() >= 2 && ent[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = ent[1] == 'x';
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      if (digits.empty()) return error("bad character reference");
      for (char c : digits) {
        std::uint32_t d = 0;
        if (c >= '0' && c <= '9') {
          d = static_cast<std::uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
          return error("bad character reference");
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) return error("bad character reference");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return error("bad character reference");
      append_code_point(out, static_cast<char32_t>(cp));
    } else {
      return error("undefined entity");
    }
    i = semi + 1;
  }
  return true;
}

bool OoxmlFastXml::emit_text(std::string_view raw) {
  if (raw.empty()) return true;
  if (stack_offsets_.empty()) {  // outside the root: only whitespace (and a BOM before it) allowed
    for (char c : raw) {
      if (!is_space(c) && !(!seen_root_ && (c == '\xEF' || c == '\xBB' || c == '\xBF')))
        return error(seen_root_ ? "junk after document element" : "text before the root element");
    }
    return true;
  }
  if (std::memchr(raw.data(), '&', raw.size()) == nullptr) {
    handler_.text(raw);
    return true;
  }
  if (!decode(raw, scratch_)) return false;
  handler_.text(scratch_);
  return true;
}

std::size_t OoxmlFastXml::start_tag(std::string_view data, std::size_t p, bool final) {
  // One pass over the tag: the name, then each attribute's name and quoted value (skipped with
  // memchr, so a '>' inside a value needs no special case), up to '>' or '/>'.
  const std::size_t n = data.size();
  const char* const base = data.data();
  auto incomplete = [&] { return final ? fail("unclosed token") : kIncomplete; };
  std::size_t i = p + 1;
  std::size_t colon = kNpos;  // the last ':' of the name: the local name follows it
  for (;;) {
    while (i < n && !has(base[i], kEndsName | kColon)) ++i;
    if (i >= n || base[i] != ':') break;
    colon = i++;
  }
  if (i >= n) return incomplete();
  const std::string_view qname = data.substr(p + 1, i - p - 1);
  const std::size_t local_at = colon == kNpos ? 0 : colon - p;  // offset in qname
  if (qname.empty()) return fail("empty element name");
  attrs_.clear();
  to_decode_.clear();
  bool self_closing = false;
  while (true) {
    while (i < n && has(base[i], kSpace)) ++i;
    if (i >= n) return incomplete();
    if (base[i] == '>') {
      ++i;
      break;
    }
    if (base[i] == '/') {
      if (i + 1 >= n) return incomplete();
      if (base[i + 1] != '>') return fail("unexpected '/' in a tag");
      self_closing = true;
      i += 2;
      break;
    }
    const std::size_t name_start = i;
    while (i < n && !has(base[i], kEndsAttrName)) ++i;
    const std::string_view aname = data.substr(name_start, i - name_start);
    while (i < n && has(base[i], kSpace)) ++i;
    if (i >= n) return incomplete();
    if (base[i] != '=') return fail("attribute without value");
    ++i;
    while (i < n && has(base[i], kSpace)) ++i;
    if (i >= n) return incomplete();
    if (base[i] != '"' && base[i] != '\'') return fail("unquoted attribute");
    const char quote = base[i++];
    const void* close = std::memchr(base + i, quote, n - i);
    if (close == nullptr) return incomplete();
    const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(close) - base);
    const std::string_view raw = data.substr(i, end - i);
    i = end + 1;
    if (aname.starts_with("xmlns") && (aname.size() == 5 || aname[5] == ':')) {
      continue;  // namespace declarations are not attributes (as expat in NS mode)
    }
    if (std::memchr(raw.data(), '&', raw.size()) != nullptr)
      to_decode_.push_back(attrs_.size() + 1);
    attrs_.push_back(aname);
    attrs_.push_back(raw);
  }
  if (seen_root_ && stack_offsets_.empty()) return fail("junk after document element");
  seen_root_ = true;
  if (!to_decode_.empty()) {
    // Decode every referencing value into one buffer first, then point the views at it (the
    // buffer may move while it grows).
    decoded_.clear();
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (std::size_t k : to_decode_) {
      if (!decode(attrs_[k], scratch_)) return kNpos;
      spans.emplace_back(decoded_.size(), scratch_.size());
      decoded_.append(scratch_);
    }
    for (std::size_t j = 0; j < to_decode_.size(); ++j) {
      attrs_[to_decode_[j]] = std::string_view(decoded_).substr(spans[j].first, spans[j].second);
    }
  }
  const std::string_view local = qname.substr(local_at);
  handler_.start(XmlName{{}, local}, XmlAttrs(attrs_.data(), attrs_.size() / 2));
  if (self_closing) {
    handler_.end(XmlName{{}, local});
  } else {
    stack_offsets_.push_back({stack_.size(), local_at});
    stack_.append(qname);
  }
  return i;
}

bool OoxmlFastXml::end_tag(std::string_view tag) {
  while (!tag.empty() && is_space(tag.back())) tag.remove_suffix(1);
  if (stack_offsets_.empty()) return error("end tag without start tag");
  const auto [top, local_at] = stack_offsets_.back();
  if (std::string_view(stack_).substr(top) != tag) return error("mismatched tag");
  stack_offsets_.pop_back();
  stack_.resize(top);
  handler_.end(XmlName{{}, tag.substr(local_at)});
  return true;
}

std::size_t OoxmlFastXml::parse(std::string_view data, bool final) {
  const char* const base = data.data();
  const std::size_t n = data.size();
  std::size_t p = 0;
  while (p < n && !stopped_) {
    if (base[p] != '<') {
      const void* lt = std::memchr(base + p, '<', n - p);
      std::size_t e =
          lt == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(lt) - base);
      if (lt == nullptr && !final) {
        // Hold back a trailing entity reference that may be cut by the chunk boundary.
        const auto amp = data.rfind('&');
        if (amp != kNpos && amp >= p && data.find(';', amp) == kNpos) e = amp;
        if (e == p) return p;
      }
      if (!emit_text(data.substr(p, e - p))) return kNpos;
      p = e;
      continue;
    }
    if (p + 1 >= n) return final ? fail("unclosed token") : p;
    const char c = base[p + 1];
    if (c == '/') {
      const void* gt = std::memchr(base + p + 2, '>', n - p - 2);
      if (gt == nullptr) return final ? fail("unclosed token") : p;
      const std::size_t g = static_cast<std::size_t>(static_cast<const char*>(gt) - base);
      if (!end_tag(data.substr(p + 2, g - p - 2))) return kNpos;
      p = g + 1;
    } else if (c == '?') {
      const auto q = data.find("?>", p + 2);
      if (q == kNpos) return final ? fail("unclosed processing instruction") : p;
      p = q + 2;
    } else if (c == '!') {
      const std::string_view rest = data.substr(p);
      if (rest.substr(0, 4) == "<!--") {
        const auto q = data.find("-->", p + 4);
        if (q == kNpos) return final ? fail("unclosed comment") : p;
        p = q + 3;
      } else if (rest.substr(0, 9) == "<![CDATA[") {
        const auto q = data.find("]]>", p + 9);
        if (q == kNpos) return final ? fail("unclosed CDATA section") : p;
        if (!stack_offsets_.empty() && q > p + 9) handler_.text(data.substr(p + 9, q - p - 9));
        p = q + 3;
      } else if (rest.size() < 9 && !final) {
        return p;
      } else {
        return fail("unexpected markup declaration");  // DOCTYPE goes to expat before this
      }
    } else {
      const std::size_t next = start_tag(data, p, final);
      if (next == kNpos) return kNpos;
      if (next == kIncomplete) return p;
      p = next;
    }
  }
  return stopped_ ? n : p;
}

}  // namespace vakt::extract

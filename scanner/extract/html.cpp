// HTML and XML to text with one streaming tokenizer (no DOM, no entity expansion beyond the
// predefined/HTML named ones, no DTD, no external references — ever).
//
// HTML: tags dropped, block tags become line breaks (cells a tab), script/style skipped (data
// scripts such as application/json are read), link targets and data-* values read, named and
// numeric entities decoded. XML: text nodes and CDATA only; a DOCTYPE and its internal subset are
// skipped unread, so entity bombs and external entities (XXE) expand to nothing.
#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <string>
#include <utility>

#include "extract/formats.h"
#include "extract/mime_html.h"
#include "extract/text_decoder.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kChunk = 256 * 1024;
constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::size_t kMaxTagName = 32;
constexpr std::size_t kMaxEntity = 32;
constexpr std::size_t kMaxAttributeValue = 4096;

struct NamedEntity {
  std::string_view name;
  char32_t cp;
};

constexpr NamedEntity kXmlEntities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};

// The entities Swedish and other European text actually uses; &nbsp; reads as a plain space so
// "19990604&nbsp;2388" matches like the text a reader sees.
constexpr NamedEntity kHtmlEntities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},      {"aring", 0xE5},   {"Aring", 0xC5},   {"auml", 0xE4},    {"Auml", 0xC4},
    {"ouml", 0xF6},     {"Ouml", 0xD6},    {"eacute", 0xE9},  {"Eacute", 0xC9},  {"egrave", 0xE8},
    {"Egrave", 0xC8},   {"uuml", 0xFC},    {"Uuml", 0xDC},    {"aelig", 0xE6},   {"AElig", 0xC6},
    {"oslash", 0xF8},   {"Oslash", 0xD8},  {"szlig", 0xDF},   {"aacute", 0xE1},  {"Aacute", 0xC1},
    {"agrave", 0xE0},   {"Agrave", 0xC0},  {"acirc", 0xE2},   {"ecirc", 0xEA},   {"icirc", 0xEE},
    {"ocirc", 0xF4},    {"ucirc", 0xFB},   {"iacute", 0xED},  {"oacute", 0xF3},  {"Oacute", 0xD3},
    {"uacute", 0xFA},   {"ntilde", 0xF1},  {"Ntilde", 0xD1},  {"ccedil", 0xE7},  {"Ccedil", 0xC7},
    {"euml", 0xEB},     {"iuml", 0xEF},    {"atilde", 0xE3},  {"otilde", 0xF5},  {"yuml", 0xFF},
    {"eth", 0xF0},      {"thorn", 0xFE},   {"copy", 0xA9},    {"reg", 0xAE},     {"shy", 0xAD},
    {"sect", 0xA7},     {"para", 0xB6},    {"middot", 0xB7},  {"times", 0xD7},   {"divide", 0xF7},
    {"deg", 0xB0},      {"plusmn", 0xB1},  {"laquo", 0xAB},   {"raquo", 0xBB},   {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"pound", 0xA3},   {"euro", 0x20AC},  {"ndash", 0x2013}, {"mdash", 0x2014},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"sbquo", 0x201A},  {"bdquo", 0x201E}, {"bull", 0x2022},  {"trade", 0x2122}, {"ensp", ' '},
    {"emsp", ' '},      {"thinsp", ' '},   {"zwnj", 0x200C},  {"zwj", 0x200D},   {"lrm", 0x200E},
    {"rlm", 0x200F},    {"minus", 0x2212},
};

constexpr std::string_view kBlockTags[] = {
    "p",    "div",     "br",      "li",     "tr",     "h1",      "h2",     "h3",
    "h4",   "h5",      "h6",      "table",  "ul",     "ol",      "dl",     "dt",
    "dd",   "section", "article", "header", "footer", "nav",     "aside",  "blockquote",
    "pre",  "hr",      "title",   "form",   "option", "address", "figure", "figcaption",
    "main", "caption", "thead",   "tbody",  "tfoot",  "body"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower_ascii(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

class MarkupText {
 public:
  enum class Mode { kHtml, kXml };

  using Sink = std::function<void(std::string_view utf8)>;
  MarkupText(Sink sink, Mode mode) : sink_(std::move(sink)), mode_(mode) {}

  void feed(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      if (state_ == State::kText) {
        // Fast path: a run of plain text.
        std::size_t j = i;
        while (j < s.size() && s[j] != '<' && s[j] != '&') ++j;
        if (j > i) emit(s.substr(i, j - i));
        i = j;
        if (i == s.size()) break;
      }
      step(s[i]);
      ++i;
    }
    if (out_.size() >= kFlushBytes) flush(false);
  }

  void finish() {
    if (state_ == State::kEntity) decode_entity(false);
    if (state_ == State::kTagOpen) emit("<");
    state_ = State::kText;
    flush(true);
  }

 private:
  enum class State {
    kText,
    kTagOpen,
    kTagName,
    kTagBody,
    kAttrName,
    kBeforeValue,
    kUnquoted,
    kQuoteDouble,
    kQuoteSingle,
    kDecl,
    kComment,
    kCData,
    kDoctype,
    kPi,
    kEntity,
    kRaw
  };

  void step(char c) {
    switch (state_) {
      case State::kText:
        if (c == '<') {
          state_ = State::kTagOpen;
        } else if (c == '&') {
          entity_.clear();
          state_ = State::kEntity;
        } else {
          emit(std::string_view(&c, 1));
        }
        break;
      case State::kTagOpen:
        if (c == '/') {
          begin_tag(true);
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
                   (mode_ == Mode::kXml && static_cast<unsigned char>(c) >= 0x80)) {
          begin_tag(false);
          tag_ += lower_ascii(c);
        } else if (c == '!') {
          decl_.clear();
          state_ = State::kDecl;
        } else if (c == '?') {
          question_ = false;
          state_ = State::kPi;
        } else {
          emit("<");
          state_ = State::kText;
          step(c);
        }
        break;
      case State::kTagName:
        if (is_space(c)) {
          state_ = State::kTagBody;
        } else if (c == '>') {
          finish_tag();
        } else if (c == '/') {
          self_closing_ = true;
          state_ = State::kTagBody;
        } else if (tag_.size() < kMaxTagName) {
          tag_ += lower_ascii(c);
        }
        break;
      case State::kTagBody:
        if (c == '>') {
          finish_tag();
        } else if (c == '/') {
          self_closing_ = true;
        } else if (c == '=') {
          state_ = State::kBeforeValue;
        } else if (c == '"' || c == '\'') {
          begin_value(c == '"' ? State::kQuoteDouble : State::kQuoteSingle);
        } else if (!is_space(c)) {
          self_closing_ = false;
          attr_.assign(1, lower_ascii(c));
          state_ = State::kAttrName;
        }
        break;
      case State::kAttrName:
        if (c == '=') {
          state_ = State::kBeforeValue;
        } else if (c == '>') {
          finish_tag();
        } else if (c == '/') {
          self_closing_ = true;
          state_ = State::kTagBody;
        } else if (is_space(c)) {
          state_ = State::kTagBody;  // "name = value" still reaches kBeforeValue
        } else if (attr_.size() < kMaxTagName) {
          attr_ += lower_ascii(c);
        }
        break;
      case State::kBeforeValue:
        if (c == '"' || c == '\'') {
          begin_value(c == '"' ? State::kQuoteDouble : State::kQuoteSingle);
        } else if (c == '>') {
          finish_tag();
        } else if (!is_space(c)) {
          begin_value(State::kUnquoted);
          add_value_char(c);
        }
        break;
      case State::kUnquoted:
        if (is_space(c)) {
          end_value();
        } else if (c == '>') {
          end_value();
          finish_tag();
        } else {
          add_value_char(c);
        }
        break;
      case State::kQuoteDouble:
        if (c == '"') {
          end_value();
        } else {
          add_value_char(c);
        }
        break;
      case State::kQuoteSingle:
        if (c == '\'') {
          end_value();
        } else {
          add_value_char(c);
        }
        break;
      case State::kDecl:
        step_decl(c);
        break;
      case State::kComment:
        if (c == '-') {
          ++dashes_;
        } else {
          if (c == '>' && dashes_ >= 2) state_ = State::kText;
          dashes_ = 0;
        }
        break;
      case State::kCData:
        if (c == ']') {
          ++brackets_;
        } else if (c == '>' && brackets_ >= 2) {
          emit(std::string(static_cast<std::size_t>(brackets_ - 2), ']'));
          brackets_ = 0;
          state_ = State::kText;
        } else {
          emit(std::string(static_cast<std::size_t>(brackets_), ']'));
          brackets_ = 0;
          emit(std::string_view(&c, 1));
        }
        break;
      case State::kDoctype:
        step_doctype(c);
        break;
      case State::kPi:
        // XML ends a processing instruction at "?>", HTML a bogus comment at the first '>'.
        if (c == '>' && (question_ || mode_ == Mode::kHtml)) state_ = State::kText;
        question_ = c == '?';
        break;
      case State::kEntity:
        if (c == ';') {
          decode_entity(true);
        } else if ((std::isalnum(static_cast<unsigned char>(c)) || c == '#') &&
                   entity_.size() < kMaxEntity) {
          entity_ += c;
        } else {
          decode_entity(false);
          step(c);
        }
        break;
      case State::kRaw:
        if (raw_is_data_) {
          step_raw_data(c);
        } else {
          step_raw(c);
        }
        break;
    }
  }

  // Attribute values people read (alt, title, value …) in HTML; every value but namespace
  // declarations in XML, where data often lives in attributes (<person pnr="…"/>).
  // Links and sources too (a target like ".../akter?pnr=…" names a person), and data-* values,
  // where pages exported from case systems keep their records.
  bool wanted_attribute() const {
    if (mode_ == Mode::kXml) return !attr_.starts_with("xmlns") && !attr_.starts_with("xml:");
    static constexpr std::string_view kReadable[] = {"alt",   "title",       "value",   "content",
                                                     "label", "placeholder", "summary", "href",
                                                     "src",   "action",      "cite"};
    return attr_.starts_with("data-") ||
           std::find(std::begin(kReadable), std::end(kReadable), attr_) != std::end(kReadable);
  }

  // Inline images and script URLs are not text anyone wrote.
  static bool is_link_attribute(std::string_view a) {
    return a == "href" || a == "src" || a == "action" || a == "cite";
  }
  static bool is_code_or_data_url(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size() && is_space(v[i])) ++i;
    v.remove_prefix(i);
    auto starts = [&](std::string_view p) {
      if (v.size() < p.size()) return false;
      for (std::size_t k = 0; k < p.size(); ++k) {
        if (lower_ascii(v[k]) != p[k]) return false;
      }
      return true;
    };
    return starts("data:") || starts("javascript:") || starts("#");
  }

  void begin_value(State quote) {
    // A <script>'s type decides whether its body is code (skipped) or data (read).
    script_type_value_ = !end_tag_ && tag_ == "script" && attr_ == "type";
    capture_ = !end_tag_ && (wanted_attribute() || script_type_value_);
    value_.clear();
    state_ = quote;
  }

  void add_value_char(char c) {
    if (capture_ && value_.size() < kMaxAttributeValue) value_ += c;
  }

  void end_value() {
    state_ = State::kTagBody;
    if (script_type_value_) {
      script_type_ = value_;
      std::transform(script_type_.begin(), script_type_.end(), script_type_.begin(), lower_ascii);
      capture_ = script_type_value_ = false;
      value_.clear();
      attr_.clear();
      return;
    }
    if (capture_ && mode_ == Mode::kHtml && is_link_attribute(attr_) && is_code_or_data_url(value_))
      capture_ = false;
    if (capture_ && !value_.empty()) {
      // Entities inside the value, then the value as a line of its own.
      std::string text;
      std::size_t i = 0;
      while (i < value_.size()) {
        const std::size_t amp = value_.find('&', i);
        const std::size_t semi = amp == std::string::npos ? amp : value_.find(';', amp);
        if (semi == std::string::npos || semi - amp > kMaxEntity + 1) {
          text.append(value_, i, std::string::npos);
          break;
        }
        text.append(value_, i, amp - i);
        text += resolve_entity(std::string_view(value_).substr(amp + 1, semi - amp - 1), true);
        i = semi + 1;
      }
      separator('\n');
      emit(text);
      separator('\n');
    }
    capture_ = false;
    value_.clear();
    attr_.clear();
  }

  void begin_tag(bool end_tag) {
    tag_.clear();
    attr_.clear();
    script_type_.clear();
    end_tag_ = end_tag;
    self_closing_ = false;
    state_ = State::kTagName;
  }

  void finish_tag() {
    state_ = State::kText;
    if (mode_ == Mode::kXml) {
      // Element boundaries separate values ("<a>1999</a><b>0604</b>" is not one number).
      if (end_tag_ || self_closing_) separator('\n');
    } else {
      if (!end_tag_ && !self_closing_ && (tag_ == "script" || tag_ == "style")) {
        raw_end_ = tag_;
        raw_match_ = 0;
        raw_is_data_ = tag_ == "script" && is_data_script(script_type_);
        raw_pending_.clear();
        state_ = State::kRaw;
      }
      if (tag_ == "td" || tag_ == "th") {
        separator('\t');
      } else if (std::find(std::begin(kBlockTags), std::end(kBlockTags), tag_) !=
                 std::end(kBlockTags)) {
        separator('\n');
      }
    }
    end_tag_ = false;
    self_closing_ = false;
  }

  void step_decl(char c) {
    decl_ += c;
    static constexpr std::string_view kCDataOpen = "[CDATA[";
    if (decl_ == "--") {
      dashes_ = 0;
      state_ = State::kComment;
      return;
    }
    if (decl_ == kCDataOpen) {
      brackets_ = 0;
      state_ = State::kCData;
      return;
    }
    if (decl_ == "-" || kCDataOpen.starts_with(decl_)) return;
    // DOCTYPE, ELEMENT … or a bogus comment: skipped, with the chars seen so far.
    state_ = State::kDoctype;
    doctype_depth_ = 0;
    doctype_quote_ = 0;
    const std::string seen = std::move(decl_);
    decl_.clear();
    for (char d : seen) {
      if (state_ != State::kDoctype) {
        step(d);
      } else {
        step_doctype(d);
      }
    }
  }

  void step_doctype(char c) {
    if (doctype_quote_ != 0) {
      if (c == doctype_quote_) doctype_quote_ = 0;
    } else if (c == '"' || c == '\'') {
      doctype_quote_ = c;
    } else if (c == '[') {
      ++doctype_depth_;
    } else if (c == ']') {
      if (doctype_depth_ > 0) --doctype_depth_;
    } else if (c == '>' && doctype_depth_ == 0) {
      state_ = State::kText;
    }
  }

  // <script type="application/json"> and other non-code scripts hold data (a page's records, a
  // template's text): read like text. JavaScript and CSS are skipped.
  static bool is_data_script(std::string_view type) {
    for (std::string_view data : {"json", "template", "text/plain", "text/html", "text/markdown",
                                  "text/csv", "text/xml", "application/xml"}) {
      if (type.find(data) != std::string_view::npos) return true;
    }
    return false;
  }

  // A data script's characters are emitted, except those that may start its end tag: held until
  // the match fails.
  void step_raw_data(char c) {
    raw_pending_ += c;
    step_raw(c);
    if (state_ != State::kRaw) {
      raw_pending_.clear();  // "</script" found: not text
    } else if (raw_match_ == 0) {
      emit(raw_pending_);
      raw_pending_.clear();
    } else if (raw_match_ == 1 && raw_pending_.size() > 1) {
      emit(std::string_view(raw_pending_).substr(0, raw_pending_.size() - 1));
      raw_pending_ = "<";
    }
  }

  // Inside <script>/<style>: look for "</script" followed by space, '/' or '>'.
  void step_raw(char c) {
    if (raw_match_ == 0) {
      if (c == '<') raw_match_ = 1;
      return;
    }
    if (raw_match_ == 1) {
      raw_match_ = c == '/' ? 2 : (c == '<' ? 1 : 0);
      return;
    }
    const std::size_t idx = raw_match_ - 2;
    if (idx < raw_end_.size()) {
      raw_match_ = lower_ascii(c) == raw_end_[idx] ? raw_match_ + 1 : (c == '<' ? 1 : 0);
      return;
    }
    if (is_space(c) || c == '>' || c == '/') {
      tag_ = raw_end_;
      end_tag_ = true;
      self_closing_ = false;
      if (c == '>') {
        finish_tag();
      } else {
        state_ = State::kTagBody;
      }
      return;
    }
    raw_match_ = c == '<' ? 1 : 0;
  }

  void decode_entity(bool terminated) {
    state_ = State::kText;
    emit(resolve_entity(entity_, terminated));
    entity_.clear();
  }

  // The text an entity reference stands for; unknown ones (or an undeclared XML entity such as
  // an XXE reference) are kept as written.
  std::string resolve_entity(std::string_view entity, bool terminated) const {
    char32_t cp = 0;
    bool found = false;
    if (!entity.empty() && entity[0] == '#') {
      std::string_view digits(entity);
      digits.remove_prefix(1);
      int base = 10;
      if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
        base = 16;
        digits.remove_prefix(1);
      }
      std::uint32_t value = 0;
      bool ok = !digits.empty();
      for (char d : digits) {
        const int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                      : base == 16 && std::isxdigit(static_cast<unsigned char>(d))
                          ? lower_ascii(d) - 'a' + 10
                          : -1;
        if (v < 0) {
          ok = false;
          break;
        }
        value = std::min<std::uint32_t>(
            value * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(v), 0x110000);
      }
      if (ok) {
        found = true;
        cp = value;
        if (cp == 0 || cp > 0x10FFFF) cp = 0xFFFD;
        if (mode_ == Mode::kHtml && cp >= 0x80 && cp <= 0x9F) {
          cp = windows1252_to_unicode(static_cast<unsigned char>(cp));
        }
      }
    } else if (terminated) {
      auto lookup = [&](const auto& table) {
        for (const auto& e : table) {
          if (e.name == entity) {
            cp = e.cp;
            return true;
          }
        }
        return false;
      };
      found = mode_ == Mode::kHtml ? lookup(kHtmlEntities) : lookup(kXmlEntities);
    }
    std::string out;
    if (found) {
      append_code_point(out, cp);
    } else {
      out.reserve(entity.size() + 2);
      out.push_back('&');
      out.append(entity.data(), entity.size());
      if (terminated) out.push_back(';');
    }
    return out;
  }

  void emit(std::string_view s) {
    if (s.empty()) return;
    out_.append(s);
    if (!text_since_sep_) {
      text_since_sep_ = std::any_of(s.begin(), s.end(), [](char c) { return !is_space(c); });
    }
    if (out_.size() >= 2 * kFlushBytes) flush(false);
  }

  void separator(char c) {
    if (!text_since_sep_) {
      // A row end after a cell end: the line break wins over the tab.
      if (c == '\n' && !out_.empty() && out_.back() == '\t') out_.back() = '\n';
      return;
    }
    out_ += c;
    text_since_sep_ = false;
  }

  // Hands text on, never splitting a UTF-8 character unless `all`.
  void flush(bool all) {
    std::size_t cut = out_.size();
    if (!all) {
      while (cut > 0 && (static_cast<unsigned char>(out_[cut - 1]) & 0xC0) == 0x80) --cut;
      if (cut > 0 && static_cast<unsigned char>(out_[cut - 1]) >= 0xC0) --cut;
    }
    if (cut == 0) return;
    sink_(std::string_view(out_).substr(0, cut));
    out_.erase(0, cut);
  }

  Sink sink_;
  Mode mode_;
  State state_ = State::kText;
  std::string out_;
  std::string tag_;
  bool end_tag_ = false;
  bool self_closing_ = false;
  std::string decl_;
  std::string entity_;
  int dashes_ = 0;
  int brackets_ = 0;
  int doctype_depth_ = 0;
  char doctype_quote_ = 0;
  bool question_ = false;
  std::string attr_;   // current attribute name (lower case)
  std::string value_;  // its value, when captured
  bool capture_ = false;
  std::string raw_end_;
  std::size_t raw_match_ = 0;
  bool raw_is_data_ = false;        // inside a data <script>: its text is read
  std::string raw_pending_;         // characters that may begin its end tag
  std::string script_type_;         // the current <script>'s type, lower case
  bool script_type_value_ = false;  // the value being read is that type
  bool text_since_sep_ = false;
};

void extract_markup(const Input& input, Context& ctx, MarkupText::Mode mode) {
  ctx.begin_part("");
  MarkupText markup([&](std::string_view utf8) { ctx.text(utf8); }, mode);
  TextDecoder decoder([&](std::string_view utf8) { markup.feed(utf8); });
  std::string_view rest = input.bytes;
  while (!rest.empty()) {
    if (ctx.stopped() || ctx.deadline_passed()) break;
    const std::size_t n = std::min(rest.size(), kChunk);
    decoder.feed(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  decoder.finish();
  markup.finish();
  ctx.end_part();
}

}  // namespace

void extract_html(const Input& input, Context& ctx) {
  extract_markup(input, ctx, MarkupText::Mode::kHtml);
}

void extract_xml(const Input& input, Context& ctx) {
  extract_markup(input, ctx, MarkupText::Mode::kXml);
}

// E-mail and Outlook HTML bodies go through the same tokenizer as .html files: an optional
// </head>, a "<5" in the text and alt/title attributes read alike everywhere.
std::string html_to_text(std::string_view html) {
  std::string text;
  MarkupText markup([&](std::string_view utf8) { text += utf8; }, MarkupText::Mode::kHtml);
  markup.feed(html);
  markup.finish();
  return text;
}

}  // namespace vakt::extract

// expat adapter: namespace splitting, entity refusal and error conversion (see xml_stream.h).
#include "extract/xml_stream.h"

#include <expat.h>

#include "extract/ooxml_fast_xml.h"

#include <cstring>
#include <limits>

namespace vakt::extract {
namespace {
constexpr char kNsSep = '\x01';
}

XmlName split_xml_name(const char* qualified) {
  std::string_view q(qualified);
  const auto sep = q.find(kNsSep);
  if (sep == std::string_view::npos) return XmlName{{}, q};
  return XmlName{q.substr(0, sep), q.substr(sep + 1)};
}

namespace {
std::string_view local_part(std::string_view qname) {
  const auto colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}
}  // namespace

std::string_view XmlAttrs::get(std::string_view local) const {
  for (const char** a = raw_; a != nullptr && *a != nullptr; a += 2) {
    if (split_xml_name(a[0]).local == local) return a[1];
  }
  for (std::size_t i = 0; i < count_; ++i) {
    if (local_part(pairs_[2 * i]) == local) return pairs_[2 * i + 1];
  }
  return {};
}

bool XmlAttrs::has(std::string_view local) const {
  for (const char** a = raw_; a != nullptr && *a != nullptr; a += 2) {
    if (split_xml_name(a[0]).local == local) return true;
  }
  for (std::size_t i = 0; i < count_; ++i) {
    if (local_part(pairs_[2 * i]) == local) return true;
  }
  return false;
}

std::size_t XmlAttrs::size() const {
  if (raw_ == nullptr) return count_;
  std::size_t n = 0;
  for (const char** a = raw_; *a != nullptr; a += 2) ++n;
  return n;
}

std::string_view XmlAttrs::local_name(std::size_t i) const {
  return raw_ != nullptr ? split_xml_name(raw_[2 * i]).local : local_part(pairs_[2 * i]);
}

std::string_view XmlAttrs::value(std::size_t i) const {
  return raw_ != nullptr ? std::string_view(raw_[2 * i + 1]) : pairs_[2 * i + 1];
}

XmlStream::XmlStream(XmlHandler& handler, XmlEngine engine)
    : handler_(handler), mode_(engine == XmlEngine::kExpat ? Mode::kExpat : Mode::kUndecided) {
  if (mode_ == Mode::kExpat) make_expat();
}

void XmlStream::make_expat() {
  parser_ = XML_ParserCreateNS(nullptr, kNsSep);
  if (parser_ == nullptr) return;  // reported by feed()
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlStream::on_start, &XmlStream::on_end);
  XML_SetCharacterDataHandler(parser_, &XmlStream::on_text);
  XML_SetEntityDeclHandler(parser_, &XmlStream::on_entity_decl);
  // Never read external DTDs or parameter entities (the default, stated so it stays that way);
  // no external entity handler is installed, so external entities are never resolved.
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() {
  if (parser_ != nullptr) XML_ParserFree(parser_);
}

namespace {

constexpr std::size_t kMaxProlog = 64 * 1024;

// Decides from the bytes before the root element whether the fast tokenizer may read them.
// Returns 0 while undecided, 1 for fast, 2 for expat.
int classify_prolog(std::string_view p) {
  if (p.size() >= 2 && ((p[0] == '\xFE' && p[1] == '\xFF') || (p[0] == '\xFF' && p[1] == '\xFE')))
    return 2;                                                     // UTF-16
  if (p.size() >= 2 && (p[0] == '\0' || p[1] == '\0')) return 2;  // UTF-16/32 without a mark
  std::size_t i = 0;
  while (true) {
    const auto lt = p.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= p.size()) return p.size() > kMaxProlog ? 2 : 0;
    const char c = p[lt + 1];
    if (c == '?') {
      const auto end = p.find("?>", lt);
      if (end == std::string_view::npos) return p.size() > kMaxProlog ? 2 : 0;
      const std::string_view pi = p.substr(lt, end - lt);
      const auto enc = pi.find("encoding");
      if (enc != std::string_view::npos) {
        const auto q = pi.find_first_of("\"'", enc);
        if (q == std::string_view::npos) return 2;
        std::string name;
        for (std::size_t k = q + 1; k < pi.size() && pi[k] != pi[q]; ++k)
          name.push_back(static_cast<char>(pi[k] | 0x20));
        if (name != "utf-8" && name != "utf8") return 2;
      }
      i = end + 2;
    } else if (c == '!') {
      if (p.substr(lt, 4) == "<!--") {
        const auto end = p.find("-->", lt);
        if (end == std::string_view::npos) return p.size() > kMaxProlog ? 2 : 0;
        i = end + 3;
      } else {
        return 2;  // <!DOCTYPE …>: DTDs are expat's job (and its entity refusal)
      }
    } else {
      return 1;  // the root element starts: no DTD, UTF-8
    }
  }
}

}  // namespace

void XmlStream::choose(std::string_view prolog) {
  const int verdict = classify_prolog(prolog);
  if (verdict == 1) {
    mode_ = Mode::kFast;
    fast_ = std::make_unique<OoxmlFastXml>(handler_);
  } else if (verdict == 2) {
    mode_ = Mode::kExpat;
    make_expat();
  }
}

void XmlStream::on_start(void* self, const char* name, const char** attrs) {
  auto* s = static_cast<XmlStream*>(self);
  s->handler_.start(split_xml_name(name), XmlAttrs(attrs));
}

void XmlStream::on_end(void* self, const char* name) {
  static_cast<XmlStream*>(self)->handler_.end(split_xml_name(name));
}

void XmlStream::on_text(void* self, const char* s, int len) {
  static_cast<XmlStream*>(self)->handler_.text(std::string_view(s, static_cast<std::size_t>(len)));
}

void XmlStream::on_entity_decl(void* self, const char* entity_name, int /*is_param*/,
                               const char* /*value*/, int /*value_len*/, const char* /*base*/,
                               const char* system_id, const char* /*public_id*/,
                               const char* /*notation*/) {
  // Office documents never declare entities; one that does is an attack (XXE, entity bomb).
  auto* s = static_cast<XmlStream*>(self);
  s->refused_ = system_id != nullptr ? "external entity declared" : "entity declaration";
  s->refused_ += " (";
  s->refused_ += entity_name != nullptr ? entity_name : "";
  s->refused_ += ")";
  XML_StopParser(s->parser_, XML_FALSE);
}

void XmlStream::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (fast_) fast_->stop();
  if (parser_ != nullptr) XML_StopParser(parser_, XML_FALSE);
}

Status XmlStream::error_status() {
  if (!failed_) {
    failed_ = true;
    if (!refused_.empty()) {
      error_ = "refused xml: " + refused_;
    } else if (parser_ == nullptr) {
      error_ = "xml: out of memory creating parser";
    } else {
      error_ = "corrupt xml: " + std::string(XML_ErrorString(XML_GetErrorCode(parser_))) +
               " at line " + std::to_string(XML_GetCurrentLineNumber(parser_));
    }
  }
  return Error{error_};
}

Status XmlStream::feed(std::string_view chunk) {
  if (failed_) return error_status();
  if (stopped_) return Ok{};
  fed_ += chunk.size();
  if (mode_ == Mode::kUndecided) {
    prolog_.append(chunk);
    choose(prolog_);
    if (mode_ == Mode::kUndecided) return Ok{};
    std::string held;
    held.swap(prolog_);
    return mode_ == Mode::kFast ? fast_feed(held, false) : expat_feed(held);
  }
  return mode_ == Mode::kFast ? fast_feed(chunk, false) : expat_feed(chunk);
}

Status XmlStream::fast_feed(std::string_view chunk, bool final) {
  Status st = final ? fast_->finish() : fast_->feed(chunk);
  if (!st) {
    failed_ = true;
    error_ = st.error().message;
  }
  return st;
}

Status XmlStream::expat_feed(std::string_view chunk) {
  if (parser_ == nullptr) return error_status();
  while (!chunk.empty()) {
    const std::size_t n =
        chunk.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 2)
            ? static_cast<std::size_t>(std::numeric_limits<int>::max() / 2)
            : chunk.size();
    if (XML_Parse(parser_, chunk.data(), static_cast<int>(n), XML_FALSE) == XML_STATUS_ERROR) {
      if (stopped_ && refused_.empty()) return Ok{};
      return error_status();
    }
    chunk.remove_prefix(n);
  }
  return Ok{};
}

Status XmlStream::finish() {
  if (failed_) return error_status();
  if (stopped_) return Ok{};
  if (mode_ == Mode::kUndecided) {
    // The document ended before its root element: let expat say what is wrong with it.
    mode_ = Mode::kExpat;
    make_expat();
    std::string held;
    held.swap(prolog_);
    if (Status st = expat_feed(held); !st) return st;
  }
  if (mode_ == Mode::kFast) return fast_feed({}, true);
  if (parser_ == nullptr) return error_status();
  if (XML_Parse(parser_, "", 0, XML_TRUE) == XML_STATUS_ERROR) {
    if (stopped_ && refused_.empty()) return Ok{};
    return error_status();
  }
  return Ok{};
}

}  // namespace vakt::extract

// expat adapter: namespace splitting, entity refusal and error conversion (see xml_stream.h).
#include "extract/xml_stream.h"

#include <expat.h>

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

std::string_view XmlAttrs::get(std::string_view local) const {
  for (const char** a = raw_; a != nullptr && *a != nullptr; a += 2) {
    if (split_xml_name(a[0]).local == local) return a[1];
  }
  return {};
}

bool XmlAttrs::has(std::string_view local) const {
  for (const char** a = raw_; a != nullptr && *a != nullptr; a += 2) {
    if (split_xml_name(a[0]).local == local) return true;
  }
  return false;
}

XmlStream::XmlStream(XmlHandler& handler)
    : handler_(handler), parser_(XML_ParserCreateNS(nullptr, kNsSep)) {
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
  if (stopped_ || parser_ == nullptr) return;
  stopped_ = true;
  XML_StopParser(parser_, XML_FALSE);
}

Status XmlStream::error_status() {
  failed_ = true;
  if (!refused_.empty()) return Error{"refused xml: " + refused_};
  if (parser_ == nullptr) return Error{"xml: out of memory creating parser"};
  return Error{"corrupt xml: " + std::string(XML_ErrorString(XML_GetErrorCode(parser_))) +
               " at line " + std::to_string(XML_GetCurrentLineNumber(parser_))};
}

Status XmlStream::feed(std::string_view chunk) {
  if (failed_ || parser_ == nullptr) return error_status();
  if (stopped_) return Ok{};
  fed_ += chunk.size();
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
  if (failed_ || parser_ == nullptr) return error_status();
  if (stopped_) return Ok{};
  if (XML_Parse(parser_, "", 0, XML_TRUE) == XML_STATUS_ERROR) {
    if (stopped_ && refused_.empty()) return Ok{};
    return error_status();
  }
  return Ok{};
}

}  // namespace vakt::extract

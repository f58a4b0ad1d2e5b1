// OoxmlFastXml: a small, non-validating XML tokenizer for the UTF-8, DTD-free XML that Office and
// OpenDocument write, about 3-5x faster than expat on markup-heavy parts (see
// benchmarks/micro/ooxml_bench.cpp). XmlStream uses it by default and hands a document to expat
// instead when its prolog has a DOCTYPE or declares an encoding other than UTF-8.
//
// It drives the same XmlHandler: start(local name, attributes), end(local name), text(decoded
// characters). Namespace prefixes are dropped (XmlName::uri stays empty): handlers match on local
// names. It decodes the five predefined entities and character references, reads CDATA, skips
// comments and processing instructions, and reports what would make a document unreadable —
// undefined entities, mismatched or unclosed tags, a truncated document — as "corrupt xml: …".
// It never resolves anything outside the document: there is no DTD support at all.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extract/xml_stream.h"

namespace vakt::extract {

class OoxmlFastXml {
 public:
  explicit OoxmlFastXml(XmlHandler& handler) : handler_(handler) {}

  // Parses what it can of `chunk`; an incomplete token at the end waits for the next chunk.
  Status feed(std::string_view chunk);
  Status finish();
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

 private:
  // Returns bytes consumed from data, or npos on error (error_ set).
  std::size_t parse(std::string_view data, bool final);
  // The start tag at data[p] ('<'): the position after it, kIncomplete, or npos on error.
  std::size_t start_tag(std::string_view data, std::size_t p, bool final);
  bool end_tag(std::string_view tag);
  bool emit_text(std::string_view raw);
  bool decode(std::string_view raw, std::string& out);
  std::size_t fail(std::string message);  // returns npos
  bool error(std::string message);        // returns false

  XmlHandler& handler_;
  std::string pending_;
  std::string scratch_;  // decoded text / one attribute value
  // One tag's attributes: {qualified name, value} views into the parse buffer, or into
  // decoded_ for values with entity or character references.
  std::vector<std::string_view> attrs_;
  std::vector<std::size_t> to_decode_;  // indices into attrs_ of values that need decoding
  std::string decoded_;
  std::string stack_;  // open element names, each followed by '\0'
  // Per open element: where its name starts in stack_, and where its local name starts in it.
  struct OpenElement {
    std::size_t at;
    std::size_t local_at;
  };
  std::vector<OpenElement> stack_offsets_;
  bool seen_root_ = false;
  bool stopped_ = false;
  bool failed_ = false;
  std::string error_;
  std::uint64_t offset_ = 0;  // bytes consumed before pending_, for error messages
};

}  // namespace vakt::extract

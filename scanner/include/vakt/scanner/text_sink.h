// TextSink: where extractors put the text they pull out of a document.
//
// An extractor calls begin_part() for each place it reads (the body, "word/comments.xml", a zip
// member), then text() any number of times with UTF-8 pieces of any size, then end_part(). A match
// that spans two text() calls is still found. Parts do not nest: a child document re-enters the
// dispatcher and opens its own parts.
#pragma once

#include <string_view>

namespace vakt {

class TextSink {
 public:
  virtual ~TextSink() = default;
  virtual void begin_part(std::string_view part_name) = 0;
  virtual void text(std::string_view utf8) = 0;
  // The same, for text the caller guarantees to be complete, valid UTF-8 (whole characters, as the
  // text decoder emits them): a sink may skip its own check. By default, text().
  virtual void valid_text(std::string_view utf8) { text(utf8); }
  virtual void end_part() = 0;
  // True once a limit (matches, bytes) says extraction may stop early.
  virtual bool saturated() const { return false; }
};

}  // namespace vakt

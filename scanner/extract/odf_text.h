// OdfTextHandler: the text of one OpenDocument XML stream (content.xml, styles.xml, meta.xml, or a
// whole flat fodt/fods/fodp file), for every ODF version and the older OpenOffice 1.x namespaces
// (it matches local names only).
//
// Paragraphs and headings end in "\n"; table cells in "\t", rows in "\n"; text:s, text:tab and
// text:line-break become spaces, tabs and newlines; other whitespace collapses as ODF says.
// Tracked deletions, annotations, notes, headers/footers (styles.xml master pages), sheet names and
// metadata are all read, and so are link targets, form field values, document variables and
// validation lists kept in attributes. A numeric cell whose shown text lacks digits of its
// office:value (a rounded or exponent display) also gets the full value. Repeated cells and rows
// are read once, never expanded. Embedded binary data (office:binary-data) is skipped.
#pragma once

#include <string>
#include <string_view>

#include "extract/ooxml_text.h"

namespace vakt::extract {

class OdfTextHandler final : public TextHandlerBase {
 public:
  using TextHandlerBase::TextHandlerBase;
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;

 private:
  void add(std::string_view s);
  void sep(char c);
  void add_collapsed(std::string_view chars);
  // Text kept in attributes (link targets, form field values, variables, validation lists): on a
  // line of its own, after the paragraph or cell it sits in.
  void attribute_text(std::string_view value);
  void flush_attribute_text();

  static constexpr std::size_t kMaxAttributeText = 1 << 20;
  std::string attribute_text_;

  int para_ = 0;  // depth inside text:p / text:h
  int skip_ = 0;  // depth inside office:binary-data and other non-text payloads
  int alt_ = 0;   // depth inside svg:title / svg:desc (alt text of frames)
  int meta_ = 0;  // depth inside office:meta: every element's text is metadata
  bool meta_pending_ = false;
  bool prev_space_ = true;
  // A numeric cell's text is held back so its full office:value can be added when not shown.
  bool in_numeric_cell_ = false;
  std::string cell_value_;
  std::string cell_text_;
};

}  // namespace vakt::extract

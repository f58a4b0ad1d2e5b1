// The SpreadsheetML handlers behind extract_xlsx: workbook (sheet names and states), styles
// (cell style → number format), the shared-string table, and one worksheet's cells.
//
// Worksheet cells come out as the user sees them: shared and inline strings resolved, numbers
// written in full (never 1.99906042388E+11) and through their custom digit formats ("000000-0000"),
// cells separated by "\t" and rows by "\n". Empty cells are not expanded, so a sheet that declares
// a million styled cells costs nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extract/ooxml_text.h"

namespace vakt::extract {

struct SheetInfo {
  std::string name;
  std::string state;  // "", "hidden" or "veryHidden"
  std::string rel_id;
};

class WorkbookHandler final : public TextHandlerBase {
 public:
  using TextHandlerBase::TextHandlerBase;
  std::vector<SheetInfo> sheets;
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;

 private:
  bool in_defined_name_ = false;
};

// Number formats by cell style index (the s attribute of a cell).
class StylesHandler final : public XmlHandler {
 public:
  // The custom format code of style `s`, or "" for built-in formats and unknown styles.
  std::string_view format_of(std::uint64_t s) const;
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view /*chars*/) override {}

 private:
  std::unordered_map<std::uint32_t, std::string> formats_;  // numFmtId → formatCode
  std::vector<std::uint32_t> xf_formats_;                   // cellXfs index → numFmtId
  bool in_cell_xfs_ = false;
};

// The shared-string table. Strings past `cap` bytes are not stored but written to `overflow`
// (which the caller has opened as a part), so no string is lost and memory stays bounded.
class SharedStrings final : public TextHandlerBase {
 public:
  static constexpr std::uint64_t kRepeatOnceBytes = 256;
  SharedStrings(PartText& overflow, std::uint64_t cap) : TextHandlerBase(overflow), cap_(cap) {}
  std::size_t size() const { return offsets_.size(); }
  // The string at `index` ("" when unknown) and marks it referenced. A string of kRepeatOnceBytes
  // or more is given out once; later uses get "".
  std::string_view use(std::uint64_t index);
  // Writes every stored string no cell referenced (text the author may no longer see).
  void write_unreferenced(PartText& out) const;
  bool overflowed() const { return overflowed_; }

  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;

 private:
  std::uint64_t cap_;
  std::string pool_;
  std::vector<std::uint64_t> offsets_;  // start of string i in pool_; end is the next start
  std::vector<bool> used_;
  std::string current_;
  int in_t_ = 0;
  int in_phonetic_ = 0;
  bool overflowed_ = false;
};

class SheetHandler final : public TextHandlerBase {
 public:
  static constexpr std::size_t kMaxCellBytes = 1 << 20;
  SheetHandler(PartText& out, SharedStrings& strings, const StylesHandler& styles)
      : TextHandlerBase(out), strings_(strings), styles_(styles) {}
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;
  // A hyperlink with a relationship: its target is in the sheet's .rels (see OoxmlPackage).
  bool refers_outside() const { return refers_outside_; }

 private:
  void cell_done();
  void line(std::string_view s);
  bool refers_outside_ = false;
  SharedStrings& strings_;
  const StylesHandler& styles_;
  std::string type_;
  std::uint64_t style_ = 0;
  std::string value_;
  std::string formula_;  // a cell's formula: shown when the file holds no computed value
  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_f_ = false;
  bool in_validation_formula_ = false;  // formula1/2 of a data validation (a dropdown's list)
  bool in_inline_ = false;
  int in_t_ = 0;
  int in_phonetic_ = 0;
  bool in_header_footer_ = false;
  bool row_has_ = false;
};

}  // namespace vakt::extract

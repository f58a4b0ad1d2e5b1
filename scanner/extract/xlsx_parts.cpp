// SpreadsheetML handlers (see xlsx_parts.h).
#include "extract/xlsx_parts.h"

#include <charconv>

#include "extract/xlsx_number.h"

namespace vakt::extract {
namespace {

std::uint64_t to_u64(std::string_view s, std::uint64_t fallback) {
  std::uint64_t v = fallback;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return fallback;
  return v;
}

bool is_header_footer(std::string_view n) {
  return n == "oddHeader" || n == "oddFooter" || n == "evenHeader" || n == "evenFooter" ||
         n == "firstHeader" || n == "firstFooter";
}

}  // namespace

void WorkbookHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  if (name.local == "sheet") {
    SheetInfo s{std::string(attrs.get("name")), std::string(attrs.get("state")),
                std::string(attrs.get("id"))};
    out_.add(s.name);
    out_.sep('\n');
    sheets.push_back(std::move(s));
  } else if (name.local == "definedName") {
    in_defined_name_ = true;
  }
}

void WorkbookHandler::end(const XmlName& name) {
  if (name.local == "definedName") {
    in_defined_name_ = false;
    out_.sep('\n');
  }
  check_stop();
}

void WorkbookHandler::text(std::string_view chars) {
  if (in_defined_name_) out_.add(chars);
}

std::string_view StylesHandler::format_of(std::uint64_t s) const {
  if (s >= xf_formats_.size()) return {};
  auto it = formats_.find(xf_formats_[s]);
  return it == formats_.end() ? std::string_view() : std::string_view(it->second);
}

void StylesHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  if (name.local == "numFmt") {
    const auto id = to_u64(attrs.get("numFmtId"), UINT32_MAX);
    if (id < UINT32_MAX && formats_.size() < 65536)
      formats_[static_cast<std::uint32_t>(id)] = std::string(attrs.get("formatCode"));
  } else if (name.local == "cellXfs") {
    in_cell_xfs_ = true;
  } else if (name.local == "xf" && in_cell_xfs_ && xf_formats_.size() < (1u << 20)) {
    xf_formats_.push_back(static_cast<std::uint32_t>(to_u64(attrs.get("numFmtId"), 0)));
  }
}

void StylesHandler::end(const XmlName& name) {
  if (name.local == "cellXfs") in_cell_xfs_ = false;
}

std::string_view SharedStrings::use(std::uint64_t index) {
  if (index >= offsets_.size()) return {};
  const std::uint64_t begin = offsets_[index];
  const std::uint64_t end = index + 1 < offsets_.size() ? offsets_[index + 1] : pool_.size();
  // A long string shown in many cells is written once: a 1 MB string referenced by a million
  // cells would otherwise become a terabyte of text (a known shared-strings bomb).
  if (used_[index] && end - begin >= kRepeatOnceBytes) return {};
  used_[index] = true;
  return std::string_view(pool_).substr(begin, end - begin);
}

void SharedStrings::write_unreferenced(PartText& out) const {
  for (std::size_t i = 0; i < offsets_.size() && !out.stopped(); ++i) {
    if (used_[i]) continue;
    const std::uint64_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : pool_.size();
    out.add(std::string_view(pool_).substr(offsets_[i], end - offsets_[i]));
    out.sep('\n');
  }
}

void SharedStrings::start(const XmlName& name, const XmlAttrs& /*attrs*/) {
  if (name.local == "si") {
    current_.clear();
  } else if (name.local == "rPh") {
    ++in_phonetic_;  // phonetic guide: a reading aid, not the cell's text
  } else if (name.local == "t") {
    ++in_t_;
  }
}

void SharedStrings::end(const XmlName& name) {
  if (name.local == "t") {
    if (in_t_ > 0) --in_t_;
  } else if (name.local == "rPh") {
    if (in_phonetic_ > 0) --in_phonetic_;
  } else if (name.local == "si") {
    if (!overflowed_ && pool_.size() + current_.size() > cap_) overflowed_ = true;
    if (overflowed_) {
      // Not stored: written now so the text is still scanned, and referenced cells stay empty.
      out_.add(current_);
      out_.sep('\n');
      check_stop();
      return;
    }
    offsets_.push_back(pool_.size());
    used_.push_back(false);
    pool_ += current_;
  }
}

void SharedStrings::text(std::string_view chars) {
  if (in_t_ > 0 && in_phonetic_ == 0 && current_.size() < SheetHandler::kMaxCellBytes)
    current_.append(chars);
}

void SheetHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  const std::string_view n = name.local;
  if (n == "c") {
    in_cell_ = true;
    type_ = attrs.get("t");
    style_ = to_u64(attrs.get("s"), 0);
    value_.clear();
    formula_.clear();
  } else if (!in_cell_) {
    if (n == "row") {
      row_has_ = false;
    } else if (is_header_footer(n)) {
      in_header_footer_ = true;
    } else if (n == "dataValidation") {
      // The input message and error text a user sees, and (below) a dropdown's list.
      for (std::string_view a : {"promptTitle", "prompt", "errorTitle", "error"})
        line(attrs.get(a));
    } else if (n == "formula1" || n == "formula2") {
      in_validation_formula_ = true;
      out_.sep('\n');
    } else if (n == "hyperlink") {
      refers_outside_ = refers_outside_ || attrs.has("id");
      line(attrs.get("display"));
      line(attrs.get("tooltip"));
    }
  } else if (n == "f") {
    in_f_ = true;
  } else if (n == "v") {
    in_v_ = true;
  } else if (n == "is") {
    in_inline_ = true;
  } else if (n == "t" && in_inline_) {
    ++in_t_;
  } else if (n == "rPh") {
    ++in_phonetic_;
  }
}

void SheetHandler::end(const XmlName& name) {
  const std::string_view n = name.local;
  if (n == "c") {
    cell_done();
    in_cell_ = in_v_ = in_f_ = in_inline_ = false;
    in_t_ = in_phonetic_ = 0;
  } else if (in_cell_) {
    if (n == "f") {
      in_f_ = false;
    } else if (n == "v") {
      in_v_ = false;
    } else if (n == "is") {
      in_inline_ = false;
    } else if (n == "t" && in_t_ > 0) {
      --in_t_;
    } else if (n == "rPh" && in_phonetic_ > 0) {
      --in_phonetic_;
    }
  } else if (n == "row") {
    out_.sep('\n');
    check_stop();
  } else if (is_header_footer(n)) {
    in_header_footer_ = false;
    out_.sep('\n');
  } else if (n == "formula1" || n == "formula2") {
    in_validation_formula_ = false;
    out_.sep('\n');
  }
}

void SheetHandler::line(std::string_view s) {
  if (s.empty()) return;
  out_.sep('\n');
  out_.add(s);
  out_.sep('\n');
}

void SheetHandler::text(std::string_view chars) {
  if ((in_header_footer_ || in_validation_formula_) && !in_cell_) {
    out_.add(chars);
    return;
  }
  if (in_f_) {
    if (formula_.size() < kMaxCellBytes) formula_.append(chars);
    return;
  }
  if ((in_v_ || (in_t_ > 0 && in_phonetic_ == 0)) && value_.size() < kMaxCellBytes)
    value_.append(chars);
}

void SheetHandler::cell_done() {
  std::string shown;
  std::string_view text;
  if (type_ == "s") {
    text = strings_.use(to_u64(value_, UINT64_MAX));
  } else if (type_ == "inlineStr" || type_ == "str" || type_ == "e" || type_ == "d") {
    text = value_;
  } else if (type_ == "b") {
    text = value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : std::string_view(value_);
  } else if (!value_.empty()) {
    const std::string_view format = styles_.format_of(style_);
    shown = format.empty() ? plain_number(value_) : format_number(value_, format);
    text = shown;
  }
  // A formula whose result the file does not hold (openpyxl and other writers leave it to
  // Excel): its text, string literals and all, is what there is to read.
  if (text.empty() && value_.empty() && !formula_.empty()) text = formula_;
  if (text.empty()) return;
  if (row_has_) out_.sep('\t');
  out_.add(text);
  row_has_ = true;
}

}  // namespace vakt::extract

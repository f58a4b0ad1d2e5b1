// OpenDocument text handler (see odf_text.h).
#include "extract/odf_text.h"

#include <charconv>

#include "extract/xlsx_number.h"

namespace vakt::extract {
namespace {

bool is_cell(std::string_view n) {
  return n == "table-cell" || n == "covered-table-cell";
}

// form:* controls (local names; form:text is the only "text" element with these attributes).
bool is_form_control(std::string_view n) {
  return n == "text" || n == "textarea" || n == "formatted-text" || n == "combobox" ||
         n == "listbox" || n == "item" || n == "option" || n == "fixed-text" || n == "button" ||
         n == "checkbox" || n == "radio" || n == "hidden" || n == "value-range";
}

bool is_skipped(std::string_view n) {
  // creator/date: the author and time stamp of an annotation or change, not its text.
  return n == "binary-data" || n == "note-citation" || n == "creator" || n == "date" ||
         n == "settings" || n == "scripts" || n == "font-face-decls" || n == "automatic-styles" ||
         n == "event-listeners";
}

}  // namespace

void OdfTextHandler::add(std::string_view s) {
  if (in_numeric_cell_) {
    if (cell_text_.size() < (1u << 20)) cell_text_.append(s);
  } else {
    out_.add(s);
  }
}

void OdfTextHandler::sep(char c) {
  if (in_numeric_cell_) {
    if (!cell_text_.empty() && cell_text_.back() != c) cell_text_.push_back(c == '\t' ? ' ' : c);
  } else {
    out_.sep(c);
  }
}

void OdfTextHandler::add_collapsed(std::string_view chars) {
  std::string run;
  run.reserve(chars.size());
  for (char c : chars) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      if (!prev_space_) run.push_back(' ');
      prev_space_ = true;
    } else {
      run.push_back(c);
      prev_space_ = false;
    }
  }
  add(run);
}

void OdfTextHandler::attribute_text(std::string_view value) {
  attribute_line(out_, attribute_text_, value, para_ > 0 || in_numeric_cell_, kMaxAttributeText);
}

void OdfTextHandler::flush_attribute_text() {
  if (attribute_text_.empty()) return;
  out_.sep('\n');
  out_.add(attribute_text_);
  attribute_text_.clear();
}

void OdfTextHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  const std::string_view n = name.local;
  if (meta_ > 0 || (skip_ == 0 && n == "meta")) {
    ++meta_;
    if (n == "user-defined") {
      add(attrs.get("name"));
      add(": ");
      meta_pending_ = true;
    }
    return;
  }
  if (skip_ > 0 || is_skipped(n)) {
    ++skip_;
    return;
  }
  if (n == "p" || n == "h") {
    ++para_;
    prev_space_ = true;
  } else if (n == "annotation" || n == "note") {
    sep('\n');
  } else if (n == "title" || n == "desc") {
    ++alt_;
  } else if (para_ > 0 && n == "s") {
    std::size_t count = 1;
    const std::string_view c = attrs.get("c");
    std::from_chars(c.data(), c.data() + c.size(), count);
    add(std::string(count == 0 ? 1 : (count > 8 ? 8 : count), ' '));
    prev_space_ = true;
  } else if (para_ > 0 && (n == "tab" || n == "tab-stop")) {
    sep('\t');
    prev_space_ = true;
  } else if (para_ > 0 && n == "line-break") {
    sep('\n');
    prev_space_ = true;
  } else if (n == "table" && attrs.has("name")) {
    sep('\n');
    add(attrs.get("name"));
    sep('\n');
  } else if (n == "a") {
    attribute_text(attrs.get("href"));  // a link's target: \\server\akter\<personnummer>.odt
  } else if (is_form_control(n)) {
    // Form fields keep what was typed in attributes, not in text.
    for (std::string_view a : {"current-value", "value", "label", "title"})
      attribute_text(attrs.get(a));
  } else if (n == "user-field-decl" || n == "variable-set" || n == "variable-decl" ||
             n == "user-field-get") {
    attribute_text(attrs.get("string-value"));  // a document variable's value
  } else if (n == "text-input" || n == "placeholder") {
    attribute_text(attrs.get("description"));
  } else if (n == "content-validation") {
    attribute_text(attrs.get("condition"));  // a dropdown list: of:cell-content-is-in-list(…)
  } else if (n == "help-message" || n == "error-message") {
    attribute_text(attrs.get("title"));
  } else if (is_cell(n)) {
    const std::string_view type = attrs.get("value-type");
    const std::string_view value = attrs.get("value");
    if ((type == "float" || type == "currency" || type == "percentage") && !value.empty()) {
      in_numeric_cell_ = true;
      cell_value_ = plain_number(value);
      cell_text_.clear();
    }
  }
}

void OdfTextHandler::end(const XmlName& name) {
  const std::string_view n = name.local;
  if (meta_ > 0) {
    --meta_;
    if (meta_pending_) {
      out_.sep('\n');
      meta_pending_ = false;
    }
    return;
  }
  if (skip_ > 0) {
    --skip_;
    return;
  }
  if (n == "p" || n == "h") {
    if (para_ > 0) --para_;
    sep('\n');
    if (para_ == 0 && !in_numeric_cell_) flush_attribute_text();
  } else if (is_cell(n)) {
    if (in_numeric_cell_) {
      in_numeric_cell_ = false;
      while (!cell_text_.empty() && (cell_text_.back() == '\n' || cell_text_.back() == ' '))
        cell_text_.pop_back();
      out_.add(cell_text_);
      std::string digits_shown;
      for (char c : cell_text_) {
        if (c >= '0' && c <= '9') digits_shown.push_back(c);
      }
      std::string digits_value;
      for (char c : cell_value_) {
        if (c >= '0' && c <= '9') digits_value.push_back(c);
      }
      if (digits_shown.find(digits_value) == std::string::npos) {
        if (!cell_text_.empty()) out_.add(" ");
        out_.add(cell_value_);
      }
    }
    flush_attribute_text();
    out_.sep('\t');
  } else if (n == "table-row") {
    out_.sep('\n');
  } else if (n == "annotation" || n == "note") {
    sep('\n');
  } else if (n == "title" || n == "desc") {
    if (alt_ > 0) --alt_;
    sep('\n');  // svg:title / svg:desc alt text
  }
  check_stop();
}

void OdfTextHandler::text(std::string_view chars) {
  if (meta_ == 0 && skip_ > 0) return;
  if (meta_ > 0) {
    if (!meta_pending_ && is_xml_space(chars)) return;
    out_.add(chars);
    meta_pending_ = true;
    return;
  }
  if (para_ > 0 || alt_ > 0) add_collapsed(chars);
}

}  // namespace vakt::extract

// PartText and the generic OOXML handlers (see ooxml_text.h).
#include "extract/ooxml_text.h"

#include <algorithm>

namespace vakt::extract {

bool is_xml_space(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

void PartText::add(std::string_view s) {
  if (s.empty()) return;
  buf_.append(s);
  last_ = s.back();
  if (buf_.size() >= kFlushBytes) flush();
}

void PartText::sep(char c) {
  if (!buf_.empty() && buf_.back() == '\t' && c == '\n') {
    while (!buf_.empty() && buf_.back() == '\t') buf_.pop_back();  // a row ends: no trailing tabs
    buf_.push_back(c);
    last_ = c;
    return;
  }
  if (!buf_.empty() && buf_.back() == '\n' && c == '\t') {
    buf_.back() = c;  // a table cell ends after its paragraph: cells of a row stay on one line
    last_ = c;
    return;
  }
  if (last_ == '\n') return;  // nothing since the last line: no empty lines, no leading tabs
  buf_.push_back(c);
  last_ = c;
  if (buf_.size() >= kFlushBytes) flush();
}

void PartText::flush() {
  if (buf_.empty()) return;
  if (!ctx_.stopped()) ctx_.text(buf_);
  total_ += buf_.size();
  buf_.clear();
}

namespace {

bool is_capture(std::string_view local) {
  return local == "t" || local == "delText" || local == "instrText" || local == "text";
}

void append_sep(std::string& s, char c) {
  if (s.empty() || s.back() == '\n') return;
  if (s.back() == '\t' && c == '\n') {
    s.back() = c;
    return;
  }
  s.push_back(c);
}

}  // namespace

void OoxmlTextHandler::add(std::string_view s) {
  if (para_ == 0) {
    out_.add(s);
    return;
  }
  if (direct_) {
    if (deleted_ > 0) out_.sep('\n');
    out_.add(s);
    if (deleted_ > 0) out_.sep('\n');
    return;
  }
  if (deleted_ == 0) now_.append(s);
  if (inserted_ == 0) original_.append(s);
  if (now_.size() + original_.size() > kMaxParagraphBytes) {
    out_.add(now_);
    direct_ = true;
    now_.clear();
    original_.clear();
  }
}

void OoxmlTextHandler::sep(char c) {
  if (para_ == 0 || direct_) {
    out_.sep(c);
    return;
  }
  append_sep(now_, c);
  append_sep(original_, c);
}

void OoxmlTextHandler::end_paragraph() {
  if (!direct_) {
    out_.add(now_);
    out_.sep('\n');
    if (changed_ && original_ != now_) {
      out_.add(original_);
      out_.sep('\n');
    }
  }
  out_.sep('\n');
  out_.add(attribute_text_);
  now_.clear();
  original_.clear();
  attribute_text_.clear();
  changed_ = direct_ = false;
}

void OoxmlTextHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  const std::string_view n = name.local;
  if (fallback_ > 0 || n == "Fallback") {
    ++fallback_;
    if (is_capture(n)) {
      ++fallback_capture_;
    } else if (n == "p" || n == "br" || n == "cr") {
      append_sep(fallback_text_, '\n');
    } else if (n == "tab" || n == "tc") {
      append_sep(fallback_text_, '\t');
    }
    return;
  }
  if (n == "AlternateContent") {
    choice_text_.clear();
  } else if (n == "Choice") {
    ++choice_;
  }
  if (is_capture(n)) {
    ++capture_;
  } else if (n == "p") {
    ++para_;
  } else if (n == "del" || n == "moveFrom") {
    ++deleted_;
    changed_ = true;
  } else if (n == "ins" || n == "moveTo") {
    ++inserted_;
    changed_ = true;
  } else if (n == "tab") {
    sep('\t');
  } else if (n == "br" || n == "cr") {
    sep('\n');
  } else if (n == "noBreakHyphen") {
    add("-");
  } else if (n == "docPr" || n == "cNvPr") {
    // Alt text (description and title) of pictures and shapes.
    attribute_text(attrs.get("descr"));
    attribute_text(attrs.get("title"));
  } else if (n == "hyperlink" || n == "hlinkClick" || n == "hlinkHover") {
    // The link's target lives in the part's relationships (read after the part, see
    // refers_outside()); its tooltip is here.
    refers_outside_ = refers_outside_ || attrs.has("id");
    attribute_text(attrs.get("tooltip"));
  } else if (n == "fldSimple") {
    attribute_text(attrs.get("instr"));  // HYPERLINK "…", MERGEFIELD …: as instrText is read
  } else if (n == "shape" || n == "imagedata") {
    // VML (older Word pictures and text boxes): alt text and title.
    attribute_text(attrs.get("alt"));
    attribute_text(attrs.get("title"));
  } else if (n == "blip" || n == "OLEObject" || n == "subDoc") {
    // A linked (not embedded) picture, object or sub-document: a path outside the file.
    refers_outside_ =
        refers_outside_ || attrs.has("link") || attrs.get("Type") == "Link" || n == "subDoc";
  }
}

void attribute_line(PartText& out, std::string& held, std::string_view value, bool in_paragraph,
                    std::size_t cap) {
  if (value.empty()) return;
  if (!in_paragraph) {
    out.sep('\n');
    out.add(value);
    out.sep('\n');
    return;
  }
  if (held.size() + value.size() < cap) {
    held.append(value);
    held.push_back('\n');
  }
}

void OoxmlTextHandler::attribute_text(std::string_view value) {
  attribute_line(out_, attribute_text_, value, para_ > 0 && !direct_, kMaxParagraphBytes);
}

void OoxmlTextHandler::end(const XmlName& name) {
  const std::string_view n = name.local;
  if (fallback_ > 0) {
    if (is_capture(n) && fallback_capture_ > 0) --fallback_capture_;
    if (--fallback_ == 0) end_fallback();
    return;
  }
  if (n == "Choice" && choice_ > 0) --choice_;
  if (is_capture(n)) {
    if (capture_ > 0) --capture_;
    if (n == "text") sep('\n');
  } else if (n == "p") {
    if (para_ > 0 && --para_ == 0) {
      end_paragraph();
    } else {
      sep('\n');  // a paragraph inside a text box inside a paragraph
    }
  } else if (n == "del" || n == "moveFrom") {
    if (deleted_ > 0) --deleted_;
  } else if (n == "ins" || n == "moveTo") {
    if (inserted_ > 0) --inserted_;
  } else if (n == "tr" || n == "comment" || n == "footnote" || n == "endnote" ||
             n == "txbxContent" || n == "threadedComment" || n == "cm") {
    sep('\n');
  } else if (n == "tc") {
    sep('\t');
  }
  check_stop();
}

void OoxmlTextHandler::text(std::string_view chars) {
  if (fallback_ > 0) {
    if (fallback_capture_ > 0 && fallback_text_.size() < kMaxParagraphBytes)
      fallback_text_.append(chars);
    return;
  }
  if (capture_ == 0) return;
  add(chars);
  if (choice_ > 0 && choice_text_.size() < kMaxParagraphBytes) choice_text_.append(chars);
}

namespace {

std::string without_space(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

}  // namespace

void OoxmlTextHandler::end_fallback() {
  fallback_capture_ = 0;
  if (!fallback_text_.empty() && without_space(fallback_text_) != without_space(choice_text_)) {
    sep('\n');
    add(fallback_text_);
    sep('\n');
  }
  fallback_text_.clear();
  choice_text_.clear();
}

void GenericXmlHandler::value(std::string_view v) {
  if (v.empty()) return;
  out_.add(v);
  out_.sep('\n');
}

void GenericXmlHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  if (all_attrs_) {
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      const std::string_view v = attrs.value(i);
      // Namespace declarations (xmlns:x="urn:…") are not data.
      if (v.starts_with("http://") || v.starts_with("https://") || v.starts_with("urn:")) continue;
      value(v);
    }
    return;
  }
  if (!only_on_.empty() &&
      std::find(only_on_.begin(), only_on_.end(), name.local) == only_on_.end()) {
    return;
  }
  for (std::string_view a : attrs_) value(attrs.get(a));
}

void GenericXmlHandler::end(const XmlName& /*name*/) {
  if (pending_) {
    out_.sep('\n');
    pending_ = false;
  }
  check_stop();
}

void GenericXmlHandler::text(std::string_view chars) {
  if (!pending_ && is_xml_space(chars)) return;
  out_.add(chars);
  pending_ = true;
}

}  // namespace vakt::extract

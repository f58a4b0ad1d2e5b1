// PartText and the generic OOXML handlers (see ooxml_text.h).
#include "extract/ooxml_text.h"

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
  now_.clear();
  original_.clear();
  changed_ = direct_ = false;
}

void OoxmlTextHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  const std::string_view n = name.local;
  if (fallback_ > 0 || n == "Fallback") {
    ++fallback_;
    return;
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
    // Alt text of pictures and shapes.
    const std::string_view descr = attrs.get("descr");
    if (!descr.empty()) {
      sep('\n');
      add(descr);
      sep('\n');
    }
  }
}

void OoxmlTextHandler::end(const XmlName& name) {
  const std::string_view n = name.local;
  if (fallback_ > 0) {
    --fallback_;
    return;
  }
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
  if (capture_ > 0 && fallback_ == 0) add(chars);
}

void GenericXmlHandler::start(const XmlName& /*name*/, const XmlAttrs& attrs) {
  for (std::string_view a : attrs_) {
    const std::string_view v = attrs.get(a);
    if (!v.empty()) {
      out_.add(v);
      out_.sep('\n');
    }
  }
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

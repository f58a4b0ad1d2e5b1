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

// The elements OoxmlTextHandler acts on, by local name. One switch on the first letter instead of
// a chain of ~30 string compares per tag: Word XML is mostly run and property tags that match none.
enum class WordElement : std::uint8_t {
  kOther,
  kT,
  kDelText,
  kInstrText,
  kText,
  kP,
  kBr,
  kCr,
  kTab,
  kTc,
  kTr,
  kFallback,
  kAlternateContent,
  kChoice,
  kDel,
  kMoveFrom,
  kIns,
  kMoveTo,
  kNoBreakHyphen,
  kDocPr,
  kCNvPr,
  kHyperlink,
  kHlinkClick,
  kHlinkHover,
  kFldSimple,
  kShape,
  kImagedata,
  kBlip,
  kOLEObject,
  kSubDoc,
  kComment,
  kFootnote,
  kEndnote,
  kTxbxContent,
  kThreadedComment,
  kCm,
};

WordElement word_element(std::string_view n) {
  using W = WordElement;
  if (n.empty()) return W::kOther;
  auto is = [n](std::string_view name, W e) { return n == name ? e : W::kOther; };
  switch (n[0]) {
    case 't':
      if (n.size() == 1) return W::kT;
      if (n == "text") return W::kText;
      if (n == "tab") return W::kTab;
      if (n == "tc") return W::kTc;
      if (n == "tr") return W::kTr;
      if (n == "txbxContent") return W::kTxbxContent;
      return is("threadedComment", W::kThreadedComment);
    case 'p':
      return n.size() == 1 ? W::kP : W::kOther;
    case 'r':
      return W::kOther;  // r, rPr, rFonts …: the most common tags, none of them ours
    case 'd':
      if (n == "delText") return W::kDelText;
      if (n == "del") return W::kDel;
      return is("docPr", W::kDocPr);
    case 'i':
      if (n == "instrText") return W::kInstrText;
      if (n == "ins") return W::kIns;
      return is("imagedata", W::kImagedata);
    case 'b':
      if (n == "br") return W::kBr;
      return is("blip", W::kBlip);
    case 'c':
      if (n == "cr") return W::kCr;
      if (n == "comment") return W::kComment;
      if (n == "cm") return W::kCm;
      return is("cNvPr", W::kCNvPr);
    case 'F':
      return is("Fallback", W::kFallback);
    case 'A':
      return is("AlternateContent", W::kAlternateContent);
    case 'C':
      return is("Choice", W::kChoice);
    case 'm':
      if (n == "moveFrom") return W::kMoveFrom;
      return is("moveTo", W::kMoveTo);
    case 'n':
      return is("noBreakHyphen", W::kNoBreakHyphen);
    case 'h':
      if (n == "hyperlink") return W::kHyperlink;
      if (n == "hlinkClick") return W::kHlinkClick;
      return is("hlinkHover", W::kHlinkHover);
    case 'f':
      if (n == "fldSimple") return W::kFldSimple;
      return is("footnote", W::kFootnote);
    case 's':
      if (n == "shape") return W::kShape;
      return is("subDoc", W::kSubDoc);
    case 'O':
      return is("OLEObject", W::kOLEObject);
    case 'e':
      return is("endnote", W::kEndnote);
    default:
      return W::kOther;
  }
}

bool is_capture(WordElement e) {
  return e == WordElement::kT || e == WordElement::kDelText || e == WordElement::kInstrText ||
         e == WordElement::kText;
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
  if (!split_) {
    if (deleted_ == 0 && inserted_ == 0) {
      now_.append(s);  // original_ would get the same bytes: it is not kept apart yet
      if (2 * now_.size() > kMaxParagraphBytes) go_direct();
      return;
    }
    original_ = now_;
    split_ = true;
  }
  if (deleted_ == 0) now_.append(s);
  // Text inserted and then deleted (one author's insertion deleted by another, both tracked) is
  // in neither reading as Word shows it, but it is in the file: the original reading keeps it.
  if (inserted_ == 0 || deleted_ > 0) original_.append(s);
  if (now_.size() + original_.size() > kMaxParagraphBytes) go_direct();
}

void OoxmlTextHandler::go_direct() {
  out_.add(now_);
  direct_ = true;
  now_.clear();
  original_.clear();
  split_ = false;
}

void OoxmlTextHandler::sep(char c) {
  if (para_ == 0 || direct_) {
    out_.sep(c);
    return;
  }
  append_sep(now_, c);
  if (split_) append_sep(original_, c);
}

void OoxmlTextHandler::end_paragraph() {
  if (!direct_) {
    out_.add(now_);
    out_.sep('\n');
    if (changed_ && split_ && original_ != now_) {
      out_.add(original_);
      out_.sep('\n');
    }
  }
  out_.sep('\n');
  out_.add(attribute_text_);
  now_.clear();
  original_.clear();
  attribute_text_.clear();
  changed_ = direct_ = split_ = false;
}

void OoxmlTextHandler::start(const XmlName& name, const XmlAttrs& attrs) {
  const WordElement e = word_element(name.local);
  if (fallback_ > 0 || e == WordElement::kFallback) {
    ++fallback_;
    if (is_capture(e)) {
      ++fallback_capture_;
    } else if (e == WordElement::kP || e == WordElement::kBr || e == WordElement::kCr) {
      append_sep(fallback_text_, '\n');
    } else if (e == WordElement::kTab || e == WordElement::kTc) {
      append_sep(fallback_text_, '\t');
    }
    return;
  }
  switch (e) {
    case WordElement::kT:
    case WordElement::kDelText:
    case WordElement::kInstrText:
    case WordElement::kText:
      ++capture_;
      break;
    case WordElement::kP:
      ++para_;
      break;
    case WordElement::kAlternateContent:
      choice_text_.clear();
      break;
    case WordElement::kChoice:
      ++choice_;
      break;
    case WordElement::kDel:
    case WordElement::kMoveFrom:
      ++deleted_;
      changed_ = true;
      break;
    case WordElement::kIns:
    case WordElement::kMoveTo:
      ++inserted_;
      changed_ = true;
      break;
    case WordElement::kTab:
      sep('\t');
      break;
    case WordElement::kBr:
    case WordElement::kCr:
      sep('\n');
      break;
    case WordElement::kNoBreakHyphen:
      add("-");
      break;
    case WordElement::kDocPr:
    case WordElement::kCNvPr:
      // Alt text (description and title) of pictures and shapes.
      attribute_text(attrs.get("descr"));
      attribute_text(attrs.get("title"));
      break;
    case WordElement::kHyperlink:
    case WordElement::kHlinkClick:
    case WordElement::kHlinkHover:
      // The link's target lives in the part's relationships (read after the part, see
      // refers_outside()); its tooltip is here.
      refers_outside_ = refers_outside_ || attrs.has("id");
      attribute_text(attrs.get("tooltip"));
      break;
    case WordElement::kFldSimple:
      attribute_text(attrs.get("instr"));  // HYPERLINK "…", MERGEFIELD …: as instrText is read
      break;
    case WordElement::kShape:
    case WordElement::kImagedata:
      // VML (older Word pictures and text boxes): alt text and title.
      attribute_text(attrs.get("alt"));
      attribute_text(attrs.get("title"));
      break;
    case WordElement::kBlip:
    case WordElement::kOLEObject:
    case WordElement::kSubDoc:
      // A linked (not embedded) picture, object or sub-document: a path outside the file.
      refers_outside_ = refers_outside_ || attrs.has("link") || attrs.get("Type") == "Link" ||
                        e == WordElement::kSubDoc;
      break;
    default:
      break;
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
  const WordElement e = word_element(name.local);
  if (fallback_ > 0) {
    if (is_capture(e) && fallback_capture_ > 0) --fallback_capture_;
    if (--fallback_ == 0) end_fallback();
    return;
  }
  switch (e) {
    case WordElement::kT:
    case WordElement::kDelText:
    case WordElement::kInstrText:
      if (capture_ > 0) --capture_;
      break;
    case WordElement::kText:
      if (capture_ > 0) --capture_;
      sep('\n');
      break;
    case WordElement::kP:
      if (para_ > 0 && --para_ == 0) {
        end_paragraph();
      } else {
        sep('\n');  // a paragraph inside a text box inside a paragraph
      }
      break;
    case WordElement::kChoice:
      if (choice_ > 0) --choice_;
      break;
    case WordElement::kDel:
    case WordElement::kMoveFrom:
      if (deleted_ > 0) --deleted_;
      break;
    case WordElement::kIns:
    case WordElement::kMoveTo:
      if (inserted_ > 0) --inserted_;
      break;
    case WordElement::kTr:
    case WordElement::kComment:
    case WordElement::kFootnote:
    case WordElement::kEndnote:
    case WordElement::kTxbxContent:
    case WordElement::kThreadedComment:
    case WordElement::kCm:
      sep('\n');
      break;
    case WordElement::kTc:
      sep('\t');
      break;
    default:
      break;
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

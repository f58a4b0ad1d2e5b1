// Text writers and XML handlers shared by the OOXML and ODF extractors.
//
// PartText buffers one part's text and hands it to the Context in pieces; separators ("\n" between
// paragraphs and rows, "\t" between cells) keep words from different places from gluing into a
// false number, while runs of the same paragraph are joined with nothing between them.
//
// OoxmlTextHandler reads WordprocessingML and DrawingML parts (document, headers, footnotes,
// comments, slides, notes, drawings, threaded comments); GenericXmlHandler reads any other part as
// the text of its elements, one element per line, plus chosen attribute values.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/xml_stream.h"

namespace vakt::extract {

class PartText {
 public:
  static constexpr std::size_t kFlushBytes = 64 * 1024;

  explicit PartText(Context& ctx) : ctx_(ctx) {}
  ~PartText() { flush(); }
  PartText(const PartText&) = delete;
  PartText& operator=(const PartText&) = delete;

  void add(std::string_view s);
  // A boundary. "\n" is not repeated; a separator at the very start of a part is dropped.
  void sep(char c);
  void flush();
  bool stopped() const { return ctx_.stopped(); }
  std::uint64_t total() const { return total_ + buf_.size(); }

 private:
  Context& ctx_;
  std::string buf_;
  char last_ = '\n';
  std::uint64_t total_ = 0;
};

// Text kept in attributes (alt text, tooltips, link targets, form values): written at once on a
// line of its own outside a paragraph; inside one, held in `held` (up to `cap` bytes) for the
// paragraph's end, so it never splits the paragraph's own text.
void attribute_line(PartText& out, std::string& held, std::string_view value, bool in_paragraph,
                    std::size_t cap);

// Base for handlers that may end the stream early when the Context says stop.
class TextHandlerBase : public XmlHandler {
 public:
  explicit TextHandlerBase(PartText& out) : out_(out) {}
  void attach(XmlStream* stream) { stream_ = stream; }

 protected:
  void check_stop() {
    if (stream_ != nullptr && out_.stopped()) stream_->stop();
  }
  PartText& out_;
  XmlStream* stream_ = nullptr;
};

// Tracked changes: a paragraph is written as it reads now (insertions in, deletions out); when
// tracked changes make the original read differently, the original (deletions in, insertions out)
// follows on its own line, so a number is found in whichever version holds it whole.
// mc:AlternateContent: the Choice is read; its Fallback (for older readers, usually the same text
// again) follows on its own line only when its text differs — a Fallback is what Word shows when
// it does not know the Choice, so a decoy Choice cannot hide it.
class OoxmlTextHandler final : public TextHandlerBase {
 public:
  static constexpr std::size_t kMaxParagraphBytes = 1 << 20;
  using TextHandlerBase::TextHandlerBase;
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;
  // True when the part links to something outside the package (a hyperlink, a linked picture or
  // object): the targets are in the part's .rels, which is read only then.
  bool refers_outside() const { return refers_outside_; }

 private:
  void add(std::string_view s);
  void sep(char c);
  void end_paragraph();
  void go_direct();  // the paragraph is too long to hold: write it straight through
  void end_fallback();
  void attribute_text(std::string_view value);  // on a line of its own, after its paragraph

  bool refers_outside_ = false;

  int capture_ = 0;   // depth inside t / delText / instrText / text elements
  int fallback_ = 0;  // depth inside mc:Fallback (held apart, see above)
  int fallback_capture_ = 0;
  int choice_ = 0;           // depth inside mc:Choice
  std::string choice_text_;  // text of the current AlternateContent's Choice
  std::string fallback_text_;
  int para_ = 0;      // depth inside p
  int deleted_ = 0;   // depth inside del / moveFrom
  int inserted_ = 0;  // depth inside ins / moveTo
  bool changed_ = false;
  bool direct_ = false;  // paragraph too long to hold: written straight through
  std::string now_;      // the current top-level paragraph as it reads now
  // ... and as it read before the tracked changes; only once they make a difference: until
  // then (split_ false) it equals now_ and is not written twice.
  std::string original_;
  bool split_ = false;
  std::string attribute_text_;  // alt text, tooltips, field codes: written after the paragraph
};

class GenericXmlHandler final : public TextHandlerBase {
 public:
  // `attrs`: local names of attributes whose values are text too (e.g. "v" in pivot caches),
  // read on every element, or only on the elements named in `only_on` when it is not empty.
  GenericXmlHandler(PartText& out, std::initializer_list<std::string_view> attrs,
                    std::initializer_list<std::string_view> only_on = {})
      : TextHandlerBase(out), attrs_(attrs), only_on_(only_on) {}
  // Every attribute value is text too (namespace URIs aside): custom XML keeps data there.
  struct AllAttributes {};
  GenericXmlHandler(PartText& out, AllAttributes) : TextHandlerBase(out), all_attrs_(true) {}
  void start(const XmlName& name, const XmlAttrs& attrs) override;
  void end(const XmlName& name) override;
  void text(std::string_view chars) override;

 private:
  void value(std::string_view v);

  std::vector<std::string_view> attrs_;
  std::vector<std::string_view> only_on_;
  bool all_attrs_ = false;
  bool pending_ = false;  // text since the last line break
};

// True when `s` has only XML whitespace.
bool is_xml_space(std::string_view s);

}  // namespace vakt::extract

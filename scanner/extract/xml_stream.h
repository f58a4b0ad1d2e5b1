// XmlStream: a streaming XML reader for document parts (expat, or a fast Office XML tokenizer).
//
// Feed it the bytes of one XML part chunk by chunk as they inflate (never the whole part at once);
// it calls an XmlHandler for each start tag, end tag and run of character data. Handlers match on
// local names (expat also gives the namespace URI; the fast tokenizer leaves it empty), so they
// work for every namespace variant (transitional/strict OOXML, ODF 1.x and OpenOffice 1.x).
//
//   struct Text : XmlHandler { void text(std::string_view s) override { out += s; } ... };
//   XmlStream xml(handler);
//   zip.read(entry, opts, [&](std::string_view c) { return xml.feed(c).ok() && !xml.stopped(); });
//   Status st = xml.finish();                        // "corrupt xml: …" / "refused xml: …"
//
// By default a fast tokenizer written for Office XML reads the document; any document with a DTD
// or a non-UTF-8 encoding goes to expat instead (XmlEngine::kExpat forces expat).
//
// Safe by construction: external entities are never resolved or fetched (no external entity
// handler, parameter entity parsing off), any DOCTYPE that declares entities is refused before
// expansion (so entity bombs and XXE never run), and expat's billion-laughs guard stays on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"

struct XML_ParserStruct;

namespace vakt::extract {

struct XmlName {
  std::string_view uri;  // empty when the element is in no namespace
  std::string_view local;
};

// The attributes of one start tag (valid only during the start() call).
class XmlAttrs {
 public:
  // expat's form: {"uri\x01local", "value", ..., nullptr}.
  explicit XmlAttrs(const char** raw) : raw_(raw) {}
  // The fast tokenizer's form: `count` pairs {qualified name, value} as views into its buffer,
  // so a tag's attributes cost nothing unless a handler asks for them.
  XmlAttrs(const std::string_view* pairs, std::size_t count) : pairs_(pairs), count_(count) {}
  // The value of the first attribute whose local name is `local` (any namespace), or "" if absent.
  std::string_view get(std::string_view local) const;
  bool has(std::string_view local) const;
  // All attributes in document order: local name and value of attribute i < size().
  std::size_t size() const;
  std::string_view local_name(std::size_t i) const;
  std::string_view value(std::size_t i) const;

 private:
  const char** raw_ = nullptr;
  const std::string_view* pairs_ = nullptr;
  std::size_t count_ = 0;
};

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(const XmlName& name, const XmlAttrs& attrs) = 0;
  virtual void end(const XmlName& name) = 0;
  virtual void text(std::string_view chars) = 0;
};

// Which parser reads the document. kAuto: the fast tokenizer (ooxml_fast_xml.h) unless the prolog
// has a DOCTYPE, a UTF-16 byte order mark or a non-UTF-8 encoding declaration, then expat.
enum class XmlEngine { kAuto, kExpat };

class XmlStream {
 public:
  explicit XmlStream(XmlHandler& handler, XmlEngine engine = XmlEngine::kAuto);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses the next chunk. After an error every further call returns the same error.
  Status feed(std::string_view chunk);
  // Ends the document; reports a truncated document as corrupt unless stop() was called.
  Status finish();
  // Called from a handler (e.g. a budget ran out): parsing ends quietly after this callback.
  void stop();
  bool stopped() const { return stopped_; }
  std::uint64_t bytes_fed() const { return fed_; }
  // True once the document is being read by expat (for tests and benchmarks).
  bool using_expat() const { return mode_ == Mode::kExpat; }

 private:
  static void on_start(void* self, const char* name, const char** attrs);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* s, int len);
  static void on_entity_decl(void* self, const char* entity_name, int is_param, const char* value,
                             int value_len, const char* base, const char* system_id,
                             const char* public_id, const char* notation);
  Status error_status();
  Status expat_feed(std::string_view chunk);
  Status fast_feed(std::string_view chunk, bool final);
  void make_expat();
  void choose(std::string_view prolog);

  enum class Mode { kUndecided, kFast, kExpat };
  XmlHandler& handler_;
  Mode mode_;
  std::string prolog_;  // bytes held until the engine is chosen (up to the root start tag)
  std::unique_ptr<class OoxmlFastXml> fast_;
  XML_ParserStruct* parser_ = nullptr;
  bool stopped_ = false;
  bool failed_ = false;
  std::string refused_;
  std::string error_;
  std::uint64_t fed_ = 0;
};

// Splits an expat namespace-qualified name ("uri\x01local") into its parts.
XmlName split_xml_name(const char* qualified);

}  // namespace vakt::extract

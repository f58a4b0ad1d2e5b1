// OoxmlPackage: the zip side of every OOXML and ODF extractor.
//
// It opens the package (a corrupt zip makes the document unscannable), admits members against the
// Context's budgets (entries, compression ratio, encrypted members → partial), streams one XML
// member into a handler chunk by chunk, reads one member as a text part, and hands embedded
// objects back to the dispatcher as children. Each member is read at most once (done/mark_done),
// so an extractor reads its main parts in a meaningful order and then sweeps up the rest.
//
//   auto pkg = OoxmlPackage::open(input, ctx);
//   if (!pkg) return;                                   // already marked unscannable
//   pkg->text_part("word/document.xml", PartKind::kOoxmlText);
//   pkg->sweep(classify_docx_member);                   // everything not read yet
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/xml_stream.h"
#include "extract/zip_reader.h"

namespace vakt::extract {

enum class PartKind {
  kSkip,         // styles, themes, relationships, media: nothing a person wrote
  kOoxmlText,    // WordprocessingML / DrawingML text (t, delText, instrText, text)
  kGeneric,      // any XML: element text, one element per line
  kProperties,   // docProps/*.xml: element text plus custom property names
  kPivotCache,   // xl/pivotCache/*: cached values live in v="…" attributes
  kCustomXml,    // customXml/*: element text and every attribute value (business data)
  kSettings,     // word/settings.xml: document variables and the mail-merge query only
  kConnections,  // xl/connections.xml: a data connection's name, source and query (SQL)
  kEmbedded,     // an embedded file: re-enters the dispatcher as a child
};

class PartText;

class OoxmlPackage {
 public:
  // Opens the package; on failure marks the Context unscannable and returns nothing.
  static std::optional<OoxmlPackage> open(const Input& input, Context& ctx);

  const ZipReader& zip() const { return *zip_; }
  const ZipEntry* find(std::string_view name) const { return zip_->find(name); }
  Context& ctx() { return ctx_; }

  bool done(const ZipEntry& e) const { return done_[e.index]; }
  void mark_done(const ZipEntry& e) { done_[e.index] = true; }

  // Counts the member as an entry (unless told not to) and checks ratio and encryption,
  // recording why a member is not read.
  bool admit(const ZipEntry& e, bool count_entry = true);
  // Streams member `e` into `handler` (no part is opened). Problems are recorded as partial with
  // the member's name; returns false when the member could not be read to its end.
  // A TextHandlerBase handler is attached to the stream so it can stop it when the budget ends.
  bool stream_xml(const ZipEntry& e, XmlHandler& handler);
  // Streams member `e`'s bytes into `feed` chunk by chunk (binary parts: xlsb records). Problems
  // are recorded as partial as stream_xml records them; returns false when not read to its end.
  bool stream_bytes(const ZipEntry& e, const std::function<Status(std::string_view)>& feed);
  // Reads a small member whole (relationships, manifest); nullopt when it is absent or unreadable.
  std::optional<std::string> read_small(std::string_view name, std::uint64_t max_bytes = 16 << 20);

  // Reads member `name` (if present and not done) as one text part of the given kind.
  void text_part(std::string_view name, PartKind kind);
  void text_part(const ZipEntry& e, PartKind kind);
  // Every member not done yet, in zip order, through `classify`.
  void sweep(const std::function<PartKind(std::string_view name)>& classify);

  // Members whose names start with `prefix` and end with `suffix`, in natural order (2 before 10).
  std::vector<const ZipEntry*> members(std::string_view prefix, std::string_view suffix) const;
  // The main part named by _rels/.rels (officeDocument relationship), or `fallback`.
  std::string main_part(std::string_view fallback);

  // The external targets in `part`'s relationships (hyperlinks, linked files), written to `out`.
  void external_targets(const ZipEntry& part, PartText& out);

  // Cap for one member's inflated bytes.
  std::uint64_t member_cap() const;

 private:
  OoxmlPackage(std::shared_ptr<const ZipReader> zip, Context& ctx);
  void embedded(const ZipEntry& e);
  // Records why member `e` was not read to its end (partial); true when it was.
  bool read_to_end(const Expected<ZipReadStats>& st, const Status& feed_status, const ZipEntry& e);

  std::shared_ptr<const ZipReader> zip_;
  Context& ctx_;
  std::vector<bool> done_;
};

// Classification shared by the OOXML formats for members they have no special use for.
PartKind classify_ooxml_common(std::string_view name);

// The relationships in a .rels member: (Id, Target) when by_id, else (Type, Target).
std::vector<std::pair<std::string, std::string>> read_relationships(OoxmlPackage& pkg,
                                                                    std::string_view rels_name,
                                                                    bool by_id);
// The folder part of a member name, with its trailing '/' ("xl/workbook.xml" -> "xl/").
std::string dir_of(std::string_view member_name);
// A relationship target resolved against the directory of its source part ("xl/").
std::string resolve_target(std::string_view base_dir, std::string_view target);

bool ends_with(std::string_view s, std::string_view suffix);
bool starts_with(std::string_view s, std::string_view prefix);
// The number in a member name such as "ppt/slides/slide12.xml" (12), for natural ordering.
std::uint64_t member_number(std::string_view name);

}  // namespace vakt::extract

// OoxmlPackage (see ooxml_package.h).
#include "extract/ooxml_package.h"

#include <algorithm>
#include <utility>

#include "extract/ooxml_text.h"

namespace vakt::extract {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::uint64_t member_number(std::string_view name) {
  const auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::uint64_t n = 0;
  bool any = false;
  for (char c : name) {
    if (c >= '0' && c <= '9') {
      if (n < UINT64_MAX / 20) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      any = true;
    } else if (any) {
      break;
    }
  }
  return n;
}

PartKind classify_ooxml_common(std::string_view name) {
  if (name.find("/embeddings/") != std::string_view::npos) return PartKind::kEmbedded;
  // altChunk: HTML, MHT, RTF or text imported into a document is shown as part of it.
  for (std::string_view ext : {".html", ".htm", ".xhtml", ".mht", ".mhtml", ".rtf", ".txt"}) {
    if (ends_with(name, ext) && name.find("/media/") == std::string_view::npos)
      return PartKind::kEmbedded;
  }
  if (!ends_with(name, ".xml")) {
    // Pictures, fonts, macros, printer settings and relationships hold no text a person wrote.
    // Any other part (an altChunk named afchunk.docx or .dat, a header part named .bin, a
    // Power Pivot model) goes to content detection: read if Vakt can, else reported partial.
    static constexpr std::string_view kNoTextPaths[] = {
        "/media/",        "/fonts/", "/printerSettings/",  "/activeX/",
        "vbaProject.bin", "vbaData", "docProps/thumbnail", "_xmlsignatures/"};
    static constexpr std::string_view kNoTextEndings[] = {
        ".rels", ".odttf", ".fntdata", ".ttf",  ".png",    ".jpg",   ".jpeg",
        ".jfif", ".gif",   ".bmp",     ".tif",  ".tiff",   ".emf",   ".wmf",
        ".svg",  ".wdp",   ".ico",     ".sigs", ".psdsxs", ".psdsor"};
    for (std::string_view s : kNoTextPaths) {
      if (name.find(s) != std::string_view::npos) return PartKind::kSkip;
    }
    for (std::string_view s : kNoTextEndings) {
      if (ends_with(name, s)) return PartKind::kSkip;
    }
    return PartKind::kEmbedded;
  }
  if (starts_with(name, "docProps/")) return PartKind::kProperties;
  if (ends_with(name, "word/settings.xml")) return PartKind::kSettings;
  if (ends_with(name, "xl/connections.xml")) return PartKind::kConnections;
  static constexpr std::string_view kNoText[] = {"[Content_Types].xml",
                                                 "/theme/",
                                                 "/styles.xml",
                                                 "/settings.xml",
                                                 "/fontTable.xml",
                                                 "/webSettings.xml",
                                                 "/numbering.xml",
                                                 "/presProps.xml",
                                                 "/viewProps.xml",
                                                 "/tableStyles.xml",
                                                 "/calcChain.xml",
                                                 "/printerSettings/",
                                                 "/itemProps",
                                                 "/activeX/",
                                                 "/stylesWithEffects.xml",
                                                 "/commentsIds",
                                                 "/vbaData.xml",
                                                 "/customizations.xml",
                                                 "/keyMapCustomizations.xml"};
  for (std::string_view s : kNoText) {
    if (name.find(s) != std::string_view::npos || name == s) return PartKind::kSkip;
  }
  if (name.find("/pivotCache/") != std::string_view::npos) return PartKind::kPivotCache;
  if (starts_with(name, "customXml/")) return PartKind::kCustomXml;
  if (name.find("/charts/") != std::string_view::npos ||
      name.find("/externalLinks/") != std::string_view::npos || ends_with(name, "/people.xml") ||
      name.find("/persons/") != std::string_view::npos ||
      name.find("/tables/") != std::string_view::npos)
    return PartKind::kGeneric;
  return PartKind::kOoxmlText;
}

OoxmlPackage::OoxmlPackage(std::shared_ptr<const ZipReader> zip, Context& ctx)
    : zip_(std::move(zip)), ctx_(ctx) {
  // done_ is indexed by entry index; size it to the largest index.
  std::uint64_t max_index = 0;
  for (const ZipEntry& e : zip_->entries()) max_index = std::max(max_index, e.index);
  done_.assign(static_cast<std::size_t>(max_index) + 1, false);
}

std::optional<OoxmlPackage> OoxmlPackage::open(const Input& input, Context& ctx) {
  if (input.zip) {  // opened by type detection
    if (input.zip->salvaged())
      ctx.mark_partial("corrupt zip: no central directory, members read from local headers");
    return OoxmlPackage(input.zip, ctx);
  }
  auto zip = ZipReader::open_or_salvage(input.bytes);
  if (!zip) {
    ctx.mark_unscannable(zip.error().message);
    return std::nullopt;
  }
  if (zip->salvaged())
    ctx.mark_partial("corrupt zip: no central directory, members read from local headers");
  return OoxmlPackage(std::make_shared<const ZipReader>(std::move(zip).value()), ctx);
}

std::uint64_t OoxmlPackage::member_cap() const {
  const std::uint64_t cap = ctx_.limits().max_expanded_bytes;
  return cap == 0 ? UINT64_MAX : cap;
}

bool OoxmlPackage::admit(const ZipEntry& e, bool count_entry) {
  if (ctx_.stopped()) return false;
  if (count_entry && !ctx_.add_entry()) return false;
  if (e.encrypted) {
    ctx_.mark_partial("encrypted member: " + e.name);
    return false;
  }
  if (!ctx_.check_ratio(e.compressed_size, e.size)) return false;
  return true;
}

bool OoxmlPackage::stream_xml(const ZipEntry& e, XmlHandler& handler) {
  if (e.size == 0 && e.compressed_size <= 2) return true;  // an empty member: nothing to read
  XmlStream xml(handler);
  if (auto* h = dynamic_cast<TextHandlerBase*>(&handler)) h->attach(&xml);
  Status feed_status = Ok{};
  auto st = zip_->read(e, ZipReadOptions{.max_bytes = member_cap(), .max_ratio = 0.0},
                       [&](std::string_view chunk) {
                         feed_status = xml.feed(chunk);
                         if (!feed_status) return false;
                         if (xml.stopped() || ctx_.stopped()) return false;
                         return !ctx_.deadline_passed();
                       });
  if (auto* h = dynamic_cast<TextHandlerBase*>(&handler)) h->attach(nullptr);
  if (!read_to_end(st, feed_status, e) || xml.stopped()) return false;
  Status fin = xml.finish();
  if (!fin) {
    ctx_.mark_partial(fin.error().message + " in " + e.name);
    return false;
  }
  return true;
}

bool OoxmlPackage::stream_bytes(const ZipEntry& e,
                                const std::function<Status(std::string_view)>& feed) {
  Status feed_status = Ok{};
  auto st = zip_->read(e, ZipReadOptions{.max_bytes = member_cap(), .max_ratio = 0.0},
                       [&](std::string_view chunk) {
                         feed_status = feed(chunk);
                         if (!feed_status || ctx_.stopped()) return false;
                         return !ctx_.deadline_passed();
                       });
  return read_to_end(st, feed_status, e);
}

bool OoxmlPackage::read_to_end(const Expected<ZipReadStats>& st, const Status& feed_status,
                               const ZipEntry& e) {
  if (!st) {
    ctx_.mark_partial(st.error().message);
    return false;
  }
  if (!feed_status) {
    ctx_.mark_partial(feed_status.error().message + " in " + e.name);
    return false;
  }
  if (st->truncated) {
    ctx_.mark_partial("limit: max_expanded_bytes (" + e.name + ")");
    return false;
  }
  return !st->stopped;
}

std::optional<std::string> OoxmlPackage::read_small(std::string_view name,
                                                    std::uint64_t max_bytes) {
  const ZipEntry* e = zip_->find(name);
  if (e == nullptr || e->encrypted) return std::nullopt;
  auto data = zip_->read_all(
      *e, ZipReadOptions{.max_bytes = max_bytes, .max_ratio = ctx_.limits().max_compression_ratio});
  if (!data) {
    ctx_.mark_partial(data.error().message);
    return std::nullopt;
  }
  return std::move(data).value();
}

void OoxmlPackage::text_part(std::string_view name, PartKind kind) {
  const ZipEntry* e = zip_->find(name);
  if (e != nullptr) text_part(*e, kind);
}

void OoxmlPackage::text_part(const ZipEntry& e, PartKind kind) {
  if (done(e)) return;
  mark_done(e);
  if (kind == PartKind::kSkip || e.is_dir) return;
  // An embedded file is counted as an entry by extract_child itself.
  if (!admit(e, kind != PartKind::kEmbedded)) return;
  if (kind == PartKind::kEmbedded) {
    embedded(e);
    return;
  }
  ctx_.begin_part(e.name);
  {
    PartText out(ctx_);
    switch (kind) {
      case PartKind::kOoxmlText: {
        OoxmlTextHandler h(out);
        stream_xml(e, h);
        if (h.refers_outside()) external_targets(e, out);
        break;
      }
      case PartKind::kProperties: {
        GenericXmlHandler h(out, {"name"});
        stream_xml(e, h);
        break;
      }
      case PartKind::kPivotCache: {
        GenericXmlHandler h(out, {"v", "caption"});
        stream_xml(e, h);
        break;
      }
      case PartKind::kCustomXml: {
        GenericXmlHandler h(out, GenericXmlHandler::AllAttributes{});
        stream_xml(e, h);
        break;
      }
      case PartKind::kSettings: {
        // <w:docVar w:name="PatientPnr" w:val="…"/>, the mail merge's SQL query and source.
        GenericXmlHandler h(out, {"name", "val"},
                            {"docVar", "query", "connectString", "dataSource"});
        stream_xml(e, h);
        break;
      }
      case PartKind::kConnections: {
        // <dbPr command="SELECT … WHERE pnr = '…'"/>: a query can name the very person it fetches.
        GenericXmlHandler h(
            out, {"name", "description", "connection", "command", "url", "sourceFile", "odcFile"},
            {"connection", "dbPr", "olapPr", "webPr", "textPr"});
        stream_xml(e, h);
        break;
      }
      default: {
        GenericXmlHandler h(out, {});
        stream_xml(e, h);
        break;
      }
    }
    out.flush();
  }
  ctx_.end_part();
}

void OoxmlPackage::embedded(const ZipEntry& e) {
  auto data = zip_->read_all(e, ZipReadOptions{.max_bytes = member_cap(), .max_ratio = 0.0});
  if (!data) {
    ctx_.mark_partial(data.error().message);
    return;
  }
  if (data->size() >= member_cap()) {
    ctx_.mark_partial("limit: max_expanded_bytes (" + e.name + ")");
    return;
  }
  ctx_.extract_child(*data, e.name);
}

std::vector<const ZipEntry*> OoxmlPackage::members(std::string_view prefix,
                                                   std::string_view suffix) const {
  std::vector<const ZipEntry*> out;
  for (const ZipEntry& e : zip_->entries()) {
    if (starts_with(e.name, prefix) && ends_with(e.name, suffix) &&
        e.name.find('/', prefix.size()) == std::string::npos)
      out.push_back(&e);
  }
  std::stable_sort(out.begin(), out.end(), [](const ZipEntry* a, const ZipEntry* b) {
    return member_number(a->name) < member_number(b->name);
  });
  return out;
}

namespace {

// Collects Relationship Type/Target pairs from a .rels part.
class RelsHandler final : public XmlHandler {
 public:
  std::vector<std::pair<std::string, std::string>> rels;  // (Id or Type, Target)
  explicit RelsHandler(bool by_id) : by_id_(by_id) {}
  void start(const XmlName& name, const XmlAttrs& attrs) override {
    if (name.local != "Relationship") return;
    rels.emplace_back(std::string(attrs.get(by_id_ ? "Id" : "Type")),
                      std::string(attrs.get("Target")));
  }
  void end(const XmlName& /*name*/) override {}
  void text(std::string_view /*chars*/) override {}

 private:
  bool by_id_;
};

}  // namespace

namespace {

// Targets of a .rels part's external relationships (hyperlinks, linked files), one per line.
class ExternalTargetsHandler final : public XmlHandler {
 public:
  explicit ExternalTargetsHandler(PartText& out) : out_(out) {}
  void start(const XmlName& name, const XmlAttrs& attrs) override {
    if (name.local != "Relationship" || attrs.get("TargetMode") != "External") return;
    const std::string_view target = attrs.get("Target");
    if (target.empty()) return;
    out_.sep('\n');
    out_.add(target);
    out_.sep('\n');
  }
  void end(const XmlName& /*name*/) override {}
  void text(std::string_view /*chars*/) override {}

 private:
  PartText& out_;
};

}  // namespace

void OoxmlPackage::external_targets(const ZipEntry& part, PartText& out) {
  const auto slash = part.name.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : part.name.substr(0, slash + 1);
  const std::string file = part.name.substr(dir.size());
  const ZipEntry* rels = find(dir + "_rels/" + file + ".rels");
  if (rels == nullptr || rels->encrypted || !admit(*rels, /*count_entry=*/false)) return;
  // A link to "\\server\elevakter\<personnummer>.docx" is as telling as the text.
  ExternalTargetsHandler h(out);
  stream_xml(*rels, h);
}

std::vector<std::pair<std::string, std::string>> read_relationships(OoxmlPackage& pkg,
                                                                    std::string_view rels_name,
                                                                    bool by_id) {
  RelsHandler h(by_id);
  const ZipEntry* e = pkg.find(rels_name);
  if (e == nullptr || e->encrypted) return {};
  pkg.mark_done(*e);
  pkg.stream_xml(*e, h);
  return std::move(h.rels);
}

std::string dir_of(std::string_view member_name) {
  const auto slash = member_name.rfind('/');
  return slash == std::string_view::npos ? std::string()
                                         : std::string(member_name.substr(0, slash + 1));
}

std::string resolve_target(std::string_view base_dir, std::string_view target) {
  if (starts_with(target, "/")) return std::string(target.substr(1));
  std::string dir(base_dir);
  while (starts_with(target, "../")) {
    target.remove_prefix(3);
    if (!dir.empty() && dir.back() == '/') dir.pop_back();
    const auto slash = dir.rfind('/');
    dir = slash == std::string::npos ? std::string() : dir.substr(0, slash + 1);
  }
  if (starts_with(target, "./")) target.remove_prefix(2);
  return dir + std::string(target);
}

std::string OoxmlPackage::main_part(std::string_view fallback) {
  for (const auto& [type, target] : read_relationships(*this, "_rels/.rels", false)) {
    if (ends_with(type, "/officeDocument") && !target.empty()) {
      std::string name = resolve_target("", target);
      if (find(name) != nullptr) return name;
    }
  }
  return std::string(fallback);
}

void OoxmlPackage::sweep(const std::function<PartKind(std::string_view name)>& classify) {
  for (const ZipEntry& e : zip_->entries()) {
    if (ctx_.stopped()) return;
    if (done(e)) continue;
    text_part(e, classify(e.name));
  }
}

}  // namespace vakt::extract

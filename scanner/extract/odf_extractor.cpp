// extract_odf / extract_flat_odf: OpenDocument (odt, ods, odp, odg and OpenOffice 1.x sxw, sxc,
// sxi) and the flat single-file forms (fodt, fods, fodp).
//
// A packaged document is read in this order: meta.xml, content.xml, styles.xml (headers and
// footers live in its master pages), then embedded sub-documents ("Object 1/content.xml") and
// embedded binary objects, which go back to the dispatcher. A document whose manifest says
// content.xml is encrypted is unscannable ("encrypted"); other encrypted members make it partial.
#include <set>

#include "extract/formats.h"
#include "extract/odf_text.h"
#include "extract/ooxml_package.h"
#include "extract/xml_stream.h"

namespace vakt::extract {
namespace {

// Collects the full paths of members that carry manifest:encryption-data.
class ManifestHandler final : public XmlHandler {
 public:
  std::set<std::string> encrypted;
  void start(const XmlName& name, const XmlAttrs& attrs) override {
    if (name.local == "file-entry") {
      current_ = attrs.get("full-path");
    } else if (name.local == "encryption-data") {
      encrypted.insert(current_);
    }
  }
  void end(const XmlName& /*name*/) override {}
  void text(std::string_view /*chars*/) override {}

 private:
  std::string current_;
};

std::string odf_type(std::string_view mimetype) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"opendocument.text", "odt"},
      {"opendocument.spreadsheet", "ods"},
      {"opendocument.presentation", "odp"},
      {"opendocument.graphics", "odg"},
      {"sun.xml.writer", "sxw"},
      {"sun.xml.calc", "sxc"},
      {"sun.xml.impress", "sxi"},
      {"sun.xml.draw", "sxd"}};
  for (const auto& [needle, type] : kTypes) {
    if (mimetype.find(needle) != std::string_view::npos) return std::string(type);
  }
  return "odf";
}

bool is_odf_payload_free(std::string_view name) {
  static constexpr std::string_view kSkip[] = {
      "META-INF/", "Pictures/", "Thumbnails/", "Configurations2/", "ObjectReplacements/",
      "Basic/",    "Dialogs/",  "mimetype",    "layout-cache",     "manifest.rdf"};
  for (std::string_view s : kSkip) {
    if (starts_with(name, s)) return true;
    // The same folders inside embedded sub-documents ("Object 3/Thumbnails/thumbnail.png").
    const auto at = name.find(s);
    if (at != std::string_view::npos && at > 0 && name[at - 1] == '/') return true;
  }
  return ends_with(name, "settings.xml");
}

void odf_part(OoxmlPackage& pkg, const ZipEntry& e) {
  if (pkg.done(e)) return;
  pkg.mark_done(e);
  if (!pkg.admit(e)) return;
  Context& ctx = pkg.ctx();
  ctx.begin_part(e.name);
  {
    PartText out(ctx);
    OdfTextHandler h(out);
    pkg.stream_xml(e, h);
    out.flush();
  }
  ctx.end_part();
}

}  // namespace

void extract_odf(const Input& input, Context& ctx) {
  auto pkg = OoxmlPackage::open(input, ctx);
  if (!pkg) return;
  if (auto mimetype = pkg->read_small("mimetype", 256)) {
    ctx.set_type(odf_type(*mimetype));
  } else {
    ctx.set_type("odf");
  }

  std::set<std::string> encrypted;
  if (const ZipEntry* m = pkg->find("META-INF/manifest.xml"); m != nullptr && !m->encrypted) {
    pkg->mark_done(*m);
    ManifestHandler h;
    pkg->stream_xml(*m, h);
    encrypted = std::move(h.encrypted);
  }
  if (encrypted.count("content.xml") != 0) {
    ctx.mark_unscannable("encrypted");
    return;
  }
  for (const std::string& name : encrypted) {
    if (const ZipEntry* e = pkg->find(name)) {
      pkg->mark_done(*e);
      ctx.mark_partial("encrypted member: " + name);
    }
  }
  if (pkg->find("content.xml") == nullptr) ctx.mark_partial("missing member: content.xml");

  for (std::string_view name : {"meta.xml", "content.xml", "styles.xml"}) {
    if (const ZipEntry* e = pkg->find(name)) odf_part(*pkg, *e);
  }
  for (const ZipEntry& e : pkg->zip().entries()) {
    if (ctx.stopped()) return;
    if (pkg->done(e) || e.is_dir || is_odf_payload_free(e.name)) continue;
    if (ends_with(e.name, ".xml")) {
      odf_part(*pkg, e);  // sub-documents: "Object 1/content.xml", charts
    } else {
      pkg->text_part(e, PartKind::kEmbedded);  // OLE objects and other embedded files
    }
  }
}

void extract_flat_odf(const Input& input, Context& ctx) {
  std::string_view ext = input.name;
  const auto dot = ext.rfind('.');
  ext = dot == std::string_view::npos ? std::string_view("fodt") : ext.substr(dot + 1);
  ctx.set_type(ext == "fods" || ext == "fodp" || ext == "fodg" ? std::string(ext) : "fodt");
  ctx.begin_part("");
  {
    PartText out(ctx);
    OdfTextHandler h(out);
    XmlStream xml(h);
    h.attach(&xml);
    // The bytes are already in memory; feeding them in chunks keeps stop() and the deadline
    // responsive on a large file.
    constexpr std::size_t kChunk = 256 * 1024;
    std::string_view rest = input.bytes;
    Status st = Ok{};
    while (!rest.empty() && st.ok() && !xml.stopped() && !ctx.stopped()) {
      const std::string_view chunk = rest.substr(0, kChunk);
      rest.remove_prefix(chunk.size());
      st = xml.feed(chunk);
      if (ctx.deadline_passed()) break;
    }
    if (st.ok() && rest.empty() && !xml.stopped() && !ctx.stopped()) st = xml.finish();
    if (!st.ok()) {
      if (xml.bytes_fed() <= kChunk && out.total() == 0)
        ctx.mark_unscannable(st.error().message);
      else
        ctx.mark_partial(st.error().message);
    }
    out.flush();
  }
  ctx.end_part();
}

}  // namespace vakt::extract

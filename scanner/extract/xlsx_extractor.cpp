// extract_xlsx: SpreadsheetML packages (xlsx, xlsm, xltx).
//
// Order: sheet names (hidden and veryHidden too), number formats, the shared-string table, every
// worksheet as tab/newline-separated cells, then the shared strings no cell uses any more, then
// comments, threaded comments, drawings, charts, pivot caches, properties; embedded objects go to
// the dispatcher.
#include <algorithm>

#include "extract/formats.h"
#include "extract/ooxml_package.h"
#include "extract/xlsx_parts.h"

namespace vakt::extract {
namespace {

constexpr std::uint64_t kSharedStringsCap = 64ull << 20;  // per workbook, per worker

void read_sheet(OoxmlPackage& pkg, const ZipEntry& e, std::string_view sheet_name,
                SharedStrings& strings, const StylesHandler& styles) {
  if (pkg.done(e)) return;
  pkg.mark_done(e);
  if (!pkg.admit(e)) return;
  Context& ctx = pkg.ctx();
  ctx.begin_part(e.name);
  {
    PartText out(ctx);
    if (!sheet_name.empty()) {
      out.add(sheet_name);
      out.sep('\n');
    }
    SheetHandler h(out, strings, styles);
    pkg.stream_xml(e, h);
    if (h.refers_outside()) pkg.external_targets(e, out);
    out.flush();
  }
  ctx.end_part();
}

}  // namespace

void extract_xlsx(const Input& input, Context& ctx) {
  ctx.set_type("xlsx");
  auto pkg = OoxmlPackage::open(input, ctx);
  if (!pkg) return;
  const std::string workbook = pkg->main_part("xl/workbook.xml");
  const std::string base = dir_of(workbook);

  // Sheet names, with the relationship that leads to each sheet's part.
  std::vector<SheetInfo> sheets;
  if (const ZipEntry* e = pkg->find(workbook); e != nullptr && pkg->admit(*e)) {
    pkg->mark_done(*e);
    ctx.begin_part(e->name);
    {
      PartText out(ctx);
      WorkbookHandler h(out);
      pkg->stream_xml(*e, h);
      out.flush();
      sheets = std::move(h.sheets);
    }
    ctx.end_part();
  } else {
    ctx.mark_partial("missing member: " + workbook);
  }
  std::string rels_name = base + "_rels/" + workbook.substr(base.size()) + ".rels";
  auto rels = read_relationships(*pkg, rels_name, true);

  StylesHandler styles;
  if (const ZipEntry* e = pkg->find(base + "styles.xml"); e != nullptr && pkg->admit(*e)) {
    pkg->mark_done(*e);
    pkg->stream_xml(*e, styles);
  }

  // Shared strings: stored up to a cap; anything past it is written out as its own part now.
  const std::uint64_t cap = std::min(kSharedStringsCap, pkg->member_cap());
  const ZipEntry* sst_entry = pkg->find(base + "sharedStrings.xml");
  ctx.begin_part(base + "sharedStrings.xml");
  PartText overflow(ctx);
  SharedStrings strings(overflow, cap);
  if (sst_entry != nullptr && pkg->admit(*sst_entry)) {
    pkg->mark_done(*sst_entry);
    pkg->stream_xml(*sst_entry, strings);
    if (strings.overflowed()) ctx.mark_partial("limit: shared strings table kept in part");
  }
  overflow.flush();
  ctx.end_part();

  for (const SheetInfo& s : sheets) {
    if (ctx.stopped()) return;
    auto rel =
        std::find_if(rels.begin(), rels.end(), [&](const auto& r) { return r.first == s.rel_id; });
    if (rel == rels.end()) continue;
    const ZipEntry* e = pkg->find(resolve_target(base, rel->second));
    if (e != nullptr) read_sheet(*pkg, *e, s.name, strings, styles);
  }
  // Worksheets the workbook does not list are still read.
  for (const ZipEntry* e : pkg->members(base + "worksheets/", ".xml")) {
    if (ctx.stopped()) return;
    read_sheet(*pkg, *e, {}, strings, styles);
  }

  if (sst_entry != nullptr && !ctx.stopped()) {
    ctx.begin_part(sst_entry->name);
    {
      PartText out(ctx);
      strings.write_unreferenced(out);
      out.flush();
    }
    ctx.end_part();
  }
  pkg->sweep(classify_ooxml_common);
}

}  // namespace vakt::extract

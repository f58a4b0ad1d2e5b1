// extract_xlsb: Excel binary workbooks (.xlsb), the same package as xlsx with BIFF12 records in
// place of XML parts (xlsb_records.h).
//
// Read as xlsx is read: sheet names (hidden and veryHidden too), number formats, the shared-string
// table, every worksheet as tab/newline-separated cells — numbers in full and through their custom
// digit formats ("000000-0000") — with headers/footers and hyperlinks, then the shared strings no
// cell uses any more, then comments. Other parts go through the common OOXML classification:
// properties, drawings and charts are XML; embedded objects re-enter the dispatcher; a binary part
// Vakt does not parse (a pivot cache, an external link's cached values) is read for its strings
// and the document reported partial, so data there is never taken as absent.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "extract/formats.h"
#include "extract/ooxml_package.h"
#include "extract/ooxml_text.h"
#include "extract/xlsb_records.h"
#include "extract/xlsx_number.h"

namespace vakt::extract {
namespace {

constexpr std::uint64_t kSharedStringsCap = 64ull << 20;  // per workbook, as for xlsx

struct Sheet {
  std::string name;
  std::string rel_id;
};

// Feeds member `e` through a Biff12Stream into `on_record`.
bool read_records(OoxmlPackage& pkg, const ZipEntry& e, const Biff12Stream::OnRecord& on_record) {
  Biff12Stream records(on_record);
  if (!pkg.stream_bytes(e, [&](std::string_view chunk) { return records.feed(chunk); })) {
    return false;
  }
  if (Status fin = records.finish(); !fin) {
    pkg.ctx().mark_partial(fin.error().message + " in " + e.name);
    return false;
  }
  return true;
}

// Number format of each cell style: cellXfs index → format code ("" for built-in formats).
class CellFormats {
 public:
  void record(std::uint32_t type, std::string_view data) {
    Biff12Fields f(data);
    if (type == biff12::kNumberFormat) {
      const auto id = f.u16();
      auto code = f.wide_string();
      if (id && code) codes_[*id] = std::move(*code);
    } else if (type == biff12::kBeginCellFormats) {
      in_cell_formats_ = true;
    } else if (type == biff12::kEndCellFormats) {
      in_cell_formats_ = false;
    } else if (type == biff12::kCellFormat && in_cell_formats_) {
      f.skip(2);  // ixfeParent
      const auto format = f.u16();
      style_formats_.push_back(format.value_or(0));
    }
  }
  std::string_view code_of_style(std::uint32_t style) const {
    if (style >= style_formats_.size()) return {};
    const auto it = codes_.find(style_formats_[style]);
    return it == codes_.end() ? std::string_view() : std::string_view(it->second);
  }

 private:
  std::unordered_map<std::uint32_t, std::string> codes_;
  std::vector<std::uint32_t> style_formats_;
  bool in_cell_formats_ = false;
};

// The shared-string table, kept up to a byte cap; past it strings are written out at once, so none
// is lost and memory stays bounded.
class SharedStringTable {
 public:
  SharedStringTable(PartText& overflow, std::uint64_t cap) : overflow_(overflow), cap_(cap) {}

  void record(std::uint32_t type, std::string_view data) {
    if (type != biff12::kSharedStringItem) return;
    Biff12Fields f(data);
    f.skip(1);  // fRichStr, fExtStr
    auto s = f.wide_string();
    if (!s) s.emplace();
    if (stored_ + s->size() > cap_) {
      overflowed_ = true;
      overflow_.add(*s);
      overflow_.sep('\n');
      strings_.emplace_back();
    } else {
      stored_ += s->size();
      strings_.push_back(std::move(*s));
    }
    used_.push_back(false);
  }
  std::string_view use(std::uint32_t index) {
    if (index >= strings_.size()) return {};
    used_[index] = true;
    return strings_[index];
  }
  void write_unreferenced(PartText& out) const {
    for (std::size_t i = 0; i < strings_.size() && !out.stopped(); ++i) {
      if (used_[i] || strings_[i].empty()) continue;
      out.add(strings_[i]);
      out.sep('\n');
    }
  }
  bool overflowed() const { return overflowed_; }

 private:
  PartText& overflow_;
  std::uint64_t cap_;
  std::uint64_t stored_ = 0;
  std::vector<std::string> strings_;
  std::vector<bool> used_;
  bool overflowed_ = false;
};

// One worksheet's records as text: cells separated by tabs, rows by newlines.
class SheetText {
 public:
  SheetText(PartText& out, SharedStringTable& strings, const CellFormats& formats)
      : out_(out), strings_(strings), formats_(formats) {}

  void record(std::uint32_t type, std::string_view data) {
    Biff12Fields f(data);
    switch (type) {
      case biff12::kRowHeader:
        out_.sep('\n');
        return;
      case biff12::kCellRk:
      case biff12::kCellReal:
      case biff12::kFormulaNumber: {
        f.skip(4);  // column
        const std::uint32_t style = f.u32().value_or(0) & 0xFFFFFF;
        const double value =
            type == biff12::kCellRk ? rk_number_value(f.u32().value_or(0)) : f.f64().value_or(0.0);
        if (f.failed()) return;
        cell(format_number(number_text(value), formats_.code_of_style(style)));
        return;
      }
      case biff12::kCellString:
      case biff12::kFormulaString:
        f.skip(8);  // column, style
        if (auto s = f.wide_string()) cell(*s);
        return;
      case biff12::kCellRichString:
        f.skip(9);  // column, style, flags
        if (auto s = f.wide_string()) cell(*s);
        return;
      case biff12::kCellSharedString: {
        f.skip(8);
        if (auto index = f.u32()) cell(strings_.use(*index));
        return;
      }
      case biff12::kHeaderFooter: {
        f.skip(2);  // flags
        for (int i = 0; i < 6; ++i) {
          auto s = f.nullable_wide_string();
          if (!s) break;
          line(*s);
        }
        return;
      }
      case biff12::kHyperlink: {
        f.skip(16);                    // the cell range
        f.nullable_wide_string();      // relationship id: external targets come from the rels
        for (int i = 0; i < 3; ++i) {  // location, tooltip, display
          auto s = f.wide_string();
          if (!s) break;
          line(*s);
        }
        return;
      }
      default:
        return;
    }
  }

 private:
  void cell(std::string_view text) {
    if (text.empty()) return;
    out_.add(text);
    out_.sep('\t');
  }
  void line(std::string_view text) {
    if (text.empty()) return;
    out_.sep('\n');
    out_.add(text);
    out_.sep('\n');
  }
  PartText& out_;
  SharedStringTable& strings_;
  const CellFormats& formats_;
};

void read_sheet(OoxmlPackage& pkg, const ZipEntry& e, std::string_view sheet_name,
                SharedStringTable& strings, const CellFormats& formats) {
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
    SheetText sheet(out, strings, formats);
    read_records(pkg, e,
                 [&](std::uint32_t type, std::string_view data) { sheet.record(type, data); });
    pkg.external_targets(e, out);
    out.flush();
  }
  ctx.end_part();
}

void read_comments(OoxmlPackage& pkg, const ZipEntry& e) {
  if (pkg.done(e)) return;
  pkg.mark_done(e);
  if (!pkg.admit(e)) return;
  Context& ctx = pkg.ctx();
  ctx.begin_part(e.name);
  {
    PartText out(ctx);
    read_records(pkg, e, [&](std::uint32_t type, std::string_view data) {
      Biff12Fields f(data);
      if (type == biff12::kCommentText) f.skip(1);  // RichStr flags
      if (type != biff12::kCommentText && type != biff12::kCommentAuthor) return;
      if (auto s = f.wide_string(); s && !s->empty()) {
        out.add(*s);
        out.sep('\n');
      }
    });
    out.flush();
  }
  ctx.end_part();
}

// Binary parts that hold no text a person wrote; everything else as for xlsx.
PartKind classify_xlsb_member(std::string_view name) {
  static constexpr std::string_view kNoText[] = {"/calcChain.bin", "/binaryIndex", "/styles.bin"};
  for (std::string_view s : kNoText) {
    if (name.find(s) != std::string_view::npos) return PartKind::kSkip;
  }
  return classify_ooxml_common(name);
}

}  // namespace

void extract_xlsb(const Input& input, Context& ctx) {
  ctx.set_type("xlsb");
  auto pkg = OoxmlPackage::open(input, ctx);
  if (!pkg) return;
  const std::string workbook = pkg->main_part("xl/workbook.bin");
  const std::string base = dir_of(workbook);

  std::vector<Sheet> sheets;
  if (const ZipEntry* e = pkg->find(workbook); e != nullptr && pkg->admit(*e)) {
    pkg->mark_done(*e);
    ctx.begin_part(e->name);
    {
      PartText out(ctx);
      read_records(*pkg, *e, [&](std::uint32_t type, std::string_view data) {
        if (type != biff12::kSheet) return;
        Biff12Fields f(data);
        f.skip(8);  // hsState (visible, hidden, veryHidden: all are read), iTabID
        auto rel = f.nullable_wide_string();
        auto name = f.wide_string();
        if (!rel || !name) return;
        out.add(*name);
        out.sep('\n');
        sheets.push_back({std::move(*name), std::move(*rel)});
      });
      out.flush();
    }
    ctx.end_part();
  } else {
    ctx.mark_partial("missing member: " + workbook);
  }
  auto rels =
      read_relationships(*pkg, base + "_rels/" + workbook.substr(base.size()) + ".rels", true);

  CellFormats formats;
  if (const ZipEntry* e = pkg->find(base + "styles.bin"); e != nullptr && pkg->admit(*e)) {
    pkg->mark_done(*e);
    read_records(*pkg, *e,
                 [&](std::uint32_t type, std::string_view data) { formats.record(type, data); });
  }

  const std::uint64_t cap = std::min(kSharedStringsCap, pkg->member_cap());
  const ZipEntry* sst_entry = pkg->find(base + "sharedStrings.bin");
  ctx.begin_part(base + "sharedStrings.bin");
  PartText overflow(ctx);
  SharedStringTable strings(overflow, cap);
  if (sst_entry != nullptr && pkg->admit(*sst_entry)) {
    pkg->mark_done(*sst_entry);
    read_records(*pkg, *sst_entry,
                 [&](std::uint32_t type, std::string_view data) { strings.record(type, data); });
    if (strings.overflowed()) ctx.mark_partial("limit: shared strings table kept in part");
  }
  overflow.flush();
  ctx.end_part();

  for (const Sheet& s : sheets) {
    if (ctx.stopped()) return;
    auto rel =
        std::find_if(rels.begin(), rels.end(), [&](const auto& r) { return r.first == s.rel_id; });
    if (rel == rels.end()) continue;
    const ZipEntry* e = pkg->find(resolve_target(base, rel->second));
    if (e != nullptr && ends_with(e->name, ".bin") &&
        e->name.find("/worksheets/") != std::string::npos) {
      read_sheet(*pkg, *e, s.name, strings, formats);
    }
  }
  for (const ZipEntry* e : pkg->members(base + "worksheets/sheet", ".bin")) {
    if (ctx.stopped()) return;
    read_sheet(*pkg, *e, {}, strings, formats);
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
  for (const ZipEntry* e : pkg->members(base + "comments", ".bin")) {
    if (ctx.stopped()) return;
    read_comments(*pkg, *e);
  }
  pkg->sweep(classify_xlsb_member);
}

}  // namespace vakt::extract

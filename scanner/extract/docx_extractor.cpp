// extract_docx: WordprocessingML packages (docx, docm, dotx, dotm).
//
// Reads the body first, then every other place a person's text can hide — headers and footers,
// footnotes and endnotes, comments, the glossary, text boxes and tracked deletions (both inside
// the parts), document properties, custom XML — and hands embedded objects to the dispatcher.
#include "extract/formats.h"
#include "extract/ooxml_package.h"

namespace vakt::extract {

void extract_docx(const Input& input, Context& ctx) {
  ctx.set_type("docx");
  auto pkg = OoxmlPackage::open(input, ctx);
  if (!pkg) return;
  const std::string main = pkg->main_part("word/document.xml");
  if (pkg->find(main) == nullptr) ctx.mark_partial("missing member: word/document.xml");
  pkg->text_part(main, PartKind::kOoxmlText);
  for (std::string_view prefix : {"word/header", "word/footer"}) {
    for (const ZipEntry* e : pkg->members(prefix, ".xml")) pkg->text_part(*e, PartKind::kOoxmlText);
  }
  for (std::string_view name : {"word/footnotes.xml", "word/endnotes.xml", "word/comments.xml",
                                "word/glossary/document.xml"}) {
    pkg->text_part(name, PartKind::kOoxmlText);
  }
  pkg->sweep(classify_ooxml_common);
}

}  // namespace vakt::extract

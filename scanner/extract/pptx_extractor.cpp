// extract_pptx: PresentationML packages (pptx, pptm, ppsx, potx).
//
// Slides in their natural order, then speaker notes and comments, then everything else with text
// (masters, layouts, charts, diagrams, properties); embedded objects go to the dispatcher.
#include "extract/formats.h"
#include "extract/ooxml_package.h"

namespace vakt::extract {

void extract_pptx(const Input& input, Context& ctx) {
  ctx.set_type("pptx");
  auto pkg = OoxmlPackage::open(input, ctx);
  if (!pkg) return;
  if (pkg->find(pkg->main_part("ppt/presentation.xml")) == nullptr)
    ctx.mark_partial("missing member: ppt/presentation.xml");
  for (std::string_view prefix : {"ppt/slides/", "ppt/notesSlides/", "ppt/comments/"}) {
    for (const ZipEntry* e : pkg->members(prefix, ".xml")) pkg->text_part(*e, PartKind::kOoxmlText);
  }
  pkg->sweep(classify_ooxml_common);
}

}  // namespace vakt::extract

// Images (JPEG, PNG, GIF, BMP, TIFF, WMF, EMF), detected by magic in type_detect.cpp. Vakt has
// no OCR, so an image is never read: printable runs of compressed pixel data are noise, not
// text. A package thumbnail (docProps/thumbnail.*, ODF Thumbnails/) renders the first page,
// which is scanned as text, so it is skipped without a mark; any other image makes the document
// partial with "image not scanned (no OCR): <name>".
#include <cctype>
#include <string>

#include "extract/formats.h"

namespace vakt::extract {
namespace {

bool is_package_thumbnail(std::string_view name) {
  std::string low(name);
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return low.starts_with("docprops/thumbnail.") || low.starts_with("thumbnails/");
}

}  // namespace

void extract_image(const Input& input, Context& ctx) {
  if (ctx.depth() > 0 && is_package_thumbnail(input.name)) return;
  ctx.mark_partial("image not scanned (no OCR): " + input.name);
}

}  // namespace vakt::extract

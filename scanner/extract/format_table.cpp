// Format → extractor. One row per format in formats.h; the dispatcher asks extractor_for().
#include <array>
#include <utility>

#include "extract/dispatcher.h"
#include "extract/formats.h"

namespace vakt::extract {
namespace {

constexpr std::array<std::pair<Format, ExtractFn>, 20> kTable = {{
    {Format::kPlainText, extract_plain_text},
    {Format::kHtml, extract_html},
    {Format::kXml, extract_xml},
    {Format::kZip, extract_zip},
    {Format::kArchive, extract_archive},
    {Format::kDocx, extract_docx},
    {Format::kXlsx, extract_xlsx},
    {Format::kXlsb, extract_xlsb},
    {Format::kPptx, extract_pptx},
    {Format::kOdf, extract_odf},
    {Format::kFlatOdf, extract_flat_odf},
    {Format::kPdf, extract_pdf},
    {Format::kOle2, extract_ole2},
    {Format::kRtf, extract_rtf},
    {Format::kEml, extract_eml},
    {Format::kMbox, extract_mbox},
    {Format::kEncrypted, extract_encrypted},
    {Format::kImage, extract_image},
    {Format::kUnknown, extract_strings},
    // Format::kEmpty has no extractor on purpose: there is nothing to read.
    {Format::kEmpty, nullptr},
}};

}  // namespace

ExtractFn extractor_for(Format format) {
  for (const auto& [f, fn] : kTable) {
    if (f == format) return fn;
  }
  return nullptr;
}

}  // namespace vakt::extract

// A tiny hand-written PDF builder for tests: objects in order, a correct xref table and trailer.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace vakt::extract::testing {

// objects[i] is the body of object i+1 (without "n 0 obj"/"endobj").
inline std::string build_pdf(const std::vector<std::string>& objects,
                             const std::string& trailer_extra = "") {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

inline std::string pdf_stream(const std::string& dict_extra, const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + " " + dict_extra + " >>\nstream\n" + data +
         "\nendstream";
}

// A one-or-more page PDF; each entry of `contents` is a page content stream. Objects:
// 1 catalog, 2 pages, 3 font, then per page: page, content.
inline std::string simple_pdf(const std::vector<std::string>& contents,
                              const std::string& trailer_extra = "",
                              const std::string& catalog_extra = "",
                              const std::vector<std::string>& extra_objects = {}) {
  std::vector<std::string> objs;
  std::string kids;
  for (std::size_t i = 0; i < contents.size(); ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  objs.push_back("<< /Type /Catalog /Pages 2 0 R " + catalog_extra + " >>");
  objs.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(contents.size()) +
                 " >>");
  objs.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (std::size_t i = 0; i < contents.size(); ++i) {
    objs.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
        "/F1 3 0 R >> >> /Contents " +
        std::to_string(5 + 2 * i) + " 0 R >>");
    objs.push_back(pdf_stream("", contents[i]));
  }
  for (const auto& o : extra_objects) objs.push_back(o);
  return build_pdf(objs, trailer_extra);
}

inline std::string text_content(const std::string& text) {
  return "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
}

inline const char* kImageContent =
    "q 100 0 0 100 72 600 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x80\x10\x20\x30 EI Q";

}  // namespace vakt::extract::testing

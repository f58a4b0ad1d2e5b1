// libFuzzer target: the xlsb extractor's BIFF12 record parsing. Random bytes would almost never
// form a zip package, so the input is cut into the package's binary parts (workbook, styles,
// shared strings, one worksheet, comments; separated by "\xFF\xFE\xFD") and wrapped in a real
// package with stored members before extract_xlsb reads it — never a crash, a hang or runaway
// memory, no break of the TextSink contract, and a document that could not be read is never
// reported as scanned with no reason.
#include <zip.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/formats.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr std::array<const char*, 5> kParts = {"xl/workbook.bin", "xl/styles.bin",
                                               "xl/sharedStrings.bin", "xl/worksheets/sheet1.bin",
                                               "xl/comments1.bin"};

std::string package(std::string_view input) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (parts.size() + 1 < kParts.size()) {
    const std::size_t sep = input.find("\xFF\xFE\xFD", at);
    if (sep == std::string_view::npos) break;
    parts.emplace_back(input.substr(at, sep - at));
    at = sep + 3;
  }
  parts.emplace_back(input.substr(at));
  std::vector<std::pair<std::string, std::string>> files = {
      {"[Content_Types].xml",
       R"(<Types><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>)"},
      {"xl/_rels/workbook.bin.rels",
       R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.bin"/></Relationships>)"}};
  for (std::size_t i = 0; i < parts.size(); ++i) files.emplace_back(kParts[i], parts[i]);

  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (za == nullptr) return {};
  zip_source_keep(src);
  for (const auto& [name, data] : files) {
    zip_source_t* fs = zip_source_buffer(za, data.data(), data.size(), 0);
    const zip_int64_t idx = zip_file_add(za, name.c_str(), fs, ZIP_FL_ENC_UTF_8);
    if (idx >= 0) zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  std::string out;
  if (zip_close(za) == 0) {
    zip_stat_t st;
    zip_source_open(src);
    zip_source_stat(src, &st);
    out.resize(static_cast<std::size_t>(st.size));
    zip_source_read(src, out.data(), out.size());
    zip_source_close(src);
  }
  zip_source_free(src);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = package(std::string_view(reinterpret_cast<const char*>(data), size));
  if (bytes.empty()) return 0;
  vakt::Limits limits;
  limits.max_expanded_bytes = 8u << 20;
  limits.max_entries = 200;
  limits.max_depth = 3;
  limits.max_time = std::chrono::milliseconds(2000);
  vakt::fuzz::CheckingSink sink;  // parts never nest, text only inside a part
  vakt::extract::Context ctx(sink, limits, false);
  vakt::extract::extract_xlsb(vakt::extract::Input{bytes, "fuzz.xlsb", nullptr, {}}, ctx);
  if (ctx.status() != vakt::ScanStatus::kScanned && ctx.reason().empty()) __builtin_trap();
  return 0;
}

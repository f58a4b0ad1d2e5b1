// Test support for the OOXML/ODF extractor tests: builds real zip packages in memory with libzip
// (the same library the scanner reads them with, but through its writing side) and collects what
// an extractor emits, part by part.
//
//   std::string docx = ZipBuilder().add("word/document.xml", xml).build();
//   Extracted x = run_extractor(extract_docx, docx);
//   EXPECT_NE(x.part("word/document.xml").find("…"), std::string::npos);
#pragma once

#include <zip.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "vakt/scanner/limits.h"
#include "vakt/scanner/text_sink.h"

namespace vakt::extract::testing {

class ZipBuilder {
 public:
  ZipBuilder& add(std::string name, std::string data, bool store = false,
                  const char* password = nullptr) {
    files_.push_back({std::move(name), std::move(data), store, password});
    return *this;
  }

  std::string build() const {
    // AES-256 (compression method 99 + the AE-x extra field) where libzip has a crypto backend;
    // the Windows cross build's libzip has none, so there traditional PKWARE encryption (general
    // purpose flag bit 0, built into libzip). The reader must refuse both without decrypting.
    const zip_uint16_t kMethod = zip_encryption_method_supported(ZIP_EM_AES_256, 1) != 0
                                     ? ZIP_EM_AES_256
                                     : ZIP_EM_TRAD_PKWARE;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    if (za == nullptr) throw std::runtime_error("zip_open_from_source failed");
    zip_source_keep(src);
    for (const File& f : files_) {
      zip_source_t* fs = zip_source_buffer(za, f.data.data(), f.data.size(), 0);
      const zip_int64_t idx = zip_file_add(za, f.name.c_str(), fs, ZIP_FL_ENC_UTF_8);
      if (idx < 0) throw std::runtime_error("zip_file_add failed");
      const auto i = static_cast<zip_uint64_t>(idx);
      if (f.store) zip_set_file_compression(za, i, ZIP_CM_STORE, 0);
      if (f.password != nullptr && zip_file_set_encryption(za, i, kMethod, f.password) != 0)
        throw std::runtime_error("zip_file_set_encryption failed");
    }
    if (zip_close(za) != 0) throw std::runtime_error("zip_close failed");
    zip_stat_t st;
    zip_source_open(src);
    zip_source_stat(src, &st);
    std::string out(static_cast<std::size_t>(st.size), '\0');
    zip_source_read(src, out.data(), out.size());
    zip_source_close(src);
    zip_source_free(src);
    return out;
  }

 private:
  struct File {
    std::string name;
    std::string data;
    bool store;
    const char* password;
  };
  std::vector<File> files_;
};

class CollectSink final : public TextSink {
 public:
  std::vector<std::pair<std::string, std::string>> parts;
  void begin_part(std::string_view name) override { parts.emplace_back(std::string(name), ""); }
  void text(std::string_view utf8) override { parts.back().second.append(utf8); }
  void end_part() override {}
};

struct Extracted {
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;
  std::string type;
  std::vector<std::pair<std::string, std::string>> parts;

  // The text of every part with this exact name, concatenated ("" if none).
  std::string part(std::string_view name) const {
    std::string out;
    for (const auto& [n, t] : parts) {
      if (n == name) out += t;
    }
    return out;
  }
  std::string all() const {
    std::string out;
    for (const auto& [n, t] : parts) out += t + "\n";
    return out;
  }
  bool has(std::string_view needle) const { return all().find(needle) != std::string::npos; }
};

inline Extracted run_extractor(ExtractFn fn, std::string_view bytes, std::string name = "doc",
                               const Limits& limits = Limits{}) {
  CollectSink sink;
  Context ctx(sink, limits, false);
  Input in{bytes, std::move(name), nullptr, {}};
  fn(in, ctx);
  Extracted x;
  x.status = ctx.status();
  x.reason = ctx.reason();
  x.type = ctx.top_type();
  x.parts = std::move(sink.parts);
  return x;
}

inline const char* kRels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";

// _rels/.rels naming `main` as the officeDocument.
inline std::string package_rels(std::string_view main) {
  return std::string(kRels) +
         R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target=")" +
         std::string(main) + R"("/></Relationships>)";
}

}  // namespace vakt::extract::testing

// The OOXML and ODF files of the shared real-world corpus (POI, Tika, ODF Toolkit, format-corpus):
// none may crash or hang the extractors, every one gets a verdict, unreadable ones say why, and
// the readable ones with known content produce it.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "extract/formats.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir() {
  return fs::path(VAKT_SHARED_DIR) / "corpus" / "realworld";
}

ExtractFn extractor_for(std::string ext) {
  static const std::map<std::string, ExtractFn> kByExt = {
      {".docx", extract_docx},    {".docm", extract_docx},     {".dotx", extract_docx},
      {".xlsx", extract_xlsx},    {".xlsm", extract_xlsx},     {".xltx", extract_xlsx},
      {".pptx", extract_pptx},    {".pptm", extract_pptx},     {".ppsx", extract_pptx},
      {".odt", extract_odf},      {".ods", extract_odf},       {".odp", extract_odf},
      {".odg", extract_odf},      {".sxw", extract_odf},       {".sxc", extract_odf},
      {".sxi", extract_odf},      {".fodt", extract_flat_odf}, {".fods", extract_flat_odf},
      {".fodp", extract_flat_odf}};
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kByExt.find(ext);
  return it == kByExt.end() ? nullptr : it->second;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Outcome {
  testing::Extracted x;
  double seconds = 0;
};

std::map<std::string, Outcome>& outcomes() {
  static std::map<std::string, Outcome> all = [] {
    std::map<std::string, Outcome> out;
    if (!fs::exists(corpus_dir())) return out;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_dir())) {
      if (!entry.is_regular_file()) continue;
      ExtractFn fn = extractor_for(entry.path().extension().string());
      if (fn == nullptr) continue;
      const std::string bytes = read_file(entry.path());
      const auto t0 = std::chrono::steady_clock::now();
      Outcome o;
      o.x = testing::run_extractor(fn, bytes, entry.path().filename().string());
      o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      out[fs::relative(entry.path(), corpus_dir()).string()] = std::move(o);
    }
    return out;
  }();
  return all;
}

TEST(RealworldCorpus, EveryFileGetsAVerdictQuickly) {
  if (!fs::exists(corpus_dir())) GTEST_SKIP() << "no corpus at " << corpus_dir();
  ASSERT_GT(outcomes().size(), 100u);
  int scanned = 0, partial = 0, unscannable = 0;
  for (const auto& [name, o] : outcomes()) {
    EXPECT_LT(o.seconds, 10.0) << name;
    switch (o.x.status) {
      case ScanStatus::kScanned:
        ++scanned;
        break;
      case ScanStatus::kPartial:
        ++partial;
        break;
      default:
        ++unscannable;
        break;
    }
    // Anything not fully read says why.
    if (o.x.status != ScanStatus::kScanned) {
      EXPECT_FALSE(o.x.reason.empty()) << name;
    }
    const char* dump = std::getenv("VAKT_CORPUS_DUMP");
    if (dump != nullptr && name.find(dump) != std::string::npos) {
      for (const auto& [part, text] : o.x.parts)
        std::cout << "=== " << part << "\n" << text.substr(0, 3000) << "\n";
    }
    if (std::getenv("VAKT_CORPUS_VERBOSE") != nullptr)
      std::cout << to_string(o.x.status) << "\t" << o.x.all().size() << "\t" << name << "\t"
                << o.x.reason << "\n";
  }
  std::cout << outcomes().size() << " files: " << scanned << " scanned, " << partial << " partial, "
            << unscannable << " unscannable\n";
}

}  // namespace
}  // namespace vakt::extract

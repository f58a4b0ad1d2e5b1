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
      // Keys with '/' on every OS: the expectations below name files like "poi/x.docx".
      out[fs::relative(entry.path(), corpus_dir()).generic_string()] = std::move(o);
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

const testing::Extracted* find(std::string_view name) {
  auto it = outcomes().find(std::string(name));
  return it == outcomes().end() ? nullptr : &it->second.x;
}

TEST(RealworldCorpus, TextInUnusualPlacesIsFound) {
  if (!fs::exists(corpus_dir())) GTEST_SKIP() << "no corpus at " << corpus_dir();
  struct Expect {
    const char* file;
    const char* part;
    const char* text;
  };
  static constexpr Expect kExpect[] = {
      {"poi/headerFooter.docx", "word/header2.xml", "This is a simple header"},
      {"poi/headerFooter.docx", "word/footer2.xml", "and this is a simple footer"},
      {"poi/footnotes.docx", "word/footnotes.xml", "snoska"},
      {"poi/testComment.docx", "word/comments.xml", "comment content"},
      {"tika/testWORD_text_box.docx", "word/header1.xml", "text box in the header"},
      {"tika/testWORD_text_box.docx", "word/document.xml", "text box in the body"},
      {"poi/commentTest.xlsx", "xl/comments1.xml", "Comment A1"},
      {"poi/SampleSS.xlsx", "xl/worksheets/sheet2.xml", "cb=1\tcb=10\tcb=2\tcb=sum\n1\t10\t2\t13"},
      {"poi/WithTextBox.xlsx", "xl/drawings/drawing1.xml", "Line 1\nLine 2"},
      {"poi/45545_Comment.pptx", "ppt/slides/slide1.xml",
       "Access to Finance for Local Governments"},
      {"odftoolkit/headfoot.odt", "styles.xml", "Footer"},
      {"odftoolkit/_annotation.odt", "content.xml", "YEAH!!!"},
      {"odftoolkit/changeTracked.odt", "content.xml", "eingefügt"},
      {"tika/testStarOffice-6.0-writer.sxw", "content.xml", "Example Text"},
      {"tika/LibreOfficeImpress_odp_1.3.odp", "content.xml", "An example Impress file"},
      {"poi/poc-shared-strings.xlsx", "xl/worksheets/sheet1.xml", "ffffffffIIIIIIII"},
  };
  for (const Expect& e : kExpect) {
    const testing::Extracted* x = find(e.file);
    ASSERT_NE(x, nullptr) << e.file;
    EXPECT_NE(x->part(e.part).find(e.text), std::string::npos) << e.file << " " << e.part << ":\n"
                                                               << x->part(e.part);
  }
  // altChunk: HTML imported into a Word document goes through the dispatcher as a child.
  EXPECT_TRUE(find("tika/testAltChunkHTML.docx")->has("Simple paragraph"))
      << find("tika/testAltChunkHTML.docx")->all();
  // Author and time stamp of an annotation are not glued into its text.
  EXPECT_EQ(find("odftoolkit/_annotation.odt")->part("content.xml").find("Unknown Author"),
            std::string::npos);
}

TEST(RealworldCorpus, AttacksAndEncryptionAreReportedNotFollowed) {
  if (!fs::exists(corpus_dir())) GTEST_SKIP() << "no corpus at " << corpus_dir();
  const auto* xxe = find("poi/ExternalEntityInText.docx");
  ASSERT_NE(xxe, nullptr);
  EXPECT_EQ(xxe->status, ScanStatus::kPartial);
  EXPECT_NE(xxe->reason.find("refused xml: external entity"), std::string::npos);
  const auto* laughs = find("poi/54764.xlsx");
  ASSERT_NE(laughs, nullptr);
  EXPECT_NE(laughs->reason.find("refused xml: entity declaration"), std::string::npos);
  const auto* bomb = find("poi/poc-xmlbomb.xlsx");
  ASSERT_NE(bomb, nullptr);
  EXPECT_EQ(bomb->status, ScanStatus::kPartial);
  const auto* strings_bomb = find("poi/poc-shared-strings.xlsx");
  ASSERT_NE(strings_bomb, nullptr);
  EXPECT_LT(strings_bomb->all().size(), 4u << 20);
  // Truncated packages (no central directory) are read from their local headers, and say so.
  for (const char* truncated : {"poi/truncated62886.docx", "poi/Divino_Revelado.pptx"}) {
    const auto* x = find(truncated);
    ASSERT_NE(x, nullptr) << truncated;
    EXPECT_EQ(x->status, ScanStatus::kPartial) << truncated;
    EXPECT_NE(x->reason.find("members read from local headers"), std::string::npos) << x->reason;
    EXPECT_GT(x->all().size(), 500u) << truncated;
  }
  for (const char* encrypted : {"odftoolkit/PasswordProtected.odt", "tika/testODTEncrypted.odt"}) {
    const auto* x = find(encrypted);
    ASSERT_NE(x, nullptr) << encrypted;
    EXPECT_EQ(x->status, ScanStatus::kUnscannable) << encrypted;
    EXPECT_EQ(x->reason, "encrypted") << encrypted;
  }
}

}  // namespace
}  // namespace vakt::extract

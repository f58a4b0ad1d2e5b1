// The real-world corpus files the simple formats meet (csv, mail, zip-ish, text, html, xml):
// nothing crashes or hangs, every file gets an outcome, encrypted archives are never "scanned".
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>

#include "test_support.h"

namespace vakt::extract {
namespace {

namespace fs = std::filesystem;

TEST(Corpus, SimpleFormatsSurviveTheRealWorldCorpus) {
  const fs::path root = fs::path(VAKT_SHARED_DIR) / "corpus" / "realworld";
  if (!fs::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  const std::set<std::string> exts = {".csv", ".eml", ".zip", ".tar",  ".gz",  ".7z",
                                      ".rar", ".txt", ".htm", ".html", ".xml", ".mbox"};
  Limits limits;
  limits.max_time = std::chrono::seconds(10);
  limits.max_expanded_bytes = 64u << 20;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || !exts.contains(e.path().extension().string())) continue;
    ++files;
    const std::string bytes = testing::read_file(e.path());
    const auto t0 = std::chrono::steady_clock::now();
    auto out = testing::extract_bytes(bytes, e.path().filename().string(), limits);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, 15.0) << e.path();
    EXPECT_FALSE(out.type.empty()) << e.path();
    EXPECT_EQ(out.sink.nesting_errors, 0) << e.path();
    if (out.status != ScanStatus::kScanned) {
      EXPECT_FALSE(out.reason.empty()) << e.path();
    }
    const std::string name = e.path().filename().string();
    if (name == "full_encrypted.7z" || name == "test7Z_protected_passTika.7z" ||
        name == "test-documents-enc.rar") {
      EXPECT_NE(out.status, ScanStatus::kScanned) << name;
      EXPECT_NE(out.reason.find("encrypt"), std::string::npos) << name << ": " << out.reason;
    }
  }
  EXPECT_GT(files, 30);
}

}  // namespace
}  // namespace vakt::extract

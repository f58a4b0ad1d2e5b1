// Zip and libarchive containers: members re-enter the dispatcher; limits and encryption.
#include <gtest/gtest.h>

#include "test_support.h"

namespace vakt::extract {
namespace {

using testing::extract_bytes;
using testing::make_archive;
using testing::make_zip;
using testing::Member;

bool has(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(Zip, MembersBecomePartsNamedByPath) {
  auto out = extract_bytes(
      make_zip({{"a.txt", "Anna 19121212-1212"}, {"dir/b.txt", "Bo"}, {"tom.txt", ""}}),
      "paket.zip");
  EXPECT_EQ(out.type, "zip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  ASSERT_NE(out.sink.find("a.txt"), nullptr);
  EXPECT_EQ(out.sink.find("a.txt")->text, "Anna 19121212-1212");
  ASSERT_NE(out.sink.find("dir/b.txt"), nullptr);
  EXPECT_EQ(out.sink.nesting_errors, 0);
  EXPECT_EQ(out.sink.orphan_text, 0);
}

// A member named like a folder ("hemligt/") but holding bytes is read, not skipped as a folder.
TEST(Zip, AFolderNamedMemberWithBytesIsRead) {
  auto out = extract_bytes(make_zip({{"hemligt/", "Personnummer 19990604-2388\n"}}), "d.zip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  ASSERT_NE(out.sink.find("hemligt/"), nullptr);
  EXPECT_NE(out.sink.find("hemligt/")->text.find("19990604-2388"), std::string::npos);
}

TEST(Zip, NestedZipAndTarGzInside) {
  const std::string inner = make_zip({{"c.txt", "djup text"}});
  const std::string tgz = make_archive({{"d.txt", "i tar"}}, "pax", "gzip");
  auto out = extract_bytes(make_zip({{"inner.zip", inner}, {"arkiv.tar.gz", tgz}}), "outer.zip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  ASSERT_NE(out.sink.find("inner.zip/c.txt"), nullptr);
  EXPECT_EQ(out.sink.find("inner.zip/c.txt")->text, "djup text");
  ASSERT_NE(out.sink.find("arkiv.tar.gz/d.txt"), nullptr);
}

TEST(Zip, DepthBombStopsAtMaxDepth) {
  std::string z = make_zip({{"level20.txt", "botten"}});
  for (int level = 19; level >= 1; --level) {
    z = make_zip({{"level" + std::to_string(level) + ".txt", "niva " + std::to_string(level)},
                  {"next.zip", z}});
  }
  Limits limits;  // max_depth 8
  auto out = extract_bytes(z, "bomb.zip", limits);
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "limit: max_depth")) << out.reason;
  const std::string t = out.sink.all();
  EXPECT_TRUE(has(t, "niva 1"));
  EXPECT_TRUE(has(t, "niva 8"));
  EXPECT_FALSE(has(t, "niva 10"));
  EXPECT_FALSE(has(t, "botten"));
}

TEST(Zip, RatioBombRefusedBeforeInflating) {
  auto out = extract_bytes(
      make_zip({{"nollor.txt", std::string(20u << 20, '0')}, {"ok.txt", "vanlig text"}}),
      "ratio.zip");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "limit: max_compression_ratio")) << out.reason;
  EXPECT_EQ(out.sink.find("nollor.txt"), nullptr);
  EXPECT_NE(out.sink.find("ok.txt"), nullptr);
  EXPECT_LT(out.text_bytes, 1000u);
}

TEST(Zip, EntryLimit) {
  std::vector<Member> members;
  for (int i = 0; i < 50; ++i) members.push_back({"m" + std::to_string(i) + ".txt", "x"});
  Limits limits;
  limits.max_entries = 10;
  auto out = extract_bytes(make_zip(members), "many.zip", limits);
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "limit: max_entries")) << out.reason;
  EXPECT_EQ(out.sink.parts.size(), 20u);  // ten members: each its name and its text
}

TEST(Zip, ExpandedBytesLimitTruncates) {
  Limits limits;
  limits.max_expanded_bytes = 5000;
  auto out = extract_bytes(
      make_zip({{"a.txt", std::string(3000, 'a')}, {"b.txt", std::string(3000, 'b')}}), "big.zip",
      limits);
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "limit: max_expanded_bytes")) << out.reason;
}

TEST(Zip, EncryptedMemberIsPartialWithName) {
  auto out = extract_bytes(make_zip({{"hemlig.txt", "19121212-1212", true}, {"open.txt", "öppen"}}),
                           "blandat.zip");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "encrypted member: hemlig.txt")) << out.reason;
  ASSERT_NE(out.sink.find("open.txt"), nullptr);
  EXPECT_FALSE(has(out.sink.all(), "19121212"));
}

// A member that cannot be read still has a readable name, and names carry personnummer.
TEST(Zip, NamesOfMembersThatAreNotReadAreStillScanned) {
  Limits limits;
  limits.max_file_bytes = 1000;
  auto out = extract_bytes(make_zip({{"Journal 19121212-1212.txt", "data", true},
                                     {"Utredning 640823-3234.txt", std::string(5000, 'x')},
                                     {"open.txt", "öppen"}}),
                           "blandat.zip", limits);
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "member too large")) << out.reason;
  const std::string all = out.sink.all();
  EXPECT_TRUE(has(all, "Journal 19121212-1212.txt")) << all;
  EXPECT_TRUE(has(all, "Utredning 640823-3234.txt")) << all;
  EXPECT_FALSE(has(all, "xxxx"));
  EXPECT_NE(out.sink.find("Journal 19121212-1212.txt/(filename)"), nullptr);
}

TEST(Zip, AllMembersEncryptedIsUnscannable) {
  auto out = extract_bytes(make_zip({{"hemlig.txt", "data", true}}), "krypterad.zip");
  EXPECT_EQ(out.status, ScanStatus::kUnscannable);
  EXPECT_TRUE(has(out.reason, "encrypted")) << out.reason;
}

TEST(Zip, EncryptedZipInsideZipMakesOuterPartialAndSaysWhere) {
  const std::string inner = make_zip({{"hemlig.txt", "data", true}});
  auto out = extract_bytes(make_zip({{"inner.zip", inner}, {"a.txt", "text"}}), "outer.zip");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "(in inner.zip)")) << out.reason;
}

TEST(Zip, CorruptAndTruncated) {
  auto corrupt = extract_bytes(std::string("PK\x03\x04garbage-garbage-garbage", 26), "trasig.zip");
  EXPECT_EQ(corrupt.status, ScanStatus::kUnscannable);
  EXPECT_TRUE(has(corrupt.reason, "corrupt zip")) << corrupt.reason;

  const std::string z = make_zip({{"a.txt", std::string(5000, 'a')}, {"b.txt", "b"}});
  auto truncated = extract_bytes(z.substr(0, z.size() / 2), "halv.zip");
  EXPECT_NE(truncated.status, ScanStatus::kScanned);
  EXPECT_FALSE(truncated.reason.empty());
}

TEST(Zip, MissingCentralDirectoryRecoversMembersFromLocalHeaders) {
  const std::string z =
      make_zip({{"word/document.xml", "<w:document><w:t>Anna 19121212-1212</w:t></w:document>"},
                {"b.txt", std::string(3000, 'b') + "slut"}});
  const std::size_t central = z.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(central, std::string::npos);
  auto out = extract_bytes(z.substr(0, central), "trunkerad.docx");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "corrupt zip")) << out.reason;
  EXPECT_TRUE(has(out.reason, "2 members recovered")) << out.reason;
  ASSERT_NE(out.sink.find("word/document.xml"), nullptr);
  EXPECT_TRUE(has(out.sink.find("word/document.xml")->text, "Anna 19121212-1212"));
  ASSERT_NE(out.sink.find("b.txt"), nullptr);
  EXPECT_TRUE(has(out.sink.find("b.txt")->text, "bslut"));

  // Cut inside the second member's data: the first is recovered, the second reported damaged.
  const std::size_t second = z.find(std::string("PK\x03\x04", 4), 4);
  auto cut = extract_bytes(z.substr(0, second + 40), "halv.zip");
  EXPECT_EQ(cut.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(cut.reason, "damaged member: b.txt")) << cut.reason;
}

TEST(Archive, TarGzBz2Xz7z) {
  const std::vector<Member> members = {{"a.txt", "Anna 19121212-1212"}, {"sub/b.txt", "Bo"}};
  for (const auto& [format, filter] : std::vector<std::pair<std::string, std::string>>{
           {"pax", "none"}, {"pax", "gzip"}, {"pax", "bzip2"}, {"pax", "xz"}, {"7zip", "none"}}) {
    auto out = extract_bytes(make_archive(members, format, filter), "arkiv");
    EXPECT_EQ(out.status, ScanStatus::kScanned) << format << "/" << filter << ": " << out.reason;
    ASSERT_NE(out.sink.find("a.txt"), nullptr) << format << "/" << filter;
    EXPECT_EQ(out.sink.find("a.txt")->text, "Anna 19121212-1212");
    EXPECT_NE(out.sink.find("sub/b.txt"), nullptr);
  }
}

TEST(Archive, BareGzipNamesItsContentAfterTheFile) {
  auto out = extract_bytes(make_archive({{"x", "Åsa"}}, "raw", "gzip"), "brev.txt.gz");
  EXPECT_EQ(out.type, "gzip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  ASSERT_NE(out.sink.find("brev.txt"), nullptr) << ::testing::PrintToString(out.sink.names());
  EXPECT_EQ(out.sink.find("brev.txt")->text, "Åsa");
}

TEST(Archive, GzipBombStopsOnRatio) {
  // Not zeros: libarchive reads a stream of zero blocks as an empty tar and stops by itself.
  auto out =
      extract_bytes(make_archive({{"x", std::string(64u << 20, 'A')}}, "raw", "gzip"), "bomb.gz");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "limit: max_compression_ratio")) << out.reason;
}

TEST(Archive, GzipOfZerosIsAnEmptyTarNotAnEndlessInflate) {
  auto out = extract_bytes(make_archive({{"x", std::string(64u << 20, '\0')}}, "raw", "gzip"),
                           "nollor.gz");
  EXPECT_EQ(out.text_bytes, 0u);
  EXPECT_TRUE(out.sink.parts.empty());
}

TEST(Archive, CorruptGzipIsNotScanned) {
  auto out = extract_bytes(std::string("\x1F\x8B\x08\x00garbage garbage garbage", 27), "x.gz");
  EXPECT_NE(out.status, ScanStatus::kScanned);
  EXPECT_FALSE(out.reason.empty());
}

}  // namespace
}  // namespace vakt::extract

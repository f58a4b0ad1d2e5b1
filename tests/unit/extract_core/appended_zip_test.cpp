// Archives hidden behind other data: a zip appended to a text or a picture, a self-extracting
// program, two zips concatenated, and binary data further into a file whose start is text. Each
// is a way to carry a document past a scanner that trusts the first bytes; each must be read or
// reported as not fully read, never called clean.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "extract/text_decoder.h"
#include "extract/type_detect.h"
#include "extract/zip_locate.h"
#include "test_support.h"

namespace vakt::extract {
namespace {

using testing::extract_bytes;
using testing::make_zip;
using testing::Member;

bool has(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

const std::string kLetter = "Personnummer 19121212-1212 för eleven.\n";

std::string prose(std::size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += "Detta är en vanlig text om ingenting särskilt. ";
  return out;
}

void put_u32(std::string& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint32_t get_u32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// What `zip -A` does to a self-extractor: the program first, every offset in the archive moved
// by the program's size so that they count from the start of the whole file.
std::string self_extractor(const std::string& program, const std::string& zip) {
  std::string b = program + zip;
  const std::size_t end = b.rfind(std::string("PK\x05\x06", 4));
  const std::uint32_t cd = get_u32(b, end + 16) + static_cast<std::uint32_t>(program.size());
  put_u32(b, end + 16, cd);
  for (std::size_t at = b.find(std::string("PK\x01\x02", 4), cd);
       at != std::string::npos && at < end; at = b.find(std::string("PK\x01\x02", 4), at + 4)) {
    put_u32(b, at + 42, get_u32(b, at + 42) + static_cast<std::uint32_t>(program.size()));
  }
  return b;
}

TEST(ZipLocate, OrdinaryZipsAndNonZipsAreNotTrailing) {
  EXPECT_FALSE(locate_trailing_zip(make_zip({{"a.txt", kLetter}})));
  EXPECT_FALSE(locate_trailing_zip(prose(100000)));
  EXPECT_FALSE(locate_trailing_zip(""));
  // An end record that names no real central directory is noise, not an archive.
  EXPECT_FALSE(
      locate_trailing_zip(prose(300) + std::string("PK\x05\x06", 4) + std::string(18, '\1')));
}

TEST(ZipLocate, ZipAppendedToOtherData) {
  const std::string text = prose(70000);
  const auto at = locate_trailing_zip(text + make_zip({{"a.txt", kLetter}}));
  ASSERT_TRUE(at);
  EXPECT_EQ(at->archive_start, text.size());
  EXPECT_EQ(at->other_data_end, text.size());
}

TEST(ZipLocate, SelfExtractorWithAdjustedOffsets) {
  const std::string program = std::string("MZ\x90\0", 4) + std::string(3000, '\x7f');
  const auto at = locate_trailing_zip(self_extractor(program, make_zip({{"a.txt", kLetter}})));
  ASSERT_TRUE(at);
  EXPECT_EQ(at->archive_start, 0u);
  EXPECT_EQ(at->other_data_end, program.size());
}

// The last member is a zip stored as it is, so its end record sits inside the outer archive:
// the outer archive's own record, found first from the end, decides.
TEST(ZipLocate, StoredZipAsLastMemberIsNotMistakenForAnAppendedOne) {
  const std::string inner = make_zip({{"inre.txt", kLetter}});
  Member stored{"inre.zip", inner};
  stored.store = true;
  const std::string outer = make_zip({{"a.txt", "hej"}, stored});
  ASSERT_TRUE(has(outer, inner)) << "the member must be stored for this test";
  EXPECT_FALSE(locate_trailing_zip(outer));
  auto out = extract_bytes(outer, "yttre.zip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  EXPECT_EQ(out.sink.find(kDataBeforeArchivePart), nullptr);
  ASSERT_NE(out.sink.find("inre.zip/inre.txt"), nullptr);
}

TEST(AppendedZip, TextWithAZipAppendedIsReadAsBoth) {
  const std::string text = prose(70000) + "\nIngen siffra här.\n";
  const std::string bytes = text + make_zip({{"elev.txt", kLetter}});
  EXPECT_EQ(detect_type(bytes, "anteckning.txt").format, Format::kZip);
  auto out = extract_bytes(bytes, "anteckning.txt");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  EXPECT_EQ(out.type, "zip");
  ASSERT_NE(out.sink.find("elev.txt"), nullptr);
  EXPECT_TRUE(has(out.sink.find("elev.txt")->text, "19121212-1212"));
  const auto* before = out.sink.find(kDataBeforeArchivePart);
  ASSERT_NE(before, nullptr);
  EXPECT_TRUE(has(before->text, "Ingen siffra här."));
}

TEST(AppendedZip, DocxAppendedToAPictureIsReadAsADocx) {
  const std::string jpeg = "\xFF\xD8\xFF\xE0" + std::string(2000, '\x11') + "\xFF\xD9";
  const std::string docx = make_zip(
      {{"[Content_Types].xml",
        "<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
       {"word/document.xml",
        "<w:document><w:body><w:p><w:r><w:t>19121212</w:t></w:r><w:r><w:t>-1212</w:t></w:r>"
        "</w:p></w:body></w:document>"}});
  auto out = extract_bytes(jpeg + docx, "semester.jpg");
  EXPECT_EQ(out.type, "docx");
  EXPECT_TRUE(has(out.sink.all(), "19121212-1212")) << "runs joined by the docx extractor";
  // The picture is not read (no OCR), and the result says so.
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "image")) << out.reason;
}

TEST(AppendedZip, SelfExtractorMembersAreRead) {
  const std::string program = std::string("MZ\x90\0", 4) + "stub" + std::string(500, '\0');
  auto out = extract_bytes(self_extractor(program, make_zip({{"a.txt", kLetter}})), "setup.exe");
  EXPECT_EQ(out.type, "zip");
  ASSERT_NE(out.sink.find("a.txt"), nullptr);
  EXPECT_TRUE(has(out.sink.find("a.txt")->text, "19121212-1212"));
}

TEST(AppendedZip, TwoConcatenatedZipsAreBothRead) {
  const std::string first = make_zip({{"forsta.txt", "Första arkivet " + kLetter}});
  const std::string second = make_zip({{"andra.txt", "Andra arkivet"}});
  auto out = extract_bytes(first + second, "dubbel.zip");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  const std::string before = std::string(kDataBeforeArchivePart) + "/forsta.txt";
  ASSERT_NE(out.sink.find(before), nullptr) << ::testing::PrintToString(out.sink.names());
  EXPECT_TRUE(has(out.sink.find(before)->text, "19121212-1212"));
  ASSERT_NE(out.sink.find("andra.txt"), nullptr);
}

// OLE2 and PDF hold embedded packages in their own structure; their extractors read them.
TEST(AppendedZip, ContainersWithTheirOwnStructureKeepTheirType) {
  const std::string zip = make_zip({{"a.txt", kLetter}});
  const std::string ole2 =
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0');
  EXPECT_EQ(detect_type(ole2 + zip, "brev.doc").format, Format::kOle2);
  EXPECT_EQ(detect_type("%PDF-1.4\n" + zip, "x.pdf").format, Format::kPdf);
}

TEST(BinaryInText, GzipAfterTextMakesTheFilePartial) {
  const std::string gz = testing::make_archive({{"elev.txt", kLetter}}, "raw", "gzip");
  auto out = extract_bytes(prose(70000) + "\n" + gz, "logg.txt");
  EXPECT_EQ(out.type, "text/plain");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_TRUE(has(out.reason, "binary data in a text file")) << out.reason;
}

TEST(BinaryInText, NulPaddingAndStrayNulsAreStillText) {
  // A log cut short by a crash is padded with NULs to the block size; an old export has a stray
  // NUL or two. Neither hides anything.
  const std::string padded = prose(70000) + std::string(4096, '\0') + "\nomstart\n";
  auto out = extract_bytes(padded, "app.log");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  auto stray =
      extract_bytes(prose(70000) + std::string(1, '\0') + "x" + std::string(1, '\0'), "export.txt");
  EXPECT_EQ(stray.status, ScanStatus::kScanned) << stray.reason;
}

TEST(BinaryInText, NulRunsAreCountedAcrossPieces) {
  std::string bytes = prose(70000);
  for (int i = 0; i < 3; ++i) bytes += std::string("a\0\0b", 4);
  for (std::size_t piece : {1u, 2u, 3u, 4096u}) {
    TextDecoder decoder([](std::string_view) {});
    for (std::size_t i = 0; i < bytes.size(); i += piece) decoder.feed(bytes.substr(i, piece));
    decoder.finish();
    EXPECT_TRUE(decoder.holds_binary_data()) << "piece " << piece;
  }
  TextDecoder utf16([](std::string_view) {});
  utf16.feed(
      std::string("\xFF\xFE"
                  "a\0b\0c\0d\0",
                  10));
  utf16.finish();
  EXPECT_FALSE(utf16.holds_binary_data()) << "NULs are half of UTF-16";
}

}  // namespace
}  // namespace vakt::extract

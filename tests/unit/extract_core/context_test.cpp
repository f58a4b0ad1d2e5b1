// Context: outcome merging, reasons, part prefixes, limits; strings of unknown binaries.
#include "extract/extractor.h"

#include <gtest/gtest.h>

#include "extract/formats.h"
#include "test_support.h"

namespace vakt::extract {
namespace {

using testing::extract_bytes;
using testing::RecordingSink;

TEST(Context, WorstOutcomeWinsAndReasonsAccumulateOnce) {
  RecordingSink sink;
  Limits limits;
  Context ctx(sink, limits, false);
  EXPECT_EQ(ctx.status(), ScanStatus::kScanned);
  ctx.mark_partial("image-only pages: 3");
  EXPECT_EQ(ctx.status(), ScanStatus::kPartial);
  ctx.mark_unscannable("encrypted");
  ctx.mark_partial("image-only pages: 3");
  ctx.mark_partial("later");
  EXPECT_EQ(ctx.status(), ScanStatus::kUnscannable);
  EXPECT_EQ(ctx.reason(), "image-only pages: 3; encrypted; later");
}

TEST(Context, ChildOutcomesMakeTheContainerPartialAndNameTheChild) {
  // An unreadable child inside a readable zip: the zip is partial, the reason says which child.
  const std::string inner_bad = std::string("PK\x03\x04not really a zip at all", 26);
  auto out = extract_bytes(testing::make_zip({{"bad.zip", inner_bad}, {"ok.txt", "ok"}}), "o.zip");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_NE(out.reason.find("corrupt zip"), std::string::npos) << out.reason;
  EXPECT_NE(out.reason.find("(in bad.zip)"), std::string::npos) << out.reason;
}

TEST(Context, PartNamesArePrefixedAndTextAfterAChildReopensThePart) {
  RecordingSink sink;
  Limits limits;
  Context ctx(sink, limits, false);
  ctx.begin_part("body");
  ctx.text("före ");
  ctx.extract_child("barnets text", "bilaga.txt");
  ctx.text("efter");
  ctx.end_part();
  EXPECT_EQ(sink.nesting_errors, 0);
  EXPECT_EQ(sink.orphan_text, 0);
  ASSERT_EQ(sink.parts.size(), 4u);
  EXPECT_EQ(sink.parts[0].name, "body");
  EXPECT_EQ(sink.parts[1].name, "bilaga.txt/(filename)");  // the child's name is scanned too
  EXPECT_EQ(sink.parts[1].text, "bilaga.txt");
  EXPECT_EQ(sink.parts[2].name, "bilaga.txt");
  EXPECT_EQ(sink.parts[2].text, "barnets text");
  EXPECT_EQ(sink.parts[3].name, "body");
  EXPECT_EQ(sink.parts[3].text, "efter");
  EXPECT_EQ(ctx.prefix(), "");
  EXPECT_EQ(ctx.depth(), 0);
}

TEST(Context, TimeLimitRecordedOnce) {
  RecordingSink sink;
  Limits limits;
  limits.max_time = std::chrono::milliseconds(0);
  Context ctx(sink, limits, false);
  EXPECT_TRUE(ctx.deadline_passed());
  EXPECT_TRUE(ctx.deadline_passed());
  EXPECT_TRUE(ctx.stopped());
  EXPECT_EQ(ctx.status(), ScanStatus::kPartial);
  EXPECT_EQ(ctx.reason(), "limit: max_time");
}

TEST(Context, RatioCheckIgnoresSmallMembers) {
  RecordingSink sink;
  Limits limits;
  Context ctx(sink, limits, false);
  EXPECT_TRUE(ctx.check_ratio(10, 500000));           // 50000:1 but only 500 kB
  EXPECT_TRUE(ctx.check_ratio(1 << 20, 100u << 20));  // 100:1
  EXPECT_EQ(ctx.status(), ScanStatus::kScanned);
  EXPECT_FALSE(ctx.check_ratio(1000, 100u << 20));
  EXPECT_FALSE(ctx.check_ratio(0, 100u << 20));
  EXPECT_EQ(ctx.reason(), "limit: max_compression_ratio");
  EXPECT_FALSE(ctx.stopped());  // only that member is skipped
}

TEST(Context, TextLimitCutsAtTheBudget) {
  RecordingSink sink;
  Limits limits;
  limits.max_expanded_bytes = 10;
  Context ctx(sink, limits, false);
  ctx.text("0123456789abcdef");
  ctx.text("more");
  EXPECT_EQ(sink.all(), "0123456789\n");
  EXPECT_TRUE(ctx.stopped());
  EXPECT_EQ(ctx.reason(), "limit: max_expanded_bytes");
}

// valid_text() reaches the sink as valid_text() (no second UTF-8 check there) unless the budget
// cuts the piece, which may split a character: that remainder goes through text() and its guard.
TEST(Context, ValidTextCutByTheBudgetTakesTheCheckedPath) {
  struct Routing final : RecordingSink {
    void valid_text(std::string_view utf8) override {
      valid.emplace_back(utf8);
      RecordingSink::text(utf8);
    }
    void text(std::string_view utf8) override {
      checked.emplace_back(utf8);
      RecordingSink::text(utf8);
    }
    std::vector<std::string> valid, checked;
  } sink;
  Limits limits;
  limits.max_expanded_bytes = 9;
  Context ctx(sink, limits, false);
  ctx.valid_text("åäö");  // 6 bytes
  ctx.valid_text("ÅÄÖ");  // 3 bytes of room left: cut inside "Ä"
  EXPECT_EQ(sink.valid, std::vector<std::string>{"åäö"});
  EXPECT_EQ(sink.checked, std::vector<std::string>{"Å\xC3"});
  EXPECT_TRUE(ctx.stopped());
  EXPECT_EQ(ctx.reason(), "limit: max_expanded_bytes");
}

TEST(Strings, UnknownBinaryGivesPrintableRunsAndIsPartial) {
  std::string bin("\x93VKT\r\n\x1a\n\0\0\0\rHDR0\x01\x02", 18);
  bin += std::string("\x01\x02tEXt\0", 7);
  bin += "Patient 19121212-1212";
  bin += std::string("\0\x03\x04", 3);
  for (char16_t c : std::u16string(u"Åsa Öberg")) {
    bin += static_cast<char>(c & 0xFF);
    bin += static_cast<char>(c >> 8);
  }
  bin += std::string("\0\0\x05\x06xy\x07", 7);
  auto out = extract_bytes(bin, "data.bin");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_EQ(out.reason, "printable text only (" + out.type + ")");
  const std::string t = out.sink.all();
  EXPECT_NE(t.find("Patient 19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("Åsa Öberg"), std::string::npos) << t;
  EXPECT_EQ(t.find("xy"), std::string::npos);  // shorter than 4
}

// D2: images are not read (no OCR); printable runs of pixel data are noise. Package thumbnails
// render page 1, which is scanned as text, so they are skipped without a mark.
TEST(Images, NotRunThroughStringsAndNamedInTheReason) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\x01\x02", 18);
  png += "Patient 19121212-1212";
  auto out = extract_bytes(png, "bild.png");
  EXPECT_EQ(out.type, "image/png");
  EXPECT_EQ(out.status, ScanStatus::kPartial);
  EXPECT_EQ(out.reason, "image not scanned (no OCR): bild.png");
  EXPECT_EQ(out.sink.all().find("Patient"), std::string::npos);

  const std::string jpeg = "\xFF\xD8\xFF\xE0\0\x10JFIF\0" + std::string(64, 'q');
  auto thumb = extract_bytes(
      testing::make_zip({{"docProps/thumbnail.jpeg", jpeg}, {"word/document.txt", "text"}}),
      "paket.zip");
  EXPECT_EQ(thumb.status, ScanStatus::kScanned) << thumb.reason;
  EXPECT_EQ(thumb.sink.all().find("qqqq"), std::string::npos);

  auto media = extract_bytes(
      testing::make_zip({{"Thumbnails/thumbnail.png", png}, {"word/media/image1.png", png}}),
      "paket.zip");
  EXPECT_EQ(media.status, ScanStatus::kPartial);
  EXPECT_NE(media.reason.find("image not scanned (no OCR): word/media/image1.png"),
            std::string::npos)
      << media.reason;
  EXPECT_EQ(media.reason.find("Thumbnails"), std::string::npos) << media.reason;
  EXPECT_EQ(media.sink.all().find("Patient"), std::string::npos);
}

TEST(PlainText, LargeFileInChunksWithSplitCharacters) {
  // 1 MiB of Swedish text: the 256 KiB chunk edges fall inside multibyte characters.
  std::string text;
  while (text.size() < (1u << 20)) text += "Åsa bor i Västerås, pnr 19121212-1212. ";
  auto out = extract_bytes(text, "stor.txt");
  EXPECT_EQ(out.status, ScanStatus::kScanned);
  EXPECT_EQ(out.sink.all(), text + "\n");
  EXPECT_LE(out.sink.largest_piece, 64u * 1024);
}

TEST(PlainText, Utf16AndCp1252Files) {
  std::string le = "\xFF\xFE";
  for (char16_t c : std::u16string(u"Ängelholm")) {
    le += static_cast<char>(c & 0xFF);
    le += static_cast<char>(c >> 8);
  }
  EXPECT_EQ(extract_bytes(le, "a.txt").sink.all(), "Ängelholm\n");
  EXPECT_EQ(extract_bytes("\xC5\xC4\xD6 \xC9", "b.txt").sink.all(), "ÅÄÖ É\n");
}

TEST(Dispatcher, EmptyDocumentIsScannedWithNoParts) {
  auto out = extract_bytes("", "tom.txt");
  EXPECT_EQ(out.type, "empty");
  EXPECT_EQ(out.status, ScanStatus::kScanned);
  EXPECT_TRUE(out.sink.parts.empty());
}

}  // namespace
}  // namespace vakt::extract

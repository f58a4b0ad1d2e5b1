// extract_xlsb on binary workbooks written at test time record by record ([MS-XLSB]), and on a
// workbook Excel wrote (Apache POI's testVarious.xlsb in the shared corpus).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "../extract_docs/corpus.h"
#include "extract/formats.h"
#include "extract/type_detect.h"
#include "extract/xlsb_records.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::Extracted;
using testing::run_extractor;
using testing::ZipBuilder;

// ---- a small BIFF12 writer -----------------------------------------------------------------

std::string varint(std::uint32_t v, std::size_t min_bytes = 1) {
  std::string out;
  do {
    unsigned char b = v & 0x7F;
    v >>= 7;
    if (v != 0 || out.size() + 1 < min_bytes) b |= 0x80;
    out += static_cast<char>(b);
  } while (v != 0 || out.size() < min_bytes);
  return out;
}

std::string record(std::uint32_t type, const std::string& data) {
  return varint(type) + varint(static_cast<std::uint32_t>(data.size())) + data;
}

std::string u16(std::uint32_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)};
}
std::string u32(std::uint32_t v) {
  return u16(v & 0xFFFF) + u16(v >> 16);
}

std::string f64(double d) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof d);
  return u32(static_cast<std::uint32_t>(bits)) + u32(static_cast<std::uint32_t>(bits >> 32));
}

std::string wide(std::u16string_view s) {
  std::string out = u32(static_cast<std::uint32_t>(s.size()));
  for (char16_t c : s) out += u16(c);
  return out;
}

std::string cell(std::uint32_t column, std::uint32_t style) {
  return u32(column) + u32(style);
}

std::string row(std::uint32_t r) {
  return record(biff12::kRowHeader, u32(r) + std::string(13, '\0'));
}

// A RkNumber holding an integer.
std::uint32_t rk_int(std::int32_t v) {
  return (static_cast<std::uint32_t>(v) << 2) | 0x2;
}

const char* kSheetRelType =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

std::string workbook_rels(int sheets) {
  std::string rels = testing::kRels;
  for (int i = 1; i <= sheets; ++i) {
    rels += "<Relationship Id=\"rId" + std::to_string(i) + "\" Type=\"" + kSheetRelType +
            "\" Target=\"worksheets/sheet" + std::to_string(i) + ".bin\"/>";
  }
  return rels + "</Relationships>";
}

std::string sheet_entry(std::uint32_t state, int n, std::u16string_view name) {
  const std::u16string rel = u"rId" + std::u16string(1, static_cast<char16_t>(u'0' + n));
  return record(biff12::kSheet,
                u32(state) + u32(static_cast<std::uint32_t>(n)) + wide(rel) + wide(name));
}

const char* kXlsbContentTypes =
    R"(<Types><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>)";

// Two sheets ("Elever" visible, "Dold" veryHidden), a shared string, a custom 000000-0000 format.
std::string sample_xlsb() {
  const std::string workbook =
      record(131, "") + sheet_entry(0, 1, u"Elever") + sheet_entry(2, 2, u"Dold") + record(132, "");
  const std::string styles =
      record(biff12::kNumberFormat, u16(164) + wide(u"000000-0000")) +
      record(biff12::kBeginCellFormats, u32(2)) +
      record(biff12::kCellFormat, u16(0xFFFF) + u16(0) + std::string(12, '\0')) +
      record(biff12::kCellFormat, u16(0) + u16(164) + std::string(12, '\0')) +
      record(biff12::kEndCellFormats, "");
  const std::string shared =
      record(159, u32(3) + u32(3)) +
      record(biff12::kSharedStringItem, std::string(1, '\0') + wide(u"Namn")) +
      record(biff12::kSharedStringItem, std::string(1, '\0') + wide(u"Anna Andersson")) +
      record(biff12::kSharedStringItem, std::string(1, '\0') + wide(u"Gammal rad 19121212-1212")) +
      record(160, "");
  const std::string sheet1 =
      row(0) + record(biff12::kCellSharedString, cell(0, 0) + u32(0)) +
      record(biff12::kCellString, cell(1, 0) + wide(u"Personnummer")) + row(1) +
      record(biff12::kCellSharedString, cell(0, 0) + u32(1)) +
      record(biff12::kCellReal, cell(1, 0) + f64(199906042388.0)) + row(2) +
      record(biff12::kCellRk, cell(0, 1) + u32(rk_int(0))) +  // placeholder cell, style 1
      record(biff12::kCellReal, cell(1, 1) + f64(1212121212.0)) +
      record(biff12::kFormulaString, cell(2, 0) + wide(u"Beräknad text") + u16(0)) +
      record(biff12::kHeaderFooter, u16(0) + wide(u"Sidhuvud: Elevhälsan") + wide(u"") +
                                        u32(0xFFFFFFFFu) + u32(0xFFFFFFFFu) + u32(0xFFFFFFFFu) +
                                        u32(0xFFFFFFFFu));
  const std::string sheet2 = row(0) + record(biff12::kCellRk, cell(0, 0) + u32(rk_int(4242)));
  const std::string comments =
      record(biff12::kCommentAuthor, wide(u"Kurator")) +
      record(biff12::kCommentText, std::string(1, '\0') + wide(u"Kontakta vårdnadshavare"));
  return ZipBuilder()
      .add("[Content_Types].xml", kXlsbContentTypes)
      .add("_rels/.rels", testing::package_rels("xl/workbook.bin"))
      .add("xl/workbook.bin", workbook)
      .add("xl/_rels/workbook.bin.rels", workbook_rels(2))
      .add("xl/styles.bin", styles)
      .add("xl/sharedStrings.bin", shared)
      .add("xl/worksheets/sheet1.bin", sheet1)
      .add("xl/worksheets/sheet2.bin", sheet2)
      .add("xl/comments1.bin", comments)
      .add("xl/calcChain.bin", record(1, std::string(8, '\0')))
      .build();
}

TEST(Xlsb, TypedByItsMainPartNotAsXlsx) {
  const DetectedType t = detect_type(sample_xlsb(), "elever.xlsx");
  EXPECT_EQ(t.format, Format::kXlsb);
  EXPECT_EQ(t.name, "xlsb");
}

TEST(Xlsb, CellsAsTheUserSeesThem) {
  const Extracted x = run_extractor(extract_xlsb, sample_xlsb(), "elever.xlsb");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "xlsb");
  const std::string s1 = x.part("xl/worksheets/sheet1.bin");
  EXPECT_NE(s1.find("Elever\n"), std::string::npos) << s1;
  EXPECT_NE(s1.find("Namn\tPersonnummer"), std::string::npos) << s1;
  // A 12-digit number in full, never 1.99906042388E+11; a custom format applied.
  EXPECT_NE(s1.find("Anna Andersson\t199906042388"), std::string::npos) << s1;
  EXPECT_NE(s1.find("121212-1212"), std::string::npos) << s1;
  EXPECT_NE(s1.find("Beräknad text"), std::string::npos) << s1;
  EXPECT_NE(s1.find("Sidhuvud: Elevhälsan"), std::string::npos) << s1;
  // Rows do not glue: the name on row 1 and the number on row 2 are on separate lines.
  EXPECT_EQ(s1.find("199906042388\t0"), std::string::npos) << s1;
}

TEST(Xlsb, HiddenSheetsUnreferencedStringsAndCommentsAreRead) {
  const Extracted x = run_extractor(extract_xlsb, sample_xlsb(), "elever.xlsb");
  EXPECT_NE(x.part("xl/workbook.bin").find("Dold"), std::string::npos);
  EXPECT_NE(x.part("xl/worksheets/sheet2.bin").find("4242"), std::string::npos);
  // A string no cell shows any more is text the author may no longer see.
  EXPECT_NE(x.part("xl/sharedStrings.bin").find("Gammal rad 19121212-1212"), std::string::npos);
  EXPECT_EQ(x.part("xl/sharedStrings.bin").find("Anna Andersson"), std::string::npos)
      << "strings cells use are written once, with their cells";
  const std::string comments = x.part("xl/comments1.bin");
  EXPECT_NE(comments.find("Kurator"), std::string::npos);
  EXPECT_NE(comments.find("Kontakta vårdnadshavare"), std::string::npos);
}

TEST(Xlsb, RecordsSplitAcrossChunksAndMalformedParts) {
  // Every split point of a record stream gives the same records.
  const std::string stream = record(biff12::kCellString, cell(0, 0) + wide(u"delad")) +
                             record(biff12::kSharedStringItem, std::string(300, 'x'));
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    std::vector<std::uint32_t> types;
    Biff12Stream s([&](std::uint32_t type, std::string_view) { types.push_back(type); });
    ASSERT_TRUE(s.feed(stream.substr(0, split)).ok());
    ASSERT_TRUE(s.feed(stream.substr(split)).ok());
    ASSERT_TRUE(s.finish().ok());
    EXPECT_EQ(types, (std::vector<std::uint32_t>{biff12::kCellString, biff12::kSharedStringItem}));
  }
  Biff12Stream cut([](std::uint32_t, std::string_view) {});
  ASSERT_TRUE(cut.feed(stream.substr(0, stream.size() - 1)).ok());
  EXPECT_FALSE(cut.finish().ok());
  Biff12Stream huge([](std::uint32_t, std::string_view) {});
  EXPECT_FALSE(huge.feed(varint(6) + varint(0x0FFFFFFF)).ok()) << "a 256 MB record is refused";

  // A string whose length runs past its record is not read past the record.
  const std::string short_record = u32(1000) + "ab";  // the cursor views it: keep it alive
  Biff12Fields f(short_record);
  EXPECT_FALSE(f.wide_string());
  EXPECT_TRUE(f.failed());

  // A worksheet cut inside a record: what came before is read, the document is partial.
  const std::string broken =
      ZipBuilder()
          .add("[Content_Types].xml", kXlsbContentTypes)
          .add("_rels/.rels", testing::package_rels("xl/workbook.bin"))
          .add("xl/workbook.bin", sheet_entry(0, 1, u"Blad1"))
          .add("xl/_rels/workbook.bin.rels", workbook_rels(1))
          .add("xl/worksheets/sheet1.bin",
               row(0) + record(biff12::kCellString, cell(0, 0) + wide(u"Läst")) + "\x06\x7F")
          .build();
  const Extracted x = run_extractor(extract_xlsb, broken, "trasig.xlsb");
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("corrupt xlsb"), std::string::npos) << x.reason;
  EXPECT_NE(x.part("xl/worksheets/sheet1.bin").find("Läst"), std::string::npos);
}

TEST(Xlsb, RkNumbers) {
  EXPECT_EQ(rk_number_value(rk_int(4242)), 4242.0);
  EXPECT_EQ(rk_number_value(rk_int(-7)), -7.0);
  EXPECT_EQ(rk_number_value(rk_int(1234) | 0x1), 12.34);
  // The top 30 bits of a double: 1.5 is 0x3FF8000000000000.
  EXPECT_EQ(rk_number_value(0x3FF80000u), 1.5);
  EXPECT_EQ(number_text(199906042388.0), "199906042388");
  EXPECT_EQ(number_text(1e21), "1000000000000000000000");
}

// A workbook Excel wrote, from Apache POI's test data.
TEST(Xlsb, ExcelWrittenWorkbookFromTheCorpus) {
  const std::string bytes = testing::read_corpus("poi/testVarious.xlsb");
  if (bytes.empty()) GTEST_SKIP() << "shared corpus not present";
  EXPECT_EQ(detect_type(bytes, "testVarious.xlsb").format, Format::kXlsb);
  const Extracted x = run_extractor(extract_xlsb, bytes, "testVarious.xlsb");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  const std::string sheet = x.part("xl/worksheets/sheet1.bin");
  // What Apache POI's own extractor test expects of this file, cell by cell.
  for (std::string_view expected :
       {"mySheet1\n", "String\tThis is a string", "integer\t13", "long int\t123456789012345",
        "longer int\t1234567890123450", "hyperlink\ttika_link", "OddLeftHeader",
        "FirstPageRightFooter", "http://tika.apache.org/"}) {
    EXPECT_NE(sheet.find(expected), std::string::npos) << expected << "\n" << sheet;
  }
  const std::string comments = x.part("xl/comments1.bin");
  EXPECT_NE(comments.find("comment5 between cells"), std::string::npos) << comments;
  EXPECT_NE(comments.find("comment7 end of file"), std::string::npos) << comments;
}

}  // namespace
}  // namespace vakt::extract

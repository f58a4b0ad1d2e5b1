// extract_xlsx on workbooks built at test time: cells as the user sees them, hidden sheets,
// comments, caches and strings no cell shows any more.
#include <gtest/gtest.h>

#include "extract/formats.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::Extracted;
using testing::run_extractor;
using testing::ZipBuilder;

constexpr const char* kNs =
    R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

std::string sheet(std::string_view rows, std::string_view extra = "") {
  return std::string("<worksheet ") + kNs + "><sheetData>" + std::string(rows) + "</sheetData>" +
         std::string(extra) + "</worksheet>";
}

std::string workbook_xlsx(std::string sheet1) {
  return ZipBuilder()
      .add("[Content_Types].xml", "<Types/>")
      .add("_rels/.rels", testing::package_rels("xl/workbook.xml"))
      .add(
          "xl/workbook.xml",
          std::string("<workbook ") + kNs +
              R"(><sheets><sheet name="Synlig" sheetId="1" r:id="rId1"/>)"
              R"(<sheet name="Dold-Blad" sheetId="2" state="hidden" r:id="rId2"/>)"
              R"(<sheet name="Mycket-Dold" sheetId="3" state="veryHidden" r:id="rId3"/></sheets>)"
              R"(<definedNames><definedName name="Lista">Synlig!$A$1:$B$2</definedName></definedNames></workbook>)")
      .add(
          "xl/_rels/workbook.xml.rels",
          std::string(testing::kRels) +
              R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
              R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>)"
              R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/></Relationships>)")
      // Read only for a sheet that has a hyperlink (the exact text of main_sheet() shows it is
      // not read otherwise).
      .add(
          "xl/worksheets/_rels/sheet1.xml.rels",
          std::string(testing::kRels) +
              R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" )"
              R"(Target="https://journal.example/patient/19121212-1212" TargetMode="External"/></Relationships>)")
      .add(
          "xl/styles.xml",
          std::string("<styleSheet ") + kNs +
              R"(><numFmts count="2"><numFmt numFmtId="164" formatCode="000000-0000"/><numFmt numFmtId="165" formatCode="00000000\-0000"/></numFmts>)"
              R"(<cellStyleXfs count="1"><xf numFmtId="165"/></cellStyleXfs>)"
              R"(<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>)")
      .add(
          "xl/sharedStrings.xml",
          std::string("<sst ") + kNs +
              R"(><si><t>Namn</t></si><si><r><t>Rik</t></r><r><rPr><b/></rPr><t>Text</t></r><rPh><t>FONETISK</t></rPh></si>)"
              R"(<si><t>OANVÄND-STRÄNG 640823-3234</t></si></sst>)")
      .add("xl/worksheets/sheet1.xml", std::move(sheet1))
      .add(
          "xl/worksheets/sheet2.xml",
          sheet(
              R"(<row r="1"><c r="A1" t="inlineStr"><is><t>DOLT-BLAD-INNEHÅLL</t></is></c></row>)"))
      .add(
          "xl/worksheets/sheet3.xml",
          sheet(
              R"(<row r="1"><c r="A1" t="inlineStr"><is><t>MYCKET-DOLT-INNEHÅLL</t></is></c></row>)"))
      .add(
          "xl/comments1.xml",
          R"(<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>A</author></authors><commentList><comment ref="A1" authorId="0"><text><r><t>CELLKOMMENTAR</t></r></text></comment></commentList></comments>)")
      .add(
          "xl/threadedComments/threadedComment1.xml",
          R"(<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A1" id="{1}"><text>TRÅDAD-KOMMENTAR</text></threadedComment></ThreadedComments>)")
      .add(
          "xl/pivotCache/pivotCacheRecords1.xml",
          R"(<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><r><s v="PIVOT-CACHE-VÄRDE"/><n v="42"/></r></pivotCacheRecords>)")
      .add(
          "docProps/core.xml",
          R"(<cp:coreProperties xmlns:cp="urn:cp" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>ARBETSBOK-TITEL</dc:title></cp:coreProperties>)")
      .add("xl/theme/theme1.xml", R"(<a:theme xmlns:a="urn:a"><a:t>TEMA-SKRÄP</a:t></a:theme>)")
      .build();
}

std::string main_sheet() {
  return sheet(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>)"
      R"(<row r="2"><c r="A2"><v>1.99906042388E+11</v></c><c r="B2" s="1"><v>9906042388</v></c>)"
      R"(<c r="C2" s="2"><v>199906042388</v></c><c r="D2" t="inlineStr"><is><t>INLINE-STRÄNG</t></is></c>)"
      R"(<c r="E2" t="str"><f>A1&amp;"x"</f><v>FORMELRESULTAT</v></c><c r="F2" t="b"><v>1</v></c></row>)"
      R"(<row r="3"><c r="A3"><v>1234</v></c><c r="B3"><v>5678</v></c></row>)",
      R"(<headerFooter><oddHeader>&amp;LSIDHUVUD-BLAD</oddHeader></headerFooter>)");
}

TEST(Xlsx, CellsAsTheUserSeesThem) {
  const Extracted x = run_extractor(extract_xlsx, workbook_xlsx(main_sheet()), "lista.xlsx");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "xlsx");
  const std::string s = x.part("xl/worksheets/sheet1.xml");
  EXPECT_EQ(s,
            "Synlig\nNamn\tRikText\n199906042388\t990604-2388\t19990604-2388\tINLINE-STRÄNG\t"
            "FORMELRESULTAT\tTRUE\n1234\t5678\n&LSIDHUVUD-BLAD\n");
  EXPECT_FALSE(x.has("E+11"));
  EXPECT_FALSE(x.has("12345678"));
  EXPECT_FALSE(x.has("FONETISK"));
}

// Places a reviewer found unread: a formula with no computed value in the file (openpyxl writes
// these), a data validation's dropdown list and input message, and a hyperlink's tooltip and
// target.
TEST(Xlsx, FormulasWithoutValuesValidationListsAndHyperlinkTips) {
  const std::string rows = R"(<row r="1"><c r="A1" t="str"><f>"Patient 19121212-1212"</f></c>)"
                           R"(<c r="B1" t="str"><f>A1</f><v>BERÄKNAT</v></c></row>)";
  const std::string extra =
      R"(<dataValidations count="1"><dataValidation type="list" sqref="C1" promptTitle="Välj" )"
      R"(prompt="Ange personnummer 19990604-2388"><formula1>"Anna 19701063-2391,Bo"</formula1>)"
      R"(</dataValidation></dataValidations><hyperlinks><hyperlink ref="D1" r:id="rId9" )"
      R"(tooltip="Akt 196408233234"/></hyperlinks>)";
  const std::string s = run_extractor(extract_xlsx, workbook_xlsx(sheet(rows, extra)))
                            .part("xl/worksheets/sheet1.xml");
  EXPECT_NE(s.find("\"Patient 19121212-1212\""), std::string::npos) << s;
  EXPECT_NE(s.find("BERÄKNAT"), std::string::npos) << s;
  EXPECT_EQ(s.find("\tA1"), std::string::npos) << "a formula with a value shows the value: " << s;
  EXPECT_NE(s.find("Ange personnummer 19990604-2388\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\"Anna 19701063-2391,Bo\"\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Akt 196408233234\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\nhttps://journal.example/patient/19121212-1212\n"), std::string::npos) << s;
}

TEST(Xlsx, DataConnectionQueriesAreRead) {
  std::string xlsx = ZipBuilder()
                         .add("_rels/.rels", testing::package_rels("xl/workbook.xml"))
                         .add("xl/workbook.xml", std::string("<workbook ") + kNs + "/>")
                         .add("xl/connections.xml",
                              std::string("<connections ") + kNs +
                                  R"(><connection id="1" name="Elevregister" type="1">)"
                                  R"(<dbPr connection="DSN=skolsys" )"
                                  R"(command="SELECT * FROM elev WHERE pnr='19121212-1212'"/>)"
                                  R"(</connection></connections>)")
                         .build();
  const std::string c = run_extractor(extract_xlsx, xlsx).part("xl/connections.xml");
  EXPECT_NE(c.find("Elevregister\n"), std::string::npos) << c;
  EXPECT_NE(c.find("DSN=skolsys\n"), std::string::npos) << c;
  EXPECT_NE(c.find("SELECT * FROM elev WHERE pnr='19121212-1212'\n"), std::string::npos) << c;
}

TEST(Xlsx, HiddenSheetsAndTheirNamesAreRead) {
  const Extracted x = run_extractor(extract_xlsx, workbook_xlsx(main_sheet()));
  const std::string wb = x.part("xl/workbook.xml");
  EXPECT_NE(wb.find("Dold-Blad"), std::string::npos);
  EXPECT_NE(wb.find("Mycket-Dold"), std::string::npos);
  EXPECT_NE(wb.find("Synlig!$A$1:$B$2"), std::string::npos);
  EXPECT_NE(x.part("xl/worksheets/sheet2.xml").find("DOLT-BLAD-INNEHÅLL"), std::string::npos);
  EXPECT_NE(x.part("xl/worksheets/sheet3.xml").find("MYCKET-DOLT-INNEHÅLL"), std::string::npos);
}

TEST(Xlsx, UnreferencedSharedStringsCommentsCachesAndProperties) {
  const Extracted x = run_extractor(extract_xlsx, workbook_xlsx(main_sheet()));
  const std::string sst = x.part("xl/sharedStrings.xml");
  EXPECT_EQ(sst, "OANVÄND-STRÄNG 640823-3234\n");  // only what no cell shows
  EXPECT_NE(x.part("xl/comments1.xml").find("CELLKOMMENTAR"), std::string::npos);
  EXPECT_NE(x.part("xl/threadedComments/threadedComment1.xml").find("TRÅDAD-KOMMENTAR"),
            std::string::npos);
  EXPECT_NE(x.part("xl/pivotCache/pivotCacheRecords1.xml").find("PIVOT-CACHE-VÄRDE"),
            std::string::npos);
  EXPECT_NE(x.part("docProps/core.xml").find("ARBETSBOK-TITEL"), std::string::npos);
  EXPECT_FALSE(x.has("TEMA-SKRÄP"));
}

TEST(Xlsx, MillionsOfEmptyStyledCellsAreNotExpanded) {
  std::string rows;
  for (int r = 1; r <= 2000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\">";
    for (int c = 0; c < 50; ++c) rows += R"(<c s="1"/>)";
    rows += "</row>";
  }
  rows += R"(<row r="2001"><c r="A2001" t="inlineStr"><is><t>SISTA</t></is></c></row>)";
  const Extracted x = run_extractor(extract_xlsx, workbook_xlsx(sheet(rows)));
  const std::string s = x.part("xl/worksheets/sheet1.xml");
  EXPECT_EQ(s, "Synlig\nSISTA\n");
}

TEST(Xlsx, ExpandedBytesBudgetStopsAHugeSheet) {
  std::string rows;
  for (int r = 1; r <= 20000; ++r)
    rows += R"(<row><c t="inlineStr"><is><t>rad med lite text i</t></is></c></row>)";
  Limits limits;
  limits.max_expanded_bytes = 50000;
  limits.max_compression_ratio = 1e9;  // this test is about the text budget
  const Extracted x = run_extractor(extract_xlsx, workbook_xlsx(sheet(rows)), "x.xlsx", limits);
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("max_expanded_bytes"), std::string::npos) << x.reason;
  EXPECT_LE(x.all().size(), 50000u + 70000u);  // at most one flush past the budget
}

TEST(Xlsx, SheetsMissingFromTheWorkbookAreStillRead) {
  const std::string xlsx =
      ZipBuilder()
          .add("xl/worksheets/sheet7.xml",
               sheet(R"(<row><c t="inlineStr"><is><t>FÖRÄLDRALÖST-BLAD</t></is></c></row>)"))
          .build();
  const Extracted x = run_extractor(extract_xlsx, xlsx);
  EXPECT_NE(x.part("xl/worksheets/sheet7.xml").find("FÖRÄLDRALÖST-BLAD"), std::string::npos);
  EXPECT_EQ(x.status, ScanStatus::kPartial);  // no workbook part: said so
}

TEST(Xlsx, SharedStringsPastTheMemoryCapAreStillScanned) {
  // 200 strings of 512 KiB: more than the table keeps in memory (64 MiB is 128 of them).
  std::string sst = std::string("<sst ") + kNs + ">";
  for (int i = 0; i < 200; ++i)
    sst += "<si><t>STR" + std::to_string(i) + "-" + std::string(512 * 1024, 'x') + "</t></si>";
  sst += "</sst>";
  const std::string xlsx =
      ZipBuilder()
          .add("xl/sharedStrings.xml", sst)
          .add("xl/worksheets/sheet1.xml",
               sheet(R"(<row><c t="s"><v>0</v></c><c t="s"><v>199</v></c></row>)"))
          .build();
  Limits limits;
  limits.max_compression_ratio = 1e9;
  const Extracted x = run_extractor(extract_xlsx, xlsx, "s.xlsx", limits);
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("shared strings"), std::string::npos) << x.reason;
  EXPECT_TRUE(x.has("STR199-")) << "overflowed strings are written out, not lost";
  EXPECT_TRUE(x.has("STR0-"));
  EXPECT_TRUE(x.has("STR150-"));
}

}  // namespace
}  // namespace vakt::extract

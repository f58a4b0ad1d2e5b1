// extract_docx on documents built at test time: every place text hides in a Word document.
#include <gtest/gtest.h>

#include "extract/formats.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::Extracted;
using testing::run_extractor;
using testing::ZipBuilder;

constexpr const char* kW =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
    R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" )"
    R"(xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" )"
    R"(xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" )"
    R"(xmlns:v="urn:schemas-microsoft-com:vml")";

std::string wdoc(std::string_view root, std::string_view body) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:)" + std::string(root) + " " +
         kW + ">" + std::string(body) + "</w:" + std::string(root) + ">";
}

std::string para(std::string_view runs) {
  return "<w:p>" + std::string(runs) + "</w:p>";
}
std::string run(std::string_view t) {
  return R"(<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">)" + std::string(t) +
         "</w:t></w:r>";
}

std::string body_xml() {
  std::string b = "<w:body>";
  // A personnummer split over three formatting runs.
  b += para(run("Personnummer: 1999") + run("0604-") + run("2388"));
  // A two-cell table: the cells must not glue into one number.
  b += "<w:tbl><w:tr><w:tc>" + para(run("1234")) + "</w:tc><w:tc>" + para(run("5678")) +
       "</w:tc></w:tr><w:tr><w:tc>" + para(run("CELL-A2")) + "</w:tc></w:tr></w:tbl>";
  // Tab and break inside one paragraph.
  b += para(run("före") + "<w:r><w:tab/></w:r>" + run("tabb") + "<w:r><w:br/></w:r>" +
            run("radbrytning"));
  // Tracked insertion and deletion.
  b += para(
      R"(<w:ins w:id="1" w:author="A"><w:r><w:t>INFOGAD-TEXT</w:t></w:r></w:ins>)"
      R"(<w:del w:id="2" w:author="A"><w:r><w:delText>RADERAD 640823-3234</w:delText></w:r></w:del>)");
  // Hidden (vanish) text is still read.
  b += para(R"(<w:r><w:rPr><w:vanish/></w:rPr><w:t>DOLD-TEXT</w:t></w:r>)");
  // A text box written twice (DrawingML choice + VML fallback): read once.
  b += para(
      R"(<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Ruta" descr="ALT-TEXT-BILD"/>)"
      R"(<wps:wsp><wps:txbx><w:txbxContent>)" +
      para(run("TEXTRUTA-INNEHÅLL")) +
      R"(</w:txbxContent></wps:txbx></wps:wsp></wp:anchor></w:drawing></mc:Choice>)"
      R"(<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>)" +
      para(run("TEXTRUTA-INNEHÅLL")) +
      R"(</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>)");
  // A field code.
  b += para(R"(<w:r><w:instrText> MERGEFIELD FALTKOD </w:instrText></w:r>)");
  b += "</w:body>";
  return b;
}

std::string props_custom() {
  return R"(<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">)"
         R"(<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Handläggare"><vt:lpwstr>EGEN-EGENSKAP</vt:lpwstr></property></Properties>)";
}

std::string minimal_xlsx() {
  return ZipBuilder()
      .add("_rels/.rels", testing::package_rels("xl/workbook.xml"))
      .add(
          "xl/workbook.xml",
          R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Inbäddad" sheetId="1" r:id="rId1"/></sheets></workbook>)")
      .add(
          "xl/_rels/workbook.xml.rels",
          std::string(testing::kRels) +
              R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)")
      .add(
          "xl/worksheets/sheet1.xml",
          R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>INBÄDDAD-CELL</t></is></c></row></sheetData></worksheet>)")
      .build();
}

std::string full_docx() {
  return ZipBuilder()
      .add("[Content_Types].xml", "<Types/>")
      .add("_rels/.rels", testing::package_rels("word/document.xml"))
      .add("word/document.xml", wdoc("document", body_xml()))
      .add("word/styles.xml",
           wdoc("styles", R"(<w:style w:styleId="x"><w:name w:val="Rubrik"/></w:style>)"))
      .add("word/header1.xml", wdoc("hdr", para(run("SIDHUVUD-KONFIDENTIELLT"))))
      .add("word/footer2.xml", wdoc("ftr", para(run("SIDFOT-TEXT"))))
      .add("word/footnotes.xml", wdoc("footnotes", R"(<w:footnote w:id="1">)" +
                                                       para(run("FOTNOT-TEXT")) + "</w:footnote>"))
      .add("word/endnotes.xml",
           wdoc("endnotes", R"(<w:endnote w:id="1">)" + para(run("SLUTNOT-TEXT")) + "</w:endnote>"))
      .add("word/comments.xml",
           wdoc("comments", R"(<w:comment w:id="0" w:author="B">)" +
                                para(run("KOMMENTAR-260104-9030")) + "</w:comment>"))
      .add(
          "word/commentsExtended.xml",
          R"(<w15:commentsEx xmlns:w15="urn:w15"><w15:commentEx w15:paraId="1" w15:done="0"/></w15:commentsEx>)")
      .add("word/glossary/document.xml",
           wdoc("glossaryDocument", "<w:docParts><w:docPart><w:docPartBody>" +
                                        para(run("BYGGBLOCK-TEXT")) +
                                        "</w:docPartBody></w:docPart></w:docParts>"))
      .add(
          "docProps/core.xml",
          R"(<cp:coreProperties xmlns:cp="urn:cp" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>TITEL-EGENSKAP</dc:title><dc:creator>FÖRFATTARE</dc:creator></cp:coreProperties>)")
      .add("docProps/app.xml",
           R"(<Properties xmlns="urn:app"><Company>FÖRETAG-EGENSKAP</Company></Properties>)")
      .add("docProps/custom.xml", props_custom())
      .add("word/embeddings/Microsoft_Excel_Worksheet.xlsx", minimal_xlsx())
      .add("word/media/image1.png", "\x89PNG not text 19121212-1212")
      .build();
}

TEST(Docx, BodyRunsJoinedAndBoundariesSeparated) {
  const Extracted x = run_extractor(extract_docx, full_docx(), "brev.docx");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "docx");
  const std::string body = x.part("word/document.xml");
  EXPECT_NE(body.find("Personnummer: 19990604-2388\n"), std::string::npos) << body;
  EXPECT_NE(body.find("1234\t5678\n"), std::string::npos) << body;
  EXPECT_EQ(body.find("12345678"), std::string::npos);
  EXPECT_NE(body.find("CELL-A2"), std::string::npos);
  EXPECT_NE(body.find("före\ttabb\nradbrytning"), std::string::npos) << body;
}

TEST(Docx, TrackedChangesHiddenTextTextBoxesAndFields) {
  const Extracted x = run_extractor(extract_docx, full_docx());
  const std::string body = x.part("word/document.xml");
  EXPECT_NE(body.find("INFOGAD-TEXT"), std::string::npos);
  EXPECT_NE(body.find("RADERAD 640823-3234"), std::string::npos);
  EXPECT_NE(body.find("DOLD-TEXT"), std::string::npos);
  EXPECT_NE(body.find("ALT-TEXT-BILD"), std::string::npos);
  EXPECT_NE(body.find("FALTKOD"), std::string::npos);
  // The text box is written twice in the file (choice + fallback) but read once.
  const auto first = body.find("TEXTRUTA-INNEHÅLL");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(body.find("TEXTRUTA-INNEHÅLL", first + 1), std::string::npos) << body;
}

// Word shows mc:Fallback when it does not know the Choice: a decoy Choice must not hide it.
TEST(Docx, AFallbackThatDiffersFromItsChoiceIsRead) {
  const std::string p = para(
      R"(<w:r><mc:AlternateContent><mc:Choice Requires="w99">)" + para(run("lockbete")) +
      R"(</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>)" +
      para(run("Patient 19121212-1212")) +
      R"(</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>)");
  const std::string docx =
      ZipBuilder().add("word/document.xml", wdoc("document", "<w:body>" + p + "</w:body>")).build();
  const std::string body = run_extractor(extract_docx, docx).part("word/document.xml");
  EXPECT_NE(body.find("lockbete"), std::string::npos) << body;
  EXPECT_NE(body.find("Patient 19121212-1212"), std::string::npos) << body;
}

// Places a reviewer found unread: document variables in settings.xml, attribute values in
// custom XML, and parts not named .xml (an altChunk .dat, a header part named .bin).
TEST(Docx, SettingsVariablesCustomXmlAttributesAndPartsNotNamedXml) {
  const std::string docx =
      ZipBuilder()
          .add("word/document.xml",
               wdoc("document", "<w:body>" + para(run("BRÖDTEXT")) + "</w:body>"))
          .add("word/settings.xml",
               wdoc("settings", R"(<w:zoom w:percent="140"/><w:docVars>)"
                                R"(<w:docVar w:name="PatientPnr" w:val="19121212-1212"/>)"
                                R"(</w:docVars>)"))
          .add("customXml/item1.xml", R"(<person xmlns="urn:x" pnr="19990604-2388">namn</person>)")
          .add("word/afchunk.dat", "<html><body><p>AFCHUNK-TEXT</p></body></html>")
          .add("word/hdr1.bin", wdoc("hdr", para(run("BIN-SIDHUVUD"))))
          .add("word/media/image1.png", "\x89PNG inte text")
          .build();
  const Extracted x = run_extractor(extract_docx, docx);
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  const std::string settings = x.part("word/settings.xml");
  EXPECT_NE(settings.find("PatientPnr"), std::string::npos) << settings;
  EXPECT_NE(settings.find("19121212-1212"), std::string::npos) << settings;
  EXPECT_EQ(settings.find("140"), std::string::npos) << "only variables, not every setting";
  const std::string custom = x.part("customXml/item1.xml");
  EXPECT_NE(custom.find("19990604-2388"), std::string::npos) << custom;
  EXPECT_EQ(custom.find("urn:x"), std::string::npos) << custom;
  EXPECT_NE(x.part("word/afchunk.dat").find("AFCHUNK-TEXT"), std::string::npos);
  EXPECT_NE(x.part("word/hdr1.bin").find("BIN-SIDHUVUD"), std::string::npos);
  EXPECT_EQ(x.part("word/media/image1.png"), "");
}

TEST(Docx, TrackedEditInsideANumberKeepsBothVersionsWhole) {
  // "19990604-2388" was edited to "19121212-1212" by replacing everything after "19".
  // Both the current and the original reading must hold a whole number.
  const std::string p =
      para(run("Pnr 19") +
           R"(<w:del w:id="1" w:author="A"><w:r><w:delText>990604-2388</w:delText></w:r></w:del>)"
           R"(<w:ins w:id="2" w:author="A"><w:r><w:t>121212-1212</w:t></w:r></w:ins>)" +
           run(" slut"));
  const std::string docx =
      ZipBuilder().add("word/document.xml", wdoc("document", "<w:body>" + p + "</w:body>")).build();
  const std::string body = run_extractor(extract_docx, docx).part("word/document.xml");
  EXPECT_EQ(body, "Pnr 19121212-1212 slut\nPnr 19990604-2388 slut\n");
  // An unchanged paragraph with a paragraph-mark revision is not written twice.
  const std::string q =
      para(R"(<w:pPr><w:rPr><w:ins w:id="3" w:author="A"/></w:rPr></w:pPr>)" + run("EN-GÅNG"));
  const std::string once =
      run_extractor(extract_docx,
                    ZipBuilder()
                        .add("word/document.xml", wdoc("document", "<w:body>" + q + "</w:body>"))
                        .build())
          .part("word/document.xml");
  EXPECT_EQ(once, "EN-GÅNG\n");
}

TEST(Docx, AnInsertionAroundWholeParagraphsKeepsTheOriginalReadingApart) {
  // Text before the first revision mark is held once (the original reading equals it until a
  // change). An insertion that wraps whole paragraphs stays out of the original reading, also in
  // a later paragraph with a deletion of its own; GAMMA, inserted and then deleted (two authors'
  // tracked changes), is in neither reading Word shows but is in the file, so it is read.
  const std::string body =
      R"(<w:ins w:id="1" w:author="A">)" + para(run("ALFA")) +
      para(run("BETA ") +
           R"(<w:del w:id="2" w:author="A"><w:r><w:delText>GAMMA</w:delText></w:r></w:del>)") +
      "</w:ins>" +
      para(run("DELTA ") +
           R"(<w:del w:id="3" w:author="A"><w:r><w:delText>EPSILON</w:delText></w:r></w:del>)" +
           run(" ZETA"));
  const std::string docx =
      ZipBuilder()
          .add("word/document.xml", wdoc("document", "<w:body>" + body + "</w:body>"))
          .build();
  EXPECT_EQ(run_extractor(extract_docx, docx).part("word/document.xml"),
            "ALFA\nBETA \nGAMMA\nDELTA  ZETA\nDELTA EPSILON ZETA\n");
}

TEST(Docx, EveryOtherPartIsItsOwnPart) {
  const Extracted x = run_extractor(extract_docx, full_docx());
  EXPECT_NE(x.part("word/header1.xml").find("SIDHUVUD-KONFIDENTIELLT"), std::string::npos);
  EXPECT_NE(x.part("word/footer2.xml").find("SIDFOT-TEXT"), std::string::npos);
  EXPECT_NE(x.part("word/footnotes.xml").find("FOTNOT-TEXT"), std::string::npos);
  EXPECT_NE(x.part("word/endnotes.xml").find("SLUTNOT-TEXT"), std::string::npos);
  EXPECT_NE(x.part("word/comments.xml").find("KOMMENTAR-260104-9030"), std::string::npos);
  EXPECT_NE(x.part("word/glossary/document.xml").find("BYGGBLOCK-TEXT"), std::string::npos);
  EXPECT_NE(x.part("docProps/core.xml").find("TITEL-EGENSKAP"), std::string::npos);
  EXPECT_NE(x.part("docProps/app.xml").find("FÖRETAG-EGENSKAP"), std::string::npos);
  const std::string custom = x.part("docProps/custom.xml");
  EXPECT_NE(custom.find("Handläggare"), std::string::npos);
  EXPECT_NE(custom.find("EGEN-EGENSKAP"), std::string::npos);
  // The main document comes first.
  ASSERT_FALSE(x.parts.empty());
  EXPECT_EQ(x.parts.front().first, "word/document.xml");
  // Styles and media are not text.
  EXPECT_FALSE(x.has("Rubrik"));
  EXPECT_FALSE(x.has("19121212"));
}

TEST(Docx, LinksPictureTitlesSimpleFieldsAndVmlAltText) {
  std::string b = "<w:body>";
  b += para(R"(<w:hyperlink xmlns:r="urn:r" r:id="rId9" w:tooltip="LÄNK-TIPS">)" + run("länktext") +
            "</w:hyperlink>");
  b += para(R"(<w:r><w:drawing><wp:inline><wp:docPr id="2" name="Bild" title="BILD-TITEL"/>)"
            R"(</wp:inline></w:drawing></w:r>)");
  b += para(R"(<w:fldSimple w:instr=" HYPERLINK &quot;https://intra/?q=ENKELT-FALT&quot; ">)" +
            run("visas") + "</w:fldSimple>");
  b += para(
      R"(<w:r><w:pict><v:shape alt="VML-ALT"><v:imagedata xmlns:o="urn:o" o:title="VML-TITEL"/>)"
      R"(</v:shape></w:pict></w:r>)");
  b += "</w:body>";
  const std::string rels =
      std::string(testing::kRels) +
      R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" )"
      R"(Target="file:///S:/Elevakter/19121212-1212.docx" TargetMode="External"/>)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" )"
      R"(Target="styles.xml"/></Relationships>)";
  const std::string docx = ZipBuilder()
                               .add("_rels/.rels", testing::package_rels("word/document.xml"))
                               .add("word/document.xml", wdoc("document", b))
                               .add("word/_rels/document.xml.rels", rels)
                               .build();
  const Extracted x = run_extractor(extract_docx, docx);
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  const std::string body = x.part("word/document.xml");
  // A hyperlink's target (a file named by a personnummer), on a line of its own; internal
  // relationships (styles.xml) are not text.
  EXPECT_NE(body.find("\nfile:///S:/Elevakter/19121212-1212.docx\n"), std::string::npos) << body;
  EXPECT_EQ(body.find("styles.xml"), std::string::npos) << body;
  // A paragraph's text stays whole; its attributes' text follows it.
  EXPECT_NE(body.find("länktext\nLÄNK-TIPS\n"), std::string::npos) << body;
  for (const char* want :
       {"LÄNK-TIPS", "länktext", "BILD-TITEL", "ENKELT-FALT", "visas", "VML-ALT", "VML-TITEL"}) {
    EXPECT_NE(body.find(want), std::string::npos) << want << "\n" << body;
  }
}

TEST(Docx, RelationshipsAreNotReadForAPartWithoutLinks) {
  const std::string rels =
      std::string(testing::kRels) +
      R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" )"
      R"(Target="https://example.org/UNUSED-LINK" TargetMode="External"/></Relationships>)";
  const std::string docx =
      ZipBuilder()
          .add("_rels/.rels", testing::package_rels("word/document.xml"))
          .add("word/document.xml", wdoc("document", "<w:body>" + para(run("text")) + "</w:body>"))
          .add("word/_rels/document.xml.rels", rels)
          .build();
  const Extracted x = run_extractor(extract_docx, docx);
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.part("word/document.xml"), "text\n");
}

TEST(Docx, EmbeddedWorkbookIsExtractedAsAChild) {
  const Extracted x = run_extractor(extract_docx, full_docx());
  bool found = false;
  for (const auto& [name, text] : x.parts) {
    if (name.find("word/embeddings/Microsoft_Excel_Worksheet.xlsx") != std::string::npos &&
        text.find("INBÄDDAD-CELL") != std::string::npos)
      found = true;
  }
  EXPECT_TRUE(found) << x.all();
}

TEST(Docx, EncryptedMemberMakesItPartial) {
  const std::string docx =
      ZipBuilder()
          .add("word/document.xml",
               wdoc("document", "<w:body>" + para(run("SYNLIG")) + "</w:body>"))
          .add("word/comments.xml", wdoc("comments", para(run("x"))), false, "pw")
          .build();
  const Extracted x = run_extractor(extract_docx, docx);
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("encrypted member: word/comments.xml"), std::string::npos) << x.reason;
  EXPECT_TRUE(x.has("SYNLIG"));
}

TEST(Docx, CorruptZipIsUnscannableAndBrokenXmlPartial) {
  const Extracted bad = run_extractor(extract_docx, "PK\x03\x04garbage");
  EXPECT_EQ(bad.status, ScanStatus::kUnscannable);
  EXPECT_NE(bad.reason.find("corrupt zip"), std::string::npos);

  const std::string docx =
      ZipBuilder()
          .add("word/document.xml",
               wdoc("document", "<w:body>" + para(run("FÖRE-FELET"))).substr(0, 400))
          .build();
  const Extracted x = run_extractor(extract_docx, docx);
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("corrupt xml"), std::string::npos) << x.reason;
  EXPECT_NE(x.reason.find("word/document.xml"), std::string::npos) << x.reason;
}

TEST(Docx, XxeInDocumentIsRefusedAndNotResolved) {
  const std::string doc =
      R"(<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
      R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>)";
  const Extracted x =
      run_extractor(extract_docx, ZipBuilder().add("word/document.xml", doc).build());
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("refused xml"), std::string::npos) << x.reason;
  EXPECT_FALSE(x.has("root:"));
}

TEST(Docx, CompressionBombMemberIsRefused) {
  Limits limits;
  limits.max_compression_ratio = 50;
  std::string huge =
      wdoc("document", "<w:body>" + para(run(std::string(8 << 20, 'A'))) + "</w:body>");
  const Extracted x = run_extractor(
      extract_docx, ZipBuilder().add("word/document.xml", huge).build(), "b.docx", limits);
  EXPECT_EQ(x.status, ScanStatus::kPartial);
  EXPECT_NE(x.reason.find("max_compression_ratio"), std::string::npos) << x.reason;
}

}  // namespace
}  // namespace vakt::extract

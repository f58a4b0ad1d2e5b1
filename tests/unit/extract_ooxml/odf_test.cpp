// extract_odf / extract_flat_odf on OpenDocument files built at test time.
#include <gtest/gtest.h>

#include "extract/formats.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::Extracted;
using testing::run_extractor;
using testing::ZipBuilder;

constexpr const char* kOfficeNs =
    R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
    R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
    R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
    R"(xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" )"
    R"(xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" )"
    R"(xmlns:dc="http://purl.org/dc/elements/1.1/" )"
    R"(xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" )"
    R"(xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3")";

std::string manifest(std::string_view extra = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">)"
         R"(<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>)"
         R"(<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">)" +
         std::string(extra) + "</manifest:file-entry></manifest:manifest>";
}

std::string text_body() {
  return R"(<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>A</dc:creator></office:change-info>)"
         R"(<text:p>RADERAD-ODF 640823-3234</text:p></text:deletion></text:changed-region></text:tracked-changes>)"
         R"(<text:h text:outline-level="1">Rubrik</text:h>)"
         R"(<text:p>Pnr <text:span text:style-name="T1">1999</text:span>0604-2388<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>ODF-FOTNOT</text:p></text:note-body></text:note> mer</text:p>)"
         R"(<text:p>ord<text:s text:c="3"/>med<text:tab/>tabb<text:line-break/>ny rad   och
    radbrytning i källan</text:p>)"
         R"(<text:p>före<office:annotation><dc:creator>B</dc:creator><text:p>ODF-ANTECKNING</text:p></office:annotation>efter</text:p>)"
         R"(<table:table table:name="Tabell1"><table:table-row><table:table-cell><text:p>1234</text:p></table:table-cell><table:table-cell><text:p>5678</text:p></table:table-cell></table:table-row></table:table>)"
         R"(<draw:frame><svg:title>ALT-TITEL</svg:title><svg:desc>ALT-BESKRIVNING</svg:desc></draw:frame>)";
}

std::string content(std::string_view body_kind, std::string_view body) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><office:document-content )") +
         kOfficeNs +
         "><office:automatic-styles><style:style "
         "style:name=\"T1\"/></office:automatic-styles><office:body><office:" +
         std::string(body_kind) + ">" + std::string(body) + "</office:" + std::string(body_kind) +
         "></office:body></office:document-content>";
}

std::string styles_xml() {
  return std::string(R"(<?xml version="1.0"?><office:document-styles )") + kOfficeNs +
         R"(><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>SIDHUVUD-ODF</text:p></style:header><style:footer><text:p>SIDFOT-ODF</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>)";
}

std::string meta_xml() {
  return std::string(R"(<?xml version="1.0"?><office:document-meta )") + kOfficeNs +
         R"(><office:meta><dc:title>ODF-TITEL</dc:title><meta:user-defined meta:name="Diarienummer">KS 2026/123</meta:user-defined></office:meta></office:document-meta>)";
}

std::string odt() {
  return ZipBuilder()
      .add("mimetype", "application/vnd.oasis.opendocument.text", true)
      .add("META-INF/manifest.xml", manifest())
      .add("content.xml", content("text", text_body()))
      .add("styles.xml", styles_xml())
      .add("meta.xml", meta_xml())
      .add(
          "settings.xml",
          R"(<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><x>INSTÄLLNING</x></office:document-settings>)")
      .add("Thumbnails/thumbnail.png", "PNG")
      .build();
}

TEST(Odf, ContentWithAllItsHiddenPlaces) {
  const Extracted x = run_extractor(extract_odf, odt(), "brev.odt");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "odt");
  const std::string c = x.part("content.xml");
  EXPECT_NE(c.find("RADERAD-ODF 640823-3234\n"), std::string::npos) << c;
  EXPECT_NE(c.find("Rubrik\n"), std::string::npos);
  // Spans joined, the footnote citation number not glued onto the personnummer.
  EXPECT_NE(c.find("Pnr 19990604-2388\n"), std::string::npos) << c;
  EXPECT_NE(c.find("ODF-FOTNOT\n"), std::string::npos);
  EXPECT_NE(c.find("ord   med\ttabb\nny rad och radbrytning i källan\n"), std::string::npos) << c;
  EXPECT_NE(c.find("ODF-ANTECKNING"), std::string::npos);
  EXPECT_EQ(c.find("föreODF"), std::string::npos);
  EXPECT_NE(c.find("1234\t5678"), std::string::npos) << c;
  EXPECT_EQ(c.find("12345678"), std::string::npos);
  EXPECT_NE(c.find("ALT-BESKRIVNING"), std::string::npos);
  EXPECT_NE(x.part("styles.xml").find("SIDHUVUD-ODF"), std::string::npos);
  EXPECT_NE(x.part("styles.xml").find("SIDFOT-ODF"), std::string::npos);
  const std::string m = x.part("meta.xml");
  EXPECT_NE(m.find("ODF-TITEL"), std::string::npos);
  EXPECT_NE(m.find("Diarienummer: KS 2026/123"), std::string::npos) << m;
  EXPECT_FALSE(x.has("INSTÄLLNING"));
}

TEST(Odf, SpreadsheetValuesAndRepeatsAreNotExpanded) {
  const std::string body =
      R"(<office:spreadsheet><table:table table:name="Dolt-Ark"><table:table-row table:number-rows-repeated="1000000">)"
      R"(<table:table-cell office:value-type="float" office:value="199906042388"><text:p>2E+11</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="float" office:value="9906042388"><text:p>990604-2388</text:p></table:table-cell>)"
      R"(<table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet>)";
  const std::string ods =
      ZipBuilder()
          .add("mimetype", "application/vnd.oasis.opendocument.spreadsheet", true)
          .add("content.xml", std::string(R"(<office:document-content )") + kOfficeNs +
                                  "><office:body>" + body +
                                  "</office:body></office:document-content>")
          .build();
  const Extracted x = run_extractor(extract_odf, ods, "lista.ods");
  EXPECT_EQ(x.type, "ods");
  EXPECT_EQ(x.part("content.xml"), "Dolt-Ark\n2E+11 199906042388\t990604-2388\n");
}

// Text a reviewer found unread because ODF keeps it in attributes: link targets, form fields,
// document variables and a cell's validation list (each on its own line after its paragraph).
TEST(Odf, LinksFormFieldsVariablesAndValidationLists) {
  const std::string forms =
      R"(<office:forms xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0"><form:form>)"
      R"(<form:text form:name="Pnr" form:current-value="FORMFÄLT-IFYLLT"/>)"
      R"(<form:textarea form:name="Anm" form:value="FORMFÄLT-STANDARD"/>)"
      R"(<form:listbox><form:option form:label="VAL-ETIKETT" form:value="VAL-VÄRDE"/></form:listbox>)"
      R"(</form:form></office:forms>)";
  const std::string body =
      forms +
      R"(<text:variable-decls><text:variable-decl text:name="v" office:value-type="string"/></text:variable-decls>)"
      R"(<text:user-field-decls><text:user-field-decl text:name="Patient" office:value-type="string" )"
      R"(office:string-value="Anna 19121212-1212"/></text:user-field-decls>)"
      R"(<text:p>Se <text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="file:///S:/Akter/LÄNK-MÅL.odt">)"
      R"(akten</text:a> här</text:p>)"
      R"(<table:content-validations><table:content-validation table:name="val1" )"
      R"x(table:condition="of:cell-content-is-in-list(&quot;LISTVAL-A&quot;;&quot;B&quot;)">)x"
      R"(<table:help-message table:title="HJÄLP-RUBRIK"><text:p>HJÄLP-TEXT</text:p></table:help-message>)"
      R"(</table:content-validation></table:content-validations>)";
  const std::string doc = ZipBuilder()
                              .add("mimetype", "application/vnd.oasis.opendocument.text", true)
                              .add("content.xml", content("text", body))
                              .build();
  const Extracted x = run_extractor(extract_odf, doc, "blankett.odt");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  const std::string c = x.part("content.xml");
  // The paragraph reads whole; the link's target follows it on its own line.
  EXPECT_NE(c.find("Se akten här\nfile:///S:/Akter/LÄNK-MÅL.odt\n"), std::string::npos) << c;
  for (const char* want :
       {"FORMFÄLT-IFYLLT\n", "FORMFÄLT-STANDARD\n", "VAL-ETIKETT\n", "VAL-VÄRDE\n",
        "Anna 19121212-1212\n", "LISTVAL-A", "HJÄLP-RUBRIK\n", "HJÄLP-TEXT\n"}) {
    EXPECT_NE(c.find(want), std::string::npos) << want << "\n" << c;
  }
}

TEST(Odf, EncryptedContentIsUnscannable) {
  const std::string enc =
      R"(<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>)";
  const std::string odt_enc = ZipBuilder()
                                  .add("mimetype", "application/vnd.oasis.opendocument.text", true)
                                  .add("META-INF/manifest.xml", manifest(enc))
                                  .add("content.xml", "\x13\x87 encrypted bytes")
                                  .build();
  const Extracted x = run_extractor(extract_odf, odt_enc);
  EXPECT_EQ(x.status, ScanStatus::kUnscannable);
  EXPECT_EQ(x.reason, "encrypted");
}

TEST(Odf, OpenOffice1NamespacesWork) {
  const std::string sxw_content =
      R"(<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE office:document-content PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "office.dtd">)"
      R"(<office:document-content xmlns:office="http://openoffice.org/2000/office" xmlns:text="http://openoffice.org/2000/text"><office:body>)"
      R"(<text:p>GAMMAL-WRITER<text:tab-stop/>text</text:p></office:body></office:document-content>)";
  const std::string sxw = ZipBuilder()
                              .add("mimetype", "application/vnd.sun.xml.writer", true)
                              .add("content.xml", sxw_content)
                              .build();
  const Extracted x = run_extractor(extract_odf, sxw, "gammal.sxw");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "sxw");
  EXPECT_EQ(x.part("content.xml"), "GAMMAL-WRITER\ttext\n");
}

TEST(Odf, EmbeddedObjectsAreRead) {
  const std::string odt_with_object =
      ZipBuilder()
          .add("mimetype", "application/vnd.oasis.opendocument.text", true)
          .add("content.xml", content("text", "<text:p>HUVUDTEXT</text:p>"))
          .add("Object 1/content.xml", content("text", "<text:p>INBÄDDAT-OBJEKT</text:p>"))
          .add("ObjectReplacements/Object 1", "bild")
          .build();
  const Extracted x = run_extractor(extract_odf, odt_with_object);
  EXPECT_NE(x.part("Object 1/content.xml").find("INBÄDDAT-OBJEKT"), std::string::npos);
  EXPECT_FALSE(x.has("bild"));
}

std::string flat_odt() {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><office:document )") + kOfficeNs +
         R"( office:mimetype="application/vnd.oasis.opendocument.text">)"
         R"(<office:meta><dc:title>PLATT-TITEL</dc:title></office:meta>)"
         R"(<office:settings><config:x xmlns:config="urn:c">PLATT-INSTÄLLNING</config:x></office:settings>)"
         R"(<office:master-styles><style:master-page><style:header><text:p>PLATT-SIDHUVUD</text:p></style:header></style:master-page></office:master-styles>)"
         R"(<office:body><office:text>)" +
         text_body() +
         R"(<text:p><draw:frame><draw:image><office:binary-data>MTk5OTA2MDQyMzg4IGJhc2U2NA==</office:binary-data></draw:image></draw:frame></text:p>)"
         R"(</office:text></office:body></office:document>)";
}

TEST(FlatOdf, SameHandlersOverOneFile) {
  const Extracted x = run_extractor(extract_flat_odf, flat_odt(), "platt.fodt");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "fodt");
  ASSERT_EQ(x.parts.size(), 1u);
  const std::string t = x.parts[0].second;
  EXPECT_NE(t.find("PLATT-TITEL"), std::string::npos);
  EXPECT_NE(t.find("PLATT-SIDHUVUD"), std::string::npos);
  EXPECT_NE(t.find("Pnr 19990604-2388\n"), std::string::npos) << t;
  EXPECT_NE(t.find("RADERAD-ODF"), std::string::npos);
  EXPECT_FALSE(x.has("PLATT-INSTÄLLNING"));
  EXPECT_FALSE(x.has("MTk5"));  // base64 image data is not text
}

TEST(FlatOdf, XxeAndBillionLaughsAreRefused) {
  const std::string xxe =
      R"(<?xml version="1.0"?><!DOCTYPE office:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
      R"(<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>&x;</text:p></office:text></office:body></office:document>)";
  const Extracted x = run_extractor(extract_flat_odf, xxe, "x.fodt");
  EXPECT_EQ(x.status, ScanStatus::kUnscannable);
  EXPECT_NE(x.reason.find("refused xml: external entity"), std::string::npos) << x.reason;
  EXPECT_FALSE(x.has("root:"));

  std::string bomb = R"(<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">)";
  std::string prev = "a";
  for (int i = 0; i < 12; ++i) {
    const std::string name = "e" + std::to_string(i);
    bomb += "<!ENTITY " + name + " \"";
    for (int j = 0; j < 10; ++j) bomb += "&" + prev + ";";
    bomb += "\">";
    prev = name;
  }
  bomb +=
      R"(]><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>&)" +
      prev + R"(;</text:p></office:text></office:body></office:document>)";
  const Extracted b = run_extractor(extract_flat_odf, bomb, "b.fodt");
  EXPECT_EQ(b.status, ScanStatus::kUnscannable);
  EXPECT_NE(b.reason.find("refused xml: entity declaration"), std::string::npos) << b.reason;
  EXPECT_LT(b.all().size(), 1000u);
}

}  // namespace
}  // namespace vakt::extract

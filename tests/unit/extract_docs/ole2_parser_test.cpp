// OLE2: Word, Excel, PowerPoint and Outlook text from real corpus samples; every kind of
// password protection reported as encrypted; helpers (numbers, compressed RTF) on exact inputs.
#include <gtest/gtest.h>

#include "corpus.h"
#include "extract/ole2_formats.h"
#include "recording_output.h"
#include "unit/ole2/cfb_writer.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;

RecordingOutput parse_corpus(const std::string& rel) {
  RecordingOutput out;
  std::string bytes = testing::read_corpus(rel);
  if (!bytes.empty()) parse_ole2(bytes, rel, out);
  return out;
}

#define SKIP_WITHOUT_CORPUS()                             \
  if (testing::read_corpus("poi/SampleSS.xls").empty()) { \
    GTEST_SKIP() << "corpus not available";               \
  }

TEST(Ole2Helpers, NumbersAreWrittenInFull) {
  EXPECT_EQ(format_number(199906042388.0), "199906042388");
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(-3.0), "-3");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(1234567.5), "1234567.5");
}

TEST(Ole2Helpers, CompressedRtfFromTheSpecification) {
  // MS-OXRTFCP 3.1.1: compressed "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n".
  const unsigned char kCompressed[] = {0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a,
                                       0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00,
                                       0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a,
                                       0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77,
                                       0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0};
  std::string in(reinterpret_cast<const char*>(kCompressed), sizeof kCompressed);
  EXPECT_EQ(decompress_rtf(in, 1 << 20), "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
  EXPECT_EQ(decompress_rtf("short", 1 << 20), "");
}

// A record of the PowerPoint Document stream: 8-byte header, then the body.
std::string ppt_record(std::uint16_t ver_inst, std::uint16_t type, std::string_view body) {
  std::string r;
  auto u16 = [&](std::uint16_t v) {
    r.push_back(static_cast<char>(v & 0xFF));
    r.push_back(static_cast<char>(v >> 8));
  };
  u16(ver_inst);
  u16(type);
  const auto len = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) r.push_back(static_cast<char>((len >> (8 * i)) & 0xFF));
  return r + std::string(body);
}

std::string utf16le(std::string_view ascii) {
  std::string s;
  for (char c : ascii) {
    s.push_back(c);
    s.push_back('\0');
  }
  return s;
}

TEST(Ole2Parser, PowerPointCommentsAndHyperlinkTargets) {
  // Comment10Container {CString author, CString text}; ExHyperlinkContainer {CString target}.
  const std::string comment = ppt_record(0x0000, 0x0FBA, utf16le("Anna A")) +
                              ppt_record(0x0010, 0x0FBA, utf16le("Kommentar 19121212-1212"));
  const std::string link = ppt_record(0x0010, 0x0FBA, utf16le("file:///S:/akter/640823-3234.doc"));
  const std::string doc = ppt_record(0x000F, 0x2EE0, comment) + ppt_record(0x000F, 0x0FD7, link) +
                          ppt_record(0x0000, 0x0FA0, utf16le("Bildtext"));
  RecordingOutput out;
  parse_ppt(doc, {}, out, "");
  const std::string t = out.all_text();
  EXPECT_NE(t.find("Anna A\nKommentar 19121212-1212\n"), std::string::npos) << t;
  EXPECT_NE(t.find("file:///S:/akter/640823-3234.doc\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Bildtext\n"), std::string::npos) << t;
  EXPECT_TRUE(out.partials.empty());
}

TEST(Ole2Parser, WordDocuments) {
  SKIP_WITHOUT_CORPUS();
  auto doc = parse_corpus("format-corpus/lorem-ipsum.doc");
  ASSERT_NE(doc.part("document"), nullptr);
  EXPECT_NE(doc.part("document")->text.find("Lorem ipsum dolor sit amet"), std::string::npos);
  ASSERT_NE(doc.part("properties"), nullptr);
  EXPECT_NE(doc.part("properties")->text.find("Author: Andrew Jackson"), std::string::npos);
  EXPECT_TRUE(doc.unscannables.empty());

  auto word6 = parse_corpus("poi/Word6.doc");
  EXPECT_NE(word6.all_text().find("The quick brown fox jumps over the lazy dog"),
            std::string::npos);
  // Word 95 text in code page 1251 (from the summary information).
  auto cyr = parse_corpus("poi/word95err.doc");
  EXPECT_NE(cyr.all_text().find("\xD0\x9A\xD0\xBE\xD0\xBC\xD0\xBF\xD0\xB0\xD0\xBD\xD0\xB8\xD1\x8F"),
            std::string::npos);  // "Компания"
  // Embedded Word document inside a Word document (ObjectPool).
  auto large = parse_corpus("tika/testLargeOLEDoc.doc");
  EXPECT_NE(large.all_text().find("This is an embedded file."), std::string::npos);
}

TEST(Ole2Parser, ExcelWorkbooks) {
  SKIP_WITHOUT_CORPUS();
  auto xls = parse_corpus("poi/SampleSS.xls");
  ASSERT_NE(xls.part("sheet: First Sheet"), nullptr);
  EXPECT_NE(xls.part("sheet: First Sheet")->text.find("Test spreadsheet"), std::string::npos);
  ASSERT_NE(xls.part("sheet: Sheet Number 2"), nullptr);
  EXPECT_NE(xls.part("sheet: Sheet Number 2")->text.find("1\t10\t2\t13"), std::string::npos);
  ASSERT_NE(xls.part("sheet names"), nullptr);
  // Shared strings split across CONTINUE records.
  auto cont = parse_corpus("poi/StringContinueRecords.xls");
  EXPECT_TRUE(cont.partials.empty());
  EXPECT_GT(cont.all_text().size(), 300000u);
  // The workbook stream spelled WORKBOOK.
  auto caps = parse_corpus("poi/WORKBOOK_in_capitals.xls");
  EXPECT_GT(caps.all_text().size(), 1000u);
}

TEST(Ole2Parser, PowerPointAndOutlook) {
  SKIP_WITHOUT_CORPUS();
  auto ppt = parse_corpus("poi/SampleShow.ppt");
  EXPECT_NE(ppt.all_text().find("Title of the first slide"), std::string::npos);

  auto msg = parse_corpus("poi/quick.msg");
  ASSERT_NE(msg.part("headers"), nullptr);
  EXPECT_NE(msg.part("headers")->text.find("Subject: Test the content transformer"),
            std::string::npos);
  ASSERT_NE(msg.part("body"), nullptr);
  EXPECT_NE(msg.part("body")->text.find("The quick brown fox jumps over the lazy dog"),
            std::string::npos);

  auto att = parse_corpus("poi/attachment_msg_pdf.msg");
  ASSERT_EQ(att.children.size(), 1u);
  EXPECT_EQ(att.children[0].first, "smbprn.00009008.KdcPjl.pdf");
  EXPECT_EQ(att.children[0].second.substr(0, 5), "%PDF-");

  // 8-bit properties in the message's code page (Russian locale → 1251), HTML in the internet one.
  const std::string kAvtomaticheski =
      "\xD0\xB0\xD0\xB2\xD1\x82\xD0\xBE\xD0\xBC\xD0\xB0\xD1\x82\xD0\xB8\xD1\x87\xD0\xB5"
      "\xD1\x81\xD0\xBA\xD0\xB8";  // "автоматически"
  auto cp1251 = parse_corpus("poi/ASCII_CP1251_LCID1049.msg");
  EXPECT_NE(cp1251.all_text().find("Subject " + kAvtomaticheski), std::string::npos);
  auto html = parse_corpus("poi/HTMLBodyBinary_CP1251.msg");
  EXPECT_NE(html.all_text().find("HTML " + kAvtomaticheski), std::string::npos);
  EXPECT_NE(html.all_text().find("Subject \xC3\xB6\xC3\xA4\xC3\xBC"), std::string::npos);

  // An attached message is read in place under its attachment name.
  auto nested = parse_corpus("poi/58214_with_attachment.msg");
  bool inner = false;
  for (const auto& p : nested.parts) inner = inner || p.name.find("/body") != std::string::npos;
  EXPECT_TRUE(inner);
}

TEST(Ole2Parser, EveryKindOfPasswordProtectionIsEncrypted) {
  SKIP_WITHOUT_CORPUS();
  for (const char* f :
       {"poi/password.xls", "poi/35897-type4.xls", "poi/51832.xls", "poi/xor-encryption-abc.xls",
        "poi/PasswordProtected.doc", "poi/password_tika_binaryrc4.doc",
        "poi/password_password_cryptoapi.doc", "tika/testWORD_protected_passtika.doc",
        "poi/Password_Protected-hello.ppt", "poi/cryptoapi-proc2356.ppt",
        "poi/ppt_with_png_encrypted.ppt", "tika/testPPT_protected_passtika.ppt",
        "poi/protected_passtika.xlsb", "tika/testWORD_protected_drm.doc"}) {
    auto out = parse_corpus(f);
    ASSERT_EQ(out.unscannables.size(), 1u) << f;
    EXPECT_EQ(out.unscannables[0].rfind("encrypted", 0), 0u) << f << ": " << out.unscannables[0];
  }
}

// Regression (own OLE2 reader replacing libgsf): libgsf refused these fuzzed encrypted files
// outright ("corrupt ole2"); the reader now opens them and they are reported for what they are.
TEST(Ole2Parser, FuzzedEncryptedFilesLibgsfRefusedAreEncrypted) {
  SKIP_WITHOUT_CORPUS();
  for (const char* f : {"poi/clusterfuzz-testcase-minimized-POIFuzzer-5681320547975168.ppt",
                        "poi/clusterfuzz-testcase-minimized-POIHSLFFuzzer-4838893004128256.ppt"}) {
    auto out = parse_corpus(f);
    ASSERT_EQ(out.unscannables.size(), 1u) << f;
    EXPECT_EQ(out.unscannables[0].rfind("encrypted", 0), 0u) << f << ": " << out.unscannables[0];
  }
  // A stream whose directory size is far beyond the file (libgsf hid it and three siblings): now
  // listed, and its read comes back short and says so.
  std::string bytes = testing::read_corpus("poi/unknown_properties.msg");
  auto reader = Ole2Reader::open(bytes);
  ASSERT_NE(reader, nullptr);
  const Ole2Node* big = reader->root().find("__substg1.0_0040001F");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->size, 1935763044u);
  bool cut = false;
  EXPECT_EQ(reader->read(*big, 1 << 20, &cut), "");
  EXPECT_TRUE(cut);
  EXPECT_TRUE(parse_corpus("poi/unknown_properties.msg").unscannables.empty());
}

void put16(std::string& b, std::uint16_t v) {
  b += static_cast<char>(v & 0xFF);
  b += static_cast<char>(v >> 8);
}
void put32(std::string& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A section: code page 1252, a dictionary naming `props` (pid 2, 3, …), and each value a VT_LPSTR.
std::string custom_section(const std::vector<std::pair<std::string, std::string>>& props) {
  std::vector<std::pair<std::uint32_t, std::string>> values;  // pid, serialized property
  std::string cp;
  put16(cp, 2);  // VT_I2
  put16(cp, 0);
  put16(cp, 1252);
  put16(cp, 0);
  values.push_back({1, cp});
  std::string dict;
  put32(dict, static_cast<std::uint32_t>(props.size()));
  for (std::size_t i = 0; i < props.size(); ++i) {
    put32(dict, static_cast<std::uint32_t>(2 + i));
    put32(dict, static_cast<std::uint32_t>(props[i].first.size() + 1));
    dict += props[i].first + '\0';
  }
  while (dict.size() % 4 != 0) dict += '\0';
  values.push_back({0, dict});
  for (std::size_t i = 0; i < props.size(); ++i) {
    std::string v;
    put16(v, 0x1E);  // VT_LPSTR
    put16(v, 0);
    put32(v, static_cast<std::uint32_t>(props[i].second.size() + 1));
    v += props[i].second + '\0';
    while (v.size() % 4 != 0) v += '\0';
    values.push_back({static_cast<std::uint32_t>(2 + i), v});
  }
  std::string body;
  std::string table;
  std::size_t offset = 8 + 8 * values.size();
  for (const auto& [pid, v] : values) {
    put32(table, pid);
    put32(table, static_cast<std::uint32_t>(offset + body.size()));
    body += v;
  }
  std::string section;
  put32(section, static_cast<std::uint32_t>(8 + table.size() + body.size()));
  put32(section, static_cast<std::uint32_t>(values.size()));
  return section + table + body;
}

// DocumentSummaryInformation with an empty first section and the user-defined second one.
std::string document_summary(const std::string& custom) {
  const std::string first = custom_section({});
  std::string b;
  put16(b, 0xFFFE);
  put16(b, 0);
  put32(b, 0);
  b += std::string(16, '\0');  // CLSID
  put32(b, 2);
  b += std::string(16, '\x01');  // FMTID of the first section
  put32(b, 28 + 40);
  b += std::string(16, '\x02');  // FMTID_UserDefinedProperties
  put32(b, static_cast<std::uint32_t>(28 + 40 + first.size()));
  return b + first + custom;
}

// Word's File > Properties > Custom: user-defined properties live in the second section of
// DocumentSummaryInformation, named by a dictionary; they were never read.
TEST(Ole2Parser, CustomPropertiesAreReadWithTheirNames) {
  testing::CfbWriter w;
  w.root.children = {
      testing::CfbEntry::stream(
          "\x05"
          "DocumentSummaryInformation",
          document_summary(custom_section({{"Patient", "19121212-1212"}, {"Enhet", "Skola"}}))),
      testing::CfbEntry::stream("Okänt", "ingen text här")};
  RecordingOutput out;
  parse_ole2(w.build().bytes, "egenskaper.doc", out);
  const auto* props = out.part("properties");
  ASSERT_NE(props, nullptr);
  EXPECT_NE(props->text.find("Patient: 19121212-1212\n"), std::string::npos) << props->text;
  EXPECT_NE(props->text.find("Enhet: Skola\n"), std::string::npos) << props->text;
}

TEST(Ole2Parser, UnknownAndBrokenFiles) {
  SKIP_WITHOUT_CORPUS();
  RecordingOutput junk;
  parse_ole2(std::string(4096, 'x'), "junk", junk);
  ASSERT_EQ(junk.unscannables.size(), 1u);
  EXPECT_EQ(junk.unscannables[0], "corrupt ole2");
  // Lotus Notes OLE2 holding an OLE1 package: the packaged file becomes a child.
  auto notes = parse_corpus("poi/Notes.ole2");
  ASSERT_EQ(notes.children.size(), 1u);
  EXPECT_NE(notes.children[0].first.find("plaintext.txt"), std::string::npos);
  auto empty = parse_corpus("poi/only-zero-byte-streams.ole2");
  EXPECT_FALSE(empty.unscannables.empty());
}

}  // namespace
}  // namespace vakt::extract

// RTF parser: code pages, \uN/\ucN, skipped and kept destinations, \bin, embedded objects, and
// pathological nesting — fixtures written here, plus corpus files with known text.
#include "extract/rtf_parser.h"

#include <gtest/gtest.h>

#include "corpus.h"
#include "recording_output.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;

std::string rtf_text(std::string_view rtf, RecordingOutput* keep = nullptr) {
  RecordingOutput out;
  parse_rtf(rtf, out, "document");
  std::string t;
  for (const auto& p : out.parts) t += p.text;
  if (keep != nullptr) *keep = out;
  return t;
}

TEST(RtfParser, TextWithTablesSkippedAndSeparators) {
  std::string t = rtf_text(
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss "
      "Arial;}}{\\colortbl;\\red255\\green0"
      "\\blue0;}{\\stylesheet{\\s0 Normal;}}\\f0 Hej v\\'e4rlden\\par Personnummer "
      "19121212-1212\\tab "
      "slut\\cell x}");
  EXPECT_EQ(t, "Hej v\xC3\xA4rlden\nPersonnummer 19121212-1212\tslut\tx");
}

TEST(RtfParser, UnicodeEscapesSkipFallbackCharacters) {
  EXPECT_EQ(rtf_text("{\\rtf1\\uc1 \\u246?ppen}"), "\xC3\xB6ppen");
  EXPECT_EQ(rtf_text("{\\rtf1\\uc2 \\u246\\'3f\\'3fppen}"), "\xC3\xB6ppen");
  EXPECT_EQ(rtf_text("{\\rtf1\\uc0 \\u246 ppen}"), "\xC3\xB6ppen");
  // Negative values are UTF-16 code units: -3913 = U+F0B7.
  EXPECT_EQ(rtf_text("{\\rtf1\\u-3913?}"), "\xEF\x82\xB7");
  // A surrogate pair: U+1F600.
  EXPECT_EQ(rtf_text("{\\rtf1\\u-10179?\\u-8704?}"), "\xF0\x9F\x98\x80");
}

TEST(RtfParser, CodePagesFromAnsicpgAndFontCharset) {
  EXPECT_EQ(rtf_text("{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8}"), "\xD0\x9F\xD1\x80\xD0\xB8");
  // Shift-JIS double-byte character through a font with \fcharset128.
  EXPECT_EQ(rtf_text("{\\rtf1\\ansi{\\fonttbl{\\f1\\fcharset128 MS Mincho;}}\\f1\\'82\\'a0}"),
            "\xE3\x81\x82");
}

TEST(RtfParser, DestinationsSkippedOrKept) {
  std::string t = rtf_text(
      "{\\rtf1{\\*\\generator Riched20;}{\\*\\unknowndest secret}{\\field{\\*\\fldinst HYPERLINK "
      "\"http://x\"}{\\fldrslt shown link}} {\\*\\annotation kommentar}{\\pict\\pngblip 89504e47}"
      "{\\info{\\title Rubrik}{\\author Anna}}}");
  EXPECT_NE(t.find("shown link"), std::string::npos);
  EXPECT_NE(t.find("kommentar"), std::string::npos);
  EXPECT_NE(t.find("Rubrik\n"), std::string::npos);
  EXPECT_NE(t.find("Anna"), std::string::npos);
  EXPECT_EQ(t.find("Riched"), std::string::npos);
  EXPECT_EQ(t.find("secret"), std::string::npos);
  EXPECT_EQ(t.find("89504e47"), std::string::npos);
  // A field code is read on a line of its own, apart from the result shown.
  EXPECT_NE(t.find("\nHYPERLINK \"http://x\"\nshown link"), std::string::npos) << t;
}

// Form fields keep what was typed as their default text, inside the field code.
TEST(RtfParser, FieldCodesAndFormFieldTextsAreRead) {
  std::string t = rtf_text(
      "{\\rtf1 Sida {\\field{\\*\\fldinst PAGE}{\\fldrslt 3}}"
      "{\\field{\\*\\fldinst {FORMTEXT {\\*\\formfield{\\fftype0{\\*\\ffname Pnr}"
      "{\\*\\ffdeftext 19121212-1212}{\\*\\ffstattext Ange personnummer}"
      "{\\*\\datafield 0000000000}}}}}{\\fldrslt visad}}"
      "{\\field{\\*\\fldinst HYPERLINK \"file:///S:/akter/640823-3234.doc\"}{\\fldrslt akten}}}");
  EXPECT_EQ(t.find("PAGE3"), std::string::npos) << t;
  EXPECT_NE(t.find("\n3"), std::string::npos) << t;
  EXPECT_NE(t.find("19121212-1212\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Ange personnummer"), std::string::npos) << t;
  EXPECT_NE(t.find("file:///S:/akter/640823-3234.doc"), std::string::npos) << t;
  EXPECT_EQ(t.find("0000000000"), std::string::npos) << t;
  EXPECT_EQ(t.find("Pnr"), std::string::npos) << t;
}

// Ignorable destinations that hold the document's own data: Word's custom properties and
// document variables.
TEST(RtfParser, CustomPropertiesAndDocumentVariablesAreRead) {
  std::string t = rtf_text(
      "{\\rtf1{\\*\\userprops {\\propname Patient}\\proptype30{\\staticval 19121212-1212}}"
      "{\\*\\docvar {Handlaggare}{Anna 19990604-2388}}"
      "{\\field{\\*\\fldinst {FORMTEXT }}{\\fldrslt visad}}}");
  EXPECT_NE(t.find("19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("Anna 19990604-2388"), std::string::npos) << t;
  EXPECT_NE(t.find("visad"), std::string::npos) << t;
}

TEST(RtfParser, BinDataWithBracesIsSkipped) {
  std::string rtf = "{\\rtf1 before {\\pict\\bin4 }}{{} after}";  // 4 binary bytes: "}}{{"
  EXPECT_EQ(rtf_text(rtf), "before  after");
}

TEST(RtfParser, EmbeddedPackageObjectBecomesChild) {
  // OLE1 header: version, format 2 (embedded), class "Package", topic "", item "", native data.
  std::string file = "inner text 19990604-2388";
  std::string native = std::string("\x02\x00", 2) + "note.txt" + std::string(1, '\0') +
                       "C:\\note.txt" + std::string(1, '\0') + std::string("\x00\x00\x03\x00", 4) +
                       std::string("\x00\x00\x00\x00", 4);
  native += std::string(1, static_cast<char>(file.size())) + std::string(3, '\0') + file;
  auto le32 = [](std::uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i)
      s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
  };
  std::string obj = le32(0x0501) + le32(2) + le32(8) + std::string("Package\0", 8) + le32(0) +
                    le32(0) + le32(static_cast<std::uint32_t>(native.size())) + native;
  std::string hex;
  for (unsigned char c : obj) {
    static const char* kHex = "0123456789abcdef";
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  RecordingOutput out;
  rtf_text("{\\rtf1 text{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata\n" + hex +
               "\n}{\\result shown}}}",
           &out);
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].first, "note.txt");
  EXPECT_EQ(out.children[0].second, file);
}

TEST(RtfParser, DeepNestingAndTruncationAreBounded) {
  std::string deep = "{\\rtf1 " + std::string(200000, '{') + "x" + std::string(200000, '}') + "}";
  EXPECT_EQ(rtf_text(deep), "x");
  EXPECT_EQ(rtf_text("{\\rtf1 abc\\'"), "abc");
  EXPECT_EQ(rtf_text("{\\rtf1 abc\\u"), "abc");
  RecordingOutput out;
  parse_rtf("not rtf at all", out, "document");
  ASSERT_EQ(out.partials.size(), 1u);
}

TEST(RtfParser, CorpusCodepage1250AndCzech) {
  std::string bytes = testing::read_corpus("tika/testRTFWindowsCodepage1250.rtf");
  if (bytes.empty()) GTEST_SKIP() << "corpus not available";
  EXPECT_NE(rtf_text(bytes).find("za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 g\xC4\x99\xC5\x9Bl\xC4\x85"),
            std::string::npos);
  std::string lorem = rtf_text(testing::read_corpus("format-corpus/lorem-ipsum.rtf"));
  EXPECT_NE(lorem.find("Lorem ipsum dolor sit amet"), std::string::npos);
}

TEST(RtfParser, CorpusEmbeddedFilesAllBecomeChildren) {
  std::string bytes = testing::read_corpus("tika/testRTFEmbeddedFiles.rtf");
  if (bytes.empty()) GTEST_SKIP() << "corpus not available";
  RecordingOutput out;
  parse_rtf(bytes, out, "document");
  EXPECT_EQ(out.children.size(), 14u);
  EXPECT_TRUE(out.unscannables.empty());
}

}  // namespace
}  // namespace vakt::extract

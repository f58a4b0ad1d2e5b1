// PDF parser: text per page, metadata, embedded files, encryption and image-only pages, on PDFs
// written by hand at test time, plus corpus files with known encryption traps.
#include "extract/pdf_parser.h"

#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <zlib.h>

#include <memory>
#include <string>

#include "corpus.h"
#include "extract/typography.h"
#include "pdf_builder.h"
#include "recording_output.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;
using testing::simple_pdf;
using testing::text_content;

std::string corpus(const std::string& rel) {
  return testing::read_corpus(rel);
}

TEST(PdfParser, ExtractsPageTextAndMetadata) {
  // Objects 1-7 are catalog, pages, font and two (page, content) pairs; object 8 is the Info dict.
  std::string pdf =
      simple_pdf({text_content("Hello Vakt page one"), text_content("Second page")}, "/Info 8 0 R",
                 "", {"<< /Title (Quarterly report) /Author (Anna Svensson) >>"});
  RecordingOutput out;
  parse_pdf(pdf, "a.pdf", out);
  EXPECT_TRUE(out.unscannables.empty());
  EXPECT_TRUE(out.partials.empty());
  ASSERT_NE(out.part("page 1"), nullptr);
  EXPECT_NE(out.part("page 1")->text.find("Hello Vakt page one"), std::string::npos);
  ASSERT_NE(out.part("page 2"), nullptr);
  EXPECT_NE(out.part("page 2")->text.find("Second page"), std::string::npos);
  ASSERT_NE(out.part("metadata"), nullptr);
  EXPECT_NE(out.part("metadata")->text.find("Title: Quarterly report"), std::string::npos);
  EXPECT_NE(out.part("metadata")->text.find("Author: Anna Svensson"), std::string::npos);
}

// Some producers place every glyph on its own (one Td + Tj per character): poppler joins them
// into words by position, so a number stays whole.
// Bookmarks, XMP metadata and the texts of annotations (a sticky note) are read too; each was a
// place a personnummer could sit unseen. Objects 1-5: one page; 6-7 outline; 8 XMP; 9-10 notes.
TEST(PdfParser, OutlineXmpAndAnnotationTextsAreRead) {
  const std::string xmp =
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
      "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description>XMP-BESKRIVNING "
      "19990604-2388</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>";
  std::string pdf = simple_pdf(
      {text_content("Sida ett")}, "", "/Outlines 6 0 R /Metadata 8 0 R",
      {"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
       "<< /Title (Bokm\\344rke 19121212-1212) /Parent 6 0 R >>",
       testing::pdf_stream("/Type /Metadata /Subtype /XML", xmp),
       "<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /Contents (Anteckning \\(viktig\\) "
       "19701063-2391) >>",
       // UTF-16BE hex: "Pnr Å" — and a page reference and a signature-sized hex blob, skipped.
       "<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /Contents <FEFF0050006E0072002000C5> "
       "/X << /Contents 5 0 R >> /Sig << /Contents <" +
           std::string(4096, '0') + "> >> >>"});
  RecordingOutput out;
  parse_pdf(pdf, "a.pdf", out);
  EXPECT_TRUE(out.partials.empty());
  ASSERT_NE(out.part("outline"), nullptr);
  EXPECT_EQ(out.part("outline")->text, "Bokmärke 19121212-1212\n");
  ASSERT_NE(out.part("xmp metadata"), nullptr);
  EXPECT_NE(out.part("xmp metadata")->text.find("XMP-BESKRIVNING 19990604-2388"),
            std::string::npos);
  ASSERT_NE(out.part("annotations and form fields"), nullptr);
  EXPECT_EQ(out.part("annotations and form fields")->text,
            "Anteckning (viktig) 19701063-2391\nPnr Å\n");
}

std::string zlib_compress(const std::string& in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
           static_cast<uLong>(in.size()));
  out.resize(size);
  return out;
}

// A filled-in form keeps what was typed in each field's /V, and PDF 1.5+ producers pack
// annotations and fields into compressed object streams: both were unread.
TEST(PdfParser, FormFieldValuesAndObjectsInCompressedObjectStreamsAreRead) {
  const std::string packed =
      "11 0 12 80 "
      "<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /Contents (PACKAD-ANTECKNING 19121212-1212) "
      ">> << /FT /Tx /T (pnr) /V (PACKAT-FALT 640823-3234) >>";
  std::string pdf =
      simple_pdf({text_content("Blankett")}, "", "/AcroForm << /Fields [6 0 R] >>",
                 {"<< /FT /Tx /T (namn) /TU (Namn) /V (Anna Andersson 19990604-2388) /Version 1 >>",
                  "<< /FT /Btn /T (ja) /V /Yes >>",
                  testing::pdf_stream("/Type /ObjStm /N 2 /First 11 /Filter /FlateDecode",
                                      zlib_compress(packed))});
  RecordingOutput out;
  parse_pdf(pdf, "blankett.pdf", out);
  EXPECT_TRUE(out.unscannables.empty());
  ASSERT_NE(out.part("annotations and form fields"), nullptr);
  const std::string t = out.part("annotations and form fields")->text;
  EXPECT_NE(t.find("Anna Andersson 19990604-2388\n"), std::string::npos) << t;
  EXPECT_NE(t.find("PACKAD-ANTECKNING 19121212-1212\n"), std::string::npos) << t;
  EXPECT_NE(t.find("PACKAT-FALT 640823-3234\n"), std::string::npos) << t;
  EXPECT_EQ(t.find("Yes"), std::string::npos) << t;  // a checkbox's name value is not text
}

// A dynamic XFA form shows "Please wait..." until a viewer builds the form from its XFA data,
// which poppler does not: partial. A static XFA form's pages carry the form: read as usual.
TEST(PdfParser, DynamicXfaFormIsPartial) {
  const std::string form = "/AcroForm << /Fields [] /XFA 6 0 R >>";
  const std::string packet = testing::pdf_stream("", "<xdp:xdp/>");
  RecordingOutput dynamic;
  parse_pdf(simple_pdf({text_content("Please wait... If this message is not replaced")}, "", form,
                       {packet}),
            "xfa.pdf", dynamic);
  ASSERT_EQ(dynamic.partials.size(), 1u);
  EXPECT_EQ(dynamic.partials[0], "XFA form: its data is not read");
  RecordingOutput fixed;
  parse_pdf(simple_pdf({text_content("Ansokan om bistand")}, "", form, {packet}), "s.pdf", fixed);
  EXPECT_TRUE(fixed.partials.empty());
}

TEST(PdfParser, NumberDrawnGlyphByGlyphStaysWhole) {
  std::string content = "BT /F1 12 Tf 72 720 Td (Personnummer) Tj 90 0 Td";
  for (char c : std::string("19121212-1212")) {
    content += std::string(" (") + c + ") Tj " + (c == '-' ? "3.996" : "6.672") + " 0 Td";
  }
  content += " ET";
  RecordingOutput out;
  parse_pdf(simple_pdf({content}), "glyphs.pdf", out);
  ASSERT_NE(out.part("page 1"), nullptr);
  EXPECT_NE(out.part("page 1")->text.find("Personnummer 19121212-1212"), std::string::npos)
      << out.part("page 1")->text;
}

// Letter spacing (Tc) and bold faked by drawing every glyph twice, a hair apart: in content-stream
// order poppler gave "1 9 1 2 1 2 1 2 - 1 2 1 2" and "1 19 91 12 ..."; the layout Vakt uses keeps
// the number whole.
TEST(PdfParser, LetterSpacedAndDoubleDrawnNumbersStayWhole) {
  std::string doubled = "BT /F1 12 Tf 72 720 Td (Personnummer) Tj 90 0 Td";
  for (char c : std::string("19121212-1212")) {
    const double advance = c == '-' ? 3.996 : 6.672;
    doubled += std::string(" (") + c + ") Tj 0.4 0 Td (" + c + ") Tj " +
               std::to_string(advance - 0.4) + " 0 Td";
  }
  doubled += " ET";
  for (const std::string& content :
       {std::string("BT /F1 12 Tf 2 Tc 72 720 Td (Personnummer 19121212-1212) Tj ET"), doubled}) {
    RecordingOutput out;
    parse_pdf(simple_pdf({content}), "spaced.pdf", out);
    ASSERT_NE(out.part("page 1"), nullptr);
    EXPECT_NE(out.part("page 1")->text.find("Personnummer 19121212-1212"), std::string::npos)
        << out.part("page 1")->text;
  }
}

// Swedish writes "offentlighets- och sekretesslagen", "hälso- och sjukvård": a line that ends
// after such a hyphen must keep it (poppler's reading order joined the words into
// "offentlighetsoch", and the OSL citation was no longer found).
TEST(PdfParser, HyphenAtALineEndIsKept) {
  const std::string content =
      "BT /F1 12 Tf 72 720 Td (Omfattas av sekretess enligt 26 kap. 1 \\247 offentlighets-) Tj "
      "0 -14 Td (och sekretesslagen \\(2009:400\\).) Tj ET";
  RecordingOutput out;
  parse_pdf(simple_pdf({content}), "hyphen.pdf", out);
  ASSERT_NE(out.part("page 1"), nullptr);
  const std::string& text = out.part("page 1")->text;
  EXPECT_NE(text.find("offentlighets-"), std::string::npos) << text;
  EXPECT_NE(text.find("och sekretesslagen (2009:400)"), std::string::npos) << text;
}

TEST(PdfParser, ImageOnlyPageMakesItPartial) {
  std::string pdf = simple_pdf({text_content("Some text"), testing::kImageContent});
  RecordingOutput out;
  parse_pdf(pdf, "a.pdf", out);
  ASSERT_EQ(out.partials.size(), 1u);
  EXPECT_EQ(out.partials[0], "pages without text (image-only or blank): 1 of 2");
  EXPECT_TRUE(out.unscannables.empty());
}

TEST(PdfParser, EncryptDictionaryNeedingUserPasswordIsUnscannable) {
  // Standard handler R2 with made-up /O and /U: the empty user password does not verify.
  std::string enc = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + std::string(64, 'A') +
                    "> /U <" + std::string(64, 'B') + "> >>";
  std::string pdf = simple_pdf(
      {text_content("Secret")},
      "/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
      "", {enc});
  EXPECT_TRUE(pdf_has_encrypt_entry(pdf));
  RecordingOutput out;
  parse_pdf(pdf, "enc.pdf", out);
  ASSERT_EQ(out.unscannables.size(), 1u);
  EXPECT_EQ(out.unscannables[0], "encrypted");
  EXPECT_EQ(out.all_text().find("Secret"), std::string::npos);
}

TEST(PdfParser, EncryptDetectionIgnoresEncryptMetadataKey) {
  EXPECT_FALSE(pdf_has_encrypt_entry("<< /EncryptMetadata false >>"));
  EXPECT_FALSE(pdf_has_encrypt_entry("(talks about /Encrypt) Tj"));
  EXPECT_TRUE(pdf_has_encrypt_entry("trailer << /Encrypt 12 0 R >>"));
  EXPECT_TRUE(pdf_encrypts_only_attachments(
      "<< /Filter /Standard /V 4 /CF << /StdCF << /CFM /AESV2 >> >> /EFF /StdCF\n"
      "/StmF /Identity /StrF /Identity >>"));
  EXPECT_TRUE(pdf_encrypts_only_attachments("<</EFF/StdCF/StmF/Identity/StrF/Identity>>"));
  EXPECT_FALSE(pdf_encrypts_only_attachments("<< /EFF /StdCF /StmF /StdCF /StrF /StdCF >>"));
  EXPECT_FALSE(pdf_encrypts_only_attachments("<< /StmF /Identity /StrF /Identity >>"));
  EXPECT_FALSE(
      pdf_encrypts_only_attachments("<< /EFF /Identity /StmF /Identity /StrF /Identity >>"));
  EXPECT_TRUE(pdf_has_encrypt_entry("<< /Type /XRef /Encrypt<< /Filter /Standard >> >>"));
}

TEST(PdfParser, EmbeddedFileBecomesChild) {
  std::string data = "inner attachment text";
  std::string pdf = simple_pdf(
      {text_content("Body")}, "", "/Names << /EmbeddedFiles << /Names [(notes.txt) 6 0 R] >> >>",
      {"<< /Type /Filespec /F (notes.txt) /UF (notes.txt) /EF << /F 7 0 R >> >>",
       testing::pdf_stream("/Type /EmbeddedFile", data)});
  RecordingOutput out;
  parse_pdf(pdf, "a.pdf", out);
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].first, "notes.txt");
  EXPECT_EQ(out.children[0].second, data);
}

TEST(PdfParser, GarbageIsCorrupt) {
  RecordingOutput out;
  parse_pdf("%PDF-1.4\nthis is not a pdf at all", "bad.pdf", out);
  ASSERT_EQ(out.unscannables.size(), 1u);
  EXPECT_EQ(out.unscannables[0], "corrupt pdf");
}

TEST(PdfParser, CorpusEncryptedFilesAreUnscannable) {
  // poppler 22.12 opens these two without applying the encryption and returns garbage.
  for (const char* f : {"pdfjs/issue15893_reduced.pdf", "pdfjs/bug1782186.pdf",
                        "format-corpus/encryption_openpassword.pdf", "pdfjs/issue6010_1.pdf"}) {
    std::string bytes = corpus(f);
    if (bytes.empty()) GTEST_SKIP() << "corpus not available";
    RecordingOutput out;
    parse_pdf(bytes, f, out);
    ASSERT_EQ(out.unscannables.size(), 1u) << f;
    EXPECT_EQ(out.unscannables[0], "encrypted") << f;
  }
}

TEST(PdfParser, CorpusMicrosoftIrmWrapperIsEncrypted) {
  std::string bytes = corpus("tika/testMicrosoftIRMServices.pdf");
  if (bytes.empty()) GTEST_SKIP() << "corpus not available";
  RecordingOutput out;
  parse_pdf(bytes, "irm.pdf", out);
  ASSERT_EQ(out.unscannables.size(), 1u);
  EXPECT_EQ(out.unscannables[0], "encrypted (IRM)");
}

TEST(PdfParser, CorpusOwnerPasswordOnlyIsReadable) {
  std::string bytes = corpus("format-corpus/encryption_nocopy.pdf");
  if (bytes.empty()) GTEST_SKIP() << "corpus not available";
  RecordingOutput out;
  parse_pdf(bytes, "nocopy.pdf", out);
  EXPECT_TRUE(out.unscannables.empty());
  EXPECT_FALSE(out.parts.empty());
}

// Vakt converts poppler's UTF-16 page text to UTF-8 itself (poppler's to_utf8() goes through
// iconv): on real files in several scripts, every page's text is exactly what to_utf8() gives for
// the same (physical-layout) page text.
// Justified text in physical layout spreads a phrase's words apart; the page text has single
// spaces, so "omfattas av sekretess" is found in a justified PDF.
TEST(PdfParser, JustifiedTextHasSingleSpaces) {
  std::string content =
      "BT /F1 12 Tf 72 720 Td (Handlingen) Tj 80 0 Td (omfattas) Tj 80 0 Td (av) "
      "Tj 80 0 Td (sekretess.) Tj ET";
  RecordingOutput out;
  parse_pdf(simple_pdf({content}), "justerad.pdf", out);
  ASSERT_NE(out.part("page 1"), nullptr);
  EXPECT_NE(out.part("page 1")->text.find("Handlingen omfattas av sekretess."), std::string::npos)
      << out.part("page 1")->text;
}

TEST(PdfParser, PageTextIsPopplersOwnUtf8) {
  int compared = 0;
  std::size_t non_ascii = 0;
  for (const char* rel : {"pdfjs/90ms_rksj_h_sample.pdf", "pdfjs/ArabicCIDTrueType.pdf",
                          "pdfjs/copy_paste_ligatures.pdf", "pdfjs/bug1937438_from_word.pdf",
                          "format-corpus/lorem-ipsum.pdf"}) {
    std::string pdf = corpus(rel);
    if (pdf.empty()) continue;
    RecordingOutput out;
    parse_pdf(pdf, rel, out);
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    ASSERT_NE(doc, nullptr) << rel;
    for (int i = 0; i < doc->pages(); ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      poppler::byte_array expected =
          page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
      const auto* part = out.part("page " + std::to_string(i + 1));
      if (part == nullptr) continue;  // no visible text on the page
      // Poppler's own text, with runs of spaces collapsed (typography.h).
      EXPECT_EQ(part->text, collapse_spaces(std::string(expected.begin(), expected.end())))
          << rel << " page " << i + 1;
      for (char c : part->text) non_ascii += static_cast<unsigned char>(c) >= 0x80;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "corpus not available";
  EXPECT_GT(non_ascii, 100u) << "the sample must exercise multi-byte characters";
}

}  // namespace
}  // namespace vakt::extract

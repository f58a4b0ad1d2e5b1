#include "extract/type_detect.h"

#include <gtest/gtest.h>

#include "extract/zip_reader.h"
#include "test_support.h"

namespace vakt::extract {
namespace {

using namespace std::string_literals;
using testing::make_archive;
using testing::make_zip;
using testing::Member;

const char* kDocxTypes =
    "<?xml version=\"1.0\"?><Types><Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

TEST(TypeDetect, EmptyAndPlainText) {
  EXPECT_EQ(detect_type("", "x.txt").format, Format::kEmpty);
  auto t = detect_type("Hej Anna,\nhär är listan.\n", "brev.txt");
  EXPECT_EQ(t.format, Format::kPlainText);
  EXPECT_EQ(t.name, "text/plain");
}

TEST(TypeDetect, CsvOnlyAsATieBreakerForText) {
  EXPECT_EQ(detect_type("namn;pnr\nAnna;19990604-2388\n", "lista.csv").name, "text/csv");
  // A binary named .csv is not text.
  EXPECT_NE(detect_type(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "lista.csv").format,
            Format::kPlainText);
}

TEST(TypeDetect, ExtensionDoesNotDecide) {
  EXPECT_EQ(detect_type("just text", "rapport.docx").format, Format::kPlainText);
  EXPECT_EQ(detect_type("%PDF-1.4\n%...", "notes.txt").format, Format::kPdf);
}

// "%PDF-" past offset 0 made any container a PDF: a tar or stored zip whose first member is a PDF
// came out as that PDF alone, "scanned" and clean. A signature at offset 0 decides first, and a
// header after leading junk needs a PDF trailer too.
TEST(TypeDetect, APdfInsideAContainerDoesNotMakeItAPdf) {
  const std::string pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\nstartxref\n0\n%%EOF\n";
  EXPECT_EQ(detect_type(make_archive({{"report.pdf", pdf}, {"journal.txt", "hej"}}, "pax", "none"),
                        "docs.tar")
                .name,
            "tar");
  EXPECT_EQ(detect_type("Bilagan (%PDF-1.4) kunde inte öppnas.\nHej Anna\n", "mejl.txt").format,
            Format::kPlainText);
  EXPECT_EQ(detect_type("X-Gateway: scanned\r\n\r\n" + pdf, "a.pdf").format, Format::kPdf);
  EXPECT_EQ(detect_type("\xEF\xBB\xBF  " + pdf, "a").format, Format::kPdf);
}

TEST(TypeDetect, PdfWithoutHeaderLineByItsObjectsAndTrailer) {
  const std::string body =
      "1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
      "startxref\n0\n%%EOF\n";
  EXPECT_EQ(detect_type(body, "x").format, Format::kPdf);
  EXPECT_EQ(detect_type("%\xE2\xE3\xCF\xD3\n" + body, "x").format, Format::kPdf);
  // Text that merely mentions objects, or starts like one without a trailer, stays text.
  EXPECT_EQ(detect_type("1 0 obj är ett PDF-objekt.\nendobj avslutar det.\n", "x").format,
            Format::kPlainText);
  EXPECT_EQ(detect_type("Rad 1 0 obj\nendobj\nstartxref\n", "x").format, Format::kPlainText);
}

// StarOffice 6 files and damaged ODF packages have no `mimetype` member: the manifest says what
// they are, and they go to the ODF extractor (runs joined), not to the raw-zip path.
TEST(TypeDetect, OdfWithoutMimetypeByItsManifest) {
  const std::string manifest =
      R"(<manifest:manifest><manifest:file-entry manifest:media-type="application/vnd.sun.xml.writer" manifest:full-path="/"/></manifest:manifest>)";
  const std::string sxw = testing::make_zip(
      {{"content.xml",
        "<office:document-content><office:body><text:p>19121212<text:span>-1212</text:span>"
        "</text:p></office:body></office:document-content>"},
       {"META-INF/manifest.xml", manifest}});
  const DetectedType t = detect_type(sxw, "gammal.sxw");
  EXPECT_EQ(t.format, Format::kOdf);
  EXPECT_EQ(t.name, "sxw");
  auto out = testing::extract_bytes(sxw, "gammal.sxw");
  EXPECT_NE(out.sink.all().find("19121212-1212"), std::string::npos) << out.sink.all();
}

TEST(TypeDetect, Signatures) {
  EXPECT_EQ(detect_type(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12), "a").format,
            Format::kOle2);
  EXPECT_EQ(detect_type("{\\rtf1\\ansi hej}", "a").format, Format::kRtf);
  EXPECT_EQ(detect_type(make_archive({{"a.txt", "hej"}}, "raw", "gzip"), "a.gz").name, "gzip");
  EXPECT_EQ(detect_type(make_archive({{"a.txt", "hej"}}, "pax", "none"), "a").name, "tar");
  EXPECT_EQ(detect_type(make_archive({{"a.txt", "hej"}}, "pax", "bzip2"), "a").name, "bzip2");
  EXPECT_EQ(detect_type(make_archive({{"a.txt", "hej"}}, "pax", "xz"), "a").name, "xz");
  EXPECT_EQ(detect_type(make_archive({{"a.txt", "hej"}}, "7zip", "none"), "a").name, "7z");
}

TEST(TypeDetect, EncryptedMessages) {
  using namespace std::string_view_literals;
  // Old-format tag 1 (public-key encrypted session key), 2-byte length 12, version 3.
  std::string pgp = "\x85\x00\x0C\x03"s + std::string(12, '\x01');
  EXPECT_EQ(detect_type(pgp, "x.gpg").format, Format::kEncrypted);
  EXPECT_EQ(detect_type(pgp, "x.gpg").name, "pgp-encrypted");
  // New-format tag 3 (symmetric-key session key), length 13, version 4.
  std::string skesk = "\xC3\x0D\x04"s + std::string(14, '\x02');
  EXPECT_EQ(detect_type(skesk, "x.gpg").name, "pgp-encrypted");
  // A wrong version byte or a length past the end is not PGP.
  EXPECT_NE(detect_type("\x85\x00\x0C\x09"s + std::string(12, '\x01'), "x").format,
            Format::kEncrypted);
  EXPECT_NE(detect_type("\x85\x10\x0C\x03"s + std::string(12, '\x01'), "x").format,
            Format::kEncrypted);
  EXPECT_EQ(detect_type("\n-----BEGIN PGP MESSAGE-----\n\nhQIMA\n", "a.txt").name, "pgp-encrypted");
  EXPECT_EQ(detect_type("-----BEGIN PGP SIGNED MESSAGE-----\nHej\n", "a.txt").format,
            Format::kPlainText);
  const std::string cms = "\x30\x82\x01\x5A\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x03\xA0\x82"s +
                          std::string(20, '\x00');
  EXPECT_EQ(detect_type(cms, "x.p7m").name, "smime-encrypted");
  // Signed data (…7.2) is not encrypted: its content is readable.
  std::string signed_data = cms;
  signed_data[14] = '\x02';
  EXPECT_NE(detect_type(signed_data, "x.p7m").format, Format::kEncrypted);
}

TEST(TypeDetect, ZipKinds) {
  EXPECT_EQ(
      detect_type(make_zip({{"[Content_Types].xml", kDocxTypes}, {"word/document.xml", "<w/>"}}),
                  "x.zip")
          .format,
      Format::kDocx);
  // No content type match: the main folder decides.
  EXPECT_EQ(
      detect_type(make_zip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<w/>"}}), "x")
          .format,
      Format::kXlsx);
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", "presentationml"}}), "x").format,
            Format::kPptx);
  auto odt = detect_type(
      make_zip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<a/>"}}),
      "x");
  EXPECT_EQ(odt.format, Format::kOdf);
  EXPECT_EQ(odt.name, "odt");
  EXPECT_EQ(detect_type(make_zip({{"mimetype", "application/epub+zip"}}), "x").name, "epub");
  EXPECT_EQ(detect_type(make_zip({{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}}), "x").name,
            "jar");
  // A workbook that embeds a Word document and a deck that embeds a workbook: the content types
  // list the embedded kinds too (first, here); the main part decides.
  const std::string workbook_types =
      R"(<Types><Default Extension="docx" ContentType="application/)"
      R"(vnd.openxmlformats-officedocument.wordprocessingml.document"/>)"
      R"(<Override PartName="/xl/workbook.xml" ContentType="application/)"
      R"(vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", workbook_types}}), "x").format,
            Format::kXlsx);
  const std::string deck_types =
      R"(<Types><Default Extension="xlsx" ContentType='application/)"
      R"(vnd.openxmlformats-officedocument.spreadsheetml.sheet'/>)"
      R"(<Override PartName="/ppt/presentation.xml" ContentType='application/)"
      R"(vnd.ms-powerpoint.presentation.macroEnabled.main+xml'/></Types>)";
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", deck_types}}), "x").format,
            Format::kPptx);
  // Cut before the central directory (a truncated download): still a docx, read from the local
  // headers; a plain zip cut the same way stays a zip.
  std::string docx = make_zip({{"[Content_Types].xml", kDocxTypes}, {"word/document.xml", "<w/>"}});
  docx.resize(docx.find("PK\x01\x02"));
  auto truncated = detect_type(docx, "x");
  EXPECT_EQ(truncated.format, Format::kDocx);
  ASSERT_NE(truncated.zip, nullptr);
  EXPECT_TRUE(truncated.zip->salvaged());
  std::string cut_zip = make_zip({{"a.txt", "hej"}});
  cut_zip.resize(cut_zip.find("PK\x01\x02"));
  EXPECT_EQ(detect_type(cut_zip, "x").format, Format::kZip);
  auto plain = detect_type(make_zip({{"a.txt", "hej"}}), "x.docx");
  EXPECT_EQ(plain.format, Format::kZip);
  EXPECT_EQ(plain.name, "zip");
}

TEST(TypeDetect, MailAndMbox) {
  const std::string eml =
      "Return-Path: <a@example.se>\r\nFrom: Anna <a@example.se>\r\nTo: b@example.se\r\n"
      "Subject: Hej\r\n  fortsättning\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n\r\nBody\r\n";
  EXPECT_EQ(detect_type(eml, "x").format, Format::kEml);
  EXPECT_EQ(detect_type("From a@example.se Mon Mar  2 10:00:00 2026\n" + eml, "x").format,
            Format::kMbox);
  // One header-looking line is not a mail.
  EXPECT_EQ(detect_type("Subject: anteckningar\n\nbla", "x").format, Format::kPlainText);
}

TEST(TypeDetect, MarkupKinds) {
  EXPECT_EQ(detect_type("<!DOCTYPE html><html><body>x</body></html>", "a").format, Format::kHtml);
  EXPECT_EQ(detect_type("<p>Hej</p><br>", "a").format, Format::kHtml);
  EXPECT_EQ(detect_type("<?xml version=\"1.0\"?><root><a>1</a></root>", "a").format, Format::kXml);
  auto fodt = detect_type(
      "<?xml version=\"1.0\"?><office:document xmlns:office=\"urn:oasis:names:tc:opendocument:"
      "xmlns:office:1.0\" office:mimetype=\"application/vnd.oasis.opendocument.text\">"
      "</office:document>",
      "a");
  EXPECT_EQ(fodt.format, Format::kFlatOdf);
  EXPECT_EQ(fodt.name, "fodt");
}

TEST(TypeDetect, Utf16TextAndHtml) {
  auto le = [](std::string_view s) {
    std::string out = "\xFF\xFE";
    for (char c : s) {
      out += c;
      out += '\0';
    }
    return out;
  };
  EXPECT_EQ(detect_type(le("hej hopp 19121212-1212"), "a").format, Format::kPlainText);
  EXPECT_EQ(detect_type(le("<html><body>hej</body></html>"), "a").format, Format::kHtml);
  EXPECT_EQ(detect_type(le("utan bom").substr(2), "a").format, Format::kPlainText);
}

TEST(TypeDetect, EmlxAndSingleHeaderEml) {
  EXPECT_EQ(detect_type("1795\nFrom: a@b.se\nTo: c@d.se\n\nhej\n", "1.emlx").name, "emlx");
  EXPECT_EQ(detect_type("12 \nhej hopp\n", "a.txt").name, "text/plain");
  // One known header is mail only when the name says .eml (tie-breaker, as for csv).
  EXPECT_EQ(detect_type("Subject: =?NONE?B?VEVTVA=?=\r\n\r\nTEST\r\n", "x.eml").name, "eml");
  EXPECT_EQ(detect_type("Subject: hej\n\nTEST\n", "x.txt").name, "text/plain");
}

TEST(TypeDetect, ImagesByMagicNotByName) {
  static constexpr char kPng[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  const std::string png(kPng, sizeof kPng - 1);
  auto t = detect_type(png, "bild.txt");
  EXPECT_EQ(t.format, Format::kImage);
  EXPECT_EQ(t.name, "image/png");
  EXPECT_EQ(detect_type("\xFF\xD8\xFF\xE1"
                        "Exif",
                        "a")
                .name,
            "image/jpeg");
  EXPECT_EQ(detect_type("GIF89a\x01\0\x01\0", "a").name, "image/gif");
  EXPECT_EQ(detect_type(std::string("II*\0\x08\0\0\0", 8), "a").name, "image/tiff");
  EXPECT_NE(detect_type("BMW i3 is a car, not a bitmap image file at all.", "a").format,
            Format::kImage);
}

}  // namespace
}  // namespace vakt::extract

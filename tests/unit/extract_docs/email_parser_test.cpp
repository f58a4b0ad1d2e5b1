// E-mail and mbox: header decoding, MIME structure, transfer encodings, charsets, attachments,
// nested messages and encrypted content — on messages written here and corpus files.
#include "extract/email_parser.h"

#include <gtest/gtest.h>

#include <chrono>

#include "corpus.h"
#include "extract/mime_decode.h"
#include "extract/mime_html.h"
#include "recording_output.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;

RecordingOutput parse(std::string_view mail) {
  RecordingOutput out;
  parse_eml(mail, "mail.eml", out);
  return out;
}

TEST(MimeDecode, EncodedWordsBase64AndQuotedPrintable) {
  EXPECT_EQ(decode_rfc2047("=?utf-8?B?w6RwcGxl?="), "\xC3\xA4pple");
  EXPECT_EQ(decode_rfc2047("=?iso-8859-1?Q?J=F6rgen_Str=F6m?="), "J\xC3\xB6rgen Str\xC3\xB6m");
  // Whitespace between adjacent encoded words disappears; around plain text it stays.
  EXPECT_EQ(decode_rfc2047("=?utf-8?Q?a?= =?utf-8?Q?b?= c"), "ab c");
  EXPECT_EQ(decode_rfc2047("Re: =?windows-1252?Q?=93hej=94?="), "Re: \xE2\x80\x9Chej\xE2\x80\x9D");
  EXPECT_EQ(decode_rfc2047("=?bogus"), "=?bogus");
  EXPECT_EQ(decode_quoted_printable("Sm=C3=A5=\r\nland=3D"), "Sm\xC3\xA5land=");
  EXPECT_EQ(decode_base64("aGVq\r\nIGTDpQ=="), "hej d\xC3\xA5");
}

TEST(MimeDecode, PathologicalHeadersAndHtmlStayLinear) {
  std::string words;
  for (int i = 0; i < 200000; ++i) words += "=?a?bx";  // starts of encoded words, never closed
  std::string amps(1 << 21, '&');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(decode_rfc2047(words).empty());
  EXPECT_EQ(html_to_text(amps).size(), amps.size());
  // Quadratic behaviour would take hours here; linear is well under a second (20 s leaves room
  // for sanitizer builds on a loaded machine).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(MimeDecode, Rfc2231ParametersAndQuoting) {
  ContentType ct = parse_content_type(
      "attachment; filename*0*=utf-8''l%C3%B6ne; filename*1=\"lista.xlsx\"; size=12");
  EXPECT_EQ(ct.type, "attachment");
  EXPECT_EQ(ct.param("filename"), "l\xC3\xB6nelista.xlsx");
  ContentType t =
      parse_content_type("Text/Plain; CHARSET=\"ISO-8859-1\"; name=\"a \\\"b\\\".txt\"");
  EXPECT_EQ(t.type, "text/plain");
  EXPECT_EQ(t.param("charset"), "ISO-8859-1");
  EXPECT_EQ(t.param("name"), "a \"b\".txt");
}

TEST(EmailParser, HeadersAreUnfoldedAndDecoded) {
  auto out = parse(
      "From: =?utf-8?Q?Anna_=C3=85berg?= <anna@example.se>\r\n"
      "To: Bo <bo@example.se>,\r\n  Cilla <cilla@example.se>\r\n"
      "Subject: =?iso-8859-1?B?UGVyc29ubnVtbWVyIOVy?=\r\n"
      "\r\nHej!\r\n");
  ASSERT_NE(out.part("headers"), nullptr);
  const std::string& h = out.part("headers")->text;
  EXPECT_NE(h.find("From: Anna \xC3\x85"
                   "berg <anna@example.se>"),
            std::string::npos);
  EXPECT_NE(h.find("To: Bo <bo@example.se>, Cilla <cilla@example.se>"), std::string::npos);
  EXPECT_NE(h.find("Subject: Personnummer \xC3\xA5r"), std::string::npos);
  ASSERT_NE(out.part("body"), nullptr);
  EXPECT_EQ(out.part("body")->text, "Hej!\r\n");
}

constexpr const char* kMultipart =
    "Subject: test\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "preamble\n"
    "--outer\n"
    "Content-Type: multipart/alternative; boundary=\"outer-alt\"\n"
    "\n"
    "--outer-alt\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "V=E4nliga h=E4lsningar 19990604-2388\n"
    "--outer-alt\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>HTML copy</p>\n"
    "--outer-alt--\n"
    "--outer\n"
    "Content-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename=\"=?utf-8?Q?bil=C3=A4ga.txt?=\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "aW5uZWjDpWxs\n"
    "--outer\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Subject: inner\n"
    "Content-Type: text/html\n"
    "\n"
    "<html><head><style>p{}</style><script>var x='hidden';</script></head>"
    "<body><p>Inre &amp; viktigt &#228;r&nbsp;h&auml;r</p></body></html>\n"
    "--outer--\n"
    "epilogue\n";

TEST(EmailParser, MultipartNestedAlternativeAttachmentAndMessage) {
  auto out = parse(kMultipart);
  ASSERT_NE(out.part("body"), nullptr);
  EXPECT_NE(out.part("body")->text.find("V\xC3\xA4nliga h\xC3\xA4lsningar 19990604-2388"),
            std::string::npos);
  // The HTML alternative is read too (it may differ from the plain one).
  EXPECT_NE(out.all_text().find("HTML copy"), std::string::npos);
  EXPECT_EQ(out.all_text().find("preamble"), std::string::npos);
  EXPECT_EQ(out.all_text().find("epilogue"), std::string::npos);
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].first, "bil\xC3\xA4ga.txt");
  EXPECT_EQ(out.children[0].second, "innehåll");
  ASSERT_NE(out.part("message 1/headers"), nullptr);
  EXPECT_NE(out.part("message 1/headers")->text.find("Subject: inner"), std::string::npos);
  ASSERT_NE(out.part("message 1/body"), nullptr);
  const std::string& inner = out.part("message 1/body")->text;
  EXPECT_NE(inner.find("Inre & viktigt \xC3\xA4r h\xC3\xA4r"), std::string::npos);
  EXPECT_EQ(inner.find("hidden"), std::string::npos);
  EXPECT_TRUE(out.partials.empty());
}

// M3: a stub text/plain alternative must not hide the HTML one.
TEST(EmailParser, HtmlAlternativeIsReadEvenWithAPlainSibling) {
  auto out = parse(
      "Subject: s\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=alt\n\n"
      "--alt\nContent-Type: text/plain\n\nSe HTML-versionen.\n"
      "--alt\nContent-Type: text/html\n\n<p>Elevens personnummer 19121212-1212</p>\n"
      "--alt--\n");
  EXPECT_NE(out.all_text().find("Se HTML-versionen."), std::string::npos);
  EXPECT_NE(out.all_text().find("Elevens personnummer 19121212-1212"), std::string::npos);
  EXPECT_TRUE(out.partials.empty());
}

TEST(EmailParser, EncryptedContentIsPartial) {
  auto pgp =
      parse("Subject: s\n\n-----BEGIN PGP MESSAGE-----\nhQEMA...\n-----END PGP MESSAGE-----\n");
  ASSERT_EQ(pgp.partials.size(), 1u);
  EXPECT_EQ(pgp.partials[0], "encrypted content: PGP");

  auto smime = parse(
      "Subject: s\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; "
      "name=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\n");
  ASSERT_EQ(smime.partials.size(), 1u);
  EXPECT_EQ(smime.partials[0], "encrypted content: S/MIME");
  EXPECT_TRUE(smime.children.empty());

  auto pgpmime = parse(
      "Subject: s\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
      "boundary=b\n\n--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b\n"
      "Content-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n--b--\n");
  ASSERT_EQ(pgpmime.partials.size(), 1u);
  EXPECT_EQ(pgpmime.partials[0], "encrypted content: PGP");
}

// A transfer encoding Vakt cannot decode is passed through but never reported as fully read; a
// comment or parameter after a known one still names it.
TEST(EmailParser, UnknownTransferEncodingIsPartial) {
  auto gz = parse(
      "Subject: s\nContent-Type: text/plain\nContent-Transfer-Encoding: x-gzip64\n\n"
      "H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==\n");
  ASSERT_EQ(gz.partials.size(), 1u);
  EXPECT_EQ(gz.partials[0], "email: unknown transfer encoding x-gzip64");

  auto commented = parse(
      "Subject: s\nContent-Type: text/plain\nContent-Transfer-Encoding: BASE64 (encoded by x)\n\n"
      "aGVqIGTDpQ==\n");
  EXPECT_TRUE(commented.partials.empty());
  // Misspellings readers accept (the mail gem's corpus has both) are not unknown.
  for (const char* cte : {"7-bit", "8bits"}) {
    auto odd = parse(std::string("Subject: s\nContent-Transfer-Encoding: ") + cte + "\n\nhej\n");
    EXPECT_TRUE(odd.partials.empty()) << cte;
  }
  EXPECT_NE(commented.all_text().find("hej d\xC3\xA5"), std::string::npos);
}

TEST(EmailParser, MissingBoundaryAndGarbageDoNotCrash) {
  auto out = parse("Content-Type: multipart/mixed; boundary=zzz\n\nno parts here\n");
  EXPECT_FALSE(out.partials.empty());
  EXPECT_NE(out.all_text().find("no parts here"), std::string::npos);
  std::string garbage(5000, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 131 % 251);
  parse(garbage);
  // Deep nesting: 100 levels of multipart, each a boundary of its own.
  std::string deep;
  for (int i = 0; i < 100; ++i) {
    deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
            std::to_string(i) + "\n";
  }
  deep += "\nleaf text\n";
  auto d = parse(deep);
  EXPECT_FALSE(d.partials.empty());  // "email: MIME nesting too deep"
}

TEST(EmailParser, MboxSplitsMessages) {
  RecordingOutput out;
  parse_mbox(
      "From alice@example.se Mon Jan  1 00:00:00 2024\nSubject: first\n\nbody one\nFrom here on "
      "it is not a separator\n\nFrom bob@example.se Mon Jan  1 00:00:01 2024\nSubject: second\n\n"
      "body two\n",
      "box.mbox", out);
  ASSERT_NE(out.part("message 1/headers"), nullptr);
  EXPECT_NE(out.part("message 1/headers")->text.find("Subject: first"), std::string::npos);
  ASSERT_NE(out.part("message 1/body"), nullptr);
  EXPECT_NE(out.part("message 1/body")->text.find("From here on"), std::string::npos);
  ASSERT_NE(out.part("message 2/body"), nullptr);
  EXPECT_NE(out.part("message 2/body")->text.find("body two"), std::string::npos);
}

TEST(EmailParser, CorpusMessages) {
  std::string i18n = testing::read_corpus("tika/testRFC822_i18nheaders");
  if (i18n.empty()) GTEST_SKIP() << "corpus not available";
  auto a = parse(i18n);
  ASSERT_NE(a.part("headers"), nullptr);
  EXPECT_EQ(a.part("headers")->text.find("=?"), std::string::npos);

  RecordingOutput box;
  parse_mbox(testing::read_corpus("tika/complex.mbox"), "complex.mbox", box);
  EXPECT_NE(box.part("message 3/headers"), nullptr);

  auto pdf = parse(testing::read_corpus("tika/test-incremental-updates.eml"));
  ASSERT_EQ(pdf.children.size(), 1u);
  EXPECT_EQ(pdf.children[0].second.substr(0, 5), "%PDF-");

  auto fwd = parse(testing::read_corpus("mikel-mail/attachment_message_rfc822.eml"));
  EXPECT_NE(fwd.part("ForwardedMessage.eml/headers"), nullptr);
}

}  // namespace
}  // namespace vakt::extract

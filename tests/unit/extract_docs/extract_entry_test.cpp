// The five entries (extract_pdf/ole2/rtf/eml/mbox) through the real dispatcher and Context:
// isolation on and off, outcomes and reasons on the Context, children re-entering the dispatcher
// (a PDF inside an Outlook message inside a forked OLE2 parser).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "corpus.h"
#include "extract/dispatcher.h"
#include "extract/formats.h"
#include "extract/isolation.h"
#include "pdf_builder.h"

namespace vakt::extract {
namespace {

using namespace std::chrono_literals;

class Sink final : public TextSink {
 public:
  void begin_part(std::string_view name) override {
    names.emplace_back(name);
    all += "\n[" + std::string(name) + "]\n";
  }
  void text(std::string_view utf8) override { all.append(utf8); }
  void end_part() override {}
  std::vector<std::string> names;
  std::string all;
};

struct Result {
  Sink sink;
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;
};

Result run(std::string_view bytes, const std::string& name, bool isolate, Limits limits = {}) {
  Result r;
  Context ctx(r.sink, limits, isolate);
  dispatch(Input{bytes, name, nullptr, {}}, ctx);
  r.status = ctx.status();
  r.reason = ctx.reason();
  return r;
}

TEST(ExtractEntries, PdfIsolatedAndInProcessGiveTheSameText) {
  std::string pdf = testing::simple_pdf({testing::text_content("Hello Vakt")});
  for (bool isolate : {true, false}) {
    Result r = run(pdf, "a.pdf", isolate);
    EXPECT_EQ(r.status, ScanStatus::kScanned) << r.reason;
    EXPECT_NE(r.sink.all.find("Hello Vakt"), std::string::npos);
  }
}

// A PDF whose "%PDF-" header line was cut off still opens in readers (from its trailer): it is
// read as a PDF, not as plain text with the text of its (here hex-coded) strings unseen.
TEST(ExtractEntries, PdfWithoutItsHeaderLineIsStillAPdf) {
  const std::string pdf = testing::simple_pdf({testing::text_content("Hello Vakt")});
  const std::string headless = pdf.substr(pdf.find('\n') + 1);
  ASSERT_EQ(headless.find("%PDF-"), std::string::npos);
  Result r = run(headless, "utan-huvud.pdf", true);
  EXPECT_NE(r.sink.all.find("Hello Vakt"), std::string::npos) << r.reason;
}

TEST(ExtractEntries, EncryptedPdfIsUnscannable) {
  std::string enc = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + std::string(64, 'A') +
                    "> /U <" + std::string(64, 'B') + "> >>";
  std::string pdf = testing::simple_pdf(
      {testing::text_content("Secret")},
      "/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
      "", {enc});
  Result r = run(pdf, "enc.pdf", true);
  EXPECT_EQ(r.status, ScanStatus::kUnscannable);
  EXPECT_EQ(r.reason, "encrypted");
}

TEST(ExtractEntries, PdfAttachmentReentersTheDispatcher) {
  std::string pdf = testing::simple_pdf(
      {testing::text_content("Body")}, "",
      "/Names << /EmbeddedFiles << /Names [(notes.txt) 6 0 R] >> >>",
      {"<< /Type /Filespec /F (notes.txt) /EF << /F 7 0 R >> >>",
       testing::pdf_stream("/Type /EmbeddedFile", "attached text 19121212-1212\n")});
  Result r = run(pdf, "a.pdf", true);
  EXPECT_EQ(r.status, ScanStatus::kScanned) << r.reason;
  EXPECT_NE(r.sink.all.find("attached text 19121212-1212"), std::string::npos);
}

void crashing_parser(std::string_view, std::string_view, DocOutput&) {
#ifdef _WIN32
  volatile int* nowhere = nullptr;
  *nowhere = 1;  // an access violation (raise(SIGSEGV) would only be a CRT exit code there)
#else
  // A delivered SIGSEGV rather than a real fault: AddressSanitizer's SEGV handler would turn a
  // real fault into a report and exit(1), which is not the crash this test is about.
  std::raise(SIGSEGV);
#endif
}
void hanging_parser(std::string_view, std::string_view, DocOutput&) {
  std::this_thread::sleep_for(30s);
}

TEST(ExtractEntries, CrashAndHangBecomeUnscannableWithReason) {
  Sink sink;
  Limits limits;
  Context crash_ctx(sink, limits, true);
  run_parser(Input{"x", "x.pdf", nullptr, {}}, crash_ctx, crashing_parser);
  EXPECT_EQ(crash_ctx.status(), ScanStatus::kUnscannable);
  EXPECT_TRUE(crash_ctx.reason() == "parser crashed: signal 11" ||           // Linux
              crash_ctx.reason() == "parser crashed: exception 0xc0000005")  // Windows
      << crash_ctx.reason();

  limits.max_time = 400ms;
  Context hang_ctx(sink, limits, true);
  auto start = std::chrono::steady_clock::now();
  run_parser(Input{"x", "x.pdf", nullptr, {}}, hang_ctx, hanging_parser);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(hang_ctx.status(), ScanStatus::kUnscannable);
  EXPECT_NE(hang_ctx.reason().find("parser time limit"), std::string::npos) << hang_ctx.reason();
}

TEST(ExtractEntries, MailWithAttachmentAndRtf) {
  Result mail =
      run("From: a@example.se\nSubject: hej\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
          "Content-Type: text/plain\n\nbody text\n--b\nContent-Type: text/plain\n"
          "Content-Disposition: attachment; filename=bilaga.txt\n\nattachment text\n--b--\n",
          "mail.eml", true);
  EXPECT_EQ(mail.status, ScanStatus::kScanned) << mail.reason;
  EXPECT_NE(mail.sink.all.find("body text"), std::string::npos);
  EXPECT_NE(mail.sink.all.find("attachment text"), std::string::npos);

  Result rtf = run("{\\rtf1\\ansi Hej v\\'e4rlden}", "a.rtf", true);
  EXPECT_EQ(rtf.status, ScanStatus::kScanned) << rtf.reason;
  EXPECT_NE(rtf.sink.all.find("Hej v\xC3\xA4rlden"), std::string::npos);
}

TEST(ExtractEntries, CorpusMsgWithPdfAttachmentThroughTwoIsolatedParsers) {
  std::string msg = testing::read_corpus("poi/attachment_msg_pdf.msg");
  if (msg.empty()) GTEST_SKIP() << "corpus not available";
  Result r = run(msg, "attachment_msg_pdf.msg", true);
  EXPECT_NE(r.status, ScanStatus::kUnscannable) << r.reason;
  bool pdf_part = false;
  for (const auto& n : r.sink.names)
    pdf_part = pdf_part || n.find("KdcPjl.pdf") != std::string::npos;
  EXPECT_TRUE(pdf_part);
}

TEST(ExtractEntries, CorpusEncryptedOfficeFilesAreUnscannable) {
  for (const char* f : {"poi/password.xls", "poi/PasswordProtected.doc",
                        "poi/Password_Protected-hello.ppt", "poi/protected_passtika.xlsb"}) {
    std::string bytes = testing::read_corpus(f);
    if (bytes.empty()) GTEST_SKIP() << "corpus not available";
    Result r = run(bytes, f, true);
    EXPECT_EQ(r.status, ScanStatus::kUnscannable) << f;
    EXPECT_EQ(r.reason.rfind("encrypted", 0), 0u) << f << ": " << r.reason;
  }
}

}  // namespace
}  // namespace vakt::extract

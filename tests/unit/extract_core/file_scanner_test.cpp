// FileScanner end to end with the real engine: open → name → dispatch → match → ScanResult.
#include "vakt/scanner/file_scanner.h"

#include <gtest/gtest.h>

#include <chrono>

#include "extract/member_buffer.h"
#include "test_support.h"
#include "unit/engine/test_rules.h"
#include "vakt/scanner/sha256.h"

namespace vakt {
namespace {

using extract::testing::make_zip;
using extract::testing::TempDir;

class FileScannerTest : public ::testing::Test {
 protected:
  FileScannerTest() : engine_(test::test_engine(rules_dir_)), scanner_(engine_) {}
  test::TempDir rules_dir_;
  std::shared_ptr<const Engine> engine_;
  FileScanner scanner_;
  TempDir files_;
};

TEST_F(FileScannerTest, PlainTextFileWithPersonnummer) {
  const auto p = files_.write("brev.txt", "Hej!\nPersonnummer: 19990604-2388\n");
  ScanResult r = scanner_.scan_file(p);
  EXPECT_EQ(r.status, ScanStatus::kScanned) << r.reason;
  EXPECT_EQ(r.type, "text/plain");
  EXPECT_EQ(r.path, p.string());
  EXPECT_EQ(r.size, 33u);
  EXPECT_EQ(r.info_class, 2);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].part, "");
  EXPECT_EQ(r.findings[0].masked.find("2388"), std::string::npos);  // masked, never clear text
  EXPECT_GT(r.text_bytes, 0u);
  EXPECT_GE(r.seconds, 0.0);
}

TEST_F(FileScannerTest, Cp1252AndUtf16FilesAreDecodedBeforeMatching) {
  const auto cp = files_.write("gammal.txt", "P\xE5 personnummer 19121212-1212 \xE4r det.");
  EXPECT_EQ(scanner_.scan_file(cp).findings.size(), 1u);
  std::string le = "\xFF\xFE";
  for (char c : std::string("pnr 640823-3234")) {
    le += c;
    le += '\0';
  }
  EXPECT_EQ(scanner_.scan_file(files_.write("utf16.txt", le)).findings.size(), 1u);
}

// D1: encrypted mail bodies have no readable text; "printable text only" (partial) understated it.
TEST_F(FileScannerTest, PgpAndSmimeEncryptedFilesAreUnscannable) {
  const std::string corpus = "/work/shared/corpus/realworld/tika/";
  const auto pgp = std::filesystem::path(corpus + "testPGPEncrypted.gpg");
  const auto p7m = std::filesystem::path(corpus + "testPKCS7_enveloped_def.p7m");
  if (!std::filesystem::exists(pgp) || !std::filesystem::exists(p7m)) GTEST_SKIP() << "no corpus";
  ScanResult r = scanner_.scan_file(pgp);
  EXPECT_EQ(r.status, ScanStatus::kUnscannable);
  EXPECT_EQ(r.reason, "encrypted (PGP)");
  r = scanner_.scan_file(p7m);
  EXPECT_EQ(r.status, ScanStatus::kUnscannable);
  EXPECT_EQ(r.reason, "encrypted (S/MIME)");
  const auto armored =
      files_.write("brev.asc", "-----BEGIN PGP MESSAGE-----\n\nhQIMA1uAKAIbqa2zAQ/+KSW5SPRyjj0N\n");
  r = scanner_.scan_file(armored);
  EXPECT_EQ(r.status, ScanStatus::kUnscannable);
  EXPECT_EQ(r.reason, "encrypted (PGP)");
}

// D1: Apple Mail .emlx (byte count line, message, plist) was taken for plain text.
TEST_F(FileScannerTest, EmlxIsReadAsMail) {
  const std::string message =
      "From: a@example.se\nTo: b@example.se\nSubject: =?utf-8?Q?L=C3=B6n?=\n\n"
      "Personnummer 19121212-1212\n";
  const std::string emlx = std::to_string(message.size()) + "\n" + message +
                           "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>\n";
  ScanResult r = scanner_.scan_file(files_.write("1234.emlx", emlx));
  EXPECT_EQ(r.type, "emlx");
  EXPECT_EQ(r.status, ScanStatus::kScanned) << r.reason;
  EXPECT_EQ(r.findings.size(), 1u);
}

// H6: the result names the exact bytes scanned, so the agent need not hash the file again.
TEST_F(FileScannerTest, ResultCarriesSha256OfTheScannedBytes) {
  ScanResult r = scanner_.scan_file(files_.write("abc.txt", "abc"));
  EXPECT_EQ(r.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(FileScannerTest, FileNameIsScannedAsItsOwnPart) {
  const auto p = files_.write("pnr 19990604-2388.txt", "inget här");
  ScanResult r = scanner_.scan_file(p);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].part, "(filename)");

  FileScanOptions no_name;
  no_name.scan_file_name = false;
  FileScanner quiet(engine_, no_name);
  EXPECT_TRUE(quiet.scan_file(p).findings.empty());
}

TEST_F(FileScannerTest, FindingsInZipMembersNameTheMember) {
  const auto p = files_.write(
      "paket.zip", make_zip({{"mapp/lista.txt", "personnummer 19121212-1212"}, {"b.txt", "x"}}));
  ScanResult r = scanner_.scan_file(p);
  EXPECT_EQ(r.status, ScanStatus::kScanned) << r.reason;
  EXPECT_EQ(r.type, "zip");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].part, "mapp/lista.txt");
}

TEST_F(FileScannerTest, UnreadableInputsAreNeverClean) {
  ScanResult missing = scanner_.scan_file(files_.path() / "finns-inte.txt");
  EXPECT_EQ(missing.status, ScanStatus::kError);
  EXPECT_EQ(missing.reason, "not found");

  ScanResult dir = scanner_.scan_file(files_.path());
  EXPECT_EQ(dir.status, ScanStatus::kError);
  EXPECT_EQ(dir.reason, "is a directory");

  ScanResult enc =
      scanner_.scan_file(files_.write("k.zip", make_zip({{"a.txt", "19121212-1212", true}})));
  EXPECT_EQ(enc.status, ScanStatus::kUnscannable);
  EXPECT_NE(enc.reason.find("encrypted"), std::string::npos);
}

TEST_F(FileScannerTest, TooLargeIsUnscannable) {
  test::TempDir dir;
  test::TempDir rules;
  for (const auto& [name, text] : std::map<std::string, std::string>{
           {"policy.yaml", test::kTestPolicy}, {"test.yaml", test::kTestRules}}) {
    rules.write(name, text);
  }
  EngineOptions o;
  o.rules_dir = rules.path();
  o.limits.max_file_bytes = 10;
  auto engine = Engine::load(o);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  FileScanner small(engine.value());
  ScanResult r = small.scan_file(files_.write("stor.txt", std::string(100, 'x')));
  EXPECT_EQ(r.status, ScanStatus::kUnscannable);
  EXPECT_EQ(r.reason, "too large: 100 bytes (max_file_bytes 10)");
  EXPECT_EQ(r.size, 100u);
}

TEST_F(FileScannerTest, NoTextFromANonTextTypeIsPartial) {
  ScanResult r = scanner_.scan_file(files_.write("tom.zip", make_zip({{"tom.txt", ""}})));
  EXPECT_EQ(r.status, ScanStatus::kPartial);
  EXPECT_EQ(r.reason, "no text extracted");
  ScanResult empty = scanner_.scan_file(files_.write("tom.txt", ""));
  EXPECT_EQ(empty.status, ScanStatus::kScanned);
  EXPECT_EQ(empty.type, "empty");
}

TEST_F(FileScannerTest, UnknownBinaryIsPartialNeverFullCoverage) {
  std::string bin(
      "\x7F"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
      16);
  bin += "pnr 19990604-2388";
  bin += std::string(64, '\0');
  ScanResult r = scanner_.scan_file(files_.write("prog", bin));
  EXPECT_EQ(r.status, ScanStatus::kPartial);
  EXPECT_NE(r.reason.find("printable text only"), std::string::npos) << r.reason;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST_F(FileScannerTest, ScanBufferAndScannerReuse) {
  ScanResult a = scanner_.scan_buffer("pnr 19990604-2388", "a.txt");
  EXPECT_EQ(a.findings.size(), 1u);
  ScanResult b = scanner_.scan_buffer("inget", "b.txt");
  EXPECT_TRUE(b.findings.empty());  // nothing carried over from the previous document
  EXPECT_EQ(b.info_class, 0);
}

// Plain text past the in-memory snapshot size is read in pieces, not copied to a temporary file:
// identity numbers at the start, across a 1 MiB read boundary and at the end are all found, with
// the lines and offsets the in-memory path gives, and the hash is the whole file's.
TEST_F(FileScannerTest, LargeTextFileIsReadInPiecesWithTheSameFindings) {
  const std::string line = "Vanlig text om förskolan och åtgärder, utan nummer.\n";
  std::string content = "Personnummer 19990604-2388\n";
  while (content.size() < (1u << 20) - 8) content += line;
  content.resize((1u << 20) - 8);
  content += "\nnr 19121212-1212 över gränsen\n";
  while (content.size() < extract::MemberBuffer::kHeapLimit + (3u << 20)) content += line;
  content += "sist 19640823-3234\n";
  const auto p = files_.write("stor-export.csv.txt", content);

  ScanResult streamed = scanner_.scan_file(p);
  ScanResult in_memory = scanner_.scan_buffer(content, "stor-export.csv.txt");
  EXPECT_EQ(streamed.status, ScanStatus::kScanned) << streamed.reason;
  EXPECT_EQ(streamed.type, "text/plain");
  EXPECT_EQ(streamed.size, content.size());
  EXPECT_EQ(streamed.sha256, sha256_hex(content));
  EXPECT_EQ(streamed.text_bytes, in_memory.text_bytes);
  ASSERT_EQ(streamed.findings.size(), 3u);
  ASSERT_EQ(in_memory.findings.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(streamed.findings[i].rule_id, in_memory.findings[i].rule_id);
    EXPECT_EQ(streamed.findings[i].masked, in_memory.findings[i].masked);
    EXPECT_EQ(streamed.findings[i].line, in_memory.findings[i].line);
    EXPECT_EQ(streamed.findings[i].offset, in_memory.findings[i].offset);
  }
  EXPECT_EQ(streamed.info_class, in_memory.info_class);
}

}  // namespace
}  // namespace vakt

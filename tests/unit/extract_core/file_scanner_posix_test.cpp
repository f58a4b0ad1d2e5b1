// FileScanner on POSIX-only inputs: a FIFO is reported without blocking, and its name still counts.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "test_support.h"
#include "unit/engine/test_rules.h"
#include "vakt/scanner/file_scanner.h"

namespace vakt {
namespace {

TEST(FileScannerPosix, FifoIsUnscannableWithoutBlockingAndItsNameCounts) {
  test::TempDir rules_dir;
  auto engine = test::test_engine(rules_dir);
  FileScanner scanner(engine);
  extract::testing::TempDir files;
  const auto fifo = files.path() / "ror 19990604-2388";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  ScanResult f = scanner.scan_file(fifo);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(f.status, ScanStatus::kUnscannable);
  EXPECT_EQ(f.reason, "not a regular file: fifo");
  EXPECT_EQ(f.findings.size(), 1u);  // its name still counts
}

}  // namespace
}  // namespace vakt

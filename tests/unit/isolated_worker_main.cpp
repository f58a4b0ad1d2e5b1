// main() for the unit-test executables on Windows: hands an isolated-parser worker start (the
// test binary started again by run_isolated) to the scanner before GoogleTest sees the arguments.
// On Linux the tests use GoogleTest's own main (isolation forks there).
#include <gtest/gtest.h>

#include "vakt/scanner/isolated_worker.h"

int main(int argc, char** argv) {
  if (auto rc = vakt::extract::maybe_run_isolated_worker(argc, argv)) return *rc;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

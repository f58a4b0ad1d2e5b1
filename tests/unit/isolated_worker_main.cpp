// main() for the unit-test executables, like vakt's own: hands isolated parsers to the scanner
// before GoogleTest sees the arguments. On Windows that runs a worker (the test binary started
// again by run_isolated); on Linux it starts the fork server while the process has one thread.
#include <gtest/gtest.h>

#include "vakt/scanner/isolated_worker.h"

int main(int argc, char** argv) {
  if (auto rc = vakt::extract::maybe_run_isolated_worker(argc, argv)) return *rc;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

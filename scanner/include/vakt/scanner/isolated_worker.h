// The entry point of an isolated parser worker. Risky parsers (poppler, the OLE2 record walkers)
// run in a separate process: on Linux a child forked by a small fork server, on Windows (no fork)
// a new instance of the running executable started with a hidden argument. Every program that
// scans files — the vakt CLI and service, test binaries — calls this first thing in main(), while
// it has one thread (on Linux this is where the fork server starts):
//
//   int main(int argc, char** argv) {
//     if (auto rc = vakt::extract::maybe_run_isolated_worker(argc, argv)) return *rc;
//     ...
//
// It returns std::nullopt in an ordinary start (always on Linux). In a worker it runs the parser
// and ends the process, or returns an exit code when the worker's arguments are malformed. On
// Windows, a program that never called it gets "parser could not start" results instead of a copy
// of itself running its own main().
#pragma once

#include <optional>

namespace vakt::extract {

std::optional<int> maybe_run_isolated_worker(int argc, char** argv);

}  // namespace vakt::extract

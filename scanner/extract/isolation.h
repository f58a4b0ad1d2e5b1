// Isolation: run a risky document parser (poppler, our OLE2 record walkers) in a child
// process with a memory cap, a CPU/wall-clock timeout, and stream what it finds back over a pipe.
// Linux forks (isolation_posix.cpp); Windows spawns the running executable as a worker in a Job
// Object (isolation_win.cpp, entry point in vakt/scanner/isolated_worker.h). Both speak the frames
// of isolation_wire.h.
//
// A parser is written once against DocOutput (begin_part / text / end_part / child / outcome):
//
//   void parse_pdf(std::string_view bytes, std::string_view name, DocOutput& out);
//   run_parser(input, ctx, parse_pdf);   // isolated or in-process, as ctx says
//
// In-process (Context::isolate_risky_parsers() false: fuzzing, benchmarks) the DocOutput forwards
// straight to the Context. Isolated, the child writes framed messages to a pipe and the parent
// replays them into the Context as they arrive, so a child that produces a lot of text never
// blocks on a full pipe. A child that dies on a signal, runs out of memory, exceeds its time or
// sends garbage makes the file `unscannable` (`partial` if some text had already arrived) with a
// specific reason: "parser crashed: signal 11" (Windows: "parser crashed: exception 0xc0000005"),
// "parser memory limit", "parser time limit", "parser protocol error".
//
// Linux — each document gets a fresh child forked by the fork server (fork_server_posix.h), a
// single-threaded helper process that maybe_run_isolated_worker() starts first thing in main():
// a fork from the scanning process's worker threads would copy into the child any lock another
// thread held at that moment, and keep the child on glibc's slower multi-threaded malloc. The
// child takes the requesting thread's nice value and I/O priority. A program without the server
// (its main() does not call maybe_run_isolated_worker, or the server died) forks from the
// scanning thread instead; should a copied lock then block the child, the wall-clock timeout kills
// it and the file is reported "parser time limit", never hung and never clean. pipe creation, fork
// and closing the parent's write end happen under one mutex so no concurrently forked child
// inherits another scan's write end (which would hide that scan's end-of-file).
//
// Windows — the worker is the same executable image, so the parser function is passed as its
// offset from the image base (checked against a second, known offset); the document goes in a
// read-only shared section, results come back through an anonymous pipe. The Job Object caps the
// worker's committed memory and kills it when the parent closes the job; the parent also watches
// the worker's private memory (wine does not enforce job limits) and enforces the wall time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "extract/extractor.h"
#include "vakt/scanner/isolated_worker.h"

namespace vakt::extract {

// What a parser writes to. Parts do not nest; child() hands an embedded document to the
// dispatcher; partial()/unscannable() record outcomes with a reason.
class DocOutput {
 public:
  virtual ~DocOutput() = default;
  virtual void begin_part(std::string_view name) = 0;
  virtual void text(std::string_view utf8) = 0;
  virtual void end_part() = 0;
  virtual void child(std::string_view bytes, std::string_view name) = 0;
  virtual void partial(std::string_view reason) = 0;
  virtual void unscannable(std::string_view reason) = 0;
  // True when the consumer wants no more output (a hard limit was hit): parsers should return.
  virtual bool stopped() const { return false; }
};

using ParseFn = void (*)(std::string_view bytes, std::string_view name, DocOutput& out);

// How an isolated run ended.
enum class IsolationEnd {
  kFinished,
  kCrashed,
  kMemoryLimit,
  kTimeLimit,
  kProtocolError,
  kStopped,
  kSpawnFailed
};

struct IsolationResult {
  IsolationEnd end = IsolationEnd::kFinished;
  int signal = 0;         // for kCrashed: the signal (Linux) or exception code (Windows)
  bool any_text = false;  // some text reached the output before the end
  std::string reason;     // "parser crashed: signal 11", "" when finished
};

struct IsolationOptions {
  std::uint64_t memory_bytes = 1536ull << 20;   // added address space allowed to the child
  std::chrono::milliseconds wall_time{120000};  // kill the child after this much wall time
  // Largest embedded file (child()) the child may send. The parent buffers one whole frame, so
  // this bounds the parent's memory per scan; the child checks it before sending and reports a
  // larger file as partial "embedded file too large". Callers also cap it by the document's
  // remaining max_expanded_bytes.
  std::uint64_t max_child_bytes = 128ull << 20;
  // Polled about every 50 ms in the parent; returning true kills the child (kStopped).
  std::function<bool()> should_stop;
};

// Runs fn(bytes, name, child_output) in a child process and replays its output into `out`. Time the
// parent spends inside out.child() (recursing into an embedded document) does not count against
// the child's wall time. Safe to call from several threads at once.
IsolationResult run_isolated(std::string_view bytes, std::string_view name, ParseFn fn,
                             DocOutput& out, const IsolationOptions& options);

// Runs a parser for the dispatcher: isolated when ctx.isolate_risky_parsers(), else in-process.
// Turns an abnormal end into mark_partial/mark_unscannable on the Context.
void run_parser(const Input& input, Context& ctx, ParseFn fn);

// A DocOutput that forwards to a Context (used in-process and by the parent when replaying).
class ContextOutput final : public DocOutput {
 public:
  explicit ContextOutput(Context& ctx) : ctx_(ctx) {}
  void begin_part(std::string_view name) override;
  void text(std::string_view utf8) override;
  void end_part() override;
  void child(std::string_view bytes, std::string_view name) override;
  void partial(std::string_view reason) override;
  void unscannable(std::string_view reason) override;
  bool stopped() const override;

 private:
  Context& ctx_;
  bool in_part_ = false;
};

}  // namespace vakt::extract

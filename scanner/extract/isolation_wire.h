// The wire format between an isolated parser and its parent, shared by the Linux (fork) and the
// Windows (spawned worker) implementations of isolation.h, so both speak exactly the same protocol.
//
// Frame: 1 byte type, 4 bytes little-endian payload length, payload. The worker side is a
// FrameWriter (a DocOutput that encodes; the platform supplies write_all / write_failed); the
// parent side is a FrameReader (decodes and replays into the caller's DocOutput).
//
//   class PipeOutput final : public FrameWriter { ... write_all(): write(2) / WriteFile ... };
//   FrameReader reader(out, max_frame);
//   reader.buffer().append(chunk); if (!reader.feed(child_time)) garbage();
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract::wire {

enum class Frame : std::uint8_t {
  kBegin = 1,        // payload: part name
  kText = 2,         // payload: UTF-8 text
  kEnd = 3,          // no payload
  kChild = 4,        // payload: u32 name length, name, document bytes
  kPartial = 5,      // payload: reason
  kUnscannable = 6,  // payload: reason
  kDone = 7,         // the parser returned normally
  kOutOfMemory = 8,  // the parser ran out of memory (new handler / bad_alloc)
};
constexpr std::size_t kHeaderSize = 5;
constexpr int kExitOutOfMemory = 86;
constexpr int kExitWriteFailed = 87;
constexpr std::size_t kTextBuffer = 64 * 1024;

void put_u32(char* p, std::uint32_t v);
std::uint32_t get_u32(const char* p);

// Worker side: every write goes straight to the pipe; text is coalesced into 64 KiB frames.
class FrameWriter : public DocOutput {
 public:
  explicit FrameWriter(std::uint64_t max_child);
  void begin_part(std::string_view name) override { send(Frame::kBegin, name); }
  void text(std::string_view utf8) override;
  void end_part() override { send(Frame::kEnd, {}); }
  void child(std::string_view bytes, std::string_view name) override;
  void partial(std::string_view reason) override { send(Frame::kPartial, reason); }
  void unscannable(std::string_view reason) override { send(Frame::kUnscannable, reason); }
  void done() { send(Frame::kDone, {}); }
  void flush();

 protected:
  // Writes every byte or returns false.
  virtual bool write_all(const char* data, std::size_t size) = 0;
  // A write failed: the parent is gone or killed us on purpose. Ends the process.
  [[noreturn]] virtual void write_failed() = 0;

 private:
  void send(Frame type, std::string_view payload);
  void write_frame(Frame type, std::string_view a, std::string_view b = {});

  std::uint64_t max_child_;
  std::string buffer_;
};

// Parent side: decodes frames from the worker and replays them into `out`.
class FrameReader {
 public:
  FrameReader(DocOutput& out, std::uint64_t max_frame) : out_(out), max_frame_(max_frame) {}

  // Consumes complete frames; returns false on garbage. `child_time` accumulates the time spent
  // inside out.child().
  bool feed(std::chrono::steady_clock::duration& child_time);

  std::string& buffer() { return buf_; }
  bool done() const { return done_; }
  bool out_of_memory() const { return oom_; }
  bool any_text() const { return any_text_; }
  void close_part();

 private:
  bool dispatch(Frame type, std::string_view payload,
                std::chrono::steady_clock::duration& child_time);

  DocOutput& out_;
  std::uint64_t max_frame_;
  std::string buf_;
  bool in_part_ = false;
  bool done_ = false;
  bool oom_ = false;
  bool any_text_ = false;
};

IsolationResult fail(IsolationEnd end, std::string reason, bool any_text, int sig = 0);

}  // namespace vakt::extract::wire

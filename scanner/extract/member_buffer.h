// MemberBuffer: holds one inflated container member for the dispatcher. Small members stay on the
// heap; past kHeapLimit the bytes spill to a temporary file only this process can see (Linux:
// unlinked, member_buffer_posix.cpp; Windows: delete-on-close, not shared, member_buffer_win.cpp)
// that is then mapped, so a large member never costs its size in RAM.
//
//   MemberBuffer buf;
//   while (n = read(...)) if (!buf.append({data, n})) fail(buf.error());
//   auto bytes = buf.view();               // Expected<std::string_view>, valid while buf lives
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "extract/mapped_file.h"
#include "util/big_buffer.h"
#include "vakt/scanner/expected.h"

namespace vakt::extract {

class MemberBuffer {
 public:
  static constexpr std::size_t kHeapLimit = 64u << 20;

  explicit MemberBuffer(std::uint64_t expected_size = 0);
  ~MemberBuffer();
  MemberBuffer(const MemberBuffer&) = delete;
  MemberBuffer& operator=(const MemberBuffer&) = delete;

  bool append(std::string_view bytes);  // false on a temp-file error (see error())
  // Room for the next n bytes, to be written in place (a read straight into the buffer) and then
  // kept by commit(n). Empty when the bytes would not stay on the heap: use append() then.
  std::span<char> tail(std::size_t n);
  void commit(std::size_t n);
  Expected<std::string_view> view();
  std::uint64_t size() const { return size_; }
  const std::string& error() const { return error_; }

 private:
  bool spill();

  BigBuffer heap_;        // the bytes while they are at most kHeapLimit
  NativeFile file_ = -1;  // the spill file; -1 while the bytes are on the heap
  std::uint64_t size_ = 0;
  MappedFile map_;
  std::string error_;
};

}  // namespace vakt::extract

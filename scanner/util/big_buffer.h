// A byte buffer for inflated members, file snapshots and other multi-megabyte scratch: not zeroed
// when it grows (every byte is written before it is read), and from kHugeFrom on backed by huge
// pages where the OS offers them (util/os.h: prefer_huge_pages).
//
//   BigBuffer out;
//   out.resize(member_size);           // contents unspecified; keeps the capacity if it is enough
//   inflate_into(out.data(), out.size());
//   log.append(bytes);                 // grows by doubling, keeping what it holds
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace vakt {

class BigBuffer {
 public:
  // Below this a buffer is an ordinary allocation; from it on it is 2 MiB-aligned and rounded up
  // to whole 2 MiB pages, so that all of it can be one huge page per 2 MiB.
  static constexpr std::size_t kHugeFrom = std::size_t{1} << 20;

  BigBuffer() = default;
  BigBuffer(BigBuffer&& other) noexcept;
  BigBuffer& operator=(BigBuffer&& other) noexcept;

  char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_.get(), size_}; }

  // Sets the size to n; the contents are unspecified when the buffer grows.
  void resize(std::size_t n);
  // Makes room for n bytes in all, keeping the contents.
  void reserve(std::size_t n);
  // Adds bytes at the end, growing the capacity by doubling.
  void append(std::string_view bytes);

 private:
  // Frees with the alignment the block was taken with.
  struct Free {
    std::size_t alignment;
    void operator()(char* p) const;
  };
  // A fresh block of at least n bytes: sets data_ and capacity_, not size_.
  void allocate(std::size_t n);

  std::unique_ptr<char[], Free> data_{nullptr, Free{0}};
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

}  // namespace vakt

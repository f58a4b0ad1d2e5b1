// MemberBuffer's heap side, the same on every platform (the spill file is in _posix/_win).
#include "extract/member_buffer.h"

namespace vakt::extract {

std::span<char> MemberBuffer::tail(std::size_t n) {
  if (!error_.empty() || file_ != -1 || heap_.size() + n > kHeapLimit) return {};
  heap_.reserve(heap_.size() + n);
  return {heap_.data() + heap_.size(), n};
}

void MemberBuffer::commit(std::size_t n) {
  heap_.resize(heap_.size() + n);  // within the capacity tail() reserved: the bytes stay
  size_ += n;
}

}  // namespace vakt::extract

#include "util/big_buffer.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "util/os.h"

namespace vakt {

void BigBuffer::Free::operator()(char* p) const {
  if (alignment != 0) {
    ::operator delete[](p, std::align_val_t{alignment});
  } else {
    delete[] p;
  }
}

BigBuffer::BigBuffer(BigBuffer&& other) noexcept
    : data_(std::move(other.data_)),
      capacity_(std::exchange(other.capacity_, 0)),
      size_(std::exchange(other.size_, 0)) {}

BigBuffer& BigBuffer::operator=(BigBuffer&& other) noexcept {
  data_ = std::move(other.data_);
  capacity_ = std::exchange(other.capacity_, 0);
  size_ = std::exchange(other.size_, 0);
  return *this;
}

void BigBuffer::allocate(std::size_t n) {
  if (n < kHugeFrom) {
    data_ = std::unique_ptr<char[], Free>(new char[n], Free{0});  // default-initialised
    capacity_ = n;
    return;
  }
  const std::size_t rounded = (n + os::kHugePageBytes - 1) & ~(os::kHugePageBytes - 1);
  auto* p = static_cast<char*>(::operator new[](rounded, std::align_val_t{os::kHugePageBytes}));
  data_ = std::unique_ptr<char[], Free>(p, Free{os::kHugePageBytes});
  capacity_ = rounded;
  os::prefer_huge_pages(p, rounded);  // before the first write, or the 4 KiB pages stay
}

void BigBuffer::resize(std::size_t n) {
  if (n > capacity_) {
    data_.reset();  // the old contents are not kept: free them before the new block is taken
    capacity_ = 0;
    allocate(n);
  }
  size_ = n;
}

void BigBuffer::reserve(std::size_t n) {
  if (n <= capacity_) return;
  BigBuffer old = std::move(*this);
  allocate(n);
  size_ = old.size_;
  if (size_ != 0) std::memcpy(data_.get(), old.data(), size_);
}

void BigBuffer::append(std::string_view bytes) {
  if (bytes.empty()) return;
  if (size_ + bytes.size() > capacity_) reserve(std::max(size_ + bytes.size(), capacity_ * 2));
  std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
}

}  // namespace vakt

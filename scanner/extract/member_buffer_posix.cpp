// Heap-or-temp-file storage for one inflated member (Linux).
#include "extract/member_buffer.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vakt::extract {

MemberBuffer::MemberBuffer(std::uint64_t expected_size) {
  heap_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(expected_size, kHeapLimit)));
}

MemberBuffer::~MemberBuffer() {
  if (file_ >= 0) ::close(static_cast<int>(file_));
}

bool MemberBuffer::spill() {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string tmpl = (dir / "vakt-member-XXXXXX").string();
  file_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (file_ < 0) {
    error_ = std::string("temporary file: ") + std::strerror(errno);
    return false;
  }
  ::unlink(tmpl.c_str());
  const BigBuffer held = std::move(heap_);  // leaves heap_ empty
  size_ = 0;  // append() counts the held bytes again as they reach the file
  return append(held.view());
}

bool MemberBuffer::append(std::string_view bytes) {
  if (!error_.empty()) return false;
  if (file_ < 0 && heap_.size() + bytes.size() > kHeapLimit) {
    if (!spill()) return false;
  }
  if (file_ < 0) {
    heap_.append(bytes);
    size_ += bytes.size();
    return true;
  }
  while (!bytes.empty()) {
    const ssize_t n = ::write(static_cast<int>(file_), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = std::string("temporary file: ") + std::strerror(errno);
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    size_ += static_cast<std::uint64_t>(n);
  }
  return true;
}

Expected<std::string_view> MemberBuffer::view() {
  if (!error_.empty()) return Error{error_};
  if (file_ < 0) return heap_.view();
  if (map_.bytes().size() != size_) {
    auto m = MappedFile::map_file(file_, size_);
    if (!m) return m.error();
    map_ = std::move(m).value();
  }
  return map_.bytes();
}

}  // namespace vakt::extract

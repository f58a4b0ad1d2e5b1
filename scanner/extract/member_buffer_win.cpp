// Heap-or-temp-file storage for one inflated member (Windows): the spill file is created new in
// the temp folder, shared with nobody, and deleted by the system when its handle closes (also if
// the process dies).
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "extract/member_buffer.h"
#include "util/os_win.h"

namespace vakt::extract {
namespace {

std::atomic<unsigned> g_spill_counter{0};

HANDLE handle_of(NativeFile file) {
  return reinterpret_cast<HANDLE>(file);
}

}  // namespace

MemberBuffer::MemberBuffer(std::uint64_t expected_size) {
  heap_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(expected_size, kHeapLimit)));
}

MemberBuffer::~MemberBuffer() {
  map_ = MappedFile();  // unmap before the delete-on-close handle goes
  if (file_ != -1) CloseHandle(handle_of(file_));
}

bool MemberBuffer::spill() {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) {
    error_ = "temporary file: no temp folder (" + ec.message() + ")";
    return false;
  }
  HANDLE h = INVALID_HANDLE_VALUE;
  DWORD err = 0;
  for (int attempt = 0; attempt < 16 && h == INVALID_HANDLE_VALUE; ++attempt) {
    const std::wstring name = L"vakt-member-" + std::to_wstring(GetCurrentProcessId()) + L"-" +
                              std::to_wstring(g_spill_counter.fetch_add(1)) + L"-" +
                              std::to_wstring(GetTickCount64()) + L".tmp";
    h = CreateFileW(os::win32_path(dir / name).c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                    CREATE_NEW, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
    err = GetLastError();
    if (h == INVALID_HANDLE_VALUE && err != ERROR_FILE_EXISTS) break;
  }
  if (h == INVALID_HANDLE_VALUE) {
    error_ = "temporary file: " + os::win32_error_text(err);
    return false;
  }
  file_ = reinterpret_cast<NativeFile>(h);
  const BigBuffer held = std::move(heap_);  // leaves heap_ empty
  size_ = 0;  // append() counts the held bytes again as they reach the file
  return append(held.view());
}

bool MemberBuffer::append(std::string_view bytes) {
  if (!error_.empty()) return false;
  if (file_ == -1 && heap_.size() + bytes.size() > kHeapLimit) {
    if (!spill()) return false;
  }
  if (file_ == -1) {
    heap_.append(bytes);
    size_ += bytes.size();
    return true;
  }
  while (!bytes.empty()) {
    const auto want = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1u << 30));
    DWORD wrote = 0;
    if (!WriteFile(handle_of(file_), bytes.data(), want, &wrote, nullptr) || wrote == 0) {
      error_ = "temporary file: " + os::win32_error_text(GetLastError());
      return false;
    }
    bytes.remove_prefix(wrote);
    size_ += wrote;
  }
  return true;
}

Expected<std::string_view> MemberBuffer::view() {
  if (!error_.empty()) return Error{error_};
  if (file_ == -1) return heap_.view();
  if (map_.bytes().size() != size_) {
    map_ = MappedFile();
    auto m = MappedFile::map_file(file_, size_);
    if (!m) return m.error();
    map_ = std::move(m).value();
  }
  return map_.bytes();
}

}  // namespace vakt::extract

// libmagic's database on Windows: VAKT_MAGIC_FILE or magic.mgc beside the executable, read once
// per file into memory (libmagic keeps pointers into the buffer: it lives until the process ends).
#include <windows.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "extract/magic_database.h"
#include "util/os.h"

namespace vakt::extract {
namespace {

std::filesystem::path executable_dir() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return {};
    if (n < path.size()) {
      path.resize(n);
      return std::filesystem::path(path).parent_path();
    }
    if (path.size() >= 32768) return {};
    path.resize(path.size() * 2);
  }
}

std::filesystem::path database_file() {
  const wchar_t* configured = _wgetenv(L"VAKT_MAGIC_FILE");
  if (configured != nullptr && *configured != L'\0') return std::filesystem::path(configured);
  return executable_dir() / L"magic.mgc";
}

struct Database {
  std::filesystem::path file;
  std::vector<char> bytes;
  std::string error;  // empty when loaded
};

Database load(const std::filesystem::path& file) {
  Database d;
  d.file = file;
  std::ifstream in(d.file, std::ios::binary);
  if (!in) {
    d.error = "libmagic database not found: " + os::path_utf8(d.file) +
              " (put magic.mgc beside the program or set VAKT_MAGIC_FILE)";
    return d;
  }
  d.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || d.bytes.empty()) {
    d.error = "libmagic database unreadable: " + os::path_utf8(d.file);
    d.bytes.clear();
    return d;
  }
  // Check once that libmagic accepts it, so a wrong or truncated file is named at start-up.
  magic_t probe = magic_open(MAGIC_MIME_TYPE);
  void* buffer = d.bytes.data();
  std::size_t size = d.bytes.size();
  if (probe == nullptr || magic_load_buffers(probe, &buffer, &size, 1) != 0) {
    d.error = "libmagic database rejected: " + os::path_utf8(d.file);
    d.bytes.clear();
  }
  if (probe != nullptr) magic_close(probe);
  return d;
}

// The database for the current setting, read once per file and kept for the process's life
// (libmagic handles point into it).
const Database& database() {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::unique_ptr<Database>> loaded;
  const std::filesystem::path file = database_file();
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[file];
  if (!slot) slot = std::make_unique<Database>(load(file));
  return *slot;
}

}  // namespace

bool load_magic_database(magic_t cookie) {
  const Database& db = database();
  if (!db.error.empty()) return false;
  // libmagic only reads the buffer; its API takes non-const pointers.
  void* buffer = const_cast<char*>(db.bytes.data());
  std::size_t size = db.bytes.size();
  return magic_load_buffers(cookie, &buffer, &size, 1) == 0;
}

Status magic_database_status() {
  const Database& db = database();
  if (!db.error.empty()) return Error{db.error};
  return Ok{};
}

}  // namespace vakt::extract

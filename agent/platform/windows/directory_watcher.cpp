#include "platform/windows/directory_watcher.h"

#include "runtime/folder_list.h"

namespace vakt::agent {
namespace {

constexpr DWORD kFilter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                          FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE;
// 64 KiB: the most a read over the network may ask for; more events than fit is an overflow.
constexpr DWORD kBufferBytes = 64 * 1024;
constexpr ULONG_PTR kWakeKey = 0;  // watch keys are Watch pointers, never 0

bool is_folder(const std::filesystem::path& p) {
  auto info = stat_no_follow(p);
  return info && info->kind == FileKind::kDirectory;
}

// Wine (8) watches a subtree only through folders it has seen opened since the watch began, so
// under wine every folder below a new watch is opened once. Windows needs none of this.
bool running_under_wine() {
  static const bool wine = [] {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
  }();
  return wine;
}

void make_wine_see_subfolders(const std::filesystem::path& dir) {
  if (!running_under_wine()) return;
  walk_tree(dir, [](const FolderEntry& entry) {
    if (entry.type.type == std::filesystem::file_type::directory) {
      win::Handle(CreateFileW(win::long_path(entry.path).c_str(), FILE_LIST_DIRECTORY,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    }
    return true;
  });
}

// A folder that appeared, every folder below it (their names are checked, empty or not) and
// every file already inside (links are listed, not followed). Listed through
// runtime/folder_list.h, so folders deeper than MAX_PATH are reported too.
void report_contents(const std::filesystem::path& dir, std::vector<WatchEvent>& out) {
  make_wine_see_subfolders(dir);
  out.push_back({WatchEventKind::kFileChanged, dir, "new folder"});
  walk_tree(dir, [&out](const FolderEntry& entry) {
    if (entry.type.type == std::filesystem::file_type::regular ||
        entry.type.type == std::filesystem::file_type::directory) {
      out.push_back({WatchEventKind::kFileChanged, entry.path, "in new folder"});
    }
    return true;
  });
}

}  // namespace

WatchCompletion classify_completion(DWORD error, DWORD bytes) {
  if (error == ERROR_OPERATION_ABORTED) return WatchCompletion::kCancelled;
  if (error == ERROR_NOTIFY_ENUM_DIR) return WatchCompletion::kLostEvents;
  if (error != ERROR_SUCCESS) return WatchCompletion::kFailed;
  return bytes == 0 ? WatchCompletion::kLostEvents : WatchCompletion::kEvents;
}

struct DirectoryWatcher::Watch {
  std::filesystem::path root;
  win::Handle dir;
  OVERLAPPED ov{};
  std::vector<DWORD> buffer = std::vector<DWORD>(kBufferBytes / sizeof(DWORD));
  bool pending = false;  // a read is outstanding: the buffer belongs to the kernel
  bool alive = true;
  std::filesystem::path renamed_from;  // the old name of a rename pair being reported
};

DirectoryWatcher::DirectoryWatcher()
    : port_(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1)) {}

DirectoryWatcher::~DirectoryWatcher() {
  std::unique_lock lock(mutex_);
  std::size_t outstanding = 0;
  for (auto& w : watches_) {
    w->alive = false;
    if (w->pending) {
      // Aborted, or completed already and queued: either way one packet per read comes back.
      CancelIoEx(w->dir.get(), &w->ov);
      ++outstanding;
    }
  }
  lock.unlock();
  // Each read hands its buffer back with one completion (aborted or not); wait for all of them
  // before the buffers are freed. A bounded wait: a driver that never completes is not a hang.
  for (int spins = 0; outstanding > 0 && spins < 50; ++spins) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* ov = nullptr;
    BOOL ok = GetQueuedCompletionStatus(port_.get(), &bytes, &key, &ov, 100);
    if (!ok && ov == nullptr) continue;
    if (key != kWakeKey && ov != &inject_marker_) --outstanding;
  }
  if (outstanding > 0) {
    // Never free a buffer the kernel may still write to.
    for (auto& w : watches_) (void)w.release();
  }
}

Status DirectoryWatcher::add_root(const std::filesystem::path& root) {
  if (!port_)
    return Error{"cannot create an I/O completion port: " + win::error_text(GetLastError())};
  if (!is_folder(root)) return Error{"not a folder: " + win::path_utf8(root)};
  auto w = std::make_unique<Watch>();
  w->root = root;
  w->dir = win::Handle(CreateFileW(win::long_path(root).c_str(), FILE_LIST_DIRECTORY,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                   OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED,
                                   nullptr));
  if (!w->dir) {
    return Error{"cannot watch " + win::path_utf8(root) + ": " + win::error_text(GetLastError())};
  }
  if (CreateIoCompletionPort(w->dir.get(), port_.get(), reinterpret_cast<ULONG_PTR>(w.get()), 0) ==
      nullptr) {
    return Error{"cannot watch " + win::path_utf8(root) + ": " + win::error_text(GetLastError())};
  }
  std::lock_guard lock(mutex_);
  if (!start_read(*w)) {
    return Error{"cannot watch " + win::path_utf8(root) + ": " + win::error_text(GetLastError())};
  }
  make_wine_see_subfolders(root);
  watches_.push_back(std::move(w));
  return Ok{};
}

bool DirectoryWatcher::start_read(Watch& w) {
  w.ov = OVERLAPPED{};
  if (!ReadDirectoryChangesW(w.dir.get(), w.buffer.data(), kBufferBytes, TRUE, kFilter, nullptr,
                             &w.ov, nullptr)) {
    return false;
  }
  w.pending = true;
  return true;
}

std::vector<WatchEvent> DirectoryWatcher::wait(std::chrono::milliseconds timeout) {
  std::vector<WatchEvent> out;
  {
    std::lock_guard lock(mutex_);
    out.swap(pending_);
  }
  DWORD wait_ms = out.empty() ? static_cast<DWORD>(timeout.count()) : 0;
  // The first completion may block; whatever else is queued is taken without waiting.
  for (int i = 0; i < 256; ++i) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* ov = nullptr;
    BOOL ok = GetQueuedCompletionStatus(port_.get(), &bytes, &key, &ov, i == 0 ? wait_ms : 0);
    DWORD error = ok ? ERROR_SUCCESS : GetLastError();
    if (!ok && ov == nullptr) break;  // timed out (or the port is gone)
    if (key == kWakeKey) continue;
    std::lock_guard lock(mutex_);
    auto* w = reinterpret_cast<Watch*>(key);
    if (ov == &inject_marker_) {
      // An injected completion: the real read is still outstanding, only its meaning is faked.
      if (w->alive) handle_completion(*w, ERROR_SUCCESS, 0, out);
      continue;
    }
    w->pending = false;
    handle_completion(*w, error, bytes, out);
  }
  return out;
}

void DirectoryWatcher::handle_completion(Watch& w, DWORD error, DWORD bytes,
                                         std::vector<WatchEvent>& out) {
  if (!w.alive) return;
  auto kind = classify_completion(error, bytes);
  if (kind == WatchCompletion::kCancelled) return;
  if (kind == WatchCompletion::kEvents) parse(w, bytes, out);
  // A zero-length completion is also what a deleted root gives: look before calling it lost.
  if (kind != WatchCompletion::kEvents && !is_folder(w.root)) {
    w.alive = false;
    out.push_back({WatchEventKind::kRootGone, w.root, "watched folder removed"});
    return;
  }
  if (kind == WatchCompletion::kLostEvents) {
    out.push_back({WatchEventKind::kOverflow,
                   {},
                   error == ERROR_NOTIFY_ENUM_DIR
                       ? "directory change buffer overflow (ERROR_NOTIFY_ENUM_DIR)"
                       : "directory change buffer overflow (zero-length result)"});
  }
  if (kind == WatchCompletion::kFailed) {
    out.push_back({WatchEventKind::kOverflow,
                   {},
                   "directory watch failed (" + win::error_text(error) + "); watching again"});
  }
  if (!w.pending && !start_read(w)) {
    DWORD code = GetLastError();
    w.alive = false;
    out.push_back({is_folder(w.root) ? WatchEventKind::kWatchFailed : WatchEventKind::kRootGone,
                   w.root, "cannot watch again: " + win::error_text(code)});
  }
}

void DirectoryWatcher::parse(Watch& w, DWORD bytes, std::vector<WatchEvent>& out) {
  const auto* base = reinterpret_cast<const unsigned char*>(w.buffer.data());
  DWORD offset = 0;
  for (;;) {
    if (offset + sizeof(FILE_NOTIFY_INFORMATION) > bytes) break;
    const auto* info = reinterpret_cast<const FILE_NOTIFY_INFORMATION*>(base + offset);
    std::wstring name(info->FileName, info->FileNameLength / sizeof(wchar_t));
    report(w, info->Action, w.root / name, out);
    if (info->NextEntryOffset == 0) break;
    offset += info->NextEntryOffset;
  }
}

void DirectoryWatcher::report(Watch& w, DWORD action, const std::filesystem::path& path,
                              std::vector<WatchEvent>& out) {
  switch (action) {
    case FILE_ACTION_REMOVED:
      return;  // gone: nothing to scan (the agent's state forgets it on its own terms)
    case FILE_ACTION_RENAMED_OLD_NAME:
      w.renamed_from = path;  // the new name follows in the same buffer
      return;
    case FILE_ACTION_RENAMED_NEW_NAME: {
      const bool paired = !w.renamed_from.empty();
      w.renamed_from.clear();
      if (is_folder(path)) {
        report_contents(path, out);
      } else {
        out.push_back({WatchEventKind::kFileChanged, path, paired ? "renamed" : "moved in"});
      }
      return;
    }
    case FILE_ACTION_ADDED:
      if (is_folder(path)) {
        report_contents(path, out);
      } else {
        out.push_back({WatchEventKind::kFileChanged, path, ""});
      }
      return;
    case FILE_ACTION_MODIFIED:
      // A folder's own time changes whenever its entries do: only files matter.
      if (!is_folder(path)) out.push_back({WatchEventKind::kFileChanged, path, ""});
      return;
    default:
      return;
  }
}

void DirectoryWatcher::wake() {
  PostQueuedCompletionStatus(port_.get(), 0, kWakeKey, nullptr);
}

std::size_t DirectoryWatcher::watched_folders() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& w : watches_) n += w->alive ? 1 : 0;
  return n;
}

bool DirectoryWatcher::inject_lost_events() {
  std::lock_guard lock(mutex_);
  bool posted = false;
  for (auto& w : watches_) {
    if (w->alive) {
      posted = PostQueuedCompletionStatus(port_.get(), 0, reinterpret_cast<ULONG_PTR>(w.get()),
                                          &inject_marker_) != 0 ||
               posted;
    }
  }
  return posted;
}

std::unique_ptr<Watcher> make_platform_watcher() {
  return std::make_unique<DirectoryWatcher>();
}

}  // namespace vakt::agent

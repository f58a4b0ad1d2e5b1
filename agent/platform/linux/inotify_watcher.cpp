// Linux Watcher: inotify, one watch per folder. Triggers are IN_CLOSE_WRITE and IN_MOVED_TO, and
// IN_CREATE of a regular file with more than one link (a hard link made into the folder);
// IN_CREATE/IN_MOVED_TO of a folder adds watches below it and reports the files already inside;
// IN_Q_OVERFLOW becomes kOverflow. An eventfd wakes a blocked wait().
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>
#include <unordered_map>

#include "watch/watcher.h"

namespace vakt::agent {
namespace {

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW |
                                IN_EXCL_UNLINK;

class InotifyWatcher final : public Watcher {
 public:
  InotifyWatcher() {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  }
  ~InotifyWatcher() override {
    if (fd_ >= 0) ::close(fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  Status add_root(const std::filesystem::path& root) override {
    if (fd_ < 0) return Error{std::string("inotify unavailable: ") + std::strerror(errno)};
    std::error_code ec;
    if (!std::filesystem::is_directory(std::filesystem::symlink_status(root, ec))) {
      return Error{"not a folder: " + root.string()};
    }
    std::vector<WatchEvent> ignored;
    std::lock_guard lock(mutex_);
    if (!add_tree(root, false, ignored)) {
      return Error{"cannot watch " + root.string() + ": " + last_error_};
    }
    if (std::find(roots_.begin(), roots_.end(), root) == roots_.end()) roots_.push_back(root);
    for (auto& ev : ignored) {
      if (ev.kind == WatchEventKind::kWatchFailed) pending_.push_back(ev);
    }
    return Ok{};
  }

  std::vector<WatchEvent> wait(std::chrono::milliseconds timeout) override {
    std::vector<WatchEvent> out;
    {
      std::lock_guard lock(mutex_);
      out.swap(pending_);
    }
    if (!out.empty()) timeout = std::chrono::milliseconds(0);
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int rc = ::poll(fds, 2, static_cast<int>(timeout.count()));
    if (rc <= 0) return out;
    if ((fds[1].revents & POLLIN) != 0) {
      std::uint64_t v = 0;
      [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof(v));
    }
    if ((fds[0].revents & POLLIN) != 0) drain(out);
    return out;
  }

  void wake() override {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof(one));
  }

  std::size_t watched_folders() const override {
    std::lock_guard lock(mutex_);
    return paths_.size();
  }

 private:
  // Adds a watch on `dir` and every folder below; with `report_files`, every regular file found
  // is reported (a folder that appeared with content in it), and `dir` and every folder below
  // too (their names are checked, empty or not).
  bool add_tree(const std::filesystem::path& dir, bool report_files, std::vector<WatchEvent>& out) {
    if (!add_one(dir)) return false;
    if (report_files) out.push_back({WatchEventKind::kFileChanged, dir, "new folder"});
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(
        dir, std::filesystem::directory_options::skip_permission_denied, ec);
    for (std::filesystem::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      auto status = it->symlink_status(ec);
      if (ec) {
        ec.clear();
        continue;
      }
      if (std::filesystem::is_directory(status)) {
        if (!add_one(it->path())) {
          out.push_back({WatchEventKind::kWatchFailed, it->path(), last_error_});
          it.disable_recursion_pending();
        } else if (report_files) {
          out.push_back({WatchEventKind::kFileChanged, it->path(), "in new folder"});
        }
      } else if (report_files && std::filesystem::is_regular_file(status)) {
        out.push_back({WatchEventKind::kFileChanged, it->path(), "in new folder"});
      }
    }
    return true;
  }

  bool add_one(const std::filesystem::path& dir) {
    int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
    if (wd < 0) {
      last_error_ = errno == ENOSPC ? "inotify watch limit reached (fs.inotify.max_user_watches)"
                                    : std::strerror(errno);
      return false;
    }
    paths_[wd] = dir;
    return true;
  }

  void forget_tree(const std::filesystem::path& dir) {
    auto prefix = dir.string() + "/";
    for (auto it = paths_.begin(); it != paths_.end();) {
      const auto& p = it->second.string();
      if (p == dir.string() || p.rfind(prefix, 0) == 0) {
        ::inotify_rm_watch(fd_, it->first);
        it = paths_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void drain(std::vector<WatchEvent>& out) {
    alignas(inotify_event) char buf[64 * 1024];
    std::lock_guard lock(mutex_);
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof(buf));
      if (n <= 0) break;
      for (char* p = buf; p < buf + n;) {
        auto* ev = reinterpret_cast<inotify_event*>(p);
        p += sizeof(inotify_event) + ev->len;
        handle(*ev, out);
      }
    }
  }

  void handle(const inotify_event& ev, std::vector<WatchEvent>& out) {
    if ((ev.mask & IN_Q_OVERFLOW) != 0) {
      out.push_back({WatchEventKind::kOverflow, {}, "inotify queue overflow"});
      return;
    }
    auto it = paths_.find(ev.wd);
    if ((ev.mask & IN_IGNORED) != 0) {
      if (it != paths_.end()) paths_.erase(it);
      return;
    }
    if (it == paths_.end()) return;
    const std::filesystem::path dir = it->second;
    if ((ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
      for (const auto& root : roots_) {
        if (root == dir) out.push_back({WatchEventKind::kRootGone, dir, "watched folder removed"});
      }
      return;
    }
    if (ev.len == 0) return;
    std::filesystem::path path = dir / ev.name;
    bool is_dir = (ev.mask & IN_ISDIR) != 0;
    if (is_dir) {
      if ((ev.mask & IN_MOVED_FROM) != 0) {
        forget_tree(path);
      } else if ((ev.mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
        if (!add_tree(path, true, out)) {
          out.push_back({WatchEventKind::kWatchFailed, path, last_error_});
        }
      }
      return;
    }
    if ((ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0) {
      out.push_back({WatchEventKind::kFileChanged, path, ""});
    } else if ((ev.mask & IN_CREATE) != 0 && is_hard_link(path)) {
      // `ln` / `cp -l` into a watched folder: a new name for existing bytes, with no write and
      // so no IN_CLOSE_WRITE. A file being written has one link and waits for its close.
      out.push_back({WatchEventKind::kFileChanged, path, ""});
    }
  }

  static bool is_hard_link(const std::filesystem::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink > 1;
  }

  int fd_ = -1;
  int wake_fd_ = -1;
  mutable std::mutex mutex_;
  std::unordered_map<int, std::filesystem::path> paths_;
  std::vector<std::filesystem::path> roots_;
  std::vector<WatchEvent> pending_;
  std::string last_error_;
};

}  // namespace

std::unique_ptr<Watcher> make_platform_watcher() {
  return std::make_unique<InotifyWatcher>();
}

}  // namespace vakt::agent

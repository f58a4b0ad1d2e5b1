#include "cli/file_walker.h"

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

namespace vakt::cli {
namespace fs = std::filesystem;
namespace {

std::string special_reason(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo:
      return "fifo (not opened)";
    case fs::file_type::socket:
      return "socket (not opened)";
    case fs::file_type::block:
      return "block device (not opened)";
    case fs::file_type::character:
      return "character device (not opened)";
    default:
      return "not a regular file (not opened)";
  }
}

class Walker {
 public:
  explicit Walker(const WalkOptions& options) : options_(options) {
    for (const auto& p : options.exclude) {
      std::error_code ec;
      auto canonical = fs::weakly_canonical(p, ec);
      excluded_.insert(ec ? p : canonical);
      excluded_names_.insert(p.filename());
    }
  }

  void add_root(const fs::path& root) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(root, ec);
    if (ec || !fs::exists(st)) {
      add_error(root, "", ec ? "cannot open: " + ec.message() : "no such file or folder");
      return;
    }
    if (fs::is_symlink(st)) {
      // A link given on the command line is followed, like `find -H`.
      std::error_code target_ec;
      st = fs::status(root, target_ec);
      if (target_ec || !fs::exists(st)) {
        add_error(root, "symlink", "broken symbolic link");
        return;
      }
    }
    add_by_type(root, st, 0);
  }

  WalkResult take() {
    std::sort(result_.items.begin(), result_.items.end(),
              [](const WalkItem& a, const WalkItem& b) { return a.path < b.path; });
    result_.items.erase(
        std::unique(result_.items.begin(), result_.items.end(),
                    [](const WalkItem& a, const WalkItem& b) { return a.path == b.path; }),
        result_.items.end());
    std::sort(result_.skipped.begin(), result_.skipped.end(),
              [](const SkippedEntry& a, const SkippedEntry& b) { return a.path < b.path; });
    result_.total_bytes = 0;
    for (const auto& item : result_.items) result_.total_bytes += item.size;
    return std::move(result_);
  }

 private:
  void add_by_type(const fs::path& path, const fs::file_status& st, int depth) {
    if (fs::is_directory(st)) {
      walk_folder(path, depth);
    } else if (fs::is_regular_file(st)) {
      add_file(path);
    } else {
      result_.skipped.push_back({path, special_reason(st.type())});
    }
  }

  void add_file(const fs::path& path) {
    if (is_excluded(path)) {
      result_.skipped.push_back({path, "the --output file (not scanned)"});
      return;
    }
    std::error_code ec;
    std::uintmax_t size = fs::file_size(path, ec);
    result_.items.push_back({path, ec ? 0 : static_cast<std::uint64_t>(size), std::nullopt});
  }

  void walk_folder(const fs::path& folder, int depth) {
    if (depth > options_.max_folder_depth) {
      add_error(folder, "folder",
                "folder nesting deeper than " + std::to_string(options_.max_folder_depth));
      return;
    }
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::none, ec);
    if (ec) {
      add_error(folder, "folder", "cannot open folder: " + ec.message());
      return;
    }
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
      if (ec) break;
      const fs::path path = it->path();
      std::error_code st_ec;
      fs::file_status st = it->symlink_status(st_ec);
      if (st_ec) {
        add_error(path, "", "cannot stat: " + st_ec.message());
        continue;
      }
      if (fs::is_symlink(st)) {
        std::error_code target_ec;
        fs::file_status target = fs::status(path, target_ec);
        if (target_ec || !fs::exists(target)) {
          add_error(path, "symlink", "broken symbolic link");
        } else if (fs::is_directory(target)) {
          result_.skipped.push_back({path, "symbolic link to a folder (not followed)"});
        } else {
          add_by_type(path, target, depth + 1);
        }
        continue;
      }
      add_by_type(path, st, depth + 1);
    }
    if (ec) add_error(folder, "folder", "cannot list folder: " + ec.message());
  }

  bool is_excluded(const fs::path& path) const {
    if (excluded_.empty() || !excluded_names_.contains(path.filename())) return false;
    std::error_code ec;
    auto canonical = fs::weakly_canonical(path, ec);
    return !ec && excluded_.contains(canonical);
  }

  void add_error(const fs::path& path, std::string type, std::string reason) {
    ScanResult r;
    r.path = path.string();
    r.status = ScanStatus::kError;
    r.reason = std::move(reason);
    r.type = std::move(type);
    result_.items.push_back({path, 0, std::move(r)});
  }

  const WalkOptions& options_;
  std::set<fs::path> excluded_;
  std::set<fs::path> excluded_names_;
  WalkResult result_;
};

}  // namespace

WalkResult walk_paths(const std::vector<fs::path>& roots, const WalkOptions& options) {
  Walker walker(options);
  for (const auto& root : roots) walker.add_root(root);
  return walker.take();
}

}  // namespace vakt::cli

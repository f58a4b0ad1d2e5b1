#include "cli/file_walker.h"

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include "runtime/file_info.h"
#include "runtime/folder_list.h"

namespace vakt::cli {
namespace fs = std::filesystem;
using agent::FolderEntry;
using agent::FolderListing;
using agent::list_folder;
using agent::path_type;
using agent::PathType;
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
    // Excluded files (the --output file) are recognised by name and then identity (device +
    // inode, volume + file index), which no spelling of the folder path or \\?\ prefix gets
    // around. (A hard link under another name is scanned: checking every file's identity would
    // cost a stat per file.)
    for (const auto& p : options.exclude) {
      auto info = agent::stat_no_follow(p);
      if (info && info->kind == agent::FileKind::kRegular) excluded_ids_.push_back(info->id);
      excluded_names_.insert(p.filename());
    }
  }

  void add_root(const fs::path& root) {
    // One resolution per argument (not per file): the folder's real path, so every spelling of it
    // gives the same identities below it.
    std::error_code ec;
    root_ = root;
    resolved_root_ = fs::weakly_canonical(fs::absolute(root, ec), ec);
    if (ec) resolved_root_ = root.lexically_normal();
    auto st = path_type(root, false);
    if (!st) {
      add_error(root, "", "cannot open: " + st.error().message);
      return;
    }
    if (st->type == fs::file_type::not_found) {
      add_error(root, "", "no such file or folder");
      return;
    }
    if (st->type == fs::file_type::symlink) {
      // A link given on the command line is followed, like `find -H`.
      st = path_type(root, true);
      if (!st || st->type == fs::file_type::not_found) {
        add_error(root, "symlink", "broken symbolic link");
        return;
      }
    }
    if (st->type != fs::file_type::directory && st->type != fs::file_type::regular) {
      // Named on the command line: not silently skipped, so the exit code says "not scanned".
      ScanResult r;
      r.path = root.string();
      r.status = ScanStatus::kUnscannable;
      r.reason = "not a regular file: " + special_reason(st->type);
      result_.items.push_back({root, identity_of(root), 0, std::move(r)});
      return;
    }
    add_by_type(root, *st, 0);
  }

  WalkResult take() {
    std::sort(result_.items.begin(), result_.items.end(),
              [](const WalkItem& a, const WalkItem& b) { return a.path < b.path; });
    std::set<fs::path> seen;
    std::erase_if(result_.items,
                  [&](const WalkItem& item) { return !seen.insert(item.identity).second; });
    std::sort(result_.folders.begin(), result_.folders.end(),
              [](const WalkFolder& a, const WalkFolder& b) { return a.path < b.path; });
    std::set<fs::path> seen_folders;
    std::erase_if(result_.folders, [&](const WalkFolder& folder) {
      return !seen_folders.insert(folder.identity).second;
    });
    std::sort(result_.skipped.begin(), result_.skipped.end(),
              [](const SkippedEntry& a, const SkippedEntry& b) { return a.path < b.path; });
    result_.total_bytes = 0;
    for (const auto& item : result_.items) result_.total_bytes += item.size;
    return std::move(result_);
  }

 private:
  void add_by_type(const fs::path& path, const PathType& st, int depth) {
    if (st.type == fs::file_type::directory) {
      walk_folder(path, depth);
    } else if (st.type == fs::file_type::regular) {
      add_file(path, st.size);
    } else {
      result_.skipped.push_back({path, special_reason(st.type)});
    }
  }

  void add_file(const fs::path& path, std::uint64_t size) {
    if (is_excluded(path)) {
      result_.skipped.push_back({path, "the --output file (not scanned)"});
      return;
    }
    result_.items.push_back({path, identity_of(path), size, std::nullopt});
  }

  // `path` is the current argument joined with entry names, so its part below the argument is
  // exact; it is joined to the argument's resolved form.
  fs::path identity_of(const fs::path& path) const {
    if (path == root_) return resolved_root_;
    const fs::path below = path.lexically_relative(root_);
    if (below.empty()) return path;
    return resolved_root_ / below;
  }

  void walk_folder(const fs::path& folder, int depth) {
    if (depth > options_.max_folder_depth) {
      add_error(folder, "folder",
                "folder nesting deeper than " + std::to_string(options_.max_folder_depth));
      return;
    }
    result_.folders.push_back({folder, identity_of(folder)});
    const FolderListing listing = list_folder(folder);
    for (const FolderEntry& entry : listing.entries) {
      if (!entry.error.empty()) {
        add_error(entry.path, "", entry.error);
        continue;
      }
      if (entry.type.type == fs::file_type::symlink) {
        auto target = path_type(entry.path, true);
        if (!target || target->type == fs::file_type::not_found) {
          add_error(entry.path, "symlink", "broken symbolic link");
        } else if (target->type == fs::file_type::directory) {
          result_.skipped.push_back({entry.path, "symbolic link to a folder (not followed)"});
        } else {
          add_by_type(entry.path, *target, depth + 1);
        }
        continue;
      }
      add_by_type(entry.path, entry.type, depth + 1);
    }
    if (!listing.error.empty()) add_error(folder, "folder", listing.error);
  }

  bool is_excluded(const fs::path& path) const {
    if (excluded_ids_.empty() || !excluded_names_.contains(path.filename())) return false;
    auto info = agent::stat_no_follow(path);
    return info &&
           std::find(excluded_ids_.begin(), excluded_ids_.end(), info->id) != excluded_ids_.end();
  }

  void add_error(const fs::path& path, std::string type, std::string reason) {
    ScanResult r;
    r.path = path.string();
    r.status = ScanStatus::kError;
    r.reason = std::move(reason);
    r.type = std::move(type);
    result_.items.push_back({path, identity_of(path), 0, std::move(r)});
  }

  const WalkOptions& options_;
  fs::path root_;           // the argument being walked, as typed
  fs::path resolved_root_;  // and resolved
  std::vector<agent::FileId> excluded_ids_;
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

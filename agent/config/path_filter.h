// PathFilter: which files under a watched folder are the agent's business.
//
// Globs are matched against the path relative to the watched root, with '/' separators:
// `*` and `?` stay inside one segment, `**` spans segments, `[abc]` is a class. A pattern without
// a '/' matches the file name alone (as in .gitignore). Always skipped: office lock and temporary
// files (`~$*`, `.~lock.*#`, `*.tmp`). Vakt's notes (`*.vakt.txt`) and partial copies
// (`*.vakt-partial`) are let through and recognised in the worker, by content and by owner.
//
//   PathFilter f({"**/*.docx"}, {"Privat/**"});
//   if (f.wanted("Rapporter/q3.docx")) enqueue();
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vakt::agent {

bool glob_match(std::string_view pattern, std::string_view path);

class PathFilter {
 public:
  PathFilter() = default;
  PathFilter(std::vector<std::string> include, std::vector<std::string> exclude);
  // `relative`: path relative to the watched root, '/'-separated.
  bool wanted(std::string_view relative) const;
  // Whether a folder's own name is checked: not excluded ("Privat/**" covers the folders below
  // Privat). Include patterns name files ("**/*.docx") and do not apply to folders.
  bool folder_wanted(std::string_view relative) const;
  // Only the built-in skip list (lock and temporary files), by file name.
  static bool always_skipped(std::string_view file_name);

 private:
  static bool matches(const std::string& pattern, std::string_view relative);
  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
};

}  // namespace vakt::agent

#include "config/path_filter.h"

namespace vakt::agent {
namespace {

// Matches a bracket class at p[0] == '['; returns false for a malformed class (treated literally).
bool class_match(std::string_view pattern, std::size_t& pi, char c, bool& matched) {
  std::size_t i = pi + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char lo = pattern[i];
    char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      i += 2;
    }
    if (c >= lo && c <= hi) found = true;
    ++i;
  }
  if (i >= pattern.size()) return false;
  pi = i + 1;
  matched = found != negate;
  return true;
}

bool match_from(std::string_view p, std::size_t pi, std::string_view s, std::size_t si) {
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      if (double_star) {
        std::size_t next = pi + 2;
        // "**/" also matches zero segments.
        if (next < p.size() && p[next] == '/') {
          if (match_from(p, next + 1, s, si)) return true;
        }
        for (std::size_t k = si; k <= s.size(); ++k) {
          if (match_from(p, next, s, k)) return true;
        }
        return false;
      }
      for (std::size_t k = si; k <= s.size(); ++k) {
        if (match_from(p, pi + 1, s, k)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (pc == '?') {
      if (s[si] == '/') return false;
      ++pi;
      ++si;
      continue;
    }
    if (pc == '[') {
      std::size_t after = pi;
      bool matched = false;
      if (class_match(p, after, s[si], matched)) {
        if (!matched || s[si] == '/') return false;
        pi = after;
        ++si;
        continue;
      }
    }
    if (pc == '\\' && pi + 1 < p.size()) {
      ++pi;
      pc = p[pi];
    }
    if (pc != s[si]) return false;
    ++pi;
    ++si;
  }
  return si == s.size();
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(pattern, 0, path, 0);
}

PathFilter::PathFilter(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(std::move(include)), exclude_(std::move(exclude)) {}

bool PathFilter::matches(const std::string& pattern, std::string_view relative) {
  if (pattern.find('/') == std::string::npos) return glob_match(pattern, base_name(relative));
  return glob_match(pattern, relative);
}

bool PathFilter::always_skipped(std::string_view name) {
  // Not "*.vakt.txt" nor "*.vakt-partial": Vakt's notes and partial copies are told apart in the
  // worker (by content, by owner), so a document renamed to look like one is still scanned.
  static const char* const kSkip[] = {"~$*", ".~lock.*#", "*.tmp", "*.vakt.txt.tmp"};
  for (const char* pattern : kSkip) {
    if (glob_match(pattern, name)) return true;
  }
  return false;
}

bool PathFilter::folder_wanted(std::string_view relative) const {
  for (const auto& pattern : exclude_) {
    if (matches(pattern, relative)) return false;
  }
  return true;
}

bool PathFilter::wanted(std::string_view relative) const {
  if (always_skipped(base_name(relative))) return false;
  for (const auto& pattern : exclude_) {
    if (matches(pattern, relative)) return false;
  }
  if (include_.empty()) return true;
  for (const auto& pattern : include_) {
    if (matches(pattern, relative)) return true;
  }
  return false;
}

}  // namespace vakt::agent

#include "runtime/watch_roots.h"

#include "actions/utf8_path.h"

namespace vakt::agent {
namespace {

// A path as UTF-8 with '/' separators (Windows' '\' too), without trailing separators except
// a root's own ("/", "C:/"), so prefixes compare the same on every platform.
std::string compare_key(const std::filesystem::path& path) {
  const std::u8string generic = path.generic_u8string();
  std::string text(generic.begin(), generic.end());
  while (text.size() > 1 && text.back() == '/' && text[text.size() - 2] != ':') text.pop_back();
  return text;
}

}  // namespace

bool WatchRoots::add(WatchRoot root) {
  root.path = path_from_utf8(compare_key(root.path.lexically_normal())).make_preferred();
  for (const auto& r : roots_) {
    if (r.path == root.path) return false;
  }
  roots_.push_back(std::move(root));
  return true;
}

std::optional<RootMatch> WatchRoots::find(const std::filesystem::path& path) const {
  const auto text = compare_key(path);
  std::optional<RootMatch> best;
  std::size_t best_len = 0;
  for (const auto& r : roots_) {
    const auto rp = compare_key(r.path);
    if (text.size() <= rp.size() || text.compare(0, rp.size(), rp) != 0) continue;
    const bool root_ends_in_separator = rp.back() == '/';
    if (!root_ends_in_separator && text[rp.size()] != '/') continue;
    if (rp.size() < best_len) continue;
    best_len = rp.size();
    auto rel = text.substr(root_ends_in_separator ? rp.size() : rp.size() + 1);
    best = RootMatch{&r, rel};
  }
  return best;
}

}  // namespace vakt::agent

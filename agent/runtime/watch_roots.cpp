#include "runtime/watch_roots.h"

namespace vakt::agent {

bool WatchRoots::add(WatchRoot root) {
  auto normal = root.path.lexically_normal();
  auto text = normal.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  root.path = text;
  for (const auto& r : roots_) {
    if (r.path == root.path) return false;
  }
  roots_.push_back(std::move(root));
  return true;
}

std::optional<RootMatch> WatchRoots::find(const std::filesystem::path& path) const {
  const auto text = path.string();
  std::optional<RootMatch> best;
  std::size_t best_len = 0;
  for (const auto& r : roots_) {
    const auto& rp = r.path.string();
    if (text.size() <= rp.size() || text.compare(0, rp.size(), rp) != 0) continue;
    if (rp != "/" && text[rp.size()] != '/') continue;
    if (rp.size() < best_len) continue;
    best_len = rp.size();
    auto rel = text.substr(rp == "/" ? 1 : rp.size() + 1);
    best = RootMatch{&r, rel};
  }
  return best;
}

}  // namespace vakt::agent

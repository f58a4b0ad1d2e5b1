// WatchRoots: the folders the agent watches and what each one is — a sync folder (OneDrive) or
// an airlock outbox with its target. Maps any path to its root (longest prefix), so the filters
// see root-relative paths and the airlock knows where a clean file goes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vakt::agent {

enum class RootKind { kSync, kOutbox };

struct WatchRoot {
  std::filesystem::path path;
  RootKind kind = RootKind::kSync;
  std::filesystem::path target;  // outbox only
};

struct RootMatch {
  const WatchRoot* root = nullptr;
  std::string relative;  // '/'-separated, no leading slash
};

class WatchRoots {
 public:
  // Adds (normalised, de-duplicated); returns false when already present.
  bool add(WatchRoot root);
  std::optional<RootMatch> find(const std::filesystem::path& path) const;
  const std::vector<WatchRoot>& all() const { return roots_; }

 private:
  std::vector<WatchRoot> roots_;
};

}  // namespace vakt::agent

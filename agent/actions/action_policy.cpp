#include "actions/action_policy.h"

namespace vakt::agent {

std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::kNone:
      return "none";
    case Decision::kQuarantine:
      return "quarantine";
    case Decision::kHold:
      return "hold";
    case Decision::kForward:
      return "forward";
  }
  return "none";
}

bool is_image_type(std::string_view type) {
  return type.starts_with("image/");
}

Decision decide_action(const AgentConfig& c, int info_class, ScanStatus status, bool in_airlock,
                       bool image) {
  bool flagged = info_class >= c.fail_class;
  bool complete = status == ScanStatus::kScanned;
  auto level = static_cast<std::size_t>(info_class < 0 ? 0 : (info_class > 3 ? 3 : info_class));
  const UnscannablePolicy incomplete = image ? c.images : c.unscannable;
  if (in_airlock) {
    if (complete && !flagged) return Decision::kForward;
    if (!flagged && image && c.images == UnscannablePolicy::kLog) return Decision::kForward;
    bool quarantine = flagged ? c.airlock_flagged == AirlockFlagged::kQuarantine
                              : incomplete == UnscannablePolicy::kQuarantine;
    return quarantine && c.quarantine_enabled() ? Decision::kQuarantine : Decision::kHold;
  }
  if (complete || flagged) {
    return c.actions[level] == Action::kQuarantine && c.quarantine_enabled() ? Decision::kQuarantine
                                                                             : Decision::kNone;
  }
  switch (incomplete) {
    case UnscannablePolicy::kQuarantine:
      return c.quarantine_enabled() ? Decision::kQuarantine : Decision::kNone;
    case UnscannablePolicy::kHold:
      return Decision::kHold;
    case UnscannablePolicy::kLog:
      return Decision::kNone;
  }
  return Decision::kNone;
}

}  // namespace vakt::agent

// The action policy: what the agent does with a file once it has a verdict. Pure function of the
// configuration, the verdict and where the file is (a sync folder or an airlock outbox).
//
//   sync folder:  scanned → policy.actions[class]; partial at/above fail_class → the class's
//                 action; otherwise not fully scanned → policy.unscannable (fail closed), a
//                 picture → policy.images (default log).
//   airlock:      scanned and below fail_class → forward to the sync folder; flagged →
//                 policy.airlock_flagged; not fully scanned → stays (quarantine or hold); a
//                 picture with policy.images log → forwarded.
#pragma once

#include <string_view>

#include "config/agent_config.h"
#include "vakt/scanner/scan_result.h"

namespace vakt::agent {

enum class Decision { kNone, kQuarantine, kHold, kForward };

std::string_view to_string(Decision d);

// `image`: the file is a picture (type image/*), not read for want of OCR. Not fully scanned
// pictures follow policy.images instead of policy.unscannable: photos are common in a sync
// folder, and a scanned case file is far more often a PDF (which stays fail closed).
Decision decide_action(const AgentConfig& config, int info_class, ScanStatus status,
                       bool in_airlock, bool image = false);

bool is_image_type(std::string_view type);

}  // namespace vakt::agent

#include "cli/path_mask.h"

#include "vakt/scanner/mask_text.h"

namespace vakt::cli {

std::string mask_path(std::string_view path) {
  return mask_identity_numbers(path);
}

}  // namespace vakt::cli

// libmagic's database on Linux: the system's, found by libmagic itself; see magic_database.h.
#include "extract/magic_database.h"

namespace vakt::extract {

bool load_magic_database(magic_t cookie) {
  return magic_load(cookie, nullptr) == 0;
}

Status magic_database_status() {
  return Ok{};
}

}  // namespace vakt::extract

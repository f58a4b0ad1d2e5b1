// Linux side of runtime/standard_streams.h.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/standard_streams.h"

namespace vakt::agent {

void ensure_standard_streams() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // open() returns the lowest free number, which is `fd` itself.
    const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened >= 0 && opened != fd) ::close(opened);
  }
}

}  // namespace vakt::agent

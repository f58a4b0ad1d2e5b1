// Memory policy of a batch job (`vakt scan`): freed blocks stay with the process for the next
// file instead of going back to the kernel. glibc returns blocks above its mmap/trim thresholds
// at once, so every file's snapshot and inflated parts were faulted in page by page again:
// 49 000 page faults and ~9 % of the time over 32 benchmark docx files, ~5 % on the mixed corpus
// (peak RSS 186 -> 202 MB there). The agent keeps the platform's defaults: it is long-lived and
// mostly idle, and gives memory back. mimalloc (Linux builds) keeps freed pages for 1 s instead
// of 25 ms.
#pragma once

namespace vakt::agent {

void keep_freed_memory_for_batch();

}  // namespace vakt::agent

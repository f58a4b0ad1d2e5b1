// The process's allocator (runtime/allocator.h, platform/linux/operator_new_linux.cpp): a failed
// operator new calls the installed new-handler and then throws std::bad_alloc, as the standard
// says — mimalloc's own operator new would abort the process instead — and the version line names
// the allocator in use.
#include "runtime/allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <new>

#include "util/sanitizers.h"

namespace vakt::agent {
namespace {

constexpr bool kSanitizer = kAddressSanitizer;

// 4 EiB: more than any address space. volatile, so the compiler cannot see the size or drop the
// allocation.
volatile std::size_t g_impossible = std::size_t{1} << 62;
char* volatile g_keep = nullptr;

void allocate_impossible() {
  g_keep = new char[g_impossible];
  delete[] g_keep;
}

int g_handler_calls = 0;

TEST(Allocator, FailedNewThrowsBadAlloc) {
  if (kSanitizer) GTEST_SKIP() << "AddressSanitizer reports oversized allocations itself";
  EXPECT_THROW(allocate_impossible(), std::bad_alloc);
}

TEST(Allocator, FailedNewCallsTheNewHandlerFirst) {
  if (kSanitizer) GTEST_SKIP() << "AddressSanitizer reports oversized allocations itself";
  g_handler_calls = 0;
  std::set_new_handler([] {
    ++g_handler_calls;
    std::set_new_handler(nullptr);  // nothing to free: the next failure throws
  });
  EXPECT_THROW(allocate_impossible(), std::bad_alloc);
  std::set_new_handler(nullptr);
  EXPECT_EQ(g_handler_calls, 1);
}

TEST(Allocator, NothrowNewReturnsNull) {
  if (kSanitizer) GTEST_SKIP() << "AddressSanitizer reports oversized allocations itself";
  g_keep = new (std::nothrow) char[g_impossible];
  EXPECT_EQ(g_keep, nullptr);
}

TEST(Allocator, AlignedNewIsAlignedAndReleased) {
  for (std::size_t align : {16u, 64u, 256u, 4096u}) {
    auto* p = static_cast<char*>(::operator new(100, std::align_val_t(align)));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % align, 0u) << align;
    p[99] = 1;
    ::operator delete(p, std::align_val_t(align));
  }
}

TEST(Allocator, DescriptionNamesTheAllocatorInUse) {
#if defined(VAKT_WITH_MIMALLOC)
  EXPECT_EQ(allocator_description().rfind("mimalloc ", 0), 0u) << allocator_description();
#else
  EXPECT_EQ(allocator_description(), "glibc malloc");
#endif
}

}  // namespace
}  // namespace vakt::agent

// Whether this build runs under AddressSanitizer. ASan brings its own allocator and reserves
// terabytes of shadow memory up front: no RLIMIT_AS under it, and oversized allocations are its
// own reports, not std::bad_alloc.
#pragma once

namespace vakt {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace vakt

#include "cli/progress.h"

#include <algorithm>
#include <cstdio>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace vakt::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 24;

std::string format_duration(double seconds) {
  if (seconds < 0 || seconds > 359999) return "--:--";
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

bool stderr_is_terminal() {
#ifdef _WIN32
  return _isatty(_fileno(stderr)) != 0;
#else
  return isatty(STDERR_FILENO) != 0;
#endif
}

bool stdout_is_terminal() {
#ifdef _WIN32
  return _isatty(_fileno(stdout)) != 0;
#else
  return isatty(STDOUT_FILENO) != 0;
#endif
}

ProgressBar::ProgressBar(bool enabled, std::uint64_t total_files, std::uint64_t total_bytes)
    : enabled_(enabled),
      total_files_(total_files),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

std::string ProgressBar::render(std::uint64_t files_done, std::uint64_t total_files,
                                std::uint64_t bytes_done, std::uint64_t total_bytes,
                                double seconds) {
  double fraction = 0.0;
  if (total_bytes > 0) {
    fraction = static_cast<double>(bytes_done) / static_cast<double>(total_bytes);
  } else if (total_files > 0) {
    fraction = static_cast<double>(files_done) / static_cast<double>(total_files);
  }
  fraction = std::clamp(fraction, 0.0, 1.0);
  int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');

  double mb_per_s = seconds > 0 ? static_cast<double>(bytes_done) / 1e6 / seconds : 0.0;
  double eta = -1;
  if (fraction > 0 && seconds > 0.5) eta = seconds * (1.0 - fraction) / fraction;

  char buf[160];
  std::snprintf(buf, sizeof buf, "[%s] %llu/%llu files  %.1f MB/s  ETA %s", bar.c_str(),
                static_cast<unsigned long long>(files_done),
                static_cast<unsigned long long>(total_files), mb_per_s,
                format_duration(eta).c_str());
  return buf;
}

void ProgressBar::update(std::uint64_t files_done, std::uint64_t bytes_done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = render(files_done, total_files_, bytes_done, total_bytes_, seconds);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  visible_ = true;
}

void ProgressBar::clear() {
  if (!enabled_ || !visible_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  visible_ = false;
}

void ProgressBar::finish() {
  clear();
  enabled_ = false;
}

}  // namespace vakt::cli

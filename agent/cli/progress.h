// ProgressBar: one self-redrawing status line on stderr while `vakt scan` runs —
// files done/total, throughput and an ETA. Drawn only when stderr is a terminal (never into
// logs or pipes), and redrawn at most ten times a second however often update() is called.
//
//   ProgressBar bar(options.progress, total_files, total_bytes);
//   bar.update(files_done, bytes_done);     // cheap; call after every result
//   bar.clear();                            // before writing rows to a terminal stdout
//   bar.finish();                           // erases the line for good
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace vakt::cli {

bool stderr_is_terminal();
bool stdout_is_terminal();

class ProgressBar {
 public:
  ProgressBar(bool enabled, std::uint64_t total_files, std::uint64_t total_bytes);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t files_done, std::uint64_t bytes_done);
  void clear();
  void finish();

  // The text of the line for the given state (exposed for tests; no terminal codes).
  static std::string render(std::uint64_t files_done, std::uint64_t total_files,
                            std::uint64_t bytes_done, std::uint64_t total_bytes, double seconds);

 private:
  bool enabled_;
  bool visible_ = false;
  std::uint64_t total_files_;
  std::uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace vakt::cli

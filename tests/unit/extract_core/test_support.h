// Helpers for the extraction tests: a recording TextSink, a temp dir, and real zip/tar/gz files
// built at test time with libzip and libarchive.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "vakt/scanner/limits.h"
#include "vakt/scanner/text_sink.h"

namespace vakt::extract::testing {

class RecordingSink : public TextSink {
 public:
  struct Part {
    std::string name;
    std::string text;
  };
  void begin_part(std::string_view name) override;
  void text(std::string_view utf8) override;
  void end_part() override;

  std::string all() const;                        // every part's text, joined by '\n'
  const Part* find(std::string_view name) const;  // first part with that name
  std::vector<std::string> names() const;

  std::vector<Part> parts;
  bool open = false;
  int nesting_errors = 0;  // begin_part while a part was open
  int orphan_text = 0;     // text outside any part
  std::size_t largest_piece = 0;
};

struct Outcome {
  RecordingSink sink;
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;
  std::string type;
  std::uint64_t text_bytes = 0;
};

// Runs the real dispatcher on bytes, as a top-level document.
Outcome extract_bytes(std::string_view bytes, const std::string& name, const Limits& limits = {});

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, std::string_view bytes) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

struct Member {
  std::string name;
  std::string data;
  bool encrypt = false;  // traditional PKWARE encryption, password "hemligt"
  bool store = false;    // stored, not deflated (the bytes appear as they are in the archive)
};
std::string make_zip(const std::vector<Member>& members);

// libarchive writer: format e.g. "pax", "7zip", "raw"; filter e.g. "gzip", "bzip2", "xz", "none".
std::string make_archive(const std::vector<Member>& members, const std::string& format,
                         const std::string& filter);

}  // namespace vakt::extract::testing

// FileScanner: scans one file end to end — detect type, extract text (children re-enter the
// dispatcher), match, classify — and returns a ScanResult. One per worker thread.
//
//   FileScanner fs(engine);
//   ScanResult r = fs.scan_file("/home/anna/OneDrive/brev.docx");
//
// It never throws and never reports a file it could not fully read as `scanned`.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "vakt/scanner/scan_result.h"

namespace vakt {

class Engine;

struct FileScanOptions {
  bool explain = false;                  // keep rejected candidates and match explanations
  bool scan_file_name = true;            // personnummer in file names are common
  bool isolate_risky_parsers = true;     // PDF and other third-party parsers in a child process
};

class FileScanner {
 public:
  explicit FileScanner(std::shared_ptr<const Engine> engine, FileScanOptions options = {});
  ~FileScanner();
  FileScanner(const FileScanner&) = delete;
  FileScanner& operator=(const FileScanner&) = delete;

  ScanResult scan_file(const std::filesystem::path& path);
  // Scans bytes already in memory; `name` is used for display and the file-name check.
  ScanResult scan_buffer(std::string_view bytes, std::string_view name);
  // Scans a file name alone (as scan_file scans it beside the content): lets a caller that
  // reuses a verdict by content (a copy under another name) see whether the name adds findings.
  ScanResult scan_name_only(std::string_view name);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vakt

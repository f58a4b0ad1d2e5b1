// FileWalker: turns the PATH arguments of `vakt scan` into the sorted list of files to scan.
//
//   WalkResult walk = walk_paths({"samples", "brev.docx"}, {});
//   for (auto& item : walk.items) { if (item.outcome) ... else scan(item.path); }
//
// Rules (documented in the README):
// - Folders are walked recursively. Symbolic links to folders found inside a tree are not followed
//   (they could lead out of the tree or into a loop); they are listed in `skipped`. A link given
//   directly as an argument is followed, like `find -H`.
// - Symbolic links to files are scanned. A dangling link, a missing argument, and a folder that
//   cannot be opened or listed become `error` results (item.outcome), never silently dropped.
// - FIFOs, sockets and devices are never opened (a FIFO would block): they are listed in `skipped`.
// - Every folder walked is listed in `folders` (sorted, de-duplicated like the items), so the
//   caller can check folder names.
// - Items are sorted by path (std::filesystem::path order) and de-duplicated, so the output
//   order does not depend on the directory order or on the number of threads. A file reached
//   through two spellings of one folder (`a.txt` and `./a.txt`, a folder and a subfolder of it,
//   a link to a folder given beside the folder) is scanned once, under the spelling that sorts
//   first: each argument is resolved once (weakly_canonical) and files compare by the resolved
//   argument joined with their names below it. Hard links under other names stay separate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vakt/scanner/scan_result.h"

namespace vakt::cli {

struct WalkItem {
  std::filesystem::path path;         // as displayed: the argument joined with the entry names
  std::filesystem::path identity;     // the resolved argument joined with the entry names
  std::uint64_t size = 0;             // from the directory walk; 0 for outcomes
  std::optional<ScanResult> outcome;  // set when the walk already decided (an error)
};

struct SkippedEntry {
  std::filesystem::path path;
  std::string reason;  // "symbolic link to a folder (not followed)", "fifo", …
};

struct WalkOptions {
  std::vector<std::filesystem::path> exclude;  // e.g. the --output file; compared by file identity
  int max_folder_depth = 256;                  // deeper folders become an error result
};

// A folder the walk went through (the arguments themselves included): its name is data too — a
// folder named after a person syncs to OneDrive with the files in it.
struct WalkFolder {
  std::filesystem::path path;      // as displayed
  std::filesystem::path identity;  // resolved, for de-duplication
};

struct WalkResult {
  std::vector<WalkItem> items;
  std::vector<WalkFolder> folders;  // sorted by path, each once
  std::vector<SkippedEntry> skipped;
  std::uint64_t total_bytes = 0;
};

WalkResult walk_paths(const std::vector<std::filesystem::path>& roots, const WalkOptions& options);

}  // namespace vakt::cli

// `vakt scan PATH...`: the helpdesk's one-shot scan. A thin front end over the scanner library:
// flags -> ScanOptions -> Engine::load -> walk -> worker pool of FileScanners -> printer.
// Exit codes: see command_registry.h (0 clean, 1 flagged, 2 usage/configuration, 3 incomplete).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command_registry.h"
#include "cli/file_walker.h"
#include "cli/path_mask.h"
#include "cli/progress.h"
#include "cli/scan_options.h"
#include "cli/scan_output.h"
#include "cli/scan_pool.h"
#include "cli/scan_summary.h"
#include "runtime/batch_memory.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/file_scanner.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::cli {
namespace {

constexpr std::size_t kMaxPathColumn = 60;

constexpr const char* kScanFooter = R"(Exit codes:
  0  nothing at or above --fail-class
  1  at least one file at or above --fail-class
  2  usage or configuration error (bad flag, rules that do not load, unreadable key file)
  3  nothing flagged, but some file could not be fully scanned (partial, unscannable, error)

Folders are walked recursively; symbolic links to folders inside them are not followed; FIFOs,
sockets and devices are skipped. Results are printed sorted by path, the same for any --threads.
Matched values are never printed in clear: only masked (19990604-****) or keyed pseudonyms;
personnummer in file and folder names are masked the same way.

Examples:
  vakt scan ~/OneDrive                      table and summary
  vakt scan --explain brev.docx             why each finding matched or was rejected
  vakt scan --format jsonl -o scan.jsonl D:\Delade\Socialtjänst
  vakt scan --format csv -o fynd.csv .      opens in Excel (UTF-8 with BOM, ';' separated))";

// Findings and rejections come grouped by part (a deck has thousands in a few hundred parts):
// each distinct name is masked once.
template <typename Item>
void mask_parts(std::vector<Item>& items) {
  std::string last_in;
  std::string last_out;
  bool have_last = false;
  for (auto& item : items) {
    if (!have_last || item.part != last_in) {
      last_in = item.part;
      last_out = mask_path(item.part);
      have_last = true;
    }
    item.part = last_out;
  }
}

// Paths, reasons and container member names are shown with identity numbers masked.
void mask_names(ScanResult& r) {
  r.path = mask_path(r.path);
  r.reason = mask_path(r.reason);
  mask_parts(r.findings);
  mask_parts(r.rejections);
}

// A folder whose own name is flagged (a personnummer, at class 2 or the fail class) is reported
// as a result of type "folder": the files in it are scanned on their own, but the name syncs with
// them. Folders whose names flag nothing are not listed.
template <typename Emit>
void report_folder_names(std::shared_ptr<const Engine> engine,
                         const std::vector<WalkFolder>& folders, int fail_class, Emit&& emit) {
  if (folders.empty()) return;
  FileScanner names(std::move(engine));
  for (const WalkFolder& folder : folders) {
    std::filesystem::path name = folder.path.filename();
    if (name.empty()) name = folder.path.parent_path().filename();  // "dir/"
    ScanResult r = names.scan_name_only(name.string());
    if (r.findings.empty() || r.info_class < std::min(fail_class, 2)) continue;
    r.path = (folder.path / "").string();  // a trailing separator: plainly a folder
    r.type = "folder";
    r.status = ScanStatus::kScanned;
    emit(std::move(r));
  }
}

bool interesting(const ScanResult& r, int fail_class) {
  return is_flagged(r, fail_class) || is_incomplete(r);
}

int run_scan(const ScanFlags& flags) {
  agent::keep_freed_memory_for_batch();
  auto resolved = resolve_scan_options(flags);
  if (!resolved) {
    std::cerr << "vakt scan: " << mask_identity_numbers(resolved.error().message) << "\n";
    return kExitUsage;
  }
  ScanOptions& options = resolved.value();

  auto loaded = Engine::load(options.engine);
  if (!loaded) {
    std::cerr << "vakt scan: cannot load rules: " << mask_identity_numbers(loaded.error().message)
              << "\n";
    return kExitUsage;
  }
  std::shared_ptr<const Engine> engine = loaded.value();

  std::ofstream file_out;
  std::ostream* out = &std::cout;
  WalkOptions walk_options;
  if (!options.output.empty()) {
    // Opening the report truncates it: a report path that is one of the files to scan would
    // erase the user's file and then call it clean. Checked before anything is opened.
    for (const auto& path : options.paths) {
      std::error_code ec;
      if (std::filesystem::equivalent(options.output, path, ec) && !ec) {
        std::cerr << "vakt scan: --output " << mask_identity_numbers(options.output.string())
                  << " is also a file to scan; write the report to another file\n";
        return kExitUsage;
      }
    }
    file_out.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::cerr << "vakt scan: cannot write --output "
                << mask_identity_numbers(options.output.string()) << "\n";
      return kExitUsage;
    }
    out = &file_out;
    walk_options.exclude.push_back(options.output);
  }

  const auto start = std::chrono::steady_clock::now();
  WalkResult walk = walk_paths(options.paths, walk_options);
  for (auto& item : walk.items) {
    if (item.outcome && item.outcome->class_name.empty()) {
      item.outcome->class_name = engine->class_name(item.outcome->info_class);
    }
  }

  PrintOptions print;
  print.explain = options.explain;
  print.fail_class = options.fail_class;
  print.path_width = 4;
  for (const auto& item : walk.items) {
    print.path_width = std::max(print.path_width, display_width(item.path.string()));
  }
  print.path_width = std::min(print.path_width, kMaxPathColumn);
  print.class_width = 5;
  for (const auto& level : engine->classes()) {
    print.class_width =
        std::max(print.class_width, display_width(std::to_string(level.level) + " " + level.name));
  }

  auto printer = make_scan_printer(options.format, *out, print);
  ScanSummary summary(options.fail_class);
  summary.threads = options.threads;
  summary.skipped = walk.skipped.size();
  ProgressBar bar(options.progress, walk.items.size(), walk.total_bytes);
  const bool rows_share_terminal = options.progress && out == &std::cout && stdout_is_terminal();
  const bool text = options.format == OutputFormat::kText;

  if (!(options.quiet && text)) printer->begin();
  FileScanOptions file_options;
  file_options.explain = options.explain;
  run_scan_pool(
      engine, file_options, options.threads, walk.items,
      [&](ScanResult&& r) {
        if (r.class_name.empty()) r.class_name = engine->class_name(r.info_class);
        mask_names(r);
        summary.add(r);
        if (options.quiet && !interesting(r, options.fail_class)) return;
        if (rows_share_terminal) bar.clear();
        printer->result(r);
      },
      [&](std::uint64_t files, std::uint64_t bytes) { bar.update(files, bytes); });
  bar.finish();
  report_folder_names(engine, walk.folders, options.fail_class, [&](ScanResult&& r) {
    r.class_name = engine->class_name(r.info_class);
    mask_names(r);
    summary.add(r);
    if (rows_share_terminal) bar.clear();
    printer->result(r);
  });
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!options.quiet) {
    if (text) {
      printer->end(summary, walk.skipped);
    } else {
      // Machine formats keep their stream clean: the summary goes where nobody parses it.
      std::ostream& human = out == &std::cout ? std::cerr : std::cout;
      print_summary(human, summary, walk.skipped, options.explain);
    }
  }
  out->flush();
  if (!*out) {
    std::cerr << "vakt scan: writing the results failed"
              << (options.output.empty() ? "" : " (" + options.output.string() + ")") << "\n";
    return kExitUsage;
  }
  return summary.exit_code();
}

CommandAction setup_scan(CLI::App& app) {
  auto flags = std::make_shared<ScanFlags>();
  auto* cmd = app.add_subcommand("scan",
                                 "Scan files and folders for personnummer and "
                                 "OSL-sensitive content and give each an information class");
  cmd->footer(kScanFooter);
  cmd->add_option("paths", flags->paths, "Files and folders to scan (folders recursively)")
      ->required()
      ->type_name("PATH");
  cmd->add_option("--threads,-j", flags->threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u))
      ->type_name("N");
  cmd->add_option("--rules", flags->rules_dir,
                  "Folder of *.yaml rule packs and policy.yaml (default: the built-in packs)")
      ->type_name("DIR");
  cmd->add_option(
         "--cache-dir", flags->cache_dir,
         "Keep compiled rule databases here (default: $XDG_CACHE_HOME/vakt or ~/.cache/vakt)")
      ->type_name("DIR");
  cmd->add_option("--pseudonym-key-file", flags->pseudonym_key_file,
                  "Raw key bytes for keyed pseudonyms (HMAC-SHA256) of matched values")
      ->type_name("FILE");
  cmd->add_option("--fail-class", flags->fail_class,
                  "Lowest information class that makes the exit code 1 (default: 2)")
      ->check(CLI::Range(0, 3))
      ->type_name("N");
  cmd->add_option("--format", flags->format, "Output format: text, jsonl or csv (default: text)")
      ->check(CLI::IsMember({"text", "jsonl", "csv"}))
      ->type_name("FORMAT");
  cmd->add_option("--output,-o", flags->output, "Write the results to FILE instead of stdout")
      ->type_name("FILE");
  cmd->add_flag("--explain", flags->explain,
                "Show every finding and every rejected candidate with the reason");
  cmd->add_option("--reference-date", flags->reference_date,
                  "Date used as 'today' for the century of 10-digit numbers (default: today)")
      ->type_name("YYYY-MM-DD");
  cmd->add_flag(
      "--quiet,-q", flags->quiet,
      "List only flagged or not fully scanned files; no table header, summary or progress");
  cmd->add_flag("--no-progress", flags->no_progress, "No progress bar on stderr");
  cmd->add_option("--max-file-size", flags->max_file_size,
                  "Larger files are not opened but reported unscannable (e.g. 500M; default 4G)")
      ->type_name("SIZE");
  cmd->add_option("--max-depth", flags->max_depth,
                  "Deepest container nesting read, e.g. zip in docx in eml (default: 8)")
      ->check(CLI::Range(0, 64))
      ->type_name("N");
  cmd->add_option("--timeout", flags->timeout_seconds,
                  "Seconds per file before it is reported not fully scanned (default: 120)")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            // CLI11's PositiveNumber lets "nan" through and prints DBL_MAX for 0.
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v <= 0 || v > 86400) {
              return "must be a number of seconds above 0 and at most 86400";
            }
            return {};
          },
          "SECONDS"))
      ->type_name("SECONDS");
  return [flags]() -> int {
    try {
      return run_scan(*flags);
    } catch (const std::exception& e) {
      std::cerr << "vakt scan: internal error: " << e.what() << "\n";
      return kExitUsage;
    }
  };
}

const CommandRegistration kScanCommand{"scan", 10, setup_scan};

}  // namespace
}  // namespace vakt::cli

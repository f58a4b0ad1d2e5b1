// `vakt rules list|test`: what rules the engine loads, and whether their own examples hold.
//
//   vakt rules list [--rules DIR] [--format text|json]
//   vakt rules test [DIR]          exit 0: every example passed, 1: some failed, 2: rules do not
//   load
#include <algorithm>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command_registry.h"
#include "cli/scan_output.h"
#include "cli/terminal_text.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::cli {
namespace {

struct RulesFlags {
  std::string cache_dir;
  std::string list_rules_dir;
  std::string format = "text";
  std::string test_dir;
  std::string test_rules_dir;
};

Expected<std::shared_ptr<const Engine>> load_engine(const std::string& rules_dir,
                                                    const std::string& cache_dir) {
  EngineOptions options;
  options.rules_dir = rules_dir;
  options.cache_dir = cache_dir;
  return Engine::load(options);
}

std::string rules_source(const std::string& dir) {
  return dir.empty() ? "built-in rules" : dir;
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    out << line << "\n";
  }
}

int run_list(const RulesFlags& flags) {
  auto engine = load_engine(flags.list_rules_dir, flags.cache_dir);
  if (!engine) {
    std::cerr << "vakt rules list: cannot load " << rules_source(flags.list_rules_dir) << ": "
              << engine.error().message << "\n";
    return kExitUsage;
  }
  const auto& rules = engine.value()->rules();
  if (flags.format == "json") {
    using Json = nlohmann::ordered_json;
    Json j;
    j["engine_version"] = engine.value()->version();
    j["patterns"] = engine.value()->pattern_count();
    Json classes = Json::array();
    for (const auto& c : engine.value()->classes()) {
      classes.push_back({{"level", c.level}, {"name", c.name}, {"description", c.description}});
    }
    j["classes"] = std::move(classes);
    Json list = Json::array();
    for (const auto& r : rules) {
      list.push_back({{"id", r.id},
                      {"name", r.name},
                      {"class", r.rule_class},
                      {"category", r.category},
                      {"maturity", r.maturity},
                      {"validator", r.validator},
                      {"patterns", r.patterns.size()},
                      {"examples", r.examples},
                      {"weight", r.weight},
                      {"min_count", r.min_count},
                      {"source", r.source},
                      {"description", r.description}});
    }
    j["rules"] = std::move(list);
    std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return kExitClean;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "CLASS", "CATEGORY", "MATURITY",
                                              "VALIDATOR", "PATTERNS", "EXAMPLES", "SOURCE"}};
  for (const auto& r : rules) {
    rows.push_back({r.id, r.name, std::to_string(r.rule_class), r.category, r.maturity,
                    r.validator.empty() ? "-" : r.validator, std::to_string(r.patterns.size()),
                    std::to_string(r.examples), r.source});
  }
  print_table(std::cout, rows);
  std::cout << "\n"
            << rules.size() << " rules, " << engine.value()->pattern_count()
            << " patterns, rules version " << engine.value()->version() << " ("
            << rules_source(flags.list_rules_dir) << ")\n";
  return kExitClean;
}

int run_test(const RulesFlags& flags) {
  if (!flags.test_dir.empty() && !flags.test_rules_dir.empty() &&
      flags.test_dir != flags.test_rules_dir) {
    std::cerr << "vakt rules test: give the rules folder once (DIR or --rules)\n";
    return kExitUsage;
  }
  const std::string dir = flags.test_dir.empty() ? flags.test_rules_dir : flags.test_dir;
  auto engine = load_engine(dir, flags.cache_dir);
  if (!engine) {
    std::cerr << "vakt rules test: cannot load " << rules_source(dir) << ": "
              << engine.error().message << "\n";
    return kExitUsage;
  }
  ExampleReport report = run_rule_examples(engine.value());
  for (const auto& f : report.failures) {
    // An example is test data, but it is written like the real thing: identity numbers in it are
    // masked here as everywhere else, and a newline in it stays on the FAIL line.
    std::cout << "FAIL " << f.rule_id << ": expected " << (f.expected_match ? "match" : "no match")
              << ": \"" << printable(mask_identity_numbers(f.example)) << "\"";
    if (!f.detail.empty()) std::cout << " (" << f.detail << ")";
    std::cout << "\n";
  }
  const std::size_t failed = report.failures.size();
  const std::size_t passed = report.run >= failed ? report.run - failed : 0;
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitClean : kExitFlagged;
}

CommandAction setup_rules(CLI::App& app) {
  auto flags = std::make_shared<RulesFlags>();
  auto* cmd = app.add_subcommand("rules",
                                 "Show the loaded rules or test them against their "
                                 "own examples");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "List every loaded rule");
  list->add_option("--rules", flags->list_rules_dir,
                   "Folder of *.yaml rule packs (default: the built-in packs)")
      ->type_name("DIR");
  list->add_option("--format", flags->format, "text or json (default: text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  list->add_option("--cache-dir", flags->cache_dir, "Keep compiled rule databases here")
      ->type_name("DIR");

  auto* test = cmd->add_subcommand(
      "test", "Run every rule's examples (must match / must not match) through the real engine");
  test->add_option("dir", flags->test_dir, "Folder of *.yaml rule packs (default: built-in)")
      ->type_name("DIR");
  test->add_option("--rules", flags->test_rules_dir, "Same as DIR")->type_name("DIR");
  test->add_option("--cache-dir", flags->cache_dir, "Keep compiled rule databases here")
      ->type_name("DIR");
  test->footer("Exit codes: 0 all examples pass, 1 some fail, 2 the rules do not load.");

  return [flags, list, test]() -> int {
    try {
      if (list->parsed()) return run_list(*flags);
      if (test->parsed()) return run_test(*flags);
    } catch (const std::exception& e) {
      std::cerr << "vakt rules: internal error: " << e.what() << "\n";
    }
    return kExitUsage;
  };
}

const CommandRegistration kRulesCommand{"rules", 20, setup_rules};

}  // namespace
}  // namespace vakt::cli

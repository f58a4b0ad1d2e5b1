// Helpers for engine tests: write a rule directory at test time and load an engine from it.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace vakt::test {

// A minimal policy: any personnummer -> 2, many distinct -> 3, a marking -> 3 unless discussed.
inline const char* kTestPolicy = R"(classes:
  - {level: 0, name: Öppen}
  - {level: 1, name: Intern}
  - {level: 2, name: Känslig}
  - {level: 3, name: Mycket känslig}
conditions:
  - id: bulk
    class: 3
    rules: [t.pnr]
    min_distinct: 3
  - id: person
    class: 2
    rules: [t.pnr]
  - id: marking
    class: 3
    categories: [osl.*]
    unless: {rules: [t.discussion]}
  - id: vocab-near-person
    class: 3
    categories: [domain.*]
    near: {rules: [t.pnr], within: 200}
  - id: vocab
    class: 1
    categories: [domain.*]
    min_score: 3
)";

inline const char* kTestRules = R"(pack: test
rules:
  - id: t.pnr
    name: Personnummer
    category: identity.person
    class: 2
    patterns: ['(?:[0-9]{2})?[0-9]{6}(?:-|\+|\x{2013})?[0-9]{4}']
    flags: [utf8]
    validator: personnummer
    digit_boundaries: true
    context: {keywords: [personnummer, pnr], window: 50}
    bare_digits_low: true
    mask: identity
    examples:
      match: ["pnr 19990604-2388"]
      no_match: ["19990604-2389"]
  - id: t.marking
    name: Sekretessmarkering
    category: osl.marking
    class: 3
    terms: [sekretessmarkerad, omfattas av sekretess]
  - id: t.word
    name: Orosanmälan
    category: domain.social
    class: 1
    weight: 3
    terms: [orosanmäl, =LVU]
  - id: t.discussion
    name: Diskussion
    category: context.discussion
    class: 0
    terms: [riktlinje]
)";

class TempDir {
 public:
  TempDir() {
    // Portable mkdtemp: create_directory is false for a name that exists, so the directory is ours.
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      auto candidate = base / ("vakt-test-" + std::to_string(random()));
      std::error_code ec;
      if (std::filesystem::create_directory(candidate, ec)) path_ = candidate;
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

inline Expected<std::shared_ptr<const Engine>> load_engine(
    const std::map<std::string, std::string>& files, const TempDir& dir,
    CivilDate today = {2026, 11, 27}) {
  for (const auto& [name, text] : files) dir.write(name, text);
  EngineOptions o;
  o.rules_dir = dir.path();
  o.reference_date = today;
  return Engine::load(o);
}

inline std::shared_ptr<const Engine> test_engine(const TempDir& dir) {
  auto e = load_engine({{"policy.yaml", kTestPolicy}, {"test.yaml", kTestRules}}, dir);
  if (!e) throw std::runtime_error(e.error().message);
  return e.value();
}

inline DocumentVerdict scan_text(TextScanner& s, std::string_view text, std::size_t chunk = 0) {
  s.begin_part("");
  if (chunk == 0) chunk = text.size() + 1;
  for (std::size_t i = 0; i < text.size(); i += chunk) s.text(text.substr(i, chunk));
  s.end_part();
  return s.finish();
}

}  // namespace vakt::test

// Engine::load: rule packs -> one Hyperscan database + RE2 confirmers + validators + policy.
#include <algorithm>
#include <ctime>

#include "extract/magic_database.h"
#include "match/engine_impl.h"
#include "rules/rule_loader.h"
#include "util/os.h"
#include "util/sha256.h"

namespace vakt {
namespace {

unsigned hs_flags(const rules::PatternSpec& p) {
  unsigned f = 0;
  if (p.caseless) f |= HS_FLAG_CASELESS;
  if (p.utf8) f |= HS_FLAG_UTF8;
  if (p.ucp) f |= HS_FLAG_UCP;
  if (p.dotall) f |= HS_FLAG_DOTALL;
  if (p.multiline) f |= HS_FLAG_MULTILINE;
  return f;
}

constexpr unsigned kMaxWindow = 4096;  // longest text a confirm step looks back over
constexpr unsigned kUnboundedWindow = 1024;

// RE2 that must match text ending exactly where Hyperscan reported the hit.
Expected<std::unique_ptr<RE2>> make_confirmer(const std::string& expression,
                                              const rules::PatternSpec& p) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(!p.caseless);
  o.set_dot_nl(p.dotall);
  o.set_never_nl(false);
  // A pattern without the utf8 flag is about bytes (e.g. \xE2\x80\x93), as Hyperscan reads it.
  o.set_encoding(p.utf8 ? RE2::Options::EncodingUTF8 : RE2::Options::EncodingLatin1);
  o.set_max_mem(8 << 20);
  std::string anchored = (p.multiline ? "(?m:" : "(?:") + expression + ")\\z";
  auto re = std::make_unique<RE2>(anchored, o);
  if (!re->ok()) return Error{"RE2 cannot compile it: " + re->error()};
  return re;
}

RuleInfo describe(const rules::RuleSpec& r) {
  RuleInfo info;
  info.id = r.id;
  info.name = r.name;
  info.description = r.description;
  info.maturity = r.maturity;
  info.category = r.category;
  info.rule_class = r.rule_class;
  info.weight = r.weight;
  info.validator = r.validator;
  for (const auto& p : r.patterns) info.patterns.push_back(p.expression);
  info.min_count = r.min_count;
  info.examples = r.examples_match.size() + r.examples_no_match.size();
  info.source = r.source;
  return info;
}

std::string rule_error(const rules::RuleSpec& r, int line, const std::string& what) {
  auto file = r.source.substr(0, r.source.find(':'));
  return file + ":" + std::to_string(line) + ": rule '" + r.id + "': " + what;
}

}  // namespace

CivilDate CivilDate::today() {
  std::time_t now = std::time(nullptr);
  const std::tm tm = os::local_time(now);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Expected<std::shared_ptr<const Engine>> Engine::load(const EngineOptions& options) {
  auto set = options.rules_dir.empty() ? rules::load_embedded_rules()
                                       : rules::load_rule_dir(options.rules_dir);
  if (!set) return set.error();

  // Type detection needs libmagic's database; where it is a file we ship (Windows), say so now.
  if (auto magic = extract::magic_database_status(); !magic) return magic.error();

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->rule_set = std::move(set.value());
  if (!options.only_rules.empty()) {
    auto& rules = impl->rule_set.rules;
    std::erase_if(rules, [&](const rules::RuleSpec& r) {
      return std::none_of(options.only_rules.begin(), options.only_rules.end(),
                          [&](const std::string& g) { return classify::glob_match(g, r.id); });
    });
    if (rules.empty()) return Error{"no rule matches the selection"};
  }

  std::vector<match::HsPattern> hs_patterns;
  std::vector<std::pair<std::size_t, int>> origin;  // pattern -> (rule, line) for errors
  for (std::size_t ri = 0; ri < impl->rule_set.rules.size(); ++ri) {
    const auto& spec = impl->rule_set.rules[ri];
    CompiledRule rule;
    rule.spec = spec;
    if (!spec.validator.empty()) rule.validator = validate::find_validator(spec.validator);
    rule.has_context = !spec.context.keywords.empty();

    const bool exact_needed = rule.validator || !spec.confirm.empty();
    for (const auto& p : spec.patterns) {
      hs_expr_info_t* info = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_expression_info(p.expression.c_str(), hs_flags(p), &info, &err) != HS_SUCCESS) {
        std::string msg = err ? err->message : "invalid pattern";
        hs_free_compile_error(err);
        return Error{rule_error(spec, p.line, "Hyperscan rejects pattern: " + msg)};
      }
      CompiledPattern cp;
      cp.kind = CompiledPattern::Kind::kRule;
      cp.rule = ri;
      cp.word_bounded = p.word_bounded || spec.word_boundaries;
      cp.min_width = info->min_width;
      cp.max_width = info->max_width;
      std::free(info);
      if (cp.min_width == 0) {
        return Error{rule_error(spec, p.line, "pattern can match empty text")};
      }
      const bool fixed = cp.max_width != UINT_MAX && cp.min_width == cp.max_width;
      if (exact_needed || !fixed) {
        auto re = make_confirmer(spec.confirm.empty() ? p.expression : spec.confirm, p);
        if (!re) return Error{rule_error(spec, p.line, re.error().message)};
        cp.confirm = std::move(re.value());
        cp.window =
            cp.max_width == UINT_MAX ? kUnboundedWindow : std::min(cp.max_width, kMaxWindow);
      } else {
        cp.window = cp.max_width;
      }
      impl->history_bytes = std::max<std::size_t>(impl->history_bytes, cp.window + 8);
      // Ask Hyperscan for the start of the match where we need it: far cheaper per candidate
      // than an RE2 pass over a window. An explicit `confirm` regex still runs.
      const unsigned som = cp.confirm && spec.confirm.empty() ? HS_FLAG_SOM_LEFTMOST : 0u;
      impl->patterns.push_back(std::move(cp));
      hs_patterns.push_back({p.expression, hs_flags(p) | som});
      origin.emplace_back(ri, p.line);
    }
    for (const auto& keyword : spec.context.keywords) {
      rules::PatternSpec p;
      p.expression = rules::term_to_expression(keyword);
      p.caseless = p.utf8 = p.ucp = true;
      CompiledPattern cp;
      cp.kind = CompiledPattern::Kind::kContext;
      cp.rule = ri;
      cp.label = keyword;
      cp.min_width = static_cast<unsigned>(keyword.size());
      impl->patterns.push_back(std::move(cp));
      hs_patterns.push_back({p.expression, hs_flags(p)});
      origin.emplace_back(ri, 0);
    }
    impl->infos.push_back(describe(spec));
    impl->rules.push_back(std::move(rule));
  }

  auto db = match::HsDatabase::build(hs_patterns, options.cache_dir);
  if (!db) {
    const int which = match::HsDatabase::failing_pattern(db.error());
    if (which >= 0 && static_cast<std::size_t>(which) < origin.size()) {
      const auto& spec = impl->rule_set.rules[origin[which].first];
      return Error{rule_error(spec, origin[which].second, db.error().message)};
    }
    return Error{"compiling the rule database: " + db.error().message};
  }
  impl->database = std::move(db.value());
  for (std::size_t i = 0; i < impl->patterns.size(); ++i) {
    impl->patterns[i].som = impl->database->reports_start(i);
  }
  impl->classifier = classify::Classifier(impl->rule_set.policy, impl->rule_set.rules);
  for (const auto& c : impl->rule_set.policy.classes) {
    impl->classes.push_back({c.level, c.name, c.description});
  }
  impl->version = impl->rule_set.digest;
  return std::shared_ptr<const Engine>(new Engine(std::move(impl)));
}

const std::vector<RuleInfo>& Engine::rules() const {
  return impl_->infos;
}
const std::vector<ClassLevel>& Engine::classes() const {
  return impl_->classes;
}
const std::string& Engine::version() const {
  return impl_->version;
}
const EngineOptions& Engine::options() const {
  return impl_->options;
}
bool Engine::database_from_cache() const {
  return impl_->database->from_cache();
}
std::size_t Engine::pattern_count() const {
  return impl_->patterns.size();
}

std::string Engine::class_name(int level) const {
  for (const auto& c : impl_->classes) {
    if (c.level == level) return c.name;
  }
  return std::to_string(level);
}

}  // namespace vakt

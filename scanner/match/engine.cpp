// Engine::load: rule packs -> one Hyperscan database + RE2 confirmers + validators + policy.
#include <algorithm>
#include <ctime>
#include <map>
#include <optional>

#include "extract/magic_database.h"
#include "match/caseless_literal.h"
#include "match/engine_impl.h"
#include "match/pattern_widths.h"
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
// The largest RE2 program a confirm may compile to. The shipped rules stay under ~1 800; one
// confirm of 31 000 (a [\p{L}]{2,25} in UTF-8) was 31 ms of every start and 25 ms more at its
// first hit.
constexpr int kMaxConfirmProgram = 4000;

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
  if (re->ProgramSize() > kMaxConfirmProgram) {
    return Error{"RE2 compiles it to " + std::to_string(re->ProgramSize()) +
                 " instructions, more than " + std::to_string(kMaxConfirmProgram) +
                 ": every start pays for that (a counted repeat of a wide class such as "
                 "\\p{L}{2,25}? see rules/README.md)"};
  }
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

// The byte form of a caseless UTF-8 literal or phrase, when the pattern is one.
std::optional<match::CaselessLiteral> literal_form(const rules::PatternSpec& p) {
  if (!p.caseless || !p.utf8 || p.dotall || p.multiline) return std::nullopt;
  return match::caseless_literal(p.expression);
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
  std::vector<std::pair<std::size_t, int>> origin;   // pattern -> (rule, line) for errors
  std::map<std::string, std::size_t> context_index;  // keyword pattern -> index in patterns

  // The widths of every pattern that is not a caseless literal, asked of Hyperscan in one go so
  // that a warm start reads them from its cache (pattern_widths.h).
  std::vector<match::WidthQuery> width_queries;
  std::vector<std::pair<std::size_t, int>> width_origin;  // query -> (rule, line) for errors
  for (std::size_t ri = 0; ri < impl->rule_set.rules.size(); ++ri) {
    for (const auto& p : impl->rule_set.rules[ri].patterns) {
      if (literal_form(p)) continue;
      width_queries.push_back({p.expression, hs_flags(p)});
      width_origin.emplace_back(ri, p.line);
    }
  }
  std::size_t failing = 0;
  auto widths = match::pattern_widths(width_queries, options.cache_dir, &failing);
  if (!widths) {
    const auto [ri, line] = width_origin[failing];
    return Error{rule_error(impl->rule_set.rules[ri], line,
                            "Hyperscan rejects pattern: " + widths.error().message)};
  }
  std::size_t next_width = 0;

  for (std::size_t ri = 0; ri < impl->rule_set.rules.size(); ++ri) {
    const auto& spec = impl->rule_set.rules[ri];
    CompiledRule rule;
    rule.spec = spec;
    if (!spec.validator.empty()) rule.validator = validate::find_validator(spec.validator);
    rule.has_context = !spec.context.keywords.empty();

    const bool exact_needed = rule.validator || !spec.confirm.empty();
    for (const auto& p : spec.patterns) {
      // A caseless UTF-8 literal or phrase goes to Hyperscan as bytes (its literal matcher);
      // everything else as written. RE2 confirms against the same language.
      // Its widths come with it, so most patterns (the vocabulary) cost Hyperscan no analysis at
      // start-up: hs_expression_info for every pattern was ~40% of a warm `vakt scan` start.
      std::string hs_expression = p.expression;
      std::string re2_expression = p.expression;
      unsigned flags = hs_flags(p);
      CompiledPattern cp;
      if (auto lit = literal_form(p)) {
        hs_expression = std::move(lit->hs_expression);
        re2_expression = std::move(lit->re2_expression);
        flags = HS_FLAG_CASELESS;
        cp.min_width = lit->min_width;
        cp.max_width = lit->max_width;
      } else {
        const match::Widths w = (*widths)[next_width++];
        cp.min_width = w.min;
        cp.max_width = w.max;
      }
      cp.kind = CompiledPattern::Kind::kRule;
      cp.rule = ri;
      cp.word_bounded = p.word_bounded || spec.word_boundaries;
      if (cp.min_width == 0) {
        return Error{rule_error(spec, p.line, "pattern can match empty text")};
      }
      const bool fixed = cp.max_width != UINT_MAX && cp.min_width == cp.max_width;
      if (exact_needed || !fixed) {
        auto re = make_confirmer(spec.confirm.empty() ? re2_expression : spec.confirm, p);
        if (!re) return Error{rule_error(spec, p.line, re.error().message)};
        cp.confirm = std::move(re.value());
        if (!spec.confirm.empty()) {
          const auto& named = cp.confirm->NamedCapturingGroups();
          if (auto g = named.find("value"); g != named.end()) {
            if (g->second > kMaxValueGroup) {
              return Error{rule_error(spec, p.line,
                                      "(?P<value>...) must be among the confirm's first " +
                                          std::to_string(kMaxValueGroup) + " groups")};
            }
            cp.value_group = g->second;
          }
        }
        cp.window =
            cp.max_width == UINT_MAX ? kUnboundedWindow : std::min(cp.max_width, kMaxWindow);
      } else {
        cp.window = cp.max_width;
      }
      impl->history_bytes = std::max<std::size_t>(impl->history_bytes, cp.window + 8);
      // No HS_FLAG_SOM_LEFTMOST: start-of-match tracking made the whole streaming database ~40%
      // slower per byte (callgrind: 27.4 vs 17.4 Ir/B on prose), for every byte of every text,
      // while RE2 on a short window costs only per candidate, and candidates are rare.
      impl->patterns.push_back(std::move(cp));
      hs_patterns.push_back({std::move(hs_expression), flags});
      origin.emplace_back(ri, p.line);
    }
    for (const auto& keyword : spec.context.keywords) {
      rules::PatternSpec p;
      p.expression = rules::term_to_expression(keyword);
      p.caseless = p.utf8 = p.ucp = true;
      match::HsPattern hp{p.expression, hs_flags(p)};
      if (auto lit = literal_form(p)) hp = {std::move(lit->hs_expression), HS_FLAG_CASELESS};
      // Rules often share their keyword lists (personnummer, samordningsnummer, reservnummer):
      // one Hyperscan pattern per keyword, and its hit counts for every rule that lists it.
      const auto key = std::to_string(hp.flags) + ':' + hp.expression;
      if (auto seen = context_index.find(key); seen != context_index.end()) {
        auto& rules_of = impl->patterns[seen->second].context_rules;
        if (std::find(rules_of.begin(), rules_of.end(), ri) == rules_of.end())
          rules_of.push_back(ri);
        continue;
      }
      CompiledPattern cp;
      cp.kind = CompiledPattern::Kind::kContext;
      cp.rule = ri;
      cp.context_rules = {ri};
      cp.label = keyword;
      cp.min_width = static_cast<unsigned>(keyword.size());
      context_index.emplace(key, impl->patterns.size());
      impl->patterns.push_back(std::move(cp));
      hs_patterns.push_back(std::move(hp));
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

#include "rules/rule_loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "util/os.h"
#include "util/sha256.h"
#include "vakt/scanner/yaml_duplicate_keys.h"
#include "validate/validator.h"

namespace vakt {
std::vector<std::pair<std::string_view, std::string_view>> embedded_rule_packs();
}

namespace vakt::rules {
namespace {

constexpr std::string_view kPolicyFile = "policy.yaml";

// Thrown inside this file only, turned into an Error at load_rule_packs' edge.
struct LoadError {
  std::string message;
};

class PackReader {
 public:
  explicit PackReader(const PackSource& pack) : pack_(pack) {}

  [[noreturn]] void fail(const YAML::Node& at, std::string_view rule, std::string_view what) const {
    std::ostringstream out;
    out << pack_.name;
    if (at.IsDefined() && at.Mark().line >= 0) out << ':' << at.Mark().line + 1;
    if (!rule.empty()) out << ": rule '" << rule << "'";
    out << ": " << what;
    throw LoadError{out.str()};
  }

  int line(const YAML::Node& n) const { return n.Mark().line + 1; }
  std::string where(const YAML::Node& n) const {
    return pack_.name + ":" + std::to_string(line(n));
  }

  void check_keys(const YAML::Node& map, std::string_view rule,
                  std::initializer_list<std::string_view> allowed) const {
    if (!map.IsMap()) fail(map, rule, "expected a mapping");
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(kv.first, rule, "unknown key '" + key + "'");
      }
    }
  }

  std::string str(const YAML::Node& n, std::string_view rule, std::string_view key) const {
    if (!n.IsScalar()) fail(n, rule, "'" + std::string(key) + "' must be a string");
    return n.as<std::string>();
  }

  int integer(const YAML::Node& n, std::string_view rule, std::string_view key, int lo,
              int hi) const {
    int v = 0;
    if (!n.IsScalar() || !YAML::convert<int>::decode(n, v)) {
      fail(n, rule, "'" + std::string(key) + "' must be a whole number");
    }
    if (v < lo || v > hi) {
      fail(n, rule,
           "'" + std::string(key) + "' must be between " + std::to_string(lo) + " and " +
               std::to_string(hi));
    }
    return v;
  }

  bool boolean(const YAML::Node& n, std::string_view rule, std::string_view key) const {
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
      fail(n, rule, "'" + std::string(key) + "' must be true or false");
    }
    return v;
  }

  std::vector<std::string> strings(const YAML::Node& n, std::string_view rule,
                                   std::string_view key) const {
    if (n.IsScalar()) return {n.as<std::string>()};
    if (!n.IsSequence()) fail(n, rule, "'" + std::string(key) + "' must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : n) out.push_back(str(item, rule, key));
    return out;
  }

  Confidence confidence(const YAML::Node& n, std::string_view rule) const {
    const auto s = str(n, rule, "confidence");
    if (s == "low") return Confidence::kLow;
    if (s == "medium") return Confidence::kMedium;
    if (s == "high") return Confidence::kHigh;
    fail(n, rule, "confidence must be low, medium or high");
  }

  const PackSource& pack() const { return pack_; }

 private:
  const PackSource& pack_;
};

bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

void apply_flags(PatternSpec& p, const std::vector<std::string>& flags, const PackReader& r,
                 const YAML::Node& at, std::string_view rule) {
  for (const auto& f : flags) {
    if (f == "caseless")
      p.caseless = true;
    else if (f == "utf8")
      p.utf8 = true;
    else if (f == "ucp")
      p.ucp = true;
    else if (f == "dotall")
      p.dotall = true;
    else if (f == "multiline")
      p.multiline = true;
    else
      r.fail(at, rule, "unknown flag '" + f + "' (caseless, utf8, ucp, dotall, multiline)");
  }
}

RuleSpec read_rule(const YAML::Node& node, const PackReader& r) {
  RuleSpec rule;
  if (!node.IsMap()) r.fail(node, "", "each rule must be a mapping");
  if (!node["id"]) r.fail(node, "", "rule without 'id'");
  rule.id = r.str(node["id"], "", "id");
  const std::string& id = rule.id;
  if (!valid_id(id)) r.fail(node["id"], id, "id may only hold a-z, 0-9, '.', '_' and '-'");
  r.check_keys(node, id,
               {"id",      "name",       "description",      "maturity",        "category",
                "class",   "weight",     "patterns",         "terms",           "flags",
                "confirm", "validator",  "digit_boundaries", "word_boundaries", "longest_match",
                "context", "confidence", "bare_digits_low",  "min_count",       "mask",
                "report",  "examples"});
  rule.source = r.where(node);
  for (const char* required : {"name", "class", "category"}) {
    if (!node[required]) r.fail(node, id, std::string("missing '") + required + "'");
  }
  rule.name = r.str(node["name"], id, "name");
  if (node["description"]) rule.description = r.str(node["description"], id, "description");
  if (node["maturity"]) {
    rule.maturity = r.str(node["maturity"], id, "maturity");
    static const std::set<std::string> kMaturities{"stable", "test", "experimental", "deprecated"};
    if (!kMaturities.count(rule.maturity)) {
      r.fail(node["maturity"], id, "maturity must be stable, test, experimental or deprecated");
    }
  }
  rule.category = r.str(node["category"], id, "category");
  rule.rule_class = r.integer(node["class"], id, "class", 0, 3);
  if (node["weight"]) rule.weight = r.integer(node["weight"], id, "weight", 0, 100);

  std::vector<std::string> flags;
  if (node["flags"]) flags = r.strings(node["flags"], id, "flags");
  if (node["patterns"]) {
    const auto& pats = node["patterns"];
    if (!pats.IsSequence()) r.fail(pats, id, "'patterns' must be a list");
    for (const auto& p : pats) {
      PatternSpec spec;
      spec.expression = r.str(p, id, "patterns");
      spec.line = r.line(p);
      if (spec.expression.empty()) r.fail(p, id, "empty pattern");
      apply_flags(spec, flags, r, node["flags"], id);
      rule.patterns.push_back(std::move(spec));
    }
  }
  if (node["terms"]) {
    const auto& terms = node["terms"];
    if (!terms.IsSequence()) r.fail(terms, id, "'terms' must be a list");
    for (const auto& t : terms) {
      PatternSpec spec;
      auto term = r.str(t, id, "terms");
      if (term.empty() || term == "=") r.fail(t, id, "empty term");
      spec.expression = term_to_expression(term);
      spec.caseless = spec.utf8 = spec.ucp = true;
      spec.word_bounded = term.front() == '=';
      spec.line = r.line(t);
      rule.patterns.push_back(std::move(spec));
    }
  }
  if (rule.patterns.empty()) r.fail(node, id, "needs 'patterns' or 'terms'");

  // A list of alternatives reads better than one long alternation; each is grouped.
  if (const auto& confirm = node["confirm"]) {
    if (confirm.IsSequence()) {
      for (const std::string& alt : r.strings(confirm, id, "confirm")) {
        rule.confirm += (rule.confirm.empty() ? "(?:" : "|(?:") + alt + ")";
      }
      if (rule.confirm.empty()) r.fail(confirm, id, "'confirm' list is empty");
    } else {
      rule.confirm = r.str(confirm, id, "confirm");
    }
  }
  if (node["validator"]) {
    rule.validator = r.str(node["validator"], id, "validator");
    if (!validate::find_validator(rule.validator)) {
      r.fail(node["validator"], id,
             "unknown validator '" + rule.validator + "' (known: " + validate::validator_names() +
                 ")");
    }
  }
  if (node["digit_boundaries"]) {
    rule.digit_boundaries = r.boolean(node["digit_boundaries"], id, "digit_boundaries");
  }
  if (node["word_boundaries"]) {
    rule.word_boundaries = r.boolean(node["word_boundaries"], id, "word_boundaries");
  }
  if (node["longest_match"]) {
    rule.longest_match = r.boolean(node["longest_match"], id, "longest_match");
  }
  if (node["report"]) rule.report = r.boolean(node["report"], id, "report");
  if (const auto& ctx = node["context"]) {
    r.check_keys(ctx, id, {"keywords", "window", "required"});
    if (ctx["keywords"]) rule.context.keywords = r.strings(ctx["keywords"], id, "keywords");
    for (const auto& k : rule.context.keywords) {
      if (k.empty()) r.fail(ctx["keywords"], id, "empty context keyword");
    }
    if (ctx["window"]) rule.context.window = r.integer(ctx["window"], id, "window", 1, 100000);
    if (ctx["required"]) rule.context.required = r.boolean(ctx["required"], id, "required");
    if (rule.context.required && rule.context.keywords.empty()) {
      r.fail(ctx, id, "context.required needs keywords");
    }
  }
  if (node["confidence"]) rule.confidence = r.confidence(node["confidence"], id);
  if (node["bare_digits_low"]) {
    rule.bare_digits_low = r.boolean(node["bare_digits_low"], id, "bare_digits_low");
  }
  if (node["min_count"]) rule.min_count = r.integer(node["min_count"], id, "min_count", 1, 1000000);
  if (node["mask"]) {
    const auto m = r.str(node["mask"], id, "mask");
    if (m == "identity")
      rule.mask = MaskStyle::kIdentity;
    else if (m == "tail4")
      rule.mask = MaskStyle::kTail4;
    else if (m == "full")
      rule.mask = MaskStyle::kFull;
    else if (m == "secret")
      rule.mask = MaskStyle::kSecret;
    else if (m == "none")
      rule.mask = MaskStyle::kNone;
    else
      r.fail(node["mask"], id, "mask must be identity, tail4, full, secret or none");
  } else if (!node["terms"]) {
    rule.mask = MaskStyle::kFull;  // patterns may catch values: hide them unless told
  } else {
    rule.mask = MaskStyle::kNone;  // vocabulary terms are the rule's own words
  }
  if (const auto& ex = node["examples"]) {
    r.check_keys(ex, id, {"match", "no_match"});
    if (ex["match"]) rule.examples_match = r.strings(ex["match"], id, "examples.match");
    if (ex["no_match"]) rule.examples_no_match = r.strings(ex["no_match"], id, "examples.no_match");
  }
  return rule;
}

Selector read_selector(const YAML::Node& n, const PackReader& r, std::string_view cond) {
  Selector s;
  r.check_keys(n, cond, {"rules", "categories", "within", "after", "bytes"});
  if (n["rules"]) s.rules = r.strings(n["rules"], cond, "rules");
  if (n["categories"]) s.categories = r.strings(n["categories"], cond, "categories");
  return s;
}

PolicySpec read_policy(const YAML::Node& root, const PackReader& r) {
  PolicySpec policy;
  r.check_keys(root, "", {"classes", "conditions"});
  const auto& classes = root["classes"];
  if (!classes || !classes.IsSequence()) r.fail(root, "", "policy needs a 'classes' list");
  for (const auto& c : classes) {
    r.check_keys(c, "", {"level", "name", "description"});
    ClassSpec spec;
    if (!c["level"] || !c["name"]) r.fail(c, "", "each class needs 'level' and 'name'");
    spec.level = r.integer(c["level"], "", "level", 0, 3);
    spec.name = r.str(c["name"], "", "name");
    if (c["description"]) spec.description = r.str(c["description"], "", "description");
    for (const auto& other : policy.classes) {
      if (other.level == spec.level) r.fail(c, "", "class level defined twice");
    }
    policy.classes.push_back(std::move(spec));
  }
  std::sort(policy.classes.begin(), policy.classes.end(),
            [](const auto& a, const auto& b) { return a.level < b.level; });
  const auto& conditions = root["conditions"];
  if (!conditions || !conditions.IsSequence()) r.fail(root, "", "policy needs a 'conditions' list");
  std::set<std::string> ids;
  for (const auto& c : conditions) {
    ConditionSpec spec;
    if (!c.IsMap() || !c["id"]) r.fail(c, "", "each condition needs an 'id'");
    spec.id = r.str(c["id"], "", "id");
    const std::string label = "condition " + spec.id;
    r.check_keys(c, label,
                 {"id", "description", "class", "rules", "categories", "min_distinct", "min_count",
                  "min_score", "min_categories", "min_swedish_letters", "min_confidence", "near",
                  "with", "unless", "unless_in_heading", "unless_at"});
    if (!ids.insert(spec.id).second) r.fail(c, label, "duplicate condition id");
    spec.source = r.where(c);
    if (!c["class"]) r.fail(c, label, "missing 'class'");
    spec.result_class = r.integer(c["class"], label, "class", 0, 3);
    if (c["description"]) spec.description = r.str(c["description"], label, "description");
    if (c["rules"]) spec.select.rules = r.strings(c["rules"], label, "rules");
    if (c["categories"]) spec.select.categories = r.strings(c["categories"], label, "categories");
    if (spec.select.empty()) r.fail(c, label, "select findings with 'rules' or 'categories'");
    if (c["min_distinct"]) {
      spec.min_distinct = r.integer(c["min_distinct"], label, "min_distinct", 0, 1000000);
    }
    if (c["min_count"]) spec.min_count = r.integer(c["min_count"], label, "min_count", 1, 1000000);
    if (c["min_score"]) spec.min_score = r.integer(c["min_score"], label, "min_score", 0, 1000000);
    if (c["min_categories"]) {
      spec.min_categories = r.integer(c["min_categories"], label, "min_categories", 0, 1000);
    }
    if (c["min_swedish_letters"]) {
      spec.min_swedish_letters =
          r.integer(c["min_swedish_letters"], label, "min_swedish_letters", 0, 1000);
    }
    if (c["min_confidence"]) spec.min_confidence = r.confidence(c["min_confidence"], label);
    if (const auto& near = c["near"]) {
      spec.near = read_selector(near, r, label);
      if (!near["within"]) r.fail(near, label, "'near' needs 'within' (bytes)");
      if (near["after"] || near["bytes"])
        r.fail(near, label, "'after' belongs to 'unless', 'bytes' to 'unless_in_heading'");
      spec.near_within = r.integer(near["within"], label, "within", 1, 100000000);
      if (spec.near.empty()) r.fail(near, label, "'near' needs rules or categories");
    }
    if (const auto& with = c["with"]) {
      if (with["within"] || with["after"] || with["bytes"])
        r.fail(with, label, "'with' takes no 'within', 'after' or 'bytes' (use 'near')");
      spec.with = read_selector(with, r, label);
    }
    if (const auto& unless = c["unless"]) {
      spec.unless = read_selector(unless, r, label);
      // With `within`, an unless finding cancels only the selected findings that close to it.
      if (unless["within"])
        spec.unless_within = r.integer(unless["within"], label, "within", 1, 100000000);
      spec.unless_after = spec.unless_within;
      if (unless["bytes"]) r.fail(unless["bytes"], label, "'bytes' belongs to 'unless_in_heading'");
      if (unless["after"]) {
        if (!unless["within"]) r.fail(unless["after"], label, "'after' needs 'within'");
        spec.unless_after = r.integer(unless["after"], label, "after", 0, spec.unless_within);
      }
    }
    if (const auto& heading = c["unless_in_heading"]) {
      spec.unless_in_heading = read_selector(heading, r, label);
      if (heading["within"] || heading["after"])
        r.fail(heading, label, "'unless_in_heading' takes 'bytes', not 'within' or 'after'");
      if (!heading["bytes"]) r.fail(heading, label, "'unless_in_heading' needs 'bytes'");
      spec.unless_heading_bytes = r.integer(heading["bytes"], label, "bytes", 1, 100000);
      if (spec.unless_in_heading.empty())
        r.fail(heading, label, "'unless_in_heading' needs rules or categories");
    }
    if (const auto& at = c["unless_at"]) {
      if (at["within"] || at["after"] || at["bytes"])
        r.fail(at, label,
               "'unless_at' takes rules or categories only (use 'unless' for a distance)");
      spec.unless_at = read_selector(at, r, label);
      if (spec.unless_at.empty()) r.fail(at, label, "'unless_at' needs rules or categories");
    }
    policy.conditions.push_back(std::move(spec));
  }
  return policy;
}

bool selector_names_known_rule(const Selector& s, const std::set<std::string>& ids) {
  for (const auto& r : s.rules) {
    if (!r.empty() && r.back() == '*') continue;
    if (!ids.count(r)) return false;
  }
  return true;
}

}  // namespace

std::string term_to_expression(std::string_view term) {
  // '=' (word boundaries) is enforced by the confirm step: Hyperscan has no \b in UCP mode.
  if (!term.empty() && term.front() == '=') term.remove_prefix(1);
  std::string out;
  for (char c : term) {
    if (std::string_view("\\^$.|?*+()[]{}/#-").find(c) != std::string_view::npos) out += '\\';
    if (c == ' ') {
      out += "(?:\\s|\\x{00A0})+";  // Word and PDF put line breaks and NBSP in phrases
      continue;
    }
    out += c;
  }
  return out;
}

Expected<RuleSet> load_rule_packs(const std::vector<PackSource>& packs) {
  RuleSet set;
  std::set<std::string> ids;
  bool have_policy = false;
  Sha256 digest;
  digest.update(VAKT_VERSION);
  try {
    for (const auto& pack : packs) {
      digest.update(pack.name);
      digest.update(std::string_view("\0", 1));
      digest.update(pack.text);
      PackReader r(pack);
      YAML::Node root;
      try {
        root = YAML::Load(pack.text);
      } catch (const YAML::Exception& e) {
        throw LoadError{pack.name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
      }
      if (auto dup = find_duplicate_key(root)) {
        throw LoadError{pack.name + ":" + std::to_string(dup->line) + ": duplicate key '" +
                        dup->key + "' (the second would be ignored)"};
      }
      if (pack.name == kPolicyFile) {
        if (!root.IsMap()) r.fail(root, "", "the policy must be a mapping");
        set.policy = read_policy(root, r);
        have_policy = true;
        continue;
      }
      if (!root.IsMap()) r.fail(root, "", "a rule pack must be a mapping with 'rules'");
      r.check_keys(root, "", {"pack", "description", "rules"});
      const auto& rules = root["rules"];
      if (!rules || !rules.IsSequence()) r.fail(root, "", "a rule pack needs a 'rules' list");
      for (const auto& node : rules) {
        RuleSpec rule = read_rule(node, r);
        if (!ids.insert(rule.id).second) r.fail(node["id"], rule.id, "duplicate rule id");
        if (rule.maturity == "deprecated") continue;
        set.rules.push_back(std::move(rule));
      }
    }
    if (!have_policy) throw LoadError{"no policy.yaml among the rule packs"};
    if (set.rules.empty()) throw LoadError{"the rule packs hold no rules"};
    for (const auto& c : set.policy.conditions) {
      for (const Selector* s :
           {&c.select, &c.near, &c.with, &c.unless, &c.unless_in_heading, &c.unless_at}) {
        if (!selector_names_known_rule(*s, ids)) {
          throw LoadError{std::string(kPolicyFile) + " (" + c.source + "): condition '" + c.id +
                          "' names a rule that no pack defines"};
        }
      }
    }
  } catch (const LoadError& e) {
    return Error{e.message};
  } catch (const YAML::Exception& e) {
    return Error{"rule packs: " + std::string(e.what())};
  }
  set.digest = digest.hex();
  return set;
}

Expected<RuleSet> load_rule_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error{os::path_utf8(dir) + ": not a directory of rule packs"};
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml") {
      files.push_back(entry.path());
    }
  }
  if (ec) return Error{os::path_utf8(dir) + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<PackSource> packs;
  for (const auto& f : files) {
    // A FIFO or device named *.yaml would block the read for ever.
    if (!std::filesystem::is_regular_file(f, ec)) {
      return Error{os::path_utf8(f) + ": not a regular file"};
    }
    std::ifstream in(f, std::ios::binary);
    if (!in) return Error{os::path_utf8(f) + ": cannot be read"};
    std::ostringstream text;
    text << in.rdbuf();
    packs.push_back({os::path_utf8(f.filename()), text.str()});
  }
  if (packs.empty()) return Error{os::path_utf8(dir) + ": no *.yaml rule packs"};
  return load_rule_packs(packs);
}

Expected<RuleSet> load_embedded_rules() {
  std::vector<PackSource> packs;
  for (const auto& [name, text] : embedded_rule_packs()) {
    packs.push_back({std::string(name), std::string(text)});
  }
  return load_rule_packs(packs);
}

}  // namespace vakt::rules

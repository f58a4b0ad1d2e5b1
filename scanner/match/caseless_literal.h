// caseless_literal: turns a case-insensitive UTF-8 literal (a `terms:` entry or a context keyword,
// as rules::term_to_expression wrote it) into a byte pattern Hyperscan runs on its literal
// matcher (FDR/Teddy) instead of NFAs.
//
// In HS_FLAG_UTF8 caseless mode every 'k', 's' and 'å' is a variable-width class (Kelvin sign
// U+212A, long s U+017F, Ångström sign U+212B fold to them), so almost no vocabulary term was a
// literal to Hyperscan: the database ran ~40% slower and every hit needed a start-of-match search.
// The rewrite keeps ASCII letters for HS_FLAG_CASELESS and spells each non-ASCII letter as its two
// case forms (ä|Ä, é|É ...); the phrase gap `(?:\s|\x{00A0})+` becomes the exact byte sequences of
// Hyperscan's Unicode \s. What it drops on purpose: the compatibility folds above (a Kelvin sign
// inside "kommun" no longer matches "kommun"); Swedish text does not use them.
//
//   if (auto lit = match::caseless_literal(p.expression)) {
//     compile lit->hs_expression with HS_FLAG_CASELESS only; confirm with lit->re2_expression
//   }
//
// Returns nullopt for anything else (classes, repeats, alternations, letters outside Latin-1):
// those patterns are compiled as written.
#pragma once

#include <climits>
#include <optional>
#include <string>
#include <string_view>

namespace vakt::match {

struct CaselessLiteral {
  std::string hs_expression;   // bytes; compile with HS_FLAG_CASELESS and without HS_FLAG_UTF8
  std::string re2_expression;  // the same language for RE2 (UTF-8, case-insensitive)
  bool has_gap = false;        // a phrase: its width varies, so a hit needs a start search
  // Bytes a match of hs_expression spans, as hs_expression_info would report them (a unit test
  // holds the two equal for every embedded rule), so loading the engine need not ask Hyperscan.
  unsigned min_width = 0;
  unsigned max_width = 0;  // UINT_MAX with a gap: a phrase's spaces repeat without bound
};

std::optional<CaselessLiteral> caseless_literal(std::string_view expression);

}  // namespace vakt::match

// TextScanner: Hyperscan streaming over one document's parts, then confirm every candidate
// (RE2 on a window ending at the hit, digit/word boundaries, validator), attach context, classify.
//
// Offsets are bytes of a part's UTF-8 text. Text from earlier chunks is kept in `history` only as
// far back as the longest confirm window, so memory is bounded whatever the document size.
#include "vakt/scanner/text_scanner.h"

#include <algorithm>
#include <array>
#include <climits>
#include <functional>
#include <optional>
#include <set>

#include "mask/masking.h"
#include "match/engine_impl.h"
#include "util/sha256.h"
#include "util/simd_text.h"
#include "util/utf8_guard.h"
#include "vakt/scanner/mask_text.h"

namespace vakt {
namespace {

struct Hit {
  unsigned id;
  unsigned long long from;  // leftmost start, for patterns compiled with SOM
  unsigned long long to;
};

// A confirmed match in the current part, before its context is known.
struct PartFinding {
  std::size_t rule;
  std::uint64_t start;
  std::uint64_t end;
  std::uint64_t line;
  std::string masked;
  std::string normalized;
  std::string explanation;
  bool bare_digits;
};

// A confirmed match of the document. The rule's id and name and the part's name are filled in
// by finish(), for the findings it reports: a document with thousands of findings held each as a
// full Finding (with its own copies of those strings) touched several MB of fresh memory.
struct DocFinding {
  classify::ClassInput input;  // rule, confidence, part index, offset, value key
  std::uint64_t line = 0;
  std::string masked;
  std::string pseudonym;
  std::string explanation;
};

constexpr std::size_t kMaxContextHitsPerRule = 200000;
constexpr std::size_t kMaxStoredPerRule = 1000;  // per document; counting goes on
constexpr std::size_t kMaxRejections = 2000;

bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
// A rejected candidate is shown fully masked, and a secret's not at all.
rules::MaskStyle reject_mask(const rules::RuleSpec& spec) {
  return spec.mask == rules::MaskStyle::kSecret ? rules::MaskStyle::kSecret
                                                : rules::MaskStyle::kFull;
}

bool is_word(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
std::uint64_t utf8_sequence_length(int lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  return lead < 0xF0 ? 3 : 4;
}

// Code points that end a word although they are not ASCII: Latin-1 punctuation and the no-break
// and soft hyphen (U+0080-U+00BF, × and ÷), general punctuation, dashes, quotes and spaces
// (U+2000-U+206F), symbols and arrows through U+2BFF, CJK punctuation, the BOM. Letters of any
// script (å, é, ß …) stay word characters.
bool is_word_code_point(std::uint32_t cp) {
  if (cp < 0x80) return is_word(static_cast<int>(cp));
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  return cp != 0xFEFF;
}

// Forms of a valid identity number that are as likely something else, so they count as one only
// with a context word (low confidence, see bare_digits_low):
//  - 10 bare digits: an order, account or phone number passes date and Luhn 1 in 30 or so;
//  - 12 digits whose last four read as a clock time (hhmm), with no separator, or with one when
//    the date is within five years of the reference date: YYYYMMDDhhmm and YYYYMMDD-hhmm are
//    timestamps in Message-IDs, scanner and recording file names, and pass Luhn 1 in 10.
// A 12-digit run whose serial is no clock time (2388) is read as the personnummer it most likely
// is.
bool weak_identity_form(std::string_view text, const CivilDate& reference) {
  std::string digits;
  for (const char c : text) {
    if (is_digit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  const bool bare = digits.size() == text.size();
  if (digits.size() == 10) return bare;
  if (digits.size() != 12) return false;
  const auto two = [&](std::size_t at) { return (digits[at] - '0') * 10 + (digits[at + 1] - '0'); };
  const bool clock_time = two(8) <= 23 && two(10) <= 59;
  if (!clock_time) return false;
  if (bare) return true;
  const int year = two(0) * 100 + two(2);
  return year >= reference.year - 5 && year <= reference.year;
}

// A PDF page after the first: the extractor names pages "page N", inside a container
// "member.pdf/page N".
bool is_later_page(std::string_view part) {
  const auto slash = part.rfind('/');
  if (slash != std::string_view::npos) part.remove_prefix(slash + 1);
  constexpr std::string_view kPage = "page ";
  if (!part.starts_with(kPage) || part.size() == kPage.size()) return false;
  part.remove_prefix(kPage.size());
  if (!std::all_of(part.begin(), part.end(), [](char c) { return is_digit(c); })) return false;
  return part != "1";
}

int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned /*flags*/,
             void* ctx) {
  static_cast<std::vector<Hit>*>(ctx)->push_back({id, from, to});
  return 0;
}

}  // namespace

struct TextScanner::State {
  std::shared_ptr<const Engine> engine;
  const Engine::Impl& impl;
  bool explain;
  hs_scratch_t* scratch = nullptr;
  hs_stream_t* stream = nullptr;
  validate::ValidatorContext vctx;

  // Current part.
  bool in_part = false;
  std::string part;
  std::uint32_t part_index = 0;
  std::uint64_t chunk_start = 0;  // offset of `chunk` in the part
  std::string_view chunk;
  std::string history;  // bytes [chunk_start - history.size(), chunk_start)
  std::string slice_buf;
  std::string clean_buf;
  Utf8Guard guard;
  std::vector<Hit> hits;
  std::vector<Hit> deferred;   // hits whose following byte is not here yet
  std::uint64_t line_pos = 0;  // lines are counted up to here
  std::uint64_t line_no = 1;
  std::vector<PartFinding> part_findings;
  std::vector<std::vector<std::uint64_t>> context_hits;  // per rule: keyword end offsets
  // Recent match spans per rule: two patterns of one rule hitting the same text report once.
  std::vector<std::array<std::pair<std::uint64_t, std::uint64_t>, 8>> recent_spans;
  std::vector<unsigned> recent_next;
  // longest_match rules: where the last counted value started, and its index in part_findings
  // (SIZE_MAX when it was counted but not stored).
  struct LongestLast {
    std::uint64_t start = UINT64_MAX;
    std::size_t index = SIZE_MAX;
  };
  std::vector<LongestLast> longest_last;
  std::vector<std::uint64_t> last_found_end;  // per rule: where its last counted value ended

  // Whole document.
  std::vector<DocFinding> findings;
  std::vector<std::string> part_names;  // by part index, for parts with findings
  std::vector<Rejection> rejections;
  std::vector<std::uint64_t> per_rule_total;
  std::vector<std::size_t> per_rule_stored;
  std::uint64_t findings_total = 0;
  std::uint64_t values_total = 0;  // findings of rules that match values (not vocabulary)
  std::uint64_t values_stored = 0;
  std::uint64_t text_bytes = 0;
  classify::TextTraits traits;  // the first 8 KiB of the file's text: is it Swedish?
  bool truncated = false;

  State(std::shared_ptr<const Engine> e, bool ex)
      : engine(std::move(e)), impl(engine->impl()), explain(ex) {
    scratch = impl.database->clone_scratch();
    vctx.reference_date = impl.options.reference_date;
    context_hits.resize(impl.rules.size());
    recent_spans.assign(impl.rules.size(), {});
    for (auto& r : recent_spans) r.fill({UINT64_MAX, UINT64_MAX});
    recent_next.assign(impl.rules.size(), 0);
    longest_last.assign(impl.rules.size(), {});
    last_found_end.assign(impl.rules.size(), UINT64_MAX);
    per_rule_total.assign(impl.rules.size(), 0);
    per_rule_stored.assign(impl.rules.size(), 0);
  }
  ~State() {
    if (stream) hs_close_stream(stream, scratch, nullptr, nullptr);
    if (scratch) hs_free_scratch(scratch);
  }

  std::uint64_t available_end() const { return chunk_start + chunk.size(); }
  std::uint64_t available_begin() const { return chunk_start - history.size(); }

  int byte_at(std::uint64_t pos) const {
    if (pos >= available_end() || pos < available_begin()) return -1;
    if (pos >= chunk_start) return static_cast<unsigned char>(chunk[pos - chunk_start]);
    return static_cast<unsigned char>(history[history.size() - (chunk_start - pos)]);
  }

  // The code point that starts at `pos` (-1 when unavailable or not valid UTF-8).
  std::int64_t code_point_at(std::uint64_t pos) const {
    const int lead = byte_at(pos);
    if (lead < 0x80) return lead;
    const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
    if (extra < 0 || lead >= 0xF8) return -1;
    std::uint32_t cp = static_cast<std::uint32_t>(lead) & (0x3Fu >> extra);
    for (int k = 1; k <= extra; ++k) {
      const int b = byte_at(pos + static_cast<std::uint64_t>(k));
      if (b < 0x80 || b > 0xBF) return -1;
      cp = (cp << 6) | (static_cast<std::uint32_t>(b) & 0x3Fu);
    }
    return cp;
  }

  // Whether the character just before `pos` / starting at `pos` continues a word. Bytes not at
  // hand (the edge of what is kept) count as the old byte test did: any non-ASCII byte is a letter.
  bool word_before(std::uint64_t pos) const {
    if (pos == 0) return false;
    std::uint64_t lead = pos - 1;
    for (int k = 0; k < 3 && lead > 0 && byte_at(lead) >= 0x80 && byte_at(lead) <= 0xBF; ++k)
      --lead;
    const std::int64_t cp = code_point_at(lead);
    if (cp < 0) return is_word(byte_at(pos - 1));
    return is_word_code_point(static_cast<std::uint32_t>(cp));
  }
  bool word_after(std::uint64_t pos) const {
    const std::int64_t cp = code_point_at(pos);
    if (cp < 0) return is_word(byte_at(pos));
    return is_word_code_point(static_cast<std::uint32_t>(cp));
  }

  // Text [from, to) of the part; both ends must lie in history + chunk.
  std::string_view slice(std::uint64_t from, std::uint64_t to) {
    from = std::max(from, available_begin());
    if (from >= chunk_start) return chunk.substr(from - chunk_start, to - from);
    const std::size_t hist_from = history.size() - (chunk_start - from);
    if (to <= chunk_start) return std::string_view(history).substr(hist_from, to - from);
    slice_buf.assign(history, hist_from, std::string::npos);
    slice_buf.append(chunk.substr(0, to - chunk_start));
    return slice_buf;
  }

  std::uint64_t line_of(std::uint64_t pos) {
    if (pos >= line_pos) {
      auto s = slice(line_pos, pos);
      line_no += count_newlines(s);
      line_pos = pos;
      return line_no;
    }
    auto s = slice(pos, line_pos);  // a match starting before the cursor: count back
    return line_no - count_newlines(s);
  }

  void reject(std::size_t rule, std::uint64_t start, std::string masked, std::string reason) {
    if (!explain || rejections.size() >= kMaxRejections) return;
    Rejection r;
    r.rule_id = impl.rules[rule].spec.id;
    r.masked = std::move(masked);
    r.part = part;
    r.offset = start;
    r.line = line_of(start);
    r.reason = std::move(reason);
    rejections.push_back(std::move(r));
  }

  void confirm(const Hit& hit, bool at_end) {
    const CompiledPattern& pat = impl.patterns[hit.id];
    if (pat.kind == CompiledPattern::Kind::kContext) {
      for (const std::size_t r : pat.context_rules) {
        auto& v = context_hits[r];
        if (v.size() < kMaxContextHitsPerRule) v.push_back(hit.to);
      }
      return;
    }
    const CompiledRule& rule = impl.rules[pat.rule];
    const auto& spec = rule.spec;
    const std::uint64_t end = hit.to;
    std::uint64_t start;
    std::string_view text;
    // Most candidates of digit rules sit inside longer digit runs; drop them before any work.
    if (!explain && spec.digit_boundaries && !at_end && is_digit(byte_at(end))) return;
    if (pat.som) {
      start = std::max<std::uint64_t>(hit.from, available_begin());
      text = slice(start, end);
    } else if (pat.confirm) {
      const std::uint64_t want = end > pat.window ? end - pat.window : 0;
      const std::uint64_t from = std::max(want, available_begin());
      // One byte of left context lets RE2 judge \b at the window's edge.
      const std::uint64_t ctx_from = from > available_begin() ? from - 1 : from;
      std::string_view window = slice(ctx_from, end);
      std::array<re2::StringPiece, kMaxValueGroup + 1> m;
      const re2::StringPiece input(window.data(), window.size());
      if (!pat.confirm->Match(input, from - ctx_from, input.size(), RE2::UNANCHORED, m.data(),
                              pat.value_group + 1)) {
        return;  // Hyperscan and RE2 disagree: not a match
      }
      // A confirm that reads a heading lines above can name where the value starts.
      const char* from_here =
          m[pat.value_group].data() != nullptr ? m[pat.value_group].data() : m[0].data();
      start = ctx_from + static_cast<std::uint64_t>(from_here - window.data());
      text = std::string_view(from_here, static_cast<std::size_t>(m[0].end() - from_here));
    } else {
      start = end - pat.min_width;
      text = slice(start, end);
    }
    if ((pat.word_bounded && pat.value_group == 0) || spec.mask == rules::MaskStyle::kNone) {
      // The value starts at its first word character. A pattern may lead with the separator it
      // needs: "(?:^|[ \t\n(])Lina" (RE2 then finds the start without a capture group: a group
      // over 332 names made RE2 walk every alternative, ~2 400 cycles a hit against ~250), or a
      // stamp's "(?:^|[\r\n.:;])[ \t]{0,3}sekretess enligt", whose shown text, offset and line
      // were the line break before it.
      const std::uint64_t match_start = start;
      while (start < end && !word_after(start)) start += utf8_sequence_length(byte_at(start));
      if (start >= end) return;  // nothing but separators
      text.remove_prefix(static_cast<std::size_t>(start - match_start));
    }
    auto& recent = recent_spans[pat.rule];
    const std::pair<std::uint64_t, std::uint64_t> span{start, end};
    if (std::find(recent.begin(), recent.end(), span) != recent.end()) return;
    recent[recent_next[pat.rule]++ % recent.size()] = span;

    if (spec.digit_boundaries || pat.word_bounded) {
      const int before = start > 0 ? byte_at(start - 1) : -1;
      const int after = at_end ? -1 : byte_at(end);
      const bool touches =
          pat.word_bounded ? (before >= 0 && word_before(start)) || (after >= 0 && word_after(end))
                           : is_digit(before) || is_digit(after);
      if (touches) {
        reject(pat.rule, start, mask::mask_match(reject_mask(spec), text),
               pat.word_bounded ? "inside a longer word" : "inside a longer number");
        return;
      }
    }
    PartFinding f;
    f.rule = pat.rule;
    f.start = start;
    f.end = end;
    f.bare_digits = weak_identity_form(text, vctx.reference_date);
    validate::Validation v;
    if (rule.validator) {
      v = rule.validator(text, vctx);
      if (!v.valid) {
        reject(pat.rule, start, mask::mask_match(reject_mask(spec), text), v.reason);
        return;
      }
    }
    // Two patterns of one rule that end at the same byte read one value, also when one starts
    // earlier ("IBAN: SE45 …" and "SE45 …"): the first accepted counts, the other not. Hits come
    // sorted by end, so the last accepted end is enough; a candidate rejected above (inside a
    // longer number, a bad checksum) does not hide a valid one that ends where it does.
    if (last_found_end[pat.rule] == end) return;
    last_found_end[pat.rule] = end;
    if (spec.longest_match) {
      // Hyperscan reports every end of a trailing \S*: "Sommar2026!" ends at each character
      // after the digit. A hit from the same start is the same value read further, so the
      // finding already made grows instead of a new one being counted.
      auto& last = longest_last[pat.rule];
      if (last.start == start) {
        if (last.index < part_findings.size()) {
          auto& grown = part_findings[last.index];
          grown.end = end;
          grown.masked = mask::mask_match(spec.mask, text);
          grown.normalized = mask::normalize_value(text);
        }
        return;
      }
      last = {start, SIZE_MAX};
    }
    ++per_rule_total[pat.rule];
    ++findings_total;
    // Vocabulary (mask: none) and context the reports leave out (report: false: first names)
    // are bounded per rule and do not use up max_matches, so a long case file full of domain
    // words and names still has room for the identity numbers later in it.
    const bool vocabulary = spec.mask == rules::MaskStyle::kNone || !spec.report;
    if (!vocabulary) ++values_total;
    if (per_rule_stored[pat.rule] >= kMaxStoredPerRule ||
        (!vocabulary && values_stored >= impl.options.limits.max_matches)) {
      truncated = true;
      return;  // counted only: no strings built for it (most hits of a long document end here)
    }
    if (!vocabulary) ++values_stored;
    ++per_rule_stored[pat.rule];
    if (rule.validator) {
      f.masked = v.masked.empty() ? mask::mask_match(spec.mask, text) : std::move(v.masked);
      f.normalized = std::move(v.normalized);
      if (explain) f.explanation = "validator " + spec.validator + ": valid";
    } else {
      f.masked = mask::mask_match(spec.mask, text);
      f.normalized = spec.mask == rules::MaskStyle::kNone ? f.masked : mask::normalize_value(text);
      if (explain) f.explanation = "pattern match";
    }
    f.line = line_of(start);
    if (spec.longest_match) longest_last[pat.rule].index = part_findings.size();
    part_findings.push_back(std::move(f));
  }

  void process(std::vector<Hit>& batch, bool at_end) {
    std::sort(batch.begin(), batch.end(), [](const Hit& a, const Hit& b) {
      return a.to < b.to || (a.to == b.to && a.id < b.id);
    });
    for (const auto& h : batch) {
      if (!at_end && h.to >= available_end() &&
          impl.patterns[h.id].kind == CompiledPattern::Kind::kRule) {
        deferred.push_back(h);  // the byte after the match decides boundaries
        continue;
      }
      confirm(h, at_end);
    }
    batch.clear();
  }

  void remember_history() {
    const std::size_t keep = impl.history_bytes;
    if (chunk.size() >= keep) {
      history.assign(chunk.substr(chunk.size() - keep));
    } else {
      history.append(chunk);
      if (history.size() > keep) history.erase(0, history.size() - keep);
    }
    chunk_start += chunk.size();
    chunk = {};
  }

  void scan_chunk(std::string_view data) {
    if (data.empty()) return;
    chunk = data;
    text_bytes += data.size();
    traits.sample(data);
    if (!deferred.empty()) {
      std::vector<Hit> again;
      again.swap(deferred);
      process(again, false);
    }
    hs_scan_stream(stream, data.data(), static_cast<unsigned>(data.size()), 0, scratch, on_match,
                   &hits);
    process(hits, false);
    line_of(available_end());  // keep the line cursor moving with the text
    remember_history();
  }

  // Nearest context keyword of the finding's rule, as (distance, pattern) or none.
  std::optional<std::pair<std::uint64_t, std::size_t>> nearest_context(const PartFinding& f) const {
    const auto& hits_of_rule = context_hits[f.rule];
    if (hits_of_rule.empty()) return std::nullopt;
    const auto window = static_cast<std::uint64_t>(impl.rules[f.rule].spec.context.window);
    std::optional<std::pair<std::uint64_t, std::size_t>> best;
    auto it = std::lower_bound(hits_of_rule.begin(), hits_of_rule.end(), f.start);
    if (it != hits_of_rule.begin()) {  // a keyword ending before the match
      const auto d = f.start - *std::prev(it);
      if (d <= window) best = std::make_pair(d, std::size_t{0});
    }
    auto after = std::lower_bound(hits_of_rule.begin(), hits_of_rule.end(), f.end + 1);
    if (after != hits_of_rule.end()) {  // a keyword ending after the match
      const auto d = *after - f.end;
      if (d <= window + 64 && (!best || d < best->first)) best = std::make_pair(d, std::size_t{1});
    }
    return best;
  }

  // A register's column heading ("Personnummer", "Pnr") is a context word for the first rows
  // only: the rest of the column lies beyond the window. A bare number (low confidence) within
  // the context window after a confirmed one (a context word, or confirmed this way) continues
  // that list and counts as medium. A phone or order list without such a heading has no
  // confirmed number to start from, and its few checksum-valid numbers lie too far apart to chain.
  void continue_confirmed_lists(const std::vector<bool>& kept,
                                std::vector<Confidence>& confidence) {
    std::vector<std::size_t> listed;
    for (std::size_t i = 0; i < part_findings.size(); ++i) {
      if (kept[i] && impl.rules[part_findings[i].rule].spec.bare_digits_low) listed.push_back(i);
    }
    std::sort(listed.begin(), listed.end(), [&](std::size_t a, std::size_t b) {
      return part_findings[a].start < part_findings[b].start;
    });
    std::optional<std::uint64_t> confirmed_end;
    for (const auto i : listed) {
      auto& f = part_findings[i];
      const auto window = static_cast<std::uint64_t>(impl.rules[f.rule].spec.context.window);
      const bool follows =
          confirmed_end && f.start >= *confirmed_end && f.start - *confirmed_end <= window;
      if (confidence[i] == Confidence::kHigh) {
        confirmed_end = f.end;
      } else if (follows) {
        if (confidence[i] == Confidence::kLow) {
          confidence[i] = Confidence::kMedium;
          if (explain) {
            f.explanation += "; continues a list " + std::to_string(f.start - *confirmed_end) +
                             " bytes after a confirmed number";
          }
        }
        confirmed_end = f.end;
      } else {
        confirmed_end.reset();
      }
    }
  }

  void finish_part() {
    std::string tail_buf;
    auto tail = guard.flush(tail_buf);
    if (!tail.empty()) scan_chunk(tail);
    hs_close_stream(stream, scratch, on_match, &hits);
    stream = nullptr;
    std::vector<Hit> last;
    last.swap(deferred);
    last.insert(last.end(), hits.begin(), hits.end());
    hits.clear();
    process(last, true);

    for (auto& v : context_hits) std::sort(v.begin(), v.end());
    std::vector<Confidence> confidence(part_findings.size(), Confidence::kMedium);
    std::vector<bool> kept(part_findings.size(), true);
    for (std::size_t i = 0; i < part_findings.size(); ++i) {
      auto& f = part_findings[i];
      const auto& rule = impl.rules[f.rule];
      Confidence conf = rule.spec.confidence;
      if (rule.has_context) {
        auto ctx = nearest_context(f);
        if (ctx) {
          conf = Confidence::kHigh;
          if (explain) {
            f.explanation += "; context word within " + std::to_string(ctx->first) + " bytes " +
                             (ctx->second == 0 ? "before" : "after");
          }
        } else if (rule.spec.context.required) {
          reject(f.rule, f.start, f.masked,
                 "no context word within " + std::to_string(rule.spec.context.window) + " bytes");
          --per_rule_total[f.rule];
          --findings_total;
          kept[i] = false;
          continue;
        } else {
          if (explain) {
            f.explanation +=
                "; no context word within " + std::to_string(rule.spec.context.window) + " bytes";
          }
          if (rule.spec.bare_digits_low && f.bare_digits) {
            conf = Confidence::kLow;
            if (explain) f.explanation += "; bare digits";
          }
        }
      }
      confidence[i] = conf;
    }
    continue_confirmed_lists(kept, confidence);
    const bool later_page = is_later_page(part);
    for (std::size_t i = 0; i < part_findings.size(); ++i) {
      if (!kept[i]) continue;
      auto& f = part_findings[i];
      const auto& rule = impl.rules[f.rule];
      const Confidence conf = confidence[i];
      std::string explanation = std::move(f.explanation);
      DocFinding d;
      d.masked = std::move(f.masked);
      if (!impl.options.pseudonym_key.empty() && rule.spec.mask != rules::MaskStyle::kNone) {
        d.pseudonym = hmac_sha256_hex(impl.options.pseudonym_key, rule.spec.id + ":" + f.normalized)
                          .substr(0, 32);
      }
      d.line = f.line;
      if (explain) d.explanation = std::move(explanation);
      d.input.rule = f.rule;
      d.input.confidence = conf;
      d.input.part = part_index;
      d.input.offset = f.start;
      d.input.value_key = std::hash<std::string>{}(f.normalized);
      d.input.later_page = later_page;
      findings.push_back(std::move(d));
    }
    if (!part_findings.empty()) {
      if (part_names.size() <= part_index) part_names.resize(part_index + 1);
      part_names[part_index] = part;
    }
    part_findings.clear();
    for (auto& v : context_hits) v.clear();
    for (auto& r : recent_spans) r.fill({UINT64_MAX, UINT64_MAX});
    std::fill(longest_last.begin(), longest_last.end(), LongestLast{});
    std::fill(last_found_end.begin(), last_found_end.end(), UINT64_MAX);
    history.clear();
    chunk_start = 0;
    line_pos = 0;
    line_no = 1;
    in_part = false;
    ++part_index;
  }
};

TextScanner::TextScanner(std::shared_ptr<const Engine> engine, bool explain)
    : state_(std::make_unique<State>(std::move(engine), explain)) {}

TextScanner::~TextScanner() = default;

const Engine& TextScanner::engine() const {
  return *state_->engine;
}

void TextScanner::begin_part(std::string_view part_name) {
  auto& s = *state_;
  if (s.in_part) end_part();
  s.part = mask_identity_numbers(part_name);  // member names can hold a personnummer
  s.in_part = true;
  s.guard.reset();
  hs_open_stream(s.impl.database->db(), 0, &s.stream);
}

void TextScanner::text(std::string_view utf8) {
  auto& s = *state_;
  if (!s.in_part) begin_part("");
  // Hyperscan takes at most 4 GiB per call; extractors send far less, but be exact.
  constexpr std::size_t kMaxCall = 1u << 30;
  while (!utf8.empty()) {
    auto piece = utf8.substr(0, kMaxCall);
    utf8.remove_prefix(piece.size());
    while (!piece.empty()) s.scan_chunk(s.guard.clean(piece, s.clean_buf));
  }
}

// Text from the decoder is valid UTF-8 already: the guard's second pass over it was 5 % of a
// large text file's scan (perf). Only a character the guard holds from an earlier text() call
// sends it the long way.
void TextScanner::valid_text(std::string_view utf8) {
  auto& s = *state_;
  if (!s.in_part) begin_part("");
  if (s.guard.holding()) {
    text(utf8);
    return;
  }
  constexpr std::size_t kMaxCall = 1u << 30;
  while (!utf8.empty()) {
    const auto piece = utf8.substr(0, kMaxCall);  // whole characters: pieces are far smaller
    utf8.remove_prefix(piece.size());
    s.scan_chunk(piece);
  }
}

void TextScanner::end_part() {
  if (state_->in_part) state_->finish_part();
}

bool TextScanner::saturated() const {
  return state_->values_total >= state_->impl.options.limits.max_matches;
}

DocumentVerdict TextScanner::finish() {
  auto& s = *state_;
  if (s.in_part) s.finish_part();
  DocumentVerdict v;
  // A rule that needs several hits (min_count) reports none below that.
  std::vector<classify::ClassInput> inputs;
  inputs.reserve(s.findings.size());
  v.findings.reserve(s.findings.size());
  for (auto& f : s.findings) {
    const auto& spec = s.impl.rules[f.input.rule].spec;
    if (s.per_rule_total[f.input.rule] >= static_cast<std::uint64_t>(spec.min_count)) {
      inputs.push_back(f.input);
      if (!spec.report && !s.explain) continue;  // the policy's alone
      Finding& out = v.findings.emplace_back();
      out.rule_id = spec.id;
      out.rule_name = spec.name;
      out.rule_class = spec.rule_class;
      out.confidence = f.input.confidence;
      out.masked = std::move(f.masked);
      out.pseudonym = std::move(f.pseudonym);
      out.part = s.part_names[f.input.part];
      out.line = f.line;
      out.offset = f.input.offset;
      out.explanation = std::move(f.explanation);
    }
  }
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < s.per_rule_total.size(); ++r) {
    const auto& spec = s.impl.rules[r].spec;
    if (!spec.report && !s.explain) continue;
    if (s.per_rule_total[r] > 0 &&
        s.per_rule_total[r] >= static_cast<std::uint64_t>(spec.min_count)) {
      total += s.per_rule_total[r];
      v.rule_counts.push_back({s.impl.rules[r].spec.id, s.per_rule_total[r]});
    }
  }
  auto c = s.impl.classifier.classify(inputs, s.traits);
  v.info_class = c.info_class;
  v.class_name = s.engine->class_name(c.info_class);
  v.conditions = std::move(c.conditions);
  if (s.explain) {
    // A candidate one rule turned down and another accepted is not worth explaining.
    std::set<std::pair<std::string, std::uint64_t>> accepted;
    for (const auto& f : v.findings) accepted.insert({f.part, f.offset});
    for (auto& r : s.rejections) {
      if (!accepted.count({r.part, r.offset})) v.rejections.push_back(std::move(r));
    }
  }
  v.findings_total = total;
  v.text_bytes = s.text_bytes;
  v.matches_truncated = s.truncated;

  s.findings.clear();
  s.part_names.clear();
  s.rejections.clear();
  std::fill(s.per_rule_total.begin(), s.per_rule_total.end(), 0);
  std::fill(s.per_rule_stored.begin(), s.per_rule_stored.end(), 0);
  s.findings_total = 0;
  s.values_total = 0;
  s.values_stored = 0;
  s.text_bytes = 0;
  s.traits = {};
  s.truncated = false;
  s.part_index = 0;
  return v;
}

}  // namespace vakt

// report/json_text.h must write exactly what nlohmann's dump(-1, ' ', false, replace) writes:
// compared on hand-picked strings (quotes, control characters, Swedish letters, invalid UTF-8)
// and on 20 000 random byte strings, and a whole object built both ways.
#include "report/json_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace vakt::agent {
namespace {

std::string reference(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const std::string& s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonText, StringsAreWrittenAsNlohmannWritesThem) {
  const std::string cases[] = {"",
                               "19990604-****",
                               "se.personnummer",
                               "say \"hi\" \\ there",
                               std::string("nul\0inside", 10),
                               "tab\tnew\nline\rbell\x07\x1f del\x7f",
                               "Närvarolista åäö ÅÄÖ é",
                               "bad \xff\xfe bytes \xc3",
                               "cut \xe2\x82",
                               "ppt/slides/slide1.xml",
                               "\xf0\x9f\x98\x80 emoji"};
  for (const auto& s : cases) EXPECT_EQ(written(s), reference(s)) << s;
}

TEST(JsonText, RandomBytesAreWrittenAsNlohmannWritesThem) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 24, '\0');
    for (auto& c : s) {
      // Mostly ASCII letters, with quotes, controls and high bytes mixed in.
      const auto r = rng() % 10;
      c = static_cast<char>(r < 6   ? 'a' + rng() % 26
                            : r < 7 ? '"'
                            : r < 8 ? rng() % 32
                                    : rng() % 256);
    }
    ASSERT_EQ(written(s), reference(s)) << i;
  }
}

// Multi-byte text takes a fast path when it is valid UTF-8: code points from every encoded length
// and the edges of each (overlong forms, surrogates, above U+10FFFF), mixed with quotes,
// controls and cut sequences, must still come out exactly as nlohmann writes them.
TEST(JsonText, RandomUtf8AndItsEdgesAreWrittenAsNlohmannWritesThem) {
  const std::string pieces[] = {"a",
                                "\xc3\xa4",
                                "\xc3\x85",
                                "\xc2\x80",
                                "\xdf\xbf",
                                "\xe0\xa0\x80",
                                "\xef\xbf\xbf",
                                "\xed\x9f\xbf",
                                "\xee\x80\x80",
                                "\xf0\x90\x80\x80",
                                "\xf4\x8f\xbf\xbf",
                                "\x7f",
                                "\"",
                                "\\",
                                "\x01",
                                "\xc0\x80",
                                "\xc1\xbf",
                                "\xe0\x9f\xbf",
                                "\xed\xa0\x80",
                                "\xf0\x8f\xbf\xbf",
                                "\xf4\x90\x80\x80",
                                "\xf5\x80\x80\x80",
                                "\xe2\x82",
                                "\x80"};
  constexpr std::size_t kValid = 12;  // the first twelve pieces are valid and need no escape
  std::mt19937 rng(11);
  int fast = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool only_valid = i % 2 == 0;
    std::string s;
    for (std::size_t n = rng() % 12; n > 0; --n) {
      s += pieces[rng() % (only_valid ? kValid : std::size(pieces))];
    }
    const std::string out = written(s);
    ASSERT_EQ(out, reference(s)) << i;
    fast += out == "\"" + s + "\"";
  }
  EXPECT_GT(fast, 9000);  // the valid half is copied unchanged
}

// A byte that needs attention is seen wherever it sits, and the bytes just outside the special
// ranges are written as they are.
TEST(JsonText, EveryPositionOfEverySpecialByteIsSeen) {
  const std::string specials[] = {
      std::string(1, '\0'), "\x1f", "\x20", "\"", "!", "#", "\\", "[", "]", "\x7f", "\x80",
      "\xc3\xa4",           "\xff", "\xc3"};
  for (std::size_t len : {8u, 9u, 16u, 31u}) {
    for (std::size_t pos = 0; pos < len; ++pos) {
      for (const auto& sp : specials) {
        std::string s(len, 'k');
        s.replace(pos, 1, sp);
        ASSERT_EQ(written(s), reference(s)) << len << " " << pos << " " << int(sp[0]);
      }
    }
  }
}

TEST(JsonText, NumbersAndKeysMakeTheSameObject) {
  std::string out = "{";
  append_json_key(out, "size");
  append_json_uint(out, std::numeric_limits<std::uint64_t>::max());
  append_json_key(out, "class");
  append_json_int(out, -3);
  append_json_key(out, "seconds");
  append_json_double(out, 0.1 + 0.2);
  append_json_key(out, "name");
  append_json_string(out, "Öppen");
  out += '}';
  nlohmann::ordered_json j;
  j["size"] = std::numeric_limits<std::uint64_t>::max();
  j["class"] = -3;
  j["seconds"] = 0.1 + 0.2;
  j["name"] = "Öppen";
  EXPECT_EQ(out, j.dump());
}

}  // namespace
}  // namespace vakt::agent

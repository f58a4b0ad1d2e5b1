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

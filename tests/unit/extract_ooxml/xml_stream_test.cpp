// XmlStream: namespaces, chunked feeding, and refusal of entity tricks (XXE, billion laughs).
#include "extract/xml_stream.h"

#include <gtest/gtest.h>
#ifdef _WIN32
#include <windows.h>
// windows.h must come first
#include <psapi.h>
#else
#include <sys/resource.h>
#endif

#include <string>

namespace vakt::extract {
namespace {

struct Recorder final : XmlHandler {
  std::string log;
  std::string text_only;
  void start(const XmlName& n, const XmlAttrs& a) override {
    log += "<" + std::string(n.local) + "|" + std::string(n.uri) + ">";
    if (a.has("val")) log += "val=" + std::string(a.get("val"));
  }
  void end(const XmlName& n) override { log += "</" + std::string(n.local) + ">"; }
  void text(std::string_view s) override {
    log += s;
    text_only += s;
  }
};

Status parse_in_chunks(std::string_view xml, XmlHandler& h, std::size_t chunk,
                       XmlEngine engine = XmlEngine::kAuto) {
  XmlStream s(h, engine);
  for (std::size_t i = 0; i < xml.size(); i += chunk) {
    Status st = s.feed(xml.substr(i, chunk));
    if (!st) return st;
  }
  return s.finish();
}

constexpr const char* kNsDoc =
    R"(<w:document xmlns:w="urn:w"><w:p><w:r w:val="x"><w:t>Hej</w:t></w:r></w:p><plain/></w:document>)";

TEST(XmlStream, FastPathGivesLocalNamesWithoutPrefixes) {
  Recorder r;
  XmlStream s(r);
  ASSERT_TRUE(s.feed(kNsDoc).ok());
  ASSERT_TRUE(s.finish().ok());
  EXPECT_FALSE(s.using_expat());
  EXPECT_EQ(r.log, "<document|><p|><r|>val=x<t|>Hej</t></r></p><plain|></plain></document>");
}

TEST(XmlStream, DoctypeOrOtherEncodingGoesToExpat) {
  for (std::string_view doc :
       {std::string_view(R"(<?xml version="1.0"?><!DOCTYPE a><a>x</a>)"),
        std::string_view(R"(<?xml version="1.0" encoding="ISO-8859-1"?><a>x</a>)")}) {
    Recorder r;
    XmlStream s(r);
    ASSERT_TRUE(s.feed(doc).ok());
    ASSERT_TRUE(s.finish().ok());
    EXPECT_TRUE(s.using_expat()) << doc;
    EXPECT_EQ(r.text_only, "x");
  }
}

TEST(XmlStream, ExpatGivesNamespaceUris) {
  Recorder r;
  Status st = parse_in_chunks(kNsDoc, r, 1000, XmlEngine::kExpat);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(r.log,
            "<document|urn:w><p|urn:w><r|urn:w>val=x<t|urn:w>Hej</t></r></p><plain|></plain>"
            "</document>");
}

class BothEngines : public ::testing::TestWithParam<XmlEngine> {};
INSTANTIATE_TEST_SUITE_P(XmlStream, BothEngines,
                         ::testing::Values(XmlEngine::kAuto, XmlEngine::kExpat));

TEST_P(BothEngines, ByteByByteFeedingGivesTheSameText) {
  const std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><!-- c --><a x='1&gt;'>åäö &amp; &#x41;&#66; <![CDATA[<raw>]]> slut<?pi x?></a>)";
  Recorder whole;
  Recorder bytes;
  ASSERT_TRUE(parse_in_chunks(xml, whole, xml.size(), GetParam()).ok());
  ASSERT_TRUE(parse_in_chunks(xml, bytes, 1, GetParam()).ok());
  EXPECT_EQ(whole.text_only, "åäö & AB <raw> slut");
  EXPECT_EQ(bytes.text_only, whole.text_only);
}

TEST_P(BothEngines, MalformedDocumentsAreCorrupt) {
  for (std::string_view bad : {"<a><b>text", "<a></b>", "<a>&nosuch;</a>", "<a>x</a><b/>",
                               "<a>&#0;</a>", "<a x=1/>", ""}) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
      Recorder r;
      Status st = parse_in_chunks(bad, r, chunk, GetParam());
      ASSERT_FALSE(st.ok()) << bad;
      EXPECT_EQ(st.error().message.rfind("corrupt xml", 0), 0u) << st.error().message;
    }
  }
}

TEST(XmlStream, ExternalEntityIsNeitherResolvedNorFetched) {
  // If the entity were resolved, /etc/hostname's content would appear in the text.
  const std::string xxe =
      R"(<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]><d>a&x;b</d>)";
  Recorder r;
  Status st = parse_in_chunks(xxe, r, 7);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("refused xml: external entity", 0), 0u) << st.error().message;
  EXPECT_EQ(r.text_only, "");
}

TEST(XmlStream, ExternalParameterEntityAndDtdAreNotFetched) {
  const std::string xxe =
      R"(<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd"><d>fine</d>)";
  Recorder r;
  Status st = parse_in_chunks(xxe, r, 1000);
  ASSERT_TRUE(st.ok()) << st.error().message;  // the DTD is ignored, never loaded
  EXPECT_EQ(r.text_only, "fine");
}

// Peak resident memory of this process in KiB (the OS's own high-water mark).
long peak_rss_kib() {
#ifdef _WIN32
  PROCESS_MEMORY_COUNTERS pmc{};
  GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc));
  return static_cast<long>(pmc.PeakWorkingSetSize / 1024);
#else
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
#endif
}

TEST(XmlStream, BillionLaughsRefusedWithoutBlowingMemory) {
  std::string bomb = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  for (int i = 1; i <= 9; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">";
  }
  bomb += "]><lolz>&lol9;</lolz>";
  const long before = peak_rss_kib();
  Recorder r;
  Status st = parse_in_chunks(bomb, r, 64);
  const long after = peak_rss_kib();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("refused xml: entity declaration", 0), 0u)
      << st.error().message;
  EXPECT_LT(r.text_only.size(), 100u);
  EXPECT_LT(after - before, 64 * 1024);  // KiB: no expansion happened
}

TEST(XmlStream, StopEndsParsingQuietly) {
  struct Stopper final : XmlHandler {
    XmlStream* s = nullptr;
    int starts = 0;
    void start(const XmlName&, const XmlAttrs&) override {
      if (++starts == 2) s->stop();
    }
    void end(const XmlName&) override {}
    void text(std::string_view) override {}
  } h;
  XmlStream s(h);
  h.s = &s;
  EXPECT_TRUE(s.feed("<a><b/><c/><d/>").ok());
  EXPECT_TRUE(s.stopped());
  EXPECT_TRUE(s.finish().ok());
  EXPECT_EQ(h.starts, 2);
}

}  // namespace
}  // namespace vakt::extract

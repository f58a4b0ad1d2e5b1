// Differential test of the fast Office XML tokenizer against expat (the reference), the way RE2
// tests its fast engines: every XML member of every OOXML/ODF file in the real-world corpus, and
// a set of tricky snippets, must give the same events — element local names, attributes, text —
// and the same verdict (readable or corrupt).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "extract/xml_stream.h"
#include "extract/zip_reader.h"

namespace vakt::extract {
namespace {

namespace fs = std::filesystem;

// Records events engine-neutrally: local names only, text merged across pieces, and expat's
// line-end and attribute-whitespace normalisation applied to both sides.
struct EventLog final : XmlHandler {
  std::string log;
  std::string text_run;
  void flush_text() {
    if (text_run.empty()) return;
    std::string t;
    for (std::size_t i = 0; i < text_run.size(); ++i) {
      if (text_run[i] == '\r') {
        t.push_back('\n');
        if (i + 1 < text_run.size() && text_run[i + 1] == '\n') ++i;
      } else {
        t.push_back(text_run[i]);
      }
    }
    log += "T[" + t + "]";
    text_run.clear();
  }
  void start(const XmlName& n, const XmlAttrs& a) override {
    flush_text();
    log += "<" + std::string(n.local);
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string v(a.value(i));
      for (char& c : v) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
      }
      log += " " + std::string(a.local_name(i)) + "=" + v;
    }
    log += ">";
  }
  void end(const XmlName& n) override {
    flush_text();
    log += "</" + std::string(n.local) + ">";
  }
  void text(std::string_view s) override { text_run.append(s); }
};

struct Run {
  std::string log;
  bool ok = false;
  bool expat = false;
};

Run run(std::string_view xml, XmlEngine engine, std::size_t chunk) {
  EventLog h;
  XmlStream s(h, engine);
  Status st = Ok{};
  for (std::size_t i = 0; i < xml.size() && st.ok(); i += chunk) st = s.feed(xml.substr(i, chunk));
  if (st.ok()) st = s.finish();
  h.flush_text();
  return Run{h.log, st.ok(), s.using_expat()};
}

// Returns true when expat reads `xml` (so callers can check the lenient cases).
bool expect_same(std::string_view xml, const std::string& label) {
  const Run ref = run(xml, XmlEngine::kExpat, 64 * 1024);
  for (std::size_t chunk : {std::size_t{64 * 1024}, std::size_t{7}}) {
    const Run fast = run(xml, XmlEngine::kAuto, chunk);
    if (fast.expat) continue;  // a DTD or another encoding: expat read it anyway
    // The fast reader never refuses what expat reads. It is deliberately more lenient about a few
    // well-formedness rules that do not change the text (duplicate attributes, control
    // characters, "]]>" in text, '<' in attribute values, name start characters), so the
    // reverse may differ.
    if (ref.ok) {
      EXPECT_TRUE(fast.ok) << label << " chunk " << chunk;
    }
    if (ref.ok && fast.ok) {
      EXPECT_EQ(fast.log, ref.log) << label << " chunk " << chunk;
    }
  }
  return ref.ok;
}

TEST(XmlDifferential, TrickySnippets) {
  const char* kCases[] = {
      "<a/>",
      "<a b='1' c=\"2\"/>",
      "<a b=\"x&amp;y&lt;&#x10FFFF;&#228;\">t</a>",
      "<p:a xmlns:p='u' p:b='>'>x&gt;y</p:a>",
      "\xEF\xBB\xBF<a>bom</a>",
      "<?xml version='1.0' encoding='utf-8'?>\r\n<a>\r\nrad\r\n</a>",
      "<a><![CDATA[]]><![CDATA[x]]>y<!---->z</a>",
      "<a>  <b/>  </a>",
      "<a>&unknown;</a>",
      "<a><b></a></b>",
      "<a x='1' x='2'/>",
      "<a>\x01</a>",
      "<a>]]></a>",
      "<a b='<'/>",
      "<1a/>",
      "<a></a >",
      "<a>&#xD800;</a>",
      // The one-pass start tag: spaces around '=', line breaks inside tags, quotes inside
      // values, several decoded values in one tag (their buffer grows while it is filled).
      "<a b = \"1\"\n\tc\t=\t'2' />",
      "<a\n/>",
      "<a b='say \"hi\"' c=\"it's\">t</a>",
      "<w:t w:a=\"&lt;&lt;\" w:b=\"&amp;x&amp;\" w:c=\"plain\" "
      "w:d=\"&#x263A;&#x263A;&#x263A;\">x</w:t>",
      "<a b='1'/ >",
      "<a b='1' / >",
      "<a b/>",
      "<a b='1'c='2'/>",
  };
  for (const char* c : kCases) expect_same(c, c);
  for (const char* c : kCases) {  // one byte at a time: every split point inside every tag
    const auto ref = run(c, XmlEngine::kExpat, 64 * 1024);
    const auto fast = run(c, XmlEngine::kAuto, 1);
    if (ref.ok && !fast.expat) {
      EXPECT_TRUE(fast.ok) << c;
      EXPECT_EQ(fast.log, ref.log) << c;
    }
  }
  // Where both must refuse: anything that would lose or invent text.
  for (const char* bad : {"<a>&unknown;</a>", "<a><b></a></b>", "<a>&#xD800;</a>", "<a>x</a>y",
                          "<a>x</a><b/>", "<a><![CDATA[x</a>", "<a><!-- x</a>"}) {
    EXPECT_FALSE(run(bad, XmlEngine::kAuto, 1000).ok) << bad;
    EXPECT_FALSE(run(bad, XmlEngine::kExpat, 1000).ok) << bad;
  }
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(XmlDifferential, EveryXmlPartOfTheRealworldCorpus) {
  const fs::path dir = fs::path(VAKT_SHARED_DIR) / "corpus" / "realworld";
  if (!fs::exists(dir)) GTEST_SKIP() << "no corpus";
  int parts = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    const std::string bytes = slurp(entry.path());
    if (ext == ".fodt" || ext == ".fods" || ext == ".fodp" || ext == ".xml") {
      expect_same(bytes, entry.path().string());
      ++parts;
      continue;
    }
    if (bytes.size() < 4 || bytes.compare(0, 2, "PK") != 0) continue;
    auto zip = ZipReader::open(bytes);
    if (!zip) continue;
    for (const ZipEntry& e : zip->entries()) {
      if (!(e.name.ends_with(".xml") || e.name.ends_with(".rels")) || e.encrypted) continue;
      auto data = zip->read_all(e, {.max_bytes = 32u << 20, .max_ratio = 250});
      if (!data) continue;
      expect_same(*data, entry.path().filename().string() + ":" + e.name);
      ++parts;
    }
  }
  EXPECT_GT(parts, 500);
}

}  // namespace
}  // namespace vakt::extract

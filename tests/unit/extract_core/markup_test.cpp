// HTML and XML extraction through the real dispatcher.
#include <gtest/gtest.h>

#include "test_support.h"

namespace vakt::extract {
namespace {

using testing::extract_bytes;

std::string html_text(const std::string& html) {
  auto out = extract_bytes(html, "sida.html");
  EXPECT_EQ(out.type, "text/html");
  EXPECT_EQ(out.status, ScanStatus::kScanned) << out.reason;
  return out.sink.all();
}

TEST(Html, TagsStrippedEntitiesDecoded) {
  const std::string t = html_text(
      "<html><head><title>Brev</title></head><body><p class=\"x\">Hej &Aring;sa &auml;r "
      "h&auml;r &ouml; &#229;&#xE5; &amp; &lt;b&gt;</p></body></html>");
  EXPECT_NE(t.find("Hej Åsa är här ö åå & <b>"), std::string::npos) << t;
  EXPECT_EQ(t.find("class"), std::string::npos);
}

TEST(Html, NbspBecomesSpaceAndInlineTagsJoin) {
  const std::string t = html_text("<p>pnr&nbsp;1999<b>0604</b>-2388</p>");
  EXPECT_NE(t.find("pnr 19990604-2388"), std::string::npos) << t;
}

TEST(Html, ScriptStyleAndCommentsSkipped) {
  const std::string t = html_text(
      "<p>före</p><script type=\"text/javascript\">var s = \"</scrip\"; if (a<b) x();</script>"
      "<style>p { color: red }</style><!-- dold -- kommentar --><p>efter</p>");
  EXPECT_NE(t.find("före"), std::string::npos);
  EXPECT_NE(t.find("efter"), std::string::npos);
  EXPECT_EQ(t.find("var s"), std::string::npos) << t;
  EXPECT_EQ(t.find("color"), std::string::npos);
  EXPECT_EQ(t.find("dold"), std::string::npos);
}

TEST(Html, BlockTagsBecomeLineBreaksCellsTabs) {
  const std::string t =
      html_text("<table><tr><td>Anna</td><td>19121212-1212</td></tr><tr><td>Bo</td></tr></table>");
  EXPECT_NE(t.find("Anna\t19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("\nBo"), std::string::npos) << t;
}

TEST(Html, ReadableAttributeValuesAreText) {
  const std::string t = html_text(
      "<p>Bild: <img src=\"x.png\" alt=\"&Aring;sa &amp; Bo\"> <input type=hidden "
      "value='19121212-1212'><input value=640823-3234></p><a href=\"http://e.se/q?a=1\">l</a>");
  EXPECT_NE(t.find("Åsa & Bo"), std::string::npos) << t;
  EXPECT_NE(t.find("19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("640823-3234"), std::string::npos) << t;
  EXPECT_EQ(t.find("hidden"), std::string::npos) << t;
  // Link targets and sources are text too: a URL or file name can name a person.
  EXPECT_NE(t.find("\nx.png\n"), std::string::npos) << t;
  EXPECT_NE(t.find("\nhttp://e.se/q?a=1\n"), std::string::npos) << t;
}

TEST(Html, LinkTargetsDataAttributesAndDataScripts) {
  const std::string t = html_text(
      R"(<p><a href="https://journal.example/?pnr=19121212-1212">journal</a>)"
      R"x(<img src="data:image/png;base64,QUJDRA=="><a href="javascript:void(0)">x</a>)x"
      R"(<a href="#top">upp</a><tr data-pnr="640823-3234" data-namn='Bo'></tr></p>)"
      R"(<script type="application/json">{"elev": "19990604-2388", "a": "</scr", "b": 1 < 2})"
      R"(</script><script type=text/template><p>MALL-TEXT</p></script>)"
      R"(<script>var kod = "JS-KOD";</script><script type="module">MODUL-KOD</script>slut)");
  EXPECT_NE(t.find("https://journal.example/?pnr=19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("640823-3234"), std::string::npos) << t;
  EXPECT_NE(t.find("Bo"), std::string::npos) << t;
  // A data script is read whole, a partial end tag inside it included; code is not read.
  EXPECT_NE(t.find(R"({"elev": "19990604-2388", "a": "</scr", "b": 1 < 2})"), std::string::npos)
      << t;
  EXPECT_NE(t.find("MALL-TEXT"), std::string::npos) << t;
  EXPECT_EQ(t.find("JS-KOD"), std::string::npos) << t;
  EXPECT_EQ(t.find("MODUL-KOD"), std::string::npos) << t;
  EXPECT_EQ(t.find("</script"), std::string::npos) << t;
  EXPECT_NE(t.find("slut"), std::string::npos) << t;
  // Inline data, script URLs and page anchors are not text anyone wrote.
  EXPECT_EQ(t.find("QUJDRA"), std::string::npos) << t;
  EXPECT_EQ(t.find("void(0)"), std::string::npos) << t;
  EXPECT_EQ(t.find("#top"), std::string::npos) << t;
}

TEST(Html, UnknownEntityAndBareAmpersandKept) {
  const std::string t = html_text("<p>A &foo; B & C &#xZZ;</p>");
  EXPECT_NE(t.find("A &foo; B & C &#xZZ;"), std::string::npos) << t;
}

TEST(Html, Windows1252Page) {
  EXPECT_NE(html_text("<p>\xC5sa \xD6"
                      "berg</p>")
                .find("Åsa Öberg"),
            std::string::npos);
}

TEST(Html, ConstructsStraddlingTheChunkBoundary) {
  // The extractor decodes in 256 KiB chunks; put a tag, an entity and a script end across it.
  for (std::size_t shift = 0; shift < 12; ++shift) {
    std::string html = "<html><body><p>";
    html += std::string(256 * 1024 - html.size() - shift, 'x');
    html += "<b>A</b>&aring;<script>hemligt</script>slut</p></body></html>";
    const std::string t = html_text(html);
    EXPECT_NE(t.find("xAåslut"), std::string::npos) << "shift " << shift;
    EXPECT_EQ(t.find("hemligt"), std::string::npos) << "shift " << shift;
  }
}

TEST(Xml, TextNodesAndCdata) {
  auto out = extract_bytes(
      "<?xml version=\"1.0\"?><register><post><namn>Anna</namn><pnr><![CDATA[19121212-1212]]>"
      "</pnr></post><!-- x --><?pi data?></register>",
      "a.xml");
  EXPECT_EQ(out.type, "text/xml");
  const std::string t = out.sink.all();
  EXPECT_NE(t.find("Anna\n19121212-1212"), std::string::npos) << t;
  EXPECT_EQ(t.find("register"), std::string::npos);
  EXPECT_EQ(t.find("pi data"), std::string::npos);
}

TEST(Xml, AttributeValuesAreTextButNotNamespaces) {
  auto out = extract_bytes(
      "<?xml version=\"1.0\"?><register xmlns=\"urn:a\" xmlns:b=\"urn:b\"><person "
      "pnr=\"19121212-1212\" namn='Bo &amp; Åsa'/><person pnr = \"640823-3234\"></person>"
      "</register>",
      "a.xml");
  const std::string t = out.sink.all();
  EXPECT_NE(t.find("19121212-1212"), std::string::npos) << t;
  EXPECT_NE(t.find("640823-3234"), std::string::npos) << t;
  EXPECT_NE(t.find("Bo & Åsa"), std::string::npos) << t;
  EXPECT_EQ(t.find("urn:"), std::string::npos) << t;
  EXPECT_EQ(t.find("1212Bo"), std::string::npos) << t;  // values stay apart
}

TEST(Xml, NoDtdExpansionNoExternalEntities) {
  auto out = extract_bytes(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n<lolz>&lol2; &xxe; &amp;</lolz>",
      "bomb.xml");
  const std::string t = out.sink.all();
  EXPECT_EQ(t.find("lollol"), std::string::npos) << t;
  EXPECT_EQ(t.find("root:"), std::string::npos) << t;
  EXPECT_NE(t.find("&lol2; &xxe; &"), std::string::npos) << t;
  EXPECT_LT(t.size(), 100u);
}

}  // namespace
}  // namespace vakt::extract

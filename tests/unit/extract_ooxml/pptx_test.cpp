// extract_pptx on presentations built at test time: slides in order, notes, comments, tables,
// masters and embedded documents.
#include <gtest/gtest.h>

#include "extract/formats.h"
#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::Extracted;
using testing::run_extractor;
using testing::ZipBuilder;

std::string slide(std::string_view shapes) {
  return R"(<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>)" +
         std::string(shapes) + "</p:spTree></p:cSld></p:sld>";
}

std::string shape(std::string_view paras) {
  return "<p:sp><p:txBody>" + std::string(paras) + "</p:txBody></p:sp>";
}

std::string pptx() {
  const std::string embedded_docx =
      ZipBuilder()
          .add(
              "word/document.xml",
              R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>INBÄDDAT-DOKUMENT</w:t></w:r></w:p></w:body></w:document>)")
          .build();
  return ZipBuilder()
      .add("_rels/.rels", testing::package_rels("ppt/presentation.xml"))
      .add(
          "ppt/presentation.xml",
          R"(<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>)")
      .add("ppt/slides/slide10.xml", slide(shape("<a:p><a:r><a:t>TIONDE-BILDEN</a:t></a:r></a:p>")))
      .add(
          "ppt/slides/slide2.xml",
          slide(
              shape("<a:p><a:r><a:t>ANDRA-BILDEN</a:t></a:r></a:p>") +
              R"(<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>1234</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>5678</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>)"))
      .add("ppt/slides/slide1.xml",
           slide(shape("<a:p><a:r><a:t>Pnr 19990604</a:t></a:r><a:r><a:rPr "
                       "b=\"1\"/><a:t>-2388</a:t></a:r></a:p>"
                       "<a:p><a:r><a:t>rad två</a:t></a:r><a:br/><a:r><a:t>efter "
                       "brytning</a:t></a:r></a:p>")))
      .add("ppt/notesSlides/notesSlide1.xml",
           slide(shape("<a:p><a:r><a:t>TALARANTECKNING 640823-3234</a:t></a:r></a:p>")))
      .add(
          "ppt/comments/comment1.xml",
          R"(<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cm authorId="0"><p:text>BILDKOMMENTAR</p:text></p:cm></p:cmLst>)")
      .add("ppt/slideMasters/slideMaster1.xml",
           slide(shape("<a:p><a:r><a:t>MALL-SIDFOT</a:t></a:r></a:p>")))
      .add("ppt/embeddings/Microsoft_Word_Document.docx", embedded_docx)
      .add(
          "docProps/core.xml",
          R"(<cp:coreProperties xmlns:cp="urn:cp" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject>PRESENTATION-ÄMNE</dc:subject></cp:coreProperties>)")
      .build();
}

TEST(Pptx, SlidesInNaturalOrderWithRunsJoined) {
  const Extracted x = run_extractor(extract_pptx, pptx(), "bilder.pptx");
  EXPECT_EQ(x.status, ScanStatus::kScanned) << x.reason;
  EXPECT_EQ(x.type, "pptx");
  ASSERT_GE(x.parts.size(), 3u);
  EXPECT_EQ(x.parts[0].first, "ppt/slides/slide1.xml");
  EXPECT_EQ(x.parts[1].first, "ppt/slides/slide2.xml");
  EXPECT_EQ(x.parts[2].first, "ppt/slides/slide10.xml");
  EXPECT_EQ(x.parts[0].second, "Pnr 19990604-2388\nrad två\nefter brytning\n");
  const std::string s2 = x.part("ppt/slides/slide2.xml");
  EXPECT_NE(s2.find("1234\t5678"), std::string::npos) << s2;
  EXPECT_EQ(s2.find("12345678"), std::string::npos);
}

TEST(Pptx, NotesCommentsMastersPropertiesAndEmbeddings) {
  const Extracted x = run_extractor(extract_pptx, pptx());
  EXPECT_NE(x.part("ppt/notesSlides/notesSlide1.xml").find("TALARANTECKNING 640823-3234"),
            std::string::npos);
  EXPECT_NE(x.part("ppt/comments/comment1.xml").find("BILDKOMMENTAR"), std::string::npos);
  EXPECT_NE(x.part("ppt/slideMasters/slideMaster1.xml").find("MALL-SIDFOT"), std::string::npos);
  EXPECT_NE(x.part("docProps/core.xml").find("PRESENTATION-ÄMNE"), std::string::npos);
  bool embedded = false;
  for (const auto& [name, text] : x.parts) {
    if (name.find("ppt/embeddings/Microsoft_Word_Document.docx") != std::string::npos &&
        text.find("INBÄDDAT-DOKUMENT") != std::string::npos)
      embedded = true;
  }
  EXPECT_TRUE(embedded) << x.all();
}

}  // namespace
}  // namespace vakt::extract

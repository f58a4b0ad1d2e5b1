// OOXML extraction throughput: expat vs the fast Office XML tokenizer on the same WordprocessingML,
// plus the whole docx/xlsx extractors (inflate + parse + text). Bytes processed are XML bytes
// (uncompressed); the "text_MB/s" counter is the text handed to the scanner.
//
//   ooxml_bench --benchmark_filter=Docx
#include <benchmark/benchmark.h>
#include <expat.h>
#include <zip.h>

#include <string>

#include "extract/extractor.h"
#include "extract/formats.h"
#include "extract/ooxml_text.h"
#include "extract/xml_stream.h"
#include "extract/zip_reader.h"

namespace vakt::extract {
namespace {

class CountingSink final : public TextSink {
 public:
  std::uint64_t bytes = 0;
  void begin_part(std::string_view) override {}
  void text(std::string_view s) override { bytes += s.size(); }
  void end_part() override {}
};

// A body the way Word writes it: paragraph and run properties around short runs, proofing marks,
// bookmarks, a table every 40 paragraphs. About 20% of the bytes are text.
std::string document_xml(std::size_t target) {
  static const char* kWords[] = {
      "Beslut",   "om",       "bistånd",       "enligt",  "socialtjänstlagen", "handläggare",
      "kommunen", "ärende",   "19990604-2388", "inkomst", "utredning",         "vårdnadshavare",
      "skola",    "placering"};
  std::string x =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" )"
      R"(xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>)";
  std::size_t w = 0;
  int para = 0;
  while (x.size() < target) {
    if (++para % 40 == 0) {
      x += "<w:tbl><w:tblPr><w:tblStyle w:val=\"Tabellrutnt\"/><w:tblW w:w=\"0\" "
           "w:type=\"auto\"/></w:tblPr>";
      for (int r = 0; r < 3; ++r) {
        x += "<w:tr w:rsidR=\"00AB12CD\">";
        for (int c = 0; c < 4; ++c)
          x += "<w:tc><w:tcPr><w:tcW w:w=\"2265\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:t>" +
               std::string(kWords[(w++) % 14]) + "</w:t></w:r></w:p></w:tc>";
        x += "</w:tr>";
      }
      x += "</w:tbl>";
    }
    x +=
        R"(<w:p w14:paraId="3F2A1B7C" w14:textId="77777777" w:rsidR="00AB12CD" w:rsidRDefault="00AB12CD">)"
        R"(<w:pPr><w:pStyle w:val="Normal"/><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr>)";
    if (para % 7 == 0) x += R"(<w:bookmarkStart w:id="0" w:name="_Hlk1"/>)";
    for (int r = 0; r < 5; ++r) {
      x +=
          R"(<w:r w:rsidRPr="00CD34EF"><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>)"
          R"(<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="sv-SE"/></w:rPr><w:t xml:space="preserve">)";
      for (int k = 0; k < 4; ++k) {
        x += kWords[(w++) % 14];
        x += ' ';
      }
      x += "</w:t></w:r>";
      if (r == 2) x += R"(<w:proofErr w:type="spellStart"/>)";
    }
    if (para % 7 == 0) x += R"(<w:bookmarkEnd w:id="0"/>)";
    x += "</w:p>";
  }
  x += "</w:body></w:document>";
  return x;
}

const std::string& doc_xml() {
  static const std::string x = document_xml(16u << 20);
  return x;
}

std::string zip_one(const char* name, const std::string& data) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  zip_source_keep(src);
  zip_file_add(za, name, zip_source_buffer(za, data.data(), data.size(), 0), 0);
  zip_close(za);
  zip_stat_t st;
  zip_source_open(src);
  zip_source_stat(src, &st);
  std::string out(static_cast<std::size_t>(st.size), '\0');
  zip_source_read(src, out.data(), out.size());
  zip_source_close(src);
  zip_source_free(src);
  return out;
}

void parse_with(benchmark::State& state, XmlEngine engine) {
  const std::string& xml = doc_xml();
  CountingSink sink;
  Limits limits;
  limits.max_expanded_bytes = UINT64_MAX;
  limits.max_time = std::chrono::hours(1);
  for (auto _ : state) {
    Context ctx(sink, limits, false);
    ctx.begin_part("word/document.xml");
    PartText out(ctx);
    OoxmlTextHandler h(out);
    XmlStream s(h, engine);
    for (std::size_t i = 0; i < xml.size(); i += ZipReader::kChunkBytes)
      benchmark::DoNotOptimize(
          s.feed(std::string_view(xml).substr(i, ZipReader::kChunkBytes)).ok());
    benchmark::DoNotOptimize(s.finish().ok());
    out.flush();
    ctx.end_part();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
  state.counters["text_MB/s"] =
      benchmark::Counter(static_cast<double>(sink.bytes) / 1e6, benchmark::Counter::kIsRate);
}

void BM_DocxXml_Expat(benchmark::State& state) {
  parse_with(state, XmlEngine::kExpat);
}
void BM_DocxXml_Fast(benchmark::State& state) {
  parse_with(state, XmlEngine::kAuto);
}

// expat alone with empty callbacks: the ceiling for any expat-based reader.
void BM_DocxXml_ExpatNoHandlers(benchmark::State& state) {
  const std::string& xml = doc_xml();
  for (auto _ : state) {
    XML_Parser p = XML_ParserCreateNS(nullptr, '\x01');
    XML_SetElementHandler(
        p, [](void*, const XML_Char*, const XML_Char**) {}, [](void*, const XML_Char*) {});
    XML_SetCharacterDataHandler(p, [](void*, const XML_Char*, int) {});
    benchmark::DoNotOptimize(XML_Parse(p, xml.data(), static_cast<int>(xml.size()), XML_TRUE));
    XML_ParserFree(p);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

void BM_Inflate(benchmark::State& state) {
  static const std::string docx = zip_one("word/document.xml", doc_xml());
  for (auto _ : state) {
    auto zip = ZipReader::open(docx);
    std::uint64_t n = 0;
    auto st = zip->read(zip->entries()[0], {}, [&](std::string_view c) {
      n += c.size();
      return true;
    });
    benchmark::DoNotOptimize(st.ok());
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc_xml().size()));
}

void BM_ExtractDocx(benchmark::State& state) {
  static const std::string docx = zip_one("word/document.xml", doc_xml());
  CountingSink sink;
  Limits limits;
  limits.max_expanded_bytes = UINT64_MAX;
  limits.max_compression_ratio = 1e9;
  for (auto _ : state) {
    Context ctx(sink, limits, false);
    extract_docx(Input{docx, "bench.docx", nullptr, {}}, ctx);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc_xml().size()));
  state.counters["text_MB/s"] =
      benchmark::Counter(static_cast<double>(sink.bytes) / 1e6, benchmark::Counter::kIsRate);
  state.counters["docx_MB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * docx.size()) / 1e6, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_DocxXml_Expat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DocxXml_Fast)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DocxXml_ExpatNoHandlers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Inflate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractDocx)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vakt::extract

BENCHMARK_MAIN();

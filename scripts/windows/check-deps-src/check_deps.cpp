// Smoke test for the cross-built Windows dependencies (scripts/windows/build-deps): one
// GoogleTest case per library doing a small real job with it, so a broken or mis-linked static
// library shows up as a failing case under wine. Run by scripts/windows/check-deps, which passes
// the magic database's Windows path in VAKT_CHECK_MAGIC_FILE.
#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hs/hs.h>
#include <iconv.h>
#include <libdeflate.h>
#include <magic.h>
#include <re2/re2.h>
#include <spdlog/details/os.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <yaml-cpp/yaml.h>
#include <zip.h>

#include <fmt/format.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

// A one-page PDF whose page says "Hej Malmö 1234" (WinAnsi, so ö is byte 0xF6).
std::string make_pdf() {
  const std::string content = "BT /F1 24 Tf 72 700 Td (Hej Malm\xF6 1234) Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
      " /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) pdf += fmt::format("{:010d} 00000 n \n", off);
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

int on_match(unsigned int, unsigned long long from, unsigned long long to, unsigned int,
             void* ctx) {
  static_cast<std::vector<std::pair<unsigned long long, unsigned long long>>*>(ctx)->push_back(
      {from, to});
  return 0;
}

TEST(Hyperscan, CompilesAndScans) {
  ASSERT_EQ(hs_valid_platform(), HS_SUCCESS) << "CPU lacks the x86-64-v2 baseline";
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  ASSERT_EQ(
      hs_compile("\\b\\d{6}-\\d{4}\\b", HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, nullptr, &db, &err),
      HS_SUCCESS)
      << (err ? err->message : "");
  hs_scratch_t* scratch = nullptr;
  ASSERT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
  const std::string text = "pnr 990604-2388 och 640823-3234, inte 12345-1234";
  std::vector<std::pair<unsigned long long, unsigned long long>> hits;
  ASSERT_EQ(
      hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &hits),
      HS_SUCCESS);
  EXPECT_THAT(hits, testing::ElementsAre(testing::Pair(4u, 15u), testing::Pair(20u, 31u)));
  hs_free_scratch(scratch);
  hs_free_database(db);
}

TEST(Re2, MatchesWithUnicodeTables) {
  std::string date, serial;
  EXPECT_TRUE(RE2::FullMatch("19121212-1212", "(\\d{8})-(\\d{4})", &date, &serial));
  EXPECT_EQ(date, "19121212");
  EXPECT_EQ(serial, "1212");
  // \p{Lu} and case folding need the regenerated Unicode tables.
  EXPECT_TRUE(RE2::FullMatch("ÅÄÖ", "\\p{Lu}+"));
  EXPECT_TRUE(RE2::FullMatch("SEKRETESS", "(?i)sekretess"));
  EXPECT_TRUE(RE2::FullMatch("ÖVERSIKT", "(?i)översikt"));
}

TEST(Libmagic, LoadsShippedDatabaseAndIdentifies) {
  const char* db = std::getenv("VAKT_CHECK_MAGIC_FILE");
  ASSERT_NE(db, nullptr) << "VAKT_CHECK_MAGIC_FILE not set";
  magic_t m = magic_open(MAGIC_MIME_TYPE);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(magic_load(m, db), 0) << magic_error(m);
  const std::string pdf = make_pdf();
  EXPECT_STREQ(magic_buffer(m, pdf.data(), pdf.size()), "application/pdf");
  const char text[] = "just some plain words\n";
  EXPECT_STREQ(magic_buffer(m, text, sizeof text - 1), "text/plain");
  magic_close(m);
}

TEST(PopplerCpp, ReadsPageTextFromMemory) {
  const std::string pdf = make_pdf();
  std::vector<char> data(pdf.begin(), pdf.end());
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(data.data(), data.size()));
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 1);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  ASSERT_NE(page, nullptr);
  const poppler::byte_array utf8 = page->text().to_utf8();
  const std::string text(utf8.begin(), utf8.end());
  EXPECT_THAT(text, testing::HasSubstr("Hej Malm\xC3\xB6 1234"));
}

TEST(WinIconv, ConvertsAndReportsErrors) {
  iconv_t cd = iconv_open("CP1252", "UTF-8");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  char in[] = "Malm\xC3\xB6 \xE2\x82\xAC";  // Malmö €
  char out[16] = {};
  char *ip = in, *op = out;
  size_t il = std::strlen(in), ol = sizeof out;
  ASSERT_EQ(iconv(cd, &ip, &il, &op, &ol), 0u);
  EXPECT_EQ(std::string(out, op), "Malm\xF6 \x80");
  // An incomplete sequence at the end is EINVAL, with the input left at its start.
  char partial[] = "a\xC3";
  ip = partial, il = 2, op = out, ol = sizeof out;
  EXPECT_EQ(iconv(cd, &ip, &il, &op, &ol), static_cast<size_t>(-1));
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(il, 1u);
  iconv_close(cd);
  cd = iconv_open("UTF-16LE", "UTF-8");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  char small[3];
  ip = in, il = std::strlen(in), op = small, ol = sizeof small;
  EXPECT_EQ(iconv(cd, &ip, &il, &op, &ol), static_cast<size_t>(-1));
  EXPECT_EQ(errno, E2BIG);
  EXPECT_EQ(op - small, 2);
  iconv_close(cd);
}

TEST(Libzip, WritesAndReadsDeflatedEntry) {
  const auto path = std::filesystem::temp_directory_path() / "vakt-check-deps.zip";
  std::filesystem::remove(path);
  const std::string body(2000, 'x');
  int error = 0;
  zip_t* za = zip_open(path.string().c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  ASSERT_NE(za, nullptr) << error;
  zip_source_t* src = zip_source_buffer(za, body.data(), body.size(), 0);
  ASSERT_NE(src, nullptr);
  const zip_int64_t idx = zip_file_add(za, "a.txt", src, ZIP_FL_ENC_UTF_8);
  ASSERT_GE(idx, 0);
  ASSERT_EQ(zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 9), 0);
  ASSERT_EQ(zip_close(za), 0);
  za = zip_open(path.string().c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(za, nullptr);
  zip_stat_t st;
  ASSERT_EQ(zip_stat(za, "a.txt", 0, &st), 0);
  EXPECT_EQ(st.size, body.size());
  EXPECT_LT(st.comp_size, 100u);
  zip_file_t* zf = zip_fopen(za, "a.txt", 0);
  ASSERT_NE(zf, nullptr);
  std::string back(body.size(), '\0');
  EXPECT_EQ(zip_fread(zf, back.data(), back.size()), static_cast<zip_int64_t>(body.size()));
  EXPECT_EQ(back, body);
  zip_fclose(zf);
  zip_close(za);
  std::filesystem::remove(path);
}

TEST(Libdeflate, RoundTripsRawDeflateWithCrc) {
  std::string body;
  for (int i = 0; i < 5000; ++i) body += "rad " + std::to_string(i) + "\n";
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  ASSERT_NE(c, nullptr);
  std::vector<char> packed(libdeflate_deflate_compress_bound(c, body.size()));
  const std::size_t n =
      libdeflate_deflate_compress(c, body.data(), body.size(), packed.data(), packed.size());
  libdeflate_free_compressor(c);
  ASSERT_GT(n, 0u);
  EXPECT_LT(n, body.size());
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  ASSERT_NE(d, nullptr);
  std::string back(body.size(), '\0');
  std::size_t out = 0;
  EXPECT_EQ(libdeflate_deflate_decompress(d, packed.data(), n, back.data(), back.size(), &out),
            LIBDEFLATE_SUCCESS);
  libdeflate_free_decompressor(d);
  EXPECT_EQ(out, body.size());
  EXPECT_EQ(back, body);
  EXPECT_EQ(libdeflate_crc32(0, back.data(), out), libdeflate_crc32(0, body.data(), body.size()));
}

TEST(Libarchive, RoundTripsThroughGzipBzip2AndXz) {
  for (int filter : {ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_BZIP2, ARCHIVE_FILTER_XZ}) {
    std::vector<char> buf(1 << 16);
    size_t used = 0;
    const std::string body = "innehåll " + std::to_string(filter);
    archive* w = archive_write_new();
    ASSERT_EQ(archive_write_set_format_pax_restricted(w), ARCHIVE_OK);
    ASSERT_EQ(archive_write_add_filter(w, filter), ARCHIVE_OK) << archive_error_string(w);
    ASSERT_EQ(archive_write_open_memory(w, buf.data(), buf.size(), &used), ARCHIVE_OK);
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, "doc.txt");
    archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    ASSERT_EQ(archive_write_header(w, e), ARCHIVE_OK);
    ASSERT_EQ(archive_write_data(w, body.data(), body.size()),
              static_cast<la_ssize_t>(body.size()));
    archive_entry_free(e);
    ASSERT_EQ(archive_write_close(w), ARCHIVE_OK);
    archive_write_free(w);

    archive* r = archive_read_new();
    archive_read_support_filter_all(r);
    archive_read_support_format_all(r);
    ASSERT_EQ(archive_read_open_memory(r, buf.data(), used), ARCHIVE_OK);
    archive_entry* re = nullptr;
    ASSERT_EQ(archive_read_next_header(r, &re), ARCHIVE_OK);
    EXPECT_STREQ(archive_entry_pathname(re), "doc.txt");
    EXPECT_EQ(archive_filter_code(r, 0), filter);
    std::string back(body.size(), '\0');
    EXPECT_EQ(archive_read_data(r, back.data(), back.size()), static_cast<la_ssize_t>(body.size()));
    EXPECT_EQ(back, body);
    archive_read_free(r);
  }
}

TEST(YamlCpp, ParsesRulePackShape) {
  const YAML::Node n = YAML::Load("name: osl\nrules:\n  - id: a\n    weight: 3\n");
  EXPECT_EQ(n["name"].as<std::string>(), "osl");
  EXPECT_EQ(n["rules"][0]["weight"].as<int>(), 3);
}

TEST(Sqlite3, StoresAndQueries) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE t(k TEXT, v INT); INSERT INTO t VALUES('a', 41);"
                         "UPDATE t SET v = v + 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT v FROM t WHERE k = 'a'", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 42);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Spdlog, FormatsThroughFmt) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger log("check", sink);
  log.set_pattern("%l %v");
  log.info("class {} file {}", 3, "a.docx");
  // spdlog ends lines the platform's way: "\r\n" on Windows.
  EXPECT_EQ(out.str(), std::string("info class 3 file a.docx") + spdlog::details::os::default_eol);
}

TEST(Expat, ParsesElements) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  int count = 0;
  XML_SetUserData(p, &count);
  XML_SetStartElementHandler(
      p, [](void* ud, const XML_Char*, const XML_Char**) { ++*static_cast<int*>(ud); });
  const std::string xml = "<w:document><w:p>text</w:p><w:p/></w:document>";
  EXPECT_EQ(XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1), XML_STATUS_OK);
  EXPECT_EQ(count, 3);
  XML_ParserFree(p);
}

TEST(HeaderOnly, JsonAndCli11) {
  const auto j = nlohmann::json::parse(R"({"class": 2, "path": "C:\\x"})");
  EXPECT_EQ(j["class"].get<int>(), 2);
  CLI::App app{"check"};
  int level = 0;
  app.add_option("--level", level);
  const char* argv[] = {"check", "--level", "3"};
  app.parse(3, argv);
  EXPECT_EQ(level, 3);
}

}  // namespace

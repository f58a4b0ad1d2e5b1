// libmagic's database on Windows: magic.mgc beside the executable (CMake puts a copy beside the
// test programs) or VAKT_MAGIC_FILE; a missing or wrong file is a clear error, never silence.
#include <windows.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "extract/magic_database.h"
#include "extract/type_detect.h"

namespace vakt::extract {
namespace {

void set_magic_file(const std::wstring& value) {
  ASSERT_EQ(_wputenv_s(L"VAKT_MAGIC_FILE", value.c_str()), 0);
}

// A fresh thread gets a fresh per-thread libmagic handle, loaded with the current setting.
std::string mime_in_new_thread(std::string_view bytes) {
  std::string mime;
  std::thread([&] { mime = magic_mime_type(bytes); }).join();
  return mime;
}

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29);

TEST(MagicDatabaseWin, MissingDatabaseIsAClearError) {
  const auto missing = std::filesystem::temp_directory_path() / L"vakt-finns-inte" / L"magic.mgc";
  set_magic_file(missing.wstring());
  Status s = magic_database_status();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("libmagic database not found: ", 0), 0u) << s.error().message;
  EXPECT_NE(s.error().message.find("vakt-finns-inte"), std::string::npos);
  EXPECT_NE(s.error().message.find("VAKT_MAGIC_FILE"), std::string::npos);
  EXPECT_EQ(mime_in_new_thread(kPng), "");
}

TEST(MagicDatabaseWin, AFileThatIsNotADatabaseIsRejected) {
  const auto bogus = std::filesystem::temp_directory_path() / L"vakt-bogus-magic.mgc";
  std::ofstream(bogus, std::ios::binary) << "this is not a compiled magic database";
  set_magic_file(bogus.wstring());
  Status s = magic_database_status();
  std::filesystem::remove(bogus);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("libmagic database rejected: ", 0), 0u) << s.error().message;
}

TEST(MagicDatabaseWin, DatabaseBesideTheProgramNamesTypes) {
  set_magic_file(L"");  // unset: magic.mgc beside the executable
  Status s = magic_database_status();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(mime_in_new_thread(kPng), "image/png");
  EXPECT_EQ(mime_in_new_thread("%!PS-Adobe-3.0\n%%Title: x\n"), "application/postscript");
}

}  // namespace
}  // namespace vakt::extract

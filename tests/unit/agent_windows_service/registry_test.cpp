// RegKey against the real registry (HKEY_CURRENT_USER\Software\VaktTest-<pid>).
#include <gtest/gtest.h>

#include "platform/windows/registry_windows.h"

namespace vakt::agent {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = L"Software\\VaktTest-" + std::to_wstring(::GetCurrentProcessId());
  }
  void TearDown() override { (void)RegKey::remove_tree(HKEY_CURRENT_USER, path_); }
  std::wstring path_;
};

TEST_F(RegistryTest, WritesAndReadsValuesAndSubkeys) {
  auto key = RegKey::create(HKEY_CURRENT_USER, path_ + L"\\Accounts\\Business1");
  ASSERT_TRUE(key) << key.error().message;
  ASSERT_TRUE(key->write_string(L"UserFolder", L"C:\\Users\\anna\\OneDrive - Kommun Åre"));
  ASSERT_TRUE(key->write_dword(L"Count", 7));
  ASSERT_TRUE(RegKey::create(HKEY_CURRENT_USER, path_ + L"\\Accounts\\Personal"));

  auto accounts = RegKey::open(HKEY_CURRENT_USER, path_ + L"\\Accounts");
  ASSERT_TRUE(accounts) << accounts.error().message;
  auto names = accounts->subkey_names();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_TRUE((names[0] == L"Business1" && names[1] == L"Personal") ||
              (names[0] == L"Personal" && names[1] == L"Business1"));

  auto again = RegKey::open(HKEY_CURRENT_USER, path_ + L"\\Accounts\\Business1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->read_string(L"UserFolder"), L"C:\\Users\\anna\\OneDrive - Kommun Åre");
  EXPECT_EQ(again->read_dword(L"Count"), 7u);
  EXPECT_FALSE(again->read_string(L"Count").has_value());  // wrong type
  EXPECT_FALSE(again->read_string(L"Missing").has_value());
  EXPECT_EQ(narrow(*again->read_string(L"UserFolder")), "C:\\Users\\anna\\OneDrive - Kommun Åre");
}

TEST_F(RegistryTest, ExpandsExpandableStrings) {
  ::SetEnvironmentVariableW(L"VAKT_TEST_ROOT", L"D:\\Data");
  auto key = RegKey::create(HKEY_CURRENT_USER, path_);
  ASSERT_TRUE(key);
  ASSERT_TRUE(key->write_string(L"Folder", L"%VAKT_TEST_ROOT%\\OneDrive", true));
  EXPECT_EQ(key->read_string(L"Folder"), L"D:\\Data\\OneDrive");
}

TEST_F(RegistryTest, RemoveTreeDeletesEverythingAndToleratesAbsence) {
  ASSERT_TRUE(RegKey::create(HKEY_CURRENT_USER, path_ + L"\\a\\b\\c"));
  ASSERT_TRUE(RegKey::remove_tree(HKEY_CURRENT_USER, path_));
  EXPECT_FALSE(RegKey::open(HKEY_CURRENT_USER, path_));
  EXPECT_TRUE(RegKey::remove_tree(HKEY_CURRENT_USER, path_));
}

TEST(RegistryErrors, OpenReportsTheWin32Reason) {
  auto key = RegKey::open(HKEY_CURRENT_USER, L"Software\\Vakt-does-not-exist-42");
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find("Win32 error 2"), std::string::npos) << key.error().message;
}

}  // namespace
}  // namespace vakt::agent

#include <gtest/gtest.h>

#include "config/path_filter.h"

namespace vakt::agent {
namespace {

TEST(GlobMatch, StarStaysInOneSegment) {
  EXPECT_TRUE(glob_match("*.txt", "a.txt"));
  EXPECT_FALSE(glob_match("*.txt", "dir/a.txt"));
  EXPECT_TRUE(glob_match("dir/*.txt", "dir/a.txt"));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "a/c"));
}

TEST(GlobMatch, DoubleStarSpansSegments) {
  EXPECT_TRUE(glob_match("**/*.docx", "a/b/c.docx"));
  EXPECT_TRUE(glob_match("**/*.docx", "c.docx"));
  EXPECT_TRUE(glob_match("Privat/**", "Privat/x/y.txt"));
  EXPECT_FALSE(glob_match("Privat/**", "Publikt/x.txt"));
}

TEST(GlobMatch, Classes) {
  EXPECT_TRUE(glob_match("[abc].txt", "b.txt"));
  EXPECT_FALSE(glob_match("[!abc].txt", "b.txt"));
  EXPECT_TRUE(glob_match("file[0-9]", "file7"));
  EXPECT_TRUE(glob_match(".~lock.*#", ".~lock.rapport.odt#"));
}

TEST(PathFilter, SkipsOfficeLockAndTempFiles) {
  PathFilter f;
  EXPECT_FALSE(f.wanted("~$rapport.docx"));
  EXPECT_FALSE(f.wanted("dir/.~lock.lista.ods#"));
  EXPECT_FALSE(f.wanted("a/b/save123.tmp"));
  EXPECT_TRUE(f.wanted("lista.txt.vakt.txt"));  // notes are told by content, in the worker
  EXPECT_TRUE(f.wanted("Q1.vakt-partial"));     // told by owner, in the worker
  EXPECT_TRUE(f.wanted("rapport.docx"));
  EXPECT_TRUE(f.wanted("Möten/å ä ö.txt"));
}

TEST(PathFilter, IncludeAndExclude) {
  PathFilter f({"*.docx", "Rapporter/**"}, {"Privat/**", "*.bak.docx"});
  EXPECT_TRUE(f.wanted("x/brev.docx"));
  EXPECT_TRUE(f.wanted("Rapporter/q3.pdf"));
  EXPECT_FALSE(f.wanted("x/bild.png"));
  EXPECT_FALSE(f.wanted("Privat/brev.docx"));
  EXPECT_FALSE(f.wanted("brev.bak.docx"));
}

// A folder's name is checked unless an exclude pattern covers it; include patterns name files.
TEST(PathFilter, FoldersFollowExcludesOnly) {
  PathFilter f({"*.docx"}, {"Privat/**"});
  EXPECT_FALSE(f.wanted("Elever/Anna 19121212-1212"));
  EXPECT_TRUE(f.folder_wanted("Elever/Anna 19121212-1212"));
  EXPECT_TRUE(f.folder_wanted("Privat"));
  EXPECT_FALSE(f.folder_wanted("Privat/Anna 19121212-1212"));
}

}  // namespace
}  // namespace vakt::agent

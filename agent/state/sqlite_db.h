// SqliteDb: a small RAII wrapper over sqlite3 for the agent's state and the quarantine ledger —
// open in WAL mode with a busy timeout, run statements, bind and read columns. Errors are values.
//
//   auto db = SqliteDb::open(path);        // Expected<std::unique_ptr<SqliteDb>>
//   auto st = db->prepare("SELECT x FROM t WHERE k = ?");
//   st.bind(1, key); while (st.step() == StepResult::kRow) use(st.text(0));
//
// open_or_rebuild() checks integrity first; a database that is not one or is damaged is renamed
// to "<path>.corrupt-<time>" and a new one is created (the caller logs `aside`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vakt::agent {

enum class StepResult { kRow, kDone, kError };

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  bool valid() const { return stmt_ != nullptr; }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  StepResult step();
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // kFull: every commit is fsynced (the quarantine ledger). kNormal: WAL with synchronous=NORMAL,
  // a power cut may lose the last commits but never corrupts (the verdict cache: a lost verdict
  // only means one more scan).
  enum class Durability { kFull, kNormal };
  static Expected<std::unique_ptr<SqliteDb>> open(const std::filesystem::path& path,
                                                  Durability durability = Durability::kFull);
  // Opens; when the file is damaged, moves it aside (its name is put in *aside) and starts anew.
  static Expected<std::unique_ptr<SqliteDb>> open_or_rebuild(
      const std::filesystem::path& path, std::string* aside,
      Durability durability = Durability::kFull);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status exec(const std::string& sql);
  Statement prepare(const std::string& sql);
  std::string last_error() const;
  std::int64_t changes() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace vakt::agent

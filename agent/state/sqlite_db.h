// SqliteDb: a small RAII wrapper over sqlite3 for the agent's state and the quarantine ledger —
// open in WAL mode with a busy timeout, run statements, bind and read columns. Errors are values.
//
//   auto db = SqliteDb::open(path);        // Expected<std::unique_ptr<SqliteDb>>
//   auto st = db->prepare("SELECT x FROM t WHERE k = ?");
//   st.bind(1, key); while (st.step() == StepResult::kRow) use(st.text(0));
//
// open_or_rebuild() (only for disposable data: the verdict cache) checks integrity first; a
// database SQLite reports as corrupt or not a database is renamed to "<path>.corrupt-<time>" and
// a new one is created (the caller logs `aside`). Any other failure (disk full, I/O error, lock
// timeout) is returned as an error and the file is left alone. The quarantine ledger never
// uses it: it opens with open() + check_integrity() and fails closed.
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
  // *corrupt (when given) is set when SQLite said SQLITE_CORRUPT or SQLITE_NOTADB.
  static Expected<std::unique_ptr<SqliteDb>> open(const std::filesystem::path& path,
                                                  Durability durability = Durability::kFull,
                                                  bool* corrupt = nullptr);
  // Never creates, never writes (no pragma, no schema): for listing.
  static Expected<std::unique_ptr<SqliteDb>> open_read_only(const std::filesystem::path& path);
  // Opens; when the file is damaged, moves it aside (its name is put in *aside) and starts anew.
  static Expected<std::unique_ptr<SqliteDb>> open_or_rebuild(
      const std::filesystem::path& path, std::string* aside,
      Durability durability = Durability::kFull);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status exec(const std::string& sql);
  Status check_integrity();
  Statement prepare(const std::string& sql);
  std::string last_error() const;
  std::int64_t changes() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace vakt::agent

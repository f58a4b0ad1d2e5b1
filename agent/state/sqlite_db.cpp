#include "state/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <system_error>

namespace vakt::agent {

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (stmt_ != nullptr) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (stmt_ != nullptr) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (stmt_ != nullptr) sqlite3_bind_null(stmt_, index);
  return *this;
}

StepResult Statement::step() {
  if (stmt_ == nullptr) return StepResult::kError;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return StepResult::kRow;
  if (rc == SQLITE_DONE) return StepResult::kDone;
  return StepResult::kError;
}

std::string Statement::text(int column) const {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  if (t == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::reset() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Expected<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::filesystem::path& path,
                                                   Durability durability, bool* corrupt) {
  if (corrupt != nullptr) *corrupt = false;
  auto damaged = [corrupt](int code) {
    int primary = code & 0xff;
    if (corrupt != nullptr && (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)) {
      *corrupt = true;
    }
  };
  sqlite3* raw = nullptr;
  // SQLite takes UTF-8 names on every platform (path::c_str() is UTF-16 on Windows).
  const std::u8string name = path.u8string();
  int rc =
      sqlite3_open_v2(reinterpret_cast<const char*>(name.c_str()), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    damaged(rc);
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    if (raw != nullptr) sqlite3_close(raw);
    return Error{"cannot open " + path.string() + ": " + msg};
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw));
  sqlite3_busy_timeout(raw, 10000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                                                   : "PRAGMA synchronous=NORMAL"}) {
    if (auto st = db->exec(pragma); !st) {
      damaged(sqlite3_extended_errcode(raw));
      return st.error();
    }
  }
  return db;
}

Expected<std::unique_ptr<SqliteDb>> SqliteDb::open_read_only(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  const std::u8string name = path.u8string();
  int rc = sqlite3_open_v2(reinterpret_cast<const char*>(name.c_str()), &raw,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    if (raw != nullptr) sqlite3_close(raw);
    return Error{"cannot open " + path.string() + ": " + msg};
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw));
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

Status SqliteDb::check_integrity() {
  auto check = prepare("PRAGMA quick_check");
  if (check.valid() && check.step() == StepResult::kRow && check.text(0) == "ok") return Ok{};
  return Error{"integrity check failed: " + last_error()};
}

Expected<std::unique_ptr<SqliteDb>> SqliteDb::open_or_rebuild(const std::filesystem::path& path,
                                                              std::string* aside,
                                                              Durability durability) {
  bool corrupt = false;
  auto db = open(path, durability, &corrupt);
  if (db) {
    // quick_check failing on an open database means damage; any other failure (disk full,
    // I/O error, lock timeout) is reported and the file is left alone.
    auto check = (*db)->prepare("PRAGMA quick_check");
    if (!check.valid()) {
      int primary = sqlite3_errcode((*db)->db_) & 0xff;
      if (primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) {
        return Error{"cannot check " + path.string() + ": " + (*db)->last_error()};
      }
      corrupt = true;
    } else {
      auto step = check.step();
      if (step == StepResult::kRow && check.text(0) == "ok") return db;
      int primary = sqlite3_errcode((*db)->db_) & 0xff;
      if (step == StepResult::kError && primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) {
        return Error{"cannot check " + path.string() + ": " + (*db)->last_error()};
      }
      corrupt = true;
    }
  }
  if (!corrupt) return db.error();
  std::error_code exists_ec;
  if (!std::filesystem::exists(path, exists_ec)) {
    if (!db) return db.error();
    return Error{"cannot open " + path.string()};
  }
  if (db) db.value().reset();
  auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::filesystem::path moved = path;
  moved += ".corrupt-" + std::to_string(stamp);
  std::error_code ec;
  std::filesystem::rename(path, moved, ec);
  if (ec)
    return Error{"state database " + path.string() +
                 " is damaged and cannot be moved aside: " + ec.message()};
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::path side = path;
    side += suffix;
    std::filesystem::path side_moved = moved;
    side_moved += suffix;
    std::filesystem::rename(side, side_moved, ec);
  }
  if (aside != nullptr) *aside = moved.string();
  return open(path, durability);
}

SqliteDb::~SqliteDb() {
  sqlite3_close_v2(db_);
}

Status SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return Error{"sqlite: " + msg};
  }
  return Ok{};
}

Statement SqliteDb::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) stmt = nullptr;
  return Statement(db_, stmt);
}

std::string SqliteDb::last_error() const {
  return sqlite3_errmsg(db_);
}

std::int64_t SqliteDb::changes() const {
  return sqlite3_changes64(db_);
}

}  // namespace vakt::agent

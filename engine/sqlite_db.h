// A small RAII layer over the SQLite C API, for the run-history store: a
// connection, prepared statements, and an IMMEDIATE transaction that rolls back
// unless committed. Failures throw StoreError with SQLite's message, so no call
// site can forget to check a return code and carry on writing half a run.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace tr {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace sql {

class Db {
 public:
  enum class Mode { ReadOnly, ReadWrite, Create };
  // Opens `path`; `busy_ms` is how long a statement waits for another process's
  // lock before failing with "database is locked".
  Db(const std::string& path, Mode mode, int busy_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows.
  void exec(const std::string& sql);
  int64_t last_insert_id() const;
  int changes() const;
  // False in autocommit mode, true inside BEGIN … COMMIT.
  bool in_transaction() const;
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }
  // "<path>: <sqlite message>", for errors.
  std::string error_text(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQLite.
  Stmt& bind(int i, std::string_view text);
  Stmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  Stmt& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& bind_null(int i);
  // A tier number 0 (= none) is stored as NULL, so SQL sees "no tier".
  Stmt& bind_nonzero(int i, int v) { return v ? bind(i, v) : bind_null(i); }

  // True when a row is ready; false when done.
  bool step();
  // Steps a statement that returns no rows.
  void run();
  void reset();

  // Columns are 0-based, as in SQLite.
  int columns() const;
  bool is_null(int col) const;
  std::string text(int col) const;  // "" for NULL
  int64_t integer(int col) const;   // 0 for NULL

 private:
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
};

// BEGIN IMMEDIATE: takes the write lock up front (waiting up to the busy
// timeout), so two writers never deadlock upgrading read locks. Rolls back in the
// destructor unless commit() was called. A Read transaction (BEGIN DEFERRED) only
// gives several reads one consistent snapshot; it is simply ended by the destructor.
class Transaction {
 public:
  enum class Kind { Write, Read };
  explicit Transaction(Db& db, Kind kind = Kind::Write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace sql
}  // namespace tr

// ControlStore: the server's durable record of which databases exist — identity, owner, names — kept in one
// JSON file (<data dir>/control.json) that is replaced atomically (written to a temporary file, fsynced,
// renamed, directory fsynced), so a crash leaves either the old or the new record, never a torn one.
//
// The databases' own data lives in their replica directories (<data dir>/databases/<identity hex>/); this record
// only says which directories are databases and how they are named. An in-memory server keeps it in memory.
//
// Format:
//   {"version": 1, "databases": [{"identity": "<64 hex>", "owner": "<64 hex>", "names": ["chat"],
//                                 "host_type": "Wasm"}]}
//
// Thread-safety: not thread-safe; the registry serialises access.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::server {

struct DatabaseRecord {
  sats::Identity identity;
  sats::Identity owner;
  std::vector<std::string> names;
  std::string host_type = "Wasm";
};

class ControlStore {
 public:
  // `path` empty: in memory only.
  static Result<ControlStore> Open(std::string path);

  const std::vector<DatabaseRecord>& databases() const { return databases_; }
  const DatabaseRecord* Find(const sats::Identity& identity) const;
  std::optional<sats::Identity> FindByName(std::string_view name) const;

  // Each change is durable when it returns.
  Status Put(DatabaseRecord record);  // inserts or replaces by identity
  Status Remove(const sats::Identity& identity);

 private:
  Status Save() const;
  std::string path_;
  std::vector<DatabaseRecord> databases_;
};

// Database names: lowercase letters and digits in hyphen-separated groups (`^[a-z0-9]+(-[a-z0-9]+)*$`).
bool IsValidDatabaseName(std::string_view name);

// Writes `contents` to `path` atomically and durably (temp file, fsync, rename, directory fsync).
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace stdb::server

// FaultInjectionFileSystem: wraps another FileSystem and makes chosen operations fail, for testing how the
// commitlog behaves when the disk fills up or fsync fails.
//
// Faults are armed per kind of operation: "let the next k calls succeed, then fail every call with errno e"
// (FailAfter), or, for writes, "let b more bytes through, then fail" (FailWritesAfterBytes), where the write
// that crosses the budget stores the part that fits before failing, as a real short write before ENOSPC does.
// A path filter limits faults to files whose path contains a substring (e.g. ".stdb.log"). Injected errors
// look like real ones: code kIo, message with the operation, path and strerror(e).
//
// Thread-safety: thread-safe; the fault state is shared by the file system and the files it opened.
#pragma once

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "durability/file_system.h"

namespace stdb::durability::testing {

enum class FaultOp { kOpenWritable, kWrite, kSync, kTruncate, kRename, kRemove, kSyncDir };

class FaultInjectionFileSystem final : public FileSystem {
 public:
  explicit FaultInjectionFileSystem(FileSystem& base);

  // After `successful_calls` more calls of `op` succeed, every call fails with `error`.
  void FailAfter(FaultOp op, uint64_t successful_calls, int error = ENOSPC);
  // Writes succeed until `bytes` more bytes have been written; the write crossing the budget stores its first
  // part and fails with `error`, and so does every later write.
  void FailWritesAfterBytes(uint64_t bytes, int error = ENOSPC);
  // Only paths containing `substring` are subject to faults (empty: all paths).
  void SetPathFilter(std::string substring);
  // Disarms every fault (counters are kept).
  void ClearFaults();
  // How many calls of `op` reached this file system (failed ones included).
  uint64_t calls(FaultOp op);

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override;
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Status CreateDirs(const std::string& dir) override;
  Status SyncDir(const std::string& dir) override;
  Result<bool> Exists(const std::string& path) override;

  struct State;

 private:
  FileSystem& base_;
  std::shared_ptr<State> state_;
};

}  // namespace stdb::durability::testing

// FileSystem: the file operations the commitlog needs (positional reads and writes, fsync, truncate,
// rename, remove, directory listing and directory fsync), behind an interface so that tests can inject
// I/O errors and simulate power loss (testing/fault_injection_file_system.h, testing/memory_file_system.h).
//
// The contract mirrors POSIX so that code correct against one implementation is correct on disk:
// - WritableFile::Sync makes the file's data durable (fdatasync); data written but not synced may be lost
//   in a crash, whole or in part.
// - Creating, renaming or removing a file is durable only after SyncDir on its directory.
// - Rename atomically replaces the target.
// Errors are Status values whose message names the operation and the path; a missing file is kNotFound,
// an existing one kAlreadyExists, everything else kIo (with the OS's reason, e.g. "No space left on device").
//
// Thread-safety: a FileSystem may be used from any number of threads. One ReadableFile / WritableFile object
// is used by one thread at a time; several objects may refer to the same path concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::durability {

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to out.size() bytes at `offset`; returns the count, short only at end of file.
  virtual Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) = 0;
  virtual Result<uint64_t> Size() = 0;
  virtual const std::string& path() const = 0;
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes all of `data` at `offset`, extending the file as needed. On error an unknown prefix may have been
  // written.
  virtual Status WriteAt(uint64_t offset, sats::ByteSpan data) = 0;
  virtual Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) = 0;
  // Makes the data written so far durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Truncate(uint64_t size) = 0;
  virtual Result<uint64_t> Size() = 0;
  virtual const std::string& path() const = 0;
};

enum class OpenMode {
  kCreateNew,        // fail with kAlreadyExists if the file exists
  kOpenExisting,     // fail with kNotFound if it does not
  kCreateOrOpen,     // keep existing contents
  kCreateOrTruncate, // start empty
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`, in no particular order.
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // Creates `dir` and any missing parents, durably.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // Makes creations, renames and removals of entries in `dir` durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Result<bool> Exists(const std::string& path) = 0;

  // The real file system (POSIX calls; fdatasync for Sync, fsync of an O_DIRECTORY descriptor for SyncDir).
  static FileSystem& Posix();
};

// Joins a directory and a name with one '/'.
std::string JoinPath(const std::string& dir, const std::string& name);
// The directory part of a path ("." when there is none).
std::string ParentDir(const std::string& path);

// Reads the whole file into memory.
Result<sats::Bytes> ReadWholeFile(FileSystem& fs, const std::string& path);

}  // namespace stdb::durability

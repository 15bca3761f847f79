#include "durability/testing/fault_injection_file_system.h"

#include <algorithm>
#include <cstring>

namespace stdb::durability::testing {

struct FaultInjectionFileSystem::State {
  struct Fault {
    uint64_t remaining_successes = 0;
    int error = ENOSPC;
  };
  std::mutex mu;
  std::map<FaultOp, Fault> faults;
  std::map<FaultOp, uint64_t> calls;
  std::optional<uint64_t> write_budget;
  int write_budget_error = ENOSPC;
  std::string path_filter;

  static const char* Name(FaultOp op) {
    switch (op) {
      case FaultOp::kOpenWritable: return "open";
      case FaultOp::kWrite: return "write";
      case FaultOp::kSync: return "fdatasync";
      case FaultOp::kTruncate: return "truncate";
      case FaultOp::kRename: return "rename";
      case FaultOp::kRemove: return "remove";
      case FaultOp::kSyncDir: return "fsync directory";
    }
    return "operation";
  }

  static Error Injected(FaultOp op, const std::string& path, int error) {
    return Error(ErrorCode::kIo, std::string(Name(op)) + " " + path + ": " + std::strerror(error) + " (injected)");
  }

  // Counts the call and decides whether it fails.
  Status Check(FaultOp op, const std::string& path) {
    std::lock_guard lock(mu);
    ++calls[op];
    if (!path_filter.empty() && path.find(path_filter) == std::string::npos) return OkStatus();
    auto it = faults.find(op);
    if (it == faults.end()) return OkStatus();
    if (it->second.remaining_successes > 0) {
      --it->second.remaining_successes;
      return OkStatus();
    }
    return Injected(op, path, it->second.error);
  }

  // How many bytes of a write of `n` bytes may go through; sets *fail if the write must then fail.
  uint64_t WriteAllowance(const std::string& path, uint64_t n, bool* fail, int* error) {
    std::lock_guard lock(mu);
    *fail = false;
    if (!write_budget || (!path_filter.empty() && path.find(path_filter) == std::string::npos)) return n;
    uint64_t allowed = std::min(n, *write_budget);
    *write_budget -= allowed;
    *fail = allowed < n;
    *error = write_budget_error;
    return allowed;
  }
};

namespace {


class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(std::unique_ptr<WritableFile> base, std::shared_ptr<FaultInjectionFileSystem::State> state)
      : base_(std::move(base)), state_(std::move(state)) {}

  Status WriteAt(uint64_t offset, sats::ByteSpan data) override {
    STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kWrite, path()));
    bool fail = false;
    int error = 0;
    uint64_t allowed = state_->WriteAllowance(path(), data.size(), &fail, &error);
    if (allowed > 0) STDB_RETURN_IF_ERROR(base_->WriteAt(offset, data.subspan(0, allowed)));
    if (fail) return FaultInjectionFileSystem::State::Injected(FaultOp::kWrite, path(), error);
    return OkStatus();
  }
  Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override { return base_->ReadAt(offset, out); }
  Status Sync() override {
    STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kSync, path()));
    return base_->Sync();
  }
  Status Truncate(uint64_t size) override {
    STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kTruncate, path()));
    return base_->Truncate(size);
  }
  Result<uint64_t> Size() override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }

 private:
  std::unique_ptr<WritableFile> base_;
  std::shared_ptr<FaultInjectionFileSystem::State> state_;
};

}  // namespace

FaultInjectionFileSystem::FaultInjectionFileSystem(FileSystem& base)
    : base_(base), state_(std::make_shared<State>()) {}

void FaultInjectionFileSystem::FailAfter(FaultOp op, uint64_t successful_calls, int error) {
  std::lock_guard lock(state_->mu);
  state_->faults[op] = State::Fault{successful_calls, error};
}

void FaultInjectionFileSystem::FailWritesAfterBytes(uint64_t bytes, int error) {
  std::lock_guard lock(state_->mu);
  state_->write_budget = bytes;
  state_->write_budget_error = error;
}

void FaultInjectionFileSystem::SetPathFilter(std::string substring) {
  std::lock_guard lock(state_->mu);
  state_->path_filter = std::move(substring);
}

void FaultInjectionFileSystem::ClearFaults() {
  std::lock_guard lock(state_->mu);
  state_->faults.clear();
  state_->write_budget.reset();
}

uint64_t FaultInjectionFileSystem::calls(FaultOp op) {
  std::lock_guard lock(state_->mu);
  return state_->calls[op];
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::OpenWritable(const std::string& path, OpenMode mode) {
  STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kOpenWritable, path));
  STDB_ASSIGN_OR_RETURN(auto file, base_.OpenWritable(path, mode));
  return std::unique_ptr<WritableFile>(new FaultyWritableFile(std::move(file), state_));
}

Result<std::unique_ptr<ReadableFile>> FaultInjectionFileSystem::OpenReadable(const std::string& path) {
  return base_.OpenReadable(path);
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kRename, from));
  return base_.Rename(from, to);
}

Status FaultInjectionFileSystem::Remove(const std::string& path) {
  STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kRemove, path));
  return base_.Remove(path);
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDir(const std::string& dir) { return base_.ListDir(dir); }

Status FaultInjectionFileSystem::CreateDirs(const std::string& dir) { return base_.CreateDirs(dir); }

Status FaultInjectionFileSystem::SyncDir(const std::string& dir) {
  STDB_RETURN_IF_ERROR(state_->Check(FaultOp::kSyncDir, dir));
  return base_.SyncDir(dir);
}

Result<bool> FaultInjectionFileSystem::Exists(const std::string& path) { return base_.Exists(path); }

}  // namespace stdb::durability::testing

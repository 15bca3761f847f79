#include "durability/testing/memory_file_system.h"

#include <algorithm>
#include <cstring>
#include <random>

namespace stdb::durability::testing {
namespace {

std::string Normalize(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

Error NotFound(const std::string& op, const std::string& path) {
  return Error(ErrorCode::kNotFound, op + " " + path + ": No such file or directory");
}

Error Stale(const std::string& path) {
  return Error(ErrorCode::kIo, path + ": Stale file handle (opened before a simulated power loss)");
}

Result<size_t> ReadInode(const MemoryFileSystem::Inode& inode, uint64_t offset, std::span<uint8_t> out) {
  if (offset >= inode.data.size()) return size_t(0);
  size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), inode.data.size() - offset));
  std::memcpy(out.data(), inode.data.data() + offset, n);
  return n;
}

}  // namespace

class MemoryReadableFile final : public ReadableFile {
 public:
  MemoryReadableFile(MemoryFileSystem* fs, std::shared_ptr<MemoryFileSystem::Inode> inode, std::string path)
      : fs_(fs), inode_(std::move(inode)), path_(std::move(path)), generation_(fs->generation_) {}
  Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    return ReadInode(*inode_, offset, out);
  }
  Result<uint64_t> Size() override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    return uint64_t(inode_->data.size());
  }
  const std::string& path() const override { return path_; }

 private:
  MemoryFileSystem* fs_;
  std::shared_ptr<MemoryFileSystem::Inode> inode_;
  std::string path_;
  uint64_t generation_;
};

class MemoryWritableFile final : public WritableFile {
 public:
  MemoryWritableFile(MemoryFileSystem* fs, std::shared_ptr<MemoryFileSystem::Inode> inode, std::string path)
      : fs_(fs), inode_(std::move(inode)), path_(std::move(path)), generation_(fs->generation_) {}
  Status WriteAt(uint64_t offset, sats::ByteSpan data) override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    if (inode_->data.size() < offset + data.size()) inode_->data.resize(offset + data.size(), 0);
    if (!data.empty()) std::memcpy(inode_->data.data() + offset, data.data(), data.size());
    return OkStatus();
  }
  Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    return ReadInode(*inode_, offset, out);
  }
  Status Sync() override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    inode_->synced = inode_->data;
    return OkStatus();
  }
  Status Truncate(uint64_t size) override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    inode_->data.resize(size, 0);
    return OkStatus();
  }
  Result<uint64_t> Size() override {
    std::lock_guard lock(fs_->mu_);
    if (generation_ != fs_->generation_) return Stale(path_);
    return uint64_t(inode_->data.size());
  }
  const std::string& path() const override { return path_; }

 private:
  MemoryFileSystem* fs_;
  std::shared_ptr<MemoryFileSystem::Inode> inode_;
  std::string path_;
  uint64_t generation_;
};

Status MemoryFileSystem::CheckParentExists(const std::string& path) const {
  std::string parent = ParentDir(path);
  if (!dirs_.count(parent)) return NotFound("open", path);
  return OkStatus();
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::OpenWritable(const std::string& raw_path, OpenMode mode) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (mode == OpenMode::kOpenExisting) return NotFound("open", path);
    STDB_RETURN_IF_ERROR(CheckParentExists(path));
    it = files_.emplace(path, std::make_shared<Inode>()).first;
  } else if (mode == OpenMode::kCreateNew) {
    return Error(ErrorCode::kAlreadyExists, "open " + path + ": File exists");
  } else if (mode == OpenMode::kCreateOrTruncate) {
    it->second->data.clear();
  }
  return std::unique_ptr<WritableFile>(new MemoryWritableFile(this, it->second, path));
}

Result<std::unique_ptr<ReadableFile>> MemoryFileSystem::OpenReadable(const std::string& raw_path) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("open", path);
  return std::unique_ptr<ReadableFile>(new MemoryReadableFile(this, it->second, path));
}

Status MemoryFileSystem::Rename(const std::string& raw_from, const std::string& raw_to) {
  std::string from = Normalize(raw_from), to = Normalize(raw_to);
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return NotFound("rename", from);
  STDB_RETURN_IF_ERROR(CheckParentExists(to));
  auto inode = it->second;
  files_.erase(it);
  files_[to] = std::move(inode);
  return OkStatus();
}

Status MemoryFileSystem::Remove(const std::string& raw_path) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  if (files_.erase(path) == 0) return NotFound("remove", path);
  return OkStatus();
}

Result<std::vector<std::string>> MemoryFileSystem::ListDir(const std::string& raw_dir) {
  std::string dir = Normalize(raw_dir);
  std::lock_guard lock(mu_);
  if (!dirs_.count(dir)) return NotFound("list directory", dir);
  std::vector<std::string> names;
  auto name_of = [&](const std::string& path) { return path.substr(path.rfind('/') + 1); };
  for (const auto& [path, inode] : files_)
    if (ParentDir(path) == dir) names.push_back(name_of(path));
  for (const auto& d : dirs_)
    if (d != dir && ParentDir(d) == dir) names.push_back(name_of(d));
  return names;
}

Status MemoryFileSystem::CreateDirs(const std::string& raw_dir) {
  std::string dir = Normalize(raw_dir);
  std::lock_guard lock(mu_);
  if (files_.count(dir)) return Error(ErrorCode::kAlreadyExists, "create directory " + dir + ": exists and is not a directory");
  for (std::string d = dir; !dirs_.count(d); d = ParentDir(d)) dirs_.insert(d);
  return OkStatus();
}

Status MemoryFileSystem::SyncDir(const std::string& raw_dir) {
  std::string dir = Normalize(raw_dir);
  std::lock_guard lock(mu_);
  if (!dirs_.count(dir)) return NotFound("fsync directory", dir);
  for (auto it = durable_files_.begin(); it != durable_files_.end();)
    it = ParentDir(it->first) == dir ? durable_files_.erase(it) : std::next(it);
  for (const auto& [path, inode] : files_)
    if (ParentDir(path) == dir) durable_files_[path] = inode;
  return OkStatus();
}

Result<bool> MemoryFileSystem::Exists(const std::string& raw_path) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  return files_.count(path) > 0 || dirs_.count(path) > 0;
}

void MemoryFileSystem::SimulatePowerLoss(UnsyncedData unsynced, uint64_t seed) {
  std::lock_guard lock(mu_);
  std::mt19937_64 rng(seed);
  ++generation_;
  files_ = durable_files_;
  std::set<Inode*> done;
  for (auto& [path, inode] : files_) {
    if (!done.insert(inode.get()).second) continue;
    const sats::Bytes& synced = inode->synced;
    bool appended_only = inode->data.size() >= synced.size() &&
                         std::equal(synced.begin(), synced.end(), inode->data.begin());
    sats::Bytes survived = synced;
    if (appended_only && inode->data.size() > synced.size()) {
      uint64_t extra = inode->data.size() - synced.size();
      if (unsynced == UnsyncedData::kKeepRandomPrefix) {
        uint64_t keep = std::uniform_int_distribution<uint64_t>(0, extra)(rng);
        survived.insert(survived.end(), inode->data.begin() + synced.size(),
                        inode->data.begin() + static_cast<ptrdiff_t>(synced.size() + keep));
      } else if (unsynced == UnsyncedData::kZeroFill) {
        survived.resize(inode->data.size(), 0);
      }
    }
    inode->data = survived;
    inode->synced = std::move(survived);
  }
}

Result<sats::Bytes> MemoryFileSystem::Contents(const std::string& raw_path) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("read", path);
  return it->second->data;
}

Status MemoryFileSystem::SetDurableContents(const std::string& raw_path, sats::Bytes contents) {
  std::string path = Normalize(raw_path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    STDB_RETURN_IF_ERROR(CheckParentExists(path));
    it = files_.emplace(path, std::make_shared<Inode>()).first;
  }
  it->second->data = contents;
  it->second->synced = std::move(contents);
  durable_files_[path] = it->second;
  return OkStatus();
}

uint64_t MemoryFileSystem::UnsyncedBytes() {
  std::lock_guard lock(mu_);
  uint64_t total = 0;
  for (const auto& [path, inode] : files_)
    total += inode->data.size() > inode->synced.size() ? inode->data.size() - inode->synced.size() : 0;
  return total;
}

}  // namespace stdb::durability::testing

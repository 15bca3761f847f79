#include "durability/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stdb::durability {
namespace {

Error PosixError(const std::string& op, const std::string& path, int err) {
  ErrorCode code = err == ENOENT ? ErrorCode::kNotFound : err == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kIo;
  return Error(code, op + " " + path + ": " + std::strerror(err));
}

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixReadableFile() override { ::close(fd_); }

  Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override { return PreadFully(fd_, path_, offset, out); }
  Result<uint64_t> Size() override { return FileSize(fd_, path_); }
  const std::string& path() const override { return path_; }

  static Result<size_t> PreadFully(int fd, const std::string& path, uint64_t offset, std::span<uint8_t> out) {
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("read at offset " + std::to_string(offset + done) + " of", path, errno);
      }
      if (n == 0) break;  // end of file
      done += static_cast<size_t>(n);
    }
    return done;
  }

  static Result<uint64_t> FileSize(int fd, const std::string& path) {
    struct stat st;
    if (::fstat(fd, &st) != 0) return PosixError("stat", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  int fd_;
  std::string path_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override { ::close(fd_); }

  Status WriteAt(uint64_t offset, sats::ByteSpan data) override {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("write at offset " + std::to_string(offset + done) + " of", path_, errno);
      }
      done += static_cast<size_t>(n);
    }
    return OkStatus();
  }
  Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override {
    return PosixReadableFile::PreadFully(fd_, path_, offset, out);
  }
  Status Sync() override {
    if (::fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
    return OkStatus();
  }
  Status Truncate(uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
      return PosixError("truncate to " + std::to_string(size) + " bytes", path_, errno);
    return OkStatus();
  }
  Result<uint64_t> Size() override { return PosixReadableFile::FileSize(fd_, path_); }
  const std::string& path() const override { return path_; }

 private:
  int fd_;
  std::string path_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override {
    int flags = O_RDWR | O_CLOEXEC;
    switch (mode) {
      case OpenMode::kCreateNew: flags |= O_CREAT | O_EXCL; break;
      case OpenMode::kOpenExisting: break;
      case OpenMode::kCreateOrOpen: flags |= O_CREAT; break;
      case OpenMode::kCreateOrTruncate: flags |= O_CREAT | O_TRUNC; break;
    }
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return PosixError("open", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(fd, path));
  }

  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("open", path, errno);
    return std::unique_ptr<ReadableFile>(new PosixReadableFile(fd, path));
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return PosixError("rename to " + to + " of", from, errno);
    return OkStatus();
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("remove", path, errno);
    return OkStatus();
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return PosixError("list directory", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    int err = errno;
    ::closedir(d);
    if (err != 0) return PosixError("list directory", dir, err);
    return names;
  }

  Status CreateDirs(const std::string& dir) override {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return OkStatus();
      return Error(ErrorCode::kAlreadyExists, "create directory " + dir + ": exists and is not a directory");
    }
    std::string parent = ParentDir(dir);
    if (parent != dir) STDB_RETURN_IF_ERROR(CreateDirs(parent));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return PosixError("create directory", dir, errno);
    // The new entry lives in the parent; without this a crash could forget the directory.
    return SyncDir(parent);
  }

  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError("open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return PosixError("fsync directory", dir, err);
    return OkStatus();
  }

  Result<bool> Exists(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    return PosixError("stat", path, errno);
  }
};

}  // namespace

FileSystem& FileSystem::Posix() {
  static PosixFileSystem* fs = new PosixFileSystem();  // never destroyed: usable from static destructors
  return *fs;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string ParentDir(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

Result<sats::Bytes> ReadWholeFile(FileSystem& fs, const std::string& path) {
  STDB_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(path));
  STDB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  sats::Bytes data(size);
  STDB_ASSIGN_OR_RETURN(size_t n, file->ReadAt(0, data));
  data.resize(n);
  return data;
}

}  // namespace stdb::durability

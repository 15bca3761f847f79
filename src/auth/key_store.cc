#include "auth/key_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace stdb::auth {
namespace {

constexpr size_t kMaxKeyFileSize = 1 << 20;

Error IoError(const std::string& what, const std::filesystem::path& path, int err) {
  return Error(ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(err));
}

// The file's contents, or nullopt if it does not exist. Any other failure is an error: a key file that exists
// but cannot be read must not be mistaken for a missing one and replaced.
Result<std::optional<std::string>> ReadIfExists(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return IoError("cannot open key file", path, errno);
  }
  std::string contents;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return IoError("cannot read key file", path, err);
    }
    if (n == 0) break;
    contents.append(buf, size_t(n));
    if (contents.size() > kMaxKeyFileSize) {
      ::close(fd);
      return Error(ErrorCode::kCorruption, "key file " + path.string() + " is larger than 1 MiB; not a PEM key");
    }
  }
  ::close(fd);
  return std::optional<std::string>(std::move(contents));
}

Status WriteAll(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    data.remove_prefix(size_t(n));
  }
  return OkStatus();
}

Status FsyncDirectory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("cannot fsync directory", dir, err);
  return OkStatus();
}

// Writes via "<path>.tmp": write, fsync, chmod, rename, fsync the directory.
Status WriteFileDurably(const std::filesystem::path& path, std::string_view contents, mode_t mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  ::unlink(tmp.c_str());  // a leftover from a crashed attempt
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return IoError("cannot create", tmp, errno);
  Status status = WriteAll(fd, contents, tmp);
  // The umask may have removed bits from `mode`; set it exactly, and before the key is visible under its name.
  if (status.ok() && ::fchmod(fd, mode) != 0) status = IoError("cannot chmod", tmp, errno);
  if (status.ok() && ::fsync(fd) != 0) status = IoError("cannot fsync", tmp, errno);
  if (::close(fd) != 0 && status.ok()) status = IoError("cannot close", tmp, errno);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) status = IoError("cannot rename into", path, errno);
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  return FsyncDirectory(path.parent_path());
}

Status EnsureParentDirectory(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  if (parent.empty()) return OkStatus();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create directory " + parent.string() + ": " + ec.message());
  return OkStatus();
}

Result<Es256KeyPair> ParsePrivateKeyFile(const std::string& pem, const std::filesystem::path& path) {
  auto keys = Es256KeyPair::FromPem(pem);
  if (!keys.ok()) {
    return Error(ErrorCode::kCorruption, "private key file " + path.string() + " is corrupt: " +
                                             keys.error().message());
  }
  return std::move(keys).value();
}

}  // namespace

ServerKeyPaths ServerKeyPaths::InDirectory(const std::filesystem::path& dir) {
  return ServerKeyPaths{dir / kPrivateKeyFileName, dir / kPublicKeyFileName};
}

Result<ServerKeys> LoadOrCreateServerKeys(const ServerKeyPaths& paths) {
  STDB_ASSIGN_OR_RETURN(std::optional<std::string> private_pem, ReadIfExists(paths.private_key));
  STDB_ASSIGN_OR_RETURN(std::optional<std::string> public_pem, ReadIfExists(paths.public_key));

  if (!private_pem && public_pem) {
    return Error(ErrorCode::kNotFound,
                 "public key " + paths.public_key.string() + " exists but its private key " +
                     paths.private_key.string() +
                     " does not; restore the private key, or remove both files to generate a new pair "
                     "(which invalidates every token signed with the old one)");
  }

  if (!private_pem) {
    STDB_ASSIGN_OR_RETURN(Es256KeyPair keys, Es256KeyPair::Generate());
    std::string new_private_pem = keys.PrivateKeyPem();
    std::string new_public_pem = keys.public_key().ToPem();
    if (new_private_pem.empty() || new_public_pem.empty()) {
      return Error(ErrorCode::kInternal, "could not encode the new key pair as PEM");
    }
    STDB_RETURN_IF_ERROR(EnsureParentDirectory(paths.private_key));
    STDB_RETURN_IF_ERROR(EnsureParentDirectory(paths.public_key));
    STDB_RETURN_IF_ERROR(WriteFileDurably(paths.private_key, new_private_pem, 0600));
    STDB_RETURN_IF_ERROR(WriteFileDurably(paths.public_key, new_public_pem, 0644));
    return ServerKeys{std::move(keys), std::move(new_public_pem), true};
  }

  STDB_ASSIGN_OR_RETURN(Es256KeyPair keys, ParsePrivateKeyFile(*private_pem, paths.private_key));
  if (!public_pem) {
    // Only possible after a crash between the two writes above (or a deleted file): the public key is
    // derivable, so restore it rather than refuse to start.
    std::string derived = keys.public_key().ToPem();
    STDB_RETURN_IF_ERROR(WriteFileDurably(paths.public_key, derived, 0644));
    return ServerKeys{std::move(keys), std::move(derived), false};
  }
  auto public_key = Es256PublicKey::FromPem(*public_pem);
  if (!public_key.ok()) {
    return Error(ErrorCode::kCorruption, "public key file " + paths.public_key.string() + " is corrupt: " +
                                             public_key.error().message());
  }
  if (!(*public_key == keys.public_key())) {
    return Error(ErrorCode::kCorruption, "public key " + paths.public_key.string() +
                                             " does not belong to private key " + paths.private_key.string());
  }
  return ServerKeys{std::move(keys), std::move(*public_pem), false};
}

}  // namespace stdb::auth

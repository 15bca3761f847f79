#include "server/control_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sats/json.h"

namespace stdb::server {

namespace {

Error IoError(const std::string& what, const std::string& path) {
  return Error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

bool IsValidDatabaseName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  bool previous_hyphen = true;  // no leading hyphen
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '-') {
      if (previous_hyphen) return false;
      previous_hyphen = true;
    } else if (word) {
      previous_hyphen = false;
    } else {
      return false;
    }
  }
  return !previous_hyphen;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", tmp);
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t w = ::write(fd, contents.data() + done, contents.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      Error e = IoError("cannot write", tmp);
      ::close(fd);
      return e;
    }
    done += size_t(w);
  }
  if (::fsync(fd) != 0) {
    Error e = IoError("cannot fsync", tmp);
    ::close(fd);
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return IoError("cannot rename over", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return IoError("cannot open directory", dir);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return IoError("cannot fsync directory", dir);
  return OkStatus();
}

Result<ControlStore> ControlStore::Open(std::string path) {
  ControlStore store;
  store.path_ = std::move(path);
  if (store.path_.empty() || !std::filesystem::exists(store.path_)) return store;
  std::ifstream in(store.path_);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto json = sats::Json::Parse(buffer.str());
  auto corrupt = [&](const std::string& why) {
    return Error(ErrorCode::kCorruption, "the server's database list " + store.path_ + " is damaged (" + why +
                                             "); restore it from a backup or move it away to start empty");
  };
  if (!json.ok()) return corrupt(json.error().message());
  const sats::Json* list = json->Find("databases");
  if (!list || !list->is_array()) return corrupt("no \"databases\" array");
  for (const auto& item : list->items()) {
    const sats::Json* id = item.Find("identity");
    const sats::Json* owner = item.Find("owner");
    const sats::Json* names = item.Find("names");
    if (!id || !id->is_string() || !owner || !owner->is_string()) return corrupt("an entry without identity or owner");
    auto identity = sats::Identity::FromHex(id->text());
    auto owner_id = sats::Identity::FromHex(owner->text());
    if (!identity || !owner_id) return corrupt("an identity that is not 64 hex digits");
    DatabaseRecord r{*identity, *owner_id, {}, "Wasm"};
    if (names && names->is_array())
      for (const auto& n : names->items())
        if (n.is_string()) r.names.push_back(n.text());
    if (const sats::Json* h = item.Find("host_type"); h && h->is_string()) r.host_type = h->text();
    store.databases_.push_back(std::move(r));
  }
  return store;
}

const DatabaseRecord* ControlStore::Find(const sats::Identity& identity) const {
  for (const auto& r : databases_)
    if (r.identity == identity) return &r;
  return nullptr;
}

std::optional<sats::Identity> ControlStore::FindByName(std::string_view name) const {
  for (const auto& r : databases_)
    for (const auto& n : r.names)
      if (n == name) return r.identity;
  return std::nullopt;
}

Status ControlStore::Put(DatabaseRecord record) {
  auto before = databases_;
  bool replaced = false;
  for (auto& r : databases_) {
    if (r.identity == record.identity) {
      r = record;
      replaced = true;
    }
  }
  if (!replaced) databases_.push_back(std::move(record));
  Status s = Save();
  if (!s.ok()) databases_ = std::move(before);
  return s;
}

Status ControlStore::Remove(const sats::Identity& identity) {
  auto before = databases_;
  std::erase_if(databases_, [&](const DatabaseRecord& r) { return r.identity == identity; });
  Status s = Save();
  if (!s.ok()) databases_ = std::move(before);
  return s;
}

Status ControlStore::Save() const {
  if (path_.empty()) return OkStatus();
  sats::Json doc = sats::Json::Object();
  doc.Add("version", sats::Json::Number(1));
  sats::Json list = sats::Json::Array();
  for (const auto& r : databases_) {
    sats::Json item = sats::Json::Object();
    item.Add("identity", sats::Json::String(r.identity.ToHex()));
    item.Add("owner", sats::Json::String(r.owner.ToHex()));
    sats::Json names = sats::Json::Array();
    for (const auto& n : r.names) names.Push(sats::Json::String(n));
    item.Add("names", std::move(names));
    item.Add("host_type", sats::Json::String(r.host_type));
    list.Push(std::move(item));
  }
  doc.Add("databases", std::move(list));
  return WriteFileAtomically(path_, doc.Dump() + "\n");
}

}  // namespace stdb::server

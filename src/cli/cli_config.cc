#include "cli/cli_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/http_url.h"

namespace stdb::cli {

namespace {

constexpr const char* kDefaultServerKey = "default_server";
constexpr const char* kServerConfigsKey = "server_configs";
constexpr const char* kTokenKey = "spacetimedb_token";

Error ConfigError(const std::string& path, const std::string& what) {
  return Error(ErrorCode::kInvalidArgument,
               "config file " + path + " is invalid: " + what + "; fix or delete the file (it is recreated with defaults)");
}

// Host part of a nickname-or-host-or-URL.
std::string_view HostOf(std::string_view name) {
  size_t scheme = name.find("://");
  if (scheme == std::string_view::npos) return name;
  std::string_view rest = name.substr(scheme + 3);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return rest;
}

Error NoSuchServer(std::string_view server) {
  return Error(ErrorCode::kNotFound, "no saved server named '" + std::string(server) +
                                         "'; list them with `spacetime server list`, add one with "
                                         "`spacetime server add " + std::string(server) + " --url <url>`, or pass a full URL such as http://127.0.0.1:3000");
}

}  // namespace

bool ServerConfig::IsNamed(std::string_view name) const {
  if (nickname && *nickname == name) return true;
  return host == name || host == HostOf(name);
}

CliConfig CliConfig::Defaults(std::string path) {
  CliConfig config;
  config.path_ = std::move(path);
  config.servers_.push_back(ServerConfig{"local", "127.0.0.1:3000", "http", std::nullopt});
  config.default_server_ = "local";
  return config;
}

std::string CliConfig::DefaultPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/spacetime/cli.json";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/spacetime/cli.json";
  return "";
}

Result<CliConfig> CliConfig::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || !std::filesystem::exists(path)) return Defaults(path);
    return Error(ErrorCode::kIo, "cannot read config file " + path + ": " + std::strerror(errno) +
                                     "; check its permissions or pass another file with --config-path");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return ConfigError(path, "not valid JSON");
  if (!doc.is_object()) return ConfigError(path, "the top level must be a JSON object");
  return FromJson(doc, path);
}

Result<CliConfig> CliConfig::FromJson(const nlohmann::json& doc, std::string path) {
  CliConfig config;
  config.path_ = std::move(path);
  for (const auto& [key, value] : doc.items()) {
    if (key == kDefaultServerKey) {
      if (value.is_null()) continue;
      if (!value.is_string()) return ConfigError(config.path_, "\"default_server\" must be a string");
      config.default_server_ = value.get<std::string>();
    } else if (key == kTokenKey) {
      if (value.is_null()) continue;
      if (!value.is_string()) return ConfigError(config.path_, "\"spacetimedb_token\" must be a string");
      config.token_ = value.get<std::string>();
    } else if (key == kServerConfigsKey) {
      if (!value.is_array()) return ConfigError(config.path_, "\"server_configs\" must be an array");
      for (const auto& entry : value) {
        if (!entry.is_object()) return ConfigError(config.path_, "each entry of \"server_configs\" must be an object");
        ServerConfig server;
        auto read = [&](const char* name, bool required, auto& out) -> Status {
          auto it = entry.find(name);
          if (it == entry.end() || it->is_null()) {
            if (required)
              return ConfigError(config.path_, std::string("a server entry has no \"") + name + "\"");
            return OkStatus();
          }
          if (!it->is_string())
            return ConfigError(config.path_, std::string("\"") + name + "\" of a server entry must be a string");
          out = it->template get<std::string>();
          return OkStatus();
        };
        STDB_RETURN_IF_ERROR(read("nickname", false, server.nickname));
        STDB_RETURN_IF_ERROR(read("host", true, server.host));
        STDB_RETURN_IF_ERROR(read("protocol", true, server.protocol));
        STDB_RETURN_IF_ERROR(read("ecdsa_public_key", false, server.ecdsa_public_key));
        if (server.protocol != "http" && server.protocol != "https")
          return ConfigError(config.path_, "server " + server.host + " has protocol \"" + server.protocol +
                                               "\"; it must be \"http\" or \"https\"");
        config.servers_.push_back(std::move(server));
      }
    } else {
      config.extra_[key] = value;
    }
  }
  return config;
}

nlohmann::json CliConfig::ToJson() const {
  nlohmann::json doc = nlohmann::json::object();
  if (default_server_) doc[kDefaultServerKey] = *default_server_;
  nlohmann::json servers = nlohmann::json::array();
  for (const auto& s : servers_) {
    nlohmann::json entry = nlohmann::json::object();
    if (s.nickname) entry["nickname"] = *s.nickname;
    entry["host"] = s.host;
    entry["protocol"] = s.protocol;
    if (s.ecdsa_public_key) entry["ecdsa_public_key"] = *s.ecdsa_public_key;
    servers.push_back(std::move(entry));
  }
  doc[kServerConfigsKey] = std::move(servers);
  if (token_) doc[kTokenKey] = *token_;
  for (const auto& [key, value] : extra_.items()) doc[key] = value;
  return doc;
}

Status CliConfig::Save() const {
  if (path_.empty())
    return Error(ErrorCode::kInvalidArgument,
                 "cannot save the CLI config: neither XDG_CONFIG_HOME nor HOME is set; pass --config-path <file>");
  std::filesystem::path file(path_);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot create directory " + file.parent_path().string() + ": " + ec.message() +
                                     "; check its permissions or pass another file with --config-path");
  std::string text = ToJson().dump(2) + "\n";
  std::string tmp = path_ + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return Error(ErrorCode::kIo, "cannot write config file " + tmp + ": " + std::strerror(errno) +
                                     "; check the directory's permissions or pass another file with --config-path");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error(ErrorCode::kIo, "cannot write config file " + tmp + ": " + std::strerror(err) +
                                       "; free some disk space or pass another file with --config-path");
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Error(ErrorCode::kIo, "cannot replace config file " + path_ + ": " + std::strerror(err) +
                                     "; check the directory's permissions");
  }
  return OkStatus();
}

Result<const ServerConfig*> CliConfig::FindServer(std::string_view server) const {
  for (const auto& s : servers_)
    if ((s.nickname && *s.nickname == server) || s.host == server) return &s;
  for (const auto& s : servers_)
    if (s.IsNamed(server)) return &s;
  return NoSuchServer(server);
}

ServerConfig* CliConfig::FindMutable(std::string_view server) {
  auto found = FindServer(server);
  return found.ok() ? const_cast<ServerConfig*>(*found) : nullptr;
}

Result<std::string> CliConfig::ServerUrl(std::string_view server) const {
  if (server.find("://") != std::string_view::npos) {
    STDB_ASSIGN_OR_RETURN(HttpUrl url, HttpUrl::Parse(server));
    if (url.scheme != "http" && url.scheme != "https")
      return Error(ErrorCode::kInvalidArgument, "server URL '" + std::string(server) + "' must start with http:// or https://");
    return url.Origin();
  }
  if (server.empty()) {
    if (!default_server_)
      return Error(ErrorCode::kNotFound,
                   "no default server is set; choose one with `spacetime server set-default <server>` or pass "
                   "--server <nickname|url>");
    auto found = FindServer(*default_server_);
    if (!found.ok())
      return Error(ErrorCode::kNotFound, "the default server '" + *default_server_ +
                                             "' is not a saved server; choose another with `spacetime server "
                                             "set-default <server>` or add it with `spacetime server add`");
    return (*found)->Url();
  }
  STDB_ASSIGN_OR_RETURN(const ServerConfig* found, FindServer(server));
  return found->Url();
}

std::string CliConfig::DisplayName(std::string_view server) const {
  std::string_view name = server.empty() && default_server_ ? std::string_view(*default_server_) : server;
  auto found = FindServer(name);
  if (!found.ok()) return std::string(name);
  return (*found)->nickname ? *(*found)->nickname : (*found)->host;
}

Status CliConfig::AddServer(std::string_view url_text, std::optional<std::string> nickname,
                            std::optional<std::string> ecdsa_public_key) {
  while (!url_text.empty() && url_text.back() == '/') url_text.remove_suffix(1);
  STDB_ASSIGN_OR_RETURN(HttpUrl url, HttpUrl::Parse(url_text));
  if (url.scheme != "http" && url.scheme != "https")
    return Error(ErrorCode::kInvalidArgument,
                 "server URL '" + std::string(url_text) + "' must start with http:// or https://");
  if (url.target != "/")
    return Error(ErrorCode::kInvalidArgument, "server URL '" + std::string(url_text) +
                                                  "' must not have a path; give only scheme, host and port");
  std::string host = url.Authority();
  if (nickname) {
    if (nickname->empty() || nickname->find("://") != std::string::npos)
      return Error(ErrorCode::kInvalidArgument, "server nickname '" + *nickname + "' is not valid; use a plain word such as 'local'");
    for (const auto& s : servers_)
      if ((s.nickname && *s.nickname == *nickname) || s.host == *nickname)
        return Error(ErrorCode::kAlreadyExists, "server nickname " + *nickname + " is already used by " + s.Url() +
                                                    "; pick another nickname or remove it with `spacetime server "
                                                    "remove " + *nickname + "`");
  }
  for (const auto& s : servers_)
    if (s.host == host)
      return Error(ErrorCode::kAlreadyExists,
                   "a server is already saved for host " + host +
                       (s.nickname ? " (nickname " + *s.nickname + ")" : std::string()) +
                       "; remove it first with `spacetime server remove " + (s.nickname ? *s.nickname : host) + "`");
  servers_.push_back(ServerConfig{std::move(nickname), host, url.scheme, std::move(ecdsa_public_key)});
  return OkStatus();
}

Status CliConfig::SetDefaultServer(std::string_view server) {
  STDB_ASSIGN_OR_RETURN(const ServerConfig* found, FindServer(server));
  default_server_ = found->nickname ? *found->nickname : found->host;
  return OkStatus();
}

Status CliConfig::RemoveServer(std::string_view server) {
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (!servers_[i].IsNamed(server)) continue;
    if (default_server_ && servers_[i].IsNamed(*default_server_)) default_server_.reset();
    servers_.erase(servers_.begin() + static_cast<std::ptrdiff_t>(i));
    return OkStatus();
  }
  return NoSuchServer(server);
}

Status CliConfig::SetFingerprint(std::string_view server, std::string ecdsa_public_key) {
  ServerConfig* s = FindMutable(server);
  if (!s) return NoSuchServer(server);
  s->ecdsa_public_key = std::move(ecdsa_public_key);
  return OkStatus();
}

}  // namespace stdb::cli

// CliConfig: the `spacetime` CLI's saved settings — known servers (nickname -> URL), the default server and the
// login token — in one JSON file.
//
// Location: the --config-path option, else $XDG_CONFIG_HOME/spacetime/cli.json, else ~/.config/spacetime/cli.json.
// A missing file means the defaults: one server "local" = http://127.0.0.1:3000, which is the default server, and
// no token. The file is written only when something changes, atomically (temporary file + rename) and with mode
// 0600 because it holds a bearer token. Format (keys as in the reference CLI's cli.toml; unknown top-level keys
// are kept as they are):
//
//   {
//     "default_server": "local",
//     "server_configs": [
//       { "nickname": "local", "host": "127.0.0.1:3000", "protocol": "http", "ecdsa_public_key": "-----BEGIN..." }
//     ],
//     "spacetimedb_token": "eyJ..."
//   }
//
// A server is named on the command line by its nickname, its host ("127.0.0.1:3000") or a full URL; a full URL
// needs no saved entry at all.
//
// Thread-safety: a plain value; the file is not locked (concurrent CLI invocations writing it race, last wins).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sats/result.h"

namespace stdb::cli {

struct ServerConfig {
  std::optional<std::string> nickname;
  std::string host;      // "127.0.0.1:3000", no scheme
  std::string protocol;  // "http" or "https"
  std::optional<std::string> ecdsa_public_key;  // the server's PEM public key ("fingerprint"), if fetched

  std::string Url() const { return protocol + "://" + host; }
  // True if `name` is this server's nickname, host, or a URL with this host.
  bool IsNamed(std::string_view name) const;
};

class CliConfig {
 public:
  // The defaults described above, to be saved at `path`.
  static CliConfig Defaults(std::string path);
  // Reads `path`; a missing file yields the defaults. Malformed files are an error naming the file and the key.
  static Result<CliConfig> Load(const std::string& path);
  // The default location (see above); empty if neither XDG_CONFIG_HOME nor HOME is set.
  static std::string DefaultPath();

  Status Save() const;
  const std::string& path() const { return path_; }

  const std::vector<ServerConfig>& servers() const { return servers_; }
  const std::optional<std::string>& default_server() const { return default_server_; }
  const std::optional<std::string>& token() const { return token_; }

  // The base URL ("http://127.0.0.1:3000") of `server` (nickname, host or URL), or of the default server when
  // `server` is empty.
  Result<std::string> ServerUrl(std::string_view server) const;
  // The saved entry for a nickname, host or URL.
  Result<const ServerConfig*> FindServer(std::string_view server) const;
  // The nickname of `server` if it has one, else its host; for messages ("Uploading to local => ...").
  std::string DisplayName(std::string_view server) const;

  // `spacetime server add`: `url` must be http(s)://host[:port]; a nickname must not clash with another server.
  Status AddServer(std::string_view url, std::optional<std::string> nickname,
                   std::optional<std::string> ecdsa_public_key);
  Status SetDefaultServer(std::string_view server);
  // Removes the server; if it was the default, there is no default afterwards.
  Status RemoveServer(std::string_view server);
  Status SetFingerprint(std::string_view server, std::string ecdsa_public_key);

  void SetToken(std::string token) { token_ = std::move(token); }
  void ClearToken() { token_.reset(); }

 private:
  static Result<CliConfig> FromJson(const nlohmann::json& doc, std::string path);
  nlohmann::json ToJson() const;
  ServerConfig* FindMutable(std::string_view server);

  std::string path_;
  std::vector<ServerConfig> servers_;
  std::optional<std::string> default_server_;
  std::optional<std::string> token_;
  nlohmann::json extra_ = nlohmann::json::object();  // unknown top-level keys, kept on save
};

}  // namespace stdb::cli

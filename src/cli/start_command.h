// `spacetime start`: runs a local SpacetimeDB server. The flags are parsed here into StartOptions; RunServer,
// defined on its own in run_server.cc, is the server layer's entry point.
//
//   --listen-addr <host:port>   default 127.0.0.1:3000
//   --data-dir <dir>            default $XDG_DATA_HOME/spacetime/data, else ~/.local/share/spacetime/data
//   --in-memory                 keep everything in memory (no commitlog, no data directory)
//   --jwt-key-dir <dir>         where the server's id_ecdsa / id_ecdsa.pub live (created if both are missing);
//                               default: the CLI config directory ($XDG_CONFIG_HOME/spacetime, ~/.config/spacetime)
//
// Thread-safety: RunServer blocks the calling thread until the server stops.
#pragma once

#include <string>

namespace stdb::cli {

struct StartOptions {
  std::string listen_addr = "127.0.0.1:3000";
  std::string data_dir;
  bool in_memory = false;
  std::string jwt_key_dir;
};

// The defaults of --data-dir and --jwt-key-dir from the environment (empty if neither XDG_* nor HOME is set).
std::string DefaultDataDir();
std::string DefaultJwtKeyDir();

// Runs the server until it is stopped; returns the process exit code.
int RunServer(const StartOptions& options);

}  // namespace stdb::cli

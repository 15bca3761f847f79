// The body of `spacetime start`. The server layer (src/server) replaces this function with one that starts the
// HTTP/WebSocket server with `options` and blocks until it stops.
#include <iostream>

#include "cli/start_command.h"

namespace stdb::cli {

int RunServer(const StartOptions& options) {
  std::cerr << "Error: the server is not built yet; `spacetime start` cannot run a server in this build (it would "
               "listen on "
            << options.listen_addr << "). Connect the CLI to a running server with `spacetime server add`.\n";
  return 1;
}

}  // namespace stdb::cli

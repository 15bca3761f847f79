// The body of `spacetime start`: a ServerApp (src/server) with the command's options, running until SIGINT or
// SIGTERM. The signals are blocked in every thread and waited for here, so shutdown runs on this thread in order:
// stop listening, close clients with 1001, close each database (which makes its commitlog durable).
#include <signal.h>

#include <iostream>

#include "cli/start_command.h"
#include "server/server_app.h"

namespace stdb::cli {

int RunServer(const StartOptions& options) {
  server::ServerOptions o;
  o.listen_address = options.listen_addr;
  o.in_memory = options.in_memory;
  o.data_dir = options.in_memory ? "" : (options.data_dir.empty() ? DefaultDataDir() : options.data_dir);
  o.jwt_key_dir = options.jwt_key_dir.empty() ? DefaultJwtKeyDir() : options.jwt_key_dir;
  if (!o.in_memory && o.data_dir.empty()) {
    std::cerr << "Error: no data directory: neither XDG_DATA_HOME nor HOME is set. Pass --data-dir <dir> or "
                 "--in-memory.\n";
    return 1;
  }
  if (o.jwt_key_dir.empty() && !o.in_memory) o.jwt_key_dir = o.data_dir + "/keys";
  o.log = [](const std::string& line) { std::cerr << line << std::endl; };

  // Block the stop signals before any thread starts, so every thread inherits the mask and only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::cerr << "Starting SpacetimeDB ("
            << (o.in_memory ? std::string("in memory, nothing is kept after it stops") : "data directory " + o.data_dir)
            << ")\n";
  auto app = server::ServerApp::Start(o);
  if (!app.ok()) {
    std::cerr << "Error: could not start the server: " << app.error().message() << "\n";
    return 1;
  }
  std::cout << "SpacetimeDB is listening on http://" << (*app)->address() << "\n"
            << "  data directory: " << (o.in_memory ? "(in memory)" : o.data_dir) << "\n"
            << "  server keys:    " << (o.jwt_key_dir.empty() ? "(temporary)" : o.jwt_key_dir) << "\n"
            << "Press Ctrl-C to stop." << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "\nStopping (" << (received == SIGINT ? "SIGINT" : "SIGTERM")
            << "): closing clients and flushing the commitlog..." << std::endl;
  (*app)->Stop();
  std::cerr << "Stopped cleanly." << std::endl;
  return 0;
}

}  // namespace stdb::cli

#include "server/server_app.h"

#include <filesystem>
#include <iostream>

#include "server/client_connection.h"
#include "server/client_hub.h"

namespace stdb::server {

namespace {

std::string Metric(const std::string& name, const std::string& help, const std::string& type, double value,
                   const std::string& labels = "") {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + labels + " " + buf + "\n";
}

}  // namespace

Result<std::unique_ptr<ServerApp>> ServerApp::Start(ServerOptions options) {
  std::unique_ptr<ServerApp> app(new ServerApp(std::move(options)));
  ServerOptions& o = app->options_;
  auto log = [&o](const std::string& m) {
    if (o.log) o.log(m);
    else std::cerr << m << std::endl;
  };
  if (!o.in_memory && o.data_dir.empty()) return Error(ErrorCode::kInvalidArgument, "no data directory given");
  std::string key_dir = o.jwt_key_dir;
  if (key_dir.empty()) {
    if (o.in_memory) {
      char tmpl[] = "/tmp/spacetime-keys-XXXXXX";
      char* dir = ::mkdtemp(tmpl);
      if (!dir) return Error(ErrorCode::kIo, "cannot create a temporary key directory");
      key_dir = dir;
    } else {
      key_dir = o.data_dir + "/keys";
    }
  }
  STDB_ASSIGN_OR_RETURN(app->auth_, AuthService::Open(key_dir));
  app->workers_ = std::make_unique<WorkerPool>(size_t(o.worker_threads));

  RegistryOptions reg;
  reg.data_dir = o.data_dir;
  reg.in_memory = o.in_memory;
  reg.engine = o.engine;
  reg.durability.durability.snapshot_every = o.snapshot_every;
  reg.log = log;
  reg.attach = [](HostedDatabase& hosted) { hosted.set_attachment(std::make_unique<ClientHub>(&hosted.db())); };
  STDB_ASSIGN_OR_RETURN(app->registry_, DatabaseRegistry::Open(std::move(reg)));

  ApiContext ctx{app->auth_.get(), app->registry_.get(), app->workers_.get(), &app->counters_};
  auto router = std::make_shared<Router>();
  STDB_RETURN_IF_ERROR(RegisterIdentityRoutes(*router, ctx));
  STDB_RETURN_IF_ERROR(RegisterDatabaseRoutes(*router, ctx));
  STDB_RETURN_IF_ERROR(router->Add("GET", "/v1/database/:noi/subscribe", [ctx](HttpRequest req, Responder r) {
    HandleSubscribeUpgrade(ctx, std::move(req), std::move(r));
  }));
  ServerApp* self = app.get();
  for (const char* path : {"/v1/metrics", "/metrics"}) {
    STDB_RETURN_IF_ERROR(router->Add("GET", path, [self](HttpRequest, Responder r) {
      HttpResponse resp = HttpResponse::Text(200, self->MetricsText());
      resp.headers.Set("Content-Type", "text/plain; version=0.0.4");
      r.Send(std::move(resp));
    }));
  }
  HttpServerOptions http;
  http.listen_address = o.listen_address;
  http.io_threads = o.io_threads;
  ApiCounters* counters = &app->counters_;
  STDB_ASSIGN_OR_RETURN(app->http_, HttpServer::Start(http, [router, counters](HttpRequest req, Responder r) {
    counters->http_requests++;
    router->Handle(std::move(req), std::move(r));
  }));
  return app;
}

ServerApp::~ServerApp() { Stop(); }

void ServerApp::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (http_) http_->Stop("module exited");
  registry_.reset();  // closes every database: durability drains and syncs
  workers_.reset();
}

std::string ServerApp::MetricsText() const {
  std::string out;
  out += Metric("spacetime_http_requests_total", "HTTP requests received", "counter", double(counters_.http_requests));
  out += Metric("spacetime_websocket_connections", "WebSocket client connections open", "gauge", double(counters_.ws_connections));
  out += Metric("spacetime_websocket_messages_received_total", "client messages received", "counter", double(counters_.ws_messages_in));
  out += Metric("spacetime_websocket_messages_sent_total", "server messages sent", "counter", double(counters_.ws_messages_out));
  out += Metric("spacetime_websocket_bytes_sent_total", "bytes sent to WebSocket clients", "counter", double(counters_.ws_bytes_out));
  out += Metric("spacetime_reducer_calls_total", "reducer calls", "counter", double(counters_.reducer_calls));
  out += Metric("spacetime_reducer_failures_total", "reducer calls that did not commit", "counter", double(counters_.reducer_failures));
  out += Metric("spacetime_reducer_call_seconds_total", "time spent in reducer calls", "counter", double(counters_.reducer_call_micros) / 1e6);
  out += Metric("spacetime_sql_queries_total", "/sql requests", "counter", double(counters_.sql_queries));
  out += "# HELP spacetime_database_memory_bytes memory held by a database's tables and indexes\n"
         "# TYPE spacetime_database_memory_bytes gauge\n";
  std::string tx_lines = "# HELP spacetime_database_tx_offset transactions committed by a database\n"
                         "# TYPE spacetime_database_tx_offset counter\n";
  std::string lag_lines = "# HELP spacetime_database_durable_lag transactions committed but not yet durable\n"
                          "# TYPE spacetime_database_durable_lag gauge\n";
  for (const auto& hosted : registry_->All()) {
    std::string label = "{database=\"" + hosted->identity().ToHex() + "\"}";
    auto [memory, next] = hosted->db().Run([&] {
      return std::pair{hosted->db().datastore().Memory().total_bytes, hosted->db().datastore().next_tx_offset()};
    });
    auto durable = hosted->db().durability().durable_offset();
    uint64_t durable_next = durable ? *durable + 1 : 0;
    out += "spacetime_database_memory_bytes" + label + " " + std::to_string(memory) + "\n";
    tx_lines += "spacetime_database_tx_offset" + label + " " + std::to_string(next) + "\n";
    lag_lines += "spacetime_database_durable_lag" + label + " " + std::to_string(next > durable_next ? next - durable_next : 0) + "\n";
  }
  return out + tx_lines + lag_lines;
}

}  // namespace stdb::server

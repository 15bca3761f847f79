// KeynoteConnection: one WebSocket client of the keynote load generator — its own minimal, asynchronous
// implementation of the binary client protocol (spec/client-protocol.md §2-§5, §8) on Boost.Beast.
//
// It connects to /v1/database/<db>/subscribe with `v3.bsatn.spacetimedb` (or v2), no compression and the
// requested confirmed-reads setting, waits for InitialConnection, and then either
//   - drives the workload: keeps up to `inflight` transfer calls outstanding, taking them in turn from its own
//     stretch of the pre-encoded TransferCalls; whenever results arrive it issues as many new calls as were answered,
//     all in one WebSocket message on v3 (one message per call on v2), until the end of the measurement window; or
//   - runs one control request (seed, row fetch) and hands the answer to a callback.
// A call's latency runs from the moment it is issued to the moment its ReducerResult is read; with confirmed reads
// that includes waiting for the transaction to be durable. Results read inside the measurement window are counted
// and their latencies recorded in the thread's LoadStats; committed transfers are also applied to the thread's
// model of the balances, which the final invariant check compares with the database.
//
// Any protocol or network error ends the connection and is reported in RunState::failure (the run then fails).
//
// Thread-safety: public methods may be called from any thread; they post to the connection's io_context, where
// everything else runs. The LoadStats it records into belongs to that io_context's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "bench/keynote/latency_histogram.h"
#include "bench/keynote/transfer_calls.h"
#include "sats/result.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"

namespace stdb::bench::keynote {

using Clock = std::chrono::steady_clock;

enum class WireProtocol { kV3, kV2 };

struct ConnectionConfig {
  std::string host = "127.0.0.1";
  std::string port = "3000";
  std::string database = "keynote";
  WireProtocol protocol = WireProtocol::kV3;
  bool confirmed_reads = true;
  size_t inflight = 40;
};

// What one I/O thread measured; merged over threads at the end.
struct LoadStats {
  explicit LoadStats(uint32_t accounts) : balance_delta(accounts, 0) {}
  LatencyHistogram latency;          // committed calls answered inside the window
  uint64_t committed_in_window = 0;
  uint64_t committed = 0;            // whole run, warm-up and drain included
  uint64_t rejected = 0;             // the reducer returned an error (whole run)
  uint64_t internal_errors = 0;      // InternalError results (whole run)
  std::map<std::string, uint64_t> errors;  // by message
  std::vector<int64_t> balance_delta;      // per account, from committed transfers

  void Merge(const LoadStats& other);
};

// Shared by every connection of a run.
struct RunState {
  Clock::time_point measure_begin;
  Clock::time_point measure_end;  // no call is issued at or after this instant
  std::atomic<int64_t> in_flight{0};
  std::atomic<uint64_t> completed{0};  // results of workload calls, for progress reports
  std::mutex failure_mu;
  std::optional<std::string> failure;  // the first error of any connection
  void Fail(const std::string& message);
  bool failed();
};

class KeynoteConnection {
 public:
  // Workload calls [first_call, first_call + call_count) of `calls` are this connection's, used round-robin;
  // call_count must exceed config.inflight.
  KeynoteConnection(boost::asio::io_context& io, const ConnectionConfig& config, const TransferCalls& calls,
                    size_t first_call, size_t call_count, LoadStats* stats, RunState* run);
  ~KeynoteConnection();

  // Connects and waits for InitialConnection; `done` runs on the I/O thread.
  void Connect(std::function<void(Status)> done);
  // Starts the workload (the run's window must be set).
  void StartLoad();
  // Sends one control message (its request id must be >= kFirstControlRequestId) and passes the server's answer
  // carrying that request id to `done`, on the I/O thread.
  void Request(server::protocol::v2::ClientMessage message, uint32_t request_id,
               std::function<void(Result<server::protocol::v2::ServerMessage>)> done);
  // Sends a close frame and ends the connection.
  void Close();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace stdb::bench::keynote

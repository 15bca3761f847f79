// HttpConnection (internal): one accepted TCP connection speaking HTTP/1.1, from the first request to close
// or to its upgrade into a WebSocket (websocket_connection.h).
//
// It reads bytes itself and feeds them to Beast's request parser, which gives one read loop for everything:
// request headers and bodies, read-ahead of pipelined requests while a response is pending (bounded, and how
// a vanished client is noticed), and the lingering close. Requests are answered strictly one at a time, in
// order. One steady timer enforces whichever deadline the current phase has (keep-alive, header, body, write,
// linger). Responses are serialized by http_wire.h and written with one gathered write.
//
// Thread-safety: all state lives on the connection's I/O thread (its io_context runs on one thread). The
// ExchangeTarget, StreamSink and ManagedConnection entry points may be called from any thread; they hop onto
// the I/O thread (running inline when already there).
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "server/server_context.h"

namespace stdb::server {

// Starts serving `socket` on its executor's thread.
void StartHttpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context);

}  // namespace stdb::server

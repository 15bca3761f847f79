// WebSocketConnection (internal): the I/O side of a WebSocketSession (websocket_session.h) on Beast's
// WebSocket stream — the 101 handshake, the read loop with the message size cap and flow control, the ordered
// writer that frames each message in write_fragment_bytes pieces, keepalive pings, the idle and
// close-handshake deadlines, and the close codes.
//
// Thread-safety: all state lives on the connection's I/O thread; the WebSocketTransport and ManagedConnection
// entry points may be called from any thread and hop onto it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>
#include <string>

#include "server/responder.h"
#include "server/server_context.h"
#include "server/websocket_session.h"

namespace stdb::server {

// Completes the handshake for `request` on `socket` and runs the session.
void StartWebSocketConnection(boost::asio::ip::tcp::socket socket,
                              boost::beast::http::request<boost::beast::http::string_body> request,
                              WebSocketAccept accept, std::shared_ptr<WebSocketSession> session,
                              std::shared_ptr<ServerContext> context);

// Ends a session that never got its connection: marks it closed and calls the handler's OnClose (1006).
void RejectWebSocket(const std::shared_ptr<WebSocketSession>& session,
                     const std::shared_ptr<WebSocketHandler>& handler, std::string reason);

}  // namespace stdb::server

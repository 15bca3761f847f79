// ResponseStream: the body of a streamed HTTP response, written chunk by chunk over time
// (GET /v1/database/:noi/logs?follow=true). Responder::StartStream sends the status and headers and returns
// the stream; each Write becomes one chunk of a chunked body (raw bytes until close for an HTTP/1.0 client);
// Finish (or destroying the stream) ends the body, and the connection goes on to its next request.
//
// Write never blocks: chunks are queued and written by the connection's I/O thread. The queue is bounded by
// HttpServerOptions::max_stream_buffer_bytes; a client that reads slower than the stream produces is dropped
// when it would overflow. The stream is "closed" when the client went away, was dropped, or the server is
// stopping: Write then returns false, and the on_closed callback given to StartStream runs once, on the I/O
// thread (it must not block), so a producer can stop without polling.
//
// Copies of a ResponseStream write to the same body (so it fits in a std::function); the body ends when
// Finish is called or the last copy is destroyed.
//
// Thread-safety: all methods of all copies may be called from any thread; chunks written concurrently from
// several threads go out whole, in the order their Write calls took the queue's lock.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace stdb::server {

namespace detail {

// The connection side of a stream (http_connection.cc). Each method only queues work on the I/O thread.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void WakeStreamWriter() = 0;  // chunks or the end of the body are queued
  virtual void DropStreamClient() = 0;  // the chunk queue overflowed
};

// The queue shared by a ResponseStream (producer) and its connection (consumer).
class StreamChannel {
 public:
  enum class Next { kChunk, kEnd, kNothing };

  StreamChannel(size_t max_buffered_bytes, std::function<void()> on_closed);

  // Producer side.
  bool Write(std::string chunk);
  void Finish();
  bool closed() const;

  // Consumer side (the connection's I/O thread).
  void Attach(std::weak_ptr<StreamSink> sink);
  // The next chunk, or kEnd once Finish was called and every chunk was taken; kNothing marks the writer idle.
  Next TakeNext(std::string* chunk);
  // The client went away or the server is stopping: refuse further writes and tell the producer (once).
  void MarkClosed();

 private:
  const size_t max_buffered_bytes_;
  mutable std::mutex mu_;
  std::deque<std::string> chunks_;
  size_t buffered_bytes_ = 0;
  bool finished_ = false;
  bool closed_ = false;       // writes are refused
  bool notified_ = false;     // on_closed ran
  bool writer_idle_ = false;  // the connection drains the queue right after attaching
  std::weak_ptr<StreamSink> sink_;
  std::function<void()> on_closed_;
};

}  // namespace detail

class ResponseStream {
 public:
  ResponseStream() = default;  // closed; writes nothing
  explicit ResponseStream(std::shared_ptr<detail::StreamChannel> channel);

  // Queues one chunk (an empty chunk is ignored). False once the stream is closed or finished; a chunk that
  // overflows the buffer drops the client and returns false.
  bool Write(std::string chunk);
  // Ends the body after the queued chunks.
  void Finish();
  // True once the client went away, was dropped, or the server is stopping.
  bool closed() const;

 private:
  // Shared by the copies; the last one to go ends the body.
  struct Producer {
    std::shared_ptr<detail::StreamChannel> channel;
    ~Producer() {
      if (channel) channel->Finish();
    }
  };
  std::shared_ptr<Producer> producer_;
};

}  // namespace stdb::server

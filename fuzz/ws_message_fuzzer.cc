// Fuzzes the WebSocket message decoders of src/server/protocol with every input:
//   - v2 client messages (v2.bsatn), v3 client payloads (several v2 messages), v1 client messages as BSATN
//     (binary frames) and as SATS-JSON (text frames) — everything a client can send;
//   - v2 and v1 server messages and v3 server bodies, which our clients and benchmark decode.
// Properties checked beyond "no crash, no out-of-bounds read, no unbounded allocation" (ASan/UBSan):
//   - BSATN decoding is canonical here: a decoded message re-encodes to exactly the input bytes, and the v2
//     server encoder's size prediction is exact;
//   - v3 splitting agrees with decoding one message at a time, and re-encoding the parts gives the payload back;
//   - a JSON-decoded v1 message re-encodes to JSON that decodes to the same message.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "server/protocol/v1_client_message.h"
#include "server/protocol/v1_server_message.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"
#include "server/protocol/v3_framing.h"

using namespace stdb::server::protocol;
using stdb::sats::ByteSpan;
using stdb::sats::Bytes;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Same(const Bytes& a, ByteSpan b) { return a.size() == b.size() && (b.empty() || std::memcmp(a.data(), b.data(), b.size()) == 0); }

void FuzzV2Client(ByteSpan in) {
  auto m = v2::DecodeClientMessage(in);
  if (m.ok()) Check(Same(v2::EncodeClientMessage(*m), in));
}

void FuzzV3Client(ByteSpan in) {
  auto all = v3::SplitClientPayload(in);
  v3::ClientPayloadSplitter splitter(in);
  size_t n = 0;
  bool failed = false;
  Bytes again;
  while (!splitter.done()) {
    auto m = splitter.Next();
    if (!m.ok()) {
      failed = true;
      break;
    }
    v3::AppendClientMessage(*m, again);
    ++n;
  }
  Check(all.ok() == !failed);
  if (all.ok()) {
    Check(all->size() == n);
    Check(Same(again, in));
  }
}

void FuzzV1Client(ByteSpan in) {
  auto m = v1::DecodeClientMessageBsatn(in);
  if (m.ok()) {
    auto again = v1::EncodeClientMessageBsatn(*m);
    Check(again.ok() && Same(*again, in));
  }
  std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
  auto j = v1::DecodeClientMessageJson(text);
  if (j.ok()) {
    auto json = v1::EncodeClientMessageJson(*j);
    Check(json.ok());
    auto back = v1::DecodeClientMessageJson(*json);
    Check(back.ok() && *back == *j);
  }
}

void FuzzServer(ByteSpan in) {
  auto m = v2::DecodeServerMessage(in);
  if (m.ok()) {
    Bytes again = v2::EncodeServerMessage(*m);
    Check(Same(again, in) && v2::EncodedSize(*m) == in.size());
  }
  auto body = v3::SplitServerBody(in);
  if (body.ok()) {
    Bytes again;
    for (const auto& msg : *body) v2::EncodeServerMessage(msg, again);
    Check(Same(again, in));
  }
  auto v1m = v1::DecodeServerMessage(in);
  if (v1m.ok()) {
    Bytes again;
    v1::EncodeServerMessage(*v1m, again);
    Check(Same(again, in));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteSpan in(data, size);
  FuzzV2Client(in);
  FuzzV3Client(in);
  FuzzV1Client(in);
  FuzzServer(in);
  return 0;
}

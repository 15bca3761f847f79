// ClientId and SubscriptionId: who subscribes, and which of its subscriptions a query belongs to.
//
// A client is one connection: (Identity, ConnectionId), like the reference's ClientId. Its subscriptions are
// named by the protocol it speaks (spec/client-protocol.md §4.3, §6.3, spec/data-layer.md §5.3):
//   kQuerySet  v2/v3 Subscribe: a client-chosen QuerySetId. Every set receives the rows of each of its queries,
//              even when another set of the same client holds the same query (the client reference-counts rows).
//   kQueryId   v1 SubscribeSingle/SubscribeMulti: a client-chosen QueryId. A query's rows reach the client once,
//              however many of its v1 subscriptions hold the query.
//   kLegacy    v1 Subscribe: the client's one whole-set subscription, replaced by each new Subscribe.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>

#include "absl/hash/hash.h"
#include "sats/special_types.h"

namespace stdb::subscription {

struct ClientId {
  sats::Identity identity;
  sats::ConnectionId connection_id;

  bool operator==(const ClientId& o) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const ClientId& c) {
    const auto& le = c.identity.le_bytes();
    return H::combine(H::combine_contiguous(std::move(h), le.data(), le.size()),
                      uint64_t(c.connection_id.value()), uint64_t(c.connection_id.value() >> 64));
  }
  std::string ToString() const { return identity.ToHex() + "/" + connection_id.ToHex(); }
};

enum class SubscriptionKind : uint8_t { kQuerySet, kQueryId, kLegacy };

struct SubscriptionId {
  SubscriptionKind kind = SubscriptionKind::kQuerySet;
  uint32_t id = 0;  // QuerySetId or QueryId; 0 for kLegacy

  static SubscriptionId QuerySet(uint32_t id) { return {SubscriptionKind::kQuerySet, id}; }
  static SubscriptionId QueryId(uint32_t id) { return {SubscriptionKind::kQueryId, id}; }
  static SubscriptionId Legacy() { return {SubscriptionKind::kLegacy, 0}; }
  // v1 subscriptions (QueryId and legacy) deliver each query once per client.
  bool is_v1() const { return kind != SubscriptionKind::kQuerySet; }

  bool operator==(const SubscriptionId& o) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const SubscriptionId& s) {
    return H::combine(std::move(h), uint8_t(s.kind), s.id);
  }
  std::string ToString() const {
    switch (kind) {
      case SubscriptionKind::kQuerySet: return "query set " + std::to_string(id);
      case SubscriptionKind::kQueryId: return "query id " + std::to_string(id);
      case SubscriptionKind::kLegacy: return "legacy subscription";
    }
    return "?";
  }
};

}  // namespace stdb::subscription

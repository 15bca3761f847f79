#include "server/v2_client_connection.h"

#include <variant>

#include "server/protocol/bsatn_row_list.h"
#include "server/protocol/v3_framing.h"
#include "sql/binder/schema_source.h"
#include "sql/sql_engine.h"

namespace stdb::server {

namespace v2 = protocol::v2;

namespace {

protocol::BsatnRowList ToRowList(const datastore::RowList& rows) {
  protocol::BsatnRowListBuilder builder;
  for (auto row : rows) builder.Append(row);
  return builder.Finish();
}

v2::QueryRows ToQueryRows(const std::vector<subscription::QueryRows>& rows) {
  v2::QueryRows out;
  for (const auto& q : rows) out.tables.push_back({q.query->table_name(), ToRowList(q.rows)});
  return out;
}

}  // namespace

// --- I/O thread ------------------------------------------------------------------------------------------------

Result<std::function<void()>> V2ClientConnection::Decode(std::string payload, bool is_text) {
  if (is_text) return Error(ErrorCode::kDecode, "text frames are not allowed on this protocol; send binary messages");
  sats::ByteSpan bytes(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  std::vector<v2::ClientMessage> messages;
  if (params().protocol == WireProtocol::kV3) {
    STDB_ASSIGN_OR_RETURN(messages, protocol::v3::SplitClientPayload(bytes));
  } else {
    STDB_ASSIGN_OR_RETURN(v2::ClientMessage one, v2::DecodeClientMessage(bytes));
    messages.push_back(std::move(one));
  }
  auto self = std::static_pointer_cast<V2ClientConnection>(shared_from_this());
  return std::function<void()>([self, messages = std::move(messages)] {
    for (const auto& m : messages) self->Handle(m);
  });
}

// --- database thread -------------------------------------------------------------------------------------------

void V2ClientConnection::SendHello() {
  Send(v2::InitialConnection{caller().identity, connection_id(), caller().token}, std::nullopt);
}

void V2ClientConnection::Handle(const v2::ClientMessage& message) {
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, v2::Subscribe>) HandleSubscribe(m);
        else if constexpr (std::is_same_v<M, v2::Unsubscribe>) HandleUnsubscribe(m);
        else if constexpr (std::is_same_v<M, v2::OneOffQuery>) HandleOneOffQuery(m);
        else if constexpr (std::is_same_v<M, v2::CallReducer>) HandleCallReducer(m);
        else if constexpr (std::is_same_v<M, v2::CallProcedure>)
          Send(v2::ProcedureResult{v2::ProcedureInternalError{"procedure " + m.procedure +
                                                              ": procedures are not supported by this server yet"},
                                   sats::Timestamp(0), sats::TimeDuration(0), m.request_id},
               std::nullopt);
      },
      message);
}

void V2ClientConnection::HandleSubscribe(const v2::Subscribe& m) {
  auto& subs = hub()->subscriptions();
  auto current = db().datastore().CurrentView();
  auto prepared = subs.Prepare(caller_context(), m.query_strings, *current);
  auto fail = [&](std::string error) {
    Send(v2::SubscriptionError{m.request_id, m.query_set_id, std::move(error)}, std::nullopt);
  };
  if (!prepared.ok()) return fail(prepared.error().message());
  auto evaluation = subs.Register(client_id(), subscription::SubscriptionId::QuerySet(m.query_set_id), *prepared,
                                  db().Snapshot());
  if (!evaluation.ok()) return fail(evaluation.error().message());
  Slot slot = Reserve(CurrentStateOffset());
  auto self = std::static_pointer_cast<V2ClientConnection>(shared_from_this());
  // The initial rows come from the snapshot on a worker thread while reducers keep running.
  context().workers->Submit([self, slot, evaluation = std::move(*evaluation), request_id = m.request_id,
                             set = m.query_set_id]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) {
      self->FillWith(slot, v2::SubscriptionError{request_id, set, rows.error().message()});
      self->db().Post([self, set] {
        (void)self->hub()->subscriptions().Unsubscribe(self->client_id(), subscription::SubscriptionId::QuerySet(set),
                                                       nullptr);
      });
      return;
    }
    self->FillWith(slot, v2::SubscribeApplied{request_id, set, ToQueryRows(*rows)});
  });
}

void V2ClientConnection::HandleUnsubscribe(const v2::Unsubscribe& m) {
  auto& subs = hub()->subscriptions();
  bool send_rows = m.flags == v2::UnsubscribeFlags::kSendDroppedRows;
  auto evaluation = subs.Unsubscribe(client_id(), subscription::SubscriptionId::QuerySet(m.query_set_id),
                                     send_rows ? db().Snapshot() : nullptr);
  if (!evaluation.ok()) {
    Send(v2::SubscriptionError{m.request_id, m.query_set_id, evaluation.error().message()}, std::nullopt);
    return;
  }
  if (!send_rows) {
    Send(v2::UnsubscribeApplied{m.request_id, m.query_set_id, std::nullopt}, CurrentStateOffset());
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto self = std::static_pointer_cast<V2ClientConnection>(shared_from_this());
  context().workers->Submit([self, slot, evaluation = std::move(*evaluation), m]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok())
      return self->FillWith(slot, v2::SubscriptionError{m.request_id, m.query_set_id, rows.error().message()});
    self->FillWith(slot, v2::UnsubscribeApplied{m.request_id, m.query_set_id, ToQueryRows(*rows)});
  });
}

void V2ClientConnection::HandleOneOffQuery(const v2::OneOffQuery& m) {
  sql::CallerContext who = caller_context();
  auto current = db().datastore().CurrentView();
  sql::DatabaseViewSchema schema(*current);
  auto statement = sql::Compile(m.query_string, schema, {sql::Language::kSql, who});
  if (!statement.ok() || !statement->is_query()) {
    std::string error = statement.ok() ? "one-off queries must be SELECT statements" : statement.error().message();
    Send(v2::OneOffQueryResult{m.request_id, error}, std::nullopt);
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto snapshot = db().Snapshot();
  auto self = std::static_pointer_cast<V2ClientConnection>(shared_from_this());
  const auto& output = statement->query().output;
  std::string table = output.kind == sql::QueryOutput::Kind::kRows ? statement->query().ReturnTable().name : "";
  context().workers->Submit([self, slot, who, snapshot, statement = std::move(*statement), m, table]() mutable {
    auto result = sql::ExecuteQuery(statement, *snapshot, who);
    if (!result.ok()) return self->FillWith(slot, v2::OneOffQueryResult{m.request_id, result.error().message()});
    v2::QueryRows rows;
    rows.tables.push_back({table, ToRowList(result->rows)});
    self->FillWith(slot, v2::OneOffQueryResult{m.request_id, std::move(rows)});
  });
}

void V2ClientConnection::HandleCallReducer(const v2::CallReducer& m) {
  host::ReducerResponse resp = db().CallReducer({m.reducer, m.args, caller().identity, connection_id(), std::nullopt});
  CountReducerCall(resp);
  v2::ReducerResult result;
  result.request_id = m.request_id;
  result.timestamp = resp.timestamp;
  std::optional<uint64_t> requires_durable;
  switch (resp.status) {
    case host::ReducerResponse::Status::kCommitted: {
      v2::ReducerOk ok;
      if (auto update = hub()->TakeCallerUpdate(client_id())) ok.transaction_update = hub()->ToWire(update->query_sets);
      result.result = std::move(ok);
      if (resp.tx && resp.tx->tx_offset) requires_durable = *resp.tx->tx_offset;
      break;
    }
    case host::ReducerResponse::Status::kFailedUser:
      result.result = v2::ReducerErr::FromMessage(resp.message);
      break;
    default:
      result.result = v2::ReducerInternalError{resp.message};
      break;
  }
  Send(result, requires_durable);
}

void V2ClientConnection::SendTransactionUpdate(const subscription::ClientUpdate& update, const host::CommitEvent& event) {
  if (update.query_sets.empty()) return;
  Send(hub()->ToWire(update.query_sets), event.tx.tx_offset);
}

void V2ClientConnection::SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) {
  Send(v2::SubscriptionError{std::nullopt, failure.subscription.id, failure.error}, std::nullopt);
}

// --- encoding (any thread) -------------------------------------------------------------------------------------

void V2ClientConnection::Send(const v2::ServerMessage& message, std::optional<uint64_t> requires_durable) {
  FillWith(Reserve(requires_durable), message);
}

void V2ClientConnection::FillWith(const Slot& slot, const v2::ServerMessage& message) {
  sats::Bytes body;
  v2::EncodeServerMessage(message, body);
  Fill(slot, std::move(body));
}

}  // namespace stdb::server

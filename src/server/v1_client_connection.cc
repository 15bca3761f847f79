#include "server/v1_client_connection.h"

#include <chrono>
#include <limits>
#include <map>
#include <type_traits>
#include <variant>

#include "sats/sats_json.h"
#include "server/protocol/bsatn_row_list.h"
#include "sql/binder/schema_source.h"
#include "sql/sql_engine.h"

namespace stdb::server {

namespace v1 = protocol::v1;
using v1::JsonRowShape;

namespace {

constexpr uint32_t kUnknownReducerId = std::numeric_limits<uint32_t>::max();

template <class F>
constexpr bool kIsJson = std::is_same_v<F, v1::JsonFormat>;

// The row types of tables, looked up only when rows are rendered as JSON.
class RowTypes {
 public:
  explicit RowTypes(const datastore::DatabaseView* view) : view_(view) {}

  const sats::AlgebraicType& Of(table::TableId id) {
    auto it = types_.find(id);
    if (it == types_.end()) {
      const table::TableView* table = view_ ? view_->Table(id) : nullptr;
      auto type = table ? sats::AlgebraicType::Product(table->layout->row_type())
                        : sats::AlgebraicType::Product(sats::ProductType{});
      it = types_.emplace(id, std::move(type)).first;
    }
    return it->second;
  }

 private:
  const datastore::DatabaseView* view_;
  std::map<table::TableId, sats::AlgebraicType> types_;
};

template <class F>
typename F::RowList MakeRows(const datastore::RowList& rows, table::TableId table, RowTypes& types,
                             JsonRowShape shape) {
  if constexpr (kIsJson<F>) {
    v1::JsonRowList out;
    out.reserve(rows.size());
    for (auto row : rows) {
      auto text = v1::RowToJson(types.Of(table), row, shape);
      // Rows come from the table they are typed by; a failure would be an internal inconsistency.
      out.push_back(text.ok() ? std::move(*text) : "null");
    }
    return out;
  } else {
    protocol::BsatnRowListBuilder builder;
    for (auto row : rows) builder.Append(row);
    return builder.Finish();
  }
}

// One query's rows in one table, on their way into a DatabaseUpdate.
struct QueryTableRows {
  table::TableId table_id;
  const std::string& table_name;
  const datastore::RowList& deletes;
  const datastore::RowList& inserts;
};

// Groups the parts by table (in order of first appearance), one QueryUpdate per part.
template <class F>
v1::DatabaseUpdate<F> MakeDatabaseUpdate(const std::vector<QueryTableRows>& parts, RowTypes& types,
                                         JsonRowShape shape) {
  v1::DatabaseUpdate<F> out;
  std::map<table::TableId, size_t> index;
  for (const auto& part : parts) {
    auto [it, added] = index.emplace(part.table_id, out.tables.size());
    if (added) out.tables.push_back({part.table_id, part.table_name, 0, {}});
    out.tables[it->second].updates.push_back({MakeRows<F>(part.deletes, part.table_id, types, shape),
                                              MakeRows<F>(part.inserts, part.table_id, types, shape)});
  }
  for (auto& table : out.tables) table.num_rows = v1::CountRows(table.updates);
  return out;
}

const datastore::RowList& NoRows() {
  static const datastore::RowList empty;
  return empty;
}

// Initial (or removed) rows of queries: inserts (or deletes).
std::vector<QueryTableRows> QueryParts(const std::vector<subscription::QueryRows>& rows, bool as_deletes) {
  std::vector<QueryTableRows> parts;
  for (const auto& q : rows)
    parts.push_back({q.query->table_id(), q.query->table_name(), as_deletes ? q.rows : NoRows(),
                     as_deletes ? NoRows() : q.rows});
  return parts;
}

// A transaction's changes.
std::vector<QueryTableRows> UpdateParts(const std::vector<subscription::TableUpdate>& tables) {
  std::vector<QueryTableRows> parts;
  for (const auto& table : tables)
    for (const auto& q : table.queries) parts.push_back({table.table_id, q->table_name(), q->deletes(), q->inserts()});
  return parts;
}

// A reducer's arguments as a client of format F sees them: BSATN, or JSON text. `sent_json` is the client's own
// JSON when it sent JSON.
template <class F>
typename F::Single ArgsFor(const sats::Bytes& bsatn, std::optional<std::string_view> sent_json,
                           const host::ReducerDef* reducer, const sats::Typespace& typespace) {
  if constexpr (kIsJson<F>) {
    if (sent_json) return std::string(*sent_json);
    if (!reducer) return "[]";
    auto type = sats::AlgebraicType::Product(reducer->params);
    auto value = sats::bsatn::DecodeValue(type, bsatn, &typespace);
    return value.ok() ? sats::sats_json::ToTypedJson(type, *value, &typespace) : "[]";
  } else {
    return bsatn;
  }
}

sats::TimeDuration MicrosSince(std::chrono::steady_clock::time_point start) {
  return sats::TimeDuration(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

// --- I/O thread ------------------------------------------------------------------------------------------------

Result<std::function<void()>> V1ClientConnection::Decode(std::string payload, bool is_text) {
  // Either frame kind is accepted on either v1 flavour; only the replies follow the negotiated one.
  Result<v1::ClientMessage> message =
      is_text ? v1::DecodeClientMessageJson(payload)
              : v1::DecodeClientMessageBsatn(
                    sats::ByteSpan(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
  if (!message.ok()) return std::move(message).error();
  auto self = std::static_pointer_cast<V1ClientConnection>(shared_from_this());
  return std::function<void()>([self, m = std::move(*message)] {
    if (self->json()) self->Handle<v1::JsonFormat>(m);
    else self->Handle<v1::BsatnFormat>(m);
  });
}

// --- database thread -------------------------------------------------------------------------------------------

void V1ClientConnection::SendHello() {
  v1::IdentityToken hello{caller().identity, caller().token, connection_id()};
  if (json()) Send<v1::JsonFormat>(hello, std::nullopt);
  else Send<v1::BsatnFormat>(hello, std::nullopt);
}

template <class F>
void V1ClientConnection::Handle(const v1::ClientMessage& message) {
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, v1::CallReducer>) HandleCallReducer<F>(m);
        else if constexpr (std::is_same_v<M, v1::Subscribe>) HandleSubscribe<F>(m);
        else if constexpr (std::is_same_v<M, v1::OneOffQuery>) HandleOneOffQuery<F>(m);
        else if constexpr (std::is_same_v<M, v1::SubscribeSingle>) HandleSubscribeById<F>(m.request_id, m.query_id, {m.query}, true);
        else if constexpr (std::is_same_v<M, v1::SubscribeMulti>) HandleSubscribeById<F>(m.request_id, m.query_id, m.query_strings, false);
        else if constexpr (std::is_same_v<M, v1::Unsubscribe>) HandleUnsubscribe<F>(m.request_id, m.query_id, true);
        else if constexpr (std::is_same_v<M, v1::UnsubscribeMulti>) HandleUnsubscribe<F>(m.request_id, m.query_id, false);
        else if constexpr (std::is_same_v<M, v1::CallProcedure>)
          Send<F>(v1::ProcedureResult<F>{v1::ProcedureInternalError{"procedure " + m.procedure +
                                                                    ": procedures are not supported by this server yet"},
                                         sats::Timestamp::Now(), sats::TimeDuration(0), m.request_id},
                  std::nullopt);
      },
      message);
}

template <class F>
void V1ClientConnection::HandleCallReducer(const v1::CallReducer& m) {
  const host::ModuleDef& def = db().module_def();
  auto id = def.FindReducer(m.reducer);
  const host::ReducerDef* reducer = id ? &def.reducers()[*id] : nullptr;
  std::optional<std::string_view> sent_json;
  if (m.args.is_json()) sent_json = m.args.json_text();
  auto reply = [&](v1::UpdateStatus<F> status, sats::Timestamp timestamp, sats::TimeDuration took,
                   const sats::Bytes& args, uint32_t reducer_id, std::optional<uint64_t> requires_durable) {
    v1::TransactionUpdate<F> update;
    update.status = std::move(status);
    update.timestamp = timestamp;
    update.caller_identity = caller().identity;
    update.caller_connection_id = connection_id();
    update.reducer_call = {m.reducer, reducer_id, ArgsFor<F>(args, sent_json, reducer, def.typespace()), m.request_id};
    update.total_host_execution_duration = took;
    Send<F>(update, requires_durable);
  };

  sats::Bytes args;
  if (m.args.is_json()) {
    if (!reducer)
      return reply(v1::Failed{"No such reducer: " + m.reducer}, sats::Timestamp::Now(), sats::TimeDuration(0), {},
                   kUnknownReducerId, std::nullopt);
    auto value = sats::sats_json::Read(sats::AlgebraicType::Product(reducer->params), *sent_json, &def.typespace());
    if (!value.ok())
      return reply(v1::Failed{"invalid arguments for reducer " + m.reducer + ": " + value.error().message()},
                   sats::Timestamp::Now(), sats::TimeDuration(0), {}, *id, std::nullopt);
    args = sats::bsatn::EncodeValue(*value);
  } else {
    args = m.args.data;
  }

  const bool notify_success = m.flags == v1::CallReducerFlags::kFullUpdate;
  caller_takes_update_ = notify_success;
  host::ReducerResponse resp = db().CallReducer({m.reducer, args, caller().identity, connection_id(), std::nullopt});
  caller_takes_update_ = false;
  CountReducerCall(resp);
  sats::TimeDuration took(resp.duration.count());
  uint32_t reducer_id = resp.status == host::ReducerResponse::Status::kNoSuchReducer ? kUnknownReducerId
                                                                                      : resp.reducer_id;
  if (!resp.committed())
    return reply(v1::Failed{resp.message}, resp.timestamp, took, args, reducer_id, std::nullopt);
  if (!notify_success) return;  // the caller heard of its changes like any other subscriber
  v1::Committed<F> committed;
  if (auto update = hub()->TakeCallerUpdate(client_id())) {
    std::unique_ptr<datastore::DatabaseView> view;
    if constexpr (kIsJson<F>) view = db().datastore().CurrentView();
    RowTypes types(view.get());
    committed.update = MakeDatabaseUpdate<F>(UpdateParts(update->tables), types, JsonRowShape::kDeltaRow);
  }
  std::optional<uint64_t> offset = resp.tx ? resp.tx->tx_offset : std::nullopt;
  reply(std::move(committed), resp.timestamp, took, args, reducer_id, offset);
}

void V1ClientConnection::SendTransactionUpdate(const subscription::ClientUpdate& update, const host::CommitEvent& event) {
  if (update.tables.empty()) return;
  if (json()) SendTransactionUpdateAs<v1::JsonFormat>(update, event);
  else SendTransactionUpdateAs<v1::BsatnFormat>(update, event);
}

template <class F>
void V1ClientConnection::SendTransactionUpdateAs(const subscription::ClientUpdate& update,
                                                 const host::CommitEvent& event) {
  RowTypes types(&event.state());
  auto changes = MakeDatabaseUpdate<F>(UpdateParts(update.tables), types, JsonRowShape::kDeltaRow);
  const host::ModuleDef& def = db().module_def();
  if (params().light || def.version() == host::RawModuleDefVersion::kV10) {
    Send<F>(v1::TransactionUpdateLight<F>{0, std::move(changes)}, event.tx.tx_offset);
    return;
  }
  v1::TransactionUpdate<F> full;
  full.status = v1::Committed<F>{std::move(changes)};
  full.timestamp = sats::Timestamp::Now();
  if (const host::ReducerRequest* call = event.reducer) {
    full.caller_identity = call->caller;
    full.caller_connection_id = call->connection_id;
    auto id = event.reducer_id;
    const host::ReducerDef* reducer = id && *id < def.reducers().size() ? &def.reducers()[*id] : nullptr;
    full.reducer_call = {call->reducer, id.value_or(kUnknownReducerId),
                         ArgsFor<F>(call->args, std::nullopt, reducer, def.typespace()), 0};
  }
  Send<F>(full, event.tx.tx_offset);
}

void V1ClientConnection::SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) {
  std::optional<uint32_t> query_id;
  if (failure.subscription.kind == subscription::SubscriptionKind::kQueryId) query_id = failure.subscription.id;
  v1::SubscriptionError error{0, std::nullopt, query_id, std::nullopt, failure.error};
  if (json()) Send<v1::JsonFormat>(error, std::nullopt);
  else Send<v1::BsatnFormat>(error, std::nullopt);
}

template <class F>
void V1ClientConnection::HandleSubscribe(const v1::Subscribe& m) {
  auto start = std::chrono::steady_clock::now();
  auto& subs = hub()->subscriptions();
  auto current = db().datastore().CurrentView();
  auto fail = [&](std::string error) {
    Send<F>(v1::SubscriptionError{0, m.request_id, std::nullopt, std::nullopt, std::move(error)}, std::nullopt);
  };
  auto prepared = subs.Prepare(caller_context(), m.query_strings, *current);
  if (!prepared.ok()) return fail(prepared.error().message());
  auto snapshot = db().Snapshot();
  auto evaluation = subs.Register(client_id(), subscription::SubscriptionId::Legacy(), *prepared, snapshot);
  if (!evaluation.ok()) return fail(evaluation.error().message());
  Slot slot = Reserve(CurrentStateOffset());
  auto self = std::static_pointer_cast<V1ClientConnection>(shared_from_this());
  context().workers->Submit([self, slot, snapshot, start, evaluation = std::move(*evaluation),
                             request_id = m.request_id]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) {
      self->FillWith<F>(slot, v1::SubscriptionError{0, request_id, std::nullopt, std::nullopt, rows.error().message()});
      return;
    }
    RowTypes types(snapshot.get());
    auto update = MakeDatabaseUpdate<F>(QueryParts(*rows, false), types, JsonRowShape::kTableRow);
    self->FillWith<F>(slot, v1::InitialSubscription<F>{std::move(update), request_id, MicrosSince(start)});
  });
}

template <class F>
void V1ClientConnection::HandleSubscribeById(uint32_t request_id, uint32_t query_id,
                                             const std::vector<std::string>& texts, bool single) {
  auto start = std::chrono::steady_clock::now();
  auto& subs = hub()->subscriptions();
  auto current = db().datastore().CurrentView();
  auto fail = [&](std::string error) {
    Send<F>(v1::SubscriptionError{0, request_id, query_id, std::nullopt, std::move(error)}, std::nullopt);
  };
  subscription::PrepareOptions options;
  if (single) options = {.trim = false, .allow_all_tables = false};
  auto prepared = subs.Prepare(caller_context(), texts, *current, options);
  if (!prepared.ok()) return fail(prepared.error().message());
  auto snapshot = db().Snapshot();
  auto evaluation = subs.Register(client_id(), subscription::SubscriptionId::QueryId(query_id), *prepared, snapshot);
  if (!evaluation.ok()) return fail(evaluation.error().message());
  // SubscribeApplied names the table even when the client already held the query (no rows to send).
  std::shared_ptr<const subscription::CompiledQuery> first = prepared->queries.empty() ? nullptr : prepared->queries[0];
  Slot slot = Reserve(CurrentStateOffset());
  auto self = std::static_pointer_cast<V1ClientConnection>(shared_from_this());
  context().workers->Submit([self, slot, snapshot, start, single, request_id, query_id, first,
                             evaluation = std::move(*evaluation)]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) {
      self->FillWith<F>(slot, v1::SubscriptionError{0, request_id, query_id, std::nullopt, rows.error().message()});
      self->db().Post([self, query_id] {
        (void)self->hub()->subscriptions().Unsubscribe(self->client_id(),
                                                       subscription::SubscriptionId::QueryId(query_id), nullptr);
      });
      return;
    }
    RowTypes types(snapshot.get());
    auto update = MakeDatabaseUpdate<F>(QueryParts(*rows, false), types, JsonRowShape::kTableRow);
    uint64_t micros = uint64_t(MicrosSince(start).micros());
    if (!single) {
      self->FillWith<F>(slot, v1::SubscribeMultiApplied<F>{request_id, micros, query_id, std::move(update)});
      return;
    }
    v1::SubscribeRows<F> table;
    if (!update.tables.empty()) table.table_rows = std::move(update.tables[0]);
    else if (first) table.table_rows = {first->table_id(), first->table_name(), 0, {}};
    table.table_id = table.table_rows.table_id;
    table.table_name = table.table_rows.table_name;
    self->FillWith<F>(slot, v1::SubscribeApplied<F>{request_id, micros, query_id, std::move(table)});
  });
}

template <class F>
void V1ClientConnection::HandleUnsubscribe(uint32_t request_id, uint32_t query_id, bool single) {
  auto start = std::chrono::steady_clock::now();
  auto snapshot = db().Snapshot();
  auto evaluation =
      hub()->subscriptions().Unsubscribe(client_id(), subscription::SubscriptionId::QueryId(query_id), snapshot);
  if (!evaluation.ok()) {
    Send<F>(v1::SubscriptionError{0, request_id, query_id, std::nullopt, evaluation.error().message()}, std::nullopt);
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto self = std::static_pointer_cast<V1ClientConnection>(shared_from_this());
  context().workers->Submit([self, slot, snapshot, start, single, request_id, query_id,
                             evaluation = std::move(*evaluation)]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) {
      self->FillWith<F>(slot, v1::SubscriptionError{0, request_id, query_id, std::nullopt, rows.error().message()});
      return;
    }
    RowTypes types(snapshot.get());
    auto removed = MakeDatabaseUpdate<F>(QueryParts(*rows, true), types, JsonRowShape::kTableRow);
    uint64_t micros = uint64_t(MicrosSince(start).micros());
    if (!single) {
      self->FillWith<F>(slot, v1::UnsubscribeMultiApplied<F>{request_id, micros, query_id, std::move(removed)});
      return;
    }
    v1::SubscribeRows<F> table;
    if (!removed.tables.empty()) {
      table.table_rows = std::move(removed.tables[0]);
      table.table_id = table.table_rows.table_id;
      table.table_name = table.table_rows.table_name;
    }
    self->FillWith<F>(slot, v1::UnsubscribeApplied<F>{request_id, micros, query_id, std::move(table)});
  });
}

template <class F>
void V1ClientConnection::HandleOneOffQuery(const v1::OneOffQuery& m) {
  auto start = std::chrono::steady_clock::now();
  sql::CallerContext who = caller_context();
  auto current = db().datastore().CurrentView();
  sql::DatabaseViewSchema schema(*current);
  auto statement = sql::Compile(m.query_string, schema, {sql::Language::kSql, who});
  if (!statement.ok() || !statement->is_query()) {
    std::string error = statement.ok() ? "one-off queries must be SELECT statements" : statement.error().message();
    Send<F>(v1::OneOffQueryResponse<F>{m.message_id, error, {}, MicrosSince(start)}, std::nullopt);
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto snapshot = db().Snapshot();
  auto self = std::static_pointer_cast<V1ClientConnection>(shared_from_this());
  context().workers->Submit([self, slot, who, snapshot, start, statement = std::move(*statement), m]() mutable {
    auto result = sql::ExecuteQuery(statement, *snapshot, who);
    if (!result.ok()) {
      self->FillWith<F>(slot, v1::OneOffQueryResponse<F>{m.message_id, result.error().message(), {}, MicrosSince(start)});
      return;
    }
    v1::OneOffTable<F> table;
    if constexpr (kIsJson<F>) {
      // The rows follow the statement's output type (a projection or COUNT has its own columns).
      auto type = sats::AlgebraicType::Product(result->schema);
      for (auto row : result->rows) {
        auto text = v1::RowToJson(type, row, JsonRowShape::kTableRow);
        table.rows.push_back(text.ok() ? std::move(*text) : "null");
      }
    } else {
      RowTypes unused(nullptr);
      table.rows = MakeRows<F>(result->rows, 0, unused, JsonRowShape::kTableRow);
    }
    const auto& output = statement.query().output;
    table.table_name = output.kind == sql::QueryOutput::Kind::kRows ? statement.query().ReturnTable().name : "";
    self->FillWith<F>(slot, v1::OneOffQueryResponse<F>{m.message_id, std::nullopt, {std::move(table)}, MicrosSince(start)});
  });
}

// --- encoding (any thread) -------------------------------------------------------------------------------------

template <class F>
void V1ClientConnection::FillWith(const Slot& slot, const v1::ServerMessage<F>& message) {
  sats::Bytes body;
  if constexpr (kIsJson<F>) {
    std::string text;
    v1::EncodeServerMessage(message, text);
    body.assign(text.begin(), text.end());
  } else {
    v1::EncodeServerMessage(message, body);
  }
  Fill(slot, std::move(body));
}

}  // namespace stdb::server

#include "sql/execution/index_target.h"

#include "table/index_key.h"

namespace stdb::sql {

IndexTarget IndexTarget::For(const table::TableSchema& table, const table::IndexSchema& index) {
  IndexTarget t;
  t.table_id = table.table_id;
  t.table_name = table.name;
  t.index_id = index.index_id;
  t.index_name = index.name;
  t.columns = index.columns;
  for (table::ColId c : index.columns) t.key_types.push_back(table.columns[c].type);
  t.shape = table::KeyShapeFor(t.key_types);
  t.unique = index.unique;
  return t;
}

void IndexTarget::AppendColumn(size_t key_col, sats::ByteSpan bsatn, table::IndexKey& key) const {
  if (shape == table::KeyShape::kU64) {
    key.u64 = table::U64Key(key_types[key_col], bsatn.data());
    return;
  }
  sats::bsatn::Reader r(bsatn);
  table::AppendBytesKey(key_types[key_col], r, key.bytes);
}

std::string IndexTarget::Describe(const table::TableSchema& table) const {
  std::string out = index_name + " on " + table.name + "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += table.columns[columns[i]].name;
  }
  return out + ")";
}

KeyValue KeyValue::From(const Operand& operand) {
  KeyValue v;
  switch (operand.kind) {
    case Operand::Kind::kSender:
      v.source = operand.type.IsBytes() ? Source::kSenderBytes : Source::kSender;
      v.text = ":sender";
      break;
    default:
      v.source = Source::kLiteral;
      v.literal = sats::bsatn::EncodeValue(operand.value);
      v.text = operand.value.is<std::string>() ? "'" + operand.value.AsString() + "'" : operand.value.ToString();
      break;
  }
  return v;
}

}  // namespace stdb::sql

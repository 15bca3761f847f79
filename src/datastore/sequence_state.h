// SequenceState: the in-memory counter of one sequence (auto-increment column), spec/data-layer.md §2.4.
//
// `next` is the value the next insert gets; `allocated` is the value persisted in st_sequence.allocated, the first
// value that may be handed out after a restart. Values are handed out from memory until `next` reaches
// `allocated`; then a block of kAllocationStep values is reserved by rewriting the st_sequence row inside the
// current transaction. Unlike the reference, both fields are transactional (the transaction's undo log restores
// them on rollback), so a rolled-back block reservation can never let a value be handed out twice after a crash.
//
// Values are i128 and bounded by the column type as well as by the sequence's own min/max: when `next` would pass
// the maximum it wraps to the minimum, like the reference (the unique constraint then reports the collision).
//
// Thread-safety: plain value owned by the datastore (writer thread).
#pragma once

#include <cstdint>

#include "sats/wide_int.h"
#include "table/table_schema.h"

namespace stdb::datastore {

inline constexpr sats::i128 kSequenceAllocationStep = 4096;

struct SequenceState {
  table::SequenceSchema schema;
  table::TableId table_id = 0;
  sats::i128 next = 1;
  sats::i128 allocated = 1;
  sats::i128 min = 1;  // effective bounds: sequence bounds intersected with the column type's range
  sats::i128 max = 1;

  // The value after `v`, wrapping past the bounds.
  sats::i128 Step(sats::i128 v) const {
    sats::i128 inc = schema.increment;
    if (inc > 0) return v > max - inc ? min : v + inc;
    return v < min - inc ? max : v + inc;
  }
  // The `allocated` mark for a block starting at `from`, clamped to the bounds.
  sats::i128 BlockEnd(sats::i128 from) const {
    sats::i128 inc = schema.increment;
    sats::i128 span = inc * kSequenceAllocationStep;
    if (inc > 0) return from > max - span ? max : from + span;
    return from < min - span ? min : from + span;
  }
};

// The range of values a column of `type` can hold, as i128 (u128/i256/u256 columns are clamped to i128).
void ColumnIntegerRange(const sats::AlgebraicType& type, sats::i128* min, sats::i128* max);

}  // namespace stdb::datastore

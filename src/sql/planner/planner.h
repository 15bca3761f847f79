// Planner: LogicalQuery -> PhysicalPlan (spec/data-layer.md §4.4, with better index use than the reference).
//
// Per fragment the planner
//   1. sorts the conditions: those on one relation (pushed down to its scan), equalities between columns of two
//      relations (join edges), and the rest (applied as soon as all their relations are joined);
//   2. picks each relation's access path (access_path.h): an index point or range scan when its conditions allow;
//   3. orders the joins, left-deep: it starts from the relation with the most selective access (a bound row list
//      always comes first), then repeatedly adds a relation connected by a join edge, preferring one reachable
//      through a unique index, then through any index, then by hash join; unconnected relations come last, in a
//      nested-loop join;
//   4. joins each new relation by an index nested-loop join when it has an index on its join column (leading
//      index columns fixed by constants are folded into the probe), else by a hash join building on its filtered
//      rows, else (no equality) by a nested-loop join.
// Then the output: projection of whole rows or columns, COUNT(*), LIMIT; fragments of a union are concatenated.
//
// A relation listed in PlanOptions::row_list_relations is read from a row list bound at execution instead of its
// table: this is how subscriptions evaluate a query on the rows a transaction changed.
//
// Thread-safety: pure function; the resulting plan is immutable and may be executed concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sats/result.h"
#include "sql/binder/schema_source.h"
#include "sql/execution/physical_operator.h"
#include "sql/planner/logical_query.h"

namespace stdb::sql {

struct PlanOptions {
  std::vector<uint32_t> row_list_relations;
};

// How the plan reads a relation: the first relation of a join order through its access path, every other one
// through the join that adds it. Subscriptions use it to check that a delta plan reaches every table through an
// index, so that its cost follows the size of the delta and not of the tables.
enum class RelationRead : uint8_t { kRowList, kTableScan, kIndexScan, kIndexJoin, kHashJoin, kNestedLoopJoin };

struct PhysicalPlan {
  PhysicalOperatorPtr root;
  sats::ProductType result_type;
  size_t tuple_width = 0;  // the most relations of any fragment
  bool uses_sender = false;
  // Per fragment of the query, per relation: how it is read.
  std::vector<std::vector<RelationRead>> relation_reads;
  // The operator tree, one operator per line.
  std::string Explain() const;
};

// `statistics` (may be null) gives table sizes for ordering joins.
Result<std::unique_ptr<PhysicalPlan>> PlanQuery(const LogicalQuery& query, const SchemaSource* statistics,
                                                const PlanOptions& options = {});

}  // namespace stdb::sql

// keynote-transfer: the bank-transfer workload of the SpacetimeDB keynote benchmark.
//
// `seed` resets the table to n accounts holding the same balance; `transfer` moves money between two accounts
// in one transaction, or fails (and changes nothing) if either account is unknown or the payer is short.
#include <spacetimedb.h>

using namespace SpacetimeDB;

struct Account {
  uint32_t id;
  int64_t balance;
};
SPACETIMEDB_STRUCT(Account, id, balance);
SPACETIMEDB_TABLE(Account, accounts, Public);
FIELD_PrimaryKey(accounts, id);

SPACETIMEDB_REDUCER(seed, ReducerContext ctx, uint32_t n, int64_t balance) {
  ctx.db[accounts].clear();
  for (uint32_t id = 0; id < n; ++id) {
    ctx.db[accounts].insert(Account{id, balance});
  }
  LOG_INFO_F("seeded %u accounts with balance %lld", n, static_cast<long long>(balance));
  return Ok();
}

SPACETIMEDB_REDUCER(transfer, ReducerContext ctx, uint32_t from, uint32_t to, int64_t amount) {
  if (from == to) {
    return Err("same_account");
  }
  if (amount <= 0) {
    return Err("non_positive_amount");
  }
  auto payer = ctx.db[accounts_id].find(from);
  auto payee = ctx.db[accounts_id].find(to);
  if (!payer || !payee) {
    return Err("account_missing");
  }
  if (payer->balance < amount) {
    return Err("insufficient_funds");
  }
  payer->balance -= amount;
  payee->balance += amount;
  ctx.db[accounts_id].update(*payer);
  ctx.db[accounts_id].update(*payee);
  return Ok();
}

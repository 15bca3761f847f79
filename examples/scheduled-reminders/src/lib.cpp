// scheduled-reminders: scheduled reducers.
//
// Every row of `reminder_schedule` is a pending call of `send_reminder`: its ScheduleAt says when (an Interval
// repeats, a Time fires once and the host then deletes the row), and the host passes the whole row to the
// reducer. `send_reminder` records each firing in `firing`, which clients can subscribe to. `init` starts one
// repeating and one one-shot reminder; clients add more with `schedule_reminder` and stop them with
// `cancel_reminder` (deleting the row is how a schedule is cancelled).
#include <spacetimedb.h>

using namespace SpacetimeDB;

struct Reminder {
  uint64_t scheduled_id;
  ScheduleAt scheduled_at;
  std::string message;
};
SPACETIMEDB_STRUCT(Reminder, scheduled_id, scheduled_at, message);
SPACETIMEDB_TABLE(Reminder, reminder_schedule, Private);
FIELD_PrimaryKeyAutoInc(reminder_schedule, scheduled_id);
SPACETIMEDB_SCHEDULE(reminder_schedule, 1, send_reminder);

struct Firing {
  uint64_t id;
  uint64_t scheduled_id;
  std::string message;
  Timestamp fired_at;
};
SPACETIMEDB_STRUCT(Firing, id, scheduled_id, message, fired_at);
SPACETIMEDB_TABLE(Firing, firing, Public);
FIELD_PrimaryKeyAutoInc(firing, id);
FIELD_Index(firing, scheduled_id);

SPACETIMEDB_INIT(init, ReducerContext ctx) {
  ctx.db[reminder_schedule].insert(Reminder{0, TimeDuration::from_seconds(1), "every second"});
  ctx.db[reminder_schedule].insert(Reminder{0, ctx.timestamp + TimeDuration::from_seconds(5), "once, after five seconds"});
  return Ok();
}

// Called by the scheduler with the schedule row; Private, so clients cannot call it.
SPACETIMEDB_REDUCER(send_reminder, ReducerContext ctx, Reminder reminder) {
  ctx.db[firing].insert(Firing{0, reminder.scheduled_id, reminder.message, ctx.timestamp});
  LOG_INFO("reminder " + std::to_string(reminder.scheduled_id) + ": " + reminder.message);
  return Ok();
}

SPACETIMEDB_REDUCER(schedule_reminder, ReducerContext ctx, std::string message, uint64_t delay_millis) {
  if (message.empty()) {
    return Err("a reminder needs a message");
  }
  const auto delay = TimeDuration::from_millis(static_cast<int64_t>(delay_millis));
  ctx.db[reminder_schedule].insert(Reminder{0, ctx.timestamp + delay, message});
  return Ok();
}

SPACETIMEDB_REDUCER(cancel_reminder, ReducerContext ctx, uint64_t scheduled_id) {
  if (!ctx.db[reminder_schedule_scheduled_id].delete_by_key(scheduled_id)) {
    return Err("no reminder " + std::to_string(scheduled_id));
  }
  return Ok();
}

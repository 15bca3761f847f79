// scheduled-reminders: the schedule table and its Schedules entry in the module definition, init's interval
// and one-shot rows, and the scheduled reducer recording each firing when called the way the host's scheduler
// calls it (sender = the database, the whole row as the argument).
#include <gtest/gtest.h>

#include "fake_host.h"
#include "sats/special_types.h"

namespace stdb::sdk_test {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

constexpr int64_t kInitTime = 1700000000000000;

class ScheduledReminders : public ::testing::Test {
 protected:
  void SetUp() override { host.LoadModule(); }
  void TearDown() override { EXPECT_EQ(host.violations, std::vector<std::string>{}); }
  ReducerCall Call(std::string_view reducer, const sats::Bytes& args, int64_t timestamp) {
    return host.CallReducer(reducer, args, host.database_identity, 0, timestamp);
  }
  FakeHost& host = FakeHost::Get();
};

TEST_F(ScheduledReminders, DefinitionDeclaresTheScheduleTable) {
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.section_tags, (std::vector<uint8_t>{0, 1, 2, 3, 6, 7}));
  EXPECT_EQ(def.table_names(), (std::vector<std::string>{"firing", "reminder_schedule"}));

  const TableView& schedule = *def.table("reminder_schedule");
  EXPECT_EQ(def.typespace.types.at(schedule.type_ref),
            sats::NamedProduct({{"scheduled_id", T::U64()}, {"scheduled_at", T::ScheduleAt()}, {"message", T::String()}}));
  EXPECT_EQ(schedule.primary_key, (std::vector<uint16_t>{0}));
  ASSERT_EQ(schedule.sequences.size(), 1u);
  EXPECT_EQ(schedule.sequences[0].column, 0);
  EXPECT_EQ(schedule.table_access, 1);  // Private

  const TableView& firing = *def.table("firing");
  EXPECT_EQ(def.column_names(firing), (std::vector<std::string>{"id", "scheduled_id", "message", "fired_at"}));
  ASSERT_EQ(firing.indexes.size(), 2u);
  EXPECT_EQ(firing.indexes[1].source_name, "firing_scheduled_id_idx_btree");

  ASSERT_EQ(def.schedules.size(), 1u);
  EXPECT_EQ(def.schedules[0].source_name, "reminder_schedule_sched");
  EXPECT_EQ(def.schedules[0].table, "reminder_schedule");
  EXPECT_EQ(def.schedules[0].schedule_at_column, 1);
  EXPECT_EQ(def.schedules[0].function, "send_reminder");

  EXPECT_EQ(def.reducer_names(),
            (std::vector<std::string>{"init", "cancel_reminder", "schedule_reminder", "send_reminder"}));
  EXPECT_EQ(def.reducer("send_reminder")->visibility, 0);  // scheduled: Private
  EXPECT_EQ(def.reducer("send_reminder")->params, sats::ProductType({{"reminder", T::Ref(schedule.type_ref)}}));
  EXPECT_EQ(def.reducer("schedule_reminder")->visibility, 1);
  ASSERT_EQ(def.lifecycle.size(), 1u);
  EXPECT_EQ(def.lifecycle[0].kind, 0);
  EXPECT_EQ(def.lifecycle[0].function, "init");
}

TEST_F(ScheduledReminders, InitSchedulesAnIntervalAndAOneShot) {
  ASSERT_EQ(Call("init", {}, kInitTime).code, 0);
  const auto rows = host.Rows("reminder_schedule");
  ASSERT_EQ(rows.size(), 2u);
  const auto interval = sats::ScheduleAt::FromValue(rows[0].AsProduct().elements[1]);
  ASSERT_TRUE(interval.ok());
  ASSERT_TRUE(interval->is_interval());
  EXPECT_EQ(std::get<sats::TimeDuration>(interval->at).micros(), 1000000);
  const auto once = sats::ScheduleAt::FromValue(rows[1].AsProduct().elements[1]);
  ASSERT_TRUE(once.ok());
  ASSERT_FALSE(once->is_interval());
  EXPECT_EQ(std::get<sats::Timestamp>(once->at).micros_since_epoch(), kInitTime + 5000000);
  EXPECT_EQ(rows[0].AsProduct().elements[0].as<uint64_t>(), 1u);
  EXPECT_EQ(rows[1].AsProduct().elements[0].as<uint64_t>(), 2u);
}

TEST_F(ScheduledReminders, EachFiringIsRecorded) {
  ASSERT_EQ(Call("init", {}, kInitTime).code, 0);
  const auto schedule = host.Rows("reminder_schedule");
  // The scheduler fires the interval row twice and the one-shot row once.
  ASSERT_EQ(Call("send_reminder", Encode(schedule[0]), kInitTime + 1000000).code, 0);
  ASSERT_EQ(Call("send_reminder", Encode(schedule[0]), kInitTime + 2000000).code, 0);
  ASSERT_EQ(Call("send_reminder", Encode(schedule[1]), kInitTime + 5000000).code, 0);
  const auto firings = host.Rows("firing");
  ASSERT_EQ(firings.size(), 3u);
  const std::vector<std::tuple<uint64_t, uint64_t, std::string, int64_t>> expected = {
      {1, 1, "every second", kInitTime + 1000000},
      {2, 1, "every second", kInitTime + 2000000},
      {3, 2, "once, after five seconds", kInitTime + 5000000}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& f = firings[i].AsProduct().elements;
    EXPECT_EQ(f[0].as<uint64_t>(), std::get<0>(expected[i]));
    EXPECT_EQ(f[1].as<uint64_t>(), std::get<1>(expected[i]));
    EXPECT_EQ(f[2].AsString(), std::get<2>(expected[i]));
    EXPECT_EQ(sats::Timestamp::FromValue(f[3])->micros_since_epoch(), std::get<3>(expected[i]));
  }
}

TEST_F(ScheduledReminders, ClientsScheduleAndCancelReminders) {
  auto args = [](const std::string& message, uint64_t delay_millis) {
    sats::Bytes bytes = Encode(V::String(message));
    const sats::Bytes delay = Encode(V::U64(delay_millis));
    bytes.insert(bytes.end(), delay.begin(), delay.end());
    return bytes;
  };
  ReducerCall call = Call("schedule_reminder", args("", 10), kInitTime);
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "a reminder needs a message");
  ASSERT_EQ(Call("schedule_reminder", args("tea", 1500), kInitTime).code, 0);
  const auto rows = host.Rows("reminder_schedule");
  ASSERT_EQ(rows.size(), 1u);
  const auto at = sats::ScheduleAt::FromValue(rows[0].AsProduct().elements[1]);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(std::get<sats::Timestamp>(at->at).micros_since_epoch(), kInitTime + 1500000);

  call = Call("cancel_reminder", Encode(V::U64(1)), kInitTime);
  EXPECT_EQ(call.code, 0) << call.error;
  EXPECT_TRUE(host.Rows("reminder_schedule").empty());
  call = Call("cancel_reminder", Encode(V::U64(1)), kInitTime);
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "no reminder 1");
}

}  // namespace
}  // namespace stdb::sdk_test

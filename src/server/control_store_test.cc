#include "server/control_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace stdb::server {
namespace {

sats::Identity Id(char c) { return *sats::Identity::FromHex("c200" + std::string(60, c)); }

TEST(ControlStore, PersistsAcrossReopen) {
  std::string path = ::testing::TempDir() + "/control_store_test.json";
  std::filesystem::remove(path);
  {
    auto store = ControlStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->Put({Id('1'), Id('a'), {"chat"}, "Wasm"}).ok());
    ASSERT_TRUE(store->Put({Id('2'), Id('a'), {}, "Wasm"}).ok());
    ASSERT_TRUE(store->Put({Id('1'), Id('a'), {"chat", "chat-two"}, "Wasm"}).ok());
    ASSERT_TRUE(store->Remove(Id('2')).ok());
  }
  auto reopened = ControlStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  ASSERT_EQ(reopened->databases().size(), 1u);
  EXPECT_EQ(reopened->databases()[0].names, (std::vector<std::string>{"chat", "chat-two"}));
  EXPECT_EQ(reopened->FindByName("chat-two"), Id('1'));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove(path);
}

TEST(ControlStore, DamagedFileIsAClearError) {
  std::string path = ::testing::TempDir() + "/control_store_bad.json";
  std::ofstream(path) << "{\"databases\": [{\"identity\": \"zz\"";
  auto store = ControlStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("damaged"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(ControlStore, DatabaseNames) {
  for (const char* good : {"chat", "a", "my-db-2", "x1-y2"}) EXPECT_TRUE(IsValidDatabaseName(good)) << good;
  for (const char* bad : {"", "-a", "a-", "a--b", "Chat", "a_b", "a.b", "é"}) EXPECT_FALSE(IsValidDatabaseName(bad)) << bad;
}

}  // namespace
}  // namespace stdb::server

#include "auth/key_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace stdb::auth {
namespace {

namespace fs = std::filesystem;

class KeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "stdb_key_store_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void WriteFile(const fs::path& path, std::string_view contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
  }

  fs::path dir_;
};

TEST_F(KeyStoreTest, CreatesKeysOnFirstStart) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_ / "nested" / "config");
  auto keys = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(keys.ok()) << keys.error().message();
  EXPECT_TRUE(keys->created);
  EXPECT_EQ(paths.private_key.filename(), "id_ecdsa");
  EXPECT_EQ(paths.public_key.filename(), "id_ecdsa.pub");

  std::string private_pem = ReadFile(paths.private_key);
  std::string public_pem = ReadFile(paths.public_key);
  EXPECT_EQ(private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  EXPECT_EQ(keys->public_key_pem, public_pem);

  struct stat st;
  ASSERT_EQ(::stat(paths.private_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& entry : fs::directory_iterator(paths.private_key.parent_path())) {
    EXPECT_EQ(entry.path().extension(), entry.path().filename() == "id_ecdsa.pub" ? ".pub" : "")
        << "leftover file " << entry.path();
  }
}

TEST_F(KeyStoreTest, ReloadsTheSameKey) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  auto first = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto second = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_FALSE(second->created);
  EXPECT_TRUE(second->keys.public_key() == first->keys.public_key());
  EXPECT_EQ(second->public_key_pem, first->public_key_pem);

  auto signature = first->keys.Sign("token");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(second->keys.public_key().Verify("token", *signature).ok());
}

TEST_F(KeyStoreTest, RejectsACorruptPrivateKey) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  ASSERT_TRUE(LoadOrCreateServerKeys(paths).ok());
  std::string pem = ReadFile(paths.private_key);
  pem[40] = pem[40] == 'A' ? 'B' : 'A';  // damage the base64 body
  pem.resize(pem.size() / 2);
  WriteFile(paths.private_key, pem);

  auto r = LoadOrCreateServerKeys(paths);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find(paths.private_key.string()), std::string::npos) << r.error().message();
  EXPECT_EQ(ReadFile(paths.private_key), pem);  // never replaced
}

TEST_F(KeyStoreTest, RejectsACorruptPublicKey) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  ASSERT_TRUE(LoadOrCreateServerKeys(paths).ok());
  WriteFile(paths.public_key, "garbage\n");
  auto r = LoadOrCreateServerKeys(paths);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find("public key file"), std::string::npos) << r.error().message();
}

TEST_F(KeyStoreTest, RejectsKeysThatDoNotBelongTogether) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  ASSERT_TRUE(LoadOrCreateServerKeys(paths).ok());
  auto other = Es256KeyPair::Generate();
  ASSERT_TRUE(other.ok());
  WriteFile(paths.public_key, other->public_key().ToPem());
  auto r = LoadOrCreateServerKeys(paths);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find("does not belong"), std::string::npos) << r.error().message();
}

TEST_F(KeyStoreTest, PublicKeyAloneIsAnErrorAndIsLeftAlone) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  auto other = Es256KeyPair::Generate();
  ASSERT_TRUE(other.ok());
  std::string pem = other->public_key().ToPem();
  WriteFile(paths.public_key, pem);
  auto r = LoadOrCreateServerKeys(paths);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(paths.private_key));
  EXPECT_EQ(ReadFile(paths.public_key), pem);
}

TEST_F(KeyStoreTest, MissingPublicKeyIsRederivedFromThePrivateKey) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  auto first = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(first.ok());
  fs::remove(paths.public_key);
  auto second = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_FALSE(second->created);
  EXPECT_TRUE(second->keys.public_key() == first->keys.public_key());
  EXPECT_EQ(ReadFile(paths.public_key), first->public_key_pem);
}

// A key path that exists but cannot be read is an I/O error, never a reason to generate a new key.
TEST_F(KeyStoreTest, UnreadableKeyFileIsAnIoError) {
  ServerKeyPaths paths = ServerKeyPaths::InDirectory(dir_);
  fs::create_directory(paths.private_key);  // reading a directory fails with EISDIR, even for root
  auto r = LoadOrCreateServerKeys(paths);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_NE(r.error().message().find(paths.private_key.string()), std::string::npos) << r.error().message();
  EXPECT_FALSE(fs::exists(paths.public_key));
}

TEST_F(KeyStoreTest, SeparatePathsLikeTheReferenceFlags) {
  ServerKeyPaths paths{dir_ / "priv" / "signing.pem", dir_ / "pub" / "verify.pem"};
  auto created = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(created.ok()) << created.error().message();
  auto loaded = LoadOrCreateServerKeys(paths);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_TRUE(loaded->keys.public_key() == created->keys.public_key());
}

}  // namespace
}  // namespace stdb::auth

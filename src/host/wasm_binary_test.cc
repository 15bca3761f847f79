#include "host/wasm_binary.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace stdb::host {
namespace {

using Bytes = std::vector<uint8_t>;

void Leb(Bytes& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

void Name(Bytes& out, const std::string& s) {
  Leb(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

// Builds a module from sections given as (id, payload).
Bytes Module(std::initializer_list<std::pair<uint8_t, Bytes>> sections) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const auto& [id, payload] : sections) {
    out.push_back(id);
    Leb(out, static_cast<uint32_t>(payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
  }
  return out;
}

// type 0: (i32, i64) -> (i32); type 1: () -> ()
Bytes TypeSection() {
  return {0x02, 0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7F, 0x60, 0x00, 0x00};
}

// A module that imports env.f (type 0), defines function 1 (type 1) and one memory, and exports both
// functions and the memory.
Bytes SampleModule(Bytes memory_limits) {
  Bytes imports = {0x01};
  Name(imports, "env");
  Name(imports, "f");
  imports.insert(imports.end(), {0x00, 0x00});
  Bytes functions = {0x01, 0x01};
  Bytes memories = {0x01};
  memories.insert(memories.end(), memory_limits.begin(), memory_limits.end());
  Bytes exports = {0x03};
  Name(exports, "reexported");
  exports.insert(exports.end(), {0x00, 0x00});
  Name(exports, "run");
  exports.insert(exports.end(), {0x00, 0x01});
  Name(exports, "memory");
  exports.insert(exports.end(), {0x02, 0x00});
  Bytes code = {0x01, 0x02, 0x00, 0x0B};
  Bytes custom;
  Name(custom, "note");
  custom.insert(custom.end(), {'h', 'i'});
  return Module({{1, TypeSection()},
                 {2, imports},
                 {3, functions},
                 {5, memories},
                 {7, exports},
                 {10, code},
                 {0, custom}});
}

TEST(WasmBinaryTest, ReadsImportsExportsAndMemories) {
  auto info = ReadWasmModuleInfo(SampleModule({0x01, 0x02, 0x10}));
  ASSERT_TRUE(info.ok()) << info.error().message();
  ASSERT_EQ(info->imports.size(), 1u);
  EXPECT_EQ(info->imports[0].QualifiedName(), "env.f");
  EXPECT_EQ(info->imports[0].type.ToString(), "(i32, i64) -> (i32)");
  ASSERT_EQ(info->exports.size(), 3u);
  EXPECT_EQ(info->exports[0].name, "reexported");
  EXPECT_EQ(info->exports[0].type, info->imports[0].type);  // function 0 is the import
  EXPECT_EQ(info->exports[1].type.ToString(), "() -> ()");
  EXPECT_EQ(info->exports[2].kind, ExternKind::kMemory);
  ASSERT_EQ(info->memories.size(), 1u);
  EXPECT_EQ(info->memories[0].initial_pages, 2u);
  EXPECT_EQ(info->memories[0].maximum_pages, std::optional<uint32_t>(16));
}

TEST(WasmBinaryTest, RejectsBadPreamble) {
  Bytes bad_magic = {0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00};
  auto r = ReadWasmModuleInfo(bad_magic);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  EXPECT_NE(r.error().message().find("magic"), std::string::npos);
  Bytes version2 = {0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00};
  EXPECT_NE(ReadWasmModuleInfo(version2).error().message().find("version"), std::string::npos);
  EXPECT_FALSE(ReadWasmModuleInfo(Bytes{}).ok());
}

TEST(WasmBinaryTest, RejectsOverlongAndOversizedLeb128) {
  Bytes too_wide = Module({});
  too_wide.insert(too_wide.end(), {0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});  // > 32 bits
  auto r = ReadWasmModuleInfo(too_wide);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("exceeds 32 bits"), std::string::npos) << r.error().message();

  Bytes section_past_end = Module({});
  section_past_end.insert(section_past_end.end(), {0x01, 0x10, 0x00});
  r = ReadWasmModuleInfo(section_past_end);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("offset 10"), std::string::npos) << r.error().message();
}

TEST(WasmBinaryTest, ForgedCountsAndIndexesAreRefusedBeforeAllocating) {
  Bytes huge_import_count;
  Leb(huge_import_count, 0xFFFFFFFF);
  auto r = ReadWasmModuleInfo(Module({{2, huge_import_count}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("exceeds the bytes that remain"), std::string::npos)
      << r.error().message();

  Bytes bad_type_index = {0x01, 0x07};  // one function of type 7, but there is no type section
  r = ReadWasmModuleInfo(Module({{3, bad_type_index}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("type index 7 out of range"), std::string::npos) << r.error().message();

  Bytes bad_export = {0x01};
  Name(bad_export, "x");
  bad_export.insert(bad_export.end(), {0x00, 0x05});
  r = ReadWasmModuleInfo(Module({{7, bad_export}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("function index 5 out of range"), std::string::npos)
      << r.error().message();
}

TEST(WasmBinaryTest, UnsupportedConstructsSayWhat) {
  Bytes memory64 = {0x01, 0x04, 0x01};
  auto r = ReadWasmModuleInfo(Module({{5, memory64}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnsupported);
  Bytes struct_type = {0x01, 0x5F, 0x00, 0x00};
  r = ReadWasmModuleInfo(Module({{1, struct_type}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("unsupported type form 0x5f"), std::string::npos) << r.error().message();
}

TEST(WasmBinaryTest, EveryTruncationAndByteFlipIsHandled) {
  // Not a fuzzer, but the same idea in a deterministic loop: no input may crash or hang either function.
  Bytes module = SampleModule({0x00, 0x01});
  for (size_t n = 0; n < module.size(); ++n) {
    Bytes prefix(module.begin(), module.begin() + n);
    auto info = ReadWasmModuleInfo(prefix);
    if (n < 8) {
      EXPECT_FALSE(info.ok());
    }
    (void)ApplyMemoryCap(prefix, 4);
  }
  for (size_t i = 8; i < module.size(); ++i) {
    for (uint8_t v : {uint8_t{0x00}, uint8_t{0x7F}, uint8_t{0x80}, uint8_t{0xFF}}) {
      Bytes flipped = module;
      flipped[i] = v;
      (void)ReadWasmModuleInfo(flipped);
      auto capped = ApplyMemoryCap(flipped, 4);
      if (capped.ok()) (void)ReadWasmModuleInfo(*capped);
    }
  }
}

TEST(WasmBinaryTest, MemoryCapSetsOrLowersTheMaximum) {
  auto maximum_after_cap = [](Bytes limits, uint32_t cap) -> std::optional<uint32_t> {
    auto capped = ApplyMemoryCap(SampleModule(limits), cap);
    EXPECT_TRUE(capped.ok()) << capped.error().message();
    auto info = ReadWasmModuleInfo(*capped);
    EXPECT_TRUE(info.ok());
    return info->memories.at(0).maximum_pages;
  };
  EXPECT_EQ(maximum_after_cap({0x00, 0x01}, 100), 100u);              // no maximum: the cap
  EXPECT_EQ(maximum_after_cap({0x01, 0x01, 0xE8, 0x07}, 100), 100u);  // 1000 lowered to 100
  EXPECT_EQ(maximum_after_cap({0x01, 0x01, 0x20}, 100), 32u);         // 32 kept
  EXPECT_EQ(maximum_after_cap({0x00, 0x64}, 100), 100u);              // initial == cap is fine

  auto over = ApplyMemoryCap(SampleModule({0x00, 0x65}), 100);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(over.error().message().find("101 pages"), std::string::npos) << over.error().message();

  auto shared = ApplyMemoryCap(SampleModule({0x03, 0x01, 0x02}), 100);
  ASSERT_FALSE(shared.ok());
  EXPECT_EQ(shared.error().code(), ErrorCode::kUnsupported);
}

TEST(WasmBinaryTest, MemoryCapLeavesEverythingElseByteForByte) {
  Bytes module = SampleModule({0x01, 0x01, 0x02});
  auto capped = ApplyMemoryCap(module, 100);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(*capped, module);  // maximum 2 is under the cap and already encoded minimally

  Bytes no_memory = Module({{1, TypeSection()}});
  capped = ApplyMemoryCap(no_memory, 100);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(*capped, no_memory);

  // The rewritten module is still readable and keeps its imports and exports.
  capped = ApplyMemoryCap(SampleModule({0x00, 0x01}), 300);  // 300 needs a two-byte LEB128
  ASSERT_TRUE(capped.ok());
  auto info = ReadWasmModuleInfo(*capped);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->exports.size(), 3u);
  EXPECT_EQ(info->memories[0].maximum_pages, std::optional<uint32_t>(300));
}

}  // namespace
}  // namespace stdb::host

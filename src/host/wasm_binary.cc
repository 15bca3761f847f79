#include "host/wasm_binary.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace stdb::host {
namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
constexpr uint8_t kVersion1[4] = {0x01, 0x00, 0x00, 0x00};

enum SectionId : uint8_t {
  kTypeSection = 1,
  kImportSection = 2,
  kFunctionSection = 3,
  kMemorySection = 5,
  kExportSection = 7,
};

constexpr uint8_t kFuncTypeForm = 0x60;
constexpr uint8_t kLimitsHasMax = 0x01;
constexpr uint8_t kLimitsShared = 0x02;
constexpr uint8_t kLimitsMemory64 = 0x04;

std::string Hex(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

// A bounds-checked read cursor over part of the binary. Offsets in messages are relative to the whole binary.
class Cursor {
 public:
  Cursor(std::span<const uint8_t> bytes, size_t base_offset) : bytes_(bytes), base_(base_offset) {}

  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }

  Error Fail(const std::string& what, const std::string& reason, ErrorCode code = ErrorCode::kDecode) const {
    return Error(code,
                 "invalid wasm binary: " + what + " at offset " + std::to_string(offset()) + ": " + reason);
  }

  Result<uint8_t> Byte(const char* what) {
    if (at_end()) return Fail(what, "unexpected end");
    return bytes_[pos_++];
  }

  // Unsigned LEB128 of at most 32 bits: at most 5 bytes, and the last may not carry bits above bit 31.
  Result<uint32_t> VarU32(const char* what) {
    uint32_t value = 0;
    for (int i = 0; i < 5; ++i) {
      if (at_end()) return Fail(what, "unexpected end inside LEB128");
      uint8_t b = bytes_[pos_++];
      if (i == 4 && (b & 0xF0) != 0) return Fail(what, "LEB128 value exceeds 32 bits");
      value |= uint32_t(b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) return value;
    }
    return Fail(what, "LEB128 longer than 5 bytes");
  }

  // A vector length whose elements take at least `min_element_size` bytes each, checked against what is left
  // so that a forged count cannot make the caller allocate.
  Result<uint32_t> Count(const char* what, size_t min_element_size = 1) {
    STDB_ASSIGN_OR_RETURN(uint32_t n, VarU32(what));
    if (min_element_size != 0 && n > remaining() / min_element_size) {
      return Fail(what, "count " + std::to_string(n) + " exceeds the bytes that remain");
    }
    return n;
  }

  Result<std::span<const uint8_t>> Take(size_t n, const char* what) {
    if (n > remaining()) return Fail(what, "length " + std::to_string(n) + " exceeds the bytes that remain");
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  Result<std::string> Name(const char* what) {
    STDB_ASSIGN_OR_RETURN(uint32_t len, VarU32(what));
    STDB_ASSIGN_OR_RETURN(auto bytes, Take(len, what));
    return std::string(bytes.begin(), bytes.end());
  }

  Result<ValueType> ValType(const char* what) {
    size_t at = offset();
    STDB_ASSIGN_OR_RETURN(uint8_t b, Byte(what));
    switch (b) {
      case 0x7F:
        return ValueType::kI32;
      case 0x7E:
        return ValueType::kI64;
      case 0x7D:
        return ValueType::kF32;
      case 0x7C:
        return ValueType::kF64;
      case 0x7B:
        return ValueType::kV128;
      case 0x70:
        return ValueType::kFuncRef;
      case 0x6F:
        return ValueType::kExternRef;
      default:
        return Error(ErrorCode::kUnsupported, "invalid wasm binary: " + std::string(what) + " at offset " +
                                                  std::to_string(at) + ": unsupported value type " + Hex(b));
    }
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t base_;
  size_t pos_ = 0;
};

struct Limits {
  uint8_t flags = 0;
  uint32_t min = 0;
  std::optional<uint32_t> max;
};

Result<Limits> ReadLimits(Cursor& c, const char* what, bool is_memory) {
  Limits limits;
  size_t at = c.offset();
  STDB_ASSIGN_OR_RETURN(limits.flags, c.Byte(what));
  uint8_t allowed = is_memory ? (kLimitsHasMax | kLimitsShared | kLimitsMemory64) : kLimitsHasMax;
  if (limits.flags & ~allowed) {
    return Error(ErrorCode::kDecode, "invalid wasm binary: " + std::string(what) + " at offset " +
                                         std::to_string(at) + ": bad limits flags " + Hex(limits.flags));
  }
  if (limits.flags & kLimitsMemory64) {
    return Error(ErrorCode::kUnsupported, "invalid wasm binary: " + std::string(what) + " at offset " +
                                              std::to_string(at) + ": 64-bit memories are not supported");
  }
  STDB_ASSIGN_OR_RETURN(limits.min, c.VarU32(what));
  if (limits.flags & kLimitsHasMax) {
    STDB_ASSIGN_OR_RETURN(uint32_t max, c.VarU32(what));
    limits.max = max;
  }
  return limits;
}

void WriteVarU32(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

// Calls visit(id, payload_cursor, whole_section_bytes) for each section, after checking the preamble.
template <typename Visit>
Status ForEachSection(std::span<const uint8_t> bytes, Visit&& visit) {
  if (bytes.size() < 8 || !std::equal(kMagic, kMagic + 4, bytes.begin())) {
    return Error(ErrorCode::kDecode, "invalid wasm binary: not a WebAssembly module (missing \\0asm magic)");
  }
  if (!std::equal(kVersion1, kVersion1 + 4, bytes.begin() + 4)) {
    return Error(ErrorCode::kDecode, "invalid wasm binary: unsupported version (expected 1)");
  }
  Cursor c(bytes.subspan(8), 8);
  while (!c.at_end()) {
    size_t section_start = c.offset();
    STDB_ASSIGN_OR_RETURN(uint8_t id, c.Byte("section id"));
    STDB_ASSIGN_OR_RETURN(uint32_t size, c.VarU32("section size"));
    size_t payload_start = c.offset();
    STDB_ASSIGN_OR_RETURN(auto payload, c.Take(size, "section payload"));
    Cursor section(payload, payload_start);
    STDB_RETURN_IF_ERROR(visit(id, section, bytes.subspan(section_start, c.offset() - section_start)));
  }
  return OkStatus();
}

Status ExpectEnd(const Cursor& c, const char* section) {
  if (!c.at_end())
    return c.Fail(section, std::to_string(c.remaining()) + " unread bytes at the end of the section");
  return OkStatus();
}

}  // namespace

Result<WasmModuleInfo> ReadWasmModuleInfo(std::span<const uint8_t> wasm_bytes) {
  WasmModuleInfo info;
  std::vector<FunctionType> types;
  // Type index of every function in the function index space: imported functions first, then defined ones.
  std::vector<uint32_t> function_types;

  auto type_at = [&](uint32_t index, const Cursor& c, const char* what) -> Result<uint32_t> {
    if (index >= types.size()) {
      return c.Fail(what, "type index " + std::to_string(index) + " out of range (" +
                              std::to_string(types.size()) + " types)");
    }
    return index;
  };

  Status status = ForEachSection(wasm_bytes, [&](uint8_t id, Cursor& c, std::span<const uint8_t>) -> Status {
    switch (id) {
      case kTypeSection: {
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("type count", 3));
        for (uint32_t i = 0; i < n; ++i) {
          STDB_ASSIGN_OR_RETURN(uint8_t form, c.Byte("type form"));
          if (form != kFuncTypeForm) {
            return c.Fail("type " + std::to_string(i), "unsupported type form " + Hex(form),
                          ErrorCode::kUnsupported);
          }
          FunctionType type;
          STDB_ASSIGN_OR_RETURN(uint32_t params, c.Count("parameter count"));
          for (uint32_t p = 0; p < params; ++p) {
            STDB_ASSIGN_OR_RETURN(ValueType t, c.ValType("parameter type"));
            type.params.push_back(t);
          }
          STDB_ASSIGN_OR_RETURN(uint32_t results, c.Count("result count"));
          for (uint32_t r = 0; r < results; ++r) {
            STDB_ASSIGN_OR_RETURN(ValueType t, c.ValType("result type"));
            type.results.push_back(t);
          }
          types.push_back(std::move(type));
        }
        return ExpectEnd(c, "type section");
      }
      case kImportSection: {
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("import count", 4));
        for (uint32_t i = 0; i < n; ++i) {
          ImportDescriptor import;
          STDB_ASSIGN_OR_RETURN(import.module, c.Name("import module name"));
          STDB_ASSIGN_OR_RETURN(import.name, c.Name("import field name"));
          STDB_ASSIGN_OR_RETURN(uint8_t kind, c.Byte("import kind"));
          switch (kind) {
            case 0: {
              import.kind = ExternKind::kFunction;
              STDB_ASSIGN_OR_RETURN(uint32_t t, c.VarU32("import type index"));
              STDB_ASSIGN_OR_RETURN(t, type_at(t, c, "import type index"));
              import.type = types[t];
              function_types.push_back(t);
              break;
            }
            case 1: {
              import.kind = ExternKind::kTable;
              STDB_ASSIGN_OR_RETURN(ValueType ref, c.ValType("table element type"));
              (void)ref;
              STDB_RETURN_IF_ERROR(ReadLimits(c, "table limits", false));
              break;
            }
            case 2:
              import.kind = ExternKind::kMemory;
              STDB_RETURN_IF_ERROR(ReadLimits(c, "memory limits", true));
              break;
            case 3: {
              import.kind = ExternKind::kGlobal;
              STDB_ASSIGN_OR_RETURN(ValueType type, c.ValType("global type"));
              (void)type;
              STDB_RETURN_IF_ERROR(c.Byte("global mutability"));
              break;
            }
            case 4: {
              import.kind = ExternKind::kTag;
              STDB_RETURN_IF_ERROR(c.Byte("tag attribute"));
              STDB_ASSIGN_OR_RETURN(uint32_t t, c.VarU32("tag type index"));
              STDB_RETURN_IF_ERROR(type_at(t, c, "tag type index"));
              break;
            }
            default:
              return c.Fail("import " + import.QualifiedName(), "unknown import kind " + Hex(kind));
          }
          info.imports.push_back(std::move(import));
        }
        return ExpectEnd(c, "import section");
      }
      case kFunctionSection: {
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("function count"));
        for (uint32_t i = 0; i < n; ++i) {
          STDB_ASSIGN_OR_RETURN(uint32_t t, c.VarU32("function type index"));
          STDB_ASSIGN_OR_RETURN(t, type_at(t, c, "function type index"));
          function_types.push_back(t);
        }
        return ExpectEnd(c, "function section");
      }
      case kMemorySection: {
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("memory count", 2));
        for (uint32_t i = 0; i < n; ++i) {
          STDB_ASSIGN_OR_RETURN(Limits limits, ReadLimits(c, "memory limits", true));
          info.memories.push_back(MemoryLimits{limits.min, limits.max});
        }
        return ExpectEnd(c, "memory section");
      }
      case kExportSection: {
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("export count", 3));
        for (uint32_t i = 0; i < n; ++i) {
          ExportDescriptor e;
          STDB_ASSIGN_OR_RETURN(e.name, c.Name("export name"));
          STDB_ASSIGN_OR_RETURN(uint8_t kind, c.Byte("export kind"));
          STDB_ASSIGN_OR_RETURN(uint32_t index, c.VarU32("export index"));
          switch (kind) {
            case 0:
              e.kind = ExternKind::kFunction;
              if (index >= function_types.size()) {
                return c.Fail("export '" + e.name + "'",
                              "function index " + std::to_string(index) + " out of range");
              }
              e.type = types[function_types[index]];
              break;
            case 1:
              e.kind = ExternKind::kTable;
              break;
            case 2:
              e.kind = ExternKind::kMemory;
              break;
            case 3:
              e.kind = ExternKind::kGlobal;
              break;
            case 4:
              e.kind = ExternKind::kTag;
              break;
            default:
              return c.Fail("export '" + e.name + "'", "unknown export kind " + Hex(kind));
          }
          info.exports.push_back(std::move(e));
        }
        return ExpectEnd(c, "export section");
      }
      default:
        return OkStatus();
    }
  });
  if (!status.ok()) return std::move(status).error();
  return info;
}

Result<std::vector<uint8_t>> ApplyMemoryCap(std::span<const uint8_t> wasm_bytes, uint32_t max_pages) {
  std::vector<uint8_t> out;
  out.reserve(wasm_bytes.size() + 16);
  out.insert(out.end(), wasm_bytes.begin(), wasm_bytes.begin() + std::min<size_t>(8, wasm_bytes.size()));
  Status status =
      ForEachSection(wasm_bytes, [&](uint8_t id, Cursor& c, std::span<const uint8_t> whole) -> Status {
        if (id != kMemorySection) {
          out.insert(out.end(), whole.begin(), whole.end());
          return OkStatus();
        }
        std::vector<uint8_t> payload;
        STDB_ASSIGN_OR_RETURN(uint32_t n, c.Count("memory count", 2));
        WriteVarU32(payload, n);
        for (uint32_t i = 0; i < n; ++i) {
          STDB_ASSIGN_OR_RETURN(Limits limits, ReadLimits(c, "memory limits", true));
          if (limits.flags & kLimitsShared) {
            return Error(ErrorCode::kUnsupported, "shared memories are not supported");
          }
          if (limits.min > max_pages) {
            return Error(ErrorCode::kResourceExhausted,
                         "module declares an initial memory of " + std::to_string(limits.min) + " pages (" +
                             std::to_string(uint64_t{limits.min} * kWasmPageSize) +
                             " bytes), above the cap of " + std::to_string(max_pages) + " pages (" +
                             std::to_string(uint64_t{max_pages} * kWasmPageSize) + " bytes)");
          }
          uint32_t max = std::min(limits.max.value_or(max_pages), max_pages);
          payload.push_back(kLimitsHasMax);
          WriteVarU32(payload, limits.min);
          WriteVarU32(payload, max);
        }
        STDB_RETURN_IF_ERROR(ExpectEnd(c, "memory section"));
        out.push_back(kMemorySection);
        WriteVarU32(out, static_cast<uint32_t>(payload.size()));
        out.insert(out.end(), payload.begin(), payload.end());
        return OkStatus();
      });
  if (!status.ok()) return std::move(status).error();
  return out;
}

}  // namespace stdb::host

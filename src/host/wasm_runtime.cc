#include "host/wasm_runtime.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace stdb::host {

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kI32:
      return "i32";
    case ValueType::kI64:
      return "i64";
    case ValueType::kF32:
      return "f32";
    case ValueType::kF64:
      return "f64";
    case ValueType::kV128:
      return "v128";
    case ValueType::kFuncRef:
      return "funcref";
    case ValueType::kExternRef:
      return "externref";
  }
  return "?";
}

std::string WasmValue::ToString() const {
  char buf[64];
  switch (type_) {
    case ValueType::kI32:
      std::snprintf(buf, sizeof buf, "i32:%" PRId32, i32());
      break;
    case ValueType::kI64:
      std::snprintf(buf, sizeof buf, "i64:%" PRId64, i64());
      break;
    case ValueType::kF32:
      std::snprintf(buf, sizeof buf, "f32:%.9g", static_cast<double>(f32()));
      break;
    case ValueType::kF64:
      std::snprintf(buf, sizeof buf, "f64:%.17g", f64());
      break;
    default:
      std::snprintf(buf, sizeof buf, "%s:?", std::string(ValueTypeName(type_)).c_str());
      break;
  }
  return buf;
}

namespace {
std::string TypeList(const std::vector<ValueType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += ValueTypeName(types[i]);
  }
  return out + ")";
}
}  // namespace

std::string FunctionType::ToString() const {
  return TypeList(params) + " -> " + TypeList(results);
}

std::string_view ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunction:
      return "function";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

const ExportDescriptor* WasmModuleInfo::FindExport(std::string_view name) const {
  for (const auto& e : exports)
    if (e.name == name) return &e;
  return nullptr;
}

Result<std::span<uint8_t>> MemoryRange(std::span<uint8_t> memory, uint64_t ptr, uint64_t len) {
  // Written so that ptr + len cannot overflow.
  if (ptr > memory.size() || len > memory.size() - ptr) {
    return Error(ErrorCode::kInvalidArgument, "memory range [" + std::to_string(ptr) + ", " +
                                                  std::to_string(ptr) + " + " + std::to_string(len) +
                                                  ") is outside linear memory (" +
                                                  std::to_string(memory.size()) + " bytes)");
  }
  return memory.subspan(static_cast<size_t>(ptr), static_cast<size_t>(len));
}

Status ReadMemory(std::span<uint8_t> memory, uint64_t ptr, std::span<uint8_t> out) {
  STDB_ASSIGN_OR_RETURN(auto range, MemoryRange(memory, ptr, out.size()));
  if (!out.empty()) std::memcpy(out.data(), range.data(), out.size());
  return OkStatus();
}

Status WriteMemory(std::span<uint8_t> memory, uint64_t ptr, std::span<const uint8_t> bytes) {
  STDB_ASSIGN_OR_RETURN(auto range, MemoryRange(memory, ptr, bytes.size()));
  if (!bytes.empty()) std::memcpy(range.data(), bytes.data(), bytes.size());
  return OkStatus();
}

std::string_view CallErrorKindName(CallErrorKind kind) {
  switch (kind) {
    case CallErrorKind::kTrap:
      return "trap";
    case CallErrorKind::kInterrupted:
      return "interrupted";
    case CallErrorKind::kHostError:
      return "host error";
    case CallErrorKind::kMissingExport:
      return "missing export";
    case CallErrorKind::kBadArguments:
      return "bad arguments";
    case CallErrorKind::kInternal:
      return "internal";
  }
  return "?";
}

CallResult CallResult::Success(std::span<const WasmValue> values) {
  CallResult r;
  if (values.size() > kMaxResults) {
    return Failure(CallErrorKind::kInternal, Error(ErrorCode::kInternal, "too many results"));
  }
  for (const WasmValue& v : values) r.AppendValue(v);
  return r;
}

CallResult CallResult::Failure(CallErrorKind kind, Error error) {
  CallResult r;
  r.kind_ = kind;
  r.error_.emplace(std::move(error));
  return r;
}

Result<ExportHandle> WasmInstance::FindFunction(std::string_view name) const {
  auto index = ExportIndex(name);
  if (!index)
    return Error(ErrorCode::kNotFound, "module has no exported function '" + std::string(name) + "'");
  return ExportHandle(this, *index);
}

CallResult WasmInstance::Call(ExportHandle function, std::span<const WasmValue> args) {
  if (function.owner_ != this || function.index_ >= export_count()) {
    return CallResult::Failure(CallErrorKind::kInternal,
                               Error(ErrorCode::kInternal, "export handle does not belong to this instance"));
  }
  return CallExport(function.index_, args);
}

CallResult WasmInstance::Call(std::string_view name, std::span<const WasmValue> args) {
  auto index = ExportIndex(name);
  if (!index) {
    return CallResult::Failure(
        CallErrorKind::kMissingExport,
        Error(ErrorCode::kNotFound, "module has no exported function '" + std::string(name) + "'"));
  }
  return CallExport(*index, args);
}

}  // namespace stdb::host

// The no-WASI shim: lets a module built against wasi-libc and libc++ import nothing but spacetime_10.x.
//
// The host links no WASI at all (spec/module-abi.md §1.1), so any wasi_snapshot_preview1 import makes
// instantiation fail. wasi-libc calls WASI through functions named __imported_wasi_snapshot_preview1_<name>,
// which it declares as imports; defining them here resolves those references inside the module, so the linker
// emits no import. The definitions follow the WASI preview1 signatures (every pointer and size an i32) and:
//   - send writes to stdout (fd 1) and stderr (fd 2) to console_log, at Info and Warn, with target "wasi", so
//     printf debugging shows up in the module log;
//   - report "not supported" (ENOSYS) for everything else, including the clock and randomness: reducers must be
//     deterministic and get time and randomness from their ReducerContext.
// libc++'s abort path (__libcpp_verbose_abort, reached by precondition failures such as std::get on the wrong
// alternative) and operator new's out-of-memory path would otherwise format to stderr through stdio; they are
// replaced with a log record and a trap, which also keeps stdio out of the binary.
//
// Only meaningful in wasm builds; a native build compiles this file to nothing.
#if defined(__wasm__)

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "spacetimedb/abi/host_imports.h"

namespace {

constexpr int32_t kWasiSuccess = 0;
constexpr int32_t kWasiBadFileDescriptor = 8;  // __WASI_ERRNO_BADF
constexpr int32_t kWasiNotSupported = 52;      // __WASI_ERRNO_NOSYS
constexpr uint32_t kLevelWarn = 1;
constexpr uint32_t kLevelInfo = 2;
constexpr uint32_t kLevelError = 0;

void LogBytes(uint32_t level, const uint8_t* data, uint32_t size) {
  static const uint8_t kTarget[] = {'w', 'a', 's', 'i'};
  static const uint8_t kEmpty = 0;
  SpacetimeDB::abi::console_log(level, kTarget, sizeof kTarget, nullptr, 0, 0xFFFFFFFF, size ? data : &kEmpty, size);
}

// struct __wasi_ciovec_t { const uint8_t* buf; size_t buf_len; } on wasm32.
struct ConstIoVec {
  const uint8_t* buf;
  uint32_t buf_len;
};

[[noreturn]] void TrapWithMessage(const char* message) {
  uint32_t length = 0;
  while (message[length]) ++length;
  LogBytes(kLevelError, reinterpret_cast<const uint8_t*>(message), length);
  __builtin_trap();
}

}  // namespace

extern "C" {

int32_t __imported_wasi_snapshot_preview1_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten) {
  if (fd != 1 && fd != 2) return kWasiBadFileDescriptor;
  const auto* vecs = reinterpret_cast<const ConstIoVec*>(static_cast<uintptr_t>(iovs));
  uint32_t total = 0;
  for (int32_t i = 0; i < iovs_len; ++i) {
    // Each stdio flush is one record; a trailing newline is the record boundary, not part of the text.
    uint32_t length = vecs[i].buf_len;
    total += length;
    if (length > 0 && vecs[i].buf[length - 1] == '\n') --length;
    if (length > 0) LogBytes(fd == 1 ? kLevelInfo : kLevelWarn, vecs[i].buf, length);
  }
  *reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(nwritten)) = total;
  return kWasiSuccess;
}

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t, int64_t, int32_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_fd_read(int32_t, int32_t, int32_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_fd_prestat_get(int32_t, int32_t) { return kWasiBadFileDescriptor; }
int32_t __imported_wasi_snapshot_preview1_fd_prestat_dir_name(int32_t, int32_t, int32_t) {
  return kWasiBadFileDescriptor;
}
int32_t __imported_wasi_snapshot_preview1_clock_time_get(int32_t, int64_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_clock_res_get(int32_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_random_get(int32_t, int32_t) { return kWasiNotSupported; }
int32_t __imported_wasi_snapshot_preview1_sched_yield() { return kWasiSuccess; }

// No environment and no arguments.
int32_t __imported_wasi_snapshot_preview1_environ_sizes_get(int32_t count, int32_t buffer_size) {
  *reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(count)) = 0;
  *reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(buffer_size)) = 0;
  return kWasiSuccess;
}
int32_t __imported_wasi_snapshot_preview1_environ_get(int32_t, int32_t) { return kWasiSuccess; }
int32_t __imported_wasi_snapshot_preview1_args_sizes_get(int32_t count, int32_t buffer_size) {
  *reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(count)) = 0;
  *reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(buffer_size)) = 0;
  return kWasiSuccess;
}
int32_t __imported_wasi_snapshot_preview1_args_get(int32_t, int32_t) { return kWasiSuccess; }

[[noreturn]] void __imported_wasi_snapshot_preview1_proc_exit(int32_t) { TrapWithMessage("proc_exit called"); }

}  // extern "C"

// libc++'s abort with a message; the format is printf-style. (No noexcept: libc++ declares it without.)
_LIBCPP_BEGIN_NAMESPACE_STD
[[noreturn]] void __libcpp_verbose_abort(const char* format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  const int length = std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  LogBytes(kLevelError, reinterpret_cast<const uint8_t*>(message),
           length < 0 ? 0 : static_cast<uint32_t>(length < static_cast<int>(sizeof message) ? length : sizeof message - 1));
  __builtin_trap();
}
_LIBCPP_END_NAMESPACE_STD

// Allocation without the new-handler machinery: out of memory traps.
void* operator new(size_t size) {
  if (void* p = std::malloc(size ? size : 1)) return p;
  TrapWithMessage("out of memory");
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return std::malloc(size ? size : 1); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return std::malloc(size ? size : 1); }
void* operator new(size_t size, std::align_val_t alignment) {
  const size_t align = static_cast<size_t>(alignment);
  if (void* p = std::aligned_alloc(align, (size + align - 1) / align * align)) return p;
  TrapWithMessage("out of memory");
}
void* operator new[](size_t size, std::align_val_t alignment) { return operator new(size, alignment); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { std::free(p); }

#endif  // __wasm__

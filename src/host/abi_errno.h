// The errno values of the spacetime_10.x ABI (spec/module-abi.md §1.3). They are wire-visible: modules compare
// against these numbers, so they never change.
#pragma once

#include <cstdint>
#include <optional>

#include "sats/result.h"

namespace stdb::host::abi {

inline constexpr uint16_t kOk = 0;
inline constexpr uint16_t kHostCallFailure = 1;
inline constexpr uint16_t kNotInTransaction = 2;
inline constexpr uint16_t kBsatnDecodeError = 3;
inline constexpr uint16_t kNoSuchTable = 4;
inline constexpr uint16_t kNoSuchIndex = 5;
inline constexpr uint16_t kNoSuchIter = 6;
inline constexpr uint16_t kNoSuchConsoleTimer = 7;
inline constexpr uint16_t kNoSuchBytes = 8;
inline constexpr uint16_t kNoSpace = 9;
inline constexpr uint16_t kWrongIndexAlgo = 10;
inline constexpr uint16_t kBufferTooSmall = 11;
inline constexpr uint16_t kUniqueAlreadyExists = 12;
inline constexpr uint16_t kScheduleAtDelayTooLong = 13;
inline constexpr uint16_t kIndexNotUnique = 14;
inline constexpr uint16_t kNoSuchRow = 15;
inline constexpr uint16_t kAutoIncOverflow = 16;
inline constexpr uint16_t kWouldBlockTransaction = 17;
inline constexpr uint16_t kTransactionNotAnonymous = 18;
inline constexpr uint16_t kTransactionIsReadOnly = 19;
inline constexpr uint16_t kTransactionIsMut = 20;
inline constexpr uint16_t kHttpError = 21;

// The errno a datastore error is reported with, or nullopt when the reference traps instead (§1.3 table).
inline std::optional<uint16_t> ErrnoFor(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kDecode: return kBsatnDecodeError;
    case ErrorCode::kNoSuchTable: return kNoSuchTable;
    case ErrorCode::kNoSuchIndex: return kNoSuchIndex;
    case ErrorCode::kIndexNotUnique: return kIndexNotUnique;
    case ErrorCode::kNoSuchRow: return kNoSuchRow;
    case ErrorCode::kWrongIndexAlgorithm: return kWrongIndexAlgo;
    case ErrorCode::kConstraint: return kUniqueAlreadyExists;
    default: return std::nullopt;
  }
}

}  // namespace stdb::host::abi

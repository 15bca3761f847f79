// Identifier validation for names in module definitions (tables, columns, functions, types, ...), following the
// reference's rules (spec/module-abi.md §5.6, crates/schema/src/identifier.rs):
//   - non-empty;
//   - in Unicode Normalization Form C (UAX #15) — rejected, not normalised, when it is not;
//   - the first character is XID_Start or `_`, every other character XID_Continue (UAX #31);
//   - not a reserved word, comparing the word with the full Unicode uppercase of the name.
//
// ASCII names (nearly all of them) take a fast path: ASCII text is always NFC, and XID_Start/XID_Continue restricted
// to ASCII are letters / letters, digits and `_`. Other names are checked with ICU's Unicode data (the NFC quick
// check and full check, the XID properties, root-locale uppercasing), so the answer follows the Unicode version of
// the system's ICU rather than the reference's Rust crates; the two differ only for characters added in newer
// Unicode versions.
//
// Reserved words: the reference's list (crates/schema/src/reserved_identifiers.txt) has been empty since 2024
// (names such as `user`, `order` or `type` are accepted and used by real modules, e.g. the quickstart's `user`
// table), so kReferenceReservedWords is empty. The check stays so that a list can be supplied.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sats/result.h"

namespace stdb::host {

// Upper-case ASCII words; a name is reserved if its full uppercase mapping equals one of them.
inline constexpr std::span<const std::string_view> kReferenceReservedWords{};

// OK, or kInvalidArgument with a message quoting the name and saying which rule it breaks.
Status ValidateIdentifier(std::string_view name,
                          std::span<const std::string_view> reserved_words = kReferenceReservedWords);

// Whether the full Unicode uppercase of `name` is one of `reserved_words` (so "select", "Select" and "ſelect", whose
// long s uppercases to S, all match "SELECT").
bool IsReservedIdentifier(std::string_view name, std::span<const std::string_view> reserved_words);

}  // namespace stdb::host

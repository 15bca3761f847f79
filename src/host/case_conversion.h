// Case conversion of identifiers, reproducing the reference's use of the Rust `convert_case` crate (0.6) so that
// canonical names of V10 modules (spec/module-abi.md §5.6) come out byte-identical: they appear in SQL, system
// tables and client code generation.
//
// The algorithm, as in convert_case 0.6 with its default boundaries:
//   1. Split the string into extended grapheme clusters (Unicode UAX #29).
//   2. Cut it into words: `_`, `-` and space are removed and end a word; a new word also starts before a
//      grapheme when the pair (previous, this) is lower->upper, digit->upper, upper->digit, digit->lower or
//      lower->digit, and in an acronym before the last upper of upper,upper,lower ("HTTPServer" -> HTTP|Server).
//      A grapheme is upper (lower) if its full uppercase and lowercase mappings differ and it equals its uppercase
//      (lowercase) mapping; a digit is an ASCII digit. Empty words are dropped, so leading, trailing and repeated
//      underscores disappear.
//   3. snake_case lowercases every word and joins with `_`; camelCase lowercases the first word and capitalises the
//      rest (first character to its full uppercase mapping, the remainder lowercased); PascalCase capitalises every
//      word; both join with nothing.
// Examples: "HTTPServer" -> "http_server", "v2Name" -> "v_2_name", "_private" -> "private",
// "countFresh" -> "count_fresh"; camel "GrannySmith" -> "grannySmith"; Pascal "person" -> "Person".
//
// Unicode data (segmentation, case mappings) comes from ICU, locale-independent (root), matching Rust's
// `str::to_lowercase` / `to_uppercase` (including the final-sigma rule). Input must be valid UTF-8; invalid bytes
// are treated as U+FFFD.
//
// Thread-safety: the functions are reentrant and may be called from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stdb::host {

// The words of `s` under the default boundaries described above.
std::vector<std::string> SplitIntoWords(std::string_view s);

std::string ToSnakeCase(std::string_view s);
std::string ToCamelCase(std::string_view s);
std::string ToPascalCase(std::string_view s);

}  // namespace stdb::host

#include "host/case_conversion.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>

namespace stdb::host {
namespace {

struct Grapheme {
  icu::UnicodeString text;
  bool is_upper = false;
  bool is_lower = false;
  bool is_digit = false;
  bool is_delimiter = false;  // "_", "-" or " ": removed, and ends a word
};

icu::UnicodeString Upper(icu::UnicodeString s) { return s.toUpper(icu::Locale::getRoot()); }
icu::UnicodeString Lower(icu::UnicodeString s) { return s.toLower(icu::Locale::getRoot()); }

Grapheme Classify(icu::UnicodeString text) {
  Grapheme g;
  icu::UnicodeString upper = Upper(text);
  icu::UnicodeString lower = Lower(text);
  bool cased = upper != lower;
  g.is_upper = cased && text == upper;
  g.is_lower = cased && text == lower;
  g.is_digit = text.length() > 0;
  for (int32_t i = 0; i < text.length(); ++i)
    if (text[i] < u'0' || text[i] > u'9') g.is_digit = false;
  g.is_delimiter = text == icu::UnicodeString(u"_") || text == icu::UnicodeString(u"-") ||
                   text == icu::UnicodeString(u" ");
  g.text = std::move(text);
  return g;
}

// Extended grapheme clusters. The break iterator is costly to create and not shareable between threads, so each
// thread keeps one.
std::vector<Grapheme> Graphemes(const icu::UnicodeString& s) {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  std::vector<Grapheme> out;
  if (!iterator) {
    // Without ICU's break data, fall back to code points (exact for text without combining marks).
    for (int32_t i = 0; i < s.length();) {
      int32_t next = s.moveIndex32(i, 1);
      out.push_back(Classify(icu::UnicodeString(s, i, next - i)));
      i = next;
    }
    return out;
  }
  iterator->setText(s);
  int32_t start = iterator->first();
  for (int32_t end = iterator->next(); end != icu::BreakIterator::DONE; start = end, end = iterator->next())
    out.push_back(Classify(icu::UnicodeString(s, start, end - start)));
  return out;
}

bool SplitsBetween(const Grapheme& a, const Grapheme& b) {
  return (a.is_lower && b.is_upper) || (a.is_digit && b.is_upper) || (a.is_upper && b.is_digit) ||
         (a.is_digit && b.is_lower) || (a.is_lower && b.is_digit);
}

std::vector<icu::UnicodeString> Words(std::string_view s) {
  std::vector<Grapheme> g = Graphemes(icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size()))));
  std::vector<icu::UnicodeString> words;
  icu::UnicodeString word;
  auto finish_word = [&] {
    if (!word.isEmpty()) words.push_back(word);
    word.remove();
  };
  for (size_t i = 0; i < g.size(); ++i) {
    if (g[i].is_delimiter) {
      finish_word();
      continue;
    }
    bool starts_word = false;
    if (i > 0) {
      starts_word = SplitsBetween(g[i - 1], g[i]);
      // Acronym: "HTTPServer" splits before the 'S' of "PSe".
      if (!starts_word && i + 1 < g.size())
        starts_word = g[i - 1].is_upper && g[i].is_upper && g[i + 1].is_lower;
    }
    if (starts_word) finish_word();
    word += g[i].text;
  }
  finish_word();
  return words;
}

std::string Utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// First code point to its full uppercase mapping, the rest lowercased (convert_case's "Capital" word case).
icu::UnicodeString Capitalize(const icu::UnicodeString& word) {
  if (word.isEmpty()) return word;
  int32_t first_end = word.moveIndex32(0, 1);
  icu::UnicodeString out = Upper(icu::UnicodeString(word, 0, first_end));
  out += Lower(icu::UnicodeString(word, first_end));
  return out;
}

}  // namespace

std::vector<std::string> SplitIntoWords(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& w : Words(s)) out.push_back(Utf8(w));
  return out;
}

std::string ToSnakeCase(std::string_view s) {
  std::string out;
  for (const auto& w : Words(s)) {
    if (!out.empty()) out += '_';
    out += Utf8(Lower(w));
  }
  return out;
}

std::string ToCamelCase(std::string_view s) {
  std::string out;
  bool first = true;
  for (const auto& w : Words(s)) {
    out += Utf8(first ? Lower(w) : Capitalize(w));
    first = false;
  }
  return out;
}

std::string ToPascalCase(std::string_view s) {
  std::string out;
  for (const auto& w : Words(s)) out += Utf8(Capitalize(w));
  return out;
}

}  // namespace stdb::host

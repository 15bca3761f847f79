// Json: a small JSON document model (RFC 8259) that keeps numbers as their exact source text.
//
// SATS-JSON carries integers up to 128 bits as plain JSON numbers, which general-purpose JSON libraries round to
// doubles; keeping the text lets sats_json.h convert each number exactly to the type it is read as. The parser
// validates UTF-8, handles \u escapes with surrogate pairs, rejects trailing garbage and limits nesting depth.
//
// Thread-safety: plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sats/result.h"

namespace stdb::sats {

class Json {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Json>;

  Json() = default;
  static Json Null() { return Json(); }
  static Json Bool(bool b) { Json j; j.kind_ = Kind::kBool; j.bool_ = b; return j; }
  static Json Number(std::string text) { Json j; j.kind_ = Kind::kNumber; j.text_ = std::move(text); return j; }
  static Json Number(int64_t v) { return Number(std::to_string(v)); }
  static Json String(std::string s) { Json j; j.kind_ = Kind::kString; j.text_ = std::move(s); return j; }
  static Json Array(std::vector<Json> items = {}) { Json j; j.kind_ = Kind::kArray; j.array_ = std::move(items); return j; }
  static Json Object(std::vector<Member> members = {}) {
    Json j; j.kind_ = Kind::kObject; j.object_ = std::move(members); return j;
  }

  // Parses a complete document. max_depth bounds nesting of arrays and objects.
  static Result<Json> Parse(std::string_view text, int max_depth = 512);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool as_bool() const { return bool_; }
  // The number's source text (for numbers) or the decoded string (for strings).
  const std::string& text() const { return text_; }
  const std::vector<Json>& items() const { return array_; }
  std::vector<Json>& items() { return array_; }
  const std::vector<Member>& members() const { return object_; }
  std::vector<Member>& members() { return object_; }
  // First member with this key, or null.
  const Json* Find(std::string_view key) const;
  Json& Add(std::string key, Json value) { object_.emplace_back(std::move(key), std::move(value)); return object_.back().second; }
  Json& Push(Json value) { array_.push_back(std::move(value)); return array_.back(); }

  // Compact serialization.
  std::string Dump() const;
  void DumpTo(std::string& out) const;

  // "number", "string", ... for error messages.
  std::string_view KindName() const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<Json> array_;
  std::vector<Member> object_;
};

// Appends s as a quoted JSON string with the required escapes.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace stdb::sats

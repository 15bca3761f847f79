#include "sats/json.h"

#include "sats/utf8.h"

namespace stdb::sats {

namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : s_(text), max_depth_(max_depth) {}

  Result<Json> ParseDocument() {
    if (!IsValidUtf8(s_)) return Error(ErrorCode::kDecode, "JSON: input is not valid UTF-8");
    Json v = Value(0);
    SkipWs();
    if (ok() && pos_ != s_.size()) Fail("unexpected trailing characters");
    if (!ok()) return Error(ErrorCode::kDecode, "JSON: " + error_ + " at offset " + std::to_string(error_pos_));
    return v;
  }

 private:
  bool ok() const { return error_.empty(); }
  void Fail(const std::string& msg) {
    if (ok()) {
      error_ = msg;
      error_pos_ = pos_;
    }
    pos_ = s_.size();
  }
  void SkipWs() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Consume(std::string_view word) {
    if (s_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Json Value(int depth) {
    SkipWs();
    if (pos_ >= s_.size()) {
      Fail("unexpected end of input");
      return Json();
    }
    char c = s_[pos_];
    if (c == '{' || c == '[') {
      if (depth >= max_depth_) {
        Fail("nesting deeper than " + std::to_string(max_depth_));
        return Json();
      }
      return c == '{' ? ObjectValue(depth) : ArrayValue(depth);
    }
    if (c == '"') return Json::String(StringValue());
    if (c == '-' || (c >= '0' && c <= '9')) return NumberValue();
    if (Consume("true")) return Json::Bool(true);
    if (Consume("false")) return Json::Bool(false);
    if (Consume("null")) return Json::Null();
    Fail(std::string("unexpected character '") + c + "'");
    return Json();
  }

  Json ObjectValue(int depth) {
    ++pos_;  // {
    Json obj = Json::Object();
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return obj;
    }
    while (ok()) {
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != '"') {
        Fail("expected a string key");
        break;
      }
      std::string key = StringValue();
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != ':') {
        Fail("expected ':'");
        break;
      }
      ++pos_;
      Json v = Value(depth + 1);
      obj.Add(std::move(key), std::move(v));
      SkipWs();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        break;
      }
      Fail("expected ',' or '}'");
    }
    return obj;
  }

  Json ArrayValue(int depth) {
    ++pos_;  // [
    Json arr = Json::Array();
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return arr;
    }
    while (ok()) {
      arr.Push(Value(depth + 1));
      SkipWs();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        break;
      }
      Fail("expected ',' or ']'");
    }
    return arr;
  }

  int Hex4() {
    if (pos_ + 4 > s_.size()) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return -1;
    }
    pos_ += 4;
    return v;
  }

  std::string StringValue() {
    ++pos_;  // opening quote
    std::string out;
    while (ok()) {
      if (pos_ >= s_.size()) {
        Fail("unterminated string");
        break;
      }
      char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        Fail("control character in string");
        break;
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) {
        Fail("unterminated escape");
        break;
      }
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          int cp = Hex4();
          if (cp < 0) {
            Fail("bad \\u escape");
            break;
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = -1;
            if (Consume("\\u")) lo = Hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) {
              Fail("unpaired surrogate in \\u escape");
              break;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            Fail("unpaired surrogate in \\u escape");
            break;
          }
          AppendUtf8(out, uint32_t(cp));
          break;
        }
        default: Fail(std::string("bad escape '\\") + e + "'");
      }
    }
    return out;
  }

  Json NumberValue() {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    auto digits = [&]() {
      size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ - d;
    };
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      Fail("bad number");
      return Json();
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) {
        Fail("bad number fraction");
        return Json();
      }
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) {
        Fail("bad number exponent");
        return Json();
      }
    }
    return Json::Number(std::string(s_.substr(start, pos_ - start)));
  }

  std::string_view s_;
  size_t pos_ = 0;
  int max_depth_;
  std::string error_;
  size_t error_pos_ = 0;
};

}  // namespace

Result<Json> Json::Parse(std::string_view text, int max_depth) { return Parser(text, max_depth).ParseDocument(); }

const Json* Json::Find(std::string_view key) const {
  for (const auto& [k, v] : object_)
    if (k == key) return &v;
  return nullptr;
}

std::string_view Json::KindName() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "bool";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kObject: return "object";
  }
  return "?";
}

void AppendJsonString(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void Json::DumpTo(std::string& out) const {
  switch (kind_) {
    case Kind::kNull: out += "null"; return;
    case Kind::kBool: out += bool_ ? "true" : "false"; return;
    case Kind::kNumber: out += text_; return;
    case Kind::kString: AppendJsonString(out, text_); return;
    case Kind::kArray:
      out.push_back('[');
      for (size_t i = 0; i < array_.size(); ++i) {
        if (i) out.push_back(',');
        array_[i].DumpTo(out);
      }
      out.push_back(']');
      return;
    case Kind::kObject:
      out.push_back('{');
      for (size_t i = 0; i < object_.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(out, object_[i].first);
        out.push_back(':');
        object_[i].second.DumpTo(out);
      }
      out.push_back('}');
      return;
  }
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(out);
  return out;
}

}  // namespace stdb::sats

#include "cli/test_util.h"

#include "auth/base64url.h"

namespace stdb::cli::testing {

std::string FakeToken(const std::string& payload_json) {
  return auth::Base64UrlEncode(std::string_view(R"({"typ":"JWT","alg":"ES256"})")) + "." +
         auth::Base64UrlEncode(std::string_view(payload_json)) + ".c2lnbmF0dXJl";
}

}  // namespace stdb::cli::testing

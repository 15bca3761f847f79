#include "cli/login_command.h"

#include "cli/auth_token.h"
#include "cli/credentials.h"

namespace stdb::cli {

namespace {

// Clears a saved token, saying whose it was.
Status LogOutIfLoggedIn(CommandContext& ctx) {
  if (!ctx.config->token()) return OkStatus();
  auto identity = IdentityOfToken(*ctx.config->token());
  ctx.config->ClearToken();
  STDB_RETURN_IF_ERROR(ctx.config->Save());
  if (identity.ok()) {
    *ctx.out << "Logged out (identity " << identity->ToHex() << ").\n";
  } else {
    *ctx.out << "Logged out.\n";
  }
  return OkStatus();
}

}  // namespace

Status RunLogin(const LoginOptions& options, CommandContext& ctx) {
  if (options.show) {
    if (!ctx.config->token()) {
      *ctx.out << "You are not logged in. Run `spacetime login --server-issued-login <server>` to log in.\n";
      return OkStatus();
    }
    STDB_ASSIGN_OR_RETURN(sats::Identity identity, IdentityOfToken(*ctx.config->token()));
    *ctx.out << "You are logged in as " << identity.ToHex() << "\n";
    if (options.show_token) *ctx.out << "Your auth token (don't share this!) is " << *ctx.config->token() << "\n";
    return OkStatus();
  }
  int methods = (options.server_issued_login ? 1 : 0) + (options.token ? 1 : 0) + (options.auth_host ? 1 : 0);
  if (methods > 1)
    return Error(ErrorCode::kInvalidArgument,
                 "choose one way to log in: --server-issued-login <server>, --token <token> or --auth-host <url>");
  if (options.token) {
    STDB_RETURN_IF_ERROR(LogOutIfLoggedIn(ctx));
    ctx.config->SetToken(*options.token);
    STDB_RETURN_IF_ERROR(ctx.config->Save());
    auto identity = IdentityOfToken(*options.token);
    if (identity.ok()) {
      *ctx.out << "Logged in with identity " << identity->ToHex() << "\n";
    } else {
      *ctx.out << "Token saved.\n";
    }
    return OkStatus();
  }
  if (options.server_issued_login) {
    STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(*options.server_issued_login));
    STDB_RETURN_IF_ERROR(LogOutIfLoggedIn(ctx));
    STDB_ASSIGN_OR_RETURN(std::string token, ServerIssuedLogin(*ctx.config, url, *ctx.out));
    (void)token;
    return OkStatus();
  }
  return Error(ErrorCode::kUnsupported,
               "logging in through a web auth server (spacetimedb.com) is not supported by this CLI; log in to a "
               "server directly with `spacetime login --server-issued-login <server>` (e.g. local), or save a token "
               "with `spacetime login --token <token>`");
}

Status RunLogout(CommandContext& ctx) {
  if (!ctx.config->token()) {
    *ctx.out << "You are not logged in.\n";
    return OkStatus();
  }
  return LogOutIfLoggedIn(ctx);
}

}  // namespace stdb::cli

#include "cli/call_command.h"

#include <algorithm>

#include "cli/call_arguments.h"
#include "cli/command_support.h"
#include "cli/http_url.h"

namespace stdb::cli {

namespace {

std::string NoSuchFunction(const CallOptions& o, const sats::Identity& id, const host::ModuleDef* module) {
  std::string message = "No such reducer OR procedure `" + o.function + "` for database `" + o.database +
                        "` resolving to identity `" + id.ToHex() + "`.";
  if (!module) return message + " Check the name with `spacetime describe --json " + o.database + "`";
  std::vector<std::string> reducers, procedures;
  for (const auto& r : module->reducers())
    if (!r.lifecycle) reducers.push_back(r.name);
  for (const auto& p : module->procedures()) procedures.push_back(p.name);
  if (std::string best = ClosestName(o.function, reducers); !best.empty()) {
    message += "\n\nA reducer with a similar name exists: `" + best + "`";
  } else if (std::string best_procedure = ClosestName(o.function, procedures); !best_procedure.empty()) {
    message += "\n\nA procedure with a similar name exists: `" + best_procedure + "`";
  } else {
    auto list = [&](std::vector<std::string> names, const std::string& kind) {
      if (names.empty()) {
        message += "\n\nThe database has no " + kind + "s.";
        return;
      }
      constexpr size_t kLimit = 10;
      message += "\n\nHere are some existing " + kind + "s:";
      for (size_t i = 0; i < names.size() && i < kLimit; ++i) message += "\n- " + names[i];
      if (names.size() > kLimit) {
        size_t more = names.size() - kLimit;
        message += "\n... (" + std::to_string(more) + " " + kind + (more == 1 ? "" : "s") + " not shown)";
      }
    };
    list(reducers, "reducer");
    list(procedures, "procedure");
  }
  return message;
}

}  // namespace

Status RunCall(const CallOptions& options, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, options.anonymous));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(options.database));
  auto module = FetchModuleDef(api, identity, options.database);
  if (!module.ok() && module.error().code() == ErrorCode::kNotFound) return module.error();
  if (!module.ok())
    *ctx.err << "warning: cannot read the schema of `" << options.database << "` (" << module.error().message()
             << "); sending the arguments unchecked\n";

  CallSignature signature;
  const CallSignature* checked = nullptr;
  bool is_procedure = false;
  if (module.ok()) {
    signature.typespace = &module->typespace();
    if (auto id = module->FindReducer(options.function)) {
      const host::ReducerDef& reducer = module->reducers()[*id];
      signature.kind = "reducer";
      signature.name = reducer.name;
      signature.params = &reducer.params;
    } else if (auto pid = module->FindProcedure(options.function)) {
      const host::ProcedureDef& procedure = module->procedures()[*pid];
      signature.kind = "procedure";
      signature.name = procedure.name;
      signature.params = &procedure.params;
      is_procedure = true;
    } else {
      return Error(ErrorCode::kNotFound, NoSuchFunction(options, identity, &*module));
    }
    checked = &signature;
  }
  STDB_ASSIGN_OR_RETURN(std::string body, BuildCallArgumentsJson(options.arguments, checked));
  STDB_ASSIGN_OR_RETURN(HttpResponse response,
                        api.Send("POST", DatabasePath(identity) + "/call/" + PercentEncode(options.function), body,
                                 {{"Content-Type", "application/json"}}));
  if (response.ok()) {
    if (is_procedure || (!module.ok() && !response.body.empty())) *ctx.out << response.body << "\n";
    return OkStatus();
  }
  std::string text = response.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (response.status == 404 &&
      (text.rfind("no such reducer", 0) == 0 || text.rfind("no such procedure", 0) == 0 || text.empty()))
    return Error(ErrorCode::kNotFound, NoSuchFunction(options, identity, module.ok() ? &*module : nullptr));
  if (response.status == 400 && text.rfind("invalid arguments", 0) == 0)
    return Error(ErrorCode::kInvalidArgument,
                 "Invalid arguments provided for " + (checked ? signature.kind : std::string("function")) + " `" +
                     options.function + "` for database `" + options.database + "` resolving to identity `" +
                     identity.ToHex() + "`: " + text +
                     (checked ? "\n\nThe " + signature.kind + " has the following signature:\n\t" + FormatSignature(signature)
                              : std::string()));
  if (response.status == 530)
    return Error(ErrorCode::kInvalidArgument, "the " + (checked ? signature.kind : std::string("reducer")) + " `" +
                                                  options.function + "` failed: " + text);
  if (response.status == 402)
    return Error(ErrorCode::kResourceExhausted, "the call ran out of energy: " + text);
  return ResponseError(response, "calling `" + options.function + "` on database `" + options.database + "`");
}

}  // namespace stdb::cli

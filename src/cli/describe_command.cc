#include "cli/describe_command.h"

#include "cli/command_support.h"
#include "cli/json_pretty.h"
#include "host/module_def_json.h"
#include "cli/module_extractor.h"
#include "sats/json.h"

namespace stdb::cli {

namespace {

// The first section's payload of a V10 definition with this kind, or the V9 member.
const sats::Json* FindList(const sats::Json& def, int version, const char* v10_section, const char* v9_member) {
  if (version == 9) return def.Find(v9_member);
  const sats::Json* sections = def.Find("sections");
  if (!sections || !sections->is_array()) return nullptr;
  for (const auto& section : sections->items())
    if (section.is_object() && !section.members().empty() && section.members()[0].first == v10_section)
      return &section.members()[0].second;
  return nullptr;
}

const sats::Json* FindByName(const sats::Json* list, const char* key, const std::string& name) {
  if (!list || !list->is_array()) return nullptr;
  for (const auto& item : list->items()) {
    const sats::Json* n = item.Find(key);
    if (n && n->is_string() && n->text() == name) return &item;
  }
  return nullptr;
}

}  // namespace

Status RunDescribe(const DescribeOptions& options, CommandContext& ctx) {
  if (!options.json)
    return Error(ErrorCode::kInvalidArgument,
                 "describe prints JSON only; add --json: spacetime describe --json <database>");
  if (options.parts.empty())
    return Error(ErrorCode::kInvalidArgument, "name the database: spacetime describe --json <database>");
  std::string entity_type, entity_name;
  if (options.parts.size() == 3) {
    entity_type = options.parts[1];
    entity_name = options.parts[2];
    if (entity_type != "table" && entity_type != "reducer")
      return Error(ErrorCode::kInvalidArgument,
                   "Invalid entity_type '" + entity_type + "'. Expected one of: reducer, table.");
  } else if (options.parts.size() != 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "Invalid describe arguments; usage: spacetime describe --json <database> [table|reducer <name>]");
  }
  if (options.table || options.reducer) {
    if (!entity_type.empty() || (options.table && options.reducer))
      return Error(ErrorCode::kInvalidArgument, "describe one thing at a time: give either --table or --reducer");
    entity_type = options.table ? "table" : "reducer";
    entity_name = options.table ? *options.table : *options.reducer;
  }
  const std::string& database = options.parts[0];
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, options.anonymous));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(database));
  STDB_ASSIGN_OR_RETURN(SchemaJson schema, api.GetSchema(identity, database));
  auto json = sats::Json::Parse(schema.json);
  if (!json.ok())
    return Error(ErrorCode::kDecode, "the schema of `" + database + "` is not valid JSON: " + json.error().message());
  if (entity_type.empty()) {
    *ctx.out << PrettyJson(*json) << "\n";
    return OkStatus();
  }
  auto raw = host::ReadSchemaJson(schema.json, schema.version);
  if (!raw.ok()) return raw.error();
  STDB_ASSIGN_OR_RETURN(host::ModuleDef module, ValidateModuleDef(*raw, "database `" + database + "`"));
  const char* key = schema.version == 9 ? "name" : "source_name";
  const sats::Json* found = nullptr;
  if (entity_type == "table") {
    const host::TableDef* table = module.FindTable(entity_name);
    if (table) found = FindByName(FindList(*json, schema.version, "Tables", "tables"), key, table->accessor_name);
    if (!found) {
      std::string names;
      for (const auto& t : module.tables()) names += (names.empty() ? "" : ", ") + t.name;
      return Error(ErrorCode::kNotFound, "no such table `" + entity_name + "` in database `" + database +
                                             "`; its tables are: " + (names.empty() ? "(none)" : names));
    }
  } else {
    auto id = module.FindReducer(entity_name);
    if (id) found = FindByName(FindList(*json, schema.version, "Reducers", "reducers"), key, module.reducers()[*id].accessor_name);
    if (!found) {
      std::string names;
      for (const auto& r : module.reducers()) names += (names.empty() ? "" : ", ") + r.name;
      return Error(ErrorCode::kNotFound, "no such reducer `" + entity_name + "` in database `" + database +
                                             "`; its reducers are: " + (names.empty() ? "(none)" : names));
    }
  }
  *ctx.out << PrettyJson(*found) << "\n";
  return OkStatus();
}

}  // namespace stdb::cli

#include "cli/init_command.h"

#include <filesystem>

#include "cli/sdk_locator.h"

namespace stdb::cli {

namespace fs = std::filesystem;

Status RunInit(const InitOptions& options, CommandContext& ctx) {
  if (options.lang.empty())
    return Error(ErrorCode::kInvalidArgument, "choose the module language with --lang cpp");
  if (options.lang != "cpp" && options.lang != "c++" && options.lang != "cxx" && options.lang != "C++" &&
      options.lang != "Cpp")
    return Error(ErrorCode::kUnsupported, "--lang " + options.lang +
                                              " is not supported by this CLI; it creates C++ modules (--lang cpp)");
  std::optional<std::string> target = options.project_path ? options.project_path : options.project_name;
  if (!target || target->empty())
    return Error(ErrorCode::kInvalidArgument,
                 "name the directory to create: spacetime init --lang cpp <project-dir>");
  STDB_ASSIGN_OR_RETURN(std::string sdk, FindCppSdk(ctx.executable_path));
  fs::path template_dir = fs::path(sdk) / "template";
  std::error_code ec;
  if (!fs::is_directory(template_dir, ec))
    return Error(ErrorCode::kNotFound, "the C++ SDK at " + sdk +
                                           " has no template/ directory; reinstall the SDK or set SPACETIMEDB_CPP_SDK to a "
                                           "complete sdk/cpp directory");
  fs::path dest(*target);
  if (fs::exists(dest, ec)) {
    if (!fs::is_directory(dest, ec))
      return Error(ErrorCode::kAlreadyExists, dest.string() + " exists and is not a directory; choose another path");
    if (!fs::is_empty(dest, ec))
      return Error(ErrorCode::kAlreadyExists, dest.string() + " is not empty; choose a new directory for the project");
  }
  fs::create_directories(dest, ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot create " + dest.string() + ": " + ec.message() + " — check the path's permissions");
  fs::copy(template_dir, dest, fs::copy_options::recursive, ec);
  if (ec)
    return Error(ErrorCode::kIo, "copying the template into " + dest.string() + " failed: " + ec.message() +
                                     " — check the directory's permissions and free space");
  *ctx.out << "Project successfully created at path: " << dest.string() << "\n"
           << "Next steps:\n"
           << "  cd " << dest.string() << "\n"
           << "  spacetime build                  # compile src/*.cpp to build/lib.wasm\n"
           << "  spacetime publish <database-name>  # upload it to the server (spacetime start runs one)\n";
  return OkStatus();
}

}  // namespace stdb::cli

# CMake toolchain file for SpacetimeDB C++ modules: Debian's clang-19 targeting wasm32-wasi in reactor mode,
# with the flags of spec/wasm-runtime.md §3 (the same as `spacetime build`, see ../README.md).
#
#   cmake -S <module> -B build -DCMAKE_TOOLCHAIN_FILE=<sdk>/cmake/wasm32-spacetimedb.cmake -DCMAKE_BUILD_TYPE=Release
#
# Executables get the .wasm suffix. SPACETIMEDB_CPP_SDK points at the SDK (the directory above this file); add
# ${SPACETIMEDB_CPP_SDK}/src/unity/spacetimedb_sdk.cpp to the module's sources and
# ${SPACETIMEDB_CPP_SDK}/include to its include path (sdk/cpp/template/CMakeLists.txt does both).
# Requires: clang-19 lld-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32.

# CMake has no WASI platform module before 3.28; Generic with a target triple is enough for clang.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

find_program(SPACETIMEDB_CLANG NAMES clang-19 REQUIRED)
find_program(SPACETIMEDB_CLANGXX NAMES clang++-19 REQUIRED)
set(CMAKE_C_COMPILER ${SPACETIMEDB_CLANG})
set(CMAKE_CXX_COMPILER ${SPACETIMEDB_CLANGXX})
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)

# Modules are built without exceptions or RTTI (the host cannot unwind them); unused code is collected.
set(CMAKE_CXX_FLAGS_INIT "-fno-exceptions -fno-rtti -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "-ffunction-sections -fdata-sections")
# Reactor mode: the host calls _initialize (static constructors) and then the module's exports; there is no main.
# A 1 MiB stack below the data, so an overflow traps rather than corrupting static data.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-mexec-model=reactor -Wl,--gc-sections -Wl,--strip-all -Wl,--stack-first -Wl,-z,stack-size=1048576")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".wasm")
# Probe programs cannot run on the build machine.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

get_filename_component(SPACETIMEDB_CPP_SDK "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(SPACETIMEDB_CPP_SDK "${SPACETIMEDB_CPP_SDK}" CACHE PATH "The SpacetimeDB C++ module SDK")

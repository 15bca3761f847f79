# Runs the build command documented in README.md (between the build-command markers) on a copy of a module
# directory, exactly as `spacetime build` will, and checks the resulting build/lib.wasm.
# Usage: cmake -DSDK_DIR=<sdk/cpp> -DMODULE_DIR=<module> -DWORK_DIR=<scratch> -DWASM_OBJDUMP=<path>
#              -P check_build_command.cmake
cmake_minimum_required(VERSION 3.25)

file(READ ${SDK_DIR}/README.md readme)
string(REGEX MATCH "<!-- build-command -->\n```sh\n([^\n]*)\n```\n<!-- /build-command -->" block "${readme}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "README.md has no build-command block")
endif()
set(command "${CMAKE_MATCH_1}")

file(REMOVE_RECURSE ${WORK_DIR})
file(COPY ${MODULE_DIR}/ DESTINATION ${WORK_DIR})
set(ENV{SPACETIMEDB_CPP_SDK} ${SDK_DIR})
execute_process(COMMAND sh -c "${command}" WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the documented build command failed (${status}): ${command}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DWASM_OBJDUMP=${WASM_OBJDUMP} -DMODULE=${WORK_DIR}/build/lib.wasm
                        -P ${SDK_DIR}/cmake/check_wasm_module.cmake RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "build/lib.wasm does not meet the host's contract")
endif()

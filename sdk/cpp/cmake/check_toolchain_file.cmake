# Configures and builds a module directory with CMake and the toolchain file wasm32-spacetimedb.cmake, and
# checks the resulting lib.wasm.
# Usage: cmake -DSDK_DIR=<sdk/cpp> -DMODULE_DIR=<module> -DWORK_DIR=<scratch> -DWASM_OBJDUMP=<path>
#              -DGENERATOR=<generator> -P check_toolchain_file.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${MODULE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
                        -DCMAKE_TOOLCHAIN_FILE=${SDK_DIR}/cmake/wasm32-spacetimedb.cmake -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring ${MODULE_DIR} with the toolchain file failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR} -j 2 RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building ${MODULE_DIR} with the toolchain file failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DWASM_OBJDUMP=${WASM_OBJDUMP} -DMODULE=${WORK_DIR}/lib.wasm
                        -P ${SDK_DIR}/cmake/check_wasm_module.cmake RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "lib.wasm does not meet the host's contract")
endif()

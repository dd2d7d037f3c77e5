# cmake -P: two components that define the same global function
# (cmake/test/clash) must make the firmware build fail with a message that
# names the symbol and both components (SymbolClashCheck.cmake).
# -DSRC= -DBIN=
file(REMOVE_RECURSE ${BIN})
set(fix ${SRC}/cmake/test/clash)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}
                        -DCMAKE_TOOLCHAIN_FILE=${SRC}/cmake/arm-none-eabi.cmake
                        -DFWFUZZ_BUILD_MODE=firmware -DFWFUZZ_WERROR=ON
                        -DCMAKE_BUILD_TYPE=MinSizeRel -DFWFUZZ_ONLY=none
                        "-DFWFUZZ_EXTRA_TARGET_DIRS=${fix}/clash_a|${fix}/clash_b"
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${log}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN}
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "the build linked two definitions of clash_parse "
                      "without an error:\n${log}")
endif()
if(NOT log MATCHES "clash_parse: defined by component clash_a \\([^)]*\\) and component clash_b \\([^)]*\\)")
  message(FATAL_ERROR "the build failed, but not naming clash_parse and "
                      "both components:\n${log}")
endif()
string(REGEX MATCH "clash_parse: [^\n]*" what "${log}")
message(STATUS "refused as expected: ${what}")

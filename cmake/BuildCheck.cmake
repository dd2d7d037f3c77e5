# Configure and build the component libraries in a separate tree.
# -DSRC= -DBIN= and either -DCC=<host compiler> or -DCPU=<cortex-m core>.
set(_args -S ${SRC} -B ${BIN} -DFWFUZZ_BUILD_MODE=components -DFWFUZZ_WERROR=ON
          "-DFWFUZZ_ONLY=${ONLY}" "-DFWFUZZ_EXTRA_TARGET_DIRS=${EXTRA}")
# ONLY and EXTRA keep their "|" separators: the tree splits them itself.
if(CPU)
  list(APPEND _args -DCMAKE_TOOLCHAIN_FILE=${SRC}/cmake/arm-none-eabi.cmake
                    -DFWFUZZ_ARM_CPU=${CPU} -DCMAKE_BUILD_TYPE=MinSizeRel)
else()
  list(APPEND _args -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=Release)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${_args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed")
endif()

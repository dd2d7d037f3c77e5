# cmake -P: fwfuzz_add_component's DEFINITIONS and THIRD_PARTY reach every
# variant of a component (cmake/test/options). The fixture's header stops
# the build with #error where the definitions are missing, and they name
# its function, so nm finds vendored_configured only where they arrived:
# the native replay (the _san library), both firmware images (KASan and
# plain), and the gcc and arm-none-eabi build checks. Its unused parameter
# is a warning that THIRD_PARTY shows without failing under -Werror; the
# same source as our own code (options/own) must fail.
# -DSRC= -DBIN=
file(REMOVE_RECURSE ${BIN})
set(fix ${SRC}/cmake/test/options)
find_program(HOST_NM nm REQUIRED)
find_program(ARM_NM arm-none-eabi-nm REQUIRED)

function(run what)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE log ERROR_VARIABLE log
                  RESULT_VARIABLE rc)
  set(log "${log}" PARENT_SCOPE)
  set(rc "${rc}" PARENT_SCOPE)
  message(STATUS "${what}: exit ${rc}")
endfunction()

function(expect_symbol nm file)
  execute_process(COMMAND ${nm} ${file} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT syms MATCHES " T vendored_configured\n")
    message(FATAL_ERROR "${file}: no vendored_configured, the DEFINITIONS "
                        "did not reach it")
  endif()
endfunction()

# Native replay and both firmware images, -Werror on.
run("full build" ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}/full
    -DCMAKE_C_COMPILER=clang -DFWFUZZ_WERROR=ON -DFWFUZZ_ONLY=none
    -DFWFUZZ_WITH_AFL=OFF -DFWFUZZ_WITH_EMU=OFF -DFWFUZZ_CROSS_CHECKS=OFF
    -DFWFUZZ_EXTRA_TARGET_DIRS=${fix}/vendored)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${log}")
endif()
run("full build" ${CMAKE_COMMAND} --build ${BIN}/full
    --target vendored_parse_replay fwfuzz_firmware)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "THIRD_PARTY code failed the -Werror build:\n${log}")
endif()
if(NOT log MATCHES "unused parameter")
  message(FATAL_ERROR "THIRD_PARTY hid the fixture's warning:\n${log}")
endif()
expect_symbol(${HOST_NM} ${BIN}/full/bin/vendored_parse_replay)
expect_symbol(${ARM_NM} ${BIN}/full/firmware/fwfuzz-fuzz.elf)
expect_symbol(${ARM_NM} ${BIN}/full/firmware/fwfuzz-fuzz-plain.elf)

# The build checks (build/host-gcc, build/arm-*), -Werror on.
foreach(check "-DCC=gcc" "-DCPU=cortex-m0plus")
  string(REGEX REPLACE "^-D[A-Z]+=" "" name "${check}")
  run("build check ${name}" ${CMAKE_COMMAND} -DSRC=${SRC}
      -DBIN=${BIN}/check-${name} ${check} -DONLY=none
      -DEXTRA=${fix}/vendored -P ${SRC}/cmake/BuildCheck.cmake)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "THIRD_PARTY code failed build check ${name}:\n${log}")
  endif()
  file(GLOB lib ${BIN}/check-${name}/extra/vendored/libvendored.a)
  if(name STREQUAL "gcc")
    expect_symbol(${HOST_NM} "${lib}")
  else()
    expect_symbol(${ARM_NM} "${lib}")
  endif()
endforeach()

# Our own code keeps -Werror.
run("own code" ${CMAKE_COMMAND} -DSRC=${SRC} -DBIN=${BIN}/check-own -DCC=gcc
    -DONLY=none -DEXTRA=${fix}/own -P ${SRC}/cmake/BuildCheck.cmake)
if(rc EQUAL 0 OR NOT log MATCHES "unused-parameter")
  message(FATAL_ERROR "our own code's warning did not fail the build:\n${log}")
endif()

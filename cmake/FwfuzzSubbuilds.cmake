# Builds of this same source tree with other compilers, made from the full
# build (the firmware sub-build is in FwfuzzFirmware.cmake).
#
#   fwfuzz_add_afl_subbuild()    the AFL++ builds, <build>/afl
#   fwfuzz_add_build_checks()    CTest "build/*": the components with gcc and
#                                arm-none-eabi-gcc, -Werror (BuildCheck.cmake)

# Sub-builds get FWFUZZ_ONLY and FWFUZZ_EXTRA_TARGET_DIRS with "|" between
# items (the top-level CMakeLists.txt splits them again), and in _forward
# the variables that components named in the global property
# FWFUZZ_SUBBUILD_VARS (their own build settings, e.g. the planted-firmware
# example's SENSOR_FIXED), as -DNAME=VALUE with "|" for ";".
macro(_fwfuzz_subbuild_lists)
  string(REPLACE ";" "|" _only "${FWFUZZ_ONLY}")
  string(REPLACE ";" "|" _extra "${FWFUZZ_EXTRA_TARGET_DIRS}")
  get_property(_forward_vars GLOBAL PROPERTY FWFUZZ_SUBBUILD_VARS)
  set(_forward "")
  foreach(_v IN LISTS _forward_vars)
    string(REPLACE ";" "|" _fv "${${_v}}")
    list(APPEND _forward "-D${_v}=${_fv}")
  endforeach()
endmacro()

# The AFL++ builds need afl-clang-fast as the compiler, so they live in a
# sub-build of this same source tree, built as part of this one.
function(fwfuzz_add_afl_subbuild)
  find_program(AFL_CC afl-clang-fast)
  if(NOT AFL_CC)
    message(WARNING "afl-clang-fast not found: AFL++ builds disabled")
    return()
  endif()
  include(ExternalProject)
  _fwfuzz_subbuild_lists()
  ExternalProject_Add(fwfuzz_afl
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/afl
    LIST_SEPARATOR |
    CMAKE_ARGS -DCMAKE_C_COMPILER=${AFL_CC} -DFWFUZZ_BUILD_MODE=afl
               "-DCMAKE_C_COMPILER_LAUNCHER=env|AFL_QUIET=1"
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               -DFWFUZZ_WERROR=${FWFUZZ_WERROR}
               -DFWFUZZ_ONLY=${_only} -DFWFUZZ_EXTRA_TARGET_DIRS=${_extra}
               -DFWFUZZ_WITH_EMU=${FWFUZZ_WITH_EMU}
               -DFWFUZZ_EMU_IMAGE_DEFAULT=${FWFUZZ_EMU_IMAGE_DEFAULT}
               -DFWFUZZ_FIRMWARE_DIR=${FWFUZZ_FIRMWARE_DIR}
               ${_forward}
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")
endfunction()

# CTest proves the components also build with gcc for the host and with
# arm-none-eabi-gcc for Cortex-M0+ and Cortex-M4, with -Werror.
function(fwfuzz_add_build_checks)
  _fwfuzz_subbuild_lists()
  set(_common -DSRC=${PROJECT_SOURCE_DIR} "-DONLY=${_only}" "-DEXTRA=${_extra}"
      -P ${PROJECT_SOURCE_DIR}/cmake/BuildCheck.cmake)
  add_test(NAME build/host-gcc COMMAND ${CMAKE_COMMAND}
    -DBIN=${CMAKE_BINARY_DIR}/check/host-gcc -DCC=gcc ${_common})
  foreach(_cpu cortex-m0plus cortex-m4)
    add_test(NAME build/arm-${_cpu} COMMAND ${CMAKE_COMMAND}
      -DBIN=${CMAKE_BINARY_DIR}/check/arm-${_cpu} -DCPU=${_cpu} ${_common})
  endforeach()
  set_tests_properties(build/host-gcc build/arm-cortex-m0plus build/arm-cortex-m4
    PROPERTIES LABELS "build")
endfunction()

# Builds for OSS-Fuzz and ClusterFuzzLite (.clusterfuzzlite/build.sh,
# docs/cluster.md): the cluster chooses the compiler, the sanitizer and the
# fuzzing engine, so the libFuzzer binaries take its $CFLAGS (through
# CMAKE_C_FLAGS) and link its $LIB_FUZZING_ENGINE instead of our own flags.
#
#   FWFUZZ_OSSFUZZ=ON              this mode (full build mode only)
#   FWFUZZ_LIB_FUZZING_ENGINE      what the fuzzer binaries link (default:
#                                  $LIB_FUZZING_ENGINE at configure time)
#
# Sets for FwfuzzFuzzTarget.cmake: FWFUZZ_FUZZER_COMPILE_FLAGS and
# FWFUZZ_FUZZER_LINK_FLAGS (the libFuzzer binaries' own flags), and in this
# mode empties FWFUZZ_SAN_FLAGS and FWFUZZ_COV_FLAGS. Defines the target
# fwfuzz_ossfuzz: every binary build.sh copies into $OUT, which loads its
# shared libraries from $OUT/lib.

option(FWFUZZ_OSSFUZZ
  "Build the libFuzzer binaries as OSS-Fuzz/ClusterFuzzLite do: their CFLAGS and LIB_FUZZING_ENGINE" OFF)
set(FWFUZZ_LIB_FUZZING_ENGINE "$ENV{LIB_FUZZING_ENGINE}" CACHE STRING
  "With FWFUZZ_OSSFUZZ: what the fuzzer binaries link (OSS-Fuzz's LIB_FUZZING_ENGINE)")

# Our own builds: ASan+UBSan from FWFUZZ_SAN_FLAGS, libFuzzer by flag.
set(FWFUZZ_FUZZER_COMPILE_FLAGS -fsanitize=fuzzer)
set(FWFUZZ_FUZZER_LINK_FLAGS -fsanitize=fuzzer)

if(FWFUZZ_OSSFUZZ AND FWFUZZ_BUILD_MODE STREQUAL "full")
  if(FWFUZZ_LIB_FUZZING_ENGINE STREQUAL "")
    message(FATAL_ERROR "FWFUZZ_OSSFUZZ: LIB_FUZZING_ENGINE is not set (OSS-Fuzz "
                        "sets it; for libFuzzer it is -fsanitize=fuzzer)")
  endif()
  # The sanitizer and the coverage instrumentation come from CMAKE_C_FLAGS
  # ($CFLAGS), on every object alike, as the cluster's checks expect.
  set(FWFUZZ_SAN_FLAGS "")
  set(FWFUZZ_COV_FLAGS "")
  set(FWFUZZ_FUZZER_COMPILE_FLAGS "")
  # A list: the engine may be several words ("-fsanitize=fuzzer -lfoo").
  separate_arguments(FWFUZZ_FUZZER_LINK_FLAGS UNIX_COMMAND
    "${FWFUZZ_LIB_FUZZING_ENGINE}")
  # No AFL++ sub-build: the cluster builds its own engines.
  set(FWFUZZ_WITH_AFL OFF)
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _fwfuzz_ossfuzz_finish)
elseif(FWFUZZ_BUILD_MODE STREQUAL "full")
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _fwfuzz_ossfuzz_check)
endif()

# CTest cluster/build-and-run: build.sh as a cluster runs it, then every
# fuzzer of its $OUT on its seeds (cmake/ClusterFuzzLiteCheck.cmake). It
# builds the tree once more, in <build>/check/cluster. And
# cluster/workflows (.github/check_workflows.py).
function(_fwfuzz_ossfuzz_check)
  add_test(NAME cluster/build-and-run COMMAND ${CMAKE_COMMAND}
    -DSRC=${PROJECT_SOURCE_DIR} -DBIN=${CMAKE_BINARY_DIR}/check/cluster
    -DEMU=${FWFUZZ_WITH_EMU}
    -P ${PROJECT_SOURCE_DIR}/cmake/ClusterFuzzLiteCheck.cmake)
  set_tests_properties(cluster/build-and-run PROPERTIES LABELS "cluster"
    TIMEOUT 1800)
  # The nightly workflows and .clusterfuzzlite/ parse and do what
  # docs/cluster.md says; a skip without python3 and PyYAML.
  find_program(FWFUZZ_PYTHON3 python3)
  if(FWFUZZ_PYTHON3)
    add_test(NAME cluster/workflows COMMAND ${FWFUZZ_PYTHON3}
      ${PROJECT_SOURCE_DIR}/.github/check_workflows.py ${PROJECT_SOURCE_DIR})
  else()
    add_test(NAME cluster/workflows COMMAND ${CMAKE_COMMAND} -E echo
      "skipped: python3 not found")
    set_tests_properties(cluster/workflows PROPERTIES SKIP_REGULAR_EXPRESSION skipped)
  endif()
  set_tests_properties(cluster/workflows PROPERTIES LABELS "cluster"
    SKIP_RETURN_CODE 77)
endfunction()

function(_fwfuzz_ossfuzz_finish)
  get_property(_names GLOBAL PROPERTY FWFUZZ_MANIFEST_TARGETS)
  set(_exes "")
  foreach(_n IN LISTS _names)
    if(TARGET ${_n}_libfuzzer) # not a whole image's
      list(APPEND _exes ${_n}_libfuzzer)
    endif()
    if(TARGET ${_n}_emu_libfuzzer)
      list(APPEND _exes ${_n}_emu_libfuzzer)
    endif()
  endforeach()
  add_custom_target(fwfuzz_ossfuzz DEPENDS ${_exes})
  # The cluster's machines have none of our Debian packages (Unicorn,
  # elfutils, Capstone, cJSON): OssFuzzOut.cmake copies the shared
  # libraries into $OUT/lib, and the binaries look there first. DT_RPATH
  # (not RUNPATH): it also serves the libraries' own dependencies.
  set_target_properties(${_exes} PROPERTIES BUILD_RPATH "$ORIGIN/lib")
  foreach(_exe IN LISTS _exes)
    target_link_options(${_exe} PRIVATE LINKER:--disable-new-dtags)
  endforeach()
  # The emulated drivers count only the emulated edges (extra counters),
  # as in our own builds: $CFLAGS' coverage instrumentation is taken off
  # the emulator and the driver, whose host edges would only be noise to
  # libFuzzer. The sanitizer stays.
  set(_host emu fwfuzz_emu_driver fwfuzz_target_options)
  foreach(_n IN LISTS _names)
    if(TARGET ${_n}_emu_libfuzzer)
      list(APPEND _host ${_n}_emu_libfuzzer)
    endif()
  endforeach()
  foreach(_t IN LISTS _host)
    if(TARGET ${_t})
      target_compile_options(${_t} PRIVATE -fno-sanitize=fuzzer-no-link)
    endif()
  endforeach()
endfunction()

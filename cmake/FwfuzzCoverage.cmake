# Native source-based coverage builds (`fwfuzz cov`, docs/coverage.md).
#
#   _fwfuzz_cov_component(<lib> SOURCES ... INCLUDE ... LIBS ... ...)
#       Called by fwfuzz_add_component: <lib>_cov, the component compiled
#       with clang's coverage instrumentation and no sanitizer.
#   _fwfuzz_cov_fuzz_target(<target> <sources> <libs>)
#       Called by fwfuzz_add_fuzz_target: <target>_cov, the plain replay
#       main (harness/engine/replay_main.c) over the target's sources, the
#       _cov variant of each library that has one.
#   _fwfuzz_cov_manifest(<json var> <target>)
#       The manifest keys "component_dir" and "cov" ({binary, profdata,
#       llvm_cov}, or null when not built).
#
# Only the full build with clang makes them: the profile format belongs to
# the compiler, so llvm-profdata and llvm-cov are looked up beside it.

set(FWFUZZ_COVERAGE_FLAGS "")
if(FWFUZZ_BUILD_MODE STREQUAL "full" AND CMAKE_C_COMPILER_ID STREQUAL "Clang")
  string(REGEX MATCH "^[0-9]+" _fwfuzz_cc_major "${CMAKE_C_COMPILER_VERSION}")
  get_filename_component(_fwfuzz_cc_real ${CMAKE_C_COMPILER} REALPATH)
  get_filename_component(_fwfuzz_cc_dir ${_fwfuzz_cc_real} DIRECTORY)
  find_program(FWFUZZ_LLVM_PROFDATA
    NAMES llvm-profdata-${_fwfuzz_cc_major} llvm-profdata
    HINTS ${_fwfuzz_cc_dir} NO_CACHE)
  find_program(FWFUZZ_LLVM_COV NAMES llvm-cov-${_fwfuzz_cc_major} llvm-cov
    HINTS ${_fwfuzz_cc_dir} NO_CACHE)
  if(FWFUZZ_LLVM_PROFDATA AND FWFUZZ_LLVM_COV)
    # -O1 as OSS-Fuzz's coverage builds: the mapping comes from the front
    # end, so optimisation does not change what is counted.
    set(FWFUZZ_COVERAGE_FLAGS -fprofile-instr-generate -fcoverage-mapping -O1 -g)
  else()
    message(STATUS "fwfuzz: native coverage builds off: llvm-profdata or "
                   "llvm-cov not found (Debian llvm-${_fwfuzz_cc_major})")
  endif()
endif()

function(_fwfuzz_cov_component lib)
  if(NOT FWFUZZ_COVERAGE_FLAGS)
    return()
  endif()
  cmake_parse_arguments(A "THIRD_PARTY" "" "SOURCES;INCLUDE;LIBS;DEFINITIONS" ${ARGN})
  set(_third "")
  if(A_THIRD_PARTY)
    set(_third THIRD_PARTY)
  endif()
  _fwfuzz_variant_libs(_libs _cov ${A_LIBS})
  _fwfuzz_component_library(${lib}_cov SOURCES ${A_SOURCES}
    INCLUDE ${A_INCLUDE} DEFINITIONS ${A_DEFINITIONS} LIBS ${_libs} ${_third})
  target_compile_options(${lib}_cov PRIVATE ${FWFUZZ_COVERAGE_FLAGS})
  target_link_options(${lib}_cov INTERFACE -fprofile-instr-generate)
endfunction()

function(_fwfuzz_cov_fuzz_target name sources libs)
  if(NOT FWFUZZ_COVERAGE_FLAGS)
    return()
  endif()
  if(NOT TARGET fwfuzz_cov_main)
    # The replay main without a sanitizer: a coverage run must not stop at
    # the first finding a sanitizer would report (fwfuzz cov reruns the
    # inputs of a failed batch one by one).
    add_library(fwfuzz_cov_main STATIC
      ${PROJECT_SOURCE_DIR}/harness/engine/replay_main.c)
    target_link_libraries(fwfuzz_cov_main PUBLIC fwfuzz_bench fwfuzz_check)
  endif()
  _fwfuzz_variant_libs(_libs _cov ${libs})
  add_executable(${name}_cov ${sources})
  target_compile_options(${name}_cov PRIVATE ${FWFUZZ_COVERAGE_FLAGS})
  target_link_options(${name}_cov PRIVATE -fprofile-instr-generate)
  # the oracle calls link, but no run begins: a coverage run reports none
  target_link_libraries(${name}_cov PRIVATE fwfuzz_cov_main ${_libs}
    fwfuzz_oracle)
  set_target_properties(${name}_cov PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
endfunction()

function(_fwfuzz_cov_manifest var name)
  set(_e "${${var}}")
  _fwfuzz_json_set(_e component_dir "${CMAKE_CURRENT_SOURCE_DIR}")
  string(JSON _e SET "${_e}" cov null)
  if(FWFUZZ_COVERAGE_FLAGS AND TARGET ${name}_cov)
    set(_c "{}")
    _fwfuzz_json_set_pairs(_c
      "binary=${FWFUZZ_BIN_DIR}/${name}_cov${CMAKE_EXECUTABLE_SUFFIX}"
      "profdata=${FWFUZZ_LLVM_PROFDATA}" "llvm_cov=${FWFUZZ_LLVM_COV}")
    string(JSON _e SET "${_e}" cov "${_c}")
  endif()
  set(${var} "${_e}" PARENT_SCOPE)
endfunction()

# The end-to-end check of `fwfuzz cov` (label "coverage"), registered at
# the end of the configure run, when the targets it measures exist.
function(_fwfuzz_cov_check)
  if(NOT FWFUZZ_COVERAGE_FLAGS OR NOT TARGET fwfuzz OR
     NOT TARGET mqtt_packet_cov OR NOT TARGET crypto_sha256_cov)
    return()
  endif()
  set(_emu OFF)
  if(FWFUZZ_WITH_EMU AND TARGET mqtt_packet_emu_replay)
    set(_emu ON)
  endif()
  add_test(NAME coverage/fwfuzz-cov COMMAND ${CMAKE_COMMAND}
    -DFWFUZZ=$<TARGET_FILE:fwfuzz> -DWORK=${CMAKE_BINARY_DIR}/cov-check
    -DEMU=${_emu}
    -P ${PROJECT_SOURCE_DIR}/harness/fwfuzz/test/cov_check.cmake)
  set_tests_properties(coverage/fwfuzz-cov PROPERTIES LABELS "coverage"
    SKIP_RETURN_CODE 77 TIMEOUT 300)
endfunction()
if(FWFUZZ_BUILD_MODE STREQUAL "full")
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _fwfuzz_cov_check)
endif()

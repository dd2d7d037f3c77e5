# The one mechanism every component and fuzz target goes through.
#
#   fwfuzz_add_component(NAME <lib> SOURCES <src...> [INCLUDE <dir>] [LIBS <lib...>])
#       A portable component library. Builds <lib> (plain, any compiler,
#       cross too) and <lib>_san (ASan+UBSan and fuzzer coverage, host only).
#   fwfuzz_add_fuzz_target(NAME <target> SOURCES <src...> LIBS <lib...>
#                          [COMPONENT <name>] [CORPUS <dir>] [DICT <file>]
#                          [OPTIONS <file>])
#       One LLVMFuzzerTestOneInput file built three ways: <target>_libfuzzer,
#       <target>_replay (plain main, takes files and folders) and, in the
#       AFL++ sub-build, <target>_afl. Registered for `fwfuzz` and CTest.
#   fwfuzz_add_unit_test(NAME <test> SOURCES <src...> LIBS <lib...>)
#       A cmocka test linked against the sanitized libraries, label "unit".
#   fwfuzz_add_tool(NAME <exe> SOURCES <src...> LIBS <lib...>)
#       A host helper program (image signer, seed generator, ...).

set(FWFUZZ_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g)
if(FWFUZZ_BUILD_MODE STREQUAL "full")
  # Coverage for libFuzzer; replay and unit tests get the weak hooks from
  # the sanitizer runtime.
  set(FWFUZZ_COV_FLAGS -fsanitize=fuzzer-no-link)
else()
  set(FWFUZZ_COV_FLAGS "") # afl-clang-fast instruments by itself
endif()
set(FWFUZZ_BIN_DIR ${CMAKE_BINARY_DIR}/bin)

function(fwfuzz_add_component)
  cmake_parse_arguments(A "" "NAME;INCLUDE" "SOURCES;LIBS" ${ARGN})
  if(NOT A_NAME OR NOT A_SOURCES)
    message(FATAL_ERROR "fwfuzz_add_component: NAME and SOURCES are required")
  endif()
  if(NOT A_INCLUDE)
    set(A_INCLUDE ${CMAKE_CURRENT_SOURCE_DIR}/include)
  endif()
  add_library(${A_NAME} STATIC ${A_SOURCES})
  target_include_directories(${A_NAME} PUBLIC ${A_INCLUDE})
  target_link_libraries(${A_NAME} PUBLIC ${A_LIBS})
  if(FWFUZZ_BUILD_MODE STREQUAL "components")
    return()
  endif()
  set(_san_libs "")
  foreach(_l IN LISTS A_LIBS)
    list(APPEND _san_libs ${_l}_san)
  endforeach()
  add_library(${A_NAME}_san STATIC ${A_SOURCES})
  target_include_directories(${A_NAME}_san PUBLIC ${A_INCLUDE})
  target_compile_options(${A_NAME}_san PRIVATE ${FWFUZZ_SAN_FLAGS} ${FWFUZZ_COV_FLAGS})
  target_link_options(${A_NAME}_san INTERFACE ${FWFUZZ_SAN_FLAGS})
  target_link_libraries(${A_NAME}_san PUBLIC ${_san_libs})
endfunction()

function(_fwfuzz_san_libs out)
  set(_r "")
  foreach(_l IN LISTS ARGN)
    if(TARGET ${_l}_san)
      list(APPEND _r ${_l}_san)
    else()
      list(APPEND _r ${_l})
    endif()
  endforeach()
  set(${out} ${_r} PARENT_SCOPE)
endfunction()

function(fwfuzz_add_fuzz_target)
  cmake_parse_arguments(A "" "NAME;COMPONENT;CORPUS;DICT;OPTIONS" "SOURCES;LIBS" ${ARGN})
  if(NOT A_NAME OR NOT A_SOURCES)
    message(FATAL_ERROR "fwfuzz_add_fuzz_target: NAME and SOURCES are required")
  endif()
  if(FWFUZZ_BUILD_MODE STREQUAL "components")
    return()
  endif()
  if(NOT A_COMPONENT)
    get_filename_component(A_COMPONENT ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  endif()
  if(NOT A_CORPUS)
    set(A_CORPUS ${PROJECT_SOURCE_DIR}/corpora/${A_NAME})
  endif()
  get_filename_component(A_CORPUS ${A_CORPUS} ABSOLUTE)
  if(NOT A_DICT AND EXISTS ${A_CORPUS}/${A_NAME}.dict)
    set(A_DICT ${A_CORPUS}/${A_NAME}.dict)
  endif()
  list(GET A_SOURCES 0 _first)
  get_filename_component(_first ${_first} ABSOLUTE)
  get_filename_component(_srcdir ${_first} DIRECTORY)
  if(NOT A_OPTIONS AND EXISTS ${_srcdir}/${A_NAME}.options)
    set(A_OPTIONS ${_srcdir}/${A_NAME}.options)
  endif()
  _fwfuzz_san_libs(_libs ${A_LIBS})

  if(FWFUZZ_BUILD_MODE STREQUAL "afl")
    add_executable(${A_NAME}_afl ${A_SOURCES})
    target_compile_options(${A_NAME}_afl PRIVATE ${FWFUZZ_SAN_FLAGS})
    target_link_options(${A_NAME}_afl PRIVATE ${FWFUZZ_SAN_FLAGS})
    target_link_libraries(${A_NAME}_afl PRIVATE fwfuzz_afl_main ${_libs})
    set_target_properties(${A_NAME}_afl PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
    return()
  endif()

  add_executable(${A_NAME}_libfuzzer ${A_SOURCES})
  target_compile_options(${A_NAME}_libfuzzer PRIVATE ${FWFUZZ_SAN_FLAGS} -fsanitize=fuzzer)
  target_link_options(${A_NAME}_libfuzzer PRIVATE ${FWFUZZ_SAN_FLAGS} -fsanitize=fuzzer)
  target_link_libraries(${A_NAME}_libfuzzer PRIVATE fwfuzz_check ${_libs})

  add_executable(${A_NAME}_replay ${A_SOURCES})
  target_compile_options(${A_NAME}_replay PRIVATE ${FWFUZZ_SAN_FLAGS} ${FWFUZZ_COV_FLAGS})
  target_link_options(${A_NAME}_replay PRIVATE ${FWFUZZ_SAN_FLAGS})
  target_link_libraries(${A_NAME}_replay PRIVATE fwfuzz_replay_main ${_libs})
  set_target_properties(${A_NAME}_libfuzzer ${A_NAME}_replay PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})

  # Manifest entry for the fwfuzz command (paths resolved at generate time).
  set(_afl "null")
  if(FWFUZZ_WITH_AFL)
    set(_afl "\"${CMAKE_BINARY_DIR}/afl/bin/${A_NAME}_afl\"")
  endif()
  set(_dict "null")
  if(A_DICT)
    get_filename_component(A_DICT ${A_DICT} ABSOLUTE)
    set(_dict "\"${A_DICT}\"")
  endif()
  set(_opts "null")
  if(A_OPTIONS)
    get_filename_component(A_OPTIONS ${A_OPTIONS} ABSOLUTE)
    set(_opts "\"${A_OPTIONS}\"")
  endif()
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_MANIFEST_ENTRIES
    "{\"name\": \"${A_NAME}\", \"component\": \"${A_COMPONENT}\", \"source\": \"${_first}\", \"libfuzzer\": \"$<TARGET_FILE:${A_NAME}_libfuzzer>\", \"replay\": \"$<TARGET_FILE:${A_NAME}_replay>\", \"afl\": ${_afl}, \"corpus\": \"${A_CORPUS}\", \"dict\": ${_dict}, \"options\": ${_opts}}")

  # Every fuzz target replays its seed and regression corpora under
  # ASan/UBSan, and gets a short libFuzzer smoke run.
  set(_dirs "")
  foreach(_d seed regress)
    if(IS_DIRECTORY ${A_CORPUS}/${_d})
      list(APPEND _dirs ${A_CORPUS}/${_d})
    endif()
  endforeach()
  if(_dirs)
    add_test(NAME replay/${A_NAME} COMMAND ${A_NAME}_replay ${_dirs})
    set_tests_properties(replay/${A_NAME} PROPERTIES LABELS "fuzz-smoke")
  endif()
  set(_smoke ${CMAKE_BINARY_DIR}/smoke/${A_NAME})
  add_test(NAME libfuzzer-smoke/${A_NAME}
    COMMAND ${CMAKE_COMMAND} -E env UBSAN_OPTIONS=halt_on_error=1
            ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:${A_NAME}_libfuzzer> -DWORK=${_smoke}
            "-DSEEDS=${_dirs}" -P ${PROJECT_SOURCE_DIR}/cmake/LibfuzzerSmoke.cmake)
  set_tests_properties(libfuzzer-smoke/${A_NAME} PROPERTIES LABELS "fuzz-smoke")
endfunction()

function(fwfuzz_add_unit_test)
  cmake_parse_arguments(A "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT FWFUZZ_BUILD_MODE STREQUAL "full")
    return()
  endif()
  _fwfuzz_san_libs(_libs ${A_LIBS})
  add_executable(${A_NAME} ${A_SOURCES})
  target_compile_options(${A_NAME} PRIVATE ${FWFUZZ_SAN_FLAGS})
  target_link_options(${A_NAME} PRIVATE ${FWFUZZ_SAN_FLAGS})
  target_link_libraries(${A_NAME} PRIVATE ${_libs} PkgConfig::CMOCKA)
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/test)
  add_test(NAME unit/${A_NAME} COMMAND ${A_NAME})
  set_tests_properties(unit/${A_NAME} PROPERTIES LABELS "unit")
endfunction()

function(fwfuzz_add_tool)
  cmake_parse_arguments(A "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT FWFUZZ_BUILD_MODE STREQUAL "full")
    return()
  endif()
  add_executable(${A_NAME} ${A_SOURCES})
  target_link_libraries(${A_NAME} PRIVATE ${A_LIBS})
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
endfunction()

function(fwfuzz_write_manifest)
  get_property(_entries GLOBAL PROPERTY FWFUZZ_MANIFEST_ENTRIES)
  list(JOIN _entries ",\n    " _body)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fwfuzz-targets.json CONTENT
"{
  \"version\": 1,
  \"source_dir\": \"${PROJECT_SOURCE_DIR}\",
  \"build_dir\": \"${CMAKE_BINARY_DIR}\",
  \"targets\": [
    ${_body}
  ]
}
")
endfunction()

# The AFL++ builds need afl-clang-fast as the compiler, so they live in a
# sub-build of this same source tree, built as part of this one.
function(fwfuzz_add_afl_subbuild)
  find_program(AFL_CC afl-clang-fast)
  if(NOT AFL_CC)
    message(WARNING "afl-clang-fast not found: AFL++ builds disabled")
    return()
  endif()
  include(ExternalProject)
  string(REPLACE ";" "|" _only "${FWFUZZ_ONLY}")
  string(REPLACE ";" "|" _extra "${FWFUZZ_EXTRA_TARGET_DIRS}")
  ExternalProject_Add(fwfuzz_afl
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/afl
    LIST_SEPARATOR |
    CMAKE_ARGS -DCMAKE_C_COMPILER=${AFL_CC} -DFWFUZZ_BUILD_MODE=afl
               "-DCMAKE_C_COMPILER_LAUNCHER=env|AFL_QUIET=1"
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               -DFWFUZZ_WERROR=${FWFUZZ_WERROR}
               -DFWFUZZ_ONLY=${_only} -DFWFUZZ_EXTRA_TARGET_DIRS=${_extra}
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")
endfunction()

# CTest proves the components also build with gcc for the host and with
# arm-none-eabi-gcc for Cortex-M0+ and Cortex-M4, with -Werror.
function(fwfuzz_add_build_checks)
  string(REPLACE ";" "|" _only "${FWFUZZ_ONLY}")
  string(REPLACE ";" "|" _extra "${FWFUZZ_EXTRA_TARGET_DIRS}")
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

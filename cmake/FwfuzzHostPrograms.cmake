# Host programs beside the components (full build only).
#
#   fwfuzz_add_unit_test(NAME <test> SOURCES <src...> LIBS <lib...>)
#       A cmocka test linked against the sanitized libraries, label "unit".
#   fwfuzz_add_tool(NAME <exe> SOURCES <src...> LIBS <lib...>)
#       A host helper program (image signer, seed generator, ...).

function(fwfuzz_add_unit_test)
  cmake_parse_arguments(A "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT FWFUZZ_BUILD_MODE STREQUAL "full")
    return()
  endif()
  _fwfuzz_variant_libs(_libs _san ${A_LIBS})
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

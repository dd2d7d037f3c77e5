# A component: one portable static library in every variant this tree
# builds (docs/adding-a-target.md).
#
#   fwfuzz_add_component(NAME <lib> SOURCES <src...> [INCLUDE <dir>...]
#                        [LIBS <lib...>] [DEFINITIONS <def...>] [THIRD_PARTY])
#       Builds <lib> (plain, any compiler, cross too) and, outside the
#       components-only build, <lib>_san (ASan+UBSan and fuzzer coverage on
#       the host; KASan in the firmware build). INCLUDE (default include/)
#       are PUBLIC include folders. DEFINITIONS are PUBLIC compile
#       definitions of every variant: host, _san, the build checks and the
#       component's code in both firmware images. THIRD_PARTY: code this
#       tree does not own; its warnings are shown but never fatal, in every
#       variant (our own code keeps -Werror).

set(FWFUZZ_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g)
if(FWFUZZ_BUILD_MODE STREQUAL "full")
  # Coverage for libFuzzer; replay and unit tests get the weak hooks from
  # the sanitizer runtime.
  set(FWFUZZ_COV_FLAGS -fsanitize=fuzzer-no-link)
else()
  set(FWFUZZ_COV_FLAGS "") # afl-clang-fast instruments by itself
endif()

# What every variant of a component shares.
function(_fwfuzz_component_library lib)
  cmake_parse_arguments(A "THIRD_PARTY" "" "SOURCES;INCLUDE;LIBS;DEFINITIONS" ${ARGN})
  add_library(${lib} STATIC ${A_SOURCES})
  if(A_THIRD_PARTY)
    # Its headers are compiled into our fuzz targets and images too: as
    # system headers, their warnings do not stop our -Werror code.
    target_include_directories(${lib} SYSTEM PUBLIC ${A_INCLUDE})
  else()
    target_include_directories(${lib} PUBLIC ${A_INCLUDE})
  endif()
  target_compile_definitions(${lib} PUBLIC ${A_DEFINITIONS})
  target_link_libraries(${lib} PUBLIC ${A_LIBS})
  if(A_THIRD_PARTY)
    # After FwfuzzWarnings.cmake's -Werror on the command line: wins.
    target_compile_options(${lib} PRIVATE -Wno-error)
  endif()
endfunction()

function(fwfuzz_add_component)
  cmake_parse_arguments(A "THIRD_PARTY" "NAME" "SOURCES;INCLUDE;LIBS;DEFINITIONS" ${ARGN})
  if(NOT A_NAME OR NOT A_SOURCES)
    message(FATAL_ERROR "fwfuzz_add_component: NAME and SOURCES are required")
  endif()
  if(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "fwfuzz_add_component(${A_NAME}): unknown arguments: "
                        "${A_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A_INCLUDE)
    set(A_INCLUDE ${CMAKE_CURRENT_SOURCE_DIR}/include)
  endif()
  set(_third "")
  if(A_THIRD_PARTY)
    set(_third THIRD_PARTY)
  endif()
  set(_common SOURCES ${A_SOURCES} INCLUDE ${A_INCLUDE}
      DEFINITIONS ${A_DEFINITIONS} ${_third})
  _fwfuzz_component_library(${A_NAME} ${_common} LIBS ${A_LIBS})
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_COMPONENTS ${A_NAME})
  if(FWFUZZ_BUILD_MODE STREQUAL "components")
    return()
  endif()
  set(_san_libs "")
  set(_o2_libs "")
  foreach(_l IN LISTS A_LIBS)
    list(APPEND _san_libs ${_l}_san)
    list(APPEND _o2_libs ${_l}_o2)
  endforeach()
  if(FWFUZZ_BUILD_MODE STREQUAL "firmware")
    # <lib>_o2: the benchmark's plain fuzzing image at -O2 (fwfuzz bench)
    _fwfuzz_component_library(${A_NAME}_o2 ${_common} LIBS ${_o2_libs})
    target_compile_options(${A_NAME}_o2 PRIVATE ${FWFUZZ_FIRMWARE_O2_FLAGS})
  endif()
  _fwfuzz_component_library(${A_NAME}_san ${_common} LIBS ${_san_libs})
  target_compile_options(${A_NAME}_san PRIVATE ${FWFUZZ_SAN_FLAGS} ${FWFUZZ_COV_FLAGS})
  target_link_options(${A_NAME}_san INTERFACE ${FWFUZZ_SAN_FLAGS})
  # <lib>_cov for `fwfuzz cov` (FwfuzzCoverage.cmake)
  _fwfuzz_cov_component(${A_NAME} ${_common} LIBS ${A_LIBS})
endfunction()

# The variant (suffix _san, _cov, _o2) of each of ARGN that has one.
function(_fwfuzz_variant_libs out suffix)
  set(_r "")
  foreach(_l IN LISTS ARGN)
    if(TARGET ${_l}${suffix})
      list(APPEND _r ${_l}${suffix})
    else()
      list(APPEND _r ${_l})
    endif()
  endforeach()
  set(${out} ${_r} PARENT_SCOPE)
endfunction()

# The Cortex-M4 firmware images (emu/firmware, docs/emulation.md).
#
#   fwfuzz_add_firmware_subbuild()
#       Full mode: builds this source tree again with arm-none-eabi-gcc in
#       <build>/firmware (FWFUZZ_BUILD_MODE=firmware) and registers the CTest
#       checks of the images (label "emu").
#   fwfuzz_firmware_setup()
#       Firmware mode, before the components: flags for the whole cross build.
#   _fwfuzz_firmware_record(NAME <target> SOURCES <src...> LIBS <lib...>)
#       Firmware mode: what fwfuzz_add_fuzz_target does there. The targets are
#       built into the fuzzing image by emu/firmware/CMakeLists.txt.

# shadow(addr) = (addr >> 3) + offset: flash's shadow at 0x31000000, SRAM's
# at 0x34000000, both in space the board leaves free. The emulator's board
# file (emu/boards/fwfuzz-m4.json, "kasan") must say the same.
set(FWFUZZ_KASAN_SHADOW_OFFSET 0x30000000)
# --param=name=value, not "--param name=value": CMake de-duplicates options
# and would keep only the first of several bare "--param".
# Checks inline (a threshold no function reaches): a load of the shadow
# byte and a branch at each access, the runtime called only to report.
set(FWFUZZ_KASAN_FLAGS -fsanitize=kernel-address
    --param=asan-globals=1 --param=asan-stack=1
    --param=asan-instrumentation-with-call-threshold=1000000
    -fasan-shadow-offset=${FWFUZZ_KASAN_SHADOW_OFFSET})

macro(fwfuzz_firmware_setup)
  # DWARF for the emulator's verdicts (function and line); a canary in
  # every frame with an array, in the product images too.
  add_compile_options(-g -fstack-protector-strong)
  # A component's sanitized variant, <lib>_san, is its KASan build here.
  set(FWFUZZ_SAN_FLAGS ${FWFUZZ_KASAN_FLAGS})
endmacro()

function(_fwfuzz_firmware_record)
  cmake_parse_arguments(A "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT A_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "fuzz target '${A_NAME}': the firmware image names "
            "its entry fwfuzz_entry_${A_NAME}, so the name must be a C identifier")
  endif()
  set(_abs "")
  foreach(_s IN LISTS A_SOURCES)
    get_filename_component(_s ${_s} ABSOLUTE)
    list(APPEND _abs ${_s})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_FIRMWARE_TARGETS ${A_NAME})
  set_property(GLOBAL PROPERTY FWFUZZ_FIRMWARE_SOURCES_${A_NAME} ${_abs})
  set_property(GLOBAL PROPERTY FWFUZZ_FIRMWARE_LIBS_${A_NAME} ${A_LIBS})
endfunction()

function(fwfuzz_add_firmware_subbuild)
  find_program(FWFUZZ_ARM_CC arm-none-eabi-gcc)
  find_program(FWFUZZ_ARM_NM arm-none-eabi-nm)
  find_program(FWFUZZ_ARM_SIZE arm-none-eabi-size)
  find_program(FWFUZZ_ARM_OBJDUMP arm-none-eabi-objdump)
  if(NOT FWFUZZ_ARM_CC OR NOT FWFUZZ_ARM_NM OR NOT FWFUZZ_ARM_SIZE
     OR NOT FWFUZZ_ARM_OBJDUMP)
    message(WARNING "arm-none-eabi tools not found: firmware images disabled")
    return()
  endif()
  include(ExternalProject)
  _fwfuzz_subbuild_lists()
  # fwsign (a host tool) signs the application for the bootloader's slot.
  set(_sign "")
  set(_deps "")
  if(TARGET fwsign)
    set(_sign -DFWFUZZ_FWSIGN=$<TARGET_FILE:fwsign>)
    set(_deps DEPENDS fwsign)
  endif()
  ExternalProject_Add(fwfuzz_firmware
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/firmware
    LIST_SEPARATOR |
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake
               -DFWFUZZ_BUILD_MODE=firmware -DCMAKE_BUILD_TYPE=MinSizeRel
               -DFWFUZZ_WERROR=${FWFUZZ_WERROR}
               -DFWFUZZ_ONLY=${_only} -DFWFUZZ_EXTRA_TARGET_DIRS=${_extra}
               ${_sign}
    ${_deps}
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")

  # The images this configuration must produce (emu/firmware/CMakeLists.txt
  # builds the product images only when their components are there).
  set(_images fuzz fuzz-plain)
  if(TARGET mqtt AND TARGET coap AND TARGET cred)
    list(APPEND _images app app-slot)
  endif()
  if(TARGET bootverify)
    list(APPEND _images boot)
  endif()
  string(REPLACE ";" "|" _images "${_images}")
  set(_common -DFW=${CMAKE_BINARY_DIR}/firmware "-DIMAGES=${_images}"
      -DNM=${FWFUZZ_ARM_NM} -DSIZE=${FWFUZZ_ARM_SIZE}
      -DOBJDUMP=${FWFUZZ_ARM_OBJDUMP}
      -DMANIFEST=${CMAKE_BINARY_DIR}/fwfuzz-targets.json)
  add_test(NAME emu/firmware-images COMMAND ${CMAKE_COMMAND} -DCHECK=images
    ${_common} -P ${PROJECT_SOURCE_DIR}/cmake/FirmwareCheck.cmake)
  add_test(NAME emu/firmware-entries COMMAND ${CMAKE_COMMAND} -DCHECK=entries
    ${_common} -P ${PROJECT_SOURCE_DIR}/cmake/FirmwareCheck.cmake)
  set_tests_properties(emu/firmware-images emu/firmware-entries
    PROPERTIES LABELS "emu")
endfunction()

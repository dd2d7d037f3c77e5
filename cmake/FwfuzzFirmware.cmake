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
#       built into the fuzzing image by emu/firmware/fuzz-image.
#   fwfuzz_firmware_image(<exe> [BIN] [LINK <option...>])
#       Firmware mode: makes <exe> one image of emu/firmware: the board code
#       and linker script, <exe>.elf (and with BIN <exe>.bin) at the top of
#       the build folder, and the symbol clash check before it links.
#   fwfuzz_add_firmware_image(NAME <image> SOURCES <src...> [LIBS <lib...>])
#       Any mode, from a component folder (in this tree or an extra one):
#       one more image of the firmware sub-build, <image>.elf, built from
#       these sources with the board code (emu/firmware builds it after
#       the board); fwfuzz_add_image_target can then name it as IMAGE.

macro(fwfuzz_firmware_setup)
  # DWARF for the emulator's verdicts (function and line); a canary in
  # every frame with an array, in the product images too.
  add_compile_options(-g -fstack-protector-strong)
  # The optimisation level of every image, the product's and the fuzzing
  # images alike (FWFUZZ_FIRMWARE_OPT, docs/emulation.md "Speed"); after
  # the toolchain's and the build type's -Os on the command line, so it
  # wins. The components' _o2 variants build the benchmark's -O2 image.
  add_compile_options(${FWFUZZ_FIRMWARE_OPT})
  set(FWFUZZ_FIRMWARE_O2_FLAGS -O2)
  # The memory map, the slot layout and the shadow offset: BOARD_*.
  fwfuzz_board_read(${FWFUZZ_BOARD_FILE} BOARD)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FWFUZZ_BOARD_FILE})
  # shadow(addr) = (addr >> 3) + offset, the board's "kasan" offset: the
  # emulator maps the shadow there.
  set(FWFUZZ_KASAN_SHADOW_OFFSET ${BOARD_KASAN_SHADOW_OFFSET})
  # --param=name=value, not "--param name=value": CMake de-duplicates
  # options and would keep only the first of several bare "--param".
  # Checks inline (a threshold no function reaches): a load of the shadow
  # byte and a branch at each access, the runtime called only to report.
  set(FWFUZZ_KASAN_FLAGS -fsanitize=kernel-address
      --param=asan-globals=1 --param=asan-stack=1
      --param=asan-instrumentation-with-call-threshold=1000000
      -fasan-shadow-offset=${FWFUZZ_KASAN_SHADOW_OFFSET})
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
               -DFWFUZZ_FIRMWARE_OPT=${FWFUZZ_FIRMWARE_OPT}
               -DFWFUZZ_ONLY=${_only} -DFWFUZZ_EXTRA_TARGET_DIRS=${_extra}
               ${_forward} ${_sign}
    ${_deps}
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")

  # The images this configuration must produce.
  _fwfuzz_firmware_product_images(_images)
  list(TRANSFORM _images REPLACE "^fwfuzz-" "")
  list(PREPEND _images fuzz fuzz-plain fuzz-plain-o2)
  string(REPLACE ";" "|" _images "${_images}")
  set(_common -DFW=${CMAKE_BINARY_DIR}/firmware "-DIMAGES=${_images}"
      -DNM=${FWFUZZ_ARM_NM} -DSIZE=${FWFUZZ_ARM_SIZE}
      -DOBJDUMP=${FWFUZZ_ARM_OBJDUMP} -DBOARD=${FWFUZZ_BOARD_FILE}
      -DMANIFEST=${CMAKE_BINARY_DIR}/fwfuzz-targets.json)
  add_test(NAME emu/firmware-images COMMAND ${CMAKE_COMMAND} -DCHECK=images
    ${_common} -P ${PROJECT_SOURCE_DIR}/cmake/FirmwareCheck.cmake)
  add_test(NAME emu/firmware-entries COMMAND ${CMAKE_COMMAND} -DCHECK=entries
    ${_common} -P ${PROJECT_SOURCE_DIR}/cmake/FirmwareCheck.cmake)
  add_test(NAME emu/firmware-layout COMMAND ${CMAKE_COMMAND} -DCHECK=layout
    ${_common} -P ${PROJECT_SOURCE_DIR}/cmake/FirmwareCheck.cmake)
  set_tests_properties(emu/firmware-images emu/firmware-entries
    emu/firmware-layout PROPERTIES LABELS "emu")
endfunction()

function(fwfuzz_firmware_image name)
  cmake_parse_arguments(A "BIN" "" "LINK" ${ARGN})
  set(_out ${CMAKE_BINARY_DIR})
  target_link_libraries(${name} PRIVATE fwfuzz_board)
  target_link_options(${name} PRIVATE -Wl,-Map=${_out}/${name}.map ${A_LINK})
  set_target_properties(${name} PROPERTIES SUFFIX .elf
    RUNTIME_OUTPUT_DIRECTORY ${_out})
  if(A_BIN)
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${name}> ${_out}/${name}.bin
      BYPRODUCTS ${_out}/${name}.bin VERBATIM)
  endif()
  _fwfuzz_symbol_clash_check()
  add_dependencies(${name} fwfuzz_symbol_clash)
endfunction()

# Every component goes into one image, linked from static archives: of two
# components defining the same global function, the linker would take the
# first archive that has it and never say so (two cJSON versions, one
# cJSON_Minify; a foreign coap_parse resolved to targets/coap's). Checked
# with nm over the archives rather than by linking them --whole-archive:
# that would also fail, but it would drag every object and its KASan
# globals into the image and change what the images hold; localising each
# component's symbols would break components that link each other. The
# check names every definition; the board code is in it too.
function(_fwfuzz_symbol_clash_check)
  if(TARGET fwfuzz_symbol_clash)
    return()
  endif()
  get_property(_components GLOBAL PROPERTY FWFUZZ_COMPONENTS)
  set(_lines "")
  foreach(_c IN LISTS _components)
    string(APPEND _lines "${_c}\t$<TARGET_FILE:${_c}>\n")
  endforeach()
  string(APPEND _lines "board\t$<JOIN:$<TARGET_OBJECTS:fwfuzz_board>,\nboard\t>\n")
  set(_list ${CMAKE_BINARY_DIR}/fwfuzz-symbol-clash.txt)
  set(_stamp ${CMAKE_BINARY_DIR}/fwfuzz-symbol-clash.stamp)
  file(GENERATE OUTPUT ${_list} CONTENT "${_lines}")
  add_custom_command(OUTPUT ${_stamp}
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DLIST=${_list}
            -P ${PROJECT_SOURCE_DIR}/cmake/SymbolClashCheck.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${_stamp}
    DEPENDS ${_components} fwfuzz_board $<TARGET_OBJECTS:fwfuzz_board> ${_list}
            ${PROJECT_SOURCE_DIR}/cmake/SymbolClashCheck.cmake
    COMMENT "Checking the firmware components for clashing global symbols"
    VERBATIM)
  add_custom_target(fwfuzz_symbol_clash DEPENDS ${_stamp})
endfunction()

# The product images the firmware sub-build makes in this configuration
# (emu/firmware/CMakeLists.txt builds them only when their components are
# there), by file name without .elf.
function(_fwfuzz_firmware_product_images out)
  set(_images "")
  if(TARGET mqtt AND TARGET coap AND TARGET cred)
    list(APPEND _images fwfuzz-app fwfuzz-app-slot)
  endif()
  if(TARGET bootverify)
    list(APPEND _images fwfuzz-boot)
  endif()
  set(${out} ${_images} PARENT_SCOPE)
endfunction()

# 1 in out when the firmware sub-build makes <image>.elf: a product image
# or one of fwfuzz_add_firmware_image.
function(_fwfuzz_firmware_produces out image)
  _fwfuzz_firmware_product_images(_images)
  get_property(_more GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGES)
  if(image IN_LIST _images OR image IN_LIST _more)
    set(${out} 1 PARENT_SCOPE)
  else()
    set(${out} 0 PARENT_SCOPE)
  endif()
endfunction()

function(fwfuzz_add_firmware_image)
  cmake_parse_arguments(A "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT A_NAME OR NOT A_SOURCES)
    message(FATAL_ERROR "fwfuzz_add_firmware_image: NAME and SOURCES are required")
  endif()
  _fwfuzz_firmware_product_images(_ours)
  get_property(_more GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGES)
  if(A_NAME IN_LIST _ours OR A_NAME IN_LIST _more OR A_NAME MATCHES "^fwfuzz-fuzz")
    message(FATAL_ERROR "fwfuzz_add_firmware_image: an image named ${A_NAME} "
                        "already exists")
  endif()
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_FIRMWARE_IMAGES ${A_NAME})
  set(_abs "")
  foreach(_s IN LISTS A_SOURCES)
    get_filename_component(_s ${_s} ABSOLUTE)
    list(APPEND _abs ${_s})
  endforeach()
  set_property(GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGE_SOURCES_${A_NAME} ${_abs})
  set_property(GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGE_LIBS_${A_NAME} ${A_LIBS})
endfunction()

# Firmware mode, from emu/firmware after the board: the images of
# fwfuzz_add_firmware_image.
function(_fwfuzz_firmware_build_images)
  get_property(_images GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGES)
  foreach(_i IN LISTS _images)
    get_property(_src GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGE_SOURCES_${_i})
    get_property(_libs GLOBAL PROPERTY FWFUZZ_FIRMWARE_IMAGE_LIBS_${_i})
    add_executable(${_i} ${_src})
    target_link_libraries(${_i} PRIVATE ${_libs})
    fwfuzz_firmware_image(${_i} BIN)
  endforeach()
endfunction()

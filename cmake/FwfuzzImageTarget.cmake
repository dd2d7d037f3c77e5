# Whole firmware images as fuzz targets (docs/adding-a-target.md, "Adding a
# whole image"; docs/rehosting.md).
#
#   fwfuzz_add_image_target(NAME <target> IMAGE <file or firmware image>
#                           BOARD <board.json> [CORPUS <dir>] [DICT <file>]
#                           [OPTIONS <file>] [LOAD_ADDR <addr>]
#                           [EXTRA_IMAGES <file>@<addr>...]
#                           [PACKAGE <Debian package>] [SMOKE <seconds>])
#       An image booted from reset and fed its UART from the input: only
#       emulated builds (<target>_emu_libfuzzer, <target>_emu_replay and, in
#       the AFL++ sub-build, <target>_emu_afl) with entry "@reset", a
#       manifest entry of kind "image" with no native builds, and CTest
#       checks (labels emu and image). IMAGE is a file (ELF, Intel HEX, or
#       a raw binary loaded at LOAD_ADDR), or the name of an image of the
#       firmware sub-build (fwfuzz-app, or one made by
#       fwfuzz_add_firmware_image). EXTRA_IMAGES are raw binaries loaded
#       beside it (a bootloader's signed slot). When IMAGE is a file that is
#       missing, the target is left out with a message naming PACKAGE, and
#       its tests are registered as skipped. SMOKE: CTest also runs
#       `fwfuzz fuzz <target>` that many seconds (image/<target>).
#   fwfuzz_add_image_targets()
#       Top-level CMakeLists.txt, after every component folder: registers
#       the recorded image targets. An image of the firmware sub-build
#       exists only when its components are in the build, so the
#       registrations wait until they all are.

function(fwfuzz_add_image_target)
  cmake_parse_arguments(A "" "NAME;IMAGE;BOARD;CORPUS;DICT;OPTIONS;LOAD_ADDR;PACKAGE;SMOKE"
                        "EXTRA_IMAGES" ${ARGN})
  if(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "fwfuzz_add_image_target: unknown arguments ${A_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A_NAME OR NOT A_IMAGE OR NOT A_BOARD)
    message(FATAL_ERROR "fwfuzz_add_image_target: NAME, IMAGE and BOARD are required")
  endif()
  if(NOT A_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "fwfuzz_add_image_target: '${A_NAME}' must be a C identifier "
                        "(its builds are named after it, as every fuzz target's)")
  endif()
  if(NOT FWFUZZ_BUILD_MODE MATCHES "^(full|afl)$")
    return()
  endif()
  # Paths are the caller's: relative ones are resolved in its folder now.
  get_filename_component(_board ${A_BOARD} ABSOLUTE)
  if(NOT A_CORPUS)
    set(A_CORPUS ${PROJECT_SOURCE_DIR}/corpora/${A_NAME})
  endif()
  get_filename_component(_corpus ${A_CORPUS} ABSOLUTE)
  set(_dict "")
  if(A_DICT)
    get_filename_component(_dict ${A_DICT} ABSOLUTE)
  elseif(EXISTS ${_corpus}/${A_NAME}.dict)
    set(_dict ${_corpus}/${A_NAME}.dict)
  endif()
  set(_options "")
  if(A_OPTIONS)
    get_filename_component(_options ${A_OPTIONS} ABSOLUTE)
  elseif(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${A_NAME}.options)
    set(_options ${CMAKE_CURRENT_SOURCE_DIR}/${A_NAME}.options)
  endif()
  # A name without a folder that is not a file here: an image of the
  # firmware sub-build.
  set(_image ${A_IMAGE})
  set(_firmware "")
  if(NOT _image MATCHES "/" AND NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_image})
    set(_firmware ${_image})
  else()
    get_filename_component(_image ${_image} ABSOLUTE)
  endif()
  set(_extra "")
  foreach(_x IN LISTS A_EXTRA_IMAGES)
    if(NOT _x MATCHES "^(.+)@(0[xX][0-9A-Fa-f]+|[0-9]+)$")
      message(FATAL_ERROR "fwfuzz_add_image_target(${A_NAME}): EXTRA_IMAGES '${_x}' "
                          "is not <file>@<address>")
    endif()
    set(_file ${CMAKE_MATCH_1})
    set(_at ${CMAKE_MATCH_2})
    if(NOT _file MATCHES "/" AND NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_file})
      set(_file "@firmware/${_file}")
    else()
      get_filename_component(_file ${_file} ABSOLUTE)
    endif()
    list(APPEND _extra "${_file}@${_at}")
  endforeach()
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_IMAGE_TARGETS ${A_NAME})
  foreach(_k image firmware board corpus dict options extra)
    set_property(GLOBAL PROPERTY FWFUZZ_IMAGE_${A_NAME}_${_k} "${_${_k}}")
  endforeach()
  set_property(GLOBAL PROPERTY FWFUZZ_IMAGE_${A_NAME}_load_addr "${A_LOAD_ADDR}")
  set_property(GLOBAL PROPERTY FWFUZZ_IMAGE_${A_NAME}_package "${A_PACKAGE}")
  set_property(GLOBAL PROPERTY FWFUZZ_IMAGE_${A_NAME}_smoke "${A_SMOKE}")
  get_filename_component(_dir ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set_property(GLOBAL PROPERTY FWFUZZ_IMAGE_${A_NAME}_component "${_dir}")
endfunction()

# Where the images of the firmware sub-build land (the AFL++ sub-build is
# told the main build's).
if(NOT FWFUZZ_FIRMWARE_DIR)
  set(FWFUZZ_FIRMWARE_DIR ${CMAKE_BINARY_DIR}/firmware)
endif()

function(fwfuzz_add_image_targets)
  get_property(_names GLOBAL PROPERTY FWFUZZ_IMAGE_TARGETS)
  foreach(_n IN LISTS _names)
    set(_p FWFUZZ_IMAGE_${_n})
    foreach(_k image firmware board corpus dict options extra load_addr package
            component smoke)
      get_property(_${_k} GLOBAL PROPERTY ${_p}_${_k})
    endforeach()
    _fwfuzz_image_target(${_n})
  endforeach()
endfunction()

# One image target; its settings are the _* variables of the caller.
function(_fwfuzz_image_target name)
  set(_skip "")
  if(NOT FWFUZZ_WITH_EMU)
    set(_skip "emulated builds are off")
  elseif(_firmware)
    _fwfuzz_firmware_produces(_made ${_firmware})
    if(NOT _made)
      set(_skip "the firmware sub-build does not build ${_firmware} in this "
                "configuration (its components are left out)")
    endif()
    set(_image ${FWFUZZ_FIRMWARE_DIR}/${_firmware}.elf)
  elseif(NOT EXISTS ${_image})
    set(_skip "${_image} is missing")
    if(_package)
      string(APPEND _skip " (Debian package ${_package} not installed)")
    endif()
  endif()
  set(_extra_paths "")
  foreach(_x IN LISTS _extra)
    string(REGEX REPLACE "^@firmware/" "${FWFUZZ_FIRMWARE_DIR}/" _x "${_x}")
    list(APPEND _extra_paths "${_x}")
  endforeach()
  if(_skip)
    string(JOIN "" _skip ${_skip})
    if(FWFUZZ_BUILD_MODE STREQUAL "full")
      message(STATUS "fwfuzz: image target ${name} skipped: ${_skip}")
      _fwfuzz_image_skip_test(${name} "${_skip}")
    endif()
    return()
  endif()

  # The drivers know the load address and the extra images themselves:
  # whoever runs them (fwfuzz, CTest, a person) needs no variable.
  string(JOIN "," _xs ${_extra_paths})
  set(_how LOAD_ADDR "${_load_addr}" EXTRA "${_xs}")
  if(FWFUZZ_BUILD_MODE STREQUAL "afl")
    _fwfuzz_emu_executable(${name}_emu_afl emu_driver_afl.c "${_image}"
      "${_board}" "@reset" "${_options}" ${_how})
    return()
  endif()
  foreach(_main libfuzzer replay)
    _fwfuzz_emu_executable(${name}_emu_${_main} emu_driver_${_main}.c
      "${_image}" "${_board}" "@reset" "${_options}" ${_how})
  endforeach()
  _fwfuzz_image_manifest(${name})

  # The same checks as a fuzz target's emulated ones. The drivers take a
  # raw image's address and the extra images from the environment.
  set(_env "")
  if(_load_addr)
    list(APPEND _env FWFUZZ_EMU_LOAD_ADDR=${_load_addr})
  endif()
  if(_extra_paths)
    string(JOIN "," _xs ${_extra_paths})
    list(APPEND _env FWFUZZ_EMU_EXTRA_IMAGES=${_xs})
  endif()
  # Listed as a whole image, native mode refused, and a short fuzzing run.
  add_test(NAME image/${name} COMMAND ${CMAKE_COMMAND}
           -DFWFUZZ=$<TARGET_FILE:fwfuzz> -DTARGET=${name} "-DSMOKE=${_smoke}"
           -DWORK=${CMAKE_BINARY_DIR}/smoke/${name}-image
           -P ${PROJECT_SOURCE_DIR}/cmake/ImageTargetCheck.cmake)
  set_tests_properties(image/${name} PROPERTIES LABELS "emu;image" TIMEOUT 170)
  _fwfuzz_corpus_inputs(_inputs _cases ${name} ${_corpus})
  if(_inputs)
    add_test(NAME emu-replay/${name} COMMAND ${name}_emu_replay -q ${_inputs})
    set_tests_properties(emu-replay/${name} PROPERTIES LABELS "emu;image"
                         ENVIRONMENT "${_env}" TIMEOUT 120)
  endif()
  _fwfuzz_regress_tests(${name} "regress;image" ${_cases})
endfunction()

# A skipped image target still has its test, which CTest shows as skipped.
function(_fwfuzz_image_skip_test name why)
  add_test(NAME image/${name} COMMAND ${CMAKE_COMMAND} -E echo
           "skipped: ${why}")
  set_tests_properties(image/${name} PROPERTIES LABELS "emu;image"
                       SKIP_REGULAR_EXPRESSION "^skipped: ")
endfunction()

# The manifest entry of an image target: no native builds (null), the
# emulated ones with entry "@reset".
function(_fwfuzz_image_manifest name)
  set(_bin ${FWFUZZ_BIN_DIR})
  set(_x ${CMAKE_EXECUTABLE_SUFFIX})
  set(_e "{}")
  _fwfuzz_json_set_pairs(_e "name=${name}" "kind=image"
    "component=${_component}" "source=" "libfuzzer=" "replay=" "afl="
    "bench=" "bench_asan=" "corpus=${_corpus}" "dict=${_dict}"
    "options=${_options}")
  string(JSON _e SET "${_e}" cov null)
  set(_emu_afl "")
  if(FWFUZZ_WITH_AFL)
    set(_emu_afl ${CMAKE_BINARY_DIR}/afl/bin/${name}_emu_afl${_x})
  endif()
  set(_m "{}")
  _fwfuzz_json_set_pairs(_m "libfuzzer=${_bin}/${name}_emu_libfuzzer${_x}"
    "afl=${_emu_afl}" "replay=${_bin}/${name}_emu_replay${_x}"
    "image=${_image}" "image_plain=" "board=${_board}" "entry=@reset"
    "load_addr=${_load_addr}")
  string(JSON _m SET "${_m}" extra_images "[]")
  set(_i 0)
  foreach(_xp IN LISTS _extra_paths)
    _fwfuzz_json_string(_s "${_xp}")
    string(JSON _m SET "${_m}" extra_images ${_i} "${_s}")
    math(EXPR _i "${_i} + 1")
  endforeach()
  string(JSON _e SET "${_e}" emu "${_m}")
  _fwfuzz_manifest_add(${name} "${_e}")
endfunction()

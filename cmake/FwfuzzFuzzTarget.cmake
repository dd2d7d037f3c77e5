# Every executable of a fuzz target, its manifest entry and its CTest
# checks (docs/adding-a-target.md).
#
#   fwfuzz_add_fuzz_target(NAME <target> SOURCES <src...> LIBS <lib...>
#                          [COMPONENT <name>] [CORPUS <dir>] [DICT <file>]
#                          [OPTIONS <file>])
#       One LLVMFuzzerTestOneInput file built three ways: <target>_libfuzzer,
#       <target>_replay (plain main, takes files and folders) and, in the
#       AFL++ sub-build, <target>_afl; plus <target>_bench and
#       <target>_bench_asan (`fwfuzz bench`). With FWFUZZ_WITH_EMU the same
#       target also runs inside the firmware image under emulation:
#       <target>_emu_libfuzzer, <target>_emu_replay and <target>_emu_afl,
#       drivers that run the image's entry fwfuzz_entry_<target>.
#       Registered for `fwfuzz` and CTest.

set(FWFUZZ_BIN_DIR ${CMAKE_BINARY_DIR}/bin)
# FWFUZZ_FUZZER_{COMPILE,LINK}_FLAGS: ours, or OSS-Fuzz's (FWFUZZ_OSSFUZZ).
include(FwfuzzOssFuzz)

# Emulated builds: every fuzz target also runs as fwfuzz_entry_<target> in
# the firmware image (emu/firmware) under the emulator (emu/). They need
# Unicorn for the emulator and arm-none-eabi-gcc for the image; without
# them the option turns itself off for this configure run.
option(FWFUZZ_WITH_EMU "Also build every fuzz target to run under emulation" ON)
if(FWFUZZ_WITH_EMU AND FWFUZZ_BUILD_MODE MATCHES "^(full|afl)$")
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(FWFUZZ_UNICORN QUIET unicorn)
  endif()
  find_program(FWFUZZ_ARM_GCC arm-none-eabi-gcc)
  set(_fwfuzz_emu_off "")
  if(NOT FWFUZZ_UNICORN_FOUND)
    set(_fwfuzz_emu_off "Unicorn not found (pkg-config unicorn; Debian libunicorn-dev)")
  elseif(FWFUZZ_BUILD_MODE STREQUAL "full" AND NOT FWFUZZ_ARM_GCC)
    set(_fwfuzz_emu_off "arm-none-eabi-gcc not found (Debian gcc-arm-none-eabi)")
  elseif(NOT EXISTS ${PROJECT_SOURCE_DIR}/emu/CMakeLists.txt)
    set(_fwfuzz_emu_off "no emu/CMakeLists.txt in this tree")
  endif()
  if(_fwfuzz_emu_off)
    message(STATUS "fwfuzz: emulated builds off: ${_fwfuzz_emu_off}")
    set(FWFUZZ_WITH_EMU OFF)
  endif()
endif()
# The image and board every emulated build runs by default (the AFL++
# sub-build is given the main build's image). The drivers read
# FWFUZZ_EMU_IMAGE, FWFUZZ_EMU_BOARD and FWFUZZ_EMU_ENTRY from the
# environment to run another image.
# With our own images, also the same targets without KASan (emu/firmware):
# fwfuzz bench's EMU/S and --emu-image plain; none for an image given here.
# And the plain image at -O2: fwfuzz bench's EMU -O2/S.
set(FWFUZZ_EMU_IMAGE_PLAIN "")
set(FWFUZZ_EMU_IMAGE_PLAIN_O2 "")
if(NOT FWFUZZ_EMU_IMAGE_DEFAULT)
  set(FWFUZZ_EMU_IMAGE_DEFAULT ${CMAKE_BINARY_DIR}/firmware/fwfuzz-fuzz.elf)
  set(FWFUZZ_EMU_IMAGE_PLAIN ${CMAKE_BINARY_DIR}/firmware/fwfuzz-fuzz-plain.elf)
  set(FWFUZZ_EMU_IMAGE_PLAIN_O2
      ${CMAKE_BINARY_DIR}/firmware/fwfuzz-fuzz-plain-o2.elf)
endif()
set(FWFUZZ_EMU_BOARD_DEFAULT ${FWFUZZ_BOARD_FILE})
# AFL++ builds of emulated targets: a fixed-size (CLASSIC) map that the
# emulator fills, and no instrumentation of host code at all (every
# function deny-listed), so the map holds only emulated edges and no
# instrumented object can shrink it (docs/emulation.md).
set(FWFUZZ_EMU_AFL_DENYLIST ${CMAKE_BINARY_DIR}/fwfuzz-emu-afl-denylist.txt)
set(FWFUZZ_EMU_AFL_LAUNCHER env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=CLASSIC
    AFL_LLVM_DENYLIST=${FWFUZZ_EMU_AFL_DENYLIST})
if(FWFUZZ_WITH_EMU AND FWFUZZ_BUILD_MODE STREQUAL "afl")
  file(WRITE ${FWFUZZ_EMU_AFL_DENYLIST} "fun: *\n")
endif()
if(FWFUZZ_WITH_EMU AND FWFUZZ_BUILD_MODE MATCHES "^(full|afl)$")
  cmake_language(DEFER CALL _fwfuzz_emu_finish)
endif()

function(fwfuzz_add_fuzz_target)
  cmake_parse_arguments(A "" "NAME;COMPONENT;CORPUS;DICT;OPTIONS" "SOURCES;LIBS" ${ARGN})
  if(NOT A_NAME OR NOT A_SOURCES)
    message(FATAL_ERROR "fwfuzz_add_fuzz_target: NAME and SOURCES are required")
  endif()
  if(FWFUZZ_BUILD_MODE STREQUAL "components")
    return()
  endif()
  if(FWFUZZ_BUILD_MODE STREQUAL "firmware")
    # Recorded only: emu/firmware builds every target into the fuzzing image.
    _fwfuzz_firmware_record(NAME ${A_NAME} SOURCES ${A_SOURCES} LIBS ${A_LIBS})
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
  _fwfuzz_variant_libs(_libs _san ${A_LIBS})

  if(FWFUZZ_BUILD_MODE STREQUAL "afl")
    add_executable(${A_NAME}_afl ${A_SOURCES})
    target_compile_options(${A_NAME}_afl PRIVATE ${FWFUZZ_SAN_FLAGS})
    target_link_options(${A_NAME}_afl PRIVATE ${FWFUZZ_SAN_FLAGS})
    target_link_libraries(${A_NAME}_afl PRIVATE fwfuzz_afl_main ${_libs})
    _fwfuzz_oracle_wrap(${A_NAME}_afl)
    set_target_properties(${A_NAME}_afl PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
    if(FWFUZZ_WITH_EMU)
      _fwfuzz_emu_executable(${A_NAME}_emu_afl emu_driver_afl.c
        "${FWFUZZ_EMU_IMAGE_DEFAULT}" "${FWFUZZ_EMU_BOARD_DEFAULT}"
        fwfuzz_entry_${A_NAME} "${A_OPTIONS}")
    endif()
    return()
  endif()

  add_executable(${A_NAME}_libfuzzer ${A_SOURCES})
  target_compile_options(${A_NAME}_libfuzzer PRIVATE ${FWFUZZ_SAN_FLAGS}
    ${FWFUZZ_FUZZER_COMPILE_FLAGS})
  target_link_options(${A_NAME}_libfuzzer PRIVATE ${FWFUZZ_SAN_FLAGS}
    ${FWFUZZ_FUZZER_LINK_FLAGS})
  target_link_libraries(${A_NAME}_libfuzzer PRIVATE fwfuzz_check ${_libs})
  _fwfuzz_oracle_wrap(${A_NAME}_libfuzzer)

  add_executable(${A_NAME}_replay ${A_SOURCES})
  target_compile_options(${A_NAME}_replay PRIVATE ${FWFUZZ_SAN_FLAGS} ${FWFUZZ_COV_FLAGS})
  target_link_options(${A_NAME}_replay PRIVATE ${FWFUZZ_SAN_FLAGS})
  target_link_libraries(${A_NAME}_replay PRIVATE fwfuzz_replay_main ${_libs})
  _fwfuzz_oracle_wrap(${A_NAME}_replay)
  set_target_properties(${A_NAME}_libfuzzer ${A_NAME}_replay PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})

  # `fwfuzz bench`: the corpus in a loop, plain -O2 and with ASan+UBSan.
  add_executable(${A_NAME}_bench ${A_SOURCES})
  target_compile_options(${A_NAME}_bench PRIVATE -O2)
  target_link_libraries(${A_NAME}_bench PRIVATE fwfuzz_bench_main ${A_LIBS})
  add_executable(${A_NAME}_bench_asan ${A_SOURCES})
  target_compile_options(${A_NAME}_bench_asan PRIVATE ${FWFUZZ_SAN_FLAGS} ${FWFUZZ_COV_FLAGS})
  target_link_options(${A_NAME}_bench_asan PRIVATE ${FWFUZZ_SAN_FLAGS})
  target_link_libraries(${A_NAME}_bench_asan PRIVATE fwfuzz_bench_main ${_libs})
  _fwfuzz_oracle_wrap(${A_NAME}_bench)
  _fwfuzz_oracle_wrap(${A_NAME}_bench_asan)
  set_target_properties(${A_NAME}_bench ${A_NAME}_bench_asan PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
  # `fwfuzz cov`: clang coverage, no sanitizer (FwfuzzCoverage.cmake).
  _fwfuzz_cov_fuzz_target(${A_NAME} "${A_SOURCES}" "${A_LIBS}")

  # Emulated builds: no sanitizer and no coverage instrumentation of the
  # host code; libFuzzer sees only the emulated edges (extra counters).
  if(FWFUZZ_WITH_EMU)
    foreach(_main libfuzzer replay)
      _fwfuzz_emu_executable(${A_NAME}_emu_${_main} emu_driver_${_main}.c
        "${FWFUZZ_EMU_IMAGE_DEFAULT}" "${FWFUZZ_EMU_BOARD_DEFAULT}"
        fwfuzz_entry_${A_NAME} "${A_OPTIONS}")
    endforeach()
  endif()

  _fwfuzz_fuzz_target_manifest(${A_NAME} "${A_COMPONENT}" "${_first}"
    "${A_CORPUS}" "${A_DICT}" "${A_OPTIONS}")

  # Every fuzz target replays its seed and regression corpora under
  # ASan/UBSan, and gets a short libFuzzer smoke run. Crash cases stored by
  # `fwfuzz triage` (regress/<id>.json and its .bin) are not plain inputs:
  # each is a test of its own (label regress), which knows whether the
  # case must fail (an open bug) or run clean (a fixed one).
  _fwfuzz_corpus_inputs(_inputs _cases ${A_NAME} ${A_CORPUS})
  if(_inputs)
    add_test(NAME replay/${A_NAME} COMMAND ${A_NAME}_replay ${_inputs})
    set_tests_properties(replay/${A_NAME} PROPERTIES LABELS "fuzz-smoke")
  endif()
  _fwfuzz_regress_tests(${A_NAME} "regress" ${_cases})
  set(_seeds "")
  if(IS_DIRECTORY ${A_CORPUS}/seed)
    set(_seeds ${A_CORPUS}/seed)
  endif()
  set(_smoke ${CMAKE_BINARY_DIR}/smoke/${A_NAME})
  add_test(NAME libfuzzer-smoke/${A_NAME}
    COMMAND ${CMAKE_COMMAND} -E env UBSAN_OPTIONS=halt_on_error=1
            ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:${A_NAME}_libfuzzer> -DWORK=${_smoke}
            "-DSEEDS=${_seeds}" -DFWFUZZ=$<TARGET_FILE:fwfuzz> -DTARGET=${A_NAME}
            -DMODE=native -P ${PROJECT_SOURCE_DIR}/cmake/LibfuzzerSmoke.cmake)
  set_tests_properties(libfuzzer-smoke/${A_NAME} PROPERTIES LABELS "fuzz-smoke")

  # The same corpora replayed under emulation, and a short emulated
  # libFuzzer run.
  if(FWFUZZ_WITH_EMU)
    if(_inputs)
      add_test(NAME emu-replay/${A_NAME} COMMAND ${A_NAME}_emu_replay -q ${_inputs})
      set_tests_properties(emu-replay/${A_NAME} PROPERTIES LABELS "emu")
    endif()
    add_test(NAME emu-libfuzzer-smoke/${A_NAME}
      COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:${A_NAME}_emu_libfuzzer>
              -DWORK=${CMAKE_BINARY_DIR}/smoke/${A_NAME}-emu "-DSEEDS=${_seeds}"
              -DFWFUZZ=$<TARGET_FILE:fwfuzz> -DTARGET=${A_NAME} -DMODE=emu
              -P ${PROJECT_SOURCE_DIR}/cmake/LibfuzzerSmoke.cmake)
    set_tests_properties(emu-libfuzzer-smoke/${A_NAME} PROPERTIES LABELS "emu")
  endif()
endfunction()

# The oracles around every run of exe (harness/oracle): the target's
# LLVMFuzzerTestOneInput is compiled as fwfuzz_target_one_input, and
# oracle_entry.c's LLVMFuzzerTestOneInput calls it between the oracles'
# begin and end.
function(_fwfuzz_oracle_wrap exe)
  target_sources(${exe} PRIVATE
    ${PROJECT_SOURCE_DIR}/harness/oracle/oracle_entry.c)
  target_compile_definitions(${exe} PRIVATE
    LLVMFuzzerTestOneInput=fwfuzz_target_one_input)
  target_link_libraries(${exe} PRIVATE fwfuzz_oracle)
endfunction()

# The plain inputs of a corpus (seed/ and the regress/ files that are not
# crash cases), and the crash cases of target (regress/<id>.json with
# <id>.bin beside it, <id> 12 hex digits, whose "target" is it: targets
# may share a corpus folder). Re-globbed at build
# time, so a case stored by `fwfuzz triage` becomes a test on the next
# build.
function(_fwfuzz_corpus_inputs out_inputs out_cases target corpus)
  set(_inputs "")
  set(_cases "")
  if(IS_DIRECTORY ${corpus}/seed)
    list(APPEND _inputs ${corpus}/seed)
  endif()
  file(GLOB _files CONFIGURE_DEPENDS LIST_DIRECTORIES false ${corpus}/regress/*)
  foreach(_f IN LISTS _files)
    get_filename_component(_name ${_f} NAME)
    string(REGEX REPLACE "[.](bin|json)$" "" _base ${_f})
    if(_name MATCHES "^[.]")
      continue()
    elseif(_name MATCHES "^[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][.](bin|json)$")
      # one of a case's two files: <id>.json is the test, <id>.bin its input
      if(NOT _name MATCHES "[.]json$")
        continue()
      elseif(NOT EXISTS ${_base}.bin)
        message(WARNING "${_f}: incomplete crash case (no .bin); ignored")
        continue()
      endif()
      file(READ ${_f} _json)
      string(JSON _t ERROR_VARIABLE _err GET "${_json}" target)
      if(_err)
        message(WARNING "${_f}: not a crash case (${_err}); ignored")
      elseif(_t STREQUAL target)
        list(APPEND _cases ${_f})
      endif()
    else()
      list(APPEND _inputs ${_f})
    endif()
  endforeach()
  set(${out_inputs} ${_inputs} PARENT_SCOPE)
  set(${out_cases} ${_cases} PARENT_SCOPE)
endfunction()

# One emulated driver: main is emu_driver_{libfuzzer,afl,replay}.c of
# harness/engine; the image, board and entry it runs are compiled in (""
# for none), and the target's .options file, whose [emu] section it reads
# for the block budget of a run; the environment can override each of them.
# [LOAD_ADDR a] [EXTRA "file@addr,..."]: a whole image's raw load address
# and the raw binaries loaded beside it (FwfuzzImageTarget.cmake).
function(_fwfuzz_emu_executable exe main image board entry options)
  cmake_parse_arguments(A "" "LOAD_ADDR;EXTRA" "" ${ARGN})
  add_executable(${exe} ${PROJECT_SOURCE_DIR}/harness/engine/${main})
  target_compile_definitions(${exe} PRIVATE FWFUZZ_EMU_IMAGE="${image}"
    FWFUZZ_EMU_BOARD="${board}" FWFUZZ_EMU_ENTRY="${entry}"
    FWFUZZ_EMU_OPTIONS="${options}"
    FWFUZZ_EMU_LOAD_ADDR_DEFAULT="${A_LOAD_ADDR}"
    FWFUZZ_EMU_EXTRA_DEFAULT="${A_EXTRA}")
  target_link_libraries(${exe} PRIVATE fwfuzz_emu_driver fwfuzz_check)
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${FWFUZZ_BIN_DIR})
  if(main STREQUAL "emu_driver_libfuzzer.c")
    target_link_options(${exe} PRIVATE ${FWFUZZ_FUZZER_LINK_FLAGS})
  elseif(main STREQUAL "emu_driver_replay.c")
    target_link_libraries(${exe} PRIVATE fwfuzz_bench)
  elseif(main STREQUAL "emu_driver_afl.c")
    set_target_properties(${exe} PROPERTIES
      C_COMPILER_LAUNCHER "${FWFUZZ_EMU_AFL_LAUNCHER}")
    # The __AFL_* macros expand to GNU C; the CLASSIC pass renames any
    # declaration of __afl_area_ptr, so the map pointer is linked under
    # another name (emu_driver_afl.c).
    target_compile_options(${exe} PRIVATE
      -Wno-pedantic -Wno-extra-semi -Wno-gnu-statement-expression)
    target_link_options(${exe} PRIVATE
      -Wl,--defsym=fwfuzz_afl_area_ptr=__afl_area_ptr)
  endif()
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_EMU_EXECUTABLES ${exe})
endfunction()

# Runs at the end of the top-level CMakeLists.txt, when the emu library and
# the firmware sub-build (fwfuzz_firmware) are defined: the emulated builds
# need the image to run, and in the AFL++ build the emulator must not be
# instrumented (an instrumented object would change the map).
function(_fwfuzz_emu_finish)
  if(NOT TARGET emu)
    message(FATAL_ERROR "FWFUZZ_WITH_EMU is ON but there is no 'emu' library "
                        "target (add_subdirectory(emu) missing?)")
  endif()
  get_property(_exes GLOBAL PROPERTY FWFUZZ_EMU_EXECUTABLES)
  if(TARGET fwfuzz_firmware)
    foreach(_exe IN LISTS _exes)
      add_dependencies(${_exe} fwfuzz_firmware)
    endforeach()
  endif()
  if(FWFUZZ_BUILD_MODE STREQUAL "afl")
    set_target_properties(emu fwfuzz_emu_driver PROPERTIES
      C_COMPILER_LAUNCHER "${FWFUZZ_EMU_AFL_LAUNCHER}")
  endif()
endfunction()

# One CTest test per stored crash case of a target (docs/triage.md).
function(_fwfuzz_regress_tests name labels)
  foreach(_case IN LISTS ARGN)
    get_filename_component(_id ${_case} NAME_WE)
    add_test(NAME regress/${name}/${_id} COMMAND fwfuzz_regress ${_case})
    set_tests_properties(regress/${name}/${_id} PROPERTIES LABELS "${labels}"
                         TIMEOUT 300)
  endforeach()
endfunction()

# The manifest entry of a fuzz target: where fwfuzz finds each build.
function(_fwfuzz_fuzz_target_manifest name component source corpus dict options)
  set(_bin ${FWFUZZ_BIN_DIR})
  set(_x ${CMAKE_EXECUTABLE_SUFFIX})
  set(_afl "")
  if(FWFUZZ_WITH_AFL)
    set(_afl ${CMAKE_BINARY_DIR}/afl/bin/${name}_afl${_x})
  endif()
  foreach(_f dict options)
    if(${_f})
      get_filename_component(${_f} "${${_f}}" ABSOLUTE)
    endif()
  endforeach()
  set(_e "{}")
  _fwfuzz_json_set_pairs(_e "name=${name}" "component=${component}"
    "source=${source}" "libfuzzer=${_bin}/${name}_libfuzzer${_x}"
    "replay=${_bin}/${name}_replay${_x}" "afl=${_afl}"
    "bench=${_bin}/${name}_bench${_x}"
    "bench_asan=${_bin}/${name}_bench_asan${_x}"
    "corpus=${corpus}" "dict=${dict}" "options=${options}")
  _fwfuzz_cov_manifest(_e ${name})
  string(JSON _e SET "${_e}" emu null)
  if(FWFUZZ_WITH_EMU)
    set(_emu_afl "")
    if(FWFUZZ_WITH_AFL)
      set(_emu_afl ${CMAKE_BINARY_DIR}/afl/bin/${name}_emu_afl${_x})
    endif()
    set(_m "{}")
    _fwfuzz_json_set_pairs(_m "libfuzzer=${_bin}/${name}_emu_libfuzzer${_x}"
      "afl=${_emu_afl}" "replay=${_bin}/${name}_emu_replay${_x}"
      "image=${FWFUZZ_EMU_IMAGE_DEFAULT}" "image_plain=${FWFUZZ_EMU_IMAGE_PLAIN}"
      "image_plain_o2=${FWFUZZ_EMU_IMAGE_PLAIN_O2}"
      "board=${FWFUZZ_EMU_BOARD_DEFAULT}" "entry=fwfuzz_entry_${name}")
    string(JSON _e SET "${_e}" emu "${_m}")
  endif()
  _fwfuzz_manifest_add(${name} "${_e}")
endfunction()

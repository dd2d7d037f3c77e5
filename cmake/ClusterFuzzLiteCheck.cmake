# CTest "cluster/build-and-run" (docs/cluster.md): what a ClusterFuzzLite or
# OSS-Fuzz build and its bad-build check do, without Docker.
#
#   cmake -DSRC=<source tree> -DBIN=<scratch folder> -DEMU=ON|OFF
#         -P cmake/ClusterFuzzLiteCheck.cmake
#
# (EMU=ON: this tree has emulated builds, so $OUT must hold emulated
# fuzzers.)
#
# Runs .clusterfuzzlite/build.sh with the cluster's variables (CC, CFLAGS
# and LIB_FUZZING_ENGINE of an ASan libFuzzer build; OUT, SRC and WORK in
# BIN), then takes the build tree and the source away from the paths the
# build knows and moves $OUT elsewhere, and runs each fuzzer of $OUT as the
# cluster's runner does, from another folder and with none of our
# variables: a short start (-runs=4, as the startup check) and one pass over
# its unzipped seed corpus (-runs=0, as the seed check), each with its
# .options [libfuzzer] flags and its .dict. Fails when a target of the
# manifest has no fuzzer or no seed zip in $OUT, or a fuzzer fails.

cmake_minimum_required(VERSION 3.25)

foreach(_v SRC BIN)
  if(NOT ${_v})
    message(FATAL_ERROR "ClusterFuzzLiteCheck.cmake: -D${_v}=... is required")
  endif()
endforeach()
find_program(_bash bash)
find_program(_clang clang)
if(NOT _bash OR NOT _clang)
  message(FATAL_ERROR "ClusterFuzzLiteCheck.cmake: needs bash and clang")
endif()

set(W ${BIN})
file(REMOVE_RECURSE ${W})
file(MAKE_DIRECTORY ${W}/src ${W}/work ${W}/out ${W}/run)
# $SRC/fwfuzz is where the Dockerfile copies the tree. A link: removed
# after the build, it takes every compiled-in source path with it.
file(CREATE_LINK ${SRC} ${W}/src/fwfuzz SYMBOLIC)

# OSS-Fuzz's flags for an ASan libFuzzer build (infra/base-images).
set(_cflags "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link")
# Our variables unset, as on a cluster: what the fuzzers need is in $OUT.
set(_unset --unset=FWFUZZ_EMU_IMAGE --unset=FWFUZZ_EMU_BOARD
    --unset=FWFUZZ_EMU_ENTRY --unset=FWFUZZ_EMU_BUDGET
    --unset=FWFUZZ_EMU_LOAD_ADDR --unset=LDFLAGS --unset=CXXFLAGS)
string(TIMESTAMP _t0 "%s")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${_unset}
          CC=${_clang} CXX=clang++ "CFLAGS=${_cflags}"
          LIB_FUZZING_ENGINE=-fsanitize=fuzzer
          OUT=${W}/out SRC=${W}/src WORK=${W}/work
          CMAKE_BUILD_PARALLEL_LEVEL=2 FUZZING_ENGINE=libfuzzer SANITIZER=address
          ${_bash} ${W}/src/fwfuzz/.clusterfuzzlite/build.sh
  WORKING_DIRECTORY ${W}/src/fwfuzz
  OUTPUT_FILE ${W}/build.log ERROR_FILE ${W}/build.log
  RESULT_VARIABLE _rc)
string(TIMESTAMP _t1 "%s")
math(EXPR _secs "${_t1} - ${_t0}")
message(STATUS "build.sh: exit ${_rc} after ${_secs} s (log: ${W}/build.log)")
if(NOT _rc EQUAL 0)
  file(READ ${W}/build.log _log)
  string(LENGTH "${_log}" _len)
  if(_len GREATER 6000)
    math(EXPR _from "${_len} - 6000")
    string(SUBSTRING "${_log}" ${_from} -1 _log)
  endif()
  message(FATAL_ERROR "build.sh failed (exit ${_rc}); its log ends:\n${_log}")
endif()

file(READ ${W}/work/fwfuzz-build/fwfuzz-targets.json _m)
# The proof below rests on the build knowing only paths under W.
string(JSON _src_dir GET "${_m}" source_dir)
if(NOT _src_dir STREQUAL "${W}/src/fwfuzz")
  message(FATAL_ERROR "the build's source_dir is ${_src_dir}, not "
          "${W}/src/fwfuzz: removing the link would prove nothing")
endif()

# The cluster copies $OUT to its own machines: move it, and take away the
# build tree and the source from where the build put them.
file(RENAME ${W}/out ${W}/elsewhere)
set(OUT ${W}/elsewhere)
file(RENAME ${W}/work ${W}/work-gone)
file(REMOVE ${W}/src/fwfuzz)

set(_errors "")
set(_expected "")
string(JSON _count LENGTH "${_m}" targets)
math(EXPR _last "${_count} - 1")
foreach(_i RANGE ${_last})
  string(JSON _t GET "${_m}" targets ${_i} name)
  string(JSON _emu GET "${_m}" targets ${_i} emu)
  string(JSON _kind ERROR_VARIABLE _no_kind GET "${_m}" targets ${_i} kind)
  set(_names ${_t})
  # (a whole image has only its emulated fuzzer)
  if(NOT _no_kind AND _kind STREQUAL "image")
    set(_names "")
  endif()
  # (host-only targets, the harness's and the emulator's, have none; nor
  # has a whole image that needs raw binaries beside it or a load address,
  # which OssFuzzOut.cmake leaves out)
  set(_needs "")
  if(NOT _emu STREQUAL "null" AND NOT _emu STREQUAL "")
    string(JSON _needs ERROR_VARIABLE _e1 GET "${_emu}" load_addr)
    string(JSON _nx ERROR_VARIABLE _e2 LENGTH "${_emu}" extra_images)
    if(_e1 OR _needs STREQUAL "null")
      set(_needs "")
    endif()
    if(NOT _e2 AND _nx GREATER 0)
      set(_needs "extra images")
    endif()
  endif()
  if(NOT _emu STREQUAL "null" AND NOT _emu STREQUAL "" AND NOT _needs)
    list(APPEND _names ${_t}_emu)
  endif()
  string(JSON _options GET "${_m}" targets ${_i} options)
  string(JSON _dict GET "${_m}" targets ${_i} dict)
  if(_options STREQUAL "null")
    set(_options "")
  endif()
  if(_dict STREQUAL "null")
    set(_dict "")
  endif()
  foreach(_n IN LISTS _names)
    list(APPEND _expected ${_n})
    set(_want ${_n} ${_n}_seed_corpus.zip)
    if(_options)
      list(APPEND _want ${_n}.options)
    endif()
    if(_dict)
      list(APPEND _want ${_n}.dict)
    endif()
    if(NOT _n STREQUAL _t)
      list(APPEND _want ${_n}.elf ${_n}.board.json)
    endif()
    foreach(_f IN LISTS _want)
      if(NOT EXISTS ${OUT}/${_f})
        list(APPEND _errors "${_t}: no ${_f} in $OUT")
      endif()
    endforeach()
  endforeach()
endforeach()

# What a cluster takes for a fuzzer: an executable file without extension.
file(GLOB _files RELATIVE ${OUT} ${OUT}/*)
set(_fuzzers "")
foreach(_f IN LISTS _files)
  if(NOT _f MATCHES "[.]" AND NOT IS_DIRECTORY ${OUT}/${_f})
    list(APPEND _fuzzers ${_f})
    if(NOT _f IN_LIST _expected)
      list(APPEND _errors "${_f}: in $OUT but no target of the manifest")
    endif()
  endif()
endforeach()

# The flags of the [libfuzzer] section of an .options file, as OSS-Fuzz's
# parse_options.py gives them.
function(_libfuzzer_flags out file)
  set(_flags "")
  if(EXISTS ${file})
    file(STRINGS ${file} _lines)
    set(_in 0)
    foreach(_l IN LISTS _lines)
      if(_l MATCHES "^[ \t]*\\[([^]]*)\\]")
        if(CMAKE_MATCH_1 STREQUAL "libfuzzer")
          set(_in 1)
        else()
          set(_in 0)
        endif()
      elseif(_in AND _l MATCHES "^[ \t]*([A-Za-z_0-9]+)[ \t]*=[ \t]*(.*[^ \t])[ \t]*$")
        list(APPEND _flags "-${CMAKE_MATCH_1}=${CMAKE_MATCH_2}")
      endif()
    endforeach()
  endif()
  set(${out} ${_flags} PARENT_SCOPE)
endfunction()

# Every shared library a fuzzer loads comes from $OUT/lib, but the C
# library's: a cluster's machine has none of our packages.
include(${CMAKE_CURRENT_LIST_DIR}/OssFuzzSystemLibs.cmake)
find_program(_ldd ldd)
function(_check_libs f)
  if(NOT _ldd)
    return()
  endif()
  execute_process(COMMAND ${_ldd} ${OUT}/${f} OUTPUT_VARIABLE _out
                  ERROR_VARIABLE _out RESULT_VARIABLE _rc)
  string(REPLACE "\n" ";" _lines "${_out}")
  set(_bad "")
  foreach(_l IN LISTS _lines)
    # "name => path (0x...)" or "name => not found" (one expression: a
    # failed MATCHES would clear CMAKE_MATCH_*)
    if(_l MATCHES "^[ \t]*([^ ]+) => (not found|[^ ]+)")
      set(_name ${CMAKE_MATCH_1})
      set(_path ${CMAKE_MATCH_2})
      string(FIND "${_path}" "${OUT}/lib/" _at)
      if(NOT _name MATCHES "${FWFUZZ_SYSTEM_LIBS}" AND NOT _at EQUAL 0)
        list(APPEND _bad "${_name} (${_path})")
      endif()
    endif()
  endforeach()
  if(NOT _rc EQUAL 0 OR _bad)
    set(_errors ${_errors} "${f}: loads from outside $OUT/lib: ${_bad} (ldd exit ${_rc})"
        PARENT_SCOPE)
  endif()
endfunction()

set(_ok 0)
foreach(_f IN LISTS _fuzzers)
  _check_libs(${_f})
  _libfuzzer_flags(_flags ${OUT}/${_f}.options)
  if(EXISTS ${OUT}/${_f}.dict)
    list(APPEND _flags -dict=${OUT}/${_f}.dict)
  endif()
  set(_run ${W}/run/${_f})
  file(MAKE_DIRECTORY ${_run}/corpus)
  # Startup: a few runs, no corpus (bad_build_check's check_startup_crash).
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${_unset}
                          ${OUT}/${_f} -seed=1337 -runs=4 ${_flags}
    WORKING_DIRECTORY ${_run} RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0 OR NOT _out MATCHES "Done 4 runs")
    list(APPEND _errors "${_f}: startup run failed (exit ${_rc})")
    message("---- ${_f} -runs=4:\n${_out}")
    continue()
  endif()
  # Every seed once (check_seed_corpus): -runs=0 over the unzipped seeds.
  if(NOT EXISTS ${OUT}/${_f}_seed_corpus.zip)
    continue() # reported above
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar xf ${OUT}/${_f}_seed_corpus.zip
    WORKING_DIRECTORY ${_run}/corpus RESULT_VARIABLE _rc)
  file(GLOB _seeds ${_run}/corpus/*)
  list(LENGTH _seeds _nseeds)
  if(NOT _rc EQUAL 0 OR _nseeds EQUAL 0)
    list(APPEND _errors "${_f}: ${_f}_seed_corpus.zip does not unpack to any input")
    continue()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${_unset}
                          ${OUT}/${_f} -rss_limit_mb=2560 -timeout=25 ${_flags}
                          -runs=0 ${_run}/corpus
    WORKING_DIRECTORY ${_run} RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0 OR NOT _out MATCHES "INITED")
    list(APPEND _errors "${_f}: fails on its seed corpus (exit ${_rc})")
    message("---- ${_f} -runs=0 on ${_nseeds} seeds:\n${_out}")
    continue()
  endif()
  message(STATUS "${_f}: starts, runs its ${_nseeds} seeds")
  math(EXPR _ok "${_ok} + 1")
endforeach()

# The counter-proof: an emulated fuzzer without the files beside it has
# nothing to fall back on (the compiled-in paths are gone) and must fail.
list(FILTER _fuzzers INCLUDE REGEX "_emu$")
if(_fuzzers)
  list(GET _fuzzers 0 _f)
  file(MAKE_DIRECTORY ${W}/alone)
  file(COPY_FILE ${OUT}/${_f} ${W}/alone/${_f})
  file(CHMOD ${W}/alone/${_f} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${_unset}
                          ${W}/alone/${_f} -runs=1
    WORKING_DIRECTORY ${W}/alone RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(_rc EQUAL 0 OR NOT _out MATCHES "emu: ")
    list(APPEND _errors "${_f} ran without its image and board beside it "
         "(exit ${_rc}): it still reads paths of the build tree")
  else()
    message(STATUS "${_f} alone, without its files: fails as it must")
  endif()
elseif(EMU)
  list(APPEND _errors "no emulated fuzzer in $OUT")
endif()

if(_errors)
  list(JOIN _errors "\n  " _text)
  message(FATAL_ERROR "cluster check: ${_ok} fuzzers passed; failures:\n  ${_text}")
endif()
message(STATUS "cluster check: ${_ok} fuzzers built by build.sh (${_secs} s) start and run their seeds from a moved $OUT")

# Fills an OSS-Fuzz / ClusterFuzzLite $OUT from a build's manifest
# (.clusterfuzzlite/build.sh; the layout is in docs/cluster.md):
#
#   cmake -DMANIFEST=<build>/fwfuzz-targets.json -DOUT=<dir> -DSTAGE=<dir>
#         -DSRC=<source tree> -P cmake/OssFuzzOut.cmake
#
# For every target <t> of the manifest: <t> (its libFuzzer build),
# <t>.options, <t>.dict, <t>_seed_corpus.zip; and when it has an emulated
# build, <t>_emu with its firmware image, board file and .options beside it
# (<t>_emu.elf, <t>_emu.board.json, <t>_emu.options: the names the driver
# looks for, harness/engine/emu_driver.h), <t>_emu.dict and
# <t>_emu_seed_corpus.zip; in lib/, the shared libraries the fuzzers load
# that a cluster's machine lacks (all but the C library's own), which the
# binaries find through their rpath $ORIGIN/lib (FwfuzzOssFuzz.cmake).
# STAGE is scratch room for the zips' contents.
# Every file is written under a temporary name, then renamed.

cmake_minimum_required(VERSION 3.25)

foreach(_v MANIFEST OUT STAGE SRC)
  if(NOT ${_v})
    message(FATAL_ERROR "OssFuzzOut.cmake: -D${_v}=... is required")
  endif()
endforeach()
if(NOT EXISTS ${MANIFEST})
  message(FATAL_ERROR "${MANIFEST}: no manifest (configure the build first)")
endif()
file(MAKE_DIRECTORY ${OUT})

# The suffixes the emulated driver looks for next to itself, read from the
# header that defines them so that the two cannot disagree.
set(_hdr ${SRC}/harness/engine/emu_driver.h)
foreach(_what IMAGE BOARD OPTIONS)
  file(STRINGS ${_hdr} _line REGEX "^#define FWFUZZ_EMU_BESIDE_${_what} +\"")
  if(NOT _line MATCHES "\"([^\"]+)\"")
    message(FATAL_ERROR "${_hdr}: no FWFUZZ_EMU_BESIDE_${_what}")
  endif()
  set(_beside_${_what} ${CMAKE_MATCH_1})
endforeach()
if(NOT _beside_OPTIONS STREQUAL ".options")
  # the cluster reads [libfuzzer] from <fuzzer>.options: the driver must
  # read its [emu] section from that same file
  message(FATAL_ERROR "${_hdr}: FWFUZZ_EMU_BESIDE_OPTIONS must be \".options\"")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/OssFuzzSystemLibs.cmake)

# Copies src to OUT/name through a temporary name; mode "exe" keeps it
# executable, "data" makes it plain 0644 (a cluster takes any executable
# file without an extension in $OUT for a fuzzer).
function(_out_put src name mode)
  if(src STREQUAL "")
    message(FATAL_ERROR "${MANIFEST}: names no file for ${OUT}/${name}")
  elseif(NOT EXISTS "${src}")
    message(FATAL_ERROR "${src}: not built (needed for ${OUT}/${name})")
  endif()
  get_filename_component(_dir ${OUT}/${name} DIRECTORY)
  get_filename_component(_base ${name} NAME)
  set(_tmp ${_dir}/.${_base}.tmp)
  file(COPY_FILE "${src}" ${_tmp})
  if(mode STREQUAL "exe")
    file(CHMOD ${_tmp} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
         GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  else()
    file(CHMOD ${_tmp} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
  file(RENAME ${_tmp} ${OUT}/${name})
endfunction()

# A JSON string member, or "" for null or absent.
function(_json_get out json)
  string(JSON _v ERROR_VARIABLE _err GET "${json}" ${ARGN})
  if(_err OR _v STREQUAL "null")
    set(_v "")
  endif()
  set(${out} "${_v}" PARENT_SCOPE)
endfunction()

# OUT/<t>_seed_corpus.zip: the plain inputs of the corpus, flat: seed/
# (recursively) and the files of regress/ that are not crash cases
# (<12 hex digits>.bin/.json, stored by fwfuzz triage: an open bug's input
# would fail the cluster's check of the seeds). The rule is
# _fwfuzz_corpus_inputs' (FwfuzzFuzzTarget.cmake). Names are prefixed by
# their folder so that seed/a and regress/a stay two inputs.
string(REPEAT "[0-9a-f]" 12 _hex12)
function(_out_seed_zip t corpus)
  set(_stage ${STAGE}/${t})
  file(REMOVE_RECURSE ${_stage})
  file(MAKE_DIRECTORY ${_stage})
  set(_names "")
  file(GLOB_RECURSE _seeds LIST_DIRECTORIES false ${corpus}/seed/*)
  file(GLOB _regress LIST_DIRECTORIES false ${corpus}/regress/*)
  foreach(_f IN LISTS _seeds _regress)
    file(RELATIVE_PATH _rel ${corpus} ${_f})
    get_filename_component(_base ${_f} NAME)
    if(_base MATCHES "^[.]" OR
       (_rel MATCHES "^regress/" AND _base MATCHES "^${_hex12}[.](bin|json)$"))
      continue()
    endif()
    string(REPLACE "/" "_" _flat "${_rel}")
    file(COPY_FILE ${_f} ${_stage}/${_flat})
    list(APPEND _names ${_flat})
  endforeach()
  if(NOT _names)
    message(WARNING "${t}: no seed or plain regression input in ${corpus}: "
                    "no ${t}_seed_corpus.zip")
    return()
  endif()
  set(_tmp ${OUT}/.${t}_seed_corpus.zip.tmp)
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${_tmp} --format=zip -- ${_names}
    WORKING_DIRECTORY ${_stage} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${t}: cannot write ${_tmp} (${_rc})")
  endif()
  file(RENAME ${_tmp} ${OUT}/${t}_seed_corpus.zip)
  file(REMOVE_RECURSE ${_stage})
  list(LENGTH _names _n)
  set(_out_seed_count ${_n} PARENT_SCOPE)
endfunction()

# The boards a board "extends" (a path relative to its own folder), by
# file name in $OUT, where the copy beside the fuzzer looks for them.
function(_out_board_bases board)
  file(READ "${board}" _b)
  _json_get(_base "${_b}" extends)
  if(_base STREQUAL "")
    return()
  endif()
  get_filename_component(_dir "${board}" DIRECTORY)
  get_filename_component(_base "${_base}" ABSOLUTE BASE_DIR "${_dir}")
  get_filename_component(_name "${_base}" NAME)
  _out_put("${_base}" ${_name} data)
  _out_board_bases("${_base}")
endfunction()

file(READ ${MANIFEST} _m)
string(JSON _count LENGTH "${_m}" targets)
if(_count EQUAL 0)
  message(FATAL_ERROR "${MANIFEST}: no targets")
endif()
math(EXPR _last "${_count} - 1")
set(_natives 0)
set(_fuzzers "")
set(_emus 0)
foreach(_i RANGE ${_last})
  string(JSON _e GET "${_m}" targets ${_i})
  _json_get(_t "${_e}" name)
  _json_get(_lf "${_e}" libfuzzer)
  _json_get(_corpus "${_e}" corpus)
  _json_get(_dict "${_e}" dict)
  _json_get(_options "${_e}" options)
  _json_get(_kind "${_e}" kind)
  set(_names "")
  # a whole image (fwfuzz_add_image_target) has only its emulated build
  if(NOT _kind STREQUAL "image")
    set(_names ${_t})
    _out_put("${_lf}" ${_t} exe)
    list(APPEND _fuzzers ${OUT}/${_t})
    math(EXPR _natives "${_natives} + 1")
  endif()
  string(JSON _emu ERROR_VARIABLE _err GET "${_e}" emu)
  # A whole image that needs more than its image and board (raw binaries
  # beside it, a load address) cannot run from $OUT: the drivers find only
  # those two next to themselves.
  _json_get(_extra "${_emu}" extra_images)
  _json_get(_load_addr "${_emu}" load_addr)
  if(NOT _extra STREQUAL "" AND NOT _extra STREQUAL "[]" OR _load_addr)
    message(STATUS "${_t}: left out: its emulated build needs "
                   "FWFUZZ_EMU_EXTRA_IMAGES or FWFUZZ_EMU_LOAD_ADDR")
  elseif(NOT _err AND NOT _emu STREQUAL "" AND NOT _emu STREQUAL "null")
    _json_get(_elf "${_emu}" libfuzzer)
    _json_get(_image "${_emu}" image)
    _json_get(_board "${_emu}" board)
    _out_put("${_elf}" ${_t}_emu exe)
    list(APPEND _fuzzers ${OUT}/${_t}_emu)
    _out_put("${_image}" ${_t}_emu${_beside_IMAGE} data)
    _out_put("${_board}" ${_t}_emu${_beside_BOARD} data)
    _out_board_bases("${_board}")
    list(APPEND _names ${_t}_emu)
    math(EXPR _emus "${_emus} + 1")
  endif()

  set(_out_seed_count 0)
  _out_seed_zip(${_t} "${_corpus}")
  foreach(_n IN LISTS _names)
    if(_options)
      _out_put("${_options}" ${_n}.options data)
    endif()
    if(_dict)
      _out_put("${_dict}" ${_n}.dict data)
    endif()
    if(NOT _n STREQUAL _t AND EXISTS ${OUT}/${_t}_seed_corpus.zip)
      _out_put(${OUT}/${_t}_seed_corpus.zip ${_n}_seed_corpus.zip data)
    endif()
  endforeach()
  # a whole image's seeds are its emulated fuzzer's only
  if(NOT _t IN_LIST _names)
    file(REMOVE ${OUT}/${_t}_seed_corpus.zip)
  endif()
  if(_names)
    message(STATUS "${_t}: ${_names} (${_out_seed_count} seed inputs)")
  endif()
endforeach()
# The shared libraries, with their own dependencies; the C library's are
# on every machine (and must match its loader).
file(GET_RUNTIME_DEPENDENCIES EXECUTABLES ${_fuzzers}
  RESOLVED_DEPENDENCIES_VAR _libs UNRESOLVED_DEPENDENCIES_VAR _missing
  PRE_EXCLUDE_REGEXES "${FWFUZZ_SYSTEM_LIBS}")
if(_missing)
  message(FATAL_ERROR "the fuzzers need shared libraries not found: ${_missing}")
endif()
file(MAKE_DIRECTORY ${OUT}/lib)
foreach(_lib IN LISTS _libs)
  get_filename_component(_name ${_lib} NAME)
  _out_put(${_lib} lib/${_name} data)
endforeach()
list(LENGTH _libs _nlibs)
message(STATUS "${OUT}: ${_natives} native and ${_emus} emulated fuzzers, "
               "${_nlibs} shared libraries in lib/")

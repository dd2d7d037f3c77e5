# The manifest the fwfuzz command reads: <build>/fwfuzz-targets.json, one
# entry per fuzz target (harness/fwfuzz/manifest.h reads it).
#
#   _fwfuzz_manifest_add(<target> <json object>)   one entry
#   _fwfuzz_json_set_pairs(<var> "key=value"...)   builds an object
#   fwfuzz_write_manifest()                        writes the file
#
# Every value goes in through string(JSON ... SET) and _fwfuzz_json_string,
# so a path with a quote, a backslash or a control character stays valid
# JSON.

# str as a JSON string literal ("..." with \, " and control characters
# escaped).
function(_fwfuzz_json_string out str)
  string(REPLACE "\\" "\\\\" str "${str}")
  string(REPLACE "\"" "\\\"" str "${str}")
  string(REPLACE "\n" "\\n" str "${str}")
  string(REPLACE "\r" "\\r" str "${str}")
  string(REPLACE "\t" "\\t" str "${str}")
  set(${out} "\"${str}\"" PARENT_SCOPE)
endfunction()

# Sets member key of the JSON object in variable _fwfuzz_obj to value: a
# string, or JSON null when value is empty.
function(_fwfuzz_json_set _fwfuzz_obj key value)
  if(value STREQUAL "")
    set(_v null)
  else()
    _fwfuzz_json_string(_v "${value}")
  endif()
  string(JSON _o SET "${${_fwfuzz_obj}}" ${key} "${_v}")
  set(${_fwfuzz_obj} "${_o}" PARENT_SCOPE)
endfunction()

# _fwfuzz_json_set for each "key=value" of ARGN (the value may hold "=").
function(_fwfuzz_json_set_pairs _fwfuzz_obj)
  set(_o "${${_fwfuzz_obj}}")
  foreach(_kv IN LISTS ARGN)
    string(FIND "${_kv}" "=" _at)
    string(SUBSTRING "${_kv}" 0 ${_at} _k)
    math(EXPR _at "${_at} + 1")
    string(SUBSTRING "${_kv}" ${_at} -1 _v)
    _fwfuzz_json_set(_o ${_k} "${_v}")
  endforeach()
  set(${_fwfuzz_obj} "${_o}" PARENT_SCOPE)
endfunction()

function(_fwfuzz_manifest_add name entry)
  set_property(GLOBAL APPEND PROPERTY FWFUZZ_MANIFEST_TARGETS ${name})
  set_property(GLOBAL PROPERTY FWFUZZ_MANIFEST_ENTRY_${name} "${entry}")
endfunction()

function(fwfuzz_write_manifest)
  set(_m "{}")
  string(JSON _m SET "${_m}" version 1)
  _fwfuzz_json_set(_m source_dir "${PROJECT_SOURCE_DIR}")
  _fwfuzz_json_set(_m build_dir "${CMAKE_BINARY_DIR}")
  string(JSON _m SET "${_m}" targets "[]")
  get_property(_names GLOBAL PROPERTY FWFUZZ_MANIFEST_TARGETS)
  set(_i 0)
  foreach(_n IN LISTS _names)
    get_property(_e GLOBAL PROPERTY FWFUZZ_MANIFEST_ENTRY_${_n})
    string(JSON _m SET "${_m}" targets ${_i} "${_e}")
    math(EXPR _i "${_i} + 1")
  endforeach()
  # Written only when it changes, so nothing depending on it rebuilds.
  set(_out ${CMAKE_BINARY_DIR}/fwfuzz-targets.json)
  file(WRITE ${_out}.tmp "${_m}\n")
  file(COPY_FILE ${_out}.tmp ${_out} ONLY_IF_DIFFERENT)
  file(REMOVE ${_out}.tmp)
endfunction()

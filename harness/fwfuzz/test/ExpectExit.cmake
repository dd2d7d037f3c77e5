# Runs a command and checks its exit code; used by the "e2e" tests.
#   -DCMD=a|b|c       the command, words separated by '|'
#   -DEXPECT=N        the exit code it must give
#   -DMATCH=regex     optional: stdout+stderr must match
#   -DCLEAN=dir       optional: removed before the run
#   -DPATH_PREPEND=d  optional: d goes first on PATH (fake programs)
#   -DJSON=file       optional: a summary to check afterwards, with
#   -DJSON_EXPECT=k=v;k.0.k=v   members (paths with '.') and their values;
#                     every findings[].file of the summary must exist
string(REPLACE "|" ";" _cmd "${CMD}")
if(PATH_PREPEND)
  set(ENV{PATH} "${PATH_PREPEND}:$ENV{PATH}")
endif()
if(CLEAN)
  file(REMOVE_RECURSE "${CLEAN}")
endif()
execute_process(COMMAND ${_cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT "${rc}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT}\n"
                      "stdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED MATCH AND NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}'\n"
                      "stdout:\n${out}\nstderr:\n${err}")
endif()
if(JSON)
  file(READ "${JSON}" _json)
  foreach(_pair IN LISTS JSON_EXPECT)
    string(FIND "${_pair}" "=" _eq)
    string(SUBSTRING "${_pair}" 0 ${_eq} _key)
    math(EXPR _vat "${_eq} + 1")
    string(SUBSTRING "${_pair}" ${_vat} -1 _want)
    string(REPLACE "." ";" _path "${_key}")
    string(JSON _got ERROR_VARIABLE _jerr GET "${_json}" ${_path})
    if(_jerr OR NOT "${_got}" STREQUAL "${_want}")
      message(FATAL_ERROR "${JSON}: ${_key} is '${_got}' ${_jerr}, "
                          "expected '${_want}'\n${_json}")
    endif()
  endforeach()
  string(JSON _n ERROR_VARIABLE _jerr LENGTH "${_json}" findings)
  if(NOT _jerr AND _n GREATER 0)
    math(EXPR _last "${_n} - 1")
    foreach(_i RANGE ${_last})
      string(JSON _f GET "${_json}" findings ${_i} file)
      if(NOT EXISTS "${_f}")
        message(FATAL_ERROR "finding ${_f} was not saved")
      endif()
    endforeach()
  endif()
endif()

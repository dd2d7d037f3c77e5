# e2e/fwfuzz-campaign: two campaigns over fake engines (milliseconds each).
# The first finds two new crash groups (exit 10), the second the same
# groups as known (exit 0); both leave a report folder, reports/latest
# pointing at the newest and one history line each; the weights of a
# target's .options decide its share; the corpus merge fills merged/.
#   -DFW=fwfuzz binary  -DFAKE=folder of the fake engines  -DOUT=work folder
file(REMOVE_RECURSE "${OUT}")
file(WRITE "${OUT}/corpus/seed/one" "RBab")
file(WRITE "${OUT}/heavy.options" "[fwfuzz]\nweight = 3\n")
set(_entry "\"component\": \"fake\", \"source\": \"/x.c\", \"corpus\": \"${OUT}/corpus\", \"dict\": null, \"afl\": null")
file(WRITE "${OUT}/fwfuzz-targets.json" "{\"version\": 1, \"targets\": [
 {\"name\": \"fake_crash\", ${_entry}, \"libfuzzer\": \"${FAKE}/fake_crash_libfuzzer\", \"replay\": \"${FAKE}/fake_replay\", \"options\": null},
 {\"name\": \"fake_clean\", ${_entry}, \"libfuzzer\": \"${FAKE}/fake_clean_libfuzzer\", \"replay\": \"${FAKE}/fake_replay\", \"options\": \"${OUT}/heavy.options\"}
]}
")

function(campaign expect)
  execute_process(COMMAND "${FW}" --manifest "${OUT}/fwfuzz-targets.json" run
                          --budget 20 --jobs 2 --out "${OUT}/fuzz"
                          --reports "${OUT}/reports"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expect)
    message(FATAL_ERROR "campaign: exit ${rc}, expected ${expect}\n${out}\n${err}")
  endif()
  set(_out "${out}${err}" PARENT_SCOPE)
  file(READ "${OUT}/reports/latest/summary.json" _s)
  set(_summary "${_s}" PARENT_SCOPE)
endfunction()

function(expect_json key want)
  string(REPLACE "." ";" _path "${key}")
  string(JSON _got ERROR_VARIABLE _e GET "${_summary}" ${_path})
  if(_e OR NOT "${_got}" STREQUAL "${want}")
    message(FATAL_ERROR "summary.json: ${key} is '${_got}' ${_e}, expected '${want}'\n${_summary}")
  endif()
endfunction()

function(run_budget target var)
  string(JSON _n LENGTH "${_summary}" runs)
  math(EXPR _last "${_n} - 1")
  foreach(_i RANGE ${_last})
    string(JSON _t GET "${_summary}" runs ${_i} target)
    string(JSON _e GET "${_summary}" runs ${_i} engine)
    if(_t STREQUAL target AND _e STREQUAL "libfuzzer")
      string(JSON _b GET "${_summary}" runs ${_i} budget_s)
      set(${var} ${_b} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no libfuzzer run of ${target}\n${_summary}")
endfunction()

campaign(10)
expect_json(format 2)
expect_json(result new)
expect_json(exit_code 10)
expect_json(totals.groups_new 2)
expect_json(totals.groups_known 0)
expect_json(targets.0.modes.native.groups.new 2)
expect_json(targets.1.modes.native.groups.new 0)
# the first job starts with the whole budget ahead: 20 s x 2 slots shared
# 3:1 (fake_clean's weight 3), less the assumed overhead per job
run_budget(fake_crash _light)
run_budget(fake_clean _heavy)
if(NOT _heavy GREATER _light)
  message(FATAL_ERROR "weight 3 gave fake_clean ${_heavy} s, fake_crash ${_light} s")
endif()
if(NOT IS_SYMLINK "${OUT}/reports/latest")
  message(FATAL_ERROR "reports/latest is not a symlink")
endif()
file(READ_SYMLINK "${OUT}/reports/latest" _first)
file(GLOB _merged "${OUT}/corpus/merged/*")
if(_merged STREQUAL "")
  message(FATAL_ERROR "the corpus merge left ${OUT}/corpus/merged empty")
endif()
if(EXISTS "${OUT}/corpus/merged/b387eef6357eea26674a1e1d5f2213145b11f194")
  message(FATAL_ERROR "a seed was copied into merged/")
endif()

campaign(0)
expect_json(result clean)
expect_json(totals.groups_new 0)
expect_json(totals.groups_known 2)
file(READ_SYMLINK "${OUT}/reports/latest" _second)
if(_second STREQUAL _first)
  message(FATAL_ERROR "reports/latest still points at ${_first}")
endif()
file(STRINGS "${OUT}/reports/history.jsonl" _hist)
list(LENGTH _hist _nh)
if(NOT _nh EQUAL 2)
  message(FATAL_ERROR "history.jsonl has ${_nh} lines, expected 2")
endif()
foreach(_f summary.json junit.xml results.sarif index.html)
  if(NOT EXISTS "${OUT}/reports/latest/${_f}")
    message(FATAL_ERROR "reports/latest/${_f} is missing")
  endif()
endforeach()

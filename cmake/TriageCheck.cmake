# Crash triage end to end, on a fresh machine, with real builds: the
# planted over-read of docs/examples/planted-overread (copied to BIN, so
# the store it writes is not the source tree's) is fuzzed, triaged into
# exactly one case with a symbolised location and a minimised input, and
# the case is a regression test that passes while the bug is open, fails
# once it is fixed until `fwfuzz triage --update` marks it, and fails when
# the bug comes back (docs/triage.md). Killing a triage (kill -9) at any
# moment leaves every finding as it was and every stored case whole.
# -DSRC= -DBIN= -DTIME=
file(REMOVE_RECURSE ${BIN})
file(COPY ${SRC}/docs/examples/planted-overread DESTINATION ${BIN}/src)
set(example ${BIN}/src/planted-overread)
set(build ${BIN}/build)
set(fw ${build}/bin/fwfuzz)

function(run_checked what expect)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL expect)
    message(FATAL_ERROR "${what}: expected exit ${expect}, got ${rc}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(configure_and_build fix)
  run_checked("configure (PLANTED_FIX=${fix})" 0
    ${CMAKE_COMMAND} -S ${SRC} -B ${build} -DCMAKE_C_COMPILER=clang
    -DFWFUZZ_ONLY=none -DFWFUZZ_CROSS_CHECKS=OFF -DFWFUZZ_WITH_AFL=OFF
    -DFWFUZZ_WITH_EMU=OFF -DFWFUZZ_EXTRA_TARGET_DIRS=${example}
    -DPLANTED_FIX=${fix})
  run_checked("build (PLANTED_FIX=${fix})" 0
    ${CMAKE_COMMAND} --build ${build} --target fwfuzz fwfuzz_regress
    planted_record_libfuzzer planted_record_replay)
endfunction()

# the regression tests of the store: expect 0 (pass) or 8 (a test failed)
function(regress expect what)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} --target fwfuzz
                  OUTPUT_QUIET)
  execute_process(COMMAND ctest --test-dir ${build} -L regress
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT out MATCHES "regress/planted_record/")
    message(FATAL_ERROR "${what}: no regression test of the case\n${out}")
  endif()
  if((expect EQUAL 0 AND NOT rc EQUAL 0) OR (NOT expect EQUAL 0 AND rc EQUAL 0))
    message(FATAL_ERROR "${what}: ctest -L regress exit ${rc}\n${out}\n${err}")
  endif()
endfunction()

configure_and_build(OFF)
run_checked("fuzz" 10 ${fw} fuzz planted_record --keep-going --time ${TIME}
            --out ${BIN}/out)
# kill -9 at several moments: every finding stays as it was, every case
# stored is whole (then the store is emptied for the real first triage)
file(GLOB findings ${BIN}/out/findings/*)
set(before "")
foreach(f IN LISTS findings)
  file(SHA1 ${f} h)
  list(APPEND before "${f}=${h}")
endforeach()
foreach(delay 1 2 4)
  execute_process(COMMAND timeout -s KILL ${delay} ${fw} triage ${BIN}/out
                          --out ${BIN}/killed.json --minimize-time 30
                  OUTPUT_QUIET ERROR_QUIET)
  set(after "")
  foreach(f IN LISTS findings)
    if(NOT EXISTS ${f})
      message(FATAL_ERROR "kill after ${delay} s: ${f} is gone")
    endif()
    file(SHA1 ${f} h)
    list(APPEND after "${f}=${h}")
  endforeach()
  if(NOT before STREQUAL after)
    message(FATAL_ERROR "kill after ${delay} s: a finding changed")
  endif()
  file(GLOB cases ${example}/corpus/regress/*.json)
  foreach(j IN LISTS cases)
    file(READ ${j} text)
    string(JSON id ERROR_VARIABLE err GET "${text}" id)
    string(REGEX REPLACE "json$" "bin" b ${j})
    if(err OR NOT EXISTS ${b})
      message(FATAL_ERROR "kill after ${delay} s: case ${j} incomplete (${err})")
    endif()
  endforeach()
endforeach()
file(REMOVE_RECURSE ${example}/corpus/regress)
file(REMOVE ${BIN}/out/findings/.triaged)

run_checked("first triage" 10 ${fw} triage ${BIN}/out --out ${BIN}/triage.json
            --minimize-time 30)
message(STATUS "first triage:\n${out}")
file(READ ${BIN}/triage.json json)
string(JSON n LENGTH "${json}" groups)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected exactly one group, got ${n}:\n${json}")
endif()
string(JSON cls GET "${json}" groups 0 class)
string(JSON access GET "${json}" groups 0 access)
string(JSON where GET "${json}" groups 0 native_location)
string(JSON size GET "${json}" groups 0 size)
string(JSON id GET "${json}" groups 0 id)
if(NOT cls STREQUAL "heap-buffer-overflow" OR NOT access STREQUAL "READ")
  message(FATAL_ERROR "class ${cls} ${access}, expected heap-buffer-overflow READ")
endif()
# symbolised: function and file:line of the project frame
if(NOT where MATCHES "^planted_parse_record .*planted[.]c:[0-9]+$")
  message(FATAL_ERROR "location not symbolised: '${where}'")
endif()
# the same as fields for the campaign summary: file relative to the
# repository, and a one-line message
string(JSON fn GET "${json}" groups 0 function)
string(JSON file GET "${json}" groups 0 file)
string(JSON line GET "${json}" groups 0 line)
string(JSON msg GET "${json}" groups 0 message)
if(NOT fn STREQUAL "planted_parse_record" OR
   NOT file MATCHES "^[^/].*/planted[.]c$" OR
   NOT line GREATER 0 OR
   NOT msg STREQUAL "heap-buffer-overflow READ in planted_parse_record")
  message(FATAL_ERROR "structured location: '${fn}' '${file}' '${line}' '${msg}'")
endif()
# the smallest input of the bug is 4 bytes ("RC" 0x01 and one byte)
if(size GREATER 8)
  message(FATAL_ERROR "minimised to ${size} bytes, more than twice 4")
endif()
if(NOT EXISTS ${example}/corpus/regress/${id}.bin OR
   NOT EXISTS ${example}/corpus/regress/${id}.json)
  message(FATAL_ERROR "case ${id} not stored in ${example}/corpus/regress")
endif()

# the libFuzzer build and the replay build name the same project frame,
# symbolised (function and file:line) on this machine
set(case ${example}/corpus/regress/${id}.bin)
foreach(build_kind libfuzzer replay)
  execute_process(COMMAND ${build}/bin/planted_record_${build_kind} ${case}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT err MATCHES "#[0-9]+ 0x[0-9a-f]+ in planted_parse_record [^\n]*planted[.]c:[0-9]+")
    message(FATAL_ERROR "${build_kind} build: no symbolised project frame\n${err}")
  endif()
endforeach()

run_checked("second triage" 0 ${fw} triage ${BIN}/out --out ${BIN}/triage2.json)
if(NOT out MATCHES "${id} .* known")
  message(FATAL_ERROR "second triage does not report ${id} as known:\n${out}")
endif()

regress(0 "open bug")
configure_and_build(ON)
regress(8 "fixed but still marked open")
run_checked("triage --update" 0 ${fw} triage --update planted_record
            --out ${BIN}/triage3.json)
if(NOT out MATCHES "${id} .* fixed")
  message(FATAL_ERROR "--update does not mark ${id} fixed:\n${out}")
endif()
regress(0 "fixed and marked fixed")
configure_and_build(OFF)
regress(8 "the bug put back")

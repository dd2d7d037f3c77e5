# Acceptance: an outside component added as docs/adding-a-target.md says
# (docs/examples/planted-overread, a planted 1-byte heap over-read) is
# built in a tree of its own, and `fwfuzz fuzz` must find the bug with
# each engine within TIME seconds: exit 10 and the input in findings/.
# -DSRC= -DBIN= -DTIME=
file(REMOVE_RECURSE ${BIN})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}/build
                        -DCMAKE_C_COMPILER=clang -DFWFUZZ_ONLY=none
                        -DFWFUZZ_CROSS_CHECKS=OFF
                        -DFWFUZZ_EXTRA_TARGET_DIRS=${SRC}/docs/examples/planted-overread
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN}/build --target fwfuzz
                        planted_record_libfuzzer planted_record_replay fwfuzz_afl
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed")
endif()
foreach(engine libfuzzer afl)
  set(out ${BIN}/out-${engine})
  execute_process(COMMAND ${BIN}/build/bin/fwfuzz fuzz planted_record
                          --engine ${engine} --time ${TIME} --out ${out}
                  OUTPUT_VARIABLE summary RESULT_VARIABLE rc)
  if(NOT rc EQUAL 10)
    message(FATAL_ERROR "${engine}: expected exit 10 (findings), got ${rc}\n${summary}")
  endif()
  file(GLOB found ${out}/findings/*)
  if(NOT found)
    message(FATAL_ERROR "${engine}: exit 10 but findings/ is empty")
  endif()
  string(JSON kind GET "${summary}" findings 0 kind)
  string(JSON what GET "${summary}" findings 0 description)
  if(NOT what MATCHES "heap-buffer-overflow")
    message(FATAL_ERROR "${engine}: finding is not the planted over-read: ${kind} ${what}")
  endif()
  string(JSON elapsed GET "${summary}" elapsed_s)
  message(STATUS "${engine}: found ${kind} after ${elapsed} s: ${what}")
endforeach()

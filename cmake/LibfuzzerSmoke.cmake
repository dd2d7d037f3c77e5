# A short, deterministic libFuzzer run: proves the engine build links and
# runs. New inputs go to WORK, never into the checked-in seeds. A finding
# fails the test unless `fwfuzz triage` knows it as an open case of the
# target's store (a known bug does not turn CI red; its case test checks
# it still fails the same way).
# -DBIN= -DWORK= -DSEEDS= -DFWFUZZ= -DTARGET= -DMODE=native|emu
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/findings)
execute_process(COMMAND ${BIN} -runs=3000 -max_total_time=10 -timeout=10 -seed=1 -max_len=4096
                        -print_final_stats=1 -artifact_prefix=${WORK}/findings/
                        ${WORK}/corpus ${SEEDS}
                RESULT_VARIABLE rc)
if(rc EQUAL 0)
  return()
endif()
file(GLOB findings ${WORK}/findings/*)
if(NOT findings OR NOT FWFUZZ)
  message(FATAL_ERROR "libFuzzer smoke run failed (exit ${rc})")
endif()
execute_process(COMMAND ${FWFUZZ} triage --no-store --target ${TARGET} --mode ${MODE}
                        --runs 1 ${findings}
                RESULT_VARIABLE trc)
if(NOT trc EQUAL 0)
  message(FATAL_ERROR "libFuzzer smoke run found a bug that is not a known "
                      "open case (fwfuzz triage exit ${trc}): ${findings}")
endif()
message(STATUS "the smoke run stopped on a known open bug: ${findings}")

# A short, deterministic libFuzzer run: proves the engine build links and
# runs. New inputs go to WORK, never into the checked-in seeds.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${BIN} -runs=3000 -max_total_time=10 -seed=1 -max_len=4096 -print_final_stats=1
                        ${WORK} ${SEEDS}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "libFuzzer smoke run failed (exit ${rc})")
endif()

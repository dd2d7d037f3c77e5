# Bit-exact replays across processes: one faulting input replayed by RUNS
# fresh processes of the replay driver gives the same report every time
# (verdict, PC, block count, registers, call stack, last blocks).
#   cmake -DREPLAY=<fwfuzz_emu_replay> -DSRC=<source tree> -DWORK=<dir>
#         [-DRUNS=100] -P bit_exact_check.cmake
if(NOT RUNS)
  set(RUNS 100)
endif()
file(MAKE_DIRECTORY ${WORK})
string(ASCII 78 8 _input) # "N\b": c_inner reads NULL + 8 (tiny.c)
file(WRITE ${WORK}/null.bin "${_input}")
set(ENV{FWFUZZ_EMU_IMAGE} ${SRC}/emu/test/data/progs.elf)
set(ENV{FWFUZZ_EMU_BOARD} ${SRC}/corpora/emu_board/seed/emu-test.json)
set(ENV{FWFUZZ_EMU_ENTRY} c_entry)
set(_first "")
foreach(_i RANGE 1 ${RUNS})
  execute_process(COMMAND ${REPLAY} -q ${WORK}/null.bin
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 1)
    message(FATAL_ERROR "run ${_i}: exit ${_rc}, expected 1 (a finding)\n${_err}")
  endif()
  if(_i EQUAL 1)
    set(_first "${_err}")
    foreach(_want "==FWFUZZ-EMU== null-deref at c_inner"
                  "pc 0x08000168 in c_inner" "3 blocks run" "last blocks:")
      string(FIND "${_err}" "${_want}" _at)
      if(_at LESS 0)
        message(FATAL_ERROR "the report lacks '${_want}':\n${_err}")
      endif()
    endforeach()
  elseif(NOT _err STREQUAL _first)
    message(FATAL_ERROR "run ${_i} differs from run 1:\n--- run 1:\n${_first}"
                        "--- run ${_i}:\n${_err}")
  endif()
endforeach()
message(STATUS "${RUNS} processes: the same report every time")
